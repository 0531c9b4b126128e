"""Cockcroft-Gault and renal bands; expected values restated from the label tables (reference §4.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from painpath.clinical.medications.codes import RenalAction, Sex
from painpath.clinical.medications.formulary import default_formulary
from painpath.clinical.medications.renal import (
    InvalidPatientValue,
    WeightBasis,
    cockcroft_gault_crcl,
    creatinine_mg_dl_from_umol_l,
    dosing_weight_kg,
    renal_limit,
)

D = Decimal
F = default_formulary()


@pytest.mark.parametrize(
    ("age", "weight", "scr", "sex", "expected"),
    [
        # (140-40)*72/(72*1.0) = 100
        pytest.param(40, D(72), D("1.0"), Sex.MALE, D(100), id="male-textbook-100"),
        # 100 * 0.85 = 85
        pytest.param(40, D(72), D("1.0"), Sex.FEMALE, D(85), id="female-factor-085"),
        # Ben Hughes: (140-67)*80/(72*1.6) = 5840/115.2 = 50.6944...
        pytest.param(67, D(80), D("1.6"), Sex.MALE, D(5840) / D("115.2"), id="ben-hughes-67"),
        # (140-80)*60/(72*2.0) = 3600/144 = 25
        pytest.param(80, D(60), D("2.0"), Sex.MALE, D(25), id="older-low-clearance"),
        # (140-30)*50/(72*0.5) * 0.85 = 5500/36*0.85 = 129.861...
        pytest.param(30, D(50), D("0.5"), Sex.FEMALE, D(5500) / D(36) * D("0.85"), id="young-f"),
    ],
)
def test_cockcroft_gault_matches_hand_arithmetic(
    age: int, weight: D, scr: D, sex: Sex, expected: D
) -> None:
    crcl = cockcroft_gault_crcl(
        age_years=age, weight_kg=weight, serum_creatinine_mg_dl=scr, sex=sex
    )
    assert crcl == expected


@pytest.mark.parametrize(
    ("age", "weight", "scr"),
    [
        pytest.param(400, D(70), D(1), id="age-400"),
        pytest.param(17, D(70), D(1), id="age-below-adult"),
        pytest.param(50, D(0), D(1), id="zero-weight"),
        pytest.param(50, D(-5), D(1), id="negative-weight"),
        pytest.param(50, D(70), D(0), id="zero-creatinine"),
    ],
)
def test_cockcroft_gault_rejects_impossible_values(age: int, weight: D, scr: D) -> None:
    with pytest.raises(InvalidPatientValue):
        cockcroft_gault_crcl(
            age_years=age, weight_kg=weight, serum_creatinine_mg_dl=scr, sex=Sex.MALE
        )


def test_creatinine_unit_conversion_uses_88_4() -> None:
    # 176.8 umol/L / 88.4 = 2.0 mg/dL
    assert creatinine_mg_dl_from_umol_l(D("176.8")) == D(2)


@pytest.mark.parametrize(
    ("basis", "actual", "expected"),
    [
        pytest.param(WeightBasis.ACTUAL, D(120), D(120), id="actual-default"),
        # 177.8 cm = 70 in -> 10 in over 5 ft; IBW male = 50 + 2.3*10 = 73
        pytest.param(WeightBasis.IDEAL, D(120), D(73), id="ideal-devine"),
        # 73 + 0.4*(120-73) = 73 + 18.8 = 91.8
        pytest.param(WeightBasis.ADJUSTED, D(120), D("91.8"), id="adjusted"),
        # never above actual weight: IBW 73 > actual 60 -> 60
        pytest.param(WeightBasis.IDEAL, D(60), D(60), id="ideal-capped-at-actual"),
    ],
)
def test_dosing_weight_basis(basis: WeightBasis, actual: D, expected: D) -> None:
    got = dosing_weight_kg(actual, basis=basis, height_cm=D("177.8"), sex=Sex.MALE)
    assert got.quantize(D("0.01")) == expected.quantize(D("0.01"))


# Neurontin §2.3 Table 1: >=60 -> 3600; >30-59 -> 1400; >15-29 -> 700; 15 -> 300;
# <15 -> 300 * CrCl/15. Gaps (exactly 30, 59.5) go to the lower-dose band.
GABAPENTIN_CASES = [
    pytest.param(D(120), D(3600), id="gaba-normal"),
    pytest.param(D(60), D(3600), id="gaba-60-inclusive"),
    pytest.param(D("59.9"), D(1400), id="gaba-just-below-60"),
    pytest.param(D(59), D(1400), id="gaba-59"),
    pytest.param(D(31), D(1400), id="gaba-31"),
    pytest.param(D("30.1"), D(1400), id="gaba-just-above-30"),
    pytest.param(D(30), D(700), id="gaba-30-gap-to-lower-band"),
    pytest.param(D(29), D(700), id="gaba-29"),
    pytest.param(D(16), D(700), id="gaba-16"),
    pytest.param(D("15.5"), D(700), id="gaba-just-above-15"),
    pytest.param(D(15), D(300), id="gaba-15-exact"),
    pytest.param(D("7.5"), D(150), id="gaba-7-5-half-of-crcl-15-dose"),  # 300*7.5/15
    pytest.param(D(3), D(60), id="gaba-3"),  # 300*3/15
]


@pytest.mark.parametrize(("crcl", "expected"), GABAPENTIN_CASES)
def test_gabapentin_renal_max_per_label_table(crcl: D, expected: D) -> None:
    assert renal_limit(F.get("gabapentin"), crcl).max_daily_dose_mg == expected


# Lyrica §2.7: >=60 -> 600; 30-<60 -> 300; 15-<30 -> 150; <15 -> 75.
PREGABALIN_CASES = [
    pytest.param(D(90), D(600), id="pgb-normal"),
    pytest.param(D(60), D(600), id="pgb-60"),
    pytest.param(D("59.9"), D(300), id="pgb-59-9"),
    pytest.param(D("50.69"), D(300), id="pgb-ben-hughes"),
    pytest.param(D(30), D(300), id="pgb-30"),
    pytest.param(D("29.9"), D(150), id="pgb-29-9"),
    pytest.param(D(15), D(150), id="pgb-15"),
    pytest.param(D("14.9"), D(75), id="pgb-14-9"),
    pytest.param(D(0), D(75), id="pgb-0"),
]


@pytest.mark.parametrize(("crcl", "expected"), PREGABALIN_CASES)
def test_pregabalin_renal_max_per_label_table(crcl: D, expected: D) -> None:
    assert renal_limit(F.get("pregabalin"), crcl).max_daily_dose_mg == expected


@pytest.mark.parametrize(
    ("drug", "crcl", "expected_max", "is_avoid"),
    [
        pytest.param("duloxetine", D("29.9"), D(0), True, id="duloxetine-below-30-avoid"),
        pytest.param("duloxetine", D(30), None, False, id="duloxetine-30-no-rule"),
        pytest.param("tramadol", D("29.9"), D(200), False, id="tramadol-below-30-200"),
        pytest.param("tramadol", D(30), None, False, id="tramadol-30-no-cap"),
        pytest.param("baclofen", D("59.9"), D(0), True, id="baclofen-below-60-avoid"),
        pytest.param("morphine", D(20), None, False, id="morphine-caution-no-number"),
    ],
)
def test_other_renal_rules(drug: str, crcl: D, expected_max: D | None, is_avoid: bool) -> None:
    limit = renal_limit(F.get(drug), crcl)
    assert limit.max_daily_dose_mg == expected_max
    assert limit.is_avoid is is_avoid


def test_morphine_severe_renal_band_is_caution() -> None:
    band = renal_limit(F.get("morphine"), D(20)).band
    assert band is not None and band.action is RenalAction.CAUTION
