"""Bad input gets a 4xx problem+json with a useful message, never a 500 or a partial write."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from painpath.bootstrap import Container
from painpath.records.models import Injury, Patient
from tests.conftest import World, api_login

VALID: dict[str, Any] = {
    "given_name": "Cara",
    "family_name": "Nwosu",
    "born_on": "1990-04-01",
    "sex": "female",
    "care_team_id": 0,
    "timezone": "Europe/London",
    "injuries": [
        {"mechanism": "Fall", "injured_on": "2025-02-01", "body_region": "Wrist", "side": "left"}
    ],
}


def body(world: World, **changes: Any) -> dict[str, Any]:
    return {**VALID, "care_team_id": world.team_a, **changes}


def counts(container: Container) -> tuple[int, int]:
    with container.uow() as uow:
        patients = uow.session.scalar(select(func.count()).select_from(Patient)) or 0
        injuries = uow.session.scalar(select(func.count()).select_from(Injury)) or 0
    return patients, injuries


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"shoe_size": 42}, "shoe_size", id="unknown-field"),
        pytest.param({"born_on": "31/12/1990"}, "born_on", id="bad-date"),
        pytest.param({"born_on": "1990-02-30"}, "born_on", id="impossible-date"),
        pytest.param({"sex": "yes"}, "sex", id="bad-enum"),
        pytest.param({"care_team_id": "abc"}, "care_team_id", id="wrong-type"),
        pytest.param({"given_name": ""}, "given_name", id="empty-name"),
        pytest.param({"injuries": [{"mechanism": "Fall"}]}, "injuries", id="incomplete-injury"),
    ],
)
def test_errors_invalid_patient_body_is_422_problem_and_writes_nothing(
    app_client: TestClient, world: World, container: Container, changes: dict[str, Any], field: str
) -> None:
    headers = api_login(app_client, world, "drbo")
    before = counts(container)
    response = app_client.post("/api/v1/patients", headers=headers, json=body(world, **changes))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == 422 and field in problem["detail"]
    assert counts(container) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"timezone": "Mars/Olympus"}, "IANA", id="unknown-zone"),
        pytest.param({"born_on": "2099-01-01"}, "born_on", id="future-birth"),
        pytest.param(
            {
                "injuries": [
                    {
                        "mechanism": "Fall",
                        "injured_on": "2025-02-01",
                        "body_region": " ",
                        "side": "left",
                    }
                ]
            },
            "body_region",
            id="blank-region-after-strip",
        ),
    ],
)
def test_errors_rule_violations_are_422_and_roll_back(
    app_client: TestClient,
    world: World,
    container: Container,
    changes: dict[str, Any],
    message: str,
) -> None:
    headers = api_login(app_client, world, "drbo")
    before = counts(container)
    response = app_client.post("/api/v1/patients", headers=headers, json=body(world, **changes))
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]
    assert counts(container) == before


def test_errors_valid_registration_creates_patient_with_injury(
    app_client: TestClient, world: World, container: Container
) -> None:
    headers = api_login(app_client, world, "drbo")
    before = counts(container)
    response = app_client.post("/api/v1/patients", headers=headers, json=body(world))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["mrn"] == f"PP-{created['id']:06d}"
    assert counts(container) == (before[0] + 1, before[1] + 1)


def test_errors_oversized_body_is_413(
    app_client: TestClient, world: World, container: Container
) -> None:
    headers = api_login(app_client, world, "drbo")
    huge = body(world, occupation="x" * (container.settings.max_body_bytes + 10))
    response = app_client.post("/api/v1/patients", headers=headers, json=huge)
    assert response.status_code == 413
    assert response.json()["title"] == "Payload Too Large"


def test_errors_malformed_json_is_422(app_client: TestClient, world: World) -> None:
    headers = {**api_login(app_client, world, "drbo"), "content-type": "application/json"}
    response = app_client.post("/api/v1/patients", headers=headers, content=b"{not json")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_errors_pagination_bounds_are_validated(app_client: TestClient, world: World) -> None:
    headers = api_login(app_client, world, "drbo")
    assert app_client.get("/api/v1/patients?limit=0", headers=headers).status_code == 422
    assert app_client.get("/api/v1/patients?limit=1000", headers=headers).status_code == 422
    page = app_client.get("/api/v1/patients?limit=1", headers=headers)
    assert page.status_code == 200 and page.json()["total"] == 1


def test_errors_unknown_route_is_problem_json(app_client: TestClient) -> None:
    response = app_client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_errors_openapi_document_lists_patient_routes(app_client: TestClient) -> None:
    spec = app_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/patients/{patient_id}" in spec["paths"]


def test_health_reports_database(app_client: TestClient) -> None:
    assert app_client.get("/health").json()["database"] == "ok"


def test_security_headers_on_pages_and_api(app_client: TestClient) -> None:
    for url in ("/login", "/api/v1/patients", "/health"):
        response = app_client.get(url)
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert len(response.headers["x-request-id"]) >= 8
