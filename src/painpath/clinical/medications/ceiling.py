"""The daily-dose ceiling for one patient: label max, age limit, renal band and hepatic rule.

SAFETY: the ceiling is the minimum of every applicable limit; every limit carries its source.
Software rule (clinical reference §4.2): never auto-suggest a dose; flag any order above the
label maximum or the renal-adjusted maximum.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from painpath.clinical.medications.codes import HepaticAction
from painpath.clinical.medications.formulary import Drug
from painpath.clinical.medications.renal import renal_limit


class LimitKind(StrEnum):
    LABEL_MAX = "label_max"
    AGE = "age"
    RENAL = "renal"
    HEPATIC = "hepatic"


@dataclass(frozen=True, slots=True)
class DoseLimit:
    kind: LimitKind
    max_daily_dose_mg: Decimal
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class DoseCeiling:
    drug: str
    limits: tuple[DoseLimit, ...]

    @property
    def max_daily_dose_mg(self) -> Decimal | None:
        """Lowest applicable limit, or None when no numeric ceiling exists (e.g. strong opioids)."""
        return min((lim.max_daily_dose_mg for lim in self.limits), default=None)

    @property
    def binding(self) -> tuple[DoseLimit, ...]:
        """The limit(s) that set the ceiling."""
        cap = self.max_daily_dose_mg
        return tuple(lim for lim in self.limits if lim.max_daily_dose_mg == cap)


def dose_ceiling(
    drug: Drug,
    *,
    crcl_ml_min: Decimal | None = None,
    age_years: int | None = None,
    conditions: Set[str] = frozenset(),
) -> DoseCeiling:
    """All daily-dose limits that apply to this patient for this drug."""
    limits: list[DoseLimit] = []
    if drug.max_daily_dose_mg is not None:
        limits.append(
            DoseLimit(
                LimitKind.LABEL_MAX,
                drug.max_daily_dose_mg,
                drug.max_source or drug.source,
                drug.is_max_verified,
            )
        )
    if age_years is not None:
        for age in drug.age_limits:
            if age_years > age.older_than_years:
                limits.append(
                    DoseLimit(LimitKind.AGE, age.max_daily_dose_mg, age.source, age.is_verified)
                )
    if crcl_ml_min is not None:
        renal = renal_limit(drug, crcl_ml_min)
        if renal.band is not None and renal.max_daily_dose_mg is not None:
            limits.append(
                DoseLimit(
                    LimitKind.RENAL,
                    renal.max_daily_dose_mg,
                    renal.band.source,
                    renal.band.is_verified,
                )
            )
    for rule in drug.hepatic:
        if rule.condition not in conditions:
            continue
        if rule.action is HepaticAction.AVOID:
            limits.append(DoseLimit(LimitKind.HEPATIC, Decimal(0), rule.source, rule.is_verified))
        elif rule.action is HepaticAction.REDUCE and rule.max_daily_dose_mg is not None:
            limits.append(
                DoseLimit(LimitKind.HEPATIC, rule.max_daily_dose_mg, rule.source, rule.is_verified)
            )
    return DoseCeiling(drug=drug.code, limits=tuple(limits))
