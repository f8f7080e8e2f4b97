"""Store throughput: batched upserts into SQLite and PostgreSQL, and streaming export.

Run by hand (not a test):

    .venv/bin/python bench/store_bench.py [--n 10000] [--batch 500] [--export-rows 200000]

For each engine, in one run: records/s of a plain batched insert of the same rows
(no dedup: the floor the store is compared with), storing N new records (with
dedup linking: each new record's LSH candidates are looked up and confirmed, one
in fifty is a copy of an earlier record), N already-present records (unchanged:
nothing is written), and one commit per row. Then export rows/s and peak memory
(maxrss of a child process) at two table sizes, to show that export memory does
not grow with the number of rows.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pressbot.db.store import Store
from pressbot.dedup.keys import record_keys
from pressbot.items import Record
from pressbot.text.urdu import match_key

LETTERS = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہیے"


def make_records(n: int, seed: int = 7) -> list[Record]:
    """Realistic Urdu-like texts (``dedup_data.synthetic_texts``: sentences of real
    releases shuffled, numbers redrawn, one in fifty a light copy of an earlier
    record), so that the store's dedup linking finds candidates as it would in a
    real archive rather than never."""
    import dedup_data

    base = datetime(2025, 1, 1, tzinfo=UTC)
    out = []
    for i, body in enumerate(dedup_data.synthetic_texts(n, seed=seed)):
        key = match_key(body)
        rec = Record(
            url=f"https://bench.example.pk/news/{seed}/{i}/",
            canonical_url=f"https://bench.example.pk/news/{seed}/{i}/",
            title=f"خبر نمبر {i}",
            body=body,
            source="bench",
            kind="news",
            language="ur",
            published_at=base + timedelta(minutes=i),
            fetched_at=base,
            keywords=["بینچ"],
        )
        rec.match_key = key
        rec.content_hash = hashlib.sha256(key.encode("utf-8")).hexdigest()
        rec.band_keys = record_keys(key)
        out.append(rec)
    return out


def plain_insert(url: str, records: list[Record], batch: int) -> float:
    """The floor: the same rows inserted in batches with no dedup (no look-ups, no
    clusters, no band keys) -- what the store's rate is compared with."""
    from sqlalchemy import insert

    from pressbot.db.engine import WriteSession
    from pressbot.db.models import RecordRow
    from pressbot.db.store import row_values

    now = datetime.now(UTC)
    with Store(url) as store:
        start = time.perf_counter()
        for i in range(0, len(records), batch):
            rows = [
                {
                    **row_values(r),
                    "first_seen_at": now,
                    "changed_at": now,
                    "version": 1,
                    "dedup": "first",
                    "change_seq": i + n + 1,
                }
                for n, r in enumerate(records[i : i + batch])
            ]
            with WriteSession(store.engine) as s:
                s.execute(insert(RecordRow.__table__), rows)
        return len(records) / (time.perf_counter() - start)


def timed_upsert(url: str, records: list[Record], batch: int) -> tuple[float, dict[str, int]]:
    counts: dict[str, int] = {}
    with Store(url) as store:
        start = time.perf_counter()
        for i in range(0, len(records), batch):
            for outcome in store.upsert(records[i : i + batch]):
                counts[outcome] = counts.get(outcome, 0) + 1
        elapsed = time.perf_counter() - start
    return len(records) / elapsed, counts


@contextlib.contextmanager
def without_search_index() -> Iterator[None]:
    """The store with :func:`pressbot.db.search.index` a no-op, for the diagnostic."""
    from pressbot.db import search

    saved = search.index
    search.index = lambda *args, **kwargs: None
    try:
        yield
    finally:
        search.index = saved


def export_child(url: str) -> None:
    """Run in a child process: stream the export to /dev/null, print rows/s and maxrss."""
    from pressbot.db.store import Store
    from pressbot.export import iter_rows, write_jsonl

    with Store(url) as store, open("/dev/null", "w", encoding="utf-8") as sink:
        start = time.perf_counter()
        n = write_jsonl(iter_rows(store.engine, include_duplicates=True), sink)
        elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} {n / elapsed:.0f} {peak_mb:.0f}")


def fill_fast(url: str, n: int) -> None:
    """Bulk rows for the export test (plain inserts; dedup is not what is measured)."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from pressbot.db.models import ClusterRow, RecordRow
    from pressbot.db.store import Store, row_values

    proto = make_records(1000)
    with Store(url) as store, Session(store.engine) as s, s.begin():
        existing = s.query(RecordRow).count()
        for start in range(existing, n, 5000):
            rows = []
            for i in range(start, min(n, start + 5000)):
                r = proto[i % 1000]
                v = row_values(r)
                v.update(
                    url=f"https://bench.example.pk/x/{i}",
                    url_key=f"https://bench/x/{i}",
                    canonical_url=f"https://bench.example.pk/x/{i}",
                    content_hash=f"{i:064d}",
                    change_seq=i + 1,
                )
                rows.append(v)
            s.execute(insert(RecordRow), rows)
        s.execute(insert(ClusterRow), [{"canonical_record_id": None, "size": 1}])


def _pg_database() -> tuple[str, str]:
    import psycopg

    name = f"pressbot_bench_{uuid.uuid4().hex[:8]}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def engines(tmp: Path) -> list[tuple[str, str, object]]:
    out: list[tuple[str, str, object]] = [("sqlite", f"sqlite:///{tmp / 'bench.db'}", None)]
    try:
        name, url = _pg_database()
        out.append(("postgresql", url, name))
    except Exception as exc:
        print(f"(PostgreSQL skipped: {exc})")
    return out


def drop(name: object) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--export-rows", type=int, default=200_000)
    ap.add_argument("--export-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.export_child:
        export_child(args.export_child)
        return

    t0 = time.perf_counter()
    records = make_records(args.n)
    print(
        f"{args.n} synthetic records prepared in {time.perf_counter() - t0:.1f}s "
        f"(keys computed outside the timings)\n"
    )
    print(f"{'engine':11} {'case':34} {'records/s':>10}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for name, url, pg_name in engines(tmp):
            try:
                plain_url = url.replace("bench.db", "plain.db") if pg_name is None else None
                if pg_name is not None:
                    plain_name, plain_url = _pg_database()
                floor = plain_insert(plain_url, records, args.batch)
                if pg_name is not None:
                    drop(plain_name)
                print(f"{name:11} {f'{args.n} plain insert, no dedup':34} {floor:10.0f}")
                rate, c = timed_upsert(url, records, args.batch)
                print(
                    f"{name:11} {f'{args.n} new, batches of {args.batch}':34} {rate:10.0f}  {c}"
                    f"  ({rate / floor:.2f}x the plain insert)"
                )
                # Where the rest goes: the same store with its full-text index
                # switched off (a diagnostic; the store always indexes).
                bare_url = url.replace("bench.db", "bare.db")
                if pg_name is not None:
                    bare_name, bare_url = _pg_database()
                with without_search_index():
                    bare, _ = timed_upsert(bare_url, records, args.batch)
                if pg_name is not None:
                    drop(bare_name)
                print(
                    f"{name:11} {'  same, without the full-text index':34} {bare:10.0f}"
                    f"  (diagnostic: the index costs {1 - rate / bare:.0%} of the rate)"
                )
                rate, c = timed_upsert(url, records, args.batch)
                print(
                    f"{name:11} {f'{args.n} present, batches of {args.batch}':34} {rate:10.0f}  {c}"
                )
                extra = make_records(1000, seed=99)
                rate, _ = timed_upsert(url, extra, 1)
                print(f"{name:11} {'1000 new, one commit per row':34} {rate:10.0f}")
                for rows in (args.export_rows // 4, args.export_rows):
                    fill_fast(url, rows)
                    out = subprocess.run(
                        [sys.executable, __file__, "--export-child", url],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout.split()
                    print(
                        f"{name:11} {f'export jsonl, {out[0]} rows':34} {float(out[1]):10.0f}"
                        f"  peak RSS {out[2]} MB"
                    )
            finally:
                if pg_name:
                    drop(pg_name)


if __name__ == "__main__":
    main()
