import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import PainSeverity as P
from painpath.clinical.instruments.registry import score

CASES = [
    pytest.param(0, P.NONE, id="minimum-no-pain"),
    pytest.param(1, P.MILD, id="mild-from-1"),
    pytest.param(4, P.MILD, id="moderate-cutoff-minus-1"),
    pytest.param(5, P.MODERATE, id="moderate-cutoff-5"),
    pytest.param(6, P.MODERATE, id="severe-cutoff-minus-1"),
    pytest.param(7, P.SEVERE, id="severe-cutoff-7"),
    pytest.param(10, P.SEVERE, id="maximum"),
]


@pytest.mark.parametrize(("value", "band"), CASES)
def test_nrs_pain_value_and_band(value: int, band: P) -> None:
    result = score("nrs-pain", {"nrs-pain-1": value})
    assert result.total == value
    assert result.band is band


@pytest.mark.parametrize("bad", [11, -1], ids=["eleven", "negative"])
def test_nrs_pain_out_of_range_names_the_link_id(bad: int) -> None:
    with pytest.raises(InvalidAnswer, match="nrs-pain-1"):
        score("nrs-pain", {"nrs-pain-1": bad})


def test_nrs_pain_unanswered_is_incomplete() -> None:
    assert score("nrs-pain", {}).missing == ("nrs-pain-1",)
