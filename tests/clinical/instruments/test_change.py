from decimal import Decimal

import pytest

from painpath.clinical.errors import DomainError, IncompleteResponse, UnknownCode
from painpath.clinical.instruments.change import (
    ChangeDirection,
    ChangeNotApplicable,
    GlobalBenefit,
    PainResponse,
    compare,
    is_pgic_responder,
    pain_response,
    pgic_benefit,
)
from painpath.clinical.instruments.registry import score
from tests.clinical.instruments._answers import numbered


def nrs(value: int) -> dict[str, int]:
    return {"nrs-pain-1": value}


PAIN_CASES = [
    # (baseline - current) / baseline x 100
    pytest.param(8, 4, Decimal(50), PainResponse.SUBSTANTIAL, id="50pct-substantial"),  # 4/8
    pytest.param(10, 6, Decimal(40), PainResponse.MODERATE, id="40pct-moderate"),  # 4/10
    pytest.param(10, 7, Decimal(30), PainResponse.MODERATE, id="30pct-moderate-boundary"),  # 3/10
    pytest.param(7, 5, Decimal(200) / Decimal(7), PainResponse.MINIMAL, id="28.6pct-minimal"),
    pytest.param(10, 9, Decimal(10), PainResponse.MINIMAL, id="10pct-minimal-boundary"),  # 1/10
    pytest.param(10, 10, Decimal(0), PainResponse.NONE, id="no-change"),
    pytest.param(5, 7, Decimal(-40), PainResponse.NONE, id="worse"),  # -2/5
]


@pytest.mark.parametrize(("before", "after", "reduction_pct", "level"), PAIN_CASES)
def test_nrs_change_gives_immpact_pain_response(
    before: int, after: int, reduction_pct: Decimal, level: PainResponse
) -> None:
    change = compare("nrs-pain", score("nrs-pain", nrs(before)), score("nrs-pain", nrs(after)))
    assert change.improvement_percent == reduction_pct
    assert change.pain_response is level
    assert pain_response(Decimal(before), Decimal(after)) is level


def test_nrs_mcid_by_two_points_or_thirty_percent() -> None:
    # 3 -> 2: 1 point but 33% -> reached by percent (Farrar 2001: ~2 points or ~30%)
    small = compare("nrs-pain", score("nrs-pain", nrs(3)), score("nrs-pain", nrs(2)))
    assert small.is_mcid_improvement is True
    # 9 -> 7: 2 points (22%) -> reached by points
    by_points = compare("nrs-pain", score("nrs-pain", nrs(9)), score("nrs-pain", nrs(7)))
    assert by_points.is_mcid_improvement is True
    # 9 -> 8: 1 point, 11% -> not reached
    neither = compare("nrs-pain", score("nrs-pain", nrs(9)), score("nrs-pain", nrs(8)))
    assert neither.is_mcid_improvement is False
    assert neither.direction is ChangeDirection.IMPROVED


def test_nrs_baseline_zero_has_no_percent_and_no_immpact() -> None:
    change = compare("nrs-pain", score("nrs-pain", nrs(0)), score("nrs-pain", nrs(3)))
    assert change.change == 3 and change.change_percent is None
    assert change.pain_response is None
    assert change.direction is ChangeDirection.WORSENED
    assert change.is_mcid_worsening is True  # 3 points up
    with pytest.raises(DomainError, match="above 0"):
        pain_response(Decimal(0), Decimal(3))


def test_phq9_five_point_drop_is_mcid_and_five_point_rise_is_worsening() -> None:
    base = score("phq-9", numbered("phq-9", [2, 2, 2, 2, 2, 2, 2, 0, 0]))  # 14
    better = score("phq-9", numbered("phq-9", [1, 1, 1, 1, 1, 2, 2, 0, 0]))  # 9
    worse = score("phq-9", numbered("phq-9", [3, 3, 3, 3, 3, 2, 2, 0, 0]))  # 19
    down = compare("phq-9", base, better)
    assert (down.change, down.improvement) == (Decimal(-5), Decimal(5))
    assert down.is_mcid_improvement is True and down.is_mcid_worsening is False
    up = compare("phq-9", base, worse)
    assert up.direction is ChangeDirection.WORSENED
    assert up.is_mcid_worsening is True and up.is_mcid_improvement is False
    assert up.pain_response is None  # IMMPACT pain rules only for pain intensity


def test_pseq_is_higher_is_better() -> None:
    base = score("pseq", numbered("pseq", [2] * 10))  # 20
    after = score("pseq", numbered("pseq", [3] * 10))  # 30
    change = compare("pseq", base, after)
    assert change.change == 10 and change.improvement == 10
    assert change.change_percent == 50  # 10 / 20 x 100
    assert change.direction is ChangeDirection.IMPROVED
    assert change.is_mcid_improvement is True  # 10 >= 9 (unverified default MCID)


def test_psfs_rise_of_two_is_mcid_and_fall_is_worsening() -> None:
    base = score("psfs", numbered("psfs", [2, 4, 6]))  # 12 / 3 = 4
    after = score("psfs", numbered("psfs", [4, 6, 8]))  # 18 / 3 = 6
    change = compare("psfs", base, after)
    assert change.improvement == 2 and change.is_mcid_improvement is True
    reverse = compare("psfs", after, base)
    assert reverse.direction is ChangeDirection.WORSENED and reverse.is_mcid_worsening is True


def test_bpi_interference_subscale_change_uses_its_one_point_mcid() -> None:
    sev = {f"bpi-sf-{n}": 5 for n in (3, 4, 5, 6)}
    base = score("bpi-sf", sev | {f"bpi-sf-9{c}": 6 for c in "abcdefg"})  # interference 6
    after = score("bpi-sf", sev | {f"bpi-sf-9{c}": 5 for c in "abcdefg"})  # interference 5
    change = compare("bpi-sf", base, after, scale="interference")
    assert change.improvement == 1 and change.is_mcid_improvement is True
    severity = compare("bpi-sf", base, after, scale="severity")
    assert severity.mcid is None and severity.is_mcid_improvement is None


def test_instrument_without_mcid_reports_no_verdict() -> None:
    base = score("pcs", numbered("pcs", [3] * 13))  # 39
    after = score("pcs", numbered("pcs", [1] * 13))  # 13
    change = compare("pcs", base, after)
    assert change.improvement == 26 and change.mcid is None
    assert change.is_mcid_improvement is None and change.is_mcid_worsening is None


def test_incomplete_side_refuses_comparison() -> None:
    with pytest.raises(IncompleteResponse, match="current"):
        compare("nrs-pain", score("nrs-pain", nrs(5)), score("nrs-pain", {}))


def test_unknown_scale_and_categorical_instrument_refuse_comparison() -> None:
    with pytest.raises(UnknownCode, match="rumination"):
        compare(
            "nrs-pain", score("nrs-pain", nrs(5)), score("nrs-pain", nrs(4)), scale="rumination"
        )
    pgic = score("pgic", {"pgic-1": 2})
    with pytest.raises(ChangeNotApplicable):
        compare("pgic", pgic, pgic)


@pytest.mark.parametrize(
    ("category", "benefit", "responder"),
    [
        pytest.param("very-much-improved", GlobalBenefit.SUBSTANTIAL, True, id="very-much"),
        pytest.param("much-improved", GlobalBenefit.MODERATE, True, id="much"),
        pytest.param("minimally-improved", GlobalBenefit.MINIMAL, False, id="minimally"),
        pytest.param("no-change", GlobalBenefit.NONE, False, id="no-change"),
        pytest.param("very-much-worse", GlobalBenefit.NONE, False, id="worse"),
    ],
)
def test_pgic_benefit_and_global_responder(
    category: str, benefit: GlobalBenefit, responder: bool
) -> None:
    result = score("pgic", {"pgic-1": category})
    assert pgic_benefit(result) is benefit
    assert is_pgic_responder(result) is responder


def test_pgic_benefit_of_unanswered_pgic_raises() -> None:
    with pytest.raises(IncompleteResponse):
        pgic_benefit(score("pgic", {}))
