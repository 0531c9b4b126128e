"""GAD-7 (Generalized Anxiety Disorder, 7 items) and GAD-2 (its items 1-2).

Spitzer RL et al. Arch Intern Med 2006;166:1092-1097. Items 0-3 over two weeks; total 0-21;
5/10/15 mild/moderate/severe. GAD-2 (Kroenke 2007): total 0-6, >= 3 positive -> full GAD-7.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import AnxietySeverity, ScreenResult
from painpath.clinical.instruments.common import FREQUENCY_0_3, items_from_labels, sum_of_all
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    BandRule,
    Bands,
    Direction,
    InstrumentSpec,
    Licence,
    Mcid,
    Source,
)

_LABELS: Final = (
    "nervous/on edge",
    "uncontrollable worry",
    "worrying too much",
    "trouble relaxing",
    "restlessness",
    "irritability",
    "feeling afraid",
)

ITEMS: Final = items_from_labels("gad-7", _LABELS, FREQUENCY_0_3)
TOTAL_SCALE: Final = sum_of_all(TOTAL, ITEMS)

BANDS: Final = Bands(
    rules=(
        BandRule(AnxietySeverity.MINIMAL, Decimal(0)),
        BandRule(AnxietySeverity.MILD, Decimal(5)),
        BandRule(AnxietySeverity.MODERATE, Decimal(10)),
        BandRule(AnxietySeverity.SEVERE, Decimal(15)),
    ),
    source=Source(
        "Spitzer 2006: 5, 10, 15 mild / moderate / severe; >= 10 further evaluation",
        is_verified=True,
        note="verified via awell-score GAD_7/README.md (clinical-reference 1.3)",
    ),
)

MCID: Final = Mcid(
    points=Decimal(4),
    source=Source(
        "Toussaint A et al. Sensitivity to change and minimal clinically important difference of "
        "the GAD-7. J Affect Disord 2020;265:395-401: MCID estimated at 4 points",
        is_verified=True,
        note="checked against the abstract (PMID 32090765); sample: chronic depression trial",
    ),
)

LICENCE: Final = Licence(
    holder="Pfizer Inc. (Spitzer, Williams, Kroenke, Löwe)",
    note="No permission required to reproduce, translate, display or distribute (Pfizer).",
    may_ship_item_text=True,
    source=Source(
        "Pfizer copyright statement in public FHIR GAD-7 Questionnaires (phqscreeners.com)",
        is_verified=True,
        note="secondary copy of the statement; clinical-reference 1.3 marks it unverified",
    ),
)

SPEC: Final = InstrumentSpec(
    code="gad-7",
    version="1",
    title="GAD-7 (Generalized Anxiety Disorder, 7 items)",
    items=ITEMS,
    score=standard_scorer("gad-7", ITEMS, total=TOTAL_SCALE, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=LICENCE,
    citation=Source(
        "Spitzer RL, Kroenke K, Williams JB, Löwe B. A brief measure for assessing generalized "
        "anxiety disorder: the GAD-7. Arch Intern Med 2006;166:1092-1097",
        is_verified=True,
    ),
    total=TOTAL_SCALE,
    bands=BANDS,
    mcids=(MCID,),
    loinc="70274-6",
    loinc_source=Source(
        "LOINC 70274-6 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]'",
        is_verified=True,
        note="seen in the MII PRO FHIR IG and HL7 PHR IG (secondary); confirm on loinc.org",
    ),
)

GAD2_ITEMS: Final = items_from_labels("gad-2", _LABELS[:2], FREQUENCY_0_3)
GAD2_TOTAL: Final = sum_of_all(TOTAL, GAD2_ITEMS)
GAD2_BANDS: Final = Bands(
    rules=(
        BandRule(ScreenResult.NEGATIVE, Decimal(0)),
        BandRule(ScreenResult.POSITIVE, Decimal(3)),
    ),
    source=Source(
        "Kroenke 2007: GAD-2 >= 3 positive (sens 86%, spec 83%)",
        is_verified=True,
        note="verified via awell-score GAD_2/README.md (clinical-reference 1.3)",
    ),
)

GAD2_SPEC: Final = InstrumentSpec(
    code="gad-2",
    version="1",
    title="GAD-2 (Generalized Anxiety Disorder, 2 items)",
    items=GAD2_ITEMS,
    score=standard_scorer("gad-2", GAD2_ITEMS, total=GAD2_TOTAL, bands=GAD2_BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=LICENCE,
    citation=Source(
        "Kroenke K et al. Anxiety disorders in primary care: prevalence, impairment, comorbidity, "
        "and detection. Ann Intern Med 2007;146:317-325",
        is_verified=True,
    ),
    total=GAD2_TOTAL,
    bands=GAD2_BANDS,
)
