"""Write records in batched transactions; whatever cannot be written goes to the
dead-letter file, never nowhere."""

from __future__ import annotations

import logging
from typing import Any

from pipelines._base import CountingPipeline
from pressbot import deadletter
from pressbot.db.store import Store
from pressbot.items import Record

logger = logging.getLogger(__name__)


class StorePipeline(CountingPipeline):
    def __init__(self, stats: Any, database_url: str, batch: int, deadletter_path: str) -> None:
        super().__init__(stats)
        self.database_url = database_url
        self.batch = max(1, batch)
        self.deadletter_path = deadletter_path
        self.store: Store | None = None
        self.buffer: list[Record] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        s = crawler.settings
        return cls(
            crawler.stats,
            s.get("PRESSBOT_DATABASE_URL"),
            s.getint("PRESSBOT_STORE_BATCH", 200),
            s.get("PRESSBOT_DEADLETTER_PATH"),
        )

    def open_spider(self) -> None:
        try:
            self.store = Store(self.database_url)
        except Exception as exc:
            # The database is down at start: items are kept, and each batch tries again.
            logger.error("database unavailable at start (%s); will retry per batch", exc)

    def process_item(self, item: Any) -> Record:
        self.buffer.append(item)
        if len(self.buffer) >= self.batch:
            self.flush()
        return item

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if not batch:
            return
        try:
            if self.store is None:
                self.store = Store(self.database_url)
            outcomes = self.store.upsert(batch)
        except Exception as exc:
            logger.error(
                "could not store %d records (%s); kept in %s", len(batch), exc, self.deadletter_path
            )
            deadletter.append(self.deadletter_path, batch, exc, database=self.database_url)
            for rec in batch:
                self.count(rec, "deadletter")
            self.stats.inc_value("pressbot/deadletter", len(batch))
            return
        for rec, outcome in zip(batch, outcomes, strict=True):
            self.count(rec, outcome)

    def close_spider(self) -> None:
        self.flush()
        if self.store is not None:
            self.store.close()
