"""Creatinine clearance (Cockcroft-Gault) and renal dose bands.

Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron
1976;16:31-41: CrCl (mL/min) = (140 - age) x weight / (72 x SCr mg/dL), x 0.85 if female
(formula and female factor verified via pregabalin-label-derived summaries, clinical reference §4.3).

Weight rule: the original equation uses ACTUAL body weight; painpath defaults to it. In obesity
many services use ideal or adjusted body weight - a local policy (clinical reference §4.3,
unverified), supported through `dosing_weight_kg(..., basis=...)`; the caller passes the chosen
weight to `cockcroft_gault_crcl`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import DomainError
from painpath.clinical.medications.codes import RenalAction, Sex
from painpath.clinical.medications.formulary import Drug, RenalBand

CG_CONSTANT: Final = Decimal(72)  # Cockcroft & Gault 1976
CG_AGE_FROM: Final = Decimal(140)  # Cockcroft & Gault 1976
CG_FEMALE_FACTOR: Final = Decimal("0.85")  # Cockcroft & Gault 1976
UMOL_L_PER_MG_DL: Final = Decimal("88.4")  # creatinine: 1 mg/dL = 88.4 umol/L (clinical ref §4.3)

# Devine 1974 ideal body weight and the 0.4 adjusted-weight factor are widely used conventions;
# not checked against a primary source this session (verified=false) - local policy decides.
IBW_BASE_MALE_KG: Final = Decimal(50)
IBW_BASE_FEMALE_KG: Final = Decimal("45.5")
IBW_KG_PER_INCH_OVER_60: Final = Decimal("2.3")
CM_PER_INCH: Final = Decimal("2.54")
ADJUSTED_WEIGHT_FACTOR: Final = Decimal("0.4")


class InvalidPatientValue(DomainError):
    """An age, weight or creatinine value is impossible or outside the equation's domain."""


class WeightBasis(StrEnum):
    ACTUAL = "actual"  # Cockcroft & Gault 1976 (painpath default)
    IDEAL = "ideal"  # Devine IBW (local policy; verified=false)
    ADJUSTED = "adjusted"  # IBW + 0.4 x (actual - IBW) (local policy; verified=false)


def creatinine_mg_dl_from_umol_l(serum_creatinine_umol_l: Decimal) -> Decimal:
    """Convert serum creatinine from umol/L to mg/dL (divide by 88.4)."""
    return serum_creatinine_umol_l / UMOL_L_PER_MG_DL


def dosing_weight_kg(
    actual_weight_kg: Decimal,
    *,
    basis: WeightBasis = WeightBasis.ACTUAL,
    height_cm: Decimal | None = None,
    sex: Sex | None = None,
) -> Decimal:
    """Weight to use in Cockcroft-Gault under the clinic's chosen basis.

    IDEAL and ADJUSTED never exceed the actual weight (SAFETY: a lower weight gives a lower CrCl).
    """
    if actual_weight_kg <= 0:
        raise InvalidPatientValue("weight_kg must be > 0")
    if basis is WeightBasis.ACTUAL:
        return actual_weight_kg
    if height_cm is None or sex is None or height_cm <= 0:
        raise InvalidPatientValue("height_cm and sex are required for ideal/adjusted weight")
    base = IBW_BASE_MALE_KG if sex is Sex.MALE else IBW_BASE_FEMALE_KG
    inches_over_60 = max(Decimal(0), height_cm / CM_PER_INCH - 60)
    ideal = base + IBW_KG_PER_INCH_OVER_60 * inches_over_60
    if basis is WeightBasis.IDEAL or actual_weight_kg <= ideal:
        return min(ideal, actual_weight_kg)
    return ideal + ADJUSTED_WEIGHT_FACTOR * (actual_weight_kg - ideal)


def cockcroft_gault_crcl(
    *, age_years: int, weight_kg: Decimal, serum_creatinine_mg_dl: Decimal, sex: Sex
) -> Decimal:
    """Creatinine clearance in mL/min, unrounded (round only at presentation)."""
    if not 18 <= age_years <= 120:
        raise InvalidPatientValue("age_years must be 18-120 for Cockcroft-Gault")
    if not Decimal(0) < weight_kg <= Decimal(400):
        raise InvalidPatientValue("weight_kg must be > 0 and <= 400")
    if not Decimal(0) < serum_creatinine_mg_dl <= Decimal(30):
        raise InvalidPatientValue("serum_creatinine_mg_dl must be > 0 and <= 30")
    crcl = (CG_AGE_FROM - age_years) * weight_kg / (CG_CONSTANT * serum_creatinine_mg_dl)
    return crcl * CG_FEMALE_FACTOR if sex is Sex.FEMALE else crcl


@dataclass(frozen=True, slots=True)
class RenalLimit:
    """What the renal table says for one drug at one CrCl."""

    drug: str
    crcl_ml_min: Decimal
    band: RenalBand | None  # None: the drug has no renal rule for this CrCl
    max_daily_dose_mg: Decimal | None  # None: no numeric renal cap

    @property
    def is_avoid(self) -> bool:
        return self.band is not None and self.band.action is RenalAction.AVOID


def renal_band(drug: Drug, crcl_ml_min: Decimal) -> RenalBand | None:
    """The renal band containing this CrCl, or None if none applies."""
    if crcl_ml_min < 0:
        raise InvalidPatientValue("crcl_ml_min must be >= 0")
    for band in drug.renal:
        if band.contains(crcl_ml_min):
            return band
    return None


def renal_limit(drug: Drug, crcl_ml_min: Decimal) -> RenalLimit:
    """Renal maximum daily dose for a drug at a CrCl (label tables in formulary.toml)."""
    band = renal_band(drug, crcl_ml_min)
    cap: Decimal | None = None
    if band is not None:
        if band.action is RenalAction.AVOID:
            cap = Decimal(0)
        elif band.action is RenalAction.PROPORTIONAL:
            # Neurontin §2.3: below 15 mL/min reduce in proportion to CrCl (7.5 -> one half).
            if band.max_daily_dose_mg is None or band.reference_ml_min is None:
                raise DomainError(f"{drug.code}: proportional renal band needs max and reference")
            cap = band.max_daily_dose_mg * crcl_ml_min / band.reference_ml_min
        else:
            cap = band.max_daily_dose_mg
    return RenalLimit(drug=drug.code, crcl_ml_min=crcl_ml_min, band=band, max_daily_dose_mg=cap)
