from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pressbot.db.models import ClusterRow, RecordRow, VersionRow
from pressbot.db.store import Store
from pressbot.items import Record, Related

PKT = timezone(timedelta(hours=5))


def _record(n: int, body: str = "متن", **kw: object) -> Record:
    values: dict[str, object] = {
        "url": f"https://x.pk/news/{n}/",
        "canonical_url": f"https://x.pk/news/{n}/",
        "title": f"خبر {n}",
        "body": f"{body} {n}",
        "source": "x",
        "kind": "news",
        "published_at": datetime(2023, 9, 4, tzinfo=PKT),
        "fetched_at": datetime(2026, 1, 1, 12, tzinfo=UTC),
        "keywords": ["پولیس"],
        "related": [Related(title="اور خبر", url="https://x.pk/news/99/")],
        "content_hash": f"h{n}-{body}",
    }
    values.update(kw)
    return Record(**values)  # type: ignore[arg-type]


def test_upsert_outcomes_and_no_duplicate_rows(db_url: str) -> None:
    with Store(db_url) as store:
        assert store.upsert([_record(1), _record(2)]) == ["new", "new"]
        assert store.upsert([_record(1), _record(2)]) == ["unchanged", "unchanged"]
        # The same page under a variant URL is the same row.
        variant = _record(
            1,
            url="http://www.x.pk/news/1/?utm_source=fb",
            canonical_url="http://www.x.pk/news/1?utm_source=fb",
        )
        assert store.upsert([variant]) == ["unchanged"]
        assert store.upsert([_record(1, body="نیا متن")]) == ["updated"]
        assert store.count() == 2


def test_datetimes_round_trip_as_aware_utc(db_url: str) -> None:
    with Store(db_url) as store:
        store.upsert([_record(1)])
        with Session(store.engine) as s:
            row = s.scalars(select(RecordRow)).one()
        assert row.published_at == datetime(2023, 9, 3, 19, tzinfo=UTC)
        assert row.published_at.tzinfo is not None
        assert row.keywords == ["پولیس"]
        assert row.related == [{"title": "اور خبر", "url": "https://x.pk/news/99/", "text": None}]


def test_naive_datetimes_are_refused(sqlite_url: str) -> None:
    with Store(sqlite_url) as store, pytest.raises(Exception, match="naive"):
        store.upsert([_record(1, published_at=datetime(2023, 1, 1))])


def test_known_pages(db_url: str) -> None:
    with Store(db_url) as store:
        store.upsert([_record(1), _record(2)])
        known = store.known(["https://x.pk/news/1", "https://x.pk/news/3"])
        assert list(known) == ["https://x.pk/news/1"]
        assert known["https://x.pk/news/1"].content_hash == "h1-متن"


def test_look_ups_of_more_keys_than_one_query_takes(db_url: str) -> None:
    # 1,000 pages: more than one chunk of the store's look-ups (900 keys),
    # sent as an array on PostgreSQL and as a JSON list on SQLite; one page's key
    # is not ASCII (an Urdu host name).
    records = [_record(n, body=f"متن نمبر {n}") for n in range(999)]
    urdu = "https://اردو.pk/news/999"
    records.append(_record(999, body="اردو", url=urdu, canonical_url=urdu))
    with Store(db_url) as store:
        assert store.upsert(records) == ["new"] * 1000
        wanted = [f"https://x.pk/news/{n}" for n in range(0, 1200, 3)] + [urdu]
        known = store.known(wanted)
        expected = [k for k in wanted if k == urdu or int(k.rsplit("/", 1)[1]) < 999]
        assert sorted(known) == sorted(expected)
        assert known["https://x.pk/news/996"].content_hash == "h996-متن نمبر 996"
        assert known[urdu].content_hash == "h999-اردو"
        # Present again, one changed: a look-up of every key finds them all.
        records[500] = _record(500, body="نیا متن")
        outcomes = store.upsert(records)
        assert outcomes[500] == "updated"
        assert outcomes[:500] + outcomes[501:] == ["unchanged"] * 999
        assert store.count() == 1000


def test_a_batch_reads_no_table_whole(sqlite_url: str) -> None:
    # Every statement the store runs for a batch -- new pages, a copy, a changed page,
    # pages already stored -- finds its rows through an index: none reads a table
    # whole (the frontier keeps the pages given up or dropped, and grows for good).
    from sqlalchemy import event

    statements: list[tuple[str, object]] = []
    with Store(sqlite_url) as store:

        @event.listens_for(store.engine, "before_cursor_execute")
        def seen(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
            if isinstance(params, list):
                params = params[0] if params else ()
            statements.append((sql, params))

        store.upsert([_record(n) for n in range(5)])
        copy = _record(9, content_hash="h1-متن")
        store.upsert([copy, _record(1, body="نیا متن"), _record(2), _record(6)])
        reads = [
            (sql, params)
            for sql, params in statements
            if sql.lstrip().upper().startswith(("SELECT", "DELETE", "UPDATE", "WITH"))
        ]
        assert any(sql.lstrip().upper().startswith("DELETE FROM FRONTIER") for sql, _ in reads)
        with store.engine.connect() as conn:
            for sql, params in reads:
                plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
                scans = [
                    row[3]
                    for row in plan
                    if row[3].startswith("SCAN") and "VIRTUAL TABLE" not in row[3]
                ]
                assert scans == [], sql


def test_copies_join_a_story_and_updates_keep_versions(db_url: str) -> None:
    with Store(db_url) as store:
        original = _record(1, kind="police", source="kp")
        copy = _record(
            2,
            kind="news",
            source="x",
            content_hash=original.content_hash,
            published_at=datetime(2023, 9, 3, tzinfo=PKT),
        )
        assert store.upsert([copy]) == ["new"]
        assert store.upsert([original]) == ["exact_duplicate"]
        with Session(store.engine) as s:
            rows = {r.url: r for r in s.scalars(select(RecordRow))}
            cluster = s.get(ClusterRow, rows[original.url].cluster_id)
        assert rows[original.url].cluster_id == rows[copy.url].cluster_id
        # The police release is the story's canonical record, though the copy is older.
        assert cluster is not None and cluster.canonical_record_id == rows[original.url].id
        assert cluster.size == 2

        assert store.upsert([_record(1, body="نیا متن", kind="police", source="kp")]) == ["updated"]
        with Session(store.engine) as s:
            versions = s.scalars(select(VersionRow)).all()
            row = s.scalars(select(RecordRow).where(RecordRow.url == original.url)).one()
        assert [(v.version, v.body) for v in versions] == [(1, "متن 1")]
        assert row.version == 2 and row.body == "نیا متن 1"


def test_bulk_insert_stores_what_sqlalchemy_insert_stores(db_url: str) -> None:
    # The store's bulk path (driver executemany or COPY, values bound by the
    # columns' own types) against SQLAlchemy's insert of the same rows: every
    # stored value equal, read back as the driver returns it.
    from sqlalchemy import insert

    from pressbot.db.engine import WriteSession
    from pressbot.db.store import bulk_insert, row_values

    now = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=PKT)
    records = [
        _record(1),
        _record(2, title_en="Police", updated_at=None, keywords=[], notes={"title": "x\ty"}),
        _record(3, body='quote " tab\t back\\slash\nline', is_excerpt=True, place="پشاور"),
    ]
    table = RecordRow.__table__
    with Store(db_url) as store, WriteSession(store.engine) as s:
        for offset, write in ((0, "bulk"), (100, "sqlalchemy")):
            rows = []
            for n, record in enumerate(records, start=offset + 1):
                row = {
                    **row_values(record),
                    "id": n,
                    "url_key": f"k{n}",
                    "first_seen_at": now,
                    "changed_at": now,
                    "version": 1,
                    "change_seq": n,
                    "cluster_id": None,
                    "dedup": "first",
                }
                rows.append(row)
            if write == "bulk":
                bulk_insert(s, table, rows)  # type: ignore[arg-type]
            else:
                s.execute(insert(table), rows)
        conn = s.connection()
        names = [c.name for c in table.columns if c.name not in ("id", "url_key", "change_seq")]
        got = conn.exec_driver_sql(f"SELECT id, {', '.join(names)} FROM records ORDER BY id").all()
    assert [r[0] for r in got] == [1, 2, 3, 101, 102, 103]
    assert [tuple(r[1:]) for r in got[:3]] == [tuple(r[1:]) for r in got[3:]]
    assert got[0][1:] != got[1][1:]  # the rows differ: the check compares something


def test_bulk_insert_leaves_a_row_without_every_column_to_sqlalchemy(sqlite_url: str) -> None:
    from pressbot.db.engine import WriteSession
    from pressbot.db.store import bulk_insert

    with Store(sqlite_url) as store, WriteSession(store.engine) as s:
        # size and the times are left to their defaults
        bulk_insert(s, ClusterRow.__table__, [{"id": 7, "canonical_record_id": None}])  # type: ignore[arg-type]
        assert s.scalars(select(ClusterRow.size)).one() is not None


@pytest.mark.parametrize(("setting", "expected"), [("1024", 1024 * 1024 * 1024), ("0", 0)])
def test_sqlite_reads_through_a_memory_map_of_the_configured_size(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, setting: str, expected: int
) -> None:
    from pressbot import settings
    from pressbot.db.engine import make_engine

    monkeypatch.setattr(settings, "PRESSBOT_SQLITE_MMAP_MB", setting)
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            # SQLite caps the size at its build's limit (SQLITE_MAX_MMAP_SIZE).
            got = conn.exec_driver_sql("PRAGMA mmap_size").scalar()
            assert got == expected or (expected > 0 and 0 < got <= expected)
    finally:
        engine.dispose()


def test_a_crawls_settings_reach_its_engine(sqlite_url: str) -> None:
    # `scrapy crawl … -s PRESSBOT_SQLITE_MMAP_MB=0` (a crawl's own settings) applies
    # to the engine the crawl's DatabaseOwner makes; settings without it fall back
    # to the environment's value (1024 MB by default).
    from types import SimpleNamespace

    from scrapy.settings import Settings

    from pressbot.extensions import DatabaseOwner

    for given, expected in (({"PRESSBOT_SQLITE_MMAP_MB": "0"}, 0), ({}, 1024 * 1024 * 1024)):
        crawler = SimpleNamespace(settings=Settings(given))
        owner = DatabaseOwner(sqlite_url, crawler)
        try:
            with owner.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == expected
        finally:
            owner.store.close()
