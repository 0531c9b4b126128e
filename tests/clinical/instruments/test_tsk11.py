import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments import tsk11
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import numbered, without

CASES = [
    pytest.param([1] * 11, 11, id="minimum"),  # 11 x 1
    pytest.param([4] * 11, 44, id="maximum"),  # 11 x 4
    # (2+3+4+1) + (2+3+4+1) + (2+3+4) = 10 + 10 + 9 = 29
    pytest.param([2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], 29, id="mixed"),
]


@pytest.mark.parametrize(("values", "total"), CASES)
def test_tsk11_total_has_no_band(values: list[int], total: int) -> None:
    result = score("tsk-11", numbered("tsk-11", values))
    assert result.total == total
    assert result.band is None


def test_tsk11_has_no_reverse_items_and_drops_tsk17_reverse_items() -> None:
    # TSK-17 reverse-keyed items 4, 8, 12, 16 must not be in the TSK-11 (Woby 2005).
    assert not any(i.is_reverse_scored for i in tsk11.ITEMS)
    kept = set(tsk11.TSK17_NUMBER.values())
    assert kept == {1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17}
    assert kept.isdisjoint({4, 8, 9, 12, 14, 16})


def test_tsk11_zero_is_out_of_range() -> None:
    with pytest.raises(InvalidAnswer, match="tsk-11-1"):
        score("tsk-11", {**numbered("tsk-11", [1] * 11), "tsk-11-1": 0})


def test_tsk11_missing_item_is_incomplete() -> None:
    result = score("tsk-11", without(numbered("tsk-11", [2] * 11), "tsk-11-11"))
    assert result.total is None and result.missing == ("tsk-11-11",)
