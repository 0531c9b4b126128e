"""Intake history saved section by section, with the steps after it and their state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from painpath.services import episodes, intake
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, api_login, context_for, web_login


def _open(container: Container, world: World, clock: FrozenClock) -> None:
    ctx = context_for(container, world, "lena")
    with container.uow() as uow:
        episodes.open_episode(uow, ctx, world.ada, referred_on=clock().date() - timedelta(days=3))


def test_intake_needs_an_episode_then_saves_each_section(
    container: Container, world: World, clock: FrozenClock
) -> None:
    drbo = context_for(container, world, "drbo")
    with container.uow() as uow, pytest.raises(Conflict):
        intake.save_intake(uow, drbo, world.ada, {"sleep": "Wakes twice"})
    _open(container, world, clock)
    with container.uow() as uow:
        view = intake.save_intake(uow, drbo, world.ada, {"sleep": "Wakes twice a night"})
    assert (view.answers, view.revision, view.filled) == ({"sleep": "Wakes twice a night"}, 1, 1)
    with container.uow() as uow:
        same = intake.save_intake(uow, drbo, world.ada, {"sleep": "Wakes twice a night "})
    assert same.revision == 1  # the same text again changes nothing
    with container.uow() as uow:
        view = intake.save_intake(uow, drbo, world.ada, {"occupation": "Warehouse, off work"})
    assert view.revision == 2 and view.answers["sleep"] == "Wakes twice a night"
    steps = {s.code: s for s in view.steps}
    assert steps["history"].state is intake.StepState.IN_PROGRESS
    assert steps["history"].detail == "2 of 8 sections"
    assert steps["screening"].detail == "not sent yet"
    assert steps["examination"].state is intake.StepState.NOT_STARTED
    with container.uow() as uow, pytest.raises(InvalidInput):
        intake.save_intake(uow, drbo, world.ada, {"shoe-size": "6"})


@pytest.mark.parametrize(
    ("key", "error"),
    [
        pytest.param("ada", PermissionDenied, id="patient-refused"),
        pytest.param("outsider", NotFound, id="outside-team-not-found"),
    ],
)
def test_intake_is_staff_only(
    container: Container, world: World, clock: FrozenClock, key: str, error: type[Exception]
) -> None:
    _open(container, world, clock)
    ctx = context_for(container, world, key)
    with container.uow() as uow, pytest.raises(error):
        intake.get_intake(uow, ctx, world.ada)


def test_coordinator_sees_exam_steps_as_clinician_steps(
    container: Container, world: World, clock: FrozenClock
) -> None:
    _open(container, world, clock)
    with container.uow() as uow:
        view = intake.get_intake(uow, context_for(container, world, "lena"), world.ada)
    states = {s.code: s.state for s in view.steps}
    assert states["examination"] is intake.StepState.NOT_VISIBLE
    assert states["neupsig"] is intake.StepState.NOT_VISIBLE


def test_intake_page_htmx_save_and_api(
    app_client: TestClient, world: World, clock: FrozenClock, container: Container
) -> None:
    _open(container, world, clock)
    csrf = web_login(app_client, world, "drbo")
    page = app_client.get(f"/patients/{world.ada}/intake")
    assert page.status_code == 200 and "Pain over the day" in page.text
    saved = app_client.post(
        f"/patients/{world.ada}/intake",
        data={"pain-pattern": "Worst in the evening"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert saved.status_code == 200, saved.text
    assert "Saved Pain over the day (version 1)" in saved.text
    headers = api_login(app_client, world, "drbo")
    got = app_client.get(f"/api/v1/patients/{world.ada}/intake", headers=headers).json()
    assert got["answers"] == {"pain-pattern": "Worst in the evening"}
    put = app_client.put(
        f"/api/v1/patients/{world.ada}/intake",
        json={"answers": {"sleep": "5 hours"}},
        headers=headers,
    )
    assert put.status_code == 200 and put.json()["revision"] == 2
