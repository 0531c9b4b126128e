"""Exposure pages and API through the app: the psychologist builds a hierarchy, the patient
records a trial on her page, the physio sets desensitisation and GMI; refusals are audited."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import World, api_login, web_login


def test_api_round_trip(app_client: TestClient, team: World) -> None:
    priya = api_login(app_client, team, "priya")
    body = {
        "activities": [
            {"label": "Lifting my daughter", "fear": 80},
            {"label": "Carrying boxes", "fear": 55},
        ],
        "tsk11": 31,
        "pcs": 33,
    }
    r = app_client.put(f"/api/v1/patients/{team.ada}/exposure/hierarchy", json=body, headers=priya)
    assert r.status_code == 200, r.text
    assert r.json()["current"]["activity_id"] == "carrying-boxes"
    ada = api_login(app_client, team, "ada")
    trial = {
        "activity_id": "carrying-boxes",
        "performed_on": "2026-03-01",
        "predicted_fear": 60,
        "actual_fear": 35,
        "predicted_pain_nrs": 6,
        "actual_pain_nrs": 4,
    }
    r = app_client.post(f"/api/v1/patients/{team.ada}/exposure/trials", json=trial, headers=ada)
    assert r.status_code == 201, r.text
    assert r.json()["trials"][0]["fear_disconfirmation"] == 25  # 60 - 35
    assert r.json()["decision"]["action"] == "repeat"
    tom = api_login(app_client, team, "tom")
    plan = {"ratings": {"silk": 1, "terry-towel": 3, "corduroy": 6}}
    r = app_client.put(f"/api/v1/patients/{team.ada}/desensitisation/plan", json=plan, headers=tom)
    assert r.status_code == 200 and r.json()["current"]["stimulus_id"] == "terry-towel"
    r = app_client.post(
        f"/api/v1/patients/{team.ada}/gmi/stage",
        json={"choice": "start", "reason": "Allodynia, start GMI"},
        headers=tom,
    )
    assert r.status_code == 200 and r.json()["stage"] == "laterality"
    # The pharmacist is on the team but does not plan exposure; Ben is not Ada.
    sam = api_login(app_client, team, "sam")
    r = app_client.put(f"/api/v1/patients/{team.ada}/exposure/hierarchy", json=body, headers=sam)
    assert r.status_code == 403
    ben = api_login(app_client, team, "ben")
    r = app_client.post(f"/api/v1/patients/{team.ada}/exposure/trials", json=trial, headers=ben)
    assert r.status_code in (403, 404)


def test_pages_for_clinician_and_patient(app_client: TestClient, team: World) -> None:
    token = web_login(app_client, team, "priya")
    form = {"csrf_token": token, "label_0": "Riding pillion", "fear_0": "90"}
    form |= {"label_1": "Carrying boxes", "fear_1": "50"}
    r = app_client.post(f"/patients/{team.ada}/exposure/hierarchy", data=form)
    assert r.status_code == 200 and "Graded exposure" in r.text
    assert "Carrying boxes" in r.text and "Rule and source" in r.text
    bad = app_client.post(
        f"/patients/{team.ada}/exposure/hierarchy",
        data={"csrf_token": token, "label_0": "Boxes", "fear_0": "150"},
    )
    assert bad.status_code == 422 and "0 to 100" in bad.text
    app_client.post("/logout", data={"csrf_token": token})
    app_client.cookies.clear()
    token = web_login(app_client, team, "ada")
    page = app_client.get(f"/patients/{team.ada}/exposure")
    assert "Your step now" in page.text and "Carrying boxes" in page.text
    r = app_client.post(
        f"/patients/{team.ada}/exposure/trials",
        data={
            "csrf_token": token,
            "activity_id": "carrying-boxes",
            "predicted_fear": "70",
            "predicted_pain": "6",
            "actual_fear": "40",
            "actual_pain": "5",
        },
    )
    assert r.status_code == 200 and "Saved" in r.text
    assert re.search(r"expected fear 70, really 40", r.text)
