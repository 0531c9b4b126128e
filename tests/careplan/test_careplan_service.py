"""Care plan use cases on the real database: versioned changes with reasons, GAS T-score,
decision points that fire on their due date, stepped-care routing and access rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.clinical.goals import Horizon
from painpath.records.enums import AuditOutcome, Role
from painpath.records.models import AuditEvent
from painpath.services import careplan, workflow
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, context_for


def _plan(container: Container, world: World) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.create_plan(
            uow,
            ctx,
            world.ada,
            summary="Neuropathic pain after brachial plexus injury",
            problems=[("pain", "Burning pain right arm"), ("work", "Off work")],
            priorities=["lift my daughter", "back to work part-time"],
            reason="Drafted after intake",
        )


def _goal(statement: str, weight: int = 1, **kwargs: object) -> careplan.GoalInput:
    return careplan.GoalInput(statement=statement, horizon=Horizon.SHORT, weight=weight, **kwargs)  # type: ignore[arg-type]


def test_careplan_every_change_is_versioned_with_author_and_reason(
    container: Container, world: World
) -> None:
    _plan(container, world)
    drbo, tom = context_for(container, world, "drbo"), context_for(container, world, "tom")
    with container.uow() as uow:
        careplan.add_goal(uow, tom, world.ada, _goal("Lift 5 kg"), reason="Agreed at physio")
    with container.uow() as uow, pytest.raises(InvalidInput):
        careplan.add_goal(uow, drbo, world.ada, _goal("No reason"), reason=" ")
    with container.uow() as uow:
        careplan.update_plan(uow, drbo, world.ada, summary="Updated summary", reason="After review")
    with container.uow() as uow:
        view = careplan.get_plan(uow, drbo, world.ada)
    assert view is not None
    assert view.version == 3
    assert [(c.version, c.author_role, c.reason) for c in view.history] == [
        (3, "physician", "After review"),
        (2, "physiotherapist", "Agreed at physio"),
        (1, "physician", "Drafted after intake"),
    ]
    assert view.history[0].before == {"summary": "Neuropathic pain after brachial plexus injury"}
    assert [g.statement for g in view.goals] == ["Lift 5 kg"]
    assert view.priorities == ("lift my daughter", "back to work part-time")
    with container.uow() as uow, pytest.raises(Conflict):
        careplan.create_plan(uow, drbo, world.ada, reason="second plan")


def test_careplan_gas_t_score_matches_the_worked_example(
    container: Container, world: World
) -> None:
    # Levels (+1, 0, -1), weights (1, 2, 3): sum(wx) = 1 + 0 - 3 = -2; sum(w^2) = 14; (sum w)^2 = 36
    # T = 50 + 10 * -2 / sqrt(0.7 * 14 + 0.3 * 36) = 50 - 20 / sqrt(20.6) = 45.5934...
    _plan(container, world)
    ctx = context_for(container, world, "drbo")
    for statement, weight, level in (("A", 1, 1), ("B", 2, 0), ("C", 3, -1)):
        with container.uow() as uow:
            goal_id = careplan.add_goal(uow, ctx, world.ada, _goal(statement, weight), reason="set")
        with container.uow() as uow:
            careplan.rate_goal(uow, ctx, world.ada, goal_id, level=level, reason="review")
    with container.uow() as uow:
        view = careplan.get_plan(uow, ctx, world.ada)
    assert view is not None and view.gas is not None
    assert view.gas.t_score is not None
    assert view.gas.t_score.quantize(Decimal("0.01")) == Decimal("45.59")
    assert view.gas.display == "45.6"
    # Baseline: every goal at -1 -> sum(wx) = -6 -> 50 - 60 / sqrt(20.6) = 36.78
    assert view.gas.baseline_t_score.quantize(Decimal("0.01")) == Decimal("36.78")


def test_careplan_gas_t_score_is_not_guessed_when_a_goal_is_unrated(
    container: Container, world: World
) -> None:
    _plan(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.add_goal(uow, ctx, world.ada, _goal("A"), reason="set")
    with container.uow() as uow:
        view = careplan.get_plan(uow, ctx, world.ada)
    assert view is not None and view.gas is not None
    assert view.gas.t_score is None and len(view.gas.unrated) == 1


def _system() -> RequestContext:
    return RequestContext(SYSTEM_ACTOR, "job", lambda: FrozenClock().now)


def test_careplan_decision_point_fires_exactly_on_its_due_date_with_the_data(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _plan(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.record_observation(
            uow, ctx, world.ada, instrument_code="peg", observed_on=date(2026, 3, 1), value="7"
        )
    with container.uow() as uow:
        point_id = careplan.add_decision_point(
            uow,
            ctx,
            world.ada,
            rule_code="peg-mcid-week-8",
            due_on=date(2026, 4, 27),
            baseline_on=date(2026, 3, 1),
            reason="Week 8 pregabalin review",
        )
    clock.advance(days=50)  # 2026-04-21
    with container.uow() as uow:
        careplan.record_observation(
            uow, ctx, world.ada, instrument_code="peg", observed_on=date(2026, 4, 20), value="6.5"
        )
    with container.uow() as uow:
        assert careplan.evaluate_due_decision_points(uow, _system(), date(2026, 4, 26)) == []
    with container.uow() as uow:
        results = careplan.evaluate_due_decision_points(uow, _system(), date(2026, 4, 27))
    assert [(r.decision_point_id, r.status) for r in results] == [(point_id, "fired")]
    with container.uow() as uow:  # evaluated once only
        assert careplan.evaluate_due_decision_points(uow, _system(), date(2026, 4, 28)) == []
    with container.uow() as uow:
        tasks = workflow.list_tasks(uow, ctx)
        alerts = workflow.list_alerts(uow, ctx, world.ada)
    assert len(tasks) == 1
    assert tasks[0].title == "Decision point: PEG not improved by its MCID at week 8: review needed"
    assert tasks[0].owner_role == "physician"
    # PEG 7 -> 6.5 improved by 0.5 < MCID 1 (Reed 2023): fires; the task shows the data used.
    assert "peg 7 on 2026-03-01" in tasks[0].detail and "peg 6.5 on 2026-04-20" in tasks[0].detail
    assert alerts[0].evidence["rule_code"] == "peg-mcid-week-8"
    assert [d["value"] for d in alerts[0].evidence["data_used"]] == ["7", "6.5"]


def test_careplan_decision_point_without_data_asks_for_it(
    container: Container, world: World
) -> None:
    _plan(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.add_decision_point(
            uow,
            ctx,
            world.ada,
            rule_code="peg-mcid-week-8",
            due_on=date(2026, 3, 2),
            reason="week 0 check",
        )
    with container.uow() as uow:
        (result,) = careplan.evaluate_due_decision_points(uow, ctx, date(2026, 3, 2))
    assert result.status == "insufficient-data"
    with container.uow() as uow:
        (task,) = workflow.list_tasks(uow, ctx)
    assert "scores missing" in task.title


def test_careplan_stepped_care_shows_the_rule_that_fired(
    container: Container, world: World
) -> None:
    _plan(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.record_observation(
            uow, ctx, world.ada, instrument_code="phq-9", observed_on=date(2026, 3, 1), value="12"
        )
    with container.uow() as uow:
        view = careplan.get_plan(uow, ctx, world.ada)
    assert view is not None and view.routing is not None
    # PHQ-9 12 >= 10 -> mental-health-moderate -> primary-care-rehab (clinical-reference 6.2).
    assert view.routing.recommended_step == "primary-care-rehab"
    assert view.routing.rule_code == "mental-health-moderate"
    assert ("phq-9.total", Decimal("12")) in view.routing.facts_used
    assert "Kroenke" in view.routing.source


def test_careplan_patient_reads_plain_view_agrees_and_comments(
    container: Container, world: World
) -> None:
    _plan(container, world)
    drbo, ada = context_for(container, world, "drbo"), context_for(container, world, "ada")
    with container.uow() as uow:
        careplan.add_goal(
            uow,
            drbo,
            world.ada,
            _goal("Lift daughter (12 kg) for 1 minute", due_on=date(2026, 6, 1)),
            reason="Ada's priority",
        )
    with container.uow() as uow, pytest.raises(PermissionDenied):
        careplan.get_plan(uow, ada, world.ada)
    with container.uow() as uow, pytest.raises(PermissionDenied):
        careplan.add_goal(uow, ada, world.ada, _goal("x"), reason="mine")
    with container.uow() as uow:
        careplan.agree_plan(uow, ada, world.ada, comment="Looks right to me")
    with container.uow() as uow:
        careplan.comment_on_plan(uow, ada, world.ada, body="Can physio be on Tuesdays?")
    with container.uow() as uow:
        plain = careplan.get_plain_plan(uow, ada, world.ada)
    assert plain is not None
    assert plain.goals[0].plain_text == "Lift daughter (12 kg) for 1 minute by 1 June 2026."
    assert plain.is_agreed and plain.history == () and plain.routing is None
    assert [c.body for c in plain.comments] == ["Can physio be on Tuesdays?", "Looks right to me"]
    with container.uow() as uow:  # the comment reaches the team as a coordinator task
        (task,) = workflow.list_tasks(uow, context_for(container, world, "lena"))
    assert (task.title, task.detail) == (
        "The patient commented on the care plan",
        "Can physio be on Tuesdays?",
    )


def test_careplan_outsider_is_refused_and_audited(container: Container, world: World) -> None:
    _plan(container, world)
    outsider = context_for(container, world, "outsider")
    with container.uow() as uow, pytest.raises(NotFound):
        careplan.get_plan(uow, outsider, world.ada)
    with container.uow() as uow:
        denied = uow.session.scalars(
            select(AuditEvent).where(
                AuditEvent.actor_id == world.users["outsider"],
                AuditEvent.outcome == AuditOutcome.DENIED,
            )
        ).all()
    assert [e.action for e in denied] == ["care-plan.read"]


def test_careplan_coordinator_reads_but_does_not_change(container: Container, world: World) -> None:
    _plan(container, world)
    lena = context_for(container, world, "lena")
    with container.uow() as uow:
        assert careplan.get_plan(uow, lena, world.ada) is not None
    with container.uow() as uow, pytest.raises(PermissionDenied):
        careplan.update_plan(uow, lena, world.ada, summary="x", reason="because")
    with container.uow() as uow, pytest.raises(PermissionDenied):
        careplan.evaluate_due_decision_points(uow, lena, date(2026, 3, 2))


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param("peg down a lot", "not of the form", id="unparseable-target"),
        pytest.param("xyz >= 3", "unknown instrument", id="unknown-instrument"),
    ],
)
def test_careplan_goal_target_is_parsed_and_checked(
    container: Container, world: World, target: str, message: str
) -> None:
    _plan(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow, pytest.raises(InvalidInput, match=message):
        careplan.add_goal(uow, ctx, world.ada, _goal("g", target_text=target), reason="set")


def test_careplan_goal_target_progress_from_observations(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _plan(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.add_goal(
            uow,
            ctx,
            world.ada,
            _goal("Less pain", target_text="peg -30% from baseline"),
            reason="set goal",
        )
    for day, value in ((date(2026, 2, 1), "8"), (date(2026, 3, 1), "5.5")):
        with container.uow() as uow:
            careplan.record_observation(
                uow, ctx, world.ada, instrument_code="peg", observed_on=day, value=value
            )
    with container.uow() as uow:
        view = careplan.get_plan(uow, ctx, world.ada)
    assert view is not None
    goal = view.goals[0]
    # 8 -> 5.5 is -31.25 % <= -30 %: met.
    assert (goal.baseline_value, goal.latest_value, goal.is_target_met) == (
        Decimal("8"),
        Decimal("5.5"),
        True,
    )
    assert Role.PHYSICIAN in careplan.ROLE_DISCIPLINE


def test_careplan_milestone_marked_met_by_hand(container: Container, world: World) -> None:
    _plan(container, world)
    ctx = context_for(container, world, "tom")
    with container.uow() as uow:
        goal_id = careplan.add_goal(uow, ctx, world.ada, _goal("Walk"), reason="set goal")
    with container.uow() as uow:
        ms = careplan.add_milestone(
            uow,
            ctx,
            world.ada,
            goal_id,
            description="Walk to the gate",
            due_on=date(2026, 2, 20),
            reason="first step",
        )
    with container.uow() as uow, pytest.raises(InvalidInput):
        careplan.mark_milestone_met(
            uow, ctx, world.ada, ms, met_on=date(2026, 3, 3), reason="in the future"
        )
    with container.uow() as uow:
        careplan.mark_milestone_met(
            uow, ctx, world.ada, ms, met_on=date(2026, 2, 19), reason="seen at physio"
        )
    with container.uow() as uow:
        view = careplan.get_plan(uow, ctx, world.ada)
    assert view is not None
    (milestone,) = view.goals[0].milestones
    assert (milestone.status, milestone.met_on) == ("met", date(2026, 2, 19))
    assert view.history[0].what == "Milestone met: Walk to the gate"
