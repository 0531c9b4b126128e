"""Every route that names a patient refuses a clinician outside the care team, and audits it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.enums import AuditOutcome
from painpath.records.models import AuditEvent
from tests.conftest import World, api_login, web_login


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # routers included into the app
            yield from _api_routes(route.original_router.routes)


def patient_routes(client: TestClient) -> list[tuple[str, str]]:
    routes = []
    for route in _api_routes(client.app.routes):  # type: ignore[attr-defined]
        if "{patient_id}" in route.path:
            routes.extend((method, route.path) for method in sorted(route.methods))
    return routes


def test_rbac_there_are_patient_routes_to_check(app_client: TestClient) -> None:
    assert len(patient_routes(app_client)) >= 8


def _denied_events(container: Container, world: World) -> list[AuditEvent]:
    with container.uow() as uow:
        return list(
            uow.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.actor_id == world.users["outsider"],
                    AuditEvent.outcome == AuditOutcome.DENIED,
                    AuditEvent.patient_id == world.ada,
                )
            )
        )


def test_rbac_outsider_gets_404_on_every_api_patient_route_and_is_audited(
    app_client: TestClient, world: World, container: Container
) -> None:
    headers = api_login(app_client, world, "outsider")
    checked = 0
    for method, path in patient_routes(app_client):
        if not path.startswith("/api/"):
            continue
        before = len(_denied_events(container, world))
        url = path.replace("{patient_id}", str(world.ada))
        response = app_client.request(
            method, url, headers=headers, json={} if method in ("POST", "PUT", "PATCH") else None
        )
        assert response.status_code in (403, 404), (method, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Ada" not in response.text
        assert len(_denied_events(container, world)) == before + 1, (method, path)
        checked += 1
    assert checked >= 6


def test_rbac_outsider_gets_404_on_every_web_patient_route(
    app_client: TestClient, world: World, container: Container
) -> None:
    csrf = web_login(app_client, world, "outsider")
    for method, path in patient_routes(app_client):
        if path.startswith("/api/"):
            continue
        url = path.replace("{patient_id}", str(world.ada))
        data = {"csrf_token": csrf, "title": "t", "body": "b"} if method == "POST" else None
        response = app_client.request(method, url, data=data, follow_redirects=False)
        assert response.status_code in (403, 404), (method, path)
        assert "Moreno" not in response.text
    assert _denied_events(container, world)


def test_rbac_team_member_reads_and_access_is_audited(
    app_client: TestClient, world: World, container: Container
) -> None:
    headers = api_login(app_client, world, "drbo")
    response = app_client.get(f"/api/v1/patients/{world.ada}", headers=headers)
    assert response.status_code == 200
    assert response.json()["given_name"] == "Ada"
    with container.uow() as uow:
        event = uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.patient_id == world.ada)
            .order_by(AuditEvent.seq.desc())
        ).first()
    assert event is not None
    assert (event.actor_id, event.action, event.outcome) == (
        world.users["drbo"],
        "patient.read",
        AuditOutcome.GRANTED,
    )
    assert re.fullmatch(r"[0-9a-f]{32}|[\w.-]+", event.request_id)


def test_rbac_patient_sees_only_own_record(app_client: TestClient, world: World) -> None:
    headers = api_login(app_client, world, "ada")
    assert app_client.get(f"/api/v1/patients/{world.ada}", headers=headers).status_code == 200
    assert app_client.get(f"/api/v1/patients/{world.ben}", headers=headers).status_code == 404
    listing = app_client.get("/api/v1/patients", headers=headers).json()
    assert [p["id"] for p in listing["items"]] == [world.ada]


def test_rbac_patient_never_sees_clinician_only_notes(app_client: TestClient, world: World) -> None:
    doctor = api_login(app_client, world, "drbo")
    for title, hidden in (("Shared plan", False), ("Team only", True)):
        created = app_client.post(
            f"/api/v1/patients/{world.ada}/notes",
            headers=doctor,
            json={"title": title, "body": "text", "is_clinician_only": hidden},
        )
        assert created.status_code == 201, created.text
    as_doctor = app_client.get(f"/api/v1/patients/{world.ada}/notes", headers=doctor).json()
    as_patient = app_client.get(
        f"/api/v1/patients/{world.ada}/notes", headers=api_login(app_client, world, "ada")
    ).json()
    as_coordinator = app_client.get(
        f"/api/v1/patients/{world.ada}/notes", headers=api_login(app_client, world, "lena")
    ).json()
    assert {n["title"] for n in as_doctor} == {"Shared plan", "Team only"}
    assert [n["title"] for n in as_patient] == ["Shared plan"]
    assert [n["title"] for n in as_coordinator] == ["Shared plan"]


@pytest.mark.parametrize("key", ["tom", "admin"])
def test_rbac_roles_without_write_grant_get_403_inside_team(
    app_client: TestClient, world: World, key: str
) -> None:
    headers = api_login(app_client, world, key)
    response = app_client.patch(
        f"/api/v1/patients/{world.ada}", headers=headers, json={"occupation": "Nurse"}
    )
    assert response.status_code in (403, 404)
