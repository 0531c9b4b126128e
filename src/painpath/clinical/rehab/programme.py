"""Programme builder and tolerance-gated phase progression.

Phases (issue 3, clinical-reference.md s5): 1 calm the system (gentle mobilisation, breathing,
relaxation) -> 2 condition (strength, endurance, balance, proprioception) -> 3 function (task-specific
and return-to-work / role tasks). Desensitisation, sensory retraining and GMI are adjuncts added in
any phase when the patient's findings call for them.

Individualisation: contraindication tags (from comorbidities) exclude exercises; prior activity level
caps the starting level in each progression chain; occupation demands and goals rank functional tasks
and exercises; limited social support excludes exercises that need a helper. Gate thresholds are in
`data/rules.toml` (clinic defaults, unverified; see docs/rehab/programme.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.rehab.adherence import Adherence
from painpath.clinical.rehab.library import (
    BodyRegion,
    Category,
    ContraTag,
    Dosage,
    Equipment,
    Exercise,
    ExerciseLibrary,
    RoleDemand,
    default_library,
)
from painpath.clinical.rehab.rules import ProgrammeRules, default_rules
from painpath.clinical.rehab.scales import NRS_MAX, check_range


class Phase(StrEnum):
    CALM = "phase_1_calm"
    CONDITION = "phase_2_condition"
    FUNCTION = "phase_3_function"


PHASE_ORDER: tuple[Phase, ...] = (Phase.CALM, Phase.CONDITION, Phase.FUNCTION)

PHASE_CATEGORIES: Mapping[Phase, tuple[Category, ...]] = {
    Phase.CALM: (Category.BREATHING_RELAXATION, Category.GENTLE_MOBILISATION),
    Phase.CONDITION: (
        Category.STRENGTH,
        Category.ENDURANCE,
        Category.BALANCE,
        Category.PROPRIOCEPTION,
    ),
    Phase.FUNCTION: (Category.FUNCTIONAL_TASK, Category.STRENGTH, Category.ENDURANCE),
}


class ActivityLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


# Highest library level a patient may start at in a progression chain. painpath clinic default
# (unverified): start low and let the tolerance gate progress, in the spirit of quotas below
# tolerance (clinical-reference.md s5).
START_LEVEL_CAP: Mapping[ActivityLevel, int] = {
    ActivityLevel.LOW: 1,
    ActivityLevel.MODERATE: 2,
    ActivityLevel.HIGH: 3,
}


class SocialSupport(StrEnum):
    NONE = "none"
    LIMITED = "limited"
    GOOD = "good"


@dataclass(frozen=True, slots=True)
class PatientProfile:
    contraindications: frozenset[ContraTag] = frozenset()
    activity_level: ActivityLevel = ActivityLevel.LOW
    occupation_demands: frozenset[RoleDemand] = frozenset()
    goal_demands: frozenset[RoleDemand] = frozenset()
    focus_regions: frozenset[BodyRegion] = frozenset()
    social_support: SocialSupport = SocialSupport.LIMITED
    equipment_available: frozenset[Equipment] | None = None  # None: clinic setting, all available
    has_allodynia: bool = False
    has_hypoaesthesia: bool = False
    is_gmi_candidate: bool = False  # e.g. CRPS 1 or phantom limb pain (Moseley 2004, 2006)


@dataclass(frozen=True, slots=True)
class PrescribedExercise:
    exercise_id: str
    category: Category
    dosage: Dosage
    why: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    exercise_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Programme:
    phase: Phase
    items: tuple[PrescribedExercise, ...]
    exclusions: tuple[Exclusion, ...]


def exclusion_reason(ex: Exercise, profile: PatientProfile) -> str | None:
    """Why this exercise is unsuitable for the patient, or None if it is allowed."""
    clash = sorted(ex.contraindications & profile.contraindications)
    if clash:
        # SAFETY: a contraindication tag always excludes; only a clinician may override downstream.
        return "contraindicated: " + ", ".join(clash)
    if ex.needs_helper and profile.social_support is not SocialSupport.GOOD:
        return "needs a helper and social support is not good"
    if profile.equipment_available is not None:
        missing = sorted(set(ex.equipment) - profile.equipment_available)
        if missing:
            return "equipment not available: " + ", ".join(missing)
    return None


def _entry_point(root: Exercise, lib: ExerciseLibrary, profile: PatientProfile) -> Exercise | None:
    """Highest allowed step of a chain within the start-level cap, walking up from the root."""
    cap = START_LEVEL_CAP[profile.activity_level]
    if root.level > cap or exclusion_reason(root, profile) is not None:
        return None
    best = root
    while best.progression_id is not None:
        nxt = lib.get(best.progression_id)
        if nxt.level > cap or exclusion_reason(nxt, profile) is not None:
            break
        best = nxt
    return best


def _score(ex: Exercise, profile: PatientProfile) -> int:
    wanted = profile.occupation_demands | profile.goal_demands
    region = 2 if ex.body_region in profile.focus_regions else 0
    return region + 2 * len(ex.role_demands & wanted)


def build_programme(
    profile: PatientProfile,
    phase: Phase,
    *,
    library: ExerciseLibrary | None = None,
    rules: ProgrammeRules | None = None,
) -> Programme:
    """Select a session for `phase`: one per core category, adjuncts, matches, round-robin fill."""
    lib = library if library is not None else default_library()
    r = rules if rules is not None else default_rules().programme
    limit = r.max_exercises_per_session.as_int
    core = PHASE_CATEGORIES[phase]
    adjuncts = tuple(
        c
        for c, wanted in (
            (Category.DESENSITISATION, profile.has_allodynia),
            (Category.SENSORY_RETRAINING, profile.has_hypoaesthesia),
            (Category.MIRROR_THERAPY_GMI, profile.is_gmi_candidate),
        )
        if wanted
    )
    considered = set(core) | set(adjuncts)
    exclusions = tuple(
        Exclusion(ex.id, reason)
        for ex in lib
        if ex.category in considered and (reason := exclusion_reason(ex, profile)) is not None
    )
    entries = [
        e
        for root in lib
        if root.category in considered
        and root.regression_id is None
        and (e := _entry_point(root, lib, profile)) is not None
    ]
    # Rank: best match first; then fewer equipment items (home-friendly); then id for stability.
    ranked = sorted(entries, key=lambda e: (-_score(e, profile), len(e.equipment), e.id))
    chosen: list[tuple[Exercise, str]] = []

    def take(ex: Exercise, why: str) -> None:
        if len(chosen) < limit and all(c.id != ex.id for c, _ in chosen):
            chosen.append((ex, why))

    for category in core:
        pick = next((e for e in ranked if e.category is category), None)
        if pick is not None:
            take(pick, f"core {category.value} for {phase.value}")
    for category in adjuncts:
        pick = next((e for e in ranked if e.category is category), None)
        if pick is not None:
            take(pick, f"adjunct {category.value}")
    for ex in ranked:
        if ex.category in core and _score(ex, profile) > 0:
            take(ex, "matches goals, occupation or focus region")
    # Fill remaining places round-robin across the core categories so no single category dominates.
    queues = [[e for e in ranked if e.category is c] for c in core]
    for depth in range(max((len(q) for q in queues), default=0)):
        for queue in queues:
            if depth < len(queue):
                take(queue[depth], "fills the session")
    items = tuple(PrescribedExercise(ex.id, ex.category, ex.dosage, why) for ex, why in chosen)
    return Programme(phase, items, exclusions)


class PhaseAction(StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    STEP_BACK = "step_back"
    MAINTAIN = "maintain"  # final phase and criteria met


@dataclass(frozen=True, slots=True)
class ToleranceEvidence:
    phase_started_on: date
    today: date
    adherence: Adherence
    post_session_pain_rises: Sequence[int]  # after minus before, NRS points, this window
    red_flare_days_last_7: int


@dataclass(frozen=True, slots=True)
class PhaseDecision:
    action: PhaseAction
    phase: Phase
    reasons: tuple[str, ...]


def decide_phase(
    phase: Phase, evidence: ToleranceEvidence, *, rules: ProgrammeRules | None = None
) -> PhaseDecision:
    """Progress only when the current phase is tolerated (time, adherence, pain response, flares)."""
    r = rules if rules is not None else default_rules().programme
    if evidence.today < evidence.phase_started_on:
        raise InvalidAnswer("today is before the phase start")
    check_range(evidence.red_flare_days_last_7, 0, 7, "red flare days in the last 7")
    rises = [
        check_range(x, -NRS_MAX, NRS_MAX, "pain rise") for x in evidence.post_session_pain_rises
    ]
    idx = PHASE_ORDER.index(phase)
    # SAFETY: repeated red flare days step the programme back a phase (flare plan, ref s5).
    if evidence.red_flare_days_last_7 >= r.red_days_to_step_back.as_int:
        prev = PHASE_ORDER[max(idx - 1, 0)]
        action = PhaseAction.STEP_BACK if idx > 0 else PhaseAction.HOLD
        return PhaseDecision(action, prev, ("repeated red flare days in the last 7",))
    reasons: list[str] = []
    days = (evidence.today - evidence.phase_started_on).days
    if days < r.min_days_in_phase.as_int:
        reasons.append(f"{days} of {r.min_days_in_phase.as_int} days in phase")
    if evidence.adherence.ratio < r.min_adherence.value:
        reasons.append(f"adherence {evidence.adherence.percent}% below target")
    if not rises:
        reasons.append("no session pain ratings logged")
    else:
        mean_rise = Decimal(sum(rises)) / len(rises)
        if mean_rise > r.max_post_session_pain_rise_nrs.value:
            reasons.append(f"mean pain rise after sessions {mean_rise:.1f} above limit")
    if evidence.red_flare_days_last_7 > r.max_red_days_to_progress.as_int:
        reasons.append("red flare day in the last 7")
    if reasons:
        return PhaseDecision(PhaseAction.HOLD, phase, tuple(reasons))
    if idx + 1 >= len(PHASE_ORDER):
        return PhaseDecision(PhaseAction.MAINTAIN, phase, ("final phase tolerated: maintain",))
    return PhaseDecision(PhaseAction.ADVANCE, PHASE_ORDER[idx + 1], ("phase tolerated",))


@dataclass(frozen=True, slots=True)
class ExerciseSessionLog:
    """What the patient logged for one exercise in one session."""

    on: date
    is_completed_as_prescribed: bool
    rpe: int  # Borg CR10, 0-10
    pain_before_nrs: int
    pain_after_nrs: int

    def __post_init__(self) -> None:
        check_range(self.rpe, 0, NRS_MAX, "RPE")
        check_range(self.pain_before_nrs, 0, NRS_MAX, "pain before")
        check_range(self.pain_after_nrs, 0, NRS_MAX, "pain after")

    @property
    def pain_rise_nrs(self) -> int:
        return self.pain_after_nrs - self.pain_before_nrs


class ExerciseAction(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


@dataclass(frozen=True, slots=True)
class ExerciseDecision:
    action: ExerciseAction
    exercise_id: str
    reason: str


def decide_exercise_progression(
    exercise_id: str,
    logs: Sequence[ExerciseSessionLog],
    profile: PatientProfile,
    *,
    library: ExerciseLibrary | None = None,
    rules: ProgrammeRules | None = None,
) -> ExerciseDecision:
    """Move along the exercise's progression/regression links, gated by logged tolerance.

    Progress after N consecutive sessions completed as prescribed with RPE <= the exercise's RPE
    maximum and pain rise <= the post-session limit; regress after M consecutive sessions not
    completed or above the pain limit. A contraindicated or unavailable target is never chosen.
    """
    lib = library if library is not None else default_library()
    r = rules if rules is not None else default_rules().programme
    ex = lib.get(exercise_id)
    ordered = sorted(logs, key=lambda log: log.on)
    max_rise = r.max_post_session_pain_rise_nrs.value
    n_regress = r.exercise_sessions_to_regress.as_int
    recent_bad = ordered[-n_regress:]
    if len(recent_bad) == n_regress and all(
        not log.is_completed_as_prescribed or log.pain_rise_nrs > max_rise for log in recent_bad
    ):
        # SAFETY: poorly tolerated sessions always lead to an easier step or a dosage review.
        if ex.regression_id is not None:
            return ExerciseDecision(ExerciseAction.REGRESS, ex.regression_id, "not tolerated")
        return ExerciseDecision(
            ExerciseAction.HOLD, ex.id, "not tolerated at the easiest step: reduce the dosage"
        )
    n_progress = r.exercise_sessions_to_progress.as_int
    recent = ordered[-n_progress:]
    is_tolerated = len(recent) == n_progress and all(
        log.is_completed_as_prescribed
        and log.rpe <= ex.dosage.rpe_max
        and log.pain_rise_nrs <= max_rise
        for log in recent
    )
    if not is_tolerated:
        return ExerciseDecision(ExerciseAction.HOLD, ex.id, "keep building tolerance")
    if ex.progression_id is None:
        return ExerciseDecision(ExerciseAction.HOLD, ex.id, "top of chain: raise the dosage")
    target = lib.get(ex.progression_id)
    reason = exclusion_reason(target, profile)
    if reason is not None:
        return ExerciseDecision(ExerciseAction.HOLD, ex.id, f"next step unsuitable ({reason})")
    return ExerciseDecision(ExerciseAction.PROGRESS, target.id, "tolerated")
