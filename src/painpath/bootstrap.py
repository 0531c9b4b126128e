"""Composition root: the only place concrete adapters (engine, sessions, clock) are chosen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from painpath.config import Settings, get_settings
from painpath.records.db import make_engine, make_session_factory
from painpath.services.auth import LoginPolicy
from painpath.services.context import Clock, utc_now
from painpath.services.uow import UnitOfWork


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    login_policy: LoginPolicy

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    @property
    def uow_factory(self) -> Callable[[], UnitOfWork]:
        return self.uow


def bootstrap(
    settings: Settings | None = None, *, clock: Clock = utc_now, engine: Engine | None = None
) -> Container:
    """Build the container; tests pass a shared engine so every test reuses one migrated schema."""
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=clock,
        login_policy=LoginPolicy(
            max_failures=settings.login_max_failures,
            window=timedelta(minutes=settings.login_window_minutes),
            session_lifetime=timedelta(hours=settings.session_hours),
        ),
    )
