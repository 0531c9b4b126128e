"""The one authorisation policy: can(actor, action, resource) -> Decision. Deny by default.

The grants restate the default access policy of shared/product.md ("Who may see and do what").
Scope comes on top of the grant: staff act only on patients of care teams they belong to (or a
live break-the-glass grant); a patient acts only on their own record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from painpath.records.enums import Role


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    ACT = "act"  # respond to a safety flag or finding (acknowledge, route, override)
    COMMENT = "comment"
    READ_STATUS = "read-status"  # e.g. whether a questionnaire is done, not its answers


class Kind(StrEnum):
    DEMOGRAPHICS = "demographics"
    QUESTIONNAIRE = "questionnaire"
    SAFETY_FLAG = "safety-flag"
    CARE_PLAN = "care-plan"
    MEDICATION = "medication"
    REHAB = "rehab"
    CLINICAL_NOTE = "clinical-note"
    CLINICIAN_ONLY_NOTE = "clinician-only-note"
    DIARY = "diary"
    JOURNAL = "journal"
    TASK = "task"
    PATIENT_AUDIT_TRAIL = "patient-audit-trail"
    AUDIT_LOG = "audit-log"
    REGISTRY = "registry"
    USERS = "users"


R, W, ACT, C, ST = Action.READ, Action.WRITE, Action.ACT, Action.COMMENT, Action.READ_STATUS
_CLINICIANS = (Role.PHYSICIAN, Role.PHYSIOTHERAPIST, Role.PSYCHOLOGIST, Role.PHARMACIST)


def _grants() -> dict[Kind, dict[Role, frozenset[Action]]]:
    def same(actions: set[Action], roles: tuple[Role, ...]) -> dict[Role, frozenset[Action]]:
        return {role: frozenset(actions) for role in roles}

    return {
        Kind.DEMOGRAPHICS: {
            Role.PHYSICIAN: frozenset({R, W}),
            Role.PHYSIOTHERAPIST: frozenset({R}),
            Role.PSYCHOLOGIST: frozenset({R}),
            Role.PHARMACIST: frozenset({R}),
            Role.COORDINATOR: frozenset({R, W}),
            Role.PATIENT: frozenset({R, C}),
            Role.ADMIN: frozenset({R, W}),
        },
        Kind.QUESTIONNAIRE: {
            **same({R, ST}, _CLINICIANS),
            Role.COORDINATOR: frozenset({ST}),
            Role.PATIENT: frozenset({R, W, ST}),
        },
        Kind.SAFETY_FLAG: {
            Role.PHYSICIAN: frozenset({R, ACT}),
            Role.PHYSIOTHERAPIST: frozenset({R}),
            Role.PSYCHOLOGIST: frozenset({R, ACT}),
            Role.COORDINATOR: frozenset({R}),
        },
        Kind.CARE_PLAN: {
            **same({R, W, C}, _CLINICIANS),
            Role.COORDINATOR: frozenset({R}),
            Role.PATIENT: frozenset({R, C}),
        },
        Kind.MEDICATION: {
            Role.PHYSICIAN: frozenset({R, W, ACT}),
            Role.PHYSIOTHERAPIST: frozenset({R}),
            Role.PSYCHOLOGIST: frozenset({R}),
            Role.PHARMACIST: frozenset({R, W, ACT}),
            Role.COORDINATOR: frozenset({R}),
            Role.PATIENT: frozenset({R}),
        },
        Kind.REHAB: {
            Role.PHYSICIAN: frozenset({R}),
            Role.PHYSIOTHERAPIST: frozenset({R, W}),
            Role.PSYCHOLOGIST: frozenset({R}),
            Role.PHARMACIST: frozenset({R}),
            Role.COORDINATOR: frozenset({R}),
            Role.PATIENT: frozenset({R}),
        },
        Kind.CLINICAL_NOTE: {
            **same({R, W}, _CLINICIANS),
            Role.COORDINATOR: frozenset({R, W}),
            Role.PATIENT: frozenset({R}),  # only notes released to them: filtered in services
        },
        Kind.CLINICIAN_ONLY_NOTE: same({R, W}, _CLINICIANS),
        Kind.DIARY: {**same({R}, _CLINICIANS), Role.PATIENT: frozenset({R, W})},
        Kind.JOURNAL: {
            **same({R}, _CLINICIANS),  # only entries the patient shared: filtered in services
            Role.PATIENT: frozenset({R, W}),
        },
        Kind.TASK: {**same({R, W}, _CLINICIANS), Role.COORDINATOR: frozenset({R, W})},
        Kind.PATIENT_AUDIT_TRAIL: {Role.PATIENT: frozenset({R}), Role.ADMIN: frozenset({R})},
        Kind.AUDIT_LOG: {Role.ADMIN: frozenset({R})},
        Kind.REGISTRY: {Role.ADMIN: frozenset({R})},
        Kind.USERS: {Role.ADMIN: frozenset({R, W})},
    }


GRANTS = _grants()
PATIENT_SCOPED = frozenset(GRANTS) - {Kind.AUDIT_LOG, Kind.REGISTRY, Kind.USERS}


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    username: str
    role: Role
    team_ids: frozenset[int] = frozenset()
    patient_id: int | None = None
    break_glass_patient_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Resource:
    kind: Kind
    patient_id: int | None = None
    care_team_id: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def can(actor: Actor, action: Action, resource: Resource) -> Decision:
    """Decide whether actor may perform action on resource; deny unless a grant and scope allow."""
    if action not in GRANTS.get(resource.kind, {}).get(actor.role, frozenset()):
        return Decision(False, f"role {actor.role} has no {action} grant on {resource.kind}")
    if resource.kind not in PATIENT_SCOPED:
        return Decision(True, "role grant")
    if resource.patient_id is None:
        return Decision(False, "patient-scoped resource without a patient")
    return _in_scope(actor, resource)


def _in_scope(actor: Actor, resource: Resource) -> Decision:
    if actor.role is Role.PATIENT:
        if actor.patient_id == resource.patient_id:
            return Decision(True, "own record")
        return Decision(False, "not the patient's own record")
    if resource.care_team_id is not None and resource.care_team_id in actor.team_ids:
        return Decision(True, "care-team member")
    if resource.patient_id in actor.break_glass_patient_ids:
        return Decision(True, "break-the-glass grant")
    return Decision(False, "not a member of the patient's care team")
