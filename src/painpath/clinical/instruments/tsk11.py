"""TSK-11 (Tampa Scale for Kinesiophobia, 11-item version).

Woby SR, Roach NK, Urmston M, Watson PJ. Pain 2005;117:137-144. TSK-17 minus items 4, 8, 9, 12,
14 and 16 (which removes every reverse-keyed item). Items 1 (strongly disagree) - 4 (strongly
agree); total 11-44. No validated cut-off.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.common import numeric_options, sum_of_all
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    Direction,
    InstrumentSpec,
    Item,
    Licence,
    Mcid,
    Source,
)

# (TSK-17 item number, our neutral label). Kept TSK-17 items: 1,2,3,5,6,7,10,11,13,15,17
# (clinical-reference 1.3: TSK-17 minus 4, 8, 9, 12, 14, 16).
TSK17_REMOVED: Final = frozenset({4, 8, 9, 12, 14, 16})
_KEPT: Final = (
    (1, "fear of injury when exercising"),
    (2, "pain would rise if I pushed through"),
    (3, "body signalling something dangerous"),
    (5, "condition not taken seriously"),
    (6, "body at risk for life"),
    (7, "pain means injury"),
    (10, "avoiding movement is safest"),
    (11, "pain signals danger"),
    (13, "pain as a stop signal"),
    (15, "too easy to get injured"),
    (17, "no exercise when in pain"),
)

ITEMS: Final = tuple(
    Item(f"tsk-11-{n}", label, numeric_options(1, 4), number=str(n))
    for n, (_tsk17, label) in enumerate(_KEPT, start=1)
)
TSK17_NUMBER: Final = {f"tsk-11-{n}": tsk17 for n, (tsk17, _label) in enumerate(_KEPT, start=1)}
TOTAL_SCALE: Final = sum_of_all(TOTAL, ITEMS)

MCID: Final = Mcid(
    points=Decimal(4),
    source=Source(
        "Woby 2005: >= 4-point reduction is clinically important (TSK-11 and TSK-17)",
        is_verified=True,
        note="verified via metajournal/medluna abstract (clinical-reference 1.3)",
    ),
)

SPEC: Final = InstrumentSpec(
    code="tsk-11",
    version="1",
    title="Tampa Scale for Kinesiophobia, 11 items",
    items=ITEMS,
    score=standard_scorer("tsk-11", ITEMS, total=TOTAL_SCALE),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="Kori, Miller & Todd (TSK); Woby et al. (TSK-11)",
        note="Reported free; unconfirmed, so no item text is shipped.",
        may_ship_item_text=False,
        source=Source("clinical-reference 1.3 (unverified)", is_verified=False),
    ),
    citation=Source(
        "Woby SR, Roach NK, Urmston M, Watson PJ. Psychometric properties of the TSK-11: a "
        "shortened version of the Tampa Scale for Kinesiophobia. Pain 2005;117:137-144",
        is_verified=True,
        note="range 11-44 verified via Physiotutors (clinical-reference 1.3)",
    ),
    total=TOTAL_SCALE,
    mcids=(MCID,),
    notes=(
        "No validated cut-off, so no bands. The TSK-17 >= 38 rule (reference 6.1) does not apply.",
        "Item order assumed to follow TSK-17 order; confirm against the licensed form.",
    ),
)
