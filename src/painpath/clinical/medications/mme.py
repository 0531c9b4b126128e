"""Morphine milligram equivalents per day (CDC 2022).

MME/day = sum(daily dose x conversion factor); transdermal fentanyl: mcg/h x 2.4. Buprenorphine has
no factor and is never added (CDC 2022 table footnote). Factors live in formulary.toml, thresholds
and the warning text in mme_cdc_2022.toml. Unrounded Decimal; round only at presentation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from painpath.clinical.medications.formulary import Formulary
from painpath.clinical.medications.regimen import MedicationOrder
from painpath.clinical.medications.rules import MmeTable, MmeThreshold


@dataclass(frozen=True, slots=True)
class MmeContribution:
    drug: str
    factor: Decimal | None
    mme_per_day: Decimal | None  # None: not calculable / not counted (note says why)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MmeResult:
    mme_per_day: Decimal
    contributions: tuple[MmeContribution, ...]
    warning: str
    source: str
    version: str

    @property
    def not_calculable(self) -> tuple[str, ...]:
        return tuple(c.drug for c in self.contributions if c.mme_per_day is None)


def calculate_mme(
    orders: Sequence[MedicationOrder], formulary: Formulary, table: MmeTable
) -> MmeResult:
    """Total MME/day over the opioid orders in a regimen."""
    parts: list[MmeContribution] = []
    for order in orders:
        drug = formulary.get(order.drug)
        if not drug.is_opioid:
            continue
        if drug.mme_factor_per_mcg_per_hr is not None:
            if order.dose_mcg_per_hr is None:
                parts.append(MmeContribution(drug.code, None, None, drug.mme_note))
                continue
            factor = drug.mme_factor_per_mcg_per_hr
            parts.append(
                MmeContribution(drug.code, factor, order.dose_mcg_per_hr * factor, drug.mme_note)
            )
        elif drug.mme_factor is not None and order.daily_dose_mg is not None:
            factor = drug.mme_factor
            parts.append(
                MmeContribution(drug.code, factor, order.daily_dose_mg * factor, drug.mme_note)
            )
        else:
            note = drug.mme_note or "no CDC 2022 conversion factor"
            parts.append(MmeContribution(drug.code, None, None, note))
    total = sum((p.mme_per_day for p in parts if p.mme_per_day is not None), Decimal(0))
    return MmeResult(total, tuple(parts), table.warning, table.source, table.version)


def mme_threshold_reached(mme_per_day: Decimal, table: MmeTable) -> MmeThreshold | None:
    """The highest threshold at or below the MME/day, or None."""
    reached = [t for t in table.thresholds if mme_per_day >= t.at_least_mme_per_day]
    return reached[-1] if reached else None
