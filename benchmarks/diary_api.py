"""Diary write throughput: python -m benchmarks.diary_api [--seconds 8] [--clients 50].

For SQLite (a temporary file) and, when reachable, PostgreSQL (PAINPATH_BENCH_PG_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/painpath_portal_bench), one uvicorn server process
with the same settings serves three endpoints, each hammered by 50 concurrent clients:

1. ``GET /bench/noop``: the HTTP limit;
2. ``POST /bench/bare-diary``: validate a diary body and insert one row with SQLAlchemy, nothing
   else (the practical write limit);
3. ``POST /api/v1/patients/{id}/diary``: painpath's real write (bearer session, authorisation,
   audit event, idempotency key, monitoring rules). One request in ten re-sends an earlier key,
   like a phone retrying; afterwards every acknowledged key must be stored exactly once.

It prints requests/s, p50 and p99 for each and the ratios. Both engines get a pool larger than the
number of requests in flight (see _engine_for); SQLite writers queue on BEGIN IMMEDIATE.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from painpath.bootstrap import bootstrap
from painpath.config import Environment, Settings
from painpath.records import migrate, registry  # noqa: F401
from painpath.records.base import Base
from painpath.records.db import make_engine
from painpath.records.enums import Role, Sex
from painpath.records.models import CareTeam, Patient, UserAccount
from painpath.records.models_portal import DiaryEntry
from painpath.security import passwords

PASSWORD = "bench-password-1"
USERNAME = "bench.patient@bench.painpath.org"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/painpath_portal_bench"


def _engine_for(url: str) -> Any:
    # Enough pooled connections for every concurrent request: painpath's async session
    # dependency reads the database on the event loop, so a pool smaller than the number of
    # requests in flight can block the loop while the connections' owners wait for it.
    # (SQLite writers still queue one at a time on BEGIN IMMEDIATE.)
    return make_engine(url, pool_size=60, max_overflow=10, pool_timeout=30)


def bench_app() -> FastAPI:
    """The painpath app plus the two baseline endpoints (uvicorn --factory)."""
    from pydantic import BaseModel, ConfigDict, Field

    from painpath.main import create_app

    url = os.environ["PAINPATH_DATABASE_URL"]
    container = bootstrap(
        Settings(env=Environment.TEST, database_url=url, log_level="WARNING"),
        engine=_engine_for(url),
    )
    app = create_app(container)

    class BareDiary(BaseModel):
        model_config = ConfigDict(extra="forbid")
        idempotency_key: str = Field(min_length=8, max_length=64)
        pain_nrs: int = Field(ge=0, le=10)
        sleep_quality: int | None = Field(default=None, ge=1, le=5)
        mood: int | None = Field(default=None, ge=1, le=5)
        activity_minutes: int | None = Field(default=None, ge=0, le=1440)
        is_flare: bool = False
        note: str = ""

    patient_id = int(os.environ["BENCH_PATIENT_ID"])

    @app.get("/bench/noop")
    def noop() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/bench/bare-diary", status_code=201)
    def bare(body: BareDiary) -> dict[str, int]:
        now = datetime.now(UTC)
        with container.session_factory() as session:
            row = DiaryEntry(
                patient_id=patient_id,
                idempotency_key=body.idempotency_key,
                recorded_at=now,
                recorded_on=now.date(),
                pain_nrs=body.pain_nrs,
                sleep_quality=body.sleep_quality,
                mood=body.mood,
                activity_minutes=body.activity_minutes,
                is_flare=body.is_flare,
                note=body.note,
                created_at=now,
            )
            session.add(row)
            session.commit()
            return {"id": row.id}

    return app


def _prepare(url: str) -> int:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    container = bootstrap(Settings(env=Environment.TEST, database_url=url), engine=engine)
    now = datetime.now(UTC)
    with container.uow() as uow:
        team = CareTeam(name="Bench team")
        uow.session.add(team)
        uow.session.flush()
        patient = Patient(
            mrn="BENCH-1",
            given_name="Bench",
            family_name="Patient",
            born_on=date(1980, 1, 1),
            sex=Sex.UNKNOWN,
            timezone="Europe/London",
            care_team_id=team.id,
            created_at=now,
            updated_at=now,
        )
        uow.session.add(patient)
        uow.session.flush()
        uow.session.add(
            UserAccount(
                username=USERNAME,
                full_name="Bench Patient",
                role=Role.PATIENT,
                password_hash=passwords.hash_password(PASSWORD),
                patient_id=patient.id,
                created_at=now,
            )
        )
        uow.commit()
        patient_id = patient.id
    engine.dispose()
    return patient_id


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def _hammer(
    base: str,
    name: str,
    make_request: Any,
    *,
    clients: int,
    seconds: float,
) -> Result:
    latencies: list[float] = []
    errors = 0
    count = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker(n: int) -> None:
            nonlocal errors, count
            i = 0
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    ok = await make_request(client, n, i)
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                count += 1
                errors += 0 if ok else 1
                i += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    return Result(name, count, elapsed, latencies, errors)


async def _run_all(base: str, patient_id: int, *, clients: int, seconds: float) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base) as client:
        token = (
            await client.post(
                "/api/v1/auth/token", json={"username": USERNAME, "password": PASSWORD}
            )
        ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    run_id = uuid.uuid4().hex[:8]
    acknowledged: set[str] = set()

    async def noop(client: httpx.AsyncClient, n: int, i: int) -> bool:
        return (await client.get("/bench/noop")).status_code == 200

    async def bare(client: httpx.AsyncClient, n: int, i: int) -> bool:
        body = {"idempotency_key": f"bare-{run_id}-{n}-{i}", "pain_nrs": i % 11, "mood": 3}
        return (await client.post("/bench/bare-diary", json=body)).status_code == 201

    async def real(client: httpx.AsyncClient, n: int, i: int) -> bool:
        # Every tenth request re-sends the previous key, like a phone retrying.
        j = i - 1 if i % 10 == 9 else i
        key = f"real-{run_id}-{n}-{j}"
        body = {"idempotency_key": key, "pain_nrs": j % 11, "mood": 3}
        response = await client.post(
            f"/api/v1/patients/{patient_id}/diary", json=body, headers=headers
        )
        if response.status_code in (200, 201):
            acknowledged.add(key)
            return True
        return False

    results = {}
    for name, fn in (("noop", noop), ("bare insert", bare), ("painpath write", real)):
        results[name] = await _hammer(base, name, fn, clients=clients, seconds=seconds)
    return {"results": results, "acknowledged": acknowledged, "run_id": run_id}


def _check_entries(url: str, acknowledged: set[str], run_id: str) -> tuple[int, int]:
    """(lost, duplicated) among the real writes."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(DiaryEntry.idempotency_key, func.count())
            .where(DiaryEntry.idempotency_key.like(f"real-{run_id}-%"))
            .group_by(DiaryEntry.idempotency_key)
        ).all()
    engine.dispose()
    stored = dict(rows)
    lost = len(acknowledged - stored.keys())
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    return lost, duplicated


def bench_database(label: str, url: str, *, clients: int, seconds: float) -> None:
    patient_id = _prepare(url)
    port = _free_port()
    env = {**os.environ, "PAINPATH_DATABASE_URL": url, "BENCH_PATIENT_ID": str(patient_id)}
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
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        run = asyncio.run(_run_all(base, patient_id, clients=clients, seconds=seconds))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    results: dict[str, Result] = run["results"]
    lost, duplicated = _check_entries(url, run["acknowledged"], run["run_id"])
    print(f"\n{label}: {clients} concurrent clients, {seconds:.0f} s per endpoint")
    print(f"{'endpoint':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for r in results.values():
        print(f"{r.name:<16}{r.rps:>9.0f}{r.pct(0.5):>9.1f}{r.pct(0.99):>9.1f}{r.errors:>8}")
    noop, bare, real = results["noop"], results["bare insert"], results["painpath write"]
    print(
        f"bare/noop {bare.rps / noop.rps:.0%} · painpath/bare {real.rps / bare.rps:.0%} "
        f"(target >= 50%) · painpath p99 {real.pct(0.99):.0f} ms (target <= 300) · "
        f"lost {lost}, duplicated {duplicated} of {len(run['acknowledged'])} acknowledged keys"
    )


def _postgres_reachable(url: str) -> bool:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        return True
    except Exception as exc:  # any connection failure: skip PostgreSQL
        print(f"PostgreSQL skipped: {type(exc).__name__}")
        return False
    finally:
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="painpath-bench-") as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        bench_database("SQLite", sqlite_url, clients=args.clients, seconds=args.seconds)
    pg_url = os.environ.get("PAINPATH_BENCH_PG_URL", DEFAULT_PG)
    if _postgres_reachable(pg_url):
        bench_database("PostgreSQL", pg_url, clients=args.clients, seconds=args.seconds)


if __name__ == "__main__":
    main()
