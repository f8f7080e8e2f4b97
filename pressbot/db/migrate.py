"""Schema migrations (Alembic). The schema is created and changed only through them.

Who migrates: commands that write (a crawl, ingest, reextract, replay) bring the
schema up to date before their first write, under a lock, so workers starting
together on a fresh database do not race; read-only commands (summary, search,
export, health, warc, browse) never change the schema -- they stop with a message
saying to run ``pressbot db upgrade`` (:func:`require_current`).
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pressbot.db.engine import WRITING
from pressbot.errors import UsageError
from pressbot.redact import mask_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Second key of the migration's advisory lock (PostgreSQL); the run and dedup locks
# use others.
_PG_LOCK = 724150

logger = logging.getLogger(__name__)


class SchemaBehind(UsageError):
    """The database's schema is not the one this pressbot reads and writes."""


@cache
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


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_script_location()))
    return cfg


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    head_rev = _script().get_current_head()
    assert head_rev is not None
    return head_rev


def known(revision: str) -> bool:
    """Is ``revision`` one of this pressbot's migrations?"""
    return revision in {s.revision for s in _script().walk_revisions()}


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def current_of(url: str) -> str | None:
    """The revision of the database at ``url`` (which must exist), read and let go."""
    from pressbot.db.engine import make_engine

    engine = make_engine(url, create=False)
    try:
        return current(engine)
    finally:
        engine.dispose()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations. Two processes starting on a fresh database at once: one
    migrates while the other waits for its lock, then finds nothing to do."""
    cfg = _config()
    # SQLite: BEGIN IMMEDIATE takes the write lock before Alembic reads the revision.
    token = WRITING.set(True)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        WRITING.reset(token)


def ensure_schema(engine: Engine) -> None:
    """Upgrade to the newest schema if the database is behind (cheap when it is not).
    For writers only; readers call :func:`require_current`."""
    rev = current(engine)
    if rev == head():
        return
    if rev is not None and not known(rev):
        raise SchemaBehind(_newer(engine, rev))
    logger.info("database %s: schema %s -> %s", mask_url(str(engine.url)), rev, head())
    upgrade(engine)


def require_current(engine: Engine) -> None:
    """A reader's check: :class:`SchemaBehind` (one line, exit 2) unless the database
    holds exactly this pressbot's schema. Never changes anything."""
    rev = current(engine)
    if rev == head():
        return
    where = mask_url(str(engine.url))
    if rev is None:
        raise SchemaBehind(
            f"database {where} has no pressbot schema: run `pressbot db upgrade` (or a crawl) first"
        )
    if not known(rev):
        raise SchemaBehind(_newer(engine, rev))
    raise SchemaBehind(
        f"database {where} has schema {rev}, this pressbot needs {head()}: "
        "run `pressbot db upgrade`"
    )


def _newer(engine: Engine, rev: str) -> str:
    where = mask_url(str(engine.url))
    return (
        f"database {where} has schema {rev}, unknown to this pressbot (head {head()}): "
        "a newer pressbot migrated it; upgrade pressbot"
    )
