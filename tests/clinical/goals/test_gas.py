"""GAS T-score (Kiresuk & Sherman 1968), expected values restated by hand.

T = 50 + 10 * S / sqrt((1 - rho) * W2 + rho * W1^2) with S = sum(w*x), W1 = sum(w), W2 = sum(w^2).
"""

from decimal import Decimal

import pytest

from painpath.clinical.goals import (
    GasGoal,
    GasLevel,
    InvalidGasScale,
    score_gas,
    t_score,
    weight_from,
)

L = GasLevel
ONE = Decimal(1)

T_CASES = [
    # All goals at expected level: S = 0 -> T = 50 exactly.
    pytest.param([(L.EXPECTED, ONE)] * 3, Decimal("0.3"), "50.000", id="all-expected-is-50"),
    # One goal at +1, w = 1: denominator sqrt(0.7*1 + 0.3*1) = 1 -> T = 50 + 10 = 60.
    pytest.param([(L.SOMEWHAT_MORE, ONE)], Decimal("0.3"), "60.000", id="single-goal-plus-one"),
    # Three unweighted goals at +1: S = 3, W2 = 3, W1 = 3 -> sqrt(2.1 + 2.7) = sqrt(4.8) = 2.19089
    # -> T = 50 + 30 / 2.19089 = 50 + 13.693 = 63.693.
    pytest.param(
        [(L.SOMEWHAT_MORE, ONE)] * 3, Decimal("0.3"), "63.693", id="three-unweighted-plus-one"
    ),
    # Three unweighted goals at -1 (a common baseline): mirror image -> 50 - 13.693 = 36.307.
    pytest.param(
        [(L.SOMEWHAT_LESS, ONE)] * 3, Decimal("0.3"), "36.307", id="three-unweighted-minus-one"
    ),
    # Worked example, weighted: levels (+1, 0, -1), weights (1, 2, 3).
    # S = 1*1 + 2*0 + 3*(-1) = -2; W2 = 1 + 4 + 9 = 14; W1 = 6 -> W1^2 = 36.
    # sqrt(0.7*14 + 0.3*36) = sqrt(9.8 + 10.8) = sqrt(20.6) = 4.538722.
    # T = 50 + 10 * (-2) / 4.538722 = 50 - 4.406551 = 45.593.
    pytest.param(
        [(L.SOMEWHAT_MORE, ONE), (L.EXPECTED, Decimal(2)), (L.SOMEWHAT_LESS, Decimal(3))],
        Decimal("0.3"),
        "45.593",
        id="weighted-worked-example",
    ),
    # Two goals at +2 and -2, weights 4 and 1: S = 8 - 2 = 6; W2 = 17; W1 = 5 -> 25.
    # sqrt(0.7*17 + 0.3*25) = sqrt(11.9 + 7.5) = sqrt(19.4) = 4.404543 -> T = 50 + 60/4.404543 = 63.622.
    pytest.param(
        [(L.MUCH_MORE, Decimal(4)), (L.MUCH_LESS, ONE)],
        Decimal("0.3"),
        "63.622",
        id="extremes-weighted",
    ),
    # rho = 0 (independent goals), two unweighted +1: sqrt(2) = 1.414214 -> 50 + 20/1.414214 = 64.142.
    pytest.param([(L.SOMEWHAT_MORE, ONE)] * 2, Decimal(0), "64.142", id="rho-zero"),
]


@pytest.mark.parametrize(("pairs", "rho", "expected"), T_CASES)
def test_gas_t_score_matches_hand_arithmetic(
    pairs: list[tuple[GasLevel, Decimal]], rho: Decimal, expected: str
) -> None:
    assert t_score(pairs, rho=rho).quantize(Decimal("0.001")) == Decimal(expected)


@pytest.mark.parametrize(
    ("pairs", "rho"),
    [
        pytest.param([], Decimal("0.3"), id="no-goals"),
        pytest.param([(L.EXPECTED, Decimal(0))], Decimal("0.3"), id="zero-weight"),
        pytest.param([(L.EXPECTED, ONE)], Decimal(1), id="rho-one"),
        pytest.param([(L.EXPECTED, ONE)], Decimal("-0.1"), id="rho-negative"),
    ],
)
def test_gas_t_score_rejects_invalid_scales(
    pairs: list[tuple[GasLevel, Decimal]], rho: Decimal
) -> None:
    with pytest.raises(InvalidGasScale):
        t_score(pairs, rho=rho)


def test_score_gas_reports_baseline_review_and_per_goal_change() -> None:
    goals = [
        GasGoal("lift-daughter", Decimal(1), L.SOMEWHAT_LESS, L.SOMEWHAT_MORE),
        GasGoal("part-time-work", Decimal(2), L.MUCH_LESS, L.EXPECTED),
        GasGoal("sleep", Decimal(3), L.SOMEWHAT_LESS, L.SOMEWHAT_LESS),
    ]
    result = score_gas(goals)
    # Baseline: S = -1 - 4 - 3 = -8; denominator sqrt(20.6) = 4.538722 -> 50 - 80/4.538722 = 32.374.
    assert result.baseline_t_score.quantize(Decimal("0.001")) == Decimal("32.374")
    # Review equals the weighted worked example above: 45.593.
    assert result.t_score is not None
    assert result.t_score.quantize(Decimal("0.001")) == Decimal("45.593")
    assert [g.change for g in result.per_goal] == [2, 2, 0]
    assert result.is_complete


def test_score_gas_without_all_ratings_is_incomplete_not_a_guess() -> None:
    goals = [
        GasGoal("a", ONE, L.SOMEWHAT_LESS, L.EXPECTED),
        GasGoal("b", ONE, L.SOMEWHAT_LESS, None),
    ]
    result = score_gas(goals)
    assert result.t_score is None
    assert result.unrated == ("b",)
    assert not result.is_complete


@pytest.mark.parametrize(
    ("importance", "difficulty", "expected"),
    [
        pytest.param(1, 1, Decimal(1), id="minimum"),
        pytest.param(3, 2, Decimal(6), id="three-by-two"),
        pytest.param(3, 3, Decimal(9), id="maximum"),
    ],
)
def test_gas_weight_is_importance_times_difficulty(
    importance: int, difficulty: int, expected: Decimal
) -> None:
    assert weight_from(importance, difficulty) == expected


@pytest.mark.parametrize(
    ("importance", "difficulty"),
    [pytest.param(0, 2, id="zero-importance"), pytest.param(4, 1, id="importance-above-3")],
)
def test_gas_weight_rejects_out_of_range(importance: int, difficulty: int) -> None:
    with pytest.raises(InvalidGasScale):
        weight_from(importance, difficulty)
