"""The schema comes from migrations only: applied to an empty database, they give
exactly the models, on both engines."""

from __future__ import annotations

import re
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from pressbot.db import migrate
from pressbot.db.models import Base
from pressbot.db.search import FTS_TABLE
from pressbot.db.store import make_engine

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
