"""Descriptive Baron 2017 phenotype over per-parameter findings.

Expected phenotypes restate the cluster descriptions (clinical-reference.md 3.3):
sensory loss = small- AND large-fibre loss; thermal hyperalgesia = heat/cold gain with preserved
thermal detection; mechanical hyperalgesia = thermal-detection loss AND pinprick gain or DMA.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from painpath.clinical.qst import (
    Feature,
    ParameterResult,
    QstParameter,
    QstProfile,
    QstSubject,
    SensoryFinding,
    SensoryPhenotype,
    Sex,
    describe_phenotype,
)

P = QstParameter
F = SensoryFinding
PH = SensoryPhenotype
ALL_NORMAL = dict.fromkeys(QstParameter, F.NORMAL)


def profile_with(findings: dict[QstParameter, SensoryFinding]) -> QstProfile:
    results = tuple(
        ParameterResult(p, Decimal(0), None, None, finding, None) for p, finding in findings.items()
    )
    return QstProfile(QstSubject(Sex.FEMALE, 40, "hand-dorsum"), results, (), "t", "s")


CASES = [
    pytest.param({}, (), (), id="all-normal-matches-nothing"),
    pytest.param({P.CDT: F.LOSS, P.MDT: F.LOSS}, (PH.SENSORY_LOSS,), (), id="small-and-large-loss"),
    pytest.param(
        {P.WDT: F.LOSS, P.VDT: F.LOSS, P.PHS: F.ABNORMAL},
        (PH.SENSORY_LOSS,),
        (),
        id="sensory-loss-with-phs",
    ),
    pytest.param({P.CDT: F.LOSS}, (), (), id="small-fibre-loss-alone"),
    pytest.param({P.MDT: F.LOSS}, (), (), id="large-fibre-loss-alone"),
    pytest.param({P.HPT: F.GAIN}, (PH.THERMAL_HYPERALGESIA,), (), id="heat-hyperalgesia"),
    pytest.param(
        {P.CPT: F.GAIN, P.DMA: F.GAIN},
        (PH.THERMAL_HYPERALGESIA,),
        (),
        id="cold-hyperalgesia-with-mild-dma",
    ),
    pytest.param({P.HPT: F.GAIN, P.TSL: F.LOSS}, (), (), id="heat-gain-but-thermal-detection-lost"),
    pytest.param(
        {P.CDT: F.LOSS, P.MPT: F.GAIN},
        (PH.MECHANICAL_HYPERALGESIA,),
        (),
        id="pinprick-with-small-loss",
    ),
    pytest.param(
        {P.WDT: F.LOSS, P.DMA: F.GAIN}, (PH.MECHANICAL_HYPERALGESIA,), (), id="dma-with-small-loss"
    ),
    pytest.param({P.MPS: F.GAIN}, (), (), id="pinprick-without-small-loss"),
    pytest.param(
        {P.CDT: F.LOSS, P.VDT: F.LOSS, P.MPS: F.GAIN},
        (PH.SENSORY_LOSS, PH.MECHANICAL_HYPERALGESIA),
        (),
        id="overlap-is-allowed",
    ),
    # Thermal detection not assessable: small-fibre loss undecidable. Thermal hyperalgesia needs it
    # absent, so it is undetermined rather than silently "no"; sensory loss and mechanical
    # hyperalgesia are still ruled out because MDT/VDT and MPT/MPS/DMA are normal.
    pytest.param(
        {P.CDT: F.NOT_ASSESSABLE, P.WDT: F.NOT_ASSESSABLE, P.TSL: F.NOT_ASSESSABLE, P.HPT: F.GAIN},
        (),
        (PH.THERMAL_HYPERALGESIA,),
        id="missing-thermal-detection-is-undetermined",
    ),
    # MDT and VDT unassessed, but with no small-fibre loss sensory loss is already ruled out.
    pytest.param(
        {P.MDT: F.NOT_ASSESSABLE, P.VDT: F.NOT_ASSESSABLE},
        (),
        (),
        id="missing-large-fibre-irrelevant-without-small-loss",
    ),
    pytest.param(
        {P.CDT: F.LOSS, P.MDT: F.NOT_ASSESSABLE, P.VDT: F.NOT_ASSESSABLE},
        (),
        (PH.SENSORY_LOSS,),
        id="missing-large-fibre-with-small-loss",
    ),
]


@pytest.mark.parametrize(("overrides", "expected", "undetermined"), CASES)
def test_describe_phenotype_applies_cluster_descriptions(
    overrides: dict[QstParameter, SensoryFinding],
    expected: tuple[SensoryPhenotype, ...],
    undetermined: tuple[SensoryPhenotype, ...],
) -> None:
    result = describe_phenotype(profile_with(ALL_NORMAL | overrides))
    assert result.phenotypes == expected
    assert result.undetermined == undetermined
    assert result.is_verified is False


def test_describe_phenotype_unmeasured_parameters_count_as_unassessed() -> None:
    result = describe_phenotype(profile_with({P.CDT: F.LOSS}))
    small = next(o for o in result.features if o.feature is Feature.SMALL_FIBRE_LOSS)
    large = next(o for o in result.features if o.feature is Feature.LARGE_FIBRE_LOSS)
    assert (small.is_present, small.supporting) == (True, (P.CDT,))
    assert (large.is_present, large.unassessed) == (None, (P.MDT, P.VDT))
    assert result.undetermined == (PH.SENSORY_LOSS, PH.MECHANICAL_HYPERALGESIA)
