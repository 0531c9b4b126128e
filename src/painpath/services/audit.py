"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from painpath.records.enums import AuditOutcome
from painpath.records.models import AuditEvent
from painpath.security import audit_chain
from painpath.security.policy import Kind
from painpath.services.context import RequestContext
from painpath.services.uow import UnitOfWork

# Any constant works; it names the one advisory lock that serialises appends on PostgreSQL.
_AUDIT_LOCK_KEY = 7_261_001


def append(
    session: Session,
    ctx: RequestContext,
    *,
    action: str,
    resource: Kind | str,
    patient_id: int | None = None,
    resource_id: str | int | None = None,
    outcome: AuditOutcome = AuditOutcome.GRANTED,
    detail: str = "",
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Two transactions must never read the same tail and fork the chain.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    session.flush()
    tail = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (tail[0] + 1, tail[1]) if tail else (1, audit_chain.GENESIS_HASH)
    fields: dict[str, Any] = {
        "seq": seq,
        "occurred_at": ctx.now(),
        "actor_id": ctx.actor.user_id or None,
        "actor_username": ctx.actor.username,
        "actor_role": str(ctx.actor.role),
        "patient_id": patient_id,
        "action": action,
        "resource": str(resource),
        "resource_id": None if resource_id is None else str(resource_id),
        "outcome": outcome,
        "request_id": ctx.request_id,
        "detail": detail,
    }
    event = AuditEvent(
        **fields, prev_hash=prev_hash, hash=audit_chain.event_hash(prev_hash, fields)
    )
    session.add(event)
    session.flush()
    return event


def record_denied(uow: UnitOfWork, ctx: RequestContext, **kwargs: Any) -> None:
    """Persist a denied-access event even though the use case itself is abandoned."""
    uow.rollback()
    append(uow.session, ctx, outcome=AuditOutcome.DENIED, **kwargs)
    uow.commit()


def _rows(session: Session, batch: int = 5000) -> Iterator[dict[str, Any]]:
    columns = [c.name for c in AuditEvent.__table__.columns]
    last = 0
    while True:
        chunk = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not chunk:
            return
        for event in chunk:
            yield {name: getattr(event, name) for name in columns}
        last = chunk[-1].seq
        session.expunge_all()


def verify_chain(uow: UnitOfWork) -> audit_chain.ChainReport:
    return audit_chain.verify(_rows(uow.session))


def events_for_patient(uow: UnitOfWork, patient_id: int, limit: int = 200) -> list[AuditEvent]:
    return list(
        uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.patient_id == patient_id)
            .order_by(AuditEvent.seq.desc())
            .limit(limit)
        )
    )
