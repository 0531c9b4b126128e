"""Benchmarks: python -m benchmarks (or make bench); then the diary API load test
(benchmarks/diary_api.py; skip it with --no-diary-api).

Each benchmark prints the measured figure next to a baseline measured in the same run, so the
comparison holds on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from painpath.bootstrap import bootstrap
from painpath.config import Environment, Settings
from painpath.records import migrate
from painpath.records.models import AuditEvent, UserAccount
from painpath.security import audit_chain
from painpath.services import audit, demo, patients
from painpath.services.access import actor_for
from painpath.services.context import RequestContext


def measure(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Best wall time in ms and peak traced memory in MiB."""
    best = float("inf")
    tracemalloc.start()
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best * 1000, peak / 2**20


def row(name: str, measured: tuple[float, float], baseline: tuple[float, float]) -> None:
    ratio = baseline[0] / measured[0] if measured[0] else float("inf")
    print(
        f"{name:<44} {measured[0]:9.1f} ms {measured[1]:7.1f} MiB | baseline "
        f"{baseline[0]:9.1f} ms {baseline[1]:7.1f} MiB | x{ratio:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--reads", type=int, default=20000)
    parser.add_argument("--no-diary-api", action="store_true", help="skip the HTTP load test")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="painpath-bench-"))
    settings = Settings(env=Environment.TEST, database_url=f"sqlite:///{directory / 'bench.db'}")
    container = bootstrap(settings, clock=lambda: datetime(2026, 3, 1, 9, tzinfo=UTC))
    migrate.upgrade(container.engine)
    with container.uow() as uow:
        demo.seed_demo(uow, now=container.clock(), patient_count=args.patients)
    with container.uow() as uow:
        user = uow.session.scalar(select(UserAccount).where(UserAccount.username.like("maya%")))
        assert user is not None
        ctx = RequestContext(actor_for(uow, user), "bench", container.clock)
        first = patients.list_patients(uow, ctx, limit=1).items[0].id

    def read_overviews() -> None:
        for _ in range(200):
            with container.uow() as uow:
                patients.get_overview(uow, ctx, first)

    with container.uow() as uow:
        for i in range(args.reads):
            audit.append(
                uow.session, ctx, action="bench.read", resource="demographics", patient_id=i
            )
        uow.commit()

    def verify_streaming() -> None:
        with container.uow() as uow:
            assert audit.verify_chain(uow).is_intact

    def verify_load_all() -> None:
        # Baseline: load every event into memory at once, then verify.
        with container.uow() as uow:
            columns = [c.name for c in AuditEvent.__table__.columns]
            rows = [
                {name: getattr(e, name) for name in columns}
                for e in uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
            ]
            assert audit_chain.verify(rows).is_intact

    def list_page_indexed() -> None:
        with container.uow() as uow:
            patients.list_patients(uow, ctx, limit=25, offset=args.patients // 3)

    def list_all_then_slice() -> None:
        # Baseline: fetch the whole list and slice in Python.
        with container.uow() as uow:
            patients.list_patients(uow, ctx, limit=patients.MAX_PAGE, offset=0)

    print(f"painpath benchmarks: {args.patients} patients, {args.reads} audit events (SQLite)")
    row(
        f"audit verify, streamed ({args.reads} events)",
        measure(verify_streaming),
        measure(verify_load_all),
    )
    row(
        "patient list page (25 rows, SQL paging)",
        measure(list_page_indexed),
        measure(list_all_then_slice),
    )
    timing = measure(read_overviews, repeat=1)
    print(
        f"{'200 audited patient overview reads':<44} {timing[0]:9.1f} ms ({timing[0] / 200:.2f} ms each)"
    )
    if not args.no_diary_api:
        subprocess.run([sys.executable, "-m", "benchmarks.diary_api"], check=False)


if __name__ == "__main__":
    main()
