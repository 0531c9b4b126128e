"""Coded body-map regions for a front and a back outline, with simple geometry.

Region codes are permanent identities (stored with each marking and used as SVG element ids):
``<side>-<part>``, side ``r`` or ``l`` (the *patient's* right/left), e.g. ``r-forearm-ventral-lateral``.
Limb regions follow the anatomical position (palms forward): ``lateral`` = radial/thumb side of the
upper limb and fibular side of the lower limb, ``medial`` = ulnar / tibial side.

Geometry is schematic, not anatomical: each region is a polygon in a "half figure" whose x is the
distance from the midline (outward positive) and y runs down from the top of the head, in SVG user
units. It is mirrored per side and view by :mod:`painpath.clinical.bodymap.svg`. Areas derived from it
(:func:`region_area`) are nominal drawing areas for summaries, not body-surface-area estimates.
The plantar (sole) regions are drawn under the back view, as on common paper pain drawings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from painpath.clinical.errors import UnknownCode


class Side(StrEnum):
    """The patient's side."""

    RIGHT = "r"
    LEFT = "l"


class View(StrEnum):
    """Which outline the region is drawn on."""

    FRONT = "front"
    BACK = "back"


Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class RegionTemplate:
    """A side-independent region: code suffix, view, English default label, half-figure polygon."""

    part: str
    view: View
    label: str
    polygon: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Region:
    """A coded region of one side (labels for display are looked up by code in ``web``)."""

    code: str
    part: str
    side: Side
    view: View
    label: str
    polygon: tuple[Point, ...]


def _rect(x0: int, y0: int, x1: int, y1: int) -> tuple[Point, ...]:
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


V = View
_TEMPLATES: Final[tuple[RegionTemplate, ...]] = (
    # Front: head, trunk.
    RegionTemplate("head-front", V.FRONT, "face and front of head", ((0, 5), (14, 8), (22, 25), (18, 45), (0, 50))),
    RegionTemplate("neck-front", V.FRONT, "front of neck", _rect(0, 50, 12, 65)),
    RegionTemplate("chest", V.FRONT, "chest", ((0, 65), (40, 65), (38, 150), (0, 150))),
    RegionTemplate("abdomen", V.FRONT, "abdomen", ((0, 150), (38, 150), (36, 215), (0, 215))),
    RegionTemplate("groin", V.FRONT, "groin and front of pelvis", ((0, 215), (36, 215), (38, 245), (4, 245), (0, 235))),
    # Front: upper limb (palm forward).
    RegionTemplate("shoulder-ventral", V.FRONT, "front of shoulder", ((40, 65), (58, 70), (64, 95), (44, 95))),
    RegionTemplate("upper-arm-ventral-medial", V.FRONT, "front of upper arm, medial", _rect(44, 95, 54, 165)),
    RegionTemplate("upper-arm-ventral-lateral", V.FRONT, "front of upper arm, lateral", _rect(54, 95, 64, 165)),
    RegionTemplate("elbow-ventral-medial", V.FRONT, "antecubital fossa, medial (ulnar)", _rect(44, 165, 54, 180)),
    RegionTemplate("elbow-ventral-lateral", V.FRONT, "antecubital fossa, lateral (radial)", _rect(54, 165, 64, 180)),
    RegionTemplate("forearm-ventral-medial", V.FRONT, "front of forearm, ulnar side", _rect(45, 180, 54, 250)),
    RegionTemplate("forearm-ventral-lateral", V.FRONT, "front of forearm, radial side", _rect(54, 180, 63, 250)),
    RegionTemplate("palm-medial", V.FRONT, "palm, ulnar side (hypothenar)", _rect(45, 250, 54, 285)),
    RegionTemplate("palm-lateral", V.FRONT, "palm, radial side (thenar)", _rect(54, 250, 63, 285)),
    RegionTemplate("thumb-palmar", V.FRONT, "thumb, palmar", _rect(63, 255, 70, 285)),
    RegionTemplate("index-palmar", V.FRONT, "index finger, palmar", _rect(58, 285, 63, 314)),
    RegionTemplate("middle-palmar", V.FRONT, "middle finger, palmar", _rect(54, 285, 58, 318)),
    RegionTemplate("ring-palmar", V.FRONT, "ring finger, palmar", _rect(49, 285, 54, 315)),
    RegionTemplate("little-palmar", V.FRONT, "little finger, palmar", _rect(45, 285, 49, 308)),
    # Front: lower limb.
    RegionTemplate("thigh-ventral-medial", V.FRONT, "front of thigh, medial", _rect(4, 245, 20, 340)),
    RegionTemplate("thigh-ventral-lateral", V.FRONT, "front of thigh, lateral", _rect(20, 245, 38, 340)),
    RegionTemplate("knee-medial", V.FRONT, "medial knee", _rect(4, 340, 12, 365)),
    RegionTemplate("knee-ventral", V.FRONT, "front of knee", _rect(12, 340, 36, 365)),
    RegionTemplate("leg-ventral-medial", V.FRONT, "shin, medial", _rect(6, 365, 20, 440)),
    RegionTemplate("leg-ventral-lateral", V.FRONT, "shin, lateral", _rect(20, 365, 34, 440)),
    RegionTemplate("ankle-medial", V.FRONT, "medial ankle (malleolus)", _rect(6, 440, 20, 452)),
    RegionTemplate("ankle-lateral", V.FRONT, "lateral ankle (malleolus)", _rect(20, 440, 34, 452)),
    RegionTemplate("foot-dorsal-medial", V.FRONT, "top of foot, medial (big toe)", _rect(4, 452, 12, 480)),
    RegionTemplate("first-web-space", V.FRONT, "first web space", _rect(12, 452, 16, 480)),
    RegionTemplate("foot-dorsal-central", V.FRONT, "top of foot, central", _rect(16, 452, 28, 480)),
    RegionTemplate("foot-dorsal-lateral", V.FRONT, "top of foot, lateral (little toe)", _rect(28, 452, 36, 480)),
    # Back: head, trunk.
    RegionTemplate("head-back", V.BACK, "back of head", ((0, 5), (14, 8), (22, 25), (18, 45), (0, 50))),
    RegionTemplate("neck-back", V.BACK, "back of neck", _rect(0, 50, 12, 65)),
    RegionTemplate("upper-back", V.BACK, "upper back", ((0, 65), (40, 65), (38, 150), (0, 150))),
    RegionTemplate("lower-back", V.BACK, "lower back", ((0, 150), (38, 150), (36, 215), (0, 215))),
    RegionTemplate("buttock", V.BACK, "buttock", ((0, 215), (36, 215), (38, 260), (4, 260), (0, 250))),
    # Back: upper limb.
    RegionTemplate("shoulder-dorsal", V.BACK, "back of shoulder", ((40, 65), (58, 70), (64, 95), (44, 95))),
    RegionTemplate("upper-arm-dorsal-medial", V.BACK, "back of upper arm, medial", _rect(44, 95, 54, 165)),
    RegionTemplate("upper-arm-dorsal-lateral", V.BACK, "back of upper arm, lateral", _rect(54, 95, 64, 165)),
    RegionTemplate("elbow-dorsal", V.BACK, "back of elbow", _rect(44, 165, 64, 180)),
    RegionTemplate("forearm-dorsal-medial", V.BACK, "back of forearm, ulnar side", _rect(45, 180, 54, 250)),
    RegionTemplate("forearm-dorsal-lateral", V.BACK, "back of forearm, radial side", _rect(54, 180, 63, 250)),
    RegionTemplate("hand-dorsal-medial", V.BACK, "back of hand, ulnar side", _rect(45, 250, 54, 285)),
    RegionTemplate("hand-dorsal-lateral", V.BACK, "back of hand, radial side", _rect(54, 250, 63, 285)),
    RegionTemplate("thumb-dorsal", V.BACK, "thumb, dorsal", _rect(63, 255, 70, 285)),
    RegionTemplate("index-dorsal", V.BACK, "index finger, dorsal", _rect(58, 285, 63, 314)),
    RegionTemplate("middle-dorsal", V.BACK, "middle finger, dorsal", _rect(54, 285, 58, 318)),
    RegionTemplate("ring-dorsal", V.BACK, "ring finger, dorsal", _rect(49, 285, 54, 315)),
    RegionTemplate("little-dorsal", V.BACK, "little finger, dorsal", _rect(45, 285, 49, 308)),
    # Back: lower limb and sole.
    RegionTemplate("thigh-dorsal", V.BACK, "back of thigh", _rect(4, 260, 38, 340)),
    RegionTemplate("knee-dorsal", V.BACK, "back of knee (popliteal fossa)", _rect(4, 340, 36, 365)),
    RegionTemplate("calf-medial", V.BACK, "calf, medial", _rect(6, 365, 20, 440)),
    RegionTemplate("calf-lateral", V.BACK, "calf, lateral", _rect(20, 365, 34, 440)),
    RegionTemplate("heel-medial", V.BACK, "heel, medial", _rect(8, 440, 20, 458)),
    RegionTemplate("heel-lateral", V.BACK, "heel, lateral", _rect(20, 440, 32, 458)),
    RegionTemplate("sole-medial", V.BACK, "sole, medial", _rect(8, 458, 20, 485)),
    RegionTemplate("sole-lateral", V.BACK, "sole, lateral", _rect(20, 458, 32, 485)),
)  # fmt: skip

TEMPLATES: Final[Mapping[str, RegionTemplate]] = MappingProxyType({t.part: t for t in _TEMPLATES})

_SIDE_LABEL: Final = {Side.RIGHT: "right", Side.LEFT: "left"}


def region_code(side: Side, part: str) -> str:
    """The stable region code for one side of a part, e.g. ``r-forearm-ventral-lateral``."""
    if part not in TEMPLATES:
        raise UnknownCode(f"unknown body-map part {part!r}")
    return f"{side.value}-{part}"


REGIONS: Final[Mapping[str, Region]] = MappingProxyType(
    {
        region_code(side, t.part): Region(
            code=region_code(side, t.part),
            part=t.part,
            side=side,
            view=t.view,
            label=f"{_SIDE_LABEL[side]} {t.label}",
            polygon=t.polygon,
        )
        for side in Side
        for t in _TEMPLATES
    }
)


def get_region(code: str) -> Region:
    """Look up a region by code; unknown codes raise :class:`UnknownCode`."""
    try:
        return REGIONS[code]
    except KeyError:
        raise UnknownCode(f"unknown body-map region {code!r}") from None


def region_area(code: str) -> Decimal:
    """Nominal drawing area of a region (shoelace formula, SVG units squared)."""
    polygon = get_region(code).polygon
    twice = sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True)
    )
    return Decimal(abs(twice)) / 2


TOTAL_AREA: Final = sum((region_area(code) for code in REGIONS), Decimal(0))
