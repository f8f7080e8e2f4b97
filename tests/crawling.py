"""Crawl-level test helpers: run `pressbot crawl` as cron does (a subprocess against a
mirror-protocol server), and read back what a reader and an operator would see.

Shared by tests/test_unattended.py and tests/test_fault_matrix.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from pressbot.db.models import CrawlRunRow, RecordRow
from tests.conftest import REPO, pressbot


def state(url: str) -> dict[str, Any]:
    """What a reader sees: every record (title, text, date) and how they group into
    stories."""
    engine = create_engine(url)
    try:
        with Session(engine) as s:
            rows = s.scalars(select(RecordRow)).all()
        clusters: dict[int | None, set[str]] = {}
        for r in rows:
            clusters.setdefault(r.cluster_id, set()).add(r.url_key)
        return {
            "records": {r.url_key: (r.title, r.content_hash, r.published_at) for r in rows},
            "stories": sorted(sorted(v) for v in clusters.values()),
        }
    finally:
        engine.dispose()


def runs(url: str, source: str | None = None) -> list[CrawlRunRow]:
    engine = create_engine(url)
    try:
        with Session(engine) as s:
            q = select(CrawlRunRow).order_by(CrawlRunRow.id)
            if source:
                q = q.where(CrawlRunRow.source == source)
            return list(s.scalars(q))
    finally:
        engine.dispose()


def crawl_args(mirror: str, db: str, tmp: Path, *extra: str) -> list[str]:
    return [
        "crawl",
        "--mirror-url",
        mirror,
        "--database",
        db,
        "--log-level",
        "WARNING",
        "-s",
        f"PRESSBOT_DEADLETTER_PATH={tmp / 'dead.jsonl'}",
        *extra,
    ]


def crawl(mirror: str, db: str, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return pressbot(*crawl_args(mirror, db, tmp, *extra))


def spawn(mirror: str, db: str, tmp: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pressbot.cli", *crawl_args(mirror, db, tmp, *extra)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_for(predicate: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except Exception:  # the database may not exist yet
            pass
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)
