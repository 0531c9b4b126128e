import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import NeuropathicScreen as B
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import without

# "yes" weights restated from Bennett 2005 (clinical-reference 1.1): 5, 5, 3, 2, 1, 5, 3
YES = {1: 5, 2: 5, 3: 3, 4: 2, 5: 1, 6: 5, 7: 3}


def answers(*yes_items: int) -> dict[str, str]:
    return {f"s-lanss-{n}": ("yes" if n in yes_items else "no") for n in range(1, 8)}


CASES = [
    pytest.param(answers(), 0, B.UNLIKELY, id="minimum"),
    pytest.param(answers(1, 2, 3, 4, 5, 6, 7), 24, B.LIKELY, id="maximum"),  # 5+5+3+2+1+5+3
    pytest.param(answers(1, 3, 7), 11, B.UNLIKELY, id="cutoff-minus-1"),  # 5+3+3 = 11
    pytest.param(answers(1, 2, 4), 12, B.LIKELY, id="cutoff-exactly-12"),  # 5+5+2 = 12
    pytest.param(answers(2, 3, 5, 7), 12, B.LIKELY, id="cutoff-other-combination"),  # 5+3+1+3
]


@pytest.mark.parametrize(("given", "total", "band"), CASES)
def test_s_lanss_weighted_total_and_band(given: dict[str, str], total: int, band: B) -> None:
    result = score("s-lanss", given)
    assert result.total == total
    assert result.band is band


def test_s_lanss_accepts_weighted_value_and_refuses_unweighted_one() -> None:
    base = answers()
    assert score("s-lanss", {**base, "s-lanss-1": YES[1]}).total == 5
    with pytest.raises(InvalidAnswer, match="s-lanss-1"):
        score("s-lanss", {**base, "s-lanss-1": 1})


def test_s_lanss_missing_item_is_incomplete() -> None:
    result = score("s-lanss", without(answers(1, 2), "s-lanss-6"))
    assert not result.is_complete and result.total is None
    assert result.missing == ("s-lanss-6",)
