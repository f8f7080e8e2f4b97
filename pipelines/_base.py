"""What the pipelines share: access to the crawler's stats under pressbot's keys."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from pressbot.items import Record

logger = logging.getLogger("pressbot.pipelines")


class CountingPipeline:
    """Base for pipelines: counts go to ``crawler.stats`` as ``pressbot/<source>/<what>``."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        return cls(crawler.stats)

    def count(self, record: Record, what: str, n: int = 1) -> None:
        self.stats.inc_value(f"pressbot/{record.source or 'unknown'}/{what}", n)

    def drop(self, record: Record, reason: str, detail: str = "") -> DropItem:
        """Count a drop and build the exception to raise; every drop has a reason."""
        self.count(record, f"dropped/{reason}")
        message = f"{reason}: {record.url}" + (f" ({detail})" if detail else "")
        logger.info("dropped %s", message)
        return DropItem(message)
