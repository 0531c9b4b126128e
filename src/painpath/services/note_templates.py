"""Structured clinical notes from templates, and co-signature where the clinic requires it.

Templates are data (TEMPLATES). A templated note is an ordinary clinical_note written through
services.notes.add_note; its template and co-signature state sit in note_record_meta, keyed by
the note id. Which notes need a co-signature is clinic data (note_cosign_rule rows), e.g. a
physiotherapy student's notes or a pharmacist's override note need a physician co-sign. A
pending co-signature becomes a task for the co-signer's role (services.workflow.create_task).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from painpath.records.enums import Discipline, Role
from painpath.records.models import ClinicalNote, UserAccount
from painpath.records.models_teamwork import NoteCosignRule, NoteRecordMeta
from painpath.security.policy import Action, Kind
from painpath.services import audit, notes, workflow
from painpath.services.access import authorize_patient, require_role_grant
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class TemplateField:
    name: str
    label: str
    is_required: bool = True
    is_long: bool = True
    hint: str = ""


@dataclass(frozen=True, slots=True)
class NoteTemplate:
    code: str
    title: str
    purpose: str
    fields: tuple[TemplateField, ...]


def _f(
    name: str, label: str, *, required: bool = True, long: bool = True, hint: str = ""
) -> TemplateField:
    return TemplateField(name, label, required, long, hint)


# The headings follow the usual shape of multidisciplinary pain notes (history, findings,
# assessment, plan); they are a clinic default and carry no clinical thresholds.
TEMPLATES: dict[str, NoteTemplate] = {
    t.code: t
    for t in (
        NoteTemplate(
            "intake",
            "Intake",
            "First assessment by a discipline.",
            (
                _f("reason", "Reason for referral", long=False),
                _f("history", "History and current problems"),
                _f("findings", "Examination and findings"),
                _f("impression", "Impression"),
                _f("plan", "Plan"),
            ),
        ),
        NoteTemplate(
            "follow-up",
            "Follow-up",
            "Review between visits: progress, adverse effects, changes.",
            (
                _f("progress", "Progress since last review"),
                _f(
                    "adverse_effects",
                    "Adverse effects",
                    hint="Write 'none reported' if there were none.",
                ),
                _f("adherence", "Adherence (medicines, exercises)", required=False),
                _f("plan", "Plan and changes"),
            ),
        ),
        NoteTemplate(
            "discharge",
            "Discharge",
            "End of an episode or pathway.",
            (
                _f("summary", "Summary of care"),
                _f("outcomes", "Outcomes and goals met"),
                _f("ongoing", "Ongoing self-management and medicines"),
                _f("follow_up", "Follow-up arrangements", required=False),
            ),
        ),
        NoteTemplate(
            "override",
            "Medication review override",
            "A pharmacist or prescriber proceeds despite a safety finding.",
            (
                _f("finding", "Finding overridden", long=False),
                _f("reason", "Reason for the override"),
                _f("monitoring", "Monitoring agreed"),
            ),
        ),
    )
}
MAX_FIELD_CHARS = 4000
COSIGN_DUE_DAYS = 1  # clinic default: co-sign by the next working day


@dataclass(frozen=True, slots=True)
class CosignRuleView:
    id: int
    author_role: str | None
    author_user_id: int | None
    template_code: str | None
    cosigner_role: str
    reason: str


@dataclass(frozen=True, slots=True)
class TeamNoteView:
    id: int
    patient_id: int
    title: str
    body: str
    discipline: Discipline
    author: str
    is_clinician_only: bool
    created_at: datetime
    template_code: str | None
    cosign_role: str | None
    cosign_reason: str
    cosigned_by: str
    cosigned_at: datetime | None

    @property
    def is_cosign_pending(self) -> bool:
        return self.cosign_role is not None and self.cosigned_at is None


def render_body(template: NoteTemplate, fields: dict[str, str]) -> str:
    """The note text: one heading per field, in template order; empty optional fields left out."""
    parts = []
    for field in template.fields:
        value = fields.get(field.name, "").strip()
        if value:
            parts.append(f"{field.label}:\n{value}")
    return "\n\n".join(parts)


def _validate(template: NoteTemplate, fields: dict[str, str]) -> dict[str, str]:
    unknown = set(fields) - {f.name for f in template.fields}
    if unknown:
        raise InvalidInput(f"unknown fields for the {template.code} template: {sorted(unknown)}")
    clean = {k: v.strip() for k, v in fields.items()}
    for field in template.fields:
        if field.is_required and not clean.get(field.name):
            raise InvalidInput(f"{field.label} is required")
        if len(clean.get(field.name, "")) > MAX_FIELD_CHARS:
            raise InvalidInput(f"{field.label} is limited to {MAX_FIELD_CHARS} characters")
    return clean


def matching_rule(
    uow: UnitOfWork, *, author_role: Role, author_user_id: int, template_code: str
) -> NoteCosignRule | None:
    """The first active rule whose given matchers all fit this author and template."""
    rules = uow.session.scalars(
        select(NoteCosignRule).where(NoteCosignRule.is_active.is_(True)).order_by(NoteCosignRule.id)
    ).all()
    for rule in rules:
        if rule.author_role is not None and rule.author_role != author_role.value:
            continue
        if rule.author_user_id is not None and rule.author_user_id != author_user_id:
            continue
        if rule.template_code is not None and rule.template_code != template_code:
            continue
        if rule.author_role is None and rule.author_user_id is None and rule.template_code is None:
            continue  # a rule that matches everyone is a configuration mistake, not a policy
        return rule
    return None


def add_cosign_rule(
    uow: UnitOfWork,
    ctx: RequestContext,
    *,
    cosigner_role: Role,
    reason: str,
    author_role: Role | None = None,
    author_user_id: int | None = None,
    template_code: str | None = None,
) -> int:
    """Clinic configuration (admin): a new co-signature requirement, audited."""
    require_role_grant(ctx, Kind.USERS, Action.WRITE)
    if not cosigner_role.is_clinician:
        raise InvalidInput("the co-signer must be a clinical role")
    if author_role is None and author_user_id is None and template_code is None:
        raise InvalidInput("say whose notes or which template need a co-signature")
    if template_code is not None and template_code not in TEMPLATES:
        raise InvalidInput(f"unknown note template {template_code}")
    if len(reason.strip()) < 3:
        raise InvalidInput("give the reason for the rule")
    rule = NoteCosignRule(
        author_role=author_role.value if author_role else None,
        author_user_id=author_user_id,
        template_code=template_code,
        cosigner_role=cosigner_role.value,
        reason=reason.strip()[:300],
        is_active=True,
        created_at=ctx.now(),
    )
    uow.session.add(rule)
    uow.session.flush()
    audit.append(
        uow.session,
        ctx,
        action="note.cosign-rule.create",
        resource=Kind.USERS,
        resource_id=rule.id,
        detail=f"{rule.author_role or '*'}/{rule.author_user_id or '*'}/"
        f"{rule.template_code or '*'} -> {rule.cosigner_role}",
    )
    uow.commit()
    return rule.id


def list_cosign_rules(uow: UnitOfWork) -> list[CosignRuleView]:
    rows = uow.session.scalars(
        select(NoteCosignRule).where(NoteCosignRule.is_active.is_(True)).order_by(NoteCosignRule.id)
    ).all()
    return [
        CosignRuleView(
            r.id, r.author_role, r.author_user_id, r.template_code, r.cosigner_role, r.reason
        )
        for r in rows
    ]


def write_templated_note(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    template_code: str,
    fields: dict[str, str],
    *,
    is_clinician_only: bool = False,
) -> TeamNoteView:
    """Write a structured note; if a clinic rule requires it, open a co-signature task."""
    template = TEMPLATES.get(template_code)
    if template is None:
        raise InvalidInput(f"unknown note template {template_code}")
    clean = _validate(template, fields)
    note = notes.add_note(
        uow,
        ctx,
        patient_id,
        title=template.title,
        body=render_body(template, clean),
        is_clinician_only=is_clinician_only,
    )
    rule = matching_rule(
        uow,
        author_role=ctx.actor.role,
        author_user_id=ctx.actor.user_id,
        template_code=template.code,
    )
    meta = NoteRecordMeta(
        note_id=note.id,
        patient_id=patient_id,
        template_code=template.code,
        fields=clean,
        cosign_role=rule.cosigner_role if rule else None,
        cosign_reason=rule.reason if rule else "",
        created_at=ctx.now(),
    )
    uow.session.add(meta)
    uow.session.flush()
    if rule is not None:
        task_id = workflow.create_task(
            uow,
            ctx,
            patient_id,
            title=f"Co-sign {template.title.lower()} note #{note.id}",
            owner_role=Role(rule.cosigner_role),
            due_on=ctx.now().date() + timedelta(days=COSIGN_DUE_DAYS),
            detail=f"{rule.reason} Open the team notes to read and co-sign it.",
        )
        meta = uow.session.get_one(NoteRecordMeta, meta.id)
        meta.cosign_task_id = task_id
        audit.append(
            uow.session,
            ctx,
            action="note.cosign-requested",
            resource=Kind.CLINICAL_NOTE,
            patient_id=patient_id,
            resource_id=note.id,
            detail=f"co-signer role {rule.cosigner_role}; rule {rule.id}",
        )
    view = _view_of(uow, note.id)
    uow.commit()
    return view


def cosign_note(uow: UnitOfWork, ctx: RequestContext, note_id: int) -> TeamNoteView:
    """The co-signer signs a note; audited, and the co-signature task is closed."""
    meta = uow.session.scalar(select(NoteRecordMeta).where(NoteRecordMeta.note_id == note_id))
    note = uow.session.get(ClinicalNote, note_id)
    if meta is None or note is None:
        raise NotFound(f"note {note_id} not found")
    kind = Kind.CLINICIAN_ONLY_NOTE if note.is_clinician_only else Kind.CLINICAL_NOTE
    authorize_patient(
        uow,
        ctx,
        note.patient_id,
        kind,
        Action.WRITE,
        audit_action="note.cosign",
        resource_id=note_id,
    )
    if meta.cosign_role is None:
        raise Conflict(f"note {note_id} does not need a co-signature")
    if meta.cosigned_at is not None:
        raise Conflict(f"note {note_id} is already co-signed")
    if ctx.actor.role.value != meta.cosign_role:
        uow.commit()
        raise PermissionDenied(f"note {note_id} needs a {meta.cosign_role} co-signature")
    if note.author_id == ctx.actor.user_id:
        uow.commit()
        raise PermissionDenied("the author cannot co-sign their own note")
    user = uow.session.get_one(UserAccount, ctx.actor.user_id)
    meta.cosigned_by_id = user.id
    meta.cosigned_by_name = user.full_name
    meta.cosigned_at = ctx.now()
    task_id = meta.cosign_task_id
    uow.session.flush()
    if task_id is not None:
        workflow.complete_task(uow, ctx, task_id, note=f"co-signed note {note_id}")
    view = _view_of(uow, note_id)
    uow.commit()
    return view


def _view_of(uow: UnitOfWork, note_id: int) -> TeamNoteView:
    note = uow.session.get_one(ClinicalNote, note_id)
    meta = uow.session.scalar(select(NoteRecordMeta).where(NoteRecordMeta.note_id == note_id))
    return _build(note, meta)


def _build(note: ClinicalNote, meta: NoteRecordMeta | None) -> TeamNoteView:
    return TeamNoteView(
        id=note.id,
        patient_id=note.patient_id,
        title=note.title,
        body=note.body,
        discipline=note.discipline,
        author=note.author.full_name,
        is_clinician_only=note.is_clinician_only,
        created_at=note.created_at,
        template_code=meta.template_code if meta else None,
        cosign_role=meta.cosign_role if meta else None,
        cosign_reason=meta.cosign_reason if meta else "",
        cosigned_by=meta.cosigned_by_name if meta else "",
        cosigned_at=meta.cosigned_at if meta else None,
    )


def list_team_notes(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[TeamNoteView]:
    """All notes the viewer may read (services.notes filters clinician-only ones), each with its
    template and co-signature state."""
    visible = notes.list_notes(uow, ctx, patient_id)
    ids = [n.id for n in visible]
    metas = {
        m.note_id: m
        for m in uow.session.scalars(
            select(NoteRecordMeta).where(NoteRecordMeta.note_id.in_(ids or [-1]))
        )
    }
    rows = {
        n.id: n
        for n in uow.session.scalars(select(ClinicalNote).where(ClinicalNote.id.in_(ids or [-1])))
    }
    views = [_build(rows[i], metas.get(i)) for i in ids if i in rows]
    uow.commit()
    return views


def pending_cosign_count(uow: UnitOfWork, patient_id: int) -> int:
    """For the overview card; the caller has authorised the read."""
    return len(
        uow.session.scalars(
            select(NoteRecordMeta.id).where(
                NoteRecordMeta.patient_id == patient_id,
                NoteRecordMeta.cosign_role.is_not(None),
                NoteRecordMeta.cosigned_at.is_(None),
            )
        ).all()
    )
