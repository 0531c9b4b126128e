"""Graded exposure use cases on the real database: hierarchy, TSK-11/PCS link, trials, the core's
decision from constructed trial histories, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.clinical.rehab.exposure import ExposureAction
from painpath.records.models import AuditEvent
from painpath.records.models_assessment import Assessment
from painpath.services import exposure
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import World, context_for

ADA_ACTIVITIES = (
    exposure.ActivityInput("Lifting my daughter", 80),
    exposure.ActivityInput("Carrying boxes", 50),
    exposure.ActivityInput("Riding pillion", 95),
    exposure.ActivityInput("Walking in a crowd", 5),
)


def _build(container: Container, world: World, who: str = "priya") -> exposure.ExposureView:
    with container.uow() as uow:
        return exposure.save_hierarchy(
            uow,
            context_for(container, world, who),
            world.ada,
            exposure.HierarchyInput(ADA_ACTIVITIES, tsk11=30, pcs=34),
        )


def _trial(
    container: Container,
    world: World,
    activity: str,
    predicted: int,
    actual: int,
    days_ago: int,
    who: str = "ada",
) -> exposure.ExposureView:
    ctx = context_for(container, world, who)
    with container.uow() as uow:
        return exposure.record_trial(
            uow,
            ctx,
            world.ada,
            exposure.TrialInput(
                activity, ctx.now().date() - timedelta(days=days_ago), predicted, actual, 5, 4
            ),
        )


def test_hierarchy_orders_feared_activities_and_starts_at_the_lowest(
    container: Container, team: World
) -> None:
    view = _build(container, team)
    # Ascending fear: boxes 50 < daughter 80 < pillion 95; crowd 5 <= 10 (not feared) is left out.
    assert [a.activity_id for a in view.ladder] == [
        "carrying-boxes",
        "lifting-my-daughter",
        "riding-pillion",
    ]
    assert [a.activity_id for a in view.not_feared] == ["walking-in-a-crowd"]
    assert view.current is not None and view.current.activity_id == "carrying-boxes"
    assert view.decision is not None and view.decision.action is ExposureAction.REPEAT
    # Entered TSK-11 30 / PCS 34: PCS 34 >= 30 indicates exposure.
    assert (view.scores.tsk11, view.scores.pcs) == (30, 34)
    assert view.scores.source == "entered by the clinician"
    assert view.scores.profile is not None and view.scores.profile.is_exposure_indicated


def test_latest_completed_questionnaires_win_over_entered_totals(
    container: Container, team: World
) -> None:
    now = container.clock()
    with container.uow() as uow:
        for code, total, hours in (("tsk-11", "35", 48), ("tsk-11", "28", 2), ("pcs", "22", 2)):
            uow.session.add(
                Assessment(
                    patient_id=team.ada,
                    instrument_code=code,
                    instrument_version="1",
                    respondent="patient",
                    state="completed",
                    created_at=now - timedelta(hours=hours),
                    completed_at=now - timedelta(hours=hours),
                    total=total,
                )
            )
        uow.commit()
    view = _build(container, team)
    # The newer TSK-11 (28, 2 h ago) replaces the older (35); PCS 22 < 30 -> not indicated.
    assert (view.scores.tsk11, view.scores.pcs) == (28, 22)
    assert view.scores.source == "latest completed questionnaires"
    assert view.scores.profile is not None and not view.scores.profile.is_exposure_indicated


# Current rung "carrying-boxes" rated 50: move up needs 2 trials with actual <= predicted fear and
# the latest predicted fear <= 30 (absolute) or <= 0.5 x 50 = 25 (relative).
@pytest.mark.parametrize(
    ("history", "action", "next_id"),
    [
        pytest.param([], ExposureAction.REPEAT, "carrying-boxes", id="no-trials-repeat"),
        pytest.param([(60, 40)], ExposureAction.REPEAT, "carrying-boxes", id="one-trial-repeat"),
        pytest.param(
            [(50, 40), (40, 55)], ExposureAction.REPEAT, "carrying-boxes", id="fear-confirmed"
        ),
        pytest.param(
            [(60, 40), (45, 30)], ExposureAction.REPEAT, "carrying-boxes", id="predicted-45-high"
        ),
        pytest.param(
            [(50, 30), (30, 20)],
            ExposureAction.MOVE_UP,
            "lifting-my-daughter",
            id="predicted-30-move-up",
        ),
        pytest.param(
            [(70, 90), (50, 30), (30, 20)],
            ExposureAction.MOVE_UP,
            "lifting-my-daughter",
            id="only-last-two-count",
        ),
    ],
)
def test_exposure_decision_from_trial_history(
    container: Container,
    team: World,
    history: list[tuple[int, int]],
    action: ExposureAction,
    next_id: str,
) -> None:
    view = _build(container, team)
    for n, (predicted, actual) in enumerate(history):
        view = _trial(container, team, "carrying-boxes", predicted, actual, len(history) - n)
    assert view.decision is not None
    assert view.decision.action is action
    assert view.decision.next_activity_id == next_id


def test_moving_up_to_the_top_completes(container: Container, team: World) -> None:
    _build(container, team)
    # boxes 50: latest predicted 30 <= 30; daughter 80: 40 <= 0.5 x 80; pillion 95: 40 <= 47.5.
    for activity, days in (("carrying-boxes", 9), ("lifting-my-daughter", 6)):
        _trial(container, team, activity, 50, 30, days)
        _trial(container, team, activity, 40 if activity != "carrying-boxes" else 30, 20, days - 1)
        with container.uow() as uow:
            exposure.apply_decision(
                uow, context_for(container, team, "tom"), team.ada, reason="fear fell"
            )
    _trial(container, team, "riding-pillion", 45, 20, 2)
    view = _trial(container, team, "riding-pillion", 40, 10, 1)
    assert view.current is not None and view.current.activity_id == "riding-pillion"
    assert view.decision is not None and view.decision.action is ExposureAction.COMPLETE
    with container.uow() as uow:
        events = uow.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "exposure.step.moved")
        ).all()
    assert len(events) == 2 and "carrying-boxes -> lifting-my-daughter" in events[0]


def test_move_up_is_refused_while_the_rule_says_repeat(container: Container, team: World) -> None:
    _build(container, team)
    with container.uow() as uow, pytest.raises(InvalidInput):
        exposure.apply_decision(uow, context_for(container, team, "priya"), team.ada)


@pytest.mark.parametrize(
    ("who", "error"),
    [
        pytest.param("sam", PermissionDenied, id="pharmacist-may-not-plan-exposure"),
        pytest.param("ada", PermissionDenied, id="patient-may-not-build-hierarchy"),
        pytest.param("lena", PermissionDenied, id="coordinator-reads-only"),
        pytest.param("outsider", NotFound, id="outsider-not-found"),
    ],
)
def test_who_may_build_the_hierarchy(
    container: Container, team: World, who: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        _build(container, team, who)


@pytest.mark.parametrize(
    ("who", "error"),
    [
        pytest.param("ben", NotFound, id="other-patient-not-found"),
        pytest.param("lena", PermissionDenied, id="coordinator-may-not-record"),
        pytest.param("drbo", PermissionDenied, id="physician-may-not-record"),
    ],
)
def test_who_may_record_trials(
    container: Container, team: World, who: str, error: type[Exception]
) -> None:
    _build(container, team)
    with pytest.raises(error):
        _trial(container, team, "carrying-boxes", 60, 40, 1, who=who)


def test_patient_records_her_own_trial_and_everyone_on_the_team_reads(
    container: Container, team: World
) -> None:
    _build(container, team, "tom")
    view = _trial(container, team, "carrying-boxes", 70, 40, 0)
    assert view.trials[0].fear_disconfirmation == 30  # 70 predicted - 40 actual
    assert view.trials[0].recorded_by == "Ada"
    for who in ("drbo", "lena", "sam", "ada"):
        with container.uow() as uow:
            seen = exposure.get_exposure(uow, context_for(container, team, who), team.ada)
        assert seen is not None and len(seen.trials) == 1


@pytest.mark.parametrize(
    ("activity", "predicted", "actual"),
    [
        pytest.param("walking-in-a-crowd", 20, 10, id="not-on-ladder"),
        pytest.param("carrying-boxes", 101, 10, id="fear-above-100"),
        pytest.param("carrying-boxes", 50, -1, id="fear-below-0"),
    ],
)
def test_invalid_trials_are_refused(
    container: Container, team: World, activity: str, predicted: int, actual: int
) -> None:
    _build(container, team)
    with pytest.raises(InvalidInput):
        _trial(container, team, activity, predicted, actual, 0)
