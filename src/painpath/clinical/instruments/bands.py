"""Band codes returned by scoring. Codes, not display strings: `web` maps them to labels."""

from __future__ import annotations

from enum import StrEnum


class NeuropathicScreen(StrEnum):
    """DN4, DN4-interview, S-LANSS."""

    UNLIKELY = "neuropathic-unlikely"
    LIKELY = "neuropathic-likely"


class ScreenResult(StrEnum):
    """Two-item screeners (PHQ-2, GAD-2): positive means give the full questionnaire."""

    NEGATIVE = "screen-negative"
    POSITIVE = "screen-positive"


class PainSeverity(StrEnum):
    """0-10 pain intensity (NRS, BPI-SF severity)."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class DepressionSeverity(StrEnum):
    """PHQ-9."""

    MINIMAL = "minimal"
    MILD = "mild"
    MODERATE = "moderate"
    MODERATELY_SEVERE = "moderately-severe"
    SEVERE = "severe"


class AnxietySeverity(StrEnum):
    """GAD-7."""

    MINIMAL = "minimal"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class InsomniaSeverity(StrEnum):
    """ISI."""

    NONE = "no-clinically-significant-insomnia"
    SUBTHRESHOLD = "subthreshold-insomnia"
    MODERATE = "clinical-insomnia-moderate"
    SEVERE = "clinical-insomnia-severe"


class Catastrophising(StrEnum):
    """PCS total."""

    BELOW_THRESHOLD = "below-threshold"
    CLINICALLY_RELEVANT = "clinically-relevant"


class SelfEfficacy(StrEnum):
    """PSEQ total."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class GlobalChange(StrEnum):
    """PGIC categories, in form order (value 1-7)."""

    VERY_MUCH_IMPROVED = "very-much-improved"
    MUCH_IMPROVED = "much-improved"
    MINIMALLY_IMPROVED = "minimally-improved"
    NO_CHANGE = "no-change"
    MINIMALLY_WORSE = "minimally-worse"
    MUCH_WORSE = "much-worse"
    VERY_MUCH_WORSE = "very-much-worse"
