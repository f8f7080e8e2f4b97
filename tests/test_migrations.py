"""The schema comes from migrations only: applied to an empty database, they give
exactly the models, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from pressbot.db import migrate
from pressbot.db.models import Base
from pressbot.db.store import make_engine


def test_migrations_build_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
        names = set(inspect(engine).get_view_names())
        assert "stories" in names
    finally:
        engine.dispose()


def test_upgrade_is_idempotent(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    migrate.upgrade(engine)
    migrate.ensure_schema(engine)
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    engine.dispose()
