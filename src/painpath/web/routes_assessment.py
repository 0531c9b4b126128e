"""Assessment pages: questionnaires (patient fills on a phone, clinician reads scores and change),
the body map, and the clinician examination with the NeuPSIG grade."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painpath.http.deps import ActiveSessionDep, ContainerDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import assessments as svc
from painpath.services.errors import Conflict, InvalidInput, NotFound
from painpath.services.patients import get_overview
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import templates

router = APIRouter(include_in_schema=False)

# Out-of-scope callers are refused (and audited) before any form or path value is parsed.
STATUS_GUARD = [Depends(patient_guard(Kind.QUESTIONNAIRE, Action.READ_STATUS))]
ASSIGN_GUARD = [Depends(patient_guard(Kind.TASK, Action.WRITE))]

register_section(
    PatientSection(
        "assessments",
        "Assessments",
        10,
        "No questionnaires or examinations yet.",
        link="/patients/{patient_id}/assessments",
        link_text="Open assessments",
        summary=svc.summary_lines,
    )
)


def option_label(code: str) -> str:
    """Readable text of an option code ("more-than-half-the-days" -> "More than half the days")."""
    return code.replace("-", " ").capitalize()


def band_label(code: str | None) -> str:
    return "—" if not code else code.replace("-", " ")


templates.env.filters["option_label"] = option_label
templates.env.filters["band_label"] = band_label
templates.env.filters["score"] = svc.format_score


def _render(
    request: Request, name: str, active: Any, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.update(active=active, csrf_token=active.csrf_token)
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _zone(container: Any, active: Any, patient_timezone: str) -> str:
    if active.actor.role is Role.PATIENT:
        return patient_timezone
    return str(container.settings.clinic_timezone)


@router.get("/patients/{patient_id}/assessments")
def assessments_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
    notice: str = "",
) -> HTMLResponse:
    data = svc.list_assessments(uow, ctx, patient_id)
    patient = get_overview(uow, ctx, patient_id)
    by_id = {a.id: a for a in data.assessments}
    return _render(
        request,
        "assessment/list.html",
        active,
        p=patient,
        data=data,
        bundle_done={
            b.id: sum(1 for i in b.assessment_ids if by_id[i].state is svc.State.COMPLETED)
            for b in data.bundles
        },
        notice=notice,
        is_patient=active.actor.role is Role.PATIENT,
        can_record=active.actor.role.is_clinician,
        instruments=svc.instrument_choices(),
        bundles=svc.bundle_choices(),
        default_due=(ctx.now().date() + timedelta(days=7)).isoformat(),
        today=ctx.now().date(),
        zone=_zone(container, active, patient.timezone),
    )


@router.post("/patients/{patient_id}/assessments/bundles", dependencies=ASSIGN_GUARD)
def assign_bundle(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    bundle_code: Annotated[str, Form(max_length=32)],
    due_on: Annotated[date, Form()],
) -> Response:
    svc.assign_bundle(uow, ctx, patient_id, bundle_code, due_on=due_on)
    return RedirectResponse(
        f"/patients/{patient_id}/assessments?notice=bundle-assigned", status_code=303
    )


@router.post("/patients/{patient_id}/assessments", dependencies=STATUS_GUARD)
def start_assessment(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    instrument_code: Annotated[str, Form(max_length=32)],
    respondent: Annotated[str, Form(max_length=16)] = "patient",
) -> Response:
    try:
        who = svc.Respondent(respondent)
    except ValueError as exc:
        raise InvalidInput("respondent is patient or clinician") from exc
    view = svc.start_assessment(uow, ctx, patient_id, instrument_code, respondent=who)
    return RedirectResponse(f"/patients/{patient_id}/assessments/{view.status.id}", status_code=303)


def _assessment(uow: Any, ctx: Any, patient_id: int, assessment_id: int) -> svc.AssessmentView:
    view = svc.get_assessment(uow, ctx, assessment_id)
    if view.status.patient_id != patient_id:
        raise NotFound(f"assessment {assessment_id} not found")
    return view


@router.get("/patients/{patient_id}/assessments/{assessment_id}", dependencies=STATUS_GUARD)
def assessment_page(
    request: Request,
    patient_id: int,
    assessment_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    view = _assessment(uow, ctx, patient_id, assessment_id)
    return _assessment_response(request, active, container, view, patient_id, error=None)


def _assessment_response(
    request: Request,
    active: Any,
    container: Any,
    view: svc.AssessmentView,
    patient_id: int,
    *,
    error: str | None,
) -> HTMLResponse:
    name = "assessment/fill.html" if view.can_answer else "assessment/detail.html"
    zone = str(container.settings.clinic_timezone)
    return _render(
        request,
        name,
        active,
        status_code=422 if error else 200,
        a=view,
        patient_id=patient_id,
        error=error,
        zone=zone,
        is_patient=active.actor.role is Role.PATIENT,
    )


@router.post(
    "/patients/{patient_id}/assessments/{assessment_id}/answers", dependencies=STATUS_GUARD
)
async def save_answers(
    request: Request,
    patient_id: int,
    assessment_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
) -> Response:
    form = await request.form()
    answers = {
        k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token" and v != ""
    }
    view = _assessment(uow, ctx, patient_id, assessment_id)
    if not answers:
        raise InvalidInput("choose an answer")
    result = svc.save_answers(uow, ctx, view.status.id, answers)
    if request.headers.get("HX-Request") == "true":
        return _render(
            request,
            "assessment/_saved.html",
            active,
            result=result,
            link_ids=list(answers),
        )
    return RedirectResponse(
        f"/patients/{patient_id}/assessments/{assessment_id}#progress", status_code=303
    )


@router.post(
    "/patients/{patient_id}/assessments/{assessment_id}/complete", dependencies=STATUS_GUARD
)
def complete_assessment(
    request: Request,
    patient_id: int,
    assessment_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    _assessment(uow, ctx, patient_id, assessment_id)
    try:
        svc.complete_assessment(uow, ctx, assessment_id)
    except (InvalidInput, Conflict) as exc:
        view = _assessment(uow, ctx, patient_id, assessment_id)
        return _assessment_response(request, active, container, view, patient_id, error=str(exc))
    return RedirectResponse(f"/patients/{patient_id}/assessments?notice=completed", status_code=303)
