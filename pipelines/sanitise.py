"""Remove characters no database or reader can take (NUL, lone surrogates, control
characters) from every text field, and count them: one bad character must cost
that character, never the record or the batch it is written with."""

from __future__ import annotations

from typing import Any

from pressbot.items import Record
from pressbot.sanitise import clean_fields

from ._base import CountingPipeline


class SanitisePipeline(CountingPipeline):
    def process_item(self, item: Any) -> Any:
        if isinstance(item, Record):
            removed = clean_fields(item)
            if removed:
                self.count(item, "sanitised_records")
                self.count(item, "sanitised_chars", removed)
        return item
