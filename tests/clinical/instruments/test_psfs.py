from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.registry import score
from painpath.clinical.instruments.spec import Flag
from tests.clinical.instruments._answers import numbered

CASES = [
    pytest.param([0], Decimal(0), id="minimum-one-activity"),
    pytest.param([10] * 5, Decimal(10), id="maximum-five-activities"),
    pytest.param([3, 4], Decimal("3.5"), id="two-activities"),  # (3 + 4) / 2
    pytest.param([2, 5, 9], Decimal(16) / Decimal(3), id="three-activities-exact"),  # 16 / 3
    pytest.param([1, 2, 3, 4, 5], Decimal(3), id="five-activities"),  # 15 / 5
]


@pytest.mark.parametrize(("values", "total"), CASES)
def test_psfs_score_is_mean_of_chosen_activities(values: list[int], total: Decimal) -> None:
    result = score("psfs", numbered("psfs", values))
    assert result.total == total
    assert result.is_complete and result.missing == ()
    assert Flag.PRORATED not in result.flags  # unused slots are not missing items


def test_psfs_non_contiguous_slots_are_fine() -> None:
    assert score("psfs", {"psfs-2": 6, "psfs-5": 8}).total == 7  # (6 + 8) / 2


def test_psfs_no_activity_is_incomplete() -> None:
    result = score("psfs", {})
    assert not result.is_complete and result.total is None


def test_psfs_sixth_activity_is_an_unknown_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="psfs-6"):
        score("psfs", numbered("psfs", [5] * 6))


def test_psfs_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="psfs-1"):
        score("psfs", {"psfs-1": 11})
