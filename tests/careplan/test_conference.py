"""Case conference: the agenda builds itself (open alerts, missed milestones, due decision points),
attendance and discussion are recorded, actions become tasks and each patient gets a note."""

from __future__ import annotations

from datetime import date

import pytest

from painpath.bootstrap import Container
from painpath.clinical.goals import Horizon
from painpath.records.enums import Role
from painpath.services import careplan, conference, notes, workflow
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import World, context_for


def _plan_with_missed_milestone(container: Container, world: World) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.create_plan(uow, ctx, world.ada, reason="intake")
    with container.uow() as uow:
        goal = careplan.add_goal(
            uow,
            ctx,
            world.ada,
            careplan.GoalInput(statement="Lift 5 kg", horizon=Horizon.SHORT),
            reason="set goal",
        )
    with container.uow() as uow:
        careplan.add_milestone(
            uow,
            ctx,
            world.ada,
            goal,
            description="PEG at most 6",
            due_on=date(2026, 2, 20),
            target_text="peg <= 6",
            reason="first step",
        )
    with container.uow() as uow:
        careplan.record_observation(
            uow, ctx, world.ada, instrument_code="peg", observed_on=date(2026, 2, 25), value="7"
        )


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        pytest.param("none", [], id="nothing-to-discuss"),
        pytest.param(
            "milestone",
            ["missed milestone (2026-02-20): PEG at most 6"],
            id="missed-milestone-peg-7-above-6",
        ),
        pytest.param(
            "decision-in-7-days",
            ["decision point due 2026-03-09: PEG not improved by its MCID at week 8"],
            id="decision-point-due-within-a-week",
        ),
        pytest.param("decision-in-8-days", [], id="decision-point-beyond-the-week"),
        pytest.param("alert", ["open alert (high): Flare"], id="open-alert"),
        pytest.param("info-alert", [], id="good-news-alert-not-listed"),
    ],
)
def test_conference_agenda_lists_patients_with_reasons(
    container: Container, world: World, setup: str, expected: list[str]
) -> None:
    ctx = context_for(container, world, "drbo")
    if setup == "milestone":
        _plan_with_missed_milestone(container, world)
    elif setup.startswith("decision"):
        days = 7 if setup == "decision-in-7-days" else 8
        with container.uow() as uow:
            careplan.create_plan(uow, ctx, world.ada, reason="intake")
        with container.uow() as uow:
            careplan.add_decision_point(
                uow,
                ctx,
                world.ada,
                rule_code="peg-mcid-week-8",
                due_on=date(2026, 3, 2 + days),
                reason="week 8",
            )
    elif setup.endswith("alert"):
        severity = "info" if setup == "info-alert" else "high"
        with container.uow() as uow:
            workflow.raise_alerts(
                uow,
                ctx,
                world.ada,
                [workflow.NewAlert("flare", severity, "k", "physician", "Flare", "r", "s", {})],
            )
            uow.commit()
    with container.uow() as uow:
        agenda = conference.build_agenda(uow, ctx, date(2026, 3, 2))
    assert [list(e.reasons) for e in agenda] == ([expected] if expected else [])


def test_conference_agenda_only_from_the_users_teams(container: Container, world: World) -> None:
    _plan_with_missed_milestone(container, world)
    outsider = context_for(container, world, "outsider")  # Team B: Ben only
    with container.uow() as uow:
        assert conference.build_agenda(uow, outsider, date(2026, 3, 2)) == []


def test_conference_discussion_creates_tasks_and_a_note(container: Container, world: World) -> None:
    _plan_with_missed_milestone(container, world)
    lena = context_for(container, world, "lena")
    with container.uow() as uow:
        conference_id = conference.create_conference(uow, lena, held_on=date(2026, 3, 2))
    with container.uow() as uow:
        view = conference.get_conference(uow, lena, conference_id)
    assert [i.patient_name for i in view.items] == ["Ada Moreno"]
    assert {a.full_name for a in view.attendees} == {"Drbo", "Tom", "Lena", "Outsider"}
    with container.uow() as uow:
        conference.record_attendance(
            uow, lena, conference_id, [world.users["drbo"], world.users["lena"]]
        )
    with container.uow() as uow, pytest.raises(InvalidInput):
        conference.record_attendance(uow, lena, conference_id, [world.users["admin"] + 999])
    item_id = view.items[0].id
    with container.uow() as uow:
        conference.record_discussion(
            uow,
            lena,
            conference_id,
            item_id,
            discussion="Milestone missed; physio to review pacing.",
            actions=[
                conference.ActionInput(
                    "Review pacing quota", Role.PHYSIOTHERAPIST, date(2026, 3, 6)
                )
            ],
        )
    with container.uow() as uow, pytest.raises(InvalidInput):
        conference.record_discussion(
            uow, lena, conference_id, item_id, discussion="again", actions=[]
        )
    tom = context_for(container, world, "tom")
    with container.uow() as uow:
        tasks = workflow.list_tasks(uow, tom, owner_role="physiotherapist")
    assert [(t.title, t.due_on) for t in tasks] == [("Review pacing quota", date(2026, 3, 6))]
    with container.uow() as uow:
        written = notes.list_notes(uow, tom, world.ada)
    assert written[0].title == "Case conference 2026-03-02"
    assert "Review pacing quota (physiotherapist, due 2026-03-06)" in written[0].body
    assert "missed milestone" in written[0].body
    with container.uow() as uow:
        view = conference.get_conference(uow, lena, conference_id)
    assert view.items[0].actions[0]["task_id"] == tasks[0].id
    assert {a.full_name for a in view.attendees if a.attended} == {"Drbo", "Lena"}


def test_conference_outside_the_team_is_not_found(container: Container, world: World) -> None:
    _plan_with_missed_milestone(container, world)
    drbo = context_for(container, world, "drbo")
    with container.uow() as uow:
        conference_id = conference.create_conference(uow, drbo, held_on=date(2026, 3, 2))
    outsider = context_for(container, world, "outsider")
    with container.uow() as uow, pytest.raises(NotFound):
        conference.get_conference(uow, outsider, conference_id)
    with container.uow() as uow, pytest.raises(PermissionDenied):
        conference.list_conferences(uow, context_for(container, world, "ada"))
