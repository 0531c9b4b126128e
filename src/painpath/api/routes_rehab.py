"""Rehab JSON API: exercise library, programme (versioned), session logs, physio notes, pacing,
GMI laterality tests. Routes with {patient_id} and a body refuse out-of-scope callers (audited)
before the body is validated; the services authorise again and audit the use case."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field

from painpath.clinical.rehab import Phase
from painpath.clinical.rehab.pacing import QuotaMethod
from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import rehab

router = APIRouter(prefix="/api/v1", tags=["rehab"])
WRITE = [Depends(patient_guard(Kind.REHAB, Action.WRITE))]
# Patient-entered rows: the patient (own-record READ scope, checked again in the service) or the
# physiotherapist; everyone else is refused before the body is read.
ENTRY = [Depends(patient_guard(Kind.REHAB, Action.READ))]
Nrs = Annotated[int, Field(ge=0, le=10)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemBody(Strict):
    exercise_id: str = Field(max_length=64)
    sets: int = Field(default=0, ge=0, le=20)
    reps: int = Field(default=0, ge=0, le=200)
    hold_s: int = Field(default=0, ge=0, le=600)
    duration_min: int = Field(default=0, ge=0, le=240)
    rpe_target: Nrs = 0
    note: str = Field(default="", max_length=500)


class ProfileBody(Strict):
    contraindications: list[str] = Field(default_factory=list, max_length=20)
    activity_level: Literal["low", "moderate", "high"] = "low"
    focus_regions: list[str] = Field(default_factory=list, max_length=12)
    social_support: Literal["none", "limited", "good"] = "limited"
    has_allodynia: bool = False
    has_hypoaesthesia: bool = False
    is_gmi_candidate: bool = False


class ProgrammeBody(Strict):
    phase: Phase
    sessions_per_week: int = Field(ge=1, le=21)
    items: list[ItemBody] = Field(min_length=1, max_length=20)
    reason: str = Field(min_length=1, max_length=4000)
    profile: ProfileBody = Field(default_factory=ProfileBody)


class LogBody(Strict):
    performed_on: date
    minutes: int = Field(ge=0, le=600)
    pain_before_nrs: Nrs
    pain_after_nrs: Nrs
    rpe: Nrs
    idempotency_key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
    exercise_ids: list[str] = Field(default_factory=list, max_length=20)
    is_completed: bool = True
    note: str = Field(default="", max_length=4000)


class MeasureBody(Strict):
    name: str = Field(min_length=1, max_length=120)
    value: Decimal = Field(allow_inf_nan=False)
    unit: str = Field(default="", max_length=24)
    side: Literal["", "left", "right", "both"] = ""


class NoteBody(Strict):
    seen_on: date
    summary: str = Field(min_length=1, max_length=4000)
    measures: list[MeasureBody] = Field(default_factory=list, max_length=30)


class PacingBody(Strict):
    activity: str = Field(min_length=1, max_length=120)
    target: int = Field(ge=1, le=10_000)
    usual_pain_nrs: Nrs
    start_on: date
    unit: Literal["min", "reps", "m"] = "min"
    tolerances: list[Annotated[int, Field(ge=0, le=10_000)]] | None = Field(
        default=None, max_length=28
    )
    method: QuotaMethod = QuotaMethod.PERCENT_OF_MEAN


class TrialBody(Strict):
    shown: Literal["left", "right"]
    answer: Literal["left", "right"] | None
    reaction_time_ms: int = Field(gt=0, le=60_000)
    rotation_deg: Literal[0, 90, 180, 270] = 0
    view: Literal["back", "palm"] = "back"


class GmiBody(Strict):
    limb: Literal["hand", "foot"]
    affected_side: Literal["left", "right"]
    trials: list[TrialBody] = Field(min_length=1, max_length=200)


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if value is not None else None


@router.get("/rehab/exercises")
def list_exercises(
    ctx: ContextDep,
    category: Annotated[str, Query(max_length=40)] = "",
    region: Annotated[str, Query(max_length=40)] = "",
    q: Annotated[str, Query(max_length=60)] = "",
) -> list[dict[str, Any]]:
    """The exercise library (no patient data), filtered by category, body region and name."""
    return [
        {
            "id": e.exercise.id,
            "name": e.exercise.name,
            "category": e.exercise.category.value,
            "body_region": e.exercise.body_region.value,
            "level": e.exercise.level,
            "equipment": [x.value for x in e.exercise.equipment],
            "dosage": dataclasses.asdict(e.exercise.dosage),
            "progression_id": e.exercise.progression_id,
            "regression_id": e.exercise.regression_id,
            "contraindications": sorted(t.value for t in e.exercise.contraindications),
            "instructions": e.exercise.instructions,
        }
        for e in rehab.library_entries(category=category, region=region, query=q)
    ]


@router.get("/patients/{patient_id}/rehab")
def read_rehab(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    """Programme, adherence, pacing status, recent logs, notes (staff) and GMI tests."""
    return _plain(rehab.rehab_overview(uow, ctx, patient_id))  # type: ignore[no-any-return]


@router.get("/patients/{patient_id}/rehab/programme")
def read_programme(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any] | None:
    return _plain(rehab.get_programme(uow, ctx, patient_id))  # type: ignore[no-any-return]


@router.put("/patients/{patient_id}/rehab/programme", dependencies=WRITE)
def save_programme(
    patient_id: int, body: ProgrammeBody, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    data = rehab.ProgrammeInput(
        phase=body.phase,
        sessions_per_week=body.sessions_per_week,
        items=[rehab.ItemInput(**i.model_dump()) for i in body.items],
        reason=body.reason,
        profile=rehab.ProfileInput(
            contraindications=tuple(body.profile.contraindications),
            activity_level=body.profile.activity_level,
            focus_regions=tuple(body.profile.focus_regions),
            social_support=body.profile.social_support,
            has_allodynia=body.profile.has_allodynia,
            has_hypoaesthesia=body.profile.has_hypoaesthesia,
            is_gmi_candidate=body.profile.is_gmi_candidate,
        ),
    )
    return _plain(rehab.save_programme(uow, ctx, patient_id, data))  # type: ignore[no-any-return]


@router.get("/patients/{patient_id}/rehab/programme/versions")
def programme_versions(patient_id: int, ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_plain(v) for v in rehab.list_programme_versions(uow, ctx, patient_id)]


@router.get("/patients/{patient_id}/rehab/logs")
def list_logs(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    limit: Annotated[int, Query(ge=1, le=365)] = 60,
) -> list[dict[str, Any]]:
    return [_plain(v) for v in rehab.list_logs(uow, ctx, patient_id, limit=limit)]


@router.post(
    "/patients/{patient_id}/rehab/logs",
    dependencies=ENTRY,
    status_code=status.HTTP_201_CREATED,
)
def log_session(patient_id: int, body: LogBody, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    """Log a home session. Safe to retry: the same idempotency_key returns the stored log."""
    result = rehab.log_session(uow, ctx, patient_id, rehab.LogInput(**body.model_dump()))
    return _plain(result)  # type: ignore[no-any-return]


@router.get("/patients/{patient_id}/rehab/notes")
def list_notes(patient_id: int, ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_plain(v) for v in rehab.list_physio_notes(uow, ctx, patient_id)]


@router.post(
    "/patients/{patient_id}/rehab/notes",
    dependencies=WRITE,
    status_code=status.HTTP_201_CREATED,
)
def add_note(patient_id: int, body: NoteBody, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    view = rehab.add_physio_note(
        uow,
        ctx,
        patient_id,
        seen_on=body.seen_on,
        summary=body.summary,
        measures=[rehab.MeasureInput(m.name, m.value, m.unit, m.side) for m in body.measures],
    )
    return _plain(view)  # type: ignore[no-any-return]


@router.get("/patients/{patient_id}/rehab/pacing")
def read_pacing(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any] | None:
    return _plain(rehab.get_pacing(uow, ctx, patient_id))  # type: ignore[no-any-return]


@router.put("/patients/{patient_id}/rehab/pacing", dependencies=WRITE)
def set_pacing(patient_id: int, body: PacingBody, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    data = rehab.PacingInput(**body.model_dump())
    return _plain(rehab.set_pacing_plan(uow, ctx, patient_id, data))  # type: ignore[no-any-return]


@router.get("/patients/{patient_id}/rehab/gmi-tests")
def list_gmi(patient_id: int, ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_plain(v) for v in rehab.list_gmi_tests(uow, ctx, patient_id)]


@router.post(
    "/patients/{patient_id}/rehab/gmi-tests",
    dependencies=ENTRY,
    status_code=status.HTTP_201_CREATED,
)
def record_gmi(patient_id: int, body: GmiBody, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    """Store a left/right judgement test; answered with its score (accuracy, reaction time)."""
    view = rehab.record_gmi_test(
        uow,
        ctx,
        patient_id,
        limb=body.limb,
        affected_side=body.affected_side,
        trials=[rehab.TrialInput(**t.model_dump()) for t in body.trials],
    )
    return _plain(view)  # type: ignore[no-any-return]
