"""Neuropathic-pain formulary as versioned, cited data (data/formulary.toml).

Sources: painpath clinical reference §4.1-4.3 (NeuPSIG Finnerup 2015 and Soliman 2025; US labels;
Dworkin 2007). A clinic may review and localise the table: `load_formulary(text)` takes the TOML
text of a localised copy; `default_formulary()` reads the shipped one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Final

from painpath.clinical.errors import UnknownCode
from painpath.clinical.medications import _tables as t
from painpath.clinical.medications.codes import (
    CostBand,
    DrugClass,
    HepaticAction,
    RenalAction,
    Route,
    TherapyLine,
)

FORMULARY_FILE: Final = "formulary.toml"


@dataclass(frozen=True, slots=True)
class RenalBand:
    """One row of a renal dosing table; CrCl limits in mL/min with explicit inclusivity."""

    action: RenalAction
    source: str
    is_verified: bool
    lower_ml_min: Decimal = Decimal(0)
    lower_inclusive: bool = True
    upper_ml_min: Decimal | None = None
    upper_inclusive: bool = False
    max_daily_dose_mg: Decimal | None = None
    start_daily_dose_mg: Decimal | None = None
    dose_levels_mg: tuple[Decimal, ...] = ()
    times_per_day: tuple[int, ...] = ()
    reference_ml_min: Decimal | None = None  # PROPORTIONAL: max_daily_dose_mg applies at this CrCl

    def contains(self, crcl_ml_min: Decimal) -> bool:
        """True if the CrCl falls in this band."""
        above = (
            crcl_ml_min >= self.lower_ml_min
            if self.lower_inclusive
            else crcl_ml_min > self.lower_ml_min
        )
        if self.upper_ml_min is None:
            return above
        below = (
            crcl_ml_min <= self.upper_ml_min
            if self.upper_inclusive
            else crcl_ml_min < self.upper_ml_min
        )
        return above and below


@dataclass(frozen=True, slots=True)
class HepaticRule:
    condition: str
    action: HepaticAction
    source: str
    is_verified: bool
    max_daily_dose_mg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class AgeLimit:
    """A lower maximum above an age (e.g. tramadol > 75 y: 300 mg/day)."""

    older_than_years: int
    max_daily_dose_mg: Decimal
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class TitrationRule:
    """Label/guideline titration: explicit initial steps, then fixed increments."""

    initial_steps: tuple[tuple[Decimal, int], ...]  # (daily dose mg, times per day)
    initial_step_days: tuple[int, ...]  # day each initial step starts (1-based)
    step_mg: Decimal
    step_interval_days: int
    source: str


@dataclass(frozen=True, slots=True)
class Drug:
    """One formulary entry; `code` is the lowercase generic name used everywhere."""

    code: str
    name: str
    drug_class: DrugClass
    tags: frozenset[str]
    route: Route
    line_2015: TherapyLine
    line_2025: TherapyLine
    line_source: str
    source: str
    is_pdc_applicable: bool
    nnt: str | None = None
    nnt_ci: str | None = None
    nnh: str | None = None
    nnh_ci: str | None = None
    nnt_source: str | None = None
    start_daily_dose_mg: Decimal | None = None
    max_daily_dose_mg: Decimal | None = None
    max_source: str | None = None
    is_max_verified: bool = True
    start_mcg_per_hr: Decimal | None = None
    max_mcg_per_hr: Decimal | None = None
    times_per_day: tuple[int, ...] = (1,)
    min_interval_hours: Decimal | None = None
    max_interval_hours: Decimal | None = None
    is_bedtime_dose: bool = False
    dose_unit_mg: Decimal = Decimal(1)
    tmax_hours: Decimal | None = None
    tmax_source: str | None = None
    is_tmax_verified: bool = False
    acb_score: int = 0
    adequate_trial_weeks_at_target: Decimal | None = None
    adequate_trial_note: str | None = None
    adequate_trial_source: str | None = None
    adverse_effects: tuple[str, ...] = ()
    cost_band: CostBand | None = None
    is_cost_verified: bool = False
    mme_factor: Decimal | None = None
    mme_factor_per_mcg_per_hr: Decimal | None = None
    mme_note: str | None = None
    notes: str | None = None
    titration: TitrationRule | None = None
    renal: tuple[RenalBand, ...] = ()
    hepatic: tuple[HepaticRule, ...] = ()
    age_limits: tuple[AgeLimit, ...] = ()
    unverified_fields: tuple[str, ...] = field(default=())

    @property
    def is_opioid(self) -> bool:
        return "opioid" in self.tags

    def matches(self, token: str) -> bool:
        """True if a rule selector token names this drug, its class or one of its tags."""
        return token in (self.code, self.drug_class.value) or token in self.tags


@dataclass(frozen=True, slots=True)
class Formulary:
    version: str
    source: str
    acb_source: str
    is_acb_verified: bool
    drugs: Mapping[str, Drug]

    def get(self, code: str) -> Drug:
        """Return the drug for a lowercase generic name; raise UnknownCode otherwise."""
        try:
            return self.drugs[code]
        except KeyError:
            raise UnknownCode(f"unknown drug '{code}' (formulary {self.version})") from None


def _renal(row: t.Table, where: str) -> RenalBand:
    return RenalBand(
        action=RenalAction(t.string(row, "action", where)),
        source=t.string(row, "source", where),
        is_verified=t.boolean(row, "verified", where, False),
        lower_ml_min=t.opt_number(row, "lower_ml_min", where) or Decimal(0),
        lower_inclusive=t.boolean(row, "lower_inclusive", where, True),
        upper_ml_min=t.opt_number(row, "upper_ml_min", where),
        upper_inclusive=t.boolean(row, "upper_inclusive", where, False),
        max_daily_dose_mg=t.opt_number(row, "max_daily_dose_mg", where),
        start_daily_dose_mg=t.opt_number(row, "start_daily_dose_mg", where),
        dose_levels_mg=t.numbers(row, "dose_levels_mg", where),
        times_per_day=t.integers(row, "times_per_day", where),
        reference_ml_min=t.opt_number(row, "reference_ml_min", where),
    )


def _titration(row: t.Table, where: str) -> TitrationRule:
    steps = t.pairs(row, "initial_steps", where)
    days = t.integers(row, "initial_step_days", where) or tuple(range(1, len(steps) + 1))
    if len(days) != len(steps) or list(days) != sorted(set(days)) or days[0] != 1:
        raise t.RuleTableError(f"{where}: initial_step_days must start at 1 and increase")
    interval = t.integer(row, "step_interval_days", where)
    if interval < 1:
        raise t.RuleTableError(f"{where}: step_interval_days must be >= 1")
    return TitrationRule(
        initial_steps=steps,
        initial_step_days=days,
        step_mg=t.number(row, "step_mg", where),
        step_interval_days=interval,
        source=t.string(row, "source", where),
    )


def _unverified(
    row: t.Table,
    renal: tuple[RenalBand, ...],
    hepatic: tuple[HepaticRule, ...],
    ages: tuple[AgeLimit, ...],
) -> tuple[str, ...]:
    flags = {
        "max_daily_dose_mg": "max_verified",
        "tmax_hours": "tmax_verified",
        "cost_band": "cost_verified",
        "line_2025": "line_2025_verified",
    }
    out = [name for name, flag in flags.items() if name in row and row.get(flag) is False]
    if "tmax_hours" in row and "tmax_verified" not in row:
        out.append("tmax_hours")
    out += [f"renal[{i}]" for i, band in enumerate(renal) if not band.is_verified]
    out += [f"hepatic[{rule.condition}]" for rule in hepatic if not rule.is_verified]
    out += [f"age_limits[{a.older_than_years}]" for a in ages if not a.is_verified]
    return tuple(out)


def _drug(code: str, row: t.Table) -> Drug:
    w = f"formulary.drugs.{code}"
    renal = tuple(_renal(r, f"{w}.renal") for r in t.table_list(row, "renal", w))
    hepatic = tuple(
        HepaticRule(
            condition=t.string(r, "condition", f"{w}.hepatic"),
            action=HepaticAction(t.string(r, "action", f"{w}.hepatic")),
            source=t.string(r, "source", f"{w}.hepatic"),
            is_verified=t.boolean(r, "verified", f"{w}.hepatic", False),
            max_daily_dose_mg=t.opt_number(r, "max_daily_dose_mg", f"{w}.hepatic"),
        )
        for r in t.table_list(row, "hepatic", w)
    )
    ages = tuple(
        AgeLimit(
            older_than_years=t.integer(r, "older_than_years", f"{w}.age_limits"),
            max_daily_dose_mg=t.number(r, "max_daily_dose_mg", f"{w}.age_limits"),
            source=t.string(r, "source", f"{w}.age_limits"),
            is_verified=t.boolean(r, "verified", f"{w}.age_limits", False),
        )
        for r in t.table_list(row, "age_limits", w)
    )
    titration_row = t.opt_sub(row, "titration", w)
    cost = t.opt_string(row, "cost_band", w)
    acb = row.get("acb_score", 0)
    if isinstance(acb, bool) or not isinstance(acb, int) or not 0 <= acb <= 3:
        raise t.RuleTableError(f"{w}: 'acb_score' must be an integer 0-3")
    times = t.integers(row, "times_per_day", w) or (1,)
    return Drug(
        code=code,
        name=t.string(row, "name", w),
        drug_class=DrugClass(t.string(row, "drug_class", w)),
        tags=frozenset(t.strings(row, "tags", w)),
        route=Route(t.string(row, "route", w)),
        line_2015=TherapyLine(t.string(row, "line_2015", w)),
        line_2025=TherapyLine(t.string(row, "line_2025", w)),
        line_source=t.string(row, "line_source", w),
        source=t.string(row, "source", w),
        is_pdc_applicable=t.boolean(row, "pdc_applicable", w, True),
        nnt=t.opt_string(row, "nnt", w),
        nnt_ci=t.opt_string(row, "nnt_ci", w),
        nnh=t.opt_string(row, "nnh", w),
        nnh_ci=t.opt_string(row, "nnh_ci", w),
        nnt_source=t.opt_string(row, "nnt_source", w),
        start_daily_dose_mg=t.opt_number(row, "start_daily_dose_mg", w),
        max_daily_dose_mg=t.opt_number(row, "max_daily_dose_mg", w),
        max_source=t.opt_string(row, "max_source", w),
        is_max_verified=t.boolean(row, "max_verified", w, True),
        start_mcg_per_hr=t.opt_number(row, "start_mcg_per_hr", w),
        max_mcg_per_hr=t.opt_number(row, "max_mcg_per_hr", w),
        times_per_day=times,
        min_interval_hours=t.opt_number(row, "min_interval_hours", w),
        max_interval_hours=t.opt_number(row, "max_interval_hours", w),
        is_bedtime_dose=t.boolean(row, "is_bedtime_dose", w, False),
        dose_unit_mg=t.opt_number(row, "dose_unit_mg", w) or Decimal(1),
        tmax_hours=t.opt_number(row, "tmax_hours", w),
        tmax_source=t.opt_string(row, "tmax_source", w),
        is_tmax_verified=t.boolean(row, "tmax_verified", w, False),
        acb_score=acb,
        adequate_trial_weeks_at_target=t.opt_number(row, "adequate_trial_weeks_at_target", w),
        adequate_trial_note=t.opt_string(row, "adequate_trial_note", w),
        adequate_trial_source=t.opt_string(row, "adequate_trial_source", w),
        adverse_effects=t.strings(row, "adverse_effects", w),
        cost_band=CostBand(cost) if cost else None,
        is_cost_verified=t.boolean(row, "cost_verified", w, False),
        mme_factor=t.opt_number(row, "mme_factor", w),
        mme_factor_per_mcg_per_hr=t.opt_number(row, "mme_factor_per_mcg_per_hr", w),
        mme_note=t.opt_string(row, "mme_note", w),
        notes=t.opt_string(row, "notes", w),
        titration=_titration(titration_row, f"{w}.titration") if titration_row else None,
        renal=renal,
        hepatic=hepatic,
        age_limits=ages,
        unverified_fields=_unverified(row, renal, hepatic, ages),
    )


def load_formulary(text: str) -> Formulary:
    """Parse a formulary TOML text (shipped or a clinic's localised copy)."""
    data = t.parse(text, "formulary")
    version, source = t.meta(data, "formulary")
    m = t.sub(data, "meta", "formulary")
    drugs_table = t.sub(data, "drugs", "formulary")
    drugs: dict[str, Drug] = {}
    for code, row in drugs_table.items():
        if not isinstance(row, Mapping):
            raise t.RuleTableError(f"formulary.drugs.{code}: must be a table")
        if code != code.lower():
            raise t.RuleTableError(f"formulary.drugs.{code}: codes are lowercase generic names")
        try:
            drugs[code] = _drug(code, row)
        except ValueError as exc:  # an unknown enum value (class, line, route, action)
            raise t.RuleTableError(f"formulary.drugs.{code}: {exc}") from exc
    return Formulary(
        version=version,
        source=source,
        acb_source=t.opt_string(m, "acb_source", "formulary.meta") or "",
        is_acb_verified=t.boolean(m, "acb_verified", "formulary.meta", False),
        drugs=drugs,
    )


@cache
def default_formulary() -> Formulary:
    """The formulary shipped with painpath."""
    return load_formulary(t.read_shipped(FORMULARY_FILE))
