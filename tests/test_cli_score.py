"""`painpath score` (issue 4 CLI contract). Expected totals restated from the published keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from painpath.cli import app

runner = CliRunner()


def score(
    tmp_path: Path, instrument: str, responses: list[Any]
) -> tuple[int, dict[str, Any] | str]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(responses))
    result = runner.invoke(app, ["score", instrument, "--answers", str(path)])
    if result.exit_code == 0:
        return 0, json.loads(result.stdout)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("instrument", "responses", "total", "band", "flags"),
    [
        # PHQ-9: 9 x 1 = 9 -> mild (5-9); item 9 = 1 -> suicidality flag whatever the total.
        pytest.param("phq-9", [1] * 9, 9, "mild", ["suicidality"], id="phq9-item9-flag"),
        pytest.param("phq-9", [3] * 8 + [0], 24, "severe", [], id="phq9-severe-no-flag"),
        # S-LANSS weights 5,5,3,2,1,5,3: yes to 1,3,4,6,7 -> 5+3+2+5+3 = 18 >= 12.
        pytest.param(
            "s-lanss", [1, 0, 1, 1, 0, 1, 1], 18, "neuropathic-likely", [], id="slanss-weights"
        ),
        # S-LANSS 5+5+1 = 11: one below the cut-off of 12.
        pytest.param(
            "s-lanss",
            [1, 1, 0, 0, 1, 0, 0],
            11,
            "neuropathic-unlikely",
            [],
            id="slanss-cutoff-minus-1",
        ),
        # DN4: 4 yes of 10 -> 4, the cut-off.
        pytest.param(
            "dn4", [1, 1, 1, 1, 0, 0, 0, 0, 0, 0], 4, "neuropathic-likely", [], id="dn4-cutoff"
        ),
        pytest.param(
            "dn4-interview", [1, 1, 0, 0, 0, 0, 0], 2, "neuropathic-unlikely", [], id="dn4i-2"
        ),
        # GAD-7: 7 x 2 = 14 -> moderate (10-14).
        pytest.param("gad-7", [2] * 7, 14, "moderate", [], id="gad7-moderate"),
        pytest.param("nrs", [7], 7, "severe", [], id="nrs-7"),
    ],
)
def test_score_cli_scores_published_keys(
    tmp_path: Path, instrument: str, responses: list[Any], total: int, band: str, flags: list[str]
) -> None:
    code, output = score(tmp_path, instrument, responses)
    assert code == 0, output
    assert isinstance(output, dict)
    assert (output["instrument"], output["total"], output["band"], output["flags"]) == (
        instrument,
        total,
        band,
        flags,
    )


def test_score_cli_pcs_subscales(tmp_path: Path) -> None:
    # PCS items 1-13 all 2: rumination (8-11) = 8, magnification (6,7,13) = 6, helplessness (1-5,12) = 12.
    code, output = score(tmp_path, "pcs", [2] * 13)
    assert code == 0 and isinstance(output, dict)
    assert output["total"] == 26
    assert output["subscales"] == {"rumination": 8, "magnification": 6, "helplessness": 12}


def test_score_cli_bpi_interference_mean_from_four_of_seven_is_prorated(tmp_path: Path) -> None:
    # Severity mean (5+6+7+8)/4 = 6.5; interference mean of four answered items (1+2+3+6)/4 = 3.
    code, output = score(tmp_path, "bpi-sf", [5, 6, 7, 8, 1, 2, 3, 6, None, None, None])
    assert code == 0 and isinstance(output, dict)
    assert output["subscales"] == {"severity": 6.5, "interference": 3}
    assert output["prorated"] is True


@pytest.mark.parametrize(
    ("instrument", "responses", "needle"),
    [
        pytest.param("phq-9", [1, 2], "items", id="wrong-count"),
        pytest.param("phq-9", [4] + [1] * 8, "item 1", id="out-of-range"),
        pytest.param("s-lanss", [2, 0, 0, 0, 0, 0, 0], "item 1", id="yes-no-out-of-range"),
        pytest.param("gad-7", [None] * 7, "missing", id="too-many-missing"),
        pytest.param("gad-7", ["a"] * 7, "not a number", id="not-a-number"),
        pytest.param("wizard-9", [1], "unknown instrument", id="unknown-instrument"),
    ],
)
def test_score_cli_bad_input_exits_2_with_one_line(
    tmp_path: Path, instrument: str, responses: list[Any], needle: str
) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(responses))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from painpath.cli import main; main()",
            "score",
            instrument,
            "--answers",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert result.stdout == ""
