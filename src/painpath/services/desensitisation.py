"""Sensory and motor retraining use cases: desensitisation for allodynia (patient-rated stimuli,
current stimulus and zone edge -> inside, session log, the core's progression decision), sensory
discrimination stage, and graded motor imagery stage tracking (laterality -> imagined movements ->
mirror therapy) using the rehab GMI laterality tests and session pain rise.

Decisions come from painpath.clinical.rehab.desensitisation and .gmi; this module stores inputs,
shows the decision with its rule and source, and applies what the physiotherapist chooses.

Access: the physiotherapist writes (Kind.REHAB WRITE); everyone on the team reads (REHAB READ).
The patient logs her own desensitisation and GMI sessions under her own-record READ scope plus an
explicit own-record check (as services/rehab.py does for session logs), audited as a write. A GMI
stage change (advance / hold / step back) needs a reason and is audited with the core's advice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from painpath.clinical.errors import DomainError
from painpath.clinical.rehab.desensitisation import (
    DesensitisationAction,
    DesensitisationSession,
    SensorySession,
    SensoryStage,
    Zone,
    build_desensitisation_hierarchy,
    decide_desensitisation_step,
    decide_sensory_stage,
    default_stimuli,
    starting_stimulus,
)
from painpath.clinical.rehab.gmi import (
    GmiAction,
    GmiStage,
    LateralityScore,
    LateralityTrial,
    Side,
    decide_gmi_stage,
    score_laterality,
)
from painpath.clinical.rehab.rules import default_rules
from painpath.records.enums import Role
from painpath.records.models import Patient
from painpath.records.models_exposure import (
    DesensitisationPlan,
    DesensitisationSessionRecord,
    GmiSessionRecord,
    GmiStageChange,
    SensorySessionRecord,
)
from painpath.records.models_rehab import RehabGmiTest
from painpath.security.policy import Action, Kind
from painpath.services import audit
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, PermissionDenied
from painpath.services.exposure import RuleView, rule_views, user_name
from painpath.services.uow import UnitOfWork

DESENS_SOURCE = (
    "Yerxa EJ et al. 1983, Am J Occup Ther 37:176-181 (desensitisation hierarchy, unverified); "
    "Lundborg G & Rosen B 2007, J Hand Surg Eur 32:76-83 (sensory re-education, unverified); "
    "thresholds from clinical/rehab/data/rules.toml [desensitisation] and [sensory]"
)
GMI_SOURCE = (
    "Moseley GL 2004, Pain 108:192-198; Moseley GL 2006, Neurology 67:2129-2134 (GMI stages); "
    "thresholds from clinical/rehab/data/rules.toml [gmi]"
)
STAGE_LABELS = {
    GmiStage.LATERALITY: "1. Left/right judgement",
    GmiStage.IMAGINED_MOVEMENTS: "2. Imagined movements",
    GmiStage.MIRROR_THERAPY: "3. Mirror therapy",
    GmiStage.COMPLETE: "Complete",
}
STAGE_PLAIN = {
    GmiStage.LATERALITY: "Step 1: look at pictures of hands and say quickly if each is a left or "
    "a right hand.",
    GmiStage.IMAGINED_MOVEMENTS: "Step 2: picture moving your hand without moving it.",
    GmiStage.MIRROR_THERAPY: "Step 3: move your good hand while watching it in the mirror.",
    GmiStage.COMPLETE: "You have finished all three steps.",
}
SENSORY_LABELS = {
    SensoryStage.LOCALISATION_WITH_VISION: "Localise touch, eyes open",
    SensoryStage.LOCALISATION_WITHOUT_VISION: "Localise touch, eyes closed",
    SensoryStage.TWO_POINT: "Two-point discrimination",
    SensoryStage.TEXTURE: "Texture discrimination",
    SensoryStage.SHAPE_OBJECT: "Shape and object recognition",
    SensoryStage.COMPLETE: "Complete",
}
_GMI_ORDER = tuple(GmiStage)
MIN_REASON = 5


def stimulus_label(stimulus_id: str) -> str:
    return stimulus_id.replace("-", " ").capitalize()


# ---------------------------------------------------------------------------- authorisation


def can_edit(role: Role) -> bool:
    return role is not Role.PATIENT and role_may(role, Kind.REHAB, Action.WRITE)


def _authorize_edit(uow: UnitOfWork, ctx: RequestContext, patient_id: int, label: str) -> Patient:
    return authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.WRITE, audit_action=label)


def _authorize_entry(uow: UnitOfWork, ctx: RequestContext, patient_id: int, label: str) -> Patient:
    if ctx.actor.role is Role.PATIENT:
        patient = authorize_patient(
            uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action=label
        )
        if ctx.actor.patient_id != patient.id:  # scope already ensures this; kept explicit
            raise PermissionDenied("patients log only their own sessions")
        return patient
    return _authorize_edit(uow, ctx, patient_id, label)


# ---------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class PlanInput:
    ratings: dict[str, int]  # stimulus id -> discomfort 0-10 as the patient rated it
    current_stimulus_id: str | None = None  # default: most provoking still tolerable
    zone: Zone = Zone.EDGE


@dataclass(frozen=True, slots=True)
class SessionInput:
    stimulus_id: str
    zone: Zone
    performed_on: date
    duration_s: int
    discomfort_nrs: int


@dataclass(frozen=True, slots=True)
class SensoryInput:
    stage: SensoryStage
    performed_on: date
    trials: int
    correct: int


@dataclass(frozen=True, slots=True)
class GmiSessionInput:
    performed_on: date
    minutes: int
    pain_before_nrs: int
    pain_after_nrs: int


# ----------------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class StimulusView:
    stimulus_id: str
    label: str
    discomfort_nrs: int
    rung: int
    is_current: bool


@dataclass(frozen=True, slots=True)
class SessionView:
    stimulus_label: str
    zone: str
    performed_on: date
    duration_s: int
    discomfort_nrs: int
    recorded_by: str


@dataclass(frozen=True, slots=True)
class DesensDecisionView:
    action: DesensitisationAction
    stimulus_id: str | None
    stimulus_label: str
    zone: str
    reason: str
    is_change: bool


@dataclass(frozen=True, slots=True)
class SensoryView:
    stage: SensoryStage
    label: str
    is_advance: bool
    next_label: str
    reason: str
    sessions: tuple[tuple[date, int, int, Decimal], ...]  # on, trials, correct, accuracy %


@dataclass(frozen=True, slots=True)
class DesensitisationView:
    patient_id: int
    today: date
    ladder: tuple[StimulusView, ...]
    current: StimulusView | None
    zone: Zone
    decision: DesensDecisionView | None
    sessions: tuple[SessionView, ...]  # newest first
    sensory: SensoryView
    rules: tuple[RuleView, ...]
    source: str
    can_edit: bool
    can_log: bool


@dataclass(frozen=True, slots=True)
class StageChangeView:
    stage_label: str
    started_on: date
    action: str
    core_action: str
    reason: str
    decided_by: str


@dataclass(frozen=True, slots=True)
class GmiView:
    patient_id: int
    today: date
    stage: GmiStage | None  # None: not started
    stage_label: str
    plain: str
    started_on: date | None
    days_in_stage: int
    laterality: LateralityScore | None
    laterality_on: date | None
    pain_rises: tuple[int, ...]
    core_action: GmiAction | None
    core_stage_label: str
    core_reasons: tuple[str, ...]
    history: tuple[StageChangeView, ...]  # newest first
    rules: tuple[RuleView, ...]
    source: str
    can_edit: bool
    can_log: bool


# ------------------------------------------------------------------------- desensitisation


def _plan(uow: UnitOfWork, patient_id: int) -> DesensitisationPlan | None:
    return uow.session.scalar(
        select(DesensitisationPlan).where(DesensitisationPlan.patient_id == patient_id)
    )


def _desens_rows(uow: UnitOfWork, patient_id: int) -> Sequence[DesensitisationSessionRecord]:
    return uow.session.scalars(
        select(DesensitisationSessionRecord)
        .where(DesensitisationSessionRecord.patient_id == patient_id)
        .order_by(DesensitisationSessionRecord.performed_on, DesensitisationSessionRecord.id)
    ).all()


def _sensory_rows(uow: UnitOfWork, patient_id: int) -> Sequence[SensorySessionRecord]:
    return uow.session.scalars(
        select(SensorySessionRecord)
        .where(SensorySessionRecord.patient_id == patient_id)
        .order_by(SensorySessionRecord.performed_on, SensorySessionRecord.id)
    ).all()


def desens_decision(
    plan: DesensitisationPlan, rows: Sequence[DesensitisationSessionRecord]
) -> DesensDecisionView | None:
    """decide_desensitisation_step for the plan's stimulus and zone, from the stored sessions."""
    if plan.current_stimulus_id is None:
        return None
    hierarchy = build_desensitisation_hierarchy({k: int(v) for k, v in plan.ratings.items()})
    sessions = [
        DesensitisationSession(
            r.stimulus_id, Zone(r.zone), r.performed_on, r.duration_s, r.discomfort_nrs
        )
        for r in rows
    ]
    d = decide_desensitisation_step(hierarchy, plan.current_stimulus_id, Zone(plan.zone), sessions)
    return DesensDecisionView(
        d.action,
        d.stimulus_id,
        stimulus_label(d.stimulus_id) if d.stimulus_id else "",
        d.zone.value if d.zone else "",
        d.reason,
        d.action is not DesensitisationAction.REPEAT,
    )


def _sensory_view(plan: DesensitisationPlan, rows: Sequence[SensorySessionRecord]) -> SensoryView:
    stage = SensoryStage(plan.sensory_stage)
    sessions = [
        SensorySession(SensoryStage(r.stage), r.performed_on, r.trials, r.correct) for r in rows
    ]
    d = decide_sensory_stage(stage, sessions)
    own = [s for s in sessions if s.stage is stage][-5:]
    return SensoryView(
        stage,
        SENSORY_LABELS[stage],
        d.is_advance,
        SENSORY_LABELS[d.stage] if d.is_advance else "",
        d.reason,
        tuple((s.on, s.trials, s.correct, s.accuracy_pct) for s in reversed(own)),
    )


def _desens_view(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> DesensitisationView | None:
    plan = _plan(uow, patient_id)
    if plan is None:
        return None
    hierarchy = build_desensitisation_hierarchy({k: int(v) for k, v in plan.ratings.items()})
    ladder = tuple(
        StimulusView(
            i.stimulus_id,
            stimulus_label(i.stimulus_id),
            i.discomfort_nrs,
            n,
            i.stimulus_id == plan.current_stimulus_id,
        )
        for n, i in enumerate(hierarchy.items, start=1)
    )
    rows = _desens_rows(uow, patient_id)
    names: dict[int | None, str] = {}
    sessions = []
    for r in list(reversed(rows))[:20]:
        if r.recorded_by_id not in names:
            names[r.recorded_by_id] = user_name(uow, r.recorded_by_id)
        sessions.append(
            SessionView(
                stimulus_label(r.stimulus_id),
                r.zone,
                r.performed_on,
                r.duration_s,
                r.discomfort_nrs,
                names[r.recorded_by_id],
            )
        )
    d, s = default_rules().desensitisation, default_rules().sensory
    role = ctx.actor.role
    return DesensitisationView(
        patient_id=patient_id,
        today=ctx.now().date(),
        ladder=ladder,
        current=next((x for x in ladder if x.is_current), None),
        zone=Zone(plan.zone),
        decision=desens_decision(plan, rows),
        sessions=tuple(sessions),
        sensory=_sensory_view(plan, _sensory_rows(uow, patient_id)),
        rules=rule_views(
            (
                d.tolerable_max_nrs,
                d.comfortable_max_nrs,
                d.step_back_min_nrs,
                d.target_duration_s,
                d.consecutive_sessions,
                s.accuracy_to_progress_pct,
                s.consecutive_sessions,
            )
        ),
        source=DESENS_SOURCE,
        can_edit=can_edit(role),
        can_log=role is Role.PATIENT or can_edit(role),
    )


def get_desensitisation(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> DesensitisationView | None:
    authorize_patient(
        uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="desensitisation.read"
    )
    view = _desens_view(uow, ctx, patient_id)
    uow.commit()
    return view


def _finish(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> DesensitisationView:
    uow.session.flush()
    view = _desens_view(uow, ctx, patient_id)
    assert view is not None
    uow.commit()
    return view


def save_plan(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: PlanInput
) -> DesensitisationView:
    """Store the patient's stimulus ratings; start at the most provoking still-tolerable one."""
    _authorize_edit(uow, ctx, patient_id, "desensitisation.plan.save")
    known = default_stimuli()
    ratings = dict(data.ratings)
    if not ratings:
        raise InvalidInput("rate at least one stimulus")
    for sid, v in ratings.items():
        if sid not in known:
            raise InvalidInput(f"unknown stimulus {sid}")
        if isinstance(v, bool) or not 0 <= v <= 10:
            raise InvalidInput(f"{stimulus_label(sid)}: rating must be 0 to 10")
    hierarchy = build_desensitisation_hierarchy(ratings)
    current = data.current_stimulus_id
    if current is None:
        start = starting_stimulus(hierarchy)
        current = start.stimulus_id if start else hierarchy.items[0].stimulus_id
    elif current not in ratings:
        raise InvalidInput("the current stimulus must be one the patient rated")
    plan = _plan(uow, patient_id)
    if plan is None:
        plan = DesensitisationPlan(
            patient_id=patient_id, sensory_stage=SensoryStage.LOCALISATION_WITH_VISION.value
        )
        uow.session.add(plan)
    plan.ratings = ratings
    plan.current_stimulus_id = current
    plan.zone = data.zone.value
    plan.updated_by_id = ctx.actor.user_id
    plan.updated_at = ctx.now()
    return _finish(uow, ctx, patient_id)


def log_session(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: SessionInput
) -> DesensitisationView:
    _authorize_entry(uow, ctx, patient_id, "desensitisation.session.create")
    plan = _plan(uow, patient_id)
    if plan is None:
        raise InvalidInput("there is no desensitisation plan yet")
    if data.stimulus_id not in plan.ratings:
        raise InvalidInput("choose a stimulus from the plan")
    if data.performed_on > ctx.now().date():
        raise InvalidInput("the date cannot be in the future")
    if not 0 < data.duration_s <= 3600:
        raise InvalidInput("duration must be 1 second to 60 minutes")
    try:
        DesensitisationSession(
            data.stimulus_id, data.zone, data.performed_on, data.duration_s, data.discomfort_nrs
        )
    except DomainError as exc:
        raise InvalidInput(str(exc)) from exc
    uow.session.add(
        DesensitisationSessionRecord(
            patient_id=patient_id,
            stimulus_id=data.stimulus_id,
            zone=data.zone.value,
            performed_on=data.performed_on,
            duration_s=data.duration_s,
            discomfort_nrs=data.discomfort_nrs,
            recorded_by_id=ctx.actor.user_id,
            created_at=ctx.now(),
        )
    )
    return _finish(uow, ctx, patient_id)


def apply_desens_decision(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int
) -> DesensitisationView:
    """Move to the stimulus and zone the core decided (advance zone, next, step back)."""
    _authorize_edit(uow, ctx, patient_id, "desensitisation.step.apply")
    plan = _plan(uow, patient_id)
    if plan is None:
        raise InvalidInput("there is no desensitisation plan yet")
    d = desens_decision(plan, _desens_rows(uow, patient_id))
    if d is None or not d.is_change:
        raise InvalidInput("the rule says to repeat the current step")
    before = f"{plan.current_stimulus_id}/{plan.zone}"
    plan.current_stimulus_id = d.stimulus_id
    if d.zone:
        plan.zone = d.zone
    plan.updated_by_id = ctx.actor.user_id
    plan.updated_at = ctx.now()
    audit.append(
        uow.session,
        ctx,
        action="desensitisation.step.changed",
        resource=Kind.REHAB,
        patient_id=patient_id,
        resource_id=plan.id,
        detail=f"{before} -> {d.stimulus_id}/{d.zone}: {d.action} ({d.reason})",
    )
    return _finish(uow, ctx, patient_id)


def log_sensory(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: SensoryInput
) -> DesensitisationView:
    _authorize_entry(uow, ctx, patient_id, "sensory.session.create")
    if _plan(uow, patient_id) is None:
        raise InvalidInput("there is no desensitisation plan yet")
    try:
        SensorySession(data.stage, data.performed_on, data.trials, data.correct)
    except DomainError as exc:
        raise InvalidInput(str(exc)) from exc
    if data.trials > 200:
        raise InvalidInput("at most 200 trials in a session")
    uow.session.add(
        SensorySessionRecord(
            patient_id=patient_id,
            stage=data.stage.value,
            performed_on=data.performed_on,
            trials=data.trials,
            correct=data.correct,
            recorded_by_id=ctx.actor.user_id,
            created_at=ctx.now(),
        )
    )
    return _finish(uow, ctx, patient_id)


def advance_sensory(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> DesensitisationView:
    _authorize_edit(uow, ctx, patient_id, "sensory.stage.advance")
    plan = _plan(uow, patient_id)
    if plan is None:
        raise InvalidInput("there is no desensitisation plan yet")
    view = _sensory_view(plan, _sensory_rows(uow, patient_id))
    if not view.is_advance:
        raise InvalidInput(f"not yet: {view.reason}")
    nxt = decide_sensory_stage(
        view.stage,
        [
            SensorySession(SensoryStage(r.stage), r.performed_on, r.trials, r.correct)
            for r in _sensory_rows(uow, patient_id)
        ],
    ).stage
    plan.sensory_stage = nxt.value
    plan.updated_at = ctx.now()
    audit.append(
        uow.session,
        ctx,
        action="sensory.stage.changed",
        resource=Kind.REHAB,
        patient_id=patient_id,
        resource_id=plan.id,
        detail=f"{view.stage} -> {nxt}: {view.reason}",
    )
    return _finish(uow, ctx, patient_id)


# ----------------------------------------------------------------------------------------- GMI


def _stage_rows(uow: UnitOfWork, patient_id: int) -> Sequence[GmiStageChange]:
    return uow.session.scalars(
        select(GmiStageChange)
        .where(GmiStageChange.patient_id == patient_id)
        .order_by(GmiStageChange.created_at, GmiStageChange.id)
    ).all()


def _latest_laterality(uow: UnitOfWork, patient_id: int) -> tuple[LateralityScore, date] | None:
    row = uow.session.scalar(
        select(RehabGmiTest)
        .where(RehabGmiTest.patient_id == patient_id)
        .order_by(RehabGmiTest.taken_at.desc(), RehabGmiTest.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    trials = [
        LateralityTrial(
            Side(str(t["shown"])),
            Side(str(t["answer"])) if t.get("answer") else None,
            int(t["reaction_time_ms"]),
        )
        for t in row.trials
    ]
    return score_laterality(trials, affected_side=Side(row.affected_side)), row.taken_at.date()


def _current_stage(rows: Sequence[GmiStageChange]) -> tuple[GmiStage, date] | None:
    if not rows:
        return None
    last = rows[-1]
    return GmiStage(last.stage), last.started_on


def gmi_decision(
    uow: UnitOfWork, patient_id: int, today: date
) -> tuple[GmiStage, date, tuple[int, ...], GmiAction, GmiStage, tuple[str, ...]] | None:
    """decide_gmi_stage from the current stage, the latest laterality test and this stage's
    session pain rises (after minus before)."""
    current = _current_stage(_stage_rows(uow, patient_id))
    if current is None:
        return None
    stage, started = current
    lat = _latest_laterality(uow, patient_id)
    sessions = uow.session.scalars(
        select(GmiSessionRecord)
        .where(
            GmiSessionRecord.patient_id == patient_id,
            GmiSessionRecord.stage == stage.value,
            GmiSessionRecord.performed_on >= started,
        )
        .order_by(GmiSessionRecord.performed_on, GmiSessionRecord.id)
    ).all()
    rises = tuple(s.pain_after_nrs - s.pain_before_nrs for s in sessions)
    d = decide_gmi_stage(
        stage,
        stage_started_on=started,
        today=max(today, started),
        latest_laterality=lat[0] if lat else None,
        session_pain_rise_nrs=rises,
    )
    return stage, started, rises, d.action, d.stage, d.reasons


def _gmi_view(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> GmiView:
    today = ctx.now().date()
    rows = _stage_rows(uow, patient_id)
    lat = _latest_laterality(uow, patient_id)
    decision = gmi_decision(uow, patient_id, today)
    g = default_rules().gmi
    role = ctx.actor.role
    history = tuple(
        StageChangeView(
            STAGE_LABELS[GmiStage(r.stage)],
            r.started_on,
            r.action,
            r.core_action,
            r.reason,
            user_name(uow, r.decided_by_id),
        )
        for r in reversed(rows)
    )
    rules = rule_views(
        (
            g.min_days_per_stage,
            g.min_trials,
            g.laterality_accuracy_min_pct,
            g.laterality_mean_rt_max_ms,
            g.side_accuracy_gap_max_pct,
            g.side_rt_gap_max_ms,
            g.max_session_pain_rise_nrs,
        )
    )
    common = {
        "patient_id": patient_id,
        "today": today,
        "laterality": lat[0] if lat else None,
        "laterality_on": lat[1] if lat else None,
        "history": history,
        "rules": rules,
        "source": GMI_SOURCE,
        "can_edit": can_edit(role),
    }
    if decision is None:
        return GmiView(
            stage=None,
            stage_label="Not started",
            plain="",
            started_on=None,
            days_in_stage=0,
            pain_rises=(),
            core_action=None,
            core_stage_label="",
            core_reasons=(),
            can_log=False,
            **common,  # type: ignore[arg-type]
        )
    stage, started, rises, action, target, reasons = decision
    return GmiView(
        stage=stage,
        stage_label=STAGE_LABELS[stage],
        plain=STAGE_PLAIN[stage],
        started_on=started,
        days_in_stage=max(0, (today - started).days),
        pain_rises=rises,
        core_action=action,
        core_stage_label=STAGE_LABELS[target],
        core_reasons=reasons,
        can_log=stage is not GmiStage.COMPLETE and (role is Role.PATIENT or can_edit(role)),
        **common,  # type: ignore[arg-type]
    )


def get_gmi(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> GmiView:
    authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="gmi.stage.read")
    view = _gmi_view(uow, ctx, patient_id)
    uow.commit()
    return view


class GmiChoice:
    START = "start"
    ADVANCE = "advance"
    HOLD = "hold"
    STEP_BACK = "step_back"
    ALL = ("start", "advance", "hold", "step_back")


def decide_gmi(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, choice: str, reason: str
) -> GmiView:
    """The physiotherapist starts, advances, holds or steps back the GMI stage with a reason.

    The core's advice (decide_gmi_stage) is stored and audited beside the choice; advancing
    against the advice is allowed (clinical judgement) but the reason must say why.
    """
    _authorize_edit(uow, ctx, patient_id, f"gmi.stage.{choice}")
    if choice not in GmiChoice.ALL:
        raise InvalidInput("choose start, advance, hold or step back")
    if len(reason.strip()) < MIN_REASON:
        raise InvalidInput(f"give a reason of at least {MIN_REASON} characters")
    today = ctx.now().date()
    decision = gmi_decision(uow, patient_id, today)
    if choice == GmiChoice.START:
        if decision is not None:
            raise InvalidInput("GMI has already started")
        stage, started, core = GmiStage.LATERALITY, today, ""
    else:
        if decision is None:
            raise InvalidInput("start GMI first")
        current, current_started, _, action, target, _ = decision
        core = action.value
        idx = _GMI_ORDER.index(current)
        if choice == GmiChoice.HOLD:
            stage, started = current, current_started
        elif choice == GmiChoice.ADVANCE:
            if current is GmiStage.COMPLETE:
                raise InvalidInput("GMI is complete")
            stage, started = _GMI_ORDER[idx + 1], today
        else:
            if action is GmiAction.STEP_BACK:
                stage = target
            elif idx == 0:
                raise InvalidInput("already at the first stage")
            else:
                stage = _GMI_ORDER[idx - 1]
            started = today
    row = GmiStageChange(
        patient_id=patient_id,
        stage=stage.value,
        started_on=started,
        action=choice,
        core_action=core,
        reason=reason.strip()[:2000],
        decided_by_id=ctx.actor.user_id,
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    audit.append(
        uow.session,
        ctx,
        action="gmi.stage.changed",
        resource=Kind.REHAB,
        patient_id=patient_id,
        resource_id=row.id,
        detail=f"{choice} -> {stage} (core advice: {core or 'n/a'}): {row.reason}",
    )
    view = _gmi_view(uow, ctx, patient_id)
    uow.commit()
    return view


def log_gmi_session(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: GmiSessionInput
) -> GmiView:
    """A practice session at the current stage, with pain before and after (0-10)."""
    _authorize_entry(uow, ctx, patient_id, "gmi.session.create")
    current = _current_stage(_stage_rows(uow, patient_id))
    if current is None or current[0] is GmiStage.COMPLETE:
        raise InvalidInput("there is no GMI stage to practise")
    for v, what in ((data.pain_before_nrs, "pain before"), (data.pain_after_nrs, "pain after")):
        if isinstance(v, bool) or not 0 <= v <= 10:
            raise InvalidInput(f"{what} must be 0 to 10")
    if not 0 < data.minutes <= 240:
        raise InvalidInput("minutes must be 1 to 240")
    if data.performed_on > ctx.now().date():
        raise InvalidInput("the date cannot be in the future")
    uow.session.add(
        GmiSessionRecord(
            patient_id=patient_id,
            stage=current[0].value,
            performed_on=data.performed_on,
            minutes=data.minutes,
            pain_before_nrs=data.pain_before_nrs,
            pain_after_nrs=data.pain_after_nrs,
            recorded_by_id=ctx.actor.user_id,
            created_at=ctx.now(),
        )
    )
    uow.session.flush()
    view = _gmi_view(uow, ctx, patient_id)
    uow.commit()
    return view


def summary_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    """Patient-overview card lines (exposure step, desensitisation stimulus, GMI stage)."""
    from painpath.services import exposure

    authorize_patient(uow, ctx, patient_id, Kind.REHAB, Action.READ, audit_action="exposure.card")
    ev = exposure.view_after_authorisation(uow, ctx, patient_id)
    dv = _desens_view(uow, ctx, patient_id)
    gv = _gmi_view(uow, ctx, patient_id)
    uow.commit()
    lines: list[str] = []
    if ev is not None and ev.current is not None:
        d = f" — rule: {ev.decision.action.value.replace('_', ' ')}" if ev.decision else ""
        lines.append(f"Exposure step {ev.current.step}/{len(ev.ladder)}: {ev.current.label}{d}")
    if dv is not None and dv.current is not None:
        lines.append(f"Desensitisation: {dv.current.label} ({dv.zone.value})")
    if gv.stage is not None:
        lines.append(f"GMI: {gv.stage_label}")
    return lines or None
