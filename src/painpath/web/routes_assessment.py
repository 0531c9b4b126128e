"""Assessment pages: questionnaires (patient fills on a phone, clinician reads scores and change),
the body map, and the clinician examination with the NeuPSIG grade."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from painpath.clinical.bodymap import REGIONS, PainQuality, render_outline_svg
from painpath.clinical.neuropathic import TestOutcome
from painpath.http.deps import ActiveSessionDep, ContainerDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import assessments as svc
from painpath.services import assessments_bodymap as bodymap
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


CHART_W, CHART_H, CHART_PAD = 320, 170, 22


def chart(series: svc.Series) -> dict[str, Any]:
    """Coordinates of a small line chart: x by date, y by score within the scale's range."""
    first, last = series.points[0].on, series.points[-1].on
    span_days = max((last - first).days, 1)
    span = series.high - series.low or Decimal(1)

    def y(value: Decimal) -> float:
        share = float((value - series.low) / span)
        return round(CHART_H - CHART_PAD - share * (CHART_H - 2 * CHART_PAD), 1)

    dots = [
        {
            "x": round(CHART_PAD + (p.on - first).days / span_days * (CHART_W - 2 * CHART_PAD), 1),
            "y": y(p.value),
            "point": p,
        }
        for p in series.points
    ]
    return {
        "dots": dots,
        "path": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "mcid_y": None if series.mcid_target is None else y(series.mcid_target),
        "low_y": y(series.low),
        "high_y": y(series.high),
        "w": CHART_W,
        "h": CHART_H,
    }


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
        series=[c for c in svc.score_series(data) if len(c.points) >= 2]
        if data.can_read_scores
        else [],
        chart=chart,
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


# --- body map -----------------------------------------------------------------------------------

DRAW_GUARD = [Depends(patient_guard(Kind.QUESTIONNAIRE, Action.READ_STATUS))]
EXAM_GUARD = [Depends(patient_guard(Kind.CLINICIAN_ONLY_NOTE, Action.WRITE))]
# Heat colours by the share of drawings that marked a region (ColorBrewer OrRd, 4 classes).
HEAT_CLASSES = ((Decimal("0.75"), "#b30000"), (Decimal("0.5"), "#e34a33"),
                (Decimal("0.25"), "#fc8d59"), (Decimal(0), "#fdcc8a"))  # fmt: skip


def outline_svg(prefix: str, label: str) -> Markup:
    """Front and back outlines as two SVGs (ids prefixed: two maps on one page), each cropped to
    its figure so it can be drawn larger on a phone, with an accessible name."""
    full = render_outline_svg().replace(' id="', f' id="{prefix}-')
    groups = re.findall(r'<g id="[\w-]+-(front|back)".*?</g>', full, flags=re.S)
    bodies = re.findall(r'(<g id="[\w-]+-(?:front|back)".*?</g>)', full, flags=re.S)
    parts = []
    for view, body in zip(groups, bodies, strict=True):
        # SVG x of each figure's midline (clinical/bodymap/svg.py MIDLINE_X); limbs reach 70.
        midline = 110 if view == "front" else 330
        parts.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{midline - 100} 0 200 500" '
            f'class="bodymap bodymap-{prefix}" role="img" aria-label="{label}, {view}">'
            f"{body}</svg>"
        )
    return Markup(f'<div class="bodymap-pair">{"".join(parts)}</div>')  # noqa: S704


def heat_colour(count: int, drawings: int) -> str:
    share = Decimal(count) / Decimal(max(drawings, 1))
    return next(colour for floor, colour in HEAT_CLASSES if share >= floor)


def _region_options() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {"front": [], "back": []}
    for code, region in REGIONS.items():
        groups[region.view.value].append((code, region.label))
    return [(f"{view.capitalize()} of body", sorted(items, key=lambda i: i[1]))
            for view, items in groups.items()]  # fmt: skip


@router.get("/patients/{patient_id}/bodymap")
def bodymap_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
    region: str = "",
    notice: str = "",
) -> HTMLResponse:
    data = bodymap.get_bodymap(uow, ctx, patient_id)
    patient = get_overview(uow, ctx, patient_id)
    return _render(
        request,
        "assessment/bodymap.html",
        active,
        p=patient,
        data=data,
        draw_svg=outline_svg("draw", "Body outline, front and back, for marking pain"),
        heat_svg=outline_svg("heat", "Heat map of marked areas over the last 12 months"),
        heat_colour=heat_colour,
        regions=_region_options(),
        region_labels={code: r.label for code, r in REGIONS.items()},
        qualities=[q.value for q in PainQuality],
        selected=region if region in REGIONS else "",
        notice=notice,
        is_patient=active.actor.role is Role.PATIENT,
        zone=_zone(container, active, patient.timezone),
    )


@router.post("/patients/{patient_id}/bodymap/marks", dependencies=DRAW_GUARD)
def bodymap_mark(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    region: Annotated[str, Form(max_length=64)],
    qualities: Annotated[list[str], Form()] = [],  # noqa: B006  (FastAPI form default)
    intensity: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    level = int(intensity) if intensity.isdigit() else None
    bodymap.mark_region(uow, ctx, patient_id, region, qualities, intensity_nrs=level)
    return RedirectResponse(
        f"/patients/{patient_id}/bodymap?region={region}&notice=saved#mark-form", status_code=303
    )


@router.post("/patients/{patient_id}/bodymap/finish", dependencies=DRAW_GUARD)
def bodymap_finish(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    bodymap.finish_drawing(uow, ctx, patient_id)
    return RedirectResponse(f"/patients/{patient_id}/bodymap?notice=finished", status_code=303)


# --- examination and NeuPSIG grade --------------------------------------------------------------


@router.get("/patients/{patient_id}/examination")
def examination_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> HTMLResponse:
    return _examination(request, patient_id, ctx, uow, active, container, error=None, form={})


def _examination(
    request: Request,
    patient_id: int,
    ctx: Any,
    uow: Any,
    active: Any,
    container: Any,
    *,
    error: str | None,
    form: dict[str, Any],
) -> HTMLResponse:
    exams = bodymap.list_exams(uow, ctx, patient_id)
    patient = get_overview(uow, ctx, patient_id)
    screening = [
        line
        for line in (svc.summary_lines(uow, ctx, patient_id) or [])
        if line.startswith(("DN4", "S-LANSS"))
    ]
    drawing = bodymap.get_bodymap(uow, ctx, patient_id)
    return _render(
        request,
        "assessment/examination.html",
        active,
        status_code=422 if error else 200,
        p=patient,
        exams=exams,
        error=error,
        form=form,
        screening=screening,
        territories=drawing.territories,
        negative_signs=bodymap.NEGATIVE_SIGNS,
        positive_signs=bodymap.POSITIVE_SIGNS,
        function_tests=bodymap.FUNCTION_TESTS,
        tests=[t.value for t in TestOutcome],
        zone=str(container.settings.clinic_timezone),
    )


@router.post("/patients/{patient_id}/examination", dependencies=EXAM_GUARD)
async def examination_submit(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    raw = await request.form()
    form = {k: raw.getlist(k) if k.endswith("_signs") else raw.get(k) for k in raw}
    text = {k: v for k, v in raw.items() if isinstance(v, str)}
    try:
        data = bodymap.ExamInput(
            history=text.get("history", ""),
            has_relevant_lesion_history=_yes_no(text, "has_relevant_lesion_history"),
            has_plausible_distribution=_yes_no(text, "has_plausible_distribution"),
            distribution_note=text.get("distribution_note", ""),
            is_examined=_yes_no(text, "is_examined"),
            negative_signs=[s for s in raw.getlist("negative_signs") if isinstance(s, str)],
            positive_signs=[s for s in raw.getlist("positive_signs") if isinstance(s, str)],
            confirmatory_test=text.get("confirmatory_test", ""),
            test_note=text.get("test_note", ""),
            function_tests={k: text.get(k, "") for k in bodymap.FUNCTION_TESTS},
        )
        bodymap.record_exam(uow, ctx, patient_id, data)
    except InvalidInput as exc:
        return _examination(
            request, patient_id, ctx, uow, active, container, error=str(exc), form=form
        )
    return RedirectResponse(f"/patients/{patient_id}/examination#latest", status_code=303)


def _yes_no(form: dict[str, str], name: str) -> bool:
    value = form.get(name, "")
    if value not in ("yes", "no"):
        raise InvalidInput(f"answer yes or no: {name.replace('_', ' ')}")
    return value == "yes"


# --- coordinator worklist -----------------------------------------------------------------------


@router.get("/assessments/due")
def due_worklist(
    request: Request,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    show: str = "due",
) -> HTMLResponse:
    overdue_only = show == "overdue"
    lines = svc.list_due(uow, ctx, overdue_only=overdue_only)
    return _render(
        request,
        "assessment/due.html",
        active,
        lines=lines,
        show="overdue" if overdue_only else "due",
        today=ctx.now().date(),
    )
