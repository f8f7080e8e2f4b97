"""Schema migrations (Alembic). The schema is created and changed only through them."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pressbot.db.engine import WRITING

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@functools.cache
def _script_location() -> Path:
    """The migration scripts as a directory, which is what Alembic reads. Run from
    a zipped egg (a Scrapyd deployment) they are copied out to a temporary
    directory first, removed when the process ends."""
    if MIGRATIONS.is_dir():
        return MIGRATIONS
    target = Path(tempfile.mkdtemp(prefix="pressbot-migrations-"))
    atexit.register(shutil.rmtree, target, True)

    def copy(node: Traversable, dest: Path) -> None:
        for entry in node.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    (dest / entry.name).mkdir()
                    copy(entry, dest / entry.name)
            elif entry.name.endswith((".py", ".mako")):
                (dest / entry.name).write_bytes(entry.read_bytes())

    copy(files("pressbot.db") / "migrations", target)
    return target


def _config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_script_location()))
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
