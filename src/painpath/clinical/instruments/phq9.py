"""PHQ-9 (Patient Health Questionnaire, 9 items) and PHQ-2 (its items 1-2).

Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-613. Items 1-9 scored 0-3 over the
last two weeks; total 0-27. Optional item 10 (functional difficulty) is not scored.
PHQ-2: Kroenke 2003, total 0-6, >= 3 positive -> give the full PHQ-9.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import DepressionSeverity, ScreenResult
from painpath.clinical.instruments.common import FREQUENCY_0_3, items_from_labels, sum_of_all
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    BandRule,
    Bands,
    Direction,
    Flag,
    InstrumentSpec,
    Item,
    Licence,
    Mcid,
    Option,
    Source,
)

_LABELS: Final = (
    "interest/pleasure",
    "low mood",
    "sleep",
    "tiredness/energy",
    "appetite",
    "self-worth",
    "concentration",
    "psychomotor change",
    "thoughts of death or self-harm",
)

SCORED_ITEMS: Final = items_from_labels("phq-9", _LABELS, FREQUENCY_0_3)
ITEM_9: Final = SCORED_ITEMS[8].link_id
DIFFICULTY_ITEM: Final = Item(
    "phq-9-10",
    "functional difficulty (not scored)",
    (
        Option("not-difficult-at-all", 0),
        Option("somewhat-difficult", 1),
        Option("very-difficult", 2),
        Option("extremely-difficult", 3),
    ),
    number="10",
    is_scored=False,
    is_optional=True,
)
ITEMS: Final = (*SCORED_ITEMS, DIFFICULTY_ITEM)
TOTAL_SCALE: Final = sum_of_all(TOTAL, SCORED_ITEMS)

BANDS: Final = Bands(
    rules=(
        BandRule(DepressionSeverity.MINIMAL, Decimal(0)),
        BandRule(DepressionSeverity.MILD, Decimal(5)),
        BandRule(DepressionSeverity.MODERATE, Decimal(10)),
        BandRule(DepressionSeverity.MODERATELY_SEVERE, Decimal(15)),
        BandRule(DepressionSeverity.SEVERE, Decimal(20)),
    ),
    source=Source(
        "Kroenke 2001: 5, 10, 15, 20 mild / moderate / moderately severe / severe",
        is_verified=True,
        note="verified in awell-score phq_9/definition/phq9_interpretation.ts (reference 1.3)",
    ),
)

MCID: Final = Mcid(
    points=Decimal(5),
    source=Source(
        "Löwe B et al. Med Care 2004;42:1194-1201: 5 points (2 x SEM)",
        is_verified=True,
        note="verified via Medical Care abstract (clinical-reference 1.3)",
    ),
)

SAFETY_RULE: Final = Source(
    "Any PHQ-9 item 9 response >= 1 -> same-day clinician suicide-risk assessment, whatever the "
    "total (Kroenke 2001; collaborative-care practice)",
    is_verified=False,
    note="unverified as formal guideline text (clinical-reference 1.3, 6.2, 6.3); painpath "
    "applies it unconditionally",
)


def _item_9_flag(values: dict[str, int]) -> frozenset[Flag]:
    # SAFETY: item 9 > 0 raises URGENT_SAFETY on its own, even when other items are missing.
    return frozenset({Flag.URGENT_SAFETY}) if values.get(ITEM_9, 0) > 0 else frozenset()


LICENCE: Final = Licence(
    holder="Pfizer Inc. (Spitzer, Williams, Kroenke)",
    note="No permission required to reproduce, translate, display or distribute.",
    may_ship_item_text=True,
    source=Source(
        "copyright statement in HL7 US Core Questionnaire-phq-9-example (phqscreeners.com)",
        is_verified=True,
    ),
)

LOINC_SOURCE: Final = Source(
    "LOINC 44261-6 PHQ-9 total score; 55758-7 PHQ-2 total score",
    is_verified=True,
    note="44261-6 seen in HL7 US Core Observation-PHQ9 example; 55758-7 '(PHQ-2) total score "
    "[Reported]' seen in Synthea-style exports. Secondary sources; confirm on loinc.org.",
)

SPEC: Final = InstrumentSpec(
    code="phq-9",
    version="1",
    title="PHQ-9 (Patient Health Questionnaire, 9 items)",
    items=ITEMS,
    score=standard_scorer("phq-9", ITEMS, total=TOTAL_SCALE, bands=BANDS, flags=_item_9_flag),
    direction=Direction.HIGHER_IS_WORSE,
    licence=LICENCE,
    citation=Source(
        "Kroenke K, Spitzer RL, Williams JB. The PHQ-9: validity of a brief depression severity "
        "measure. J Gen Intern Med 2001;16:606-613. doi:10.1046/j.1525-1497.2001.016009606.x",
        is_verified=True,
    ),
    total=TOTAL_SCALE,
    bands=BANDS,
    mcids=(MCID,),
    loinc="44261-6",
    loinc_source=LOINC_SOURCE,
    notes=(f"URGENT_SAFETY rule: {SAFETY_RULE.citation} [{SAFETY_RULE.note}]",),
)

PHQ2_ITEMS: Final = items_from_labels("phq-2", _LABELS[:2], FREQUENCY_0_3)
PHQ2_TOTAL: Final = sum_of_all(TOTAL, PHQ2_ITEMS)
PHQ2_BANDS: Final = Bands(
    rules=(
        BandRule(ScreenResult.NEGATIVE, Decimal(0)),
        BandRule(ScreenResult.POSITIVE, Decimal(3)),
    ),
    source=Source(
        "Kroenke 2003: PHQ-2 >= 3 positive -> administer the PHQ-9",
        is_verified=True,
        note="verified via awell-score phq_2/README.md (clinical-reference 1.3)",
    ),
)

PHQ2_SPEC: Final = InstrumentSpec(
    code="phq-2",
    version="1",
    title="PHQ-2 (Patient Health Questionnaire, 2 items)",
    items=PHQ2_ITEMS,
    score=standard_scorer("phq-2", PHQ2_ITEMS, total=PHQ2_TOTAL, bands=PHQ2_BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=LICENCE,
    citation=Source(
        "Kroenke K, Spitzer RL, Williams JB. The Patient Health Questionnaire-2: validity of a "
        "two-item depression screener. Med Care 2003;41:1284-1292",
        is_verified=True,
        note="verified via awell-score phq_2/README.md",
    ),
    total=PHQ2_TOTAL,
    bands=PHQ2_BANDS,
    loinc="55758-7",
    loinc_source=LOINC_SOURCE,
    notes=("PHQ-2 has no item 9: a positive screen must lead to the full PHQ-9.",),
)
