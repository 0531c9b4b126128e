"""Case conferences (product.md journey 6): the agenda builds itself from patients of the user's
care teams with open alerts, missed milestones or decision points due; attendance, discussion and
actions are recorded; actions become tasks and each discussed patient gets a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import select

from painpath.records.enums import Role
from painpath.records.models import CareTeamMember, Patient, UserAccount
from painpath.records.models_careplan import (
    CarePlan,
    CarePlanDecisionPoint,
    CaseConference,
    CaseConferenceItem,
)
from painpath.records.models_workflow import AlertRecord
from painpath.security.policy import Action, Kind
from painpath.services import audit, careplan, notes, workflow
from painpath.services.access import authorize_patient, require_role_grant, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound
from painpath.services.uow import UnitOfWork

# A weekly conference also lists decision points falling due before the next one.
LOOKAHEAD: Final = timedelta(days=7)
MAX_ACTIONS: Final = 10


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    patient_id: int
    patient_name: str
    mrn: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConferenceSummary:
    id: int
    title: str
    held_on: date
    state: str
    patient_count: int
    discussed_count: int


@dataclass(frozen=True, slots=True)
class Attendee:
    user_id: int
    full_name: str
    role: str
    attended: bool


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    patient_id: int
    patient_name: str
    mrn: str
    reasons: tuple[str, ...]
    discussion: str
    actions: tuple[dict[str, Any], ...]
    note_id: int | None
    discussed_at: datetime | None


@dataclass(frozen=True, slots=True)
class ConferenceView:
    id: int
    title: str
    held_on: date
    state: str
    attendees: tuple[Attendee, ...]
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class ActionInput:
    title: str
    owner_role: Role
    due_on: date


def _team_patients(uow: UnitOfWork, ctx: RequestContext) -> list[Patient]:
    return list(
        uow.session.scalars(
            select(Patient)
            .where(Patient.care_team_id.in_(ctx.actor.team_ids or {-1}))
            .order_by(Patient.family_name, Patient.given_name, Patient.id)
        )
    )


def _agenda(uow: UnitOfWork, ctx: RequestContext, held_on: date) -> list[AgendaEntry]:
    """Candidates with their reasons; the caller authorises each patient it lists."""
    patients = {p.id: p for p in _team_patients(uow, ctx)}
    if not patients:
        return []
    reasons: dict[int, list[str]] = {pid: [] for pid in patients}
    # "info" alerts are good news (e.g. a responder): no need to discuss them.
    alert_query = select(AlertRecord).where(
        AlertRecord.patient_id.in_(patients),
        AlertRecord.state != "resolved",
        AlertRecord.severity != "info",
    )
    if not role_may(ctx.actor.role, Kind.SAFETY_FLAG, Action.READ):
        alert_query = alert_query.where(AlertRecord.is_safety.is_(False))
    for a in uow.session.scalars(alert_query.order_by(AlertRecord.raised_at)):
        label = "urgent safety alert" if a.is_safety else f"open alert ({a.severity})"
        reasons[a.patient_id].append(f"{label}: {a.title}")
    horizon = held_on + LOOKAHEAD
    points = uow.session.execute(
        select(CarePlanDecisionPoint, CarePlan.patient_id)
        .join(CarePlan, CarePlan.id == CarePlanDecisionPoint.plan_id)
        .where(
            CarePlan.patient_id.in_(patients),
            CarePlanDecisionPoint.state == "scheduled",
            CarePlanDecisionPoint.due_on <= horizon,
        )
        .order_by(CarePlanDecisionPoint.due_on)
    ).all()
    for point, pid in points:
        rule = careplan.DECISION_RULES.get(point.rule_code)
        title = rule.title if rule else point.rule_code
        reasons[pid].append(f"decision point due {point.due_on.isoformat()}: {title}")
    plans = uow.session.scalars(select(CarePlan).where(CarePlan.patient_id.in_(patients))).all()
    for plan in plans:
        observations = careplan.observations_for(uow, plan.patient_id)
        for goal in plan.goals:
            if goal.state != "active":
                continue
            view = careplan.goal_view(goal, observations, held_on)
            for m in view.milestones:
                if m.status in ("missed", "insufficient-data"):
                    what = "missed milestone" if m.status == "missed" else "milestone without data"
                    reasons[plan.patient_id].append(
                        f"{what} ({m.due_on.isoformat()}): {m.description}"
                    )
    entries = [
        AgendaEntry(pid, f"{p.given_name} {p.family_name}", p.mrn, tuple(reasons[pid]))
        for pid, p in patients.items()
        if reasons[pid]
    ]
    # Safety first, then the patients with most to discuss; names break ties (stable sort).
    return sorted(
        entries,
        key=lambda e: (not any(r.startswith("urgent safety") for r in e.reasons), -len(e.reasons)),
    )


def build_agenda(uow: UnitOfWork, ctx: RequestContext, held_on: date) -> list[AgendaEntry]:
    """Preview the agenda for a conference on ``held_on``; each listed patient is audited."""
    require_role_grant(ctx, Kind.TASK, Action.WRITE)
    entries = _agenda(uow, ctx, held_on)
    for entry in entries:
        authorize_patient(
            uow,
            ctx,
            entry.patient_id,
            Kind.CARE_PLAN,
            Action.READ,
            audit_action="conference.agenda",
        )
    uow.commit()
    return entries


def create_conference(
    uow: UnitOfWork, ctx: RequestContext, *, held_on: date, title: str = ""
) -> int:
    require_role_grant(ctx, Kind.TASK, Action.WRITE)
    if not ctx.actor.team_ids:
        raise InvalidInput("you are not in a care team")
    entries = _agenda(uow, ctx, held_on)
    for entry in entries:
        authorize_patient(
            uow,
            ctx,
            entry.patient_id,
            Kind.CARE_PLAN,
            Action.READ,
            audit_action="conference.agenda",
        )
    conference = CaseConference(
        title=(title.strip() or f"Case conference {held_on.isoformat()}")[:200],
        held_on=held_on,
        care_team_ids=sorted(ctx.actor.team_ids),
        attendee_ids=[ctx.actor.user_id],
        state="open",
        created_by_id=ctx.actor.user_id,
        created_at=ctx.now(),
    )
    conference.items = [
        CaseConferenceItem(
            patient_id=e.patient_id, position=n, reasons=list(e.reasons), actions=[], discussion=""
        )
        for n, e in enumerate(entries)
    ]
    uow.session.add(conference)
    uow.session.flush()
    audit.append(
        uow.session,
        ctx,
        action="conference.create",
        resource=Kind.TASK,
        resource_id=conference.id,
        detail=f"patients={len(entries)}",
    )
    uow.commit()
    return conference.id


def list_conferences(uow: UnitOfWork, ctx: RequestContext) -> list[ConferenceSummary]:
    require_role_grant(ctx, Kind.TASK, Action.READ)
    rows = uow.session.scalars(
        select(CaseConference).order_by(CaseConference.held_on.desc(), CaseConference.id.desc())
    ).all()
    found = [
        ConferenceSummary(
            c.id,
            c.title,
            c.held_on,
            c.state,
            len(c.items),
            sum(1 for i in c.items if i.discussed_at is not None),
        )
        for c in rows
        if set(c.care_team_ids) & ctx.actor.team_ids
    ]
    uow.commit()
    return found


def _load(uow: UnitOfWork, ctx: RequestContext, conference_id: int) -> CaseConference:
    conference = uow.session.get(CaseConference, conference_id)
    if conference is None or not set(conference.care_team_ids) & ctx.actor.team_ids:
        audit.record_denied(
            uow,
            ctx,
            action="conference.read",
            resource=Kind.TASK,
            resource_id=conference_id,
            detail="no such conference in the viewer's teams",
        )
        raise NotFound(f"conference {conference_id} not found")
    return conference


def get_conference(uow: UnitOfWork, ctx: RequestContext, conference_id: int) -> ConferenceView:
    require_role_grant(ctx, Kind.TASK, Action.READ)
    conference = _load(uow, ctx, conference_id)
    items: list[ItemView] = []
    for item in conference.items:
        patient = authorize_patient(
            uow,
            ctx,
            item.patient_id,
            Kind.CARE_PLAN,
            Action.READ,
            audit_action="conference.read",
            resource_id=conference.id,
        )
        items.append(
            ItemView(
                item.id,
                item.patient_id,
                f"{patient.given_name} {patient.family_name}",
                patient.mrn,
                tuple(item.reasons),
                item.discussion,
                tuple(item.actions),
                item.note_id,
                item.discussed_at,
            )
        )
    members = uow.session.execute(
        select(UserAccount)
        .join(CareTeamMember, CareTeamMember.user_id == UserAccount.id)
        .where(
            CareTeamMember.care_team_id.in_(conference.care_team_ids),
            UserAccount.is_active.is_(True),
        )
        .distinct()
        .order_by(UserAccount.full_name)
    ).scalars()
    attendees = tuple(
        Attendee(u.id, u.full_name, u.role.value, u.id in conference.attendee_ids)
        for u in members
        if u.role not in (Role.PATIENT, Role.ADMIN)
    )
    view = ConferenceView(
        conference.id,
        conference.title,
        conference.held_on,
        conference.state,
        attendees,
        tuple(items),
    )
    uow.commit()
    return view


def record_attendance(
    uow: UnitOfWork, ctx: RequestContext, conference_id: int, user_ids: Sequence[int]
) -> None:
    require_role_grant(ctx, Kind.TASK, Action.WRITE)
    conference = _load(uow, ctx, conference_id)
    members = set(
        uow.session.scalars(
            select(CareTeamMember.user_id).where(
                CareTeamMember.care_team_id.in_(conference.care_team_ids)
            )
        )
    )
    unknown = set(user_ids) - members
    if unknown:
        raise InvalidInput("attendees must be members of the conference's care teams")
    conference.attendee_ids = sorted(set(user_ids))
    audit.append(
        uow.session,
        ctx,
        action="conference.attendance",
        resource=Kind.TASK,
        resource_id=conference.id,
        detail=f"attendees={len(conference.attendee_ids)}",
    )
    uow.commit()


def record_discussion(
    uow: UnitOfWork,
    ctx: RequestContext,
    conference_id: int,
    item_id: int,
    *,
    discussion: str,
    actions: Sequence[ActionInput],
) -> None:
    """Record what was said and decided for one patient: actions become tasks and a note goes on
    the patient's record (visible to the team and, as a shared note, to the patient)."""
    require_role_grant(ctx, Kind.TASK, Action.WRITE)
    conference = _load(uow, ctx, conference_id)
    item = next((i for i in conference.items if i.id == item_id), None)
    if item is None:
        raise NotFound(f"agenda item {item_id} not found")
    if conference.state != "open":
        raise InvalidInput("this conference is closed")
    if item.discussed_at is not None:
        raise InvalidInput("the discussion is already recorded; add a note to the record instead")
    if not discussion.strip():
        raise InvalidInput("write a short summary of the discussion")
    if len(actions) > MAX_ACTIONS:
        raise InvalidInput(f"at most {MAX_ACTIONS} actions per patient")
    for action in actions:
        if action.owner_role in (Role.PATIENT, Role.ADMIN):
            raise InvalidInput("actions are owned by a clinical role or the coordinator")
        if not action.title.strip():
            raise InvalidInput("every action needs a title")
    authorize_patient(
        uow,
        ctx,
        item.patient_id,
        Kind.CLINICAL_NOTE,
        Action.WRITE,
        audit_action="conference.discuss",
        resource_id=conference.id,
    )
    item.discussion = discussion.strip()
    item.discussed_at = ctx.now()
    if ctx.actor.user_id not in conference.attendee_ids:
        conference.attendee_ids = sorted({*conference.attendee_ids, ctx.actor.user_id})
    stored: list[dict[str, Any]] = []
    for action in actions:
        # create_task authorises, audits and commits (the discussion above commits with it).
        task_id = workflow.create_task(
            uow,
            ctx,
            item.patient_id,
            title=action.title,
            owner_role=action.owner_role,
            due_on=action.due_on,
            detail=f"Action from {conference.title} ({conference.held_on.isoformat()})",
        )
        stored.append(
            {
                "title": action.title.strip(),
                "owner_role": action.owner_role.value,
                "due_on": action.due_on.isoformat(),
                "task_id": task_id,
            }
        )
    item.actions = stored
    lines = [f"Discussed at {conference.title} on {conference.held_on.isoformat()}.", ""]
    lines.append("Why listed: " + "; ".join(item.reasons) if item.reasons else "Why listed: —")
    lines += ["", item.discussion]
    if stored:
        lines += ["", "Actions:"]
        lines += [f"- {a['title']} ({a['owner_role']}, due {a['due_on']})" for a in stored]
    note = notes.add_note(
        uow,
        ctx,
        item.patient_id,
        title=f"Case conference {conference.held_on.isoformat()}",
        body="\n".join(lines),
        is_clinician_only=False,
    )
    item.note_id = note.id
    uow.commit()


def close_conference(uow: UnitOfWork, ctx: RequestContext, conference_id: int) -> None:
    require_role_grant(ctx, Kind.TASK, Action.WRITE)
    conference = _load(uow, ctx, conference_id)
    if conference.state == "closed":
        raise InvalidInput("already closed")
    conference.state = "closed"
    conference.closed_at = ctx.now()
    audit.append(
        uow.session,
        ctx,
        action="conference.close",
        resource=Kind.TASK,
        resource_id=conference.id,
    )
    uow.commit()
