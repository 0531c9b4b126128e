"""Background jobs run by Huey: reminders every five minutes and the daily monitoring run.

Run the scheduler with ``huey_consumer painpath.jobs.huey`` (one process is enough; more are
safe: every reminder slot is claimed with a unique key before it is sent).

Queue: RedisHuey when ``PAINPATH_HUEY_URL`` is set, else SqliteHuey at ``PAINPATH_HUEY_SQLITE_PATH``.
Sender (read from the environment here, not from config.py): ``PAINPATH_REMINDER_SENDER`` =
``file`` (default: JSON lines appended to ``PAINPATH_REMINDER_OUTBOX``, default
``var/reminder-outbox.jsonl``) or ``console`` (log lines).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey, crontab

from painpath.bootstrap import Container, bootstrap
from painpath.config import Settings, get_settings
from painpath.services import careplan, monitoring
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.reminders import (
    ConsoleSender,
    FileSender,
    ReminderSender,
    SendReport,
    send_due_reminders,
)

log = logging.getLogger("painpath.jobs")
DEFAULT_OUTBOX = Path("var") / "reminder-outbox.jsonl"


def make_huey(settings: Settings) -> Huey:
    """The queue: Redis in production, a SQLite file for the demo."""
    if settings.huey_url:
        return RedisHuey("painpath", url=settings.huey_url)
    Path(settings.huey_sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("painpath", filename=settings.huey_sqlite_path)


def make_sender(environ: dict[str, str] | None = None) -> ReminderSender:
    env = dict(os.environ if environ is None else environ)
    kind = env.get("PAINPATH_REMINDER_SENDER", "file")
    if kind == "console":
        return ConsoleSender()
    if kind == "file":
        return FileSender(Path(env.get("PAINPATH_REMINDER_OUTBOX", str(DEFAULT_OUTBOX))))
    raise ValueError(f"PAINPATH_REMINDER_SENDER must be 'file' or 'console', not {kind!r}")


def run_reminders(
    container: Container, sender: ReminderSender, *, now: datetime | None = None
) -> SendReport:
    """One scheduler tick: send what is due by now (at most once per slot)."""
    report = send_due_reminders(container.uow, now=now or container.clock(), sender=sender)
    log.info("reminders: %s", report)
    return report


def run_daily_monitoring(container: Container) -> dict[int, int]:
    """Evaluate the alert rules for every monitored patient on their own local date."""
    with container.uow() as uow:
        raised = monitoring.evaluate_all(
            uow, RequestContext(SYSTEM_ACTOR, "daily-monitoring", container.clock)
        )
    log.info("daily monitoring: %d alerts for %d patients", sum(raised.values()), len(raised))
    return raised


@lru_cache(maxsize=1)
def _container() -> Container:
    return bootstrap()


huey = make_huey(get_settings())


@huey.periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def send_reminders_task() -> None:
    run_reminders(_container(), make_sender())


@huey.periodic_task(crontab(hour="5", minute="30"))  # type: ignore[untyped-decorator]
def daily_monitoring_task() -> None:
    run_daily_monitoring(_container())


def run_decision_points(container: Container) -> int:
    """Evaluate every care-plan decision point due today; each that fires becomes a review task."""
    now = container.clock()
    with container.uow() as uow:
        results = careplan.evaluate_due_decision_points(
            uow, RequestContext(SYSTEM_ACTOR, "daily-decision-points", container.clock), now.date()
        )
    log.info("decision points: %d evaluated", len(results))
    return len(results)


@huey.periodic_task(crontab(hour="5", minute="45"))  # type: ignore[untyped-decorator]
def decision_points_task() -> None:
    run_decision_points(_container())
