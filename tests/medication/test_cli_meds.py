"""`painpath meds check|titrate` (issue 2 CLI contract). Expected values restated by hand."""

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
BEN = {
    "age": 67,
    "sex": "male",
    "weight_kg": 82,
    "serum_creatinine_mg_dl": 1.6,
    "conditions": ["chronic_kidney_disease"],
}


def check(tmp_path: Path, document: Any) -> tuple[int, Any]:
    path = tmp_path / "regimen.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(app, ["meds", "check", str(path)])
    if result.exit_code == 0:
        return 0, json.loads(result.stdout)
    return result.exit_code, result.output


def test_meds_check_ben_regimen_reports_crcl_mme_and_the_key_findings(tmp_path: Path) -> None:
    code, out = check(
        tmp_path,
        {
            "patient": BEN,
            "medications": [
                {"drug": "oxycodone", "dose_mg": 10, "times_per_day": 3},
                {"drug": "diazepam", "dose_mg": 5, "times_per_day": 2},
                {"drug": "gabapentin", "dose_mg": 600, "times_per_day": 3},
            ],
        },
    )
    assert code == 0, out
    # Cockcroft-Gault: (140 - 67) x 82 / (72 x 1.6) = 5986 / 115.2 = 51.961... -> 51.96
    assert out["creatinine_clearance_ml_min"] == 51.96
    # Oxycodone 30 mg/day x 1.5 (CDC 2022) = 45 MME/day
    assert out["mme_per_day"] == 45
    assert set(out) == {"creatinine_clearance_ml_min", "mme_per_day", "findings"}
    by_kind = {(f["kind"], tuple(f["drugs"])): f for f in out["findings"]}
    opioid_benzo = by_kind[("interaction", ("diazepam", "oxycodone"))]
    assert opioid_benzo["severity"] == "major"
    assert "FDA" in opioid_benzo["source"]
    # Gabapentin 1800 mg/day is above the Neurontin CrCl 30-59 maximum of 1400 mg/day.
    assert by_kind[("renal_dose", ("gabapentin",))]["severity"] == "major"
    assert ("naloxone", ("oxycodone",)) in by_kind
    for finding in out["findings"]:
        assert set(finding) == {"kind", "severity", "drugs", "message", "source"}
        assert finding["source"]


def test_meds_check_fentanyl_patch_uses_mcg_per_hr(tmp_path: Path) -> None:
    code, out = check(
        tmp_path,
        {
            "patient": {"age": 50, "sex": "female", "conditions": []},
            "medications": [{"drug": "fentanyl", "dose_mcg_per_hr": 25}],
        },
    )
    assert code == 0, out
    # 25 mcg/h x 2.4 (CDC 2022 transdermal factor) = 60 MME/day; no weight -> no CrCl.
    assert out["mme_per_day"] == 60
    assert out["creatinine_clearance_ml_min"] is None
    assert "mme_threshold" in {f["kind"] for f in out["findings"]}


def test_meds_check_empty_regimen_has_no_findings(tmp_path: Path) -> None:
    code, out = check(tmp_path, {"patient": {"age": 40, "sex": "female"}, "medications": []})
    assert code == 0, out
    assert out == {"creatinine_clearance_ml_min": None, "mme_per_day": 0, "findings": []}


BAD_CHECK_INPUTS = [
    pytest.param(
        {
            "patient": BEN,
            "medications": [{"drug": "unobtainium", "dose_mg": 1, "times_per_day": 1}],
        },
        "unobtainium",
        id="unknown-drug",
    ),
    pytest.param({"patient": {"sex": "male"}, "medications": []}, "age", id="missing-age"),
    pytest.param({"patient": {"age": 40}, "medications": []}, "sex", id="missing-sex"),
    pytest.param({"patient": BEN}, "medications", id="missing-medications"),
    pytest.param(
        {"patient": BEN, "medications": [{"dose_mg": 1, "times_per_day": 1}]},
        "drug",
        id="missing-drug",
    ),
    pytest.param(
        {"patient": BEN, "medications": [{"drug": "gabapentin", "times_per_day": 3}]},
        "dose_mg",
        id="missing-dose",
    ),
    pytest.param(
        {"patient": BEN, "medications": [{"drug": "fentanyl", "dose_mg": 10, "times_per_day": 1}]},
        "dose_mcg_per_hr",
        id="patch-without-mcg-per-hr",
    ),
    pytest.param(
        {
            "patient": BEN,
            "medications": [{"drug": "gabapentin", "dose_mg": -300, "times_per_day": 3}],
        },
        "dose_mg",
        id="negative-dose",
    ),
    pytest.param({"patient": {**BEN, "age": 400}, "medications": []}, "age", id="age-400"),
    pytest.param({"patient": {**BEN, "weight_kg": -70}, "medications": []}, "weight", id="weight"),
    pytest.param({"patient": {**BEN, "sex": "x"}, "medications": []}, "sex", id="sex-unknown"),
    pytest.param({"patient": {**BEN, "age": "old"}, "medications": []}, "age", id="age-text"),
    pytest.param([], "object", id="not-an-object"),
]


@pytest.mark.parametrize(("document", "names"), BAD_CHECK_INPUTS)
def test_meds_check_bad_input_exits_2_with_one_line(
    tmp_path: Path, document: Any, names: str
) -> None:
    code, out = check(tmp_path, document)
    assert code == 2
    assert isinstance(out, str)
    assert len(out.strip().splitlines()) == 1, out
    assert names in out


def titrate(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["meds", "titrate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_meds_titrate_pregabalin_normal_renal_function_reaches_target() -> None:
    code, stdout, _ = titrate("pregabalin", "--target-mg-per-day", "300")
    assert code == 0, stdout
    rows = json.loads(stdout)
    assert [r["day"] for r in rows] == list(range(1, len(rows) + 1))
    assert {"day", "dose_mg", "times_per_day"} <= set(rows[0])
    # Lyrica label: start 150 mg/day (75 mg BID); 300 mg/day within 1 week.
    assert (rows[0]["dose_mg"], rows[0]["times_per_day"]) == (75, 2)
    assert rows[-1]["dose_mg"] * rows[-1]["times_per_day"] == 300


@pytest.mark.parametrize(
    ("crcl", "renal_max_mg_per_day"),
    [
        # Lyrica §2.7 table: CrCl >= 60 -> 600; 30-60 -> 300; 15-30 -> 150; < 15 -> 75 mg/day.
        pytest.param("60", 600, id="crcl-60-normal"),
        pytest.param("59.9", 300, id="crcl-just-below-60"),
        pytest.param("30", 300, id="crcl-30"),
        pytest.param("29", 150, id="crcl-29"),
        pytest.param("14", 75, id="crcl-14"),
    ],
)
def test_meds_titrate_caps_at_renal_maximum_with_a_warning(
    crcl: str, renal_max_mg_per_day: int
) -> None:
    code, stdout, stderr = titrate("pregabalin", "--target-mg-per-day", "600", "--crcl", crcl)
    assert code == 0, stderr
    rows = json.loads(stdout)
    daily = [r["dose_mg"] * r["times_per_day"] for r in rows]
    assert max(daily) == renal_max_mg_per_day
    assert all(r["daily_dose_mg"] <= renal_max_mg_per_day for r in rows)
    if renal_max_mg_per_day < 600:
        assert "capped" in stderr


@pytest.mark.parametrize(
    ("args", "status", "names"),
    [
        pytest.param(["unobtainium", "--target-mg-per-day", "10"], 2, "unobtainium", id="unknown"),
        pytest.param(["pregabalin", "--target-mg-per-day", "-5"], 2, "target", id="negative"),
        pytest.param(["pregabalin", "--target-mg-per-day", "0"], 2, "target", id="zero"),
        pytest.param(
            ["pregabalin", "--target-mg-per-day", "300", "--crcl", "-1"], 2, "crcl", id="crcl-neg"
        ),
        pytest.param(
            ["pregabalin", "--target-mg-per-day", "300", "--crcl", "5000"], 2, "crcl", id="crcl-big"
        ),
        # Strong opioids have no titration rule: painpath never auto-suggests those doses.
        pytest.param(["oxycodone", "--target-mg-per-day", "30"], 1, "oxycodone", id="no-rule"),
        # Duloxetine: avoid below CrCl 30 (Cymbalta label) -> refused, not capped.
        pytest.param(
            ["duloxetine", "--target-mg-per-day", "60", "--crcl", "20"], 1, "avoid", id="avoid"
        ),
    ],
)
def test_meds_titrate_refuses_bad_input(args: list[str], status: int, names: str) -> None:
    code, stdout, stderr = titrate(*args)
    assert code == status
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1
    assert names in stderr


def _painpath(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from painpath.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("document", "names"),
    [
        pytest.param(
            {"patient": BEN, "medications": [{"drug": "nope", "dose_mg": 1, "times_per_day": 1}]},
            "nope",
            id="unknown-drug",
        ),
        pytest.param({"patient": {"age": 40}, "medications": []}, "sex", id="missing-field"),
        pytest.param({"patient": {**BEN, "age": 400}, "medications": []}, "age", id="age-400"),
        pytest.param(
            {
                "patient": BEN,
                "medications": [{"drug": "gabapentin", "dose_mg": -1, "times_per_day": 1}],
            },
            "dose_mg",
            id="negative-dose",
        ),
    ],
)
def test_meds_check_process_exit_status_2_and_one_line(
    tmp_path: Path, document: Any, names: str
) -> None:
    path = tmp_path / "regimen.json"
    path.write_text(json.dumps(document))
    result = _painpath("meds", "check", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert names in result.stderr


def test_meds_process_unknown_drug_for_titrate_and_good_check(tmp_path: Path) -> None:
    bad = _painpath("meds", "titrate", "nope", "--target-mg-per-day", "100")
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1
    path = tmp_path / "regimen.json"
    path.write_text(json.dumps({"patient": BEN, "medications": []}))
    good = _painpath("meds", "check", str(path))
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["creatinine_clearance_ml_min"] == 51.96
