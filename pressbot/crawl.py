"""Running crawls in-process (for `pressbot crawl` and the tests) and summarising them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from pressbot.extensions import run_errors
from pressbot.spiders.sources import SPIDERS


def crawl_settings(overrides: dict[str, Any] | None = None) -> Settings:
    settings = get_project_settings()
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


@dataclass
class SourceSummary:
    source: str
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    not_fetched: int = 0
    deadletter: int = 0
    errors: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    finish_reason: str = ""

    @classmethod
    def from_stats(cls, source: str, stats: dict[str, Any]) -> SourceSummary:
        prefix = f"pressbot/{source}/"
        mine = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
        return cls(
            source=source,
            pages=int(stats.get("downloader/response_count", 0)),
            new=mine.get("new", 0),
            updated=mine.get("updated", 0),
            unchanged=mine.get("unchanged", 0),
            exact_duplicates=mine.get("exact_duplicate", 0),
            near_duplicates=mine.get("near_duplicate", 0),
            not_fetched=mine.get("not_fetched", 0),
            deadletter=mine.get("deadletter", 0),
            errors=run_errors(stats),
            dropped={k.split("/", 1)[1]: v for k, v in mine.items() if k.startswith("dropped/")},
            finish_reason=str(stats.get("finish_reason", "")),
        )


def run_crawl(
    sources: Sequence[str],
    overrides: dict[str, Any] | None = None,
    spider_args: dict[str, str] | None = None,
) -> list[SourceSummary]:
    """Crawl ``sources`` in one process (concurrently) and return one summary each.

    The Twisted reactor cannot be restarted, so call this once per process.
    """
    unknown = [s for s in sources if s not in SPIDERS]
    if unknown:
        raise KeyError(f"unknown source(s): {', '.join(unknown)} (known: {', '.join(SPIDERS)})")
    process = CrawlerProcess(crawl_settings(overrides))
    crawlers = []
    for key in sources:
        crawler = process.create_crawler(SPIDERS[key])
        crawlers.append((key, crawler))
        process.crawl(crawler, **(spider_args or {}))
    process.start()
    return [
        SourceSummary.from_stats(key, crawler.stats.get_stats() if crawler.stats else {})
        for key, crawler in crawlers
    ]


def format_summary(rows: Iterable[SourceSummary]) -> str:
    """The per-source table `pressbot crawl` prints."""
    head = (
        "source", "pages", "new", "updated", "unchanged", "exact dup", "near dup",
        "not fetched", "dropped", "errors", "dead-letter",
    )  # fmt: skip
    table: list[tuple[str, ...]] = [head]
    for r in rows:
        dropped = ", ".join(f"{k} {v}" for k, v in sorted(r.dropped.items())) or "0"
        cells = (
            r.source, r.pages, r.new, r.updated, r.unchanged, r.exact_duplicates,
            r.near_duplicates, r.not_fetched, dropped, r.errors, r.deadletter,
        )  # fmt: skip
        table.append(tuple(str(c) for c in cells))
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = (
        "not fetched: stored articles skipped, or revalidated and unchanged (HTTP 304); "
        "new: first page of its story; exact/near dup: a copy of a stored story"
    )
    return "\n".join([*lines, "", notes])
