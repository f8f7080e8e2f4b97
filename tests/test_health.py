"""`pressbot health`: a redesigned site shows in the crawl history and the archive."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pressbot.archive import page_values
from pressbot.db.models import CrawlRunRow
from pressbot.db.store import Store
from pressbot.health import boilerplate_report, check_runs, repeated_lines
from pressbot.items import Record
from tests.conftest import pressbot

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _run(s: Session, source: str, **counts: int) -> None:
    s.add(
        CrawlRunRow(
            source=source,
            started_at=NOW,
            finished_at=NOW,
            finish_reason="finished",
            counts={"pages": 10, **counts},
            errors=0,
        )
    )


def test_healthy_history_then_a_redesign(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        with Session(store.engine) as s, s.begin():
            for _ in range(5):
                _run(s, "site", new=8, **{"dropped/no_body": 1})
        assert check_runs(store) == []
        with Session(store.engine) as s, s.begin():
            _run(s, "site", new=1, listing_without_articles=2, **{"dropped/no_body": 9})
        messages = [f.message for f in check_runs(store)]
    assert any("no article links" in m for m in messages)
    assert any("90% of records dropped (usually 11%)" in m for m in messages)
    assert pressbot("health", "--database", sqlite_url).returncode == 1


def test_repeated_lines_and_leaks(sqlite_url: str) -> None:
    def page(n: int) -> bytes:
        return (
            "<html><body><div>ہمارا نعرہ: خدمت سب کے لیے</div><p>"
            + f"خبر نمبر {n} " * 30
            + "</p><div>Footer Links</div></body></html>"
        ).encode()

    lines = dict(repeated_lines(page(n) for n in range(4)))
    assert lines == {"ہمارا نعرہ: خدمت سب کے لیے": 1.0, "Footer Links": 1.0}
    with Store(sqlite_url) as store:
        store.archive(
            [page_values(f"https://x.pk/{n}", 200, {}, page(n), NOW, "x") for n in range(4)]
        )
        rec = Record(
            url="https://x.pk/0",
            canonical_url="https://x.pk/0",
            title="t",
            body="متن\nہمارا نعرہ: خدمت سب کے لیے",
            source="x",
            content_hash="h",
        )
        store.upsert([rec])
        report = boilerplate_report(store, "x")
    assert report[0] == ("ہمارا نعرہ: خدمت سب کے لیے", 1.0, 1)
    assert ("Footer Links", 1.0, 0) in report
