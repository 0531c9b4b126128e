"""Decision points: a date plus a versioned rule evaluated over supplied score observations.

Example (issue 5): "PEG not improved by its MCID at week 8 -> review medication trial and therapy
intensity". A decision point is *due* from its ``due_on`` date; when due, its rule is evaluated over the
observations supplied by the caller and the outcome carries the exact observations used, so the review
task shows the data to decide. Rules are data (``data/decision_rules.toml``) with a version, a source
and a ``verified`` flag; a clinic may override any rule by code with its own TOML text.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from typing import Final

from painpath.clinical.errors import DomainError, UnknownCode


class InvalidRule(DomainError):
    """A rule table is malformed."""


class ConditionKind(StrEnum):
    """What a condition checks. All conditions of a rule must hold for the rule to fire."""

    # Improvement (baseline -> current, direction-aware) is smaller than `amount` score points.
    NOT_IMPROVED_BY = "not-improved-by"
    # Improvement is smaller than `amount` percent of the baseline.
    NOT_IMPROVED_BY_PERCENT = "not-improved-by-percent"
    # The latest value in the window is >= `amount` (no baseline needed), e.g. PGIC code >= 3.
    LATEST_AT_OR_ABOVE = "latest-at-or-above"


class DecisionStatus(StrEnum):
    """Outcome of evaluating a decision point."""

    NOT_DUE = "not-due"
    FIRED = "fired"  # the rule's condition holds: create the review task with its action
    NOT_FIRED = "not-fired"  # due, data present, condition does not hold: record and move on
    # SAFETY: missing data is never read as "fine"; the review task asks for the data instead.
    INSUFFICIENT_DATA = "insufficient-data"


@dataclass(frozen=True, slots=True)
class Condition:
    """One test over the observations of one instrument."""

    kind: ConditionKind
    instrument_code: str
    amount: Decimal
    is_higher_worse: bool = True


@dataclass(frozen=True, slots=True)
class DecisionRule:
    """A versioned rule with its source; ``verified`` is False until checked against the source."""

    code: str
    version: int
    title: str
    conditions: tuple[Condition, ...]
    action_code: str
    source: str
    is_verified: bool
    current_window_days: int = 14
    note: str = ""


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    """A dated rule on the care plan; ``baseline_on`` picks the baseline observation."""

    point_id: str
    rule_code: str
    due_on: date
    baseline_on: date | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """One score of one instrument on one clinical date (``value`` is the scored total)."""

    instrument_code: str
    observed_on: date
    value: Decimal


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    """Due/not due, the outcome, the rule that was applied and the exact data used."""

    point_id: str
    status: DecisionStatus
    rule_code: str
    rule_version: int
    action_code: str
    source: str
    is_rule_verified: bool
    data_used: tuple[Observation, ...]
    reasons: tuple[str, ...]

    @property
    def is_due(self) -> bool:
        """True from the due date on."""
        return self.status is not DecisionStatus.NOT_DUE


RULES_RESOURCE: Final = "decision_rules.toml"


def load_decision_rules(toml_text: str | None = None) -> Mapping[str, DecisionRule]:
    """Parse a rule table; ``None`` reads the table shipped with painpath."""
    if toml_text is None:
        toml_text = (
            resources.files("painpath.clinical.goals")
            .joinpath("data")
            .joinpath(RULES_RESOURCE)
            .read_text("utf-8")
        )
    data = tomllib.loads(toml_text, parse_float=Decimal)
    rules: dict[str, DecisionRule] = {}
    try:
        for raw in data.get("rule", []):
            rule = DecisionRule(
                code=str(raw["code"]),
                version=int(raw["version"]),
                title=str(raw["title"]),
                conditions=tuple(
                    Condition(
                        kind=ConditionKind(c["kind"]),
                        instrument_code=str(c["instrument_code"]),
                        amount=Decimal(str(c["amount"])),
                        is_higher_worse=bool(c.get("higher_is_worse", True)),
                    )
                    for c in raw["condition"]
                ),
                action_code=str(raw["action_code"]),
                source=str(raw["source"]),
                is_verified=bool(raw["verified"]),
                current_window_days=int(raw.get("current_window_days", 14)),
                note=str(raw.get("note", "")),
            )
            if rule.code in rules:
                raise InvalidRule(f"rule {rule.code} appears twice")
            if not rule.conditions:
                raise InvalidRule(f"rule {rule.code} has no condition")
            rules[rule.code] = rule
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidRule(f"decision rule table: {exc!r}") from exc
    return rules


def merge_rules(
    defaults: Mapping[str, DecisionRule], overrides: Mapping[str, DecisionRule]
) -> Mapping[str, DecisionRule]:
    """Clinic overrides replace defaults by code; an override must raise the version number."""
    merged = dict(defaults)
    for code, rule in overrides.items():
        if code in defaults and rule.version <= defaults[code].version:
            raise InvalidRule(
                f"override of {code} must have a version above {defaults[code].version}"
            )
        merged[code] = rule
    return merged


def evaluate_decision_point(
    point: DecisionPoint,
    rules: Mapping[str, DecisionRule],
    observations: Iterable[Observation],
    *,
    today: date,
) -> DecisionOutcome:
    """Evaluate a decision point on ``today`` over the observations supplied.

    Only observations dated on or before ``today`` are considered. The current value of an instrument
    is its latest observation in ``[due_on - current_window_days, today]`` and after the baseline.

    Raises:
        UnknownCode: the point names a rule that is not in ``rules``.
    """
    rule = rules.get(point.rule_code)
    if rule is None:
        raise UnknownCode(f"decision rule {point.rule_code} (point {point.point_id})")
    if today < point.due_on:
        return _outcome(
            point, rule, DecisionStatus.NOT_DUE, (), (f"due on {point.due_on.isoformat()}",)
        )

    # Stable sort by date: same-day observations keep the caller's order (last one = latest).
    visible = sorted(
        (o for o in observations if o.observed_on <= today), key=lambda o: o.observed_on
    )
    window_start = point.due_on - timedelta(days=rule.current_window_days)
    used: list[Observation] = []
    reasons: list[str] = []
    results: list[bool] = []
    for condition in rule.conditions:
        series = [o for o in visible if o.instrument_code == condition.instrument_code]
        held, condition_used, reason = _evaluate(condition, series, point.baseline_on, window_start)
        used.extend(o for o in condition_used if o not in used)
        reasons.append(reason)
        if held is None:
            return _outcome(point, rule, DecisionStatus.INSUFFICIENT_DATA, used, reasons)
        results.append(held)
    status = DecisionStatus.FIRED if all(results) else DecisionStatus.NOT_FIRED
    return _outcome(point, rule, status, used, reasons)


def _evaluate(
    condition: Condition,
    series: Sequence[Observation],
    baseline_on: date | None,
    window_start: date,
) -> tuple[bool | None, tuple[Observation, ...], str]:
    code = condition.instrument_code
    if condition.kind is ConditionKind.LATEST_AT_OR_ABOVE:
        in_window = [o for o in series if o.observed_on >= window_start]
        if not in_window:
            return None, (), f"{code}: no value since {window_start.isoformat()}"
        latest = in_window[-1]
        held = latest.value >= condition.amount
        return (
            held,
            (latest,),
            f"{code}: latest {latest.value} {'>=' if held else '<'} {condition.amount}",
        )

    baseline_candidates = [o for o in series if baseline_on is None or o.observed_on <= baseline_on]
    if not baseline_candidates:
        return None, (), f"{code}: no baseline value"
    # Without a baseline date the first observation is the baseline; with one, the latest before it.
    baseline = baseline_candidates[0] if baseline_on is None else baseline_candidates[-1]
    current_candidates = [
        o for o in series if o.observed_on > baseline.observed_on and o.observed_on >= window_start
    ]
    if not current_candidates:
        return None, (baseline,), f"{code}: no value since {window_start.isoformat()}"
    current = current_candidates[-1]
    improvement = (
        baseline.value - current.value
        if condition.is_higher_worse
        else current.value - baseline.value
    )
    if condition.kind is ConditionKind.NOT_IMPROVED_BY:
        held = improvement < condition.amount
        return (
            held,
            (baseline, current),
            f"{code}: improved by {improvement} (needed {condition.amount})",
        )
    if baseline.value == 0:
        return None, (baseline, current), f"{code}: percent change from a baseline of 0"
    improvement_pct = improvement / baseline.value * 100
    held = improvement_pct < condition.amount
    return (
        held,
        (baseline, current),
        f"{code}: improved by {improvement_pct.quantize(Decimal('0.1'))}% (needed {condition.amount}%)",
    )


def _outcome(
    point: DecisionPoint,
    rule: DecisionRule,
    status: DecisionStatus,
    used: Sequence[Observation],
    reasons: Sequence[str],
) -> DecisionOutcome:
    return DecisionOutcome(
        point_id=point.point_id,
        status=status,
        rule_code=rule.code,
        rule_version=rule.version,
        action_code=rule.action_code,
        source=rule.source,
        is_rule_verified=rule.is_verified,
        data_used=tuple(used),
        reasons=tuple(reasons),
    )
