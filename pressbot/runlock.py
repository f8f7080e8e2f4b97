"""One run per source per database at a time.

Two cron runs of the same source overlapping would fetch every page twice and
race each other's frontier. The lock is per source, so different sources may run
at once, and it is released by the operating system or the database server when
its holder dies -- a killed run never leaves a stale lock behind:

* PostgreSQL: a session-level advisory lock on a connection kept for the run, so
  it works across machines sharing the database. The connection's
  ``application_name`` names the holder, for the refusal message.
* SQLite: ``flock`` on ``<database file>.<source>.lock`` beside the database (the
  database's own locks are per transaction, not per run). Works for processes of
  one machine, which is what sharing one SQLite file allows anyway.
* Anything else (an in-memory database): no lock is needed.

Redis mode (pressbot/distributed.py) runs many workers of one source at once, on
purpose: they take the lock *shared*, other runs take it exclusive. So the workers
of a shared run never block each other, and a non-Redis run of the source never
runs beside them (whichever comes second is refused, exit 3).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from pressbot.errors import LockedError
from pressbot.files import make_dirs, open_new
from pressbot.redact import mask_url

# First key of pressbot's advisory locks (the migration and dedup locks use others).
_PG_NAMESPACE = 724152


def _holder() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _pg_key(source: str) -> int:
    # The advisory lock's second key is a signed 32-bit integer.
    n = zlib.crc32(source.encode("utf-8"))
    return n - 2**32 if n >= 2**31 else n


def _drop(conn: Connection) -> None:
    """Close ``conn`` for good (not back to the pool): a lock it may hold dies with it."""
    try:
        conn.invalidate()
    finally:
        conn.close()


class RunLock:
    """``RunLock.acquire(engine, source)`` or :class:`LockedError`; ``release()`` at
    the end. The engine is the run's own (a crawl's :class:`DatabaseOwner`): on
    PostgreSQL the lock holds one of its connections for the run."""

    def __init__(self, source: str, shared: bool = False) -> None:
        self.source = source
        self.shared = shared
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    @classmethod
    def acquire(cls, engine: Engine, source: str, shared: bool = False) -> RunLock:
        lock = cls(source, shared)
        url = engine.url
        backend = url.get_backend_name()
        if backend == "postgresql":
            lock._acquire_pg(engine)
        elif backend == "sqlite" and url.database and url.database != ":memory:":
            lock._acquire_file(Path(url.database))
        return lock

    def _acquire_pg(self, engine: Engine) -> None:
        holder = _holder()
        name = f"pressbot {self.source} pid {holder['pid']}@{holder['host']}"[:63]
        # A session-level lock lives on one connection: taken out of the pool for the
        # run, named after its holder for the refusal message, and given back (name
        # reset, lock released) at the end.
        conn = engine.connect()
        try:
            conn.execute(
                text("SELECT set_config('application_name', :name, false)"), {"name": name}
            )
            how = "pg_try_advisory_lock_shared" if self.shared else "pg_try_advisory_lock"
            got = conn.execute(
                text(f"SELECT {how}(:ns, :key)"),
                {"ns": _PG_NAMESPACE, "key": _pg_key(self.source)},
            ).scalar()
            conn.commit()
            if not got:
                who = conn.execute(
                    text(
                        "SELECT a.application_name, a.backend_start FROM pg_locks l "
                        "JOIN pg_stat_activity a ON a.pid = l.pid "
                        "WHERE l.locktype = 'advisory' AND l.classid = :ns AND l.objid = :key "
                        "AND l.granted"
                    ),
                    {"ns": _PG_NAMESPACE, "key": _pg_key(self.source) % 2**32},
                ).first()
                conn.rollback()
                detail = f" ({who[0]}, since {who[1]:%Y-%m-%d %H:%M:%S %Z})" if who else ""
                raise LockedError(
                    f"{self.source}: another run holds the lock on {mask_url(str(engine.url))}"
                    + detail
                )
        except BaseException:
            _drop(conn)
            raise
        self._conn = conn

    def _acquire_file(self, database: Path) -> None:
        path = database.with_name(f"{database.name}.{self.source}.lock")
        make_dirs(path.parent)
        fh = open_new(path, "a+", encoding="utf-8")  # held for the run
        try:
            mode = fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX
            fcntl.flock(fh.fileno(), mode | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            held = fh.read().strip()
            fh.close()
            try:
                who = json.loads(held)
                detail = f" (pid {who['pid']} on {who['host']}, since {who['since']})"
            except (ValueError, KeyError, TypeError):
                detail = ""
            raise LockedError(f"{self.source}: another run holds {path}{detail}") from None
        if not self.shared:  # shared holders are many: none names itself
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(_holder()))
            fh.flush()
        self._file = fh

    def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                how = "pg_advisory_unlock_shared" if self.shared else "pg_advisory_unlock"
                conn.execute(
                    text(f"SELECT {how}(:ns, :key)"),
                    {"ns": _PG_NAMESPACE, "key": _pg_key(self.source)},
                )
                conn.execute(text("RESET application_name"))
                conn.commit()
                conn.close()
            except Exception:
                # The connection is gone (and the server released the lock with it),
                # or in a state not worth giving back to the pool.
                _drop(conn)
        if self._file is not None:
            fh, self._file = self._file, None
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            fh.close()

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
