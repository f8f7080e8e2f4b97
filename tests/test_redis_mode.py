"""Redis mode: several `pressbot crawl` workers share one crawl through the local Redis
(database 13, a key prefix of their own per test) into one PostgreSQL database.

What is proved: the mirror server's own request log shows no page fetched twice
across the workers, whose per-worker page counts (their ``crawl_runs`` rows) add
up to it; every record is stored once and every story is one cluster; the run
ends by itself; a later run asks for listings, feeds and sitemaps again but not
for stored articles; a worker killed with SIGKILL leaves its work to the next
run, which stores it. The Redis protocol itself (found/join, the end of a run,
dead workers, clean-up) is tested directly as well.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from pressbot.db.models import FrontierRow, PageRow
from pressbot.mirror import MirrorServer
from pressbot.sources import get
from pressbot.urls import url_key
from tests.conftest import IN_CI, MIRROR_ROOT, REPO
from tests.crawling import crawl_args, runs, state
from tests.test_e2e import _assert_clusters, _records

REDIS_URL = "redis://127.0.0.1:6379/13"
SOURCES = ("daily_mumtaz", "hamariweb", "kp_police", "nhsrc")
# A worker killed with SIGKILL stops counting after this long.
TTL = "2"


def _redis_reason() -> str | None:
    try:
        import redis
    except ImportError:
        return "the redis client is not installed (pip install 'pressbot[redis]')"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"Redis not reachable at 127.0.0.1:6379 ({exc})"
    return None


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in database 13; its keys are deleted after."""
    reason = _redis_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    import redis

    prefix = f"pbtest-{uuid.uuid4().hex[:10]}"
    server = redis.Redis.from_url(REDIS_URL)
    try:
        yield prefix
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
        server.close()


def _leftover_keys(prefix: str) -> list[str]:
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    try:
        return sorted(k.decode() for k in server.scan_iter(f"{prefix}:*"))
    finally:
        server.close()


def _env(prefix: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PRESSBOT_REDIS_PREFIX": prefix,
        "PRESSBOT_REDIS_WORKER_TTL": TTL,
    }


def _worker(
    mirror: MirrorServer, db: str, tmp: Path, prefix: str, n: int, *extra: str
) -> subprocess.Popen[str]:
    args = crawl_args(mirror.url, db, tmp, "--redis", REDIS_URL, *extra)
    return subprocess.Popen(
        [sys.executable, "-m", "pressbot.cli", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=open(tmp / f"worker{n}.log", "w"),
        text=True,
        env=_env(prefix),
    )


def _finish(procs: list[subprocess.Popen[str]], timeout: float = 90) -> list[int]:
    codes = []
    for proc in procs:
        proc.wait(timeout=timeout)
        codes.append(proc.returncode)
    return codes


def _fetched(mirror: MirrorServer) -> Counter[str]:
    """Requests the mirror answered, robots.txt aside (each worker reads it once)."""
    return Counter(path for path, _ in mirror.hits if not path.endswith("/robots.txt"))


def _starts() -> set[str]:
    """Mirror paths of every source's listings, feeds and sitemaps."""
    paths = set()
    for key in SOURCES:
        src = get(key)
        for url in (*src.listings, *src.feeds, *src.sitemaps):
            paths.add(urlpath(url))
    return paths


def urlpath(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"/{parts.hostname}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def _pages_by_worker(db: str) -> dict[tuple[int | None, str | None], int]:
    """Pages each worker process fetched, summed over its sources (crawl_runs rows)."""
    out: Counter[tuple[int | None, str | None]] = Counter()
    for run in runs(db):
        out[(run.pid, run.host)] += int((run.counts or {}).get("pages", 0))
    return dict(out)


def _wait_until_joined(prefix: str, n: int, procs: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 60
    while not all(_workers_in_run(prefix, key) >= n for key in SOURCES):
        if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
            break  # the assertions below say what went wrong
        time.sleep(0.05)


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_share_one_crawl(
    workers: int,
    pg_url: str,
    redis_prefix: str,
    manifest: dict[str, Any],
    tmp_path: Path,
) -> None:
    # Answers are slow until every worker has joined every source's run (process
    # start-up differs by seconds on a busy machine), then take a little while, as
    # a real site's do, so every worker gets work.
    with MirrorServer(MIRROR_ROOT, port=0, delay=1.0) as mirror:
        procs = [_worker(mirror, pg_url, tmp_path, redis_prefix, n) for n in range(workers)]
        _wait_until_joined(redis_prefix, workers, procs)
        mirror.httpd.delay = 0.1
        codes = _finish(procs)
        logs = [(tmp_path / f"worker{n}.log").read_text("utf-8")[-2000:] for n in range(workers)]
        assert codes == [0] * workers, logs
        fetched = _fetched(mirror)

        # No page fetched twice, across all workers.
        assert fetched, "nothing was fetched"
        assert [p for p, n in fetched.items() if n > 1] == []
        # The workers' own counts agree with the server, and the crawl was shared.
        per_worker = _pages_by_worker(pg_url)
        assert len(per_worker) == workers
        assert sum(per_worker.values()) == sum(fetched.values())
        assert sum(1 for n in per_worker.values() if n > 0) >= 2, per_worker
        # Every worker of every source joined one run, recorded in its crawl_runs row.
        for key in SOURCES:
            shared = {r.counts.get("shared_run") for r in runs(pg_url, key)}
            assert len(shared) == 1 and None not in shared, (key, shared)

        # Every record once, one cluster per story, each article page archived once.
        expected = {url_key(a["url"]) for a in manifest["articles"] if 1 in a["days"]}
        assert set(_records(pg_url)) == expected
        _assert_clusters(pg_url, manifest)
        engine = create_engine(pg_url)
        with Session(engine) as s:
            archived = Counter(s.scalars(select(PageRow.url_key)))
        engine.dispose()
        assert set(archived) == expected and max(archived.values()) == 1
        # The run ended, and took its keys with it.
        assert _leftover_keys(redis_prefix) == []

        if workers != 2:
            return
        # The next cron run (new Redis run): listings, feeds and sitemaps are asked
        # for again, stored articles are not.
        # Slow answers again until both have joined: a worker that starts after the
        # other has finished would rightly start a run of its own.
        before = state(pg_url)
        mirror.hits.clear()
        mirror.httpd.delay = 1.0
        procs = [_worker(mirror, pg_url, tmp_path, redis_prefix, n) for n in range(2)]
        _wait_until_joined(redis_prefix, 2, procs)
        mirror.httpd.delay = 0.1
        assert _finish(procs) == [0, 0]
        again = _fetched(mirror)
        assert [p for p, n in again.items() if n > 1] == []
        assert _starts() <= set(again), _starts() - set(again)
        assert not any(urlpath(a["url"]) in again for a in manifest["articles"])
        assert state(pg_url) == before
        assert _leftover_keys(redis_prefix) == []


def _workers_in_run(prefix: str, source: str) -> int:
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    try:
        run = server.get(f"{prefix}:{source}:run")
        if run is None:
            return 0
        return int(server.hlen(f"{prefix}:{source}:{run.decode()}:workers"))
    finally:
        server.close()


def _frontier_owed(db: str) -> int:
    engine = create_engine(db)
    try:
        with Session(engine) as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(FrontierRow)
                    .where(FrontierRow.state.in_(("pending", "failed")))
                )
                or 0
            )
    finally:
        engine.dispose()


def test_killed_worker_work_is_done_by_the_next_run(
    pg_url: str, redis_prefix: str, manifest: dict[str, Any], tmp_path: Path
) -> None:
    with MirrorServer(MIRROR_ROOT, port=0, delay=0.1) as mirror:
        # The victim starts alone, and slowly (a page every 2 s per site), so the
        # pages fetched first are surely its own and it is still crawling when the
        # others have joined; its records wait in its store batch (200) when it dies,
        # so they are lost with it.
        slow = ("-s", "DOWNLOAD_DELAY=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        victim = _worker(mirror, pg_url, tmp_path, redis_prefix, 0, *slow)
        deadline = time.monotonic() + 60
        articles = {urlpath(a["url"]) for a in manifest["articles"]}
        while sum(1 for p in _fetched(mirror) if p in articles) < 3:
            assert victim.poll() is None and time.monotonic() < deadline, "victim did not crawl"
            time.sleep(0.05)
        others = [_worker(mirror, pg_url, tmp_path, redis_prefix, n) for n in (1, 2)]
        while not all(_workers_in_run(redis_prefix, key) == 3 for key in SOURCES):
            assert victim.poll() is None, "the victim finished before the others joined"
            assert time.monotonic() < deadline, "the workers did not join one run"
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)

        # The others finish the run: no hang waiting for the dead worker, and no
        # page fetched twice within the run.
        codes = _finish(others)
        assert all(code in (0, 1) for code in codes), codes
        fetched = _fetched(mirror)
        assert [p for p, n in fetched.items() if n > 1] == []
        expected = {url_key(a["url"]) for a in manifest["articles"] if 1 in a["days"]}
        stored = set(_records(pg_url))
        # What the victim fetched and never stored is owed, in the database frontier.
        # The others did their share; what the victim held is owed: the articles it
        # had seen are in the database frontier (those on listing pages it never
        # read are found by the next walk, which the cut walk sends deeper).
        assert set() < stored < expected
        assert _frontier_owed(pg_url) > 0
        assert _leftover_keys(redis_prefix) == []

        # The next run (one worker is enough) stores it all.
        mirror.hits.clear()
        nxt = _worker(mirror, pg_url, tmp_path, redis_prefix, 3)
        assert _finish([nxt]) == [0], (tmp_path / "worker3.log").read_text("utf-8")[-2000:]
        assert set(_records(pg_url)) == expected
        _assert_clusters(pg_url, manifest)
        assert _frontier_owed(pg_url) == 0
        # It fetched what was owed, not what was stored.
        refetched = {p for p in _fetched(mirror) if p in articles}
        paths = {url_key(a["url"]): urlpath(a["url"]) for a in manifest["articles"]}
        assert {paths[k] for k in expected - stored} <= refetched
        assert not refetched & {paths[k] for k in stored}
        # The victim's crawl_runs rows were closed as aborted by the worker that
        # ended the run; every other row finished.
        rows = runs(pg_url)
        assert {r.status for r in rows if r.pid == victim.pid} == {"aborted"}
        assert all(r.finished_at is not None for r in rows)


# --- the protocol, directly ---------------------------------------------------------
def _run(prefix: str, ttl: float = 30.0) -> Any:
    import redis

    from pressbot.distributed import SharedRun

    return SharedRun(redis.Redis.from_url(REDIS_URL), prefix, "nhsrc", ttl)


def test_a_run_ends_when_the_queue_is_empty_and_no_live_worker_is_busy(
    redis_prefix: str,
) -> None:
    a, b = _run(redis_prefix), _run(redis_prefix)
    assert a.join() is True and b.join() is False
    assert a.run_id == b.run_id
    # Not done before the founder has pushed the seeds.
    assert b.idle_and_done() is False
    a.server.zadd(a.key("queue"), {b"request": 0})
    a.seeded()
    assert a.idle_and_done() is False  # a request waits in the queue
    assert b.pop() == b"request"  # b is busy with it
    assert a.idle_and_done() is False
    assert b.pop() is None
    assert b.idle_and_done() is True  # nothing queued, nobody busy
    assert a.idle_and_done() is True
    # The last one out deletes the run; the next worker founds a new one.
    assert a.leave() == (False, [])
    assert b.leave() == (True, [])
    assert _leftover_keys(redis_prefix) == []
    c = _run(redis_prefix)
    assert c.join() is True and c.run_id != a.run_id


def test_a_dead_worker_stops_counting_and_a_dead_run_is_replaced(redis_prefix: str) -> None:
    a, b = _run(redis_prefix, ttl=1.0), _run(redis_prefix, ttl=1.0)
    a.join()
    a.seeded()
    b.join()
    a.server.zadd(a.key("queue"), {b"request": 0})
    assert b.pop() == b"request"
    assert a.idle_and_done() is False  # b holds a request
    time.sleep(1.3)  # b is killed: its heartbeat expires
    a.heartbeat()
    assert a.idle_and_done() is True
    # Every worker of a run dead without a word: the next worker founds a new run
    # and drops the dead run's keys (what it owed waits in the database).
    # The last one out of the finished run is told which workers died (their
    # crawl_runs rows are then closed as aborted).
    b.register_row(42)
    a.register_row(41)
    assert a.leave() == (True, [42])
    c, d = _run(redis_prefix, ttl=1.0), _run(redis_prefix, ttl=1.0)
    c.join()
    c.register_row(7)
    c.server.zadd(c.key("queue"), {b"stale": 0})
    time.sleep(1.3)
    assert d.join() is True and d.run_id != c.run_id
    assert d.dead_rows == [7]
    assert not d.server.exists(c.key("queue"))


def test_walks_are_ended_by_one_worker(redis_prefix: str) -> None:
    from datetime import UTC, datetime

    from pressbot.frontier import Walk

    a, b = _run(redis_prefix), _run(redis_prefix)
    a.join()
    b.join()
    since = datetime(2026, 1, 2, tzinfo=UTC)
    a.publish_walks(
        {"https://x/l": Walk("https://x/l", True, since), "https://x/m": Walk("https://x/m")}
    )
    assert b.walk("https://x/l") == Walk("https://x/l", True, since)
    assert b.walk("https://x/m") == Walk("https://x/m", False, None)
    assert b.walk("https://x/other") is None
    assert b.end_walk("https://x/l") is True
    assert a.end_walk("https://x/l") is False


def test_redis_mode_is_off_without_the_setting() -> None:
    """Without PRESSBOT_REDIS_URL the scheduler is Scrapy's, and neither scrapy-redis
    nor the Redis client is imported."""
    code = (
        "import sys\n"
        "from scrapy.crawler import Crawler\n"
        "from scrapy.utils.reactor import install_reactor\n"
        "from pressbot.crawl import crawl_settings\n"
        "from pressbot.spiders.sources import SPIDERS\n"
        "c = Crawler(SPIDERS['nhsrc'], crawl_settings())\n"
        "install_reactor(c.settings['TWISTED_REACTOR'])\n"
        "c._apply_settings()\n"
        "print(c.settings.get('SCHEDULER'), 'redis' in sys.modules, "
        "'scrapy_redis' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PRESSBOT_REDIS_URL"}
    off = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert off.stdout.split() == ["scrapy.core.scheduler.Scheduler", "False", "False"], off.stderr
    on = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**env, "PRESSBOT_REDIS_URL": REDIS_URL},
        capture_output=True,
        text=True,
    )
    assert on.stdout.split()[0] == "pressbot.distributed.SharedScheduler", on.stderr


def test_redis_workers_share_the_run_lock_and_exclude_other_runs(db_url: str) -> None:
    """Workers of a shared run hold the source's lock together; a plain run of the
    source is refused beside them, and they beside it."""
    from pressbot.db.engine import make_engine
    from pressbot.errors import LockedError
    from pressbot.runlock import RunLock

    engine = make_engine(db_url)
    a = RunLock.acquire(engine, "nhsrc", shared=True)
    b = RunLock.acquire(engine, "nhsrc", shared=True)
    with pytest.raises(LockedError):
        RunLock.acquire(engine, "nhsrc")
    RunLock.acquire(engine, "kp_police").release()  # other sources are not concerned
    a.release()
    b.release()
    plain = RunLock.acquire(engine, "nhsrc")
    with pytest.raises(LockedError):
        RunLock.acquire(engine, "nhsrc", shared=True)
    plain.release()
    RunLock.acquire(engine, "nhsrc", shared=True).release()
    engine.dispose()


def test_a_bad_or_unreachable_redis_stops_the_crawl_before_any_request(
    sqlite_url: str, tmp_path: Path
) -> None:
    from tests.conftest import pressbot

    with MirrorServer(MIRROR_ROOT, port=0) as mirror:
        bad = pressbot(*crawl_args(mirror.url, sqlite_url, tmp_path, "--redis", "http://x/"))
        assert bad.returncode == 2, bad.stderr
        assert "PRESSBOT_REDIS_URL" in bad.stderr and "not a Redis URL" in bad.stderr
        down = pressbot(
            *crawl_args(
                mirror.url, sqlite_url, tmp_path, "--redis", "redis://:s3cr3tpw@127.0.0.1:1/0"
            )
        )
        assert down.returncode == 1, down.stderr
        assert "Redis at redis://:***@127.0.0.1:1/0 unavailable" in down.stderr
        assert "s3cr3tpw" not in down.stderr
        assert mirror.hits == []


def test_joiners_date_the_run_from_its_founder(redis_prefix: str) -> None:
    from datetime import UTC, datetime

    a, b = _run(redis_prefix), _run(redis_prefix)
    founded = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    a.join(founded)
    b.join(datetime(2026, 3, 4, 5, 9, 0, tzinfo=UTC))
    assert b.started() == founded
