"""The daily decision-point job: due points become review tasks once, with the data to decide."""

from __future__ import annotations

from sqlalchemy import func, select

from painpath import jobs
from painpath.bootstrap import Container
from painpath.records.models_workflow import TaskRecord
from painpath.services import demo
from tests.conftest import FrozenClock


def open_tasks(container: Container) -> int:
    with container.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(TaskRecord)) or 0


def test_decision_point_job_creates_review_tasks_once(
    container: Container, clock: FrozenClock
) -> None:
    with container.uow() as uow:
        demo.seed_demo(uow, now=clock(), patient_count=6)
    before = open_tasks(container)
    clock.advance(days=30)  # past the demo's week-8 pregabalin review for Ada
    evaluated = jobs.run_decision_points(container)
    after_first = open_tasks(container)
    assert evaluated >= 1
    assert after_first > before
    assert jobs.run_decision_points(container) == 0  # each point is evaluated once
    assert open_tasks(container) == after_first
