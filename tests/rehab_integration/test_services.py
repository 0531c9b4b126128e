"""Rehab use cases against the real database: programme versions, logs, pacing, alerts, GMI."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from painpath.bootstrap import Container
from painpath.clinical.rehab.pacing import FlareLight, PacingAction
from painpath.records.enums import AuditOutcome
from painpath.records.models import AuditEvent
from painpath.records.models_rehab import RehabSessionLog
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import rehab, workflow
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, context_for
from tests.rehab_integration.conftest import ADA_PHASE_1, programme_input


def _log(
    container: Container,
    world: World,
    key: str,
    days_ago: int,
    *,
    minutes: int = 20,
    before: int = 3,
    after: int = 3,
    who: str = "ada",
    rpe: int = 3,
) -> rehab.LogResult:
    ctx = context_for(container, world, who)
    with container.uow() as uow:
        return rehab.log_session(
            uow,
            ctx,
            world.ada,
            rehab.LogInput(
                performed_on=ctx.now().date() - timedelta(days=days_ago),
                minutes=minutes,
                pain_before_nrs=before,
                pain_after_nrs=after,
                rpe=rpe,
                idempotency_key=key,
                exercise_ids=("mob-shoulder-pendulum",),
            ),
        )


def _save(container: Container, world: World, **kwargs: object) -> rehab.ProgrammeView:
    with container.uow() as uow:
        return rehab.save_programme(
            uow,
            context_for(container, world, "tom"),
            world.ada,
            programme_input(**kwargs),  # type: ignore[arg-type]
        )


def _alerts(container: Container, world: World) -> list[AlertRecord]:
    with container.uow() as uow:
        return list(
            uow.session.scalars(select(AlertRecord).where(AlertRecord.patient_id == world.ada))
        )


def test_physio_saves_programme_and_each_change_is_a_version(
    container: Container, world: World
) -> None:
    first = _save(container, world)
    assert (first.version, first.phase_label) == (1, "Phase 1: calm the system")
    assert [i.exercise_id for i in first.items] == [i.exercise_id for i in ADA_PHASE_1]
    assert first.items[1].progression is not None  # pendulum progresses to wall slides
    reordered = (ADA_PHASE_1[2], ADA_PHASE_1[0], ADA_PHASE_1[1])
    second = _save(container, world, items=reordered, reason="Textures first: allodynia worse")
    assert second.version == 2
    assert [i.position for i in second.items] == [1, 2, 3]
    assert second.items[0].exercise_id == "desens-soft-cloth"
    with container.uow() as uow:
        versions = rehab.list_programme_versions(
            uow, context_for(container, world, "drbo"), world.ada
        )
    assert [(v.version, v.reason) for v in versions] == [
        (2, "Textures first: allodynia worse"),
        (1, "Initial phase-1 programme after assessment"),
    ]
    assert versions[1].changed_by == "Tom"


@pytest.mark.parametrize(
    ("who", "error"),
    [
        pytest.param("ada", PermissionDenied, id="patient-reads-only"),
        pytest.param("drbo", PermissionDenied, id="physician-reads-only"),
        pytest.param("outsider", NotFound, id="outside-the-team"),
    ],
)
def test_only_the_physio_changes_the_programme(
    container: Container, world: World, who: str, error: type[Exception]
) -> None:
    with container.uow() as uow, pytest.raises(error):
        rehab.save_programme(uow, context_for(container, world, who), world.ada, programme_input())
    with container.uow() as uow:
        denied = uow.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.actor_id == world.users[who],
                AuditEvent.outcome == AuditOutcome.DENIED,
            )
        )
    assert denied == 1


def test_contraindicated_exercise_is_refused(container: Container, world: World) -> None:
    data = programme_input()
    blocked = rehab.ProgrammeInput(
        phase=data.phase,
        sessions_per_week=7,
        items=(rehab.default_item("bal-one-leg-stand"),),
        reason="test",
        profile=rehab.ProfileInput(contraindications=("high_fall_risk",)),
    )
    with container.uow() as uow, pytest.raises(InvalidInput, match="contraindicated"):
        rehab.save_programme(uow, context_for(container, world, "tom"), world.ada, blocked)


def test_a_retried_log_is_stored_once(container: Container, world: World) -> None:
    _save(container, world)
    first = _log(container, world, "ada-2026-03-02-a", 0)
    again = _log(container, world, "ada-2026-03-02-a", 0, minutes=99)
    assert (first.was_duplicate, again.was_duplicate) == (False, True)
    assert again.log.id == first.log.id and again.log.minutes == 20
    with container.uow() as uow:
        count = uow.session.scalar(select(func.count()).select_from(RehabSessionLog))
    assert count == 1


def test_log_refuses_an_exercise_outside_the_programme(container: Container, world: World) -> None:
    _save(container, world)
    ctx = context_for(container, world, "ada")
    with container.uow() as uow, pytest.raises(InvalidInput, match="not in the programme"):
        rehab.log_session(
            uow,
            ctx,
            world.ada,
            rehab.LogInput(
                ctx.now().date(), 10, 3, 3, 2, "key-000001", exercise_ids=("str-bridge",)
            ),
        )


def test_another_patient_cannot_log_for_ada(container: Container, world: World) -> None:
    _save(container, world)
    with pytest.raises(NotFound):
        _log(container, world, "ben-tries-1", 0, who="ben")


def test_adherence_counts_sessions_done_over_prescribed(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _save(container, world, sessions_per_week=7)
    for n in range(10):  # one session a day on days 0-9, logged on the day
        _log(container, world, f"adh-key-{n:03d}", 0)
        clock.advance(days=1)
    clock.advance(days=3)
    with container.uow() as uow:
        adherence = rehab.rehab_overview(uow, context_for(container, world, "tom"), world.ada)
    # Day 13, nothing logged yet today: window = programme start .. yesterday = 13 days;
    # 7 a week x 13 / 7 = 13 prescribed. 10 done / 13 = 76.92% -> 76.9 (half-up, 1 dp);
    # below the 80% adherent cut-off.
    result = adherence.adherence
    assert result is not None
    assert (result.done, result.prescribed) == (10, 13)
    assert result.percent == Decimal("76.9")
    assert result.is_adherent is False
    assert [a.kind for a in _alerts(container, world)] == []


def test_low_adherence_alerts_the_physio_once(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _save(container, world, sessions_per_week=7)
    clock.advance(days=7)
    first = _log(container, world, "low-adh-001", 0)
    _log(container, world, "low-adh-002", 1)
    # 8-day window x 7 / 7 = 8 prescribed; 1 then 2 done -> 12.5% then 25% (< 50%).
    assert first.adherence is not None and first.adherence.percent == Decimal("12.5")
    alerts = _alerts(container, world)
    # Raised by the monitoring feed (services/monitoring_feeds.py), owner from the clinic config.
    assert [(a.kind, a.owner_role) for a in alerts] == [
        ("non-adherence-sessions", "physiotherapist")
    ]
    with container.uow() as uow:
        tasks = uow.session.scalars(select(TaskRecord).where(TaskRecord.alert_id == alerts[0].id))
        assert [t.owner_role for t in tasks] == ["physiotherapist"]


def _plan(container: Container, world: World, **kw: object) -> rehab.PacingView:
    ctx = context_for(container, world, "tom")
    data = rehab.PacingInput(
        activity="Home exercise session",
        target=15,
        usual_pain_nrs=3,
        start_on=ctx.now().date(),
        tolerances=kw.get("tolerances", (10, 12, 14)),  # type: ignore[arg-type]
    )
    with container.uow() as uow:
        return rehab.set_pacing_plan(uow, ctx, world.ada, data)


def test_pacing_plan_from_baseline_gives_a_weekly_schedule(
    container: Container, world: World
) -> None:
    _save(container, world)
    plan = _plan(container, world)
    # mean (10+12+14)/3 = 12; quota 80% x 12 = 9.6 -> floor 9; weekly step 10% x 12 = 1.2 -> 1;
    # 9, 10, ... 15 = 7 steps a week apart.
    assert plan.mean_tolerance == Decimal("12.0")
    assert plan.baseline_quota == Decimal(9)
    assert [s.quota for s in plan.schedule] == [Decimal(q) for q in range(9, 16)]
    assert plan.schedule[1].starts_on - plan.schedule[0].starts_on == timedelta(days=7)
    assert plan.quota_today == Decimal(9) and plan.light is None


def test_pacing_baseline_from_logged_minutes(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _save(container, world)
    for n, minutes in enumerate((20, 10, 15)):
        _log(container, world, f"base-log-{n}", n, minutes=minutes)
    ctx = context_for(container, world, "tom")
    with container.uow() as uow:
        plan = rehab.set_pacing_plan(
            uow,
            ctx,
            world.ada,
            rehab.PacingInput("Home exercise session", 30, 3, ctx.now().date(), tolerances=None),
        )
    # Daily minutes oldest first: 15, 10, 20 -> mean 15; quota 80% = 12.
    assert plan.baseline == (15, 10, 20) and plan.baseline_quota == Decimal(12)


def test_red_flare_steps_the_quota_back_and_tells_tom(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _save(container, world, sessions_per_week=1)
    _plan(container, world)
    clock.advance(days=7)
    green = _log(container, world, "pace-green-1", 0, after=3)
    # A week on step 0 with a green day: the scheduled increase applies (quota 9 -> 10).
    assert green.pacing is not None and green.pacing.current_step == 1
    clock.advance(days=1)
    red = _log(container, world, "pace-red-01", 0, before=3, after=7)
    # Pain 7 vs usual 3: rise 4 = red -> step back one quota (10 -> 9) and alert the physio.
    assert red.pacing is not None
    assert (red.pacing.current_step, red.pacing.quota_today) == (0, Decimal(9))
    assert red.pacing.is_stepped_back and red.pacing.light is FlareLight.RED
    assert [c.action for c in red.pacing.changes] == ["step_back", "progress"]
    assert "rehab-flare" in red.alerts_raised
    again = _log(container, world, "pace-red-02", 0, before=3, after=7)
    assert again.alerts_raised == ()  # deduplicated while the first alert is open
    assert [a.kind for a in _alerts(container, world)] == ["rehab-flare"]
    # Two green days settle the flare: resume from the stepped-back quota.
    clock.advance(days=1)
    _log(container, world, "pace-green-2", 0)
    clock.advance(days=1)
    resumed = _log(container, world, "pace-green-3", 0)
    assert resumed.pacing is not None and not resumed.pacing.is_stepped_back
    assert resumed.pacing.changes[0].action == PacingAction.RESUME.value


def test_boom_bust_pattern_raises_an_alert(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _save(container, world, sessions_per_week=1)
    clock.advance(days=9)
    minutes = [20, 20, 40, 5, 20, 20, 40, 5, 20, 20]
    pains = [3, 3, 3, 6, 3, 3, 3, 6, 3, 3]
    # Median 20: boom >= 30 on days 2 and 6; each followed next day by <= 10 min with pain +3.
    raised = [
        _log(container, world, f"boom-{day:03d}", 9 - day, minutes=m, before=p, after=p)
        for day, (m, p) in enumerate(zip(minutes, pains, strict=True))
    ]
    # The second cycle completes with day 7's log; later logs find the alert already open.
    assert [r.alerts_raised for r in raised].index(("boom-bust",)) == 7
    assert [r.alerts_raised for r in raised].count(("boom-bust",)) == 1
    alert = next(a for a in _alerts(container, world) if a.kind == "boom-bust")
    # Two cycles: the second bust (day 7 of the logs) is the flag date.
    assert alert.evidence["detail"].count(" boom, ") == 2


def test_physio_note_keeps_objective_measures(container: Container, world: World) -> None:
    ctx = context_for(container, world, "tom")
    with container.uow() as uow:
        note = rehab.add_physio_note(
            uow,
            ctx,
            world.ada,
            seen_on=ctx.now().date(),
            summary="Tolerated session; allodynia area smaller.",
            measures=[
                rehab.MeasureInput("Shoulder flexion", Decimal("95"), "deg", "right"),
                rehab.MeasureInput("Allodynia area", Decimal("42.5"), "cm2", "right"),
            ],
        )
    assert [(m.name, m.value) for m in note.measures] == [
        ("Shoulder flexion", Decimal(95)),
        ("Allodynia area", Decimal("42.5")),
    ]
    with container.uow() as uow, pytest.raises(PermissionDenied):
        rehab.add_physio_note(
            uow,
            context_for(container, world, "ada"),
            world.ada,
            seen_on=ctx.now().date(),
            summary="x",
            measures=[],
        )


def test_gmi_test_is_scored_with_the_clinical_rules(container: Container, world: World) -> None:
    trials = [
        rehab.TrialInput(
            "right" if n % 2 else "left",
            ("right" if n % 2 else "left") if n not in (1, 3) else "left",
            1500,
            (n % 4) * 90,
        )
        for n in range(20)
    ]
    with container.uow() as uow:
        view = rehab.record_gmi_test(
            uow,
            context_for(container, world, "ada"),
            world.ada,
            limb="hand",
            affected_side="right",
            trials=trials,
        )
    # Trials 1 and 3 show right and are answered left: 18 / 20 = 90.0%; right (affected) 8/10 = 80%.
    assert (view.trials, view.correct, view.accuracy_pct) == (20, 18, Decimal("90.0"))
    assert (view.affected_accuracy_pct, view.unaffected_accuracy_pct) == (
        Decimal("80.0"),
        Decimal("100.0"),
    )
    assert view.mean_rt_ms == Decimal("1500.0")


def test_summary_lines_for_the_overview_card(container: Container, world: World) -> None:
    _save(container, world)
    _plan(container, world)
    with container.uow() as uow:
        lines = rehab.summary_lines(uow, context_for(container, world, "lena"), world.ada)
    assert lines is not None
    assert lines[0] == "Phase 1: calm the system · 3 exercises"
    assert any(line.startswith("Pacing: Home exercise session 9 min a day") for line in lines)
    with container.uow() as uow:
        assert (
            rehab.summary_lines(uow, context_for(container, world, "outsider"), world.ada) is None
        )


def test_overview_gives_the_physio_progression_and_phase_gate_hints(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _save(container, world, sessions_per_week=7)
    for n in range(3):  # three well-tolerated pendulum sessions (RPE 2, pain 3 -> 3)
        _log(container, world, f"tolerated-{n}", 0, rpe=2)
        clock.advance(days=1)
    with container.uow() as uow:
        ov = rehab.rehab_overview(uow, context_for(container, world, "tom"), world.ada)
    hints = {h.exercise_id: h for h in ov.progressions}
    # 3 consecutive sessions as prescribed with RPE 2 <= the pendulum's library maximum (2) and
    # no pain rise ->
    # progress along the pendulum's progression link (wall slides); untouched items hold.
    pendulum = hints["mob-shoulder-pendulum"]
    assert pendulum.action == "progress"
    assert pendulum.target is not None and pendulum.target.id == "mob-shoulder-wall-slide"
    assert hints["desens-soft-cloth"].action == "hold"
    # Phase gate: 3 of the 14 minimum days in phase -> hold.
    assert ov.phase_hint is not None and ov.phase_hint.action == "hold"
    assert any("of 14 days in phase" in r for r in ov.phase_hint.reasons)
    with container.uow() as uow:
        as_patient = rehab.rehab_overview(uow, context_for(container, world, "ada"), world.ada)
    assert as_patient.progressions == () and as_patient.phase_hint is None


def test_open_boom_bust_alert_holds_the_weekly_increase_until_resolved(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _save(container, world, sessions_per_week=1)
    _plan(container, world)
    ctx = context_for(container, world, "tom")
    with container.uow() as uow:
        [alert_id] = workflow.raise_alerts(
            uow,
            ctx,
            world.ada,
            [
                workflow.NewAlert(
                    kind="rehab-boom-bust",
                    severity="routine",
                    dedupe_key=f"rehab-boom-bust:{world.ada}",
                    owner_role="physiotherapist",
                    title="Boom-bust pattern in home sessions",
                    rationale="2 cycles",
                    source="test",
                    evidence={},
                )
            ],
        )
        uow.commit()
    clock.advance(days=7)
    held = _log(container, world, "bb-hold-001", 0)
    # A week on step 0 with a green day would progress (9 -> 10); the open alert holds it at 9.
    assert held.pacing is not None
    assert (held.pacing.current_step, held.pacing.action) == (0, PacingAction.HOLD)
    with container.uow() as uow:
        workflow.resolve_alert(
            uow, context_for(container, world, "tom"), alert_id, resolution="Reviewed pacing"
        )
    clock.advance(days=1)
    resumed = _log(container, world, "bb-after-01", 0)
    assert resumed.pacing is not None and resumed.pacing.current_step == 1
