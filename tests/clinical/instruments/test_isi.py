import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import InsomniaSeverity as I
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import numbered, without

CASES = [
    pytest.param([0] * 7, 0, I.NONE, id="minimum"),
    pytest.param([4] * 7, 28, I.SEVERE, id="maximum"),  # 7 x 4 = 28
    pytest.param([1] * 7, 7, I.NONE, id="subthreshold-cutoff-minus-1"),  # 7 x 1
    pytest.param([2, 1, 1, 1, 1, 1, 1], 8, I.SUBTHRESHOLD, id="subthreshold-cutoff-8"),
    pytest.param([2] * 7, 14, I.SUBTHRESHOLD, id="moderate-cutoff-minus-1"),  # 7 x 2
    pytest.param([3, 2, 2, 2, 2, 2, 2], 15, I.MODERATE, id="moderate-cutoff-15"),
    pytest.param([3] * 7, 21, I.MODERATE, id="severe-cutoff-minus-1"),  # 7 x 3
    pytest.param([4, 3, 3, 3, 3, 3, 3], 22, I.SEVERE, id="severe-cutoff-22"),
]


@pytest.mark.parametrize(("values", "total", "band"), CASES)
def test_isi_total_and_band(values: list[int], total: int, band: I) -> None:
    result = score("isi", numbered("isi", values))
    assert result.total == total
    assert result.band is band


def test_isi_needs_all_seven_items() -> None:
    result = score("isi", without(numbered("isi", [4] * 7), "isi-4"))
    assert result.total is None and result.missing == ("isi-4",)


def test_isi_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="isi-1"):
        score("isi", {**numbered("isi", [0] * 7), "isi-1": -1})
