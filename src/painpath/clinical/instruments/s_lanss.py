"""S-LANSS (Self-completed Leeds Assessment of Neuropathic Symptoms and Signs).

Bennett MI et al. J Pain 2005;6:149-158. Seven weighted yes/no items: five symptom items and two
self-examination items; "yes" scores 5, 5, 3, 2, 1, 5, 3. Total 0-24; >= 12 suggests pain of
predominantly neuropathic origin.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import NeuropathicScreen
from painpath.clinical.instruments.common import sum_of_all
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    TOTAL,
    BandRule,
    Bands,
    Direction,
    InstrumentSpec,
    Item,
    Licence,
    Option,
    Source,
)

# (our neutral label, weight of "yes"): Bennett 2001/2005 weighting, verified via PMC7136290
# Table 3 and Physiopedia "LANSS" (clinical-reference 1.1).
_ITEMS: Final = (
    ("dysaesthesia (pricking, tingling)", 5),
    ("skin colour change in the painful area", 5),
    ("abnormal sensitivity to touch", 3),
    ("sudden bursts of pain", 2),
    ("abnormal heat or burning", 1),
    ("self-examination: rubbing evokes pain", 5),
    ("self-examination: altered pressing/pinprick sensation", 3),
)

ITEMS: Final = tuple(
    Item(
        link_id=f"s-lanss-{n}",
        label=label,
        options=(Option("no", 0), Option("yes", weight)),
        number=str(n),
    )
    for n, (label, weight) in enumerate(_ITEMS, start=1)
)
TOTAL_SCALE: Final = sum_of_all(TOTAL, ITEMS)

CUTOFF: Final = Decimal(12)
BANDS: Final = Bands(
    rules=(
        BandRule(NeuropathicScreen.UNLIKELY, Decimal(0)),
        BandRule(NeuropathicScreen.LIKELY, CUTOFF),
    ),
    source=Source(
        "Bennett 2005: >= 12 pain of predominantly neuropathic origin",
        is_verified=True,
        note="verified via S-LANSS score sheet (clinical-reference 1.1)",
    ),
)

SPEC: Final = InstrumentSpec(
    code="s-lanss",
    version="1",
    title="S-LANSS (Self-completed Leeds Assessment of Neuropathic Symptoms and Signs)",
    items=ITEMS,
    score=standard_scorer("s-lanss", ITEMS, total=TOTAL_SCALE, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="M.I. Bennett / IASP (Pain journal)",
        note="Free for clinical use reported; ship no item text.",
        may_ship_item_text=False,
        source=Source("clinical-reference 1.1 (licence unverified)", is_verified=False),
    ),
    citation=Source(
        "Bennett MI, Smith BH, Torrance N, Potter J. The S-LANSS score for identifying pain of "
        "predominantly neuropathic origin. J Pain 2005;6:149-158. doi:10.1016/j.jpain.2004.11.007",
        is_verified=True,
        note="verified via citationsy abstract (clinical-reference 1.1)",
    ),
    total=TOTAL_SCALE,
    bands=BANDS,
    notes=("Self-completed accuracy about 75% (Bennett 2005).",),
)
