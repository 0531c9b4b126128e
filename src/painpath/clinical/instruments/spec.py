"""Declarative instrument model: items, options, scales, bands, MCIDs, licences, results.

An instrument is data (`InstrumentSpec`) plus one pure scoring function. `code` and every
`Item.link_id` are permanent identities (they become FHIR `Questionnaire.item.linkId`); item
wording is not held here, only a short neutral label in our own words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from painpath.clinical.errors import InvalidAnswer

Answer = int | str
"""An answer is an option's `value` (int) or its `code` (str); booleans are refused."""

Answers = Mapping[str, Answer]


class InvalidResponse(InvalidAnswer):
    """One or more answers are invalid; `flags` holds the safety flags the valid answers raise.

    SAFETY: a response is refused as a whole when any answer is invalid, but a positive
    PHQ-9 item 9 among the valid answers must still reach a clinician, so the flag travels
    with the error for the caller to act on.
    """

    def __init__(self, message: str, *, flags: frozenset[Flag] = frozenset()) -> None:
        super().__init__(message)
        self.flags = flags


class UnknownLinkId(InvalidResponse):
    """An answer names a link_id that the instrument does not have."""


class Aggregation(StrEnum):
    """How a scale combines its item values."""

    SUM = "sum"
    MEAN = "mean"
    CATEGORY = "category"  # single categorical item (PGIC): the value is the category code


class Direction(StrEnum):
    """Which way a higher score points, clinically."""

    HIGHER_IS_WORSE = "higher-is-worse"
    HIGHER_IS_BETTER = "higher-is-better"


class Flag(StrEnum):
    """Conditions attached to a result that a human must see."""

    # SAFETY: raised from a single item (PHQ-9 item 9) whatever the total, even when incomplete.
    URGENT_SAFETY = "urgent-safety"
    PRORATED = "prorated"  # a scale was computed from fewer than all its items, per its rule


@dataclass(frozen=True, slots=True)
class Source:
    """Where a clinical constant comes from, and whether it was checked against that source."""

    citation: str
    is_verified: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Option:
    """One response option: a stable kebab-case code and the value it scores."""

    code: str
    value: int


@dataclass(frozen=True, slots=True)
class Item:
    """One question, identified by its permanent link_id; `label` is our own neutral wording."""

    link_id: str
    label: str
    options: tuple[Option, ...]
    number: str = ""  # number on the published form, e.g. "9A"
    is_reverse_scored: bool = False
    is_scored: bool = True
    is_optional: bool = False  # may be left blank without making the response incomplete

    @property
    def min_value(self) -> int:
        return min(o.value for o in self.options)

    @property
    def max_value(self) -> int:
        return max(o.value for o in self.options)


@dataclass(frozen=True, slots=True)
class Scale:
    """A total or subscale: which items, how they combine, and the missing-item rule."""

    code: str
    link_ids: tuple[str, ...]
    aggregation: Aggregation
    min_answered: int  # fewer answered items than this -> the scale is not computed
    missing_rule: Source  # where the min_answered rule comes from

    def __post_init__(self) -> None:
        if not 1 <= self.min_answered <= len(self.link_ids):
            raise ValueError(f"scale {self.code}: min_answered out of range")
        # A sum over fewer items is not comparable with a full sum, so only means may prorate.
        if self.aggregation is not Aggregation.MEAN and self.min_answered != len(self.link_ids):
            raise ValueError(f"scale {self.code}: only a mean may be computed from fewer items")


TOTAL = "total"
"""Scale code of an instrument's total score."""


@dataclass(frozen=True, slots=True)
class BandRule:
    """A band starts at `at_least` (inclusive) and runs to the next rule's start."""

    band: StrEnum
    at_least: Decimal


@dataclass(frozen=True, slots=True)
class Bands:
    """Ordered lower-bound band rules applied to one scale (usually the total)."""

    rules: tuple[BandRule, ...]
    source: Source
    scale: str = TOTAL

    def __post_init__(self) -> None:
        starts = [r.at_least for r in self.rules]
        if not starts or starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError("band rules must be non-empty and strictly ascending")

    def classify(self, score: Decimal) -> StrEnum | None:
        """Band of `score`, or None when it lies below the first band."""
        found: StrEnum | None = None
        for rule in self.rules:
            if score >= rule.at_least:
                found = rule.band
        return found


@dataclass(frozen=True, slots=True)
class Mcid:
    """Minimal clinically important change on one scale; reached if either threshold is met."""

    source: Source
    points: Decimal | None = None
    percent: Decimal | None = None
    scale: str = TOTAL

    def __post_init__(self) -> None:
        if self.points is None and self.percent is None:
            raise ValueError("an MCID needs points or percent")


@dataclass(frozen=True, slots=True)
class Licence:
    """Who holds the rights, what we may ship, and the evidence for it (checked by a human)."""

    holder: str
    note: str
    may_ship_item_text: bool
    source: Source


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Outcome of scoring one response. Never a guessed total: see `incomplete`."""

    total: Decimal | None
    band: StrEnum | None = None
    subscales: Mapping[str, Decimal | None] = field(default_factory=dict)
    flags: frozenset[Flag] = frozenset()
    missing: tuple[str, ...] = ()
    is_complete: bool = True

    @classmethod
    def incomplete(
        cls,
        missing: Iterable[str],
        *,
        flags: Iterable[Flag] = (),
        subscales: Mapping[str, Decimal | None] | None = None,
    ) -> ScoreResult:
        """A response that cannot be scored under the missing-item rule; safety flags survive."""
        return cls(
            total=None,
            band=None,
            subscales=dict(subscales or {}),
            flags=frozenset(flags),
            missing=tuple(missing),
            is_complete=False,
        )

    def scale(self, code: str) -> Decimal | None:
        """Value of the total (`TOTAL`) or of a named subscale."""
        return self.total if code == TOTAL else self.subscales.get(code)


ScoreFunction = Callable[[Answers], ScoreResult]


@dataclass(frozen=True, slots=True)
class InstrumentSpec:
    """Everything the app needs to administer, score, compare and cite one instrument."""

    code: str
    version: str
    title: str
    items: tuple[Item, ...]
    score: ScoreFunction
    direction: Direction
    licence: Licence
    citation: Source
    total: Scale | None  # None when the instrument has no total (BPI-SF: two subscales)
    subscales: tuple[Scale, ...] = ()
    bands: Bands | None = None
    mcids: tuple[Mcid, ...] = ()
    loinc: str | None = None  # LOINC code of the total score, only where confirmed
    loinc_source: Source | None = None
    is_pain_intensity: bool = False  # IMMPACT pain-intensity responder rules apply to the total
    notes: tuple[str, ...] = ()

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(i.link_id for i in self.items)

    @property
    def scales(self) -> tuple[Scale, ...]:
        """The total (if any) followed by the subscales."""
        return ((self.total,) if self.total else ()) + self.subscales

    def scale(self, code: str) -> Scale:
        """The scale with this code; raises KeyError if the instrument has none."""
        for s in self.scales:
            if s.code == code:
                return s
        raise KeyError(f"{self.code} has no scale {code!r}")

    def mcid(self, scale: str = TOTAL) -> Mcid | None:
        """The MCID declared for `scale`, if any."""
        return next((m for m in self.mcids if m.scale == scale), None)
