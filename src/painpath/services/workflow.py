"""Alerts become tasks for the right person. One place raises, de-duplicates and closes them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from painpath.clinical.monitoring.alerts import Alert
from painpath.records.enums import Role
from painpath.records.models import Patient
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.security.policy import Action, Kind
from painpath.services import audit
from painpath.services.access import authorize_patient, require_role_grant, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound
from painpath.services.uow import UnitOfWork


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class TaskState(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


# How soon the owner must act, by severity (product.md journey 5: urgent alerts the same day).
DUE_IN_DAYS = {"urgent": 0, "high": 1, "routine": 3, "info": 7}


@dataclass(frozen=True, slots=True)
class NewAlert:
    kind: str
    severity: str
    dedupe_key: str
    owner_role: str
    title: str
    rationale: str
    source: str
    evidence: dict[str, Any]
    is_safety: bool = False


@dataclass(frozen=True, slots=True)
class TaskView:
    id: int
    patient_id: int | None
    patient_name: str | None
    title: str
    detail: str
    owner_role: str
    due_on: date
    state: str
    is_safety: bool
    alert_id: int | None
    is_overdue: bool


@dataclass(frozen=True, slots=True)
class AlertView:
    id: int
    kind: str
    severity: str
    state: str
    title: str
    rationale: str
    source: str
    raised_at: datetime
    evidence: dict[str, Any]


def from_monitoring(alert: Alert, title: str) -> NewAlert:
    """Map a clinical monitoring alert onto the stored shape."""
    return NewAlert(
        kind=str(alert.kind),
        severity=str(alert.severity),
        dedupe_key=alert.dedupe_key,
        owner_role=str(alert.owner_role),
        title=title,
        rationale=alert.rationale,
        source=alert.source,
        evidence=dict(alert.evidence),
        is_safety=str(alert.kind) == "urgent-safety",
    )


def raise_alerts(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, alerts: Iterable[NewAlert]
) -> list[int]:
    """Store new alerts (skipping any whose condition is already open) and create their tasks.

    Runs inside the caller's transaction: the caller commits. Returns ids of alerts created.
    """
    created: list[int] = []
    now = ctx.now()
    for new in alerts:
        already_open = uow.session.scalar(
            select(AlertRecord.id).where(
                AlertRecord.dedupe_key == new.dedupe_key,
                AlertRecord.patient_id == patient_id,
                AlertRecord.state != AlertState.RESOLVED,
            )
        )
        if already_open:
            continue
        record = AlertRecord(
            patient_id=patient_id,
            kind=new.kind,
            severity=new.severity,
            state=AlertState.OPEN,
            dedupe_key=new.dedupe_key,
            owner_role=new.owner_role,
            title=new.title,
            rationale=new.rationale,
            source=new.source,
            is_safety=new.is_safety,
            evidence=new.evidence,
            raised_at=now,
        )
        uow.session.add(record)
        uow.session.flush()
        uow.session.add(
            TaskRecord(
                patient_id=patient_id,
                alert_id=record.id,
                title=new.title,
                detail=new.rationale,
                owner_role=new.owner_role,
                due_on=now.date() + timedelta(days=DUE_IN_DAYS.get(new.severity, 3)),
                state=TaskState.OPEN,
                is_safety=new.is_safety,
                created_at=now,
            )
        )
        audit.append(
            uow.session,
            ctx,
            action="alert.raise",
            resource=Kind.TASK,
            patient_id=patient_id,
            resource_id=record.id,
            detail=new.kind,
        )
        created.append(record.id)
    return created


def create_task(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int | None,
    *,
    title: str,
    owner_role: Role,
    due_on: date,
    detail: str = "",
) -> int:
    if patient_id is not None:
        authorize_patient(uow, ctx, patient_id, Kind.TASK, Action.WRITE, audit_action="task.create")
    else:
        require_role_grant(ctx, Kind.TASK, Action.WRITE)
    if not title.strip():
        raise InvalidInput("a task needs a title")
    if owner_role is Role.PATIENT or owner_role is Role.ADMIN:
        raise InvalidInput("tasks are owned by a clinical role or the coordinator")
    task = TaskRecord(
        patient_id=patient_id,
        title=title.strip(),
        detail=detail,
        owner_role=owner_role.value,
        due_on=due_on,
        state=TaskState.OPEN,
        created_by_id=ctx.actor.user_id,
        created_at=ctx.now(),
    )
    uow.session.add(task)
    uow.session.flush()
    uow.commit()
    return task.id


def list_tasks(
    uow: UnitOfWork,
    ctx: RequestContext,
    *,
    owner_role: str | None = None,
    patient_id: int | None = None,
    include_closed: bool = False,
    limit: int = 200,
) -> list[TaskView]:
    """Tasks for patients in the viewer's care teams (safety tasks only for roles that see flags)."""
    require_role_grant(ctx, Kind.TASK, Action.READ)
    if patient_id is not None:
        authorize_patient(uow, ctx, patient_id, Kind.TASK, Action.READ, audit_action="task.list")
    query = (
        select(TaskRecord, Patient.given_name, Patient.family_name)
        .outerjoin(Patient, Patient.id == TaskRecord.patient_id)
        .where(
            (TaskRecord.patient_id.is_(None)) | Patient.care_team_id.in_(ctx.actor.team_ids or {-1})
        )
    )
    if patient_id is not None:
        query = query.where(TaskRecord.patient_id == patient_id)
    if owner_role:
        query = query.where(TaskRecord.owner_role == owner_role)
    if not include_closed:
        query = query.where(TaskRecord.state == TaskState.OPEN)
    if not role_may(ctx.actor.role, Kind.SAFETY_FLAG, Action.READ):
        query = query.where(TaskRecord.is_safety.is_(False))
    rows = uow.session.execute(
        query.order_by(TaskRecord.is_safety.desc(), TaskRecord.due_on, TaskRecord.id).limit(limit)
    ).all()
    today = ctx.now().date()
    views = [
        TaskView(
            id=t.id,
            patient_id=t.patient_id,
            patient_name=f"{given} {family}" if given else None,
            title=t.title,
            detail=t.detail,
            owner_role=t.owner_role,
            due_on=t.due_on,
            state=t.state,
            is_safety=t.is_safety,
            alert_id=t.alert_id,
            is_overdue=t.state == TaskState.OPEN and t.due_on < today,
        )
        for t, given, family in rows
    ]
    if patient_id is None:
        audit.append(
            uow.session,
            ctx,
            action="task.worklist",
            resource=Kind.TASK,
            detail="patients="
            + ",".join(sorted({str(v.patient_id) for v in views if v.patient_id})),
        )
    uow.commit()
    return views


def complete_task(uow: UnitOfWork, ctx: RequestContext, task_id: int, *, note: str = "") -> None:
    task = uow.session.get(TaskRecord, task_id)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    kind = Kind.SAFETY_FLAG if task.is_safety else Kind.TASK
    action = Action.ACT if task.is_safety else Action.WRITE
    if task.patient_id is not None:
        authorize_patient(
            uow,
            ctx,
            task.patient_id,
            kind,
            action,
            audit_action="task.complete",
            resource_id=task_id,
        )
    else:
        require_role_grant(ctx, Kind.TASK, Action.WRITE)
    if task.state != TaskState.OPEN:
        raise InvalidInput(f"task {task_id} is already {task.state}")
    task.state = TaskState.DONE
    task.completed_at = ctx.now()
    task.completion_note = note.strip()
    uow.commit()


def list_alerts(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, include_resolved: bool = False
) -> list[AlertView]:
    authorize_patient(uow, ctx, patient_id, Kind.TASK, Action.READ, audit_action="alert.list")
    query = select(AlertRecord).where(AlertRecord.patient_id == patient_id)
    if not include_resolved:
        query = query.where(AlertRecord.state != AlertState.RESOLVED)
    if not role_may(ctx.actor.role, Kind.SAFETY_FLAG, Action.READ):
        query = query.where(AlertRecord.is_safety.is_(False))
    rows = uow.session.scalars(query.order_by(AlertRecord.raised_at.desc())).all()
    views = [
        AlertView(
            a.id,
            a.kind,
            a.severity,
            a.state,
            a.title,
            a.rationale,
            a.source,
            a.raised_at,
            a.evidence,
        )
        for a in rows
    ]
    uow.commit()
    return views


def resolve_alert(uow: UnitOfWork, ctx: RequestContext, alert_id: int, *, resolution: str) -> None:
    alert = uow.session.get(AlertRecord, alert_id)
    if alert is None:
        raise NotFound(f"alert {alert_id} not found")
    kind = Kind.SAFETY_FLAG if alert.is_safety else Kind.TASK
    action = Action.ACT if alert.is_safety else Action.WRITE
    authorize_patient(
        uow, ctx, alert.patient_id, kind, action, audit_action="alert.resolve", resource_id=alert_id
    )
    if not resolution.strip():
        raise InvalidInput("say how the alert was resolved")
    alert.state = AlertState.RESOLVED
    alert.resolved_at = ctx.now()
    alert.resolution = resolution.strip()
    for task in uow.session.scalars(
        select(TaskRecord).where(
            TaskRecord.alert_id == alert_id, TaskRecord.state == TaskState.OPEN
        )
    ):
        task.state = TaskState.DONE
        task.completed_at = ctx.now()
        task.completion_note = f"alert resolved: {alert.resolution}"
    uow.commit()
