"""Proportion of days covered (PQA method, clinical reference §4.7)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from painpath.clinical.errors import DomainError, StepNotPermitted
from painpath.clinical.medications.adherence import Fill, proportion_of_days_covered
from painpath.clinical.medications.formulary import default_formulary

F = default_formulary()
DAY0 = date(2026, 1, 1)
END = DAY0 + timedelta(days=89)  # 90-day period


def fills(*spec: tuple[int, int]) -> list[Fill]:
    return [Fill("pregabalin", DAY0 + timedelta(days=d), supply) for d, supply in spec]


@pytest.mark.parametrize(
    ("spec", "covered", "pdc", "adherent"),
    [
        # three back-to-back 30-day fills: 90/90 = 100 %
        pytest.param(((0, 30), (30, 30), (60, 30)), 90, Decimal(100), True, id="full"),
        # two fills, gap: 60/90 = 66.67 %
        pytest.param(((0, 30), (60, 30)), 60, Decimal(60) * 100 / 90, False, id="gap"),
        # early refill on day 20 carried over to day 30: days 0-89 covered = 90
        pytest.param(((0, 30), (20, 30), (60, 30)), 90, Decimal(100), True, id="overlap-shifted"),
        # 72/90 = 80 % exactly -> adherent (threshold inclusive)
        pytest.param(((0, 30), (30, 30), (78, 12)), 72, Decimal(80), True, id="exactly-80"),
        # 71/90 = 78.9 % -> not adherent
        pytest.param(
            ((0, 30), (30, 30), (79, 11)), 71, Decimal(71) * 100 / 90, False, id="below-80"
        ),
        # supply beyond period end is not counted: 30 + 60 capped at day 89 -> 90
        pytest.param(((0, 30), (30, 90)), 90, Decimal(100), True, id="supply-past-end"),
    ],
)
def test_pdc(spec: tuple[tuple[int, int], ...], covered: int, pdc: Decimal, adherent: bool) -> None:
    r = proportion_of_days_covered(F.get("pregabalin"), fills(*spec), period_end=END)
    assert (r.days_in_period, r.days_covered, r.pdc_percent, r.is_adherent) == (
        90,
        covered,
        pdc,
        adherent,
    )


def test_pdc_excluded_hospital_days_leave_both_numerator_and_denominator() -> None:
    # fill covers days 0-29; days 30-39 in hospital excluded -> 30 / 80 = 37.5 %
    hospital = {DAY0 + timedelta(days=d) for d in range(30, 40)}
    r = proportion_of_days_covered(
        F.get("pregabalin"), fills((0, 30)), period_end=END, excluded_days=hospital
    )
    assert (r.days_in_period, r.days_covered, r.pdc_percent) == (80, 30, Decimal("37.5"))


def test_pdc_refused_for_prn_drug() -> None:
    with pytest.raises(StepNotPermitted):
        proportion_of_days_covered(F.get("morphine"), [Fill("morphine", DAY0, 30)], period_end=END)


def test_pdc_rejects_fill_of_other_drug() -> None:
    with pytest.raises(DomainError):
        proportion_of_days_covered(
            F.get("pregabalin"), [Fill("gabapentin", DAY0, 30)], period_end=END
        )
