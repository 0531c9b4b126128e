"""Rule table provenance and the docs pages that describe it (docs-as-tests)."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from painpath.clinical.errors import UnknownCode
from painpath.clinical.rehab.rules import default_rules, parse_rules

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rehab"
RULES = default_rules()


def _raw() -> dict[str, Any]:
    text = resources.files("painpath.clinical.rehab").joinpath("data", "rules.toml").read_text()
    return tomllib.loads(text)


def test_every_threshold_has_a_source() -> None:
    assert RULES.version
    for t in RULES.all_thresholds():
        assert t.source.strip(), t.key


@pytest.mark.parametrize(
    ("key", "verified"),
    [
        pytest.param("pacing.quota_fraction_of_baseline", True, id="etg-80"),
        pytest.param("pacing.weekly_increment_fraction_of_baseline", True, id="etg-10"),
        pytest.param("gmi.min_days_per_stage", True, id="moseley-2-weeks"),
        pytest.param("gmi.laterality_accuracy_min_pct", True, id="noi-80"),
        pytest.param("exposure.tsk17_high_min", True, id="vlaeyen-38"),
        pytest.param("exposure.pcs_high_min", False, id="pcs-30-unverified"),
        pytest.param("gmi.laterality_mean_rt_max_ms", False, id="rt-unverified"),
        pytest.param("pacing.boom_activity_ratio", False, id="boom-unverified"),
    ],
)
def test_verified_flags(key: str, verified: bool) -> None:
    by_key = {t.key: t for t in RULES.all_thresholds()}
    assert by_key[key].is_verified is verified
    assert (by_key[key] in RULES.unverified()) is (not verified)


def test_parse_rules_accepts_a_clinic_override() -> None:
    doc = _raw()
    doc["pacing"]["quota_fraction_of_baseline"]["value"] = "0.70"
    assert str(parse_rules(doc).pacing.quota_fraction_of_baseline.value) == "0.70"


@pytest.mark.parametrize(
    ("section", "name", "field", "value"),
    [
        pytest.param("gmi", None, None, None, id="missing-section"),
        pytest.param("pacing", "red_pain_rise_nrs", None, None, id="missing-rule"),
        pytest.param("pacing", "red_pain_rise_nrs", "source", None, id="missing-source"),
        pytest.param("pacing", "red_pain_rise_nrs", "verified", "yes", id="verified-not-bool"),
    ],
)
def test_parse_rules_rejects_incomplete_tables(
    section: str, name: str | None, field: str | None, value: str | None
) -> None:
    doc = copy.deepcopy(_raw())
    if name is None:
        del doc[section]
    elif field is None:
        del doc[section][name]
    elif value is None:
        del doc[section][name][field]
    else:
        doc[section][name][field] = value
    with pytest.raises(UnknownCode):
        parse_rules(doc)


def test_rules_page_lists_every_threshold() -> None:
    page = (DOCS / "rules.md").read_text()
    missing = [t.key for t in RULES.all_thresholds() if f"`{t.key}`" not in page]
    assert missing == []


@pytest.mark.parametrize(
    "page",
    [
        "README.md",
        "exercise-library.md",
        "programme.md",
        "pacing.md",
        "boom-bust.md",
        "graded-exposure.md",
        "desensitisation.md",
        "sensory-retraining.md",
        "gmi.md",
        "adherence.md",
        "rules.md",
    ],
)
def test_docs_page_exists_and_is_linked_from_readme(page: str) -> None:
    assert (DOCS / page).is_file()
    assert page == "README.md" or f"({page})" in (DOCS / "README.md").read_text()
