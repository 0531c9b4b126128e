"""Dermatome and peripheral-nerve territories on the body-map regions (clinician overlay).

Dermatome key sensory points (the one point tested per dermatome):
  International Standards for Neurological Classification of Spinal Cord Injury (ISNCSCI, ASIA),
  "Key Sensory Points" worksheet (June 2008 edition). C5-T1 checked against a copy of that worksheet
  (studyres.com/doc/514211); L2-S1 checked against Medscape's ISNCSCI summary (medscape.com/answers/
  793582-161666) and a French ISNCSCI summary (studylibfr.com/doc/8159242). Verified.

Dermatome *extents* on the schematic regions are approximate: published dermatome maps differ
(Keegan & Garrett vs Foerster vs later evidence-based maps) and overlap between adjacent roots is the
rule. Extents are flagged ``is_extent_verified=False`` and need clinical sign-off.

Peripheral-nerve cutaneous territories are coarse region-level approximations of standard anatomy,
checked against secondary sources (not primary): Wheeless' Textbook of Orthopaedics "Innervation of
the leg and foot" (saphenous medial leg and medial dorsum; sural lateral foot; superficial fibular
mid-dorsum; deep fibular first web space; plantar nerves from tibial; medial calcaneal from tibial);
University of Michigan BlueLink "Wrist, hand and foot" LO1 and LO7 (median lateral palm and lateral
3.5 digits incl. dorsal nail beds; ulnar medial palm/dorsum and 1.5 digits; radial dorsum and lateral
3.5 digits except nail beds); Wikipedia "Cutaneous innervation of the upper limbs" (after Gray's
Anatomy 1918: axillary = superior lateral cutaneous nerve of arm; musculocutaneous = lateral
cutaneous nerve of forearm; radial = posterior cutaneous nerves of arm and forearm). Flagged
``is_extent_verified=False``: individual variation is large (e.g. the radial/ulnar border on the
dorsum of the hand).

``full`` = the region lies mainly in the territory; ``partial`` = the territory covers only part of
the region (or is variable there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from painpath.clinical.bodymap.regions import TEMPLATES, Side, get_region, region_code
from painpath.clinical.errors import UnknownCode

DERMATOME_KEY_POINT_SOURCE: Final = (
    "ISNCSCI (ASIA) Key Sensory Points worksheet, June 2008; checked via studyres.com/doc/514211 "
    "(C5-T1) and medscape.com/answers/793582-161666 (L2-S1)"
)
NERVE_SOURCE: Final = (
    "Standard anatomy (Gray's Anatomy); checked against Wheeless 'Innervation of the leg and foot', "
    "UMich BlueLink 'Wrist, hand and foot' LO1/LO7, Wikipedia 'Cutaneous innervation of the upper "
    "limbs' (secondary sources; region mapping is painpath's approximation)"
)
DERMATOME_EXTENT_SOURCE: Final = "painpath approximation of common dermatome charts; dermatome maps vary and overlap (unverified)"


class TerritoryKind(StrEnum):
    """Dermatome (spinal root) or peripheral nerve."""

    DERMATOME = "dermatome"
    NERVE = "nerve"


@dataclass(frozen=True, slots=True)
class Territory:
    """A side-independent territory: parts covered fully / partially, and the key sensory point."""

    code: str
    kind: TerritoryKind
    name: str
    full_parts: frozenset[str]
    partial_parts: frozenset[str]
    key_point: str | None  # ISNCSCI key sensory point description (dermatomes only)
    key_point_part: str | None
    source: str
    is_key_point_verified: bool
    is_extent_verified: bool


@dataclass(frozen=True, slots=True)
class TerritoryOverlay:
    """A territory resolved to region codes on one side, for colouring the outline."""

    code: str
    side: Side
    full_regions: frozenset[str]
    partial_regions: frozenset[str]
    key_point_region: str | None
    is_extent_verified: bool


def _dermatome(
    code: str, key_point: str, key_part: str, full: set[str], partial: set[str]
) -> Territory:
    return Territory(
        code=code,
        kind=TerritoryKind.DERMATOME,
        name=f"{code.upper()} dermatome",
        full_parts=frozenset(full | {key_part}),
        partial_parts=frozenset(partial),
        key_point=key_point,
        key_point_part=key_part,
        source=f"{DERMATOME_KEY_POINT_SOURCE}; extent: {DERMATOME_EXTENT_SOURCE}",
        is_key_point_verified=True,
        is_extent_verified=False,
    )


def _nerve(code: str, name: str, full: set[str], partial: set[str]) -> Territory:
    return Territory(
        code=code,
        kind=TerritoryKind.NERVE,
        name=name,
        full_parts=frozenset(full),
        partial_parts=frozenset(partial),
        key_point=None,
        key_point_part=None,
        source=NERVE_SOURCE,
        is_key_point_verified=False,
        is_extent_verified=False,
    )


_DERMATOMES: Final = (
    _dermatome("c5", "lateral (radial) side of the antecubital fossa, just proximal to the elbow",
               "elbow-ventral-lateral",
               {"shoulder-ventral", "shoulder-dorsal", "upper-arm-ventral-lateral",
                "upper-arm-dorsal-lateral"},
               {"elbow-dorsal"}),
    _dermatome("c6", "dorsal surface of the proximal phalanx of the thumb", "thumb-dorsal",
               {"thumb-palmar", "forearm-ventral-lateral", "forearm-dorsal-lateral"},
               {"palm-lateral", "hand-dorsal-lateral", "index-palmar", "index-dorsal"}),
    _dermatome("c7", "dorsal surface of the proximal phalanx of the middle finger",
               "middle-dorsal",
               {"middle-palmar"},
               {"index-palmar", "index-dorsal", "ring-palmar", "ring-dorsal", "palm-lateral",
                "palm-medial", "hand-dorsal-lateral", "hand-dorsal-medial"}),
    _dermatome("c8", "dorsal surface of the proximal phalanx of the little finger",
               "little-dorsal",
               {"little-palmar", "palm-medial", "hand-dorsal-medial"},
               {"ring-palmar", "ring-dorsal", "forearm-ventral-medial", "forearm-dorsal-medial"}),
    _dermatome("t1", "medial (ulnar) side of the antecubital fossa, just proximal to the medial "
               "epicondyle of the humerus", "elbow-ventral-medial",
               {"forearm-ventral-medial", "forearm-dorsal-medial"},
               {"upper-arm-ventral-medial", "upper-arm-dorsal-medial", "elbow-dorsal"}),
    _dermatome("l2", "mid-anterior thigh, midway between the midpoint of the inguinal ligament and "
               "the medial femoral condyle", "thigh-ventral-medial",
               set(),
               {"thigh-ventral-lateral", "groin"}),
    _dermatome("l3", "medial femoral condyle above the knee", "knee-medial",
               {"knee-ventral"},
               {"thigh-ventral-medial", "leg-ventral-medial"}),
    _dermatome("l4", "medial malleolus", "ankle-medial",
               {"leg-ventral-medial"},
               {"knee-ventral", "foot-dorsal-medial", "calf-medial"}),
    _dermatome("l5", "dorsum of the foot at the third metatarsophalangeal joint",
               "foot-dorsal-central",
               {"first-web-space", "leg-ventral-lateral"},
               {"foot-dorsal-medial", "sole-medial", "calf-lateral"}),
    _dermatome("s1", "lateral heel (calcaneus)", "heel-lateral",
               {"foot-dorsal-lateral", "sole-lateral", "ankle-lateral"},
               {"calf-lateral", "calf-medial", "heel-medial", "sole-medial"}),
)  # fmt: skip

_NERVES: Final = (
    _nerve("median", "median nerve",
           {"palm-lateral", "thumb-palmar", "index-palmar", "middle-palmar"},
           # lateral half of the ring finger; dorsal distal phalanges (nail beds) of lateral 3.5 digits
           {"ring-palmar", "thumb-dorsal", "index-dorsal", "middle-dorsal", "ring-dorsal"}),
    _nerve("ulnar", "ulnar nerve",
           {"palm-medial", "little-palmar", "little-dorsal", "hand-dorsal-medial"},
           {"ring-palmar", "ring-dorsal"}),
    _nerve("radial", "radial nerve",
           {"hand-dorsal-lateral"},
           # superficial branch to dorsal lateral digits (not the nail beds); posterior cutaneous
           # nerves of arm and forearm; inferior lateral cutaneous nerve of arm
           {"thumb-dorsal", "index-dorsal", "middle-dorsal", "ring-dorsal",
            "forearm-dorsal-lateral", "forearm-dorsal-medial", "upper-arm-dorsal-lateral",
            "upper-arm-dorsal-medial", "upper-arm-ventral-lateral", "elbow-dorsal"}),
    _nerve("musculocutaneous", "musculocutaneous nerve (lateral cutaneous nerve of forearm)",
           {"forearm-ventral-lateral"},
           {"forearm-dorsal-lateral", "elbow-ventral-lateral"}),
    _nerve("axillary", "axillary nerve (superior lateral cutaneous nerve of arm)",
           set(),
           {"shoulder-ventral", "shoulder-dorsal", "upper-arm-dorsal-lateral"}),
    # Anterior cutaneous branches; its terminal branch, the saphenous nerve, is listed separately
    # (a femoral trunk lesion affects both territories).
    _nerve("femoral", "femoral nerve (anterior cutaneous branches)",
           {"thigh-ventral-medial"},
           {"thigh-ventral-lateral", "knee-ventral", "knee-medial"}),
    _nerve("saphenous", "saphenous nerve",
           {"leg-ventral-medial", "ankle-medial"},
           {"knee-medial", "calf-medial", "foot-dorsal-medial"}),
    _nerve("common-fibular", "common fibular (peroneal) nerve and its superficial and deep branches",
           {"leg-ventral-lateral", "foot-dorsal-central", "first-web-space"},
           {"foot-dorsal-medial", "ankle-lateral", "calf-lateral"}),
    _nerve("tibial", "tibial nerve (plantar and medial calcaneal branches)",
           {"sole-medial", "sole-lateral", "heel-medial"},
           {"heel-lateral"}),
    _nerve("sural", "sural nerve",
           {"foot-dorsal-lateral", "heel-lateral"},
           {"calf-lateral", "ankle-lateral", "sole-lateral"}),
)  # fmt: skip

TERRITORIES: Final[Mapping[str, Territory]] = MappingProxyType(
    {t.code: t for t in (*_DERMATOMES, *_NERVES)}
)
DERMATOME_CODES: Final = tuple(t.code for t in _DERMATOMES)
NERVE_CODES: Final = tuple(t.code for t in _NERVES)


def get_territory(code: str) -> Territory:
    """Look up a territory by code (``c5`` ... ``s1``, ``median`` ... ``sural``)."""
    try:
        return TERRITORIES[code]
    except KeyError:
        raise UnknownCode(f"unknown territory {code!r}") from None


def territory_overlay(code: str, side: Side) -> TerritoryOverlay:
    """Resolve a territory to region codes on one side of the body."""
    territory = get_territory(code)
    return TerritoryOverlay(
        code=territory.code,
        side=side,
        full_regions=frozenset(region_code(side, p) for p in territory.full_parts),
        partial_regions=frozenset(region_code(side, p) for p in territory.partial_parts),
        key_point_region=(
            None
            if territory.key_point_part is None
            else region_code(side, territory.key_point_part)
        ),
        is_extent_verified=territory.is_extent_verified,
    )


def territories_for_region(code: str) -> tuple[str, ...]:
    """Codes of territories that cover a region fully or partly, dermatomes first."""
    part = get_region(code).part
    return tuple(
        t.code for t in TERRITORIES.values() if part in t.full_parts or part in t.partial_parts
    )


def _check_parts() -> None:
    for territory in TERRITORIES.values():
        unknown = (territory.full_parts | territory.partial_parts) - TEMPLATES.keys()
        if unknown or territory.full_parts & territory.partial_parts:
            raise UnknownCode(f"territory {territory.code} has bad parts {sorted(unknown)}")


_check_parts()


@dataclass(frozen=True, slots=True)
class TerritoryMatch:
    """How a set of marked regions on one side falls into one territory."""

    code: str
    side: Side
    full_hits: tuple[str, ...]  # marked regions lying mainly in the territory
    partial_hits: tuple[str, ...]  # marked regions the territory covers only in part
    outside: tuple[str, ...]  # marked regions on this side outside the territory


def match_territories(region_codes: Iterable[str], side: Side) -> tuple[TerritoryMatch, ...]:
    """Territories touched by the marked regions of one side, most full hits first.

    Descriptive support for the clinician's NeuPSIG "plausible distribution" judgement; it does not
    decide plausibility.
    """
    on_side = sorted({c for c in region_codes if get_region(c).side is side})
    matches: list[TerritoryMatch] = []
    for code in TERRITORIES:
        overlay = territory_overlay(code, side)
        full = tuple(c for c in on_side if c in overlay.full_regions)
        partial = tuple(c for c in on_side if c in overlay.partial_regions)
        if full or partial:
            outside = tuple(c for c in on_side if c not in full and c not in partial)
            matches.append(TerritoryMatch(code, side, full, partial, outside))
    order = {code: i for i, code in enumerate(TERRITORIES)}
    return tuple(
        sorted(matches, key=lambda m: (-len(m.full_hits), -len(m.partial_hits), order[m.code]))
    )
