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
from painpath.services.access import authorize_patient, require_role_grant, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound
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


def monitored_patient_ids(uow: UnitOfWork) -> list[int]:
    """Patients with data a rule reads: diary entries, completed assessments, medicine orders or a
    rehab programme (the daily run covers every source the rules read)."""
    from painpath.records.models_assessment import Assessment
    from painpath.records.models_medication import MedicationOrder
    from painpath.records.models_rehab import RehabProgramme

    ids: set[int] = set(uow.session.scalars(select(DiaryEntry.patient_id).distinct()))
    ids |= set(
        uow.session.scalars(
            select(Assessment.patient_id).where(Assessment.state == "completed").distinct()
        )
    )
    ids |= set(
        uow.session.scalars(
            select(MedicationOrder.patient_id).where(MedicationOrder.status == "active").distinct()
        )
    )
    ids |= set(uow.session.scalars(select(RehabProgramme.patient_id).distinct()))
    return sorted(ids)


def evaluate_all(uow: UnitOfWork, ctx: RequestContext) -> dict[int, int]:
    """The daily run: every monitored patient, on their own local date: the diary rules and the
    feeds from assessments, medications and rehab. Returns alerts raised per patient."""
    from painpath.services import monitoring_feeds

    config = current_config(uow)
    patient_ids = monitored_patient_ids(uow)
    raised: dict[int, int] = {}
    now = ctx.now()
    for patient_id in patient_ids:
        patient = uow.session.get(Patient, patient_id)
        if patient is None:
            continue
        today = now.astimezone(ZoneInfo(patient.timezone)).date()
        created = evaluate_patient(uow, ctx, patient, today=today, config=config)
        created += monitoring_feeds.raise_from_feeds(uow, ctx, patient, today=today, config=config)
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
    state: str = "open"
    owner_role: str = ""

    @property
    def is_good_news(self) -> bool:
        return self.kind == AlertKind.RESPONDER.value


def _brief(a: AlertRecord) -> AlertBrief:
    return AlertBrief(
        a.id, a.kind, a.severity, a.title, a.raised_at, a.is_safety, a.state, a.owner_role
    )


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

    @property
    def needs_action(self) -> list[AlertBrief]:
        return [a for a in self.alerts if not a.is_good_news]

    @property
    def good_news(self) -> list[AlertBrief]:
        return [a for a in self.alerts if a.is_good_news]


DASHBOARD_RECENT_DAYS = 30
KIND_LABELS = {
    AlertKind.URGENT_SAFETY.value: "Urgent safety",
    AlertKind.FLARE.value: "Flare",
    AlertKind.WORSENING.value: "Worse score",
    AlertKind.BOOM_BUST.value: "Boom-bust",
    AlertKind.NON_ADHERENCE_MEDICATION.value: "Medicines adherence",
    AlertKind.NON_ADHERENCE_SESSIONS.value: "Programme sessions",
    AlertKind.NO_DIARY.value: "No diary",
    AlertKind.RESPONDER.value: "Good news",
}
SEVERITIES = ("urgent", "high", "routine", "info")
# Kinds the same condition was stored under before the monitoring feed (services/monitoring_feeds)
LEGACY_KINDS = {
    AlertKind.BOOM_BUST.value: "rehab-boom-bust",
    AlertKind.NON_ADHERENCE_SESSIONS.value: "rehab-non-adherence",
    AlertKind.NON_ADHERENCE_MEDICATION.value: "medication-adherence",
}
# Names for every kind a module raises, for the list (the filter offers the monitoring kinds).
KIND_NAMES = {
    **KIND_LABELS,
    **{legacy: KIND_LABELS[kind] for kind, legacy in LEGACY_KINDS.items()},
    "medication-finding": "Medicines review",
    "medication-side-effect": "Side effect",
    "rehab-flare": "Rehab flare",
    "decision-point-due": "Decision point due",
    "care-plan-comment": "Care plan comment",
}


@dataclass(frozen=True, slots=True)
class DashboardFilter:
    kind: str | None = None
    severity: str | None = None

    @property
    def is_active(self) -> bool:
        return bool(self.kind or self.severity)


def dashboard(
    uow: UnitOfWork, ctx: RequestContext, filters: DashboardFilter | None = None
) -> list[PatientNeed]:
    """Patients of the viewer's teams with open alerts or recent diary data, most in need first.

    Need: the most severe alert still open (not yet acknowledged) ranks first, then acknowledged
    ones, then the number of alerts needing action, then the longest without a diary entry.
    With a kind or severity filter, only patients with a matching alert are listed.
    """
    filters = filters or DashboardFilter()
    if filters.severity and filters.severity not in SEVERITIES:
        raise InvalidInput(f"unknown severity {filters.severity}")
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
    if filters.kind:
        kinds = {filters.kind} | (
            {LEGACY_KINDS[filters.kind]} if filters.kind in LEGACY_KINDS else set()
        )
        alert_query = alert_query.where(AlertRecord.kind.in_(kinds))
    if filters.severity:
        alert_query = alert_query.where(AlertRecord.severity == filters.severity)
    alerts: dict[int, list[AlertBrief]] = {}
    for a in uow.session.scalars(alert_query):
        alerts.setdefault(a.patient_id, []).append(_brief(a))
    sees_diary = role_may(ctx.actor.role, Kind.DIARY, Action.READ)
    stats: dict[int, tuple[date, Decimal | None, int]] = {}
    if sees_diary:
        stats = _diary_stats(uow, teams, today)
    patient_ids = set(alerts) if filters.is_active else set(alerts) | set(stats)
    patients = {
        p.id: p
        for p in uow.session.scalars(select(Patient).where(Patient.id.in_(patient_ids or {-1})))
    }
    needs = []
    for pid, patient in patients.items():
        briefs = sorted(
            alerts.get(pid, []),
            key=lambda b: (b.state != workflow.AlertState.OPEN, -SEVERITY_RANK.get(b.severity, 0)),
        )
        last_on, mean, days = stats.get(pid, (None, None, 0))
        needs.append(
            PatientNeed(
                patient_id=pid,
                name=f"{patient.given_name} {patient.family_name}",
                mrn=patient.mrn,
                top_severity=max(
                    (b.severity for b in briefs), key=lambda v: SEVERITY_RANK.get(v, 0)
                )
                if briefs
                else None,
                alerts=briefs,
                last_entry_on=last_on,
                mean_pain_7d=mean,
                days_with_entries_7d=days,
            )
        )
    needs.sort(key=_need_order)
    audit.append(
        uow.session,
        ctx,
        action="monitoring.dashboard",
        resource=Kind.DIARY if sees_diary else Kind.TASK,
        detail="patients=" + ",".join(str(n.patient_id) for n in needs),
    )
    uow.commit()
    return needs


def _need_order(n: PatientNeed) -> tuple[int, int, int, date, str]:
    unacknowledged = [a for a in n.alerts if a.state == workflow.AlertState.OPEN]
    top_open = max((SEVERITY_RANK.get(a.severity, 0) for a in unacknowledged), default=-1)
    return (
        -top_open,
        -SEVERITY_RANK.get(n.top_severity or "", -1),
        -sum(1 for a in n.alerts if a.severity != "info"),
        n.last_entry_on or date.min,
        n.name,
    )


def acknowledge_alert(uow: UnitOfWork, ctx: RequestContext, alert_id: int, *, note: str) -> None:
    """Someone has seen the alert and owns the follow-up; it stays on the list until resolved
    (workflow.resolve_alert, with a reason). Audited; the note goes into the audit detail."""
    alert = uow.session.get(AlertRecord, alert_id)
    if alert is None:
        raise NotFound(f"alert {alert_id} not found")
    kind = Kind.SAFETY_FLAG if alert.is_safety else Kind.TASK
    action = Action.ACT if alert.is_safety else Action.WRITE
    authorize_patient(
        uow,
        ctx,
        alert.patient_id,
        kind,
        action,
        audit_action="alert.acknowledge",
        resource_id=alert_id,
    )
    if alert.state != workflow.AlertState.OPEN:
        raise InvalidInput(f"alert {alert_id} is already {alert.state}")
    alert.state = workflow.AlertState.ACKNOWLEDGED
    audit.append(
        uow.session,
        ctx,
        action="alert.acknowledged",
        resource=Kind.TASK,
        patient_id=alert.patient_id,
        resource_id=alert_id,
        detail=f"{alert.kind}; note={note.strip()}"[:500],
    )
    uow.commit()


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
    return [_brief(a) for a in uow.session.scalars(query.order_by(AlertRecord.raised_at.desc()))]
