"""Reminders at the patient's chosen local times: shown in the app and, if the patient chose it,
sent by e-mail through a pluggable sender.

Sending is at most once per slot: the slot's idempotency key (clinical.monitoring.reminder_key,
naming the *local* slot) is inserted with a unique constraint and committed *before* sending, so
two scheduler processes, a restart or a re-run never send the same slot twice. A slot the patient
has already done (ticked in the app, or reported done by another module through DONE_PROVIDERS) is
never sent.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painpath.clinical.monitoring import (
    DoneItem,
    Reminder,
    ReminderKind,
    ReminderPlan,
    schedule_reminders,
)
from painpath.records.models import Patient
from painpath.records.models_portal import ReminderDelivery, ReminderDone, ReminderPlanRecord
from painpath.security.policy import Action, Kind
from painpath.services import audit
from painpath.services.access import authorize_patient
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.errors import InvalidInput, NotFound
from painpath.services.uow import UnitOfWork

log = logging.getLogger("painpath.reminders")

MAX_TIMES_A_DAY = 8
# A scheduler that was down sends slots missed in the last few hours, never older ones: a
# reminder to take the morning dose is useless (or harmful) in the evening (painpath default).
LOOKBACK = timedelta(hours=2)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")

# Other modules may report slots done (a dose logged, a session logged, a questionnaire sent):
# fn(session, patient_id, first local date, last local date) -> done items.
DoneProvider = Callable[[Session, int, date, date], Iterable[DoneItem]]
DONE_PROVIDERS: list[DoneProvider] = []


@dataclass(frozen=True, slots=True)
class ReminderPlanView:
    id: int
    item_code: str
    kind: str
    label: str
    local_times: list[str]
    iso_weekdays: list[int]
    is_email: bool
    is_active: bool


@dataclass(frozen=True, slots=True)
class DueSlot:
    item_code: str
    label: str
    kind: str
    local_date: date
    local_time: time
    due_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryView:
    item_code: str
    kind: str
    due_at: datetime
    channel: str
    state: str


def _view(row: ReminderPlanRecord) -> ReminderPlanView:
    return ReminderPlanView(
        row.id,
        row.item_code,
        row.kind,
        row.label,
        list(row.local_times),
        list(row.iso_weekdays),
        row.is_email,
        row.is_active,
    )


def parse_times(text: str) -> list[str]:
    """ "8:00, 20:00" -> ["08:00", "20:00"] (sorted, unique); refuses anything else."""
    found: set[str] = set()
    for part in re.split(r"[,\s;]+", text.strip()):
        if not part:
            continue
        match = _TIME.match(part)
        if not match:
            raise InvalidInput(f"'{part}' is not a time like 08:00")
        found.add(f"{int(match.group(1)):02d}:{match.group(2)}")
    if not found:
        raise InvalidInput("give at least one time, like 08:00")
    if len(found) > MAX_TIMES_A_DAY:
        raise InvalidInput(f"at most {MAX_TIMES_A_DAY} times a day")
    return sorted(found)


def list_plans(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[ReminderPlanView]:
    authorize_patient(uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="reminder.list")
    rows = uow.session.scalars(
        select(ReminderPlanRecord)
        .where(ReminderPlanRecord.patient_id == patient_id)
        .order_by(ReminderPlanRecord.kind, ReminderPlanRecord.label)
    )
    views = [_view(r) for r in rows]
    uow.commit()
    return views


def add_plan(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    kind: str,
    label: str,
    local_times: list[str],
    is_email: bool,
) -> ReminderPlanView:
    """The patient adds a reminder of their own (plans from other modules arrive with codes)."""
    authorize_patient(uow, ctx, patient_id, Kind.DIARY, Action.WRITE, audit_action="reminder.add")
    try:
        kind_code = ReminderKind(kind)
    except ValueError as exc:
        raise InvalidInput("choose what the reminder is for") from exc
    if not label.strip() or len(label) > 120:
        raise InvalidInput("give the reminder a short name (up to 120 characters)")
    now = ctx.now()
    row = ReminderPlanRecord(
        patient_id=patient_id,
        item_code=f"own-{uuid.uuid4().hex[:12]}",
        kind=kind_code.value,
        label=label.strip(),
        local_times=parse_times(",".join(local_times)),
        iso_weekdays=[],
        is_email=is_email,
        is_active=True,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(row)
    uow.session.flush()
    view = _view(row)
    uow.commit()
    return view


def update_plan(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    plan_id: int,
    *,
    local_times: list[str],
    is_email: bool,
    is_active: bool,
) -> ReminderPlanView:
    """The patient chooses the times, the channel, or switches a reminder off."""
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.DIARY,
        Action.WRITE,
        audit_action="reminder.update",
        resource_id=plan_id,
    )
    row = uow.session.get(ReminderPlanRecord, plan_id)
    if row is None or row.patient_id != patient_id:
        raise NotFound(f"reminder {plan_id} not found")
    row.local_times = parse_times(",".join(local_times))
    row.is_email = is_email
    row.is_active = is_active
    row.updated_at = ctx.now()
    view = _view(row)
    uow.commit()
    return view


def mark_done(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    item_code: str,
    local_date: date,
    local_time: time,
) -> None:
    """The patient ticks a reminder slot as done; it is never sent after this. Idempotent."""
    authorize_patient(uow, ctx, patient_id, Kind.DIARY, Action.WRITE, audit_action="reminder.done")
    plan = uow.session.scalar(
        select(ReminderPlanRecord).where(
            ReminderPlanRecord.patient_id == patient_id, ReminderPlanRecord.item_code == item_code
        )
    )
    if plan is None:
        raise NotFound(f"reminder {item_code} not found")
    try:
        with uow.session.begin_nested():
            uow.session.add(
                ReminderDone(
                    patient_id=patient_id,
                    item_code=item_code,
                    local_date=local_date,
                    local_time=time(local_time.hour, local_time.minute),
                    done_at=ctx.now(),
                )
            )
    except IntegrityError:
        pass  # already ticked: nothing to add
    uow.commit()


def _done_items(session: Session, patient_id: int, start: date, end: date) -> list[DoneItem]:
    rows = session.scalars(
        select(ReminderDone).where(
            ReminderDone.patient_id == patient_id,
            ReminderDone.local_date >= start,
            ReminderDone.local_date <= end,
        )
    )
    done = [DoneItem(r.item_code, r.local_date, r.local_time) for r in rows]
    for provider in DONE_PROVIDERS:
        done.extend(provider(session, patient_id, start, end))
    return done


def _plans(rows: Iterable[ReminderPlanRecord]) -> list[ReminderPlan]:
    return [
        ReminderPlan(
            item_code=r.item_code,
            kind=ReminderKind(r.kind),
            local_times=tuple(time.fromisoformat(t) for t in r.local_times),
            iso_weekdays=frozenset(r.iso_weekdays),
        )
        for r in rows
    ]


def today_slots(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[DueSlot]:
    """Today's reminder slots not done yet, in local time order (shown in the app)."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="reminder.today"
    )
    today = ctx.now().astimezone(ZoneInfo(patient.timezone)).date()
    rows = list(
        uow.session.scalars(
            select(ReminderPlanRecord).where(
                ReminderPlanRecord.patient_id == patient_id, ReminderPlanRecord.is_active.is_(True)
            )
        )
    )
    labels = {r.item_code: (r.label, r.kind) for r in rows}
    slots = schedule_reminders(
        str(patient_id),
        _plans(rows),
        zone_name=patient.timezone,
        start_on=today,
        end_on=today,
        done=_done_items(uow.session, patient_id, today, today),
    )
    uow.commit()
    return [
        DueSlot(
            r.item_code,
            labels[r.item_code][0],
            labels[r.item_code][1],
            r.local_date,
            r.local_time,
            r.due_at,
        )
        for r in slots
    ]


def recent_deliveries(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, days: int = 7
) -> list[DeliveryView]:
    authorize_patient(
        uow, ctx, patient_id, Kind.DIARY, Action.READ, audit_action="reminder.deliveries"
    )
    rows = uow.session.scalars(
        select(ReminderDelivery)
        .where(
            ReminderDelivery.patient_id == patient_id,
            ReminderDelivery.due_at >= ctx.now() - timedelta(days=days),
        )
        .order_by(ReminderDelivery.due_at.desc())
    )
    views = [DeliveryView(r.item_code, r.kind, r.due_at, r.channel, r.state) for r in rows]
    uow.commit()
    return views


# ---- sending ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderMessage:
    """What a sender delivers. The e-mail text names no medicine or condition (it may be read
    on a shared screen); the app shows the details after sign-in."""

    idempotency_key: str
    patient_id: int
    to: str
    subject: str
    body: str
    due_at: datetime


class ReminderSender(Protocol):
    channel: str

    def send(self, message: ReminderMessage) -> None: ...


class FileSender:
    """Appends each message as a JSON line to a file (the demo's "outbox")."""

    channel = "email"

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: ReminderMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {**asdict(message), "due_at": message.due_at.isoformat()}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


class ConsoleSender:
    """Logs each message (development)."""

    channel = "email"

    def send(self, message: ReminderMessage) -> None:
        log.info("reminder %s for patient %s", message.idempotency_key, message.patient_id)


@dataclass(frozen=True, slots=True)
class SendReport:
    due: int
    sent: int
    in_app: int
    already_sent: int
    failed: int


def send_due_reminders(
    uow_factory: Callable[[], UnitOfWork],
    *,
    now: datetime,
    sender: ReminderSender,
    lookback: timedelta = LOOKBACK,
) -> SendReport:
    """Send every reminder due by ``now`` (and not older than ``lookback``), at most once each."""
    due: list[tuple[Reminder, ReminderPlanRecord, Patient]] = []
    with uow_factory() as uow:
        plans = list(
            uow.session.scalars(
                select(ReminderPlanRecord).where(ReminderPlanRecord.is_active.is_(True))
            )
        )
        by_patient: dict[int, list[ReminderPlanRecord]] = {}
        for plan in plans:
            by_patient.setdefault(plan.patient_id, []).append(plan)
        for patient_id, rows in sorted(by_patient.items()):
            patient = uow.session.get(Patient, patient_id)
            if patient is None:
                continue
            zone = ZoneInfo(patient.timezone)
            start = (now - lookback).astimezone(zone).date()
            end = now.astimezone(zone).date()
            codes = {r.item_code: r for r in rows}
            for reminder in schedule_reminders(
                str(patient_id),
                _plans(rows),
                zone_name=patient.timezone,
                start_on=start,
                end_on=end,
                done=_done_items(uow.session, patient_id, start, end),
                not_before=now - lookback,
            ):
                if reminder.due_at <= now:
                    due.append((reminder, codes[reminder.item_code], patient))
        # Closing without commit ends the read; the rows stay readable (no expiry on close).
    sent = in_app = already = failed = 0
    for reminder, plan, patient in due:
        channel = sender.channel if plan.is_email and patient.email else "in-app"
        delivery_id = _claim(uow_factory, reminder, patient.id, channel, now)
        if delivery_id is None:
            already += 1
            continue
        if channel == "in-app":
            _finish(uow_factory, delivery_id, now, error=None)
            in_app += 1
            continue
        try:
            sender.send(
                ReminderMessage(
                    idempotency_key=reminder.idempotency_key,
                    patient_id=patient.id,
                    to=patient.email or "",
                    subject="painpath reminder",
                    body=f"You have a painpath reminder for {reminder.local_time:%H:%M}. "
                    "Open painpath to see it.",
                    due_at=reminder.due_at,
                )
            )
        except Exception as exc:  # any sender failure is recorded; the slot is not retried
            log.warning("reminder %s not sent: %s", reminder.idempotency_key, type(exc).__name__)
            _finish(uow_factory, delivery_id, now, error=type(exc).__name__)
            failed += 1
            continue
        _finish(uow_factory, delivery_id, now, error=None)
        sent += 1
    report = SendReport(len(due), sent, in_app, already, failed)
    with uow_factory() as uow:
        audit.append(
            uow.session,
            RequestContext(SYSTEM_ACTOR, "reminders", lambda: now),
            action="reminder.send",
            resource=Kind.DIARY,
            detail=f"due={report.due} sent={report.sent} in_app={report.in_app} "
            f"already_sent={report.already_sent} failed={report.failed}",
        )
        uow.commit()
    return report


def _claim(
    uow_factory: Callable[[], UnitOfWork],
    reminder: Reminder,
    patient_id: int,
    channel: str,
    now: datetime,
) -> int | None:
    """Insert the slot's key and commit, before any sending; None if another run has it."""
    with uow_factory() as uow:
        row = ReminderDelivery(
            idempotency_key=reminder.idempotency_key,
            patient_id=patient_id,
            item_code=reminder.item_code,
            kind=str(reminder.kind),
            due_at=reminder.due_at,
            channel=channel,
            state="claimed",
            claimed_at=now,
        )
        uow.session.add(row)
        try:
            uow.session.flush()
            uow.commit()
        except IntegrityError:
            uow.rollback()
            return None
        return row.id


def _finish(
    uow_factory: Callable[[], UnitOfWork], delivery_id: int, now: datetime, *, error: str | None
) -> None:
    with uow_factory() as uow:
        row = uow.session.get(ReminderDelivery, delivery_id)
        if row is None:
            return
        row.state = "failed" if error else "sent"
        row.sent_at = None if error else now
        row.error = error or ""
        uow.commit()
