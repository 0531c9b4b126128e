"""ISI (Insomnia Severity Index): 7 items, 0-4; total 0-28.

Morin CM et al. Sleep 2011;34:601-608. Bands 0-7 none, 8-14 subthreshold, 15-21 moderate
clinical, 22-28 severe clinical insomnia. Scored only when all 7 items are answered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import InsomniaSeverity
from painpath.clinical.instruments.common import items_from_labels, numeric_options, sum_of_all
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
    "difficulty falling asleep",
    "difficulty staying asleep",
    "waking too early",
    "dissatisfaction with sleep",
    "noticeable to others",
    "worry about sleep",
    "interference with daytime functioning",
)

# Item order (onset, maintenance, early waking, satisfaction, noticeable, worry, interference)
# and 0-4 keying of the satisfaction item (0 = very satisfied) checked in awell-score
# src/scores/isi/definition/isi_inputs.ts: no item is reverse-scored.
ITEMS: Final = items_from_labels("isi", _LABELS, numeric_options(0, 4))
TOTAL_SCALE: Final = sum_of_all(
    TOTAL,
    ITEMS,
    rule=Source(
        "score only if all 7 items are answered (awell-score ISI rule)",
        is_verified=True,
        note="clinical-reference 1.3",
    ),
)

BANDS: Final = Bands(
    rules=(
        BandRule(InsomniaSeverity.NONE, Decimal(0)),
        BandRule(InsomniaSeverity.SUBTHRESHOLD, Decimal(8)),
        BandRule(InsomniaSeverity.MODERATE, Decimal(15)),
        BandRule(InsomniaSeverity.SEVERE, Decimal(22)),
    ),
    source=Source(
        "Morin 2011: 0-7 none, 8-14 subthreshold, 15-21 moderate, 22-28 severe",
        is_verified=True,
        note="verified in awell-score isi/definition/isi_interpretation.ts (reference 1.3)",
    ),
)

MCID: Final = Mcid(
    points=Decimal(6),
    source=Source(
        "Yang M, Morin CM, Schaefer K, Wallenstein GV. Interpreting score differences in the "
        "Insomnia Severity Index. Curr Med Res Opin 2009;25:2487-2494: a 6-point reduction is "
        "recommended as clinically meaningful",
        is_verified=True,
        note="checked against the PubMed abstract (PMID 19689221); Morin 2011 abstract: -8.4 "
        "points went with moderate improvement rated by an independent assessor",
    ),
)

SPEC: Final = InstrumentSpec(
    code="isi",
    version="1",
    title="Insomnia Severity Index",
    items=ITEMS,
    score=standard_scorer("isi", ITEMS, total=TOTAL_SCALE, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="C.M. Morin; licensed via Mapi Research Trust",
        note="Free for individual clinical use reported; software use needs a licence check. "
        "Ship no item text.",
        may_ship_item_text=False,
        source=Source("clinical-reference 1.3 (unverified)", is_verified=False),
    ),
    citation=Source(
        "Morin CM, Belleville G, Bélanger L, Ivers H. The Insomnia Severity Index: psychometric "
        "indicators to detect insomnia cases and evaluate treatment response. "
        "Sleep 2011;34:601-608. doi:10.1093/sleep/34.5.601",
        is_verified=True,
    ),
    total=TOTAL_SCALE,
    bands=BANDS,
    mcids=(MCID,),
)
