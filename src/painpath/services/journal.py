"""The patient's journal: free text, private by default (product.md access policy).

Only the patient writes. Staff with a journal grant see only the entries the patient chose to
share, entry by entry; a private entry does not exist for them (NotFound, never a hint).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from painpath.records.enums import Role
from painpath.records.models_portal import JournalEntry
from painpath.security.policy import Action, Kind
from painpath.services.access import authorize_patient
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound
from painpath.services.uow import UnitOfWork

MAX_JOURNAL_CHARS = 10_000
_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True, slots=True)
class JournalView:
    id: int
    body: str
    is_shared: bool
    shared_at: datetime | None
    created_at: datetime


def _view(row: JournalEntry) -> JournalView:
    return JournalView(row.id, row.body, row.is_shared, row.shared_at, row.created_at)


def write_entry(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    body: str,
    is_shared: bool,
    idempotency_key: str,
) -> JournalView:
    """Add an entry (or return the one already stored under this key)."""
    authorize_patient(
        uow, ctx, patient_id, Kind.JOURNAL, Action.WRITE, audit_action="journal.create"
    )
    text = body.strip()
    if not text:
        raise InvalidInput("write something before saving")
    if len(text) > MAX_JOURNAL_CHARS:
        raise InvalidInput(f"an entry is limited to {MAX_JOURNAL_CHARS} characters")
    if not _KEY.fullmatch(idempotency_key):
        raise InvalidInput("idempotency_key must be 8-64 letters, digits, '-' or '_'")
    existing = _by_key(uow, patient_id, idempotency_key)
    if existing is not None:
        uow.commit()
        return _view(existing)
    now = ctx.now()
    row = JournalEntry(
        patient_id=patient_id,
        idempotency_key=idempotency_key,
        body=text,
        is_shared=is_shared,
        shared_at=now if is_shared else None,
        created_at=now,
        updated_at=now,
    )
    try:
        with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:
        existing = _by_key(uow, patient_id, idempotency_key)
        if existing is None:
            raise
        row = existing
    view = _view(row)
    uow.commit()
    return view


def _by_key(uow: UnitOfWork, patient_id: int, key: str) -> JournalEntry | None:
    return uow.session.scalar(
        select(JournalEntry).where(
            JournalEntry.patient_id == patient_id, JournalEntry.idempotency_key == key
        )
    )


def list_entries(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[JournalView]:
    """The patient sees every entry; staff only the shared ones."""
    authorize_patient(uow, ctx, patient_id, Kind.JOURNAL, Action.READ, audit_action="journal.list")
    query = select(JournalEntry).where(JournalEntry.patient_id == patient_id)
    if ctx.actor.role is not Role.PATIENT:
        query = query.where(JournalEntry.is_shared.is_(True))
    rows = uow.session.scalars(
        query.order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc())
    )
    views = [_view(r) for r in rows]
    uow.commit()
    return views


def get_entry(uow: UnitOfWork, ctx: RequestContext, patient_id: int, entry_id: int) -> JournalView:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.JOURNAL,
        Action.READ,
        audit_action="journal.read",
        resource_id=entry_id,
    )
    row = uow.session.get(JournalEntry, entry_id)
    if (
        row is None
        or row.patient_id != patient_id
        or (ctx.actor.role is not Role.PATIENT and not row.is_shared)
    ):
        raise NotFound(f"journal entry {entry_id} not found")
    view = _view(row)
    uow.commit()
    return view


def set_shared(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, entry_id: int, *, is_shared: bool
) -> JournalView:
    """The patient shares an entry with the team, or makes it private again (audited)."""
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.JOURNAL,
        Action.WRITE,
        audit_action="journal.share" if is_shared else "journal.unshare",
        resource_id=entry_id,
    )
    row = uow.session.get(JournalEntry, entry_id)
    if row is None or row.patient_id != patient_id:
        raise NotFound(f"journal entry {entry_id} not found")
    now = ctx.now()
    if row.is_shared != is_shared:
        row.is_shared = is_shared
        row.shared_at = now if is_shared else None
        row.updated_at = now
    view = _view(row)
    uow.commit()
    return view
