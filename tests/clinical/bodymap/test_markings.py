"""Body-map markings: validation, area by quality, heat map over time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import cast

import pytest

from painpath.clinical.bodymap import (
    BodyMapEntry,
    InvalidMarking,
    Marking,
    PainQuality,
    RegionHeat,
    aggregate_heat_map,
    summarise_by_quality,
    validate_markings,
)
from painpath.clinical.errors import UnknownCode

Q = PainQuality
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def mark(code: str, *qualities: PainQuality, nrs: int | None = None) -> Marking:
    return Marking(code, frozenset(qualities), nrs)


def test_validate_markings_returns_markings_in_code_order() -> None:
    markings = [mark("r-chest", Q.BURNING, nrs=6), mark("l-chest", Q.NUMBNESS)]
    assert [m.region_code for m in validate_markings(iter(markings))] == ["l-chest", "r-chest"]


INVALID = [
    pytest.param([mark("r-chest", Q.BURNING), mark("r-chest", Q.SHOOTING)], "more than once", id="duplicate-region"),
    pytest.param([mark("r-chest")], "no pain quality", id="no-quality"),
    pytest.param([mark("r-chest", Q.BURNING, nrs=11)], "0-10", id="intensity-above-10"),
    pytest.param([mark("r-chest", Q.BURNING, nrs=-1)], "0-10", id="intensity-negative"),
    pytest.param([mark("r-chest", Q.BURNING, nrs=cast(int, True))], "0-10", id="intensity-bool"),
    pytest.param([mark("r-chest", Q.BURNING, nrs=cast(int, 5.5))], "0-10", id="intensity-float"),
    pytest.param(
        [Marking("r-chest", cast(frozenset[PainQuality], frozenset({"itchy"})))],
        "unknown quality",
        id="unknown-quality",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("markings", "message"), INVALID)
def test_validate_markings_rejects_invalid_sets(markings: list[Marking], message: str) -> None:
    with pytest.raises(InvalidMarking, match=message):
        validate_markings(markings)


def test_validate_markings_rejects_unknown_region() -> None:
    with pytest.raises(UnknownCode):
        validate_markings([mark("r-wing", Q.BURNING)])


def test_validate_markings_accepts_bounds_and_missing_intensity() -> None:
    markings = [mark("r-chest", Q.BURNING, nrs=0), mark("l-chest", Q.BURNING, nrs=10),
                mark("r-abdomen", Q.ALLODYNIA)]  # fmt: skip
    assert len(validate_markings(markings)) == 3


def test_summarise_by_quality_sums_nominal_area() -> None:
    # r-chest 3315, r-elbow-dorsal 300 (20x15), l-chest 3315.
    summaries = summarise_by_quality(
        [
            mark("r-chest", Q.BURNING),
            mark("r-elbow-dorsal", Q.BURNING, Q.NUMBNESS),
            mark("l-chest", Q.NUMBNESS),
        ]
    )
    by_quality = {s.quality: s for s in summaries}
    assert list(by_quality) == [Q.BURNING, Q.NUMBNESS, None]  # PainQuality order, total last
    burning = by_quality[Q.BURNING]
    assert burning.region_codes == ("r-chest", "r-elbow-dorsal")
    assert burning.area_units == Decimal(3615)  # 3315 + 300
    # 3615 * 100 / 79598 = 4.5416...
    assert burning.percent_of_outline.quantize(Decimal("0.01")) == Decimal("4.54")
    assert by_quality[Q.NUMBNESS].region_codes == ("l-chest", "r-elbow-dorsal")
    total = by_quality[None]
    assert (total.region_count, total.area_units) == (3, Decimal(6930))  # 3315 + 300 + 3315


def test_summarise_by_quality_of_empty_drawing_is_zero_total() -> None:
    (total,) = summarise_by_quality([])
    assert (total.quality, total.region_count, total.area_units) == (None, 0, Decimal(0))


ENTRIES = [
    BodyMapEntry(T0, (mark("r-forearm-ventral-lateral", Q.BURNING, nrs=6), mark("r-palm-lateral", Q.NUMBNESS))),
    BodyMapEntry(T0 + timedelta(days=7), (mark("r-forearm-ventral-lateral", Q.BURNING, Q.ELECTRIC, nrs=3),)),
    BodyMapEntry(T0 + timedelta(days=14), (mark("r-forearm-ventral-lateral", Q.ELECTRIC),)),
    # Outside a 21-day window starting at T0 (end is exclusive).
    BodyMapEntry(T0 + timedelta(days=21), (mark("r-forearm-ventral-lateral", Q.BURNING, nrs=10),)),
]  # fmt: skip


def test_aggregate_heat_map_counts_and_averages_per_region() -> None:
    heat = aggregate_heat_map(ENTRIES, start=T0, end=T0 + timedelta(days=21))
    assert heat.entries_in_window == 3
    assert heat.regions == (
        # marked in 3 drawings, rated in 2: (6 + 3) / 2 = 4.5, max 6
        RegionHeat("r-forearm-ventral-lateral", 3, 2, 9, 6),
        RegionHeat("r-palm-lateral", 1, 0, 0, None),
    )
    assert heat.regions[0].mean_intensity_nrs == Decimal("4.5")
    assert heat.regions[1].mean_intensity_nrs is None


def test_aggregate_heat_map_filters_by_quality() -> None:
    heat = aggregate_heat_map(ENTRIES, start=T0, end=T0 + timedelta(days=22), quality=Q.ELECTRIC)
    # Electric on day 7 (nrs 3) and day 14 (no rating); day 21 entry is burning only.
    assert heat.entries_in_window == 4
    assert heat.regions == (RegionHeat("r-forearm-ventral-lateral", 2, 1, 3, 3),)


BAD_WINDOWS = [
    pytest.param(datetime(2026, 11, 1), T0, id="naive-start"),
    pytest.param(T0, T0, id="empty-window"),
    pytest.param(T0 + timedelta(days=1), T0, id="reversed-window"),
]


@pytest.mark.parametrize(("start", "end"), BAD_WINDOWS)
def test_aggregate_heat_map_rejects_bad_windows(start: datetime, end: datetime) -> None:
    with pytest.raises(InvalidMarking):
        aggregate_heat_map(ENTRIES, start=start, end=end)


def test_aggregate_heat_map_rejects_naive_entry_time() -> None:
    entry = BodyMapEntry(datetime(2026, 11, 3, 9, 0), (mark("r-chest", Q.BURNING),))
    with pytest.raises(InvalidMarking, match="recorded_at"):
        aggregate_heat_map([entry], start=T0, end=T0 + timedelta(days=7))
