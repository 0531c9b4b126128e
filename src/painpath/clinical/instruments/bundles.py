"""Named questionnaire bundles per collection point, as data (painpath defaults).

The referral bundle follows the product brief (journey 1); the others follow the routine PROM
cadence in clinical-reference 6.1. All are defaults a clinic may localise; they need clinical
governance sign-off. The body map in the referral journey is not a scored instrument and is
not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import UnknownCode


class CollectionPoint(StrEnum):
    """When a bundle is due (product brief, "Words")."""

    REFERRAL = "referral"
    EPISODE_START = "episode-start"
    REVIEW = "review"
    PATHWAY_END = "pathway-end"
    EPISODE_END = "episode-end"
    FOLLOW_UP = "follow-up"
    WEEKLY = "weekly"  # between-visit monitoring in the portal (reference 6.1)


@dataclass(frozen=True, slots=True)
class Bundle:
    """The instruments due at one collection point, in the order they are presented."""

    code: str
    collection_point: CollectionPoint
    instrument_codes: tuple[str, ...]
    source: str


_OUTCOME_SET: Final = ("bpi-sf", "phq-9", "gad-7", "pcs", "tsk-11", "isi", "pseq", "psfs")
_CADENCE: Final = (
    "clinical-reference 6.1 routine PROM cadence: BPI, PHQ-9, GAD-7, PCS, TSK, ISI, PSFS at "
    "baseline, 4-6 weeks, 12 weeks, then 3-monthly (painpath default, unverified)"
)

BUNDLES: Final = (
    Bundle(
        code="referral",
        collection_point=CollectionPoint.REFERRAL,
        instrument_codes=(
            "peg",
            "dn4-interview",
            "s-lanss",
            "phq-9",
            "gad-7",
            "pcs",
            "isi",
            "pseq",
            "tsk-11",
        ),
        source="product brief, journey 1 (referral to intake)",
    ),
    Bundle(
        code="episode-start",
        collection_point=CollectionPoint.EPISODE_START,
        instrument_codes=("nrs-pain", *_OUTCOME_SET),
        source=_CADENCE + "; NRS gives the IMMPACT pain baseline",
    ),
    Bundle(
        code="review",
        collection_point=CollectionPoint.REVIEW,
        instrument_codes=("nrs-pain", "pgic", *_OUTCOME_SET),
        source=_CADENCE + "; PGIC for the IMMPACT global responder (reference 1.2)",
    ),
    Bundle(
        code="pathway-end",
        collection_point=CollectionPoint.PATHWAY_END,
        instrument_codes=("nrs-pain", "pgic", *_OUTCOME_SET),
        source=_CADENCE,
    ),
    Bundle(
        code="episode-end",
        collection_point=CollectionPoint.EPISODE_END,
        instrument_codes=("nrs-pain", "pgic", *_OUTCOME_SET),
        source=_CADENCE,
    ),
    Bundle(
        code="follow-up",
        collection_point=CollectionPoint.FOLLOW_UP,
        instrument_codes=("nrs-pain", "pgic", *_OUTCOME_SET),
        source=_CADENCE,
    ),
    Bundle(
        code="weekly",
        collection_point=CollectionPoint.WEEKLY,
        instrument_codes=("nrs-pain", "peg"),
        source="clinical-reference 6.1: NRS/PEG weekly in the portal",
    ),
)

BY_CODE: Final = {b.code: b for b in BUNDLES}


def bundle(code: str) -> Bundle:
    """The bundle named `code`; raises UnknownCode if none."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise UnknownCode(f"unknown bundle: {code}") from None


def bundles_for(point: CollectionPoint) -> tuple[Bundle, ...]:
    """All bundles due at a collection point."""
    return tuple(b for b in BUNDLES if b.collection_point is point)
