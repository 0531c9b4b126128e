"""Alert values and the per-clinic alert-rule configuration (defaults shipped as data with sources).

An alert is a detected condition (product.md "Words"); the service layer turns it into a task for the
suggested owner role. ``dedupe_key`` identifies the *condition*, so the same condition never opens a
second alert while one with the same key is open (see :func:`new_alerts`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from typing import Final

from painpath.clinical.errors import DomainError


class InvalidMonitoringConfig(DomainError):
    """An alert-rule table or a clinic override is malformed."""


class AlertKind(StrEnum):
    """What was detected; one rule per kind."""

    FLARE = "flare"
    BOOM_BUST = "boom-bust"
    NON_ADHERENCE_MEDICATION = "non-adherence-medication"
    NON_ADHERENCE_SESSIONS = "non-adherence-sessions"
    NO_DIARY = "no-diary"
    WORSENING = "worsening"
    RESPONDER = "responder"
    URGENT_SAFETY = "urgent-safety"


class Severity(StrEnum):
    """How fast someone must look; ``URGENT`` means the same day."""

    INFO = "info"  # good news, no action required
    ROUTINE = "routine"
    HIGH = "high"
    URGENT = "urgent"


class OwnerRole(StrEnum):
    """Staff roles of product.md ("Who may see and do what"); same codes as the records layer."""

    PHYSICIAN = "physician"
    PHYSIOTHERAPIST = "physiotherapist"
    PSYCHOLOGIST = "psychologist"
    PHARMACIST = "pharmacist"
    COORDINATOR = "coordinator"


@dataclass(frozen=True, slots=True)
class Alert:
    """A detected condition with who should act, why, and the data it was detected from."""

    kind: AlertKind
    severity: Severity
    dedupe_key: str
    owner_role: OwnerRole
    also_notify: tuple[OwnerRole, ...]
    rationale: str
    source: str
    is_rule_verified: bool
    detected_on: date
    evidence: tuple[tuple[str, str], ...]
    # SAFETY: urgent safety alerts are never closed automatically (clinical-reference 6.2).
    can_auto_close: bool = True


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """One alert rule as configured for a clinic: defaults from the shipped table plus overrides."""

    kind: AlertKind
    is_enabled: bool
    severity: Severity
    owner_role: OwnerRole
    also_notify: tuple[OwnerRole, ...]
    rationale: str
    source: str
    is_verified: bool
    params: Mapping[str, Decimal] = field(default_factory=dict)
    owner_by_instrument: Mapping[str, OwnerRole] = field(default_factory=dict)

    def param(self, name: str) -> Decimal:
        """A numeric parameter; the loader guarantees the required ones exist."""
        return self.params[name]


@dataclass(frozen=True, slots=True)
class MonitoringConfig:
    """All alert rules of one clinic, with the keys the clinic changed (for the audit view)."""

    version: str
    rules: Mapping[AlertKind, RuleSettings]
    overridden: tuple[str, ...] = ()

    def rule(self, kind: AlertKind) -> RuleSettings:
        """Settings of one rule."""
        return self.rules[kind]


REQUIRED_PARAMS: Final[Mapping[AlertKind, frozenset[str]]] = {
    AlertKind.FLARE: frozenset(
        {"points_above_baseline", "baseline_days", "min_days", "baseline_min_days"}
    ),
    AlertKind.BOOM_BUST: frozenset(),
    AlertKind.NON_ADHERENCE_MEDICATION: frozenset({"pdc_below_pct"}),
    AlertKind.NON_ADHERENCE_SESSIONS: frozenset({"completed_below_pct"}),
    AlertKind.NO_DIARY: frozenset({"days_without_entry"}),
    AlertKind.WORSENING: frozenset(),
    AlertKind.RESPONDER: frozenset({"moderate_pct", "substantial_pct"}),
    AlertKind.URGENT_SAFETY: frozenset({"phq9_item9_at_or_above"}),
}

CONFIG_RESOURCE: Final = "alert_rules.toml"
_SETTING_KEYS: Final = frozenset(
    {"enabled", "severity", "owner_role", "also_notify", "rationale", "source", "verified"}
)


def load_monitoring_config(clinic_toml: str | None = None) -> MonitoringConfig:
    """Shipped defaults, with a clinic's partial TOML override applied on top.

    The override uses the same layout (``[flare] min_days = 3``); only the keys it names change.

    Raises:
        InvalidMonitoringConfig: unknown rule or key, a missing parameter, or a bad value.
    """
    text = (
        resources.files("painpath.clinical.monitoring").joinpath("data").joinpath(CONFIG_RESOURCE)
    )
    defaults = tomllib.loads(text.read_text("utf-8"), parse_float=Decimal)
    overridden: list[str] = []
    version = str(defaults.get("version", ""))
    if clinic_toml is not None:
        clinic = tomllib.loads(clinic_toml, parse_float=Decimal)
        for section, values in clinic.items():
            if section == "version":
                version = f"{version}+clinic-{values}"
                continue
            if section not in defaults or not isinstance(values, dict):
                raise InvalidMonitoringConfig(f"unknown alert rule {section!r}")
            for key, value in values.items():
                _check_key(section, key, value, defaults[section])
                target = defaults[section]
                if key in ("params", "owner_by_instrument") and isinstance(value, dict):
                    target[key] = {**target.get(key, {}), **value}
                else:
                    target[key] = value
                overridden.append(f"{section}.{key}")
    rules: dict[AlertKind, RuleSettings] = {}
    try:
        for kind in AlertKind:
            raw = defaults[kind.value]
            params = {k: Decimal(str(v)) for k, v in raw.get("params", {}).items()}
            missing = REQUIRED_PARAMS[kind] - params.keys()
            if missing:
                raise InvalidMonitoringConfig(f"rule {kind}: missing params {sorted(missing)}")
            rules[kind] = RuleSettings(
                kind=kind,
                is_enabled=bool(raw["enabled"]),
                severity=Severity(raw["severity"]),
                owner_role=OwnerRole(raw["owner_role"]),
                also_notify=tuple(OwnerRole(r) for r in raw.get("also_notify", [])),
                rationale=str(raw["rationale"]),
                source=str(raw["source"]),
                is_verified=bool(raw["verified"]),
                params=params,
                owner_by_instrument={
                    k: OwnerRole(v) for k, v in raw.get("owner_by_instrument", {}).items()
                },
            )
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidMonitoringConfig(f"alert rule table: {exc!r}") from exc
    _check_safety_floor(rules[AlertKind.URGENT_SAFETY])
    return MonitoringConfig(version=version, rules=rules, overridden=tuple(overridden))


def _check_safety_floor(settings: RuleSettings) -> None:
    # SAFETY: a clinic may re-route or annotate urgent safety alerts but never weaken them:
    # PHQ-9 item 9 >= 1 needs same-day review (clinical-reference 6.2), red flags the same (6.3).
    if not settings.is_enabled:
        raise InvalidMonitoringConfig("urgent-safety alerts cannot be disabled")
    if settings.severity is not Severity.URGENT:
        raise InvalidMonitoringConfig("urgent-safety alerts must stay at severity urgent")
    if settings.param("phq9_item9_at_or_above") > 1:
        raise InvalidMonitoringConfig("PHQ-9 item 9 must alert on any response >= 1")


def _check_key(section: str, key: str, value: object, defaults: Mapping[str, object]) -> None:
    if key not in _SETTING_KEYS and key not in ("params", "owner_by_instrument"):
        raise InvalidMonitoringConfig(f"unknown setting {section}.{key}")
    if key == "params":
        known = defaults.get("params")
        if not isinstance(known, dict):
            raise InvalidMonitoringConfig(f"rule {section} takes no params")
        if not isinstance(value, dict) or not value.keys() <= known.keys():
            raise InvalidMonitoringConfig(f"rule {section}: unknown params in {value!r}")


def new_alerts(candidates: Iterable[Alert], open_keys: Iterable[str]) -> tuple[Alert, ...]:
    """Alerts to open: drop any whose dedupe key is already open or repeated in ``candidates``."""
    seen = set(open_keys)
    fresh: list[Alert] = []
    for alert in candidates:
        if alert.dedupe_key in seen:
            continue
        seen.add(alert.dedupe_key)
        fresh.append(alert)
    return tuple(fresh)
