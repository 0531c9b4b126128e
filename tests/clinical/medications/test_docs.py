"""Every medications rule table and protocol has a docs page that names its current version."""

from __future__ import annotations

from pathlib import Path

import pytest

from painpath.clinical.medications.formulary import default_formulary
from painpath.clinical.medications.rules import default_rules

DOCS = Path(__file__).resolve().parents[3] / "docs" / "medications"
RULES = default_rules()

PAGES = [
    pytest.param("formulary.md", default_formulary().version, id="formulary"),
    pytest.param("renal-dosing.md", default_formulary().version, id="renal"),
    pytest.param("titration.md", default_formulary().version, id="titration"),
    pytest.param("interactions.md", RULES.interactions.version, id="interactions"),
    pytest.param("beers-2023.md", RULES.beers.version, id="beers"),
    pytest.param("contraindications.md", RULES.conditions.version, id="contraindications"),
    pytest.param("mme.md", RULES.mme.version, id="mme"),
    pytest.param("ort.md", "Webster 2005", id="ort"),
    pytest.param("adequate-trial.md", "Dworkin 2007", id="trial"),
    pytest.param("adherence-pdc.md", "PQA", id="pdc"),
]


@pytest.mark.parametrize(("page", "version"), PAGES)
def test_docs_page_exists_and_names_version(page: str, version: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert version in text
