"""The crawl frontier: the work a source's crawls owe, kept in the database so that
no article seen on a listing, feed or sitemap is ever silently forgotten.

Two tables (pressbot/db/models.py):

``frontier``
    Article pages seen and not stored. A row is written before the page is
    requested and deleted by the transaction that stores its record
    (:meth:`pressbot.db.store.Store.upsert`), so a run that is killed, fails, or
    hits a budget leaves exactly the pages the next run must fetch. A failed page
    waits before its next try (the first retry is at the next run, then
    ``PRESSBOT_RETRY_BACKOFF`` doubling, or the server's ``Retry-After``) and is
    given up after ``PRESSBOT_MAX_TRIES`` tries: reported by the run that gives up
    and by ``pressbot health``, retried again only with ``crawl --retry-failed``.

``listing_walks``
    Incremental crawls stop paginating a listing at the first page with nothing
    new. That is only safe if everything below that page was covered by an earlier
    walk; a walk that was cut short (interrupted, a budget, a page limit below the
    source's horizon, a listing page that failed) breaks the chain. So each walk
    records whether it ended *naturally*, and when (``complete_since``, the start
    of its run). The rule, for a page with nothing new on it:

    * the last walk ended naturally: stop (everything below is known);
    * it did not: keep walking until a page holds an article first seen before
      ``complete_since`` -- the region the last natural walk covered -- or, if no
      walk ever ended naturally, until the last page or the source's horizon.

    Listings are newest first, so articles a cut walk never reached are still
    below the region it did reach, and the next walk finds them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from pressbot.db.engine import WriteSession, insert_for
from pressbot.db.models import FrontierRow, ListingWalkRow

logger = logging.getLogger(__name__)

PENDING, FAILED, GAVE_UP, DROPPED = "pending", "failed", "gave_up", "dropped"
# Tries of a page the site says is gone (404, 410): this run's and the next run's.
GONE_TRIES = 2
# Longest wait between two tries of a failed page, whatever the backoff says.
MAX_BACKOFF = timedelta(days=7)
_CHUNK = 500


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive UTC through Core queries that bypass the column type.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


@dataclass
class Entry:
    url_key: str
    url: str
    state: str
    tries: int
    first_seen_at: datetime
    next_try_at: datetime | None = None
    last_error: str | None = None

    def due(self, now: datetime) -> bool:
        if self.state == GAVE_UP:
            return False
        return self.next_try_at is None or self.next_try_at <= now


@dataclass
class Walk:
    """A listing's walk state as the run found it (before this run changed it)."""

    start_url: str
    complete: bool = False
    complete_since: datetime | None = None


@dataclass(frozen=True)
class Policy:
    max_tries: int = 5
    backoff: timedelta = timedelta(hours=1)
    recheck_dropped: timedelta = timedelta(days=7)

    def next_try(self, tries: int, now: datetime) -> datetime | None:
        """When a page that has failed ``tries`` times may be tried again: at the
        next run after the first failure (a rerun straight after an outage heals
        it), then after the backoff, doubling."""
        if tries <= 1:
            return None
        wait = self.backoff * (2 ** (tries - 2))
        return now + min(wait, MAX_BACKOFF)


class Frontier:
    """One source's frontier and listing walks; the spider owns one per crawl.

    Writes that must not be lost before a request is sent (:meth:`add`) are
    committed at once; outcomes (:meth:`failed`, :meth:`dropped`) are buffered
    and written in batches -- losing them to a kill only means a page is tried
    once more.
    """

    def __init__(self, engine: Engine, source: str, policy: Policy | None = None) -> None:
        self.engine = engine
        self.source = source
        self.policy = policy or Policy()
        self.entries: dict[str, Entry] = {}
        self._outcomes: dict[str, dict[str, Any]] = {}
        self.gave_up: list[Entry] = []  # given up by this run
        self.write_errors = 0

    # --- reading ------------------------------------------------------------------
    def load(self) -> None:
        with Session(self.engine) as s:
            rows = s.scalars(select(FrontierRow).where(FrontierRow.source == self.source))
            self.entries = {
                r.url_key: Entry(
                    r.url_key,
                    r.url,
                    r.state,
                    r.tries,
                    r.first_seen_at,
                    _aware(r.next_try_at),
                    r.last_error,
                )
                for r in rows
            }

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def due(self, now: datetime | None = None) -> list[Entry]:
        """Entries to request in this run, oldest first."""
        now = now or _now()
        due = [e for e in self.entries.values() if e.due(now)]
        return sorted(due, key=lambda e: (e.first_seen_at, e.url_key))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries.values():
            out[e.state] = out.get(e.state, 0) + 1
        return out

    # --- writing --------------------------------------------------------------------
    def add(self, items: Sequence[tuple[str, str]], found_on: str | None = None) -> None:
        """Record article pages (url_key, url) as seen, before they are requested.
        Pages already in the frontier keep their state and tries."""
        now = _now()
        fresh = [(k, u) for k, u in dict(items).items() if k not in self.entries]
        if not fresh:
            return
        rows = [
            {
                "source": self.source,
                "url_key": k,
                "url": u,
                "state": PENDING,
                "tries": 0,
                "first_seen_at": now,
                "found_on": found_on,
            }
            for k, u in fresh
        ]
        table = FrontierRow.__table__
        with self._write() as s:
            for i in range(0, len(rows), _CHUNK):
                stmt = insert_for(self.engine, table).on_conflict_do_nothing()
                s.execute(stmt, rows[i : i + _CHUNK])
        for k, u in fresh:
            self.entries[k] = Entry(k, u, PENDING, 0, now)

    def failed(
        self,
        key: str,
        url: str,
        reason: str,
        *,
        not_before: datetime | None = None,
        gone: bool = False,
    ) -> Entry:
        """A try of the page failed; it waits for its next try or is given up.
        ``gone``: the site says the page does not exist (404/410): given up after
        :data:`GONE_TRIES` tries."""
        now = _now()
        entry = self.entries.get(key) or Entry(key, url, PENDING, 0, now)
        entry.tries += 1
        entry.last_error = reason[:500]
        limit = min(self.policy.max_tries, GONE_TRIES) if gone else self.policy.max_tries
        if entry.tries >= limit:
            entry.state = GAVE_UP
            entry.next_try_at = None
            self.gave_up.append(entry)
        else:
            entry.state = FAILED
            later = self.policy.next_try(entry.tries, now)
            if not_before is not None and (later is None or not_before > later):
                later = not_before
            entry.next_try_at = later
        self.entries[key] = entry
        self._outcomes[key] = {
            "url": url,
            "state": entry.state,
            "tries": entry.tries,
            "first_seen_at": entry.first_seen_at,
            "last_tried_at": now,
            "next_try_at": entry.next_try_at,
            "last_error": entry.last_error,
        }
        return entry

    def dropped(self, key: str, url: str, reason: str) -> None:
        """The page was fetched and is not an article (no body, not an article URL...):
        known, not fetched again until ``recheck_dropped`` has passed."""
        now = _now()
        entry = self.entries.get(key) or Entry(key, url, PENDING, 0, now)
        entry.state = DROPPED
        entry.next_try_at = now + self.policy.recheck_dropped
        entry.last_error = reason[:500]
        self.entries[key] = entry
        self._outcomes[key] = {
            "url": url,
            "state": DROPPED,
            "tries": entry.tries,
            "first_seen_at": entry.first_seen_at,
            "last_tried_at": now,
            "next_try_at": entry.next_try_at,
            "last_error": entry.last_error,
        }

    def stored(self, keys: Iterable[str]) -> None:
        """Pages the store wrote (it clears their rows itself): forget them here."""
        for key in keys:
            self.entries.pop(key, None)
            self._outcomes.pop(key, None)

    def flush(self) -> None:
        if not self._outcomes:
            return
        outcomes, self._outcomes = self._outcomes, {}
        table = FrontierRow.__table__
        rows = [{"source": self.source, "url_key": k, **v} for k, v in outcomes.items()]
        try:
            with self._write() as s:
                for i in range(0, len(rows), _CHUNK):
                    stmt = insert_for(self.engine, table)
                    stmt = stmt.on_conflict_do_update(
                        index_elements=["source", "url_key"],
                        set_={
                            name: stmt.excluded[name]
                            for name in (
                                "state",
                                "tries",
                                "last_tried_at",
                                "next_try_at",
                                "last_error",
                            )
                        },
                    )
                    s.execute(stmt, rows[i : i + _CHUNK])
        except Exception as exc:
            # Lost outcomes only cost a page one more try: the rows stay pending.
            self.write_errors += 1
            logger.error(
                "%s: could not record %d frontier outcome(s): %s", self.source, len(rows), exc
            )

    # --- listing walks --------------------------------------------------------------
    def walks(self, start_urls: Sequence[str]) -> dict[str, Walk]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(ListingWalkRow).where(
                    ListingWalkRow.source == self.source,
                    ListingWalkRow.start_url.in_(list(start_urls)),
                )
            ).all()
            found = {
                r.start_url: Walk(r.start_url, r.complete, _aware(r.complete_since)) for r in rows
            }
        return {u: found.get(u, Walk(u)) for u in start_urls}

    def walk_started(self, start_urls: Sequence[str], run_started: datetime) -> None:
        """Until a walk ends naturally it counts as cut: a kill mid-walk leaves it so."""
        table = ListingWalkRow.__table__
        rows = [
            {
                "source": self.source,
                "start_url": u,
                "complete": False,
                "started_at": run_started,
                "pages": 0,
                "cut_reason": "running",
            }
            for u in start_urls
        ]
        if not rows:
            return
        with self._write() as s:
            stmt = insert_for(self.engine, table)
            stmt = stmt.on_conflict_do_update(
                index_elements=["source", "start_url"],
                set_={
                    "complete": stmt.excluded.complete,
                    "started_at": stmt.excluded.started_at,
                    "pages": 0,
                    "cut_reason": stmt.excluded.cut_reason,
                },
            )
            s.execute(stmt, rows)

    def walk_ended(
        self,
        start_url: str,
        *,
        natural: bool,
        pages: int,
        run_started: datetime,
        reason: str | None,
    ) -> None:
        values: dict[str, Any] = {"pages": pages, "cut_reason": None if natural else reason}
        if natural:
            values |= {"complete": True, "complete_since": run_started}
        try:
            with self._write() as s:
                s.execute(
                    update(ListingWalkRow)
                    .where(
                        ListingWalkRow.source == self.source,
                        ListingWalkRow.start_url == start_url,
                    )
                    .values(**values)
                )
        except Exception as exc:
            self.write_errors += 1
            logger.error("%s: could not record the walk of %s: %s", self.source, start_url, exc)

    def _write(self) -> WriteSession:
        return WriteSession(self.engine)


def reset_given_up(engine: Engine, sources: Sequence[str]) -> int:
    """``crawl --retry-failed``: given-up pages get a fresh set of tries."""
    with WriteSession(engine) as s:
        result = s.execute(
            update(FrontierRow)
            .where(FrontierRow.source.in_(list(sources)), FrontierRow.state == GAVE_UP)
            .values(state=FAILED, tries=0, next_try_at=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)
