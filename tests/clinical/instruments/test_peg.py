from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import numbered

CASES = [
    pytest.param([0, 0, 0], Decimal(0), id="minimum"),
    pytest.param([10, 10, 10], Decimal(10), id="maximum"),
    pytest.param([5, 6, 7], Decimal(6), id="whole-mean"),  # 18 / 3 = 6
    pytest.param([1, 1, 2], Decimal(4) / Decimal(3), id="mean-kept-exact"),  # 4 / 3, not rounded
]


@pytest.mark.parametrize(("values", "total"), CASES)
def test_peg_total_is_the_mean_of_three_items(values: list[int], total: Decimal) -> None:
    result = score("peg", numbered("peg", values))
    assert result.total == total
    assert result.band is None  # PEG has no formal bands


def test_peg_missing_item_is_not_prorated() -> None:
    # the mean of two answered items (4 + 6) / 2 = 5 would be a guess; PEG needs all three
    result = score("peg", {"peg-1": 4, "peg-2": 6})
    assert result.total is None and result.missing == ("peg-3",)


def test_peg_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="peg-2"):
        score("peg", {"peg-1": 1, "peg-2": 11, "peg-3": 1})
