"""QST reference-table CSV parser and packaged loader."""

from __future__ import annotations

from decimal import Decimal

import pytest

from painpath.clinical.errors import DomainError, UnknownCode
from painpath.clinical.qst import (
    InvalidReferenceTable,
    QstParameter,
    Scale,
    Sex,
    load_packaged_reference_table,
    parse_reference_csv,
)

META = "# table_version: t1\n# source: test\n"
HEADER = "parameter,sex,age_min_years,age_max_years,body_site,scale,log_offset,mean,sd\n"


def test_parse_reference_csv_reads_metadata_and_bands() -> None:
    table = parse_reference_csv(
        META + HEADER + "cdt,female,20,39,hand-dorsum,log10,0,0.1,0.2\n"
        "hpt,male,40,49,Foot-Dorsum,linear,,44.5,2.5\n"
    )
    assert (table.table_version, table.source) == ("t1", "test")
    assert len(table.bands) == 2
    hpt = table.bands[1]
    assert (hpt.parameter, hpt.sex, hpt.body_site, hpt.scale) == (
        QstParameter.HPT,
        Sex.MALE,
        "foot-dorsum",
        Scale.LINEAR,
    )
    assert (hpt.log_offset, hpt.mean, hpt.sd) == (Decimal(0), Decimal("44.5"), Decimal("2.5"))
    assert table.find_band(QstParameter.HPT, sex=Sex.MALE, age_years=49, body_site="foot-dorsum")
    assert table.find_band(QstParameter.HPT, sex=Sex.MALE, age_years=40, body_site="Foot-Dorsum ")
    assert (
        table.find_band(QstParameter.HPT, sex=Sex.MALE, age_years=50, body_site="foot-dorsum")
        is None
    )


BAD_CASES = [
    pytest.param(HEADER + "cdt,female,20,39,hand,log10,0,0,1\n", "metadata", id="missing-metadata"),
    pytest.param("# table_version: t1\n" + HEADER, "source", id="missing-source"),
    pytest.param(META + "parameter,sex\ncdt,female\n", "header", id="wrong-header"),
    pytest.param(META, "header", id="no-header"),
    pytest.param(
        META + HEADER + "cdt,female,20,39,hand,linear,,0,1\n", "scale log10", id="cdt-must-be-log"
    ),
    pytest.param(
        META + HEADER + "hpt,female,20,39,hand,log10,0,0,1\n",
        "scale linear",
        id="hpt-must-be-linear",
    ),
    pytest.param(
        META + HEADER + "hpt,female,20,39,hand,linear,1,0,1\n", "log_offset", id="offset-on-linear"
    ),
    pytest.param(
        META + HEADER + "mps,female,20,39,hand,log10,-1,0,1\n", "log_offset", id="negative-offset"
    ),
    pytest.param(META + HEADER + "cdt,female,20,39,hand,log10,0,0,0\n", "sd", id="zero-sd"),
    pytest.param(
        META + HEADER + "cdt,female,40,39,hand,log10,0,0,1\n", "age_min", id="inverted-ages"
    ),
    pytest.param(
        META + HEADER + "cdt,female,20.5,39,hand,log10,0,0,1\n", "whole", id="fractional-age"
    ),
    pytest.param(META + HEADER + "cdt,other,20,39,hand,log10,0,0,1\n", "sex", id="unknown-sex"),
    pytest.param(
        META + HEADER + "cdt,female,20,39,hand,log10,0,abc,1\n", "mean", id="non-numeric-mean"
    ),
    pytest.param(META + HEADER + "cdt,female,20,39,,log10,0,0,1\n", "body_site", id="empty-site"),
    pytest.param(META + HEADER + "cdt,female,20,39,hand,log10,0,0\n", "columns", id="short-row"),
    pytest.param(META + HEADER + "cdt,female,20,39,hand,log10,0,0,1,9\n", "columns", id="long-row"),
    pytest.param(
        META + HEADER + "cdt,female,20,39,hand,log10,0,0,1\ncdt,female,39,50,hand,log10,0,0,1\n",
        "overlapping",
        id="overlapping-age-bands",
    ),
    pytest.param(
        META + HEADER + "xyz,female,20,39,hand,log10,0,0,1\n", "xyz", id="unknown-parameter"
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_CASES)
def test_parse_reference_csv_rejects_bad_tables(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_reference_csv(text)


def test_parse_reference_csv_unknown_parameter_is_unknown_code() -> None:
    with pytest.raises(UnknownCode):
        parse_reference_csv(META + HEADER + "xyz,female,20,39,hand,log10,0,0,1\n")


def test_parse_reference_csv_errors_name_the_line() -> None:
    # Lines: 1-2 metadata, 3 header, 4 good row, 5 bad row.
    text = META + HEADER + "cdt,female,20,39,hand,log10,0,0,1\nwdt,female,20,39,hand,log10,0,0,0\n"
    with pytest.raises(InvalidReferenceTable, match="line 5"):
        parse_reference_csv(text)


def test_load_packaged_reference_table_reads_package_data() -> None:
    table = load_packaged_reference_table("tests.clinical.qst", "synthetic_reference.csv")
    assert table.table_version == "synthetic-test-1"
    assert ("status", "synthetic") in table.metadata
    # 13 parameters for women 20-39 + CDT women 40-59 + CDT men 20-39 = 15 bands.
    assert len(table.bands) == 15
