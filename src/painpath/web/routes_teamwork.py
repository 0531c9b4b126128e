"""Team documentation (templated notes, co-signature), injury and work (return-to-work plan,
insurer reports the patient approves) and community resources. Thin: parse, call a service,
render or redirect."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painpath.http.deps import ActiveSessionDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import note_templates, resources, return_to_work
from painpath.services.access import role_may
from painpath.services.auth import ActiveSession
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput
from painpath.services.patients import get_overview as get_patient
from painpath.services.uow import UnitOfWork
from painpath.web.nav import CARE_TEAM, NAV, NavItem
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import form_fields, render

router = APIRouter(include_in_schema=False)

NAV.append(NavItem("Resources", "/resources", frozenset(CARE_TEAM), 60))
NAV.append(NavItem("Resources", "/resources", frozenset({Role.PATIENT}), 80))


def _overview(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    lines = return_to_work.summary_lines(uow, ctx, patient_id) or []
    if role_may(ctx.actor.role, Kind.CLINICAL_NOTE, Action.WRITE) and ctx.actor.role.is_staff:
        pending = note_templates.pending_cosign_count(uow, patient_id)
        if pending:
            lines.append(f"{pending} note(s) waiting for a co-signature")
    lines += resources.summary_lines(uow, ctx, patient_id) or []
    return lines


register_section(
    PatientSection(
        "teamwork",
        "Team notes, work and resources",
        60,
        "No team notes, work plan or resources yet.",
        link="/patients/{patient_id}/work",
        link_text="Work and insurer reports",
        summary=_overview,
    )
)

WriteNote = Depends(patient_guard(Kind.CLINICAL_NOTE, Action.WRITE))
WritePlan = Depends(patient_guard(Kind.CARE_PLAN, Action.WRITE))


def _int(value: str, label: str) -> int:
    try:
        return int(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a whole number") from exc


def _date(value: str, label: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a date like 2026-04-27") from exc


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


# ------------------------------------------------------------------------ team notes


def _notes_page(
    request: Request,
    uow: UowDep,
    ctx: ContextDep,
    active: ActiveSession,
    patient_id: int,
    *,
    template_code: str = "",
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    patient = get_patient(uow, ctx, patient_id)
    notes = note_templates.list_team_notes(uow, ctx, patient_id)
    role = active.actor.role
    return render(
        request,
        "teamwork/notes.html",
        status_code=422 if error else 200,
        active=active,
        patient=patient,
        patient_id=patient_id,
        notes=notes,
        templates_=note_templates.TEMPLATES,
        template=note_templates.TEMPLATES.get(template_code),
        can_write=role_may(role, Kind.CLINICAL_NOTE, Action.WRITE) and role.is_staff,
        my_role=role.value,
        my_id=active.actor.user_id,
        error=error,
        form=form or {},
    )


@router.get("/patients/{patient_id}/team-notes")
def notes_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    template: str = "",
) -> HTMLResponse:
    return _notes_page(request, uow, ctx, active, patient_id, template_code=template)


@router.post("/patients/{patient_id}/team-notes", dependencies=[WriteNote])
async def write_note(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    code = form.get("template", "")
    template = note_templates.TEMPLATES.get(code)
    fields = {f.name: form.get(f"f_{f.name}", "") for f in template.fields} if template else {}
    try:
        view = note_templates.write_templated_note(
            uow,
            ctx,
            patient_id,
            code,
            fields,
            is_clinician_only=form.get("is_clinician_only") == "1",
        )
    except InvalidInput as exc:
        uow.rollback()
        return _notes_page(
            request, uow, ctx, active, patient_id, template_code=code, error=str(exc), form=form
        )
    return RedirectResponse(f"/patients/{patient_id}/team-notes#note-{view.id}", status_code=303)


@router.post("/team-notes/{note_id}/cosign")
async def cosign(
    request: Request, note_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    view = note_templates.cosign_note(uow, ctx, note_id)
    return RedirectResponse(
        f"/patients/{view.patient_id}/team-notes#note-{view.id}", status_code=303
    )


# ------------------------------------------------------------------------ work


def _work_page(
    request: Request,
    uow: UowDep,
    ctx: ContextDep,
    active: ActiveSession,
    patient_id: int,
    *,
    error: str | None = None,
) -> HTMLResponse:
    patient = get_patient(uow, ctx, patient_id)
    plan = return_to_work.get_plan(uow, ctx, patient_id)
    reports = return_to_work.list_reports(uow, ctx, patient_id)
    role = active.actor.role
    today = ctx.now().date()
    week_rows = list(plan.weeks) if plan else []
    return render(
        request,
        "teamwork/work.html",
        status_code=422 if error else 200,
        active=active,
        patient=patient,
        patient_id=patient_id,
        plan=plan,
        week_rows=week_rows,
        blank_weeks=max(0, 6 - len(week_rows)),
        reports=reports,
        statuses=return_to_work.WORK_STATUS_LABELS,
        is_patient=role is Role.PATIENT,
        can_write=role_may(role, Kind.CARE_PLAN, Action.WRITE),
        default_from=(today - timedelta(days=28)).isoformat(),
        default_to=today.isoformat(),
        error=error,
    )


@router.get("/patients/{patient_id}/work")
def work_page(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    return _work_page(request, uow, ctx, active, patient_id)


def _plan_input(form: dict[str, str]) -> return_to_work.PlanInput:
    try:
        status = return_to_work.WorkStatus(form.get("work_status", ""))
    except ValueError as exc:
        raise InvalidInput("choose a work status") from exc
    weeks = []
    for n in range(1, return_to_work.MAX_WEEKS + 1):
        hours, days = form.get(f"w{n}_hours", ""), form.get(f"w{n}_days", "")
        if not hours.strip() and not days.strip():
            continue
        weeks.append(
            return_to_work.WeekInput(
                _int(hours or "0", f"week {n} hours"),
                _int(days or "0", f"week {n} days"),
                form.get(f"w{n}_duties", ""),
            )
        )
    demands = []
    for line in _lines(form.get("demands", "")):
        demand, _, detail = line.partition(":")
        demands.append((demand.strip(), detail.strip()))
    return return_to_work.PlanInput(
        work_status=status,
        job_title=form.get("job_title", ""),
        employer=form.get("employer", ""),
        demands=demands,
        restrictions=_lines(form.get("restrictions", "")),
        weeks=weeks,
        start_on=_date(form.get("start_on", ""), "start date"),
        review_on=_date(form.get("review_on", ""), "review date"),
    )


@router.post("/patients/{patient_id}/work", dependencies=[WritePlan])
async def save_work_plan(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        return_to_work.save_plan(uow, ctx, patient_id, _plan_input(form))
    except InvalidInput as exc:
        uow.rollback()
        return _work_page(request, uow, ctx, active, patient_id, error=str(exc))
    return RedirectResponse(f"/patients/{patient_id}/work", status_code=303)


@router.post("/patients/{patient_id}/work/reports", dependencies=[WritePlan])
async def draft_report(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        start = _date(form.get("period_from", ""), "period start")
        end = _date(form.get("period_to", ""), "period end")
        if start is None or end is None:
            raise InvalidInput("give the report period")
        view = return_to_work.draft_report(
            uow,
            ctx,
            patient_id,
            recipient=form.get("recipient", ""),
            period_from=start,
            period_to=end,
        )
    except InvalidInput as exc:
        uow.rollback()
        return _work_page(request, uow, ctx, active, patient_id, error=str(exc))
    return RedirectResponse(f"/insurer-reports/{view.id}", status_code=303)


@router.get("/insurer-reports/{report_id}")
def report_page(
    request: Request, report_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    report = return_to_work.get_report(uow, ctx, report_id)
    role = active.actor.role
    return render(
        request,
        "teamwork/report.html",
        active=active,
        report=report,
        c=report.content,
        patient_id=report.patient_id,
        is_patient=role is Role.PATIENT,
        can_release=role_may(role, Kind.CARE_PLAN, Action.WRITE) and role is not Role.PATIENT,
    )


@router.post("/insurer-reports/{report_id}/decision")
async def decide(
    request: Request, report_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    decision = form.get("decision", "")
    if decision not in ("approve", "decline"):
        raise InvalidInput("choose approve or decline")
    return_to_work.decide_report(
        uow, ctx, report_id, approve=decision == "approve", comment=form.get("comment", "")
    )
    return RedirectResponse(f"/insurer-reports/{report_id}", status_code=303)


@router.get("/insurer-reports/{report_id}/pdf")
def report_pdf(report_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep) -> Response:
    if active.actor.role is Role.PATIENT:
        body = return_to_work.preview_pdf(uow, ctx, report_id)
        disposition = f'inline; filename="progress-report-{report_id}-preview.pdf"'
    else:
        body = return_to_work.release_report(uow, ctx, report_id)
        disposition = f'attachment; filename="progress-report-{report_id}.pdf"'
    return Response(
        body, media_type="application/pdf", headers={"Content-Disposition": disposition}
    )


# ------------------------------------------------------------------------ resources


@router.get("/resources")
def directory(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    q: str = "",
    region: str = "",
    need: str = "",
    patient: int | None = None,
) -> HTMLResponse:
    found = resources.search_resources(uow, ctx, text=q[:200], region=region, need=need)
    regions = resources.regions(uow)
    uow.rollback()
    role = active.actor.role
    return render(
        request,
        "teamwork/resources.html",
        active=active,
        found=found,
        regions=regions,
        needs=resources.NEED_LABELS,
        q=q,
        region=region,
        need=need,
        for_patient=patient,
        can_recommend=role.is_staff and role_may(role, Kind.CLINICAL_NOTE, Action.WRITE),
    )


def _patient_resources_page(
    request: Request,
    uow: UowDep,
    ctx: ContextDep,
    active: ActiveSession,
    patient_id: int,
    *,
    error: str | None = None,
) -> HTMLResponse:
    patient = get_patient(uow, ctx, patient_id)
    data = resources.patient_resources(uow, ctx, patient_id)
    role = active.actor.role
    return render(
        request,
        "teamwork/patient_resources.html",
        status_code=422 if error else 200,
        active=active,
        patient=patient,
        patient_id=patient_id,
        data=data,
        is_patient=role is Role.PATIENT,
        can_write=role.is_staff and role_may(role, Kind.CLINICAL_NOTE, Action.WRITE),
        kinds=list(resources.FinancialKind),
        error=error,
    )


@router.get("/patients/{patient_id}/resources")
def patient_resources_page(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    return _patient_resources_page(request, uow, ctx, active, patient_id)


@router.post("/patients/{patient_id}/resources", dependencies=[WriteNote])
async def recommend(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        resources.recommend_resource(
            uow,
            ctx,
            patient_id,
            _int(form.get("resource_id", ""), "resource"),
            note=form.get("note", ""),
        )
    except InvalidInput as exc:
        uow.rollback()
        return _patient_resources_page(request, uow, ctx, active, patient_id, error=str(exc))
    return RedirectResponse(f"/patients/{patient_id}/resources", status_code=303)


@router.post("/patients/{patient_id}/financial-notes", dependencies=[WriteNote])
async def financial_note(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        try:
            kind = resources.FinancialKind(form.get("kind", ""))
        except ValueError as exc:
            raise InvalidInput("choose the kind of note") from exc
        resources.add_financial_note(
            uow,
            ctx,
            patient_id,
            kind=kind,
            text=form.get("text", ""),
            is_cost_effective_alternative=form.get("is_cost_effective_alternative") == "1",
        )
    except InvalidInput as exc:
        uow.rollback()
        return _patient_resources_page(request, uow, ctx, active, patient_id, error=str(exc))
    return RedirectResponse(f"/patients/{patient_id}/resources", status_code=303)
