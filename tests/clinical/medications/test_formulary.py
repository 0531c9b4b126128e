"""Formulary and rule tables: shipped data is complete, cited and loadable; localised copies load."""

from __future__ import annotations

from decimal import Decimal

import pytest

from painpath.clinical.errors import UnknownCode
from painpath.clinical.medications._tables import RuleTableError, read_shipped
from painpath.clinical.medications.codes import DrugClass, TherapyLine
from painpath.clinical.medications.formulary import default_formulary, load_formulary
from painpath.clinical.medications.rules import default_rules

F = default_formulary()

REQUIRED = [
    # gabapentinoids, SNRIs, TCAs, CBZ/OXC, topicals, tramadol/tapentadol, strong opioids,
    # buprenorphine, and co-medications named in issue 2
    "gabapentin", "pregabalin", "duloxetine", "venlafaxine", "amitriptyline", "nortriptyline",
    "carbamazepine", "oxcarbazepine", "lidocaine_patch", "capsaicin_8_patch", "tramadol",
    "tapentadol", "morphine", "oxycodone", "hydromorphone", "methadone", "fentanyl",
    "buprenorphine", "sertraline", "fluoxetine", "paroxetine", "citalopram", "lorazepam",
    "diazepam", "zolpidem", "zopiclone", "phenelzine", "bupropion", "fluvoxamine",
    "ciprofloxacin", "quetiapine", "haloperidol", "alcohol",
]  # fmt: skip


@pytest.mark.parametrize("code", REQUIRED)
def test_formulary_has_required_drug_with_source(code: str) -> None:
    drug = F.get(code)
    assert drug.source
    assert drug.line_source


@pytest.mark.parametrize(
    ("code", "line_2015", "line_2025", "nnt"),
    [
        pytest.param("amitriptyline", TherapyLine.FIRST, TherapyLine.FIRST, "3.6", id="tca"),
        pytest.param("duloxetine", TherapyLine.FIRST, TherapyLine.FIRST, "6.4", id="snri"),
        pytest.param("pregabalin", TherapyLine.FIRST, TherapyLine.FIRST, "7.7", id="pregabalin"),
        pytest.param("gabapentin", TherapyLine.FIRST, TherapyLine.FIRST, "6.3", id="gabapentin"),
        pytest.param("lidocaine_patch", TherapyLine.SECOND, TherapyLine.SECOND, None, id="lido"),
        pytest.param("capsaicin_8_patch", TherapyLine.SECOND, TherapyLine.SECOND, "10.6", id="qtz"),
        pytest.param("tramadol", TherapyLine.SECOND, TherapyLine.THIRD, "4.7", id="tramadol"),
        pytest.param("morphine", TherapyLine.THIRD, TherapyLine.THIRD, "4.3", id="strong-opioid"),
    ],
)
def test_neupsig_lines_and_nnt_match_reference(
    code: str, line_2015: TherapyLine, line_2025: TherapyLine, nnt: str | None
) -> None:
    # clinical reference §4.1 (Finnerup 2015 Table 3; PMC7807995 Table 1; Soliman 2025)
    drug = F.get(code)
    assert (drug.line_2015, drug.line_2025, drug.nnt) == (line_2015, line_2025, nnt)


def test_tramadol_2025_line_is_flagged_unverified() -> None:
    assert "line_2025" in F.get("tramadol").unverified_fields


@pytest.mark.parametrize(
    ("code", "factor"),
    [
        pytest.param("codeine", Decimal("0.15"), id="codeine"),
        pytest.param("tramadol", Decimal("0.2"), id="tramadol"),
        pytest.param("tapentadol", Decimal("0.4"), id="tapentadol"),
        pytest.param("hydrocodone", Decimal(1), id="hydrocodone"),
        pytest.param("morphine", Decimal(1), id="morphine"),
        pytest.param("oxycodone", Decimal("1.5"), id="oxycodone"),
        pytest.param("oxymorphone", Decimal(3), id="oxymorphone"),
        pytest.param("hydromorphone", Decimal(5), id="hydromorphone"),
        pytest.param("methadone", Decimal("4.7"), id="methadone"),
    ],
)
def test_cdc_2022_mme_factors(code: str, factor: Decimal) -> None:
    assert F.get(code).mme_factor == factor


def test_fentanyl_and_buprenorphine_mme() -> None:
    assert F.get("fentanyl").mme_factor_per_mcg_per_hr == Decimal("2.4")
    assert F.get("buprenorphine").mme_factor is None
    assert F.get("buprenorphine").mme_factor_per_mcg_per_hr is None


def test_every_opioid_is_classed_as_opioid() -> None:
    opioid_classes = {
        DrugClass.ATYPICAL_OPIOID,
        DrugClass.WEAK_OPIOID,
        DrugClass.STRONG_OPIOID,
        DrugClass.PARTIAL_OPIOID_AGONIST,
    }
    for drug in F.drugs.values():
        assert drug.is_opioid is (drug.drug_class in opioid_classes), drug.code


def test_every_titration_start_is_within_max() -> None:
    for drug in F.drugs.values():
        if drug.titration and drug.max_daily_dose_mg is not None:
            assert all(d <= drug.max_daily_dose_mg for d, _ in drug.titration.initial_steps)


def test_every_rule_has_a_source_and_a_version() -> None:
    rules = default_rules()
    for table in (rules.interactions, rules.beers, rules.conditions, rules.mme):
        assert table.version and table.source
    assert all(r.source for r in rules.interactions.rules)
    assert all(r.source for r in rules.beers.rules)
    assert all(r.source for r in rules.conditions.rules)


def test_interaction_tokens_all_match_some_drug() -> None:
    # a typo in a rule table would silently never fire
    tokens = {tok for r in default_rules().interactions.rules for tok in (*r.a, *r.b)}
    tokens |= {tok for r in default_rules().beers.rules for tok in (*r.drugs, *r.with_drugs)}
    tokens |= {tok for r in default_rules().conditions.rules for tok in r.drugs}
    unmatched = {tok for tok in tokens if not any(d.matches(tok) for d in F.drugs.values())}
    assert unmatched == set()


def test_localised_copy_loads_from_text() -> None:
    text = read_shipped("formulary.toml")
    local = text.replace('version = "2026.11-1"', 'version = "clinic-x-1"', 1).replace(
        "max_daily_dose_mg = 3600\nmax_source", "max_daily_dose_mg = 2400\nmax_source", 1
    )
    formulary = load_formulary(local)
    assert formulary.version == "clinic-x-1"
    assert formulary.get("gabapentin").max_daily_dose_mg == Decimal(2400)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("not = [toml", id="invalid-toml"),
        pytest.param('[meta]\nversion = "1"\n', id="missing-source"),
        pytest.param(
            '[meta]\nversion="1"\nsource="s"\n[drugs.x]\nname="X"\ndrug_class="nonsense"\n',
            id="missing-fields",
        ),
    ],
)
def test_malformed_formulary_is_rejected(text: str) -> None:
    with pytest.raises(RuleTableError):
        load_formulary(text)


def test_unknown_drug_code() -> None:
    with pytest.raises(UnknownCode):
        F.get("unobtainium")
