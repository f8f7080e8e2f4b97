"""One bad character or one bad record costs that character or that record, never
the batch it travels with."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pressbot.db.models import RecordRow
from pressbot.db.store import Store
from pressbot.ingest import Chain, CountingStats
from pressbot.items import Record, Related
from pressbot.pipelines.sanitise import SanitisePipeline
from pressbot.pipelines.store import StorePipeline
from pressbot.sanitise import clean_text
from tests.conftest import pressbot

BODY = "پشاور پولیس نے شہر میں سیکیورٹی کے انتظامات مزید سخت کر دیے ہیں۔ " * 4


def _record(n: int, **changes: object) -> Record:
    rec = Record(
        url=f"https://kppolice.gov.pk/press_release_detail.php?id={n}",
        canonical_url=f"https://kppolice.gov.pk/press_release_detail.php?id={n}",
        title=f"خبر {n}",
        body=f"{BODY} نمبر {n} " * (n + 1),
        source="kp_police",
        kind="police",
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    for name, value in changes.items():
        setattr(rec, name, value)
    return rec


def test_clean_text() -> None:
    assert clean_text("a\x00b\ud800c\x07") == ("abc", 3)
    assert clean_text("ok\n\ttab\r") == ("ok\n\ttab\r", 0)
    # A surrogate pair written as two escapes is the character it encodes.
    assert clean_text("x\ud83d\ude00y") == ("x😀y", 0)


def test_sanitise_pipeline_cleans_every_text_field_and_counts() -> None:
    stats = CountingStats()
    rec = _record(
        1,
        title="سرخی\x00",
        keywords=["پولیس\ud800"],
        related=[Related(title="پڑھیں\x01", url="https://x.pk/\x00")],
        notes={"published_at": "no date\ud800"},
    )
    SanitisePipeline(stats).process_item(rec)
    assert rec.title == "سرخی"
    assert rec.keywords == ["پولیس"]
    assert rec.related == [Related(title="پڑھیں", url="https://x.pk/")]
    assert rec.notes == {"published_at": "no date"}
    assert stats.values["pressbot/kp_police/sanitised_chars"] == 5
    assert stats.values["pressbot/kp_police/sanitised_records"] == 1


def test_one_refused_record_costs_only_itself(db_url: str, tmp_path: Path) -> None:
    """The database refuses one record of a batch of eight (a NOT NULL column left
    empty): the other seven are stored, only that one is dead-lettered."""
    dead = tmp_path / "dead.jsonl"
    stats = CountingStats()
    pipe = StorePipeline(stats, db_url, batch=8, deadletter_path=str(dead))
    pipe.open_spider()
    from pressbot.pipelines.normalise import NormalisePipeline

    normalise = NormalisePipeline(stats)
    for n in range(8):
        rec = normalise.process_item(_record(n))
        if n == 3:
            rec.title = None  # type: ignore[assignment]
        pipe.process_item(rec)
    pipe.close_spider()
    with Store(db_url) as store, Session(store.engine) as s:
        stored = sorted(s.scalars(select(RecordRow.url)))
    assert len(stored) == 7
    assert all(not u.endswith("id=3") for u in stored)
    lines = dead.read_text("utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["record"]["url"].endswith("id=3")
    assert stats.values["pressbot/kp_police/deadletter"] == 1
    assert stats.values["pressbot/kp_police/new"] == 7


PAGE = """<html><head><meta charset="utf-8">
<script type="application/ld+json">{"@type": "NewsArticle",
 "headline": "پولیس کی کارروائی\\u0000 میں ملزم گرفتار\\ud800",
 "datePublished": "2025-07-11T10:00:00+05:00",
 "keywords": ["پشاور\\u0000", "پولیس"]}</script></head>
<body><article><h1>پولیس کی کارروائی میں ملزم گرفتار</h1>
<p>پشاور پولیس نے ایک کامیاب کارروائی کے دوران ایک ملزم کو گرفتار کر لیا
اور اس کے قبضے سے اسلحہ برآمد کر لیا۔</p>
<p>پولیس حکام کے مطابق ملزم کے خلاف مقدمہ درج کر کے مزید تفتیش شروع کر دی گئی ہے
اور جلد عدالت میں پیش کیا جائے گا۔</p>
</article></body></html>"""


def test_nul_and_lone_surrogate_in_json_ld_are_stored_clean(db_url: str, tmp_path: Path) -> None:
    """A NUL made PostgreSQL refuse the whole batch; a lone surrogate crashed the store
    and then the dead-letter writer."""
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    other = tmp_path / "other.html"
    other.write_text(
        PAGE.replace("\\u0000", "").replace("\\ud800", "").replace("ملزم", "مجرم"), "utf-8"
    )
    result = pressbot(
        "ingest",
        str(page),
        str(other),
        "--database",
        db_url,
        "--deadletter",
        str(tmp_path / "dead.jsonl"),
    )
    assert result.returncode == 0, result.stderr
    assert "deadletter 0" in result.stdout
    with Store(db_url) as store, Session(store.engine) as s:
        rows = s.scalars(select(RecordRow)).all()
    assert len(rows) == 2
    titles = {r.title for r in rows}
    assert "پولیس کی کارروائی میں ملزم گرفتار" in titles
    for r in rows:
        assert "\x00" not in r.title and "\ud800" not in r.title
        assert all("\x00" not in k for k in r.keywords)
    assert not (tmp_path / "dead.jsonl").exists()


def test_chain_counts_sanitised_characters(sqlite_url: str, tmp_path: Path) -> None:
    with Chain(
        {"PRESSBOT_DATABASE_URL": sqlite_url, "PRESSBOT_DEADLETTER_PATH": str(tmp_path / "d")}
    ) as chain:
        chain.process(_record(1, title="سرخی\x00\ud800"))
        outcomes = chain.close()
    assert outcomes["new"] == 1
    assert outcomes["sanitised_chars"] == 2
