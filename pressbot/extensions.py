"""The run of a source: its lock, its ``crawl_runs`` row, and its verdict.

A crawl run of a source ends in one status, computed once here (:func:`run_status`)
and used by the ``crawl_runs`` row, the summary table and the exit code:

``ok``          everything asked for was fetched and stored
``incomplete``  something was not stored (articles that failed and wait for the
                next run, a listing walk cut short, a budget hit, unreadable
                feeds or sitemaps) -- the next run picks it up
``failed``      the source failed: fetched nothing, failed to start, errors above
                ``PRESSBOT_MAX_ERROR_SHARE``, records dead-lettered, pages given up
``interrupted`` SIGINT / SIGTERM
``timeout``     the run's time budget (``--max-minutes``) ran out
``locked``      another run of the source holds its lock (nothing was done)
``aborted``     written by the next run for a run that was killed before it could say
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from typing import Any, cast

from scrapy import signals
from scrapy.exceptions import CloseSpider
from sqlalchemy import update
from sqlalchemy.orm import Session

from pressbot import config
from pressbot.db.engine import WriteSession, insert_for
from pressbot.db.models import CrawlRunRow, SourceRow
from pressbot.db.store import Store
from pressbot.errors import LockedError
from pressbot.runlock import RunLock

logger = logging.getLogger(__name__)

OK, INCOMPLETE, FAILED, INTERRUPTED, TIMEOUT, LOCKED, ABORTED = (
    "ok",
    "incomplete",
    "failed",
    "interrupted",
    "timeout",
    "locked",
    "aborted",
)
# Spider close reasons raised before any request (see RunRecorder.opened, the spider).
START_FAILURES = {
    "database_unavailable": "database unavailable",
    "bad_settings": "bad settings",
    "start_error": "could not start",
}
# Scrapy's own counters worth keeping with a run.
_SCRAPY_COUNTS = (
    "offsite/filtered",
    "robotstxt/forbidden",
    "retry/max_reached",
    "downloader/exception_count",
    "httperror/response_ignored_count",
    "pressbot/refused",
    "pressbot/robots_unavailable",
    "pressbot/retry_after_waits",
)


def pages_fetched(stats: dict[str, Any]) -> int:
    """Responses to the crawl's own requests (robots.txt not counted).

    Final responses only (``response_received_count``): an answer the retry
    middleware turned into another try is not a page -- least of all a robots.txt
    answering 5xx, retried and then counted once as a robots.txt response, which
    would otherwise make a source that fetched nothing look as if it had."""
    return int(stats.get("response_received_count", 0)) - int(
        stats.get("robotstxt/response_count", 0)
    )


def run_counts(source: str, stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl's pressbot counters for ``source`` plus pages fetched."""
    prefix = f"pressbot/{source}/"
    counts = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
    counts["pages"] = pages_fetched(stats)
    for name in ("pressbot/archived", "pressbot/archive_errors", "pressbot/deadletter"):
        if name in stats:
            counts[name.split("/", 1)[1]] = stats[name]
    for name in _SCRAPY_COUNTS:
        if name in stats:
            counts[name] = stats[name]
    return counts


def run_errors(stats: dict[str, Any]) -> int:
    """Failed fetches, HTTP errors, callback exceptions and extraction errors of one
    crawler. (``log_count/ERROR`` is not used: in a process running several crawlers
    every crawler counts every crawler's log lines.) HTTP error answers to requests
    with an errback -- all of the spider's -- are counted by the spider
    (``pressbot/<source>/http_errors``); Scrapy counts only the others."""
    return int(
        stats.get("downloader/exception_count", 0)
        + stats.get("httperror/response_ignored_count", 0)
        + sum(v for k, v in stats.items() if k.endswith("/http_errors"))
        + sum(
            v for k, v in stats.items() if k.startswith("spider_exceptions/") and k.count("/") == 1
        )
        + sum(v for k, v in stats.items() if k.endswith("/extract_errors"))
    )


def run_status(
    source: str, stats: dict[str, Any], reason: str, max_error_share: float = 0.5
) -> tuple[str, list[str]]:
    """(status, problems) of a finished run; problems are short phrases."""
    if reason == LOCKED:
        return LOCKED, ["another run holds the lock"]
    if reason in START_FAILURES:
        return FAILED, [START_FAILURES[reason]]
    c = run_counts(source, stats)
    failed: list[str] = []
    incomplete: list[str] = []
    pages = c["pages"]
    attempts = pages + int(stats.get("downloader/exception_count", 0))
    errors = run_errors(stats)
    if pages == 0 and not c.get("shared_run"):
        # (A worker of a shared run may find the others took all the work.)
        failed.append("no page fetched")
    elif attempts and errors / attempts > max_error_share:
        failed.append(f"{errors} of {attempts} requests failed")
    for key, text, bucket in (
        ("deadletter", "record(s) dead-lettered", failed),
        ("gave_up", "article(s) given up after too many tries", failed),
        ("frontier_errors", "frontier write error(s)", failed),
        ("lookup_errors", "database look-up error(s)", failed),
        ("archive_errors", "raw page(s) not archived (kept in dead-letter)", failed),
        ("deadletter_write_failed", "record(s) neither stored nor dead-lettered", failed),
        ("article_failed", "article(s) failed (retried next run)", incomplete),
        ("refused", "article(s) refused (robots.txt, off-site, too large)", incomplete),
        ("cut_by_budget", "download(s) cut by the time budget (fetched next run)", incomplete),
        (
            "deferred",
            "article(s) seen and not stored, waiting for a later try (backoff or the "
            "server's Retry-After)",
            incomplete,
        ),
        ("walks_cut", "listing walk(s) cut short (resumed next run)", incomplete),
        ("listing_errors", "listing page(s) failed", incomplete),
        ("feed_errors", "feed(s) failed", incomplete),
        ("sitemap_errors", "sitemap(s) failed", incomplete),
        ("malformed_xml", "malformed feed/sitemap XML", incomplete),
    ):
        if c.get(key):
            bucket.append(f"{c[key]} {text}")
    budgets = {k.split("/", 1)[1]: v for k, v in c.items() if k.startswith("budget/")}
    if budgets:
        incomplete.append(
            "budget reached: " + ", ".join(f"{k} ({v})" for k, v in sorted(budgets.items()))
        )
    if reason == "shutdown":
        return INTERRUPTED, ["interrupted", *failed, *incomplete]
    if reason == "closespider_timeout":
        return TIMEOUT, ["time budget reached", *failed, *incomplete]
    if reason != "finished":
        failed.insert(0, f"ended: {reason}")
    if failed:
        return FAILED, failed + incomplete
    if incomplete:
        return INCOMPLETE, incomplete
    return OK, []


class DatabaseOwner:
    """The one database engine of a crawler, and the :class:`Store` over it.

    Built first among the components (an extension, created in ``from_crawler``
    before the downloader middlewares and the item pipelines), it hangs itself on
    the crawler as ``crawler.pressbot_database``; the spider, the raw archive, the
    store pipeline, the run recorder and the run lock use :func:`database_of` and
    never make an engine of their own. The engine is opened -- and the schema
    brought up to date, under the migration lock -- at its first use, as the spider
    opens (the store pipeline's ``open_spider``, the spider's ``spider_opened``); it
    is disposed on ``spider_closed`` after every other component has written its
    last batch (or on ``engine_stopped`` if the spider never opened).
    """

    def __init__(self, database_url: str, crawler: Any = None) -> None:
        self.database_url = database_url
        self.crawler = crawler
        self._store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> DatabaseOwner:
        owner = cls(crawler.settings.get("PRESSBOT_DATABASE_URL"), crawler)
        crawler.pressbot_database = owner
        crawler.signals.connect(owner._opened, signal=signals.spider_opened)
        # If the spider never opened (a start failure), the engine still goes.
        crawler.signals.connect(owner.close, signal=signals.engine_stopped)
        return owner

    def _opened(self, spider: Any) -> None:
        # Connected now, so that it runs after the spider_closed handlers every
        # component connected while it was built (the archive's last batch, the
        # run recorder's row): signal handlers run in the order they were connected.
        self.crawler.signals.connect(self.close, signal=signals.spider_closed)

    @property
    def store(self) -> Store:
        """The crawler's store (opened, and the schema migrated, on first use). Raises
        whatever the database raises when it is unreachable; the next use tries again."""
        if self._store is None:
            # The crawl's settings: ``-s PRESSBOT_SQLITE_MMAP_MB=…`` applies too.
            settings = self.crawler.settings if self.crawler is not None else None
            self._store = Store(self.database_url, settings=settings)
        return self._store

    @property
    def engine(self) -> Any:
        return self.store.engine

    def close(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()


def database_of(crawler: Any) -> DatabaseOwner:
    """The crawler's :class:`DatabaseOwner` (``EXTENSIONS`` must enable it)."""
    owner = getattr(crawler, "pressbot_database", None)
    if owner is None:
        raise RuntimeError(
            "no pressbot.extensions.DatabaseOwner on this crawler: keep it in EXTENSIONS"
        )
    return cast(DatabaseOwner, owner)


class RunRecorder:
    """Takes the source's run lock, closes runs that died without a word, and
    leaves a ``crawl_runs`` row with the run's status and counts."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.database = database_of(crawler)
        self.run_id: int | None = None
        self.lock: RunLock | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecorder:
        return cls(crawler)

    def _stat(self, source: str, name: str, value: Any) -> None:
        self.crawler.stats.set_value(f"pressbot/{source}/{name}", value)

    def opened(self, spider: Any) -> None:
        source = getattr(spider, "source", None)
        if source is None:
            return
        settings = self.crawler.settings
        problems = config.check(settings.get)
        if problems:
            for problem in problems:
                logger.error("bad setting: %s", problem)
            raise CloseSpider("bad_settings")
        # Workers of a shared (Redis) run hold the lock together (pressbot/runlock.py).
        shared = bool(settings.get("PRESSBOT_REDIS_URL"))
        if config.value(settings.get, "PRESSBOT_RUN_LOCK"):
            try:
                self.lock = RunLock.acquire(self.database.engine, source.key, shared=shared)
            except LockedError as exc:
                logger.error("%s", exc)
                self._stat(source.key, "locked_by", str(exc))
                raise CloseSpider(LOCKED) from exc
            except Exception as exc:
                logger.error("%s: could not take the run lock: %s", source.key, exc)
                raise CloseSpider("database_unavailable") from exc
        now = datetime.now(UTC)
        try:
            engine = self.database.engine
            with WriteSession(engine) as s:
                stmt = insert_for(engine, SourceRow.__table__)
                row = {
                    "key": source.key,
                    "name": source.name,
                    "kind": source.kind,
                    "base_url": source.base_url,
                    "languages": list(source.languages),
                    "timezone": source.timezone,
                    "enabled": True,
                }
                s.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["key"], set_={k: v for k, v in row.items() if k != "key"}
                    ),
                    [row],
                )
                if self.lock is not None and not shared:
                    # We hold the source's lock: an unfinished run of it is a dead one.
                    closed = s.execute(
                        update(CrawlRunRow)
                        .where(CrawlRunRow.source == source.key, CrawlRunRow.finished_at.is_(None))
                        .values(finished_at=now, finish_reason=ABORTED, status=ABORTED)
                    )
                    aborted = int(getattr(closed, "rowcount", 0) or 0)
                    if aborted:
                        logger.warning(
                            "%s: %d earlier run(s) ended without finishing (killed?): "
                            "marked aborted",
                            source.key,
                            aborted,
                        )
                        self._stat(source.key, "aborted_runs_closed", aborted)
                run = CrawlRunRow(
                    source=source.key,
                    started_at=now,
                    counts={},
                    errors=0,
                    status="running",
                    pid=os.getpid(),
                    host=socket.gethostname()[:255],
                )
                s.add(run)
                s.flush()
                self.run_id = run.id
        except Exception as exc:
            logger.error("%s: could not record the crawl run: %s", source.key, exc)
            raise CloseSpider("database_unavailable") from exc

    def closed(self, spider: Any, reason: str) -> None:
        source = getattr(spider, "source", None)
        try:
            if source is not None:
                self._finish(source.key, reason)
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def _finish(self, source: str, reason: str) -> None:
        _flush_archive(self.crawler)
        stats = self.crawler.stats.get_stats()
        share = config.value(self.crawler.settings.get, "PRESSBOT_MAX_ERROR_SHARE")
        status, problems = run_status(source, stats, reason, share)
        self._stat(source, "status", status)
        self._stat(source, "problems", problems)
        if self.run_id is None:
            return
        counts = run_counts(source, self.crawler.stats.get_stats())
        try:
            with Session(self.database.engine) as s, s.begin():
                s.execute(
                    update(CrawlRunRow)
                    .where(CrawlRunRow.id == self.run_id)
                    .values(
                        finished_at=datetime.now(UTC),
                        finish_reason=reason[:64],
                        status=status,
                        counts=counts,
                        errors=run_errors(stats),
                    )
                )
        except Exception as exc:
            logger.error("could not record the end of crawl run %s: %s", self.run_id, exc)


def _flush_archive(crawler: Any) -> None:
    """Write the raw archive's last batch now, so its counts belong to this run."""
    from pressbot.archive import RawArchiveMiddleware

    engine = getattr(crawler, "engine", None)
    manager = getattr(getattr(engine, "downloader", None), "middleware", None)
    for mw in getattr(manager, "middlewares", ()):
        if isinstance(mw, RawArchiveMiddleware):
            mw.flush()
