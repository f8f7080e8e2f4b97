"""Full-text search (pressbot.db.search, `pressbot search`) on both engines: queries
folded as stored text is, one hit per story, an index the store keeps current."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from pressbot.db import migrate
from pressbot.db.engine import make_engine
from pressbot.db.search import EmptyQuery, parse_query, search
from pressbot.db.store import Store
from pressbot.items import Record
from pressbot.mirror import MirrorServer
from tests.conftest import crawl_mirror, pressbot

BODY = (
    "پشاور پولیس نے شہر کے مختلف علاقوں میں سرچ آپریشن کے دوران ۴۵ مشتبہ افراد گرفتار کر لیے۔\n\n"
    "ملزمان کے قبضے سے اسلحہ اور منشیات برآمد کی گئی۔"
)


def _record(n: int, body: str, *, title: str = "", **kw: object) -> Record:
    values: dict[str, object] = {
        "url": f"https://x.pk/news/{n}/",
        "canonical_url": f"https://x.pk/news/{n}/",
        "title": title or f"خبر نمبر {n}",
        "body": body,
        "source": "x",
        "kind": "news",
        "published_at": datetime(2023, 9, 4, n % 24, tzinfo=UTC),
        "fetched_at": datetime(2026, 1, 1, tzinfo=UTC),
        "content_hash": f"hash-{n}",
    }
    values.update(kw)
    return Record(**values)  # type: ignore[arg-type]


def _ids(url: str, query: str, **kw: object) -> list[int]:
    with Store(url) as store:
        return [h.record_id for h in search(store.engine, query, **kw)]  # type: ignore[arg-type]


def test_queries_fold_as_stored_text_folds() -> None:
    q = parse_query('پوليس كے "سرچ  آپريشن،" ۴۵ پُولیس ؟')
    # Arabic yeh and kaf become Urdu's, diacritics go, digits are ASCII, a word twice
    # counts once, punctuation is no word.
    assert q.words == ("پولیس", "کے", "45")
    assert q.phrases == (("سرچ", "آپریشن"),)
    assert q.fts5() == '"پولیس" "کے" "45" "سرچ آپریشن"'
    # A one-word phrase is a word.
    assert parse_query("“پشاور”").words == ("پشاور",)


@pytest.mark.parametrize("query", ["", "   ", "؟ ۔ !! ،", '""', "+ - *"])
def test_a_query_without_words_is_refused(query: str) -> None:
    with pytest.raises(EmptyQuery):
        parse_query(query)


def test_arabic_letter_forms_find_urdu_records(db_url: str) -> None:
    with Store(db_url) as store:
        store.upsert([_record(1, BODY), _record(2, "کراچی میں بارش کے بعد سڑکیں زیر آب آ گئیں۔")])
    # ي ك for ی ک, Arabic-Indic and ASCII digits for Urdu ones, a diacritic.
    assert _ids(db_url, "پوليس مشتبه") == [1]  # Arabic heh too
    assert _ids(db_url, "پوليس") == [1]
    assert _ids(db_url, "سرچ آپريشن ٤٥") == [1]
    assert _ids(db_url, "45 گرفتار") == [1]
    assert _ids(db_url, "پُولیس") == [1]
    assert _ids(db_url, "سڑكيں") == [2]
    assert _ids(db_url, "پولیس بارش") == []  # every word must match


def test_phrases_need_adjacent_words(db_url: str) -> None:
    with Store(db_url) as store:
        store.upsert([_record(1, BODY), _record(2, "آپریشن کے بعد سرچ جاری رہی۔")])
    assert sorted(_ids(db_url, "سرچ آپریشن")) == [1, 2]
    assert _ids(db_url, '"سرچ آپريشن"') == [1]


def test_one_hit_per_story_with_its_copies(db_url: str) -> None:
    with Store(db_url) as store:
        original = _record(1, BODY, kind="police", source="kp_police")
        copy = _record(2, BODY + " (اے پی پی)", content_hash=original.content_hash, source="x")
        assert store.upsert([copy, original, _record(3, "پولیس لائنز میں تقریب۔")]) == [
            "new",
            "exact_duplicate",
            "new",
        ]
        hits = search(store.engine, "پولیس")
        by_story = {h.story: h for h in hits}
        assert len(hits) == len(by_story) == 2
        story = next(h for h in hits if h.copies == 2)
        # The story is shown by its canonical record (the police release) ...
        assert (story.record_id, story.source) == (2, "kp_police")
        assert story.title == "خبر نمبر 1"
        # ... and, among one source's records, by that source's copy.
        only_x = search(store.engine, "پولیس", sources=["x"])
        assert sorted((h.record_id, h.copies) for h in only_x) == [(1, 2), (3, 1)]
        assert [h.rank for h in only_x] == [1, 2]
        assert search(store.engine, "پولیس", limit=1)[0].rank == 1
        assert len(search(store.engine, "پولیس", limit=1)) == 1


def test_a_word_in_the_title_ranks_above_one_in_the_body(db_url: str) -> None:
    filler = "صوبائی حکومت نے ترقیاتی منصوبوں کا جائزہ لیا اور ہدایات جاری کیں۔ " * 3
    with Store(db_url) as store:
        store.upsert(
            [
                _record(1, filler + "ڈینگی کے کیسز میں اضافہ ہوا۔"),
                _record(2, filler + "ہسپتالوں میں اضافہ ہوا۔", title="ڈینگی کے خلاف مہم"),
            ]
        )
    assert _ids(db_url, "ڈینگی") == [2, 1]


def test_a_changed_text_replaces_the_indexed_one(db_url: str) -> None:
    with Store(db_url) as store:
        store.upsert([_record(1, BODY)])
        assert store.upsert(
            [_record(1, "مردان میں کھلی کچہری منعقد ہوئی۔", content_hash="v2")]
        ) == ["updated"]
    assert _ids(db_url, "سرچ") == []
    assert _ids(db_url, "كچهري") == [1]


def test_a_deleted_record_leaves_no_hit(db_url: str) -> None:
    with Store(db_url) as store:
        store.upsert([_record(1, BODY), _record(2, BODY + " مزید", content_hash="other")])
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM records WHERE id = 2"))
    assert _ids(db_url, "پولیس") == [1]
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            table = "records_tsv" if engine.dialect.name == "postgresql" else "records_fts"
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "query", ["OR", "NOT پولیس", "پولیس*", "NEAR(پولیس سرچ)", "title:پولیس", "پولیس-سرچ", "^ab"]
)
def test_query_syntax_is_read_as_words(sqlite_url: str, query: str) -> None:
    """FTS5 operators in a query are words: nothing a user types is a syntax error."""
    with Store(sqlite_url) as store:
        store.upsert([_record(1, BODY)])
        search(store.engine, query)


def test_the_migration_indexes_records_stored_before_it(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0003")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO records (id, url_key, url, canonical_url, title, body, "
                    "keywords, related, is_excerpt, notes, content_hash, dedup, version, "
                    "first_seen_at, changed_at) VALUES (7, 'x.pk/1', 'https://x.pk/1', "
                    "'https://x.pk/1', 'پشاور پولیس', :body, '[]', '[]', false, '{}', 'h', "
                    "'first', 1, :now, :now)"
                ),
                {"body": BODY, "now": datetime(2026, 1, 1)},
            )
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert _ids(db_url, "منشيات") == [7]


# --- the command --------------------------------------------------------------------
def test_search_command_on_the_crawled_mirror(
    mirror: MirrorServer, db_url: str, tmp_path: Path
) -> None:
    """What a user does: crawl, then search with Arabic letter forms (ي ك ه), as a
    keyboard set to Arabic types them."""
    crawl_mirror(mirror.url, db_url, tmp_path)
    # "ڈینگی" typed with Arabic yeh: the health ministry's release and its copy.
    result = pressbot("search", "ڈينگي", "كيسز", "--database", db_url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("  1. ") and "ڈینگی" in lines[0]
    assert (
        "nhsrc" in lines[1] and "copies: 2" in lines[1] and "https://www.nhsrc.gov.pk/" in lines[1]
    )
    # Both copies of the story are one hit.
    hits = [
        json.loads(line)
        for line in pressbot(
            "search", "پشاور پوليس سرچ", "--json", "--database", db_url
        ).stdout.splitlines()
    ]
    assert hits and hits[0]["copies"] == 2 and hits[0]["source"] == "kp_police"
    assert len({h["story"] for h in hits}) == len(hits)
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert set(hits[0]) >= {"rank", "title", "source", "published_at", "url", "copies"}
    # --source: that source's records only.
    mumtaz = pressbot("search", "پوليس", "--source", "daily_mumtaz", "--json", "--database", db_url)
    assert {json.loads(line)["source"] for line in mumtaz.stdout.splitlines()} == {"daily_mumtaz"}


def test_search_command_no_match_and_usage_errors(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        store.upsert([_record(1, BODY)])
    none = pressbot("search", "کراچی", "--database", sqlite_url)
    assert (none.returncode, none.stdout.strip()) == (0, "no match for 'کراچی'")
    as_json = pressbot("search", "کراچی", "--json", "--database", sqlite_url)
    assert (as_json.returncode, as_json.stdout) == (0, "")
    assert "no match" in as_json.stderr
    for query in ("؟!", " "):
        bad = pressbot("search", query, "--database", sqlite_url)
        assert bad.returncode == 2, bad.stderr
        assert "nothing to search for" in bad.stderr
    assert pressbot("search", "x", "--limit", "0", "--database", sqlite_url).returncode == 2
