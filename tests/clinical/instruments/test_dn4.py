from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import NeuropathicScreen as B
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import numbered, without

CASES = [
    pytest.param([0] * 10, 0, B.UNLIKELY, id="minimum-all-no"),
    pytest.param([1] * 10, 10, B.LIKELY, id="maximum-all-yes"),
    # 1+1+1 = 3, one below the published cut-off of 4
    pytest.param([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], 3, B.UNLIKELY, id="cutoff-minus-1"),
    # 1+1+1+1 = 4, exactly the cut-off
    pytest.param([1, 0, 1, 0, 1, 0, 0, 1, 0, 0], 4, B.LIKELY, id="cutoff-exactly-4"),
]


@pytest.mark.parametrize(("values", "total", "band"), CASES)
def test_dn4_total_and_band(values: list[int], total: int, band: B) -> None:
    result = score("dn4", numbered("dn4", values))
    assert result.is_complete
    assert result.total == total
    assert result.band is band


def test_dn4_subscales_split_interview_and_examination() -> None:
    # interview items 1-7: 1+1+0+1+0+0+1 = 4; examination 8-10: 1+0+1 = 2
    result = score("dn4", numbered("dn4", [1, 1, 0, 1, 0, 0, 1, 1, 0, 1]))
    assert result.subscales == {"interview": Decimal(4), "examination": Decimal(2)}
    assert result.total == 6


def test_dn4_missing_examination_item_is_incomplete_but_keeps_interview() -> None:
    result = score("dn4", without(numbered("dn4", [1] * 10), "dn4-9"))
    assert not result.is_complete
    assert result.total is None and result.band is None
    assert result.missing == ("dn4-9",)
    assert result.subscales == {"interview": Decimal(7), "examination": None}


def test_dn4_accepts_option_codes() -> None:
    answers = {f"dn4-{n}": ("yes" if n <= 4 else "no") for n in range(1, 11)}
    assert score("dn4", answers).total == 4


@pytest.mark.parametrize("bad", [2, -1, "maybe", True], ids=["two", "negative", "word", "bool"])
def test_dn4_out_of_range_answer_names_the_link_id(bad: object) -> None:
    answers: dict[str, object] = {**numbered("dn4", [0] * 10), "dn4-3": bad}
    with pytest.raises(InvalidAnswer, match="dn4-3"):
        score("dn4", answers)  # type: ignore[arg-type]


INTERVIEW_CASES = [
    pytest.param([0] * 7, 0, B.UNLIKELY, id="minimum"),
    pytest.param([1] * 7, 7, B.LIKELY, id="maximum"),
    pytest.param([1, 1, 0, 0, 0, 0, 0], 2, B.UNLIKELY, id="cutoff-minus-1"),  # 1+1 = 2 < 3
    pytest.param([0, 0, 0, 0, 1, 1, 1], 3, B.LIKELY, id="cutoff-exactly-3"),  # 1+1+1 = 3
]


@pytest.mark.parametrize(("values", "total", "band"), INTERVIEW_CASES)
def test_dn4_interview_total_and_band(values: list[int], total: int, band: B) -> None:
    result = score("dn4-interview", numbered("dn4-interview", values))
    assert result.total == total
    assert result.band is band


def test_dn4_interview_missing_item_is_incomplete() -> None:
    result = score("dn4-interview", without(numbered("dn4-interview", [1] * 7), "dn4-interview-7"))
    assert not result.is_complete and result.total is None
    assert result.missing == ("dn4-interview-7",)


def test_dn4_interview_refuses_examination_link_ids() -> None:
    with pytest.raises(InvalidAnswer, match="dn4-8"):
        score("dn4-interview", {**numbered("dn4-interview", [0] * 7), "dn4-8": 1})
