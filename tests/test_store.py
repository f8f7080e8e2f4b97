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
