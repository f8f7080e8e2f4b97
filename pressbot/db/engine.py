"""Engines: one place that knows how pressbot talks to SQLite and PostgreSQL."""

from __future__ import annotations

import os
from contextvars import ContextVar
from typing import Any, cast

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pressbot.errors import UsageError
from pressbot.files import create_file

# Set while a write transaction is opened: SQLite then takes the write lock up
# front (BEGIN IMMEDIATE) instead of on its first write.
WRITING: ContextVar[bool] = ContextVar("pressbot_writing", default=False)


def _setting(settings: Any, name: str) -> int:
    """A whole-number pressbot setting: from ``settings`` (a crawl's Scrapy settings,
    ``-s`` values included) when given, else as the environment set it."""
    value = settings.get(name) if settings is not None else None
    if value is None:  # no crawl, or a crawl whose settings lack it
        from pressbot import settings as environment

        value = getattr(environment, name)
    return int(value)


def make_engine(url: str, *, create: bool = True, settings: Any = None) -> Engine:
    """An engine for ``url``. ``create=False`` (read-only commands): a SQLite file that
    does not exist is a :class:`UsageError`, not a new empty database. ``settings``:
    a crawl's Scrapy settings, for PRESSBOT_SQLITE_MMAP_MB and PRESSBOT_DB_TIMEOUT
    (else the environment's values)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if (
            parsed.database
            and parsed.database != ":memory:"
            and not parsed.database.startswith("file:")
        ):
            if not create and not os.path.exists(parsed.database):
                raise UsageError(
                    f"no database at {parsed.database}: crawl into it or run "
                    "`pressbot db upgrade` first"
                )
            # Created here rather than by SQLite, so that its mode (and that of the
            # -wal and -shm files SQLite copies it to) is never world-writable.
            create_file(parsed.database)
        engine = create_engine(url, connect_args={"timeout": 30})
        mmap_bytes = _setting(settings, "PRESSBOT_SQLITE_MMAP_MB") * 1024 * 1024

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # SQLAlchemy, not pysqlite, starts transactions (see _begin below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # WAL lets readers (analysts, the spider's look-ups) work beside the writer.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            # 32 MB of page cache (the default is 2 MB): band keys land on random
            # pages of a large index, and a small cache rereads them from the OS.
            cur.execute("PRAGMA cache_size=-32768")
            # Pages outside that cache are read through a memory map rather than
            # copied in by read(): a batch's dedup look-up lands on ~600 random
            # pages of the band index, which at a million records are mostly not in
            # the cache (bench/lsh_scale.py: 3.0x the 10k look-up time without,
            # 1.8x with). An I/O error on a mapped page is a SIGBUS rather than an
            # error; mapped pages read count in the process's RSS (shared page
            # cache). PRESSBOT_SQLITE_MMAP_MB=0 turns it off.
            cur.execute(f"PRAGMA mmap_size={mmap_bytes}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Writers take the write lock up front: a batch reads (cluster look-ups)
            # before it writes, and two processes must not both read then collide.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if WRITING.get() else "BEGIN")

        return engine
    ms = _setting(settings, "PRESSBOT_DB_TIMEOUT") * 1000
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            # A transaction left open by a vanished client is ended by the server, and
            # a writer waiting for the dedup lock gives up (its batch is dead-lettered)
            # rather than waiting forever.
            "options": f"-c idle_in_transaction_session_timeout={ms} -c lock_timeout={ms}",
            # Notice dead peers on idle connections.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        },
    )


def insert_for(engine: Engine, table: Any) -> Any:
    """``INSERT`` with ``ON CONFLICT`` clauses for the engine's dialect."""
    if engine.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(cast(Table, table))


class WriteSession:
    """``with WriteSession(engine) as s:`` a session in a write transaction that is
    committed on success (SQLite: BEGIN IMMEDIATE, like the store's batches)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Session:
        self._token = WRITING.set(True)
        self._session = Session(self.engine)
        self._tx = self._session.begin()
        return self._session

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self._tx.commit()
            else:
                self._tx.rollback()
        finally:
            self._session.close()
            WRITING.reset(self._token)
