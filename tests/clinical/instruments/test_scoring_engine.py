"""The generic engine on a small made-up instrument, for rules no shipped instrument exercises."""

from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.common import numeric_options
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    Aggregation,
    Item,
    Mcid,
    Scale,
    ScoreResult,
    Source,
    UnknownLinkId,
)

RULE = Source("test rule", is_verified=True)
ITEMS = (
    Item("demo-1", "plain", numeric_options(1, 4)),
    Item("demo-2", "reverse-keyed", numeric_options(1, 4), is_reverse_scored=True),
)
SCORE = standard_scorer(
    "demo", ITEMS, total=Scale(TOTAL, ("demo-1", "demo-2"), Aggregation.SUM, 2, RULE)
)


@pytest.mark.parametrize(
    ("plain", "reverse", "total"),
    [
        pytest.param(1, 4, 2, id="reverse-4-scores-1"),  # 1 + (1 + 4 - 4) = 2
        pytest.param(4, 1, 8, id="reverse-1-scores-4"),  # 4 + (1 + 4 - 1) = 8
        pytest.param(3, 2, 6, id="reverse-2-scores-3"),  # 3 + (1 + 4 - 2) = 6
    ],
)
def test_reverse_scored_item_is_mirrored_within_its_range(
    plain: int, reverse: int, total: int
) -> None:
    assert SCORE({"demo-1": plain, "demo-2": reverse}).total == total


def test_unknown_link_id_is_an_invalid_answer_naming_it() -> None:
    with pytest.raises(UnknownLinkId, match="demo-3"):
        SCORE({"demo-1": 1, "demo-2": 1, "demo-3": 1})
    assert issubclass(UnknownLinkId, InvalidAnswer)


def test_every_invalid_link_id_is_named_in_the_error() -> None:
    with pytest.raises(InvalidAnswer, match=r"demo-1: 0 .*; demo-2: 'x'") as caught:
        SCORE({"demo-1": 0, "demo-2": "x"})
    assert "demo-1" in str(caught.value) and "demo-2" in str(caught.value)


def test_invalid_answer_is_raised_even_when_the_response_is_incomplete() -> None:
    with pytest.raises(InvalidAnswer, match="demo-1"):
        SCORE({"demo-1": 9})


def test_incomplete_constructor_never_carries_a_total() -> None:
    result = ScoreResult.incomplete(["demo-2"])
    assert result.total is None and result.band is None
    assert result.missing == ("demo-2",) and not result.is_complete


def test_a_sum_scale_cannot_be_declared_with_missing_items_allowed() -> None:
    with pytest.raises(ValueError, match="only a mean"):
        Scale(TOTAL, ("demo-1", "demo-2"), Aggregation.SUM, 1, RULE)


def test_mean_scale_may_allow_missing_items() -> None:
    scale = Scale(TOTAL, ("demo-1", "demo-2"), Aggregation.MEAN, 1, RULE)
    score = standard_scorer("demo", ITEMS, total=scale)
    assert score({"demo-1": 3}).total == Decimal(3)


def test_mcid_needs_a_threshold() -> None:
    with pytest.raises(ValueError, match="points or percent"):
        Mcid(source=RULE)
