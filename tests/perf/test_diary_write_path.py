"""The diary hot path after the performance work: single SQLite writer, one-statement idempotent
insert, and the benchmark's own lost/duplicate bookkeeping on a small run."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from benchmarks import diary_api
from sqlalchemy import func, select
from sqlalchemy.pool import QueuePool

from painpath.bootstrap import Container
from painpath.records.db import make_engine
from painpath.records.models_portal import DiaryEntry
from painpath.services import diary
from painpath.services.errors import InvalidInput
from tests.conftest import FrozenClock, World, context_for


def test_sqlite_file_engine_has_one_writer_connection(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        assert isinstance(engine.pool, QueuePool)
        assert engine.pool.size() == 1
        assert engine.pool._max_overflow == 0
    finally:
        engine.dispose()


def test_sqlite_memory_engine_keeps_its_default_pool() -> None:
    # An in-memory database lives in its connection: SQLAlchemy's own pool choice stays.
    engine = make_engine("sqlite://")
    try:
        assert not isinstance(engine.pool, QueuePool)
    finally:
        engine.dispose()


def test_sqlite_engine_options_can_still_be_overridden(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}", pool_size=3)
    try:
        assert isinstance(engine.pool, QueuePool)
        assert engine.pool.size() == 3
    finally:
        engine.dispose()


def _count(container: Container, key: str) -> int:
    with container.uow() as uow:
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(DiaryEntry)
                .where(DiaryEntry.idempotency_key == key)
            )
            or 0
        )


def test_retry_after_the_backdating_window_returns_the_stored_entry(
    container: Container, world: World, clock: FrozenClock
) -> None:
    ctx = context_for(container, world, "ada")
    typed_at = clock.now - timedelta(days=6)
    data = diary.DiaryInput(pain_nrs=4, recorded_at=typed_at)
    with container.uow() as uow:
        first = diary.record_entry(uow, ctx, world.ada, data, idempotency_key="late-retry-01")
    clock.advance(days=2)  # typed 8 days ago now: too old for a new entry, fine for a retry
    with container.uow() as uow:
        again = diary.record_entry(uow, ctx, world.ada, data, idempotency_key="late-retry-01")
    assert first.is_new and not again.is_new
    assert again.entry.id == first.entry.id
    with container.uow() as uow, pytest.raises(InvalidInput):
        diary.record_entry(uow, ctx, world.ada, data, idempotency_key="late-new-02")
    assert _count(container, "late-retry-01") == 1
    assert _count(container, "late-new-02") == 0


def test_new_entry_view_matches_the_stored_row(container: Container, world: World) -> None:
    ctx = context_for(container, world, "ada")
    data = diary.DiaryInput(pain_nrs=7, mood=2, is_flare=True, flare_trigger=" lifting ")
    with container.uow() as uow:
        recorded = diary.record_entry(uow, ctx, world.ada, data, idempotency_key="view-check-1")
    with container.uow() as uow:
        stored = uow.session.get(DiaryEntry, recorded.entry.id)
        assert stored is not None
        assert diary.to_view(stored) == recorded.entry
    assert recorded.entry.flare_trigger == "lifting"


@pytest.mark.skipif(
    not os.environ.get("PAINPATH_TEST_DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="the small benchmark run uses its own SQLite file",
)
def test_small_benchmark_run_loses_and_doubles_nothing(tmp_path: Path) -> None:
    report = diary_api.bench_database(
        "SQLite", f"sqlite:///{tmp_path / 'bench.db'}", clients=4, total=60, limit=60
    )
    assert report.is_correct
    assert report.ledger.retries > 0  # the run did exercise retries
    assert report.stored == len(report.ledger.acknowledged)
