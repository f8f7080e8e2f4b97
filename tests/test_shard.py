"""`pressbot reextract --shard I/N` and `--jobs N`: shards of one raw archive run in
parallel leave the same database as one full re-extraction, and a shard run twice
changes nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, insert, select
from sqlalchemy.orm import Session

from pressbot.db import migrate
from pressbot.db.engine import make_engine
from pressbot.db.models import PageRow
from pressbot.mirror import MirrorServer
from pressbot.reextract import Shard
from tests.conftest import MIRROR_ROOT, PG_ADMIN, REPO, crawl_mirror, pressbot

# Bookkeeping, which says when (in time, or in the change feed's order) a row was
# written, not what it holds.
_WHEN = {
    "id", "first_seen_at", "changed_at", "created_at", "valid_from", "valid_to", "change_seq",
}  # fmt: skip


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The raw pages a crawl of the day-1 mirror archives."""
    tmp = tmp_path_factory.mktemp("archive")
    db = f"sqlite:///{tmp / 'crawl.db'}"
    with MirrorServer(MIRROR_ROOT) as mirror:
        crawl_mirror(mirror.url, db, tmp)
    engine = make_engine(db)
    try:
        with Session(engine) as s:
            rows = [
                {c.name: getattr(p, c.key) for c in PageRow.__table__.columns}
                for p in s.scalars(select(PageRow).order_by(PageRow.id))
            ]
    finally:
        engine.dispose()
    assert len({r["url_key"] for r in rows}) >= 30
    return rows


def _archive_only(url: str, pages: list[dict[str, Any]]) -> str:
    """A database holding the raw archive and nothing else (no record yet)."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(insert(PageRow.__table__), pages)
    finally:
        engine.dispose()
    return url


def dump(url: str) -> dict[str, Any]:
    """Every table the records live in, row ids replaced by what they stand for (a
    record by its url_key, a story by its members), bookkeeping times left out.

    ``records.dedup`` says which copy of a story was stored first ("first") and which
    came later ("exact", "near"): arrival order, which shards running side by side
    change by design. It is compared per story instead -- the same stories with the
    same numbers of first, exact and near copies."""
    engine = make_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out: dict[str, Any] = {}
    try:
        with engine.connect() as conn:
            key_of = dict(
                conn.execute(
                    select(meta.tables["records"].c.id, meta.tables["records"].c.url_key)
                ).all()
            )
            members: dict[Any, set[str]] = {}
            for rid, cid in conn.execute(
                select(meta.tables["records"].c.id, meta.tables["records"].c.cluster_id)
            ):
                members.setdefault(cid, set()).add(key_of[rid])
            story = {cid: tuple(sorted(m)) for cid, m in members.items()}
            for name in ("records", "record_versions", "clusters", "lsh_bands", "lsh_sets"):
                if name not in meta.tables:
                    continue
                rows = []
                for row in conn.execute(select(meta.tables[name])).mappings():
                    item = {k: v for k, v in row.items() if k not in _WHEN}
                    if name == "clusters":
                        item["story"] = story.get(row["id"])
                        item["canonical_record_id"] = key_of.get(item["canonical_record_id"])
                        item.pop("updated_at")
                    if "record_id" in item:
                        item["record_id"] = key_of[item["record_id"]]
                    if name == "records":
                        item["cluster_id"] = story.get(item["cluster_id"])
                        arrival = out.setdefault("arrival", {}).setdefault(item["cluster_id"], [])
                        arrival.append(item.pop("dedup"))
                    rows.append(repr(sorted(item.items())))
                out[name] = sorted(rows)
    finally:
        engine.dispose()
    assert out["records"], "nothing was re-extracted"
    out["arrival"] = sorted((k, sorted(v)) for k, v in out["arrival"].items())
    return out


@pytest.fixture
def pg_url2(pg_url: str) -> Iterator[str]:
    """A second PostgreSQL database beside ``pg_url`` (which skips or fails first)."""
    import psycopg

    name = f"{pg_url.rsplit('/', 1)[1]}_b"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_shards_in_parallel_equal_one_full_run(
    db_url: str, tmp_path: Path, archive: list[dict[str, Any]], request: pytest.FixtureRequest
) -> None:
    full = _archive_only(db_url, archive)
    if db_url.startswith("sqlite"):
        sharded = _archive_only(f"sqlite:///{tmp_path / 'sharded.db'}", archive)
    else:
        sharded = _archive_only(request.getfixturevalue("pg_url2"), archive)
    done = pressbot("reextract", "--database", full, "--no-progress")
    assert done.returncode == 0, done.stderr
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pressbot.cli",
                "reextract",
                "--shard",
                f"{i}/2",
                "--database",
                sharded,
                "--no-progress",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    # Each shard did a part, and the parts cover the archive once.
    counts = [int(out.split("re-extracted ")[1].split()[0]) for out, _ in outs]
    assert all(counts) and sum(counts) == len({r["url_key"] for r in archive})
    assert dump(sharded) == dump(full)
    # A shard run again finds every record as it left it.
    again = pressbot("reextract", "--shard", "1/2", "--database", sharded, "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "new 0, updated 0," in again.stdout
    assert dump(sharded) == dump(full)


def test_jobs_runs_the_shards_in_processes(tmp_path: Path, archive: list[dict[str, Any]]) -> None:
    full = _archive_only(f"sqlite:///{tmp_path / 'full.db'}", archive)
    jobs = _archive_only(f"sqlite:///{tmp_path / 'jobs.db'}", archive)
    assert pressbot("reextract", "--database", full, "--no-progress").returncode == 0
    done = pressbot("reextract", "--jobs", "2", "--database", jobs)
    assert done.returncode == 0, done.stderr
    assert (
        f"re-extracted {len({r['url_key'] for r in archive})} archived page(s) in 2 shards"
        in done.stdout
    )
    assert dump(jobs) == dump(full)


def test_shards_partition_every_key_once() -> None:
    keys = [f"example.pk/news/{n}" for n in range(1000)]
    for n in (1, 2, 3, 7):
        owners = [[i for i in range(1, n + 1) if Shard(i, n).holds(k)] for k in keys]
        assert all(len(o) == 1 for o in owners)
        if n > 1:
            sizes = [sum(1 for o in owners if o == [i]) for i in range(1, n + 1)]
            assert min(sizes) > 1000 / n * 0.7  # roughly even


@pytest.mark.parametrize("bad", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(bad: str, sqlite_url: str) -> None:
    result = pressbot("reextract", "--shard", bad, "--database", sqlite_url)
    assert result.returncode == 2
    assert "--shard" in result.stderr
