"""Drop what is already known: the same page twice in a crawl, or the same text
stored under another URL."""

from __future__ import annotations

from typing import Any

from pipelines._base import CountingPipeline
from pressbot.db.store import Store
from pressbot.items import Record
from pressbot.urls import url_key


class DedupPipeline(CountingPipeline):
    def __init__(self, stats: Any, database_url: str) -> None:
        super().__init__(stats)
        self.database_url = database_url
        self.store: Store | None = None
        self.seen: set[str] = set()
        self.hashes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        return cls(crawler.stats, crawler.settings.get("PRESSBOT_DATABASE_URL"))

    def open_spider(self) -> None:
        self.store = Store(self.database_url)

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any) -> Record:
        record: Record = item
        key = url_key(record.canonical_url or record.url)
        if key in self.seen:
            raise self.drop(record, "duplicate_url")
        self.seen.add(key)
        assert record.content_hash is not None, "NormalisePipeline runs first"
        owner = self.hashes.get(record.content_hash)
        if owner is None and self.store is not None:
            owner = self.store.hash_owner(record.content_hash, exclude_key=key)
        if owner is not None and owner != key:
            raise self.drop(record, "duplicate_content", f"same text as {owner}")
        self.hashes[record.content_hash] = key
        return record
