"""Main navigation entries by role; a capability adds its page here once it exists."""

from __future__ import annotations

from dataclasses import dataclass

from painpath.records.enums import Role

STAFF = frozenset(r for r in Role if r is not Role.PATIENT)
CARE_TEAM = STAFF - {Role.ADMIN}


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str  # may contain {patient_id} for the signed-in patient
    roles: frozenset[Role]
    order: int


NAV: list[NavItem] = [
    NavItem("Patients", "/patients", STAFF, 10),
    NavItem("Tasks", "/tasks", CARE_TEAM, 20),
    NavItem("Monitoring", "/monitoring", CARE_TEAM, 30),
    NavItem("Questionnaires due", "/assessments/due", frozenset({Role.COORDINATOR}), 40),
    NavItem("Case conferences", "/conferences", CARE_TEAM, 50),
    NavItem("My day", "/me", frozenset({Role.PATIENT}), 5),
    NavItem("My record", "/patients/{patient_id}", frozenset({Role.PATIENT}), 90),
]


def nav_for(role: Role, patient_id: int | None) -> list[tuple[str, str]]:
    items = sorted((i for i in NAV if role in i.roles), key=lambda i: i.order)
    return [(i.label, i.href.format(patient_id=patient_id)) for i in items]
