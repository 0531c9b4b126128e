"""NRS pain: 11-point numerical rating scale of pain intensity, 0 (no pain) to 10 (worst).

Farrar JT et al. Pain 2001;94:149-158. The recall period (now / average 24 h / average past week)
is part of the collection context and must match between time points.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import PainSeverity
from painpath.clinical.instruments.common import ZERO_TO_TEN, sum_of_all
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    BandRule,
    Bands,
    Direction,
    InstrumentSpec,
    Item,
    Licence,
    Mcid,
    Source,
)

ITEMS: Final = (Item("nrs-pain-1", "pain intensity", ZERO_TO_TEN, number="1"),)
TOTAL_SCALE: Final = sum_of_all(TOTAL, ITEMS)

# 0 none, 1-4 mild, 5-6 moderate, 7-10 severe.
BANDS: Final = Bands(
    rules=(
        BandRule(PainSeverity.NONE, Decimal(0)),
        BandRule(PainSeverity.MILD, Decimal(1)),
        BandRule(PainSeverity.MODERATE, Decimal(5)),
        BandRule(PainSeverity.SEVERE, Decimal(7)),
    ),
    source=Source(
        "Serlin RC et al. Pain 1995;61:277-284 (1-4 mild, 5-6 moderate, 7-10 severe)",
        is_verified=False,
        note="clinical-reference 1.2 marks the Serlin bands unverified; cut-points vary by "
        "population (Boonstra 2016, Front Psychol 7:1466: <=5 mild, 6-7 moderate, >=8 severe in "
        "chronic musculoskeletal pain)",
    ),
)

MCID: Final = Mcid(
    points=Decimal(2),
    percent=Decimal(30),
    source=Source(
        "Farrar 2001: a reduction of about 2 points or about 30% is clinically important",
        is_verified=True,
        note="checked against the PubMed abstract, PMID 11690728",
    ),
)

SPEC: Final = InstrumentSpec(
    code="nrs-pain",
    version="1",
    title="Numerical rating scale of pain intensity (0-10)",
    items=ITEMS,
    score=standard_scorer("nrs-pain", ITEMS, total=TOTAL_SCALE, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="public domain",
        note="Generic 0-10 rating scale; wording may be shipped.",
        may_ship_item_text=True,
        source=Source("clinical-reference 1.2", is_verified=True),
    ),
    citation=Source(
        "Farrar JT, Young JP, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in "
        "chronic pain intensity measured on an 11-point numerical pain rating scale. "
        "Pain 2001;94:149-158. doi:10.1016/S0304-3959(01)00349-9",
        is_verified=True,
        note="PubMed 11690728",
    ),
    total=TOTAL_SCALE,
    bands=BANDS,
    mcids=(MCID,),
    is_pain_intensity=True,
    notes=("Record the recall period with the answer; compare like with like.",),
)
