"""Outcome targets linked to goals: an instrument code plus a target rule.

A target is written the way clinicians say it and parsed into a typed value:

- ``"psfs item >= 7"``        absolute level on one item (PSFS activity rated 0-10)
- ``"peg <= 4"``              absolute level on the total score
- ``"peg -30% from baseline"`` relative change from the baseline score
- ``"psfs +2 from baseline"``  absolute change from the baseline score

The instrument code is the registry code, optionally with a scale (``peg``, ``psfs``, ``phq-9``,
``bpi-sf.interference``); this module does not import the registry, the service layer checks the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import DomainError


class InvalidTarget(DomainError):
    """A target rule could not be parsed or evaluated."""


class TargetKind(StrEnum):
    """How the target value is compared with the data."""

    LEVEL = "level"  # the current score itself
    CHANGE = "change"  # current - baseline, in score points
    PERCENT_CHANGE = "percent-change"  # (current - baseline) / baseline x 100


class Comparator(StrEnum):
    """Comparison operator of a level target."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="


@dataclass(frozen=True, slots=True)
class OutcomeTarget:
    """An instrument code with a target rule, e.g. ``psfs item >= 7`` or ``peg -30% from baseline``.

    For ``CHANGE`` and ``PERCENT_CHANGE`` the sign of ``value`` gives the direction: ``-30`` means
    "a fall of at least 30 %", ``+2`` means "a rise of at least 2 points".
    """

    instrument_code: str
    kind: TargetKind
    value: Decimal
    comparator: Comparator = Comparator.GE
    item_link_id: str | None = None  # None = total score; "item" in text = one nominated item

    def describe(self) -> str:
        """Canonical text form; parses back to an equal target."""
        subject = (
            self.instrument_code if self.item_link_id is None else f"{self.instrument_code} item"
        )
        if self.kind is TargetKind.LEVEL:
            return f"{subject} {self.comparator.value} {self.value}"
        sign = "+" if self.value > 0 else ""
        unit = "%" if self.kind is TargetKind.PERCENT_CHANGE else ""
        return f"{subject} {sign}{self.value}{unit} from baseline"


_LEVEL_RE: Final = re.compile(
    r"^\s*(?P<code>[a-z][a-z0-9_.-]*)(?P<item>\s+item)?\s*(?P<op>>=|<=|==|>|<)\s*(?P<val>-?\d+(\.\d+)?)\s*$"
)
_CHANGE_RE: Final = re.compile(
    r"^\s*(?P<code>[a-z][a-z0-9_.-]*)(?P<item>\s+item)?\s+(?P<val>[+-]\d+(\.\d+)?)\s*(?P<pct>%)?"
    r"\s+from\s+baseline\s*$"
)


def parse_target(text: str, *, item_link_id: str | None = None) -> OutcomeTarget:
    """Parse a clinician-style target such as ``"peg -30% from baseline"``.

    Args:
        text: the target rule; instrument code in lowercase.
        item_link_id: which item ``"item"`` refers to (e.g. the PSFS activity ``psfs-2``).

    Raises:
        InvalidTarget: the text matches no supported form, or says ``item`` without a link id.
    """
    lowered = text.strip().lower()
    level = _LEVEL_RE.match(lowered)
    change = _CHANGE_RE.match(lowered)
    if level is not None:
        code, has_item = level["code"], level["item"] is not None
        target = OutcomeTarget(
            instrument_code=code,
            kind=TargetKind.LEVEL,
            value=Decimal(level["val"]),
            comparator=Comparator(level["op"]),
            item_link_id=item_link_id if has_item else None,
        )
    elif change is not None:
        code, has_item = change["code"], change["item"] is not None
        value = Decimal(change["val"])
        if value == 0:
            raise InvalidTarget(f"target {text!r}: a change of 0 is not a target")
        target = OutcomeTarget(
            instrument_code=code,
            kind=TargetKind.PERCENT_CHANGE if change["pct"] else TargetKind.CHANGE,
            value=value,
            item_link_id=item_link_id if has_item else None,
        )
    else:
        raise InvalidTarget(
            f"target {text!r} is not of the form 'code [item] OP n' or 'code ±n[%] from baseline'"
        )
    if has_item and item_link_id is None:
        raise InvalidTarget(f"target {text!r} names an item but no item_link_id was given")
    return target


def is_target_met(
    target: OutcomeTarget, *, current: Decimal, baseline: Decimal | None = None
) -> bool:
    """Whether ``current`` (and ``baseline`` for change targets) meets the target.

    Raises:
        InvalidTarget: a change target without a baseline, or a percent target with baseline 0.
    """
    if target.kind is TargetKind.LEVEL:
        return _compare(current, target.comparator, target.value)
    if baseline is None:
        raise InvalidTarget(f"target {target.describe()!r} needs a baseline value")
    delta = current - baseline
    if target.kind is TargetKind.PERCENT_CHANGE:
        if baseline == 0:
            # Same precondition as the IMMPACT percentage: baseline must be > 0 (Dworkin 2008).
            raise InvalidTarget(
                f"target {target.describe()!r}: percent change from a baseline of 0"
            )
        delta = delta / baseline * 100
    # A negative target is a required fall, a positive one a required rise.
    return delta <= target.value if target.value < 0 else delta >= target.value


def _compare(left: Decimal, comparator: Comparator, right: Decimal) -> bool:
    match comparator:
        case Comparator.GE:
            return left >= right
        case Comparator.GT:
            return left > right
        case Comparator.LE:
            return left <= right
        case Comparator.LT:
            return left < right
        case Comparator.EQ:
            return left == right
