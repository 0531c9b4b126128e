"""Rehabilitation rule thresholds loaded from the shipped `data/rules.toml`.

Every threshold is a `Threshold` carrying its value, unit, source and whether it was verified
against that source. Unverified values are clinic defaults: surface `unverified()` to the team.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import cast

from painpath.clinical.errors import UnknownCode

RULES_FILE = "rules.toml"


@dataclass(frozen=True, slots=True)
class Threshold:
    """One configurable number with its provenance."""

    key: str
    value: Decimal
    unit: str
    source: str
    is_verified: bool
    note: str = ""

    @property
    def as_int(self) -> int:
        """The value as an integer (for counts and days)."""
        return int(self.value)


@dataclass(frozen=True, slots=True)
class PacingRules:
    min_baseline_days: Threshold
    quota_fraction_of_baseline: Threshold
    weekly_increment_fraction_of_baseline: Threshold
    amber_pain_rise_nrs: Threshold
    red_pain_rise_nrs: Threshold
    red_after_consecutive_amber_days: Threshold
    resume_after_green_days: Threshold
    boom_bust_min_days: Threshold
    boom_activity_ratio: Threshold
    bust_activity_ratio: Threshold
    bust_pain_rise_nrs: Threshold
    bust_window_days: Threshold
    boom_bust_min_cycles: Threshold


@dataclass(frozen=True, slots=True)
class ProgrammeRules:
    min_days_in_phase: Threshold
    min_adherence: Threshold
    max_post_session_pain_rise_nrs: Threshold
    max_red_days_to_progress: Threshold
    red_days_to_step_back: Threshold
    exercise_sessions_to_progress: Threshold
    exercise_sessions_to_regress: Threshold
    max_exercises_per_session: Threshold


@dataclass(frozen=True, slots=True)
class ExposureRules:
    tsk17_high_min: Threshold
    pcs_high_min: Threshold
    tsk_mcid_reduction: Threshold
    not_feared_max: Threshold
    move_up_fear_max: Threshold
    move_up_fraction_of_initial: Threshold
    consecutive_disconfirmations: Threshold


@dataclass(frozen=True, slots=True)
class DesensitisationRules:
    tolerable_max_nrs: Threshold
    comfortable_max_nrs: Threshold
    step_back_min_nrs: Threshold
    target_duration_s: Threshold
    consecutive_sessions: Threshold


@dataclass(frozen=True, slots=True)
class SensoryRules:
    accuracy_to_progress_pct: Threshold
    consecutive_sessions: Threshold


@dataclass(frozen=True, slots=True)
class GmiRules:
    min_days_per_stage: Threshold
    laterality_accuracy_min_pct: Threshold
    laterality_mean_rt_max_ms: Threshold
    side_accuracy_gap_max_pct: Threshold
    side_rt_gap_max_ms: Threshold
    min_trials: Threshold
    max_session_pain_rise_nrs: Threshold


@dataclass(frozen=True, slots=True)
class RehabRules:
    """All rehabilitation thresholds of one version of the rule table."""

    version: str
    pacing: PacingRules
    programme: ProgrammeRules
    exposure: ExposureRules
    desensitisation: DesensitisationRules
    sensory: SensoryRules
    gmi: GmiRules

    def all_thresholds(self) -> tuple[Threshold, ...]:
        """Every threshold, in file order per section."""
        groups = (
            self.pacing,
            self.programme,
            self.exposure,
            self.desensitisation,
            self.sensory,
            self.gmi,
        )
        return tuple(getattr(g, f.name) for g in groups for f in fields(g))

    def unverified(self) -> tuple[Threshold, ...]:
        """Thresholds that still need clinical governance sign-off."""
        return tuple(t for t in self.all_thresholds() if not t.is_verified)


def _threshold(section: str, name: str, raw: Mapping[str, object]) -> Threshold:
    key = f"{section}.{name}"
    try:
        value = Decimal(str(raw["value"]))
        source = str(raw["source"])
        verified = raw["verified"]
    except KeyError as exc:
        raise UnknownCode(f"rule {key} lacks field {exc.args[0]}") from exc
    if not isinstance(verified, bool) or not source.strip():
        raise UnknownCode(f"rule {key} needs a source and a boolean 'verified'")
    return Threshold(
        key=key,
        value=value,
        unit=str(raw.get("unit", "")),
        source=source,
        is_verified=verified,
        note=str(raw.get("note", "")),
    )


def _section(
    section: str, names: tuple[str, ...], doc: Mapping[str, object]
) -> dict[str, Threshold]:
    raw_section = doc.get(section)
    if not isinstance(raw_section, dict):
        raise UnknownCode(f"rule section {section} missing")
    values: dict[str, Threshold] = {}
    for name in names:
        raw = raw_section.get(name)
        if not isinstance(raw, dict):
            raise UnknownCode(f"rule {section}.{name} missing")
        values[name] = _threshold(section, name, cast(Mapping[str, object], raw))
    return values


def _names(
    cls: type[
        PacingRules
        | ProgrammeRules
        | ExposureRules
        | DesensitisationRules
        | SensoryRules
        | GmiRules
    ],
) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def parse_rules(doc: Mapping[str, object]) -> RehabRules:
    """Build the typed rule set from a parsed TOML document (lets a clinic supply its own)."""
    meta = doc.get("meta")
    version = str(meta.get("version", "")) if isinstance(meta, dict) else ""
    return RehabRules(
        version=version,
        pacing=PacingRules(**_section("pacing", _names(PacingRules), doc)),
        programme=ProgrammeRules(**_section("programme", _names(ProgrammeRules), doc)),
        exposure=ExposureRules(**_section("exposure", _names(ExposureRules), doc)),
        desensitisation=DesensitisationRules(
            **_section("desensitisation", _names(DesensitisationRules), doc)
        ),
        sensory=SensoryRules(**_section("sensory", _names(SensoryRules), doc)),
        gmi=GmiRules(**_section("gmi", _names(GmiRules), doc)),
    )


@cache
def default_rules() -> RehabRules:
    """The shipped painpath default rule table."""
    text = resources.files(__package__).joinpath("data", RULES_FILE).read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))
