"""The DFNS quantitative sensory testing (QST) protocol: 13 parameters from 7 tests.

Sources:
- Rolke R, Magerl W, Andrews Campbell K, et al. Quantitative sensory testing: a comprehensive
  protocol for clinical trials. Eur J Pain 2006;10:77-88 (log-normality: all parameters except PHS,
  CPT, HPT and VDT are normally distributed only after log transformation -- verified, abstract).
- Rolke R, Baron R, Maier C, et al. Quantitative sensory testing in the German Research Network on
  Neuropathic Pain (DFNS): standardized protocol and reference values. Pain 2006;123:231-243,
  doi:10.1016/j.pain.2006.01.041 (the 13 parameters; z-scores per region/age/sex -- verified).
- painpath clinical-reference.md section 3.1 (units, value ranges) and 3.2 (sign convention).

SAFETY: the sign convention is the whole meaning of a QST profile. Positive z = gain of function
(hyperaesthesia, hyperalgesia, allodynia); negative z = loss. For parameters where a *lower* raw value
means *more* sensitive (CDT, WDT, TSL, HPT, MDT, MPT, PPT) z is multiplied by -1
(clinical-reference.md 3.2, verified via the QST z-score figure caption cited there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class QstParameter(StrEnum):
    """The 13 DFNS parameters; values are stable lowercase codes used in CSV and storage."""

    CDT = "cdt"  # cold detection threshold
    WDT = "wdt"  # warm detection threshold
    TSL = "tsl"  # thermal sensory limen
    PHS = "phs"  # paradoxical heat sensations during TSL
    CPT = "cpt"  # cold pain threshold
    HPT = "hpt"  # heat pain threshold
    MDT = "mdt"  # mechanical detection threshold
    MPT = "mpt"  # mechanical pain threshold
    MPS = "mps"  # mechanical pain sensitivity
    WUR = "wur"  # wind-up ratio
    VDT = "vdt"  # vibration detection threshold
    PPT = "ppt"  # pressure pain threshold
    DMA = "dma"  # dynamic mechanical allodynia


class Scale(StrEnum):
    """Scale on which the z-score is computed (and on which reference mean/SD are given)."""

    LOG10 = "log10"
    LINEAR = "linear"


class SpecialRule(StrEnum):
    """Parameters classified by presence rather than by |z| (clinical-reference.md 3.1)."""

    NONE = "none"
    ANY_PRESENT_IS_ABNORMAL = "any-present-is-abnormal"  # PHS: any PHS abnormal
    ANY_PRESENT_IS_GAIN = "any-present-is-gain"  # DMA: any rating > 0 abnormal; never a loss


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """How one QST parameter is measured, transformed and signed."""

    parameter: QstParameter
    name: str
    unit: str  # UCUM where one exists; "{count}", "{ratio}", "{score}" otherwise
    measure: str
    scale: Scale
    is_lower_more_sensitive: bool  # True -> z is multiplied by -1 (gain is positive)
    special_rule: SpecialRule
    min_value: Decimal | None  # inclusive bounds of the measurement scale, where one exists
    max_value: Decimal | None
    is_integer: bool = False
    # The "direction meaning gain" column of clinical-reference.md 3.1 is (unverified) per row.
    is_direction_verified: bool = False


def _spec(
    parameter: QstParameter,
    name: str,
    unit: str,
    measure: str,
    scale: Scale,
    *,
    lower_is_more_sensitive: bool,
    special: SpecialRule = SpecialRule.NONE,
    min_value: str | None = None,
    max_value: str | None = None,
    is_integer: bool = False,
) -> ParameterSpec:
    return ParameterSpec(
        parameter=parameter,
        name=name,
        unit=unit,
        measure=measure,
        scale=scale,
        is_lower_more_sensitive=lower_is_more_sensitive,
        special_rule=special,
        min_value=None if min_value is None else Decimal(min_value),
        max_value=None if max_value is None else Decimal(max_value),
        is_integer=is_integer,
    )


P = QstParameter
# Rows restate clinical-reference.md 3.1. Thermal detection values are the magnitude of the change
# from the 32 degC baseline (so always > 0); PHS count is of 3 TSL trials; VDT is x/8 on the 64 Hz
# Rydel-Seiffer fork; MPS and DMA are NRS 0-100 ratings.
PARAMETERS: Final[Mapping[QstParameter, ParameterSpec]] = MappingProxyType(
    {
        s.parameter: s
        for s in (
            _spec(P.CDT, "Cold detection threshold", "Cel", "difference from 32 degC baseline",
                  Scale.LOG10, lower_is_more_sensitive=True, min_value="0"),
            _spec(P.WDT, "Warm detection threshold", "Cel", "difference from 32 degC baseline",
                  Scale.LOG10, lower_is_more_sensitive=True, min_value="0"),
            _spec(P.TSL, "Thermal sensory limen", "Cel", "alternating warm/cold difference",
                  Scale.LOG10, lower_is_more_sensitive=True, min_value="0"),
            _spec(P.PHS, "Paradoxical heat sensations", "{count}", "count of 3 TSL trials",
                  Scale.LINEAR, lower_is_more_sensitive=False,
                  special=SpecialRule.ANY_PRESENT_IS_ABNORMAL, min_value="0", max_value="3",
                  is_integer=True),
            _spec(P.CPT, "Cold pain threshold", "Cel", "temperature",
                  Scale.LINEAR, lower_is_more_sensitive=False),
            _spec(P.HPT, "Heat pain threshold", "Cel", "temperature",
                  Scale.LINEAR, lower_is_more_sensitive=True),
            _spec(P.MDT, "Mechanical detection threshold", "mN", "von Frey force",
                  Scale.LOG10, lower_is_more_sensitive=True, min_value="0"),
            _spec(P.MPT, "Mechanical pain threshold", "mN", "weighted pinprick force 8-512 mN",
                  Scale.LOG10, lower_is_more_sensitive=True, min_value="0"),
            _spec(P.MPS, "Mechanical pain sensitivity", "{score}", "pinprick NRS 0-100",
                  Scale.LOG10, lower_is_more_sensitive=False, min_value="0", max_value="100"),
            _spec(P.WUR, "Wind-up ratio", "{ratio}", "train vs single pinprick rating",
                  Scale.LOG10, lower_is_more_sensitive=False, min_value="0"),
            _spec(P.VDT, "Vibration detection threshold", "{score}", "x/8, 64 Hz tuning fork",
                  Scale.LINEAR, lower_is_more_sensitive=False, min_value="0", max_value="8"),
            _spec(P.PPT, "Pressure pain threshold", "kPa", "algometer, 1 cm2 probe",
                  Scale.LOG10, lower_is_more_sensitive=True, min_value="0"),
            _spec(P.DMA, "Dynamic mechanical allodynia", "{score}", "light-touch NRS 0-100",
                  Scale.LOG10, lower_is_more_sensitive=False,
                  special=SpecialRule.ANY_PRESENT_IS_GAIN, min_value="0", max_value="100"),
        )
    }
)  # fmt: skip

# Abnormal outside the 95 % reference interval of healthy subjects, i.e. |z| > 1.96 for a normal
# z-distribution. clinical-reference.md 3.2 marks the cut-off (unverified); checked against the DFNS
# trunk reference-data paper, Pain 2014;155(5):1002-1015, doi:10.1016/j.pain.2014.02.004 (PubMed
# 24525274 abstract: "values outside the 95% confidence interval of healthy subjects (considered
# abnormal)"). The boundary itself (exactly 1.96) counts as normal: abnormal is strictly outside.
Z_ABNORMAL: Final = Decimal("1.96")
IS_Z_ABNORMAL_VERIFIED: Final = True

SOURCE: Final = (
    "Rolke R et al. Eur J Pain 2006;10:77-88; Rolke R et al. Pain 2006;123:231-243, "
    "doi:10.1016/j.pain.2006.01.041 (DFNS protocol and z-score convention)"
)
