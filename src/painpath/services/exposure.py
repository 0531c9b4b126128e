"""Graded exposure use cases: the fear hierarchy (patient-rated activities 0-100, linked to the
latest TSK-11 and PCS totals), exposure trials with predicted vs actual fear and pain, and the
core's decision (repeat / move up / complete) with its rule and source.

Clinical numbers come from painpath.clinical.rehab.exposure (Vlaeyen & Linton 2000); this module
stores inputs and applies results. Every use case goes through authorize_patient and commits.

Access: reading is Kind.REHAB READ (care team, coordinator, the patient). policy.py gives the
psychologist only READ on REHAB, but graded exposure is psychologist-led (product.md: Dr Raman's
"graded exposure hierarchy"), so building the hierarchy and moving up a step are authorised as
Kind.CARE_PLAN WRITE (exposure is part of the shared plan) and further limited here to the
physiotherapist and the psychologist. The patient records her own trial ratings under her
own-record REHAB READ scope plus an explicit own-record check (as services/rehab.py does for logs),
audited as a write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from painpath.clinical.errors import DomainError
from painpath.clinical.rehab.exposure import (
    ExposureAction,
    ExposureTrial,
    FearAvoidanceProfile,
    FearHierarchy,
    assess_fear_avoidance,
    build_fear_hierarchy,
    decide_exposure_step,
)
from painpath.clinical.rehab.rules import Threshold, default_rules
from painpath.records.enums import Role
from painpath.records.models import Patient, UserAccount
from painpath.records.models_assessment import Assessment
from painpath.records.models_exposure import ExposureHierarchy, ExposureTrialRecord
from painpath.security.policy import Action, Kind
from painpath.services import audit
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, PermissionDenied
from painpath.services.uow import UnitOfWork

EXPOSURE_SOURCE = (
    "Vlaeyen JWS & Linton SJ 2000, Pain 85:317-332 (graded exposure in vivo; fear hierarchy "
    "0-100); thresholds from clinical/rehab/data/rules.toml [exposure]"
)
EXPOSURE_WRITERS = frozenset({Role.PHYSIOTHERAPIST, Role.PSYCHOLOGIST})
MAX_ACTIVITIES = 20
_SLUG = re.compile(r"[^a-z0-9]+")


# ---------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class ActivityInput:
    label: str
    fear: int  # 0-100, as the patient rated it
    activity_id: str = ""  # derived from the label when empty


@dataclass(frozen=True, slots=True)
class HierarchyInput:
    activities: Sequence[ActivityInput]
    tsk11: int | None = None  # entered only when no completed TSK-11 is on record
    pcs: int | None = None


@dataclass(frozen=True, slots=True)
class TrialInput:
    activity_id: str
    performed_on: date
    predicted_fear: int
    actual_fear: int
    predicted_pain_nrs: int
    actual_pain_nrs: int
    note: str = ""


# ----------------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class RuleView:
    key: str
    value: Decimal
    unit: str
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class ActivityView:
    activity_id: str
    label: str
    fear: int
    step: int | None  # 1-based rung on the hierarchy; None when not feared
    is_current: bool
    trials: int


@dataclass(frozen=True, slots=True)
class TrialView:
    id: int
    activity_id: str
    label: str
    performed_on: date
    predicted_fear: int
    actual_fear: int
    predicted_pain_nrs: int
    actual_pain_nrs: int
    fear_disconfirmation: int  # predicted minus actual (positive: feared outcome over-predicted)
    pain_disconfirmation: int
    note: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class DecisionView:
    action: ExposureAction
    next_activity_id: str | None
    next_label: str
    reason: str
    plain: str  # the patient's wording


@dataclass(frozen=True, slots=True)
class ScoresView:
    tsk11: int | None
    pcs: int | None
    source: str  # where the totals came from (questionnaires or entered)
    profile: FearAvoidanceProfile | None


@dataclass(frozen=True, slots=True)
class ExposureView:
    patient_id: int
    today: date
    ladder: tuple[ActivityView, ...]  # feared activities, least to most feared
    not_feared: tuple[ActivityView, ...]
    current: ActivityView | None
    decision: DecisionView | None
    trials: tuple[TrialView, ...]  # newest first
    scores: ScoresView
    rules: tuple[RuleView, ...]
    source: str
    can_edit: bool
    can_record: bool


# ---------------------------------------------------------------------------- authorisation


def can_edit_exposure(role: Role) -> bool:
    return role in EXPOSURE_WRITERS and role_may(role, Kind.CARE_PLAN, Action.WRITE)


def _authorize_edit(uow: UnitOfWork, ctx: RequestContext, patient_id: int, label: str) -> Patient:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action=label
    )
    if ctx.actor.role not in EXPOSURE_WRITERS:
        raise PermissionDenied("only the physiotherapist or psychologist plans graded exposure")
    return patient


def _authorize_entry(uow: UnitOfWork, ctx: RequestContext, patient_id: int, label: str) -> Patient:
    """Trial ratings: the patient on her own record, or a physio/psychologist on her behalf."""
    if ctx.actor.role is Role.PATIENT:
        patient = authorize_patient(
            uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action=label
        )
        if ctx.actor.patient_id != patient.id:  # scope already ensures this; kept explicit
            raise PermissionDenied("patients record only their own ratings")
        return patient
    return _authorize_edit(uow, ctx, patient_id, label)


# ---------------------------------------------------------------------------------- helpers


def rule_views(thresholds: Sequence[Threshold]) -> tuple[RuleView, ...]:
    return tuple(RuleView(t.key, t.value, t.unit, t.source, t.is_verified) for t in thresholds)


def _exposure_rules() -> tuple[RuleView, ...]:
    r = default_rules().exposure
    return rule_views(
        (
            r.not_feared_max,
            r.consecutive_disconfirmations,
            r.move_up_fear_max,
            r.move_up_fraction_of_initial,
            r.pcs_high_min,
            r.tsk17_high_min,
            r.tsk_mcid_reduction,
        )
    )


def user_name(uow: UnitOfWork, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = uow.session.get(UserAccount, user_id)
    return user.full_name if user else ""


def slug(label: str) -> str:
    return _SLUG.sub("-", label.strip().lower()).strip("-")[:64]


def latest_total(uow: UnitOfWork, patient_id: int, code: str) -> int | None:
    """Total of the latest completed form of `code` that no later form corrects."""
    rows = uow.session.scalars(
        select(Assessment)
        .where(Assessment.patient_id == patient_id, Assessment.state == "completed")
        .order_by(Assessment.completed_at.desc(), Assessment.id.desc())
    ).all()
    corrected = {r.corrects_id for r in rows if r.corrects_id is not None}
    for r in rows:
        if r.instrument_code != code or r.id in corrected or r.total is None:
            continue
        try:
            return int(Decimal(r.total))
        except (InvalidOperation, ValueError):
            return None
    return None


def _scores(uow: UnitOfWork, row: ExposureHierarchy | None, patient_id: int) -> ScoresView:
    """Latest completed TSK-11 and PCS totals; a clinician-entered total fills a missing form."""
    tsk_a, pcs_a = latest_total(uow, patient_id, "tsk-11"), latest_total(uow, patient_id, "pcs")
    tsk = tsk_a if tsk_a is not None else (row.tsk11 if row else None)
    pcs = pcs_a if pcs_a is not None else (row.pcs if row else None)
    if tsk_a is not None and pcs_a is not None:
        source = "latest completed questionnaires"
    elif tsk is None and pcs is None:
        source = "none recorded"
    elif tsk_a is None and pcs_a is None:
        source = "entered by the clinician"
    else:
        source = "questionnaire and entered values"
    profile = None
    if tsk is not None and pcs is not None:
        try:
            profile = assess_fear_avoidance(tsk11=tsk, pcs=pcs)
        except DomainError:
            profile = None
    return ScoresView(tsk, pcs, source, profile)


def _hierarchy(row: ExposureHierarchy) -> FearHierarchy:
    return build_fear_hierarchy({str(a["id"]): int(a["fear"]) for a in row.activities})


def _labels(row: ExposureHierarchy) -> dict[str, str]:
    return {str(a["id"]): str(a["label"]) for a in row.activities}


def _trial_rows(uow: UnitOfWork, patient_id: int) -> Sequence[ExposureTrialRecord]:
    return uow.session.scalars(
        select(ExposureTrialRecord)
        .where(ExposureTrialRecord.patient_id == patient_id)
        .order_by(ExposureTrialRecord.performed_on, ExposureTrialRecord.id)
    ).all()


def _core_trials(rows: Sequence[ExposureTrialRecord], feared: set[str]) -> list[ExposureTrial]:
    return [
        ExposureTrial(
            r.activity_id,
            r.performed_on,
            r.predicted_fear,
            r.actual_fear,
            r.predicted_pain_nrs,
            r.actual_pain_nrs,
        )
        for r in rows
        if r.activity_id in feared
    ]


def _plain(action: ExposureAction, current: str, nxt: str) -> str:
    if action is ExposureAction.MOVE_UP:
        return f"You are ready for the next step: {nxt}. Your team will talk it through with you."
    if action is ExposureAction.COMPLETE:
        return "You have reached the top of your list. Well done."
    return f"Keep practising: {current}. Each try teaches your body it is safe."


def decide(
    row: ExposureHierarchy, rows: Sequence[ExposureTrialRecord]
) -> tuple[FearHierarchy, DecisionView | None]:
    """The core's decision for the current activity, from the stored ratings and trials."""
    hierarchy = _hierarchy(row)
    labels = _labels(row)
    feared = {i.activity_id for i in hierarchy.items}
    current = row.current_activity_id
    if current is None or current not in feared:
        return hierarchy, None
    d = decide_exposure_step(hierarchy, current, _core_trials(rows, feared))
    nxt = labels.get(d.activity_id or "", "") if d.action is ExposureAction.MOVE_UP else ""
    return hierarchy, DecisionView(
        d.action, d.activity_id, nxt, d.reason, _plain(d.action, labels[current], nxt)
    )


def _view(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> ExposureView | None:
    row = uow.session.scalar(
        select(ExposureHierarchy).where(ExposureHierarchy.patient_id == patient_id)
    )
    role = ctx.actor.role
    if row is None:
        return None
    rows = _trial_rows(uow, patient_id)
    hierarchy, decision = decide(row, rows)
    labels = _labels(row)
    counts: dict[str, int] = {}
    for t in rows:
        counts[t.activity_id] = counts.get(t.activity_id, 0) + 1
    ladder = tuple(
        ActivityView(
            i.activity_id,
            labels[i.activity_id],
            i.fear_rating,
            n,
            i.activity_id == row.current_activity_id,
            counts.get(i.activity_id, 0),
        )
        for n, i in enumerate(hierarchy.items, start=1)
    )
    calm = tuple(
        ActivityView(i.activity_id, labels[i.activity_id], i.fear_rating, None, False, 0)
        for i in hierarchy.not_feared
    )
    names: dict[int | None, str] = {}
    trials = []
    for t in reversed(rows):
        if t.recorded_by_id not in names:
            names[t.recorded_by_id] = user_name(uow, t.recorded_by_id)
        trials.append(
            TrialView(
                t.id,
                t.activity_id,
                labels.get(t.activity_id, t.activity_id),
                t.performed_on,
                t.predicted_fear,
                t.actual_fear,
                t.predicted_pain_nrs,
                t.actual_pain_nrs,
                t.predicted_fear - t.actual_fear,
                t.predicted_pain_nrs - t.actual_pain_nrs,
                t.note,
                names[t.recorded_by_id],
            )
        )
    return ExposureView(
        patient_id=patient_id,
        today=ctx.now().date(),
        ladder=ladder,
        not_feared=calm,
        current=next((a for a in ladder if a.is_current), None),
        decision=decision,
        trials=tuple(trials),
        scores=_scores(uow, row, patient_id),
        rules=_exposure_rules(),
        source=EXPOSURE_SOURCE,
        can_edit=can_edit_exposure(role),
        can_record=role is Role.PATIENT or can_edit_exposure(role),
    )


def view_after_authorisation(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> ExposureView | None:
    """The exposure view for a caller that has already authorised REHAB READ (overview card)."""
    return _view(uow, ctx, patient_id)


# ------------------------------------------------------------------------------- use cases


def get_exposure(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> ExposureView | None:
    authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="exposure.read")
    view = _view(uow, ctx, patient_id)
    uow.commit()
    return view


def linked_scores(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> ScoresView:
    """Latest TSK-11/PCS totals on record (for the hierarchy form before one exists)."""
    authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="exposure.scores")
    row = uow.session.scalar(
        select(ExposureHierarchy).where(ExposureHierarchy.patient_id == patient_id)
    )
    view = _scores(uow, row, patient_id)
    uow.commit()
    return view


def save_hierarchy(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: HierarchyInput
) -> ExposureView:
    """Store the patient's rated activities; the current step stays if still feared, else the
    least-feared feared activity (low-moderate start, Vlaeyen & Linton 2000)."""
    _authorize_edit(uow, ctx, patient_id, "exposure.hierarchy.save")
    acts = [a for a in data.activities if a.label.strip()]
    if not 1 <= len(acts) <= MAX_ACTIVITIES:
        raise InvalidInput(f"rate 1 to {MAX_ACTIVITIES} activities")
    stored: list[dict[str, object]] = []
    seen: set[str] = set()
    for a in acts:
        label = a.label.strip()[:200]
        key = slug(a.activity_id or label)
        if not key:
            raise InvalidInput(f"{label}: give the activity a name with letters or numbers")
        if key in seen:
            raise InvalidInput(f"{label} is listed twice")
        if isinstance(a.fear, bool) or not 0 <= a.fear <= 100:
            raise InvalidInput(f"{label}: fear rating must be 0 to 100")
        seen.add(key)
        stored.append({"id": key, "label": label, "fear": a.fear})
    for value, what, high in ((data.tsk11, "TSK-11", (11, 44)), (data.pcs, "PCS", (0, 52))):
        if value is not None and not high[0] <= value <= high[1]:
            raise InvalidInput(f"{what} total must be {high[0]} to {high[1]}")
    row = uow.session.scalar(
        select(ExposureHierarchy).where(ExposureHierarchy.patient_id == patient_id)
    )
    now = ctx.now()
    if row is None:
        row = ExposureHierarchy(patient_id=patient_id, activities=[], scores_source="assessment")
        uow.session.add(row)
    row.activities = stored
    row.tsk11, row.pcs = data.tsk11, data.pcs
    row.scores_source = (
        "entered" if data.tsk11 is not None or data.pcs is not None else "assessment"
    )
    hierarchy = build_fear_hierarchy({str(a["id"]): int(str(a["fear"])) for a in stored})
    feared = [i.activity_id for i in hierarchy.items]
    if row.current_activity_id not in feared:
        row.current_activity_id = feared[0] if feared else None
    row.updated_by_id = ctx.actor.user_id
    row.updated_at = now
    uow.session.flush()
    view = _view(uow, ctx, patient_id)
    assert view is not None
    uow.commit()
    return view


def record_trial(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: TrialInput
) -> ExposureView:
    """Store one exposure trial (predicted and actual ratings) for an activity on the ladder."""
    _authorize_entry(uow, ctx, patient_id, "exposure.trial.create")
    row = uow.session.scalar(
        select(ExposureHierarchy).where(ExposureHierarchy.patient_id == patient_id)
    )
    if row is None:
        raise InvalidInput("there is no fear hierarchy yet")
    feared = {i.activity_id for i in _hierarchy(row).items}
    if data.activity_id not in feared:
        raise InvalidInput("choose an activity from the hierarchy")
    if data.performed_on > ctx.now().date():
        raise InvalidInput("the date cannot be in the future")
    try:
        ExposureTrial(
            data.activity_id,
            data.performed_on,
            data.predicted_fear,
            data.actual_fear,
            data.predicted_pain_nrs,
            data.actual_pain_nrs,
        )
    except DomainError as exc:
        raise InvalidInput(str(exc)) from exc
    uow.session.add(
        ExposureTrialRecord(
            patient_id=patient_id,
            activity_id=data.activity_id,
            performed_on=data.performed_on,
            predicted_fear=data.predicted_fear,
            actual_fear=data.actual_fear,
            predicted_pain_nrs=data.predicted_pain_nrs,
            actual_pain_nrs=data.actual_pain_nrs,
            note=data.note.strip()[:2000],
            recorded_by_id=ctx.actor.user_id,
            created_at=ctx.now(),
        )
    )
    uow.session.flush()
    view = _view(uow, ctx, patient_id)
    assert view is not None
    uow.commit()
    return view


def apply_decision(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, reason: str = ""
) -> ExposureView:
    """Move up the hierarchy when the core says so (audited with its reason)."""
    _authorize_edit(uow, ctx, patient_id, "exposure.step.move-up")
    row = uow.session.scalar(
        select(ExposureHierarchy).where(ExposureHierarchy.patient_id == patient_id)
    )
    if row is None:
        raise InvalidInput("there is no fear hierarchy yet")
    _, decision = decide(row, _trial_rows(uow, patient_id))
    if decision is None or decision.action is not ExposureAction.MOVE_UP:
        raise InvalidInput("the rule does not support moving up yet")
    previous = row.current_activity_id
    row.current_activity_id = decision.next_activity_id
    row.updated_by_id = ctx.actor.user_id
    row.updated_at = ctx.now()
    audit.append(
        uow.session,
        ctx,
        action="exposure.step.moved",
        resource=Kind.CARE_PLAN,
        patient_id=patient_id,
        resource_id=row.id,
        detail=f"{previous} -> {decision.next_activity_id}: {decision.reason}; {reason.strip()}",
    )
    uow.session.flush()
    view = _view(uow, ctx, patient_id)
    assert view is not None
    uow.commit()
    return view
