from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.instruments.bands import PainSeverity as P
from painpath.clinical.instruments.registry import score
from painpath.clinical.instruments.spec import Flag

SEVERITY_IDS = ("bpi-sf-3", "bpi-sf-4", "bpi-sf-5", "bpi-sf-6")
INTERFERENCE_IDS = tuple(f"bpi-sf-9{letter}" for letter in "abcdefg")


def answers(severity: list[int], interference: list[int | None]) -> dict[str, int]:
    given = dict(zip(SEVERITY_IDS, severity, strict=True))
    given |= {k: v for k, v in zip(INTERFERENCE_IDS, interference, strict=True) if v is not None}
    return given


CASES = [
    pytest.param([0] * 4, [0] * 7, Decimal(0), Decimal(0), P.NONE, id="minimum"),
    pytest.param([10] * 4, [10] * 7, Decimal(10), Decimal(10), P.SEVERE, id="maximum"),
    # severity (8+2+5+5)/4 = 5 -> moderate; interference (1+2+3+4+5+6+7)/7 = 28/7 = 4
    pytest.param(
        [8, 2, 5, 5],
        [1, 2, 3, 4, 5, 6, 7],
        Decimal(5),
        Decimal(4),
        P.MODERATE,
        id="moderate-cutoff-5",
    ),
    # severity (6+3+4+5)/4 = 18/4 = 4.5 -> still mild (moderate starts at 5)
    pytest.param(
        [6, 3, 4, 5], [0] * 7, Decimal("4.5"), Decimal(0), P.MILD, id="moderate-cutoff-minus-half"
    ),
    # severity (7+7+7+7)/4 = 7 -> severe
    pytest.param([7] * 4, [0] * 7, Decimal(7), Decimal(0), P.SEVERE, id="severe-cutoff-7"),
]


@pytest.mark.parametrize(("sev", "intf", "severity", "interference", "band"), CASES)
def test_bpi_sf_subscales_and_severity_band(
    sev: list[int], intf: list[int | None], severity: Decimal, interference: Decimal, band: P
) -> None:
    result = score("bpi-sf", answers(sev, intf))
    assert result.total is None  # BPI-SF has no total
    assert result.subscales == {"severity": severity, "interference": interference}
    assert result.band is band and result.is_complete


def test_bpi_sf_interference_prorated_from_four_of_seven() -> None:
    # (2 + 4 + 6 + 8) / 4 answered = 5; three interference items missing
    result = score("bpi-sf", answers([5] * 4, [2, 4, 6, 8, None, None, None]))
    assert result.subscales["interference"] == Decimal(5)
    assert Flag.PRORATED in result.flags
    assert result.missing == ("bpi-sf-9e", "bpi-sf-9f", "bpi-sf-9g")
    assert result.is_complete


def test_bpi_sf_interference_not_computed_from_three_of_seven() -> None:
    result = score("bpi-sf", answers([5] * 4, [2, 4, 6, None, None, None, None]))
    assert not result.is_complete and result.band is None
    assert result.subscales == {"severity": Decimal(5), "interference": None}


def test_bpi_sf_severity_needs_all_four_items() -> None:
    given = answers([5] * 4, [1] * 7)
    del given["bpi-sf-6"]
    result = score("bpi-sf", given)
    assert not result.is_complete
    assert result.subscales == {"severity": None, "interference": Decimal(1)}
    assert result.missing == ("bpi-sf-6",)


def test_bpi_sf_out_of_range_names_the_link_id() -> None:
    with pytest.raises(InvalidAnswer, match="bpi-sf-9c"):
        score("bpi-sf", {**answers([0] * 4, [0] * 7), "bpi-sf-9c": 12})
