"""PCS (Pain Catastrophizing Scale): 13 items, 0 (not at all) - 4 (all the time); total 0-52.

Sullivan MJL, Bishop SR, Pivik J. Psychol Assess 1995;7:524-532. Subscales: rumination (items
8-11), magnification (6, 7, 13), helplessness (1-5, 12). No reverse-keyed items.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import Catastrophising
from painpath.clinical.instruments.common import items_from_labels, numeric_options, sum_of_all
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    BandRule,
    Bands,
    Direction,
    InstrumentSpec,
    Licence,
    Source,
)

_LABELS: Final = (
    "worry the pain will not end",
    "feel unable to go on",
    "expect it never to improve",
    "overwhelmed by the pain",
    "cannot stand it any more",
    "fear the pain will worsen",
    "recall other painful events",
    "anxiously want the pain gone",
    "cannot keep it out of mind",
    "dwell on how much it hurts",
    "dwell on wanting it to stop",
    "nothing reduces the intensity",
    "fear something serious may happen",
)

ITEMS: Final = items_from_labels("pcs", _LABELS, numeric_options(0, 4))
TOTAL_SCALE: Final = sum_of_all(TOTAL, ITEMS)


def _pick(*numbers: int) -> tuple[str, ...]:
    return tuple(f"pcs-{n}" for n in numbers)


# Subscale item numbers verified in awell-score pcs/definition/pcs_scales.ts (reference 1.3).
SUBSCALE_ITEMS: Final = {
    "rumination": _pick(8, 9, 10, 11),
    "magnification": _pick(6, 7, 13),
    "helplessness": _pick(1, 2, 3, 4, 5, 12),
}
SUBSCALES: Final = tuple(
    sum_of_all(name, [i for i in ITEMS if i.link_id in ids]) for name, ids in SUBSCALE_ITEMS.items()
)

CUTOFF: Final = Decimal(30)
BANDS: Final = Bands(
    rules=(
        BandRule(Catastrophising.BELOW_THRESHOLD, Decimal(0)),
        BandRule(Catastrophising.CLINICALLY_RELEVANT, CUTOFF),
    ),
    source=Source(
        "PCS manual (Sullivan): total >= 30 clinically relevant catastrophising (~75th percentile)",
        is_verified=False,
        note="clinical-reference 1.3 marks it unverified; secondary sources differ on the edge "
        "(SRAlab Rehabilitation Measures: 'above 30'; others: '>= 30'); painpath uses >= 30 to "
        "match the psychology step-up trigger (reference 6.1). Needs sign-off",
    ),
)

SPEC: Final = InstrumentSpec(
    code="pcs",
    version="1",
    title="Pain Catastrophizing Scale",
    items=ITEMS,
    score=standard_scorer("pcs", ITEMS, total=TOTAL_SCALE, subscales=SUBSCALES, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="M.J.L. Sullivan",
        note="Free for clinical/research use on request to the author; ship no item text.",
        may_ship_item_text=False,
        source=Source("clinical-reference 1.3 (unverified)", is_verified=False),
    ),
    citation=Source(
        "Sullivan MJL, Bishop SR, Pivik J. The Pain Catastrophizing Scale: development and "
        "validation. Psychol Assess 1995;7:524-532",
        is_verified=True,
        note="subscale structure verified via awell-score (clinical-reference 1.3)",
    ),
    total=TOTAL_SCALE,
    subscales=SUBSCALES,
    bands=BANDS,
    notes=(
        "MCID not firmly established (38-44% reduction used in some studies, unverified): "
        "none is encoded, so change reports no MCID verdict.",
    ),
)
