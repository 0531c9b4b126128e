"""Monitoring feeds: the other modules' facts turned into monitoring alerts, in one place.

Each module computes its own facts (assessments: scores, MCID, IMMPACT; medications: PDC;
rehab: session adherence and boom-bust cycles). This module reads those facts, runs the clinical
detectors of painpath.clinical.monitoring with the clinic's monitoring config (thresholds and
owners), and raises the alerts through workflow.raise_alerts. It is the one source of truth for
these alert kinds:

    worsening, responder         <- completed assessments (on completion and in the daily run)
    non-adherence-medication     <- medications (PDC of active scheduled medicines)
    non-adherence-sessions       <- rehab (home-programme sessions done / prescribed)
    boom-bust                    <- rehab (boom-bust cycles in the session logs)

Dedupe keys are the detectors' keys (``<kind>:<patient id>:<subject>``). Earlier versions of the
medication and rehab modules raised these conditions under their own kinds (LEGACY_KINDS); an
open alert of a legacy kind counts as the same condition, so nothing is raised twice.

Also here, read-only: chart markers (medication order changes, rehab programme phases) and the
planned physio sessions that pre-fill the medication start form.

Callers authorise access to the patient (or are the system scheduler) and commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select

from painpath.clinical.errors import DomainError
from painpath.clinical.instruments import change as change_rules
from painpath.clinical.instruments import registry
from painpath.clinical.instruments.bands import GlobalChange
from painpath.clinical.instruments.spec import TOTAL, Direction, Mcid
from painpath.clinical.monitoring import Alert, AlertKind, MonitoringConfig
from painpath.clinical.monitoring.rules import (
    BoomBustFlag,
    MedicationAdherence,
    ScoreChange,
    SessionAttendance,
    detect_boom_bust,
    detect_medication_non_adherence,
    detect_responder,
    detect_session_non_adherence,
    detect_worsening,
)
from painpath.records.models import Patient
from painpath.records.models_assessment import Assessment
from painpath.records.models_medication import MedicationOrder, MedicationOrderChange
from painpath.records.models_rehab import RehabProgramme, RehabProgrammeVersion
from painpath.records.models_workflow import AlertRecord
from painpath.security.policy import Action, Kind
from painpath.services import workflow
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput
from painpath.services.uow import UnitOfWork


class Source(StrEnum):
    ASSESSMENTS = "assessments"
    MEDICATIONS = "medications"
    REHAB = "rehab"


ALL_SOURCES = frozenset(Source)

# Kinds the modules raised themselves before this feed existed (same condition, other key).
LEGACY_KINDS: dict[str, str] = {
    AlertKind.NON_ADHERENCE_MEDICATION.value: "medication-adherence",
    AlertKind.NON_ADHERENCE_SESSIONS.value: "rehab-non-adherence",
    AlertKind.BOOM_BUST.value: "rehab-boom-bust",
}
# Rehab's one activity in the session logs: the home programme (boom-bust key subject).
HOME_PROGRAMME = "home-programme"
PEG_PAIN_ITEM = "peg-1"
PAIN_CODES = ("nrs-pain", "peg")  # pain-intensity sources for the IMMPACT responder, in order

FEED_TITLES = {
    AlertKind.WORSENING: "Worse than baseline: {instrument} ({baseline} to {current})",
    AlertKind.RESPONDER: "Good news: {what}",
    # Wording kept from the medicines module, which raised this alert before the feed.
    AlertKind.NON_ADHERENCE_MEDICATION: "Medicines: low adherence - {drug} ({pdc} % of days covered)",
    AlertKind.NON_ADHERENCE_SESSIONS: "Few programme sessions done: {completed} of {planned}",
    AlertKind.BOOM_BUST: "Boom-bust pattern in home sessions",
}


def feed_title(alert: Alert) -> str:
    ev = dict(alert.evidence)
    if alert.kind is AlertKind.RESPONDER:
        if "pgic_code" in ev:
            what = "patient reports much or very much improved (PGIC)"
        else:
            what = f"pain down by {ev.get('reduction_pct', '?')}% ({ev.get('level', '')} responder)"
        return FEED_TITLES[AlertKind.RESPONDER].format(what=what)
    template = FEED_TITLES.get(alert.kind, str(alert.kind))
    return template.format(
        instrument=ev.get("instrument", "").upper(),
        baseline=ev.get("baseline", "?"),
        current=ev.get("current", "?"),
        drug=ev.get("drug", "?"),
        pdc=_whole(ev.get("pdc_pct")),
        completed=ev.get("completed", "?"),
        planned=ev.get("planned", "?"),
    )


def _whole(value: str | None) -> str:
    return "?" if value is None else str(Decimal(value).quantize(Decimal(1)))


# ------------------------------------------------------------------------------ assessments


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    score_changes: tuple[ScoreChange, ...]
    baseline_nrs: Decimal | None
    current_nrs: Decimal | None
    pgic_code: int | None


def _completed_series(uow: UnitOfWork, patient_id: int, today: date) -> dict[str, list[Assessment]]:
    """Completed, not-superseded assessments per instrument, oldest first, up to ``today``."""
    rows = list(
        uow.session.scalars(
            select(Assessment).where(
                Assessment.patient_id == patient_id, Assessment.state == "completed"
            )
        )
    )
    corrected = {r.corrects_id for r in rows if r.corrects_id is not None}
    series: dict[str, list[Assessment]] = {}
    for r in sorted(
        (r for r in rows if r.id not in corrected and r.completed_at is not None),
        key=lambda r: (r.completed_at, r.id),
    ):
        series.setdefault(r.instrument_code, []).append(r)
    return series


def _answers(row: Assessment) -> dict[str, int]:
    return {a.link_id: a.value for a in row.answers}


def effective_mcid_points(mcid: Mcid, baseline: Decimal) -> Decimal | None:
    """The MCID as points from this baseline: the smaller of the points MCID and the percent MCID
    applied to the baseline (the instrument rules count either as clinically important,
    clinical/instruments/change.py `_reaches`). None when neither gives a positive number."""
    candidates = []
    if mcid.points is not None and mcid.points > 0:
        candidates.append(mcid.points)
    if mcid.percent is not None and baseline > 0:
        candidates.append(baseline * mcid.percent / 100)
    positive = [c for c in candidates if c > 0]
    return min(positive) if positive else None


def assessment_facts(uow: UnitOfWork, patient_id: int, today: date) -> AssessmentFacts:
    series = _completed_series(uow, patient_id, today)
    changes: list[ScoreChange] = []
    for code, rows in sorted(series.items()):
        if len(rows) < 2:
            continue
        spec = registry.get(code)
        scale = TOTAL if spec.total is not None else spec.subscales[0].code
        try:
            change = change_rules.compare(
                code,
                registry.score(code, _answers(rows[0])),
                registry.score(code, _answers(rows[-1])),
                scale=scale,
            )
        except DomainError:
            continue  # PGIC and other categorical ratings have no baseline comparison
        if change.mcid is None:
            continue
        mcid = effective_mcid_points(change.mcid, change.baseline)
        if mcid is None:
            continue
        changes.append(
            ScoreChange(
                instrument_code=code,
                baseline=change.baseline,
                current=change.current,
                mcid=mcid.quantize(Decimal("0.01")),
                is_higher_worse=spec.direction is Direction.HIGHER_IS_WORSE,
            )
        )
    baseline_nrs = current_nrs = None
    for code in PAIN_CODES:
        rows = series.get(code, [])
        if len(rows) < 2:
            continue
        if code == "peg":  # PEG item 1 is average pain 0-10 (Krebs 2009), as in assessments
            first, last = (
                _answers(rows[0]).get(PEG_PAIN_ITEM),
                _answers(rows[-1]).get(PEG_PAIN_ITEM),
            )
            if first is None or last is None:
                continue
            baseline_nrs, current_nrs = Decimal(first), Decimal(last)
        else:
            first_total, last_total = rows[0].total, rows[-1].total
            if first_total is None or last_total is None:
                continue
            baseline_nrs, current_nrs = Decimal(first_total), Decimal(last_total)
        break
    pgic_code = None
    pgic = series.get("pgic", [])
    if pgic:
        band = registry.score("pgic", _answers(pgic[-1])).band
        if isinstance(band, GlobalChange):
            pgic_code = list(GlobalChange).index(band) + 1  # form order 1-7 (bands.py)
    return AssessmentFacts(tuple(changes), baseline_nrs, current_nrs, pgic_code)


# ------------------------------------------------------------------------------ medications


def medication_facts(uow: UnitOfWork, patient_id: int, today: date) -> list[MedicationAdherence]:
    """PDC of each active medicine with fills (medications computes it; PRN drugs are skipped)."""
    from painpath.services import medications

    active = set(
        uow.session.scalars(
            select(MedicationOrder.drug).where(
                MedicationOrder.patient_id == patient_id, MedicationOrder.status == "active"
            )
        )
    )
    return [
        MedicationAdherence(drug_code=v.drug, pdc_pct=v.pdc_percent, is_scheduled=True)
        for v in medications._adherence(uow, patient_id, today)
        if v.drug in active
    ]


# ------------------------------------------------------------------------------------ rehab


@dataclass(frozen=True, slots=True)
class RehabFacts:
    attendance: tuple[SessionAttendance, ...]
    boom_bust: tuple[BoomBustFlag, ...]


def rehab_facts(uow: UnitOfWork, patient_id: int, today: date) -> RehabFacts:
    from painpath.services import rehab

    attendance: list[SessionAttendance] = []
    adherence = rehab._adherence(uow, patient_id, today)
    # Rehab's own minimum window before adherence is judged (rehab.ADHERENCE_ALERT_MIN_DAYS).
    if (
        adherence is not None
        and (adherence.window_end - adherence.window_start).days + 1
        >= rehab.ADHERENCE_ALERT_MIN_DAYS
    ):
        attendance.append(
            SessionAttendance(
                HOME_PROGRAMME, planned=adherence.prescribed, completed=adherence.done
            )
        )
    flags: list[BoomBustFlag] = []
    boom = rehab._boom_bust(uow, patient_id, today)
    if boom.is_detected and boom.cycles:
        cycles = "; ".join(
            f"{b.isoformat()} boom, {u.isoformat()} bust" for b, u, *_ in boom.cycles
        )
        flags.append(BoomBustFlag(boom.cycles[-1][1], HOME_PROGRAMME, f"{boom.reason} ({cycles})"))
    return RehabFacts(tuple(attendance), tuple(flags))


# ---------------------------------------------------------------------------------- raising


def candidates(
    uow: UnitOfWork,
    patient: Patient,
    *,
    today: date,
    config: MonitoringConfig,
    sources: Iterable[Source] = ALL_SOURCES,
) -> list[Alert]:
    """The alerts the feeds find for one patient on their local ``today`` (nothing stored)."""
    ref = str(patient.id)
    wanted = set(sources)
    found: list[Alert] = []
    if Source.ASSESSMENTS in wanted:
        facts = assessment_facts(uow, patient.id, today)
        found += detect_worsening(ref, facts.score_changes, today=today, config=config)
        found += detect_responder(
            ref,
            baseline_nrs=facts.baseline_nrs,
            current_nrs=facts.current_nrs,
            pgic_code=facts.pgic_code,
            today=today,
            config=config,
        )
    if Source.MEDICATIONS in wanted:
        found += detect_medication_non_adherence(
            ref, medication_facts(uow, patient.id, today), today=today, config=config
        )
    if Source.REHAB in wanted:
        facts_r = rehab_facts(uow, patient.id, today)
        found += detect_session_non_adherence(ref, facts_r.attendance, today=today, config=config)
        found += detect_boom_bust(ref, facts_r.boom_bust, today=today, config=config)
    return found


def _legacy_key(alert: Alert, patient_id: int) -> str | None:
    legacy = LEGACY_KINDS.get(alert.kind.value)
    if legacy is None:
        return None
    if alert.kind is AlertKind.NON_ADHERENCE_MEDICATION:
        return f"{legacy}:{dict(alert.evidence)['drug']}"
    if alert.kind is AlertKind.NON_ADHERENCE_SESSIONS:
        return f"rehab-adherence:{patient_id}"
    return f"{legacy}:{patient_id}"


def raise_from_feeds(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient: Patient,
    *,
    today: date,
    config: MonitoringConfig | None = None,
    sources: Iterable[Source] = ALL_SOURCES,
) -> list[int]:
    """Raise the feeds' new alerts (deduplicated, owner per rule). Returns ids of alerts created."""
    from painpath.services import monitoring

    config = config or monitoring.current_config(uow)
    found = candidates(uow, patient, today=today, config=config, sources=sources)
    if not found:
        return []
    open_keys = set(
        uow.session.scalars(
            select(AlertRecord.dedupe_key).where(
                AlertRecord.patient_id == patient.id,
                AlertRecord.state != workflow.AlertState.RESOLVED,
            )
        )
    )
    fresh = [
        a
        for a in found
        if a.dedupe_key not in open_keys and _legacy_key(a, patient.id) not in open_keys
    ]
    return workflow.raise_alerts(
        uow, ctx, patient.id, [workflow.from_monitoring(a, feed_title(a)) for a in fresh]
    )


def kinds_of(uow: UnitOfWork, alert_ids: Sequence[int]) -> tuple[str, ...]:
    if not alert_ids:
        return ()
    rows = uow.session.scalars(
        select(AlertRecord.kind).where(AlertRecord.id.in_(alert_ids)).order_by(AlertRecord.id)
    )
    return tuple(rows)


def local_today(ctx: RequestContext, patient: Patient) -> date:
    try:
        zone = ZoneInfo(patient.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return ctx.now().astimezone(zone).date()


# ------------------------------------------------------------------------- chart markers


@dataclass(frozen=True, slots=True)
class Marker:
    on: date
    kind: str  # "medication" or "phase"
    label: str
    detail: str


PHASE_NAMES = {
    "phase_1_calm": "Phase 1: calm",
    "phase_2_condition": "Phase 2: condition",
    "phase_3_function": "Phase 3: function",
}
CHANGE_WORDS = {"start": "started", "titrate": "dose changed", "stop": "stopped"}


def chart_markers(uow: UnitOfWork, patient: Patient, *, start: date, end: date) -> list[Marker]:
    """Medication order changes and rehab programme phases between ``start`` and ``end``
    (the patient's local dates). The caller has authorised reading the patient's record."""
    from painpath.services import medications

    zone = _zone(patient)
    markers: list[Marker] = []
    rows = uow.session.execute(
        select(MedicationOrderChange, MedicationOrder.drug, MedicationOrder.started_on)
        .join(MedicationOrder, MedicationOrder.id == MedicationOrderChange.order_id)
        .where(MedicationOrderChange.patient_id == patient.id)
        .order_by(MedicationOrderChange.changed_at, MedicationOrderChange.id)
    ).all()
    for change, drug_code, started_on in rows:
        on = started_on if change.change == "start" else change.changed_at.astimezone(zone).date()
        try:
            name = medications._drug(drug_code).name
        except InvalidInput:
            name = drug_code
        dose = ""
        if change.change != "stop" and change.dose_mg is not None and change.times_per_day:
            dose = f" {change.dose_mg.normalize():f} mg x {change.times_per_day}/day"
        elif change.change != "stop" and change.dose_mcg_per_hr is not None:
            dose = f" {change.dose_mcg_per_hr.normalize():f} mcg/h"
        markers.append(
            Marker(
                on,
                "medication",
                f"{name} {CHANGE_WORDS.get(change.change, change.change)}{dose}",
                change.reason,
            )
        )
    programme = uow.session.scalar(
        select(RehabProgramme).where(RehabProgramme.patient_id == patient.id)
    )
    if programme is not None:
        versions = uow.session.scalars(
            select(RehabProgrammeVersion)
            .where(RehabProgrammeVersion.programme_id == programme.id)
            .order_by(RehabProgrammeVersion.version)
        ).all()
        previous: str | None = None
        for v in versions:
            phase = str(v.snapshot.get("phase", ""))
            if phase and phase != previous:
                on = (
                    programme.started_on
                    if previous is None
                    else v.changed_at.astimezone(zone).date()
                )
                markers.append(Marker(on, "phase", PHASE_NAMES.get(phase, phase), v.reason))
            previous = phase or previous
    return sorted(
        (m for m in markers if start <= m.on <= end), key=lambda m: (m.on, m.kind, m.label)
    )


@dataclass(frozen=True, slots=True)
class CodedMarker:
    code: str  # M1, M2 ... for medicines, P1 ... for phases: the chart's labels
    on: date
    kind: str
    label: str
    detail: str


def markers_for(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, start: date, end: date
) -> list[CodedMarker]:
    """Chart markers the viewer may see: medicine changes need medication read, phases rehab
    read (each access audited). Numbered in date order per kind."""
    allowed: set[str] = set()
    for kind, label in ((Kind.MEDICATION, "medication"), (Kind.REHAB, "phase")):
        if role_may(ctx.actor.role, kind, Action.READ):
            patient = authorize_patient(
                uow, ctx, patient_id, kind, Action.READ, audit_action="chart.markers"
            )
            allowed.add(label)
    if not allowed:
        uow.commit()
        return []
    found = [m for m in chart_markers(uow, patient, start=start, end=end) if m.kind in allowed]
    uow.commit()
    counters = {"medication": 0, "phase": 0}
    coded = []
    for m in found:
        counters[m.kind] += 1
        prefix = "M" if m.kind == "medication" else "P"
        coded.append(CodedMarker(f"{prefix}{counters[m.kind]}", m.on, m.kind, m.label, m.detail))
    return coded


def _zone(patient: Patient) -> ZoneInfo:
    try:
        return ZoneInfo(patient.timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


# ----------------------------------------------------------------- planned physio sessions


@dataclass(frozen=True, slots=True)
class PlannedSessions:
    weekdays: tuple[int, ...]  # 0 = Monday
    sessions_per_week: int
    basis: str  # how the days were chosen, shown on the form


SPREAD_DAYS = {
    1: (2,),
    2: (1, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
PLANNED_LOOKBACK_DAYS = 28


def planned_sessions(uow: UnitOfWork, patient_id: int, today: date) -> PlannedSessions | None:
    """Exercise days from the patient's rehab programme, to pre-fill the medication start form.

    The programme stores sessions per week, not days or times: the days are the weekdays the
    patient logged sessions on most in the last 4 weeks (ties: earlier weekday), topped up with an
    even spread (painpath default) when the logs are too few. Read-only; None without a programme.
    """
    from painpath.records.models_rehab import RehabSessionLog

    programme = uow.session.scalar(
        select(RehabProgramme).where(RehabProgramme.patient_id == patient_id)
    )
    if programme is None or programme.sessions_per_week <= 0:
        return None
    per_week = min(programme.sessions_per_week, 7)
    logged = uow.session.scalars(
        select(RehabSessionLog.performed_on).where(
            RehabSessionLog.patient_id == patient_id,
            RehabSessionLog.performed_on > today - timedelta(days=PLANNED_LOOKBACK_DAYS),
            RehabSessionLog.performed_on <= today,
        )
    ).all()
    counts = Counter(d.weekday() for d in logged)
    chosen = [day for day, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0]))][:per_week]
    basis = "the days the patient did their sessions in the last 4 weeks"
    if len(chosen) < per_week:
        for day in SPREAD_DAYS[per_week]:
            if len(chosen) >= per_week:
                break
            if day not in chosen:
                chosen.append(day)
        basis = (
            f"{per_week} sessions a week spread over the week"
            if not counts
            else f"logged session days, topped up to {per_week} a week"
        )
    return PlannedSessions(tuple(sorted(chosen)), per_week, basis)


def planned_sessions_for(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> PlannedSessions | None:
    """planned_sessions for the viewer, if they may read the rehab programme (audited)."""
    if not role_may(ctx.actor.role, Kind.REHAB, Action.READ):
        return None
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="rehab.planned-sessions"
    )
    planned = planned_sessions(uow, patient_id, local_today(ctx, patient))
    uow.commit()
    return planned
