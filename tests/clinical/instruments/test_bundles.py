import pytest

from painpath.clinical.errors import UnknownCode
from painpath.clinical.instruments.bundles import (
    BUNDLES,
    Bundle,
    CollectionPoint,
    bundle,
    bundles_for,
)
from painpath.clinical.instruments.registry import INSTRUMENTS


def test_referral_bundle_matches_the_product_brief() -> None:
    # product brief, journey 1 (body map is not a scored instrument)
    assert bundle("referral").instrument_codes == (
        "peg", "dn4-interview", "s-lanss", "phq-9", "gad-7", "pcs", "isi", "pseq", "tsk-11",
    )  # fmt: skip


@pytest.mark.parametrize("b", [pytest.param(b, id=b.code) for b in BUNDLES])
def test_every_bundle_lists_known_instruments_once_with_a_source(b: Bundle) -> None:
    assert set(b.instrument_codes) <= set(INSTRUMENTS)
    assert len(set(b.instrument_codes)) == len(b.instrument_codes)
    assert b.source.strip()


def test_every_collection_point_has_a_bundle() -> None:
    for point in CollectionPoint:
        assert bundles_for(point), point


def test_bundle_codes_are_unique_and_unknown_code_raises() -> None:
    assert len({b.code for b in BUNDLES}) == len(BUNDLES)
    with pytest.raises(UnknownCode, match="intake"):
        bundle("intake")
