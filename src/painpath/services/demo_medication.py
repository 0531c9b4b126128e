"""Demo medicines: Ben Hughes (67, CKD stage 3) on oxycodone + diazepam + gabapentin, so the
pharmacist's review shows the interaction, renal-dose and naloxone findings; Ada Moreno on a
pregabalin titration timed around her physio sessions; a few others on SNRIs and TCAs.
Deterministic for a given demo date; rows are inserted directly (the review runs as the system)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from painpath.clinical.medications.formulary import default_formulary
from painpath.clinical.medications.titration import ExerciseSession, titration_schedule
from painpath.records.enums import Role
from painpath.records.models import Patient, UserAccount
from painpath.records.models_medication import (
    MedicationFill,
    MedicationOrder,
    MedicationOrderChange,
    MedicationRenalInput,
    MedicationSideEffect,
)
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.demo import DEMO_SEEDERS, DemoContext
from painpath.services.medications import (
    PURPOSE_BY_CLASS,
    ChangeKind,
    OrderStatus,
    run_review,
    schedule_rows,
)

ADA_PHYSIO = (1, 3)  # Tuesday and Thursday
ADA_PHYSIO_AT = time(10, 30)
# (generated patient index, drug, dose mg, times a day, purpose); index into ctx.patients.
OTHERS = (
    (2, "duloxetine", Decimal(60), 1, "Calms nerve pain and can lift mood"),
    (3, "amitriptyline", Decimal(25), 1, "Calms nerve pain and helps sleep"),
    (4, "venlafaxine", Decimal(150), 1, "Calms nerve pain and can lift mood"),
    (5, "nortriptyline", Decimal(20), 1, "Calms nerve pain and helps sleep"),
    (6, "duloxetine", Decimal(60), 1, "Calms nerve pain and can lift mood"),
    (6, "tramadol", Decimal(50), 3, "Pain relief for bad days"),
)


def _order(
    ctx: DemoContext,
    patient: Patient,
    drug: str,
    *,
    started_on: date,
    dose_mg: Decimal,
    times_per_day: int,
    reason: str,
    purpose: str = "",
) -> MedicationOrder:
    physician = ctx.staff[Role.PHYSICIAN]
    started_at = ctx.now - timedelta(days=(ctx.today - started_on).days)
    order = MedicationOrder(
        patient_id=patient.id,
        drug=drug,
        status=OrderStatus.ACTIVE,
        dose_mg=dose_mg,
        times_per_day=times_per_day,
        purpose=purpose or PURPOSE_BY_CLASS.get(default_formulary().get(drug).drug_class, ""),
        exercise_sessions=[],
        schedule_warnings=[],
        schedule_source="",
        started_on=started_on,
        prescriber_id=physician.id,
        created_at=started_at,
        updated_at=started_at,
    )
    ctx.uow.session.add(order)
    ctx.uow.session.flush()
    ctx.uow.session.add(
        MedicationOrderChange(
            order_id=order.id,
            patient_id=patient.id,
            change=ChangeKind.START,
            dose_mg=dose_mg,
            times_per_day=times_per_day,
            reason=reason,
            changed_by_id=physician.id,
            changed_at=started_at,
        )
    )
    return order


def _renal(ctx: DemoContext, patient: Patient, weight: str, creatinine: str, days_ago: int) -> None:
    ctx.uow.session.add(
        MedicationRenalInput(
            patient_id=patient.id,
            weight_kg=Decimal(weight),
            serum_creatinine_mg_dl=Decimal(creatinine),
            measured_on=ctx.today - timedelta(days=days_ago),
            recorded_by_id=ctx.staff[Role.PHYSICIAN].id,
            recorded_at=ctx.now - timedelta(days=days_ago),
        )
    )


def _fill(ctx: DemoContext, patient: Patient, drug: str, days_ago: int, supply: int) -> None:
    ctx.uow.session.add(
        MedicationFill(
            patient_id=patient.id,
            drug=drug,
            filled_on=ctx.today - timedelta(days=days_ago),
            days_supply=supply,
            recorded_by_id=ctx.staff[Role.PHARMACIST].id,
            recorded_at=ctx.now - timedelta(days=days_ago),
        )
    )


def _side_effect(
    ctx: DemoContext, patient: Patient, drug: str, effect: str, severity: str, by: Role
) -> None:
    reporter_id = (
        _patient_user_id(ctx, patient) if by is Role.PATIENT else ctx.staff[Role.PHYSICIAN].id
    )
    ctx.uow.session.add(
        MedicationSideEffect(
            patient_id=patient.id,
            drug=drug,
            effect=effect,
            severity=severity,
            note="",
            reported_by_role=by.value,
            reported_by_id=reporter_id,
            noted_on=ctx.today - timedelta(days=2),
            created_at=ctx.now - timedelta(days=2),
        )
    )


def _patient_user_id(ctx: DemoContext, patient: Patient) -> int:
    user_id = ctx.uow.session.scalar(
        select(UserAccount.id).where(UserAccount.patient_id == patient.id)
    )
    return int(user_id) if user_id is not None else ctx.staff[Role.PHYSICIAN].id


def _age(born_on: date, on: date) -> int:
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def _ben(ctx: DemoContext, system: RequestContext) -> None:
    ben = ctx.patients[1]
    # 84 kg, creatinine 1.5 mg/dL (133 umol/L): CrCl (140 - 67) x 84 / (72 x 1.5) = 56.8 mL/min,
    # CKD stage 3 - gabapentin 1800 mg/day is above the Neurontin 30-59 band maximum of 1400.
    _renal(ctx, ben, "84", "1.5", days_ago=20)
    long_ago = ctx.today - timedelta(days=240)
    _order(
        ctx,
        ben,
        "oxycodone",
        started_on=long_ago,
        dose_mg=Decimal(10),
        times_per_day=3,
        reason="Post-operative pain after knee replacement; continued by the surgical team",
    )
    _order(
        ctx,
        ben,
        "diazepam",
        started_on=ctx.today - timedelta(days=150),
        dose_mg=Decimal(5),
        times_per_day=2,
        reason="Night-time muscle spasm and poor sleep (started by the GP)",
    )
    _order(
        ctx,
        ben,
        "gabapentin",
        started_on=ctx.today - timedelta(days=200),
        dose_mg=Decimal(600),
        times_per_day=3,
        reason="Burning pain around the scar, neuropathic features",
    )
    _fill(ctx, ben, "gabapentin", days_ago=75, supply=28)
    _fill(ctx, ben, "gabapentin", days_ago=40, supply=28)
    _side_effect(ctx, ben, "oxycodone", "Constipation", "moderate", Role.PHYSICIAN)
    _side_effect(
        ctx, ben, "gabapentin", "Unsteady on his feet in the morning", "mild", Role.PATIENT
    )
    ctx.uow.session.flush()
    run_review(ctx.uow, system, ben, "demo")


def _ada(ctx: DemoContext, system: RequestContext) -> None:
    ada = ctx.patients[0]
    _renal(ctx, ada, "68", "0.8", days_ago=30)
    start_on = ctx.today - timedelta(days=5)
    drug = default_formulary().get("pregabalin")
    sessions = [
        ExerciseSession(on=start_on + timedelta(days=k), at=ADA_PHYSIO_AT)
        for k in range(90)
        if (start_on + timedelta(days=k)).weekday() in ADA_PHYSIO
    ]
    schedule = titration_schedule(
        drug,
        target_daily_dose_mg=Decimal(300),
        start_on=start_on,
        age_years=_age(ada.born_on, ctx.today),
        exercise_sessions=sessions,
    )
    order = _order(
        ctx,
        ada,
        "pregabalin",
        started_on=start_on,
        dose_mg=schedule.days[0].daily_dose_mg / schedule.days[0].times_per_day,
        times_per_day=schedule.days[0].times_per_day,
        reason="Neuropathic pain after brachial plexus traction injury; first line (NeuPSIG)",
        purpose="Calms the burning and electric pain in your right arm",
    )
    order.target_daily_dose_mg = schedule.target_daily_dose_mg
    order.exercise_sessions = [
        {"on": s.on.isoformat() if s.on else None, "at": s.at.isoformat("minutes")}
        for s in sessions
    ]
    order.schedule_warnings = [
        {"code": w.code.value, "message": w.message, "source": w.source} for w in schedule.warnings
    ]
    order.schedule_source = schedule.source
    order.steps = schedule_rows(schedule)
    _fill(ctx, ada, "pregabalin", days_ago=5, supply=28)
    _side_effect(ctx, ada, "pregabalin", "A bit dizzy after the morning dose", "mild", Role.PATIENT)
    ctx.uow.session.flush()
    run_review(ctx.uow, system, ada, "demo")


def _others(ctx: DemoContext, system: RequestContext) -> None:
    touched: dict[int, Patient] = {}
    for index, drug, dose, times, purpose in OTHERS:
        if index >= len(ctx.patients):
            continue
        patient = ctx.patients[index]
        _order(
            ctx,
            patient,
            drug,
            started_on=ctx.today - timedelta(days=30 + 7 * index),
            dose_mg=dose,
            times_per_day=times,
            reason="Neuropathic pain; guideline first/second line",
            purpose=purpose,
        )
        _fill(ctx, patient, drug, days_ago=30 + 7 * index, supply=28)
        touched[patient.id] = patient
    ctx.uow.session.flush()
    for patient in touched.values():
        run_review(ctx.uow, system, patient, "demo")


def seed_medication(ctx: DemoContext) -> None:
    system = RequestContext(SYSTEM_ACTOR, "demo-seed", lambda: ctx.now)
    _ben(ctx, system)
    _ada(ctx, system)
    _others(ctx, system)


DEMO_SEEDERS.append(seed_medication)
