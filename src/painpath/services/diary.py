"""The patient's diary: a 30-second entry (pain, sleep, mood, activity, flare), several a day.

Each entry carries a client-generated idempotency key: a retry of the same entry (a lost reply on a
poor connection, a double tap) returns the stored entry instead of adding a second one. After each
new entry the monitoring rules run for the patient (services/monitoring.py), so a flare becomes a
task the same day.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from painpath.clinical.bodymap.regions import REGIONS
from painpath.clinical.monitoring import MonitoringConfig, load_monitoring_config
from painpath.records.models import Patient
from painpath.records.models_portal import DiaryEntry, MonitoringConfigRecord
from painpath.security.policy import Action, Kind
from painpath.services import monitoring
from painpath.services.access import authorize_patient
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput
from painpath.services.uow import UnitOfWork

# Five-point word scales read faster on a phone than 0-10 for sleep and mood (painpath design
# choice, not a validated instrument: the validated pain measure is the 0-10 NRS).
SLEEP_LABELS = {1: "very poor", 2: "poor", 3: "OK", 4: "good", 5: "very good"}
MOOD_LABELS = {1: "very low", 2: "low", 3: "OK", 4: "good", 5: "very good"}
MAX_ACTIVITY_MINUTES = 24 * 60
MAX_NOTE_CHARS = 2000
MAX_TRIGGER_CHARS = 200
# An entry typed offline may reach the server later; it keeps the time it was typed, within limits.
MAX_BACKDATE = timedelta(days=7)
MAX_CLOCK_SKEW = timedelta(minutes=10)
_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True, slots=True)
class DiaryInput:
    pain_nrs: int
    sleep_quality: int | None = None
    mood: int | None = None
    activity_minutes: int | None = None
    is_flare: bool = False
    flare_trigger: str = ""
    body_region: str | None = None
    note: str = ""
    recorded_at: datetime | None = None  # when the patient typed it; default: when received


@dataclass(frozen=True, slots=True)
class DiaryEntryView:
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

    @property
    def sleep_label(self) -> str:
        return SLEEP_LABELS.get(self.sleep_quality or 0, "")

    @property
    def mood_label(self) -> str:
        return MOOD_LABELS.get(self.mood or 0, "")


@dataclass(frozen=True, slots=True)
class RecordedEntry:
    entry: DiaryEntryView
    is_new: bool
    alerts_raised: int


@dataclass(frozen=True, slots=True)
class DayPoint:
    """One local day of the diary: the mean of its entries (activity: the sum)."""

    day: date
    entries: int
    mean_pain: Decimal
    mean_sleep: Decimal | None
    mean_mood: Decimal | None
    activity_minutes: int | None
    is_flare: bool


@dataclass(frozen=True, slots=True)
class DiarySummary:
    last_entry_at: datetime | None
    last_pain_nrs: int | None
    mean_pain_7d: Decimal | None
    days_with_entries_7d: int
    local_today: date


def local_today(patient: Patient, now: datetime) -> date:
    """The patient's clinical date: today in their own zone (style.md 2.4.4)."""
    return now.astimezone(ZoneInfo(patient.timezone)).date()


def record_entry(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    data: DiaryInput,
    *,
    idempotency_key: str,
) -> RecordedEntry:
    """Store one entry, or return the stored one if this key was already used (a retry)."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.WRITE, audit_action="diary.create"
    )
    key = idempotency_key.strip()
    if not _KEY.fullmatch(key):
        raise InvalidInput("idempotency_key must be 8-64 letters, digits, '-' or '_'")
    now = ctx.now()
    try:
        recorded_at = _recorded_at(data.recorded_at, now)
        values = {
            "patient_id": patient_id,
            "idempotency_key": key,
            "recorded_at": recorded_at,
            "recorded_on": local_today(patient, recorded_at),
            "created_by_id": ctx.actor.user_id or None,
            "created_at": now,
            **_validated(data),
        }
    except InvalidInput:
        # A late retry of a stored entry (say, typed 8 days ago) still gets the stored entry.
        existing = _by_key(uow, patient_id, key)
        if existing is None:
            raise
        uow.commit()
        return RecordedEntry(to_view(existing), is_new=False, alerts_raised=0)
    # One statement inserts the entry unless its key is already stored, and says which happened:
    # RETURNING, because rowcount is not reliable for ON CONFLICT DO NOTHING on PostgreSQL. A
    # concurrent copy of the same entry waits for the first to commit (PostgreSQL) or for the
    # write lock (SQLite), then conflicts and returns nothing; it answers with the stored row.
    entry_id = uow.session.scalar(
        _insert_for(uow)(DiaryEntry)
        .values(values)
        .on_conflict_do_nothing(index_elements=["patient_id", "idempotency_key"])
        .returning(DiaryEntry.id)
    )
    if entry_id is None:
        existing = _by_key(uow, patient_id, key)
        if existing is None:  # pragma: no cover - the conflicting row cannot vanish
            raise InvalidInput("the entry could not be stored; try again")
        uow.commit()
        return RecordedEntry(to_view(existing), is_new=False, alerts_raised=0)
    row = DiaryEntry(id=entry_id, **values)  # transient: a view of the row just inserted
    raised = monitoring.evaluate_patient(
        uow,
        ctx,
        patient,
        today=local_today(patient, now),
        config=_monitoring_config(uow),
    )
    view = to_view(row)
    uow.commit()
    return RecordedEntry(view, is_new=True, alerts_raised=len(raised))


def _insert_for(uow: UnitOfWork) -> Callable[..., Any]:
    dialect = uow.session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _monitoring_config(uow: UnitOfWork) -> MonitoringConfig:
    """The clinic's current rules (as monitoring.current_config), parsing each TOML text once:
    re-parsing the shipped defaults took about a fifth of record_entry's time (cProfile)."""
    clinic_toml = uow.session.scalar(
        select(MonitoringConfigRecord.clinic_toml)
        .order_by(MonitoringConfigRecord.id.desc())
        .limit(1)
    )
    return _parsed_config(clinic_toml)


@functools.lru_cache(maxsize=8)
def _parsed_config(clinic_toml: str | None) -> MonitoringConfig:
    return load_monitoring_config(clinic_toml)  # frozen: safe to share between requests


def _by_key(uow: UnitOfWork, patient_id: int, key: str) -> DiaryEntry | None:
    return uow.session.scalar(
        select(DiaryEntry).where(
            DiaryEntry.patient_id == patient_id, DiaryEntry.idempotency_key == key
        )
    )


def _recorded_at(given: datetime | None, now: datetime) -> datetime:
    if given is None:
        return now
    if given.utcoffset() is None:
        raise InvalidInput("recorded_at needs a time zone offset")
    if given > now + MAX_CLOCK_SKEW:
        raise InvalidInput("recorded_at is in the future")
    if given < now - MAX_BACKDATE:
        raise InvalidInput("entries older than 7 days cannot be added")
    return given


def _validated(data: DiaryInput) -> dict[str, object]:
    if not 0 <= data.pain_nrs <= 10:
        raise InvalidInput("pain must be between 0 and 10")
    for value, label in ((data.sleep_quality, "sleep"), (data.mood, "mood")):
        if value is not None and value not in SLEEP_LABELS:
            raise InvalidInput(f"{label} must be between 1 and 5")
    if data.activity_minutes is not None and not (
        0 <= data.activity_minutes <= MAX_ACTIVITY_MINUTES
    ):
        raise InvalidInput("activity must be between 0 and 1440 minutes")
    if data.body_region is not None and data.body_region not in REGIONS:
        raise InvalidInput("choose a body-map region from the list")
    trigger = data.flare_trigger.strip()
    if len(trigger) > MAX_TRIGGER_CHARS or len(data.note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"the note is limited to {MAX_NOTE_CHARS} characters")
    return {
        "pain_nrs": data.pain_nrs,
        "sleep_quality": data.sleep_quality,
        "mood": data.mood,
        "activity_minutes": data.activity_minutes,
        "is_flare": data.is_flare,
        "flare_trigger": trigger if data.is_flare else "",
        "body_region": data.body_region or None,
        "note": data.note.strip(),
    }


def to_view(row: DiaryEntry) -> DiaryEntryView:
    region = REGIONS.get(row.body_region) if row.body_region else None
    return DiaryEntryView(
        id=row.id,
        idempotency_key=row.idempotency_key,
        recorded_at=row.recorded_at,
        recorded_on=row.recorded_on,
        pain_nrs=row.pain_nrs,
        sleep_quality=row.sleep_quality,
        mood=row.mood,
        activity_minutes=row.activity_minutes,
        is_flare=row.is_flare,
        flare_trigger=row.flare_trigger,
        body_region=row.body_region,
        body_region_label=region.label if region else None,
        note=row.note,
    )


def list_entries(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    since: date | None = None,
    until: date | None = None,
    limit: int = 500,
) -> list[DiaryEntryView]:
    """Entries newest first, optionally between two local dates (inclusive)."""
    authorize_patient(uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="diary.list")
    rows = entry_rows(uow, patient_id, since=since, until=until, limit=limit, newest_first=True)
    views = [to_view(r) for r in rows]
    uow.commit()
    return views


def entry_rows(
    uow: UnitOfWork,
    patient_id: int,
    *,
    since: date | None,
    until: date | None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[DiaryEntry]:
    query = select(DiaryEntry).where(DiaryEntry.patient_id == patient_id)
    if since is not None:
        query = query.where(DiaryEntry.recorded_on >= since)
    if until is not None:
        query = query.where(DiaryEntry.recorded_on <= until)
    order = (
        (DiaryEntry.recorded_at.desc(), DiaryEntry.id.desc())
        if newest_first
        else (DiaryEntry.recorded_at, DiaryEntry.id)
    )
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return list(uow.session.scalars(query))


def today_entries(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> tuple[date, list[DiaryEntryView]]:
    """The patient's local date and today's entries (newest first)."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="diary.today"
    )
    today = local_today(patient, ctx.now())
    views = [
        to_view(r) for r in entry_rows(uow, patient_id, since=today, until=today, newest_first=True)
    ]
    uow.commit()
    return today, views


def daily_points(entries: list[DiaryEntry] | list[DiaryEntryView]) -> list[DayPoint]:
    """Group entries by local day, oldest first: means of pain, sleep and mood; summed activity."""
    by_day: dict[date, list[DiaryEntry | DiaryEntryView]] = {}
    for entry in entries:
        by_day.setdefault(entry.recorded_on, []).append(entry)
    points = []
    for day in sorted(by_day):
        items = by_day[day]
        activity = [e.activity_minutes for e in items if e.activity_minutes is not None]
        points.append(
            DayPoint(
                day=day,
                entries=len(items),
                mean_pain=_mean([e.pain_nrs for e in items]) or Decimal(0),
                mean_sleep=_mean([e.sleep_quality for e in items if e.sleep_quality]),
                mean_mood=_mean([e.mood for e in items if e.mood]),
                activity_minutes=sum(activity) if activity else None,
                is_flare=any(e.is_flare for e in items),
            )
        )
    return points


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    # Rounded to one decimal place, half up, for display and charts.
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def series(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, days: int = 90
) -> tuple[date, list[DayPoint]]:
    """Daily points for the last ``days`` local days (ending today), for charts."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="diary.chart"
    )
    today = local_today(patient, ctx.now())
    rows = entry_rows(uow, patient_id, since=today - timedelta(days=days - 1), until=today)
    uow.commit()
    return today, daily_points(rows)


def summarize(uow: UnitOfWork, patient: Patient, now: datetime) -> DiarySummary:
    """Last entry and the 7-day mean of daily mean pain (no authorisation: callers do it)."""
    today = local_today(patient, now)
    last = uow.session.scalar(
        select(DiaryEntry)
        .where(DiaryEntry.patient_id == patient.id)
        .order_by(DiaryEntry.recorded_at.desc(), DiaryEntry.id.desc())
        .limit(1)
    )
    week = entry_rows(uow, patient.id, since=today - timedelta(days=6), until=today)
    points = daily_points(week)
    mean = (
        (sum((p.mean_pain for p in points), Decimal(0)) / len(points)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        if points
        else None
    )
    return DiarySummary(
        last_entry_at=last.recorded_at if last else None,
        last_pain_nrs=last.pain_nrs if last else None,
        mean_pain_7d=mean,
        days_with_entries_7d=len(points),
        local_today=today,
    )


def get_summary(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> DiarySummary:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="diary.summary"
    )
    summary = summarize(uow, patient, ctx.now())
    uow.commit()
    return summary


def count_entries(uow: UnitOfWork, patient_id: int) -> int:
    return int(
        uow.session.scalar(
            select(func.count()).select_from(DiaryEntry).where(DiaryEntry.patient_id == patient_id)
        )
        or 0
    )
