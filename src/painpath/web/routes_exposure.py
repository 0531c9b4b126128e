"""Graded exposure, desensitisation and GMI stage pages.

One page per patient at /patients/{id}/exposure: the clinician sees the fear hierarchy, trials and
the core's decision with its rule and source, the desensitisation ladder and sensory stage, and the
GMI stage with advance/hold/step back; the patient sees her current steps in plain language and
records her ratings. Thin: parse the form, call one service, redirect (or re-render with the error).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from painpath.clinical.rehab.desensitisation import SensoryStage, Zone, default_stimuli
from painpath.http.deps import ActiveSessionDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import desensitisation as ds
from painpath.services import exposure
from painpath.services.errors import InvalidInput
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import templates

router = APIRouter(include_in_schema=False)

register_section(
    PatientSection(
        "exposure",
        "Exposure, desensitisation and GMI",
        45,
        "No graded exposure, desensitisation or GMI yet.",
        link="/patients/{patient_id}/exposure",
        link_text="Open exposure and GMI",
        summary=ds.summary_lines,
    )
)

READ_GUARD = [Depends(patient_guard(Kind.REHAB, Action.READ))]
REHAB_WRITE = [Depends(patient_guard(Kind.REHAB, Action.WRITE))]
# Psychologist-led exposure planning is authorised as care-plan work (see services/exposure.py).
PLAN_WRITE = [Depends(patient_guard(Kind.CARE_PLAN, Action.WRITE))]
HIERARCHY_ROWS = 8


def _str(form: FormData, key: str) -> str:
    raw = form.get(key)
    return raw.strip() if isinstance(raw, str) else ""


def _int(form: FormData, key: str, label: str) -> int:
    value = _str(form, key)
    if not value:
        raise InvalidInput(f"enter {label}")
    try:
        return int(value)
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a whole number") from exc


def _opt_int(form: FormData, key: str, label: str) -> int | None:
    return _int(form, key, label) if _str(form, key) else None


def _date(form: FormData, key: str, default: date) -> date:
    value = _str(form, key)
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput("the date must look like 2026-03-31") from exc


@router.get("/patients/{patient_id}/exposure")
def exposure_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    saved: str = "",
) -> HTMLResponse:
    return _page(request, patient_id, ctx, uow, active, saved=saved)


def _page(
    request: Request,
    patient_id: int,
    ctx: Any,
    uow: Any,
    active: Any,
    *,
    saved: str = "",
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    ev = exposure.get_exposure(uow, ctx, patient_id)
    scores = exposure.linked_scores(uow, ctx, patient_id) if ev is None else ev.scores
    dv = ds.get_desensitisation(uow, ctx, patient_id)
    gv = ds.get_gmi(uow, ctx, patient_id)
    is_patient = active.actor.role is Role.PATIENT
    rated = {s.stimulus_id: s.discomfort_nrs for s in dv.ladder} if dv else {}
    context = {
        "patient_id": patient_id,
        "ev": ev,
        "scores": scores,
        "dv": dv,
        "gv": gv,
        "saved": saved,
        "error": error,
        "form": form or {},
        "today": ctx.now().date(),
        "can_plan_exposure": exposure.can_edit_exposure(active.actor.role),
        "can_edit_rehab": ds.can_edit(active.actor.role),
        "stimuli": [(sid, ds.stimulus_label(sid), rated.get(sid)) for sid in default_stimuli()],
        "zones": list(Zone),
        "sensory_stages": [s for s in SensoryStage if s is not SensoryStage.COMPLETE],
        "sensory_labels": ds.SENSORY_LABELS,
        "hierarchy_rows": HIERARCHY_ROWS,
        "active": active,
        "csrf_token": active.csrf_token,
    }
    name = "exposure/patient.html" if is_patient else "exposure/clinician.html"
    return templates.TemplateResponse(request, name, context, status_code=status_code)


async def _run(
    request: Request,
    patient_id: int,
    ctx: Any,
    uow: Any,
    active: Any,
    anchor: str,
    action: Callable[[FormData], object],
) -> Response:
    form = await request.form()
    try:
        action(form)
    except InvalidInput as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        uow.rollback()
        return _page(
            request, patient_id, ctx, uow, active, error=str(exc), form=values, status_code=422
        )
    return RedirectResponse(
        f"/patients/{patient_id}/exposure?saved={anchor}#h-{anchor}", status_code=303
    )


# ------------------------------------------------------------------------------- exposure


@router.post("/patients/{patient_id}/exposure/hierarchy", dependencies=PLAN_WRITE)
async def save_hierarchy(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        acts = []
        for n in range(HIERARCHY_ROWS):
            label = _str(form, f"label_{n}")
            if label:
                acts.append(
                    exposure.ActivityInput(
                        label, _int(form, f"fear_{n}", f"the fear rating for {label}")
                    )
                )
        return exposure.save_hierarchy(
            uow,
            ctx,
            patient_id,
            exposure.HierarchyInput(
                acts,
                tsk11=_opt_int(form, "tsk11", "TSK-11 total"),
                pcs=_opt_int(form, "pcs", "PCS total"),
            ),
        )

    return await _run(request, patient_id, ctx, uow, active, "exposure", act)


@router.post("/patients/{patient_id}/exposure/trials", dependencies=READ_GUARD)
async def record_trial(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        return exposure.record_trial(
            uow,
            ctx,
            patient_id,
            exposure.TrialInput(
                activity_id=_str(form, "activity_id"),
                performed_on=_date(form, "performed_on", ctx.now().date()),
                predicted_fear=_int(form, "predicted_fear", "how afraid you expected to be"),
                actual_fear=_int(form, "actual_fear", "how afraid you were"),
                predicted_pain_nrs=_int(form, "predicted_pain", "the pain you expected"),
                actual_pain_nrs=_int(form, "actual_pain", "the pain you had"),
                note=_str(form, "note"),
            ),
        )

    return await _run(request, patient_id, ctx, uow, active, "trial", act)


@router.post("/patients/{patient_id}/exposure/move-up", dependencies=PLAN_WRITE)
async def move_up(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        return exposure.apply_decision(uow, ctx, patient_id, reason=_str(form, "reason"))

    return await _run(request, patient_id, ctx, uow, active, "exposure", act)


# ------------------------------------------------------------------------ desensitisation


@router.post("/patients/{patient_id}/desensitisation/plan", dependencies=REHAB_WRITE)
async def save_plan(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        ratings = {}
        for sid in default_stimuli():
            value = _opt_int(form, f"rate_{sid}", f"the rating for {ds.stimulus_label(sid)}")
            if value is not None:
                ratings[sid] = value
        zone = _str(form, "zone") or Zone.EDGE.value
        if zone not in {z.value for z in Zone}:
            raise InvalidInput("zone is edge or inside")
        return ds.save_plan(
            uow,
            ctx,
            patient_id,
            ds.PlanInput(ratings, _str(form, "current") or None, Zone(zone)),
        )

    return await _run(request, patient_id, ctx, uow, active, "desens", act)


@router.post("/patients/{patient_id}/desensitisation/sessions", dependencies=READ_GUARD)
async def log_desens(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        zone = _str(form, "zone")
        if zone not in {z.value for z in Zone}:
            raise InvalidInput("choose where you touched: edge or inside")
        return ds.log_session(
            uow,
            ctx,
            patient_id,
            ds.SessionInput(
                stimulus_id=_str(form, "stimulus_id"),
                zone=Zone(zone),
                performed_on=_date(form, "performed_on", ctx.now().date()),
                duration_s=_int(form, "minutes", "the minutes") * 60,
                discomfort_nrs=_int(form, "discomfort", "how uncomfortable it was"),
            ),
        )

    return await _run(request, patient_id, ctx, uow, active, "desens", act)


@router.post("/patients/{patient_id}/desensitisation/apply", dependencies=REHAB_WRITE)
async def apply_desens(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    return await _run(
        request,
        patient_id,
        ctx,
        uow,
        active,
        "desens",
        lambda form: ds.apply_desens_decision(uow, ctx, patient_id),
    )


@router.post("/patients/{patient_id}/desensitisation/sensory", dependencies=READ_GUARD)
async def log_sensory(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        stage = _str(form, "stage")
        if stage not in {s.value for s in SensoryStage}:
            raise InvalidInput("choose a stage")
        return ds.log_sensory(
            uow,
            ctx,
            patient_id,
            ds.SensoryInput(
                SensoryStage(stage),
                _date(form, "performed_on", ctx.now().date()),
                _int(form, "trials", "the number of tries"),
                _int(form, "correct", "the number right"),
            ),
        )

    return await _run(request, patient_id, ctx, uow, active, "sensory", act)


@router.post("/patients/{patient_id}/desensitisation/sensory/advance", dependencies=REHAB_WRITE)
async def advance_sensory(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    return await _run(
        request,
        patient_id,
        ctx,
        uow,
        active,
        "sensory",
        lambda form: ds.advance_sensory(uow, ctx, patient_id),
    )


# ------------------------------------------------------------------------------------ GMI


@router.post("/patients/{patient_id}/gmi/stage", dependencies=REHAB_WRITE)
async def gmi_stage(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        return ds.decide_gmi(
            uow, ctx, patient_id, choice=_str(form, "choice"), reason=_str(form, "reason")
        )

    return await _run(request, patient_id, ctx, uow, active, "gmi", act)


@router.post("/patients/{patient_id}/gmi/sessions", dependencies=READ_GUARD)
async def gmi_session(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    def act(form: FormData) -> object:
        return ds.log_gmi_session(
            uow,
            ctx,
            patient_id,
            ds.GmiSessionInput(
                _date(form, "performed_on", ctx.now().date()),
                _int(form, "minutes", "the minutes"),
                _int(form, "pain_before", "pain before"),
                _int(form, "pain_after", "pain after"),
            ),
        )

    return await _run(request, patient_id, ctx, uow, active, "gmi", act)
