"""Nothing is lost when the database goes away in the middle of a crawl.

A TCP proxy stands between pressbot and the PostgreSQL server; the test cuts it
mid-crawl (every connection dropped, new ones refused) and brings it back, as a
restarted server would look to pressbot.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pressbot.db.models import PageRow, RecordRow
from pressbot.mirror import MirrorServer
from tests.conftest import MIRROR_ROOT, REPO, pressbot


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; ``down()`` cuts everything, ``up()`` restores."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        self.port = sock.getsockname()[1]
        self._listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def down(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for c in self._conns:
                with contextlib.suppress(OSError):
                    c.shutdown(socket.SHUT_RDWR)
                c.close()
            self._conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()


def _state(url: str) -> dict[str, Any]:
    """What a reader sees: the records (text, dates) and how they group into stories."""
    engine = create_engine(url)
    with Session(engine) as s:
        rows = s.scalars(select(RecordRow)).all()
        pages = s.scalar(select(func.count()).select_from(PageRow))
    engine.dispose()
    clusters: dict[int | None, set[str]] = {}
    for r in rows:
        clusters.setdefault(r.cluster_id, set()).add(r.url_key)
    return {
        "records": {
            r.url_key: (r.title, r.content_hash, r.published_at, r.dedup != "first") for r in rows
        },
        "stories": sorted(sorted(v) for v in clusters.values()),
        "pages": pages,
    }


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with Session(engine) as s:
            return s.scalar(select(func.count()).select_from(RecordRow)) or 0
    except Exception:
        return 0
    finally:
        engine.dispose()


def _crawl_cmd(mirror: str, db: str, dead: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pressbot.cli",
        "crawl",
        "--mirror-url",
        mirror,
        "--database",
        db,
        "--log-level",
        "WARNING",
        "-s",
        "PRESSBOT_STORE_BATCH=1",
        "-s",
        "PRESSBOT_ARCHIVE_BATCH=1",
        "-s",
        f"PRESSBOT_DEADLETTER_PATH={dead}",
    ]


def test_database_outage_mid_crawl_then_replay(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    direct = pg_url
    url = make_url(pg_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.up()
    via_proxy = url.set(port=proxy.port).render_as_string(hide_password=False)
    assert pressbot("db", "upgrade", "--database", via_proxy).returncode == 0
    dead = tmp_path / "dead.jsonl"

    with MirrorServer(MIRROR_ROOT, delay=0.15) as mirror:
        # A connection cut mid-transaction may still look alive to the server; a short
        # timeout ends such a transaction (and the dedup lock it holds) in seconds.
        proc = subprocess.Popen(
            _crawl_cmd(mirror.url, via_proxy, dead),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PRESSBOT_DB_TIMEOUT": "5"},
        )
        deadline = time.monotonic() + 120
        while _count(direct) < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proxy.down()
        served = len(mirror.hits)
        while len(mirror.hits) < served + 12 and proc.poll() is None:
            time.sleep(0.05)
        proxy.up()
        _out, err = proc.communicate(timeout=300)

    assert proc.returncode == 1, err[-2000:]  # the crawl finished, and says some failed
    assert "dead-letter" in err
    entries = [json.loads(x) for x in dead.read_text("utf-8").splitlines()]
    failed = [e for e in entries if e["kind"] == "record"]
    assert failed and all(e["error"] for e in entries)

    replay = pressbot("replay", "--file", str(dead), "--database", via_proxy)
    assert replay.returncode == 0, replay.stderr
    assert f"replayed {len(failed)} record(s)" in replay.stdout
    assert not dead.exists()
    assert "nothing to replay" in pressbot("replay", "--file", str(dead)).stdout

    # An undisturbed crawl into a second database ends in the same state.
    other = url.set(database=url.database + "_ref")
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{other.database}"')
    try:
        ref = other.render_as_string(hide_password=False)
        with MirrorServer(MIRROR_ROOT) as mirror:
            done = subprocess.run(
                _crawl_cmd(mirror.url, ref, tmp_path / "ref.jsonl"),
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=300,
            )
        assert done.returncode == 0, done.stderr[-2000:]
        got, want = _state(direct), _state(ref)
        assert got["records"].keys() == want["records"].keys()
        assert {k: v[:3] for k, v in got["records"].items()} == {
            k: v[:3] for k, v in want["records"].items()
        }
        assert got["stories"] == want["stories"]
        assert got["pages"] == want["pages"]
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{other.database}" WITH (FORCE)')
        proxy.down()
