"""Registry-wide checks that every shipped instrument spec is coherent, cited and documented."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from painpath.clinical.errors import InvalidAnswer, UnknownCode
from painpath.clinical.instruments.registry import INSTRUMENTS, score
from painpath.clinical.instruments.spec import (
    Aggregation,
    InstrumentSpec,
    Item,
    Scale,
    UnknownLinkId,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "instruments"
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SPECS = [pytest.param(spec, id=code) for code, spec in INSTRUMENTS.items()]

EXPECTED_CODES = {
    "nrs-pain", "peg", "bpi-sf", "dn4", "dn4-interview", "s-lanss", "phq-9", "phq-2", "gad-7",
    "gad-2", "pcs", "isi", "pseq", "pseq-2", "tsk-11", "pgic", "psfs",
}  # fmt: skip


def _items(spec: InstrumentSpec, scale: Scale) -> list[Item]:
    return [i for i in spec.items if i.link_id in scale.link_ids]


def _extreme(item: Item, *, high: bool) -> int:
    # the raw answer that scores highest (or lowest) once reverse-keying is applied
    want_high = high != item.is_reverse_scored
    return item.max_value if want_high else item.min_value


def test_registry_ships_exactly_the_briefed_instruments() -> None:
    assert set(INSTRUMENTS) == EXPECTED_CODES


def test_link_ids_are_unique_across_the_whole_registry() -> None:
    all_ids = [link_id for spec in INSTRUMENTS.values() for link_id in spec.link_ids]
    assert len(all_ids) == len(set(all_ids))


@pytest.mark.parametrize("spec", SPECS)
def test_codes_and_link_ids_are_stable_kebab_case(spec: InstrumentSpec) -> None:
    assert INSTRUMENTS[spec.code] is spec
    assert KEBAB.match(spec.code)
    for item in spec.items:
        assert KEBAB.match(item.link_id), item.link_id
        assert item.link_id.startswith(f"{spec.code}-"), item.link_id
        assert item.label, item.link_id
        codes = [o.code for o in item.options]
        values = [o.value for o in item.options]
        assert len(set(codes)) == len(codes) and len(set(values)) == len(values), item.link_id
        assert all(KEBAB.match(c) for c in codes), item.link_id


@pytest.mark.parametrize("spec", SPECS)
def test_scales_reference_real_scored_items(spec: InstrumentSpec) -> None:
    scored = {i.link_id for i in spec.items if i.is_scored}
    assert spec.scales, spec.code
    for scale in spec.scales:
        assert set(scale.link_ids) <= scored, scale.code
    for mcid in spec.mcids:
        spec.scale(mcid.scale)  # raises KeyError if the MCID points at no scale
    if spec.bands:
        spec.scale(spec.bands.scale)


@pytest.mark.parametrize("spec", SPECS)
def test_all_lowest_and_all_highest_answers_give_the_scale_range(spec: InstrumentSpec) -> None:
    low = score(spec.code, {i.link_id: _extreme(i, high=False) for i in spec.items if i.is_scored})
    high = score(spec.code, {i.link_id: _extreme(i, high=True) for i in spec.items if i.is_scored})
    for scale in spec.scales:
        items = _items(spec, scale)
        if scale.aggregation is Aggregation.MEAN:
            # a mean of items sharing one range spans that range
            expected_low = Decimal(min(i.min_value for i in items))
            expected_high = Decimal(max(i.max_value for i in items))
        else:
            # max score = sum of each item's max option (min likewise)
            expected_low = Decimal(sum(i.min_value for i in items))
            expected_high = Decimal(sum(i.max_value for i in items))
        assert low.scale(scale.code) == expected_low, scale.code
        assert high.scale(scale.code) == expected_high, scale.code


@pytest.mark.parametrize("spec", SPECS)
def test_first_band_starts_at_the_lowest_possible_score(spec: InstrumentSpec) -> None:
    # so that every computable score falls in some band
    if spec.bands is None:
        pytest.skip("no bands")
    scale = spec.scale(spec.bands.scale)
    items = _items(spec, scale)
    if scale.aggregation is Aggregation.MEAN:
        lowest = min(i.min_value for i in items)
    else:
        lowest = sum(i.min_value for i in items)
    assert spec.bands.rules[0].at_least == lowest


@pytest.mark.parametrize("spec", SPECS)
def test_citation_licence_and_sources_present(spec: InstrumentSpec) -> None:
    assert spec.citation.citation.strip()
    assert spec.licence.holder.strip() and spec.licence.note.strip()
    assert spec.licence.source.citation.strip()
    for scale in spec.scales:
        assert scale.missing_rule.citation.strip(), scale.code
    for mcid in spec.mcids:
        assert mcid.source.citation.strip()
    if spec.bands:
        assert spec.bands.source.citation.strip()
    # a LOINC code is only carried together with the source that confirmed it
    assert (spec.loinc is None) == (spec.loinc_source is None)


@pytest.mark.parametrize("spec", SPECS)
def test_docs_page_exists_for_each_instrument(spec: InstrumentSpec) -> None:
    page = DOCS / f"{spec.code}.md"
    assert page.is_file(), f"missing {page}"
    text = page.read_text(encoding="utf-8")
    assert f"`{spec.code}`" in text
    assert f"Spec version: {spec.version}" in text
    for link_id in spec.link_ids:
        assert f"`{link_id}`" in text, f"{page} does not list {link_id}"


@pytest.mark.parametrize("spec", SPECS)
def test_unknown_link_id_is_refused(spec: InstrumentSpec) -> None:
    with pytest.raises(UnknownLinkId, match=f"{spec.code}-no-such-item"):
        score(spec.code, {f"{spec.code}-no-such-item": 0})


@pytest.mark.parametrize("spec", SPECS)
def test_every_item_refuses_a_value_above_its_options(spec: InstrumentSpec) -> None:
    for item in spec.items:
        with pytest.raises(InvalidAnswer, match=item.link_id):
            score(spec.code, {item.link_id: item.max_value + 1})
        with pytest.raises(InvalidAnswer, match=item.link_id):
            score(spec.code, {item.link_id: True})


def test_unknown_instrument_code_raises() -> None:
    with pytest.raises(UnknownCode, match="hads"):
        score("hads", {})
