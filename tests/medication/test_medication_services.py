"""Medication use cases against the real database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.clinical.errors import DoseAboveCeiling
from painpath.clinical.medications.codes import SEVERITY_ORDER, Severity
from painpath.clinical.medications.trial import PainMeasure
from painpath.records.models import AuditEvent
from painpath.records.models_medication import MedicationFinding, MedicationOrderChange
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import medications as meds
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, context_for

TODAY = date(2026, 3, 2)  # the FrozenClock's date
BENZO_KEY = "medication-finding:interaction:opioid-benzodiazepine:diazepam,oxycodone"


def start(
    container: Container, world: World, key: str, patient: int, **fields: object
) -> meds.OrderView:
    command = meds.StartOrder(
        **{"reason": "neuropathic pain, first line", "start_on": TODAY, **fields}  # type: ignore[arg-type]
    )
    with container.uow() as uow:
        return meds.start_medication(uow, context_for(container, world, key), patient, command)


def renal(container: Container, world: World, key: str, patient: int, scr: str) -> None:
    with container.uow() as uow:
        meds.record_renal_input(
            uow,
            context_for(container, world, key),
            patient,
            weight_kg=Decimal(82),
            serum_creatinine_mg_dl=Decimal(scr),
            measured_on=TODAY,
        )


def regimen(container: Container, world: World, key: str, patient: int) -> meds.RegimenView:
    with container.uow() as uow:
        return meds.get_regimen(uow, context_for(container, world, key), patient)


def test_start_titration_stores_the_capped_schedule_and_history(
    container: Container, world: World
) -> None:
    # Ada (world: born 1981-06-12 -> 44 on 2026-03-02, female). 82 kg, SCr 2.0:
    # (140 - 44) x 82 / (72 x 2.0) x 0.85 = 7872 / 144 x 0.85 = 46.47 mL/min -> CrCl 30-60 band,
    # pregabalin max 300 mg/day (Lyrica §2.7) although 600 was asked.
    renal(container, world, "drbo", world.ada, "2.0")
    order = start(
        container,
        world,
        "drbo",
        world.ada,
        drug="pregabalin",
        target_daily_dose_mg=Decimal(600),
        purpose="Calms the burning nerve pain in your arm",
    )
    assert order.target_daily_dose_mg == 300
    assert max(s.daily_dose_mg for s in order.steps) == 300
    assert order.steps[0].on == TODAY
    assert "target_capped" in {w.code for w in order.schedule_warnings}
    assert [h.change for h in order.history] == ["start"]
    assert order.history[0].reason == "neuropathic pain, first line"
    assert order.purpose == "Calms the burning nerve pain in your arm"


def test_start_timed_around_sessions_moves_a_dose(container: Container, world: World) -> None:
    # Pregabalin Tmax ~1 h (Lyrica label): a 10:00 session moves the morning dose to 09:00.
    sessions = (meds.SessionInput(at=time(10, 0), on=None),)
    order = start(
        container,
        world,
        "drbo",
        world.ada,
        drug="pregabalin",
        target_daily_dose_mg=Decimal(150),
        sessions=sessions,
    )
    first = order.steps[0]
    assert [a.at for a in first.administrations if a.covers_session_at == "10:00"] == ["09:00"]


def test_fixed_dose_above_renal_maximum_is_refused(container: Container, world: World) -> None:
    # SCr 2.0 -> CrCl 46.5 (see above): gabapentin CrCl 30-59 max 1400 mg/day; 600 x 3 = 1800.
    renal(container, world, "drbo", world.ada, "2.0")
    with pytest.raises(DoseAboveCeiling, match="1400"):
        start(
            container,
            world,
            "drbo",
            world.ada,
            drug="gabapentin",
            dose_mg=Decimal(600),
            times_per_day=3,
        )
    # 400 x 3 = 1200 <= 1400: accepted.
    order = start(
        container,
        world,
        "drbo",
        world.ada,
        drug="gabapentin",
        dose_mg=Decimal(400),
        times_per_day=3,
    )
    assert order.daily_dose_mg == 1200


@pytest.mark.parametrize("key", ["tom", "lena", "ada"])
def test_only_the_physician_prescribes(container: Container, world: World, key: str) -> None:
    with pytest.raises(PermissionDenied):
        start(
            container,
            world,
            key,
            world.ada,
            drug="duloxetine",
            dose_mg=Decimal(30),
            times_per_day=1,
        )


def test_pharmacist_may_not_prescribe(container: Container, world: World, sam: str) -> None:
    with pytest.raises(PermissionDenied):
        start(
            container,
            world,
            sam,
            world.ada,
            drug="duloxetine",
            dose_mg=Decimal(30),
            times_per_day=1,
        )


def test_outsider_cannot_read_the_regimen_and_is_audited(
    container: Container, world: World
) -> None:
    with pytest.raises(NotFound):
        regimen(container, world, "outsider", world.ada)
    with container.uow() as uow:
        denied = uow.session.scalars(
            select(AuditEvent).where(
                AuditEvent.actor_id == world.users["outsider"],
                AuditEvent.action == "medication.regimen",
            )
        ).all()
    assert len(denied) == 1


def test_reason_is_required_for_every_change(container: Container, world: World) -> None:
    with pytest.raises(InvalidInput, match="reason"):
        start(
            container,
            world,
            "drbo",
            world.ada,
            drug="duloxetine",
            dose_mg=Decimal(30),
            times_per_day=1,
            reason="x",
        )


def ben_regimen(container: Container, world: World) -> None:
    # Ben's physician in the test world is "outsider" (Team B). 82 kg, SCr 1.6, female in the
    # test world: (140 - 68) x 82 / (72 x 1.6) x 0.85 = 5904 / 115.2 x 0.85 = 43.56 mL/min.
    renal(container, world, "outsider", world.ben, "1.6")
    for drug, dose, times in (("oxycodone", 10, 3), ("diazepam", 5, 2), ("gabapentin", 300, 3)):
        start(
            container,
            world,
            "outsider",
            world.ben,
            drug=drug,
            dose_mg=Decimal(dose),
            times_per_day=times,
        )


def test_ben_review_shows_interaction_renal_and_naloxone_findings_with_sources(
    container: Container, world: World, sam: str
) -> None:
    ben_regimen(container, world)
    view = regimen(container, world, sam, world.ben)
    assert view.crcl_ml_min is not None and round(view.crcl_ml_min, 2) == Decimal("43.56")
    assert view.mme_per_day == 45  # oxycodone 30 mg/day x 1.5
    kinds = {(f.kind, tuple(f.drugs)) for f in view.findings}
    assert ("interaction", ("diazepam", "oxycodone")) in kinds
    assert ("naloxone", ("oxycodone",)) in kinds
    severities = [SEVERITY_ORDER[Severity(f.severity)] for f in view.findings]
    assert severities == sorted(severities, reverse=True)
    assert all(f.source for f in view.findings)
    assert view.open_findings == len(view.findings)


def test_major_findings_raise_deduplicated_pharmacist_alerts(
    container: Container, world: World, sam: str
) -> None:
    ben_regimen(container, world)
    with container.uow() as uow:
        meds.review_regimen(uow, context_for(container, world, sam), world.ben)
    with container.uow() as uow:
        alerts = uow.session.scalars(
            select(AlertRecord).where(AlertRecord.patient_id == world.ben)
        ).all()
        tasks = uow.session.scalars(
            select(TaskRecord).where(TaskRecord.patient_id == world.ben)
        ).all()
    keys = [a.dedupe_key for a in alerts]
    assert len(keys) == len(set(keys))  # four reviews, each alert once
    assert "medication-finding:interaction:opioid-benzodiazepine:diazepam,oxycodone" in keys
    assert {a.owner_role for a in alerts} == {"pharmacist"}
    assert len(tasks) == len(alerts)


def test_override_needs_a_reason_is_audited_carries_forward_and_closes_the_task(
    container: Container, world: World, sam: str, clock: FrozenClock
) -> None:
    ben_regimen(container, world)
    view = regimen(container, world, sam, world.ben)
    target = next(f for f in view.findings if f.code == "opioid-benzodiazepine")
    ctx = context_for(container, world, sam)
    with container.uow() as uow, pytest.raises(InvalidInput, match="reason"):
        meds.respond_to_finding(
            uow, ctx, target.id, decision=meds.FindingDecision.OVERRIDE, reason="  "
        )
    reason = "Diazepam taper agreed with GP; naloxone supplied"
    with container.uow() as uow:
        answered = meds.respond_to_finding(
            uow, ctx, target.id, decision=meds.FindingDecision.OVERRIDE, reason=reason
        )
    assert (answered.status, answered.response_reason, answered.responded_by) == (
        "overridden",
        reason,
        "Sam Costa",
    )
    with container.uow() as uow:
        event = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "medication.finding.override.reason")
        ).one()
        alert = uow.session.scalars(
            select(AlertRecord).where(AlertRecord.dedupe_key == BENZO_KEY)
        ).one()
    assert reason in event.detail
    assert alert.state == "resolved"
    # A new review keeps the response for the same finding and raises no new alert.
    clock.advance(days=1)
    with container.uow() as uow:
        again = meds.review_regimen(uow, context_for(container, world, sam), world.ben)
    same = next(f for f in again.findings if f.code == "opioid-benzodiazepine")
    assert (same.status, same.response_reason) == ("overridden", reason)
    with container.uow() as uow:
        assert (
            len(
                uow.session.scalars(
                    select(AlertRecord).where(AlertRecord.dedupe_key == BENZO_KEY)
                ).all()
            )
            == 1
        )


def test_stopping_the_benzodiazepine_clears_the_finding_and_its_alert(
    container: Container, world: World, sam: str
) -> None:
    ben_regimen(container, world)
    view = regimen(container, world, "outsider", world.ben)
    diazepam = next(o for o in view.orders if o.drug == "diazepam")
    with container.uow() as uow:
        stopped = meds.stop_medication(
            uow,
            context_for(container, world, "outsider"),
            diazepam.id,
            reason="Tapered off over 4 weeks",
        )
    assert stopped.status == "stopped"
    assert [h.change for h in stopped.history] == ["start", "stop"]
    after = regimen(container, world, sam, world.ben)
    assert "opioid-benzodiazepine" not in {f.code for f in after.findings}
    with container.uow() as uow:
        alert = uow.session.scalars(
            select(AlertRecord).where(AlertRecord.dedupe_key == BENZO_KEY)
        ).one()
        history = uow.session.scalars(
            select(MedicationOrderChange).where(MedicationOrderChange.order_id == diazepam.id)
        ).all()
    assert alert.state == "resolved"
    assert len(history) == 2  # append-only: the start row is still there


def test_titrate_rechecks_the_ceiling_and_appends_history(
    container: Container, world: World
) -> None:
    order = start(
        container, world, "drbo", world.ada, drug="duloxetine", dose_mg=Decimal(30), times_per_day=1
    )
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow, pytest.raises(DoseAboveCeiling):
        # Duloxetine label maximum 120 mg/day.
        meds.titrate_medication(
            uow, ctx, order.id, dose_mg=Decimal(150), times_per_day=1, reason="more pain relief"
        )
    with container.uow() as uow:
        changed = meds.titrate_medication(
            uow, ctx, order.id, dose_mg=Decimal(60), times_per_day=1, reason="tolerated 30 mg well"
        )
    assert changed.daily_dose_mg == 60
    assert [h.change for h in changed.history] == ["start", "titrate"]


def test_patient_reports_side_effect_and_sees_calendar_not_findings(
    container: Container, world: World
) -> None:
    start(
        container,
        world,
        "drbo",
        world.ada,
        drug="pregabalin",
        target_daily_dose_mg=Decimal(300),
        sessions=(meds.SessionInput(at=time(10, 0)),),
    )
    ada = context_for(container, world, "ada")
    with container.uow() as uow:
        effect = meds.report_side_effect(
            uow,
            ada,
            world.ada,
            drug="pregabalin",
            effect="Dizzy in the morning",
            severity=meds.SideEffectSeverity.MILD,
            noted_on=TODAY,
        )
    assert effect.reported_by_role == "patient"
    with container.uow() as uow:
        calendar = meds.get_calendar(uow, ada, world.ada)
    (medicine,) = calendar.medicines
    assert medicine.purpose == "Calms nerve pain"
    assert medicine.is_titrating
    assert any(d.covers_session_at == "10:00" for d in medicine.today)
    assert calendar.session_times_today == ["10:00"]
    with container.uow() as uow, pytest.raises(PermissionDenied):
        meds.get_regimen(uow, ada, world.ada)
    with container.uow() as uow, pytest.raises(NotFound):
        meds.get_calendar(uow, context_for(container, world, "ben"), world.ada)


def test_adherence_pdc_from_fills(container: Container, world: World, sam: str) -> None:
    start(
        container, world, "drbo", world.ada, drug="duloxetine", dose_mg=Decimal(60), times_per_day=1
    )
    ctx = context_for(container, world, sam)
    with container.uow() as uow:
        meds.record_fill(
            uow, ctx, world.ada, drug="duloxetine", filled_on=date(2026, 1, 31), days_supply=20
        )
    view = regimen(container, world, sam, world.ada)
    (pdc,) = view.adherence
    # 2026-01-31 .. 2026-03-02 = 31 days; 20 covered -> 64.5 % (< 80 %: not adherent).
    assert (pdc.days_in_period, pdc.days_covered, pdc.is_adherent) == (31, 20, False)


def test_summary_lines_for_the_overview(container: Container, world: World) -> None:
    start(
        container, world, "drbo", world.ada, drug="duloxetine", dose_mg=Decimal(60), times_per_day=1
    )
    with container.uow() as uow:
        lines = meds.medicines_summary(uow, context_for(container, world, "drbo"), world.ada)
    assert lines is not None
    assert lines[0] == "Duloxetine: 60 mg × 1/day"
    assert any(line.startswith("Open findings:") for line in lines)
    assert any(line.startswith("MME/day: 0") for line in lines)
    with container.uow() as uow:
        assert (
            meds.medicines_summary(uow, context_for(container, world, "admin"), world.ada) is None
        )


def test_findings_are_stored_per_review(container: Container, world: World, sam: str) -> None:
    ben_regimen(container, world)
    with container.uow() as uow:
        reviews = {f.review_id for f in uow.session.scalars(select(MedicationFinding))}
    assert len(reviews) >= 2  # one review per change: stored, never overwritten


@pytest.mark.parametrize(
    ("baseline", "current", "intolerable", "decision"),
    [
        # 8 -> 5: (8 - 5) / 8 = 37.5 % >= 30 % (IMMPACT moderate) -> continue
        pytest.param("8", "5", False, "continue", id="responder-continue"),
        # 8 -> 7: 12.5 % (10 to < 30 %) -> add another first-line class
        pytest.param("8", "7", False, "add", id="partial-add"),
        # 8 -> 8: 0 % -> switch
        pytest.param("8", "8", False, "switch", id="non-responder-switch"),
        pytest.param("8", "4", True, "switch", id="intolerable-switch"),
    ],
)
def test_adequate_trial_check_of_an_order(
    container: Container,
    world: World,
    baseline: str,
    current: str,
    intolerable: bool,
    decision: str,
) -> None:
    # Duloxetine 60 mg from 2026-01-19: 42 days = 6 weeks at target >= 4 (Dworkin 2007).
    order = start(
        container,
        world,
        "drbo",
        world.ada,
        drug="duloxetine",
        dose_mg=Decimal(60),
        times_per_day=1,
        start_on=date(2026, 1, 19),
    )
    with container.uow() as uow:
        trial = meds.assess_order_trial(
            uow,
            context_for(container, world, "drbo"),
            order.id,
            measure=PainMeasure.PEG,
            baseline_score=Decimal(baseline),
            current_score=Decimal(current),
            has_intolerable_side_effects=intolerable,
        )
    assert trial.weeks_at_target == 6
    assert trial.status == "complete"
    assert trial.decision == decision


def test_titration_without_creatinine_warns_that_renal_limits_were_not_applied(
    container: Container, world: World
) -> None:
    with container.uow() as uow:
        preview = meds.preview_titration(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            drug="pregabalin",
            target_daily_dose_mg=Decimal(300),
            start_on=TODAY,
        )
    assert preview.crcl_ml_min is None
    assert preview.warnings[0].code == "renal_unknown"
    assert "Lyrica" in preview.warnings[0].source


def test_severe_side_effect_and_low_adherence_become_tasks(
    container: Container, world: World, sam: str
) -> None:
    start(
        container, world, "drbo", world.ada, drug="duloxetine", dose_mg=Decimal(60), times_per_day=1
    )
    with container.uow() as uow:
        meds.report_side_effect(
            uow,
            context_for(container, world, "ada"),
            world.ada,
            drug="duloxetine",
            effect="Vomiting all day",
            severity=meds.SideEffectSeverity.SEVERE,
            noted_on=TODAY,
        )
    ctx = context_for(container, world, sam)
    with container.uow() as uow:
        # 2026-01-31 .. 2026-03-02: 20 of 31 days covered = 64.5 % < 80 %
        meds.record_fill(
            uow, ctx, world.ada, drug="duloxetine", filled_on=date(2026, 1, 31), days_supply=20
        )
    with container.uow() as uow:
        meds.review_regimen(uow, ctx, world.ada)
    with container.uow() as uow:
        tasks = {
            (t.owner_role, t.title)
            for t in uow.session.scalars(
                select(TaskRecord).where(TaskRecord.patient_id == world.ada)
            )
        }
    assert ("physician", "Medicines: severe side effect - duloxetine") in tasks
    assert ("pharmacist", "Medicines: low adherence - duloxetine (65 % of days covered)") in tasks
