from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import Catastrophising
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import numbered, without

CASES = [
    pytest.param([0] * 13, 0, Catastrophising.BELOW_THRESHOLD, id="minimum"),
    pytest.param([4] * 13, 52, Catastrophising.CLINICALLY_RELEVANT, id="maximum"),  # 13 x 4 = 52
    # 7 x 4 + 1 = 29
    pytest.param([4] * 7 + [1] + [0] * 5, 29, Catastrophising.BELOW_THRESHOLD, id="cutoff-minus-1"),
    # 7 x 4 + 2 = 30
    pytest.param(
        [4] * 7 + [2] + [0] * 5, 30, Catastrophising.CLINICALLY_RELEVANT, id="cutoff-exactly-30"
    ),
]


@pytest.mark.parametrize(("values", "total", "band"), CASES)
def test_pcs_total_and_band(values: list[int], total: int, band: Catastrophising) -> None:
    result = score("pcs", numbered("pcs", values))
    assert result.total == total
    assert result.band is band


def test_pcs_subscales_follow_the_published_item_key() -> None:
    # Item n answered with n mod 5 to make every item distinct-ish:
    # values 1..13 -> 1,2,3,4,0,1,2,3,4,0,1,2,3
    values = [n % 5 for n in range(1, 14)]
    result = score("pcs", numbered("pcs", values))
    # rumination items 8,9,10,11 -> 3+4+0+1 = 8
    # magnification items 6,7,13 -> 1+2+3 = 6
    # helplessness items 1,2,3,4,5,12 -> 1+2+3+4+0+2 = 12
    assert result.subscales == {
        "rumination": Decimal(8),
        "magnification": Decimal(6),
        "helplessness": Decimal(12),
    }
    assert result.total == 26  # 8 + 6 + 12


def test_pcs_missing_item_is_incomplete_not_prorated() -> None:
    result = score("pcs", without(numbered("pcs", [2] * 13), "pcs-10"))
    assert result.total is None and result.missing == ("pcs-10",)
    assert result.subscales["rumination"] is None
    assert result.subscales["magnification"] == 6  # 3 x 2, untouched by the missing item


def test_pcs_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="pcs-13"):
        score("pcs", {**numbered("pcs", [0] * 13), "pcs-13": 5})
