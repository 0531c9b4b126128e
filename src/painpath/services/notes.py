"""Shared clinical notes. Clinician-only notes never reach the patient or the coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from painpath.records.enums import Discipline, Role
from painpath.records.models import ClinicalNote
from painpath.security.policy import Action, Kind
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, PermissionDenied
from painpath.services.uow import UnitOfWork

DISCIPLINE_OF_ROLE = {
    Role.PHYSICIAN: Discipline.MEDICINE,
    Role.PHYSIOTHERAPIST: Discipline.PHYSIOTHERAPY,
    Role.PSYCHOLOGIST: Discipline.PSYCHOLOGY,
    Role.PHARMACIST: Discipline.PHARMACY,
    Role.COORDINATOR: Discipline.COORDINATION,
}
MAX_NOTE_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class NoteView:
    id: int
    title: str
    body: str
    discipline: Discipline
    author: str
    is_clinician_only: bool
    created_at: datetime


def list_notes(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[NoteView]:
    authorize_patient(
        uow, ctx, patient_id, Kind.CLINICAL_NOTE, Action.READ, audit_action="note.list"
    )
    query = select(ClinicalNote).where(ClinicalNote.patient_id == patient_id)
    if not role_may(ctx.actor.role, Kind.CLINICIAN_ONLY_NOTE, Action.READ):
        query = query.where(ClinicalNote.is_clinician_only.is_(False))
    rows = uow.session.scalars(query.order_by(ClinicalNote.created_at.desc())).all()
    notes = [
        NoteView(
            n.id,
            n.title,
            n.body,
            n.discipline,
            n.author.full_name,
            n.is_clinician_only,
            n.created_at,
        )
        for n in rows
    ]
    uow.commit()
    return notes


def add_note(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    title: str,
    body: str,
    is_clinician_only: bool,
) -> NoteView:
    kind = Kind.CLINICIAN_ONLY_NOTE if is_clinician_only else Kind.CLINICAL_NOTE
    authorize_patient(uow, ctx, patient_id, kind, Action.WRITE, audit_action="note.create")
    discipline = DISCIPLINE_OF_ROLE.get(ctx.actor.role)
    if discipline is None:
        raise PermissionDenied(f"{ctx.actor.role} does not write clinical notes")
    if not title.strip() or not body.strip():
        raise InvalidInput("a note needs a title and a body")
    if len(body) > MAX_NOTE_CHARS:
        raise InvalidInput(f"a note is limited to {MAX_NOTE_CHARS} characters")
    note = ClinicalNote(
        patient_id=patient_id,
        author_id=ctx.actor.user_id,
        discipline=discipline,
        title=title.strip(),
        body=body.strip(),
        is_clinician_only=is_clinician_only,
        created_at=ctx.now(),
    )
    uow.session.add(note)
    uow.session.flush()
    view = NoteView(
        note.id, note.title, note.body, discipline, "", note.is_clinician_only, note.created_at
    )
    uow.commit()
    return view
