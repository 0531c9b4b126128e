"""Codes (StrEnum) shared by the medications package; labels are looked up later in `web`."""

from __future__ import annotations

from enum import StrEnum


class DrugClass(StrEnum):
    """Pharmacological class as used by the rule tables."""

    GABAPENTINOID = "gabapentinoid"
    SNRI = "snri"
    TCA = "tca"
    SODIUM_CHANNEL_ANTICONVULSANT = "sodium_channel_anticonvulsant"
    TOPICAL_LIDOCAINE = "topical_lidocaine"
    TOPICAL_CAPSAICIN = "topical_capsaicin"
    ATYPICAL_OPIOID = "atypical_opioid"
    WEAK_OPIOID = "weak_opioid"
    STRONG_OPIOID = "strong_opioid"
    PARTIAL_OPIOID_AGONIST = "partial_opioid_agonist"
    SSRI = "ssri"
    BENZODIAZEPINE = "benzodiazepine"
    Z_DRUG = "z_drug"
    MAOI = "maoi"
    NDRI = "ndri"
    FLUOROQUINOLONE = "fluoroquinolone"
    ANTIBIOTIC = "antibiotic"
    ANTIARRHYTHMIC = "antiarrhythmic"
    ANTIPSYCHOTIC = "antipsychotic"
    ANTIEMETIC = "antiemetic"
    MUSCLE_RELAXANT = "muscle_relaxant"
    ALCOHOL = "alcohol"


class TherapyLine(StrEnum):
    """NeuPSIG line of therapy (Finnerup 2015; Soliman 2025)."""

    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    INCONCLUSIVE = "inconclusive"
    AGAINST = "against"
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"
    UNVERIFIED = "unverified"


class Route(StrEnum):
    ORAL = "oral"
    TRANSDERMAL = "transdermal"
    TOPICAL = "topical"


class CostBand(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class RenalAction(StrEnum):
    """What a renal band asks for."""

    DOSE_BAND = "dose_band"  # label dose table: a maximum (and regimen) for this CrCl range
    PROPORTIONAL = "proportional"  # maximum scales with CrCl (gabapentin <15 mL/min)
    AVOID = "avoid"  # do not use in this range
    CAUTION = "caution"  # no numeric cap in the source; review


class HepaticAction(StrEnum):
    AVOID = "avoid"
    REDUCE = "reduce"
    CAUTION = "caution"


class Severity(StrEnum):
    """Finding severity, ordered from least to most severe (see SEVERITY_ORDER)."""

    INFO = "info"
    MODERATE = "moderate"
    MAJOR = "major"
    CONTRAINDICATED = "contraindicated"


SEVERITY_ORDER: dict[Severity, int] = {
    Severity.INFO: 0,
    Severity.MODERATE: 1,
    Severity.MAJOR: 2,
    Severity.CONTRAINDICATED: 3,
}


class FindingKind(StrEnum):
    """Kinds of regimen finding (stable: the CLI contract prints them)."""

    INTERACTION = "interaction"
    RENAL_DOSE = "renal_dose"
    MAX_DOSE = "max_dose"
    BEERS = "beers"
    MME_THRESHOLD = "mme_threshold"
    NALOXONE = "naloxone"
    DUPLICATE_THERAPY = "duplicate_therapy"
    CONTRAINDICATION = "contraindication"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
