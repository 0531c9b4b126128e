"""PGIC (Patient Global Impression of Change): one item, seven ordered categories.

Value 1 = very much improved ... 4 = no change ... 7 = very much worse (Farrar 2001 used the
standard seven-point PGIC; derived from the CGI, Guy 1976). The result's band is the category.
IMMPACT benefit levels from the category are in `change.pgic_benefit`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import GlobalChange
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    Aggregation,
    BandRule,
    Bands,
    Direction,
    InstrumentSpec,
    Item,
    Licence,
    Option,
    Scale,
    Source,
)

OPTIONS: Final = tuple(Option(str(c), n) for n, c in enumerate(GlobalChange, start=1))
ITEMS: Final = (Item("pgic-1", "global impression of change", OPTIONS, number="1"),)
TOTAL_SCALE: Final = Scale(
    TOTAL,
    ("pgic-1",),
    Aggregation.CATEGORY,
    min_answered=1,
    missing_rule=Source("single item: unanswered means not scored", is_verified=True),
)

BANDS: Final = Bands(
    rules=tuple(BandRule(c, Decimal(n)) for n, c in enumerate(GlobalChange, start=1)),
    source=Source(
        "Standard seven-point PGIC categories (Farrar 2001)",
        is_verified=True,
        note="7-point PGIC verified (clinical-reference 1.2)",
    ),
)

SPEC: Final = InstrumentSpec(
    code="pgic",
    version="1",
    title="Patient Global Impression of Change",
    items=ITEMS,
    score=standard_scorer("pgic", ITEMS, total=TOTAL_SCALE, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="public domain (derived from the CGI, Guy 1976)",
        note="Reported public domain; unconfirmed, so no item text is shipped.",
        may_ship_item_text=False,
        source=Source("clinical-reference 1.2 (unverified)", is_verified=False),
    ),
    citation=Source(
        "Farrar JT et al. Pain 2001;94:149-158 (seven-point PGIC); Guy W. ECDEU Assessment Manual "
        "for Psychopharmacology, 1976 (CGI)",
        is_verified=False,
        note="Farrar 2001 use of the 7-point PGIC verified; Guy 1976 not checked",
    ),
    total=TOTAL_SCALE,
    bands=BANDS,
    notes=("PGIC is itself a change measure: change-from-baseline does not apply.",),
)
