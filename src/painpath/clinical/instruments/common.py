"""Response-option sets and scale builders shared by several instruments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from painpath.clinical.instruments.spec import Aggregation, Item, Option, Scale, Source


def numeric_options(low: int, high: int) -> tuple[Option, ...]:
    """Options for a numeric rating scale; the code is the number itself."""
    return tuple(Option(str(v), v) for v in range(low, high + 1))


YES_NO: Final = (Option("no", 0), Option("yes", 1))

# PHQ/GAD frequency over the last two weeks, scored 0-3 (Kroenke 2001; Spitzer 2006).
FREQUENCY_0_3: Final = (
    Option("not-at-all", 0),
    Option("several-days", 1),
    Option("more-than-half-the-days", 2),
    Option("nearly-every-day", 3),
)

ZERO_TO_TEN: Final = numeric_options(0, 10)

ALL_ITEMS_RULE: Final = Source(
    citation=(
        "painpath policy: no prorating where the source defines none "
        "(clinical-reference 1.4 'Prorating / missing-data defaults'; ISI precedent, awell-score)"
    ),
    is_verified=False,
    note="engineering default; needs clinical sign-off",
)


def items_from_labels(
    prefix: str, labels: Sequence[str], options: tuple[Option, ...]
) -> tuple[Item, ...]:
    """Items `<prefix>-1 .. <prefix>-n` numbered as on the published form."""
    return tuple(
        Item(link_id=f"{prefix}-{n}", label=label, options=options, number=str(n))
        for n, label in enumerate(labels, start=1)
    )


def sum_of_all(code: str, items: Sequence[Item], rule: Source = ALL_ITEMS_RULE) -> Scale:
    """A sum scale over `items` that needs every item answered."""
    ids = tuple(i.link_id for i in items)
    return Scale(code, ids, Aggregation.SUM, min_answered=len(ids), missing_rule=rule)


def mean_of(code: str, items: Sequence[Item], *, min_answered: int, rule: Source) -> Scale:
    """A mean scale over `items` computed when at least `min_answered` are answered."""
    ids = tuple(i.link_id for i in items)
    return Scale(code, ids, Aggregation.MEAN, min_answered=min_answered, missing_rule=rule)
