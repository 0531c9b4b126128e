"""Assessment pages through the web routes: fill, HTMX save, finish, clinician and coordinator views."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from tests.conftest import World, web_login


def _start(client: TestClient, world: World, csrf: str, code: str) -> str:
    response = client.post(
        f"/patients/{world.ada}/assessments",
        data={"csrf_token": csrf, "instrument_code": code},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_assessment_page_patient_fills_with_htmx_and_finishes(
    app_client: TestClient, world: World, container: Container
) -> None:
    csrf = web_login(app_client, world, "ada")
    url = _start(app_client, world, csrf, "phq-9")
    page = app_client.get(url)
    assert page.status_code == 200
    assert "Interest/pleasure" in page.text and "Licence" in page.text
    saved = app_client.post(
        f"{url}/answers",
        data={"phq-9-9": "several-days"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert saved.status_code == 200
    assert "Saved" in saved.text and "1 of 9" in saved.text
    assert "Samaritans" in saved.text  # crisis resources shown to the patient at once
    for n in range(1, 9):
        app_client.post(f"{url}/answers", data={"csrf_token": csrf, f"phq-9-{n}": "not-at-all"})
    done = app_client.post(f"{url}/complete", data={"csrf_token": csrf})
    assert done.status_code == 200 and "Thank you" in done.text

    doctor = TestClient(app_client.app)
    web_login(doctor, world, "drbo")
    listing = doctor.get(f"/patients/{world.ada}/assessments")
    assert "URGENT: safety item" in listing.text
    detail = doctor.get(url)
    # total = 8 x 0 + 1 = 1 -> minimal band, but item 9 makes it urgent
    assert re.search(r'big-number">1<', detail.text)
    assert "minimal" in detail.text and "Kroenke" in detail.text
    assert "0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 1 = 1" in detail.text  # the working, from answers
    overview = doctor.get(f"/patients/{world.ada}")
    assert "PHQ-9 1 (minimal), URGENT safety item" in overview.text


def test_assessment_page_finishing_early_names_missing_items(
    app_client: TestClient, world: World
) -> None:
    csrf = web_login(app_client, world, "ada")
    url = _start(app_client, world, csrf, "peg")
    app_client.post(f"{url}/answers", data={"csrf_token": csrf, "peg-1": "6"})
    response = app_client.post(f"{url}/complete", data={"csrf_token": csrf})
    assert response.status_code == 422
    assert "answer every question before finishing: 2, 3" in response.text
    assert 'value="6" checked' in response.text  # nothing typed is lost


def test_assessment_page_coordinator_sees_status_and_assigns_bundle(
    app_client: TestClient, world: World
) -> None:
    csrf = web_login(app_client, world, "lena")
    response = app_client.post(
        f"/patients/{world.ada}/assessments/bundles",
        data={"csrf_token": csrf, "bundle_code": "referral", "due_on": "2026-03-09"},
    )
    assert response.status_code == 200 and "Bundle assigned" in response.text
    assert response.text.count('class="todo-item') == 9
    assert "Answers and rule" not in response.text
    overview = app_client.get(f"/patients/{world.ada}")
    assert "9 questionnaires open" in overview.text


def test_assessment_page_worklist_for_coordinator(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "lena")
    app_client.post(
        f"/patients/{world.ada}/assessments/bundles",
        data={"csrf_token": csrf, "bundle_code": "weekly", "due_on": "2026-03-01"},
    )
    page = app_client.get("/assessments/due?show=overdue")
    assert page.status_code == 200
    assert "Ada Moreno" in page.text and "overdue" in page.text and "0 of 2 done" in page.text
