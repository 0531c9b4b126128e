import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import AnxietySeverity as A
from painpath.clinical.instruments.bands import ScreenResult as S
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import numbered, without

CASES = [
    pytest.param([0] * 7, 0, A.MINIMAL, id="minimum"),
    pytest.param([3] * 7, 21, A.SEVERE, id="maximum"),  # 7 x 3 = 21
    pytest.param([1, 1, 1, 1, 0, 0, 0], 4, A.MINIMAL, id="mild-cutoff-minus-1"),
    pytest.param([1, 1, 1, 1, 1, 0, 0], 5, A.MILD, id="mild-cutoff-5"),
    pytest.param([2, 2, 2, 2, 1, 0, 0], 9, A.MILD, id="moderate-cutoff-minus-1"),
    pytest.param([2, 2, 2, 2, 2, 0, 0], 10, A.MODERATE, id="moderate-cutoff-10"),
    pytest.param([2, 2, 2, 2, 2, 2, 2], 14, A.MODERATE, id="severe-cutoff-minus-1"),
    pytest.param([3, 3, 3, 2, 2, 2, 0], 15, A.SEVERE, id="severe-cutoff-15"),
]


@pytest.mark.parametrize(("values", "total", "band"), CASES)
def test_gad7_total_and_band(values: list[int], total: int, band: A) -> None:
    result = score("gad-7", numbered("gad-7", values))
    assert result.total == total
    assert result.band is band


def test_gad7_missing_item_is_incomplete_not_prorated() -> None:
    result = score("gad-7", without(numbered("gad-7", [3] * 7), "gad-7-7"))
    assert result.total is None and result.missing == ("gad-7-7",)


def test_gad7_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="gad-7-2"):
        score("gad-7", {**numbered("gad-7", [0] * 7), "gad-7-2": 9})


GAD2_CASES = [
    pytest.param([0, 0], 0, S.NEGATIVE, id="minimum"),
    pytest.param([3, 3], 6, S.POSITIVE, id="maximum"),
    pytest.param([2, 0], 2, S.NEGATIVE, id="cutoff-minus-1"),
    pytest.param([0, 3], 3, S.POSITIVE, id="cutoff-exactly-3"),
]


@pytest.mark.parametrize(("values", "total", "band"), GAD2_CASES)
def test_gad2_total_and_band(values: list[int], total: int, band: S) -> None:
    result = score("gad-2", numbered("gad-2", values))
    assert result.total == total
    assert result.band is band


def test_gad2_missing_item_is_incomplete() -> None:
    assert not score("gad-2", {"gad-2-2": 1}).is_complete
