"""JSON API: the team edits the plan, the patient reads it in plain words and agrees."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import World, api_login


def test_careplan_api_goal_with_gas_then_patient_plain_view(
    app_client: TestClient, world: World
) -> None:
    doctor = api_login(app_client, world, "drbo")
    base = f"/api/v1/patients/{world.ada}/care-plan"
    created = app_client.post(
        base,
        headers=doctor,
        json={
            "priorities": ["lift my daughter"],
            "problems": [{"domain": "pain", "text": "burning right arm"}],
            "reason": "Drafted after intake",
        },
    )
    assert created.status_code == 201, created.text
    goal = app_client.post(
        f"{base}/goals",
        headers=doctor,
        json={
            "statement": "Lift my daughter",
            "horizon": "long",
            "weight": 3,
            "gas_levels": {"0": "Lifts 14 kg for 1 minute"},
            "target_text": "peg -30% from baseline",
            "reason": "Ada's priority",
        },
    )
    assert goal.status_code == 201, goal.text
    rated = app_client.post(
        f"{base}/goals/{goal.json()['id']}/rating",
        headers=doctor,
        json={"level": 1, "reason": "Review"},
    )
    assert rated.status_code == 204, rated.text
    plan = app_client.get(base, headers=doctor).json()
    # One goal at +1, weight 3: T = 50 + 10*3 / sqrt(0.7*9 + 0.3*9) = 50 + 30/3 = 60
    assert plan["gas"]["display"] == "60.0"
    assert [h["version"] for h in plan["history"]] == [3, 2, 1]
    assert plan["routing"]["rule_code"] == "default-start-self-management"

    ada = api_login(app_client, world, "ada")
    assert app_client.get(base, headers=ada).status_code == 403
    plain = app_client.get(f"{base}/plain", headers=ada).json()
    assert plain["goals"][0]["plain_text"] == "Lift my daughter."
    assert plain["history"] == [] and plain["routing"] is None
    assert app_client.post(f"{base}/agree", headers=ada, json={}).status_code == 204
    assert app_client.get(f"{base}/plain", headers=ada).json()["is_agreed"] is True
    # The patient cannot change the plan.
    refused = app_client.post(
        f"{base}/goals", headers=ada, json={"statement": "x", "horizon": "short", "reason": "mine"}
    )
    assert refused.status_code == 403


def test_careplan_api_rejects_unknown_fields_and_missing_reason(
    app_client: TestClient, world: World
) -> None:
    doctor = api_login(app_client, world, "drbo")
    base = f"/api/v1/patients/{world.ada}/care-plan"
    assert (
        app_client.post(base, headers=doctor, json={"reason": "ok ok", "x": 1}).status_code == 422
    )
    assert app_client.post(base, headers=doctor, json={}).status_code == 422


def test_careplan_api_visit_and_ics(app_client: TestClient, world: World) -> None:
    lena = api_login(app_client, world, "lena")
    url = f"/api/v1/patients/{world.ada}/visits"
    bad = app_client.post(
        url, headers=lena, json={"starts_at": "2026-03-09T09:30:00+00:00", "mode": "video"}
    )
    assert bad.status_code == 422 and "https" in bad.json()["detail"]
    ok = app_client.post(
        url,
        headers=lena,
        json={
            "starts_at": "2026-03-09T09:30:00+00:00",
            "mode": "video",
            "video_link": "https://video.example.org/ada",
            "purpose": "Week 8 review",
        },
    )
    assert ok.status_code == 201, ok.text
    ics = app_client.get(f"{url}.ics", headers=lena)
    assert ics.headers["content-type"].startswith("text/calendar")
    body = ics.text
    assert "DTSTART:20260309T093000Z" in body and "DTEND:20260309T100000Z" in body
    assert "LOCATION:https://video.example.org/ada" in body
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
