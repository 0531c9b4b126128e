"""PSEQ (Pain Self-Efficacy Questionnaire) and PSEQ-2.

Nicholas MK. Eur J Pain 2007;11:153-163. PSEQ: 10 items, 0 (not at all confident) - 6
(completely confident); total 0-60; higher = more self-efficacy (better). No reverse items.
PSEQ-2 (Nicholas, McGuire, Asghari 2015): 2 items (confidence to work, to live a normal life
despite pain), total 0-12.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from painpath.clinical.instruments.bands import SelfEfficacy
from painpath.clinical.instruments.common import items_from_labels, numeric_options, sum_of_all
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

_OPTIONS: Final = numeric_options(0, 6)
_LABELS: Final = (
    "enjoy things despite pain",
    "household chores",
    "socialising",
    "coping in most situations",
    "some form of work",
    "hobbies and leisure",
    "coping without medication",
    "accomplishing life goals",
    "a normal lifestyle",
    "gradually becoming more active",
)

ITEMS: Final = items_from_labels("pseq", _LABELS, _OPTIONS)
TOTAL_SCALE: Final = sum_of_all(TOTAL, ITEMS)

LICENCE: Final = Licence(
    holder="M.K. Nicholas",
    note="Free for clinical use reported; ship no item text.",
    may_ship_item_text=False,
    source=Source("clinical-reference 1.3 (unverified)", is_verified=False),
)

BANDS: Final = Bands(
    rules=(
        BandRule(SelfEfficacy.LOW, Decimal(0)),
        BandRule(SelfEfficacy.MODERATE, Decimal(20)),
        BandRule(SelfEfficacy.HIGH, Decimal(41)),
    ),
    source=Source(
        "< 20 often treated as low, > 40 high (clinical-reference 1.3)",
        is_verified=False,
        note="no universal cut-off exists; descriptive default only, needs sign-off",
    ),
)

MCID: Final = Mcid(
    points=Decimal(9),
    source=Source(
        "5.5-9 points reported (clinical-reference 1.3)",
        is_verified=False,
        note="upper end of the reported range chosen to avoid over-calling change; needs sign-off",
    ),
)

SPEC: Final = InstrumentSpec(
    code="pseq",
    version="1",
    title="Pain Self-Efficacy Questionnaire",
    items=ITEMS,
    score=standard_scorer("pseq", ITEMS, total=TOTAL_SCALE, bands=BANDS),
    direction=Direction.HIGHER_IS_BETTER,
    licence=LICENCE,
    citation=Source(
        "Nicholas MK. The pain self-efficacy questionnaire: taking pain into account. "
        "Eur J Pain 2007;11:153-163",
        is_verified=True,
        note="verified via studylib copy of the paper (clinical-reference 1.3)",
    ),
    total=TOTAL_SCALE,
    bands=BANDS,
    mcids=(MCID,),
)

# PSEQ-2 is its own form (link_ids pseq-2-1, pseq-2-2); `number` keeps the PSEQ item number.
PSEQ2_ITEMS: Final = (
    Item("pseq-2-1", "some form of work", _OPTIONS, number="5"),
    Item("pseq-2-2", "a normal lifestyle", _OPTIONS, number="9"),
)
PSEQ2_TOTAL: Final = sum_of_all(TOTAL, PSEQ2_ITEMS)

PSEQ2_SPEC: Final = InstrumentSpec(
    code="pseq-2",
    version="1",
    title="Pain Self-Efficacy Questionnaire, 2-item short form",
    items=PSEQ2_ITEMS,
    score=standard_scorer("pseq-2", PSEQ2_ITEMS, total=PSEQ2_TOTAL),
    direction=Direction.HIGHER_IS_BETTER,
    licence=LICENCE,
    citation=Source(
        "Nicholas MK, McGuire BE, Asghari A. A 2-item short form of the Pain Self-efficacy "
        "Questionnaire: development and psychometric evaluation of PSEQ-2. "
        "J Pain 2015;16:153-163. doi:10.1016/j.jpain.2014.11.002",
        is_verified=True,
        note="PubMed 25463701: items cover confidence to work and to lead a normal life",
    ),
    total=PSEQ2_TOTAL,
    notes=(
        "Source PSEQ item numbers 5 and 9 are unverified (the abstract names the content only).",
        "No bands or MCID published for PSEQ-2.",
    ),
)
