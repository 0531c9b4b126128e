"""Team notes, work and resources pages and the JSON API, through the app."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from painpath.services import resources
from painpath.services.resources import Need
from tests.conftest import World, api_login, context_for, web_login


def test_web_structured_note_form_writes_a_note(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "drbo")
    form = app_client.get(f"/patients/{world.ada}/team-notes?template=discharge")
    assert form.status_code == 200
    assert 'for="f-summary"' in form.text
    saved = app_client.post(
        f"/patients/{world.ada}/team-notes",
        data={
            "csrf_token": csrf,
            "template": "discharge",
            "f_summary": "Twelve weeks of care.",
            "f_outcomes": "PEG improved.",
            "f_ongoing": "Home programme.",
        },
    )
    assert saved.status_code == 200
    assert "Twelve weeks of care." in saved.text
    missing = app_client.post(
        f"/patients/{world.ada}/team-notes",
        data={"csrf_token": csrf, "template": "discharge", "f_summary": "x"},
    )
    assert missing.status_code == 422
    assert "Outcomes and goals met is required" in missing.text


def test_web_work_plan_and_report_flow(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "drbo")
    saved = app_client.post(
        f"/patients/{world.ada}/work",
        data={
            "csrf_token": csrf,
            "work_status": "off-work",
            "job_title": "Warehouse operative",
            "restrictions": "No lifting over 5 kg\nNo ladders",
            "demands": "Lifting: boxes",
            "w1_hours": "4",
            "w1_days": "3",
            "w1_duties": "Packing",
        },
    )
    assert saved.status_code == 200 and "No ladders" in saved.text
    drafted = app_client.post(
        f"/patients/{world.ada}/work/reports",
        data={
            "csrf_token": csrf,
            "recipient": "Insurer (demo)",
            "period_from": "2026-10-01",
            "period_to": "2026-11-26",
        },
    )
    assert drafted.status_code == 200 and "Waiting for the patient" in drafted.text
    report_id = int(re.search(r"/insurer-reports/(\d+)", str(drafted.url)).group(1))  # type: ignore[union-attr]
    blocked = app_client.get(f"/insurer-reports/{report_id}/pdf")
    assert blocked.status_code == 409


def test_api_patient_approves_then_staff_downloads(app_client: TestClient, world: World) -> None:
    doctor = api_login(app_client, world, "drbo")
    created = app_client.post(
        f"/api/v1/patients/{world.ada}/insurer-reports",
        headers=doctor,
        json={"recipient": "Insurer", "period_from": "2026-10-01", "period_to": "2026-11-26"},
    )
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    assert app_client.get(f"/api/v1/insurer-reports/{rid}/pdf", headers=doctor).status_code == 409
    ada = api_login(app_client, world, "ada")
    assert (
        app_client.post(
            f"/api/v1/insurer-reports/{rid}/decision", headers=doctor, json={"decision": "approve"}
        ).status_code
        == 403
    )
    decided = app_client.post(
        f"/api/v1/insurer-reports/{rid}/decision", headers=ada, json={"decision": "approve"}
    )
    assert decided.json()["state"] == "approved"
    pdf = app_client.get(f"/api/v1/insurer-reports/{rid}/pdf", headers=doctor)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ben = api_login(app_client, world, "ben")
    assert app_client.get(f"/api/v1/insurer-reports/{rid}/pdf", headers=ben).status_code == 404


def test_web_patient_sees_recommended_resource_in_plain_words(
    app_client: TestClient, world: World, container: Container
) -> None:
    with container.uow() as uow:
        rid = resources.add_resource(
            uow,
            context_for(container, world, "lena"),
            name="Peer Circle (demo)",
            plain_summary="A friendly group.",
            region="North",
            needs=[Need.SUPPORT_GROUP],
        )
    csrf = web_login(app_client, world, "lena")
    listing = app_client.get(f"/resources?need=support-group&patient={world.ada}")
    assert "Peer Circle (demo)" in listing.text
    app_client.post(
        f"/patients/{world.ada}/resources",
        data={"csrf_token": csrf, "resource_id": str(rid), "note": "Evenings"},
    )
    app_client.post("/logout", data={"csrf_token": csrf})
    web_login(app_client, world, "ada")
    page = app_client.get(f"/patients/{world.ada}/resources")
    assert "Suggested for you by your care team" in page.text
    assert "A friendly group." in page.text and "Evenings" in page.text
