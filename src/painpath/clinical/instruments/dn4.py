"""DN4 (Douleur Neuropathique en 4 questions) and DN4-interview (items 1-7 only).

Bouhassira D et al. Pain 2005;114:29-36. Ten yes/no items: 1-7 patient interview (pain qualities
and associated sensations), 8-10 clinician examination. Total 0-10, >= 4 suggests neuropathic pain;
DN4-interview total 0-7, >= 3.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import NeuropathicScreen
from painpath.clinical.instruments.common import YES_NO, items_from_labels, sum_of_all
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

CITATION: Final = Source(
    citation=(
        "Bouhassira D et al. Comparison of pain syndromes associated with nervous or somatic "
        "lesions and development of a new neuropathic pain diagnostic questionnaire (DN4). "
        "Pain 2005;114:29-36. doi:10.1016/j.pain.2004.12.010"
    ),
    is_verified=True,
    note="item structure verified via awell-score src/scores/dn4/dn4.ts (clinical-reference 1.1)",
)

LICENCE: Final = Licence(
    holder="French Neuropathic Pain Group / D. Bouhassira",
    note=(
        "Copyrighted; commonly used free in clinical practice; commercial licensing via the "
        "copyright holder. Ship no item text; sites add licensed wording in web labels."
    ),
    may_ship_item_text=False,
    source=Source("clinical-reference 1.1 (licence terms unverified)", is_verified=False),
)

# Our own neutral labels (clinical-reference 1.1 item domains), not the questionnaire wording.
_LABELS: Final = (
    "burning",
    "painful cold",
    "electric shocks",
    "tingling",
    "pins and needles",
    "numbness",
    "itching",
    "touch hypoaesthesia (examination)",
    "pinprick hypoaesthesia (examination)",
    "brushing evokes or increases pain (examination)",
)

ITEMS: Final = items_from_labels("dn4", _LABELS, YES_NO)
INTERVIEW_ITEMS: Final = ITEMS[:7]
EXAMINATION_ITEMS: Final = ITEMS[7:]

TOTAL_SCALE: Final = sum_of_all(TOTAL, ITEMS)
SUBSCALES: Final = (
    sum_of_all("interview", INTERVIEW_ITEMS),
    sum_of_all("examination", EXAMINATION_ITEMS),
)

CUTOFF: Final = Decimal(4)  # Bouhassira 2005; verified via NHS Gloucestershire and Physiopedia
BANDS: Final = Bands(
    rules=(
        BandRule(NeuropathicScreen.UNLIKELY, Decimal(0)),
        BandRule(NeuropathicScreen.LIKELY, CUTOFF),
    ),
    source=Source(
        "Bouhassira 2005: >= 4/10 neuropathic pain likely",
        is_verified=True,
        note="verified via Gloucestershire Hospitals NHS DN4 page and Physiopedia (reference 1.1)",
    ),
)

SPEC: Final = InstrumentSpec(
    code="dn4",
    version="1",
    title="DN4 (Douleur Neuropathique en 4 questions)",
    items=ITEMS,
    score=standard_scorer("dn4", ITEMS, total=TOTAL_SCALE, subscales=SUBSCALES, bands=BANDS),
    direction=Direction.HIGHER_IS_WORSE,
    licence=LICENCE,
    citation=CITATION,
    total=TOTAL_SCALE,
    subscales=SUBSCALES,
    bands=BANDS,
    notes=("Screening supports, never replaces, NeuPSIG grading (clinical-reference 1.1).",),
)

# DN4-interview: its own questionnaire identity (link_ids dn4-interview-1..7) for the portal.
INTERVIEW_ONLY_ITEMS: Final = items_from_labels("dn4-interview", _LABELS[:7], YES_NO)
INTERVIEW_TOTAL: Final = sum_of_all(TOTAL, INTERVIEW_ONLY_ITEMS)
INTERVIEW_CUTOFF: Final = Decimal(3)
INTERVIEW_BANDS: Final = Bands(
    rules=(
        BandRule(NeuropathicScreen.UNLIKELY, Decimal(0)),
        BandRule(NeuropathicScreen.LIKELY, INTERVIEW_CUTOFF),
    ),
    source=Source(
        "Bouhassira 2005: DN4-interview >= 3/7",
        is_verified=False,
        note=(
            "verified only via a secondary web summary (clinical-reference 1.1); van Seventer 2013 "
            "(Pain Pract 13:390-398) found 4/7 optimal in a Dutch sample. Needs sign-off."
        ),
    ),
)

INTERVIEW_SPEC: Final = InstrumentSpec(
    code="dn4-interview",
    version="1",
    title="DN4-interview (DN4 items 1-7, self-report)",
    items=INTERVIEW_ONLY_ITEMS,
    score=standard_scorer(
        "dn4-interview", INTERVIEW_ONLY_ITEMS, total=INTERVIEW_TOTAL, bands=INTERVIEW_BANDS
    ),
    direction=Direction.HIGHER_IS_WORSE,
    licence=LICENCE,
    citation=CITATION,
    total=INTERVIEW_TOTAL,
    bands=INTERVIEW_BANDS,
    notes=("Usable in the patient portal; examination items 8-10 need a clinician.",),
)
