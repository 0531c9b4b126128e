"""Engine and session factory for SQLite (embedded demo) and PostgreSQL (production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        if not _is_memory(url):
            # One writer connection: every transaction holds SQLite's write lock (BEGIN IMMEDIATE,
            # below), so a second pooled connection could only wait for it inside sqlite3's busy
            # handler, which polls with sleeps of up to 100 ms (that is what made p99 explode under
            # load). Waiting for the single pooled connection instead queues requests in order and
            # wakes the next one as soon as the connection is returned. Callers may override.
            kwargs = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 30, **kwargs}
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _is_memory(url: str) -> bool:
    database = make_url(url).database
    return not database or database == ":memory:" or "mode=memory" in url


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling is switched off so that every transaction starts with
    # BEGIN IMMEDIATE: writers (and every request writes an audit event) queue on the database
    # lock instead of failing half-way with "database is locked".
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
