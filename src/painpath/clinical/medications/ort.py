"""Opioid Risk Tool (ORT) and ORT-OUD.

ORT: Webster LR, Webster RM. Predicting aberrant behaviors in opioid-treated patients: preliminary
validation of the Opioid Risk Tool. Pain Med 2005;6:432-442, doi:10.1111/j.1526-4637.2005.00072.x
(weights and bands verified via CFP table, clinical reference §4.5). Ten yes/no items weighted by
sex; total 0-26; 0-3 low, 4-7 moderate, >= 8 high risk of aberrant drug-related behaviour.

ORT-OUD: Cheatle MD et al. 2019 (abstract verified via PMC6768552): nine unweighted sex-neutral
items; scoring (1 point each; 0-2 low, >= 3 high) is (unverified) -> ORT_OUD_VERIFIED = False.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.medications.codes import Sex


class OrtItem(StrEnum):
    """Stable item identities (link ids); wording lives in web labels."""

    FAMILY_ALCOHOL = "ort-family-alcohol"
    FAMILY_ILLEGAL_DRUGS = "ort-family-illegal-drugs"
    FAMILY_PRESCRIPTION_DRUGS = "ort-family-prescription-drugs"
    PERSONAL_ALCOHOL = "ort-personal-alcohol"
    PERSONAL_ILLEGAL_DRUGS = "ort-personal-illegal-drugs"
    PERSONAL_PRESCRIPTION_DRUGS = "ort-personal-prescription-drugs"
    AGE_16_45 = "ort-age-16-45"
    PREADOLESCENT_SEXUAL_ABUSE = "ort-preadolescent-sexual-abuse"
    ADD_OCD_BIPOLAR_SCHIZOPHRENIA = "ort-add-ocd-bipolar-schizophrenia"
    DEPRESSION = "ort-depression"


# (female, male) points - Webster 2005 (clinical reference §4.5).
ORT_WEIGHTS: Final[Mapping[OrtItem, tuple[int, int]]] = {
    OrtItem.FAMILY_ALCOHOL: (1, 3),
    OrtItem.FAMILY_ILLEGAL_DRUGS: (2, 3),
    OrtItem.FAMILY_PRESCRIPTION_DRUGS: (4, 4),
    OrtItem.PERSONAL_ALCOHOL: (3, 3),
    OrtItem.PERSONAL_ILLEGAL_DRUGS: (4, 4),
    OrtItem.PERSONAL_PRESCRIPTION_DRUGS: (5, 5),
    OrtItem.AGE_16_45: (1, 1),
    OrtItem.PREADOLESCENT_SEXUAL_ABUSE: (3, 0),
    OrtItem.ADD_OCD_BIPOLAR_SCHIZOPHRENIA: (2, 2),
    OrtItem.DEPRESSION: (1, 1),
}
ORT_MODERATE_FROM: Final = 4  # Webster 2005: 0-3 low
ORT_HIGH_FROM: Final = 8  # Webster 2005: >= 8 high
ORT_SOURCE: Final = "Webster LR, Webster RM. Pain Med 2005;6:432-442"

ORT_OUD_ITEMS: Final = tuple(i for i in OrtItem if i is not OrtItem.PREADOLESCENT_SEXUAL_ABUSE)
ORT_OUD_HIGH_FROM: Final = 3  # Cheatle 2019 (unverified)
ORT_OUD_VERIFIED: Final = False
ORT_OUD_SOURCE: Final = "Cheatle MD et al. J Pain 2019 (ORT-OUD); scoring unverified"


class OrtBand(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class OrtResult:
    """Score, or the missing items when incomplete (never a guessed total)."""

    total: int | None
    band: OrtBand | None
    missing: tuple[str, ...]
    source: str
    is_verified: bool

    @property
    def is_complete(self) -> bool:
        return not self.missing


def _answers(answers: Mapping[str, bool], items: tuple[OrtItem, ...]) -> list[str]:
    known = {i.value for i in OrtItem}
    extra = sorted(set(answers) - known)
    if extra:
        raise InvalidAnswer(f"ORT: unknown items {extra}")
    for key, value in answers.items():
        if not isinstance(value, bool):
            raise InvalidAnswer(f"ORT: {key} must be yes/no")
    return [i.value for i in items if i.value not in answers]


def score_ort(answers: Mapping[str, bool], sex: Sex) -> OrtResult:
    """Opioid Risk Tool total and band (all ten items required)."""
    missing = _answers(answers, tuple(OrtItem))
    if missing:
        return OrtResult(None, None, tuple(missing), ORT_SOURCE, True)
    column = 0 if sex is Sex.FEMALE else 1
    total = sum(w[column] for item, w in ORT_WEIGHTS.items() if answers[item.value])
    if total >= ORT_HIGH_FROM:
        band = OrtBand.HIGH
    elif total >= ORT_MODERATE_FROM:
        band = OrtBand.MODERATE
    else:
        band = OrtBand.LOW
    return OrtResult(total, band, (), ORT_SOURCE, True)


def score_ort_oud(answers: Mapping[str, bool]) -> OrtResult:
    """ORT-OUD: nine unweighted items; 0-2 low, >= 3 high (scoring unverified)."""
    missing = _answers(answers, ORT_OUD_ITEMS)
    if missing:
        return OrtResult(None, None, tuple(missing), ORT_OUD_SOURCE, ORT_OUD_VERIFIED)
    total = sum(1 for item in ORT_OUD_ITEMS if answers[item.value])
    band = OrtBand.HIGH if total >= ORT_OUD_HIGH_FROM else OrtBand.LOW
    return OrtResult(total, band, (), ORT_OUD_SOURCE, ORT_OUD_VERIFIED)
