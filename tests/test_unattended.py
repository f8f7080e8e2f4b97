"""Runs nobody watches: every run ends complete or loud, and the next normal run
makes the database what an undisturbed crawl would have made it.

Each test starts from a failure seen in practice (an interrupted run, a page
limit, a dead site, a bad setting, two overlapping cron runs, a killed parent)
and checks the exit code, the run's recorded status, and the database after one
normal rerun against a reference crawl of the same mirror.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from pressbot.db.models import FrontierRow, ListingWalkRow
from pressbot.mirror import MirrorServer
from tests.conftest import MIRROR_ROOT, REPO, pressbot
from tests.crawling import crawl, runs, spawn, state, wait_for


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The database an undisturbed crawl of the day-1 mirror leaves."""
    tmp = tmp_path_factory.mktemp("reference")
    db = f"sqlite:///{tmp / 'ref.db'}"
    with MirrorServer(MIRROR_ROOT) as mirror:
        done = crawl(mirror.url, db, tmp)
    assert done.returncode == 0, done.stderr[-3000:]
    ref = state(db)
    assert len(ref["records"]) == 32
    return ref


@pytest.fixture
def slow_mirror() -> Iterator[MirrorServer]:
    with MirrorServer(MIRROR_ROOT, delay=0.25) as server:
        yield server


# --- 1. no permanent gaps -------------------------------------------------------------
def test_page_limit_then_normal_run_fills_the_gap(
    mirror: MirrorServer, sqlite_url: str, tmp_path: Path, reference: dict[str, Any]
) -> None:
    """kp_police lists 8 releases over two listing pages. A run limited to page 1
    used to mark the source done: later runs saw nothing new on page 1 and never
    walked page 2, losing 3 releases for good while reporting success."""
    first = crawl(mirror.url, sqlite_url, tmp_path, "kp_police", "--max-pages", "1")
    assert first.returncode == 1, first.stderr[-2000:]
    assert "kp_police  incomplete" in first.stdout
    assert "listing walk(s) cut short" in first.stdout
    assert runs(sqlite_url, "kp_police")[-1].status == "incomplete"
    got = state(sqlite_url)["records"]
    kp = {k for k in reference["records"] if "kppolice" in k}
    assert len(kp) == 8 and 0 < len(kp & got.keys()) < 8

    second = crawl(mirror.url, sqlite_url, tmp_path, "kp_police")
    assert second.returncode == 0, second.stdout + second.stderr[-2000:]
    assert {k: v for k, v in state(sqlite_url)["records"].items()} == {
        k: reference["records"][k] for k in kp
    }
    # The third run is back to the cheap path: page 1 has nothing new, the walk is
    # complete, so page 2 is not fetched again.
    hits = len(mirror.hits)
    third = crawl(mirror.url, sqlite_url, tmp_path, "kp_police")
    assert third.returncode == 0
    listing_hits = [p for p, _ in mirror.hits[hits:] if "press_releases.php" in p]
    assert listing_hits == ["/kppolice.gov.pk/press_releases.php"]


# --- 2. exit codes ----------------------------------------------------------------------
def test_all_sites_down_exits_1(sqlite_url: str, tmp_path: Path) -> None:
    result = crawl("http://127.0.0.1:1", sqlite_url, tmp_path)
    assert result.returncode == 1, result.stdout
    for key in ("daily_mumtaz", "hamariweb", "kp_police", "nhsrc"):
        assert f"{key}: failed: no page fetched" in result.stdout
    assert {r.status for r in runs(sqlite_url)} == {"failed"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "PRESSBOT_STORE_BATCH=abc"], "PRESSBOT_STORE_BATCH='abc'"),
        (["-s", "PRESSBOT_MAX_TRIES=0"], "PRESSBOT_MAX_TRIES='0': must be at least 1"),
        (["-s", "DOWNLOAD_TIMEOUT=soon"], "DOWNLOAD_TIMEOUT='soon'"),
        (["-s", "PRESSBOT_INCREMENTAL=maybe"], "PRESSBOT_INCREMENTAL='maybe'"),
        (["-s", "PRESSBOT_SQLITE_MMAP_MB=-1"], "PRESSBOT_SQLITE_MMAP_MB='-1': must be at least 0"),
        (["--database", "nonsense://x"], "not a usable database URL"),
        (["no_such_source"], "unknown source(s): no_such_source"),
        (["--jobs", "0"], "must be above zero"),
        (["--max-minutes", "-1"], "must be above zero"),
    ],
)
def test_usage_errors_exit_2_before_any_request(
    mirror: MirrorServer, sqlite_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    result = crawl(mirror.url, sqlite_url, tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    # One line says what is wrong (argparse prints its usage above it).
    said = [ln for ln in result.stderr.splitlines() if ln.startswith("pressbot crawl")]
    assert len(said) == 1 and message in said[0]
    assert mirror.hits == []
    assert not (tmp_path / "dead.jsonl").exists() or not (tmp_path / "dead.jsonl").read_text()


def test_unreachable_database_fetches_nothing(mirror: MirrorServer, tmp_path: Path) -> None:
    result = crawl(mirror.url, "postgresql+psycopg://postgres:secret@127.0.0.1:1/none", tmp_path)
    assert result.returncode == 1
    assert "unavailable, nothing was fetched" in result.stderr
    assert "secret" not in result.stderr + result.stdout
    assert mirror.hits == []


# --- 6. interrupted runs ------------------------------------------------------------------
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_crawl_then_rerun(
    slow_mirror: MirrorServer,
    db_url: str,
    tmp_path: Path,
    reference: dict[str, Any],
    sig: int,
    code: int,
) -> None:
    proc = spawn(slow_mirror.url, db_url, tmp_path)
    wait_for(lambda: len(slow_mirror.hits) >= 12)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err[-3000:]
    assert "interrupted" in out
    assert {r.status for r in runs(db_url)} == {"interrupted"}
    partial = state(db_url)["records"]
    assert len(partial) < len(reference["records"])

    rerun = crawl(slow_mirror.url, db_url, tmp_path)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr[-3000:]
    assert state(db_url) == reference


def test_sigkill_mid_crawl_then_rerun(
    slow_mirror: MirrorServer, db_url: str, tmp_path: Path, reference: dict[str, Any]
) -> None:
    proc = spawn(slow_mirror.url, db_url, tmp_path, "-s", "PRESSBOT_STORE_BATCH=1")
    wait_for(lambda: len(state(db_url)["records"]) >= 3)
    proc.kill()
    proc.communicate(timeout=60)
    assert {r.status for r in runs(db_url)} == {"running"}
    assert pressbot("health", "--database", db_url).returncode == 1  # dead runs show

    rerun = crawl(slow_mirror.url, db_url, tmp_path)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr[-3000:]
    assert state(db_url) == reference
    statuses = [r.status for r in runs(db_url)]
    assert statuses.count("aborted") == 4 and statuses.count("ok") == 4
    health = pressbot("health", "--database", db_url)
    assert "killed before finishing" in health.stdout


def test_overlapping_runs_of_a_source_are_refused(db_url: str, tmp_path: Path) -> None:
    # Slow enough that the first run is still going while the others start.
    with MirrorServer(MIRROR_ROOT, delay=1.0) as slow_mirror:
        _overlap(slow_mirror, db_url, tmp_path)


def _overlap(slow_mirror: MirrorServer, db_url: str, tmp_path: Path) -> None:
    first = spawn(slow_mirror.url, db_url, tmp_path, "kp_police", "nhsrc")
    wait_for(lambda: any(r.status == "running" for r in runs(db_url, "kp_police")))
    # The same source again: refused at once, nothing fetched, exit 3.
    second = crawl(slow_mirror.url, db_url, tmp_path, "kp_police")
    assert second.returncode == 3, second.stdout + second.stderr[-2000:]
    assert "kp_police: locked: another run holds the lock" in second.stdout
    row = next(line for line in second.stdout.splitlines() if line.startswith("kp_police "))
    assert row.split()[1:3] == ["locked", "0"]  # status, pages fetched
    # Another source meanwhile runs normally.
    third = crawl(slow_mirror.url, db_url, tmp_path, "hamariweb")
    assert third.returncode == 0, third.stdout + third.stderr[-2000:]
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err[-2000:]
    statuses = {(r.source, r.status) for r in runs(db_url)}
    assert ("kp_police", "ok") in statuses and ("hamariweb", "ok") in statuses
    assert ("kp_police", "locked") not in statuses  # a refusal is not a run


def test_jobs_workers_die_with_their_parent(
    slow_mirror: MirrorServer, sqlite_url: str, tmp_path: Path
) -> None:
    proc = spawn(slow_mirror.url, sqlite_url, tmp_path, "--jobs", "2")
    wait_for(lambda: len(slow_mirror.hits) >= 4)
    children = _children(proc.pid)
    assert len(children) == 2
    # Workers share the parent's process group, so `kill -- -PGID` reaches them too.
    assert {os.getpgid(c) for c in children} == {os.getpgid(proc.pid)}
    proc.kill()
    proc.communicate(timeout=30)
    wait_for(lambda: not any(_alive(c) for c in children), timeout=30)


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(x) for x in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_two_workers_on_a_fresh_database_migrate_once(db_url: str, tmp_path: Path) -> None:
    """Two processes starting on an empty database at once: one migrates, the other
    waits (it used to fail with "database is locked" or a duplicate key)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pressbot.cli", "db", "upgrade", "--database", db_url],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results


# --- 3. budgets -----------------------------------------------------------------------------
def test_time_budget_ends_the_run_then_rerun_completes(
    sqlite_url: str, tmp_path: Path, reference: dict[str, Any]
) -> None:
    with MirrorServer(MIRROR_ROOT, delay=1.0) as slow:
        started = time.monotonic()
        first = crawl(slow.url, sqlite_url, tmp_path, "--max-minutes", "0.05")
        took = time.monotonic() - started
        assert first.returncode == 1, first.stdout + first.stderr[-2000:]
        assert "time budget reached" in first.stdout
        assert {r.status for r in runs(sqlite_url)} == {"timeout"}
        # 3 s of budget; closing waits at most for requests already in flight, whose
        # timeout was cut to the time left.
        assert took < 3 + 10
    with MirrorServer(MIRROR_ROOT) as mirror:
        rerun = crawl(mirror.url, sqlite_url, tmp_path)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr[-2000:]
    assert state(sqlite_url) == reference


def test_article_budget_defers_to_the_frontier(
    mirror: MirrorServer, sqlite_url: str, tmp_path: Path, reference: dict[str, Any]
) -> None:
    first = crawl(mirror.url, sqlite_url, tmp_path, "-s", "PRESSBOT_MAX_ARTICLES=3")
    assert first.returncode == 1
    assert "budget reached: articles" in first.stdout
    engine = create_engine(sqlite_url)
    with Session(engine) as s:
        waiting = s.scalars(select(FrontierRow.state)).all()
        walks = s.scalars(select(ListingWalkRow)).all()
    engine.dispose()
    assert waiting and set(waiting) == {"pending"}
    assert walks
    # Each run takes its budget's worth from the frontier until nothing waits.
    for _ in range(12):
        result = crawl(mirror.url, sqlite_url, tmp_path, "-s", "PRESSBOT_MAX_ARTICLES=3")
        if result.returncode == 0:
            break
    assert result.returncode == 0, result.stdout
    assert state(sqlite_url) == reference


def test_summary_json_of_workers_carries_status(
    mirror: MirrorServer, sqlite_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "summary.json"
    result = crawl(mirror.url, sqlite_url, tmp_path, "kp_police", "--summary-json", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text("utf-8"))
    assert data["signum"] is None
    assert [(s["source"], s["status"]) for s in data["summaries"]] == [("kp_police", "ok")]
