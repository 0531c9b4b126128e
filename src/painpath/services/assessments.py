"""Questionnaire use cases: assign bundles, answer item by item, complete and score, correct, read.

Answers are stored per item as the patient goes (a partial answer is saved at once, a re-save of
the same answer changes nothing). Scoring is painpath.clinical.instruments.registry.score on
completion; the stored score can always be recomputed from the stored answers. A completed
assessment is append-only: a correction is a new assessment linked to the old one.

Access: patients write their own answers (Kind.QUESTIONNAIRE write); clinicians read answers and
scores; the coordinator sees status only (Action.READ_STATUS). Assigning a bundle is work for the
team (Kind.TASK write). Clinician-completed instruments are clinical documentation, written under
Kind.CLINICIAN_ONLY_NOTE (the policy has no clinician write grant on questionnaires).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from sqlalchemy import func, select

from painpath.clinical.errors import DomainError, InvalidAnswer
from painpath.clinical.instruments import bundles as bundle_defs
from painpath.clinical.instruments import change as change_rules
from painpath.clinical.instruments import registry
from painpath.clinical.instruments.spec import (
    TOTAL,
    Flag,
    InstrumentSpec,
    InvalidResponse,
    Item,
    Option,
    ScoreResult,
    Source,
)
from painpath.records.enums import Role
from painpath.records.models import Patient
from painpath.records.models_assessment import Assessment, AssessmentAnswer, AssessmentBundle
from painpath.security.policy import Action, Kind
from painpath.services import audit
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork
from painpath.services.workflow import NewAlert, raise_alerts


class Respondent(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"


class State(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"


# Display rounding of means (PEG, BPI interference, PSFS): half-even to one decimal place.
DISPLAY_RULE = "means shown rounded half-even to 1 decimal; stored exact"
MAX_DUE_DAYS_AHEAD = 366


@dataclass(frozen=True, slots=True)
class OptionView:
    code: str
    value: int


@dataclass(frozen=True, slots=True)
class ItemView:
    link_id: str
    number: str
    label: str
    options: list[OptionView]
    is_optional: bool
    is_scored: bool
    answer_code: str | None = None
    answer_value: int | None = None
    answered_at: datetime | None = None
    revision: int = 0


@dataclass(frozen=True, slots=True)
class StatusView:
    """What the coordinator may see: whether a questionnaire is done, never its answers."""

    id: int
    patient_id: int
    instrument_code: str
    title: str
    state: State
    respondent: Respondent
    due_on: date | None
    is_overdue: bool
    bundle_code: str | None
    answered: int
    required: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    corrects_id: int | None
    corrected_by_id: int | None


@dataclass(frozen=True, slots=True)
class ScoreView:
    total: Decimal | None
    band: str | None
    subscales: dict[str, Decimal | None]
    flags: list[str]
    is_prorated: bool

    @property
    def is_urgent(self) -> bool:
        return Flag.URGENT_SAFETY.value in self.flags


@dataclass(frozen=True, slots=True)
class AssessmentView:
    status: StatusView
    version: str
    items: list[ItemView]  # answers filled only for viewers who may read them
    score: ScoreView | None  # None until completed, or for status-only viewers
    can_read_answers: bool
    can_answer: bool
    licence_note: str
    licence_holder: str
    citation: str
    band_source: str | None
    scale_rules: list[tuple[str, str]]  # (scale code, missing-item rule source)
    mcid_source: str | None
    workings: list[tuple[str, str]]  # (scale code, the arithmetic from the answers)
    has_safety_flag: bool  # a safety flag is raised by the answers so far (patient sees help)


@dataclass(frozen=True, slots=True)
class SaveResult:
    assessment_id: int
    link_id: str
    is_changed: bool
    answered: int
    required: int
    state: State
    has_safety_flag: bool
    alert_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ChangeView:
    """Baseline vs latest completed result of one instrument, with the rules applied."""

    instrument_code: str
    title: str
    scale: str
    baseline_id: int
    baseline_on: date
    baseline: Decimal
    current_id: int
    current_on: date
    current: Decimal
    change: Decimal
    improvement_percent: Decimal | None
    direction: str
    is_mcid_improvement: bool | None
    is_mcid_worsening: bool | None
    mcid_text: str | None
    mcid_source: Source | None
    immpact: str | None  # IMMPACT pain-intensity response level
    immpact_basis: str | None  # which score the IMMPACT level was computed on
    immpact_source: Source | None


@dataclass(frozen=True, slots=True)
class BundleView:
    id: int
    bundle_code: str
    collection_point: str
    due_on: date
    assigned_at: datetime
    completed_at: datetime | None
    assessment_ids: list[int]


@dataclass(frozen=True, slots=True)
class PatientAssessments:
    patient_id: int
    can_read_scores: bool
    can_assign: bool
    assessments: list[StatusView]
    scores: dict[int, ScoreView]  # by assessment id; empty for status-only viewers
    changes: list[ChangeView]
    bundles: list[BundleView]

    @property
    def open(self) -> list[StatusView]:
        return [a for a in self.assessments if a.state is not State.COMPLETED]

    @property
    def completed(self) -> list[StatusView]:
        return [a for a in self.assessments if a.state is State.COMPLETED]


def format_score(value: Decimal | None) -> str:
    """A score for display: whole numbers as they are, means to one decimal (half-even)."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN))


# --- assigning ----------------------------------------------------------------------------------


def assign_bundle(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, bundle_code: str, *, due_on: date
) -> BundleView:
    """Assign the bundle of a collection point: one not-started assessment per instrument."""
    authorize_patient(
        uow, ctx, patient_id, Kind.TASK, Action.WRITE, audit_action="assessment.assign-bundle"
    )
    view = add_bundle(uow, ctx, patient_id, bundle_code, due_on=due_on)
    uow.commit()
    return view


def add_bundle(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, bundle_code: str, *, due_on: date
) -> BundleView:
    """Insert a bundle and its assessments in the caller's transaction (the caller has
    authorised Kind.TASK write and commits; services.episodes links it to a collection point)."""
    try:
        definition = bundle_defs.bundle(bundle_code)
    except DomainError as exc:
        raise InvalidInput(str(exc)) from exc
    _check_due(ctx, due_on)
    now = ctx.now()
    row = AssessmentBundle(
        patient_id=patient_id,
        bundle_code=definition.code,
        collection_point=definition.collection_point.value,
        due_on=due_on,
        assigned_by_id=_user_id(ctx),
        assigned_at=now,
    )
    uow.session.add(row)
    uow.session.flush()
    ids = []
    for code in definition.instrument_codes:
        assessment = _new_assessment(
            ctx, patient_id, registry.get(code), Respondent.PATIENT, due_on, bundle_id=row.id
        )
        uow.session.add(assessment)
        uow.session.flush()
        ids.append(assessment.id)
    return BundleView(
        row.id, row.bundle_code, row.collection_point, row.due_on, row.assigned_at, None, ids
    )


def start_assessment(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    instrument_code: str,
    *,
    respondent: Respondent | None = None,
    due_on: date | None = None,
) -> AssessmentView:
    """Open one instrument outside a bundle (a patient for themself, staff for the patient)."""
    if respondent is None:
        respondent = Respondent.PATIENT
    if ctx.actor.role is Role.PATIENT:
        if respondent is not Respondent.PATIENT:
            raise InvalidInput("a patient answers as the respondent")
        kind = Kind.QUESTIONNAIRE
    else:
        kind = Kind.TASK if respondent is Respondent.PATIENT else Kind.CLINICIAN_ONLY_NOTE
    authorize_patient(uow, ctx, patient_id, kind, Action.WRITE, audit_action="assessment.create")
    try:
        spec = registry.get(instrument_code)
    except DomainError as exc:
        raise InvalidInput(str(exc)) from exc
    if due_on is not None:
        _check_due(ctx, due_on)
    row = _new_assessment(ctx, patient_id, spec, respondent, due_on)
    uow.session.add(row)
    uow.session.flush()
    view = _view(uow, ctx, row, can_read=True)
    uow.commit()
    return view


def _new_assessment(
    ctx: RequestContext,
    patient_id: int,
    spec: InstrumentSpec,
    respondent: Respondent,
    due_on: date | None,
    *,
    bundle_id: int | None = None,
    corrects_id: int | None = None,
) -> Assessment:
    return Assessment(
        patient_id=patient_id,
        bundle_id=bundle_id,
        instrument_code=spec.code,
        instrument_version=spec.version,
        respondent=respondent.value,
        state=State.NOT_STARTED.value,
        due_on=due_on,
        corrects_id=corrects_id,
        created_by_id=_user_id(ctx),
        created_at=ctx.now(),
        subscales={},
        flags=[],
        is_prorated=False,
    )


def _check_due(ctx: RequestContext, due_on: date) -> None:
    today = ctx.now().date()
    if (due_on - today).days > MAX_DUE_DAYS_AHEAD:
        raise InvalidInput("a due date must be within a year")


def _user_id(ctx: RequestContext) -> int | None:
    return ctx.actor.user_id or None


# --- answering ----------------------------------------------------------------------------------


def _load(uow: UnitOfWork, assessment_id: int) -> Assessment:
    row = uow.session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound(f"assessment {assessment_id} not found")
    return row


def _authorize_write(uow: UnitOfWork, ctx: RequestContext, row: Assessment, label: str) -> None:
    kind = Kind.QUESTIONNAIRE if row.respondent == Respondent.PATIENT else Kind.CLINICIAN_ONLY_NOTE
    authorize_patient(
        uow, ctx, row.patient_id, kind, Action.WRITE, audit_action=label, resource_id=row.id
    )


def _option(item: Item, answer: int | str) -> Option:
    if isinstance(answer, bool):
        raise InvalidInput(f"{item.link_id}: answer must be one of the item's options")
    for option in item.options:
        if option.code == str(answer) or (isinstance(answer, int) and option.value == answer):
            return option
    raise InvalidInput(f"{item.link_id}: {answer!r} is not one of the item's options")


def _item(spec: InstrumentSpec, link_id: str) -> Item:
    for item in spec.items:
        if item.link_id == link_id:
            return item
    raise InvalidInput(f"{spec.code} has no item {link_id}")


def save_answer(
    uow: UnitOfWork, ctx: RequestContext, assessment_id: int, link_id: str, answer: int | str
) -> SaveResult:
    """Upsert one item's answer now. Same answer again: nothing changes (idempotent)."""
    row = _load(uow, assessment_id)
    _authorize_write(uow, ctx, row, "assessment.answer")
    result = _save(uow, ctx, row, {link_id: answer})
    uow.commit()
    return result


def save_answers(
    uow: UnitOfWork, ctx: RequestContext, assessment_id: int, answers: Mapping[str, int | str]
) -> SaveResult:
    """Upsert several answers at once (the no-JavaScript form posts every answered item)."""
    row = _load(uow, assessment_id)
    _authorize_write(uow, ctx, row, "assessment.answer")
    result = _save(uow, ctx, row, answers)
    uow.commit()
    return result


def _save(
    uow: UnitOfWork, ctx: RequestContext, row: Assessment, answers: Mapping[str, int | str]
) -> SaveResult:
    if row.state == State.COMPLETED:
        raise Conflict(
            f"assessment {row.id} is completed and cannot change; record a correction instead"
        )
    spec = registry.get(row.instrument_code)
    parsed = [(link_id, _option(_item(spec, link_id), a)) for link_id, a in answers.items()]
    existing = {a.link_id: a for a in row.answers}
    now = ctx.now()
    changed = False
    for link_id, option in parsed:
        current = existing.get(link_id)
        if current is None:
            row.answers.append(
                AssessmentAnswer(
                    link_id=link_id,
                    value=option.value,
                    code=option.code,
                    answered_by_id=_user_id(ctx),
                    answered_at=now,
                    revision=1,
                )
            )
            changed = True
        elif current.code != option.code:
            current.value = option.value
            current.code = option.code
            current.answered_by_id = _user_id(ctx)
            current.answered_at = now
            current.revision += 1
            changed = True
    if row.state == State.NOT_STARTED:
        row.state = State.IN_PROGRESS.value
        row.started_at = now
    uow.session.flush()
    values = {a.link_id: a.value for a in row.answers}
    flags = _flags_so_far(row.instrument_code, values)
    alert_ids: list[int] = []
    if Flag.URGENT_SAFETY in flags:
        # SAFETY: raised while the questionnaire is still open, whatever the total (PHQ-9 item 9
        # > 0; clinical-reference 6.2). De-duplicated per assessment; never closed automatically.
        alert_ids = raise_alerts(uow, ctx, row.patient_id, [safety_alert(row, values)])
    answered, required = _progress(spec, values)
    return SaveResult(
        row.id,
        ",".join(link for link, _ in parsed),
        changed,
        answered,
        required,
        State(row.state),
        Flag.URGENT_SAFETY in flags,
        alert_ids,
    )


def _flags_so_far(code: str, values: Mapping[str, int]) -> frozenset[Flag]:
    try:
        return registry.score(code, dict(values)).flags
    except InvalidResponse as exc:
        return exc.flags
    except InvalidAnswer:
        return frozenset()


def safety_alert(row: Assessment, values: Mapping[str, int]) -> NewAlert:
    """The urgent safety alert for one assessment (one per assessment: the dedupe key)."""
    answered = {k: str(v) for k, v in sorted(values.items())}
    return NewAlert(
        kind="urgent-safety",
        severity="urgent",
        dedupe_key=f"urgent-safety:assessment:{row.id}",
        owner_role=Role.PHYSICIAN.value,
        title=f"Urgent: {registry.get(row.instrument_code).title} safety item answered",
        rationale="A questionnaire item that needs a same-day clinician suicide-risk assessment "
        "was answered above 0 (PHQ-9 item 9), whatever the total.",
        source="clinical-reference 6.2 / 6.3; Kroenke 2001 (rule unverified as guideline text)",
        evidence={"assessment_id": str(row.id), **answered},
        is_safety=True,
    )


def _progress(spec: InstrumentSpec, values: Mapping[str, int]) -> tuple[int, int]:
    required = [i.link_id for i in spec.items if not i.is_optional]
    answered = sum(1 for link_id in required if link_id in values)
    if not required:  # PSFS: every slot optional; count what was answered
        return len(values), len(spec.items)
    return answered, len(required)


def complete_assessment(uow: UnitOfWork, ctx: RequestContext, assessment_id: int) -> AssessmentView:
    """Score with the clinical registry and freeze the assessment."""
    row = _load(uow, assessment_id)
    _authorize_write(uow, ctx, row, "assessment.complete")
    if row.state == State.COMPLETED:
        view = _view(uow, ctx, row, can_read=True)
        uow.commit()
        return view  # completing twice is harmless
    values = {a.link_id: a.value for a in row.answers}
    result = registry.score(row.instrument_code, values)
    if not result.is_complete:
        spec = registry.get(row.instrument_code)
        numbers = [_item(spec, link_id).number or link_id for link_id in result.missing]
        raise InvalidInput("answer every question before finishing: " + ", ".join(numbers))
    now = ctx.now()
    row.state = State.COMPLETED.value
    row.completed_at = now
    row.completed_by_id = _user_id(ctx)
    _store_score(row, result)
    if row.bundle_id is not None:
        _close_bundle_if_done(uow, row.bundle_id, now)
    uow.session.flush()
    _feed_monitoring(uow, ctx, row.patient_id)
    view = _view(uow, ctx, row, can_read=True)
    uow.commit()
    return view


def _feed_monitoring(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> None:
    """Worsening beyond MCID and IMMPACT responder are monitoring rules, raised on completion
    (and in the daily run) by services/monitoring_feeds.py: one source of truth for those kinds."""
    from painpath.services import monitoring_feeds

    patient = uow.session.get(Patient, patient_id)
    if patient is not None:
        monitoring_feeds.raise_from_feeds(
            uow,
            ctx,
            patient,
            today=monitoring_feeds.local_today(ctx, patient),
            sources={monitoring_feeds.Source.ASSESSMENTS},
        )


def _store_score(row: Assessment, result: ScoreResult) -> None:
    row.total = None if result.total is None else str(result.total)
    row.band = None if result.band is None else str(result.band)
    row.subscales = {k: None if v is None else str(v) for k, v in result.subscales.items()}
    row.flags = sorted(str(f) for f in result.flags)
    row.is_prorated = Flag.PRORATED in result.flags


def _close_bundle_if_done(uow: UnitOfWork, bundle_id: int, now: datetime) -> None:
    bundle = uow.session.get(AssessmentBundle, bundle_id)
    states = uow.session.scalars(
        select(Assessment.state).where(Assessment.bundle_id == bundle_id)
    ).all()
    if bundle is not None and all(s == State.COMPLETED for s in states):
        bundle.completed_at = now


def correct_assessment(uow: UnitOfWork, ctx: RequestContext, assessment_id: int) -> AssessmentView:
    """Start a correction: a new assessment linked to the completed one, prefilled with its answers."""
    old = _load(uow, assessment_id)
    _authorize_write(uow, ctx, old, "assessment.correct")
    if old.state != State.COMPLETED:
        raise Conflict(f"assessment {old.id} is still open: change the answers directly")
    if _corrected_by(uow, old.id) is not None:
        raise Conflict(f"assessment {old.id} already has a correction")
    spec = registry.get(old.instrument_code)
    row = _new_assessment(
        ctx,
        old.patient_id,
        spec,
        Respondent(old.respondent),
        old.due_on,
        bundle_id=None,
        corrects_id=old.id,
    )
    now = ctx.now()
    row.state = State.IN_PROGRESS.value
    row.started_at = now
    row.answers = [
        AssessmentAnswer(
            link_id=a.link_id,
            value=a.value,
            code=a.code,
            answered_by_id=a.answered_by_id,
            answered_at=a.answered_at,
            revision=a.revision,
        )
        for a in old.answers
    ]
    uow.session.add(row)
    uow.session.flush()
    view = _view(uow, ctx, row, can_read=True)
    uow.commit()
    return view


def _corrected_by(uow: UnitOfWork, assessment_id: int) -> int | None:
    return uow.session.scalar(
        select(Assessment.id).where(Assessment.corrects_id == assessment_id).limit(1)
    )


# --- reading ------------------------------------------------------------------------------------


def _read_action(ctx: RequestContext) -> tuple[Action, bool]:
    if role_may(ctx.actor.role, Kind.QUESTIONNAIRE, Action.READ):
        return Action.READ, True
    return Action.READ_STATUS, False


def get_assessment(uow: UnitOfWork, ctx: RequestContext, assessment_id: int) -> AssessmentView:
    """One assessment: items, answers and score for readers; status only for the coordinator."""
    row = _load(uow, assessment_id)
    action, can_read = _read_action(ctx)
    authorize_patient(
        uow,
        ctx,
        row.patient_id,
        Kind.QUESTIONNAIRE,
        action,
        audit_action="assessment.read",
        resource_id=row.id,
    )
    view = _view(uow, ctx, row, can_read=can_read)
    uow.commit()
    return view


def _status(
    row: Assessment,
    spec: InstrumentSpec,
    today: date,
    bundle_code: str | None,
    corrected_by: int | None,
) -> StatusView:
    values = {a.link_id: a.value for a in row.answers}
    answered, required = _progress(spec, values)
    state = State(row.state)
    return StatusView(
        id=row.id,
        patient_id=row.patient_id,
        instrument_code=row.instrument_code,
        title=spec.title,
        state=state,
        respondent=Respondent(row.respondent),
        due_on=row.due_on,
        is_overdue=state is not State.COMPLETED and row.due_on is not None and row.due_on < today,
        bundle_code=bundle_code,
        answered=answered,
        required=required,
        created_at=row.created_at,
        started_at=row.started_at,
        completed_at=row.completed_at,
        corrects_id=row.corrects_id,
        corrected_by_id=corrected_by,
    )


def _score_view(row: Assessment) -> ScoreView | None:
    if row.state != State.COMPLETED:
        return None
    return ScoreView(
        total=None if row.total is None else Decimal(row.total),
        band=row.band,
        subscales={k: None if v is None else Decimal(v) for k, v in row.subscales.items()},
        flags=list(row.flags),
        is_prorated=row.is_prorated,
    )


def _view(
    uow: UnitOfWork, ctx: RequestContext, row: Assessment, *, can_read: bool
) -> AssessmentView:
    spec = registry.get(row.instrument_code)
    bundle_code = None
    if row.bundle_id is not None:
        bundle = uow.session.get(AssessmentBundle, row.bundle_id)
        bundle_code = bundle.bundle_code if bundle else None
    corrected_by = _corrected_by(uow, row.id)
    status = _status(row, spec, ctx.now().date(), bundle_code, corrected_by)
    answers = {a.link_id: a for a in row.answers} if can_read else {}
    items = [
        ItemView(
            link_id=i.link_id,
            number=i.number,
            label=i.label,
            options=[OptionView(o.code, o.value) for o in i.options],
            is_optional=i.is_optional,
            is_scored=i.is_scored,
            answer_code=answers[i.link_id].code if i.link_id in answers else None,
            answer_value=answers[i.link_id].value if i.link_id in answers else None,
            answered_at=answers[i.link_id].answered_at if i.link_id in answers else None,
            revision=answers[i.link_id].revision if i.link_id in answers else 0,
        )
        for i in spec.items
    ]
    values = {a.link_id: a.value for a in row.answers}
    mcid = spec.mcid()
    can_answer = (
        row.state != State.COMPLETED
        and corrected_by is None
        and (
            (row.respondent == Respondent.PATIENT and ctx.actor.role is Role.PATIENT)
            or (
                row.respondent == Respondent.CLINICIAN
                and role_may(ctx.actor.role, Kind.CLINICIAN_ONLY_NOTE, Action.WRITE)
            )
        )
    )
    return AssessmentView(
        status=status,
        version=row.instrument_version,
        items=items,
        score=_score_view(row) if can_read else None,
        can_read_answers=can_read,
        can_answer=can_answer,
        licence_note=spec.licence.note,
        licence_holder=spec.licence.holder,
        citation=spec.citation.citation,
        band_source=None if spec.bands is None else _cite(spec.bands.source),
        scale_rules=[(s.code, _cite(s.missing_rule)) for s in spec.scales],
        mcid_source=None if mcid is None else _cite(mcid.source),
        workings=_workings(spec, values) if can_read and row.state == State.COMPLETED else [],
        has_safety_flag=can_read and Flag.URGENT_SAFETY in _flags_so_far(spec.code, values),
    )


def _workings(spec: InstrumentSpec, values: Mapping[str, int]) -> list[tuple[str, str]]:
    """The arithmetic of each scale from the stored answers, so a reader can check the score."""
    by_id = {i.link_id: i for i in spec.items}
    out = []
    for scale in spec.scales:
        terms = []
        for link_id in scale.link_ids:
            if link_id not in values:
                continue
            item = by_id[link_id]
            value = values[link_id]
            if item.is_reverse_scored:
                reversed_value = item.min_value + item.max_value - value
                terms.append(f"{reversed_value} (item {item.number} reversed from {value})")
            else:
                terms.append(f"{value}")
        if not terms:
            continue
        total = sum(
            (by_id[k].min_value + by_id[k].max_value - values[k])
            if by_id[k].is_reverse_scored
            else values[k]
            for k in scale.link_ids
            if k in values
        )
        text = " + ".join(terms)
        if scale.aggregation.value == "mean":
            result = Decimal(total) / Decimal(len(terms))
            text = f"({text}) / {len(terms)} = {format_score(result)}"
        else:
            text = f"{text} = {total}"
        out.append((scale.code, text))
    return out


def _cite(source: Source) -> str:
    return source.citation + ("" if source.is_verified else " (unverified)")


def list_assessments(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PatientAssessments:
    """All of a patient's assessments (newest first) with scores and change for readers."""
    action, can_read = _read_action(ctx)
    authorize_patient(
        uow, ctx, patient_id, Kind.QUESTIONNAIRE, action, audit_action="assessment.list"
    )
    result = _patient_assessments(uow, ctx, patient_id, can_read=can_read)
    uow.commit()
    return result


def _patient_assessments(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, can_read: bool
) -> PatientAssessments:
    rows = uow.session.scalars(
        select(Assessment)
        .where(Assessment.patient_id == patient_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    ).all()
    bundle_rows = uow.session.scalars(
        select(AssessmentBundle)
        .where(AssessmentBundle.patient_id == patient_id)
        .order_by(AssessmentBundle.assigned_at.desc(), AssessmentBundle.id.desc())
    ).all()
    codes = {b.id: b.bundle_code for b in bundle_rows}
    corrected = {r.corrects_id: r.id for r in rows if r.corrects_id is not None}
    today = ctx.now().date()
    statuses = [
        _status(
            r,
            registry.get(r.instrument_code),
            today,
            codes.get(r.bundle_id) if r.bundle_id else None,
            corrected.get(r.id),
        )
        for r in rows
    ]
    scores: dict[int, ScoreView] = {}
    changes: list[ChangeView] = []
    if can_read:
        for r in rows:
            score = _score_view(r)
            if score is not None:
                scores[r.id] = score
        changes = _changes([r for r in rows if r.id not in corrected])
    by_bundle: dict[int, list[int]] = {}
    for r in reversed(rows):
        if r.bundle_id is not None:
            by_bundle.setdefault(r.bundle_id, []).append(r.id)
    bundle_views = [
        BundleView(
            b.id,
            b.bundle_code,
            b.collection_point,
            b.due_on,
            b.assigned_at,
            b.completed_at,
            by_bundle.get(b.id, []),
        )
        for b in bundle_rows
    ]
    return PatientAssessments(
        patient_id=patient_id,
        can_read_scores=can_read,
        can_assign=role_may(ctx.actor.role, Kind.TASK, Action.WRITE),
        assessments=statuses,
        scores=scores,
        changes=changes,
        bundles=bundle_views,
    )


PEG_PAIN_ITEM = "peg-1"


def _changes(rows: Sequence[Assessment]) -> list[ChangeView]:
    """Baseline (first completed) vs latest completed, per instrument, re-scored from answers."""
    done: dict[str, list[Assessment]] = {}
    for r in sorted(
        (r for r in rows if r.state == State.COMPLETED and r.completed_at is not None),
        key=lambda r: (r.completed_at, r.id),
    ):
        done.setdefault(r.instrument_code, []).append(r)
    views = []
    for code, series in done.items():
        if len(series) < 2:
            continue
        first, last = series[0], series[-1]
        spec = registry.get(code)
        before = _rescore(first)
        after = _rescore(last)
        scale = TOTAL if spec.total is not None else spec.subscales[0].code
        try:
            change = change_rules.compare(code, before, after, scale=scale)
        except DomainError:
            continue  # PGIC and other categorical ratings are not compared with a baseline
        immpact, basis = _immpact(code, change, first, last)
        mcid = change.mcid
        mcid_text = None
        if mcid is not None:
            parts = []
            if mcid.points is not None:
                parts.append(f"{format_score(mcid.points)} points")
            if mcid.percent is not None:
                parts.append(f"{format_score(mcid.percent)}%")
            mcid_text = " or ".join(parts)
        assert first.completed_at is not None and last.completed_at is not None
        views.append(
            ChangeView(
                instrument_code=code,
                title=spec.title,
                scale=scale,
                baseline_id=first.id,
                baseline_on=first.completed_at.date(),
                baseline=change.baseline,
                current_id=last.id,
                current_on=last.completed_at.date(),
                current=change.current,
                change=change.change,
                improvement_percent=change.improvement_percent,
                direction=change.direction.value,
                is_mcid_improvement=change.is_mcid_improvement,
                is_mcid_worsening=change.is_mcid_worsening,
                mcid_text=mcid_text,
                mcid_source=None if mcid is None else mcid.source,
                immpact=immpact,
                immpact_basis=basis,
                immpact_source=change_rules.IMMPACT_PAIN_SOURCE if immpact else None,
            )
        )
    return sorted(views, key=lambda v: v.instrument_code)


def _rescore(row: Assessment) -> ScoreResult:
    return registry.score(row.instrument_code, {a.link_id: a.value for a in row.answers})


def _immpact(
    code: str, change: change_rules.Change, first: Assessment, last: Assessment
) -> tuple[str | None, str | None]:
    if change.pain_response is not None:
        return change.pain_response.value, f"{code} total"
    if code == "peg":
        # PEG item 1 is average pain intensity on 0-10 (Krebs 2009), so the IMMPACT
        # pain-intensity rule (Dworkin 2008) is applied to that item, not to the PEG mean.
        before = {a.link_id: a.value for a in first.answers}.get(PEG_PAIN_ITEM)
        after = {a.link_id: a.value for a in last.answers}.get(PEG_PAIN_ITEM)
        if before is not None and after is not None and before > 0:
            level = change_rules.pain_response(Decimal(before), Decimal(after))
            return level.value, f"PEG pain item ({before} → {after})"
    return None, None


# --- overview card ------------------------------------------------------------------------------

SUMMARY_CODES = ("peg", "nrs-pain", "dn4-interview", "dn4", "s-lanss", "phq-9", "gad-7")


def summary_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    """Short lines for the patient overview card; None when the viewer may see nothing."""
    if not role_may(ctx.actor.role, Kind.QUESTIONNAIRE, Action.READ_STATUS):
        return None
    data = list_assessments(uow, ctx, patient_id)
    lines: list[str] = []
    latest: dict[str, StatusView] = {}
    for status in data.completed:
        if status.corrected_by_id is None:
            latest.setdefault(status.instrument_code, status)
    if data.can_read_scores:
        changes = {c.instrument_code: c for c in data.changes}
        for code in SUMMARY_CODES:
            shown = latest.get(code)
            if shown is None:
                continue
            score = data.scores[shown.id]
            text = f"{_short(code)} {format_score(score.total)}"
            if score.band:
                text += f" ({score.band.replace('-', ' ')})"
            if code in changes:
                c = changes[code]
                text += f", baseline {format_score(c.baseline)}"
                if c.is_mcid_improvement:
                    text += ", MCID reached"
            if score.is_urgent and ctx.actor.role is not Role.PATIENT:
                text += ", URGENT safety item"
            lines.append(text)
    due = [a for a in data.open if a.due_on is not None and a.due_on <= ctx.now().date()]
    overdue = [a for a in due if a.is_overdue]
    if data.open:
        word = "questionnaire" if len(data.open) == 1 else "questionnaires"
        line = f"{len(data.open)} {word} open"
        if due:
            line += f", {len(due)} due"
        if overdue:
            line += f" ({len(overdue)} overdue)"
        lines.append(line)
    if not data.can_read_scores and data.completed:
        lines.append(f"{len(data.completed)} completed")
    return lines


def _short(code: str) -> str:
    return code.upper().replace("-INTERVIEW", " interview")


def instrument_choices() -> list[tuple[str, str]]:
    return [(code, spec.title) for code, spec in registry.INSTRUMENTS.items()]


def bundle_choices() -> list[tuple[str, str]]:
    return [(b.code, b.collection_point.value) for b in bundle_defs.BUNDLES]


# --- coordinator worklist -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueLine:
    """One patient's open questionnaires of one bundle (or one loose questionnaire)."""

    patient_id: int
    patient_name: str
    bundle_code: str | None
    due_on: date | None
    is_overdue: bool
    open_count: int
    total_count: int
    in_progress: int
    assessment_ids: list[int]
    bundle_id: int | None = None


def list_due(
    uow: UnitOfWork, ctx: RequestContext, *, overdue_only: bool = False, days_ahead: int = 7
) -> list[DueLine]:
    """Open questionnaires across the viewer's care teams, due within `days_ahead` (status only)."""
    if ctx.actor.role is Role.PATIENT or not role_may(
        ctx.actor.role, Kind.QUESTIONNAIRE, Action.READ_STATUS
    ):
        raise PermissionDenied(f"{ctx.actor.role} has no questionnaire worklist")
    today = ctx.now().date()
    horizon = today if overdue_only else date.fromordinal(today.toordinal() + days_ahead)
    query = (
        select(Assessment, Patient.given_name, Patient.family_name)
        .join(Patient, Patient.id == Assessment.patient_id)
        .where(
            Patient.care_team_id.in_(ctx.actor.team_ids or {-1}),
            Assessment.state != State.COMPLETED,
            Assessment.due_on.is_not(None),
            Assessment.due_on < horizon if overdue_only else Assessment.due_on <= horizon,
        )
        .order_by(Assessment.due_on, Patient.family_name, Assessment.id)
    )
    groups: dict[tuple[int, int | None, int | None], list[Assessment]] = {}
    names: dict[int, str] = {}
    for row, given, family in uow.session.execute(query).all():
        key = (row.patient_id, row.bundle_id, None if row.bundle_id else row.id)
        groups.setdefault(key, []).append(row)
        names[row.patient_id] = f"{given} {family}"
    bundle_ids = {k[1] for k in groups if k[1] is not None}
    bundle_rows = {
        b.id: b
        for b in uow.session.scalars(
            select(AssessmentBundle).where(AssessmentBundle.id.in_(bundle_ids or {-1}))
        )
    }
    totals: dict[int | None, int] = {}
    for bundle_id, count in uow.session.execute(
        select(Assessment.bundle_id, func.count())
        .where(Assessment.bundle_id.in_(bundle_ids or {-1}))
        .group_by(Assessment.bundle_id)
    ).all():
        totals[bundle_id] = count
    lines = []
    for (patient_id, bundle_id, _), rows in groups.items():
        due_on = min(r.due_on for r in rows if r.due_on is not None)
        bundle = bundle_rows.get(bundle_id) if bundle_id else None
        lines.append(
            DueLine(
                patient_id=patient_id,
                patient_name=names[patient_id],
                bundle_code=bundle.bundle_code if bundle else None,
                due_on=due_on,
                is_overdue=due_on < today,
                open_count=len(rows),
                total_count=totals.get(bundle_id, len(rows)) if bundle_id else len(rows),
                in_progress=sum(1 for r in rows if r.state == State.IN_PROGRESS),
                assessment_ids=[r.id for r in rows],
                bundle_id=bundle_id,
            )
        )
    audit.append(
        uow.session,
        ctx,
        action="assessment.worklist",
        resource=Kind.QUESTIONNAIRE,
        detail="patients=" + ",".join(sorted({str(line.patient_id) for line in lines})),
    )
    uow.commit()
    return lines


# --- score series for charts --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    assessment_id: int
    on: date
    value: Decimal


@dataclass(frozen=True, slots=True)
class Series:
    """Completed (non-superseded) results of one instrument in time order, with its scale range."""

    instrument_code: str
    title: str
    low: Decimal
    high: Decimal
    points: list[SeriesPoint]
    mcid_target: Decimal | None  # baseline improved by the MCID points, where one is declared
    is_higher_better: bool


def score_series(data: PatientAssessments) -> list[Series]:
    """Per-instrument series of total scores for the clinician's charts (readers only)."""
    by_code: dict[str, list[SeriesPoint]] = {}
    for status in sorted(data.completed, key=lambda s: (s.completed_at, s.id)):
        score = data.scores.get(status.id)
        if status.corrected_by_id is not None or score is None or score.total is None:
            continue
        assert status.completed_at is not None
        by_code.setdefault(status.instrument_code, []).append(
            SeriesPoint(status.id, status.completed_at.date(), score.total)
        )
    out = []
    for code, points in sorted(by_code.items()):
        spec = registry.get(code)
        if spec.total is None or spec.total.aggregation.value == "category":
            continue
        items = [i for i in spec.items if i.link_id in spec.total.link_ids]
        if spec.total.aggregation.value == "mean":
            low = Decimal(min(i.min_value for i in items))
            high = Decimal(max(i.max_value for i in items))
        else:
            low = Decimal(sum(i.min_value for i in items))
            high = Decimal(sum(i.max_value for i in items))
        mcid = spec.mcid()
        better = spec.direction.value == "higher-is-better"
        target = None
        if mcid is not None and mcid.points is not None:
            base = points[0].value
            target = base + mcid.points if better else base - mcid.points
            target = min(max(target, low), high)
        out.append(Series(code, spec.title, low, high, points, target, better))
    return out
