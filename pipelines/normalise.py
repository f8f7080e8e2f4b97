"""Normalise text fields (Urdu letter forms, whitespace) and compute the content hash."""

from __future__ import annotations

import hashlib
from typing import Any

from pressbot.items import Record
from pressbot.text.urdu import match_key, normalize_display

from ._base import CountingPipeline

_TEXT_FIELDS = ("title", "title_en", "body", "place", "agency", "author")


def content_hash(key: str) -> str:
    """sha256 of a body's match key: equal for texts that differ only in form."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class NormalisePipeline(CountingPipeline):
    def process_item(self, item: Any) -> Record:
        record: Record = item
        for name in _TEXT_FIELDS:
            value = getattr(record, name)
            if value:
                setattr(record, name, normalize_display(value))
        record.keywords = list(dict.fromkeys(normalize_display(k) for k in record.keywords))
        record.match_key = match_key(record.body)
        record.content_hash = content_hash(record.match_key)
        return record
