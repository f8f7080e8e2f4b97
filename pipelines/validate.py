"""Refuse records that are not articles; count the ones stored without a date."""

from __future__ import annotations

from typing import Any

from pipelines._base import CountingPipeline
from pressbot.items import Record

# A body shorter than this is a stub, an error page or a listing (characters).
MIN_BODY_CHARS = 80


class ValidatePipeline(CountingPipeline):
    def process_item(self, item: Any) -> Record:
        if not isinstance(item, Record):
            raise TypeError(f"pressbot pipelines take Record items, got {type(item).__name__}")
        if not item.url:
            raise self.drop(item, "no_url")
        if len(item.body.strip()) < MIN_BODY_CHARS:
            raise self.drop(item, "no_body", f"{len(item.body.strip())} characters")
        if not item.title.strip():
            raise self.drop(item, "no_title")
        if item.published_at is None:
            # Kept, with the reason in notes: an undated release is still a release.
            self.count(item, "no_date")
        return item
