"""Pain-drawing markings: validation, area summary by quality, and heat-map aggregation over time.

A marking is one region with the pain qualities the patient reports there and an optional intensity
on the 0-10 numeric rating scale (NRS: 0 no pain - 10 worst imaginable; clinical-reference.md 1.2).
Areas are nominal drawing areas from the schematic outline (see ``regions.py``), so "percent of
outline" is a summary of the drawing, not a body-surface-area estimate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final

from painpath.clinical.bodymap.regions import REGIONS, TOTAL_AREA, get_region, region_area
from painpath.clinical.errors import DomainError

NRS_MIN: Final = 0
NRS_MAX: Final = 10


class InvalidMarking(DomainError):
    """A body-map marking set breaks a validation rule."""


class PainQuality(StrEnum):
    """Pain and sensory qualities a patient can attach to a region (stable codes)."""

    BURNING = "burning"
    SHOOTING = "shooting"
    ELECTRIC = "electric"
    ALLODYNIA = "allodynia"  # pain from light touch, clothing or bedsheets
    NUMBNESS = "numbness"
    PINS_AND_NEEDLES = "pins-and-needles"


@dataclass(frozen=True, slots=True)
class Marking:
    """One marked region: the qualities felt there and an optional NRS 0-10 intensity."""

    region_code: str
    qualities: frozenset[PainQuality]
    intensity_nrs: int | None = None


@dataclass(frozen=True, slots=True)
class BodyMapEntry:
    """One completed drawing at a UTC instant."""

    recorded_at: datetime
    markings: tuple[Marking, ...]


def validate_markings(markings: Iterable[Marking]) -> tuple[Marking, ...]:
    """Check a marking set and return it in region-code order.

    Raises:
        UnknownCode: a region code is not in the body map.
        InvalidMarking: a region is marked twice, has no quality, or has an intensity outside 0-10.
    """
    items = tuple(markings)
    seen: set[str] = set()
    for marking in items:
        get_region(marking.region_code)
        if marking.region_code in seen:
            raise InvalidMarking(f"region {marking.region_code} marked more than once")
        seen.add(marking.region_code)
        if not marking.qualities:
            raise InvalidMarking(f"region {marking.region_code} has no pain quality")
        for quality in marking.qualities:
            if not isinstance(quality, PainQuality):
                raise InvalidMarking(f"region {marking.region_code}: unknown quality {quality!r}")
        intensity = marking.intensity_nrs
        if intensity is not None and (
            isinstance(intensity, bool)
            or not isinstance(intensity, int)
            or not NRS_MIN <= intensity <= NRS_MAX
        ):
            raise InvalidMarking(
                f"region {marking.region_code}: intensity must be a whole number 0-10"
            )
    return tuple(sorted(items, key=lambda m: m.region_code))


@dataclass(frozen=True, slots=True)
class AreaSummary:
    """Regions and nominal area for one quality (``quality=None`` means any quality)."""

    quality: PainQuality | None
    region_codes: tuple[str, ...]
    area_units: Decimal
    percent_of_outline: Decimal  # unrounded; round only for display

    @property
    def region_count(self) -> int:
        """Number of regions carrying this quality."""
        return len(self.region_codes)


def _area_summary(quality: PainQuality | None, codes: Iterable[str]) -> AreaSummary:
    ordered = tuple(sorted(codes))
    area = sum((region_area(code) for code in ordered), Decimal(0))
    return AreaSummary(quality, ordered, area, area * 100 / TOTAL_AREA)


def summarise_by_quality(markings: Iterable[Marking]) -> tuple[AreaSummary, ...]:
    """Area per quality present (in PainQuality order), followed by the total over any quality."""
    valid = validate_markings(markings)
    summaries = [
        _area_summary(quality, (m.region_code for m in valid if quality in m.qualities))
        for quality in PainQuality
        if any(quality in m.qualities for m in valid)
    ]
    summaries.append(_area_summary(None, (m.region_code for m in valid)))
    return tuple(summaries)


@dataclass(frozen=True, slots=True)
class RegionHeat:
    """How often and how intensely a region was marked within a time window."""

    region_code: str
    entry_count: int  # drawings in the window that marked this region
    rated_count: int  # of those, how many gave an intensity
    intensity_sum: int
    max_intensity_nrs: int | None

    @property
    def mean_intensity_nrs(self) -> Decimal | None:
        """Mean of the given intensities (unrounded), or None if none was given."""
        if self.rated_count == 0:
            return None
        return Decimal(self.intensity_sum) / self.rated_count


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Per-region aggregation of all drawings in ``[start, end)``."""

    start: datetime
    end: datetime
    quality: PainQuality | None
    entries_in_window: int
    regions: tuple[RegionHeat, ...]  # only regions marked at least once, in region-code order


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidMarking(f"{name} must be timezone-aware")


def aggregate_heat_map(
    entries: Iterable[BodyMapEntry],
    *,
    start: datetime,
    end: datetime,
    quality: PainQuality | None = None,
) -> HeatMap:
    """Count and intensity per region over the drawings recorded in ``[start, end)``.

    With ``quality`` set, only markings carrying that quality count.
    """
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end <= start:
        raise InvalidMarking("end must be after start")
    counts: dict[str, list[int]] = {}  # code -> [entry_count, rated_count, sum, max]
    entries_in_window = 0
    for entry in entries:
        _require_aware(entry.recorded_at, "recorded_at")
        if not start <= entry.recorded_at < end:
            continue
        entries_in_window += 1
        for marking in validate_markings(entry.markings):
            if quality is not None and quality not in marking.qualities:
                continue
            tally = counts.setdefault(marking.region_code, [0, 0, 0, -1])
            tally[0] += 1
            if marking.intensity_nrs is not None:
                tally[1] += 1
                tally[2] += marking.intensity_nrs
                tally[3] = max(tally[3], marking.intensity_nrs)
    regions = tuple(
        RegionHeat(code, t[0], t[1], t[2], None if t[3] < 0 else t[3])
        for code, t in sorted(counts.items())
        if code in REGIONS
    )
    return HeatMap(start, end, quality, entries_in_window, regions)
