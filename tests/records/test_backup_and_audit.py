"""Backup -> wipe -> restore gives back identical data; the audit chain catches direct edits."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text, update

from painpath.bootstrap import Container
from painpath.records.base import Base
from painpath.records.models import AuditEvent
from painpath.services import audit, backup, demo, patients
from painpath.services.errors import InvalidInput
from tests.conftest import World, context_for, wipe


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def seeded(container: Container) -> None:
    with container.uow() as uow:
        demo.seed_demo(uow, now=container.clock(), patient_count=12)


def test_backup_wipe_restore_gives_identical_data(container: Container, tmp_path: Path) -> None:
    seeded(container)
    before = snapshot(container.engine)
    assert sum(len(rows) for rows in before.values()) > 50
    path = tmp_path / "clinic.jsonl.gz"
    summary = backup.backup(container.engine, path)
    assert summary.rows["patient"] == 12
    wipe(container.engine)
    assert snapshot(container.engine)["patient"] == []
    backup.restore(container.engine, path)
    assert snapshot(container.engine) == before


def test_backup_restored_database_accepts_new_rows(
    container: Container, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "b.jsonl.gz"
    backup.backup(container.engine, path)
    wipe(container.engine)
    backup.restore(container.engine, path)
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        created = patients.add_comorbidity(uow, ctx, world.ada, name="Asthma")
    assert created.id > 0
    with container.uow() as uow:
        assert audit.verify_chain(uow).is_intact


def test_backup_damaged_file_is_refused_before_any_write(
    container: Container, tmp_path: Path
) -> None:
    seeded(container)
    before = snapshot(container.engine)
    path = tmp_path / "b.jsonl.gz"
    backup.backup(container.engine, path)
    with gzip.open(path, "rt") as handle:
        lines = handle.read().splitlines(keepends=True)
    edited = [line.replace("Moreno", "Forged") for line in lines]
    assert edited != lines
    with gzip.open(path, "wt") as handle:
        handle.writelines(edited)
    with pytest.raises(InvalidInput, match="checksum"):
        backup.restore(container.engine, path)
    truncated = tmp_path / "t.jsonl.gz"
    with gzip.open(truncated, "wt") as handle:
        handle.writelines(lines[:-5])
    with pytest.raises(InvalidInput):
        backup.restore(container.engine, truncated)
    assert snapshot(container.engine) == before


def test_audit_verify_fails_after_a_row_is_altered_in_the_database(
    container: Container, world: World
) -> None:
    ctx = context_for(container, world, "drbo")
    for _ in range(3):
        with container.uow() as uow:
            patients.get_overview(uow, ctx, world.ada)
    with container.uow() as uow:
        assert audit.verify_chain(uow).checked == 3
    with container.engine.begin() as connection:
        connection.execute(
            update(AuditEvent).where(AuditEvent.seq == 2).values(actor_username="someone-else")
        )
    with container.uow() as uow:
        report = audit.verify_chain(uow)
    assert not report.is_intact and report.first_broken_seq == 2


def test_audit_verify_fails_after_a_row_is_deleted(container: Container, world: World) -> None:
    ctx = context_for(container, world, "drbo")
    for _ in range(3):
        with container.uow() as uow:
            patients.get_overview(uow, ctx, world.ada)
    with container.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    with container.uow() as uow:
        assert audit.verify_chain(uow).first_broken_seq == 3
