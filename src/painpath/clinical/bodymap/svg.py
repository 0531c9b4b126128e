"""Schematic front and back body outline as SVG, one ``<polygon>`` per region code.

Pure string building: the web layer colours regions by id (``#r-forearm-ventral-lateral``) or by the
``data-*`` attributes. Orientation follows clinical convention:

- front view: the patient faces the viewer, so the patient's RIGHT is on the viewer's LEFT;
- back view: the viewer looks at the patient's back, so the patient's RIGHT is on the viewer's RIGHT.

SAFETY: left/right mirroring errors put a pain drawing on the wrong limb; each figure carries "R"/"L"
markers, and the mirroring is covered by tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from painpath.clinical.bodymap.regions import REGIONS, Point, Side, View

FIGURE_WIDTH: Final = 220
HEIGHT: Final = 500
MIDLINE_X: Final = {View.FRONT: 110, View.BACK: 330}
# +1: the patient's side is drawn to the viewer's right of the midline; -1: to the left.
_DIRECTION: Final = {
    (View.FRONT, Side.RIGHT): -1,
    (View.FRONT, Side.LEFT): 1,
    (View.BACK, Side.RIGHT): 1,
    (View.BACK, Side.LEFT): -1,
}


@dataclass(frozen=True, slots=True)
class RegionShape:
    """A region's polygon in SVG coordinates of the combined drawing."""

    code: str
    view: View
    side: Side
    points: tuple[Point, ...]


def region_shapes() -> tuple[RegionShape, ...]:
    """All region polygons placed on the two figures (front at left, back at right)."""
    shapes: list[RegionShape] = []
    for region in REGIONS.values():
        direction = _DIRECTION[(region.view, region.side)]
        midline = MIDLINE_X[region.view]
        points = tuple((midline + direction * x, y) for x, y in region.polygon)
        shapes.append(RegionShape(region.code, region.view, region.side, points))
    return tuple(shapes)


def _polygon(shape: RegionShape) -> str:
    points = " ".join(f"{x},{y}" for x, y in shape.points)
    return (
        f'<polygon id="{shape.code}" class="bodymap-region" data-view="{shape.view.value}" '
        f'data-side="{shape.side.value}" points="{points}"/>'
    )


def _side_markers(view: View) -> str:
    midline = MIDLINE_X[view]
    markers = []
    for side, letter in ((Side.RIGHT, "R"), (Side.LEFT, "L")):
        x = midline + _DIRECTION[(view, side)] * 90
        markers.append(
            f'<text class="bodymap-side" x="{x}" y="20" text-anchor="middle">{letter}</text>'
        )
    return "".join(markers)


def render_outline_svg() -> str:
    """SVG string of the front and back outline with one polygon per region code (id = code)."""
    shapes = region_shapes()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {2 * FIGURE_WIDTH} {HEIGHT}" '
        'class="bodymap" role="img">'
    ]
    for view in View:
        parts.append(f'<g id="bodymap-{view.value}" class="bodymap-view">')
        parts.append(
            f'<text class="bodymap-view-label" x="{MIDLINE_X[view]}" y="{HEIGHT - 2}" '
            f'text-anchor="middle">{view.value}</text>'
        )
        parts.append(_side_markers(view))
        parts.extend(_polygon(s) for s in shapes if s.view is view)
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
