"""A database password never shows, and the files pressbot writes are never
writable by everyone."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.engine import make_url

from pressbot.mirror import MirrorServer
from tests.conftest import MIRROR_ROOT, REPO, pressbot

SECRET = "Planted-Pa55word"


@pytest.fixture
def secret_pg_url(pg_url: str) -> str:
    # Trust authentication ignores the password, so the planted one works everywhere.
    return make_url(pg_url).set(password=SECRET).render_as_string(hide_password=False)


def _everything_in(url: str) -> Iterator[str]:
    """Every value of every row of every table, as text."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(select(table)):
                    yield " ".join(str(v) for v in row)
    finally:
        engine.dispose()


def test_planted_password_appears_nowhere(
    mirror: MirrorServer, secret_pg_url: str, tmp_path: Path
) -> None:
    dead = tmp_path / "dead.jsonl"
    env = {"PRESSBOT_DEADLETTER_PATH": str(dead)}
    outputs = []
    # A crawl, logging at INFO (Scrapy prints its settings there).
    ok = pressbot(
        "crawl", "kp_police", "--mirror-url", mirror.url, "--database", secret_pg_url,
        "--log-level", "INFO", env=env,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr[-2000:]
    outputs += [ok.stdout, ok.stderr]
    # A failed crawl (every site down), and a crawl with --jobs (settings reach the
    # workers: not through their command lines, which every local user can read).
    down = pressbot(
        "crawl", "--mirror-url", "http://127.0.0.1:1", "--database", secret_pg_url,
        "--jobs", "2", "--log-level", "INFO", env=env,
    )  # fmt: skip
    assert down.returncode == 1
    outputs += [down.stdout, down.stderr]
    # A database that is down: the run stops before fetching, and says which one.
    unreachable = make_url(secret_pg_url).set(port=1).render_as_string(hide_password=False)
    refused = pressbot("crawl", "--mirror-url", mirror.url, "--database", unreachable, env=env)
    assert refused.returncode == 1 and "***" in refused.stderr
    outputs += [refused.stdout, refused.stderr]
    # Records that cannot be stored go to the dead-letter file, naming the database.
    page = MIRROR_ROOT / "day1" / "kppolice.gov.pk" / "press_release_detail.php@id=2315"
    ingest = pressbot(
        "ingest", str(page), "--database", unreachable, "--deadletter", str(dead),
        "--url", "https://kppolice.gov.pk/press_release_detail.php?id=2315",
    )  # fmt: skip
    assert ingest.returncode != 0
    outputs += [ingest.stdout, ingest.stderr]
    dead_text = dead.read_text("utf-8")
    assert '"database"' in dead_text and "***" in dead_text
    outputs.append(dead_text)
    # Replay into the right database, an export, the summary, health.
    replay = pressbot("replay", "--file", str(dead), "--database", secret_pg_url, "--any-database")
    assert replay.returncode == 0, replay.stdout + replay.stderr
    outputs += [replay.stdout, replay.stderr]
    export = tmp_path / "out.jsonl"
    for args in (
        ["export", "--database", secret_pg_url, "--output", str(export)],
        ["summary", "--database", secret_pg_url],
        ["health", "--database", secret_pg_url],
        ["db", "current", "--database", secret_pg_url],
    ):
        result = pressbot(*args)
        outputs += [result.stdout, result.stderr]
    outputs.append(export.read_text("utf-8"))
    outputs += list(_everything_in(secret_pg_url))

    assert all(SECRET not in text for text in outputs)
    assert any("postgres:***@" in text for text in outputs)  # masked, not dropped


def _modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode)
        for p in root.rglob("*")
        if not p.is_symlink()
    }


def _run_with_umask(umask: int, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # The shell sets the umask: preexec_fn is unsafe with the mirror's thread running.
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "pressbot.cli", *args])
    return subprocess.run(
        ["sh", "-c", f"umask {umask:03o} && exec {command}"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("umask", [0o000, 0o077])
def test_files_written_respect_umask_and_are_never_world_writable(
    mirror: MirrorServer, tmp_path: Path, umask: int
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    # The default database and lock file under ./data, an export,
    # a WARC, and a dead-letter entry (ingest into an unreachable database).
    crawl = _run_with_umask(umask, ["crawl", "kp_police", "--mirror-url", mirror.url], work)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    for args in (
        ["export", "--output", "out.jsonl"],
        ["export", "--format", "csv", "--output", "out.csv"],
        ["warc", "out.warc.gz"],
        [
            "ingest",
            str(MIRROR_ROOT / "day1" / "kppolice.gov.pk" / "press_release_detail.php@id=2315"),
            "--database",
            "postgresql+psycopg://postgres@127.0.0.1:1/none",
            "--deadletter",
            "data/dead2.jsonl",
        ],
    ):
        _run_with_umask(umask, args, work)
    modes = _modes(work)
    expected = {
        "data",
        "data/pressbot.db",
        "data/pressbot.db.kp_police.lock",
        "data/dead2.jsonl",
        "out.jsonl",
        "out.csv",
        "out.warc.gz",
    }
    assert expected <= modes.keys(), sorted(modes)
    for name, mode in modes.items():
        assert not mode & stat.S_IWOTH, f"{name} is world-writable ({oct(mode)})"
        # The umask is respected: nothing gets a permission it takes away.
        assert not mode & umask, f"{name} has {oct(mode)} despite umask {oct(umask)}"
