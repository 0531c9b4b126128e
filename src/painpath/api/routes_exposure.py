"""Graded exposure, desensitisation and GMI stage JSON API. Routes with {patient_id} and a body
refuse out-of-scope callers (audited) before the body is validated; the services authorise again
(including the own-record check for patient-entered ratings) and audit the use case."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from painpath.clinical.rehab.desensitisation import SensoryStage, Zone
from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import desensitisation as ds
from painpath.services import exposure

router = APIRouter(prefix="/api/v1", tags=["exposure"])
# Psychologist-led exposure planning is care-plan work (see services/exposure.py).
PLAN_WRITE = [Depends(patient_guard(Kind.CARE_PLAN, Action.WRITE))]
REHAB_WRITE = [Depends(patient_guard(Kind.REHAB, Action.WRITE))]
# Patient-entered ratings: own-record READ scope, checked again in the service.
ENTRY = [Depends(patient_guard(Kind.REHAB, Action.READ))]
Nrs = Annotated[int, Field(ge=0, le=10)]
Fear = Annotated[int, Field(ge=0, le=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActivityBody(Strict):
    label: str = Field(min_length=1, max_length=200)
    fear: Fear


class HierarchyBody(Strict):
    activities: list[ActivityBody] = Field(min_length=1, max_length=exposure.MAX_ACTIVITIES)
    tsk11: int | None = Field(default=None, ge=11, le=44)
    pcs: int | None = Field(default=None, ge=0, le=52)


class TrialBody(Strict):
    activity_id: str = Field(min_length=1, max_length=64)
    performed_on: date
    predicted_fear: Fear
    actual_fear: Fear
    predicted_pain_nrs: Nrs
    actual_pain_nrs: Nrs
    note: str = Field(default="", max_length=2000)


class ReasonBody(Strict):
    reason: str = Field(default="", max_length=2000)


class PlanBody(Strict):
    ratings: dict[str, Nrs] = Field(min_length=1, max_length=40)
    current_stimulus_id: str | None = Field(default=None, max_length=64)
    zone: Zone = Zone.EDGE


class DesensSessionBody(Strict):
    stimulus_id: str = Field(min_length=1, max_length=64)
    zone: Zone
    performed_on: date
    duration_s: int = Field(ge=1, le=3600)
    discomfort_nrs: Nrs


class SensoryBody(Strict):
    stage: SensoryStage
    performed_on: date
    trials: int = Field(ge=1, le=200)
    correct: int = Field(ge=0, le=200)


class GmiDecisionBody(Strict):
    choice: Literal["start", "advance", "hold", "step_back"]
    reason: str = Field(min_length=ds.MIN_REASON, max_length=2000)


class GmiSessionBody(Strict):
    performed_on: date
    minutes: int = Field(ge=1, le=240)
    pain_before_nrs: Nrs
    pain_after_nrs: Nrs


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if value is not None else None


@router.get("/patients/{patient_id}/exposure")
def get_exposure(patient_id: int, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(exposure.get_exposure(uow, ctx, patient_id))


@router.put("/patients/{patient_id}/exposure/hierarchy", dependencies=PLAN_WRITE)
def save_hierarchy(patient_id: int, body: HierarchyBody, ctx: ContextDep, uow: UowDep) -> Any:
    data = exposure.HierarchyInput(
        [exposure.ActivityInput(a.label, a.fear) for a in body.activities], body.tsk11, body.pcs
    )
    return _plain(exposure.save_hierarchy(uow, ctx, patient_id, data))


@router.post("/patients/{patient_id}/exposure/trials", dependencies=ENTRY, status_code=201)
def record_trial(patient_id: int, body: TrialBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(
        exposure.record_trial(uow, ctx, patient_id, exposure.TrialInput(**body.model_dump()))
    )


@router.post("/patients/{patient_id}/exposure/move-up", dependencies=PLAN_WRITE)
def move_up(patient_id: int, body: ReasonBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(exposure.apply_decision(uow, ctx, patient_id, reason=body.reason))


@router.get("/patients/{patient_id}/desensitisation")
def get_desensitisation(patient_id: int, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.get_desensitisation(uow, ctx, patient_id))


@router.put("/patients/{patient_id}/desensitisation/plan", dependencies=REHAB_WRITE)
def save_plan(patient_id: int, body: PlanBody, ctx: ContextDep, uow: UowDep) -> Any:
    data = ds.PlanInput(dict(body.ratings), body.current_stimulus_id, body.zone)
    return _plain(ds.save_plan(uow, ctx, patient_id, data))


@router.post("/patients/{patient_id}/desensitisation/sessions", dependencies=ENTRY, status_code=201)
def log_desens(patient_id: int, body: DesensSessionBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.log_session(uow, ctx, patient_id, ds.SessionInput(**body.model_dump())))


@router.post("/patients/{patient_id}/desensitisation/apply", dependencies=REHAB_WRITE)
def apply_desens(patient_id: int, body: ReasonBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.apply_desens_decision(uow, ctx, patient_id))


@router.post("/patients/{patient_id}/sensory/sessions", dependencies=ENTRY, status_code=201)
def log_sensory(patient_id: int, body: SensoryBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.log_sensory(uow, ctx, patient_id, ds.SensoryInput(**body.model_dump())))


@router.post("/patients/{patient_id}/sensory/advance", dependencies=REHAB_WRITE)
def advance_sensory(patient_id: int, body: ReasonBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.advance_sensory(uow, ctx, patient_id))


@router.get("/patients/{patient_id}/gmi/stage")
def get_gmi(patient_id: int, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.get_gmi(uow, ctx, patient_id))


@router.post("/patients/{patient_id}/gmi/stage", dependencies=REHAB_WRITE)
def decide_gmi(patient_id: int, body: GmiDecisionBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.decide_gmi(uow, ctx, patient_id, choice=body.choice, reason=body.reason))


@router.post("/patients/{patient_id}/gmi/sessions", dependencies=ENTRY, status_code=201)
def log_gmi(patient_id: int, body: GmiSessionBody, ctx: ContextDep, uow: UowDep) -> Any:
    return _plain(ds.log_gmi_session(uow, ctx, patient_id, ds.GmiSessionInput(**body.model_dump())))
