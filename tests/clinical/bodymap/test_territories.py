"""Dermatome and nerve territory overlays."""

from __future__ import annotations

import pytest

from painpath.clinical.bodymap import (
    DERMATOME_CODES,
    NERVE_CODES,
    TERRITORIES,
    Side,
    TerritoryKind,
    get_territory,
    match_territories,
    territories_for_region,
    territory_overlay,
)
from painpath.clinical.errors import UnknownCode


def test_territories_list_the_requested_dermatomes_and_nerves() -> None:
    assert DERMATOME_CODES == ("c5", "c6", "c7", "c8", "t1", "l2", "l3", "l4", "l5", "s1")
    assert NERVE_CODES == (
        "median", "ulnar", "radial", "musculocutaneous", "axillary",
        "femoral", "saphenous", "common-fibular", "tibial", "sural",
    )  # fmt: skip
    assert all(TERRITORIES[c].kind is TerritoryKind.DERMATOME for c in DERMATOME_CODES)
    assert all(TERRITORIES[c].kind is TerritoryKind.NERVE for c in NERVE_CODES)


# ISNCSCI key sensory points, restated from the ASIA worksheet (June 2008).
KEY_POINTS = [
    pytest.param("c5", "elbow-ventral-lateral", id="c5-lateral-antecubital-fossa"),
    pytest.param("c6", "thumb-dorsal", id="c6-dorsal-proximal-phalanx-thumb"),
    pytest.param("c7", "middle-dorsal", id="c7-dorsal-proximal-phalanx-middle"),
    pytest.param("c8", "little-dorsal", id="c8-dorsal-proximal-phalanx-little"),
    pytest.param("t1", "elbow-ventral-medial", id="t1-medial-antecubital-fossa"),
    pytest.param("l2", "thigh-ventral-medial", id="l2-mid-anterior-thigh"),
    pytest.param("l3", "knee-medial", id="l3-medial-femoral-condyle"),
    pytest.param("l4", "ankle-medial", id="l4-medial-malleolus"),
    pytest.param("l5", "foot-dorsal-central", id="l5-third-mtp-joint"),
    pytest.param("s1", "heel-lateral", id="s1-lateral-heel"),
]


@pytest.mark.parametrize(("code", "part"), KEY_POINTS)
def test_dermatome_key_sensory_point_region(code: str, part: str) -> None:
    territory = get_territory(code)
    assert territory.key_point_part == part
    assert part in territory.full_parts
    assert territory.is_key_point_verified is True
    assert territory.is_extent_verified is False
    assert territory_overlay(code, Side.LEFT).key_point_region == f"l-{part}"


NERVE_CASES = [
    pytest.param("median", "thumb-palmar", "full", id="median-thumb-palmar"),
    pytest.param("median", "ring-palmar", "partial", id="median-lateral-half-ring"),
    pytest.param("ulnar", "little-palmar", "full", id="ulnar-little-finger"),
    pytest.param("ulnar", "ring-dorsal", "partial", id="ulnar-medial-half-ring"),
    pytest.param("radial", "hand-dorsal-lateral", "full", id="radial-dorsum-hand"),
    pytest.param("musculocutaneous", "forearm-ventral-lateral", "full", id="lcnf-lateral-forearm"),
    pytest.param("axillary", "shoulder-dorsal", "partial", id="axillary-deltoid"),
    pytest.param("femoral", "thigh-ventral-medial", "full", id="femoral-anterior-thigh"),
    pytest.param("saphenous", "ankle-medial", "full", id="saphenous-medial-malleolus"),
    pytest.param("common-fibular", "first-web-space", "full", id="deep-fibular-web-space"),
    pytest.param("tibial", "sole-medial", "full", id="tibial-sole"),
    pytest.param("sural", "foot-dorsal-lateral", "full", id="sural-lateral-foot"),
]


@pytest.mark.parametrize(("code", "part", "coverage"), NERVE_CASES)
def test_nerve_territory_covers_textbook_area(code: str, part: str, coverage: str) -> None:
    overlay = territory_overlay(code, Side.RIGHT)
    regions = overlay.full_regions if coverage == "full" else overlay.partial_regions
    assert f"r-{part}" in regions
    assert overlay.is_extent_verified is False
    assert overlay.key_point_region is None


def test_territory_overlay_stays_on_requested_side() -> None:
    for code in TERRITORIES:
        overlay = territory_overlay(code, Side.LEFT)
        assert all(r.startswith("l-") for r in overlay.full_regions | overlay.partial_regions)
        assert not overlay.full_regions & overlay.partial_regions


def test_territories_for_region_lists_dermatomes_then_nerves() -> None:
    # Ring finger dorsum: C7 and C8 (partial), median nail bed, ulnar dorsal branch, radial.
    assert territories_for_region("r-ring-dorsal") == ("c7", "c8", "median", "ulnar", "radial")
    assert territories_for_region("l-chest") == ()


def test_get_territory_rejects_unknown_code() -> None:
    with pytest.raises(UnknownCode):
        get_territory("c9")


def test_match_territories_ranks_by_full_hits_for_one_side() -> None:
    # Marks: right palmar thumb + index (median full, C6 full/partial), right ring palmar (median
    # partial, ulnar partial, C7/C8 partial), and a left-side mark that must be ignored.
    matches = match_territories(
        ["r-thumb-palmar", "r-index-palmar", "r-ring-palmar", "l-little-palmar"], Side.RIGHT
    )
    first = matches[0]
    assert (first.code, first.full_hits, first.partial_hits, first.outside) == (
        "median",
        ("r-index-palmar", "r-thumb-palmar"),
        ("r-ring-palmar",),
        (),
    )
    c6 = next(m for m in matches if m.code == "c6")
    assert (c6.full_hits, c6.partial_hits, c6.outside) == (
        ("r-thumb-palmar",),
        ("r-index-palmar",),
        ("r-ring-palmar",),
    )
    assert all(m.code != "sural" for m in matches)
    assert all(not any(c.startswith("l-") for c in m.outside) for m in matches)


def test_match_territories_rejects_unknown_region() -> None:
    with pytest.raises(UnknownCode):
        match_territories(["r-wing"], Side.RIGHT)
