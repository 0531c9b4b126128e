import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import GlobalChange as G
from painpath.clinical.instruments.registry import score

CASES = [
    pytest.param(1, G.VERY_MUCH_IMPROVED, id="minimum-very-much-improved"),
    pytest.param(2, G.MUCH_IMPROVED, id="much-improved"),
    pytest.param(3, G.MINIMALLY_IMPROVED, id="minimally-improved"),
    pytest.param(4, G.NO_CHANGE, id="no-change"),
    pytest.param(5, G.MINIMALLY_WORSE, id="minimally-worse"),
    pytest.param(6, G.MUCH_WORSE, id="much-worse"),
    pytest.param(7, G.VERY_MUCH_WORSE, id="maximum-very-much-worse"),
]


@pytest.mark.parametrize(("value", "band"), CASES)
def test_pgic_category_is_the_band(value: int, band: G) -> None:
    by_value = score("pgic", {"pgic-1": value})
    by_code = score("pgic", {"pgic-1": str(band)})
    assert by_value == by_code
    assert by_value.total == value
    assert by_value.band is band


@pytest.mark.parametrize("bad", [0, 8, "better"], ids=["zero", "eight", "unknown-code"])
def test_pgic_out_of_range_names_the_link_id(bad: int | str) -> None:
    with pytest.raises(InvalidAnswer, match="pgic-1"):
        score("pgic", {"pgic-1": bad})


def test_pgic_unanswered_is_incomplete() -> None:
    result = score("pgic", {})
    assert not result.is_complete and result.missing == ("pgic-1",)
