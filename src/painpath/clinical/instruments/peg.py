"""PEG (Pain, Enjoyment of life, General activity): three 0-10 items; score = mean (0-10).

Krebs EE et al. J Gen Intern Med 2009;24:733-738. Derived from the Brief Pain Inventory.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.common import (
    ALL_ITEMS_RULE,
    ZERO_TO_TEN,
    items_from_labels,
    mean_of,
)
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    Direction,
    InstrumentSpec,
    Licence,
    Mcid,
    Source,
)

ITEMS: Final = items_from_labels(
    "peg",
    (
        "average pain, past week",
        "interference with enjoyment of life",
        "interference with general activity",
    ),
    ZERO_TO_TEN,
)
# Krebs 2009 defines no missing-item rule: all three items are required (painpath default).
TOTAL_SCALE: Final = mean_of(TOTAL, ITEMS, min_answered=len(ITEMS), rule=ALL_ITEMS_RULE)

MCID: Final = Mcid(
    points=Decimal(1),
    percent=Decimal(30),
    source=Source(
        "about 1 point or 30% commonly used (clinical-reference 1.2)",
        is_verified=False,
        note="no primary source checked; needs clinical sign-off",
    ),
)

SPEC: Final = InstrumentSpec(
    code="peg",
    version="1",
    title="PEG three-item pain scale (Pain, Enjoyment of life, General activity)",
    items=ITEMS,
    score=standard_scorer("peg", ITEMS, total=TOTAL_SCALE),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="Krebs et al. (VA-funded)",
        note="Reported free / public domain; unconfirmed, so no item text is shipped.",
        may_ship_item_text=False,
        source=Source("clinical-reference 1.2 (unverified)", is_verified=False),
    ),
    citation=Source(
        "Krebs EE et al. Development and initial validation of the PEG, a three-item scale "
        "assessing pain intensity and interference. J Gen Intern Med 2009;24:733-738. "
        "doi:10.1007/s11606-009-0981-1",
        is_verified=True,
        note="verified via Springer page (clinical-reference 1.2)",
    ),
    total=TOTAL_SCALE,
    mcids=(MCID,),
    notes=("No formal bands.",),
)
