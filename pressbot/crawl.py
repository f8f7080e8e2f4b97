"""Running crawls in-process (for `pressbot crawl` and the tests) and summarising them."""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from pressbot.errors import (
    EXIT_FAIL,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SIGINT,
    EXIT_SIGTERM,
)
from pressbot.extensions import (
    FAILED,
    INTERRUPTED,
    LOCKED,
    OK,
    TIMEOUT,
    pages_fetched,
    run_errors,
)
from pressbot.spiders.sources import SPIDERS

logger = logging.getLogger(__name__)

# After the time budget, closing may take this long before the run is cut off hard
# (seconds): in-flight downloads already end within a second of the deadline
# (DeadlineMiddleware), so only a stuck database write could need it.
HARD_STOP_GRACE = 60.0


def crawl_settings(overrides: dict[str, Any] | None = None) -> Settings:
    settings = get_project_settings()
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


@dataclass
class SourceSummary:
    source: str
    status: str = OK
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    not_fetched: int = 0
    failed: int = 0
    deadletter: int = 0
    errors: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    finish_reason: str = ""
    pending: int = 0
    gave_up: int = 0

    @classmethod
    def from_stats(
        cls, source: str, stats: dict[str, Any], interrupted: bool = False
    ) -> SourceSummary:
        prefix = f"pressbot/{source}/"
        mine = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
        status = mine.get("status")
        problems = list(mine.get("problems", []))
        reason = str(stats.get("finish_reason", ""))
        if status is None:
            # The run never reached its end (a second signal, the hard stop, a crash).
            status = INTERRUPTED if interrupted else FAILED
            problems = problems or (["interrupted"] if interrupted else ["did not finish"])
        return cls(
            source=source,
            status=status,
            problems=problems,
            pages=pages_fetched(stats),
            new=mine.get("new", 0),
            updated=mine.get("updated", 0),
            unchanged=mine.get("unchanged", 0),
            exact_duplicates=mine.get("exact_duplicate", 0),
            near_duplicates=mine.get("near_duplicate", 0),
            not_fetched=mine.get("not_fetched", 0),
            failed=mine.get("article_failed", 0),
            deadletter=mine.get("deadletter", 0),
            errors=run_errors(stats),
            dropped={k.split("/", 1)[1]: v for k, v in mine.items() if k.startswith("dropped/")},
            finish_reason=reason,
            pending=mine.get("frontier/pending", 0) + mine.get("frontier/failed", 0),
            gave_up=mine.get("frontier/gave_up", 0),
        )

    @classmethod
    def not_started(cls, source: str, why: str) -> SourceSummary:
        return cls(source=source, status=FAILED, problems=[f"could not start: {why}"])


class _Process(CrawlerProcess):
    """Remembers the signal that stopped the crawl, for the exit code."""

    signum: int | None = None

    def _signal_shutdown(self, signum: int, _: Any) -> None:
        self.signum = self.signum or signum
        super()._signal_shutdown(signum, _)

    def _signal_kill(self, signum: int, _: Any) -> None:
        self.signum = self.signum or signum
        super()._signal_kill(signum, _)


@dataclass
class CrawlResult:
    summaries: list[SourceSummary]
    # The signal that interrupted the run, if any.
    signum: int | None = None

    @property
    def exit_code(self) -> int:
        return exit_code(self.summaries, self.signum)


def exit_code(summaries: Sequence[SourceSummary], signum: int | None = None) -> int:
    """The documented exit code (README, "Exit codes") of a crawl."""
    if signum == signal.SIGINT:
        return EXIT_SIGINT
    if signum is not None or any(s.status == INTERRUPTED for s in summaries):
        return EXIT_SIGTERM
    if any(s.status not in (OK, LOCKED) for s in summaries):
        return EXIT_FAIL
    if any(s.status == LOCKED for s in summaries):
        return EXIT_LOCKED
    return EXIT_OK


def run_crawl(
    sources: Sequence[str],
    overrides: dict[str, Any] | None = None,
    spider_args: dict[str, str] | None = None,
) -> CrawlResult:
    """Crawl ``sources`` in one process (concurrently) and return one summary each.

    The Twisted reactor cannot be restarted, so call this once per process.
    """
    unknown = [s for s in sources if s not in SPIDERS]
    if unknown:
        raise KeyError(f"unknown source(s): {', '.join(unknown)} (known: {', '.join(SPIDERS)})")
    settings = crawl_settings(overrides)
    process = _Process(settings)
    crawlers = []
    start_errors: dict[str, str] = {}
    for key in sources:
        crawler = process.create_crawler(SPIDERS[key])
        crawlers.append((key, crawler))
        deferred = process.crawl(crawler, **(spider_args or {}))

        def _failed(failure: Any, key: str = key) -> None:
            # A component that raised while the crawler was being built (a bad
            # setting, say): Scrapy would log it and carry on as if nothing happened.
            start_errors[key] = f"{type(failure.value).__name__}: {failure.value}"
            logger.error("%s could not start: %s", key, start_errors[key])

        deferred.addErrback(_failed)
    budget = settings.getfloat("CLOSESPIDER_TIMEOUT", 0)
    hard_stopped: list[bool] = []
    if budget:
        from twisted.internet import reactor

        def _hard_stop() -> None:
            logger.error(
                "the run is still going %.0f s after its time budget: stopping it",
                HARD_STOP_GRACE,
            )
            hard_stopped.append(True)
            process._stop_reactor()

        cast(Any, reactor).callLater(budget + HARD_STOP_GRACE, _hard_stop)
    process.start()
    out = []
    for key, crawler in crawlers:
        if key in start_errors:
            out.append(SourceSummary.not_started(key, start_errors[key]))
            continue
        stats = crawler.stats.get_stats() if crawler.stats else {}
        summary = SourceSummary.from_stats(key, stats, interrupted=process.signum is not None)
        if hard_stopped and f"pressbot/{key}/status" not in stats:
            summary.status, summary.problems = TIMEOUT, ["stopped hard after the time budget"]
        out.append(summary)
    return CrawlResult(out, process.signum)


def format_summary(rows: Iterable[SourceSummary]) -> str:
    """The per-source table `pressbot crawl` prints, and a line per problem."""
    rows = list(rows)
    head = (
        "source", "status", "pages", "new", "updated", "unchanged", "exact dup", "near dup",
        "not fetched", "failed", "dropped", "errors", "dead-letter",
    )  # fmt: skip
    table: list[tuple[str, ...]] = [head]
    for r in rows:
        dropped = ", ".join(f"{k} {v}" for k, v in sorted(r.dropped.items())) or "0"
        cells = (
            r.source, r.status, r.pages, r.new, r.updated, r.unchanged, r.exact_duplicates,
            r.near_duplicates, r.not_fetched, r.failed, dropped, r.errors, r.deadletter,
        )  # fmt: skip
        table.append(tuple(str(c) for c in cells))
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = (
        "not fetched: stored articles skipped, or revalidated and unchanged (HTTP 304); "
        "new: first page of its story; exact/near dup: a copy of a stored story; "
        "failed: articles that could not be fetched (tried again by the next run)"
    )
    problems = [
        f"{r.source}: {r.status}: " + "; ".join(r.problems)
        for r in rows
        if r.status != OK and r.problems
    ]
    backlog = [
        f"{r.source}: {r.pending} article(s) wait in the frontier"
        + (f", {r.gave_up} given up (see `pressbot health`)" if r.gave_up else "")
        for r in rows
        if r.pending or r.gave_up
    ]
    out = [*lines, "", notes]
    if problems or backlog:
        out += ["", *problems, *backlog]
    return "\n".join(out)
