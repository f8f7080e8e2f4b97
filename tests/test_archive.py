"""The raw archive: records rebuilt from it without the network, and WARC in and out."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session

from pressbot.db.models import RecordRow
from pressbot.mirror import MirrorServer
from tests.conftest import MIRROR_ROOT, crawl_mirror, pressbot


def _crawl(db: str, tmp: Path) -> None:
    with MirrorServer(MIRROR_ROOT) as mirror:
        crawl_mirror(mirror.url, db, tmp)


def _export(db: str) -> dict[str, dict[str, object]]:
    out = pressbot("export", "--include-duplicates", "--database", db).stdout
    return {r["url"]: r for r in map(json.loads, out.splitlines())}


def test_reextract_rebuilds_records_offline(db_url: str, tmp_path: Path) -> None:
    _crawl(db_url, tmp_path)  # the mirror is gone after this: no network below
    before = _export(db_url)
    # What an older extractor left behind: a body with boilerplate, a lost date.
    victim = "https://kppolice.gov.pk/press_release_detail.php?id=2315"
    engine = create_engine(db_url)
    with Session(engine) as s, s.begin():
        s.execute(
            update(RecordRow)
            .where(RecordRow.url == victim)
            .values(body=RecordRow.body + "\n\nGo To Top", content_hash="0" * 64, published_at=None)
        )
    engine.dispose()

    result = pressbot("reextract", "--database", db_url)
    assert result.returncode == 0, result.stderr
    assert "re-extracted 32 archived page(s)" in result.stdout
    assert "records changed: 1" in result.stdout
    after = _export(db_url)
    assert after[victim]["body"] == before[victim]["body"]
    # Stored in UTC: 4 September 2023, 00:00 in Peshawar.
    assert after[victim]["published_at"] == before[victim]["published_at"]
    assert before[victim]["published_at"] == "2023-09-03T19:00:00+00:00"
    assert after[victim]["version"] == 2
    assert {u: r["title"] for u, r in after.items()} == {u: r["title"] for u, r in before.items()}

    only = pressbot("reextract", "--source", "nhsrc", "--database", db_url)
    assert "re-extracted 8 archived page(s)" in only.stdout
    assert "records changed: 0" in only.stdout


def test_warc_round_trip(sqlite_url: str, tmp_path: Path) -> None:
    _crawl(sqlite_url, tmp_path)
    warc = tmp_path / "archive.warc.gz"
    assert "wrote 32 response(s)" in pressbot("warc", str(warc), "--database", sqlite_url).stdout

    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = pressbot("ingest", str(warc), "--database", fresh)
    assert result.returncode == 0, result.stderr
    assert "ingested 32 page(s)" in result.stdout
    original, rebuilt = _export(sqlite_url), _export(fresh)
    assert rebuilt.keys() == original.keys()
    for url, rec in original.items():
        for field in (
            "title",
            "title_en",
            "body",
            "published_at",
            "place",
            "agency",
            "is_excerpt",
            "source",
        ):
            assert rebuilt[url][field] == rec[field], (url, field)

    # Same stories, whatever the cluster numbers.
    def stories(rows: dict[str, dict[str, object]]) -> set[frozenset[str]]:
        groups: dict[object, set[str]] = {}
        for url, r in rows.items():
            groups.setdefault(r["cluster_id"], set()).add(url)
        return {frozenset(g) for g in groups.values()}

    assert stories(rebuilt) == stories(original)
