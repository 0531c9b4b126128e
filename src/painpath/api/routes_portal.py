"""Patient portal JSON API: diary, journal, monitoring dashboard, reminders and lessons."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from painpath.http.deps import ContextDep, UowDep, patient_guard
from painpath.security.policy import Action, Kind
from painpath.services import diary, journal, monitoring

router = APIRouter(prefix="/api/v1", tags=["portal"])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiaryCreate(_Strict):
    idempotency_key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    pain_nrs: int = Field(ge=0, le=10)
    sleep_quality: int | None = Field(default=None, ge=1, le=5)
    mood: int | None = Field(default=None, ge=1, le=5)
    activity_minutes: int | None = Field(default=None, ge=0, le=diary.MAX_ACTIVITY_MINUTES)
    is_flare: bool = False
    flare_trigger: str = Field(default="", max_length=diary.MAX_TRIGGER_CHARS)
    body_region: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", max_length=diary.MAX_NOTE_CHARS)
    recorded_at: datetime | None = None


class DiaryEntryRead(BaseModel):
    id: int
    idempotency_key: str
    recorded_at: datetime
    recorded_on: date
    pain_nrs: int
    sleep_quality: int | None
    mood: int | None
    activity_minutes: int | None
    is_flare: bool
    flare_trigger: str
    body_region: str | None
    body_region_label: str | None
    note: str


class DiarySummaryRead(BaseModel):
    last_entry_at: datetime | None
    last_pain_nrs: int | None
    mean_pain_7d: Decimal | None
    days_with_entries_7d: int
    local_today: date


class JournalCreate(_Strict):
    idempotency_key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    body: str = Field(min_length=1, max_length=journal.MAX_JOURNAL_CHARS)
    is_shared: bool = False


class JournalShare(_Strict):
    is_shared: bool


class JournalRead(BaseModel):
    id: int
    body: str
    is_shared: bool
    shared_at: datetime | None
    created_at: datetime


class AlertBriefRead(BaseModel):
    id: int
    kind: str
    severity: str
    title: str
    raised_at: datetime
    is_safety: bool


class PatientNeedRead(BaseModel):
    patient_id: int
    name: str
    mrn: str
    top_severity: str | None
    alerts: list[AlertBriefRead]
    last_entry_on: date | None
    mean_pain_7d: Decimal | None
    days_with_entries_7d: int


class MonitoringConfigUpdate(_Strict):
    clinic_toml: str = Field(max_length=20_000)
    reason: str = Field(min_length=1, max_length=1000)


class MonitoringConfigRead(BaseModel):
    version: str
    overridden: list[str]


def _plain(value: Any) -> dict[str, Any]:
    return dataclasses.asdict(value)


@router.post(
    "/patients/{patient_id}/diary",
    response_model=DiaryEntryRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(patient_guard(Kind.DIARY, Action.WRITE))],
    responses={200: {"description": "the same idempotency key was used before: stored entry"}},
)
def record_diary_entry(
    patient_id: int, body: DiaryCreate, ctx: ContextDep, uow: UowDep, response: Response
) -> dict[str, Any]:
    """Record a diary entry. Retrying with the same idempotency_key returns the stored entry (200)."""
    data = body.model_dump(exclude={"idempotency_key"})
    recorded = diary.record_entry(
        uow, ctx, patient_id, diary.DiaryInput(**data), idempotency_key=body.idempotency_key
    )
    if not recorded.is_new:
        response.status_code = status.HTTP_200_OK
    return _plain(recorded.entry)


@router.get("/patients/{patient_id}/diary", response_model=list[DiaryEntryRead])
def list_diary_entries(
    patient_id: int,
    ctx: ContextDep,
    uow: UowDep,
    since: date | None = None,
    until: date | None = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> list[dict[str, Any]]:
    entries = diary.list_entries(uow, ctx, patient_id, since=since, until=until, limit=limit)
    return [_plain(e) for e in entries]


@router.get("/patients/{patient_id}/diary/summary", response_model=DiarySummaryRead)
def diary_summary(patient_id: int, ctx: ContextDep, uow: UowDep) -> dict[str, Any]:
    return _plain(diary.get_summary(uow, ctx, patient_id))


@router.get("/patients/{patient_id}/journal", response_model=list[JournalRead])
def list_journal(patient_id: int, ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    """The patient's own entries; staff receive only the entries the patient shared."""
    return [_plain(e) for e in journal.list_entries(uow, ctx, patient_id)]


@router.post(
    "/patients/{patient_id}/journal",
    response_model=JournalRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(patient_guard(Kind.JOURNAL, Action.WRITE))],
)
def write_journal(
    patient_id: int, body: JournalCreate, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    return _plain(
        journal.write_entry(
            uow,
            ctx,
            patient_id,
            body=body.body,
            is_shared=body.is_shared,
            idempotency_key=body.idempotency_key,
        )
    )


@router.post(
    "/patients/{patient_id}/journal/{entry_id}/share",
    response_model=JournalRead,
    dependencies=[Depends(patient_guard(Kind.JOURNAL, Action.WRITE))],
)
def share_journal_entry(
    patient_id: int, entry_id: int, body: JournalShare, ctx: ContextDep, uow: UowDep
) -> dict[str, Any]:
    return _plain(journal.set_shared(uow, ctx, patient_id, entry_id, is_shared=body.is_shared))


@router.get("/monitoring", response_model=list[PatientNeedRead])
def monitoring_dashboard(ctx: ContextDep, uow: UowDep) -> list[dict[str, Any]]:
    """Patients of the caller's care teams by need: urgent alerts first."""
    return [_plain(n) for n in monitoring.dashboard(uow, ctx)]


@router.put("/monitoring/config", response_model=MonitoringConfigRead)
def update_monitoring_config(
    body: MonitoringConfigUpdate, ctx: ContextDep, uow: UowDep
) -> MonitoringConfigRead:
    """Replace the clinic's alert-rule override (admin; validated and audited)."""
    config = monitoring.set_config(uow, ctx, clinic_toml=body.clinic_toml, reason=body.reason)
    return MonitoringConfigRead(version=config.version, overridden=list(config.overridden))
