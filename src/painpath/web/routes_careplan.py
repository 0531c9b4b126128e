"""Care plan pages (team view and the patient's plain view), the staff worklist (/tasks) and case
conferences (/conferences). Thin: parse the form, call one service, render or redirect."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painpath.clinical.errors import DomainError
from painpath.clinical.goals import Horizon
from painpath.clinical.stepped_care import PATHWAY
from painpath.http.deps import ActiveSessionDep, ContainerDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import careplan, careplan_pdf, conference, visits, workflow
from painpath.services.access import role_may
from painpath.services.auth import ActiveSession
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound
from painpath.services.uow import UnitOfWork
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import form_fields, render

router = APIRouter(include_in_schema=False)

register_section(
    PatientSection(
        "care-plan",
        "Care plan and goals",
        20,
        "No care plan yet.",
        link="/patients/{patient_id}/care-plan",
        link_text="Open the care plan",
        summary=careplan.summary_lines,
    )
)

WritePlan = Depends(patient_guard(Kind.CARE_PLAN, Action.WRITE))
CommentPlan = Depends(patient_guard(Kind.CARE_PLAN, Action.COMMENT))
ReadPlan = Depends(patient_guard(Kind.CARE_PLAN, Action.READ))
STAFF_ROLES = (
    Role.PHYSICIAN,
    Role.PHYSIOTHERAPIST,
    Role.PSYCHOLOGIST,
    Role.PHARMACIST,
    Role.COORDINATOR,
)
GAS_LABELS = {
    2: "+2 much more than expected",
    1: "+1 somewhat more",
    0: "0 expected outcome",
    -1: "-1 somewhat less",
    -2: "-2 much less than expected",
}


def _date(value: str, label: str, *, required: bool = True) -> date | None:
    if not value.strip():
        if required:
            raise InvalidInput(f"{label} is required")
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a date like 2026-04-27") from exc


def _int(value: str, label: str) -> int:
    try:
        return int(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a whole number") from exc


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _problems(value: str) -> list[tuple[str, str]]:
    """One problem a line, 'domain: text' (domain defaults to pain)."""
    problems = []
    for line in _lines(value):
        domain, sep, text = line.partition(":")
        if sep and domain.strip().lower() in careplan.PROBLEM_DOMAINS:
            problems.append((domain.strip().lower(), text.strip()))
        else:
            problems.append(("pain", line))
    return problems


def _goal_input(form: dict[str, str]) -> careplan.GoalInput:
    try:
        horizon = Horizon(form.get("horizon", "short"))
    except ValueError as exc:
        raise InvalidInput("choose a short- or long-term horizon") from exc
    parent = form.get("parent_goal_id", "").strip()
    return careplan.GoalInput(
        statement=form.get("statement", ""),
        horizon=horizon,
        plain_text=form.get("plain_text", ""),
        specific_activity=form.get("specific_activity", ""),
        target_text=form.get("target_text", ""),
        target_item_link_id=form.get("target_item_link_id", "").strip() or None,
        is_agreed_achievable=form.get("is_agreed_achievable") == "1",
        patient_priority=form.get("patient_priority", ""),
        start_on=_date(form.get("start_on", ""), "start date", required=False),
        due_on=_date(form.get("due_on", ""), "due date", required=False),
        parent_goal_id=_int(parent, "parent goal") if parent else None,
        gas_levels={lvl: form.get(f"gas_{lvl}", "") for lvl in (-2, -1, 0, 1, 2)},
        weight=_int(form.get("weight", "1") or "1", "weight"),
        baseline_level=_int(form.get("baseline_level", "-1") or "-1", "baseline level"),
    )


def _plan_page(
    request: Request,
    uow: UnitOfWork,
    ctx: RequestContext,
    active: ActiveSession,
    patient_id: int,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    zone: str = "UTC",
) -> HTMLResponse:
    role = active.actor.role
    if role is Role.PATIENT:
        plan = careplan.get_plain_plan(uow, ctx, patient_id)
        return render(
            request,
            "careplan/plain.html",
            status_code=422 if error else 200,
            active=active,
            plan=plan,
            patient_id=patient_id,
            error=error,
            plain_target=careplan.plain_target,
            plain_discipline=careplan.PLAIN_DISCIPLINE,
            zone=zone,
            is_patient=True,
            today=ctx.now().date(),
        )
    view = careplan.get_plan(uow, ctx, patient_id)
    return render(
        request,
        "careplan/plan.html",
        status_code=422 if error else 200,
        active=active,
        plan=view,
        patient_id=patient_id,
        error=error,
        form=form or {},
        can_write=role_may(role, Kind.CARE_PLAN, Action.WRITE),
        rules=careplan.DECISION_RULES,
        pathway=PATHWAY,
        disciplines=careplan.DISCIPLINES,
        domains=careplan.PROBLEM_DOMAINS,
        owner_roles=STAFF_ROLES,
        gas_labels=GAS_LABELS,
        today=ctx.now().date(),
        zone=zone,
        default_discipline=careplan.ROLE_DISCIPLINE.get(role, "medicine"),
    )


@router.get("/patients/{patient_id}/care-plan")
def plan_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    return _plan_page(
        request, uow, ctx, active, patient_id, zone=container.settings.clinic_timezone
    )


@router.get("/patients/{patient_id}/care-plan/plain")
def plain_preview(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    """What the patient sees, for the team to check the wording."""
    plan = careplan.get_plain_plan(uow, ctx, patient_id)
    return render(
        request,
        "careplan/plain.html",
        active=active,
        plan=plan,
        patient_id=patient_id,
        error=None,
        plain_target=careplan.plain_target,
        plain_discipline=careplan.PLAIN_DISCIPLINE,
        zone=container.settings.clinic_timezone,
        is_patient=active.actor.role is Role.PATIENT,
        today=ctx.now().date(),
    )


@router.get("/patients/{patient_id}/care-plan.pdf")
def plan_pdf(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    """The plain-language plan in large type, to print or keep."""
    body = careplan_pdf.plan_pdf(uow, ctx, patient_id)
    if body is None:
        raise NotFound("there is no care plan to print yet")
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="care-plan.pdf"'},
    )


def _back(patient_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(
        f"/patients/{patient_id}/care-plan{'#' + anchor if anchor else ''}", status_code=303
    )


async def _plan_action(
    request: Request,
    patient_id: int,
    ctx: RequestContext,
    uow: UnitOfWork,
    active: ActiveSession,
    zone: str,
    anchor: str,
    action: Any,
) -> Response:
    form = await form_fields(request)
    try:
        action(form)
    except (InvalidInput, DomainError, Conflict, NotFound) as exc:
        uow.rollback()
        return _plan_page(
            request, uow, ctx, active, patient_id, error=str(exc), form=form, zone=zone
        )
    return _back(patient_id, anchor)


@router.post("/patients/{patient_id}/care-plan", dependencies=[WritePlan])
async def create_plan(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.create_plan(
            uow,
            ctx,
            patient_id,
            summary=form.get("summary", ""),
            problems=_problems(form.get("problems", "")),
            priorities=_lines(form.get("priorities", "")),
            current_step=form.get("current_step") or None,
            reason=form.get("reason", ""),
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "", act)


@router.post("/patients/{patient_id}/care-plan/details", dependencies=[WritePlan])
async def update_details(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.update_plan(
            uow,
            ctx,
            patient_id,
            reason=form.get("reason", ""),
            summary=form.get("summary") if "summary" in form else None,
            problems=_problems(form["problems"]) if "problems" in form else None,
            priorities=_lines(form["priorities"]) if "priorities" in form else None,
            current_step=form.get("current_step") if "current_step" in form else None,
        )

    zone = container.settings.clinic_timezone
    anchor = "h-step" if "current_step" in (await form_fields(request)) else "h-about-plan"
    return await _plan_action(request, patient_id, ctx, uow, active, zone, anchor, act)


@router.post("/patients/{patient_id}/care-plan/goals", dependencies=[WritePlan])
async def add_goal(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.add_goal(uow, ctx, patient_id, _goal_input(form), reason=form.get("reason", ""))

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-goals", act)


@router.post("/patients/{patient_id}/care-plan/goals/{goal_id}", dependencies=[WritePlan])
async def update_goal(
    request: Request,
    patient_id: int,
    goal_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.update_goal(
            uow, ctx, patient_id, goal_id, _goal_input(form), reason=form.get("reason", "")
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, f"goal-{goal_id}", act)


@router.post("/patients/{patient_id}/care-plan/goals/{goal_id}/rating", dependencies=[WritePlan])
async def rate_goal(
    request: Request,
    patient_id: int,
    goal_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.rate_goal(
            uow,
            ctx,
            patient_id,
            goal_id,
            level=_int(form.get("level", ""), "GAS level"),
            state=form.get("state") or None,
            reason=form.get("reason", ""),
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, f"goal-{goal_id}", act)


@router.post(
    "/patients/{patient_id}/care-plan/goals/{goal_id}/milestones", dependencies=[WritePlan]
)
async def add_milestone(
    request: Request,
    patient_id: int,
    goal_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        due = _date(form.get("due_on", ""), "milestone date")
        assert due is not None
        careplan.add_milestone(
            uow,
            ctx,
            patient_id,
            goal_id,
            description=form.get("description", ""),
            due_on=due,
            target_text=form.get("target_text", ""),
            reason=form.get("reason", ""),
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, f"goal-{goal_id}", act)


@router.post(
    "/patients/{patient_id}/care-plan/milestones/{milestone_id}/met", dependencies=[WritePlan]
)
async def milestone_met(
    request: Request,
    patient_id: int,
    milestone_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        met_on = _date(form.get("met_on", ""), "date met")
        assert met_on is not None
        careplan.mark_milestone_met(
            uow, ctx, patient_id, milestone_id, met_on=met_on, reason=form.get("reason", "")
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-goals", act)


@router.post("/patients/{patient_id}/care-plan/interventions", dependencies=[WritePlan])
async def add_intervention(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.add_intervention(
            uow,
            ctx,
            patient_id,
            discipline=form.get("discipline", ""),
            title=form.get("title", ""),
            detail=form.get("detail", ""),
            plain_text=form.get("plain_text", ""),
            reason=form.get("reason", ""),
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-interventions", act)


@router.post(
    "/patients/{patient_id}/care-plan/interventions/{intervention_id}/stop",
    dependencies=[WritePlan],
)
async def stop_intervention(
    request: Request,
    patient_id: int,
    intervention_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.stop_intervention(
            uow, ctx, patient_id, intervention_id, reason=form.get("reason", "")
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-interventions", act)


@router.post("/patients/{patient_id}/care-plan/decision-points", dependencies=[WritePlan])
async def add_decision_point(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        due = _date(form.get("due_on", ""), "due date")
        assert due is not None
        try:
            owner = Role(form.get("owner_role", "physician"))
        except ValueError as exc:
            raise InvalidInput("choose who reviews the decision point") from exc
        careplan.add_decision_point(
            uow,
            ctx,
            patient_id,
            rule_code=form.get("rule_code", ""),
            due_on=due,
            baseline_on=_date(form.get("baseline_on", ""), "baseline date", required=False),
            owner_role=owner,
            note=form.get("note", ""),
            reason=form.get("reason", ""),
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-decisions", act)


@router.post("/patients/{patient_id}/care-plan/observations", dependencies=[WritePlan])
async def add_observation(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        observed = _date(form.get("observed_on", ""), "date")
        assert observed is not None
        careplan.record_observation(
            uow,
            ctx,
            patient_id,
            instrument_code=form.get("instrument_code", ""),
            observed_on=observed,
            value=form.get("value", ""),
            source=form.get("source", ""),
        )

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-scores", act)


@router.post("/patients/{patient_id}/care-plan/agree", dependencies=[CommentPlan])
async def agree(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.agree_plan(uow, ctx, patient_id, comment=form.get("comment", ""))

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-say", act)


@router.post("/patients/{patient_id}/care-plan/comments", dependencies=[CommentPlan])
async def comment(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    def act(form: dict[str, str]) -> None:
        careplan.comment_on_plan(uow, ctx, patient_id, body=form.get("comment", ""))

    zone = container.settings.clinic_timezone
    return await _plan_action(request, patient_id, ctx, uow, active, zone, "h-say", act)


# ------------------------------------------------------------------------------ worklist


@router.get("/tasks")
def tasks_page(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    show: Annotated[str, Query(pattern="^(mine|all)$")] = "mine",
    overdue: Annotated[str, Query(max_length=1)] = "",
    done: Annotated[int | None, Query()] = None,
    evaluated: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    role = active.actor.role
    owner = role.value if show == "mine" else None
    tasks = workflow.list_tasks(uow, ctx, owner_role=owner)
    if overdue == "1":
        tasks = [t for t in tasks if t.is_overdue]
    return render(
        request,
        "careplan/tasks.html",
        active=active,
        tasks=tasks,
        show=show,
        overdue=overdue == "1",
        today=ctx.now().date(),
        done=done,
        evaluated=evaluated,
        can_evaluate=role_may(role, Kind.CARE_PLAN, Action.WRITE),
        safety_count=sum(1 for t in tasks if t.is_safety),
        overdue_count=sum(1 for t in tasks if t.is_overdue),
    )


@router.post("/tasks/{task_id}/complete")
async def complete_task(
    request: Request, task_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    workflow.complete_task(uow, ctx, task_id, note=form.get("note", ""))
    back = form.get("back", "/tasks")
    if not back.startswith("/") or back.startswith("//"):
        back = "/tasks"
    sep = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{sep}done={task_id}", status_code=303)


@router.post("/decision-points/evaluate")
def evaluate_decision_points(ctx: ContextDep, uow: UowDep) -> Response:
    """Evaluate decision points due today in the user's teams (the daily job does the clinic)."""
    results = careplan.evaluate_due_decision_points(uow, ctx, ctx.now().date())
    return RedirectResponse(f"/tasks?show=all&evaluated={len(results)}", status_code=303)


# ------------------------------------------------------------------------------ conferences


@router.get("/conferences")
def conferences_page(
    request: Request, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    listing = conference.list_conferences(uow, ctx)
    preview = conference.build_agenda(uow, ctx, ctx.now().date())
    return render(
        request,
        "careplan/conferences.html",
        active=active,
        conferences=listing,
        preview=preview,
        today=ctx.now().date(),
        error=None,
    )


@router.post("/conferences")
async def new_conference(
    request: Request, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        held_on = _date(form.get("held_on", ""), "date")
        assert held_on is not None
        conference_id = conference.create_conference(
            uow, ctx, held_on=held_on, title=form.get("title", "")
        )
    except InvalidInput as exc:
        uow.rollback()
        return render(
            request,
            "careplan/conferences.html",
            status_code=422,
            active=active,
            conferences=conference.list_conferences(uow, ctx),
            preview=conference.build_agenda(uow, ctx, ctx.now().date()),
            today=ctx.now().date(),
            error=str(exc),
        )
    return RedirectResponse(f"/conferences/{conference_id}", status_code=303)


def _conference_page(
    request: Request,
    uow: UnitOfWork,
    ctx: RequestContext,
    active: ActiveSession,
    conference_id: int,
    *,
    error: str | None = None,
) -> HTMLResponse:
    view = conference.get_conference(uow, ctx, conference_id)
    return render(
        request,
        "careplan/conference.html",
        status_code=422 if error else 200,
        active=active,
        c=view,
        error=error,
        owner_roles=STAFF_ROLES,
        default_due=(ctx.now().date() + timedelta(days=7)).isoformat(),
    )


@router.get("/conferences/{conference_id}")
def conference_page(
    request: Request, conference_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    return _conference_page(request, uow, ctx, active, conference_id)


@router.post("/conferences/{conference_id}/attendance")
async def attendance(
    request: Request, conference_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await request.form()
    ids = [int(v) for v in form.getlist("attendee") if isinstance(v, str) and v.isdigit()]
    try:
        conference.record_attendance(uow, ctx, conference_id, ids)
    except InvalidInput as exc:
        uow.rollback()
        return _conference_page(request, uow, ctx, active, conference_id, error=str(exc))
    return RedirectResponse(f"/conferences/{conference_id}#h-attendance", status_code=303)


@router.post("/conferences/{conference_id}/items/{item_id}")
async def discuss(
    request: Request,
    conference_id: int,
    item_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
) -> Response:
    form = await form_fields(request)
    actions = []
    for n in range(1, 4):
        title = form.get(f"action_{n}_title", "").strip()
        if not title:
            continue
        try:
            owner = Role(form.get(f"action_{n}_owner", "coordinator"))
        except ValueError:
            owner = Role.COORDINATOR
        due = _date(form.get(f"action_{n}_due", ""), "action due date", required=False)
        actions.append(
            conference.ActionInput(title=title, owner_role=owner, due_on=due or ctx.now().date())
        )
    try:
        conference.record_discussion(
            uow, ctx, conference_id, item_id, discussion=form.get("discussion", ""), actions=actions
        )
    except InvalidInput as exc:
        uow.rollback()
        return _conference_page(request, uow, ctx, active, conference_id, error=str(exc))
    return RedirectResponse(f"/conferences/{conference_id}#item-{item_id}", status_code=303)


@router.post("/conferences/{conference_id}/close")
def close(conference_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    conference.close_conference(uow, ctx, conference_id)
    return RedirectResponse(f"/conferences/{conference_id}", status_code=303)


# ------------------------------------------------------------------------------ visits


@router.get("/patients/{patient_id}/visits")
def visits_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    return _visits_page(request, uow, ctx, active, patient_id, container.settings.clinic_timezone)


def _visits_page(
    request: Request,
    uow: UnitOfWork,
    ctx: RequestContext,
    active: ActiveSession,
    patient_id: int,
    clinic_zone: str,
    *,
    error: str | None = None,
) -> HTMLResponse:
    listing = visits.list_visits(uow, ctx, patient_id)
    zone = listing.patient_timezone if active.actor.role is Role.PATIENT else clinic_zone
    return render(
        request,
        "careplan/visits.html",
        status_code=422 if error else 200,
        active=active,
        v=listing,
        patient_id=patient_id,
        zone=zone,
        error=error,
        modes=visits.MODES,
        can_book=role_may(active.actor.role, Kind.DEMOGRAPHICS, Action.WRITE)
        or role_may(active.actor.role, Kind.CARE_PLAN, Action.WRITE),
        is_patient=active.actor.role is Role.PATIENT,
        default_day=(ctx.now().date() + timedelta(days=7)).isoformat(),
    )


@router.post("/patients/{patient_id}/visits", dependencies=[ReadPlan])
async def book_visit(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    form = await form_fields(request)
    clinic_zone = container.settings.clinic_timezone
    try:
        day = _date(form.get("day", ""), "date")
        assert day is not None
        try:
            clock = time.fromisoformat(form.get("time", ""))
        except ValueError as exc:
            raise InvalidInput("time must be like 09:30") from exc
        starts = datetime.combine(day, clock, tzinfo=ZoneInfo(clinic_zone))
        visits.book_visit(
            uow,
            ctx,
            patient_id,
            starts_at=starts,
            minutes=_int(form.get("minutes", "30") or "30", "length"),
            mode=form.get("mode", ""),
            location=form.get("location", ""),
            video_link=form.get("video_link", ""),
            purpose=form.get("purpose", ""),
        )
    except InvalidInput as exc:
        uow.rollback()
        return _visits_page(request, uow, ctx, active, patient_id, clinic_zone, error=str(exc))
    return RedirectResponse(f"/patients/{patient_id}/visits", status_code=303)


@router.get("/patients/{patient_id}/visits.ics")
def visits_calendar(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    body = visits.calendar(uow, ctx, patient_id)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="painpath-visits.ics"'},
    )


# ------------------------------------------------------------------------------ decisions


@router.get("/patients/{patient_id}/care-plan/options")
def options_page(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    view = visits.options_view(uow, ctx, patient_id)
    return render(
        request,
        "careplan/options.html",
        active=active,
        o=view,
        patient_id=patient_id,
        is_patient=active.actor.role is Role.PATIENT,
    )


@router.post("/patients/{patient_id}/care-plan/options", dependencies=[CommentPlan])
async def state_preference(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep
) -> Response:
    form = await form_fields(request)
    visits.state_preference(
        uow,
        ctx,
        patient_id,
        option_code=form.get("option_code", ""),
        comment=form.get("comment", ""),
    )
    return RedirectResponse(f"/patients/{patient_id}/care-plan/options#h-choice", status_code=303)
