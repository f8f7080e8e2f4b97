"""Shared fixtures: the offline mirror on a random loopback port, and real databases.

PostgreSQL tests use the server on 127.0.0.1:5432 (user postgres, trust auth);
each test gets a database of its own, dropped afterwards. With CI=true an
unreachable server fails the tests instead of skipping them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pressbot.mirror import DEFAULT_ROOT, MirrorServer

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
MIRROR_ROOT = DEFAULT_ROOT  # pressbot/data/mirror: package data
SEEDS = REPO / "seeds"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((MIRROR_ROOT / "MANIFEST.json").read_text("utf-8"))
    return data


@pytest.fixture
def mirror() -> Iterator[MirrorServer]:
    with MirrorServer(MIRROR_ROOT, port=0) as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pressbot.db'}"


def _pg_reason() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL not reachable at 127.0.0.1:5432 ({exc})"


@pytest.fixture
def pg_url() -> Iterator[str]:
    reason = _pg_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    import psycopg

    name = f"pressbot_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test against both engines."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command from the repository root with this interpreter's environment."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **kwargs.pop("env", {})}
    return subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


def pressbot(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "pressbot.cli", *args], **kwargs)


def scrapy(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "scrapy", *args], **kwargs)


def crawl_mirror(
    mirror_url: str, db: str, tmp: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """`pressbot crawl` of every source against a mirror server; must succeed."""
    result = pressbot(
        "crawl",
        "--mirror-url",
        mirror_url,
        "--database",
        db,
        "--log-level",
        "WARNING",
        *extra,
        env={"PRESSBOT_DEADLETTER_PATH": str(tmp / "dead.jsonl")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result
