"""Rehab pages: the physiotherapist's programme editor and rehab view, the patient's home
programme (today's exercises, timer, session log), the printable PDF and the GMI left/right task.

Thin: parse the form, call one service, render. The editor keeps its draft in the form itself
(no JavaScript needed): every button posts the whole draft back with an `op`, and only
`op=save` stores a new programme version.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from painpath.clinical.rehab import Phase
from painpath.clinical.rehab.library import BodyRegion, Category, ContraTag
from painpath.clinical.rehab.pacing import QuotaMethod
from painpath.clinical.rehab.programme import ActivityLevel, SocialSupport
from painpath.http.deps import ActiveSessionDep, ContainerDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import rehab
from painpath.services.errors import InvalidInput, PermissionDenied
from painpath.services.rehab_pdf import programme_pdf
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import templates

router = APIRouter(include_in_schema=False)

register_section(
    PatientSection(
        "rehab",
        "Rehabilitation",
        40,
        "No exercise programme yet.",
        link="/patients/{patient_id}/rehab",
        link_text="Open rehab",
        summary=rehab.summary_lines,
    )
)

READ_GUARD = [Depends(patient_guard(Kind.REHAB, Action.READ))]
WRITE_GUARD = [Depends(patient_guard(Kind.REHAB, Action.WRITE))]
NRS = list(range(11))


def _render(
    request: Request,
    name: str,
    active: Any,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    context.update(active=active, csrf_token=active.csrf_token)
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _zone(active: Any, container: Any, patient_zone: str = "UTC") -> str:
    if active.actor.role is Role.PATIENT:
        return patient_zone
    return str(container.settings.clinic_timezone)


# ---------------------------------------------------------------------------- rehab page


@router.get("/patients/{patient_id}/rehab")
def rehab_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
    saved: int = 0,
) -> HTMLResponse:
    return _rehab_page(request, patient_id, ctx, uow, active, container, saved=bool(saved))


def _rehab_page(
    request: Request,
    patient_id: int,
    ctx: Any,
    uow: Any,
    active: Any,
    container: Any,
    *,
    saved: bool = False,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    ov = rehab.rehab_overview(uow, ctx, patient_id)
    is_patient = active.actor.role is Role.PATIENT
    template = "rehab/home.html" if is_patient else "rehab/clinician.html"
    return _render(
        request,
        template,
        active,
        status_code=status_code,
        ov=ov,
        saved=saved,
        error=error,
        form=form or {},
        nrs=NRS,
        idempotency_key=uuid.uuid4().hex,
        zone=_zone(active, container, ov.timezone),
        methods=list(QuotaMethod),
    )


def _int(form: FormData, key: str, label: str, default: int | None = None) -> int:
    raw = form.get(key)
    value = raw.strip() if isinstance(raw, str) else ""
    if not value:
        if default is not None:
            return default
        raise InvalidInput(f"enter {label}")
    try:
        return int(value)
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a whole number") from exc


def _str(form: FormData, key: str) -> str:
    raw = form.get(key)
    return raw if isinstance(raw, str) else ""


def _date(form: FormData, key: str, label: str, default: date) -> date:
    value = _str(form, key).strip()
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{label} must be a date like 2026-03-31") from exc


@router.post("/patients/{patient_id}/rehab/logs", dependencies=READ_GUARD)
async def log_session(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    form = await request.form()
    try:
        rehab.log_session(
            uow,
            ctx,
            patient_id,
            rehab.LogInput(
                performed_on=_date(form, "performed_on", "date", ctx.now().date()),
                minutes=_int(form, "minutes", "the minutes"),
                pain_before_nrs=_int(form, "pain_before", "pain before"),
                pain_after_nrs=_int(form, "pain_after", "pain after"),
                rpe=_int(form, "rpe", "effort"),
                idempotency_key=_str(form, "idempotency_key"),
                exercise_ids=[v for v in form.getlist("exercise_ids") if isinstance(v, str)],
                is_completed=_str(form, "is_completed") != "0",
                note=_str(form, "note"),
            ),
        )
    except InvalidInput as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return _rehab_page(
            request,
            patient_id,
            ctx,
            uow,
            active,
            container,
            error=str(exc),
            form=values,
            status_code=422,
        )
    return RedirectResponse(f"/patients/{patient_id}/rehab?saved=1#h-today", status_code=303)


@router.post("/patients/{patient_id}/rehab/pacing", dependencies=WRITE_GUARD)
async def set_pacing(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    form = await request.form()
    try:
        raw = _str(form, "baseline").replace(";", ",")
        tolerances = [int(v) for v in raw.split(",") if v.strip()] if raw.strip() else None
        rehab.set_pacing_plan(
            uow,
            ctx,
            patient_id,
            rehab.PacingInput(
                activity=_str(form, "activity"),
                target=_int(form, "target", "the target"),
                usual_pain_nrs=_int(form, "usual_pain", "usual pain"),
                start_on=_date(form, "start_on", "start date", ctx.now().date()),
                unit=_str(form, "unit") or "min",
                tolerances=tolerances,
                method=QuotaMethod(_str(form, "method") or QuotaMethod.PERCENT_OF_MEAN.value),
            ),
        )
    except ValueError as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        message = str(exc) if isinstance(exc, InvalidInput) else "baseline: whole numbers only"
        return _rehab_page(
            request,
            patient_id,
            ctx,
            uow,
            active,
            container,
            error=message,
            form=values,
            status_code=422,
        )
    return RedirectResponse(f"/patients/{patient_id}/rehab#h-pacing", status_code=303)


@router.post("/patients/{patient_id}/rehab/notes", dependencies=WRITE_GUARD)
async def add_note(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
) -> Response:
    form = await request.form()
    try:
        measures = []
        names = form.getlist("m_name")
        values = form.getlist("m_value")
        units = form.getlist("m_unit")
        sides = form.getlist("m_side")
        for name, value, unit, side in zip(names, values, units, sides, strict=False):
            if not isinstance(name, str) or not name.strip():
                continue
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation as exc:
                raise InvalidInput(f"{name}: the value must be a number") from exc
            measures.append(rehab.MeasureInput(name, number, str(unit), str(side)))
        rehab.add_physio_note(
            uow,
            ctx,
            patient_id,
            seen_on=_date(form, "seen_on", "session date", ctx.now().date()),
            summary=_str(form, "summary"),
            measures=measures,
        )
    except InvalidInput as exc:
        values_ = {k: v for k, v in form.items() if isinstance(v, str)}
        return _rehab_page(
            request,
            patient_id,
            ctx,
            uow,
            active,
            container,
            error=str(exc),
            form=values_,
            status_code=422,
        )
    return RedirectResponse(f"/patients/{patient_id}/rehab#h-notes", status_code=303)


# ------------------------------------------------------------------------------- editor


def _draft_from_form(form: FormData) -> tuple[list[rehab.ItemInput], list[str]]:
    ids = [v for v in form.getlist("item_exercise_id") if isinstance(v, str)]
    errors: list[str] = []

    def column(name: str) -> list[int]:
        out = []
        for raw in form.getlist(name):
            try:
                out.append(int(str(raw).strip() or 0))
            except ValueError:
                errors.append(f"{name.removeprefix('item_').replace('_', ' ')} must be a number")
                out.append(0)
        return out + [0] * (len(ids) - len(out))

    sets, reps, holds, mins, rpes = (
        column(c)
        for c in ("item_sets", "item_reps", "item_hold_s", "item_duration_min", "item_rpe")
    )
    notes = [str(v) for v in form.getlist("item_note")] + [""] * len(ids)
    items = [
        rehab.ItemInput(ex, sets[n], reps[n], holds[n], mins[n], rpes[n], notes[n])
        for n, ex in enumerate(ids)
        if rehab.is_known_exercise(ex)
    ]
    if len(items) != len(ids):
        errors.append("an unknown exercise was left out of the draft")
    return items, errors


def _profile_from_form(form: FormData) -> rehab.ProfileInput:
    return rehab.ProfileInput(
        contraindications=tuple(str(v) for v in form.getlist("contraindications")),
        activity_level=_str(form, "activity_level") or ActivityLevel.LOW.value,
        focus_regions=tuple(str(v) for v in form.getlist("focus_regions")),
        social_support=_str(form, "social_support") or SocialSupport.LIMITED.value,
        has_allodynia=_str(form, "has_allodynia") == "1",
        has_hypoaesthesia=_str(form, "has_hypoaesthesia") == "1",
        is_gmi_candidate=_str(form, "is_gmi_candidate") == "1",
    )


def _apply_op(
    op: str, items: list[rehab.ItemInput], profile: rehab.ProfileInput, phase: Phase
) -> tuple[list[rehab.ItemInput], str, int | None]:
    """Return the new draft, a status message for screen readers, and the position to focus."""
    verb, _, arg = op.partition(":")
    if verb in ("up", "down", "remove", "swap"):
        index_text, _, target = arg.partition(":")
        if not index_text.isdigit() or not 1 <= int(index_text) <= len(items):
            return items, "", None
        i = int(index_text) - 1
        name = rehab.preview_items([items[i]])[0].name
        if verb == "up" and i > 0:
            items[i - 1], items[i] = items[i], items[i - 1]
            return items, f"Moved {name} up to position {i}.", i
        if verb == "down" and i < len(items) - 1:
            items[i + 1], items[i] = items[i], items[i + 1]
            return items, f"Moved {name} down to position {i + 2}.", i + 2
        if verb == "remove":
            del items[i]
            return items, f"Removed {name}.", None
        if verb == "swap" and target:
            items[i] = rehab.default_item(target)
            new = rehab.preview_items([items[i]])[0].name
            return items, f"Replaced {name} with {new}.", i + 1
        return items, "", i + 1
    if verb in ("add", "swap") and not rehab.is_known_exercise(arg.rpartition(":")[2]):
        return items, "That exercise is not in the library.", None
    if verb == "add" and arg:
        if any(i.exercise_id == arg for i in items):
            return items, "That exercise is already in the programme.", None
        items.append(rehab.default_item(arg))
        name = rehab.preview_items([items[-1]])[0].name
        return items, f"Added {name} at position {len(items)}.", len(items)
    if verb == "suggest":
        return rehab.suggest_items(profile, phase), "Replaced the draft with the suggestion.", None
    return items, "", None


@router.get("/patients/{patient_id}/rehab/edit")
def editor_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    phase: str = "",
) -> HTMLResponse:
    programme = rehab.get_programme(uow, ctx, patient_id)
    if not rehab.can_edit_programme(active.actor.role):
        raise PermissionDenied("only the physiotherapist changes the programme")
    if programme is not None:
        draft = [
            rehab.ItemInput(
                i.exercise_id, i.sets, i.reps, i.hold_s, i.duration_min, i.rpe_target, i.note
            )
            for i in programme.items
        ]
        chosen_phase, spw, profile = programme.phase, programme.sessions_per_week, programme.profile
    else:
        chosen_phase, spw, profile = Phase.CALM, 7, rehab.ProfileInput()
        draft = rehab.suggest_items(profile, chosen_phase)
    return _editor(
        request,
        active,
        patient_id,
        programme=programme,
        draft=draft,
        phase=chosen_phase,
        sessions_per_week=spw,
        profile=profile,
        filters={},
        reason="",
    )


def _editor(
    request: Request,
    active: Any,
    patient_id: int,
    *,
    programme: rehab.ProgrammeView | None,
    draft: list[rehab.ItemInput],
    phase: Phase,
    sessions_per_week: int,
    profile: rehab.ProfileInput,
    filters: dict[str, str],
    reason: str,
    message: str = "",
    error: str | None = None,
    focus: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    library = rehab.library_entries(
        category=filters.get("category", ""),
        region=filters.get("region", ""),
        query=filters.get("q", ""),
        profile=profile,
        hide_excluded=filters.get("hide") == "1",
    )
    in_draft = {i.exercise_id for i in draft}
    suggestion = rehab.preview_items(rehab.suggest_items(profile, phase))
    return _render(
        request,
        "rehab/editor.html",
        active,
        status_code=status_code,
        patient_id=patient_id,
        programme=programme,
        items=rehab.preview_items(draft),
        phase=phase,
        phases=[(p, rehab.PHASE_LABELS[p]) for p in Phase],
        sessions_per_week=sessions_per_week,
        profile=profile,
        filters=filters,
        reason=reason,
        message=message,
        error=error,
        focus=focus,
        library=library[:60],
        library_total=len(library),
        in_draft=in_draft,
        suggestion=suggestion,
        categories=[(c.value, rehab.CATEGORY_LABELS[c]) for c in Category],
        regions=[(r.value, rehab.REGION_LABELS[r]) for r in BodyRegion],
        contra_tags=[(t.value, t.value.replace("_", " ")) for t in ContraTag],
        activity_levels=[a.value for a in ActivityLevel],
        supports=[s.value for s in SocialSupport],
        nrs=NRS,
    )


@router.post("/patients/{patient_id}/rehab/edit", dependencies=WRITE_GUARD)
async def editor_post(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
) -> Response:
    form = await request.form()
    op = _str(form, "op") or "refresh"
    try:
        phase = Phase(_str(form, "phase") or Phase.CALM.value)
    except ValueError:
        phase = Phase.CALM
    spw_raw = _str(form, "sessions_per_week")
    spw = int(spw_raw) if spw_raw.isdigit() else 7
    profile = _profile_from_form(form)
    items, errors = _draft_from_form(form)
    filters = {k: _str(form, f"f_{k}") for k in ("category", "region", "q", "hide")}
    reason = _str(form, "reason")
    error: str | None = "; ".join(errors) or None
    message, focus = "", None
    try:
        profile.to_profile()
    except InvalidInput as exc:  # a tampered code: fall back to the default profile
        error, profile = str(exc), rehab.ProfileInput()
    try:
        if op == "save" and error is None:
            rehab.save_programme(
                uow,
                ctx,
                patient_id,
                rehab.ProgrammeInput(phase, spw, items, reason, profile),
            )
            return RedirectResponse(f"/patients/{patient_id}/rehab?saved=1", status_code=303)
        items, message, focus = _apply_op(op, items, profile, phase)
    except InvalidInput as exc:
        error = str(exc)
    programme = rehab.get_programme(uow, ctx, patient_id)
    return _editor(
        request,
        active,
        patient_id,
        programme=programme,
        draft=items,
        phase=phase,
        sessions_per_week=spw,
        profile=profile,
        filters=filters,
        reason=reason,
        message=message,
        error=error,
        focus=focus,
        status_code=422 if error else 200,
    )


# ------------------------------------------------------------------------------ PDF, GMI


@router.get("/patients/{patient_id}/rehab/programme.pdf")
def programme_pdf_download(
    patient_id: int, ctx: ContextDep, uow: UowDep, container: ContainerDep
) -> Response:
    ov = rehab.rehab_overview(uow, ctx, patient_id)
    pdf = programme_pdf(ov)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'inline; filename="home-programme.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/patients/{patient_id}/rehab/gmi")
def gmi_page(
    request: Request,
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    active: ActiveSessionDep,
    container: ContainerDep,
    limb: str = "hand",
) -> HTMLResponse:
    tests = rehab.list_gmi_tests(uow, ctx, patient_id)
    return _render(
        request,
        "rehab/gmi.html",
        active,
        patient_id=patient_id,
        tests=tests,
        limb="foot" if limb == "foot" else "hand",
        can_log=rehab.can_log_sessions(active.actor.role),
        zone=_zone(active, container),
        trials=20,
    )
