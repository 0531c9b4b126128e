"""The QST docs pages name every parameter, phenotype and CSV column."""

from __future__ import annotations

from pathlib import Path

from painpath.clinical.qst import QstParameter, SensoryPhenotype
from painpath.clinical.qst.reference import COLUMNS

DOCS = Path(__file__).parents[3] / "docs" / "qst"


def test_qst_docs_mention_every_code() -> None:
    protocol = (DOCS / "dfns-protocol.md").read_text(encoding="utf-8")
    assert all(f"`{p.value}`" in protocol for p in QstParameter)
    phenotype = (DOCS / "sensory-phenotype.md").read_text(encoding="utf-8")
    assert all(f"`{p.value}`" in phenotype for p in SensoryPhenotype)
    csv_doc = (DOCS / "reference-table-csv.md").read_text(encoding="utf-8")
    assert ",".join(COLUMNS) in csv_doc
