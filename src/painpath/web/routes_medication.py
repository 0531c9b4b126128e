"""Medicines pages: the pharmacist's review, the physician's start-a-medicine form with the
schedule preview, and the patient's titration calendar. Thin: parse, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painpath.clinical.errors import DomainError
from painpath.clinical.medications.ort import OrtItem
from painpath.clinical.medications.renal import creatinine_mg_dl_from_umol_l
from painpath.clinical.medications.trial import PainMeasure
from painpath.http.deps import ActiveSessionDep, ContextDep, UowDep, patient_guard
from painpath.records.enums import Role
from painpath.security.policy import Action, Kind
from painpath.services import medications as meds
from painpath.services import monitoring_feeds
from painpath.services.access import role_may
from painpath.services.auth import ActiveSession
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput
from painpath.services.uow import UnitOfWork
from painpath.web.sections import PatientSection, register_section
from painpath.web.templating import form_fields, templates

router = APIRouter(include_in_schema=False)
T = TypeVar("T")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_CODES = frozenset("0123456")
SEVERITY_BADGE = {"contraindicated": "danger", "major": "danger", "moderate": "warn", "info": ""}
KIND_LABEL = {
    "interaction": "Interaction",
    "renal_dose": "Renal dose",
    "max_dose": "Maximum dose",
    "beers": "Beers criteria (older adult)",
    "mme_threshold": "Opioid dose (MME)",
    "naloxone": "Naloxone",
    "duplicate_therapy": "Duplicate therapy",
    "contraindication": "Contraindication",
}


# Opioid Risk Tool item wording (Webster & Webster, Pain Med 2005;6:432-442), by stable item id.
ORT_LABELS = {
    OrtItem.FAMILY_ALCOHOL: "Family history of alcohol misuse",
    OrtItem.FAMILY_ILLEGAL_DRUGS: "Family history of illegal drug misuse",
    OrtItem.FAMILY_PRESCRIPTION_DRUGS: "Family history of prescription drug misuse",
    OrtItem.PERSONAL_ALCOHOL: "Personal history of alcohol misuse",
    OrtItem.PERSONAL_ILLEGAL_DRUGS: "Personal history of illegal drug misuse",
    OrtItem.PERSONAL_PRESCRIPTION_DRUGS: "Personal history of prescription drug misuse",
    OrtItem.AGE_16_45: "Age 16-45",
    OrtItem.PREADOLESCENT_SEXUAL_ABUSE: "History of preadolescent sexual abuse",
    OrtItem.ADD_OCD_BIPOLAR_SCHIZOPHRENIA: "ADD, OCD, bipolar disorder or schizophrenia",
    OrtItem.DEPRESSION: "Depression",
}


def _fmt(value: Decimal | None, places: str = "0.1") -> str:
    """Presentation rounding: half-even to `places`, trailing zeros dropped."""
    if value is None:
        return "—"
    shown = value.quantize(Decimal(places)).normalize()
    return format(shown, "f")


templates.env.filters["dose"] = _fmt


def _render(
    request: Request, name: str, active: ActiveSession, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.update(
        active=active,
        csrf_token=active.csrf_token,
        severity_badge=SEVERITY_BADGE,
        kind_label=KIND_LABEL,
        weekdays=WEEKDAYS,
        zone=request.app.state.container.settings.clinic_timezone,
    )
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _decimal(value: str, label: str, *, required: bool = True) -> Decimal | None:
    text = value.strip().replace(",", ".")
    if not text:
        if required:
            raise InvalidInput(f"enter {label}")
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"{label} must be a number") from None
    if not number.is_finite():
        raise InvalidInput(f"{label} must be a number")
    return number


def _int(value: str, label: str, *, required: bool = True) -> int | None:
    number = _decimal(value, label, required=required)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise InvalidInput(f"{label} must be a whole number")
    return int(number)


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{label} must be a date like 2026-03-02") from None


def _choice(cls: Callable[[str], T], value: str, label: str) -> T:
    try:
        return cls(value)
    except ValueError:
        raise InvalidInput(f"choose {label}") from None


def _back(patient_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/patients/{patient_id}/medication{anchor}", status_code=303)


# --------------------------------------------------------------------------- review page


def _review_page(
    request: Request,
    uow: UnitOfWork,
    ctx: RequestContext,
    active: ActiveSession,
    patient_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
    trial: meds.TrialView | None = None,
    ort: meds.OrtView | None = None,
) -> HTMLResponse:
    view = meds.get_regimen(uow, ctx, patient_id)
    role = active.actor.role
    return _render(
        request,
        "medication/review.html",
        active,
        status_code=status_code,
        r=view,
        error=error,
        today=ctx.now().date(),
        can_prescribe=role in meds.PRESCRIBERS,
        can_act=role in meds.REVIEWERS and role_may(role, Kind.MEDICATION, Action.ACT),
        can_write=role_may(role, Kind.MEDICATION, Action.WRITE),
        drugs=meds.formulary_choices(),
        severities=list(meds.SideEffectSeverity),
        trial=trial,
        ort=ort,
        on_opioid=meds.is_on_opioid(view),
        ort_labels=ORT_LABELS,
    )


@router.get("/patients/{patient_id}/medication")
def medication_page(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    if active.actor.role is Role.PATIENT:
        return _calendar_page(request, uow, ctx, active, patient_id)
    return _review_page(request, uow, ctx, active, patient_id)


@router.post(
    "/patients/{patient_id}/medication/review",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
)
def run_review(patient_id: int, ctx: ContextDep, uow: UowDep) -> Response:
    meds.review_regimen(uow, ctx, patient_id)
    return _back(patient_id, "#h-findings")


@router.post(
    "/patients/{patient_id}/medication/findings",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.ACT))],
)
async def respond_to_finding(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        finding_id = _int(form.get("finding_id", ""), "a finding")
        assert finding_id is not None
        decision = _choice(
            meds.FindingDecision, form.get("decision", ""), "acknowledge or override"
        )
        meds.respond_to_finding(
            uow,
            ctx,
            finding_id,
            decision=decision,
            reason=form.get("reason", ""),
            patient_id=patient_id,
        )
    except InvalidInput as exc:
        return _review_page(request, uow, ctx, active, patient_id, error=str(exc), status_code=422)
    return _back(patient_id, f"#finding-{finding_id}")


@router.post(
    "/patients/{patient_id}/medication/trial",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.READ))],
)
async def assess_trial(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    """Adequate-trial check of one medicine (a calculation: nothing is stored)."""
    form = await form_fields(request)
    try:
        order_id = _int(form.get("order_id", ""), "a medicine")
        baseline = _decimal(form.get("baseline", ""), "the pain score before")
        current = _decimal(form.get("current", ""), "the pain score now")
        assert order_id is not None and baseline is not None and current is not None
        trial = meds.assess_order_trial(
            uow,
            ctx,
            order_id,
            measure=_choice(PainMeasure, form.get("measure", ""), "NRS or PEG"),
            baseline_score=baseline,
            current_score=current,
            has_intolerable_side_effects=form.get("intolerable") == "1",
            is_pgic_much_improved=form.get("pgic") == "1",
            patient_id=patient_id,
        )
    except InvalidInput as exc:
        return _review_page(request, uow, ctx, active, patient_id, error=str(exc), status_code=422)
    return _review_page(request, uow, ctx, active, patient_id, trial=trial)


@router.post(
    "/patients/{patient_id}/medication/ort",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.READ))],
)
async def opioid_risk(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    """Opioid Risk Tool (a calculation: nothing is stored)."""
    form = await form_fields(request)
    answers = {item.value: form.get(item.value) == "1" for item in OrtItem}
    ort = meds.score_opioid_risk(uow, ctx, patient_id, answers)
    return _review_page(request, uow, ctx, active, patient_id, ort=ort)


@router.post(
    "/patients/{patient_id}/medication/renal",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
)
async def record_renal(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        weight = _decimal(form.get("weight_kg", ""), "the weight")
        creatinine = _decimal(form.get("creatinine", ""), "the serum creatinine")
        assert weight is not None and creatinine is not None
        if form.get("creatinine_unit") == "umol_l":
            # 1 mg/dL = 88.4 umol/L (clinical reference §4.3)
            creatinine = creatinine_mg_dl_from_umol_l(creatinine)
        meds.record_renal_input(
            uow,
            ctx,
            patient_id,
            weight_kg=weight,
            serum_creatinine_mg_dl=creatinine,
            measured_on=_date(form.get("measured_on", ""), "the date measured"),
        )
    except InvalidInput as exc:
        return _review_page(request, uow, ctx, active, patient_id, error=str(exc), status_code=422)
    return _back(patient_id, "#h-kidney")


@router.post(
    "/patients/{patient_id}/medication/side-effects",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.READ))],
)
async def report_side_effect(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        meds.report_side_effect(
            uow,
            ctx,
            patient_id,
            drug=form.get("drug", ""),
            effect=form.get("effect", ""),
            severity=_choice(meds.SideEffectSeverity, form.get("severity", ""), "how bad it is"),
            noted_on=_date(form.get("noted_on", ""), "the date"),
            note=form.get("note", "")[:2000],
        )
    except InvalidInput as exc:
        if active.actor.role is Role.PATIENT:
            return _calendar_page(
                request, uow, ctx, active, patient_id, error=str(exc), status_code=422
            )
        return _review_page(request, uow, ctx, active, patient_id, error=str(exc), status_code=422)
    if active.actor.role is Role.PATIENT:
        return RedirectResponse(
            f"/patients/{patient_id}/medication/calendar?reported=1", status_code=303
        )
    return _back(patient_id, "#h-side-effects")


@router.post(
    "/patients/{patient_id}/medication/fills",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
)
async def record_fill(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    form = await form_fields(request)
    try:
        days = _int(form.get("days_supply", ""), "the days supplied")
        assert days is not None
        meds.record_fill(
            uow,
            ctx,
            patient_id,
            drug=form.get("drug", ""),
            filled_on=_date(form.get("filled_on", ""), "the fill date"),
            days_supply=days,
        )
    except InvalidInput as exc:
        return _review_page(request, uow, ctx, active, patient_id, error=str(exc), status_code=422)
    return _back(patient_id, "#h-adherence")


@router.post(
    "/patients/{patient_id}/medication/orders/change",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
)
async def change_order(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    """Stop an order, or change its dose (form field `change`: stop / titrate)."""
    form = await form_fields(request)
    try:
        order_id = _int(form.get("order_id", ""), "a medicine")
        assert order_id is not None
        if form.get("change") == "stop":
            meds.stop_medication(
                uow, ctx, order_id, reason=form.get("reason", ""), patient_id=patient_id
            )
        else:
            meds.titrate_medication(
                uow,
                ctx,
                order_id,
                reason=form.get("reason", ""),
                patient_id=patient_id,
                dose_mg=_decimal(form.get("dose_mg", ""), "the dose", required=False),
                times_per_day=_int(form.get("times_per_day", ""), "times a day", required=False),
                dose_mcg_per_hr=_decimal(
                    form.get("dose_mcg_per_hr", ""), "the patch strength", required=False
                ),
            )
    except (InvalidInput, DomainError) as exc:
        return _review_page(request, uow, ctx, active, patient_id, error=str(exc), status_code=422)
    return _back(patient_id, "#h-regimen")


# ------------------------------------------------------------------- start-a-medicine form


def _sessions(form: dict[str, str], weekdays: list[int], start_on: date) -> tuple[Any, ...]:
    at_text = form.get("session_at", "").strip()
    if not at_text:
        return ()
    try:
        at = time.fromisoformat(at_text)
    except ValueError:
        raise InvalidInput("the physio session time must look like 10:30") from None
    if not weekdays:
        return (meds.SessionInput(at=at),)
    return meds.weekly_sessions(weekdays, at, start_on)


def _new_page(
    request: Request,
    uow: UnitOfWork,
    ctx: RequestContext,
    active: ActiveSession,
    patient_id: int,
    *,
    form: dict[str, str],
    weekdays: list[int],
    preview: meds.SchedulePreview | None = None,
    proposed: list[meds.ProposedFinding] | None = None,
    error: str | None = None,
    status_code: int = 200,
    planned: monitoring_feeds.PlannedSessions | None = None,
) -> HTMLResponse:
    view = meds.get_regimen(uow, ctx, patient_id)
    return _render(
        request,
        "medication/new.html",
        active,
        status_code=status_code,
        r=view,
        form=form,
        chosen_weekdays=weekdays,
        preview=preview,
        proposed=proposed,
        steps=meds.dose_changes(preview.steps, with_timing=True) if preview else [],
        error=error,
        drugs=meds.formulary_choices(),
        can_prescribe=active.actor.role in meds.PRESCRIBERS,
        planned=planned,
    )


@router.get("/patients/{patient_id}/medication/new")
def new_medication_form(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    form = {"start_on": ctx.now().date().isoformat(), "mode": "titrate"}
    # Pre-fill the physio session days from the rehab programme, when there is one.
    planned = monitoring_feeds.planned_sessions_for(uow, ctx, patient_id)
    return _new_page(
        request,
        uow,
        ctx,
        active,
        patient_id,
        form=form,
        weekdays=list(planned.weekdays) if planned else [],
        planned=planned,
    )


@router.post(
    "/patients/{patient_id}/medication/orders",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
)
async def start_medication(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    weekdays = sorted(
        {int(d) for d in raw.getlist("session_days") if isinstance(d, str) and d in DAY_CODES}
    )
    preview: meds.SchedulePreview | None = None
    try:
        start_on = _date(form.get("start_on", ""), "the start date")
        sessions = _sessions(form, weekdays, start_on)
        drug = form.get("drug", "")
        if not drug:
            raise InvalidInput("choose a medicine")
        is_titration = form.get("mode", "titrate") == "titrate"
        target = (
            _decimal(form.get("target_daily_dose_mg", ""), "the target mg a day")
            if (is_titration)
            else None
        )
        if target is not None:
            preview = meds.preview_titration(
                uow,
                ctx,
                patient_id,
                drug=drug,
                target_daily_dose_mg=target,
                start_on=start_on,
                sessions=sessions,
            )
        fixed_mg = (
            None if is_titration else _decimal(form.get("dose_mg", ""), "the dose", required=False)
        )
        fixed_times = (
            None
            if is_titration
            else _int(form.get("times_per_day", ""), "times a day", required=False)
        )
        fixed_mcg = (
            None
            if is_titration
            else _decimal(form.get("dose_mcg_per_hr", ""), "the patch strength", required=False)
        )
        if form.get("action") != "start":
            final = preview.steps[-1] if preview and preview.steps else None
            proposed = meds.check_proposed(
                uow,
                ctx,
                patient_id,
                drug=drug,
                dose_mg=final.daily_dose_mg / final.times_per_day if final else fixed_mg,
                times_per_day=final.times_per_day if final else fixed_times,
                dose_mcg_per_hr=fixed_mcg,
            )
            return _new_page(
                request,
                uow,
                ctx,
                active,
                patient_id,
                form=form,
                weekdays=weekdays,
                preview=preview,
                proposed=proposed,
            )
        meds.start_medication(
            uow,
            ctx,
            patient_id,
            meds.StartOrder(
                drug=drug,
                reason=form.get("reason", ""),
                start_on=start_on,
                purpose=form.get("purpose", ""),
                target_daily_dose_mg=target,
                dose_mg=None
                if is_titration
                else _decimal(form.get("dose_mg", ""), "the dose", required=False),
                times_per_day=None
                if is_titration
                else _int(form.get("times_per_day", ""), "times a day", required=False),
                dose_mcg_per_hr=None
                if is_titration
                else _decimal(
                    form.get("dose_mcg_per_hr", ""), "the patch strength", required=False
                ),
                sessions=sessions,
            ),
        )
    except (InvalidInput, DomainError) as exc:
        return _new_page(
            request,
            uow,
            ctx,
            active,
            patient_id,
            form=form,
            weekdays=weekdays,
            preview=preview,
            error=str(exc),
            status_code=422,
        )
    return _back(patient_id, "#h-regimen")


# ------------------------------------------------------------------------ patient calendar


def _calendar_page(
    request: Request,
    uow: UnitOfWork,
    ctx: RequestContext,
    active: ActiveSession,
    patient_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    calendar = meds.get_calendar(uow, ctx, patient_id)
    return _render(
        request,
        "medication/calendar.html",
        active,
        status_code=status_code,
        c=calendar,
        error=error,
        reported=request.query_params.get("reported") == "1",
        is_patient=active.actor.role is Role.PATIENT,
        severities=list(meds.SideEffectSeverity),
    )


@router.get("/patients/{patient_id}/medication/calendar")
def calendar_page(
    request: Request, patient_id: int, ctx: ContextDep, uow: UowDep, active: ActiveSessionDep
) -> HTMLResponse:
    return _calendar_page(request, uow, ctx, active, patient_id)


register_section(
    PatientSection(
        "medicines",
        "Medicines",
        30,
        "No medicines recorded yet.",
        link="/patients/{patient_id}/medication",
        link_text="Open medicines",
        summary=meds.medicines_summary,
    )
)
