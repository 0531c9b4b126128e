"""Regimen rule tables as data: interactions, duplicate groups, Beers 2023, contraindications, MME.

Each table has a [meta] version and source; a clinic may load localised copies (`load_*(text)`).
Selector tokens match a drug's code, class or tag (formulary.Drug.matches).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache

from painpath.clinical.medications import _tables as t
from painpath.clinical.medications.codes import Severity


@dataclass(frozen=True, slots=True)
class InteractionRule:
    code: str
    a: tuple[str, ...]
    b: tuple[str, ...]
    severity: Severity
    message: str
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    code: str
    members: tuple[str, ...]
    severity: Severity
    message: str
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class InteractionTable:
    version: str
    source: str
    rules: tuple[InteractionRule, ...]
    duplicate_groups: tuple[DuplicateGroup, ...]


class BeersKind(StrEnum):
    AVOID = "avoid"
    CONDITION = "condition"
    CAUTION = "caution"
    COMBINATION = "combination"
    CNS_ACTIVE_COUNT = "cns_active_count"
    RENAL = "renal"


@dataclass(frozen=True, slots=True)
class BeersRule:
    code: str
    kind: BeersKind
    drugs: tuple[str, ...]
    severity: Severity
    message: str
    source: str
    is_verified: bool
    condition: str | None = None
    with_drugs: tuple[str, ...] = ()
    at_least: int | None = None
    below_ml_min: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BeersTable:
    version: str
    source: str
    min_age_years: int
    rules: tuple[BeersRule, ...]


@dataclass(frozen=True, slots=True)
class ConditionRule:
    code: str
    condition: str
    drugs: tuple[str, ...]
    severity: Severity
    message: str
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class ConditionTable:
    version: str
    source: str
    synonyms: Mapping[str, str]  # accepted spelling -> condition code (codes map to themselves)
    implies: Mapping[str, tuple[str, ...]]
    rules: tuple[ConditionRule, ...]

    def normalise(self, raw: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
        """(recognised condition codes incl. implied ones, unrecognised inputs)."""
        codes: set[str] = set()
        unknown: list[str] = []
        for item in raw:
            key = item.strip().lower().replace(" ", "_").replace("-", "_")
            code = self.synonyms.get(key)
            if code is None:
                unknown.append(item)
                continue
            codes.add(code)
            codes.update(self.implies.get(code, ()))
        return frozenset(codes), tuple(unknown)


@dataclass(frozen=True, slots=True)
class MmeThreshold:
    code: str
    at_least_mme_per_day: Decimal
    severity: Severity
    message: str
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class MmeTable:
    version: str
    source: str
    warning: str
    thresholds: tuple[MmeThreshold, ...]


def load_interactions(text: str) -> InteractionTable:
    """Parse interactions.toml (shipped or localised)."""
    data = t.parse(text, "interactions")
    version, source = t.meta(data, "interactions")
    rules = tuple(
        InteractionRule(
            code=t.string(r, "code", "interactions.rules"),
            a=t.strings(r, "a", "interactions.rules"),
            b=t.strings(r, "b", "interactions.rules"),
            severity=Severity(t.string(r, "severity", "interactions.rules")),
            message=t.string(r, "message", "interactions.rules"),
            source=t.string(r, "source", "interactions.rules"),
            is_verified=t.boolean(r, "verified", "interactions.rules", False),
        )
        for r in t.table_list(data, "rules", "interactions")
    )
    groups = tuple(
        DuplicateGroup(
            code=t.string(r, "code", "interactions.duplicate_groups"),
            members=t.strings(r, "members", "interactions.duplicate_groups"),
            severity=Severity(t.string(r, "severity", "interactions.duplicate_groups")),
            message=t.string(r, "message", "interactions.duplicate_groups"),
            source=t.string(r, "source", "interactions.duplicate_groups"),
            is_verified=t.boolean(r, "verified", "interactions.duplicate_groups", False),
        )
        for r in t.table_list(data, "duplicate_groups", "interactions")
    )
    return InteractionTable(version, source, rules, groups)


def load_beers(text: str) -> BeersTable:
    """Parse beers_2023.toml (shipped or localised)."""
    data = t.parse(text, "beers")
    version, source = t.meta(data, "beers")
    w = "beers.rules"
    rules = tuple(
        BeersRule(
            code=t.string(r, "code", w),
            kind=BeersKind(t.string(r, "kind", w)),
            drugs=t.strings(r, "drugs", w),
            severity=Severity(t.string(r, "severity", w)),
            message=t.string(r, "message", w),
            source=t.string(r, "source", w),
            is_verified=t.boolean(r, "verified", w, False),
            condition=t.opt_string(r, "condition", w),
            with_drugs=t.strings(r, "with_drugs", w),
            at_least=t.integer(r, "at_least", w) if "at_least" in r else None,
            below_ml_min=t.opt_number(r, "below_ml_min", w),
        )
        for r in t.table_list(data, "rules", "beers")
    )
    min_age = t.integer(t.sub(data, "meta", "beers"), "min_age_years", "beers.meta")
    return BeersTable(version, source, min_age, rules)


def load_conditions(text: str) -> ConditionTable:
    """Parse contraindications.toml (shipped or localised)."""
    data = t.parse(text, "contraindications")
    version, source = t.meta(data, "contraindications")
    vocab = t.sub(data, "conditions", "contraindications")
    synonyms: dict[str, str] = {}
    for code in vocab:
        synonyms[code] = code
        for alias in t.strings(vocab, code, "contraindications.conditions"):
            synonyms[alias] = code
    implies_table = t.opt_sub(data, "implies", "contraindications") or {}
    implies = {k: t.strings(implies_table, k, "contraindications.implies") for k in implies_table}
    w = "contraindications.rules"
    rules = tuple(
        ConditionRule(
            code=t.string(r, "code", w),
            condition=t.string(r, "condition", w),
            drugs=t.strings(r, "drugs", w),
            severity=Severity(t.string(r, "severity", w)),
            message=t.string(r, "message", w),
            source=t.string(r, "source", w),
            is_verified=t.boolean(r, "verified", w, False),
        )
        for r in t.table_list(data, "rules", "contraindications")
    )
    unknown = [r.condition for r in rules if r.condition not in vocab]
    if unknown:
        raise t.RuleTableError(f"contraindications: rules use unknown conditions {unknown}")
    return ConditionTable(version, source, synonyms, implies, rules)


def load_mme(text: str) -> MmeTable:
    """Parse mme_cdc_2022.toml (shipped or localised)."""
    data = t.parse(text, "mme")
    version, source = t.meta(data, "mme")
    w = "mme.thresholds"
    thresholds = tuple(
        MmeThreshold(
            code=t.string(r, "code", w),
            at_least_mme_per_day=t.number(r, "at_least_mme_per_day", w),
            severity=Severity(t.string(r, "severity", w)),
            message=t.string(r, "message", w),
            source=t.string(r, "source", w),
            is_verified=t.boolean(r, "verified", w, False),
        )
        for r in t.table_list(data, "thresholds", "mme")
    )
    warning = t.string(t.sub(data, "meta", "mme"), "warning", "mme.meta")
    ordered = tuple(sorted(thresholds, key=lambda x: x.at_least_mme_per_day))
    return MmeTable(version, source, warning, ordered)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All regimen rule tables together (shipped defaults or a clinic's localised copies)."""

    interactions: InteractionTable
    beers: BeersTable
    conditions: ConditionTable
    mme: MmeTable


def load_rules(*, interactions: str, beers: str, conditions: str, mme: str) -> RuleSet:
    """Load all rule tables from TOML texts (a clinic's localised copies)."""
    try:
        return RuleSet(
            interactions=load_interactions(interactions),
            beers=load_beers(beers),
            conditions=load_conditions(conditions),
            mme=load_mme(mme),
        )
    except ValueError as exc:  # an unknown enum value (severity, kind)
        raise t.RuleTableError(f"rule tables: {exc}") from exc


@cache
def default_rules() -> RuleSet:
    """The rule tables shipped with painpath."""
    return load_rules(
        interactions=t.read_shipped("interactions.toml"),
        beers=t.read_shipped("beers_2023.toml"),
        conditions=t.read_shipped("contraindications.toml"),
        mme=t.read_shipped("mme_cdc_2022.toml"),
    )
