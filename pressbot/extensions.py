"""Scrapy extensions: each crawl of a source leaves a row in ``crawl_runs``."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from sqlalchemy import update
from sqlalchemy.orm import Session

from pressbot.db.models import CrawlRunRow, SourceRow
from pressbot.db.store import Store

logger = logging.getLogger(__name__)


def run_counts(source: str, stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl's pressbot counters for ``source`` plus pages fetched."""
    prefix = f"pressbot/{source}/"
    counts = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
    counts["pages"] = int(stats.get("downloader/response_count", 0))
    for name in ("pressbot/archived", "pressbot/archive_errors", "pressbot/deadletter"):
        if name in stats:
            counts[name.split("/", 1)[1]] = stats[name]
    return counts


def run_errors(stats: dict[str, Any]) -> int:
    """Failed fetches, HTTP errors, callback exceptions and extraction errors of one
    crawler. (``log_count/ERROR`` is not used: in a process running several crawlers
    every crawler counts every crawler's log lines.)"""
    return int(
        stats.get("downloader/exception_count", 0)
        + stats.get("httperror/response_ignored_count", 0)
        + sum(
            v for k, v in stats.items() if k.startswith("spider_exceptions/") and k.count("/") == 1
        )
        + sum(v for k, v in stats.items() if k.endswith("/extract_errors"))
    )


class CrawlRunRecorder:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.database_url = crawler.settings.get("PRESSBOT_DATABASE_URL")
        self.run_id: int | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlRunRecorder:
        return cls(crawler)

    def opened(self, spider: Any) -> None:
        source = getattr(spider, "source", None)
        if source is None:
            return
        try:
            with Store(self.database_url) as store, Session(store.engine) as s, s.begin():
                s.merge(
                    SourceRow(
                        key=source.key,
                        name=source.name,
                        kind=source.kind,
                        base_url=source.base_url,
                        languages=list(source.languages),
                        timezone=source.timezone,
                        enabled=True,
                    )
                )
                run = CrawlRunRow(source=source.key, started_at=datetime.now(UTC), counts={})
                s.add(run)
                s.flush()
                self.run_id = run.id
        except Exception as exc:  # the crawl still runs; its records go to dead-letter
            logger.error("could not record the crawl run: %s", exc)

    def closed(self, spider: Any, reason: str) -> None:
        source = getattr(spider, "source", None)
        if source is None or self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        try:
            with Store(self.database_url) as store, Session(store.engine) as s, s.begin():
                s.execute(
                    update(CrawlRunRow)
                    .where(CrawlRunRow.id == self.run_id)
                    .values(
                        finished_at=datetime.now(UTC),
                        finish_reason=reason,
                        counts=run_counts(source.key, stats),
                        errors=run_errors(stats),
                    )
                )
        except Exception as exc:
            logger.error("could not record the end of crawl run %s: %s", self.run_id, exc)
