"""Demo rehab data: Ada's phase-1 programme (breathing, gentle mobilisation, desensitisation with
textures) with seven weeks of home logs that follow her pacing quota and contain one boom-bust
episode and a flare step-back; Ben's gentle knee programme with patchy adherence; a few generated
patients with builder-made programmes. Rows are inserted directly and deterministically; pacing
decisions are replayed day by day through the same rules the service applies."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from painpath.clinical.rehab import Phase
from painpath.records.enums import Role
from painpath.records.models import Patient, UserAccount
from painpath.records.models_rehab import (
    RehabGmiTest,
    RehabPacingPlan,
    RehabPhysioNote,
    RehabProgramme,
    RehabProgrammeItem,
    RehabProgrammeVersion,
    RehabSessionLog,
)
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import rehab
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.demo import DEMO_SEEDERS, DemoContext

ADA_V1 = (
    rehab.ItemInput("relax-belly-breathing-sitting", 1, 0, 0, 5, 1),
    rehab.ItemInput("relax-long-breath-out", 1, 6, 0, 0, 1),
    rehab.ItemInput("mob-shoulder-pendulum", 2, 10, 0, 0, 2, "Let the arm hang loose."),
    rehab.ItemInput("mob-finger-glides", 2, 10, 0, 0, 2),
    rehab.ItemInput(
        "desens-soft-cloth", 1, 0, 0, 3, 2, "Start at the elbow, then the forearm when it is OK."
    ),
)
ADA_V2_ADD = (
    rehab.ItemInput("mob-tendon-glides", 2, 8, 0, 0, 2),
    rehab.ItemInput("desens-towel-rub", 1, 0, 0, 3, 3, "Towel after the soft cloth."),
)
BEN_ITEMS = (
    rehab.ItemInput("relax-belly-breathing-lying", 1, 0, 0, 5, 1),
    rehab.ItemInput("mob-ankle-pumps", 2, 15, 0, 0, 2),
    rehab.ItemInput("mob-heel-slides", 2, 10, 0, 0, 3, "Slide only as far as is comfortable."),
    rehab.ItemInput("str-sit-to-stand-high", 2, 6, 0, 0, 3, "Use the armrests; high chair."),
)


def _at(day: date, hour: int = 18) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _programme(
    ctx: DemoContext,
    patient: Patient,
    *,
    phase: Phase,
    sessions_per_week: int,
    versions: Sequence[tuple[int, Sequence[rehab.ItemInput], str]],
    profile: rehab.ProfileInput,
) -> RehabProgramme:
    """A programme with its version history; versions are (days ago, items, reason)."""
    physio = ctx.staff[Role.PHYSIOTHERAPIST]
    first_day = ctx.today - timedelta(days=versions[0][0])
    row = RehabProgramme(
        patient_id=patient.id,
        phase=phase.value,
        sessions_per_week=sessions_per_week,
        version=len(versions),
        profile=profile.as_json(),
        started_on=first_day,
        phase_started_on=first_day,
        created_by_id=physio.id,
        created_at=_at(first_day, 11),
        updated_at=_at(ctx.today - timedelta(days=versions[-1][0]), 11),
    )
    ctx.uow.session.add(row)
    ctx.uow.session.flush()
    for number, (days_ago, items, reason) in enumerate(versions, start=1):
        ctx.uow.session.add(
            RehabProgrammeVersion(
                programme_id=row.id,
                version=number,
                reason=reason,
                snapshot={
                    "phase": phase.value,
                    "sessions_per_week": sessions_per_week,
                    "profile": profile.as_json(),
                    "items": [
                        {
                            "exercise_id": i.exercise_id,
                            "sets": i.sets,
                            "reps": i.reps,
                            "hold_s": i.hold_s,
                            "duration_min": i.duration_min,
                            "rpe_target": i.rpe_target,
                            "note": i.note,
                        }
                        for i in items
                    ],
                },
                changed_by_id=physio.id,
                changed_at=_at(ctx.today - timedelta(days=days_ago), 11),
            )
        )
    row.items.extend(
        RehabProgrammeItem(
            position=n,
            exercise_id=i.exercise_id,
            sets=i.sets,
            reps=i.reps,
            hold_s=i.hold_s,
            duration_min=i.duration_min,
            rpe_target=i.rpe_target,
            note=i.note,
        )
        for n, i in enumerate(versions[-1][1], start=1)
    )
    ctx.uow.session.flush()
    return row


def _log(
    ctx: DemoContext,
    patient: Patient,
    programme: RehabProgramme,
    day: date,
    *,
    minutes: int,
    before: int,
    after: int,
    rpe: int,
    exercise_ids: Sequence[str],
    note: str = "",
    user_id: int | None = None,
) -> None:
    ctx.uow.session.add(
        RehabSessionLog(
            patient_id=patient.id,
            programme_id=programme.id,
            programme_version=programme.version,
            performed_on=day,
            exercise_ids=list(exercise_ids),
            is_completed=True,
            minutes=minutes,
            pain_before_nrs=before,
            pain_after_nrs=after,
            rpe=rpe,
            note=note,
            idempotency_key=f"demo-{patient.id}-{day.isoformat()}",
            logged_by_id=user_id,
            logged_at=_at(day),
        )
    )


def _alert(
    ctx: DemoContext,
    patient: Patient,
    *,
    kind: str,
    title: str,
    rationale: str,
    source: str,
    raised_on: date,
    evidence: dict[str, object],
    severity: str = "routine",
) -> None:
    alert = AlertRecord(
        patient_id=patient.id,
        kind=kind,
        severity=severity,
        state="open",
        dedupe_key=f"{kind.replace('rehab-non-adherence', 'rehab-adherence')}:{patient.id}",
        owner_role=Role.PHYSIOTHERAPIST.value,
        title=title,
        rationale=rationale,
        source=source,
        is_safety=False,
        evidence=evidence,
        raised_at=_at(raised_on, 19),
    )
    ctx.uow.session.add(alert)
    ctx.uow.session.flush()
    ctx.uow.session.add(
        TaskRecord(
            patient_id=patient.id,
            alert_id=alert.id,
            title=title,
            detail=rationale,
            owner_role=Role.PHYSIOTHERAPIST.value,
            due_on=raised_on + timedelta(days=3),
            state="open",
            is_safety=False,
            created_at=_at(raised_on, 19),
        )
    )


def _replay_pacing(ctx: DemoContext, plan: RehabPacingPlan, day: date) -> None:
    """Apply the pacing rule for one day exactly as the service does after a log."""
    replay = RequestContext(SYSTEM_ACTOR, "demo-seed", lambda: _at(day, 19))
    rehab._apply_pacing(ctx.uow, replay, plan, day)


def seed_ada(ctx: DemoContext) -> None:
    ada = ctx.patients[0]
    rng = random.Random(40)  # own stream: the demo is the same whatever other seeders draw
    start_days = 49  # seven weeks of phase 1
    programme = _programme(
        ctx,
        ada,
        phase=Phase.CALM,
        sessions_per_week=6,
        versions=[
            (start_days, ADA_V1, "Phase-1 programme after the intake assessment"),
            (
                28,
                ADA_V1 + ADA_V2_ADD,
                "Soft cloth now comfortable on the forearm: add the towel; add tendon glides",
            ),
        ],
        profile=rehab.ProfileInput(
            activity_level="moderate",
            focus_regions=("shoulder", "hand_wrist"),
            has_allodynia=True,
            is_gmi_candidate=True,
        ),
    )
    ada_user = ctx.uow.session.scalar(select(UserAccount).where(UserAccount.patient_id == ada.id))
    user_id = ada_user.id if ada_user else None
    v1_ids = [i.exercise_id for i in ADA_V1]
    v2_ids = v1_ids + [i.exercise_id for i in ADA_V2_ADD]
    first = ctx.today - timedelta(days=start_days)
    baseline_minutes = (18, 22, 20)
    for n, minutes in enumerate(baseline_minutes):
        _log(
            ctx,
            ada,
            programme,
            first + timedelta(days=n),
            minutes=minutes,
            before=5,
            after=5 + (n == 1),
            rpe=3,
            exercise_ids=v1_ids,
            note="Baseline week: as long as I could manage." if n == 0 else "",
            user_id=user_id,
        )
    plan_start = first + timedelta(days=3)
    plan = RehabPacingPlan(
        patient_id=ada.id,
        activity="Home exercise session",
        unit="min",
        baseline=list(baseline_minutes),
        method="percent_of_mean",
        target=30,
        start_on=plan_start,
        usual_pain_nrs=4,
        current_step=0,
        step_entered_on=plan_start,
        is_stepped_back=False,
        is_active=True,
        created_by_id=ctx.staff[Role.PHYSIOTHERAPIST].id,
        created_at=_at(plan_start, 10),
    )
    ctx.uow.session.add(plan)
    ctx.uow.session.flush()
    schedule = rehab._schedule(plan)
    # One boom-bust episode three weeks ago: two long "good days" each followed by a crash.
    boom_days = {21: (46, 4), 18: (42, 4)}  # days ago: (minutes, pain after)
    bust_days = {20: (5, 8, "Paid for yesterday. Could hardly move the arm."), 17: (6, 7, "")}
    for days_ago in range(start_days - 3, 0, -1):  # leave today for the live demo
        day = ctx.today - timedelta(days=days_ago)
        quota = int(schedule[min(plan.current_step, len(schedule) - 1)].quota)
        ids = v2_ids if days_ago <= 28 else v1_ids
        if days_ago in boom_days:
            minutes, after = boom_days[days_ago]
            _log(
                ctx, ada, programme, day, minutes=minutes, before=3, after=after, rpe=6,
                exercise_ids=ids, note="Felt great, kept going and did the garden too.",
                user_id=user_id,
            )  # fmt: skip
        elif days_ago in bust_days:
            minutes, after, note = bust_days[days_ago]
            _log(
                ctx, ada, programme, day, minutes=minutes, before=6, after=after, rpe=7,
                exercise_ids=ids[:2], note=note, user_id=user_id,
            )  # fmt: skip
        elif rng.random() < 0.86:  # about six sessions a week
            before = rng.choice((3, 4, 4, 4))  # usual pain 4: ordinary days stay green
            _log(
                ctx, ada, programme, day, minutes=quota + rng.choice((-1, 0, 0, 1)),
                before=before, after=before + rng.choice((0, 0, 1)), rpe=rng.choice((1, 2, 2)),
                exercise_ids=ids, user_id=user_id,
            )  # fmt: skip
        else:
            continue
        ctx.uow.session.flush()
        _replay_pacing(ctx, plan, day)
        if days_ago == 17:  # the second cycle completes today: Tom is told (as after a live log)
            _alert(
                ctx,
                ada,
                kind="rehab-boom-bust",
                title="Boom-bust pattern in home sessions",
                rationale="2 boom-bust cycle(s); 2 needed to flag",
                source="Boom-bust detection (docs/rehab/boom-bust.md; Andrews et al. 2015)",
                raised_on=day,
                evidence={
                    "cycles": [
                        {"boom_on": (ctx.today - timedelta(days=d)).isoformat(), "pain_rise": r}
                        for d, r in ((21, 4), (18, 3))
                    ]
                },
            )
            ctx.uow.session.flush()
    # Physiotherapy session notes with objective measures.
    for days_ago, summary, measures in (
        (
            49,
            "Initial assessment. Allodynia over the dorsal forearm; guarded shoulder. Baseline "
            "tolerance about 20 minutes of gentle exercise.",
            [
                ("Shoulder flexion (active)", "90", "deg", "right"),
                ("Grip strength", "12", "kg", "right"),
                ("Grip strength", "31", "kg", "left"),
                ("Allodynia area (brush)", "60", "cm2", "right"),
            ],
        ),
        (
            28,
            "Soft cloth tolerated on the whole forearm. Progressed to towel. Tendon glides added.",
            [
                ("Shoulder flexion (active)", "105", "deg", "right"),
                ("Allodynia area (brush)", "40", "cm2", "right"),
            ],
        ),
        (
            14,
            "Boom-bust episode discussed: agreed to stop at the quota on good days and to log "
            "the garden as activity. Flare plan worked. Weekly increases wait until the next "
            "review.",
            [
                ("Shoulder flexion (active)", "110", "deg", "right"),
                ("Grip strength", "15", "kg", "right"),
            ],
        ),
    ):
        ctx.uow.session.add(
            RehabPhysioNote(
                patient_id=ada.id,
                author_id=ctx.staff[Role.PHYSIOTHERAPIST].id,
                seen_on=ctx.today - timedelta(days=days_ago),
                summary=summary,
                measures=[{"name": n, "value": v, "unit": u, "side": s} for n, v, u, s in measures],
                created_at=_at(ctx.today - timedelta(days=days_ago), 12),
            )
        )
    # Two laterality tests: accuracy and speed improving (right = affected side).
    for days_ago, wrong, base_rt in ((12, 5, 2300), (3, 2, 1750)):
        trials = []
        for n in range(20):
            shown = "right" if n % 2 else "left"
            is_wrong = n % 2 == 1 and n < 2 * wrong + 1
            trials.append(
                {
                    "shown": shown,
                    "answer": ("left" if shown == "right" else "right") if is_wrong else shown,
                    "reaction_time_ms": base_rt + rng.randint(-300, 500) + (250 if n % 2 else 0),
                    "rotation_deg": rng.choice((0, 90, 180, 270)),
                    "view": "back",
                }
            )
        ctx.uow.session.add(
            RehabGmiTest(
                patient_id=ada.id,
                limb="hand",
                affected_side="right",
                trials=trials,
                logged_by_id=user_id,
                taken_at=_at(ctx.today - timedelta(days=days_ago), 20),
            )
        )


def seed_ben(ctx: DemoContext) -> None:
    ben = ctx.patients[1]
    rng = random.Random(41)
    programme = _programme(
        ctx,
        ben,
        phase=Phase.CALM,
        sessions_per_week=5,
        versions=[(24, BEN_ITEMS, "Gentle knee programme; high chair for sit-to-stand")],
        profile=rehab.ProfileInput(contraindications=("high_fall_risk",), focus_regions=("knee",)),
    )
    ids = [i.exercise_id for i in BEN_ITEMS]
    for days_ago in range(24, 0, -1):
        if rng.random() < 0.55:  # patchy: about 3 of the 5 prescribed sessions a week
            before = rng.choice((4, 5, 5, 6))
            _log(
                ctx, ben, programme, ctx.today - timedelta(days=days_ago),
                minutes=rng.choice((10, 12, 15)), before=before, after=before,
                rpe=rng.choice((3, 4)), exercise_ids=ids,
            )  # fmt: skip
    plan_start = ctx.today - timedelta(days=17)
    ctx.uow.session.add(
        RehabPacingPlan(
            patient_id=ben.id,
            activity="Walking",
            unit="min",
            baseline=[10, 8, 12],
            method="percent_of_mean",
            target=30,
            start_on=plan_start,
            usual_pain_nrs=5,
            current_step=0,
            step_entered_on=plan_start,
            is_stepped_back=False,
            is_active=True,
            created_by_id=ctx.staff[Role.PHYSIOTHERAPIST].id,
            created_at=_at(plan_start, 10),
        )
    )


def seed_others(ctx: DemoContext) -> None:
    """Builder-made programmes for a few generated patients, one of them hardly logging."""
    rng = random.Random(42)
    phases = (Phase.CALM, Phase.CONDITION, Phase.FUNCTION, Phase.CONDITION)
    for n, patient in enumerate(ctx.patients[2:6]):
        phase = phases[n]
        profile = rehab.ProfileInput(activity_level=("low", "moderate")[n % 2])
        items = rehab.suggest_items(profile, phase)[:5]
        started = 10 + 7 * n
        programme = _programme(
            ctx,
            patient,
            phase=phase,
            sessions_per_week=4,
            versions=[(started, items, "Programme from the builder suggestion for this phase")],
            profile=profile,
        )
        rate = 0.2 if n == 3 else 0.6
        for days_ago in range(started, 0, -1):
            if rng.random() < rate:
                before = rng.randint(2, 6)
                _log(
                    ctx, patient, programme, ctx.today - timedelta(days=days_ago),
                    minutes=rng.randint(12, 30), before=before,
                    after=min(10, before + rng.choice((0, 0, 1))), rpe=rng.randint(2, 5),
                    exercise_ids=[i.exercise_id for i in items],
                )  # fmt: skip
        if n == 3:
            _alert(
                ctx,
                patient,
                kind="rehab-non-adherence",
                title="Home programme adherence below 50%",
                rationale="Few sessions logged against 4 a week over the last 14 days",
                source="Adherence (docs/rehab/adherence.md); alert below 50% is a clinic default",
                raised_on=ctx.today - timedelta(days=2),
                evidence={"sessions_per_week": 4},
            )


def seed_rehab(ctx: DemoContext) -> None:
    seed_ada(ctx)
    seed_ben(ctx)
    seed_others(ctx)


DEMO_SEEDERS.append(seed_rehab)
