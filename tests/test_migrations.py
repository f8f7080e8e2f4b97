"""The schema comes from migrations only: applied to an empty database, they give
exactly the models, on both engines."""

from __future__ import annotations

import re
from dataclasses import replace
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, DateTime, MetaData, insert, inspect, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pressbot.db import migrate
from pressbot.db.models import (
    FRONTIER_STATES,
    KINDS,
    LANGUAGES,
    RUN_STATUSES,
    Base,
    FrontierRow,
    UTCDateTime,
)
from pressbot.db.search import FTS_TABLE, search
from pressbot.db.store import Store, make_engine
from pressbot.items import Record
from pressbot.mirror import MirrorServer
from tests.conftest import crawl_mirror

_FTS5_SHADOW = re.compile(rf"{FTS_TABLE}(_data|_idx|_content|_docsize|_config)?")


def _for(dialect: str) -> Any:
    """Leave out what the models create on another engine only (``ddl_if``)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
        # SQLite's FTS5 table (migration 0004) and the shadow tables FTS5 keeps its
        # index in are no SQLAlchemy tables, so the models cannot declare them.
        if type_ == "table" and reflected and _FTS5_SHADOW.fullmatch(name or ""):
            return dialect != "sqlite"
        cond = getattr(obj, "_ddl_if", None)
        return cond is None or cond.dialect in (None, dialect)

    return include


def test_migrations_build_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        with engine.connect() as conn:
            opts = {"compare_type": True, "include_object": _for(conn.dialect.name)}
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
        assert diff == []
        names = set(inspect(engine).get_view_names())
        assert "stories" in names
    finally:
        engine.dispose()


def test_upgrade_is_idempotent(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    migrate.upgrade(engine)
    migrate.ensure_schema(engine)
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    engine.dispose()


def test_upgrade_rebuilds_band_keys_of_stored_records(db_url: str) -> None:
    """0003 changed the band layout: the keys of records stored before are computed
    again from their text, so a copy arriving after the upgrade still finds them."""
    from datetime import UTC, datetime

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from pressbot.dedup.decide import SqlLshIndex
    from pressbot.dedup.keys import record_keys
    from pressbot.text.urdu import match_key

    body = (
        "پشاور پولیس نے شہر کے مختلف علاقوں میں سرچ آپریشن کے دوران پینتالیس ملزمان گرفتار کر لیے۔ "
        * 3
    )
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0002")
        now = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO records (id, url_key, url, canonical_url, title, body, "
                    "keywords, related, is_excerpt, notes, content_hash, dedup, version, "
                    "first_seen_at, changed_at) VALUES (7, 'x.pk/1', 'https://x.pk/1', "
                    "'https://x.pk/1', 't', :body, '[]', '[]', false, '{}', 'h', 'first', 1, "
                    ":now, :now)"
                ),
                {"body": body, "now": now},
            )
        migrate.upgrade(engine)
        keys = record_keys(match_key(body))
        with Session(engine) as s:
            found = SqlLshIndex().candidates(s, keys)
        assert found == [(7, len(set(keys)))]
    finally:
        engine.dispose()


# --- 0005: the change feed, SQLite times, jsonb, CHECK constraints -----------------
# Tables in the order their foreign keys allow them to be filled.
_TABLES = (
    "sources", "clusters", "records", "record_versions", "lsh_bands", "lsh_sets",
    "records_tsv", "pages", "crawl_runs", "frontier", "listing_walks",
)  # fmt: skip
_ISO_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _rows(engine: Any, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` read through the models' types, in primary key order."""
    t = Base.metadata.tables[table]
    with engine.connect() as conn:
        rows = conn.execute(select(t).order_by(*t.primary_key.columns)).mappings()
        return [dict(r) for r in rows]


def _wipe(url: str) -> str:
    """An empty database in place of ``url``'s: PostgreSQL's schema dropped, SQLite a new file."""
    if url.startswith("sqlite"):
        return url.replace(".db", "-0004.db")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _write_as_0004(url: str, data: dict[str, list[dict[str, Any]]], fts_from: str) -> None:
    """Fill a database at 0004 with ``data`` as 0004's code wrote it: through the
    types reflected from the 0004 schema (on SQLite SQLAlchemy's naive text
    ``YYYY-MM-DD HH:MM:SS.ffffff``, on PostgreSQL json), with no change_seq; SQLite's
    FTS5 index copied from the crawled database."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine, "0004")
        reflected = MetaData()
        reflected.reflect(engine, only=list(_TABLES))
        with engine.begin() as conn:
            for table in _TABLES:
                rows = [{k: v for k, v in r.items() if k != "change_seq"} for r in data[table]]
                if rows:
                    conn.execute(insert(reflected.tables[table]), rows)
            if conn.dialect.name == "postgresql":  # ids were given: move the serials on
                for table in ("clusters", "records", "record_versions", "pages", "crawl_runs"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT COALESCE(max(id), 0) + 1 FROM {table}), false)"
                        )
                    )
            else:
                path = make_url(fts_from).database
                conn.execute(text("ATTACH DATABASE :path AS crawled"), {"path": path})
                conn.execute(
                    text(
                        "INSERT INTO records_fts (rowid, title, body) "
                        "SELECT rowid, title, body FROM crawled.records_fts"
                    )
                )
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM records")) == len(data["records"])
    finally:
        engine.dispose()


def test_upgrade_from_0004_keeps_a_crawled_database(
    mirror: MirrorServer, db_url: str, tmp_path: Path
) -> None:
    """A database filled by the previous release (0004) is upgraded with its data
    kept: every row reads back the same, stored records are numbered in the order
    they were stored, times and JSON get their new forms, the constraints hold, and
    the store goes on from there."""
    crawl_mirror(mirror.url, db_url, tmp_path)
    with Store(db_url) as store:  # an updated release, so record_versions has a row
        row = _rows(store.engine, "records")[0]
        assert store.upsert([_changed(row)]) == ["updated"]
        with Session(store.engine) as s, s.begin():  # a page that waits for a retry
            s.add(
                FrontierRow(
                    source=row["source"],
                    url_key="example.pk/waits",
                    url="https://example.pk/waits",
                    state="failed",
                    tries=1,
                    first_seen_at=row["fetched_at"],
                    next_try_at=row["fetched_at"],
                )
            )
    data = {table: _rows_of(db_url, table) for table in _TABLES}
    assert len(data["records"]) > 10 and data["record_versions"] and data["crawl_runs"]
    fts = db_url
    old_url = _wipe(db_url)
    _write_as_0004(old_url, data, fts)
    engine = make_engine(old_url)
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:  # as 0004 wrote them
                when = conn.scalar(text("SELECT changed_at FROM records LIMIT 1"))
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", when)
        migrate.upgrade(engine)
        for table in _TABLES:
            after = _rows(engine, table)
            if table == "records":
                # Numbered in the order stored or last changed (a batch shares its
                # time: then by id), from 1.
                order = sorted(after, key=lambda r: (r["changed_at"], r["id"]))
                assert [r["change_seq"] for r in order] == list(range(1, len(after) + 1))
                after = [{k: v for k, v in r.items() if k != "change_seq"} for r in after]
                before = [{k: v for k, v in r.items() if k != "change_seq"} for r in data[table]]
            else:
                before = data[table]
            assert after == before, table
        _check_types(engine)
        _check_constraints(engine)
        with Store(old_url) as store:  # the feed goes on after the largest value
            n = len(data["records"])
            assert store.upsert([_changed(_rows(engine, "records")[1])]) == ["updated"]
            assert max(r["change_seq"] for r in _rows(engine, "records")) == n + 1
        assert search(engine, data["records"][2]["title"])  # the index came through
    finally:
        engine.dispose()


def _rows_of(url: str, table: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    try:
        return _rows(engine, table)
    finally:
        engine.dispose()


def _changed(row: dict[str, Any]) -> Record:
    body = row["body"] + "\n\nترمیم: تفصیلات شامل کی گئیں۔"
    return Record(
        url=row["url"],
        canonical_url=row["canonical_url"],
        title=row["title"],
        body=body,
        source=row["source"],
        kind=row["kind"],
        language=row["language"],
        published_at=row["published_at"],
        fetched_at=row["fetched_at"],
        content_hash=sha256(body.encode()).hexdigest(),
    )


def _check_types(engine: Any) -> None:
    insp = inspect(engine)
    if engine.dialect.name == "postgresql":
        for table in Base.metadata.sorted_tables:
            for col in insp.get_columns(table.name):
                model = table.c[col["name"]].type
                if isinstance(model, UTCDateTime):
                    assert isinstance(col["type"], DateTime) and col["type"].timezone, col
                if isinstance(model.dialect_impl(engine.dialect), JSON):
                    assert isinstance(col["type"], JSONB), (table.name, col)
        return
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.c:
                if isinstance(column.type, UTCDateTime):
                    name = column.name
                    values = conn.scalars(
                        text(f"SELECT {name} FROM {table.name} WHERE {name} IS NOT NULL")
                    ).all()
                    assert all(_ISO_Z.fullmatch(v) for v in values), (table.name, column.name)


def _check_constraints(engine: Any) -> None:
    """A value outside each closed set is refused; the feed's values are unique."""
    for table, column, value in (
        ("records", "kind", "blog"),
        ("records", "language", "urdu"),
        ("records", "dedup", "maybe"),
        ("records", "change_seq", 0),
        ("sources", "kind", "blog"),
        ("crawl_runs", "status", "done"),
        ("frontier", "state", "waiting"),
    ):
        with engine.connect() as conn, conn.begin():
            order = "ORDER BY change_seq" if column == "change_seq" else ""
            key = conn.execute(text(f"SELECT * FROM {table} {order} LIMIT 1")).mappings().first()
            if column == "change_seq":  # another record's value
                value = conn.scalar(text("SELECT max(change_seq) FROM records"))
            assert key is not None, table
            pk = Base.metadata.tables[table].primary_key.columns
            where = " AND ".join(f"{c.name} = :{c.name}" for c in pk)
            with pytest.raises(IntegrityError):
                conn.execute(
                    text(f"UPDATE {table} SET {column} = :v WHERE {where}"),
                    {"v": value, **{c.name: key[c.name] for c in pk}},
                )


def test_closed_sets_are_the_codes_own() -> None:
    """The CHECK constraints list what the code writes, no less."""
    from pressbot import extensions, frontier
    from pressbot.sources import KINDS as SOURCE_KINDS
    from pressbot.text.language import LANGUAGES as TEXT_LANGUAGES

    assert KINDS == SOURCE_KINDS
    assert LANGUAGES == TEXT_LANGUAGES
    statuses = {extensions.OK, extensions.INCOMPLETE, extensions.FAILED, extensions.INTERRUPTED}
    statuses |= {extensions.TIMEOUT, extensions.LOCKED, extensions.ABORTED, "running"}
    assert set(RUN_STATUSES) == statuses
    states = {frontier.PENDING, frontier.FAILED, frontier.GAVE_UP, frontier.DROPPED}
    assert set(FRONTIER_STATES) == states


def test_0005_downgrades_with_the_data_and_upgrades_again(db_url: str) -> None:
    from alembic import command

    from pressbot.db.engine import WRITING

    def to(engine: Any, revision: str, down: bool) -> None:
        cfg = migrate._config()
        token = WRITING.set(True)
        try:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                (command.downgrade if down else command.upgrade)(cfg, revision)
        finally:
            WRITING.reset(token)

    with Store(db_url) as store:
        record = Record(
            url="https://x.pk/1",
            canonical_url="https://x.pk/1",
            title="خبر",
            body="پولیس نے کارروائی کی۔",
            kind="police",
            content_hash="h1",
        )
        assert store.upsert([record]) == ["new"]
        before = _rows(store.engine, "records")
        to(store.engine, "0004", down=True)
        assert "change_seq" not in {c["name"] for c in inspect(store.engine).get_columns("records")}
        to(store.engine, "head", down=False)
        assert _rows(store.engine, "records") == before  # change_seq numbered 1 again
        assert store.upsert([replace(record, body="نیا متن", content_hash="h2")]) == ["updated"]
        assert _rows(store.engine, "records")[0]["change_seq"] == 2
