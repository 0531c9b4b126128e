"""Alerts become tasks once per open condition; safety tasks reach only roles that act on them."""

from __future__ import annotations

import pytest

from painpath.bootstrap import Container
from painpath.services import workflow
from painpath.services.errors import InvalidInput
from tests.conftest import FrozenClock, World, context_for


def alert(key: str = "flare:ada:2026-03-02", *, safety: bool = False) -> workflow.NewAlert:
    return workflow.NewAlert(
        kind="urgent-safety" if safety else "flare",
        severity="urgent" if safety else "high",
        dedupe_key=key,
        owner_role="physician" if safety else "physiotherapist",
        title="Check in",
        rationale="pain 2+ above baseline for 2 days",
        source="clinical-reference 6",
        evidence={"nrs": "8"},
        is_safety=safety,
    )


def test_workflow_same_open_condition_raises_one_alert_and_one_task(
    container: Container, world: World
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        first = workflow.raise_alerts(uow, ctx, world.ada, [alert()])
        second = workflow.raise_alerts(uow, ctx, world.ada, [alert()])
        uow.commit()
    assert len(first) == 1 and second == []
    with container.uow() as uow:
        tasks = workflow.list_tasks(uow, context_for(container, world, "tom"))
    assert [(t.title, t.owner_role, t.due_on.isoformat()) for t in tasks] == [
        ("Check in", "physiotherapist", "2026-03-03")  # high severity: due next day
    ]


def test_workflow_resolving_closes_task_and_allows_a_new_alert(
    container: Container, world: World, clock: FrozenClock
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        (alert_id,) = workflow.raise_alerts(uow, ctx, world.ada, [alert()])
        uow.commit()
    with container.uow() as uow, pytest.raises(InvalidInput):
        workflow.resolve_alert(uow, ctx, alert_id, resolution=" ")
    with container.uow() as uow:
        workflow.resolve_alert(uow, ctx, alert_id, resolution="phoned; flare plan reviewed")
    with container.uow() as uow:
        assert workflow.list_tasks(uow, ctx) == []
        assert len(workflow.raise_alerts(uow, ctx, world.ada, [alert()])) == 1


def test_workflow_safety_tasks_hidden_from_roles_without_flag_access(
    container: Container, world: World
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        workflow.raise_alerts(uow, ctx, world.ada, [alert("phq9:ada", safety=True), alert()])
        uow.commit()
    with container.uow() as uow:
        doctor_view = workflow.list_tasks(uow, ctx)
    assert [t.is_safety for t in doctor_view] == [True, False]  # safety first
    with container.uow() as uow:
        physio_view = workflow.list_tasks(uow, context_for(container, world, "tom"))
    assert any(t.is_safety for t in physio_view)  # physio reads safety flags (product.md)
    with container.uow() as uow:
        outsider_view = workflow.list_tasks(uow, context_for(container, world, "outsider"))
    assert outsider_view == []
