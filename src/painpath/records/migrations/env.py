"""Alembic environment: batch mode so SQLite ALTERs work; URL comes from the caller."""

from __future__ import annotations

from alembic import context

from painpath.records import registry  # noqa: F401  (registers every table on the metadata)
from painpath.records.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("painpath migrations run through painpath.records.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
