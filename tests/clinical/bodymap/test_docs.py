"""The body-map docs pages name every pain quality and dermatome key point."""

from __future__ import annotations

from pathlib import Path

from painpath.clinical.bodymap import DERMATOME_CODES, NERVE_CODES, PainQuality, get_territory

DOCS = Path(__file__).parents[3] / "docs" / "bodymap"


def test_bodymap_docs_mention_every_code() -> None:
    markings = (DOCS / "markings.md").read_text(encoding="utf-8")
    assert all(f"`{q.value}`" in markings for q in PainQuality)
    territories = (DOCS / "territories.md").read_text(encoding="utf-8")
    for code in DERMATOME_CODES:
        row_start = f"| {code.upper()} |"
        assert row_start in territories, code
        assert f"`{get_territory(code).key_point_part}`" in territories, code
    for name in ("median", "ulnar", "radial", "musculocutaneous", "axillary", "femoral",
                 "saphenous", "sural", "tibial"):  # fmt: skip
        assert name in territories
    assert len(NERVE_CODES) == 10
