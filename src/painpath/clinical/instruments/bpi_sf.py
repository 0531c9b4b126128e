"""BPI-SF (Brief Pain Inventory, short form): pain severity and pain interference.

Cleeland CS & Ryan KM 1994. Severity = mean of Q3-Q6 (worst, least, average, now; each 0-10).
Interference = mean of Q9A-G (each 0-10), computed when at least 4 of 7 are answered.
There is no total. Q1-2 (presence, body map), Q7 (treatments) and Q8 (% relief) are not scored
and are not modelled here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import PainSeverity
from painpath.clinical.instruments.common import ZERO_TO_TEN, mean_of
from painpath.clinical.instruments.scoring import standard_scorer
from painpath.clinical.instruments.spec import (
    BandRule,
    Bands,
    Direction,
    InstrumentSpec,
    Item,
    Licence,
    Mcid,
    Source,
)

SEVERITY = "severity"
INTERFERENCE = "interference"

SEVERITY_ITEMS: Final = tuple(
    Item(f"bpi-sf-{n}", label, ZERO_TO_TEN, number=str(n))
    for n, label in (
        (3, "worst pain, last 24 hours"),
        (4, "least pain, last 24 hours"),
        (5, "average pain"),
        (6, "pain right now"),
    )
)
INTERFERENCE_ITEMS: Final = tuple(
    Item(f"bpi-sf-9{letter}", f"interference: {label}", ZERO_TO_TEN, number=f"9{letter.upper()}")
    for letter, label in (
        ("a", "general activity"),
        ("b", "mood"),
        ("c", "walking ability"),
        ("d", "normal work"),
        ("e", "relations with others"),
        ("f", "sleep"),
        ("g", "enjoyment of life"),
    )
)
ITEMS: Final = SEVERITY_ITEMS + INTERFERENCE_ITEMS

SUBSCALES: Final = (
    mean_of(
        SEVERITY,
        SEVERITY_ITEMS,
        min_answered=len(SEVERITY_ITEMS),
        rule=Source(
            "painpath policy: all 4 severity items required (conservative choice)",
            is_verified=False,
            note="clinical-reference 1.4 prorating defaults; needs clinical sign-off",
        ),
    ),
    mean_of(
        INTERFERENCE,
        INTERFERENCE_ITEMS,
        min_answered=4,
        rule=Source(
            "BPI user guide: interference mean computed if >= 4 of 7 items answered",
            is_verified=True,
            note="verified via ePPOC wiki (clinical-reference 1.2)",
        ),
    ),
)

# Lower bounds on the severity mean: 0 none, >=1 mild, >=5 moderate, >=7 severe. Published
# bands are on integers (1-4, 5-6, 7-10); a mean between them takes the lower band.
BANDS: Final = Bands(
    rules=(
        BandRule(PainSeverity.NONE, Decimal(0)),
        BandRule(PainSeverity.MILD, Decimal(1)),
        BandRule(PainSeverity.MODERATE, Decimal(5)),
        BandRule(PainSeverity.SEVERE, Decimal(7)),
    ),
    scale=SEVERITY,
    source=Source(
        "Severity often banded 1-4 mild, 5-6 moderate, 7-10 severe (clinical-reference 1.2)",
        is_verified=False,
        note="common practice, no primary source checked; how a non-integer mean is banded "
        "is a painpath choice",
    ),
)

INTERFERENCE_MCID: Final = Mcid(
    points=Decimal(1),
    scale=INTERFERENCE,
    source=Source(
        "IMMPACT (Dworkin 2008): 1-point change in mean interference is clinically important",
        is_verified=True,
        note="verified via ePPOC wiki (clinical-reference 1.2)",
    ),
)

SPEC: Final = InstrumentSpec(
    code="bpi-sf",
    version="1",
    title="Brief Pain Inventory, short form (severity and interference)",
    items=ITEMS,
    score=standard_scorer("bpi-sf", ITEMS, total=None, subscales=SUBSCALES, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=Licence(
        holder="Charles S. Cleeland (1991), via MD Anderson Dept of Symptom Research",
        note="Licence required; fees vary by use. Ship no item text.",
        may_ship_item_text=False,
        source=Source(
            "copyright via NINDS CDE page; fees via SRAlab Rehab Measures (clinical-reference 1.2)",
            is_verified=True,
        ),
    ),
    citation=Source(
        "Cleeland CS, Ryan KM. Pain assessment: global use of the Brief Pain Inventory. "
        "Ann Acad Med Singapore 1994;23:129-138",
        is_verified=False,
        note="scoring rules verified via ePPOC wiki; the citation itself unverified",
    ),
    total=None,
    subscales=SUBSCALES,
    bands=BANDS,
    mcids=(INTERFERENCE_MCID,),
    notes=("No total: read the severity and interference subscales.",),
)
