"""The near-duplicate index as the archive grows: look-up time and bytes per record.

Run by hand (not a test):

    .venv/bin/python bench/lsh_scale.py [--sizes 10000 1000000] [--queries 300]

For each engine (SQLite file, PostgreSQL) and each archive size it fills the index
through :class:`pressbot.dedup.decide.SqlLshIndex` (the store's own index), then
times look-ups of 300 syndicated copies of stored texts -- realistic band keys,
so that candidates are found -- and prints the median time of one batch look-up
(``candidates_many`` of 20 pages, as the store asks) and of a single page, the
share of copies whose original is among the candidates, and the index's size per
record (PostgreSQL: ``pg_total_relation_size`` of ``lsh_sets``; SQLite: the
``lsh_bands`` b-tree from ``dbstat``).

Records: ``QUERY_BASE`` texts from ``bench/dedup_data.synthetic_texts`` (realistic
Urdu-like filler) whose copies are queried, plus filler records up to the size.
Filler keys are random 32-bit values: unrelated records share no keys in
practice, which is all the filler has to model; computing real MinHash keys for a
million texts would take most of an hour without changing what is measured.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup_data
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from pressbot.db.engine import WriteSession
from pressbot.db.models import RecordRow
from pressbot.db.store import Store
from pressbot.dedup.decide import SqlLshIndex
from pressbot.dedup.keys import record_keys
from pressbot.text.urdu import match_key

QUERY_BASE = 2000
FILL_BATCH = 20_000


def realistic(n: int) -> tuple[list[list[int]], list[list[int]]]:
    """Keys of ``n`` realistic texts, and of a light copy of each (the queries)."""
    ls = dedup_data.build()
    rng = random.Random(5)
    texts = list(dedup_data.synthetic_texts(n, seed=23))
    stored = [record_keys(match_key(t)) for t in texts]
    queries = [
        record_keys(
            match_key(dedup_data.make_copy(t, ["tail-boilerplate", "dateline"], rng, ls, ""))
        )
        for t in texts
    ]
    return stored, queries


def fill(store: Store, start: int, stop: int, real: list[list[int]]) -> None:
    rng = random.Random(start)
    index = SqlLshIndex()
    width = len(real[0])
    for lo in range(start, stop, FILL_BATCH):
        hi = min(stop, lo + FILL_BATCH)
        rows = [
            {
                "id": i + 1,
                "url_key": f"bench/{i}",
                "url": f"https://bench.pk/{i}",
                "canonical_url": f"https://bench.pk/{i}",
                "title": "t",
                "body": "",
                "keywords": [],
                "related": [],
                "is_excerpt": False,
                "notes": {},
                "content_hash": f"{i:064d}",
                "dedup": "first",
                "version": 1,
                "change_seq": i + 1,
            }
            for i in range(lo, hi)
        ]
        keys = [
            (
                i + 1,
                real[i] if i < len(real) else [rng.getrandbits(32) - 2**31 for _ in range(width)],
            )
            for i in range(lo, hi)
        ]
        with WriteSession(store.engine) as s:
            s.execute(insert(RecordRow.__table__), rows)
            index.add_many(s, keys)


def index_bytes(store: Store) -> int:
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return int(conn.scalar(text("SELECT pg_total_relation_size('lsh_sets')")) or 0)
        return int(
            conn.scalar(text("SELECT SUM(pgsize) FROM dbstat WHERE name = 'lsh_bands'")) or 0
        )


def time_lookups(store: Store, queries: list[list[int]], n: int) -> tuple[float, float, float]:
    index = SqlLshIndex()
    sample = queries[:n]
    batch_times, single_times = [], []
    found = 0
    with Session(store.engine) as s:
        for i in range(0, len(sample), 20):
            chunk = sample[i : i + 20]
            t0 = time.perf_counter()
            cands = index.candidates_many(s, chunk, 20)
            batch_times.append(time.perf_counter() - t0)
            found += sum(1 for j, c in enumerate(cands) if (i + j + 1) in c)
        for q in sample[:100]:
            t0 = time.perf_counter()
            index.candidates(s, q, 20)
            single_times.append(time.perf_counter() - t0)
    return statistics.median(batch_times), statistics.median(single_times), found / len(sample)


def engines(tmp: Path, which: str, admin: str) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    if which in ("sqlite", "both"):
        out.append(("sqlite", f"sqlite:///{tmp / 'lsh.db'}", None))
    if which == "sqlite":
        return out
    try:
        import psycopg

        name = f"pressbot_lsh_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        server = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        out.append(("postgresql", f"{server}/{name}", name))
    except Exception as exc:
        print(f"(PostgreSQL skipped: {exc})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument(
        "--pg-admin",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a database of the PostgreSQL server to use, where the bench may create its own",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    real, queries = realistic(max(QUERY_BASE, args.queries))
    print(f"{len(real)} realistic texts and their copies keyed in {time.perf_counter() - t0:.0f} s")
    print(
        f"{'engine':11} {'records':>9} {'batch of 20':>12} {'one page':>9} {'found':>6} "
        f"{'bytes/record':>13}"
    )
    with tempfile.TemporaryDirectory() as tmpdir:
        for name, url, pg_name in engines(Path(tmpdir), args.engine, args.pg_admin):
            try:
                with Store(url) as store:
                    have = 0
                    base = None
                    for size in sorted(args.sizes):
                        fill(store, have, size, real)
                        have = size
                        if name == "postgresql":
                            with store.engine.connect().execution_options(
                                isolation_level="AUTOCOMMIT"
                            ) as conn:
                                conn.exec_driver_sql("VACUUM ANALYZE lsh_sets")
                        batch, single, found = time_lookups(store, queries, args.queries)
                        base = base or batch
                        print(
                            f"{name:11} {size:9d} {batch * 1000:10.1f}ms {single * 1000:7.2f}ms "
                            f"{found:6.3f} {index_bytes(store) / size:13.0f}"
                            f"   ({batch / base:.2f}x the smallest size)"
                        )
            finally:
                if pg_name:
                    import psycopg

                    with psycopg.connect(args.pg_admin, autocommit=True) as c:
                        c.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
