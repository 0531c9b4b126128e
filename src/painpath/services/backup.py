"""Consistent logical backup and restore, engine-neutral (a SQLite backup restores into PostgreSQL).

Format: a gzip'd JSON-lines file. Line 1 is a manifest (format, schema revision, tables, row
counts); then one line per row {"t": table, "r": {column: value}}; the last line holds a SHA-256 of
all row lines, so a truncated or edited file is refused before anything is written.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection

from painpath.records import migrate, registry  # noqa: F401  (every table on the metadata)
from painpath.records.base import Base
from painpath.services.errors import InvalidInput

FORMAT = "painpath-backup/1"
BATCH = 1000
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    revision: str | None
    rows: dict[str, int]


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    if hasattr(value, "value") and not isinstance(value, (list, dict)):
        return value.value
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((key, raw),) = value.items()
        if key == "$dt":
            return datetime.fromisoformat(raw)
        if key == "$d":
            return date.fromisoformat(raw)
        if key == "$dec":
            return Decimal(raw)
        if key == "$b":
            return base64.b64decode(raw)
    return value


def backup(engine: Engine, path: Path, *, progress: Progress | None = None) -> BackupSummary:
    """Write a snapshot of every table as seen by one read transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with engine.connect() as connection, connection.begin():
        _begin_snapshot(connection)
        revision = migrate.current_revision_on(connection)
        for table in _tables():
            counts[table.name] = connection.scalar(select(func.count()).select_from(table)) or 0
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            manifest = {"format": FORMAT, "revision": revision, "rows": counts}
            out.write(json.dumps(manifest) + "\n")
            for table in _tables():
                for line in _dump_table(connection, table):
                    digest.update(line.encode())
                    out.write(line)
                if progress:
                    progress(table.name, counts[table.name])
            out.write(json.dumps({"sha256": digest.hexdigest()}) + "\n")
    partial.replace(path)  # never leave a half-written file under the final name
    return BackupSummary(path, revision, counts)


def _begin_snapshot(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    # SQLite: the engine opens every transaction with BEGIN IMMEDIATE, which already excludes
    # writers for the duration of the dump.


def _dump_table(connection: Connection, table: Table) -> Iterator[str]:
    order = list(table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    for row in result.mappings():
        record = {key: _encode(value) for key, value in row.items()}
        yield json.dumps({"t": table.name, "r": record}, sort_keys=True) + "\n"


def _read(handle: IO[str]) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    first = handle.readline()
    try:
        manifest = json.loads(first)
    except json.JSONDecodeError as exc:
        raise InvalidInput("not a painpath backup (no manifest line)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput("not a painpath backup (unknown format)")

    def rows() -> Iterator[dict[str, Any]]:
        for line in handle:
            yield json.loads(line)

    return manifest, rows()


def verify_file(path: Path) -> dict[str, Any]:
    """Check the manifest, the row counts and the checksum without touching a database."""
    if not path.is_file():
        raise InvalidInput(f"backup file {path} does not exist")
    digest = hashlib.sha256()
    seen: dict[str, int] = {}
    trailer: dict[str, Any] | None = None
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            manifest, _ = _read(handle)
            for line in handle:
                entry = json.loads(line)
                if "sha256" in entry:
                    trailer = entry
                    break
                digest.update(line.encode())
                seen[entry["t"]] = seen.get(entry["t"], 0) + 1
    except (OSError, EOFError, json.JSONDecodeError, KeyError) as exc:
        raise InvalidInput(f"backup file {path} is damaged: {exc}") from exc
    if trailer is None or trailer["sha256"] != digest.hexdigest():
        raise InvalidInput(f"backup file {path} is incomplete or was altered (checksum mismatch)")
    expected = {name: n for name, n in manifest["rows"].items() if n}
    if seen != expected:
        raise InvalidInput(f"backup file {path} row counts do not match its manifest")
    return manifest


def restore(engine: Engine, path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Replace every table's contents with the backup, in one transaction (all or nothing)."""
    manifest = verify_file(path)
    current = migrate.current_revision(engine)
    if manifest["revision"] != current:
        raise InvalidInput(
            f"backup is at schema {manifest['revision']}, database at {current}: "
            "run 'painpath db upgrade' to the same revision first"
        )
    tables = {t.name: t for t in _tables()}
    unknown = set(manifest["rows"]) - set(tables)
    if unknown:
        raise InvalidInput(f"backup has tables this version does not know: {sorted(unknown)}")
    with engine.begin() as connection:
        for table in reversed(_tables()):
            connection.execute(delete(table))
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            _, rows = _read(handle)
            _insert_all(connection, tables, rows, progress)
        _reset_sequences(connection)
    return {name: int(n) for name, n in manifest["rows"].items()}


def _insert_all(
    connection: Connection,
    tables: dict[str, Table],
    rows: Iterator[dict[str, Any]],
    progress: Progress | None,
) -> None:
    batch: list[dict[str, Any]] = []
    batch_table: str | None = None

    def flush() -> None:
        if batch and batch_table:
            connection.execute(insert(tables[batch_table]), batch)
            if progress:
                progress(batch_table, len(batch))
            batch.clear()

    for entry in rows:
        if "sha256" in entry:
            break
        if entry["t"] != batch_table or len(batch) >= BATCH:
            flush()
            batch_table = entry["t"]
        batch.append({key: _decode(value) for key, value in entry["r"].items()})
    flush()


def _reset_sequences(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in _tables():
        pk = list(table.primary_key.columns)
        if (len(pk) == 1 and pk[0].autoincrement is True) or (
            len(pk) == 1 and pk[0].type.python_type is int and pk[0].autoincrement == "auto"
        ):
            column = pk[0].name
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "  # noqa: S608
                    f"COALESCE((SELECT MAX({column}) FROM {table.name}), 0) + 1, false)"
                )
            )
