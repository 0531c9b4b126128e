"""The migrations build exactly the schema the models declare, and they reverse cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from painpath.records import migrate
from painpath.records.base import Base


def test_migrations_match_the_models(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_are_at_head(migrated_engine: Engine) -> None:
    assert migrate.current_revision(migrated_engine) == migrate.head_revision(migrated_engine)


def test_migrations_downgrade_and_upgrade_round_trip(migrated_engine: Engine) -> None:
    migrate.downgrade(migrated_engine, "base")
    try:
        assert "patient" not in inspect(migrated_engine).get_table_names()
    finally:
        migrate.upgrade(migrated_engine)
    assert set(Base.metadata.tables) <= set(inspect(migrated_engine).get_table_names())
