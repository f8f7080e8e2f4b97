"""The record: pressbot's contract with whoever reads its output.

A plain dataclass, so extractors (which import no Scrapy) can build it and
Scrapy pipelines and feed exports handle it through itemadapter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass
class Related:
    """A teaser or appended article split out of a page's body."""

    title: str
    url: str | None = None
    text: str | None = None


@dataclass
class Record:
    url: str
    canonical_url: str
    title: str = ""
    body: str = ""
    source: str | None = None
    kind: str | None = None
    title_en: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    fetched_at: datetime | None = None
    place: str | None = None
    agency: str | None = None
    author: str | None = None
    keywords: list[str] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    is_excerpt: bool = False
    # Filled by the pipelines (internal: not in exports).
    match_key: str | None = None
    content_hash: str | None = None
    band_keys: list[int] = field(default_factory=list, repr=False)
    # url_key of the URL the crawl asked for (before redirects): its frontier entry.
    frontier_key: str | None = field(default=None, repr=False)
    # Why a field is empty, e.g. {"published_at": "no date on page"}.
    notes: dict[str, str] = field(default_factory=dict)


RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Record))
INTERNAL_FIELDS: tuple[str, ...] = ("match_key", "band_keys", "frontier_key")


def record_to_json(record: Record, *, internal: bool = False) -> dict[str, Any]:
    """A JSON-ready dict: datetimes as ISO 8601 with offset.

    ``internal`` keeps the pipeline-only fields (match_key) that readers don't need.
    """
    data = asdict(record)
    if not internal:
        for name in INTERNAL_FIELDS:
            data.pop(name, None)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return data


def record_from_json(data: dict[str, Any]) -> Record:
    """The inverse of :func:`record_to_json` (used by replay and ingest)."""
    values = {k: v for k, v in data.items() if k in RECORD_FIELDS}
    for key in ("published_at", "updated_at", "fetched_at"):
        if isinstance(values.get(key), str):
            values[key] = datetime.fromisoformat(values[key])
    values["related"] = [
        Related(**r) if isinstance(r, dict) else r for r in values.get("related", [])
    ]
    return Record(**values)
