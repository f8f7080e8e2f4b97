"""The crawl frontier on both engines: what a run owes the next one survives it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pressbot.db.models import FrontierRow, ListingWalkRow
from pressbot.db.store import Store
from pressbot.frontier import DROPPED, FAILED, GAVE_UP, PENDING, Frontier, Policy, reset_given_up
from pressbot.items import Record
from pressbot.urls import url_key

URLS = [f"https://kppolice.gov.pk/press_release_detail.php?id={n}" for n in range(1, 6)]


def _items(urls: list[str]) -> list[tuple[str, str]]:
    return [(url_key(u), u) for u in urls]


def _rows(store: Store) -> dict[str, FrontierRow]:
    with Session(store.engine) as s:
        return {r.url_key: r for r in s.scalars(select(FrontierRow))}


def test_seen_pages_survive_until_stored(db_url: str) -> None:
    with Store(db_url) as store:
        f = Frontier(store.engine, "kp_police")
        f.load()
        f.add(_items(URLS), found_on="https://kppolice.gov.pk/press_releases.php")
        # A second add of the same pages changes nothing (they keep their state).
        f.add(_items(URLS[:2]))
        rows = _rows(store)
        assert sorted(r.url for r in rows.values()) == sorted(URLS)
        assert {r.state for r in rows.values()} == {PENDING}
        assert {r.found_on for r in rows.values()} == {"https://kppolice.gov.pk/press_releases.php"}
        # Storing a record clears its row in the same transaction; the rest stay.
        rec = Record(
            url=URLS[0],
            canonical_url=URLS[0],
            title="t",
            body="متن " * 40,
            source="kp_police",
            content_hash="h0",
            frontier_key=url_key(URLS[0]),
        )
        store.upsert([rec])
        assert url_key(URLS[0]) not in _rows(store)
        assert len(_rows(store)) == 4
        # A new Frontier (the next run) sees what is left, all due now.
        g = Frontier(store.engine, "kp_police")
        g.load()
        assert sorted(e.url for e in g.due()) == sorted(URLS[1:])


def test_failures_back_off_then_give_up(db_url: str) -> None:
    policy = Policy(max_tries=3, backoff=timedelta(hours=1))
    with Store(db_url) as store:
        f = Frontier(store.engine, "kp_police", policy)
        f.load()
        f.add(_items(URLS[:1]))
        key = url_key(URLS[0])
        # First failure: retried by the very next run (no wait).
        e = f.failed(key, URLS[0], "HTTP 500")
        assert (e.state, e.tries, e.next_try_at) == (FAILED, 1, None)
        f.flush()
        row = _rows(store)[key]
        assert (row.state, row.tries, row.last_error) == (FAILED, 1, "HTTP 500")
        # Second failure: waits the backoff.
        before = datetime.now(UTC)
        e = f.failed(key, URLS[0], "timeout")
        assert e.next_try_at is not None
        assert timedelta(minutes=59) < e.next_try_at - before <= timedelta(hours=1, minutes=1)
        assert not e.due(before)
        assert e.due(before + timedelta(hours=2))
        # A server's Retry-After later than the backoff wins.
        later = before + timedelta(hours=5)
        e = f.failed(key, URLS[0], "HTTP 429", not_before=later)
        # ...but this was the third try: given up, reported, never due.
        assert (e.state, e.tries) == (GAVE_UP, 3)
        assert [x.url for x in f.gave_up] == [URLS[0]]
        assert not e.due(before + timedelta(days=30))
        f.flush()
        assert _rows(store)[key].state == GAVE_UP
        # `crawl --retry-failed` gives it a fresh set of tries.
        assert reset_given_up(store.engine, ["kp_police"]) == 1
        g = Frontier(store.engine, "kp_police", policy)
        g.load()
        assert [x.url for x in g.due()] == [URLS[0]]


def test_backoff_doubles_and_is_capped() -> None:
    policy = Policy(backoff=timedelta(hours=1))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    waits = [policy.next_try(n, now) for n in (1, 2, 3, 4, 12)]
    assert waits[0] is None
    assert [w - now for w in waits[1:4] if w] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=4),
    ]
    assert waits[4] == now + timedelta(days=7)


def test_dropped_pages_are_known_and_rechecked_late(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        f = Frontier(store.engine, "kp_police", Policy(recheck_dropped=timedelta(days=7)))
        f.load()
        f.add(_items(URLS[:1]))
        key = url_key(URLS[0])
        f.dropped(key, URLS[0], "no_body")
        f.flush()
        row = _rows(store)[key]
        assert row.state == DROPPED and row.last_error == "no_body"
        g = Frontier(store.engine, "kp_police")
        g.load()
        assert g.due() == []
        entry = g.get(key)
        assert entry is not None and entry.due(datetime.now(UTC) + timedelta(days=8))


def test_listing_walks_record_natural_ends_only(db_url: str) -> None:
    start = "https://kppolice.gov.pk/press_releases.php"
    run1 = datetime(2026, 1, 1, tzinfo=UTC)
    with Store(db_url) as store:
        f = Frontier(store.engine, "kp_police")
        assert f.walks([start])[start].complete is False
        f.walk_started([start], run1)
        f.walk_ended(start, natural=True, pages=3, run_started=run1, reason="last_page")
        walk = f.walks([start])[start]
        assert walk.complete and walk.complete_since == run1
        # A later run starts: until it ends naturally, the walk counts as cut...
        run2 = run1 + timedelta(hours=1)
        f.walk_started([start], run2)
        walk = f.walks([start])[start]
        assert not walk.complete and walk.complete_since == run1
        # ...and a cut keeps the time of the last natural end.
        f.walk_ended(start, natural=False, pages=1, run_started=run2, reason="interrupted")
        with Session(store.engine) as s:
            row = s.scalars(select(ListingWalkRow)).one()
            assert (row.complete, row.cut_reason, row.pages) == (False, "interrupted", 1)
            assert row.complete_since == run1
            assert s.scalar(select(func.count()).select_from(ListingWalkRow)) == 1


@pytest.mark.parametrize("state", [PENDING, FAILED])
def test_flush_failure_is_counted_not_raised(sqlite_url: str, state: str) -> None:
    with Store(sqlite_url) as store:
        f = Frontier(store.engine, "kp_police")
        f.load()
        f.add(_items(URLS[:1]))
        store.engine.dispose()
    # The database file is gone from under the frontier: outcomes cannot be written.
    from pathlib import Path

    from sqlalchemy.engine import make_url

    database = make_url(sqlite_url).database
    assert database is not None
    Path(database).unlink()
    Path(database).mkdir()  # a directory where the file was: every open fails
    if state == FAILED:
        f.failed(url_key(URLS[0]), URLS[0], "HTTP 500")
    else:
        f.dropped(url_key(URLS[0]), URLS[0], "no_body")
    f.flush()
    assert f.write_errors == 1


def test_revalidation_interval_grows_with_age() -> None:
    from pressbot.spiders.base import REVALIDATE_MAX, REVALIDATE_MIN, revalidation_interval

    assert revalidation_interval(timedelta(minutes=5)) == REVALIDATE_MIN
    assert revalidation_interval(timedelta(days=1)) == timedelta(hours=3)
    assert revalidation_interval(timedelta(days=30)) == timedelta(days=30) / 8
    assert revalidation_interval(timedelta(days=400)) == REVALIDATE_MAX


def test_a_listing_date_later_than_the_stored_copy_means_updated() -> None:
    from zoneinfo import ZoneInfo

    from pressbot.db.store import Known
    from pressbot.spiders.base import _newer_than_stored

    khi = ZoneInfo("Asia/Karachi")
    have = Known(None, "h", None, datetime(2023, 9, 1, tzinfo=khi), None)
    assert _newer_than_stored(datetime(2023, 9, 9, tzinfo=khi), have)
    assert not _newer_than_stored(datetime(2023, 9, 1, tzinfo=khi), have)
    assert not _newer_than_stored(None, have)
    updated = Known(
        None, "h", None, datetime(2023, 8, 1, tzinfo=khi), datetime(2023, 9, 9, tzinfo=khi)
    )
    assert not _newer_than_stored(datetime(2023, 9, 9, tzinfo=khi), updated)
    # A stored copy without dates cannot be compared: no refetch on that ground.
    assert not _newer_than_stored(datetime(2023, 9, 9, tzinfo=khi), Known(None, "h"))
