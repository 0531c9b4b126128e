"""Rehab JSON API: who may do what, idempotent logs, pacing and GMI over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World, api_login

PROGRAMME: dict[str, Any] = {
    "phase": "phase_1_calm",
    "sessions_per_week": 7,
    "reason": "Phase 1 after assessment",
    "profile": {"has_allodynia": True, "focus_regions": ["shoulder"]},
    "items": [
        {"exercise_id": "relax-belly-breathing-sitting", "duration_min": 5, "rpe_target": 1},
        {"exercise_id": "mob-shoulder-pendulum", "sets": 2, "reps": 10, "rpe_target": 2},
        {"exercise_id": "desens-soft-cloth", "duration_min": 3, "rpe_target": 2},
    ],
}


def _log(key: str = "api-log-0001", **changes: Any) -> dict[str, Any]:
    return {
        "performed_on": "2026-03-02",
        "minutes": 15,
        "pain_before_nrs": 4,
        "pain_after_nrs": 4,
        "rpe": 3,
        "idempotency_key": key,
        "exercise_ids": ["mob-shoulder-pendulum"],
        **changes,
    }


@pytest.fixture
def programme(app_client: TestClient, world: World) -> dict[str, Any]:
    tom = api_login(app_client, world, "tom")
    response = app_client.put(
        f"/api/v1/patients/{world.ada}/rehab/programme", headers=tom, json=PROGRAMME
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_physio_sets_programme_and_everyone_on_the_team_reads_it(
    app_client: TestClient, world: World, programme: dict[str, Any]
) -> None:
    assert programme["version"] == 1
    assert [i["exercise_id"] for i in programme["items"]] == [
        i["exercise_id"] for i in PROGRAMME["items"]
    ]
    for key in ("drbo", "lena", "ada"):
        got = app_client.get(
            f"/api/v1/patients/{world.ada}/rehab/programme",
            headers=api_login(app_client, world, key),
        )
        assert got.status_code == 200 and got.json()["id"] == programme["id"], key


@pytest.mark.parametrize(
    ("key", "code"),
    [
        pytest.param("ada", 403, id="patient-reads-only"),
        pytest.param("drbo", 403, id="physician-reads-only"),
        pytest.param("lena", 403, id="coordinator-reads-only"),
        pytest.param("outsider", 404, id="outside-team"),
    ],
)
def test_only_the_physio_writes_the_programme(
    app_client: TestClient, world: World, key: str, code: int
) -> None:
    response = app_client.put(
        f"/api/v1/patients/{world.ada}/rehab/programme",
        headers=api_login(app_client, world, key),
        json=PROGRAMME,
    )
    assert response.status_code == code, response.text


def test_patient_logs_a_session_and_a_retry_is_not_duplicated(
    app_client: TestClient, world: World, programme: dict[str, Any]
) -> None:
    ada = api_login(app_client, world, "ada")
    url = f"/api/v1/patients/{world.ada}/rehab/logs"
    first = app_client.post(url, headers=ada, json=_log())
    retry = app_client.post(url, headers=ada, json=_log())
    assert first.status_code == retry.status_code == 201
    assert (first.json()["was_duplicate"], retry.json()["was_duplicate"]) == (False, True)
    assert first.json()["adherence"]["done"] == 1
    logs = app_client.get(url, headers=api_login(app_client, world, "tom")).json()
    assert len(logs) == 1 and logs[0]["minutes"] == 15


def test_other_patients_and_non_physio_staff_cannot_log(
    app_client: TestClient, world: World, programme: dict[str, Any]
) -> None:
    url = f"/api/v1/patients/{world.ada}/rehab/logs"
    as_ben = app_client.post(url, headers=api_login(app_client, world, "ben"), json=_log())
    as_doctor = app_client.post(url, headers=api_login(app_client, world, "drbo"), json=_log())
    assert (as_ben.status_code, as_doctor.status_code) == (404, 403)


def test_log_validation_rejects_out_of_range_pain(
    app_client: TestClient, world: World, programme: dict[str, Any]
) -> None:
    response = app_client.post(
        f"/api/v1/patients/{world.ada}/rehab/logs",
        headers=api_login(app_client, world, "ada"),
        json=_log(pain_after_nrs=11),
    )
    assert response.status_code == 422


def test_pacing_plan_and_status(
    app_client: TestClient, world: World, programme: dict[str, Any]
) -> None:
    tom = api_login(app_client, world, "tom")
    plan = app_client.put(
        f"/api/v1/patients/{world.ada}/rehab/pacing",
        headers=tom,
        json={
            "activity": "Home exercise session",
            "target": 30,
            "usual_pain_nrs": 4,
            "start_on": "2026-03-02",
            "tolerances": [20, 15, 25],
        },
    )
    assert plan.status_code == 200, plan.text
    # mean 20 -> 80% = 16 a day to start; +2 (10% of 20) a week up to 30.
    body = plan.json()
    assert body["quota_today"] == "16" or float(body["quota_today"]) == 16
    assert [float(s["quota"]) for s in body["schedule"]][:3] == [16, 18, 20]
    ada = api_login(app_client, world, "ada")
    red = app_client.post(
        f"/api/v1/patients/{world.ada}/rehab/logs",
        headers=ada,
        json=_log("api-red-0001", pain_before_nrs=5, pain_after_nrs=8),
    ).json()
    assert red["pacing"]["light"] == "red"
    assert "rehab-flare" in red["alerts_raised"]


def test_gmi_test_over_the_api(app_client: TestClient, world: World) -> None:
    trials = [
        {"shown": "left", "answer": "left", "reaction_time_ms": 1200, "rotation_deg": 90},
        {"shown": "right", "answer": None, "reaction_time_ms": 6000},
    ]
    response = app_client.post(
        f"/api/v1/patients/{world.ada}/rehab/gmi-tests",
        headers=api_login(app_client, world, "ada"),
        json={"limb": "hand", "affected_side": "right", "trials": trials},
    )
    assert response.status_code == 201, response.text
    # 1 of 2 correct = 50.0%; mean RT over answered trials only = 1200; right side 0 of 1.
    got = response.json()
    assert (got["correct"], float(got["accuracy_pct"]), float(got["mean_rt_ms"])) == (1, 50, 1200)
    assert float(got["affected_accuracy_pct"]) == 0


def test_library_is_filterable(app_client: TestClient, world: World) -> None:
    tom = api_login(app_client, world, "tom")
    rows = app_client.get(
        "/api/v1/rehab/exercises?category=desensitisation&region=hand_wrist", headers=tom
    ).json()
    assert rows and all(r["category"] == "desensitisation" for r in rows)
    assert {r["body_region"] for r in rows} == {"hand_wrist"}
