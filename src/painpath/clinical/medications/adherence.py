"""Adherence as proportion of days covered (PDC).

PDC = days in the period covered by the medication / days in the period x 100. The period starts at
the first fill (index date) unless given and ends at `period_end`. Overlapping fills of the same
drug are shifted forward (carried-over supply), not double-counted. Adherent = PDC >= 80 %.
Sources: Pharmacy Quality Alliance adherence measure specifications; Nau DP 2012, PQA
(clinical reference §4.7; the 80 % threshold and hospital-day exclusion are (unverified)).
PDC is computed only for scheduled drugs (formulary `pdc_applicable`), never for PRN use.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from painpath.clinical.errors import DomainError, StepNotPermitted
from painpath.clinical.medications.formulary import Drug

ADHERENT_PDC_PERCENT: Final = Decimal(80)  # PQA / CMS Star Ratings (unverified)
PDC_SOURCE: Final = "PQA adherence measures; Nau DP 2012 (clinical reference §4.7)"


@dataclass(frozen=True, slots=True)
class Fill:
    drug: str
    filled_on: date
    days_supply: int


@dataclass(frozen=True, slots=True)
class PdcResult:
    drug: str
    period_start: date
    period_end: date
    days_in_period: int
    days_covered: int
    pdc_percent: Decimal  # unrounded
    is_adherent: bool
    source: str


def proportion_of_days_covered(
    drug: Drug,
    fills: Sequence[Fill],
    *,
    period_end: date,
    period_start: date | None = None,
    excluded_days: Set[date] = frozenset(),
) -> PdcResult:
    """PDC for one scheduled drug; `excluded_days` (e.g. in hospital) leave both sides."""
    if not drug.is_pdc_applicable:
        raise StepNotPermitted(f"{drug.code}: PDC is not meaningful for as-needed use")
    if not fills:
        raise DomainError(f"{drug.code}: PDC needs at least one fill")
    for fill in fills:
        if fill.drug != drug.code:
            raise DomainError(f"PDC for {drug.code} was given a fill of {fill.drug}")
        if fill.days_supply <= 0:
            raise DomainError(f"{drug.code}: days_supply must be > 0")
    ordered = sorted(fills, key=lambda f: f.filled_on)
    start = period_start or ordered[0].filled_on
    if period_end < start:
        raise DomainError(f"{drug.code}: period_end before period start")
    covered: set[date] = set()
    next_free = ordered[0].filled_on
    for fill in ordered:
        # Carry over: a fill taken while supply remains starts when the previous supply ends.
        begin = max(fill.filled_on, next_free)
        covered.update(begin + timedelta(days=k) for k in range(fill.days_supply))
        next_free = begin + timedelta(days=fill.days_supply)
    period = {start + timedelta(days=k) for k in range((period_end - start).days + 1)}
    period -= excluded_days
    if not period:
        raise DomainError(f"{drug.code}: no days left in the period after exclusions")
    days_covered = len(covered & period)
    pdc = Decimal(days_covered) * 100 / Decimal(len(period))
    return PdcResult(
        drug=drug.code,
        period_start=start,
        period_end=period_end,
        days_in_period=len(period),
        days_covered=days_covered,
        pdc_percent=pdc,
        is_adherent=pdc >= ADHERENT_PDC_PERCENT,
        source=PDC_SOURCE,
    )
