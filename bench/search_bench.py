"""Search at scale: ``pressbot.db.search`` against a plain ``LIKE '%...%'`` scan of the
body, on SQLite and PostgreSQL, in one run.

Run by hand (not a test):

    .venv/bin/python bench/search_bench.py [--n 100000] [--repeat 5]

For each engine, first what the index costs the store: records/s of 10k new records
(dedup linking on, batches of 500) with the index written and with it switched off.
Then N records of realistic Urdu text (``dedup_data.synthetic_texts``:
sentences of real releases shuffled, numbers redrawn, a quarter of the words
swapped; one in fifty a light copy of an earlier record) are stored through the
store, which writes the search index as a crawl does (``Store.upsert``; near-
duplicate linking off, as it is not what is measured). Then queries of words
chosen by how many records hold them (from one in 10,000 to most of them), two
words, a phrase and a word typed with Arabic letter forms, each timed as the median
of ``--repeat`` runs after one warm-up run: the search (folded query, ranked, one hit
per story, top 20) and the LIKE scan (every record whose body holds the query as
typed; several words: one LIKE each). The LIKE scan neither ranks, folds letter
forms nor reads titles: it is the floor a search without an index would start from.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import Engine, text
from store_bench import _pg_database, drop

from pressbot.db.search import search
from pressbot.db.store import Store
from pressbot.items import Record
from pressbot.text.urdu import match_key

# Urdu letters and the Arabic code points a keyboard set to Arabic types for them.
_ARABIC_FORMS = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"})


def make_records(n: int, seed: int = 5) -> list[Record]:
    import dedup_data

    base = datetime(2024, 1, 1, tzinfo=UTC)
    out = []
    for i, body in enumerate(dedup_data.synthetic_texts(n, seed=seed)):
        key = match_key(body)
        rec = Record(
            url=f"https://bench.example.pk/search/{i}/",
            canonical_url=f"https://bench.example.pk/search/{i}/",
            # A headline from the text's own words, as releases have.
            title=" ".join(body.split()[:9]),
            body=body,
            source=f"bench{i % 4}",
            kind="news",
            language="ur",
            published_at=base + timedelta(minutes=i),
            fetched_at=base,
        )
        rec.match_key = key
        rec.content_hash = hashlib.sha256(key.encode("utf-8")).hexdigest()
        out.append(rec)
    return out


def load(url: str, records: list[Record], batch: int = 1000) -> float:
    """Store the records (the index written by the store); records/s."""
    with Store(url, near=False) as store:
        start = time.perf_counter()
        for i in range(0, len(records), batch):
            store.upsert(records[i : i + batch])
        return len(records) / (time.perf_counter() - start)


def write_cost(fresh: Callable[[], tuple[str, str | None]], n: int = 10_000) -> tuple[float, float]:
    """Records/s of the store (dedup linking on, as in a crawl; batches of 500) into
    an empty database with the index written, and into another with
    ``search.index`` switched off: what the index costs a crawl. ``fresh`` makes an
    empty database: (URL, PostgreSQL database to drop after)."""
    import store_bench

    from pressbot.db import search as search_module

    records = store_bench.make_records(n, seed=3)
    rates = []
    real = search_module.index
    for on in (True, False):
        url, pg = fresh()
        if not on:
            search_module.index = lambda *args, **kwargs: None
        try:
            rates.append(store_bench.timed_upsert(url, records, 500)[0])
        finally:
            search_module.index = real
            if pg:
                drop(pg)
    return rates[0], rates[1]


def pick_queries(records: list[Record]) -> list[tuple[str, str]]:
    """(label, query) pairs: words by the share of records holding them, two words,
    a phrase, and a frequent word typed with Arabic letter forms."""
    df: Counter[str] = Counter()
    for r in records:
        # As the index sees them: "پشاور،" is the word "پشاور".
        df.update(set((r.match_key or "").split()))
    n = len(records)
    words = [w for w in df if len(w) >= 4]
    out = []
    for share in (0.0001, 0.001, 0.01, 0.1, 0.5):
        word = min(words, key=lambda w: (abs(df[w] - share * n), w))
        out.append((f"word in {df[word] / n:.2%}", word))
    ten = sorted(words, key=lambda w: (abs(df[w] - 0.1 * n), w))[:2]
    out.append(("two words, 10% each", " ".join(ten)))
    # Two neighbouring words of a record, as a quoted phrase.
    first = (records[n // 2].match_key or "").split()
    pair = next(
        f"{a} {b}"
        for a, b in itertools.pairwise(first)
        if a in words and b in words and 0.005 * n < df[a] < 0.2 * n
    )
    out.append(("phrase", f'"{pair}"'))
    arabic = next(
        w
        for w in sorted(words, key=lambda w: (abs(df[w] - 0.01 * n), w))
        if w.translate(_ARABIC_FORMS) != w
    )
    out.append(("Arabic letter forms, 1%", arabic.translate(_ARABIC_FORMS)))
    return out


def like_scan(engine: Engine, query: str) -> int:
    """Every record whose body holds each word (or the phrase) as typed."""
    parts = [query.strip('"')] if query.startswith('"') else query.split()
    where = " AND ".join(f"body LIKE :p{i}" for i in range(len(parts)))
    params = {f"p{i}": f"%{p}%" for i, p in enumerate(parts)}
    with engine.connect() as conn:
        return len(conn.execute(text(f"SELECT id FROM records WHERE {where}"), params).all())


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    result = fn()  # warm-up: the pages in the cache, as for a user's second query
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def index_size(engine: Engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            size = conn.execute(text("SELECT pg_total_relation_size('records_tsv')")).scalar()
        else:
            try:
                size = conn.execute(
                    text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'records_fts%'")
                ).scalar()
            except Exception:
                return "?"
        body = conn.execute(text("SELECT sum(length(body)) FROM records")).scalar()
    return f"{(size or 0) / 2**20:.0f} MB (bodies: {(body or 0) / 2**20:.0f} M characters)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    records = make_records(args.n)
    queries = pick_queries(records)
    print(f"{args.n} synthetic records prepared in {time.perf_counter() - t0:.0f}s\n")
    with tempfile.TemporaryDirectory() as tmpdir:
        targets: list[tuple[str, str, str | None]] = [
            ("sqlite", f"sqlite:///{Path(tmpdir) / 'search.db'}", None)
        ]
        try:
            pg_name, pg_url = _pg_database()
            targets.append(("postgresql", pg_url, pg_name))
        except Exception as exc:
            print(f"(PostgreSQL skipped: {exc})")
        for name, url, pg in targets:
            try:

                def fresh(name: str = name, tmp: str = tmpdir) -> tuple[str, str | None]:
                    if name == "postgresql":
                        pg_db, pg_url = _pg_database()
                        return pg_url, pg_db
                    return f"sqlite:///{tempfile.mkdtemp(dir=tmp)}/cost.db", None

                with_index, without = write_cost(fresh)
                print(
                    f"{name}: the store writes {with_index:.0f} records/s with the index, "
                    f"{without:.0f}/s without ({with_index / without:.2f}x)"
                )
                rate = load(url, records)
                if pg:
                    # What autovacuum does after a load: GIN's pending list of fresh
                    # entries merged into the index (until then each query reads it
                    # too, a few ms), and statistics for the planner.
                    with Store(url, migrate=False) as store, store.engine.connect() as conn:
                        conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                            text("VACUUM ANALYZE")
                        )
                with Store(url, migrate=False) as store:
                    engine = store.engine
                    print(
                        f"{name}: {args.n} records stored at {rate:.0f}/s with the index; "
                        f"index {index_size(engine)}"
                    )
                    print(
                        f"  {'query':26} {'search ms':>9} {'stories':>7}"
                        f" {'LIKE ms':>8} {'rows':>6} {'LIKE/search':>11}"
                    )
                    for label, query in queries:
                        s_ms, hits = timed(lambda e=engine, q=query: len(search(e, q)), args.repeat)
                        l_ms, rows = timed(lambda e=engine, q=query: like_scan(e, q), args.repeat)
                        print(
                            f"  {label:26} {s_ms:9.1f} {hits:7d} {l_ms:8.1f} {rows:6d}"
                            f" {l_ms / s_ms:10.1f}x"
                        )
                print()
            finally:
                if pg:
                    drop(pg)


if __name__ == "__main__":
    main()
