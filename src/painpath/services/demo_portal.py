"""Demo data for the portal: three months of Ada's diary (improving, one flare, one week missing),
Ben's diary (stopped nine days ago), shorter diaries for a few others, journal entries, reminder
plans and lessons. Monitoring is replayed day by day over the history, so the alerts and tasks the
team sees are the ones the rules would have raised on those days."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from painpath.records.enums import Role
from painpath.records.models import Patient
from painpath.records.models_portal import (
    DiaryEntry,
    JournalEntry,
    LessonProgress,
    ReminderPlanRecord,
)
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import monitoring, workflow
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.demo import DEMO_SEEDERS, DemoContext

ADA_DAYS = 90
ADA_FLARE = range(38, 34, -1)  # days ago: a four-day flare after carrying shopping
ADA_GAP = range(27, 19, -1)  # days ago: 8 days without entries (a family visit)
FLARE_TRIGGERS = ("carried heavy shopping bags", "cold weather", "poor sleep", "long car journey")


def _key(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _entry(
    rng: random.Random,
    patient: Patient,
    day: date,
    at: time,
    *,
    pain: int,
    sleep: int,
    mood: int,
    activity: int | None,
    is_flare: bool = False,
    trigger: str = "",
    region: str | None = None,
    note: str = "",
    user_id: int | None = None,
) -> DiaryEntry:
    local = datetime.combine(day, at, tzinfo=ZoneInfo(patient.timezone))
    recorded_at = local.astimezone(UTC)
    return DiaryEntry(
        patient_id=patient.id,
        idempotency_key=_key(rng),
        recorded_at=recorded_at,
        recorded_on=day,
        pain_nrs=max(0, min(10, pain)),
        sleep_quality=max(1, min(5, sleep)),
        mood=max(1, min(5, mood)),
        activity_minutes=activity,
        is_flare=is_flare,
        flare_trigger=trigger,
        body_region=region,
        note=note,
        created_by_id=user_id,
        created_at=recorded_at,
    )


def _ada_diary(ctx: DemoContext, ada: Patient) -> list[DiaryEntry]:
    rng = ctx.rng
    rows: list[DiaryEntry] = []
    for ago in range(ADA_DAYS - 1, -1, -1):
        if ago in ADA_GAP:
            continue
        day = ctx.today - timedelta(days=ago)
        progress = (ADA_DAYS - 1 - ago) / (ADA_DAYS - 1)  # 0 at the start, 1 today
        base = 6.6 - 3.2 * progress  # improving: about 6-7/10 down to about 3-4/10
        flare = ago in ADA_FLARE
        slots = [time(8, rng.randint(0, 40)), time(20, rng.randint(0, 50))]
        if rng.random() < 0.3:
            slots.insert(1, time(14, rng.randint(0, 59)))
        for n, at in enumerate(slots):
            if ago == 0 and at > (ctx.now.astimezone(ZoneInfo(ada.timezone)).time()):
                continue
            pain = round(base + (3.2 if flare else 0) + rng.uniform(-0.9, 0.9) + (0.4 if n else 0))
            sleep = round(2 + 2 * progress + rng.uniform(-0.6, 0.6) - (1 if flare else 0))
            rows.append(
                _entry(
                    rng,
                    ada,
                    day,
                    at,
                    pain=pain,
                    sleep=sleep,
                    mood=round(2.2 + 1.8 * progress + rng.uniform(-0.7, 0.7) - (1 if flare else 0)),
                    activity=None
                    if n
                    else int(
                        max(5, 12 + 33 * progress + rng.uniform(-6, 6) - (10 if flare else 0))
                    ),
                    is_flare=flare,
                    trigger=FLARE_TRIGGERS[0] if flare and n == 0 else "",
                    region="r-forearm-ventral-lateral" if flare or rng.random() < 0.2 else None,
                    note=_ada_note(ago, n),
                )
            )
    return rows


def _ada_note(ago: int, slot: int) -> str:
    notes = {
        (80, 0): "Burning in the forearm after washing up.",
        (38, 0): "Carried the shopping home, arm on fire tonight.",
        (36, 1): "Used the flare plan: rest, ice pack, short walks.",
        (12, 0): "Managed 20 minutes in the garden with breaks.",
        (2, 1): "Picked up my daughter's school bag without a flare.",
    }
    return notes.get((ago, slot), "")


def _simple_diary(
    ctx: DemoContext,
    patient: Patient,
    *,
    days: int,
    stop_days_ago: int,
    start_pain: float,
    end_pain: float,
    flare_last_days: int = 0,
) -> list[DiaryEntry]:
    rng = ctx.rng
    rows = []
    for ago in range(days - 1, stop_days_ago - 1, -1):
        day = ctx.today - timedelta(days=ago)
        at = time(9, rng.randint(0, 59))
        if ago == 0:
            # Today's entry is never in the future of the demo's "now".
            local_now = ctx.now.astimezone(ZoneInfo(patient.timezone))
            if local_now.hour == 0:
                continue
            at = min(at, (local_now - timedelta(minutes=30)).time())
        progress = (days - 1 - ago) / max(1, days - 1)
        flare = ago < flare_last_days
        pain = round(start_pain + (end_pain - start_pain) * progress + rng.uniform(-0.8, 0.8))
        rows.append(
            _entry(
                rng,
                patient,
                day,
                at,
                pain=pain + (4 if flare else 0),
                sleep=round(3 + rng.uniform(-1, 1) - (1 if flare else 0)),
                mood=round(3 + rng.uniform(-1, 1)),
                activity=int(max(0, 25 + rng.uniform(-10, 10))),
                is_flare=flare,
                trigger=rng.choice(FLARE_TRIGGERS) if flare else "",
            )
        )
    return rows


def _fixed(at: datetime) -> Callable[[], datetime]:
    return lambda: at


def _replay_monitoring(ctx: DemoContext, patient: Patient, days: int) -> None:
    """Evaluate the rules as on each past day, so alerts carry the day they would have been raised."""
    uow = ctx.uow
    zone = ZoneInfo(patient.timezone)
    for ago in range(days - 1, -1, -1):
        day = ctx.today - timedelta(days=ago)
        at = datetime.combine(day, time(21, 0), tzinfo=zone).astimezone(UTC)
        at = min(at, ctx.now)
        replay = RequestContext(SYSTEM_ACTOR, "demo-seed", clock=_fixed(at))
        monitoring.evaluate_patient(uow, replay, patient, today=day)


def _resolve_old_flare(ctx: DemoContext, patient: Patient) -> None:
    """The physiotherapist reviewed Ada's flare at the time (so today's board shows it closed)."""
    physio = ctx.staff.get(Role.PHYSIOTHERAPIST)
    session = ctx.uow.session
    for alert in session.scalars(
        select(AlertRecord).where(AlertRecord.patient_id == patient.id, AlertRecord.kind == "flare")
    ):
        done_at = alert.raised_at + timedelta(hours=20)
        alert.state = workflow.AlertState.RESOLVED
        alert.resolved_at = done_at
        alert.resolution = "Phoned Ada: flare plan followed, quota back to last comfortable level."
        for task in session.scalars(select(TaskRecord).where(TaskRecord.alert_id == alert.id)):
            task.state = workflow.TaskState.DONE
            task.completed_at = done_at
            task.completion_note = alert.resolution
            task.owner_user_id = physio.id if physio else None


def _ada_journal(ctx: DemoContext, ada: Patient) -> list[JournalEntry]:
    entries = (
        (70, False, "Bad night again. I keep thinking the arm will never get better."),
        (
            37,
            True,
            "The flare started after I carried the shopping. I was scared it meant damage, but "
            "the flare plan helped. Can we talk about how much I should lift?",
        ),
        (15, False, "Felt proud today: a whole morning in the garden with breaks."),
        (3, False, "Thinking about going back to work part-time. Not ready to tell anyone yet."),
    )
    rows = []
    for ago, shared, body in entries:
        at = datetime.combine(
            ctx.today - timedelta(days=ago), time(21, 15), tzinfo=ZoneInfo(ada.timezone)
        ).astimezone(UTC)
        rows.append(
            JournalEntry(
                patient_id=ada.id,
                idempotency_key=_key(ctx.rng),
                body=body,
                is_shared=shared,
                shared_at=at if shared else None,
                created_at=at,
                updated_at=at,
            )
        )
    return rows


def _ada_reminders(ctx: DemoContext, ada: Patient) -> list[ReminderPlanRecord]:
    created = ctx.now - timedelta(days=60)
    plans: tuple[tuple[str, str, str, list[str], list[int]], ...] = (
        ("pregabalin", "medication", "Pregabalin (nerve pain medicine)", ["08:00", "20:00"], []),
        ("home-programme", "exercise", "Home exercise programme", ["10:30"], []),
        ("weekly-check-in", "questionnaire", "Weekly pain questionnaire", ["09:00"], [1]),
    )
    return [
        ReminderPlanRecord(
            patient_id=ada.id,
            item_code=code,
            kind=kind,
            label=label,
            local_times=times,
            iso_weekdays=weekdays,
            is_email=code == "pregabalin",
            is_active=True,
            created_at=created,
            updated_at=created,
        )
        for code, kind, label, times, weekdays in plans
    ]


def _ada_lessons(ctx: DemoContext, ada: Patient) -> list[LessonProgress]:
    physio = ctx.staff.get(Role.PHYSIOTHERAPIST)
    assigned = ctx.now - timedelta(days=50)
    return [
        LessonProgress(
            patient_id=ada.id,
            lesson_code="pain-and-the-nervous-system",
            assigned_by_id=physio.id if physio else None,
            assigned_at=assigned,
            opened_at=assigned + timedelta(days=1),
            completed_at=assigned + timedelta(days=1, minutes=6),
        ),
        LessonProgress(
            patient_id=ada.id,
            lesson_code="pacing",
            assigned_by_id=physio.id if physio else None,
            assigned_at=assigned,
            opened_at=assigned + timedelta(days=3),
            completed_at=None,
        ),
        LessonProgress(
            patient_id=ada.id,
            lesson_code="flare-plan",
            assigned_by_id=physio.id if physio else None,
            assigned_at=ctx.now - timedelta(days=36),
            opened_at=None,
            completed_at=None,
        ),
    ]


def seed_portal(ctx: DemoContext) -> None:
    session = ctx.uow.session
    ada, ben = ctx.patients[0], ctx.patients[1]
    session.add_all(_ada_diary(ctx, ada))
    session.add_all(_simple_diary(ctx, ben, days=60, stop_days_ago=9, start_pain=5.5, end_pain=4.8))
    others = ctx.patients[2:8]
    for index, patient in enumerate(others):
        session.add_all(
            _simple_diary(
                ctx,
                patient,
                days=30,
                stop_days_ago=0,
                start_pain=ctx.rng.uniform(4, 7),
                end_pain=ctx.rng.uniform(3, 6),
                flare_last_days=2 if index == 0 else 0,
            )
        )
    session.flush()
    _replay_monitoring(ctx, ada, ADA_DAYS)
    _resolve_old_flare(ctx, ada)
    for patient in (ben, *others):
        _replay_monitoring(ctx, patient, 14)
    session.add_all(_ada_journal(ctx, ada))
    session.add_all(_ada_reminders(ctx, ada))
    session.add_all(_ada_lessons(ctx, ada))


DEMO_SEEDERS.append(seed_portal)
