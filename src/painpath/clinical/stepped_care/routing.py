"""Routing rules: from scores and progress (supplied as named facts) to the recommended step.

Rules are data (``data/routing_rules.toml``, defaults from clinical-reference.md section 6) with a
version, a source and a ``verified`` flag; a clinic overrides any rule by code with its own TOML.

Evaluation: every rule whose conditions hold *fires*. The recommended step is the most intensive
``min_step`` among fired rules, never below the current step. SAFETY: routing never steps a patient
down; stepping down is a clinician's decision. Red flags are not routed here: they are urgent alerts
(``painpath.clinical.monitoring``) that bypass the pathway.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from typing import Final

from painpath.clinical.errors import DomainError
from painpath.clinical.stepped_care.pathway import STEP_ORDER, Step, higher_step


class InvalidRoutingRule(DomainError):
    """A routing rule table is malformed."""


class Op(StrEnum):
    """Comparison of a fact with a rule value."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="


@dataclass(frozen=True, slots=True)
class Predicate:
    """``fact op value``; booleans are facts of 1 (true) or 0 (false)."""

    fact: str
    op: Op
    value: Decimal

    def holds(self, facts: Mapping[str, Decimal]) -> bool | None:
        """True/False, or None when the fact was not supplied."""
        actual = facts.get(self.fact)
        if actual is None:
            return None
        match self.op:
            case Op.GE:
                return actual >= self.value
            case Op.GT:
                return actual > self.value
            case Op.LE:
                return actual <= self.value
            case Op.LT:
                return actual < self.value
            case Op.EQ:
                return actual == self.value


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """Fires when every ``all_of`` predicate holds and (if any are given) at least one ``any_of``."""

    code: str
    version: int
    title: str
    all_of: tuple[Predicate, ...]
    any_of: tuple[Predicate, ...]
    min_step: Step | None  # None: the rule creates an action but does not change the step
    action_code: str
    source: str
    is_verified: bool
    priority: int = 100  # breaks ties between rules reaching the same step (lower first)
    is_enabled: bool = True


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule that fired, with the facts it read."""

    code: str
    version: int
    action_code: str
    min_step: Step | None
    source: str
    is_verified: bool
    facts_used: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """The recommended step, the rule that decided it, every rule that fired and facts not supplied."""

    current_step: Step | None
    recommended_step: Step
    deciding_rule: FiredRule
    fired: tuple[FiredRule, ...]
    missing_facts: tuple[str, ...]

    @property
    def is_step_up(self) -> bool:
        """True when the recommendation is more intensive than the current step."""
        if self.current_step is None:
            return False
        return STEP_ORDER[self.recommended_step] > STEP_ORDER[self.current_step]


RULES_RESOURCE: Final = "routing_rules.toml"


def load_routing_rules(toml_text: str | None = None) -> Mapping[str, RoutingRule]:
    """Parse a routing table; ``None`` reads the defaults shipped with painpath."""
    if toml_text is None:
        toml_text = (
            resources.files("painpath.clinical.stepped_care")
            .joinpath("data")
            .joinpath(RULES_RESOURCE)
            .read_text("utf-8")
        )
    data = tomllib.loads(toml_text, parse_float=Decimal)
    rules: dict[str, RoutingRule] = {}
    try:
        for raw in data.get("rule", []):
            min_step = raw.get("min_step")
            rule = RoutingRule(
                code=str(raw["code"]),
                version=int(raw["version"]),
                title=str(raw["title"]),
                all_of=tuple(_predicate(p) for p in raw.get("all_of", [])),
                any_of=tuple(_predicate(p) for p in raw.get("any_of", [])),
                min_step=None if min_step is None else Step(min_step),
                action_code=str(raw["action_code"]),
                source=str(raw["source"]),
                is_verified=bool(raw["verified"]),
                priority=int(raw.get("priority", 100)),
                is_enabled=bool(raw.get("enabled", True)),
            )
            if rule.code in rules:
                raise InvalidRoutingRule(f"rule {rule.code} appears twice")
            rules[rule.code] = rule
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidRoutingRule(f"routing rule table: {exc!r}") from exc
    return rules


def _predicate(raw: Mapping[str, object]) -> Predicate:
    value = raw["value"]
    if isinstance(value, bool):
        number = Decimal(int(value))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        raise InvalidRoutingRule(f"predicate value {value!r} is not a number or boolean")
    return Predicate(fact=str(raw["fact"]), op=Op(str(raw["op"])), value=number)


def merge_routing_rules(
    defaults: Mapping[str, RoutingRule], overrides: Mapping[str, RoutingRule]
) -> Mapping[str, RoutingRule]:
    """Clinic overrides replace defaults by code (``enabled = false`` switches a rule off).

    Raises:
        InvalidRoutingRule: an override does not raise the version of the rule it replaces.
    """
    merged = dict(defaults)
    for code, rule in overrides.items():
        if code in defaults and rule.version <= defaults[code].version:
            raise InvalidRoutingRule(
                f"override of {code} must have a version above {defaults[code].version}"
            )
        merged[code] = rule
    return merged


def facts_from(values: Mapping[str, Decimal | int | bool]) -> Mapping[str, Decimal]:
    """Normalise caller facts: booleans become 1/0, ints become Decimal."""
    return {k: Decimal(int(v)) if isinstance(v, bool) else Decimal(v) for k, v in values.items()}


def route(
    rules: Mapping[str, RoutingRule],
    facts: Mapping[str, Decimal],
    *,
    current_step: Step | None,
) -> RoutingDecision:
    """Recommend a pathway step from facts (scores and progress) and the current step.

    Raises:
        InvalidRoutingRule: no rule fired at all (the table must contain an unconditional default).
    """
    fired: list[tuple[RoutingRule, FiredRule]] = []
    missing: set[str] = set()
    for rule in sorted(rules.values(), key=lambda r: (r.priority, r.code)):
        if not rule.is_enabled:
            continue
        used: list[tuple[str, Decimal]] = []
        if _fires(rule, facts, used, missing):
            fired.append(
                (
                    rule,
                    FiredRule(
                        code=rule.code,
                        version=rule.version,
                        action_code=rule.action_code,
                        min_step=rule.min_step,
                        source=rule.source,
                        is_verified=rule.is_verified,
                        facts_used=tuple(used),
                    ),
                )
            )
    stepping = [(r, f) for r, f in fired if r.min_step is not None]
    if not stepping:
        raise InvalidRoutingRule(
            "no step rule fired; the table needs an unconditional default rule"
        )
    # Most intensive step wins; among equals the lowest priority number (list is already sorted).
    best_order = max(STEP_ORDER[r.min_step] for r, _ in stepping if r.min_step is not None)
    deciding = next(f for r, f in stepping if r.min_step and STEP_ORDER[r.min_step] == best_order)
    assert deciding.min_step is not None
    recommended = (
        deciding.min_step if current_step is None else higher_step(current_step, deciding.min_step)
    )
    return RoutingDecision(
        current_step=current_step,
        recommended_step=recommended,
        deciding_rule=deciding,
        fired=tuple(f for _, f in fired),
        missing_facts=tuple(sorted(missing)),
    )


def _fires(
    rule: RoutingRule,
    facts: Mapping[str, Decimal],
    used: list[tuple[str, Decimal]],
    missing: set[str],
) -> bool:
    def check(predicates: Sequence[Predicate]) -> list[bool]:
        results: list[bool] = []
        for p in predicates:
            held = p.holds(facts)
            if held is None:
                missing.add(p.fact)
                results.append(False)
            else:
                used.append((p.fact, facts[p.fact]))
                results.append(held)
        return results

    all_ok = all(check(rule.all_of))
    any_results = check(rule.any_of)
    return all_ok and (not rule.any_of or any(any_results))
