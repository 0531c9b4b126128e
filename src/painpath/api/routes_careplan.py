"""JSON API for the shared care plan, the worklist, decision points, case conferences and visits.
Routes parse, call one service and shape the answer; the services authorise and audit."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from painpath.clinical.goals import Horizon
from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import careplan, conference, visits, workflow

router = APIRouter(prefix="/api/v1", tags=["care-plan"])

WRITE = [Depends(patient_guard(Kind.CARE_PLAN, Action.WRITE))]
COMMENT = [Depends(patient_guard(Kind.CARE_PLAN, Action.COMMENT))]
READ = [Depends(patient_guard(Kind.CARE_PLAN, Action.READ))]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]
Text = Annotated[str, StringConstraints(max_length=4000)]
Short = Annotated[str, StringConstraints(max_length=300)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemIn(Strict):
    domain: Literal["pain", "mood", "sleep", "function", "work"]
    text: Short


class PlanCreate(Strict):
    summary: Text = ""
    problems: list[ProblemIn] = Field(default_factory=list, max_length=20)
    priorities: list[Short] = Field(default_factory=list, max_length=10)
    current_step: str | None = None
    reason: Reason


class PlanUpdate(Strict):
    summary: Text | None = None
    problems: list[ProblemIn] | None = Field(default=None, max_length=20)
    priorities: list[Short] | None = Field(default=None, max_length=10)
    current_step: str | None = None
    reason: Reason


class GoalIn(Strict):
    statement: Short
    horizon: Horizon
    plain_text: Text = ""
    specific_activity: Short = ""
    target_text: Annotated[str, StringConstraints(max_length=120)] = ""
    target_item_link_id: str | None = Field(default=None, max_length=64)
    is_agreed_achievable: bool = False
    patient_priority: Short = ""
    start_on: date | None = None
    due_on: date | None = None
    parent_goal_id: int | None = None
    gas_levels: dict[Literal["-2", "-1", "0", "1", "2"], Short] = Field(default_factory=dict)
    weight: int = Field(default=1, ge=1, le=9)
    baseline_level: int = Field(default=-1, ge=-2, le=2)
    reason: Reason

    def to_input(self) -> careplan.GoalInput:
        data = self.model_dump(exclude={"reason", "gas_levels"})
        return careplan.GoalInput(
            **data, gas_levels={int(k): v for k, v in self.gas_levels.items()}
        )


class RatingIn(Strict):
    level: int = Field(ge=-2, le=2)
    state: Literal["active", "achieved", "dropped"] | None = None
    reason: Reason


class MilestoneIn(Strict):
    description: Short
    due_on: date
    target_text: Annotated[str, StringConstraints(max_length=120)] = ""
    reason: Reason


class InterventionIn(Strict):
    discipline: Literal["medicine", "physiotherapy", "psychology", "pharmacy", "coordination"]
    title: Short
    detail: Text = ""
    plain_text: Text = ""
    reason: Reason


class ReasonIn(Strict):
    reason: Reason


class DecisionPointIn(Strict):
    rule_code: str = Field(max_length=64)
    due_on: date
    baseline_on: date | None = None
    owner_role: Role = Role.PHYSICIAN
    note: Text = ""
    reason: Reason


class ObservationIn(Strict):
    instrument_code: str = Field(max_length=64)
    observed_on: date
    value: str = Field(max_length=16)
    source: Short = ""


class AgreeIn(Strict):
    comment: Text = ""


class CommentIn(Strict):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class CompleteIn(Strict):
    note: Text = ""


class ConferenceIn(Strict):
    held_on: date
    title: Short = ""


class ActionIn(Strict):
    title: Short
    owner_role: Role
    due_on: date


class DiscussionIn(Strict):
    discussion: Annotated[str, StringConstraints(min_length=1, max_length=10000)]
    actions: list[ActionIn] = Field(default_factory=list, max_length=10)


class AttendanceIn(Strict):
    user_ids: list[int] = Field(max_length=100)


class VisitIn(Strict):
    starts_at: datetime
    minutes: int = Field(default=30, ge=5, le=240)
    mode: Literal["in-person", "video", "phone"]
    location: Short = ""
    video_link: str = Field(default="", max_length=500)
    purpose: Short = ""


class PreferenceIn(Strict):
    option_code: str = Field(max_length=64)
    comment: Text = ""


class Created(BaseModel):
    id: int


def _plan_dict(view: careplan.CarePlanView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    data: dict[str, Any] = dataclasses.asdict(view)
    data["is_agreed"] = view.is_agreed
    nxt = view.next_decision_point
    data["next_decision_point"] = dataclasses.asdict(nxt) if nxt else None
    if view.gas is not None:
        data["gas"]["display"] = view.gas.display
    return data


# --------------------------------------------------------------------------------- plan


@router.get("/patients/{patient_id}/care-plan")
def read_plan(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any] | None:
    """The team view: goals with SMART check and progress, GAS T-score, decision points,
    stepped-care recommendation (rule, source, data used) and the version history."""
    return _plan_dict(careplan.get_plan(uow, ctx, patient_id))


@router.get("/patients/{patient_id}/care-plan/plain")
def read_plain_plan(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any] | None:
    """The patient's plain-language view (no history, routing or raw scores)."""
    return _plan_dict(careplan.get_plain_plan(uow, ctx, patient_id))


@router.post(
    "/patients/{patient_id}/care-plan",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=Created,
)
def create_plan(patient_id: int, body: PlanCreate, ctx: ContextDep, uow: UowDep) -> Created:
    plan_id = careplan.create_plan(
        uow,
        ctx,
        patient_id,
        summary=body.summary,
        problems=[(p.domain, p.text) for p in body.problems],
        priorities=body.priorities,
        current_step=body.current_step,
        reason=body.reason,
    )
    return Created(id=plan_id)


@router.patch(
    "/patients/{patient_id}/care-plan", status_code=status.HTTP_204_NO_CONTENT, dependencies=WRITE
)
def update_plan(patient_id: int, body: PlanUpdate, ctx: ContextDep, uow: UowDep) -> Response:
    careplan.update_plan(
        uow,
        ctx,
        patient_id,
        reason=body.reason,
        summary=body.summary,
        problems=[(p.domain, p.text) for p in body.problems] if body.problems is not None else None,
        priorities=body.priorities,
        current_step=body.current_step,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/patients/{patient_id}/care-plan/goals",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=Created,
)
def add_goal(patient_id: int, body: GoalIn, ctx: ContextDep, uow: UowDep) -> Created:
    return Created(id=careplan.add_goal(uow, ctx, patient_id, body.to_input(), reason=body.reason))


@router.put(
    "/patients/{patient_id}/care-plan/goals/{goal_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def update_goal(
    patient_id: int, goal_id: int, body: GoalIn, ctx: ContextDep, uow: UowDep
) -> Response:
    careplan.update_goal(uow, ctx, patient_id, goal_id, body.to_input(), reason=body.reason)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/patients/{patient_id}/care-plan/goals/{goal_id}/rating",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def rate_goal(
    patient_id: int, goal_id: int, body: RatingIn, ctx: ContextDep, uow: UowDep
) -> Response:
    careplan.rate_goal(
        uow, ctx, patient_id, goal_id, level=body.level, state=body.state, reason=body.reason
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/patients/{patient_id}/care-plan/goals/{goal_id}/milestones",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=Created,
)
def add_milestone(
    patient_id: int, goal_id: int, body: MilestoneIn, ctx: ContextDep, uow: UowDep
) -> Created:
    milestone_id = careplan.add_milestone(
        uow,
        ctx,
        patient_id,
        goal_id,
        description=body.description,
        due_on=body.due_on,
        target_text=body.target_text,
        reason=body.reason,
    )
    return Created(id=milestone_id)


class MilestoneMetIn(Strict):
    met_on: date
    reason: Reason


@router.post(
    "/patients/{patient_id}/care-plan/milestones/{milestone_id}/met",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def milestone_met(
    patient_id: int, milestone_id: int, body: MilestoneMetIn, ctx: ContextDep, uow: UowDep
) -> Response:
    careplan.mark_milestone_met(
        uow, ctx, patient_id, milestone_id, met_on=body.met_on, reason=body.reason
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/patients/{patient_id}/care-plan/interventions",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=Created,
)
def add_intervention(
    patient_id: int, body: InterventionIn, ctx: ContextDep, uow: UowDep
) -> Created:
    item_id = careplan.add_intervention(
        uow,
        ctx,
        patient_id,
        discipline=body.discipline,
        title=body.title,
        detail=body.detail,
        plain_text=body.plain_text,
        reason=body.reason,
    )
    return Created(id=item_id)


@router.post(
    "/patients/{patient_id}/care-plan/interventions/{intervention_id}/stop",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def stop_intervention(
    patient_id: int, intervention_id: int, body: ReasonIn, ctx: ContextDep, uow: UowDep
) -> Response:
    careplan.stop_intervention(uow, ctx, patient_id, intervention_id, reason=body.reason)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/patients/{patient_id}/care-plan/decision-points",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=Created,
)
def add_decision_point(
    patient_id: int, body: DecisionPointIn, ctx: ContextDep, uow: UowDep
) -> Created:
    point_id = careplan.add_decision_point(
        uow,
        ctx,
        patient_id,
        rule_code=body.rule_code,
        due_on=body.due_on,
        baseline_on=body.baseline_on,
        owner_role=body.owner_role,
        note=body.note,
        reason=body.reason,
    )
    return Created(id=point_id)


@router.post(
    "/patients/{patient_id}/care-plan/observations",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=Created,
)
def add_observation(patient_id: int, body: ObservationIn, ctx: ContextDep, uow: UowDep) -> Created:
    obs_id = careplan.record_observation(
        uow,
        ctx,
        patient_id,
        instrument_code=body.instrument_code,
        observed_on=body.observed_on,
        value=body.value,
        source=body.source,
    )
    return Created(id=obs_id)


@router.post(
    "/patients/{patient_id}/care-plan/agree",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=COMMENT,
)
def agree(patient_id: int, body: AgreeIn, ctx: ContextDep, uow: UowDep) -> Response:
    careplan.agree_plan(uow, ctx, patient_id, comment=body.comment)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/patients/{patient_id}/care-plan/comments",
    status_code=status.HTTP_201_CREATED,
    dependencies=COMMENT,
    response_model=Created,
)
def comment(patient_id: int, body: CommentIn, ctx: ContextDep, uow: UowDep) -> Created:
    return Created(id=careplan.comment_on_plan(uow, ctx, patient_id, body=body.body))


@router.post("/decision-points/evaluate", tags=["care-plan"])
def evaluate_decision_points(ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    """Evaluate every decision point due today in the caller's teams (the scheduled job does the
    same for the whole clinic); each creates a review task carrying the data to decide."""
    results = careplan.evaluate_due_decision_points(uow, ctx, ctx.now().date())
    return [dataclasses.asdict(r) for r in results]


# --------------------------------------------------------------------------------- tasks


@router.get("/tasks", tags=["tasks"])
def list_tasks(
    ctx: ContextDep,
    uow: UowDep,
    mine: bool = True,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[dict[str, Any]]:
    """Open tasks in the caller's teams; safety tasks first, then by due date."""
    owner = ctx.actor.role.value if mine else None
    tasks = workflow.list_tasks(uow, ctx, owner_role=owner, limit=limit)
    return [dataclasses.asdict(t) for t in tasks if t.is_overdue or not overdue]


@router.post("/tasks/{task_id}/complete", status_code=status.HTTP_204_NO_CONTENT, tags=["tasks"])
def complete_task(task_id: int, body: CompleteIn, ctx: ContextDep, uow: UowDep) -> Response:
    workflow.complete_task(uow, ctx, task_id, note=body.note)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------------------------- conferences


@router.get("/conferences", tags=["conferences"])
def list_conferences(ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    return [dataclasses.asdict(c) for c in conference.list_conferences(uow, ctx)]


@router.get("/conferences/agenda", tags=["conferences"])
def preview_agenda(
    ctx: ContextDep, uow: UowDep, held_on: date | None = None
) -> list[dict[str, Any]]:
    """Patients that would be on the agenda, with why."""
    day = held_on or ctx.now().date()
    return [dataclasses.asdict(e) for e in conference.build_agenda(uow, ctx, day)]


@router.post(
    "/conferences",
    status_code=status.HTTP_201_CREATED,
    tags=["conferences"],
    response_model=Created,
)
def create_conference(body: ConferenceIn, ctx: ContextDep, uow: UowDep) -> Created:
    return Created(
        id=conference.create_conference(uow, ctx, held_on=body.held_on, title=body.title)
    )


@router.get("/conferences/{conference_id}", tags=["conferences"])
def read_conference(conference_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(conference.get_conference(uow, ctx, conference_id))
    return data


@router.put(
    "/conferences/{conference_id}/attendance",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["conferences"],
)
def attendance(conference_id: int, body: AttendanceIn, ctx: ContextDep, uow: UowDep) -> Response:
    conference.record_attendance(uow, ctx, conference_id, body.user_ids)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/conferences/{conference_id}/items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["conferences"],
)
def discuss(
    conference_id: int, item_id: int, body: DiscussionIn, ctx: ContextDep, uow: UowDep
) -> Response:
    conference.record_discussion(
        uow,
        ctx,
        conference_id,
        item_id,
        discussion=body.discussion,
        actions=[conference.ActionInput(a.title, a.owner_role, a.due_on) for a in body.actions],
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/conferences/{conference_id}/close",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["conferences"],
)
def close_conference(conference_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    conference.close_conference(uow, ctx, conference_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------------------------- visits


@router.get("/patients/{patient_id}/visits", tags=["visits"])
def list_visits(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(visits.list_visits(uow, ctx, patient_id))
    return data


@router.post(
    "/patients/{patient_id}/visits",
    status_code=status.HTTP_201_CREATED,
    dependencies=READ,
    tags=["visits"],
    response_model=Created,
)
def book_visit(patient_id: int, body: VisitIn, ctx: ContextDep, uow: UowDep) -> Created:
    visit_id = visits.book_visit(
        uow,
        ctx,
        patient_id,
        starts_at=body.starts_at,
        minutes=body.minutes,
        mode=body.mode,
        location=body.location,
        video_link=body.video_link,
        purpose=body.purpose,
    )
    return Created(id=visit_id)


@router.get(
    "/patients/{patient_id}/visits.ics",
    tags=["visits"],
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def visits_calendar(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    return Response(
        visits.calendar(uow, ctx, patient_id), media_type="text/calendar; charset=utf-8"
    )


@router.get("/patients/{patient_id}/care-plan/options", tags=["care-plan"])
def options(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(visits.options_view(uow, ctx, patient_id))
    return data


@router.post(
    "/patients/{patient_id}/care-plan/options",
    status_code=status.HTTP_201_CREATED,
    dependencies=COMMENT,
    tags=["care-plan"],
    response_model=Created,
)
def state_preference(patient_id: int, body: PreferenceIn, ctx: ContextDep, uow: UowDep) -> Created:
    pref_id = visits.state_preference(
        uow, ctx, patient_id, option_code=body.option_code, comment=body.comment
    )
    return Created(id=pref_id)
