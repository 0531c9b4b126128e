"""Monitoring feeds on the real database: assessments, medicines and rehab raise monitoring alerts
through the clinical detectors and the clinic config, once, with the owner per rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.clinical.instruments import registry
from painpath.records.models import Patient
from painpath.records.models_medication import MedicationOrder, MedicationOrderChange
from painpath.records.models_rehab import RehabProgramme, RehabProgrammeVersion, RehabSessionLog
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import assessments, monitoring, monitoring_feeds, rehab, workflow
from painpath.services import medications as meds
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from tests.conftest import FrozenClock, World, context_for
from tests.rehab_integration.conftest import programme_input


def complete(container: Container, world: World, code: str, answers: dict[str, int]) -> None:
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        view = assessments.start_assessment(uow, ctx, world.ada, code)
    with container.uow() as uow:
        assessments.save_answers(uow, ctx, view.status.id, answers)
    with container.uow() as uow:
        assessments.complete_assessment(uow, ctx, view.status.id)


def phq9(total_first_eight: int) -> dict[str, int]:
    """PHQ-9 answers with item 9 at 0 (no safety alert) and the given sum over items 1-8."""
    links = [i.link_id for i in registry.get("phq-9").items]
    values = [0] * len(links)
    left = total_first_eight
    for n in range(8):
        values[n] = min(3, left)
        left -= values[n]
    return dict(zip(links, values, strict=True))


def alerts(container: Container, world: World) -> list[AlertRecord]:
    with container.uow() as uow:
        return list(
            uow.session.scalars(
                select(AlertRecord)
                .where(AlertRecord.patient_id == world.ada)
                .order_by(AlertRecord.id)
            )
        )


def daily(container: Container, clock: FrozenClock) -> dict[int, int]:
    with container.uow() as uow:
        return monitoring.evaluate_all(uow, RequestContext(SYSTEM_ACTOR, "test-daily", clock))


# ---------------------------------------------------------------------------- assessments


@pytest.mark.parametrize(
    ("code", "link", "first", "last", "expected"),
    [
        # PHQ-9 MCID 5 points (Löwe 2004): 5 -> 10 worsens by 5 = MCID -> alert.
        pytest.param("phq-9", None, 5, 10, [("worsening", "psychologist")], id="phq9-at-mcid"),
        # 5 -> 9 worsens by 4 < 5 -> nothing.
        pytest.param("phq-9", None, 5, 9, [], id="phq9-below-mcid"),
        # NRS MCID 2 points or 30 %: from 3, 30 % = 0.9 points; 3 -> 4 (+1 >= 0.9) -> alert.
        pytest.param(
            "nrs-pain", "nrs-pain-1", 3, 4, [("worsening", "physician")], id="nrs-percent-mcid"
        ),
        # From 4, 30 % = 1.2 points; 4 -> 5 (+1 < 1.2) -> nothing.
        pytest.param("nrs-pain", "nrs-pain-1", 4, 5, [], id="nrs-below-percent-mcid"),
        # 8 -> 4: (8 - 4) / 8 = 50 % -> substantial IMMPACT responder (good news, physician).
        pytest.param(
            "nrs-pain", "nrs-pain-1", 8, 4, [("responder", "physician")], id="nrs-substantial"
        ),
        # 8 -> 6: 25 % < 30 % -> no responder, and an improvement is never a worsening.
        pytest.param("nrs-pain", "nrs-pain-1", 8, 6, [], id="nrs-improved-not-responder"),
    ],
)
def test_feeds_completed_assessments_raise_worsening_and_responder_on_completion(
    container: Container,
    world: World,
    clock: FrozenClock,
    code: str,
    link: str | None,
    first: int,
    last: int,
    expected: list[tuple[str, str]],
) -> None:
    for value in (first, last):
        complete(container, world, code, phq9(value) if link is None else {link: value})
        clock.advance(days=28)
    found = alerts(container, world)
    assert [(a.kind, a.owner_role) for a in found] == expected
    if expected and expected[0][0] == "worsening":
        assert found[0].dedupe_key == f"worsening:{world.ada}:{code}"
    # The daily run finds the same condition already open: nothing is raised twice.
    assert daily(container, clock) == {}
    assert len(alerts(container, world)) == len(expected)


def test_feeds_responder_level_and_title_are_good_news(
    container: Container, world: World, clock: FrozenClock
) -> None:
    complete(container, world, "nrs-pain", {"nrs-pain-1": 8})
    clock.advance(days=42)
    complete(container, world, "nrs-pain", {"nrs-pain-1": 4})
    (good,) = alerts(container, world)
    assert good.dedupe_key == f"responder:{world.ada}:pain:substantial"
    assert good.severity == "info"
    assert good.title == "Good news: pain down by 50.0% (substantial responder)"


# ---------------------------------------------------------------------------- medications

PERIOD_START = date(2026, 1, 31)  # the clock's 2026-03-02 closes a 31-day period


def start_duloxetine(container: Container, world: World) -> None:
    with container.uow() as uow:
        meds.start_medication(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            meds.StartOrder(
                drug="duloxetine",
                reason="neuropathic pain, first line",
                start_on=PERIOD_START,
                dose_mg=Decimal(60),
                times_per_day=1,
            ),
        )


@pytest.mark.parametrize(
    ("days_supply", "expected"),
    [
        # 24 of 31 days = 77.4 % < 80 % (PQA) -> alert to the pharmacist.
        pytest.param(24, [("non-adherence-medication", "pharmacist")], id="pdc-77-alerts"),
        # 25 of 31 days = 80.6 % >= 80 % -> nothing.
        pytest.param(25, [], id="pdc-80.6-quiet"),
    ],
)
def test_feeds_medication_pdc_below_80_raises_one_pharmacist_alert(
    container: Container, world: World, days_supply: int, expected: list[tuple[str, str]]
) -> None:
    start_duloxetine(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        meds.record_fill(
            uow, ctx, world.ada, drug="duloxetine", filled_on=PERIOD_START, days_supply=days_supply
        )
    with container.uow() as uow:
        meds.review_regimen(uow, ctx, world.ada)
    with container.uow() as uow:
        meds.review_regimen(uow, ctx, world.ada)  # reviewed twice: still one alert
    found = [a for a in alerts(container, world) if "adherence" in a.kind]
    assert [(a.kind, a.owner_role) for a in found] == expected
    if expected:
        assert found[0].dedupe_key == f"non-adherence-medication:{world.ada}:duloxetine"
        assert found[0].title == "Medicines: low adherence - duloxetine (77 % of days covered)"


def test_feeds_an_open_alert_from_before_the_feed_counts_as_the_same_condition(
    container: Container, world: World, clock: FrozenClock
) -> None:
    start_duloxetine(container, world)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        workflow.raise_alerts(
            uow,
            ctx,
            world.ada,
            [
                workflow.NewAlert(
                    kind="medication-adherence",
                    severity="routine",
                    dedupe_key="medication-adherence:duloxetine",
                    owner_role="pharmacist",
                    title="legacy",
                    rationale="",
                    source="",
                    evidence={},
                )
            ],
        )
        meds.record_fill(
            uow, ctx, world.ada, drug="duloxetine", filled_on=PERIOD_START, days_supply=10
        )
    assert daily(container, clock) == {}
    assert [a.kind for a in alerts(container, world) if "adherence" in a.kind] == [
        "medication-adherence"
    ]


# ---------------------------------------------------------------------------------- rehab


@pytest.mark.parametrize(
    ("days_later", "expected"),
    [
        # Started today (2026-03-02); 6 days later the window is 03-02..03-07 = 6 days (today,
        # with nothing logged yet, is left out) < 7 -> not judged yet.
        pytest.param(6, {}, id="six-day-window-not-judged"),
        # 7 days later: 03-02..03-08 = 7 days, 7 sessions/week -> 7 prescribed, 0 done = 0 %.
        pytest.param(7, {"non-adherence-sessions": "physiotherapist"}, id="seven-days-none-done"),
    ],
)
def test_feeds_daily_run_finds_a_programme_with_no_sessions_logged(
    container: Container,
    world: World,
    clock: FrozenClock,
    days_later: int,
    expected: dict[str, str],
) -> None:
    with container.uow() as uow:
        rehab.save_programme(
            uow,
            context_for(container, world, "tom"),
            world.ada,
            programme_input(sessions_per_week=7),
        )
    clock.advance(days=days_later)
    daily(container, clock)
    assert {a.kind: a.owner_role for a in alerts(container, world)} == expected
    if expected:
        (a,) = alerts(container, world)
        assert a.dedupe_key == f"non-adherence-sessions:{world.ada}:home-programme"
        assert a.title == "Few programme sessions done: 0 of 7"
        with container.uow() as uow:
            tasks = uow.session.scalars(select(TaskRecord).where(TaskRecord.alert_id == a.id))
            assert [t.owner_role for t in tasks] == ["physiotherapist"]


def test_feeds_daily_run_uses_the_patients_local_date(
    container: Container, world: World, clock: FrozenClock
) -> None:
    # Auckland is UTC+13 in March: 2026-03-08 11:30 UTC is 03-09 00:30 there.
    with container.uow() as uow:
        patient = uow.session.get(Patient, world.ada)
        assert patient is not None
        patient.timezone = "Pacific/Auckland"
        uow.commit()
    clock.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 03-02 01:00 in Auckland
    with container.uow() as uow:
        rehab.save_programme(
            uow,
            context_for(container, world, "tom"),
            world.ada,
            programme_input(sessions_per_week=7),
        )
    clock.now = datetime(2026, 3, 8, 10, 59, tzinfo=UTC)  # 03-08 23:59 local: 6-day window
    assert daily(container, clock) == {}
    clock.now = datetime(2026, 3, 8, 11, 30, tzinfo=UTC)  # 03-09 00:30 local: 7-day window
    assert daily(container, clock) == {world.ada: 1}


# ------------------------------------------------------------------------ markers, sessions


def test_feeds_chart_markers_from_order_changes_and_programme_phases_in_local_dates(
    container: Container, world: World, clock: FrozenClock
) -> None:
    with container.uow() as uow:
        patient = uow.session.get(Patient, world.ada)
        assert patient is not None
        patient.timezone = "America/Los_Angeles"  # UTC-8 in February
        now = clock()
        order = MedicationOrder(
            patient_id=world.ada,
            drug="pregabalin",
            status="active",
            started_on=date(2026, 2, 1),
            prescriber_id=world.users["drbo"],
            created_at=now,
            updated_at=now,
            exercise_sessions=[],
            schedule_warnings=[],
        )
        uow.session.add(order)
        uow.session.flush()

        def change(kind: str, at: datetime, dose: str | None) -> MedicationOrderChange:
            return MedicationOrderChange(
                order_id=order.id,
                patient_id=world.ada,
                change=kind,
                dose_mg=Decimal(dose) if dose else None,
                times_per_day=2 if dose else None,
                reason=f"{kind} reason",
                changed_by_id=world.users["drbo"],
                changed_at=at,
            )

        uow.session.add_all(
            [
                # recorded the evening before: a start shows on the order's start date
                change("start", datetime(2026, 1, 31, 18, 0, tzinfo=UTC), "75"),
                # 2026-02-10 03:00 UTC is 02-09 19:00 in Los Angeles
                change("titrate", datetime(2026, 2, 10, 3, 0, tzinfo=UTC), "150"),
            ]
        )
        programme = RehabProgramme(
            patient_id=world.ada,
            phase="phase_2_condition",
            sessions_per_week=3,
            version=3,
            profile={},
            started_on=date(2026, 2, 3),
            phase_started_on=date(2026, 2, 20),
            created_at=now,
            updated_at=now,
        )
        uow.session.add(programme)
        uow.session.flush()
        for version, phase, at in (
            (1, "phase_1_calm", datetime(2026, 2, 3, 9, 0, tzinfo=UTC)),
            (2, "phase_1_calm", datetime(2026, 2, 12, 9, 0, tzinfo=UTC)),  # same phase: no mark
            (3, "phase_2_condition", datetime(2026, 2, 21, 7, 0, tzinfo=UTC)),  # 02-20 local
        ):
            uow.session.add(
                RehabProgrammeVersion(
                    programme_id=programme.id,
                    version=version,
                    reason=f"v{version}",
                    snapshot={"phase": phase},
                    changed_at=at,
                )
            )
        uow.commit()
    with container.uow() as uow:
        marks = monitoring_feeds.markers_for(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            start=date(2026, 1, 1),
            end=date(2026, 3, 2),
        )
    assert [(m.code, m.on.isoformat(), m.label) for m in marks] == [
        ("M1", "2026-02-01", "Pregabalin started 75 mg x 2/day"),
        ("P1", "2026-02-03", "Phase 1: calm"),
        ("M2", "2026-02-09", "Pregabalin dose changed 150 mg x 2/day"),
        ("P2", "2026-02-20", "Phase 2: condition"),
    ]


@pytest.mark.parametrize(
    ("per_week", "logged", "expected"),
    [
        # No logs: an even spread (3 a week -> Mon, Wed, Fri).
        pytest.param(3, [], (0, 2, 4), id="spread-without-logs"),
        # Logged on Tuesdays (x2) and Thursdays (x2) and one Saturday: the 3 most-used days.
        pytest.param(
            3,
            [
                date(2026, 2, 17),
                date(2026, 2, 24),
                date(2026, 2, 19),
                date(2026, 2, 26),
                date(2026, 2, 21),
            ],
            (1, 3, 5),
            id="most-used-days",
        ),
        # 2 a week but one logged day (Thursday): topped up from the spread (Tue, Thu).
        pytest.param(2, [date(2026, 2, 26)], (1, 3), id="topped-up"),
    ],
)
def test_feeds_planned_sessions_pre_fill_from_the_rehab_programme(
    container: Container,
    world: World,
    per_week: int,
    logged: list[date],
    expected: tuple[int, ...],
) -> None:
    with container.uow() as uow:
        rehab.save_programme(
            uow,
            context_for(container, world, "tom"),
            world.ada,
            programme_input(sessions_per_week=per_week),
        )
        programme = uow.session.scalar(
            select(RehabProgramme).where(RehabProgramme.patient_id == world.ada)
        )
        assert programme is not None
        for n, day in enumerate(logged):
            uow.session.add(
                RehabSessionLog(
                    patient_id=world.ada,
                    programme_id=programme.id,
                    performed_on=day,
                    exercise_ids=[],
                    minutes=20,
                    pain_before_nrs=3,
                    pain_after_nrs=3,
                    rpe=3,
                    idempotency_key=f"log-{n}",
                    logged_at=datetime(2026, 3, 1, tzinfo=UTC),
                )
            )
        uow.commit()
    with container.uow() as uow:
        planned = monitoring_feeds.planned_sessions_for(
            uow, context_for(container, world, "drbo"), world.ada
        )
    assert planned is not None and planned.weekdays == expected


def test_feeds_no_programme_no_pre_fill(container: Container, world: World) -> None:
    with container.uow() as uow:
        assert (
            monitoring_feeds.planned_sessions_for(
                uow, context_for(container, world, "drbo"), world.ada
            )
            is None
        )
