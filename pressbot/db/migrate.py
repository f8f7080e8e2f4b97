"""Schema migrations (Alembic). The schema is created and changed only through them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pressbot.db.engine import WRITING

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    head_rev = ScriptDirectory.from_config(_config()).get_current_head()
    assert head_rev is not None
    return head_rev


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations. Two processes starting on a fresh database at once: one
    migrates while the other waits for its lock, then finds nothing to do."""
    cfg = _config()
    # SQLite: BEGIN IMMEDIATE takes the write lock before Alembic reads the revision.
    token = WRITING.set(True)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(724150)")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        WRITING.reset(token)


def ensure_schema(engine: Engine) -> None:
    """Upgrade to the newest schema if the database is behind (cheap when it is not)."""
    if current(engine) != head():
        upgrade(engine)
