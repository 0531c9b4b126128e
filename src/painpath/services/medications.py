"""Medicines: orders and their changes, titration schedules, renal inputs, side effects, fills,
regimen reviews with findings, and the pharmacist's acknowledge/override.

Every use case authorises through authorize_patient (Kind.MEDICATION). The physician prescribes
(start, titrate, stop); the pharmacist reviews and acknowledges or overrides findings with a
reason; the patient reads their own calendar and may report side effects (as a diary entry).

SAFETY: a saved dose is never above the patient's ceiling (label maximum, age limit, renal band,
hepatic rule): schedules are regenerated on save by the clinical core (capped), and a directly
entered dose above the ceiling is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import select

from painpath.clinical.errors import DomainError, DoseAboveCeiling
from painpath.clinical.medications.adherence import Fill, proportion_of_days_covered
from painpath.clinical.medications.ceiling import dose_ceiling
from painpath.clinical.medications.checks import Finding, RegimenReport, check_regimen
from painpath.clinical.medications.codes import SEVERITY_ORDER, DrugClass, Route, Severity, Sex
from painpath.clinical.medications.formulary import Drug, default_formulary
from painpath.clinical.medications.ort import OrtItem, score_ort
from painpath.clinical.medications.regimen import MedicationOrder as CoreOrder
from painpath.clinical.medications.regimen import PatientContext
from painpath.clinical.medications.renal import UMOL_L_PER_MG_DL, cockcroft_gault_crcl
from painpath.clinical.medications.rules import default_rules
from painpath.clinical.medications.titration import (
    ExerciseSession,
    TitrationSchedule,
    time_doses_for_sessions,
    titration_schedule,
)
from painpath.clinical.medications.trial import PainMeasure, assess_trial
from painpath.records.enums import Role
from painpath.records.enums import Sex as RecordSex
from painpath.records.models import Patient, UserAccount
from painpath.records.models_medication import (
    MedicationFill,
    MedicationFinding,
    MedicationOrder,
    MedicationOrderChange,
    MedicationRenalInput,
    MedicationReview,
    MedicationSideEffect,
    MedicationTitrationStep,
)
from painpath.records.models_workflow import AlertRecord
from painpath.security.policy import Action, Kind
from painpath.services import audit, workflow
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork

PRESCRIBERS: Final = frozenset({Role.PHYSICIAN})
REVIEWERS: Final = frozenset({Role.PHARMACIST, Role.PHYSICIAN})
MIN_REASON_CHARS: Final = 10
ALERT_KIND: Final = "medication-finding"
# Findings that become a task for the pharmacist (product.md: findings feed the task list).
ALERTING: Final = frozenset({Severity.MAJOR, Severity.CONTRAINDICATED})
ALERT_SEVERITY: Final = {Severity.CONTRAINDICATED: "urgent", Severity.MAJOR: "high"}
# Within a severity, the findings a pharmacist acts on first (then the Beers context).
KIND_ORDER: Final = {
    kind: i
    for i, kind in enumerate(
        (
            "contraindication",
            "interaction",
            "renal_dose",
            "max_dose",
            "mme_threshold",
            "naloxone",
            "duplicate_therapy",
            "beers",
        )
    )
}
KIND_TITLE: Final = {
    "interaction": "interaction",
    "renal_dose": "renal dose",
    "max_dose": "above maximum dose",
    "beers": "Beers criteria",
    "mme_threshold": "opioid dose (MME)",
    "naloxone": "naloxone",
    "duplicate_therapy": "duplicate therapy",
    "contraindication": "contraindication",
}
SESSION_HORIZON_DAYS: Final = 90  # weekly physio sessions are expanded over this many days
CALENDAR_DAYS: Final = 14
# SNOMED CT codes of recorded comorbidities -> condition codes of the rule tables.
SNOMED_CONDITIONS: Final = {
    "433144002": "chronic_kidney_disease",  # chronic kidney disease stage 3
    "78275009": "sleep_apnea",  # obstructive sleep apnoea
}
# Plain words for the patient (reading age ~11) when the prescriber gives none.
PURPOSE_BY_CLASS: Final = {
    DrugClass.GABAPENTINOID: "Calms nerve pain",
    DrugClass.SNRI: "Calms nerve pain and can lift mood",
    DrugClass.TCA: "Calms nerve pain and helps sleep",
    DrugClass.SODIUM_CHANNEL_ANTICONVULSANT: "Calms sharp, electric nerve pain",
    DrugClass.TOPICAL_LIDOCAINE: "Numbs the painful skin",
    DrugClass.TOPICAL_CAPSAICIN: "Quiets painful skin nerves",
    DrugClass.ATYPICAL_OPIOID: "Strong pain relief",
    DrugClass.WEAK_OPIOID: "Pain relief",
    DrugClass.STRONG_OPIOID: "Strong pain relief",
    DrugClass.PARTIAL_OPIOID_AGONIST: "Strong pain relief",
    DrugClass.SSRI: "Lifts mood",
    DrugClass.BENZODIAZEPINE: "Calms anxiety or helps sleep",
    DrugClass.Z_DRUG: "Helps sleep",
}


class OrderStatus(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"


class ChangeKind(StrEnum):
    START = "start"
    TITRATE = "titrate"
    STOP = "stop"


class FindingStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    OVERRIDDEN = "overridden"


class FindingDecision(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    OVERRIDE = "override"


class SideEffectSeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


# ----------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class SessionInput:
    """A planned exercise session in the patient's local time; `on` None means every day."""

    at: time
    on: date | None = None


@dataclass(frozen=True, slots=True)
class StartOrder:
    drug: str
    reason: str
    start_on: date
    purpose: str = ""
    target_daily_dose_mg: Decimal | None = None  # titrate with the generated schedule
    dose_mg: Decimal | None = None  # or a fixed dose
    times_per_day: int | None = None
    dose_mcg_per_hr: Decimal | None = None  # patches
    sessions: tuple[SessionInput, ...] = ()


# ------------------------------------------------------------------------------------ views


@dataclass(frozen=True, slots=True)
class WarningView:
    code: str
    message: str
    source: str


@dataclass(frozen=True, slots=True)
class AdministrationView:
    at: str  # HH:MM, patient's local time
    dose_mg: Decimal
    covers_session_at: str | None


@dataclass(frozen=True, slots=True)
class StepView:
    day: int
    on: date
    daily_dose_mg: Decimal
    times_per_day: int
    administrations: list[AdministrationView]


@dataclass(frozen=True, slots=True)
class SchedulePreview:
    drug: str
    drug_name: str
    requested_target_daily_dose_mg: Decimal
    target_daily_dose_mg: Decimal
    ceiling_daily_dose_mg: Decimal | None
    is_capped: bool
    crcl_ml_min: Decimal | None
    warnings: list[WarningView]
    steps: list[StepView]
    source: str


@dataclass(frozen=True, slots=True)
class ProposedFinding:
    """A finding the regimen would have with a proposed medicine added (not stored)."""

    kind: str
    severity: str
    message: str
    source: str
    drugs: list[str]


@dataclass(frozen=True, slots=True)
class ChangeView:
    change: str
    dose_mg: Decimal | None
    times_per_day: int | None
    dose_mcg_per_hr: Decimal | None
    reason: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    drug: str
    drug_name: str
    drug_class: str
    status: str
    dose_mg: Decimal | None
    times_per_day: int | None
    dose_mcg_per_hr: Decimal | None
    daily_dose_mg: Decimal | None
    target_daily_dose_mg: Decimal | None
    purpose: str
    started_on: date
    stopped_on: date | None
    prescriber: str
    schedule_warnings: list[WarningView]
    schedule_source: str
    steps: list[StepView]
    history: list[ChangeView]
    target_reached_on: date | None = None
    adequate_trial_weeks_at_target: Decimal | None = None
    adequate_trial_source: str | None = None

    @property
    def dose_text(self) -> str:
        if self.dose_mcg_per_hr is not None:
            return f"{_num(self.dose_mcg_per_hr)} mcg/h patch"
        if self.dose_mg is None or self.times_per_day is None:
            return "no fixed dose"
        return f"{_num(self.dose_mg)} mg × {self.times_per_day}/day"


@dataclass(frozen=True, slots=True)
class RenalView:
    weight_kg: Decimal
    serum_creatinine_mg_dl: Decimal
    measured_on: date
    crcl_ml_min: Decimal | None
    note: str

    @property
    def serum_creatinine_umol_l(self) -> Decimal:
        return self.serum_creatinine_mg_dl * UMOL_L_PER_MG_DL


@dataclass(frozen=True, slots=True)
class FindingView:
    id: int
    kind: str
    code: str
    severity: str
    message: str
    source: str
    drugs: list[str]
    is_verified: bool
    status: str
    response_reason: str
    responded_by: str | None
    responded_at: datetime | None


@dataclass(frozen=True, slots=True)
class SideEffectView:
    id: int
    drug: str
    effect: str
    severity: str
    note: str
    reported_by_role: str
    noted_on: date


@dataclass(frozen=True, slots=True)
class AdherenceView:
    drug: str
    pdc_percent: Decimal
    is_adherent: bool
    days_covered: int
    days_in_period: int
    period_start: date
    period_end: date
    source: str


@dataclass(frozen=True, slots=True)
class MmeLine:
    drug: str
    factor: Decimal | None
    mme_per_day: Decimal | None
    note: str | None


@dataclass(frozen=True, slots=True)
class RegimenView:
    patient_id: int
    patient_name: str
    age_years: int
    sex: str
    conditions: list[str]
    orders: list[OrderView]
    stopped: list[OrderView]
    renal: RenalView | None
    crcl_ml_min: Decimal | None
    mme_per_day: Decimal
    mme_lines: list[MmeLine]
    mme_source: str
    findings: list[FindingView]
    reviewed_at: datetime | None
    formulary_version: str | None
    side_effects: list[SideEffectView]
    adherence: list[AdherenceView]
    notes: list[str] = field(default_factory=list)

    @property
    def open_findings(self) -> int:
        return sum(1 for f in self.findings if f.status == FindingStatus.OPEN)


@dataclass(frozen=True, slots=True)
class CalendarDose:
    at: str
    dose_mg: Decimal | None
    covers_session_at: str | None


@dataclass(frozen=True, slots=True)
class CalendarMedicine:
    order_id: int
    drug: str
    drug_name: str
    purpose: str
    dose_text: str
    today: list[CalendarDose]
    upcoming: list[StepView]  # from today on, while the titration lasts
    is_titrating: bool


@dataclass(frozen=True, slots=True)
class CalendarView:
    patient_id: int
    today: date
    medicines: list[CalendarMedicine]
    session_times_today: list[str]


@dataclass(frozen=True, slots=True)
class DrugChoice:
    code: str
    name: str
    drug_class: str
    route: str
    has_titration: bool
    start_daily_dose_mg: Decimal | None
    max_daily_dose_mg: Decimal | None


# ---------------------------------------------------------------------------------- helpers


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _require_role(ctx: RequestContext, roles: frozenset[Role], what: str) -> None:
    if ctx.actor.role not in roles:
        raise PermissionDenied(f"{ctx.actor.role} may not {what}")


def _reason(reason: str, what: str) -> str:
    text = reason.strip()
    if len(text) < MIN_REASON_CHARS:
        raise InvalidInput(f"give a reason to {what} (at least {MIN_REASON_CHARS} characters)")
    return text


def _drug(code: str) -> Drug:
    try:
        return default_formulary().get(code.strip().lower())
    except DomainError as exc:
        raise InvalidInput(str(exc)) from None


def _age_on(born_on: date, on: date) -> int:
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def _clinical_sex(sex: RecordSex) -> Sex:
    # SAFETY: when sex is other/unknown use the female Cockcroft-Gault factor (x 0.85): the lower
    # CrCl estimate gives the more cautious renal ceiling.
    return Sex.MALE if sex is RecordSex.MALE else Sex.FEMALE


def _conditions(patient: Patient) -> tuple[str, ...]:
    raw: list[str] = []
    for c in patient.comorbidities:
        if c.code and c.code in SNOMED_CONDITIONS:
            raw.append(SNOMED_CONDITIONS[c.code])
        raw.append(c.name)
    known, _ = default_rules().conditions.normalise(raw)
    return tuple(sorted(known))


def _latest_renal(uow: UnitOfWork, patient_id: int) -> MedicationRenalInput | None:
    return uow.session.scalars(
        select(MedicationRenalInput)
        .where(MedicationRenalInput.patient_id == patient_id)
        .order_by(MedicationRenalInput.measured_on.desc(), MedicationRenalInput.id.desc())
        .limit(1)
    ).first()


def _patient_context(uow: UnitOfWork, patient: Patient, today: date) -> PatientContext:
    renal = _latest_renal(uow, patient.id)
    return PatientContext(
        age_years=_age_on(patient.born_on, today),
        sex=_clinical_sex(patient.sex),
        weight_kg=renal.weight_kg if renal else None,
        serum_creatinine_mg_dl=renal.serum_creatinine_mg_dl if renal else None,
        conditions=_conditions(patient),
    )


def _crcl(context: PatientContext) -> Decimal | None:
    if (
        context.weight_kg is None
        or context.serum_creatinine_mg_dl is None
        or context.age_years < 18
    ):
        return None
    return cockcroft_gault_crcl(
        age_years=context.age_years,
        weight_kg=context.weight_kg,
        serum_creatinine_mg_dl=context.serum_creatinine_mg_dl,
        sex=context.sex,
    )


def _names(uow: UnitOfWork, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = uow.session.execute(
        select(UserAccount.id, UserAccount.full_name).where(UserAccount.id.in_(wanted))
    )
    return {row.id: row.full_name for row in rows}


def _expand_sessions(sessions: Sequence[SessionInput]) -> list[ExerciseSession]:
    return [ExerciseSession(on=s.on, at=s.at) for s in sessions]


def weekly_sessions(weekdays: Iterable[int], at: time, start_on: date) -> tuple[SessionInput, ...]:
    """Sessions on the given weekdays (0 = Monday) at one local time, over the next 90 days."""
    days = set(weekdays)
    return tuple(
        SessionInput(at=at, on=start_on + timedelta(days=k))
        for k in range(SESSION_HORIZON_DAYS)
        if (start_on + timedelta(days=k)).weekday() in days
    )


def _session_json(sessions: Sequence[SessionInput]) -> list[dict[str, Any]]:
    return [
        {"on": s.on.isoformat() if s.on else None, "at": s.at.isoformat("minutes")}
        for s in sessions
    ]


def _sessions_from_json(rows: Sequence[dict[str, Any]]) -> list[SessionInput]:
    return [
        SessionInput(
            at=time.fromisoformat(r["at"]), on=date.fromisoformat(r["on"]) if r.get("on") else None
        )
        for r in rows
    ]


def _step_view(step: MedicationTitrationStep) -> StepView:
    return StepView(
        day=step.day,
        on=step.scheduled_on,
        daily_dose_mg=step.daily_dose_mg,
        times_per_day=step.times_per_day,
        administrations=[
            AdministrationView(a["at"], Decimal(a["dose_mg"]), a.get("covers_session_at"))
            for a in step.administrations
        ],
    )


def _schedule_steps(schedule: TitrationSchedule) -> list[StepView]:
    return [
        StepView(
            day=d.day,
            on=d.on,
            daily_dose_mg=d.daily_dose_mg,
            times_per_day=d.times_per_day,
            administrations=[
                AdministrationView(
                    a.at.isoformat("minutes"),
                    a.dose_mg,
                    a.covers_session_at.isoformat("minutes") if a.covers_session_at else None,
                )
                for a in d.administrations
            ],
        )
        for d in schedule.days
    ]


def _current_dose(order: MedicationOrder, today: date) -> tuple[Decimal | None, int | None]:
    """Per-administration dose and frequency on `today`: the schedule step if titrating."""
    if order.steps:
        current = order.steps[0]
        for step in order.steps:
            if step.scheduled_on <= today:
                current = step
        return _clean(current.daily_dose_mg / current.times_per_day), current.times_per_day
    return _clean(order.dose_mg), order.times_per_day


def _clean(value: Decimal | None) -> Decimal | None:
    """Drop the storage scale (600.000 -> 600) so messages show the dose as prescribed."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _order_view(
    order: MedicationOrder,
    today: date,
    names: dict[int, str],
    changes: Sequence[MedicationOrderChange] = (),
) -> OrderView:
    drug = _drug(order.drug)
    dose_mg, times = _current_dose(order, today)
    daily = dose_mg * times if dose_mg is not None and times is not None else None
    return OrderView(
        id=order.id,
        drug=order.drug,
        drug_name=drug.name,
        drug_class=drug.drug_class.value,
        status=order.status,
        dose_mg=dose_mg,
        times_per_day=times,
        dose_mcg_per_hr=_clean(order.dose_mcg_per_hr),
        daily_dose_mg=daily,
        target_daily_dose_mg=order.target_daily_dose_mg,
        purpose=order.purpose,
        started_on=order.started_on,
        stopped_on=order.stopped_on,
        prescriber=names.get(order.prescriber_id, ""),
        schedule_warnings=[WarningView(**w) for w in order.schedule_warnings],
        schedule_source=order.schedule_source,
        steps=[_step_view(s) for s in order.steps],
        history=[
            ChangeView(
                c.change,
                c.dose_mg,
                c.times_per_day,
                c.dose_mcg_per_hr,
                c.reason,
                names.get(c.changed_by_id, ""),
                c.changed_at,
            )
            for c in changes
        ],
        target_reached_on=_target_reached_on(order),
        adequate_trial_weeks_at_target=drug.adequate_trial_weeks_at_target,
        adequate_trial_source=drug.adequate_trial_source,
    )


def _target_reached_on(order: MedicationOrder) -> date | None:
    """First day at the (capped) target of a titration; a fixed dose is at target from the start."""
    if not order.steps:
        return order.started_on
    final = order.steps[-1].daily_dose_mg
    return next(s.scheduled_on for s in order.steps if s.daily_dose_mg >= final)


def _active_orders(uow: UnitOfWork, patient_id: int) -> list[MedicationOrder]:
    return list(
        uow.session.scalars(
            select(MedicationOrder)
            .where(
                MedicationOrder.patient_id == patient_id,
                MedicationOrder.status == OrderStatus.ACTIVE,
            )
            .order_by(MedicationOrder.started_on, MedicationOrder.id)
        )
    )


def _load_order(uow: UnitOfWork, order_id: int) -> MedicationOrder:
    order = uow.session.get(MedicationOrder, order_id)
    if order is None:
        raise NotFound(f"medication order {order_id} not found")
    return order


def _check_ceiling(drug: Drug, daily_dose_mg: Decimal, context: PatientContext) -> None:
    """SAFETY: refuse a dose above the label, age, renal or hepatic maximum for this patient."""
    ceiling = dose_ceiling(
        drug,
        crcl_ml_min=_crcl(context),
        age_years=context.age_years,
        conditions=frozenset(_conditions_codes(context)),
    )
    cap = ceiling.max_daily_dose_mg
    if cap is not None and daily_dose_mg > cap:
        why = "; ".join(f"{lim.kind}: {lim.source}" for lim in ceiling.binding)
        raise DoseAboveCeiling(
            f"{drug.code} {_num(daily_dose_mg)} mg/day is above this patient's maximum "
            f"{_num(cap)} mg/day ({why})"
        )


def _conditions_codes(context: PatientContext) -> frozenset[str]:
    known, _ = default_rules().conditions.normalise(context.conditions)
    return known


def _validate_fixed_dose(drug: Drug, **dose: Any) -> None:
    if drug.route is Route.TRANSDERMAL:
        value = dose.get("dose_mcg_per_hr")
        if value is None or value <= 0:
            raise InvalidInput(f"{drug.code}: a patch needs a dose in mcg/h above 0")
        return
    dose_mg, times = dose.get("dose_mg"), dose.get("times_per_day")
    if dose_mg is None or times is None:
        raise InvalidInput(f"{drug.code}: give a dose in mg and how many times a day")
    if dose_mg <= 0 or not 1 <= times <= 24:
        raise InvalidInput(f"{drug.code}: dose must be above 0 mg, 1-24 times a day")


def _generate(
    drug: Drug,
    context: PatientContext,
    *,
    target_daily_dose_mg: Decimal,
    start_on: date,
    sessions: Sequence[SessionInput],
) -> TitrationSchedule:
    try:
        return titration_schedule(
            drug,
            target_daily_dose_mg=target_daily_dose_mg,
            start_on=start_on,
            crcl_ml_min=_crcl(context),
            age_years=context.age_years,
            conditions=_conditions_codes(context),
            exercise_sessions=_expand_sessions(sessions),
        )
    except DoseAboveCeiling:
        raise
    except DomainError as exc:
        raise InvalidInput(str(exc)) from None


def schedule_rows(schedule: TitrationSchedule) -> list[MedicationTitrationStep]:
    """The stored rows of a generated (already capped) schedule."""
    return [
        MedicationTitrationStep(
            day=d.day,
            scheduled_on=d.on,
            daily_dose_mg=d.daily_dose_mg,
            times_per_day=d.times_per_day,
            administrations=[
                {
                    "at": a.at.isoformat("minutes"),
                    "dose_mg": str(a.dose_mg),
                    "covers_session_at": a.covers_session_at.isoformat("minutes")
                    if a.covers_session_at
                    else None,
                }
                for a in d.administrations
            ],
        )
        for d in schedule.days
    ]


def _context_warnings(drug: Drug, context: PatientContext) -> list[WarningView]:
    """SAFETY: say so when a renal limit exists for the drug but CrCl is unknown (the schedule
    then only respects the label maximum)."""
    if drug.renal and _crcl(context) is None:
        return [
            WarningView(
                "renal_unknown",
                f"{drug.code}: no weight and serum creatinine recorded, so the renal dose limits "
                "were not applied; record them before titrating",
                drug.renal[0].source,
            )
        ]
    return []


def _preview(drug: Drug, schedule: TitrationSchedule, context: PatientContext) -> SchedulePreview:
    return SchedulePreview(
        drug=drug.code,
        drug_name=drug.name,
        requested_target_daily_dose_mg=schedule.requested_target_daily_dose_mg,
        target_daily_dose_mg=schedule.target_daily_dose_mg,
        ceiling_daily_dose_mg=schedule.ceiling.max_daily_dose_mg,
        is_capped=schedule.target_daily_dose_mg < schedule.requested_target_daily_dose_mg,
        crcl_ml_min=_crcl(context),
        warnings=[
            *_context_warnings(drug, context),
            *(WarningView(w.code.value, w.message, w.source) for w in schedule.warnings),
        ],
        steps=_schedule_steps(schedule),
        source=schedule.source,
    )


# ----------------------------------------------------------------------------- the review


def _fingerprint(finding: Finding) -> str:
    return f"{finding.kind.value}:{finding.code}:{','.join(sorted(finding.drugs))}"[:200]


def _latest_review(uow: UnitOfWork, patient_id: int) -> MedicationReview | None:
    return uow.session.scalars(
        select(MedicationReview)
        .where(MedicationReview.patient_id == patient_id)
        .order_by(MedicationReview.reviewed_at.desc(), MedicationReview.id.desc())
        .limit(1)
    ).first()


def _findings_of(uow: UnitOfWork, review_id: int) -> list[MedicationFinding]:
    rows = list(
        uow.session.scalars(
            select(MedicationFinding).where(MedicationFinding.review_id == review_id)
        )
    )
    rows.sort(
        key=lambda f: (
            -SEVERITY_ORDER[Severity(f.severity)],
            KIND_ORDER.get(f.kind, len(KIND_ORDER)),
            f.code,
            f.id,
        )
    )
    return rows


def run_review(
    uow: UnitOfWork, ctx: RequestContext, patient: Patient, trigger: str
) -> tuple[MedicationReview, list[str]]:
    """Check the active regimen, store the review and its findings, raise alerts for major and
    contraindicated findings still open. Returns the review and the fingerprints now current.
    Runs inside the caller's transaction."""
    today = ctx.now().date()
    context = _patient_context(uow, patient, today)
    orders = _active_orders(uow, patient.id)
    core_orders = []
    for order in orders:
        dose_mg, times = _current_dose(order, today)
        core_orders.append(CoreOrder(order.drug, dose_mg, times, _clean(order.dose_mcg_per_hr)))
    report: RegimenReport = check_regimen(context, core_orders)
    previous = _latest_review(uow, patient.id)
    carried = {f.fingerprint: f for f in _findings_of(uow, previous.id)} if previous else {}
    review = MedicationReview(
        patient_id=patient.id,
        trigger=trigger,
        crcl_ml_min=report.crcl_ml_min.quantize(Decimal("0.01"))
        if report.crcl_ml_min is not None
        else None,
        mme_per_day=report.mme.mme_per_day.quantize(Decimal("0.01")),
        regimen=[
            {
                "drug": o.drug,
                "dose_mg": None if o.dose_mg is None else str(o.dose_mg),
                "times_per_day": o.times_per_day,
                "dose_mcg_per_hr": None if o.dose_mcg_per_hr is None else str(o.dose_mcg_per_hr),
            }
            for o in core_orders
        ],
        formulary_version=default_formulary().version,
        reviewed_by_id=ctx.actor.user_id or None,
        reviewed_at=ctx.now(),
    )
    uow.session.add(review)
    uow.session.flush()
    alerts: list[workflow.NewAlert] = []
    fingerprints: list[str] = []
    for finding in report.findings:
        fingerprint = _fingerprint(finding)
        fingerprints.append(fingerprint)
        before = carried.get(fingerprint)
        row = MedicationFinding(
            review_id=review.id,
            patient_id=patient.id,
            fingerprint=fingerprint,
            kind=finding.kind.value,
            code=finding.code,
            severity=finding.severity.value,
            message=finding.message,
            source=finding.source,
            drugs=list(finding.drugs),
            is_verified=finding.is_verified,
            # A response to the same finding carries forward until the finding disappears.
            status=before.status if before else FindingStatus.OPEN,
            response_reason=before.response_reason if before else "",
            responded_by_id=before.responded_by_id if before else None,
            responded_at=before.responded_at if before else None,
        )
        uow.session.add(row)
        uow.session.flush()
        if row.status == FindingStatus.OPEN and finding.severity in ALERTING:
            alerts.append(
                workflow.NewAlert(
                    kind=ALERT_KIND,
                    severity=ALERT_SEVERITY[finding.severity],
                    dedupe_key=f"{ALERT_KIND}:{fingerprint}",
                    owner_role=Role.PHARMACIST.value,
                    title=f"Medicines: {KIND_TITLE.get(finding.kind.value, finding.kind.value)} "
                    f"- {' + '.join(finding.drugs)} ({finding.severity.value})",
                    rationale=finding.message,
                    source=finding.source,
                    evidence={"finding_id": row.id, "review_id": review.id, "code": finding.code},
                )
            )
    workflow.raise_alerts(uow, ctx, patient.id, alerts)
    # PDC < threshold (PQA 80 %, clinic-configurable) is a monitoring rule: one source of truth
    # for that alert kind and its dedupe key (services/monitoring_feeds.py).
    from painpath.services import monitoring_feeds

    monitoring_feeds.raise_from_feeds(
        uow,
        ctx,
        patient,
        today=monitoring_feeds.local_today(ctx, patient),
        sources={monitoring_feeds.Source.MEDICATIONS},
    )
    return review, fingerprints


def _stale_alert_ids(uow: UnitOfWork, patient_id: int, keep: Iterable[str]) -> list[int]:
    """Open medication alerts whose finding is no longer in the regimen."""
    current = {f"{ALERT_KIND}:{fp}" for fp in keep}
    rows = uow.session.execute(
        select(AlertRecord.id, AlertRecord.dedupe_key).where(
            AlertRecord.patient_id == patient_id,
            AlertRecord.kind == ALERT_KIND,
            AlertRecord.state != workflow.AlertState.RESOLVED,
        )
    ).all()
    return [aid for aid, key in rows if key not in current]


def _close_alerts(uow: UnitOfWork, ctx: RequestContext, alert_ids: Sequence[int], why: str) -> None:
    if not alert_ids or not role_may(ctx.actor.role, Kind.TASK, Action.WRITE):
        return
    for alert_id in alert_ids:
        workflow.resolve_alert(uow, ctx, alert_id, resolution=why)


def _review_and_commit(
    uow: UnitOfWork, ctx: RequestContext, patient: Patient, trigger: str
) -> MedicationReview:
    review, fingerprints = run_review(uow, ctx, patient, trigger)
    stale = _stale_alert_ids(uow, patient.id, fingerprints)
    uow.commit()
    _close_alerts(uow, ctx, stale, "finding no longer present after a regimen change")
    return review


# ------------------------------------------------------------------------------- use cases


def formulary_choices() -> list[DrugChoice]:
    """Drugs a prescriber may pick (reference data; no patient data)."""
    return [
        DrugChoice(
            d.code,
            d.name,
            d.drug_class.value,
            d.route.value,
            d.titration is not None,
            d.start_daily_dose_mg,
            d.max_daily_dose_mg,
        )
        for d in sorted(default_formulary().drugs.values(), key=lambda d: d.name.lower())
        if d.drug_class is not DrugClass.ALCOHOL
    ]


def preview_titration(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    drug: str,
    target_daily_dose_mg: Decimal,
    start_on: date,
    sessions: Sequence[SessionInput] = (),
) -> SchedulePreview:
    """The schedule the core would generate for this patient, capped at their ceiling."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.READ, audit_action="medication.preview"
    )
    found = _drug(drug)
    context = _patient_context(uow, patient, ctx.now().date())
    schedule = _generate(
        found,
        context,
        target_daily_dose_mg=target_daily_dose_mg,
        start_on=start_on,
        sessions=sessions,
    )
    view = _preview(found, schedule, context)
    uow.commit()
    return view


def check_proposed(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    drug: str,
    dose_mg: Decimal | None = None,
    times_per_day: int | None = None,
    dose_mcg_per_hr: Decimal | None = None,
) -> list[ProposedFinding]:
    """Findings involving `drug` if it were added to today's regimen (before prescribing)."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.READ, audit_action="medication.preview"
    )
    found = _drug(drug)
    today = ctx.now().date()
    orders = []
    for order in _active_orders(uow, patient.id):
        current_mg, times = _current_dose(order, today)
        orders.append(CoreOrder(order.drug, current_mg, times, _clean(order.dose_mcg_per_hr)))
    orders.append(CoreOrder(found.code, dose_mg, times_per_day, dose_mcg_per_hr))
    try:
        report = check_regimen(_patient_context(uow, patient, today), orders)
    except DomainError as exc:
        raise InvalidInput(str(exc)) from None
    uow.commit()
    return [
        ProposedFinding(f.kind.value, f.severity.value, f.message, f.source, list(f.drugs))
        for f in report.findings
        if found.code in f.drugs
    ]


def start_medication(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, command: StartOrder
) -> OrderView:
    """Prescribe: a titration to a target (schedule generated and stored) or a fixed dose."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.WRITE, audit_action="medication.start"
    )
    _require_role(ctx, PRESCRIBERS, "prescribe medicines")
    reason = _reason(command.reason, "start a medicine")
    drug = _drug(command.drug)
    context = _patient_context(uow, patient, ctx.now().date())
    now = ctx.now()
    order = MedicationOrder(
        patient_id=patient.id,
        drug=drug.code,
        status=OrderStatus.ACTIVE,
        purpose=(command.purpose.strip() or PURPOSE_BY_CLASS.get(drug.drug_class, ""))[:200],
        exercise_sessions=_session_json(command.sessions),
        schedule_warnings=[],
        schedule_source="",
        started_on=command.start_on,
        prescriber_id=ctx.actor.user_id,
        created_at=now,
        updated_at=now,
    )
    if command.target_daily_dose_mg is not None:
        # SAFETY: the schedule is regenerated here, never taken from the client's preview.
        schedule = _generate(
            drug,
            context,
            target_daily_dose_mg=command.target_daily_dose_mg,
            start_on=command.start_on,
            sessions=command.sessions,
        )
        cap = schedule.ceiling.max_daily_dose_mg
        for day in schedule.days:
            if cap is not None and day.daily_dose_mg > cap:
                raise DoseAboveCeiling(f"{drug.code}: day {day.day} above {cap} mg/day")
        first = schedule.days[0]
        order.dose_mg = first.daily_dose_mg / first.times_per_day
        order.times_per_day = first.times_per_day
        order.target_daily_dose_mg = schedule.target_daily_dose_mg
        order.schedule_warnings = [
            {"code": w.code, "message": w.message, "source": w.source}
            for w in _context_warnings(drug, context)
        ] + [
            {"code": w.code.value, "message": w.message, "source": w.source}
            for w in schedule.warnings
        ]
        order.schedule_source = schedule.source
        order.steps = schedule_rows(schedule)
    else:
        _validate_fixed_dose(
            drug,
            dose_mg=command.dose_mg,
            times_per_day=command.times_per_day,
            dose_mcg_per_hr=command.dose_mcg_per_hr,
        )
        if drug.route is Route.TRANSDERMAL:
            order.dose_mcg_per_hr = command.dose_mcg_per_hr
        else:
            order.dose_mg = command.dose_mg
            order.times_per_day = command.times_per_day
            assert command.dose_mg is not None and command.times_per_day is not None
            _check_ceiling(drug, command.dose_mg * command.times_per_day, context)
    uow.session.add(order)
    uow.session.flush()
    uow.session.add(
        MedicationOrderChange(
            order_id=order.id,
            patient_id=patient.id,
            change=ChangeKind.START,
            dose_mg=order.dose_mg,
            times_per_day=order.times_per_day,
            dose_mcg_per_hr=order.dose_mcg_per_hr,
            reason=reason,
            changed_by_id=ctx.actor.user_id,
            changed_at=now,
        )
    )
    order_id = order.id
    _review_and_commit(uow, ctx, patient, "order.start")
    return _read_order(uow, order_id, ctx.now().date())


def _read_order(uow: UnitOfWork, order_id: int, today: date) -> OrderView:
    order = _load_order(uow, order_id)
    changes = list(
        uow.session.scalars(
            select(MedicationOrderChange)
            .where(MedicationOrderChange.order_id == order_id)
            .order_by(MedicationOrderChange.changed_at, MedicationOrderChange.id)
        )
    )
    names = _names(uow, [order.prescriber_id, *(c.changed_by_id for c in changes)])
    return _order_view(order, today, names, changes)


def _authorize_order(
    uow: UnitOfWork,
    ctx: RequestContext,
    order_id: int,
    action: Action,
    label: str,
    patient_id: int | None,
) -> tuple[MedicationOrder, Patient]:
    order = _load_order(uow, order_id)
    if patient_id is not None and order.patient_id != patient_id:
        raise NotFound(f"medication order {order_id} not found")
    patient = authorize_patient(
        uow,
        ctx,
        order.patient_id,
        Kind.MEDICATION,
        action,
        audit_action=label,
        resource_id=order_id,
    )
    return order, patient


def titrate_medication(
    uow: UnitOfWork,
    ctx: RequestContext,
    order_id: int,
    *,
    reason: str,
    patient_id: int | None = None,
    dose_mg: Decimal | None = None,
    times_per_day: int | None = None,
    dose_mcg_per_hr: Decimal | None = None,
) -> OrderView:
    """Change the dose of an active order (ends any remaining generated schedule)."""
    order, patient = _authorize_order(
        uow, ctx, order_id, Action.WRITE, "medication.titrate", patient_id
    )
    _require_role(ctx, PRESCRIBERS, "change doses")
    text = _reason(reason, "change a dose")
    if order.status != OrderStatus.ACTIVE:
        raise InvalidInput(f"medication order {order_id} is stopped")
    drug = _drug(order.drug)
    _validate_fixed_dose(
        drug, dose_mg=dose_mg, times_per_day=times_per_day, dose_mcg_per_hr=dose_mcg_per_hr
    )
    today = ctx.now().date()
    if drug.route is not Route.TRANSDERMAL:
        assert dose_mg is not None and times_per_day is not None
        _check_ceiling(drug, dose_mg * times_per_day, _patient_context(uow, patient, today))
        order.dose_mg, order.times_per_day = dose_mg, times_per_day
    else:
        order.dose_mcg_per_hr = dose_mcg_per_hr
    order.steps = [s for s in order.steps if s.scheduled_on < today]
    if order.steps:
        # Past days stay as a record; from today on the new fixed dose applies.
        last = order.steps[-1]
        assert order.dose_mg is not None and order.times_per_day is not None
        order.steps.append(
            MedicationTitrationStep(
                day=(today - order.started_on).days + 1,
                scheduled_on=today,
                daily_dose_mg=order.dose_mg * order.times_per_day,
                times_per_day=order.times_per_day,
                administrations=last.administrations[: order.times_per_day]
                if len(last.administrations) == order.times_per_day
                else [],
            )
        )
    order.updated_at = ctx.now()
    uow.session.add(
        MedicationOrderChange(
            order_id=order.id,
            patient_id=patient.id,
            change=ChangeKind.TITRATE,
            dose_mg=order.dose_mg,
            times_per_day=order.times_per_day,
            dose_mcg_per_hr=order.dose_mcg_per_hr,
            reason=text,
            changed_by_id=ctx.actor.user_id,
            changed_at=ctx.now(),
        )
    )
    _review_and_commit(uow, ctx, patient, "order.titrate")
    return _read_order(uow, order_id, today)


def stop_medication(
    uow: UnitOfWork,
    ctx: RequestContext,
    order_id: int,
    *,
    reason: str,
    patient_id: int | None = None,
) -> OrderView:
    order, patient = _authorize_order(
        uow, ctx, order_id, Action.WRITE, "medication.stop", patient_id
    )
    _require_role(ctx, PRESCRIBERS, "stop medicines")
    text = _reason(reason, "stop a medicine")
    if order.status != OrderStatus.ACTIVE:
        raise InvalidInput(f"medication order {order_id} is already stopped")
    order.status = OrderStatus.STOPPED
    order.stopped_on = ctx.now().date()
    order.updated_at = ctx.now()
    uow.session.add(
        MedicationOrderChange(
            order_id=order.id,
            patient_id=patient.id,
            change=ChangeKind.STOP,
            reason=text,
            changed_by_id=ctx.actor.user_id,
            changed_at=ctx.now(),
        )
    )
    _review_and_commit(uow, ctx, patient, "order.stop")
    return _read_order(uow, order_id, ctx.now().date())


def record_renal_input(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    weight_kg: Decimal,
    serum_creatinine_mg_dl: Decimal,
    measured_on: date,
) -> RenalView:
    """Record weight and creatinine; the regimen is re-checked at once (renal dose bands)."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.WRITE, audit_action="medication.renal"
    )
    if not Decimal(0) < weight_kg <= Decimal(400):
        raise InvalidInput("weight must be above 0 and at most 400 kg")
    if not Decimal(0) < serum_creatinine_mg_dl <= Decimal(30):
        raise InvalidInput("serum creatinine must be above 0 and at most 30 mg/dL")
    if measured_on > ctx.now().date():
        raise InvalidInput("the measurement date cannot be in the future")
    uow.session.add(
        MedicationRenalInput(
            patient_id=patient.id,
            weight_kg=weight_kg,
            serum_creatinine_mg_dl=serum_creatinine_mg_dl,
            measured_on=measured_on,
            recorded_by_id=ctx.actor.user_id,
            recorded_at=ctx.now(),
        )
    )
    uow.session.flush()
    view = _renal_view(uow, patient, ctx.now().date())
    _review_and_commit(uow, ctx, patient, "renal.record")
    assert view is not None
    return view


def _renal_view(uow: UnitOfWork, patient: Patient, today: date) -> RenalView | None:
    renal = _latest_renal(uow, patient.id)
    if renal is None:
        return None
    context = _patient_context(uow, patient, today)
    note = "Cockcroft-Gault with actual body weight (Cockcroft & Gault 1976)"
    if patient.sex not in (RecordSex.MALE, RecordSex.FEMALE):
        note += "; sex not recorded as male/female: female factor used (the lower estimate)"
    age_days = (today - renal.measured_on).days
    if age_days > 90:
        note += f"; creatinine is {age_days} days old - consider a new measurement"
    return RenalView(
        renal.weight_kg, renal.serum_creatinine_mg_dl, renal.measured_on, _crcl(context), note
    )


def report_side_effect(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    drug: str,
    effect: str,
    severity: SideEffectSeverity,
    noted_on: date,
    note: str = "",
) -> SideEffectView:
    """A side effect from a clinician (medication write) or the patient (a diary entry)."""
    is_patient = ctx.actor.role is Role.PATIENT
    patient = authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.DIARY if is_patient else Kind.MEDICATION,
        Action.WRITE,
        audit_action="medication.side-effect",
    )
    found = _drug(drug)
    if not effect.strip():
        raise InvalidInput("say what the side effect is")
    if noted_on > ctx.now().date():
        raise InvalidInput("the date cannot be in the future")
    order = next((o for o in _active_orders(uow, patient.id) if o.drug == found.code), None)
    row = MedicationSideEffect(
        patient_id=patient.id,
        order_id=order.id if order else None,
        drug=found.code,
        effect=effect.strip()[:200],
        severity=severity.value,
        note=note.strip(),
        reported_by_role=ctx.actor.role.value,
        reported_by_id=ctx.actor.user_id,
        noted_on=noted_on,
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    if severity is SideEffectSeverity.SEVERE:
        # A severe side effect is work for the prescriber today (product journey 5).
        workflow.raise_alerts(
            uow,
            ctx,
            patient.id,
            [
                workflow.NewAlert(
                    kind="medication-side-effect",
                    severity="high",
                    dedupe_key=f"medication-side-effect:{found.code}:{noted_on.isoformat()}",
                    owner_role=Role.PHYSICIAN.value,
                    title=f"Medicines: severe side effect - {found.code}",
                    rationale=f"{row.effect} (reported by the {row.reported_by_role})",
                    source="side-effect report",
                    evidence={"side_effect_id": row.id, "drug": found.code},
                )
            ],
        )
    view = _side_effect_view(row)
    uow.commit()
    return view


def _side_effect_view(row: MedicationSideEffect) -> SideEffectView:
    return SideEffectView(
        row.id, row.drug, row.effect, row.severity, row.note, row.reported_by_role, row.noted_on
    )


def record_fill(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    drug: str,
    filled_on: date,
    days_supply: int,
) -> None:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.WRITE, audit_action="medication.fill"
    )
    found = _drug(drug)
    if not 1 <= days_supply <= 365:
        raise InvalidInput("days supply must be 1-365")
    if filled_on > ctx.now().date():
        raise InvalidInput("the fill date cannot be in the future")
    uow.session.add(
        MedicationFill(
            patient_id=patient.id,
            drug=found.code,
            filled_on=filled_on,
            days_supply=days_supply,
            recorded_by_id=ctx.actor.user_id,
            recorded_at=ctx.now(),
        )
    )
    uow.commit()


def review_regimen(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> RegimenView:
    """Run the checks now (e.g. the pharmacist's review) and return the page's data."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.WRITE, audit_action="medication.review"
    )
    _require_role(ctx, REVIEWERS, "run a medicines review")
    _review_and_commit(uow, ctx, patient, "review")
    return get_regimen(uow, ctx, patient_id)


def respond_to_finding(
    uow: UnitOfWork,
    ctx: RequestContext,
    finding_id: int,
    *,
    decision: FindingDecision,
    reason: str,
    patient_id: int | None = None,
) -> FindingView:
    """Acknowledge or override a finding; the reason is mandatory and goes to the audit log."""
    row = uow.session.get(MedicationFinding, finding_id)
    if row is None or (patient_id is not None and row.patient_id != patient_id):
        raise NotFound(f"finding {finding_id} not found")
    authorize_patient(
        uow,
        ctx,
        row.patient_id,
        Kind.MEDICATION,
        Action.ACT,
        audit_action=f"medication.finding.{decision.value}",
        resource_id=finding_id,
    )
    _require_role(ctx, REVIEWERS, "respond to medicine findings")
    text = _reason(reason, f"{decision.value} a finding")
    latest = _latest_review(uow, row.patient_id)
    if latest is None or latest.id != row.review_id:
        raise InvalidInput(f"finding {finding_id} is from an earlier review; reload the page")
    if row.status != FindingStatus.OPEN:
        raise InvalidInput(f"finding {finding_id} is already {row.status}")
    row.status = (
        FindingStatus.OVERRIDDEN
        if decision is FindingDecision.OVERRIDE
        else FindingStatus.ACKNOWLEDGED
    )
    row.response_reason = text
    row.responded_by_id = ctx.actor.user_id
    row.responded_at = ctx.now()
    audit.append(
        uow.session,
        ctx,
        action=f"medication.finding.{decision.value}.reason",
        resource=Kind.MEDICATION,
        patient_id=row.patient_id,
        resource_id=finding_id,
        detail=f"{row.fingerprint} ({row.severity}): {text}"[:1000],
    )
    uow.session.flush()
    answered = _alert_for(uow, row)
    names = _names(uow, [row.responded_by_id])
    view = _finding_view(row, names)
    uow.commit()
    _close_alerts(uow, ctx, answered, f"{decision.value}d by {ctx.actor.role}: {text}"[:500])
    return view


def _alert_for(uow: UnitOfWork, row: MedicationFinding) -> list[int]:
    return list(
        uow.session.scalars(
            select(AlertRecord.id).where(
                AlertRecord.patient_id == row.patient_id,
                AlertRecord.dedupe_key == f"{ALERT_KIND}:{row.fingerprint}",
                AlertRecord.state != workflow.AlertState.RESOLVED,
            )
        )
    )


def _finding_view(row: MedicationFinding, names: dict[int, str]) -> FindingView:
    return FindingView(
        id=row.id,
        kind=row.kind,
        code=row.code,
        severity=row.severity,
        message=row.message,
        source=row.source,
        drugs=list(row.drugs),
        is_verified=row.is_verified,
        status=row.status,
        response_reason=row.response_reason,
        responded_by=names.get(row.responded_by_id) if row.responded_by_id else None,
        responded_at=row.responded_at,
    )


def _adherence(uow: UnitOfWork, patient_id: int, today: date) -> list[AdherenceView]:
    fills = list(
        uow.session.scalars(
            select(MedicationFill)
            .where(MedicationFill.patient_id == patient_id)
            .order_by(MedicationFill.filled_on)
        )
    )
    by_drug: dict[str, list[Fill]] = {}
    for f in fills:
        by_drug.setdefault(f.drug, []).append(Fill(f.drug, f.filled_on, f.days_supply))
    views = []
    for code, drug_fills in sorted(by_drug.items()):
        drug = _drug(code)
        if not drug.is_pdc_applicable:
            continue
        result = proportion_of_days_covered(drug, drug_fills, period_end=today)
        views.append(
            AdherenceView(
                drug=code,
                pdc_percent=result.pdc_percent,
                is_adherent=result.is_adherent,
                days_covered=result.days_covered,
                days_in_period=result.days_in_period,
                period_start=result.period_start,
                period_end=result.period_end,
                source=result.source,
            )
        )
    return views


def get_regimen(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> RegimenView:
    """The pharmacist's review page: regimen, CrCl, MME/day, findings by severity, side effects,
    adherence. Staff only: the patient sees their calendar instead."""
    if ctx.actor.role is Role.PATIENT:
        authorize_patient(
            uow, ctx, patient_id, Kind.MEDICATION, Action.READ, audit_action="medication.regimen"
        )
        raise PermissionDenied("patients see their medicines calendar")
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.READ, audit_action="medication.regimen"
    )
    today = ctx.now().date()
    context = _patient_context(uow, patient, today)
    all_orders = list(
        uow.session.scalars(
            select(MedicationOrder)
            .where(MedicationOrder.patient_id == patient_id)
            .order_by(MedicationOrder.started_on, MedicationOrder.id)
        )
    )
    changes = list(
        uow.session.scalars(
            select(MedicationOrderChange)
            .where(MedicationOrderChange.patient_id == patient_id)
            .order_by(MedicationOrderChange.changed_at, MedicationOrderChange.id)
        )
    )
    review = _latest_review(uow, patient_id)
    findings = _findings_of(uow, review.id) if review else []
    side_effects = list(
        uow.session.scalars(
            select(MedicationSideEffect)
            .where(MedicationSideEffect.patient_id == patient_id)
            .order_by(MedicationSideEffect.noted_on.desc(), MedicationSideEffect.id.desc())
        )
    )
    names = _names(
        uow,
        [
            *(o.prescriber_id for o in all_orders),
            *(c.changed_by_id for c in changes),
            *(f.responded_by_id for f in findings),
        ],
    )
    views = [
        _order_view(o, today, names, [c for c in changes if c.order_id == o.id]) for o in all_orders
    ]
    # MME/day and its contributions are recomputed for today's doses (titrations move on).
    active = [v for v in views if v.status == OrderStatus.ACTIVE]
    report = check_regimen(
        context,
        [CoreOrder(v.drug, v.dose_mg, v.times_per_day, v.dose_mcg_per_hr) for v in active],
    )
    notes = []
    if review is None:
        notes.append("No review has been run yet.")
    elif review.reviewed_at.date() < today:
        notes.append(f"Last review {review.reviewed_at.date().isoformat()}: run it again.")
    view = RegimenView(
        patient_id=patient.id,
        patient_name=f"{patient.given_name} {patient.family_name}",
        age_years=context.age_years,
        sex=patient.sex.value,
        conditions=list(context.conditions),
        orders=active,
        stopped=[v for v in views if v.status != OrderStatus.ACTIVE],
        renal=_renal_view(uow, patient, today),
        crcl_ml_min=report.crcl_ml_min,
        mme_per_day=report.mme.mme_per_day,
        mme_lines=[
            MmeLine(c.drug, c.factor, c.mme_per_day, c.note) for c in report.mme.contributions
        ],
        mme_source=report.mme.source,
        findings=[_finding_view(f, names) for f in findings],
        reviewed_at=review.reviewed_at if review else None,
        formulary_version=review.formulary_version if review else None,
        side_effects=[_side_effect_view(s) for s in side_effects],
        adherence=_adherence(uow, patient_id, today),
        notes=notes,
    )
    uow.commit()
    return view


def get_calendar(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> CalendarView:
    """What the patient sees: each medicine, what it is for, when to take it today and the
    coming days of a titration (times are the patient's local clock times)."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.READ, audit_action="medication.calendar"
    )
    today = ctx.now().date()
    medicines = []
    session_times: set[str] = set()
    for order in _active_orders(uow, patient.id):
        view = _order_view(order, today, {})
        sessions_today = [
            s.at
            for s in _sessions_from_json(order.exercise_sessions)
            if s.on is None or s.on == today
        ]
        session_times.update(t.isoformat("minutes") for t in sessions_today)
        upcoming = [st for st in view.steps if today <= st.on < today + timedelta(CALENDAR_DAYS)]
        step_today = next((st for st in view.steps if st.on == today), None)
        if step_today is not None:
            doses = [
                CalendarDose(a.at, a.dose_mg, a.covers_session_at)
                for a in step_today.administrations
            ]
        elif view.steps and view.steps[0].on > today:
            doses = []  # not started yet
        else:
            doses = _maintenance_doses(view, sessions_today)
        medicines.append(
            CalendarMedicine(
                order_id=view.id,
                drug=view.drug,
                drug_name=view.drug_name,
                purpose=view.purpose,
                dose_text=view.dose_text,
                today=doses,
                upcoming=dose_changes(upcoming),
                is_titrating=bool(view.steps) and view.steps[-1].on >= today,
            )
        )
    uow.commit()
    return CalendarView(patient.id, today, medicines, sorted(session_times))


def _maintenance_doses(view: OrderView, sessions_today: Sequence[time]) -> list[CalendarDose]:
    """Today's doses outside a titration, timed around today's sessions by the same rule."""
    if view.dose_mcg_per_hr is not None or view.times_per_day is None or view.dose_mg is None:
        return []
    drug = _drug(view.drug)
    doses = [view.dose_mg] * view.times_per_day
    admins, _ = time_doses_for_sessions(drug, doses, sessions_today)
    return [
        CalendarDose(
            a.at.isoformat("minutes"),
            a.dose_mg,
            a.covers_session_at.isoformat("minutes") if a.covers_session_at else None,
        )
        for a in admins
    ]


def dose_changes(steps: Sequence[StepView], *, with_timing: bool = False) -> list[StepView]:
    """Days on which the daily dose or the number of doses changes (no identical rows); with
    `with_timing`, also days whose clock times change (e.g. moved for a session)."""
    out: list[StepView] = []
    for step in steps:
        if (
            not out
            or (step.daily_dose_mg, step.times_per_day)
            != (out[-1].daily_dose_mg, out[-1].times_per_day)
            or (with_timing and step.administrations != out[-1].administrations)
        ):
            out.append(step)
    return out


@dataclass(frozen=True, slots=True)
class TrialView:
    order_id: int
    drug_name: str
    status: str
    weeks_on_drug: Decimal
    weeks_at_target: Decimal
    required_weeks_at_target: Decimal | None
    measure: str
    pain_reduction_percent: Decimal
    response: str
    decision: str
    rationale: str
    source: str


def assess_order_trial(
    uow: UnitOfWork,
    ctx: RequestContext,
    order_id: int,
    *,
    measure: PainMeasure,
    baseline_score: Decimal,
    current_score: Decimal,
    has_intolerable_side_effects: bool,
    is_pgic_much_improved: bool | None = None,
    patient_id: int | None = None,
) -> TrialView:
    """Adequate-trial check of one order from baseline and current pain (not stored)."""
    order, _ = _authorize_order(uow, ctx, order_id, Action.READ, "medication.trial", patient_id)
    drug = _drug(order.drug)
    today = ctx.now().date()
    reached = _target_reached_on(order)
    try:
        result = assess_trial(
            drug,
            started_on=order.started_on,
            target_reached_on=reached if reached is not None and reached <= today else None,
            today=today,
            measure=measure,
            baseline_score=baseline_score,
            current_score=current_score,
            has_intolerable_side_effects=has_intolerable_side_effects,
            is_pgic_much_improved=is_pgic_much_improved,
        )
    except DomainError as exc:
        raise InvalidInput(str(exc)) from None
    uow.commit()
    return TrialView(
        order_id=order.id,
        drug_name=drug.name,
        status=result.status.value,
        weeks_on_drug=result.weeks_on_drug,
        weeks_at_target=result.weeks_at_target,
        required_weeks_at_target=result.required_weeks_at_target,
        measure=result.measure.value,
        pain_reduction_percent=result.pain_reduction_percent,
        response=result.response.value,
        decision=result.decision.value,
        rationale=result.rationale,
        source=result.source,
    )


@dataclass(frozen=True, slots=True)
class OrtView:
    total: int
    band: str
    sex_basis: str
    source: str


def score_opioid_risk(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, answers: dict[str, bool]
) -> OrtView:
    """Opioid Risk Tool for this patient (a calculation, not stored). Items not answered yes
    are taken as no; the form asks all ten."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.READ, audit_action="medication.ort"
    )
    full = {item.value: bool(answers.get(item.value, False)) for item in OrtItem}
    if patient.sex in (RecordSex.MALE, RecordSex.FEMALE):
        basis = Sex(patient.sex.value)
        result = score_ort(full, basis)
    else:
        # SAFETY: weights differ by sex (Webster 2005); without a recorded sex take the higher.
        results = [score_ort(full, s) for s in (Sex.FEMALE, Sex.MALE)]
        result = max(results, key=lambda r: r.total or 0)
        basis = Sex.FEMALE if result is results[0] else Sex.MALE
    uow.commit()
    assert result.total is not None and result.band is not None
    return OrtView(result.total, result.band.value, basis.value, result.source)


def is_on_opioid(view: RegimenView) -> bool:
    return any(_drug(o.drug).is_opioid for o in view.orders)


def medicines_summary(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    """Lines for the patient overview card, or None when the viewer may not see medicines."""
    if not role_may(ctx.actor.role, Kind.MEDICATION, Action.READ):
        return None
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.MEDICATION, Action.READ, audit_action="medication.summary"
    )
    today = ctx.now().date()
    lines = [
        f"{_drug(o.drug).name}: {_order_view(o, today, {}).dose_text}"
        for o in _active_orders(uow, patient.id)
    ]
    if lines and ctx.actor.role is not Role.PATIENT:
        review = _latest_review(uow, patient.id)
        findings = _findings_of(uow, review.id) if review else []
        open_count = sum(1 for f in findings if f.status == FindingStatus.OPEN)
        lines.append(f"Open findings: {open_count}")
        if review is not None:
            lines.append(f"MME/day: {_num(review.mme_per_day.quantize(Decimal('0.1')))}")
    uow.commit()
    return lines
