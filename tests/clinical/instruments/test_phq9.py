import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import DepressionSeverity as D
from painpath.clinical.instruments.bands import ScreenResult as S
from painpath.clinical.instruments.registry import score
from painpath.clinical.instruments.spec import Flag, InvalidResponse
from tests.clinical.instruments._answers import numbered, without

CASES = [
    pytest.param([0] * 9, 0, D.MINIMAL, id="minimum"),
    # 8 x 3 + item 9 (0) = 24; the true maximum (item 9 > 0) is tested with the safety flag below
    pytest.param([3] * 8 + [0], 24, D.SEVERE, id="maximum-without-item-9"),
    pytest.param([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, D.MINIMAL, id="mild-cutoff-minus-1"),
    pytest.param([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, D.MILD, id="mild-cutoff-5"),
    pytest.param([2, 2, 2, 1, 1, 1, 0, 0, 0], 9, D.MILD, id="moderate-cutoff-minus-1"),
    pytest.param([2, 2, 2, 2, 1, 1, 0, 0, 0], 10, D.MODERATE, id="moderate-cutoff-10"),
    pytest.param([2, 2, 2, 2, 2, 2, 2, 0, 0], 14, D.MODERATE, id="mod-severe-cutoff-minus-1"),
    pytest.param([3, 3, 3, 2, 2, 2, 0, 0, 0], 15, D.MODERATELY_SEVERE, id="mod-severe-cutoff-15"),
    pytest.param([3, 3, 3, 3, 3, 2, 2, 0, 0], 19, D.MODERATELY_SEVERE, id="severe-cutoff-minus-1"),
    pytest.param([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, D.SEVERE, id="severe-cutoff-20"),
]


@pytest.mark.parametrize(("values", "total", "band"), CASES)
def test_phq9_total_and_band(values: list[int], total: int, band: D) -> None:
    result = score("phq-9", numbered("phq-9", values))
    assert result.total == total
    assert result.band is band
    assert result.flags == frozenset()


def test_phq9_item_10_is_optional_and_not_scored() -> None:
    answers: dict[str, int | str] = {**numbered("phq-9", [1] * 9)}
    answers["phq-9-10"] = "extremely-difficult"
    result = score("phq-9", answers)
    assert result.total == 9  # 9 x 1; item 10 adds nothing
    assert result.is_complete and result.missing == ()


@pytest.mark.parametrize(
    ("item_9", "others"),
    [
        pytest.param(1, [0] * 8, id="item-9-several-days-total-1"),
        pytest.param(3, [3] * 8, id="item-9-nearly-every-day-total-27"),
    ],
)
def test_phq9_item_9_positive_raises_urgent_flag_whatever_the_total(
    item_9: int, others: list[int]
) -> None:
    result = score("phq-9", numbered("phq-9", [*others, item_9]))
    assert Flag.URGENT_SAFETY in result.flags
    assert result.total == sum(others) + item_9  # 0+1 = 1 (minimal) or 24+3 = 27 (maximum)


def test_phq9_item_9_positive_flags_even_when_other_items_missing() -> None:
    result = score("phq-9", {"phq-9-9": "several-days"})
    assert not result.is_complete and result.total is None
    assert Flag.URGENT_SAFETY in result.flags
    assert result.missing == tuple(f"phq-9-{n}" for n in range(1, 9))


def test_phq9_item_9_zero_with_missing_items_has_no_flag() -> None:
    result = score("phq-9", without(numbered("phq-9", [3] * 9), "phq-9-1", "phq-9-9"))
    assert result.flags == frozenset()
    assert result.missing == ("phq-9-1", "phq-9-9")


def test_phq9_missing_item_is_not_prorated() -> None:
    # 8 answered x 3 = 24; prorating would guess 27 — we must return no total at all.
    result = score("phq-9", without(numbered("phq-9", [3] * 9), "phq-9-5"))
    assert result.total is None and result.band is None and not result.is_complete


def test_phq9_invalid_answer_still_carries_the_item_9_safety_flag() -> None:
    # SAFETY: the response is refused (item 3 = 7 is not an option) but the positive item 9
    # must not be lost with it.
    answers = {**numbered("phq-9", [0] * 9), "phq-9-3": 7, "phq-9-9": 2}
    with pytest.raises(InvalidResponse, match="phq-9-3") as caught:
        score("phq-9", answers)
    assert caught.value.flags == frozenset({Flag.URGENT_SAFETY})


def test_phq9_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="phq-9-4"):
        score("phq-9", {**numbered("phq-9", [0] * 9), "phq-9-4": 4})


PHQ2_CASES = [
    pytest.param([0, 0], 0, S.NEGATIVE, id="minimum"),
    pytest.param([3, 3], 6, S.POSITIVE, id="maximum"),
    pytest.param([1, 1], 2, S.NEGATIVE, id="cutoff-minus-1"),
    pytest.param([2, 1], 3, S.POSITIVE, id="cutoff-exactly-3"),
]


@pytest.mark.parametrize(("values", "total", "band"), PHQ2_CASES)
def test_phq2_total_and_band(values: list[int], total: int, band: S) -> None:
    result = score("phq-2", numbered("phq-2", values))
    assert result.total == total
    assert result.band is band


def test_phq2_missing_item_is_incomplete() -> None:
    result = score("phq-2", {"phq-2-1": 3})
    assert not result.is_complete and result.missing == ("phq-2-2",)


def test_phq2_refuses_phq9_link_ids() -> None:
    with pytest.raises(InvalidAnswer, match="phq-9-1"):
        score("phq-2", {"phq-9-1": 0, "phq-2-1": 0, "phq-2-2": 0})
