"""Medicines JSON API, including who may do what."""

from __future__ import annotations

from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from tests.conftest import World, api_login
from tests.medication.conftest import add_pharmacist
from tests.medication.test_medication_services import TODAY


def test_api_prescribe_review_and_override(
    app_client: TestClient, world: World, container: Container
) -> None:
    add_pharmacist(container, world)
    doctor = api_login(app_client, world, "outsider")  # Ben's physician (Team B)
    renal = app_client.post(
        f"/api/v1/patients/{world.ben}/medication/renal",
        headers=doctor,
        json={"weight_kg": 82, "serum_creatinine_mg_dl": 1.6, "measured_on": TODAY.isoformat()},
    )
    assert renal.status_code == 201, renal.text
    for drug, dose, times in (("oxycodone", 10, 3), ("diazepam", 5, 2), ("gabapentin", 300, 3)):
        created = app_client.post(
            f"/api/v1/patients/{world.ben}/medication/orders",
            headers=doctor,
            json={
                "drug": drug,
                "dose_mg": dose,
                "times_per_day": times,
                "reason": "long-standing regimen",
                "start_on": TODAY.isoformat(),
            },
        )
        assert created.status_code == 201, created.text
    pharmacist = api_login(app_client, world, "sam")
    review = app_client.get(f"/api/v1/patients/{world.ben}/medication", headers=pharmacist)
    assert review.status_code == 200
    body = review.json()
    assert body["mme_per_day"] == 45  # oxycodone 30 mg/day x 1.5
    finding = next(f for f in body["findings"] if f["code"] == "opioid-benzodiazepine")
    assert finding["severity"] == "major" and finding["source"]
    bad = app_client.post(
        f"/api/v1/medication/findings/{finding['id']}/response",
        headers=pharmacist,
        json={"decision": "override", "reason": "no"},
    )
    assert bad.status_code == 422
    ok = app_client.post(
        f"/api/v1/medication/findings/{finding['id']}/response",
        headers=pharmacist,
        json={"decision": "override", "reason": "Taper plan agreed with the GP"},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "overridden"
    # The physician in another team cannot answer it; a stranger learns nothing.
    stranger = api_login(app_client, world, "drbo")
    denied = app_client.post(
        f"/api/v1/medication/findings/{finding['id']}/response",
        headers=stranger,
        json={"decision": "acknowledge", "reason": "looks fine to me"},
    )
    assert denied.status_code == 404


def test_api_preview_caps_and_extra_fields_are_refused(
    app_client: TestClient, world: World
) -> None:
    doctor = api_login(app_client, world, "drbo")
    app_client.post(
        f"/api/v1/patients/{world.ada}/medication/renal",
        headers=doctor,
        json={"weight_kg": 82, "serum_creatinine_mg_dl": 2.0, "measured_on": TODAY.isoformat()},
    )
    preview = app_client.post(
        f"/api/v1/patients/{world.ada}/medication/schedule-preview",
        headers=doctor,
        json={
            "drug": "pregabalin",
            "target_daily_dose_mg": 600,
            "start_on": TODAY.isoformat(),
            "sessions": [{"at": "10:00"}],
        },
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["is_capped"] is True
    assert body["target_daily_dose_mg"] == 300
    assert max(s["daily_dose_mg"] for s in body["steps"]) == 300
    extra = app_client.post(
        f"/api/v1/patients/{world.ada}/medication/schedule-preview",
        headers=doctor,
        json={"drug": "pregabalin", "target_daily_dose_mg": 300, "start_on": "2026-03-02", "x": 1},
    )
    assert extra.status_code == 422


def test_api_roles(app_client: TestClient, world: World) -> None:
    order = {
        "drug": "duloxetine",
        "dose_mg": 30,
        "times_per_day": 1,
        "reason": "neuropathic pain and low mood",
        "start_on": TODAY.isoformat(),
    }
    physio = api_login(app_client, world, "tom")
    assert (
        app_client.post(
            f"/api/v1/patients/{world.ada}/medication/orders", headers=physio, json=order
        ).status_code
        == 403
    )
    assert (
        app_client.get(f"/api/v1/patients/{world.ada}/medication", headers=physio).status_code
        == 200
    )
    doctor = api_login(app_client, world, "drbo")
    created = app_client.post(
        f"/api/v1/patients/{world.ada}/medication/orders", headers=doctor, json=order
    )
    assert created.status_code == 201
    patient = api_login(app_client, world, "ada")
    calendar = app_client.get(f"/api/v1/patients/{world.ada}/medication/calendar", headers=patient)
    assert calendar.status_code == 200
    assert calendar.json()["medicines"][0]["purpose"] == "Calms nerve pain and can lift mood"
    assert (
        app_client.get(f"/api/v1/patients/{world.ada}/medication", headers=patient).status_code
        == 403
    )
    assert (
        app_client.post(
            f"/api/v1/medication/orders/{created.json()['id']}/stop",
            headers=patient,
            json={"reason": "I want to stop it"},
        ).status_code
        == 403
    )
    side = app_client.post(
        f"/api/v1/patients/{world.ada}/medication/side-effects",
        headers=patient,
        json={
            "drug": "duloxetine",
            "effect": "Nausea",
            "severity": "mild",
            "noted_on": "2026-03-01",
        },
    )
    assert side.status_code == 201, side.text


def test_api_trial_check(app_client: TestClient, world: World) -> None:
    doctor = api_login(app_client, world, "drbo")
    created = app_client.post(
        f"/api/v1/patients/{world.ada}/medication/orders",
        headers=doctor,
        json={
            "drug": "duloxetine",
            "dose_mg": 60,
            "times_per_day": 1,
            "reason": "neuropathic pain and low mood",
            "start_on": "2026-01-19",
        },
    )
    assert created.status_code == 201, created.text
    trial = app_client.post(
        f"/api/v1/medication/orders/{created.json()['id']}/trial",
        headers=doctor,
        json={"measure": "peg", "baseline_score": 8, "current_score": 5},
    )
    assert trial.status_code == 200, trial.text
    # (8 - 5) / 8 = 37.5 % after 6 weeks at target (of 4): continue.
    assert (trial.json()["decision"], trial.json()["pain_reduction_percent"]) == ("continue", 37.5)
    outsider = api_login(app_client, world, "outsider")
    assert (
        app_client.post(
            f"/api/v1/medication/orders/{created.json()['id']}/trial",
            headers=outsider,
            json={"measure": "peg", "baseline_score": 8, "current_score": 5},
        ).status_code
        == 404
    )
