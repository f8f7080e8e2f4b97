"""Dedup keys: drop a page seen twice in one crawl; give every record the MinHash LSH
band keys the store uses to link copies of a story across sites and runs.

The linking itself (exact copies by content hash, near copies by band keys
confirmed with :func:`pressbot.dedup.decide.same_story`) happens in the store's
write transaction, so it holds across cron runs and workers sharing a database.
"""

from __future__ import annotations

from typing import Any

from pressbot.dedup.keys import record_keys
from pressbot.items import Record
from pressbot.urls import url_key

from ._base import CountingPipeline


class DedupPipeline(CountingPipeline):
    def __init__(self, stats: Any) -> None:
        super().__init__(stats)
        self.seen: set[str] = set()

    def process_item(self, item: Any) -> Record:
        record: Record = item
        key = url_key(record.canonical_url or record.url)
        if key in self.seen:
            raise self.drop(record, "duplicate_url")
        self.seen.add(key)
        assert record.match_key is not None, "NormalisePipeline runs first"
        record.band_keys = record_keys(record.match_key)
        return record
