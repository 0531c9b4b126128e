"""Monitoring on the real database: diary entries raise de-duplicated alerts that become tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.clinical.monitoring import InvalidMonitoringConfig
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import diary, monitoring, workflow
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.errors import PermissionDenied
from tests.conftest import FrozenClock, World, context_for


def write_days(
    container: Container, world: World, clock: FrozenClock, pains: list[int | None]
) -> None:
    """One entry a day (None = no entry that day), the clock moving a day at a time."""
    ctx = context_for(container, world, "ada")
    for n, pain in enumerate(pains):
        if n:
            clock.advance(days=1)
        if pain is None:
            continue
        with container.uow() as uow:
            diary.record_entry(
                uow, ctx, world.ada, diary.DiaryInput(pain_nrs=pain), idempotency_key=f"day-{n:04d}"
            )


def alerts(container: Container) -> list[AlertRecord]:
    with container.uow() as uow:
        return list(uow.session.scalars(select(AlertRecord).order_by(AlertRecord.id)))


def test_monitoring_flare_after_two_days_above_baseline_becomes_a_physio_task(
    container: Container, world: World, clock: FrozenClock
) -> None:
    # Baseline 7 days at 4 -> mean 4; threshold 4 + 2 = 6; then 6 and 7: flare on the 2nd day.
    write_days(container, world, clock, [4, 4, 4, 4, 4, 4, 4, 6, 7])
    (flare,) = alerts(container)
    assert flare.kind == "flare"
    assert flare.dedupe_key == f"flare:{world.ada}"
    assert flare.title == "Pain flare: above own baseline on 2 days"
    assert flare.evidence["baseline_mean_nrs"] == "4.00"
    with container.uow() as uow:
        tasks = workflow.list_tasks(uow, context_for(container, world, "tom"))
    assert [(t.owner_role, t.patient_id) for t in tasks] == [("physiotherapist", world.ada)]


def test_monitoring_flare_is_not_raised_twice_while_open(
    container: Container, world: World, clock: FrozenClock
) -> None:
    write_days(container, world, clock, [4, 4, 4, 4, 4, 4, 4, 6, 7, 8])
    assert [a.kind for a in alerts(container)] == ["flare"]


def test_monitoring_below_threshold_raises_nothing(
    container: Container, world: World, clock: FrozenClock
) -> None:
    # 4 + 2 = 6 needed; 5 and 6 -> the first day misses it.
    write_days(container, world, clock, [4, 4, 4, 4, 4, 4, 4, 5, 6])
    assert alerts(container) == []


def test_monitoring_daily_job_raises_no_diary_and_the_next_entry_closes_it(
    container: Container, world: World, clock: FrozenClock
) -> None:
    write_days(container, world, clock, [3])
    clock.advance(days=8)  # entry on day 0; days 1..7 empty = 7 whole days before day 8
    system = RequestContext(SYSTEM_ACTOR, "test-daily", clock)
    with container.uow() as uow:
        raised = monitoring.evaluate_all(uow, system)
    assert raised == {world.ada: 1}
    (no_diary,) = alerts(container)
    assert (no_diary.kind, no_diary.owner_role, no_diary.title) == (
        "no-diary",
        "coordinator",
        "No diary entry for 7 days",
    )
    with container.uow() as uow:
        assert monitoring.evaluate_all(uow, system) == {}  # de-duplicated
    with container.uow() as uow:
        diary.record_entry(
            uow,
            context_for(container, world, "ada"),
            world.ada,
            diary.DiaryInput(pain_nrs=3),
            idempotency_key="back-again-1",
        )
    (closed,) = alerts(container)
    assert closed.state == "resolved"
    with container.uow() as uow:
        task = uow.session.scalar(select(TaskRecord).where(TaskRecord.alert_id == closed.id))
    assert task is not None and task.state == "done"


def test_monitoring_clinic_override_changes_the_rule_and_is_audited(
    container: Container, world: World, clock: FrozenClock
) -> None:
    admin = context_for(container, world, "admin")
    with container.uow() as uow:
        config = monitoring.set_config(
            uow,
            admin,
            clinic_toml="[no-diary.params]\ndays_without_entry = 3\n",
            reason="weekly calls replaced by app follow-up",
        )
    assert config.overridden == ("no-diary.params",)
    write_days(container, world, clock, [3])
    clock.advance(days=4)
    with container.uow() as uow:
        monitoring.evaluate_all(uow, RequestContext(SYSTEM_ACTOR, "t", clock))
    assert [a.title for a in alerts(container)] == ["No diary entry for 3 days"]


def test_monitoring_config_refuses_weakening_safety_and_non_admins(
    container: Container, world: World
) -> None:
    with container.uow() as uow, pytest.raises(InvalidMonitoringConfig):
        monitoring.set_config(
            uow,
            context_for(container, world, "admin"),
            clinic_toml="[urgent-safety]\nenabled = false\n",
            reason="test",
        )
    with container.uow() as uow, pytest.raises(PermissionDenied):
        monitoring.set_config(
            uow, context_for(container, world, "drbo"), clinic_toml="", reason="test"
        )


def test_monitoring_responder_good_news_after_four_weeks(
    container: Container, world: World, clock: FrozenClock
) -> None:
    # First week 6/10, then 3/10 from day 7 on: the last week (days 29-35) is 3/10.
    # Reduction (6 - 3) / 6 = 50 % -> substantial responder (IMMPACT >= 50 %).
    write_days(container, world, clock, [6] * 7 + [3] * 29)
    kinds = [(a.kind, a.dedupe_key.rsplit(":", 1)[-1]) for a in alerts(container)]
    assert kinds == [("responder", "substantial")]


def test_monitoring_dashboard_lists_team_patients_urgent_first(
    container: Container, world: World, clock: FrozenClock
) -> None:
    write_days(container, world, clock, [4, 4, 4, 4, 4, 4, 4, 6, 7])
    ben_ctx = context_for(container, world, "ben")
    with container.uow() as uow:
        diary.record_entry(
            uow, ben_ctx, world.ben, diary.DiaryInput(pain_nrs=2), idempotency_key="ben-key-1"
        )
    with container.uow() as uow:
        for_tom = monitoring.dashboard(uow, context_for(container, world, "tom"))
    assert [(n.patient_id, n.top_severity) for n in for_tom] == [(world.ada, "high")]
    assert for_tom[0].mean_pain_7d is not None
    with container.uow() as uow:
        for_lena = monitoring.dashboard(uow, context_for(container, world, "lena"))
    # The coordinator sees both teams' alerts but no diary values (no diary grant).
    assert [(n.patient_id, n.mean_pain_7d) for n in for_lena] == [(world.ada, None)]
    with container.uow() as uow, pytest.raises(PermissionDenied):
        monitoring.dashboard(uow, context_for(container, world, "ada"))
    clock.advance(days=1)
    assert clock.now - timedelta(days=1) < clock.now
