"""The assessment JSON API: create, answer (idempotent PUT), complete, read, correct, access."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models_workflow import TaskRecord
from tests.conftest import World, api_login


def test_assessment_api_answer_complete_and_read(app_client: TestClient, world: World) -> None:
    ada = api_login(app_client, world, "ada")
    created = app_client.post(
        f"/api/v1/patients/{world.ada}/assessments", headers=ada, json={"instrument_code": "peg"}
    )
    assert created.status_code == 201, created.text
    aid = created.json()["status"]["id"]
    first = app_client.put(
        f"/api/v1/assessments/{aid}/answers/peg-1", headers=ada, json={"answer": 9}
    )
    again = app_client.put(
        f"/api/v1/assessments/{aid}/answers/peg-1", headers=ada, json={"answer": 9}
    )
    assert (first.json()["is_changed"], again.json()["is_changed"]) == (True, False)
    early = app_client.post(f"/api/v1/assessments/{aid}/complete", headers=ada)
    assert early.status_code == 422 and "2, 3" in early.json()["detail"]
    rest = app_client.post(
        f"/api/v1/assessments/{aid}/answers",
        headers=ada,
        json={"answers": {"peg-2": 5, "peg-3": "4"}},
    )
    assert rest.json()["answered"] == 3
    done = app_client.post(f"/api/v1/assessments/{aid}/complete", headers=ada)
    assert done.status_code == 200, done.text
    # (9 + 5 + 4) / 3 = 18 / 3 = 6
    assert done.json()["score"]["total"] == "6"
    assert done.json()["workings"]["total"] == "(9 + 5 + 4) / 3 = 6"
    locked = app_client.put(
        f"/api/v1/assessments/{aid}/answers/peg-1", headers=ada, json={"answer": 1}
    )
    assert locked.status_code == 409
    fixed = app_client.post(f"/api/v1/assessments/{aid}/corrections", headers=ada)
    assert fixed.status_code == 201 and fixed.json()["status"]["corrects_id"] == aid

    doctor = api_login(app_client, world, "drbo")
    listing = app_client.get(f"/api/v1/patients/{world.ada}/assessments", headers=doctor).json()
    assert listing["scores"][str(aid)]["total"] == "6"
    coordinator = api_login(app_client, world, "lena")
    status_only = app_client.get(f"/api/v1/assessments/{aid}", headers=coordinator).json()
    assert status_only["score"] is None
    assert all(i["answer_code"] is None for i in status_only["items"])


def test_assessment_api_rejects_bad_answers(app_client: TestClient, world: World) -> None:
    ada = api_login(app_client, world, "ada")
    aid = app_client.post(
        f"/api/v1/patients/{world.ada}/assessments", headers=ada, json={"instrument_code": "peg"}
    ).json()["status"]["id"]
    for link, body in (
        ("peg-1", {"answer": 11}),
        ("peg-7", {"answer": 1}),
        ("peg-1", {"answer": True}),
    ):
        response = app_client.put(
            f"/api/v1/assessments/{aid}/answers/{link}", headers=ada, json=body
        )
        assert response.status_code == 422, (link, body)
    unknown = app_client.post(
        f"/api/v1/patients/{world.ada}/assessments", headers=ada, json={"instrument_code": "xyz"}
    )
    assert unknown.status_code == 422


def test_assessment_api_phq9_item_9_creates_urgent_task_in_the_same_request(
    app_client: TestClient, world: World, container: Container
) -> None:
    lena = api_login(app_client, world, "lena")
    bundle = app_client.post(
        f"/api/v1/patients/{world.ada}/assessment-bundles",
        headers=lena,
        json={"bundle_code": "referral", "due_on": "2026-03-09"},
    )
    assert bundle.status_code == 201, bundle.text
    ada = api_login(app_client, world, "ada")
    listing = app_client.get(f"/api/v1/patients/{world.ada}/assessments", headers=ada).json()
    phq9 = next(a["id"] for a in listing["assessments"] if a["instrument_code"] == "phq-9")
    saved = app_client.put(
        f"/api/v1/assessments/{phq9}/answers/phq-9-9", headers=ada, json={"answer": 3}
    )
    assert saved.json()["has_safety_flag"] and len(saved.json()["alert_ids"]) == 1
    with container.uow() as uow:
        task = uow.session.scalars(select(TaskRecord)).one()
    assert (task.is_safety, task.owner_role) == (True, "physician")


def test_assessment_api_outsider_and_other_patient_get_404(
    app_client: TestClient, world: World
) -> None:
    ada = api_login(app_client, world, "ada")
    aid = app_client.post(
        f"/api/v1/patients/{world.ada}/assessments", headers=ada, json={"instrument_code": "peg"}
    ).json()["status"]["id"]
    for key in ("outsider", "ben"):
        headers = api_login(app_client, world, key)
        assert app_client.get(f"/api/v1/assessments/{aid}", headers=headers).status_code == 404
        put = app_client.put(
            f"/api/v1/assessments/{aid}/answers/peg-1", headers=headers, json={"answer": 1}
        )
        assert put.status_code == 404
    ben = api_login(app_client, world, "ben")
    other = app_client.post(
        f"/api/v1/patients/{world.ada}/assessments", headers=ben, json={"instrument_code": "peg"}
    )
    assert other.status_code == 404


def test_assessment_api_worklist(app_client: TestClient, world: World) -> None:
    lena = api_login(app_client, world, "lena")
    app_client.post(
        f"/api/v1/patients/{world.ada}/assessment-bundles",
        headers=lena,
        json={"bundle_code": "weekly", "due_on": "2026-03-02"},
    )
    due = app_client.get("/api/v1/assessments/due", headers=lena)
    assert due.status_code == 200
    assert [(d["patient_id"], d["open_count"], d["is_overdue"]) for d in due.json()] == [
        (world.ada, 2, False)
    ]
    ada = api_login(app_client, world, "ada")
    assert app_client.get("/api/v1/assessments/due", headers=ada).status_code == 403
