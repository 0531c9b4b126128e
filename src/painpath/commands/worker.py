"""`painpath worker`: the Huey consumer that runs reminders and the daily clinical jobs."""

from __future__ import annotations

from typing import Annotated

import typer


def worker_command(
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker threads")] = 1,
) -> None:
    """Run background jobs (reminders every 5 minutes; daily monitoring and decision points)."""
    from painpath.jobs import huey

    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    print(f"painpath worker: {workers} thread(s), periodic jobs on")
    consumer.run()


def register(app: typer.Typer) -> None:
    app.command("worker")(worker_command)
