"""Redis mode throughput: pages per minute per worker, for docs/scaling.md.

Run by hand (not a test), with PostgreSQL and Redis on this machine:

    .venv/bin/python bench/redis_bench.py [--pages 300] [--workers 2]

Builds the larger offline mirror of bench/crawl_bench.py (two sources, ``--pages``
release pages each, paginated listings), serves it on loopback, and crawls it
into a fresh PostgreSQL database three ways: one plain `pressbot crawl` (no
Redis), one Redis-mode worker, and ``--workers`` Redis-mode workers sharing the
crawl. For each it prints wall time, pages per minute (in all and per worker)
and CPU seconds per page (the workers' own user+system time), then the ratios.
Politeness is off (a loopback mirror, 8 requests at once per site), so what is
measured is what a worker can do: extraction and the database's write path.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from crawl_bench import build  # noqa: E402 - the mirror generator of crawl_bench.py

from pressbot.mirror import MirrorServer  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/13"


def fresh_database() -> tuple[str, str]:
    import psycopg

    name = f"pressbot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts(url: str) -> tuple[int, int]:
    """(records stored, article pages archived)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            records = conn.execute(text("SELECT count(*) FROM records")).scalar_one()
            pages = conn.execute(text("SELECT count(*) FROM pages")).scalar_one()
        return int(records), int(pages)
    finally:
        engine.dispose()


def sizes(url: str) -> tuple[int, int]:
    """Bytes on disk (with indexes and TOAST): the raw archive, and everything else."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            pages = conn.execute(text("SELECT pg_total_relation_size('pages')")).scalar_one()
            total = conn.execute(
                text(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'm') AND n.nspname = 'public'"
                )
            ).scalar_one()
        return int(pages), int(total) - int(pages)
    finally:
        engine.dispose()


class ConnectionSampler(threading.Thread):
    """The most connections the crawl held open to its database at once."""

    def __init__(self, name: str) -> None:
        super().__init__(daemon=True)
        self.name_ = name
        self.most = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            while not self.stop.wait(0.2):
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (self.name_,)
                ).fetchone()
                self.most = max(self.most, int(row[0]) if row else 0)


def crawl(mirror: str, db: str, tmp: Path, workers: int, redis: bool) -> tuple[float, float]:
    """Wall seconds and the workers' CPU seconds of one crawl."""
    args = [
        sys.executable,
        "-m",
        "pressbot.cli",
        "crawl",
        "kp_police",
        "nhsrc",
        "--mirror-url",
        mirror,
        "--database",
        db,
        "--log-level",
        "ERROR",
        "-s",
        f"PRESSBOT_DEADLETTER_PATH={tmp / 'dead.jsonl'}",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    ]
    env = dict(os.environ)
    if redis:
        args += ["--redis", REDIS_URL]
        env["PRESSBOT_REDIS_PREFIX"] = f"bench-{uuid.uuid4().hex[:8]}"
    # The schema first, so the workers time the crawl, not the migrations.
    subprocess.run(
        [sys.executable, "-m", "pressbot.cli", "db", "upgrade", "--database", db],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(workers)
    ]
    codes = [p.wait() for p in procs]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # 1: the generated mirror has no sitemap for nhsrc (a 404 makes the run "incomplete").
    if any(code not in (0, 1) for code in codes):
        raise SystemExit(f"a crawl failed: exit codes {codes}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300, help="release pages per source")
    ap.add_argument("--workers", type=int, default=2, help="Redis-mode workers sharing a crawl")
    ap.add_argument(
        "--rounds", type=int, default=2, help="rounds of the three crawls (the best of each counts)"
    )
    args = ap.parse_args()
    kinds = (
        ("plain, 1 process", 1, False),
        ("redis, 1 worker", 1, True),
        (f"redis, {args.workers} workers", args.workers, True),
    )
    best: dict[str, tuple[float, float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "mirror"
        build(root, args.pages)
        with MirrorServer(root, port=0) as mirror:
            for n in range(args.rounds):
                # Alternate the order: a machine shared with other work drifts.
                for label, workers, redis in kinds if n % 2 == 0 else kinds[::-1]:
                    name, db = fresh_database()
                    sampler = ConnectionSampler(name)
                    sampler.start()
                    try:
                        wall, cpu = crawl(mirror.url, db, tmp, workers, redis)
                        records, pages = counts(db)
                        archive, rest = sizes(db)
                    finally:
                        sampler.stop.set()
                        sampler.join()
                        drop_database(name)
                    per_min = pages / wall * 60
                    print(
                        f"round {n + 1} {label:>18}: {pages} article pages ({records} records) "
                        f"in {wall:.1f} s = {per_min:.0f} pages/min, {per_min / workers:.0f} per "
                        f"worker; {cpu / pages * 1000:.0f} ms CPU per page",
                        flush=True,
                    )
                    print(
                        f"{'':>27}database: {archive / pages / 1024:.1f} KiB raw archive and "
                        f"{rest / pages / 1024:.1f} KiB of records, bands and frontier per page; "
                        f"at most {sampler.most} connections ({sampler.most / (2 * workers):.1f} "
                        "per source per worker)",
                        flush=True,
                    )
                    if label not in best or per_min > best[label][0]:
                        best[label] = (per_min, cpu / pages, workers)
    print("best of each:")
    for label, (per_min, cpu, workers) in best.items():
        print(
            f"  {label:>18}: {per_min:.0f} pages/min, {per_min / workers:.0f} per worker, "
            f"{cpu * 1000:.0f} ms CPU per page"
        )
    plain, one, many = (best[k[0]][0] for k in kinds)
    print(f"redis 1 worker / plain: {one / plain:.2f}x the throughput")
    print(f"redis {args.workers} workers / 1 worker: {many / one:.2f}x the throughput")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"(this machine: {os.cpu_count()} cores, load average {load}; wall time includes "
        "process start-up)"
    )


if __name__ == "__main__":
    main()
