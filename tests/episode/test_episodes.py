"""Episodes, collection points, bundle links, the filtered worklist and one-click reminders,
on the real database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import Patient
from painpath.records.models_assessment import Assessment, AssessmentBundle
from painpath.records.models_episode import EpisodeCollectionPoint
from painpath.records.models_portal import ReminderPlanRecord
from painpath.records.models_workflow import TaskRecord
from painpath.services import assessments, reminders
from painpath.services import episodes as svc
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, context_for


@pytest.fixture
def ctxs(container: Container, world: World) -> dict[str, RequestContext]:
    keys = ("ada", "drbo", "lena", "outsider", "tom")
    return {key: context_for(container, world, key) for key in keys}


def _today(clock: FrozenClock) -> date:
    return clock().date()


def _started_episode(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> int:
    today = _today(clock)
    with container.uow() as uow:
        eid = svc.open_episode(uow, ctxs["lena"], world.ada, referred_on=today - timedelta(days=60))
    with container.uow() as uow:
        svc.start_episode(uow, ctxs["drbo"], world.ada, eid, started_on=today - timedelta(days=42))
    return eid


def test_episode_runs_referral_start_review_end_follow_up(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    today = _today(clock)
    eid = _started_episode(container, world, ctxs, clock)
    with container.uow() as uow:
        data = svc.list_episodes(uow, ctxs["drbo"], world.ada)
    points = [(p.point, p.planned_on, p.id is None) for p in data.episodes[0].points]
    # Start 42 days ago + 6 weeks (42 days) = review 1 planned today, not yet opened.
    assert points == [
        (svc.PointKind.REFERRAL, today - timedelta(days=60), False),
        (svc.PointKind.EPISODE_START, today - timedelta(days=42), False),
        (svc.PointKind.REVIEW, today, True),
    ]
    with container.uow() as uow:
        point_id = svc.open_next_review(uow, ctxs["lena"], world.ada, eid)
    with container.uow() as uow:
        point = uow.session.get(EpisodeCollectionPoint, point_id)
        assert point is not None and point.bundle_id is not None
        bundle = uow.session.get(AssessmentBundle, point.bundle_id)
        assert bundle is not None
        assert (bundle.bundle_code, bundle.due_on) == ("review", today)
    with container.uow() as uow:
        pid = svc.add_pathway(
            uow,
            ctxs["drbo"],
            world.ada,
            eid,
            kind=svc.PathwayKind.GROUP_PROGRAMME,
            label="Pain management programme",
            started_on=today,
        )
    with container.uow() as uow:
        svc.end_pathway(uow, ctxs["drbo"], world.ada, eid, pid, ended_on=today + timedelta(30))
    with container.uow() as uow:
        svc.end_episode(uow, ctxs["drbo"], world.ada, eid, ended_on=today + timedelta(days=60))
    with container.uow() as uow:
        data = svc.list_episodes(uow, ctxs["lena"], world.ada)
    kinds = [p.point for p in data.episodes[0].points]
    assert kinds == [
        svc.PointKind.REFERRAL,
        svc.PointKind.EPISODE_START,
        svc.PointKind.REVIEW,
        svc.PointKind.PATHWAY_START,
        svc.PointKind.PATHWAY_END,
        svc.PointKind.EPISODE_END,
        # Follow-up: ended + 26 weeks (182 days), the default.
        svc.PointKind.FOLLOW_UP,
    ]
    assert data.episodes[0].points[-1].planned_on == today + timedelta(days=60 + 182)
    assert data.current is None


def test_one_open_episode_per_patient_and_dates_checked(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    eid = _started_episode(container, world, ctxs, clock)
    with container.uow() as uow, pytest.raises(Conflict):
        svc.open_episode(uow, ctxs["lena"], world.ada, referred_on=_today(clock))
    with container.uow() as uow, pytest.raises(InvalidInput):
        svc.end_episode(
            uow, ctxs["drbo"], world.ada, eid, ended_on=_today(clock) - timedelta(days=100)
        )
    with container.uow() as uow, pytest.raises(InvalidInput):
        svc.open_episode(
            uow, ctxs["lena"], world.ben, referred_on=_today(clock) + timedelta(days=1)
        )


@pytest.mark.parametrize(
    ("key", "error"),
    [
        pytest.param("outsider", NotFound, id="outside-the-team-not-found"),
        pytest.param("tom", PermissionDenied, id="physio-reads-only"),
        pytest.param("ada", PermissionDenied, id="patient-reads-only"),
    ],
)
def test_only_physician_or_coordinator_open_episodes(
    container: Container,
    world: World,
    ctxs: dict[str, RequestContext],
    clock: FrozenClock,
    key: str,
    error: type[Exception],
) -> None:
    with container.uow() as uow, pytest.raises(error):
        svc.open_episode(uow, ctxs[key], world.ada, referred_on=_today(clock))


def test_link_existing_bundle_only_to_a_matching_point(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    eid = _started_episode(container, world, ctxs, clock)
    with container.uow() as uow:
        referral = assessments.assign_bundle(
            uow, ctxs["lena"], world.ada, "referral", due_on=_today(clock)
        )
    with container.uow() as uow:
        points = {
            p.point: p for p in svc.list_episodes(uow, ctxs["lena"], world.ada).episodes[0].points
        }
        assert (referral.id, "referral", _today(clock)) in svc.list_episodes(
            uow, ctxs["lena"], world.ada
        ).unlinked_bundles
    start_id, referral_point = (
        points[svc.PointKind.EPISODE_START].id,
        points[svc.PointKind.REFERRAL].id,
    )
    assert start_id is not None and referral_point is not None
    with container.uow() as uow, pytest.raises(InvalidInput):
        svc.link_bundle(uow, ctxs["lena"], world.ada, eid, start_id, referral.id)
    with container.uow() as uow:
        svc.link_bundle(uow, ctxs["lena"], world.ada, eid, referral_point, referral.id)
    with container.uow() as uow, pytest.raises(Conflict):
        svc.link_bundle(uow, ctxs["lena"], world.ada, eid, referral_point, referral.id)
    with container.uow() as uow:
        data = svc.list_episodes(uow, ctxs["lena"], world.ada)
    shown = {p.point: p for p in data.episodes[0].points}[svc.PointKind.REFERRAL]
    # Nine referral instruments (product brief journey 1), none done yet.
    assert (shown.bundle_id, shown.done, shown.total, shown.state) == (
        referral.id,
        0,
        9,
        svc.BundleState.OPEN,
    )
    assert data.unlinked_bundles == []


def _complete_bundle(container: Container, bundle_id: int, clock: FrozenClock) -> None:
    with container.uow() as uow:
        bundle = uow.session.get(AssessmentBundle, bundle_id)
        assert bundle is not None
        bundle.completed_at = clock()
        for row in uow.session.scalars(select(Assessment).where(Assessment.bundle_id == bundle_id)):
            row.state = "completed"
        uow.commit()


def test_reminders_run_until_the_bundle_is_complete(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    eid = _started_episode(container, world, ctxs, clock)
    with container.uow() as uow:
        point_id = svc.open_next_review(uow, ctxs["lena"], world.ada, eid)
    with container.uow() as uow:
        point = uow.session.get(EpisodeCollectionPoint, point_id)
        assert point is not None and point.bundle_id is not None
        bundle_id = point.bundle_id
    with container.uow() as uow:
        result = svc.remind_bundle(uow, ctxs["lena"], bundle_id, svc.ReminderChannel.IN_APP)
    assert result.plan_id is not None
    with container.uow() as uow:
        lines = svc.worklist(uow, ctxs["lena"]).lines
    mine = [w for w in lines if w.line.bundle_id == bundle_id]
    assert [(w.is_reminding, w.point_label) for w in mine] == [(True, "Review 1")]
    with container.uow() as uow:
        plan = uow.session.scalar(
            select(ReminderPlanRecord).where(ReminderPlanRecord.item_code == f"bundle-{bundle_id}")
        )
        assert plan is not None and plan.is_active
        done = svc.bundle_reminders_done(uow.session, world.ada, _today(clock), _today(clock))
    assert done == []
    _complete_bundle(container, bundle_id, clock)
    with container.uow() as uow:
        done = svc.bundle_reminders_done(uow.session, world.ada, _today(clock), _today(clock))
        # The portal's scheduler asks the DONE_PROVIDERS: nothing due for this plan any more.
        assert svc.bundle_reminders_done in reminders.DONE_PROVIDERS
    assert [(d.item_code, d.local_date) for d in done] == [(f"bundle-{bundle_id}", _today(clock))]
    with container.uow() as uow:
        slots = reminders.today_slots(uow, ctxs["ada"], world.ada)
    assert [s for s in slots if s.item_code == f"bundle-{bundle_id}"] == []
    with container.uow() as uow:
        svc.worklist(uow, ctxs["lena"], show=svc.Show.ALL)
    with container.uow() as uow:
        plan = uow.session.scalar(
            select(ReminderPlanRecord).where(ReminderPlanRecord.item_code == f"bundle-{bundle_id}")
        )
        assert plan is not None and not plan.is_active
    with container.uow() as uow, pytest.raises(Conflict):
        svc.remind_bundle(uow, ctxs["lena"], bundle_id, svc.ReminderChannel.IN_APP)


def test_email_reminder_needs_an_address_and_task_goes_to_coordinator(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    with container.uow() as uow:
        bundle = assessments.assign_bundle(
            uow, ctxs["lena"], world.ada, "weekly", due_on=_today(clock)
        )
    with container.uow() as uow, pytest.raises(InvalidInput):
        svc.remind_bundle(uow, ctxs["lena"], bundle.id, svc.ReminderChannel.EMAIL)
    with container.uow() as uow:
        patient = uow.session.get(Patient, world.ada)
        assert patient is not None
        patient.email = "ada@example.org"
        uow.commit()
    with container.uow() as uow:
        svc.remind_bundle(uow, ctxs["lena"], bundle.id, svc.ReminderChannel.EMAIL)
    with container.uow() as uow:
        task_result = svc.remind_bundle(uow, ctxs["lena"], bundle.id, svc.ReminderChannel.TASK)
    with container.uow() as uow:
        plan = uow.session.scalar(
            select(ReminderPlanRecord).where(ReminderPlanRecord.item_code == f"bundle-{bundle.id}")
        )
        assert plan is not None and plan.is_email
        task = uow.session.get(TaskRecord, task_result.task_id)
        assert task is not None and task.owner_role == "coordinator"
    with container.uow() as uow, pytest.raises(NotFound):
        svc.remind_bundle(uow, ctxs["outsider"], bundle.id, svc.ReminderChannel.TASK)


def test_worklist_filters(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    today = _today(clock)
    eid = _started_episode(container, world, ctxs, clock)
    with container.uow() as uow:
        svc.open_next_review(uow, ctxs["lena"], world.ada, eid)
    with container.uow() as uow:
        assessments.assign_bundle(
            uow, ctxs["lena"], world.ben, "referral", due_on=today - timedelta(days=3)
        )
    with container.uow() as uow:
        every = svc.worklist(uow, ctxs["lena"])
    assert sorted(w.line.patient_name for w in every.lines) == ["Ada Moreno", "Ben Hughes"]
    with container.uow() as uow:
        reviews = svc.worklist(uow, ctxs["lena"], point=svc.PointKind.REVIEW)
    assert [w.line.patient_name for w in reviews.lines] == ["Ada Moreno"]
    with container.uow() as uow:
        overdue = svc.worklist(uow, ctxs["lena"], show=svc.Show.OVERDUE)
    assert [w.line.patient_name for w in overdue.lines] == ["Ben Hughes"]
    with container.uow() as uow:
        team_b = svc.worklist(uow, ctxs["lena"], team_id=world.team_b)
    assert [w.line.patient_name for w in team_b.lines] == ["Ben Hughes"]
    with container.uow() as uow:
        named = svc.worklist(uow, ctxs["lena"], name="mor")
    assert [w.line.patient_name for w in named.lines] == ["Ada Moreno"]
    with container.uow() as uow:
        started = svc.worklist(uow, ctxs["lena"], progress=svc.Progress.STARTED)
    assert started.lines == []
