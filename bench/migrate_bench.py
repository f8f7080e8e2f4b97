"""What migration 0005 (change feed, SQLite times, jsonb, CHECK constraints) costs
an archive stored by the release before it.

Run by hand (not a test):

    .venv/bin/python bench/migrate_bench.py [--n 20000]

For each engine: a database at revision 0004 is filled with N records of Urdu-like
text (as 0004's code wrote them: naive time text on SQLite, json on PostgreSQL) and
one earlier version of every tenth, then upgraded to head; prints the upgrade's
wall time and records/s, and the database size before and after on SQLite.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import MetaData, insert
from store_bench import _pg_database, drop, make_records

from pressbot.db import migrate
from pressbot.db.store import make_engine, row_values


def fill_0004(url: str, n: int) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine, "0004")
        meta = MetaData()
        meta.reflect(engine, only=["records", "clusters", "record_versions"])
        now = datetime(2026, 11, 1, tzinfo=UTC)
        records = make_records(n)
        with engine.begin() as conn:
            for start in range(0, n, 2000):
                chunk = records[start : start + 2000]
                ids = range(start + 1, start + len(chunk) + 1)
                conn.execute(
                    insert(meta.tables["clusters"]),
                    [{"id": i, "canonical_record_id": i, "size": 1, "created_at": now,
                      "updated_at": now} for i in ids],
                )  # fmt: skip
                rows = []
                for i, r in zip(ids, chunk, strict=True):
                    when = now + timedelta(seconds=i)
                    rows.append(
                        {**row_values(r), "id": i, "cluster_id": i, "dedup": "first",
                         "version": 1, "first_seen_at": when, "changed_at": when}
                    )  # fmt: skip
                conn.execute(insert(meta.tables["records"]), rows)
                conn.execute(
                    insert(meta.tables["record_versions"]),
                    [{"record_id": row["id"], "version": 0, "title": row["title"],
                      "title_en": None, "body": row["body"], "content_hash": "old",
                      "published_at": row["published_at"], "updated_at": None,
                      "fetched_at": row["fetched_at"], "valid_from": now,
                      "valid_to": row["changed_at"]} for row in rows[::10]],
                )  # fmt: skip
            if engine.dialect.name == "postgresql":
                for table in ("clusters", "records", "record_versions"):
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
    finally:
        engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    args = ap.parse_args()
    print(f"{'engine':11} {'records':>8} {'upgrade s':>10} {'records/s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "migrate.db"
        targets: list[tuple[str, str, str | None]] = [("sqlite", f"sqlite:///{path}", None)]
        try:
            name, url = _pg_database()
            targets.append(("postgresql", url, name))
        except Exception as exc:
            print(f"(PostgreSQL skipped: {exc})")
        for engine_name, url, pg_name in targets:
            try:
                fill_0004(url, args.n)
                size = path.stat().st_size if pg_name is None else 0
                engine = make_engine(url)
                start = time.perf_counter()
                migrate.upgrade(engine)
                took = time.perf_counter() - start
                engine.dispose()
                extra = ""
                if pg_name is None:
                    extra = f"  file {size / 1e6:.0f} MB -> {path.stat().st_size / 1e6:.0f} MB"
                print(f"{engine_name:11} {args.n:8d} {took:10.2f} {args.n / took:10.0f}{extra}")
            finally:
                if pg_name is not None:
                    drop(pg_name)


if __name__ == "__main__":
    main()
