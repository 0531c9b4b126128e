"""Emergency access: justified, time-limited, flagged in the audit log and shown to the patient."""

from __future__ import annotations

from datetime import timedelta

import pytest

from painpath.bootstrap import Container
from painpath.services import access, access_log, patients
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, context_for

REASON = "Seen in emergency department, needs medication history"


def test_break_glass_opens_one_record_for_a_limited_time(
    container: Container, world: World, clock: FrozenClock
) -> None:
    outsider = context_for(container, world, "outsider")
    with container.uow() as uow, pytest.raises(NotFound):
        patients.get_overview(uow, outsider, world.ada)
    with container.uow() as uow:
        opened = access.break_the_glass(
            uow, outsider, mrn="t-ada", reason=REASON, duration=timedelta(minutes=30)
        )
    assert opened == world.ada
    outsider = context_for(container, world, "outsider")  # actor re-read with its live grants
    with container.uow() as uow:
        assert patients.get_overview(uow, outsider, world.ada).given_name == "Ada"
    clock.advance(minutes=31)
    outsider = context_for(container, world, "outsider")
    with container.uow() as uow, pytest.raises(NotFound):
        patients.get_overview(uow, outsider, world.ada)


def test_break_glass_is_visible_to_the_patient_as_emergency_access(
    container: Container, world: World
) -> None:
    outsider = context_for(container, world, "outsider")
    with container.uow() as uow:
        access.break_the_glass(uow, outsider, mrn="T-ADA", reason=REASON)
    with container.uow() as uow:
        patients.get_overview(uow, context_for(container, world, "outsider"), world.ada)
    with container.uow() as uow:
        entries = access_log.access_log(uow, context_for(container, world, "ada"), world.ada)
    flagged = [e for e in entries if e.is_break_glass]
    assert {e.action for e in flagged} == {"break-glass", "patient.read"}
    assert all(e.who == "Outsider" for e in flagged)


@pytest.mark.parametrize(
    ("key", "reason", "minutes", "error"),
    [
        pytest.param("outsider", "because", 60, InvalidInput, id="reason-too-short"),
        pytest.param("outsider", REASON, 600, InvalidInput, id="too-long"),
        pytest.param("admin", REASON, 60, PermissionDenied, id="admin-cannot"),
        pytest.param("ada", REASON, 60, PermissionDenied, id="patient-cannot"),
    ],
)
def test_break_glass_refuses_bad_requests(
    container: Container, world: World, key: str, reason: str, minutes: int, error: type[Exception]
) -> None:
    with container.uow() as uow, pytest.raises(error):
        access.break_the_glass(
            uow,
            context_for(container, world, key),
            mrn="T-ADA",
            reason=reason,
            duration=timedelta(minutes=minutes),
        )


def test_access_log_is_not_for_other_patients_or_clinicians(
    container: Container, world: World
) -> None:
    with container.uow() as uow, pytest.raises(NotFound):
        access_log.access_log(uow, context_for(container, world, "ben"), world.ada)
    with container.uow() as uow, pytest.raises(PermissionDenied):
        access_log.access_log(uow, context_for(container, world, "drbo"), world.ada)
