"""The NeuPSIG docs page names every criterion code and grade (datasette-style docs test)."""

from __future__ import annotations

from pathlib import Path

from painpath.clinical.neuropathic import Criterion, NeuropathicGrade

DOC = Path(__file__).parents[3] / "docs" / "neuropathic" / "neupsig-grading.md"


def test_neupsig_doc_mentions_every_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code in [*Criterion, *NeuropathicGrade]:
        assert f"`{code.value}`" in text, code
