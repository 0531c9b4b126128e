"""SVG outline: one polygon per region, correct left/right mirroring."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from painpath.clinical.bodymap import REGIONS, region_shapes, render_outline_svg

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_render_outline_svg_has_one_polygon_per_region_code() -> None:
    root = ET.fromstring(render_outline_svg())  # noqa: S314 - our own trusted string
    polygons = root.findall(f".//{SVG_NS}polygon")
    ids = [p.get("id") for p in polygons]
    assert len(ids) == 114
    assert set(ids) == set(REGIONS)


def test_render_outline_svg_marks_sides_on_both_views() -> None:
    root = ET.fromstring(render_outline_svg())  # noqa: S314 - our own trusted string
    letters = [t.text or "" for t in root.iter(f"{SVG_NS}text") if t.get("class") == "bodymap-side"]
    assert sorted(letters) == ["L", "L", "R", "R"]


# Front view midline x=110, back view midline x=330. Front: patient's right on viewer's left.
# Back: patient's right on viewer's right.
MIRROR_CASES = [
    pytest.param("r-thumb-palmar", "left-of", 110, id="front-right-on-viewer-left"),
    pytest.param("l-thumb-palmar", "right-of", 110, id="front-left-on-viewer-right"),
    pytest.param("r-thumb-dorsal", "right-of", 330, id="back-right-on-viewer-right"),
    pytest.param("l-heel-lateral", "left-of", 330, id="back-left-on-viewer-left"),
]


@pytest.mark.parametrize(("code", "relation", "midline"), MIRROR_CASES)
def test_region_shapes_mirror_sides_by_view(code: str, relation: str, midline: int) -> None:
    shape = next(s for s in region_shapes() if s.code == code)
    xs = [x for x, _ in shape.points]
    if relation == "left-of":
        assert max(xs) <= midline
    else:
        assert min(xs) >= midline


def test_region_shapes_thumb_is_lateral_to_little_finger() -> None:
    # Anatomical position: thumb lateral (farther from midline) than little finger, both views.
    shapes = {s.code: s for s in region_shapes()}
    for code_thumb, code_little, midline in (
        ("r-thumb-palmar", "r-little-palmar", 110),
        ("l-thumb-dorsal", "l-little-dorsal", 330),
    ):
        thumb = max(abs(x - midline) for x, _ in shapes[code_thumb].points)
        little = max(abs(x - midline) for x, _ in shapes[code_little].points)
        assert thumb > little
