"""The shared care plan: one plan per patient that every discipline and the patient see.

Every change raises the plan version and stores who changed what and why (a reason is required).
GAS T-scores, SMART checks, milestone status, decision-point outcomes and the stepped-care
recommendation are computed by painpath.clinical from what is stored, never stored themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from sqlalchemy import select

from painpath.clinical.errors import DomainError
from painpath.clinical.goals import (
    DecisionPoint,
    DecisionRule,
    DecisionStatus,
    GasGoal,
    GasLevel,
    Horizon,
    InvalidTarget,
    Milestone,
    MilestoneStatus,
    Observation,
    OutcomeTarget,
    SmartGoal,
    TargetKind,
    check_smart,
    evaluate_decision_point,
    is_target_met,
    load_decision_rules,
    milestone_status,
    parse_target,
    score_gas,
)
from painpath.clinical.instruments.registry import INSTRUMENTS
from painpath.clinical.stepped_care import (
    PATHWAY,
    RoutingDecision,
    Step,
    load_routing_rules,
    route,
)
from painpath.records.enums import Role
from painpath.records.models import Patient, UserAccount
from painpath.records.models_careplan import (
    CarePlan,
    CarePlanChange,
    CarePlanComment,
    CarePlanDecisionPoint,
    CarePlanGoal,
    CarePlanIntervention,
    CarePlanMilestone,
    OutcomeObservation,
)
from painpath.security.policy import Action, Kind
from painpath.services import audit, workflow
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork

PROBLEM_DOMAINS: Final = ("pain", "mood", "sleep", "function", "work")
DISCIPLINES: Final = ("medicine", "physiotherapy", "psychology", "pharmacy", "coordination")
GOAL_STATES: Final = ("active", "achieved", "dropped")
MIN_REASON_CHARS: Final = 3
MAX_PRIORITIES: Final = 10

DECISION_RULES: Final[Mapping[str, DecisionRule]] = load_decision_rules()
ROUTING_RULES: Final = load_routing_rules()
STEP_TITLES: Final = {p.step: p.contents for p in PATHWAY}

# Plain-language wording for the patient view (reading age about 11: short words, short sentences).
PLAIN_INSTRUMENT: Final = {
    "peg": "your pain score (how bad the pain is and how much it gets in the way)",
    "nrs-pain": "your pain score",
    "psfs": "your score for doing the activities that matter to you",
    "pgic": "how much better you feel overall",
    "bpi-sf": "how much pain gets in the way of daily life",
    "bpi-sf.interference": "how much pain gets in the way of daily life",
    "phq-9": "your mood score",
    "gad-7": "your worry score",
    "isi": "your sleep score",
    "pcs": "how much your mind gets stuck on the pain",
    "pseq": "how sure you feel doing things despite the pain",
    "tsk-11": "how worried you are that moving will hurt you",
}
TEN_POINT_SCALES: Final = frozenset({"peg", "nrs-pain", "psfs"})
PLAIN_RULE: Final = {
    "peg-mcid-week-8": "We will check if your pain score has got better. If it has not, "
    "we will talk with you about changing your medicine or your therapy.",
    "medication-trial-non-response": "We will check if the medicine has helped enough. "
    "If not, we will talk about trying a different one.",
    "rehab-bpi-interference-week-6": "We will check if pain gets in the way of your day less "
    "than before. If not, the whole team will look at your plan again.",
    "rehab-psfs-week-6": "We will check if the activities that matter to you have got easier. "
    "If not, the whole team will look at your plan again.",
}
PLAIN_DISCIPLINE: Final = {
    "medicine": "Medicines and check-ups (doctor)",
    "physiotherapy": "Exercise and movement (physiotherapist)",
    "psychology": "Coping, mood and sleep (psychologist)",
    "pharmacy": "Medicine safety (pharmacist)",
    "coordination": "Appointments and support (care coordinator)",
}
ROLE_DISCIPLINE: Final = {
    Role.PHYSICIAN: "medicine",
    Role.PHYSIOTHERAPIST: "physiotherapy",
    Role.PSYCHOLOGIST: "psychology",
    Role.PHARMACIST: "pharmacy",
    Role.COORDINATOR: "coordination",
}

# Other capabilities (e.g. scored questionnaires) may add observation sources here on import.
ObservationSource = Callable[[UnitOfWork, int], Iterable[Observation]]
OBSERVATION_SOURCES: list[ObservationSource] = []


# ---------------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class MilestoneView:
    id: int
    description: str
    due_on: date
    target_text: str
    met_on: date | None
    status: str  # MilestoneStatus value, or "met" when marked by hand


@dataclass(frozen=True, slots=True)
class GoalView:
    id: int
    statement: str
    plain_text: str
    horizon: str
    specific_activity: str
    target_text: str
    target_item_link_id: str | None
    is_agreed_achievable: bool
    patient_priority: str
    start_on: date | None
    due_on: date | None
    parent_goal_id: int | None
    gas_levels: tuple[tuple[int, str], ...]  # (-2 .. +2, description)
    weight: int
    baseline_level: int
    attained_level: int | None
    rated_on: date | None
    state: str
    smart_missing: tuple[str, ...]
    smart_problems: tuple[str, ...]
    baseline_value: Decimal | None
    latest_value: Decimal | None
    is_target_met: bool | None
    milestones: tuple[MilestoneView, ...]

    @property
    def is_smart(self) -> bool:
        return not self.smart_missing and not self.smart_problems


@dataclass(frozen=True, slots=True)
class InterventionView:
    id: int
    discipline: str
    title: str
    detail: str
    plain_text: str
    state: str


@dataclass(frozen=True, slots=True)
class DecisionPointView:
    id: int
    rule_code: str
    rule_title: str
    rule_source: str
    is_rule_verified: bool
    plain_text: str
    due_on: date
    baseline_on: date | None
    note: str
    owner_role: str
    state: str
    status: str | None
    is_due: bool
    outcome: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChangeView:
    version: int
    author_name: str
    author_role: str
    what: str
    reason: str
    changed_at: datetime
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CommentView:
    id: int
    plan_version: int
    author_name: str
    is_patient: bool
    is_agreement: bool
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class GasView:
    baseline_t_score: Decimal
    t_score: Decimal | None
    unrated: tuple[str, ...]
    goal_count: int
    rho: Decimal

    @property
    def display(self) -> str:
        if self.t_score is None:
            return f"not all goals rated (baseline T {self.baseline_t_score:.1f})"
        return f"{self.t_score:.1f}"


@dataclass(frozen=True, slots=True)
class RoutingView:
    current_step: str | None
    recommended_step: str
    recommended_contents: str
    is_step_up: bool
    rule_code: str
    rule_version: int
    rule_title: str
    action_code: str
    source: str
    is_verified: bool
    facts_used: tuple[tuple[str, Decimal], ...]
    fired: tuple[str, ...]
    missing_facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ObservationView:
    instrument_code: str
    observed_on: date
    value: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class CarePlanView:
    id: int
    patient_id: int
    patient_name: str
    version: int
    summary: str
    problems: tuple[tuple[str, str], ...]
    priorities: tuple[str, ...]
    current_step: str | None
    agreed_version: int | None
    agreed_at: datetime | None
    updated_at: datetime
    goals: tuple[GoalView, ...]
    interventions: tuple[InterventionView, ...]
    decision_points: tuple[DecisionPointView, ...]
    gas: GasView | None
    routing: RoutingView | None
    history: tuple[ChangeView, ...]
    comments: tuple[CommentView, ...]
    observations: tuple[ObservationView, ...] = field(default=())
    timezone: str = "UTC"  # the patient's, for times shown to the patient

    @property
    def is_agreed(self) -> bool:
        return self.agreed_version == self.version

    @property
    def next_decision_point(self) -> DecisionPointView | None:
        pending = [d for d in self.decision_points if d.state == "scheduled"]
        return min(pending, key=lambda d: d.due_on) if pending else None

    @property
    def active_goals(self) -> tuple[GoalView, ...]:
        return tuple(g for g in self.goals if g.state != "dropped")


@dataclass(frozen=True, slots=True)
class GoalInput:
    statement: str
    horizon: Horizon
    plain_text: str = ""
    specific_activity: str = ""
    target_text: str = ""
    target_item_link_id: str | None = None
    is_agreed_achievable: bool = False
    patient_priority: str = ""
    start_on: date | None = None
    due_on: date | None = None
    parent_goal_id: int | None = None
    gas_levels: Mapping[int, str] = field(default_factory=dict)
    weight: int = 1
    baseline_level: int = int(GasLevel.SOMEWHAT_LESS)


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    decision_point_id: int
    patient_id: int
    status: str
    alert_ids: tuple[int, ...]


# ---------------------------------------------------------------------------------- helpers


def _reason(reason: str) -> str:
    text = reason.strip()
    if len(text) < MIN_REASON_CHARS:
        raise InvalidInput("say why you are changing the plan (a short reason is required)")
    return text


def _load_plan(uow: UnitOfWork, patient_id: int) -> CarePlan | None:
    return uow.session.scalar(select(CarePlan).where(CarePlan.patient_id == patient_id))


def _require_plan(uow: UnitOfWork, patient_id: int) -> CarePlan:
    plan = _load_plan(uow, patient_id)
    if plan is None:
        raise NotFound(f"patient {patient_id} has no care plan yet")
    return plan


def _record_change(
    uow: UnitOfWork,
    ctx: RequestContext,
    plan: CarePlan,
    *,
    what: str,
    reason: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    now = ctx.now()
    plan.version += 1
    plan.updated_at = now
    author = uow.session.get(UserAccount, ctx.actor.user_id)
    uow.session.add(
        CarePlanChange(
            plan_id=plan.id,
            version=plan.version,
            author_id=author.id if author else None,
            author_name=author.full_name if author else ctx.actor.username,
            author_role=str(ctx.actor.role),
            what=what[:300],
            reason=reason,
            before=before or {},
            after=after or {},
            changed_at=now,
        )
    )
    audit.append(
        uow.session,
        ctx,
        action="care-plan.change",
        resource=Kind.CARE_PLAN,
        patient_id=plan.patient_id,
        resource_id=plan.id,
        detail=f"v{plan.version}: {what[:120]}",
    )


def _parse_target(text: str, item_link_id: str | None) -> OutcomeTarget | None:
    if not text.strip():
        return None
    try:
        target = parse_target(text, item_link_id=item_link_id or None)
    except InvalidTarget as exc:
        raise InvalidInput(str(exc)) from exc
    _check_instrument(target.instrument_code)
    return target


def _check_instrument(code: str) -> None:
    if code.split(".", 1)[0] not in INSTRUMENTS:
        known = ", ".join(sorted(INSTRUMENTS))
        raise InvalidInput(f"unknown instrument {code!r}; use one of: {known}")


def _check_gas_levels(levels: Mapping[int, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for level, text in levels.items():
        if level not in {int(g) for g in GasLevel}:
            raise InvalidInput(f"GAS level {level} is outside -2..+2")
        if text.strip():
            cleaned[str(level)] = text.strip()[:300]
    return cleaned


def observations_for(uow: UnitOfWork, patient_id: int) -> list[Observation]:
    rows = uow.session.scalars(
        select(OutcomeObservation)
        .where(OutcomeObservation.patient_id == patient_id)
        .order_by(OutcomeObservation.observed_on, OutcomeObservation.id)
    ).all()
    found = [Observation(r.instrument_code, r.observed_on, Decimal(r.value)) for r in rows]
    for source in OBSERVATION_SOURCES:
        found.extend(source(uow, patient_id))
    return sorted(found, key=lambda o: o.observed_on)


def _series(observations: Sequence[Observation], code: str) -> list[Observation]:
    return [o for o in observations if o.instrument_code == code]


def goal_view(goal: CarePlanGoal, observations: Sequence[Observation], today: date) -> GoalView:
    target: OutcomeTarget | None
    try:
        target = (
            parse_target(goal.target_text, item_link_id=goal.target_item_link_id)
            if goal.target_text
            else None
        )
    except InvalidTarget:
        target = None
    baseline = latest = None
    met: bool | None = None
    if target is not None:
        series = _series(observations, target.instrument_code)
        if series:
            baseline = series[0].value
            latest = (
                series[-1].value if len(series) > 1 or target.kind is TargetKind.LEVEL else None
            )
        if latest is not None:
            try:
                met = is_target_met(target, current=latest, baseline=baseline)
            except InvalidTarget:
                met = None
    milestones: list[MilestoneView] = []
    core_milestones: list[Milestone] = []
    for m in goal.milestones:
        m_target = None
        if m.target_text:
            try:
                m_target = parse_target(m.target_text, item_link_id=goal.target_item_link_id)
            except InvalidTarget:
                m_target = None
        core = Milestone(str(m.id), m.description, m.due_on, m_target)
        core_milestones.append(core)
        if m.met_on is not None:
            status = MilestoneStatus.MET.value
        else:
            m_latest = m_base = None
            if m_target is not None:
                visible = [
                    o
                    for o in _series(observations, m_target.instrument_code)
                    if o.observed_on <= today
                ]
                if visible:
                    m_base = visible[0].value
                    if len(visible) > 1 or m_target.kind is TargetKind.LEVEL:
                        m_latest = visible[-1].value
            status = milestone_status(core, today=today, latest=m_latest, baseline=m_base).value
        milestones.append(
            MilestoneView(m.id, m.description, m.due_on, m.target_text, m.met_on, status)
        )
    check = check_smart(
        SmartGoal(
            goal_id=str(goal.id),
            statement=goal.statement,
            horizon=Horizon(goal.horizon),
            specific_activity=goal.specific_activity,
            target=target,
            is_agreed_achievable=goal.is_agreed_achievable,
            patient_priority=goal.patient_priority,
            start_on=goal.start_on,
            due_on=goal.due_on,
            milestones=tuple(core_milestones),
        )
    )
    return GoalView(
        id=goal.id,
        statement=goal.statement,
        plain_text=goal.plain_text or plain_goal(goal.statement, goal.due_on),
        horizon=goal.horizon,
        specific_activity=goal.specific_activity,
        target_text=goal.target_text,
        target_item_link_id=goal.target_item_link_id,
        is_agreed_achievable=goal.is_agreed_achievable,
        patient_priority=goal.patient_priority,
        start_on=goal.start_on,
        due_on=goal.due_on,
        parent_goal_id=goal.parent_goal_id,
        gas_levels=tuple(
            (int(g), goal.gas_levels.get(str(int(g)), "")) for g in sorted(GasLevel, reverse=True)
        ),
        weight=goal.weight,
        baseline_level=goal.baseline_level,
        attained_level=goal.attained_level,
        rated_on=goal.rated_on,
        state=goal.state,
        smart_missing=tuple(p.value for p in check.missing),
        smart_problems=check.problems,
        baseline_value=baseline,
        latest_value=latest,
        is_target_met=met,
        milestones=tuple(milestones),
    )


def plain_goal(statement: str, due_on: date | None) -> str:
    """A goal in plain words for the patient when the team has not written one."""
    text = statement.strip().rstrip(".")
    when = f" by {due_on.day} {due_on:%B %Y}" if due_on else ""
    return f"{text[:1].upper()}{text[1:]}{when}."


def plain_target(target_text: str) -> str:
    """'peg -30% from baseline' -> 'your pain score ... goes down by 30 in 100 (30%)'."""
    try:
        target = parse_target(target_text, item_link_id="item")
    except InvalidTarget:
        return ""
    what = PLAIN_INSTRUMENT.get(target.instrument_code, f"your {target.instrument_code} score")
    value = format(target.value.normalize(), "f")
    if target.kind is TargetKind.LEVEL:
        words = {">=": "reaches at least", ">": "goes above", "<=": "is at most", "<": "goes below"}
        # PEG, NRS and PSFS items are 0-10 scales (their instrument specs in clinical.instruments).
        scale = " out of 10" if target.instrument_code in TEN_POINT_SCALES else ""
        return (
            f"We will know it is working when {what} "
            f"{words.get(target.comparator.value, 'is')} {value}{scale}."
        )
    direction = "goes down" if target.value < 0 else "goes up"
    amount = format(abs(target.value).normalize(), "f")
    unit = "%" if target.kind is TargetKind.PERCENT_CHANGE else " points"
    return f"We will know it is working when {what} {direction} by {amount}{unit} from the start."


def _gas_view(goals: Sequence[CarePlanGoal]) -> GasView | None:
    scaled = [g for g in goals if g.state != "dropped" and g.weight > 0]
    if not scaled:
        return None
    result = score_gas(
        [
            GasGoal(
                goal_id=str(g.id),
                weight=Decimal(g.weight),
                baseline_level=GasLevel(g.baseline_level),
                attained_level=None if g.attained_level is None else GasLevel(g.attained_level),
            )
            for g in scaled
        ]
    )
    return GasView(
        baseline_t_score=result.baseline_t_score,
        t_score=result.t_score,
        unrated=result.unrated,
        goal_count=len(scaled),
        rho=result.rho,
    )


def routing_facts(
    observations: Sequence[Observation],
    decision_points: Sequence[CarePlanDecisionPoint],
    today: date,
) -> dict[str, Decimal]:
    """Named facts for clinical.stepped_care.route from the latest scores and decision points.

    ``medication_trial.is_adequate``: the team dates the end of an adequate trial with a
    ``medication-trial-non-response`` decision point; the trial counts as adequate from that date.
    """
    facts: dict[str, Decimal] = {}
    for code in ("pcs", "phq-9", "gad-7"):
        series = _series(observations, code)
        if series:
            facts[f"{code}.total"] = series[-1].value
    pgic = _series(observations, "pgic")
    if pgic:
        facts["pgic.code"] = pgic[-1].value
    nrs = _series(observations, "nrs-pain")
    if len(nrs) >= 2 and nrs[0].value > 0:
        # IMMPACT percentage change from baseline (Dworkin 2008): (baseline - latest) / baseline.
        facts["nrs.reduction_pct"] = (nrs[0].value - nrs[-1].value) / nrs[0].value * 100
    trials = [d for d in decision_points if d.rule_code == "medication-trial-non-response"]
    if trials:
        facts["medication_trial.is_adequate"] = Decimal(any(d.due_on <= today for d in trials))
    rehab = [d for d in decision_points if d.rule_code.startswith("rehab-") and d.status]
    if rehab:
        facts["rehab.domains_off_track"] = Decimal(
            sum(1 for d in rehab if d.status == DecisionStatus.FIRED.value)
        )
    return facts


def _routing_view(decision: RoutingDecision) -> RoutingView:
    deciding = decision.deciding_rule
    rule = ROUTING_RULES.get(deciding.code)
    return RoutingView(
        current_step=decision.current_step.value if decision.current_step else None,
        recommended_step=decision.recommended_step.value,
        recommended_contents=STEP_TITLES[decision.recommended_step],
        is_step_up=decision.is_step_up,
        rule_code=deciding.code,
        rule_version=deciding.version,
        rule_title=rule.title if rule else deciding.code,
        action_code=deciding.action_code,
        source=deciding.source,
        is_verified=deciding.is_verified,
        facts_used=deciding.facts_used,
        fired=tuple(f.code for f in decision.fired),
        missing_facts=decision.missing_facts,
    )


def _decision_view(point: CarePlanDecisionPoint, today: date) -> DecisionPointView:
    rule = DECISION_RULES.get(point.rule_code)
    return DecisionPointView(
        id=point.id,
        rule_code=point.rule_code,
        rule_title=rule.title if rule else point.rule_code,
        rule_source=rule.source if rule else "",
        is_rule_verified=rule.is_verified if rule else False,
        plain_text=PLAIN_RULE.get(point.rule_code, "The team will review how things are going."),
        due_on=point.due_on,
        baseline_on=point.baseline_on,
        note=point.note,
        owner_role=point.owner_role,
        state=point.state,
        status=point.status,
        is_due=today >= point.due_on,
        outcome=dict(point.outcome),
    )


def _build_view(
    uow: UnitOfWork, plan: CarePlan, patient: Patient, today: date, *, staff: bool
) -> CarePlanView:
    observations = observations_for(uow, plan.patient_id)
    routing = None
    if staff:
        step = Step(plan.current_step) if plan.current_step else None
        try:
            routing = _routing_view(
                route(
                    ROUTING_RULES,
                    routing_facts(observations, plan.decision_points, today),
                    current_step=step,
                )
            )
        except DomainError:
            routing = None
    history = uow.session.scalars(
        select(CarePlanChange)
        .where(CarePlanChange.plan_id == plan.id)
        .order_by(CarePlanChange.version.desc())
    ).all()
    comments = uow.session.scalars(
        select(CarePlanComment)
        .where(CarePlanComment.plan_id == plan.id)
        .order_by(CarePlanComment.created_at.desc(), CarePlanComment.id.desc())
    ).all()
    return CarePlanView(
        id=plan.id,
        patient_id=plan.patient_id,
        patient_name=f"{patient.given_name} {patient.family_name}",
        version=plan.version,
        summary=plan.summary,
        problems=tuple((p.get("domain", ""), p.get("text", "")) for p in plan.problems),
        priorities=tuple(plan.priorities),
        current_step=plan.current_step,
        agreed_version=plan.agreed_version,
        agreed_at=plan.agreed_at,
        updated_at=plan.updated_at,
        goals=tuple(goal_view(g, observations, today) for g in plan.goals),
        interventions=tuple(
            InterventionView(
                i.id,
                i.discipline,
                i.title,
                i.detail,
                i.plain_text or i.title,
                i.state,
            )
            for i in plan.interventions
        ),
        decision_points=tuple(_decision_view(d, today) for d in plan.decision_points),
        gas=_gas_view(plan.goals),
        routing=routing,
        history=tuple(
            ChangeView(
                c.version,
                c.author_name,
                c.author_role,
                c.what,
                c.reason,
                c.changed_at,
                dict(c.before),
                dict(c.after),
            )
            for c in history
        )
        if staff
        else (),
        comments=tuple(
            CommentView(
                c.id,
                c.plan_version,
                c.author_name,
                c.is_patient,
                c.is_agreement,
                c.body,
                c.created_at,
            )
            for c in comments
        ),
        observations=tuple(
            ObservationView(o.instrument_code, o.observed_on, o.value, "") for o in observations
        )
        if staff
        else (),
        timezone=patient.timezone,
    )


def _today(ctx: RequestContext) -> date:
    return ctx.now().date()


# ---------------------------------------------------------------------------------- reads


def get_plan(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> CarePlanView | None:
    """The plan as the team sees it (patients get the plain view instead)."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="care-plan.read"
    )
    if ctx.actor.role is Role.PATIENT:
        raise PermissionDenied("patients read the plain-language view of their plan")
    plan = _load_plan(uow, patient_id)
    view = _build_view(uow, plan, patient, _today(ctx), staff=True) if plan else None
    uow.commit()
    return view


def get_plain_plan(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> CarePlanView | None:
    """The plan for the patient: no history, no routing, no raw scores."""
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="care-plan.read-plain"
    )
    plan = _load_plan(uow, patient_id)
    view = _build_view(uow, plan, patient, _today(ctx), staff=False) if plan else None
    uow.commit()
    return view


def summary_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    """Short lines for the patient overview card; None when the viewer may not read the plan."""
    if not role_may(ctx.actor.role, Kind.CARE_PLAN, Action.READ):
        return None
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="care-plan.summary"
    )
    plan = _load_plan(uow, patient_id)
    if plan is None:
        uow.commit()
        return []
    today = _today(ctx)
    view = _build_view(uow, plan, patient, today, staff=False)
    uow.commit()
    count = len(view.active_goals)
    lines = [f"{count} goal{'' if count == 1 else 's'} · plan version {view.version}"]
    nxt = view.next_decision_point
    if nxt is not None:
        lines.append(f"Next decision point: {nxt.due_on.isoformat()} ({nxt.rule_title})")
    if view.gas is not None:
        lines.append(f"GAS T-score: {view.gas.display}")
    lines.append("Agreed by the patient" if view.is_agreed else "Not yet agreed by the patient")
    return lines


# ---------------------------------------------------------------------------------- writes


def create_plan(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    summary: str = "",
    problems: Sequence[tuple[str, str]] = (),
    priorities: Sequence[str] = (),
    current_step: str | None = None,
    reason: str = "Plan drafted after intake",
) -> int:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="care-plan.create"
    )
    why = _reason(reason)
    if _load_plan(uow, patient_id) is not None:
        raise Conflict(f"patient {patient_id} already has a care plan")
    now = ctx.now()
    plan = CarePlan(
        patient_id=patient_id,
        version=0,
        summary=summary.strip(),
        problems=_clean_problems(problems),
        priorities=_clean_priorities(priorities),
        current_step=_clean_step(current_step),
        created_at=now,
        updated_at=now,
    )
    uow.session.add(plan)
    uow.session.flush()
    _record_change(uow, ctx, plan, what="Plan created", reason=why, after=_plan_fields(plan))
    uow.commit()
    return plan.id


def _clean_problems(problems: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for domain, text in problems:
        if not text.strip():
            continue
        if domain not in PROBLEM_DOMAINS:
            raise InvalidInput(f"problem domain must be one of {', '.join(PROBLEM_DOMAINS)}")
        cleaned.append({"domain": domain, "text": text.strip()[:300]})
    return cleaned


def _clean_priorities(priorities: Sequence[str]) -> list[str]:
    cleaned = [p.strip()[:200] for p in priorities if p.strip()]
    if len(cleaned) > MAX_PRIORITIES:
        raise InvalidInput(f"keep to {MAX_PRIORITIES} priorities")
    return cleaned


def _clean_step(step: str | None) -> str | None:
    if not step:
        return None
    try:
        return Step(step).value
    except ValueError as exc:
        raise InvalidInput(f"unknown pathway step {step!r}") from exc


def _plan_fields(plan: CarePlan) -> dict[str, Any]:
    return {
        "summary": plan.summary,
        "problems": list(plan.problems),
        "priorities": list(plan.priorities),
        "current_step": plan.current_step,
    }


def update_plan(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    reason: str,
    summary: str | None = None,
    problems: Sequence[tuple[str, str]] | None = None,
    priorities: Sequence[str] | None = None,
    current_step: str | None = None,
) -> None:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="care-plan.update"
    )
    why = _reason(reason)
    plan = _require_plan(uow, patient_id)
    before = _plan_fields(plan)
    if summary is not None:
        plan.summary = summary.strip()
    if problems is not None:
        plan.problems = _clean_problems(problems)
    if priorities is not None:
        plan.priorities = _clean_priorities(priorities)
    if current_step is not None:
        plan.current_step = _clean_step(current_step)
    after = _plan_fields(plan)
    changed = [k for k in after if after[k] != before[k]]
    if not changed:
        raise InvalidInput("nothing changed")
    _record_change(
        uow,
        ctx,
        plan,
        what="Updated " + ", ".join(k.replace("_", " ") for k in changed),
        reason=why,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    uow.commit()


def _goal_fields(goal: CarePlanGoal) -> dict[str, Any]:
    return {
        "statement": goal.statement,
        "plain_text": goal.plain_text,
        "horizon": goal.horizon,
        "specific_activity": goal.specific_activity,
        "target": goal.target_text,
        "is_agreed_achievable": goal.is_agreed_achievable,
        "patient_priority": goal.patient_priority,
        "start_on": goal.start_on.isoformat() if goal.start_on else None,
        "due_on": goal.due_on.isoformat() if goal.due_on else None,
        "gas_levels": dict(goal.gas_levels),
        "weight": goal.weight,
        "baseline_level": goal.baseline_level,
        "attained_level": goal.attained_level,
        "state": goal.state,
    }


def _apply_goal(goal: CarePlanGoal, data: GoalInput, plan: CarePlan) -> None:
    if not data.statement.strip():
        raise InvalidInput("a goal needs a statement")
    if not 1 <= data.weight <= 9:
        # Turner-Stokes 2009 weights are importance x difficulty, each 0-3 -> 1..9 when counted.
        raise InvalidInput("GAS weight must be between 1 and 9")
    if data.baseline_level not in {int(g) for g in GasLevel}:
        raise InvalidInput("GAS baseline level must be between -2 and +2")
    if data.start_on and data.due_on and data.due_on <= data.start_on:
        raise InvalidInput("the goal's due date must be after its start date")
    _parse_target(data.target_text, data.target_item_link_id)
    if data.parent_goal_id is not None and data.parent_goal_id not in {g.id for g in plan.goals}:
        raise InvalidInput("the parent goal is not on this plan")
    goal.statement = data.statement.strip()[:300]
    goal.plain_text = data.plain_text.strip()
    goal.horizon = Horizon(data.horizon).value
    goal.specific_activity = data.specific_activity.strip()[:300]
    goal.target_text = data.target_text.strip().lower()
    goal.target_item_link_id = data.target_item_link_id or None
    goal.is_agreed_achievable = data.is_agreed_achievable
    goal.patient_priority = data.patient_priority.strip()[:200]
    goal.start_on = data.start_on
    goal.due_on = data.due_on
    goal.parent_goal_id = data.parent_goal_id
    goal.gas_levels = _check_gas_levels(data.gas_levels)
    goal.weight = data.weight
    goal.baseline_level = data.baseline_level


def add_goal(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: GoalInput, *, reason: str
) -> int:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="care-plan.goal.add"
    )
    why = _reason(reason)
    plan = _require_plan(uow, patient_id)
    goal = CarePlanGoal(plan_id=plan.id, created_at=ctx.now(), state="active")
    _apply_goal(goal, data, plan)
    plan.goals.append(goal)
    uow.session.flush()
    _record_change(
        uow, ctx, plan, what=f"Added goal: {goal.statement}", reason=why, after=_goal_fields(goal)
    )
    uow.commit()
    return goal.id


def _require_goal(plan: CarePlan, goal_id: int) -> CarePlanGoal:
    for goal in plan.goals:
        if goal.id == goal_id:
            return goal
    raise NotFound(f"goal {goal_id} is not on this plan")


def update_goal(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    goal_id: int,
    data: GoalInput,
    *,
    reason: str,
) -> None:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="care-plan.goal.update"
    )
    why = _reason(reason)
    plan = _require_plan(uow, patient_id)
    goal = _require_goal(plan, goal_id)
    before = _goal_fields(goal)
    _apply_goal(goal, data, plan)
    after = _goal_fields(goal)
    changed = [k for k in after if after[k] != before[k]]
    if not changed:
        raise InvalidInput("nothing changed")
    _record_change(
        uow,
        ctx,
        plan,
        what=f"Changed goal {goal.statement!r}: " + ", ".join(k.replace("_", " ") for k in changed),
        reason=why,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    uow.commit()


def rate_goal(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    goal_id: int,
    *,
    level: int,
    reason: str,
    state: str | None = None,
) -> None:
    """Record the attained GAS level (-2..+2) at review; optionally mark achieved/dropped."""
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="care-plan.goal.rate"
    )
    why = _reason(reason)
    if level not in {int(g) for g in GasLevel}:
        raise InvalidInput("GAS level must be between -2 and +2")
    if state is not None and state not in GOAL_STATES:
        raise InvalidInput(f"goal state must be one of {', '.join(GOAL_STATES)}")
    plan = _require_plan(uow, patient_id)
    goal = _require_goal(plan, goal_id)
    before = {"attained_level": goal.attained_level, "state": goal.state}
    goal.attained_level = level
    goal.rated_on = _today(ctx)
    if state is not None:
        goal.state = state
    _record_change(
        uow,
        ctx,
        plan,
        what=f"Rated goal {goal.statement!r} at GAS {level:+d}",
        reason=why,
        before=before,
        after={"attained_level": level, "state": goal.state},
    )
    uow.commit()


def add_milestone(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    goal_id: int,
    *,
    description: str,
    due_on: date,
    target_text: str = "",
    reason: str,
) -> int:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="care-plan.milestone.add"
    )
    why = _reason(reason)
    plan = _require_plan(uow, patient_id)
    goal = _require_goal(plan, goal_id)
    if not description.strip():
        raise InvalidInput("a milestone needs a description")
    _parse_target(target_text, goal.target_item_link_id)
    milestone = CarePlanMilestone(
        goal_id=goal.id,
        description=description.strip()[:300],
        due_on=due_on,
        target_text=target_text.strip().lower(),
    )
    goal.milestones.append(milestone)
    uow.session.flush()
    _record_change(
        uow,
        ctx,
        plan,
        what=f"Added milestone to {goal.statement!r}: {milestone.description}",
        reason=why,
        after={"due_on": due_on.isoformat(), "target": milestone.target_text},
    )
    uow.commit()
    return milestone.id


def mark_milestone_met(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    milestone_id: int,
    *,
    met_on: date,
    reason: str,
) -> None:
    """Mark a milestone met by hand (milestones without a linked measure need this)."""
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.WRITE, audit_action="care-plan.milestone.met"
    )
    why = _reason(reason)
    if met_on > _today(ctx):
        raise InvalidInput("a milestone cannot be met in the future")
    plan = _require_plan(uow, patient_id)
    milestone = next((m for g in plan.goals for m in g.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise NotFound(f"milestone {milestone_id} is not on this plan")
    if milestone.met_on is not None:
        raise InvalidInput("that milestone is already marked met")
    milestone.met_on = met_on
    _record_change(
        uow,
        ctx,
        plan,
        what=f"Milestone met: {milestone.description}",
        reason=why,
        after={"met_on": met_on.isoformat()},
    )
    uow.commit()


def add_intervention(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    discipline: str,
    title: str,
    detail: str = "",
    plain_text: str = "",
    reason: str,
) -> int:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.CARE_PLAN,
        Action.WRITE,
        audit_action="care-plan.intervention.add",
    )
    why = _reason(reason)
    if discipline not in DISCIPLINES:
        raise InvalidInput(f"discipline must be one of {', '.join(DISCIPLINES)}")
    if not title.strip():
        raise InvalidInput("an intervention needs a title")
    plan = _require_plan(uow, patient_id)
    item = CarePlanIntervention(
        plan_id=plan.id,
        discipline=discipline,
        title=title.strip()[:200],
        detail=detail.strip(),
        plain_text=plain_text.strip(),
        state="active",
        created_at=ctx.now(),
    )
    plan.interventions.append(item)
    uow.session.flush()
    _record_change(
        uow,
        ctx,
        plan,
        what=f"Added {discipline} intervention: {item.title}",
        reason=why,
        after={"discipline": discipline, "title": item.title, "detail": item.detail},
    )
    uow.commit()
    return item.id


def stop_intervention(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, intervention_id: int, *, reason: str
) -> None:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.CARE_PLAN,
        Action.WRITE,
        audit_action="care-plan.intervention.stop",
    )
    why = _reason(reason)
    plan = _require_plan(uow, patient_id)
    item = next((i for i in plan.interventions if i.id == intervention_id), None)
    if item is None:
        raise NotFound(f"intervention {intervention_id} is not on this plan")
    if item.state == "stopped":
        raise InvalidInput("that intervention is already stopped")
    item.state = "stopped"
    _record_change(
        uow,
        ctx,
        plan,
        what=f"Stopped {item.discipline} intervention: {item.title}",
        reason=why,
        before={"state": "active"},
        after={"state": "stopped"},
    )
    uow.commit()


def add_decision_point(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    rule_code: str,
    due_on: date,
    baseline_on: date | None = None,
    owner_role: Role = Role.PHYSICIAN,
    note: str = "",
    reason: str,
) -> int:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.CARE_PLAN,
        Action.WRITE,
        audit_action="care-plan.decision-point.add",
    )
    why = _reason(reason)
    if rule_code not in DECISION_RULES:
        raise InvalidInput(f"unknown decision rule {rule_code!r}")
    if owner_role not in ROLE_DISCIPLINE:
        raise InvalidInput("a decision point is owned by a clinical role or the coordinator")
    if baseline_on is not None and baseline_on >= due_on:
        raise InvalidInput("the baseline date must be before the due date")
    plan = _require_plan(uow, patient_id)
    point = CarePlanDecisionPoint(
        plan_id=plan.id,
        rule_code=rule_code,
        due_on=due_on,
        baseline_on=baseline_on,
        owner_role=owner_role.value,
        note=note.strip(),
        state="scheduled",
        outcome={},
    )
    plan.decision_points.append(point)
    uow.session.flush()
    _record_change(
        uow,
        ctx,
        plan,
        what=f"Added decision point {due_on.isoformat()}: {DECISION_RULES[rule_code].title}",
        reason=why,
        after={"rule_code": rule_code, "due_on": due_on.isoformat(), "owner_role": owner_role},
    )
    uow.commit()
    return point.id


def record_observation(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    instrument_code: str,
    observed_on: date,
    value: str | Decimal,
    source: str = "",
) -> int:
    """Record a scored outcome value (e.g. a PEG total) used by goal targets and decision points."""
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.CARE_PLAN,
        Action.WRITE,
        audit_action="care-plan.observation.add",
    )
    code = instrument_code.strip().lower()
    _check_instrument(code)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidInput("the value must be a number") from exc
    if not number.is_finite():
        raise InvalidInput("the value must be a number")
    if observed_on > _today(ctx):
        raise InvalidInput("an observation cannot be in the future")
    row = OutcomeObservation(
        patient_id=patient_id,
        instrument_code=code,
        observed_on=observed_on,
        value=str(number),
        source=source.strip()[:200],
        recorded_by_id=ctx.actor.user_id or None,
        recorded_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    uow.commit()
    return row.id


# ---------------------------------------------------------------------------------- patient


def agree_plan(uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, comment: str = "") -> None:
    """The patient agrees to the current version of the plan (optionally with a comment)."""
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.COMMENT, audit_action="care-plan.agree"
    )
    if ctx.actor.role is not Role.PATIENT:
        raise PermissionDenied("only the patient agrees to their plan")
    plan = _require_plan(uow, patient_id)
    now = ctx.now()
    plan.agreed_version = plan.version
    plan.agreed_at = now
    _add_comment(uow, ctx, plan, body=comment, is_agreement=True)
    uow.commit()


def comment_on_plan(uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, body: str) -> int:
    """A comment on the plan by the patient or a team member; the team sees it on the plan."""
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.COMMENT, audit_action="care-plan.comment"
    )
    if not body.strip():
        raise InvalidInput("write a comment first")
    if len(body) > 4000:
        raise InvalidInput("a comment is limited to 4000 characters")
    plan = _require_plan(uow, patient_id)
    comment_id = _add_comment(uow, ctx, plan, body=body, is_agreement=False)
    if ctx.actor.role is Role.PATIENT:
        # The team answers the patient: the coordinator routes the comment to the right person.
        workflow.raise_alerts(
            uow,
            ctx,
            patient_id,
            [
                workflow.NewAlert(
                    kind="care-plan-comment",
                    severity="routine",
                    dedupe_key=f"care-plan-comment:{comment_id}",
                    owner_role=Role.COORDINATOR.value,
                    title="The patient commented on the care plan",
                    rationale=body.strip()[:1000],
                    source="care plan (patient comment)",
                    evidence={"comment_id": comment_id, "plan_version": plan.version},
                )
            ],
        )
    uow.commit()
    return comment_id


def _add_comment(
    uow: UnitOfWork, ctx: RequestContext, plan: CarePlan, *, body: str, is_agreement: bool
) -> int:
    author = uow.session.get(UserAccount, ctx.actor.user_id)
    if author is None:
        raise PermissionDenied("unknown author")
    row = CarePlanComment(
        plan_id=plan.id,
        plan_version=plan.version,
        author_id=author.id,
        author_name=author.full_name,
        is_patient=ctx.actor.role is Role.PATIENT,
        is_agreement=is_agreement,
        body=body.strip(),
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    return row.id


# ---------------------------------------------------------------------------------- decisions


def _is_system(ctx: RequestContext) -> bool:
    return ctx.actor.user_id == SYSTEM_ACTOR.user_id and ctx.actor.role is SYSTEM_ACTOR.role


TASK_TITLE: Final = {
    DecisionStatus.FIRED: "Decision point: {title}: review needed",
    DecisionStatus.NOT_FIRED: "Decision point: {title}: on track, confirm the plan",
    DecisionStatus.INSUFFICIENT_DATA: "Decision point: {title}: scores missing, collect them",
}
TASK_SEVERITY: Final = {
    DecisionStatus.FIRED: "high",
    DecisionStatus.NOT_FIRED: "routine",
    DecisionStatus.INSUFFICIENT_DATA: "high",
}


def evaluate_due_decision_points(
    uow: UnitOfWork, ctx: RequestContext, today: date
) -> list[EvaluationResult]:
    """Evaluate every scheduled decision point due on or before ``today``; each creates a review
    task (via workflow.raise_alerts) carrying the rule, its source and the data used.

    A scheduled job passes the system context and covers every plan; a clinician covers the
    plans of their care teams (each patient authorised and audited).
    """
    system = _is_system(ctx)
    if not system and not role_may(ctx.actor.role, Kind.CARE_PLAN, Action.WRITE):
        raise PermissionDenied(f"{ctx.actor.role} may not evaluate decision points")
    query = (
        select(CarePlanDecisionPoint, CarePlan.patient_id)
        .join(CarePlan, CarePlan.id == CarePlanDecisionPoint.plan_id)
        .join(Patient, Patient.id == CarePlan.patient_id)
        .where(CarePlanDecisionPoint.state == "scheduled", CarePlanDecisionPoint.due_on <= today)
        .order_by(CarePlanDecisionPoint.due_on, CarePlanDecisionPoint.id)
    )
    if not system:
        query = query.where(Patient.care_team_id.in_(ctx.actor.team_ids or {-1}))
    rows = uow.session.execute(query).all()
    results: list[EvaluationResult] = []
    for point, patient_id in rows:
        if system:
            audit.append(
                uow.session,
                ctx,
                action="care-plan.decision-point.evaluate",
                resource=Kind.CARE_PLAN,
                patient_id=patient_id,
                resource_id=point.id,
                detail="scheduled job",
            )
        else:
            authorize_patient(
                uow,
                ctx,
                patient_id,
                Kind.CARE_PLAN,
                Action.WRITE,
                audit_action="care-plan.decision-point.evaluate",
                resource_id=point.id,
            )
        results.append(_evaluate_one(uow, ctx, point, patient_id, today))
    uow.commit()
    return results


def _evaluate_one(
    uow: UnitOfWork,
    ctx: RequestContext,
    point: CarePlanDecisionPoint,
    patient_id: int,
    today: date,
) -> EvaluationResult:
    rule = DECISION_RULES[point.rule_code]
    outcome = evaluate_decision_point(
        DecisionPoint(str(point.id), point.rule_code, point.due_on, point.baseline_on),
        DECISION_RULES,
        observations_for(uow, patient_id),
        today=today,
    )
    evidence: dict[str, Any] = {
        "decision_point_id": point.id,
        "status": outcome.status.value,
        "rule_code": outcome.rule_code,
        "rule_version": outcome.rule_version,
        "action_code": outcome.action_code,
        "source": outcome.source,
        "rule_verified": outcome.is_rule_verified,
        "due_on": point.due_on.isoformat(),
        "reasons": list(outcome.reasons),
        "data_used": [
            {
                "instrument": o.instrument_code,
                "on": o.observed_on.isoformat(),
                "value": str(o.value),
            }
            for o in outcome.data_used
        ],
    }
    point.state = "evaluated"
    point.status = outcome.status.value
    point.outcome = evidence
    point.evaluated_at = ctx.now()
    data = ", ".join(f"{d['instrument']} {d['value']} on {d['on']}" for d in evidence["data_used"])
    rationale = "; ".join(outcome.reasons) + (f". Data: {data}" if data else "")
    if outcome.status is DecisionStatus.FIRED:
        rationale += f". Suggested action: {outcome.action_code}"
    alert_ids = workflow.raise_alerts(
        uow,
        ctx,
        patient_id,
        [
            workflow.NewAlert(
                kind="decision-point-due",
                severity=TASK_SEVERITY[outcome.status],
                dedupe_key=f"decision-point:{point.id}",
                owner_role=point.owner_role,
                title=TASK_TITLE[outcome.status].format(title=rule.title)[:200],
                rationale=rationale,
                source=outcome.source,
                evidence=evidence,
            )
        ],
    )
    if alert_ids:
        point.alert_id = alert_ids[0]
    return EvaluationResult(point.id, patient_id, outcome.status.value, tuple(alert_ids))
