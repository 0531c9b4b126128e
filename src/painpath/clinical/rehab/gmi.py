"""Graded motor imagery (GMI): laterality scoring and stage progression.

Stages (Moseley GL 2004, Pain 108:192-198, doi:10.1016/j.pain.2004.01.006; Moseley GL 2006,
Neurology 67:2129-2134): 2 weeks each of (1) left/right judgement of pictured limbs, (2) imagined
movements, (3) mirror movements. The trials progressed on schedule; the criteria below (accuracy,
speed, side symmetry) come from the GMI handbook's normative guidance or are clinic defaults, each
flagged in `data/rules.toml`. The GMI FAQ (gradedmotorimagery.com) advises not to start mirror work
before laterality is mastered and to re-check laterality after a relapse; both are encoded here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from painpath.clinical.errors import IncompleteResponse, InvalidAnswer
from painpath.clinical.rehab.rules import GmiRules, default_rules
from painpath.clinical.rehab.scales import NRS_MAX, check_range


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class GmiStage(StrEnum):
    LATERALITY = "laterality"
    IMAGINED_MOVEMENTS = "imagined_movements"
    MIRROR_THERAPY = "mirror_therapy"
    COMPLETE = "complete"


_ORDER = (
    GmiStage.LATERALITY,
    GmiStage.IMAGINED_MOVEMENTS,
    GmiStage.MIRROR_THERAPY,
    GmiStage.COMPLETE,
)


class GmiAction(StrEnum):
    STAY = "stay"
    ADVANCE = "advance"
    STEP_BACK = "step_back"


@dataclass(frozen=True, slots=True)
class LateralityTrial:
    """One picture: which side it showed, the patient's answer (None = timed out), the time taken."""

    shown: Side
    answer: Side | None
    reaction_time_ms: int


@dataclass(frozen=True, slots=True)
class SideScore:
    trials: int
    correct: int
    accuracy_pct: Decimal
    mean_rt_ms: Decimal | None


@dataclass(frozen=True, slots=True)
class LateralityScore:
    """Accuracy = correct / all trials x 100 (timeouts count as wrong); mean RT over answered trials.

    Both rounded half-up to 1 decimal place for reporting and rule comparison.
    """

    trials: int
    correct: int
    accuracy_pct: Decimal
    mean_rt_ms: Decimal | None
    affected: SideScore
    unaffected: SideScore


@dataclass(frozen=True, slots=True)
class GmiDecision:
    action: GmiAction
    stage: GmiStage
    reasons: tuple[str, ...]


_ONE_DP = Decimal("0.1")


def _side_score(trials: Sequence[LateralityTrial]) -> SideScore:
    correct = sum(1 for t in trials if t.answer is t.shown)
    answered = [t.reaction_time_ms for t in trials if t.answer is not None]
    accuracy = (
        (Decimal(correct) * 100 / len(trials)).quantize(_ONE_DP, ROUND_HALF_UP)
        if trials
        else Decimal(0)
    )
    mean_rt = (
        (Decimal(sum(answered)) / len(answered)).quantize(_ONE_DP, ROUND_HALF_UP)
        if answered
        else None
    )
    return SideScore(len(trials), correct, accuracy, mean_rt)


def score_laterality(trials: Sequence[LateralityTrial], *, affected_side: Side) -> LateralityScore:
    """Score a left/right judgement test overall and for the affected and unaffected side."""
    if not trials:
        raise IncompleteResponse("laterality test has no trials")
    for i, t in enumerate(trials):
        if isinstance(t.reaction_time_ms, bool) or t.reaction_time_ms <= 0:
            raise InvalidAnswer(f"trial {i}: reaction time must be a positive integer (ms)")
    whole = _side_score(trials)
    return LateralityScore(
        trials=whole.trials,
        correct=whole.correct,
        accuracy_pct=whole.accuracy_pct,
        mean_rt_ms=whole.mean_rt_ms,
        affected=_side_score([t for t in trials if t.shown is affected_side]),
        unaffected=_side_score([t for t in trials if t.shown is not affected_side]),
    )


def laterality_shortfalls(
    score: LateralityScore, *, rules: GmiRules | None = None
) -> tuple[str, ...]:
    """Reasons the laterality result is not yet 'normal'; empty when every criterion is met."""
    r = rules if rules is not None else default_rules().gmi
    out: list[str] = []
    if score.trials < r.min_trials.as_int:
        out.append(f"fewer than {r.min_trials.as_int} trials")
    if score.accuracy_pct < r.laterality_accuracy_min_pct.value:
        out.append(f"accuracy below {r.laterality_accuracy_min_pct.value}%")
    if score.mean_rt_ms is None or score.mean_rt_ms > r.laterality_mean_rt_max_ms.value:
        out.append(f"mean reaction time above {r.laterality_mean_rt_max_ms.value} ms")
    gap = score.unaffected.accuracy_pct - score.affected.accuracy_pct
    if gap > r.side_accuracy_gap_max_pct.value:
        out.append(f"affected side accuracy lags by more than {r.side_accuracy_gap_max_pct.value}")
    a_rt, u_rt = score.affected.mean_rt_ms, score.unaffected.mean_rt_ms
    if a_rt is not None and u_rt is not None and a_rt - u_rt > r.side_rt_gap_max_ms.value:
        out.append(f"affected side slower by more than {r.side_rt_gap_max_ms.value} ms")
    return tuple(out)


def decide_gmi_stage(
    stage: GmiStage,
    *,
    stage_started_on: date,
    today: date,
    latest_laterality: LateralityScore | None,
    session_pain_rise_nrs: Sequence[int] = (),
    rules: GmiRules | None = None,
) -> GmiDecision:
    """Stage progression: minimum 2 weeks per stage plus the laterality and tolerance criteria.

    Args:
        latest_laterality: most recent laterality test (required to leave or to keep stage 1-2).
        session_pain_rise_nrs: pain after minus before, for this stage's recent sessions.
    """
    r = rules if rules is not None else default_rules().gmi
    if today < stage_started_on:
        raise InvalidAnswer("today is before the stage start")
    if stage is GmiStage.COMPLETE:
        return GmiDecision(GmiAction.STAY, stage, ("GMI complete",))
    rises = [check_range(x, -NRS_MAX, NRS_MAX, "session pain rise") for x in session_pain_rise_nrs]
    max_rise = r.max_session_pain_rise_nrs.as_int
    idx = _ORDER.index(stage)
    laterality_gaps = (
        laterality_shortfalls(latest_laterality, rules=r)
        if latest_laterality is not None
        else ("no laterality test recorded",)
    )
    # SAFETY: imagined and mirror movements can provoke pain; regress when sessions flare.
    if stage is not GmiStage.LATERALITY and any(x > max_rise for x in rises):
        return GmiDecision(
            GmiAction.STEP_BACK,
            _ORDER[idx - 1],
            (f"pain rose by more than {max_rise} points during a session",),
        )
    # GMI FAQ: laterality may be lost under stress or relapse; mirror work needs it mastered.
    is_full_test = latest_laterality is not None and latest_laterality.trials >= r.min_trials.as_int
    if stage is GmiStage.MIRROR_THERAPY and is_full_test and laterality_gaps:
        return GmiDecision(
            GmiAction.STEP_BACK,
            GmiStage.LATERALITY,
            ("laterality no longer meets criteria", *laterality_gaps),
        )
    reasons: list[str] = []
    days = (today - stage_started_on).days
    if days < r.min_days_per_stage.as_int:
        reasons.append(f"{days} of {r.min_days_per_stage.as_int} days in stage")
    if stage in (GmiStage.LATERALITY, GmiStage.IMAGINED_MOVEMENTS):
        reasons.extend(laterality_gaps)
    if stage is not GmiStage.LATERALITY and not rises:
        reasons.append("no session pain ratings recorded for this stage")
    if reasons:
        return GmiDecision(GmiAction.STAY, stage, tuple(reasons))
    return GmiDecision(GmiAction.ADVANCE, _ORDER[idx + 1], ("stage criteria met",))
