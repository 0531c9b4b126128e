"""JSON API for medicines: regimen review, orders, schedule preview, renal inputs, side effects,
fills, findings and the patient's calendar. Routes parse, call one service, shape the answer."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from painpath.clinical.medications.trial import PainMeasure
from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import medications as meds

router = APIRouter(prefix="/api/v1", tags=["medication"])
PositiveDose = Annotated[Decimal, Field(gt=0, le=100_000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionIn(Strict):
    at: time = Field(description="local wall-clock time of the session")
    on: date | None = Field(default=None, description="date; omit for every day")


class OrderCreate(Strict):
    drug: str = Field(min_length=1, max_length=48, description="lowercase generic name")
    reason: str = Field(min_length=1, max_length=1000)
    start_on: date
    purpose: str = Field(default="", max_length=200)
    target_daily_dose_mg: PositiveDose | None = None
    dose_mg: PositiveDose | None = None
    times_per_day: int | None = Field(default=None, ge=1, le=24)
    dose_mcg_per_hr: PositiveDose | None = None
    sessions: list[SessionIn] = Field(default_factory=list, max_length=400)


class SchedulePreviewRequest(Strict):
    drug: str = Field(min_length=1, max_length=48)
    target_daily_dose_mg: PositiveDose
    start_on: date
    sessions: list[SessionIn] = Field(default_factory=list, max_length=400)


class OrderChange(Strict):
    reason: str = Field(min_length=1, max_length=1000)
    dose_mg: PositiveDose | None = None
    times_per_day: int | None = Field(default=None, ge=1, le=24)
    dose_mcg_per_hr: PositiveDose | None = None


class OrderStop(Strict):
    reason: str = Field(min_length=1, max_length=1000)


class RenalCreate(Strict):
    weight_kg: Annotated[Decimal, Field(gt=0, le=400)]
    serum_creatinine_mg_dl: Annotated[Decimal, Field(gt=0, le=30)]
    measured_on: date


class SideEffectCreate(Strict):
    drug: str = Field(min_length=1, max_length=48)
    effect: str = Field(min_length=1, max_length=200)
    severity: meds.SideEffectSeverity
    noted_on: date
    note: str = Field(default="", max_length=2000)


class FillCreate(Strict):
    drug: str = Field(min_length=1, max_length=48)
    filled_on: date
    days_supply: int = Field(ge=1, le=365)


class TrialCheck(Strict):
    measure: PainMeasure
    baseline_score: Annotated[Decimal, Field(ge=0, le=10)]
    current_score: Annotated[Decimal, Field(ge=0, le=10)]
    has_intolerable_side_effects: bool = False
    is_pgic_much_improved: bool | None = None


class FindingResponse(Strict):
    decision: Literal["acknowledge", "override"]
    reason: str = Field(min_length=1, max_length=1000)


def _numbers(value: Any) -> Any:
    """Decimals as JSON numbers (int when whole), recursively; clinical values stay unrounded."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    return _numbers(dataclasses.asdict(value))


def _sessions(rows: list[SessionIn]) -> tuple[meds.SessionInput, ...]:
    return tuple(meds.SessionInput(at=s.at, on=s.on) for s in rows)


@router.get("/medication/formulary")
def formulary(ctx: ContextDep) -> list[dict[str, Any]]:
    """The drugs painpath knows (reference data, no patient data)."""
    return [_plain(d) for d in meds.formulary_choices()]


@router.get("/patients/{patient_id}/medication")
def read_regimen(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    """The review: regimen, CrCl, MME/day, findings (most severe first, with source)."""
    view = meds.get_regimen(uow, ctx, patient_id)
    return {**_plain(view), "open_findings": view.open_findings}


@router.get("/patients/{patient_id}/medication/calendar")
def read_calendar(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return dict(_plain(meds.get_calendar(uow, ctx, patient_id)))


@router.post(
    "/patients/{patient_id}/medication/review",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
)
def run_review(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    view = meds.review_regimen(uow, ctx, patient_id)
    return {**_plain(view), "open_findings": view.open_findings}


@router.post(
    "/patients/{patient_id}/medication/schedule-preview",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.READ))],
)
def preview_schedule(
    patient_id: int, body: SchedulePreviewRequest, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    return dict(
        _plain(
            meds.preview_titration(
                uow,
                ctx,
                patient_id,
                drug=body.drug,
                target_daily_dose_mg=body.target_daily_dose_mg,
                start_on=body.start_on,
                sessions=_sessions(body.sessions),
            )
        )
    )


@router.post(
    "/patients/{patient_id}/medication/orders",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
    status_code=status.HTTP_201_CREATED,
)
def start_order(patient_id: int, body: OrderCreate, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    command = meds.StartOrder(
        **body.model_dump(exclude={"sessions"}), sessions=_sessions(body.sessions)
    )
    return dict(_plain(meds.start_medication(uow, ctx, patient_id, command)))


@router.post("/medication/orders/{order_id}/titrate")
def titrate_order(order_id: int, body: OrderChange, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return dict(_plain(meds.titrate_medication(uow, ctx, order_id, **body.model_dump())))


@router.post("/medication/orders/{order_id}/stop")
def stop_order(order_id: int, body: OrderStop, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return dict(_plain(meds.stop_medication(uow, ctx, order_id, reason=body.reason)))


@router.post(
    "/patients/{patient_id}/medication/renal",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
    status_code=status.HTTP_201_CREATED,
)
def record_renal(
    patient_id: int, body: RenalCreate, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    return dict(_plain(meds.record_renal_input(uow, ctx, patient_id, **body.model_dump())))


@router.post(
    "/patients/{patient_id}/medication/side-effects",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.READ))],
    status_code=status.HTTP_201_CREATED,
)
def report_side_effect(
    patient_id: int, body: SideEffectCreate, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    return dict(_plain(meds.report_side_effect(uow, ctx, patient_id, **body.model_dump())))


@router.post(
    "/patients/{patient_id}/medication/fills",
    dependencies=[Depends(patient_guard(Kind.MEDICATION, Action.WRITE))],
    status_code=status.HTTP_204_NO_CONTENT,
)
def record_fill(patient_id: int, body: FillCreate, ctx: ContextDep, uow: UowDep) -> None:
    meds.record_fill(uow, ctx, patient_id, **body.model_dump())


@router.post("/medication/orders/{order_id}/trial")
def check_trial(order_id: int, body: TrialCheck, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    """Adequate-trial check (IMMPACT 30 %, NeuPSIG switch/add); a calculation, not stored."""
    return dict(_plain(meds.assess_order_trial(uow, ctx, order_id, **body.model_dump())))


@router.post("/medication/findings/{finding_id}/response")
def respond_to_finding(
    finding_id: int, body: FindingResponse, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    """Acknowledge or override a finding; the reason is mandatory and audited."""
    return dict(
        _plain(
            meds.respond_to_finding(
                uow,
                ctx,
                finding_id,
                decision=meds.FindingDecision(body.decision),
                reason=body.reason,
            )
        )
    )
