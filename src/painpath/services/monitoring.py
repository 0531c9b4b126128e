"""Monitoring: run the clinic's alert rules (painpath.clinical.monitoring) over each patient's
diary after every entry and once a day, raise de-duplicated alerts that become tasks, and list
patients by need for the team.

Which patients are monitored: those with at least one diary entry; monitoring starts on the local
date of their first entry (so a patient who never used the diary gets no "no diary" alert).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from painpath.clinical.monitoring import (
    Alert,
    AlertKind,
    MonitoringConfig,
    MonitoringInputs,
    PainEntry,
    evaluate_alerts,
    load_monitoring_config,
    new_alerts,
)
from painpath.records.models import Patient
from painpath.records.models_portal import DiaryEntry, MonitoringConfigRecord
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.security.policy import Action, Kind
from painpath.services import audit, workflow
from painpath.services.access import require_role_grant, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput
from painpath.services.uow import UnitOfWork

SEVERITY_RANK = {"urgent": 3, "high": 2, "routine": 1, "info": 0}
# Kinds whose open alert is closed automatically when the rule no longer finds the condition
# (a new diary entry ends "no diary"). SAFETY: urgent safety alerts are never auto-closed, and a
# flare stays open until the physiotherapist has looked (the flare plan needs a person).
AUTO_CLOSE_KINDS = frozenset({AlertKind.NO_DIARY.value})
# IMMPACT responder input: the mean daily pain of the first diary week (baseline) against the last
# week, compared only once the two weeks are at least 4 weeks apart and each has >= 4 days with
# entries (painpath defaults, verified: false; responder thresholds: Dworkin 2008, in the rules).
RESPONDER_WINDOW_DAYS = 7
RESPONDER_MIN_DAYS = 4
RESPONDER_MIN_GAP_DAYS = 28


def current_config(uow: UnitOfWork) -> MonitoringConfig:
    """Shipped defaults with the clinic's newest override applied."""
    row = uow.session.scalar(
        select(MonitoringConfigRecord).order_by(MonitoringConfigRecord.id.desc()).limit(1)
    )
    return load_monitoring_config(row.clinic_toml if row else None)


def set_config(
    uow: UnitOfWork, ctx: RequestContext, *, clinic_toml: str, reason: str
) -> MonitoringConfig:
    """Replace the clinic's override (admin only); validated by the clinical loader, audited."""
    require_role_grant(ctx, Kind.USERS, Action.WRITE)
    if not reason.strip():
        raise InvalidInput("say why the clinic changes its alert rules")
    config = load_monitoring_config(clinic_toml)  # raises InvalidMonitoringConfig (422)
    row = MonitoringConfigRecord(
        clinic_toml=clinic_toml,
        reason=reason.strip(),
        changed_by_id=ctx.actor.user_id or None,
        changed_at=ctx.now(),
        overridden=list(config.overridden),
    )
    uow.session.add(row)
    uow.session.flush()
    audit.append(
        uow.session,
        ctx,
        action="monitoring.config",
        resource="monitoring-config",
        resource_id=row.id,
        detail=f"overridden={','.join(config.overridden)}; reason={row.reason}",
    )
    uow.commit()
    return config


TITLES = {
    AlertKind.FLARE: "Pain flare: above own baseline on {days} days",
    AlertKind.NO_DIARY: "No diary entry for {missed} days",
    AlertKind.RESPONDER: "Good news: pain down by {pct}% ({level} responder)",
    AlertKind.URGENT_SAFETY: "Urgent safety flag",
    AlertKind.WORSENING: "Score worse than baseline",
    AlertKind.BOOM_BUST: "Boom-bust pattern",
    AlertKind.NON_ADHERENCE_MEDICATION: "Medicine not taken as planned",
    AlertKind.NON_ADHERENCE_SESSIONS: "Few programme sessions done",
}


def alert_title(alert: Alert) -> str:
    evidence = dict(alert.evidence)
    template = TITLES.get(alert.kind, str(alert.kind))
    return template.format(
        days=sum(1 for k in evidence if k.startswith("nrs_on_")),
        missed=evidence.get("whole_days_without_entry", "?"),
        pct=evidence.get("reduction_pct", "?"),
        level=evidence.get("level", ""),
    )


def inputs_for(
    uow: UnitOfWork, patient: Patient, *, today: date, config: MonitoringConfig
) -> MonitoringInputs | None:
    """What the rules read for one patient on their local ``today``; None if not monitored."""
    first, last = uow.session.execute(
        select(func.min(DiaryEntry.recorded_on), func.max(DiaryEntry.recorded_on)).where(
            DiaryEntry.patient_id == patient.id, DiaryEntry.recorded_on <= today
        )
    ).one()
    if first is None:
        return None
    flare = config.rule(AlertKind.FLARE)
    span = int(flare.param("baseline_days")) + int(flare.param("min_days"))
    recent = _pain_entries(uow, patient.id, today - timedelta(days=span), today)
    baseline_nrs, current_nrs = _responder_means(uow, patient.id, first, today)
    return MonitoringInputs(
        patient_ref=str(patient.id),
        monitoring_started_on=first,
        pain_entries=tuple(recent),
        last_diary_on=last,
        baseline_nrs=baseline_nrs,
        current_nrs=current_nrs,
    )


def _pain_entries(uow: UnitOfWork, patient_id: int, since: date, until: date) -> list[PainEntry]:
    rows = uow.session.execute(
        select(DiaryEntry.recorded_on, DiaryEntry.pain_nrs).where(
            DiaryEntry.patient_id == patient_id,
            DiaryEntry.recorded_on >= since,
            DiaryEntry.recorded_on <= until,
        )
    ).all()
    return [PainEntry(recorded_on=day, nrs=Decimal(nrs)) for day, nrs in rows]


def _responder_means(
    uow: UnitOfWork, patient_id: int, first: date, today: date
) -> tuple[Decimal | None, Decimal | None]:
    window = timedelta(days=RESPONDER_WINDOW_DAYS - 1)
    current_from = today - window
    if (current_from - first).days < RESPONDER_MIN_GAP_DAYS:
        return None, None
    baseline = _daily_mean(_pain_entries(uow, patient_id, first, first + window))
    current = _daily_mean(_pain_entries(uow, patient_id, current_from, today))
    return baseline, current


def _daily_mean(entries: list[PainEntry]) -> Decimal | None:
    by_day: dict[date, list[Decimal]] = {}
    for e in entries:
        by_day.setdefault(e.recorded_on, []).append(e.nrs)
    if len(by_day) < RESPONDER_MIN_DAYS:
        return None
    daily = [sum(v, Decimal(0)) / len(v) for v in by_day.values()]
    return (sum(daily, Decimal(0)) / len(daily)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluate_patient(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient: Patient,
    *,
    today: date,
    config: MonitoringConfig | None = None,
) -> list[int]:
    """Run the rules for one patient and raise new alerts, inside the caller's transaction.

    The caller has authorised access to the patient (or is the system scheduler) and commits.
    Returns the ids of alerts created.
    """
    config = config or current_config(uow)
    inputs = inputs_for(uow, patient, today=today, config=config)
    if inputs is None:
        return []
    candidates = evaluate_alerts(inputs, today=today, config=config)
    open_rows = list(
        uow.session.scalars(
            select(AlertRecord).where(
                AlertRecord.patient_id == patient.id,
                AlertRecord.state != workflow.AlertState.RESOLVED,
            )
        )
    )
    _close_cleared(uow, ctx, open_rows, {a.dedupe_key for a in candidates}, today)
    fresh = new_alerts(
        candidates, (r.dedupe_key for r in open_rows if r.state != workflow.AlertState.RESOLVED)
    )
    return workflow.raise_alerts(
        uow, ctx, patient.id, [workflow.from_monitoring(a, alert_title(a)) for a in fresh]
    )


def _close_cleared(
    uow: UnitOfWork,
    ctx: RequestContext,
    open_rows: list[AlertRecord],
    still_found: set[str],
    today: date,
) -> None:
    now = ctx.now()
    for row in open_rows:
        if row.kind not in AUTO_CLOSE_KINDS or row.dedupe_key in still_found:
            continue
        row.state = workflow.AlertState.RESOLVED
        row.resolved_at = now
        row.resolution = f"condition cleared on {today.isoformat()} (rule no longer met)"
        for task in uow.session.scalars(
            select(TaskRecord).where(
                TaskRecord.alert_id == row.id, TaskRecord.state == workflow.TaskState.OPEN
            )
        ):
            task.state = workflow.TaskState.DONE
            task.completed_at = now
            task.completion_note = row.resolution
        audit.append(
            uow.session,
            ctx,
            action="alert.auto-close",
            resource=Kind.TASK,
            patient_id=row.patient_id,
            resource_id=row.id,
            detail=row.kind,
        )


def evaluate_all(uow: UnitOfWork, ctx: RequestContext) -> dict[int, int]:
    """The daily run: every monitored patient, on their own local date. Returns alerts per patient."""
    config = current_config(uow)
    patient_ids = list(uow.session.scalars(select(DiaryEntry.patient_id).distinct()))
    raised: dict[int, int] = {}
    now = ctx.now()
    for patient_id in sorted(patient_ids):
        patient = uow.session.get(Patient, patient_id)
        if patient is None:
            continue
        today = now.astimezone(ZoneInfo(patient.timezone)).date()
        created = evaluate_patient(uow, ctx, patient, today=today, config=config)
        if created:
            raised[patient_id] = len(created)
    audit.append(
        uow.session,
        ctx,
        action="monitoring.daily",
        resource=Kind.TASK,
        detail=f"patients={len(patient_ids)} alerts={sum(raised.values())}",
    )
    uow.commit()
    return raised


@dataclass(frozen=True, slots=True)
class AlertBrief:
    id: int
    kind: str
    severity: str
    title: str
    raised_at: datetime
    is_safety: bool


@dataclass(frozen=True, slots=True)
class PatientNeed:
    patient_id: int
    name: str
    mrn: str
    top_severity: str | None
    alerts: list[AlertBrief]
    last_entry_on: date | None
    mean_pain_7d: Decimal | None
    days_with_entries_7d: int


DASHBOARD_RECENT_DAYS = 30


def dashboard(uow: UnitOfWork, ctx: RequestContext) -> list[PatientNeed]:
    """Patients of the viewer's teams with open alerts or recent diary data, most urgent first."""
    require_role_grant(ctx, Kind.TASK, Action.READ)
    teams = ctx.actor.team_ids or frozenset({-1})
    today = ctx.now().date()
    alert_query = (
        select(AlertRecord)
        .join(Patient, Patient.id == AlertRecord.patient_id)
        .where(
            Patient.care_team_id.in_(teams),
            AlertRecord.state != workflow.AlertState.RESOLVED,
        )
        .order_by(AlertRecord.raised_at.desc())
    )
    if not role_may(ctx.actor.role, Kind.SAFETY_FLAG, Action.READ):
        alert_query = alert_query.where(AlertRecord.is_safety.is_(False))
    alerts: dict[int, list[AlertBrief]] = {}
    for a in uow.session.scalars(alert_query):
        alerts.setdefault(a.patient_id, []).append(
            AlertBrief(a.id, a.kind, a.severity, a.title, a.raised_at, a.is_safety)
        )
    sees_diary = role_may(ctx.actor.role, Kind.DIARY, Action.READ)
    stats: dict[int, tuple[date, Decimal | None, int]] = {}
    if sees_diary:
        stats = _diary_stats(uow, teams, today)
    patient_ids = set(alerts) | set(stats)
    patients = {
        p.id: p
        for p in uow.session.scalars(select(Patient).where(Patient.id.in_(patient_ids or {-1})))
    }
    needs = []
    for pid, patient in patients.items():
        briefs = sorted(alerts.get(pid, []), key=lambda b: -SEVERITY_RANK.get(b.severity, 0))
        last_on, mean, days = stats.get(pid, (None, None, 0))
        needs.append(
            PatientNeed(
                patient_id=pid,
                name=f"{patient.given_name} {patient.family_name}",
                mrn=patient.mrn,
                top_severity=briefs[0].severity if briefs else None,
                alerts=briefs,
                last_entry_on=last_on,
                mean_pain_7d=mean,
                days_with_entries_7d=days,
            )
        )
    needs.sort(
        key=lambda n: (
            -SEVERITY_RANK.get(n.top_severity or "", -1),
            -sum(1 for a in n.alerts if a.severity != "info"),
            n.last_entry_on or date.min,
            n.name,
        )
    )
    audit.append(
        uow.session,
        ctx,
        action="monitoring.dashboard",
        resource=Kind.DIARY if sees_diary else Kind.TASK,
        detail="patients=" + ",".join(str(n.patient_id) for n in needs),
    )
    uow.commit()
    return needs


def _diary_stats(
    uow: UnitOfWork, teams: frozenset[int], today: date
) -> dict[int, tuple[date, Decimal | None, int]]:
    """Last entry date and the 7-day mean of daily mean pain per patient (clinic-date window)."""
    recent = today - timedelta(days=DASHBOARD_RECENT_DAYS)
    week = today - timedelta(days=6)
    rows = uow.session.execute(
        select(DiaryEntry.patient_id, DiaryEntry.recorded_on, DiaryEntry.pain_nrs)
        .join(Patient, Patient.id == DiaryEntry.patient_id)
        .where(Patient.care_team_id.in_(teams), DiaryEntry.recorded_on >= recent)
    ).all()
    last: dict[int, date] = {}
    daily: dict[int, dict[date, list[int]]] = {}
    for pid, day, nrs in rows:
        last[pid] = max(last.get(pid, day), day)
        if day >= week:
            daily.setdefault(pid, {}).setdefault(day, []).append(nrs)
    out: dict[int, tuple[date, Decimal | None, int]] = {}
    for pid, last_on in last.items():
        days = daily.get(pid, {})
        means = [Decimal(sum(v)) / len(v) for v in days.values()]
        mean = (
            (sum(means, Decimal(0)) / len(means)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if means
            else None
        )
        out[pid] = (last_on, mean, len(days))
    return out


def open_alerts(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[AlertBrief]:
    """Open alerts of one patient for the overview card (no audit: the caller authorised)."""
    query = select(AlertRecord).where(
        AlertRecord.patient_id == patient_id, AlertRecord.state != workflow.AlertState.RESOLVED
    )
    if not role_may(ctx.actor.role, Kind.SAFETY_FLAG, Action.READ):
        query = query.where(AlertRecord.is_safety.is_(False))
    return [
        AlertBrief(a.id, a.kind, a.severity, a.title, a.raised_at, a.is_safety)
        for a in uow.session.scalars(query.order_by(AlertRecord.raised_at.desc()))
    ]
