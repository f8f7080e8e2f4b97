"""End to end: real Scrapy (`scrapy crawl` and `pressbot crawl`, in subprocesses,
as a user runs them) against the mirror on a random loopback port, into real
databases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from pressbot.db.models import ClusterRow, CrawlRunRow, PageRow, RecordRow, VersionRow
from pressbot.mirror import MirrorServer
from pressbot.urls import url_key
from tests.conftest import crawl_mirror, pressbot, scrapy

BOILERPLATE = ("Go To Top", "اپنا تبصرہ بھیجیں", "Post Views", "Press Release Detail")


def _is_article(path: str) -> bool:
    from pressbot.sources import for_url

    src = for_url("https://" + path.lstrip("/"))
    return src is not None and src.is_article("https://" + path.lstrip("/"))


def _records(db: str) -> dict[str, RecordRow]:
    engine = create_engine(db)
    try:
        with Session(engine) as s:
            return {r.url_key: r for r in s.scalars(select(RecordRow))}
    finally:
        engine.dispose()


def _count(db: str, model: Any) -> int:
    engine = create_engine(db)
    try:
        with Session(engine) as s:
            return s.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def _crawl(mirror: MirrorServer, db: str, tmp: Any, *extra: str) -> Any:
    return crawl_mirror(mirror.url, db, tmp, *extra)


def _assert_clusters(db: str, manifest: dict[str, Any]) -> None:
    """Syndicated copies and excerpts share their original's cluster, nothing else does,
    and an official release is the canonical record of its story."""
    stored = _records(db)
    groups: dict[str, set[str]] = {}
    for a in manifest["articles"]:
        if url_key(a["url"]) in stored:
            keys = {url_key(a["url"])} | {url_key(u) for u in a["same_story_as"]}
            merged = set().union(*(groups.get(k, {k}) for k in keys)) & set(stored)
            for k in merged:
                groups[k] = merged
    stories = {frozenset(g) for g in groups.values()}
    assert len({r.cluster_id for r in stored.values()}) == len(stories)
    engine = create_engine(db)
    with Session(engine) as s:
        canonical = dict(s.execute(select(ClusterRow.id, ClusterRow.canonical_record_id)).all())
    engine.dispose()
    by_id = {r.id: r for r in stored.values()}
    for story in stories:
        clusters = {stored[k].cluster_id for k in story}
        assert len(clusters) == 1, sorted(story)
        members = [stored[k] for k in story]
        head = by_id[canonical[clusters.pop()]]
        if any(m.kind in ("police", "ministry") for m in members):
            assert head.kind in ("police", "ministry"), (head.url, sorted(story))
        assert not head.is_excerpt or all(m.is_excerpt for m in members)


def test_scrapy_list_shows_every_source() -> None:
    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["daily_mumtaz", "hamariweb", "kp_police", "nhsrc"]
    assert "several spiders with the same name" not in result.stderr


def test_whole_mirror_stored_once_then_nothing_new(
    mirror: MirrorServer, db_url: str, manifest: dict[str, Any], tmp_path: Any
) -> None:
    first = _crawl(mirror, db_url, tmp_path)
    expected = {url_key(a["url"]): a for a in manifest["articles"] if 1 in a["days"]}
    stored = _records(db_url)
    assert set(stored) == set(expected)
    for key, row in stored.items():
        a = expected[key]
        assert (row.source, row.title) == (a["source"], " ".join(a["title"].split()))
        assert row.published_at == datetime.fromisoformat(a["published_at"])
        assert row.body.strip() and row.fetched_at is not None
        assert row.content_hash and len(row.content_hash) == 64
        assert not any(p in row.body for p in BOILERPLATE)
    _assert_clusters(db_url, manifest)
    summary = first.stdout
    for source in ("daily_mumtaz", "hamariweb", "kp_police", "nhsrc"):
        assert source in summary
    # Every article response was archived; every source left a crawl-run row.
    assert _count(db_url, PageRow) == len(expected)
    assert _count(db_url, CrawlRunRow) == 4

    before = len(mirror.hits)
    _crawl(mirror, db_url, tmp_path)
    assert _records(db_url).keys() == stored.keys()
    assert _count(db_url, VersionRow) == 0
    # Incremental: within the revalidation window no article is even asked for
    # (every page was fetched seconds ago), and listings stop at the first page with
    # nothing new: only listings, feeds, sitemaps and robots.txt are requested.
    second = mirror.hits[before:]
    assert [p for p, _ in second if _is_article(p)] == []
    assert len(second) < before


def test_day_two_brings_the_new_article_and_the_update(
    mirror: MirrorServer, sqlite_url: str, manifest: dict[str, Any], tmp_path: Any
) -> None:
    _crawl(mirror, sqlite_url, tmp_path)
    mirror.day = 2
    _crawl(mirror, sqlite_url, tmp_path)
    stored = _records(sqlite_url)
    assert set(stored) == {url_key(a["url"]) for a in manifest["articles"]}
    changed = next(a for a in manifest["articles"] if a.get("day2"))
    row = stored[url_key(changed["url"])]
    assert row.updated_at == datetime.fromisoformat(changed["day2"]["updated_at"])
    assert row.version == 2
    assert _count(sqlite_url, VersionRow) == 1


def test_scrapy_crawl_one_source(mirror: MirrorServer, sqlite_url: str, tmp_path: Any) -> None:
    result = scrapy(
        "crawl",
        "kp_police",
        "-s",
        f"PRESSBOT_MIRROR={mirror.url}",
        "-s",
        f"PRESSBOT_DATABASE_URL={sqlite_url}",
        "-s",
        f"PRESSBOT_DEADLETTER_PATH={tmp_path / 'dead.jsonl'}",
        "-O",
        str(tmp_path / "o.jsonl"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert {r.source for r in _records(sqlite_url).values()} == {"kp_police"}
    assert len(_records(sqlite_url)) == 8
    lines = (tmp_path / "o.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 8 and "ہمارا ایمان" not in "".join(lines)


@pytest.mark.parametrize("missing", ["unknown_source"])
def test_crawl_refuses_unknown_source(missing: str) -> None:
    result = pressbot("crawl", missing)
    assert result.returncode == 2
    assert "unknown source" in result.stderr


def test_separate_processes_share_one_database(
    mirror: MirrorServer, db_url: str, manifest: dict[str, Any], tmp_path: Any
) -> None:
    """Four workers at once, one per source, one database: one cluster per story."""
    import subprocess
    import sys

    from tests.conftest import REPO

    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                key,
                "-s",
                f"PRESSBOT_MIRROR={mirror.url}",
                "-s",
                f"PRESSBOT_DATABASE_URL={db_url}",
                "-s",
                "LOG_LEVEL=WARNING",
                "-s",
                f"PRESSBOT_DEADLETTER_PATH={tmp_path / key}.jsonl",
                "-s",
                "PRESSBOT_STORE_BATCH=1",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key in ("nhsrc", "daily_mumtaz", "hamariweb", "kp_police")
    ]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
    assert not list(tmp_path.glob("*.jsonl")), "nothing may be dead-lettered"
    assert len(_records(db_url)) == len([a for a in manifest["articles"] if 1 in a["days"]])
    _assert_clusters(db_url, manifest)


def test_crawl_in_two_processes(
    mirror: MirrorServer, sqlite_url: str, manifest: dict[str, Any], tmp_path: Any
) -> None:
    """`pressbot crawl --jobs 2` splits the sources between two processes (both
    cores) and stores the same thing as one process."""
    result = _crawl(mirror, sqlite_url, tmp_path, "--jobs", "2")
    for source in ("daily_mumtaz", "hamariweb", "kp_police", "nhsrc"):
        assert source in result.stdout
    assert len(_records(sqlite_url)) == len([a for a in manifest["articles"] if 1 in a["days"]])
    _assert_clusters(sqlite_url, manifest)


def test_young_releases_are_revalidated_old_ones_wait(
    mirror: MirrorServer, sqlite_url: str, tmp_path: Any
) -> None:
    """Stored pages seen on a listing's first page are revalidated by age: a release
    published yesterday and last checked five hours ago is asked for again (a
    conditional request: 304, nothing stored), one from 2023 checked as recently is
    not. (Issue 10: no article requests on a re-crawl within the window.)"""
    from datetime import UTC, timedelta

    from sqlalchemy import update

    from pressbot.db.models import PageRow

    _crawl(mirror, sqlite_url, tmp_path, "kp_police")
    young = "https://kppolice.gov.pk/press_release_detail.php?id=2316"
    now = datetime.now(UTC)
    engine = create_engine(sqlite_url)
    with Session(engine) as s, s.begin():
        s.execute(update(PageRow).values(fetched_at=now - timedelta(hours=5)))
        s.execute(
            update(RecordRow)
            .where(RecordRow.url_key == url_key(young))
            .values(published_at=now - timedelta(days=1), updated_at=None)
        )
    engine.dispose()
    before = len(mirror.hits)
    _crawl(mirror, sqlite_url, tmp_path, "kp_police")
    asked = [(p, status) for p, status in mirror.hits[before:] if _is_article(p)]
    assert asked == [("/kppolice.gov.pk/press_release_detail.php?id=2316", 304)]
