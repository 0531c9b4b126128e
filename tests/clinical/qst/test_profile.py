"""QST z-scores, sign convention and findings against the SYNTHETIC test table.

The table (synthetic_reference.csv) holds round numbers, not DFNS values; each expected z is
restated by hand from the CSV row: z = (log10(x + offset) - mean) / sd, negated for CDT, WDT, TSL,
HPT, MDT, MPT, PPT (clinical-reference.md 3.2).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from painpath.clinical.qst import (
    PARAMETERS,
    InvalidMeasurement,
    QstParameter,
    QstSubject,
    ReferenceTable,
    Scale,
    SensoryFinding,
    Sex,
    WarningCode,
    compute_profile,
    parse_reference_csv,
)

P = QstParameter
F = SensoryFinding
D = Decimal
ADA_HAND = QstSubject(sex=Sex.FEMALE, age_years=34, body_site="hand-dorsum")


@pytest.fixture(scope="module")
def table() -> ReferenceTable:
    return parse_reference_csv(
        (Path(__file__).parent / "synthetic_reference.csv").read_text(encoding="utf-8")
    )


Z_CASES = [
    # CDT: log10(10)=1; (1-0)/0.25=4; flipped -> -4: cold hypoaesthesia.
    pytest.param(P.CDT, D("10"), D("-4"), F.LOSS, id="cdt-large-difference-is-loss"),
    # CDT: log10(1)=0; (0-0)/0.25=0.
    pytest.param(P.CDT, D("1"), D("0"), F.NORMAL, id="cdt-at-mean-is-normal"),
    # WDT: log10(1)=0; (0-0.5)/0.25=-2; flipped -> +2: more sensitive than reference.
    pytest.param(P.WDT, D("1"), D("2"), F.GAIN, id="wdt-small-difference-is-gain"),
    # TSL: log10(10)=1; (1-0.5)/0.25=2; flipped -> -2.
    pytest.param(P.TSL, D("10"), D("-2"), F.LOSS, id="tsl-large-limen-is-loss"),
    # CPT (linear, not flipped): (25-10)/5=3: cold hyperalgesia.
    pytest.param(P.CPT, D("25"), D("3"), F.GAIN, id="cpt-higher-temperature-is-gain"),
    # CPT: (0-10)/5=-2.
    pytest.param(P.CPT, D("0"), D("-2"), F.LOSS, id="cpt-lower-temperature-is-loss"),
    # CPT boundary: (19.8-10)/5=1.96, not strictly beyond 1.96 -> normal.
    pytest.param(P.CPT, D("19.8"), D("1.96"), F.NORMAL, id="cpt-z-exactly-1-96-is-normal"),
    # CPT: (19.85-10)/5=1.97 -> gain.
    pytest.param(P.CPT, D("19.85"), D("1.97"), F.GAIN, id="cpt-z-1-97-is-gain"),
    # CPT: (0.2-10)/5=-1.96 -> normal.
    pytest.param(P.CPT, D("0.2"), D("-1.96"), F.NORMAL, id="cpt-z-minus-1-96-is-normal"),
    # HPT (linear, flipped): (40-44)/2=-2 -> +2: heat hyperalgesia.
    pytest.param(P.HPT, D("40"), D("2"), F.GAIN, id="hpt-lower-temperature-is-gain"),
    # HPT: (48-44)/2=2 -> -2.
    pytest.param(P.HPT, D("48"), D("-2"), F.LOSS, id="hpt-higher-temperature-is-loss"),
    # MDT: log10(100)=2; (2-0)/0.5=4 -> -4: tactile hypoaesthesia.
    pytest.param(P.MDT, D("100"), D("-4"), F.LOSS, id="mdt-high-force-is-loss"),
    # MPT: log10(10)=1; (1-2)/0.5=-2 -> +2: pinprick hyperalgesia.
    pytest.param(P.MPT, D("10"), D("2"), F.GAIN, id="mpt-low-force-is-gain"),
    # MPS (offset 1 in the synthetic table): log10(9+1)=1; (1-0)/0.5=2, not flipped.
    pytest.param(P.MPS, D("9"), D("2"), F.GAIN, id="mps-high-rating-is-gain"),
    # MPS: log10(0+1)=0 -> z 0: a zero rating is computable thanks to the table's offset.
    pytest.param(P.MPS, D("0"), D("0"), F.NORMAL, id="mps-zero-rating-uses-offset"),
    # WUR: log10(10)=1; (1-0.5)/0.25=2.
    pytest.param(P.WUR, D("10"), D("2"), F.GAIN, id="wur-high-ratio-is-gain"),
    # VDT (linear, not flipped): (6-7)/0.5=-2: vibration loss.
    pytest.param(P.VDT, D("6"), D("-2"), F.LOSS, id="vdt-low-score-is-loss"),
    # PPT: log10(100)=2; (2-2.5)/0.25=-2 -> +2: pressure hyperalgesia.
    pytest.param(P.PPT, D("100"), D("2"), F.GAIN, id="ppt-low-pressure-is-gain"),
    # PHS: (1-0)/0.5=2; any PHS is abnormal (no direction).
    pytest.param(P.PHS, D("1"), D("2"), F.ABNORMAL, id="phs-one-is-abnormal"),
    # PHS: 0 -> normal.
    pytest.param(P.PHS, D("0"), D("0"), F.NORMAL, id="phs-zero-is-normal"),
    # DMA: log10(0.5+1)=0.176..; z=0.352.. is inside +-1.96 but any DMA > 0 is a gain.
    pytest.param(P.DMA, D("0.5"), None, F.GAIN, id="dma-any-rating-is-gain"),
    # DMA: log10(0+1)=0 -> z 0 -> normal; DMA can never be a loss.
    pytest.param(P.DMA, D("0"), D("0"), F.NORMAL, id="dma-zero-is-normal"),
]


@pytest.mark.parametrize(("parameter", "value", "expected_z", "finding"), Z_CASES)
def test_compute_profile_signs_z_so_positive_is_gain(
    table: ReferenceTable,
    parameter: QstParameter,
    value: Decimal,
    expected_z: Decimal | None,
    finding: SensoryFinding,
) -> None:
    profile = compute_profile({parameter: value}, subject=ADA_HAND, table=table)
    result = profile.result_for(parameter)
    assert result is not None
    assert result.finding is finding
    assert result.z_score is not None
    if expected_z is not None:
        assert result.z_score == expected_z


def test_compute_profile_uses_the_age_band_of_the_subject(table: ReferenceTable) -> None:
    # Age 45 -> CDT band 40-59 (mean 0.25): log10(10)=1; (1-0.25)/0.25=3 -> -3.
    subject = QstSubject(sex=Sex.FEMALE, age_years=45, body_site="hand-dorsum")
    result = compute_profile({P.CDT: D("10")}, subject=subject, table=table).result_for(P.CDT)
    assert result is not None and result.z_score == D("-3")


def test_compute_profile_uses_the_sex_of_the_subject(table: ReferenceTable) -> None:
    # Male CDT band sd 0.5: log10(10)=1; (1-0)/0.5=2 -> -2.
    subject = QstSubject(sex=Sex.MALE, age_years=30, body_site="hand-dorsum")
    result = compute_profile({P.CDT: D("10")}, subject=subject, table=table).result_for(P.CDT)
    assert result is not None and result.z_score == D("-2")


MISSING_BAND_CASES = [
    pytest.param(
        QstSubject(Sex.FEMALE, 70, "hand-dorsum"), P.WDT, F.NOT_ASSESSABLE, id="age-out-of-range"
    ),
    pytest.param(
        QstSubject(Sex.FEMALE, 30, "foot-dorsum"), P.HPT, F.NOT_ASSESSABLE, id="site-not-in-table"
    ),
    pytest.param(
        QstSubject(Sex.MALE, 30, "hand-dorsum"), P.MDT, F.NOT_ASSESSABLE, id="sex-band-missing"
    ),
    # Presence rules still classify without a band; the missing z is still warned about.
    pytest.param(
        QstSubject(Sex.MALE, 30, "hand-dorsum"), P.DMA, F.GAIN, id="dma-presence-without-band"
    ),
    pytest.param(
        QstSubject(Sex.MALE, 30, "hand-dorsum"), P.PHS, F.ABNORMAL, id="phs-presence-without-band"
    ),
]


@pytest.mark.parametrize(("subject", "parameter", "finding"), MISSING_BAND_CASES)
def test_compute_profile_warns_when_reference_band_is_missing(
    table: ReferenceTable, subject: QstSubject, parameter: QstParameter, finding: SensoryFinding
) -> None:
    profile = compute_profile({parameter: D("2")}, subject=subject, table=table)
    result = profile.result_for(parameter)
    assert result is not None
    assert (result.z_score, result.scaled_value, result.band, result.finding) == (
        None,
        None,
        None,
        finding,
    )
    missing = [w for w in profile.warnings if w.code is WarningCode.MISSING_REFERENCE_BAND]
    assert [w.parameter for w in missing] == [parameter]
    assert "synthetic-test-1" in missing[0].message


def test_compute_profile_warns_for_each_unmeasured_parameter(table: ReferenceTable) -> None:
    profile = compute_profile({P.CDT: D("1")}, subject=ADA_HAND, table=table)
    not_measured = {
        w.parameter for w in profile.warnings if w.code is WarningCode.PARAMETER_NOT_MEASURED
    }
    assert not_measured == set(QstParameter) - {P.CDT}  # 13 - 1 = 12 warnings
    assert len(not_measured) == 12


def test_compute_profile_full_protocol_has_no_warnings(table: ReferenceTable) -> None:
    values = {
        P.CDT: "1", P.WDT: "1", P.TSL: "1", P.PHS: "0", P.CPT: "10", P.HPT: "44", P.MDT: "1",
        P.MPT: "100", P.MPS: "0", P.WUR: "3", P.VDT: "7", P.PPT: "300", P.DMA: "0",
    }  # fmt: skip
    profile = compute_profile({p: D(v) for p, v in values.items()}, subject=ADA_HAND, table=table)
    assert profile.warnings == ()
    assert [r.parameter for r in profile.results] == list(QstParameter)
    assert profile.table_version == "synthetic-test-1"


INVALID_CASES = [
    pytest.param(P.CDT, D("0"), id="cdt-zero-cannot-be-logged"),
    pytest.param(P.CDT, D("-1"), id="cdt-negative"),
    pytest.param(P.PHS, D("4"), id="phs-above-three"),
    pytest.param(P.PHS, D("1.5"), id="phs-not-whole"),
    pytest.param(P.VDT, D("8.5"), id="vdt-above-eight"),
    pytest.param(P.MPS, D("101"), id="mps-above-100"),
    pytest.param(P.DMA, D("-1"), id="dma-negative"),
    pytest.param(P.HPT, D("NaN"), id="hpt-nan"),
]


@pytest.mark.parametrize(("parameter", "value"), INVALID_CASES)
def test_compute_profile_rejects_values_outside_the_scale(
    table: ReferenceTable, parameter: QstParameter, value: Decimal
) -> None:
    with pytest.raises(InvalidMeasurement, match=parameter.value):
        compute_profile({parameter: value}, subject=ADA_HAND, table=table)


def test_protocol_has_thirteen_parameters_with_reference_scales() -> None:
    # clinical-reference.md 3.1: all log-normal except PHS, CPT, HPT, VDT (Rolke 2006 EJP).
    linear = {p for p, s in PARAMETERS.items() if s.scale is Scale.LINEAR}
    assert len(PARAMETERS) == 13
    assert linear == {P.PHS, P.CPT, P.HPT, P.VDT}


def test_protocol_flips_sign_for_lower_is_more_sensitive_thresholds() -> None:
    # clinical-reference.md 3.2: multiply z by -1 for CDT, WDT, TSL, HPT, MDT, MPT, PPT.
    flipped = {p for p, s in PARAMETERS.items() if s.is_lower_more_sensitive}
    assert flipped == {P.CDT, P.WDT, P.TSL, P.HPT, P.MDT, P.MPT, P.PPT}
