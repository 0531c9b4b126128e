"""The reminder job against the real database: due slots are sent once, never twice, never when
already done; the patient's local times and zone decide when."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from painpath import jobs
from painpath.bootstrap import Container
from painpath.config import Environment, Settings
from painpath.records.models import Patient
from painpath.records.models_portal import ReminderDelivery, ReminderPlanRecord
from painpath.services import reminders
from painpath.services.errors import InvalidInput
from painpath.services.reminders import FileSender, ReminderMessage
from tests.conftest import FrozenClock, World, context_for


def add_plan(
    container: Container,
    patient_id: int,
    code: str,
    times: list[str],
    *,
    email: bool = True,
    zone: str = "Europe/London",
) -> None:
    with container.uow() as uow:
        patient = uow.session.get(Patient, patient_id)
        assert patient is not None
        patient.timezone = zone
        patient.email = "ada@example.org"
        now = container.clock()
        uow.session.add(
            ReminderPlanRecord(
                patient_id=patient_id,
                item_code=code,
                kind="medication",
                label="Pregabalin",
                local_times=times,
                iso_weekdays=[],
                is_email=email,
                is_active=True,
                created_at=now,
                updated_at=now,
            )
        )
        uow.commit()


def outbox(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def deliveries(container: Container) -> list[tuple[str, str, str]]:
    with container.uow() as uow:
        rows = uow.session.scalars(select(ReminderDelivery).order_by(ReminderDelivery.id))
        return [(r.idempotency_key, r.channel, r.state) for r in rows]


def test_reminder_job_sends_a_due_slot_once_and_a_second_run_sends_nothing(
    container: Container, world: World, tmp_path: Path
) -> None:
    # Clock: 2026-03-02 09:30 UTC = 09:30 GMT in London. 08:00 is due (within the 2 h lookback);
    # 20:00 is not yet due.
    add_plan(container, world.ada, "pregabalin", ["08:00", "20:00"])
    sender = FileSender(tmp_path / "outbox.jsonl")
    first = jobs.run_reminders(container, sender)
    assert (first.due, first.sent, first.already_sent) == (1, 1, 0)
    (message,) = outbox(tmp_path / "outbox.jsonl")
    assert message["idempotency_key"] == f"r1:{world.ada}:pregabalin:2026-03-02T08:00"
    assert message["due_at"] == "2026-03-02T08:00:00+00:00"
    assert "Pregabalin" not in message["body"]  # no medicine names in e-mail
    # A restart: a new sender object, the same database. Nothing is sent again.
    second = jobs.run_reminders(container, FileSender(tmp_path / "outbox.jsonl"))
    assert (second.due, second.sent, second.already_sent) == (1, 0, 1)
    assert len(outbox(tmp_path / "outbox.jsonl")) == 1
    assert deliveries(container) == [(message["idempotency_key"], "email", "sent")]


def test_reminder_job_skips_a_slot_already_done(
    container: Container, world: World, clock: FrozenClock, tmp_path: Path
) -> None:
    add_plan(container, world.ada, "pregabalin", ["08:00", "20:00"])
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        reminders.mark_done(
            uow,
            ctx,
            world.ada,
            item_code="pregabalin",
            local_date=date(2026, 3, 2),
            local_time=time(20, 0),
        )
    with container.uow() as uow:  # ticking twice is harmless
        reminders.mark_done(
            uow,
            ctx,
            world.ada,
            item_code="pregabalin",
            local_date=date(2026, 3, 2),
            local_time=time(20, 0),
        )
    clock.now = datetime(2026, 3, 2, 20, 5, tzinfo=UTC)
    report = jobs.run_reminders(container, FileSender(tmp_path / "outbox.jsonl"))
    assert (report.due, report.sent) == (0, 0)  # 08:00 is older than the lookback; 20:00 done
    assert outbox(tmp_path / "outbox.jsonl") == []
    with container.uow() as uow:  # the app still lists the untaken morning dose, not the evening
        assert [s.local_time for s in reminders.today_slots(uow, ctx, world.ada)] == [time(8, 0)]


def test_reminder_job_follows_the_patients_zone(
    container: Container, world: World, clock: FrozenClock, tmp_path: Path
) -> None:
    # 08:00 in New York on 2 March (EST, UTC-5) is 13:00 UTC: not due at 09:30 UTC.
    add_plan(container, world.ada, "pregabalin", ["08:00"], zone="America/New_York")
    sender = FileSender(tmp_path / "outbox.jsonl")
    assert jobs.run_reminders(container, sender).due == 0
    clock.now = datetime(2026, 3, 2, 13, 1, tzinfo=UTC)
    assert jobs.run_reminders(container, sender).sent == 1


def test_reminder_without_email_is_delivered_in_app(
    container: Container, world: World, tmp_path: Path
) -> None:
    add_plan(container, world.ada, "pregabalin", ["08:00"], email=False)
    report = jobs.run_reminders(container, FileSender(tmp_path / "outbox.jsonl"))
    assert (report.in_app, report.sent) == (1, 0)
    assert [d[1:] for d in deliveries(container)] == [("in-app", "sent")]
    assert outbox(tmp_path / "outbox.jsonl") == []


class BrokenSender:
    channel = "email"

    def send(self, message: ReminderMessage) -> None:
        raise ConnectionError("smtp down")


def test_reminder_send_failure_is_recorded_and_never_retried(
    container: Container, world: World, tmp_path: Path
) -> None:
    add_plan(container, world.ada, "pregabalin", ["08:00"])
    assert jobs.run_reminders(container, BrokenSender()).failed == 1
    assert [d[2] for d in deliveries(container)] == ["failed"]
    assert jobs.run_reminders(container, FileSender(tmp_path / "o.jsonl")).already_sent == 1


def test_patient_chooses_times_and_staff_cannot(container: Container, world: World) -> None:
    add_plan(container, world.ada, "pregabalin", ["08:00"])
    ada = context_for(container, world, "ada")
    with container.uow() as uow:
        (plan,) = reminders.list_plans(uow, ada, world.ada)
    with container.uow() as uow:
        updated = reminders.update_plan(
            uow, ada, world.ada, plan.id, local_times=["7:30 21:00"], is_email=False, is_active=True
        )
    assert updated.local_times == ["07:30", "21:00"]
    with container.uow() as uow, pytest.raises(InvalidInput):
        reminders.update_plan(
            uow, ada, world.ada, plan.id, local_times=["25:00"], is_email=False, is_active=True
        )
    with container.uow() as uow, pytest.raises(Exception, match="may not write"):
        reminders.update_plan(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            plan.id,
            local_times=["09:00"],
            is_email=False,
            is_active=True,
        )


def test_jobs_queue_is_sqlite_for_the_demo_and_redis_when_configured(tmp_path: Path) -> None:
    demo = Settings(env=Environment.TEST, huey_sqlite_path=str(tmp_path / "q" / "huey.db"))
    assert isinstance(jobs.make_huey(demo), SqliteHuey)
    redis = Settings(env=Environment.TEST, huey_url="redis://127.0.0.1:6390/0")
    assert isinstance(jobs.make_huey(redis), RedisHuey)
    assert isinstance(jobs.make_sender({"PAINPATH_REMINDER_SENDER": "console"}), object)
    with pytest.raises(ValueError, match="file"):
        jobs.make_sender({"PAINPATH_REMINDER_SENDER": "pigeon"})
