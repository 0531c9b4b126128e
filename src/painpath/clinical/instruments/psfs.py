"""PSFS (Patient-Specific Functional Scale): patient-chosen activities, each 0-10; score = mean.

Stratford P et al. Physiother Can 1995;47:258-263. Each activity is rated 0 (unable) to 10 (able
at the pre-injury level); higher is better. painpath accepts 1-5 activities in fixed slots
psfs-1..psfs-5; the activity wording is free text kept with the response (not scored here) and
must stay the same at every time point for a slot to be compared.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.common import ZERO_TO_TEN, mean_of
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

MAX_ACTIVITIES: Final = 5
ITEMS: Final = tuple(
    Item(f"psfs-{n}", f"patient-chosen activity {n}", ZERO_TO_TEN, number=str(n), is_optional=True)
    for n in range(1, MAX_ACTIVITIES + 1)
)
TOTAL_SCALE: Final = mean_of(
    TOTAL,
    ITEMS,
    min_answered=1,
    rule=Source(
        "mean of the activities the patient chose (1-5)",
        is_verified=False,
        note="clinical-reference 1.4 says patients nominate 3-5 activities (Stratford 1995, "
        "unverified); painpath product brief allows 1-5. Needs clinical sign-off.",
    ),
)

MCID: Final = Mcid(
    points=Decimal(2),
    source=Source(
        "mean score 2 points; single activity 3 points (clinical-reference 1.4)",
        is_verified=False,
        note="no primary source checked; the single-activity MCID is not encoded",
    ),
)

SPEC: Final = InstrumentSpec(
    code="psfs",
    version="1",
    title="Patient-Specific Functional Scale",
    items=ITEMS,
    score=standard_scorer("psfs", ITEMS, total=TOTAL_SCALE),
    direction=Direction.HIGHER_IS_BETTER,
    licence=Licence(
        holder="Stratford et al.",
        note="Reported free; the activities are the patient's own words.",
        may_ship_item_text=False,
        source=Source("clinical-reference 1.4 (unverified)", is_verified=False),
    ),
    citation=Source(
        "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on "
        "individual patients: a report of a patient specific measure. "
        "Physiother Can 1995;47:258-263",
        is_verified=False,
    ),
    total=TOTAL_SCALE,
    mcids=(MCID,),
)
