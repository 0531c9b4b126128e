"""Body-map region codes and nominal areas."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from painpath.clinical.bodymap import (
    REGIONS,
    TEMPLATES,
    TOTAL_AREA,
    Side,
    View,
    get_region,
    region_area,
    region_code,
)
from painpath.clinical.errors import UnknownCode


def test_regions_cover_every_part_on_both_sides() -> None:
    # 57 parts x 2 sides = 114 regions.
    assert len(TEMPLATES) == 57
    assert len(REGIONS) == 114
    for code, region in REGIONS.items():
        assert re.fullmatch(r"[rl]-[a-z]+(-[a-z]+)*", code), code
        assert code == f"{region.side.value}-{region.part}"


@pytest.mark.parametrize(
    ("code", "side", "view", "label"),
    [
        pytest.param("r-forearm-ventral-lateral", Side.RIGHT, View.FRONT,
                     "right front of forearm, radial side", id="right-forearm"),
        pytest.param("l-heel-lateral", Side.LEFT, View.BACK, "left heel, lateral", id="left-heel"),
        pytest.param("l-first-web-space", Side.LEFT, View.FRONT, "left first web space", id="web-space"),
        pytest.param("r-sole-medial", Side.RIGHT, View.BACK, "right sole, medial", id="sole-on-back"),
    ],
)  # fmt: skip
def test_get_region_returns_side_view_and_label(
    code: str, side: Side, view: View, label: str
) -> None:
    region = get_region(code)
    assert (region.side, region.view, region.label) == (side, view, label)


@pytest.mark.parametrize(
    "code", [pytest.param("x-chest", id="bad-side"), pytest.param("r-tail", id="bad-part")]
)
def test_get_region_rejects_unknown_codes(code: str) -> None:
    with pytest.raises(UnknownCode):
        get_region(code)


def test_region_code_rejects_unknown_part() -> None:
    with pytest.raises(UnknownCode):
        region_code(Side.LEFT, "tail")


@pytest.mark.parametrize(
    ("code", "area"),
    [
        # Trapezoid: height 150-65=85, parallel sides 40 and 38 -> 85*39 = 3315.
        pytest.param("r-chest", Decimal(3315), id="chest-trapezoid"),
        # Rectangle 20 x 15 = 300.
        pytest.param("l-elbow-dorsal", Decimal(300), id="elbow-rectangle"),
        # Shoelace over (0,5),(14,8),(22,25),(18,45),(0,50): -70+174+540+900+0 = 1544 -> 772.
        pytest.param("r-head-front", Decimal(772), id="head-pentagon"),
    ],
)
def test_region_area_uses_polygon_geometry(code: str, area: Decimal) -> None:
    assert region_area(code) == area


def test_region_area_is_symmetric_and_total_is_pinned() -> None:
    for part in TEMPLATES:
        assert region_area(f"r-{part}") == region_area(f"l-{part}")
    # Pinned so that any geometry change is a deliberate, reviewed change.
    assert Decimal(79598) == TOTAL_AREA
