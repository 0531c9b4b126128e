"""Reminder scheduling: the patient's chosen local times in their IANA zone -> due instants in UTC.

Time rules (style.md 2.4.4: convert to local only to compute a schedule, then straight back to UTC):

- A local time that does not exist on a spring-forward day (e.g. 01:30 on 2026-03-29 in Europe/London)
  is read with the UTC offset *before* the gap, so it fires at 02:30 BST = 01:30 UTC, i.e. shifted
  forward by the gap. A local time that occurs twice on a fall-back day fires once, at its *first*
  occurrence. Both are RFC 5545 section 3.3.5 behaviour (checked via the `whenever` library docs,
  which state iCalendar's "offset before the change" default) and Python's PEP 495 ``fold=0``.
- The idempotency key names the *local slot* (patient, item, local date, local time), never the UTC
  instant, so re-running the scheduler, restarting it, or a change of zone never sends a slot twice.
- A slot already done (the dose taken, the questionnaire submitted) is skipped.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from painpath.clinical.errors import DomainError, UnknownCode

KEY_VERSION: Final = "r1"  # bump if the key format ever changes, so old and new keys never collide
MAX_RANGE_DAYS: Final = 366  # a scheduler computes a window, not a lifetime


class InvalidSchedule(DomainError):
    """A reminder request the scheduler cannot honour (naive datetime, reversed range, ...)."""


class ReminderKind(StrEnum):
    """What the reminder is for (issue 6)."""

    MEDICATION = "medication"
    EXERCISE = "exercise"
    QUESTIONNAIRE = "questionnaire"


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """What to remind about and at which local wall-clock times.

    Attributes:
        item_code: stable id of the thing (titration step id, programme id, questionnaire bundle id).
        iso_weekdays: 1 = Monday ... 7 = Sunday; empty = every day.
        only_on: if given, remind only on these local dates (e.g. questionnaire due dates).
    """

    item_code: str
    kind: ReminderKind
    local_times: tuple[time, ...]
    iso_weekdays: frozenset[int] = frozenset()
    only_on: frozenset[date] | None = None


@dataclass(frozen=True, slots=True)
class DoneItem:
    """Something already done: one slot (with ``local_time``) or the whole day (``None``)."""

    item_code: str
    local_date: date
    local_time: time | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder due at ``due_at`` (UTC), with the local slot it stands for."""

    due_at: datetime
    item_code: str
    kind: ReminderKind
    local_date: date
    local_time: time
    idempotency_key: str


def reminder_key(patient_ref: str, item_code: str, local_date: date, local_time: time) -> str:
    """Deterministic idempotency key of one local reminder slot."""
    return f"{KEY_VERSION}:{patient_ref}:{item_code}:{local_date.isoformat()}T{local_time:%H:%M}"


def to_utc(local_date: date, local_time: time, zone: ZoneInfo) -> datetime:
    """Local wall-clock date and time in ``zone`` -> aware UTC instant (gap: offset before; overlap: first)."""
    # fold=0 is PEP 495's "earlier" reading: first occurrence in an overlap, pre-transition offset in a gap.
    local = datetime.combine(local_date, local_time.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(UTC)


def schedule_reminders(
    patient_ref: str,
    plans: Iterable[ReminderPlan],
    *,
    zone_name: str,
    start_on: date,
    end_on: date,
    done: Collection[DoneItem] = (),
    not_before: datetime | None = None,
) -> tuple[Reminder, ...]:
    """Due reminders for local dates ``start_on``..``end_on`` (inclusive), sorted by instant.

    Args:
        zone_name: the patient's IANA zone, e.g. ``"Europe/London"``.
        done: slots or whole days already done; they get no reminder.
        not_before: aware instant (usually "now"); earlier reminders are dropped.

    Raises:
        UnknownCode: ``zone_name`` is not an IANA zone.
        InvalidSchedule: reversed or too long range, naive ``not_before``, duplicate local times.
    """
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownCode(f"time zone {zone_name!r}") from exc
    if end_on < start_on:
        raise InvalidSchedule(f"range {start_on}..{end_on} is reversed")
    if (end_on - start_on).days >= MAX_RANGE_DAYS:
        raise InvalidSchedule(f"range longer than {MAX_RANGE_DAYS} days")
    if not_before is not None and not_before.utcoffset() is None:
        raise InvalidSchedule("not_before must be timezone-aware")

    done_days = {(d.item_code, d.local_date) for d in done if d.local_time is None}
    done_slots = {
        (d.item_code, d.local_date, _minute(d.local_time)) for d in done if d.local_time is not None
    }
    reminders: list[Reminder] = []
    days = (end_on - start_on).days + 1
    for plan in plans:
        minutes = [_minute(t) for t in plan.local_times]
        if len(set(minutes)) != len(minutes):
            raise InvalidSchedule(f"plan {plan.item_code} repeats a local time")
        for offset in range(days):
            day = start_on + timedelta(days=offset)
            if plan.iso_weekdays and day.isoweekday() not in plan.iso_weekdays:
                continue
            if plan.only_on is not None and day not in plan.only_on:
                continue
            if (plan.item_code, day) in done_days:
                continue
            for slot in minutes:
                if (plan.item_code, day, slot) in done_slots:
                    continue
                due_at = to_utc(day, slot, zone)
                if not_before is not None and due_at < not_before:
                    continue
                reminders.append(
                    Reminder(
                        due_at=due_at,
                        item_code=plan.item_code,
                        kind=plan.kind,
                        local_date=day,
                        local_time=slot,
                        idempotency_key=reminder_key(patient_ref, plan.item_code, day, slot),
                    )
                )
    return tuple(sorted(reminders, key=lambda r: (r.due_at, r.item_code)))


def _minute(t: time) -> time:
    """Reminders are per minute: seconds, microseconds, tzinfo and fold are dropped."""
    return time(t.hour, t.minute)
