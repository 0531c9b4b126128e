"""Rehab pages through the web client: editor operations, home programme log form, PDF, GMI."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World, web_login

ARTIFACTS = Path("test-artifacts")


def _editor_form(page: str) -> dict[str, list[str]]:
    """The editor's current draft as the browser would post it (hidden ids + dosage fields)."""
    fields: dict[str, list[str]] = {}
    for name in ("item_exercise_id", "item_sets", "item_reps", "item_hold_s", "item_duration_min"):
        fields[name] = re.findall(rf'name="{name}"[^>]*value="([^"]*)"', page)
    fields["item_rpe"] = ["2"] * len(fields["item_exercise_id"])
    fields["item_note"] = [""] * len(fields["item_exercise_id"])
    return fields


def _build(app_client: TestClient, world: World) -> str:
    csrf = web_login(app_client, world, "tom")
    page = app_client.get(f"/patients/{world.ada}/rehab/edit")
    assert page.status_code == 200
    draft = _editor_form(page.text)
    assert draft["item_exercise_id"], "the builder suggests a phase-1 draft"
    first, second = draft["item_exercise_id"][:2]
    moved = app_client.post(
        f"/patients/{world.ada}/rehab/edit",
        data={"csrf_token": csrf, "phase": "phase_1_calm", "op": "up:2", **draft},
    )
    assert moved.status_code == 200
    assert _editor_form(moved.text)["item_exercise_id"][:2] == [second, first]
    assert "Moved" in moved.text
    saved = app_client.post(
        f"/patients/{world.ada}/rehab/edit",
        data={
            "csrf_token": csrf,
            "phase": "phase_1_calm",
            "sessions_per_week": "7",
            "reason": "Phase 1 start",
            "op": "save",
            **_editor_form(moved.text),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    return second


def test_physio_reorders_and_saves_the_programme(app_client: TestClient, world: World) -> None:
    first_now = _build(app_client, world)
    page = app_client.get(f"/patients/{world.ada}/rehab")
    assert "version 1" in page.text
    assert "Programme history (1 version)" in page.text and "Phase 1 start" in page.text
    assert "Edit programme" in page.text
    ids = re.findall(
        r'name="item_exercise_id" value="([^"]+)"',
        app_client.get(f"/patients/{world.ada}/rehab/edit").text,
    )
    assert ids[0] == first_now


def test_save_without_a_reason_keeps_the_draft(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "tom")
    draft = _editor_form(app_client.get(f"/patients/{world.ada}/rehab/edit").text)
    response = app_client.post(
        f"/patients/{world.ada}/rehab/edit",
        data={"csrf_token": csrf, "phase": "phase_1_calm", "op": "save", "reason": "", **draft},
    )
    assert response.status_code == 422
    assert "say why" in response.text
    assert _editor_form(response.text)["item_exercise_id"] == draft["item_exercise_id"]


def test_patient_logs_from_the_home_page_and_sees_it_counted(
    app_client: TestClient, world: World
) -> None:
    _build(app_client, world)
    app_client.cookies.clear()
    csrf = web_login(app_client, world, "ada")
    home = app_client.get(f"/patients/{world.ada}/rehab")
    assert "Today&#39;s exercises" in home.text or "Today's exercises" in home.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', home.text)
    assert key is not None
    data = {
        "csrf_token": csrf,
        "idempotency_key": key.group(1),
        "minutes": "14",
        "pain_before": "4",
        "pain_after": "5",
        "rpe": "3",
    }
    for _ in range(2):  # a double submit stores one session
        saved = app_client.post(f"/patients/{world.ada}/rehab/logs", data=data)
        assert saved.status_code == 200
    assert "Logged today: 1 session, 14 min" in saved.text
    assert "Saved. Your session is counted" in saved.text
    overview = app_client.get(f"/patients/{world.ada}")
    assert "Adherence 100.0% (1 of 1 sessions" in overview.text


def test_programme_pdf_has_the_exercises(app_client: TestClient, world: World) -> None:
    _build(app_client, world)
    response = app_client.get(f"/patients/{world.ada}/rehab/programme.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "rehab-programme.pdf"
    pdf.write_bytes(response.content)
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "My home exercise programme" in text
    assert "Ada Moreno" in text
    assert "Phase 1: calm the system" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(ARTIFACTS / "rehab-pdf"),
        ],
        check=True,
    )


def test_gmi_page_and_editor_are_refused_to_the_wrong_people(
    app_client: TestClient, world: World
) -> None:
    web_login(app_client, world, "ada")
    assert app_client.get(f"/patients/{world.ada}/rehab/gmi").status_code == 200
    assert app_client.get(f"/patients/{world.ada}/rehab/edit").status_code == 403
    assert app_client.get(f"/patients/{world.ben}/rehab").status_code == 404


def test_editor_survives_tampered_exercise_codes(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "tom")
    draft = _editor_form(app_client.get(f"/patients/{world.ada}/rehab/edit").text)
    common = {"csrf_token": csrf, "phase": "phase_1_calm", "has_allodynia": "1"}
    added = app_client.post(
        f"/patients/{world.ada}/rehab/edit", data={**common, "op": "add:no-such", **draft}
    )
    assert added.status_code == 200
    assert "not in the library" in added.text
    assert 'name="has_allodynia" value="1" checked' in added.text  # the profile is kept
    forged = {**draft, "item_exercise_id": [*draft["item_exercise_id"][:-1], "forged-id"]}
    kept = app_client.post(
        f"/patients/{world.ada}/rehab/edit", data={**common, "op": "refresh", **forged}
    )
    assert kept.status_code == 422
    assert "unknown exercise was left out" in kept.text


def test_a_partly_done_session_is_logged_as_not_completed(
    app_client: TestClient, world: World
) -> None:
    _build(app_client, world)
    app_client.cookies.clear()
    csrf = web_login(app_client, world, "ada")
    home = app_client.get(f"/patients/{world.ada}/rehab")
    assert "Did you finish the session?" in home.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', home.text)
    assert key is not None
    app_client.post(
        f"/patients/{world.ada}/rehab/logs",
        data={
            "csrf_token": csrf,
            "idempotency_key": key.group(1),
            "is_completed": "0",
            "minutes": "6",
            "pain_before": "5",
            "pain_after": "6",
            "rpe": "4",
        },
    )
    logs = app_client.get(
        f"/api/v1/patients/{world.ada}/rehab/logs", headers={"X-CSRF-Token": csrf}
    ).json()
    assert [(log["is_completed"], log["minutes"]) for log in logs] == [(False, 6)]
