"""The change feed: ``WHERE change_seq > :last ORDER BY change_seq``, polled while
other processes write, misses no change and reads none twice, on both engines."""

from __future__ import annotations

import json
import multiprocessing
import time
from datetime import UTC, datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pressbot.db.models import RecordRow
from pressbot.db.store import Store, make_engine
from pressbot.export import iter_rows
from pressbot.items import Record
from pressbot.urls import url_key
from tests.conftest import pressbot

POLL = "SELECT change_seq, id, version FROM records WHERE change_seq > :last ORDER BY change_seq"
WRITERS = 2
PAGES = 60  # new pages per writer
BATCH = 3
DEADLINE = 120.0  # seconds; a stuck child fails the test instead of hanging it


def _record(writer: int, n: int, edit: int = 0) -> Record:
    body = f"نمائندہ {writer} کی خبر نمبر {n}: پولیس نے کارروائی کی۔" + f" ترمیم {edit}" * edit
    return Record(
        url=f"https://feed{writer}.example.pk/news/{n}",
        canonical_url=f"https://feed{writer}.example.pk/news/{n}",
        title=f"خبر {writer}-{n}",
        body=body,
        source="kp_police",
        kind="police",
        language="ur",
        fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
        content_hash=sha256(body.encode()).hexdigest(),
    )


def _write(url: str, writer: int, start: Any, out: str) -> None:
    """New pages in small batches; every third batch also brings a new text of an
    earlier page and an unchanged copy of another."""
    outcomes: list[str] = []
    with Store(url, migrate=False) as store:
        start.wait(DEADLINE)
        for b, first in enumerate(range(0, PAGES, BATCH)):
            batch = [_record(writer, n) for n in range(first, first + BATCH)]
            if b % 3 == 2:
                batch += [_record(writer, first - 4, edit=b), _record(writer, first - 5)]
            outcomes += store.upsert(batch)
    Path(out).write_text(json.dumps(outcomes))


def _poll(url: str, start: Any, stop: Any, out: str) -> None:
    """The consumer: poll from 0 until the writers are done, then once more."""
    engine = make_engine(url)
    reads: list[list[int]] = []
    last = 0
    start.wait(DEADLINE)
    try:
        while True:
            done = stop.is_set()  # before the query: a poll after the last commit
            with engine.connect() as conn:
                rows = conn.execute(text(POLL), {"last": last}).all()
            reads += [list(r) for r in rows]
            if rows:
                last = rows[-1][0]
            if done:
                break
            time.sleep(0.002)
    finally:
        engine.dispose()
    Path(out).write_text(json.dumps(reads))


def test_a_poller_reads_every_change_once_while_two_processes_write(
    db_url: str, tmp_path: Path
) -> None:
    Store(db_url).close()  # the schema, before the processes race for it
    ctx = multiprocessing.get_context("fork")
    start, stop = ctx.Event(), ctx.Event()
    outs = [str(tmp_path / f"writer{w}.json") for w in range(WRITERS)]
    writers = [ctx.Process(target=_write, args=(db_url, w, start, outs[w])) for w in range(WRITERS)]
    poller = ctx.Process(target=_poll, args=(db_url, start, stop, str(tmp_path / "reads.json")))
    for p in [*writers, poller]:
        p.start()
    start.set()
    for p in writers:
        p.join(DEADLINE)
    stop.set()
    poller.join(DEADLINE)
    for p in [*writers, poller]:
        if p.is_alive():
            p.kill()
        assert p.exitcode == 0

    outcomes = [o for out in outs for o in json.loads(Path(out).read_text())]
    changes = sum(o != "unchanged" for o in outcomes)
    assert outcomes.count("updated") == WRITERS * (PAGES // BATCH // 3)
    assert outcomes.count("unchanged") == WRITERS * (PAGES // BATCH // 3)
    reads = [tuple(r) for r in json.loads((tmp_path / "reads.json").read_text())]
    seqs = [seq for seq, _, _ in reads]
    # Nothing read twice: each poll starts after the last value read.
    assert seqs == sorted(set(seqs))
    with Session(make_engine(db_url)) as s:
        final = set(s.execute(select(RecordRow.change_seq, RecordRow.id, RecordRow.version)))
    assert len(final) == WRITERS * PAGES
    # Nothing missed: the last state of every record was read, in its last version.
    assert final <= set(reads)
    # One value per change, none for an unchanged copy (and no gaps: no writer failed).
    assert max(seqs) == changes
    # The poller did poll while the writers wrote: it saw pages later updated.
    assert len(reads) > len(final)


def test_updates_take_a_new_value_and_unchanged_copies_keep_theirs(db_url: str) -> None:
    with Store(db_url) as store:
        store.upsert([_record(0, 1), _record(0, 2)])
        store.upsert([_record(0, 1)])  # fetched again, unchanged
        store.upsert([_record(0, 2, edit=1)])  # a new text
        with Session(store.engine) as s:
            got = dict(s.execute(select(RecordRow.url_key, RecordRow.change_seq)).all())
        assert got == {
            url_key("https://feed0.example.pk/news/1"): 1,
            url_key("https://feed0.example.pk/news/2"): 3,
        }
        # `pressbot export --since-seq 1` reads what changed after 1, in feed order.
        rows = list(iter_rows(store.engine, since_seq=1, include_duplicates=True))
        assert [(r["url"], r["change_seq"], r["version"]) for r in rows] == [
            ("https://feed0.example.pk/news/2", 3, 2)
        ]


def test_export_polls_the_feed_and_compares_times_on_both_engines(db_url: str) -> None:
    """The polling recipe of the README, with the command."""
    with Store(db_url) as store:
        store.upsert([_record(0, n) for n in range(3)])
    first = pressbot("export", "--since-seq", "0", "--database", db_url)
    assert first.returncode == 0, first.stderr
    assert [json.loads(x)["change_seq"] for x in first.stdout.splitlines()] == [1, 2, 3]
    assert "exported 3 record(s), up to change_seq 3" in first.stderr
    with Store(db_url) as store:
        store.upsert([_record(0, 1, edit=1), _record(0, 2)])  # one new text, one the same
        with Session(store.engine) as s:
            changed = s.scalar(select(RecordRow.changed_at).where(RecordRow.version == 2))
    assert changed is not None
    again = pressbot("export", "--since-seq", "3", "--database", db_url)
    assert [json.loads(x)["version"] for x in again.stdout.splitlines()] == [2]
    assert "up to change_seq 4" in again.stderr
    # --since: the stored time itself, written in Karachi time, is "at or after" it;
    # a microsecond later is not; a date is that day's midnight UTC.
    karachi = changed.astimezone(timezone(timedelta(hours=5))).isoformat()
    later = (changed + timedelta(microseconds=1)).isoformat().replace("+00:00", "Z")
    for since, expect in ((karachi, 1), (later, 0), (changed.date().isoformat(), 3)):
        out = pressbot("export", "--since", since, "--database", db_url)
        assert out.returncode == 0, out.stderr
        assert len(out.stdout.splitlines()) == expect, since
    bad = pressbot("export", "--since-seq", "-1", "--database", db_url)
    assert bad.returncode == 2 and "must be 0 or above" in bad.stderr
