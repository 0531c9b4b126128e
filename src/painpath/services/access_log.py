"""Who opened a patient's record: shown to the patient (and to admins), break-the-glass flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from painpath.records.models import AuditEvent, UserAccount
from painpath.security.policy import Action, Kind
from painpath.services.access import authorize_patient
from painpath.services.context import RequestContext
from painpath.services.uow import UnitOfWork

BREAK_GLASS_MARKERS = ("break-the-glass grant", "BREAK-GLASS")


@dataclass(frozen=True, slots=True)
class AccessEntry:
    occurred_at: datetime
    who: str
    role: str
    action: str
    outcome: str
    is_break_glass: bool


def access_log(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, limit: int = 200
) -> list[AccessEntry]:
    authorize_patient(
        uow, ctx, patient_id, Kind.PATIENT_AUDIT_TRAIL, Action.READ, audit_action="access-log.read"
    )
    rows = uow.session.execute(
        select(AuditEvent, UserAccount.full_name)
        .outerjoin(UserAccount, UserAccount.id == AuditEvent.actor_id)
        .where(AuditEvent.patient_id == patient_id)
        .order_by(AuditEvent.seq.desc())
        .limit(limit)
    ).all()
    entries = [
        AccessEntry(
            occurred_at=event.occurred_at,
            who=name or event.actor_username,
            role=event.actor_role,
            action=event.action,
            outcome=str(event.outcome),
            is_break_glass=any(marker in event.detail for marker in BREAK_GLASS_MARKERS),
        )
        for event, name in rows
    ]
    uow.commit()
    return entries
