import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import SelfEfficacy as E
from painpath.clinical.instruments.registry import INSTRUMENTS, score
from painpath.clinical.instruments.spec import Direction
from tests.clinical.instruments._answers import numbered, without

CASES = [
    pytest.param([0] * 10, 0, E.LOW, id="minimum"),
    pytest.param([6] * 10, 60, E.HIGH, id="maximum"),  # 10 x 6 = 60
    pytest.param([2] * 9 + [1], 19, E.LOW, id="low-cutoff-minus-1"),  # 9 x 2 + 1
    pytest.param([2] * 10, 20, E.MODERATE, id="moderate-from-20"),  # 10 x 2
    pytest.param([4] * 10, 40, E.MODERATE, id="high-cutoff-minus-1-is-40"),  # 10 x 4, not > 40
    pytest.param([4] * 9 + [5], 41, E.HIGH, id="high-above-40"),  # 9 x 4 + 5
]


@pytest.mark.parametrize(("values", "total", "band"), CASES)
def test_pseq_total_and_band(values: list[int], total: int, band: E) -> None:
    result = score("pseq", numbered("pseq", values))
    assert result.total == total
    assert result.band is band


def test_pseq_higher_is_better() -> None:
    assert INSTRUMENTS["pseq"].direction is Direction.HIGHER_IS_BETTER
    assert INSTRUMENTS["pseq-2"].direction is Direction.HIGHER_IS_BETTER


def test_pseq_missing_item_is_incomplete() -> None:
    result = score("pseq", without(numbered("pseq", [6] * 10), "pseq-10"))
    assert result.total is None and result.missing == ("pseq-10",)


def test_pseq_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="pseq-5"):
        score("pseq", {**numbered("pseq", [0] * 10), "pseq-5": 7})


@pytest.mark.parametrize(
    ("values", "total"),
    [
        pytest.param([0, 0], 0, id="minimum"),
        pytest.param([6, 6], 12, id="maximum"),  # 2 x 6
        pytest.param([3, 5], 8, id="mid"),  # 3 + 5
    ],
)
def test_pseq2_total_without_bands(values: list[int], total: int) -> None:
    result = score("pseq-2", numbered("pseq-2", values))
    assert result.total == total
    assert result.band is None


def test_pseq2_missing_item_is_incomplete() -> None:
    assert score("pseq-2", {"pseq-2-1": 6}).missing == ("pseq-2-2",)
