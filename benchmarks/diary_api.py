"""Diary write throughput: python -m benchmarks.diary_api [--clients 50] [--requests 3000].

In one run, for SQLite (a temporary file) and PostgreSQL (a throwaway database created on
PAINPATH_BENCH_PG_SERVER, default postgresql+psycopg://postgres@127.0.0.1:5432, and dropped
afterwards; skipped if the server is unreachable), one uvicorn server on 127.0.0.1 serves
painpath's app wrapped by a benchmark app that adds two baseline endpoints (they exist only here,
never in the product). Each endpoint gets 50 concurrent keep-alive clients, a bounded number of
requests and a time limit:

1. ``GET /bench/noop``: the HTTP limit;
2. ``POST /bench/bare-diary``: validate a diary body and insert one row with SQLAlchemy, nothing
   else (the practical write limit), on painpath's own engine;
3. ``POST /api/v1/patients/{id}/diary``: painpath's real write (bearer session, authorisation,
   audit event, idempotency key, monitoring rules). Each client is one signed-in patient; one
   request in ten re-sends an earlier key, like a phone retrying after a lost reply.

Afterwards every acknowledged key must be stored exactly once (0 lost, 0 duplicated), and every
retry must have been answered with the stored entry. It prints requests/s, p50 and p99 and the
ratios against the targets (painpath >= 50% of the bare insert, p99 <= 300 ms).

The load generator is a minimal HTTP/1.1 keep-alive client on asyncio streams: on a 2-core machine
the client shares the CPU with the server, and a heavier client would measure itself.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from painpath.bootstrap import bootstrap
from painpath.config import Environment, Settings
from painpath.records import registry  # noqa: F401  (every table on the metadata)
from painpath.records.base import Base
from painpath.records.db import make_engine
from painpath.records.enums import Role, Sex
from painpath.records.models import CareTeam, Patient, UserAccount
from painpath.records.models_portal import DiaryEntry
from painpath.security import passwords

PASSWORD = "bench-password-1"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
ENDPOINTS = ("noop", "bare insert", "painpath write")
RETRY_EVERY = 10  # one request in ten re-sends the previous key


def _username(n: int) -> str:
    return f"bench.patient{n}@bench.painpath.org"


# --------------------------------------------------------------------------- server side


class BareDiary(BaseModel):
    model_config = ConfigDict(extra="forbid")
    idempotency_key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    pain_nrs: int = Field(ge=0, le=10)
    sleep_quality: int | None = Field(default=None, ge=1, le=5)
    mood: int | None = Field(default=None, ge=1, le=5)
    activity_minutes: int | None = Field(default=None, ge=0, le=1440)
    is_flare: bool = False
    flare_trigger: str = Field(default="", max_length=200)
    body_region: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", max_length=2000)


def bench_app() -> FastAPI:
    """painpath's app (its own engine and settings) under a benchmark app with the two baseline
    endpoints (uvicorn --factory)."""
    from painpath.main import create_app

    url = os.environ["PAINPATH_DATABASE_URL"]
    container = bootstrap(
        Settings(env=Environment.TEST, database_url=url, log_level="WARNING"),
    )
    patient_id = int(os.environ["BENCH_PATIENT_ID"])

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/bench/noop")
    async def noop() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/bench/bare-diary", status_code=201)
    def bare(body: BareDiary) -> dict[str, int]:
        now = datetime.now(UTC)
        with container.session_factory() as session:
            row = DiaryEntry(
                patient_id=patient_id,
                recorded_at=now,
                recorded_on=now.date(),
                created_at=now,
                **body.model_dump(),
            )
            session.add(row)
            session.commit()
            return {"id": row.id}

    app.mount("/", create_app(container))
    return app


# --------------------------------------------------------------------------- set-up


def _prepare(url: str, clients: int) -> int:
    """Create the schema and one care team with ``clients`` patients; return the first id."""
    engine = make_engine(url)
    # create_all rather than migrations: the benchmark measures the write path, not Alembic
    # (tests/records/test_migrations.py checks that the two agree).
    Base.metadata.create_all(engine)
    password_hash = passwords.hash_password(PASSWORD)
    now = datetime.now(UTC)
    container = bootstrap(Settings(env=Environment.TEST, database_url=url), engine=engine)
    with container.uow() as uow:
        team = CareTeam(name="Bench team")
        uow.session.add(team)
        uow.session.flush()
        ids = []
        for n in range(clients):
            patient = Patient(
                mrn=f"BENCH-{n}",
                given_name="Bench",
                family_name=f"Patient {n}",
                born_on=date(1980, 1, 1),
                sex=Sex.UNKNOWN,
                timezone="Europe/London",
                care_team_id=team.id,
                created_at=now,
                updated_at=now,
            )
            uow.session.add(patient)
            uow.session.flush()
            ids.append(patient.id)
            uow.session.add(
                UserAccount(
                    username=_username(n),
                    full_name=f"Bench Patient {n}",
                    role=Role.PATIENT,
                    password_hash=password_hash,
                    patient_id=patient.id,
                    created_at=now,
                )
            )
        uow.commit()
    engine.dispose()
    return ids[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- load generator


class Http:
    """One keep-alive HTTP/1.1 connection; enough of the protocol for this benchmark."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


Call = Callable[[Http, int, int], Awaitable[bool | str]]


async def _hammer(
    port: int, name: str, call: Call, *, clients: int, total: int, limit: float
) -> Result:
    """``clients`` connections send requests back to back until ``total`` were sent or ``limit``
    seconds passed. A call returns True (ok) or an error label."""
    result = Result(name)
    connections = [Http(port) for _ in range(clients)]
    sent = 0
    deadline = time.perf_counter() + limit

    async def worker(n: int) -> None:
        nonlocal sent
        i = 0
        while sent < total and time.perf_counter() < deadline:
            sent += 1
            started = time.perf_counter()
            try:
                outcome = await call(connections[n], n, i)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                outcome = type(exc).__name__
                connections[n].close()
                connections[n] = Http(port)
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            if outcome is not True:
                result.errors[str(outcome)] = result.errors.get(str(outcome), 0) + 1
            i += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    result.seconds = time.perf_counter() - started
    for connection in connections:
        connection.close()
    return result


@dataclass
class Ledger:
    """What the server acknowledged, to check against the rows afterwards."""

    run_id: str
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> entry id
    bare_acknowledged: int = 0
    retries: int = 0
    retry_mismatches: int = 0


async def _run_all(
    port: int, first_patient: int, *, clients: int, total: int, limit: float
) -> tuple[dict[str, Result], Ledger]:
    tokens = []
    login = Http(port)
    for n in range(clients):
        status, body = await login.request(
            "POST", "/api/v1/auth/token", {"username": _username(n), "password": PASSWORD}
        )
        assert status == 200, (status, body)
        tokens.append(json.loads(body)["access_token"])
    login.close()
    ledger = Ledger(uuid.uuid4().hex[:8])
    bare_keys = itertools.count()

    async def noop(http: Http, n: int, i: int) -> bool | str:
        status, _ = await http.request("GET", "/bench/noop")
        return status == 200 or f"HTTP {status}"

    async def bare(http: Http, n: int, i: int) -> bool | str:
        key = f"bare-{ledger.run_id}-{next(bare_keys)}"  # warm-up and run: never the same key
        body = {"idempotency_key": key, "pain_nrs": i % 11, "mood": 3}
        status, _ = await http.request("POST", "/bench/bare-diary", body)
        if status == 201:
            ledger.bare_acknowledged += 1
            return True
        return f"HTTP {status}"

    async def real(http: Http, n: int, i: int) -> bool | str:
        is_retry = i % RETRY_EVERY == RETRY_EVERY - 1
        j = i - 1 if is_retry else i
        key = f"real-{ledger.run_id}-{n}-{j}"
        body = {"idempotency_key": key, "pain_nrs": j % 11, "sleep_quality": 3, "mood": 3}
        status, raw = await http.request(
            "POST",
            f"/api/v1/patients/{first_patient + n}/diary",
            body,
            {"Authorization": f"Bearer {tokens[n]}"},
        )
        if status not in (200, 201):
            return f"HTTP {status}"
        entry_id = int(json.loads(raw)["id"])
        if is_retry:
            ledger.retries += 1
            # The retry must be answered 200 with the entry stored by the first attempt.
            if status != 200 or ledger.acknowledged.get(key, entry_id) != entry_id:
                ledger.retry_mismatches += 1
        ledger.acknowledged.setdefault(key, entry_id)
        return True

    warm = max(clients * 2, 100)
    results = {}
    for name, call in zip(ENDPOINTS, (noop, bare, real), strict=True):
        if name != "painpath write":  # the real write is not warmed up: its keys are checked
            await _hammer(port, name, call, clients=clients, total=warm, limit=limit)
        results[name] = await _hammer(port, name, call, clients=clients, total=total, limit=limit)
    return results, ledger


def _check_entries(url: str, ledger: Ledger) -> tuple[int, int, int]:
    """(lost, duplicated, stored) among the real writes' acknowledged keys."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(DiaryEntry.idempotency_key, func.count(), func.min(DiaryEntry.id))
            .where(DiaryEntry.idempotency_key.like(f"real-{ledger.run_id}-%"))
            .group_by(DiaryEntry.idempotency_key)
        ).all()
    engine.dispose()
    stored = {key: (count, first_id) for key, count, first_id in rows}
    lost = sum(
        1
        for key, entry_id in ledger.acknowledged.items()
        if key not in stored or stored[key][1] != entry_id
    )
    duplicated = sum(count - 1 for count, _ in stored.values())
    return lost, duplicated, len(stored)


# --------------------------------------------------------------------------- one engine


def bench_database(label: str, url: str, *, clients: int, total: int, limit: float) -> Report:
    first_patient = _prepare(url, clients)
    port = _free_port()
    env = {
        **os.environ,
        "PAINPATH_DATABASE_URL": url,
        "BENCH_PATIENT_ID": str(first_patient),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "benchmarks.diary_api:bench_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, server)
        results, ledger = asyncio.run(
            _run_all(port, first_patient, clients=clients, total=total, limit=limit)
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    lost, duplicated, stored = _check_entries(url, ledger)
    report = Report(label, results, ledger, lost, duplicated, stored)
    report.print(clients=clients, total=total, limit=limit)
    return report


@dataclass
class Report:
    label: str
    results: dict[str, Result]
    ledger: Ledger
    lost: int
    duplicated: int
    stored: int

    @property
    def ratio(self) -> float:
        bare, real = self.results["bare insert"], self.results["painpath write"]
        return real.rps / bare.rps if bare.rps else 0.0

    @property
    def is_correct(self) -> bool:
        """Nothing lost, nothing doubled, every retry answered with its entry, no errors."""
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.ledger.retry_mismatches == 0
            and self.results["painpath write"].error_count == 0
        )

    @property
    def meets_targets(self) -> bool:
        return (
            self.is_correct
            and self.ratio >= 0.5
            and self.results["painpath write"].pct(0.99) <= 300
        )

    def print(self, *, clients: int, total: int, limit: float) -> None:
        print(
            f"\n{self.label}: {clients} concurrent clients, up to {total} requests or "
            f"{limit:.0f} s per endpoint"
        )
        print(f"{'endpoint':<16}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}  errors")
        for r in self.results.values():
            errors = ", ".join(f"{k} x{v}" for k, v in sorted(r.errors.items())) or "0"
            print(
                f"{r.name:<16}{r.requests:>9}{r.rps:>8.0f}{r.pct(0.5):>9.1f}"
                f"{r.pct(0.99):>9.1f}  {errors}"
            )
        noop, bare, real = (self.results[name] for name in ENDPOINTS)
        print(
            f"bare/noop {bare.rps / noop.rps:.0%} · painpath/bare {self.ratio:.0%} "
            f"(target >= 50%) · painpath p99 {real.pct(0.99):.0f} ms (target <= 300)"
        )
        print(
            f"entries: {len(self.ledger.acknowledged)} keys acknowledged, {self.stored} stored, "
            f"lost {self.lost}, duplicated {self.duplicated}; {self.ledger.retries} retries, "
            f"{self.ledger.retry_mismatches} answered with another entry"
        )


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    async def probe() -> bool:
        http = Http(port)
        try:
            status, _ = await http.request("GET", "/health")
            return status == 200
        except OSError:
            return False
        finally:
            http.close()

    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError("the benchmark server exited")
        if asyncio.run(probe()):
            return
        time.sleep(0.1)
    raise RuntimeError("the benchmark server did not start")


def with_throwaway_postgres(server_url: str, run: Callable[[str], Report]) -> Report | None:
    """Create a database, run, drop it. None if the server is unreachable."""
    name = f"painpath_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any connection failure: skip PostgreSQL
        print(f"\nPostgreSQL skipped ({server_url} unreachable: {type(exc).__name__})")
        admin.dispose()
        return None
    try:
        return run(make_url(server_url).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="per endpoint (bound)")
    parser.add_argument("--seconds", type=float, default=20, help="per endpoint (bound)")
    parser.add_argument("--engine", choices=("all", "sqlite", "postgresql"), default="all")
    args = parser.parse_args()
    bounds = {"clients": args.clients, "total": args.requests, "limit": args.seconds}
    met = []
    if args.engine in ("all", "sqlite"):
        with tempfile.TemporaryDirectory(prefix="painpath-bench-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            met.append(bench_database("SQLite", url, **bounds).meets_targets)
    if args.engine in ("all", "postgresql"):
        server = os.environ.get("PAINPATH_BENCH_PG_SERVER", PG_SERVER)
        outcome = with_throwaway_postgres(
            server, lambda url: bench_database("PostgreSQL", url, **bounds)
        )
        if outcome is not None:
            met.append(outcome.meets_targets)
    print(f"\ntargets {'met' if all(met) else 'NOT met'}")
    sys.exit(0 if all(met) else 1)


if __name__ == "__main__":
    main()
