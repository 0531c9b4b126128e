"""Goal Attainment Scaling (GAS) and the Kiresuk-Sherman T-score.

Source: Kiresuk TJ, Sherman RE 1968, *Community Ment Health J* 4:443-453 (clinical-reference.md 5.1;
formula verified there via the nationalcalculatorauthority GAS calculator). Re-checked for this module
against Turner-Stokes L 2009, *Clin Rehabil* 23:362-370 and its erratum (corrected formula
50 + 10*sum(w*x) / sqrt(0.7*sum(w^2) + 0.3*(sum(w))^2), seen in a studylib copy of the paper).

    T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i^2) + rho * (sum(w_i))^2)

x_i is the attainment level (-2..+2), w_i the goal weight, rho the assumed inter-goal correlation.
T = 50 when every goal is at its expected level (x_i = 0); the unweighted form uses w_i = 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Final

from painpath.clinical.errors import DomainError


class InvalidGasScale(DomainError):
    """A GAS goal or parameter is outside the method's definition."""


class GasLevel(IntEnum):
    """The five attainment levels; 0 is the expected outcome (Kiresuk & Sherman 1968)."""

    MUCH_LESS = -2
    SOMEWHAT_LESS = -1
    EXPECTED = 0
    SOMEWHAT_MORE = 1
    MUCH_MORE = 2


# Kiresuk & Sherman 1968 via clinical-reference.md 5.1; Turner-Stokes 2009 erratum uses 0.3 too.
DEFAULT_RHO: Final = Decimal("0.3")
# Many rehabilitation services set the baseline at -1 (or -2 if no change would be a worsening).
# Turner-Stokes L 2009, *Clin Rehabil* 23:362-370 (unverified): configurable, not enforced.
DEFAULT_BASELINE_LEVEL: Final = GasLevel.SOMEWHAT_LESS
BASELINE_LEVEL_VERIFIED: Final = False

_FIFTY: Final = Decimal(50)
_TEN: Final = Decimal(10)


@dataclass(frozen=True, slots=True)
class GasGoal:
    """A scaled goal: its weight, its level at baseline and (once reviewed) the attained level."""

    goal_id: str
    weight: Decimal
    baseline_level: GasLevel = DEFAULT_BASELINE_LEVEL
    attained_level: GasLevel | None = None


@dataclass(frozen=True, slots=True)
class GoalAttainment:
    """Per-goal attainment, shown next to the T-score (reference 5.1: show both)."""

    goal_id: str
    weight: Decimal
    baseline_level: GasLevel
    attained_level: GasLevel
    change: int  # attained - baseline, in levels


@dataclass(frozen=True, slots=True)
class GasResult:
    """T-scores at baseline and at review; ``None`` scores only when ``unrated`` is not empty."""

    baseline_t_score: Decimal
    t_score: Decimal | None
    per_goal: tuple[GoalAttainment, ...]
    unrated: tuple[str, ...]
    rho: Decimal

    @property
    def is_complete(self) -> bool:
        """True when every goal has an attained level."""
        return not self.unrated

    @classmethod
    def incomplete(
        cls, baseline_t_score: Decimal, unrated: Sequence[str], rho: Decimal
    ) -> GasResult:
        """A result that cannot give a review T-score because some goals were not rated."""
        return cls(baseline_t_score, None, (), tuple(unrated), rho)


def weight_from(importance: int, difficulty: int) -> Decimal:
    """Weight = importance x difficulty, each rated 0-3 (Turner-Stokes 2009 (unverified)).

    Raises:
        InvalidGasScale: a rating outside 0-3, or a product of 0 (the goal would not count).
    """
    if not (0 <= importance <= 3 and 0 <= difficulty <= 3):
        raise InvalidGasScale(f"importance {importance} / difficulty {difficulty} outside 0-3")
    if importance * difficulty == 0:
        raise InvalidGasScale("a weight of 0 removes the goal from the T-score")
    return Decimal(importance * difficulty)


def t_score(
    levels_and_weights: Sequence[tuple[GasLevel, Decimal]], *, rho: Decimal = DEFAULT_RHO
) -> Decimal:
    """Kiresuk-Sherman T-score of (level, weight) pairs, unrounded.

    Raises:
        InvalidGasScale: no goals, a weight <= 0, or rho outside [0, 1).
    """
    if not levels_and_weights:
        raise InvalidGasScale("a GAS T-score needs at least one goal")
    if not Decimal(0) <= rho < Decimal(1):
        raise InvalidGasScale(f"rho {rho} outside [0, 1)")
    if any(weight <= 0 for _, weight in levels_and_weights):
        raise InvalidGasScale("GAS weights must be > 0")
    weighted_sum = sum((Decimal(int(level)) * w for level, w in levels_and_weights), Decimal(0))
    sum_w = sum((w for _, w in levels_and_weights), Decimal(0))
    sum_w_sq = sum((w * w for _, w in levels_and_weights), Decimal(0))
    denominator = ((1 - rho) * sum_w_sq + rho * sum_w * sum_w).sqrt()
    return _FIFTY + _TEN * weighted_sum / denominator


def score_gas(goals: Sequence[GasGoal], *, rho: Decimal = DEFAULT_RHO) -> GasResult:
    """Baseline and review T-scores plus per-goal attainment for a set of scaled goals."""
    baseline = t_score([(g.baseline_level, g.weight) for g in goals], rho=rho)
    unrated = [g.goal_id for g in goals if g.attained_level is None]
    if unrated:
        return GasResult.incomplete(baseline, unrated, rho)
    per_goal: list[GoalAttainment] = []
    pairs: list[tuple[GasLevel, Decimal]] = []
    for g in goals:
        assert g.attained_level is not None  # narrowed by the unrated check above
        per_goal.append(
            GoalAttainment(
                goal_id=g.goal_id,
                weight=g.weight,
                baseline_level=g.baseline_level,
                attained_level=g.attained_level,
                change=int(g.attained_level) - int(g.baseline_level),
            )
        )
        pairs.append((g.attained_level, g.weight))
    return GasResult(
        baseline_t_score=baseline,
        t_score=t_score(pairs, rho=rho),
        per_goal=tuple(per_goal),
        unrated=(),
        rho=rho,
    )
