"""Refuse records that are not articles; count the ones stored without a date."""

from __future__ import annotations

from typing import Any

from pressbot.items import Record
from pressbot.sources import get

from ._base import CountingPipeline

# A body shorter than this is a stub, an error page or a listing (characters).
MIN_BODY_CHARS = 80


class ValidatePipeline(CountingPipeline):
    def process_item(self, item: Any) -> Record:
        if not isinstance(item, Record):
            raise TypeError(f"pressbot pipelines take Record items, got {type(item).__name__}")
        if not item.url:
            raise self.drop(item, "no_url")
        source = get(item.source) if item.source else None
        if source is not None and item.url.startswith("http") and not source.is_article(item.url):
            # A listing or section page reached by ingest or a stray link.
            raise self.drop(item, "not_an_article")
        if len(item.body.strip()) < MIN_BODY_CHARS:
            raise self.drop(item, "no_body", f"{len(item.body.strip())} characters")
        if not item.title.strip():
            raise self.drop(item, "no_title")
        if item.published_at is None:
            # Kept, with the reason in notes: an undated release is still a release.
            self.count(item, "no_date")
        return item
