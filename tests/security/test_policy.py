"""Table test of the default access policy (shared/product.md, 'Who may see and do what')."""

from __future__ import annotations

import pytest

from painpath.records.enums import Role
from painpath.security.policy import Action, Actor, Kind, Resource, can

TEAM, OTHER_TEAM, PATIENT, OTHER_PATIENT = 1, 2, 10, 11


def staff(role: Role, teams: frozenset[int] = frozenset({TEAM})) -> Actor:
    return Actor(user_id=1, username="u", role=role, team_ids=teams)


def patient(own: int = PATIENT) -> Actor:
    return Actor(user_id=2, username="p", role=Role.PATIENT, patient_id=own)


IN_TEAM = Resource(Kind.DEMOGRAPHICS, PATIENT, TEAM)


@pytest.mark.parametrize(
    ("actor", "action", "resource", "allowed"),
    [
        pytest.param(
            staff(Role.PHYSICIAN), Action.WRITE, IN_TEAM, True, id="physician-writes-demographics"
        ),
        pytest.param(
            staff(Role.PHYSIOTHERAPIST),
            Action.WRITE,
            IN_TEAM,
            False,
            id="physio-cannot-write-demographics",
        ),
        pytest.param(
            staff(Role.PHYSIOTHERAPIST), Action.READ, IN_TEAM, True, id="physio-reads-demographics"
        ),
        pytest.param(
            staff(Role.PHYSICIAN, frozenset({OTHER_TEAM})),
            Action.READ,
            IN_TEAM,
            False,
            id="outside-team-denied",
        ),
        pytest.param(
            staff(Role.COORDINATOR),
            Action.READ,
            Resource(Kind.QUESTIONNAIRE, PATIENT, TEAM),
            False,
            id="coordinator-no-answers",
        ),
        pytest.param(
            staff(Role.COORDINATOR),
            Action.READ_STATUS,
            Resource(Kind.QUESTIONNAIRE, PATIENT, TEAM),
            True,
            id="coordinator-sees-status",
        ),
        pytest.param(
            staff(Role.PHARMACIST),
            Action.READ,
            Resource(Kind.SAFETY_FLAG, PATIENT, TEAM),
            False,
            id="pharmacist-no-safety-flags",
        ),
        pytest.param(
            staff(Role.PSYCHOLOGIST),
            Action.ACT,
            Resource(Kind.SAFETY_FLAG, PATIENT, TEAM),
            True,
            id="psychologist-acts-on-flags",
        ),
        pytest.param(
            staff(Role.PHARMACIST),
            Action.ACT,
            Resource(Kind.MEDICATION, PATIENT, TEAM),
            True,
            id="pharmacist-overrides-findings",
        ),
        pytest.param(
            staff(Role.PHYSIOTHERAPIST),
            Action.WRITE,
            Resource(Kind.MEDICATION, PATIENT, TEAM),
            False,
            id="physio-cannot-prescribe",
        ),
        pytest.param(
            staff(Role.PHYSIOTHERAPIST),
            Action.WRITE,
            Resource(Kind.REHAB, PATIENT, TEAM),
            True,
            id="physio-writes-rehab",
        ),
        pytest.param(
            staff(Role.COORDINATOR),
            Action.READ,
            Resource(Kind.CLINICIAN_ONLY_NOTE, PATIENT, TEAM),
            False,
            id="coordinator-no-clinician-only",
        ),
        pytest.param(
            staff(Role.ADMIN),
            Action.READ,
            Resource(Kind.QUESTIONNAIRE, PATIENT, TEAM),
            False,
            id="admin-no-answers",
        ),
        pytest.param(
            staff(Role.ADMIN, frozenset()),
            Action.READ,
            Resource(Kind.AUDIT_LOG),
            True,
            id="admin-reads-audit",
        ),
        pytest.param(
            staff(Role.PHYSICIAN),
            Action.READ,
            Resource(Kind.AUDIT_LOG),
            False,
            id="physician-no-audit-log",
        ),
        pytest.param(patient(), Action.READ, IN_TEAM, True, id="patient-reads-own"),
        pytest.param(patient(OTHER_PATIENT), Action.READ, IN_TEAM, False, id="patient-not-others"),
        pytest.param(patient(), Action.WRITE, IN_TEAM, False, id="patient-requests-not-writes"),
        pytest.param(
            patient(),
            Action.READ,
            Resource(Kind.CLINICIAN_ONLY_NOTE, PATIENT, TEAM),
            False,
            id="patient-no-clinician-only",
        ),
        pytest.param(
            patient(),
            Action.WRITE,
            Resource(Kind.DIARY, PATIENT, TEAM),
            True,
            id="patient-writes-diary",
        ),
        pytest.param(
            staff(Role.PHYSICIAN),
            Action.READ,
            Resource(Kind.DEMOGRAPHICS, None, None),
            False,
            id="scoped-kind-needs-patient",
        ),
    ],
)
def test_policy_decides_per_default_access_table(
    actor: Actor, action: Action, resource: Resource, allowed: bool
) -> None:
    decision = can(actor, action, resource)
    assert decision.allowed is allowed, decision.reason


def test_policy_break_the_glass_grant_opens_only_that_patient() -> None:
    actor = Actor(1, "u", Role.PHYSICIAN, frozenset({OTHER_TEAM}), None, frozenset({PATIENT}))
    assert can(actor, Action.READ, IN_TEAM).reason == "break-the-glass grant"
    assert not can(actor, Action.READ, Resource(Kind.DEMOGRAPHICS, OTHER_PATIENT, TEAM))


def test_policy_denies_every_kind_for_an_unknown_role_grant() -> None:
    actor = staff(Role.PHYSICIAN)
    for kind in Kind:
        decision = can(
            actor,
            Action.READ_STATUS if kind is not Kind.QUESTIONNAIRE else Action.ACT,
            Resource(kind, PATIENT, TEAM),
        )
        assert not decision.allowed, kind
