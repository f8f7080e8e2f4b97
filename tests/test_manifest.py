"""Extraction against the mirror's MANIFEST.json: ground truth written with the
pages, independently of the extractor (the golden files pin everything else)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from pressbot.extract import extract_html
from pressbot.items import Record
from pressbot.mirror import file_for
from pressbot.urls import canonical_url
from tests.conftest import MIRROR_ROOT
from tests.golden import FETCHED_AT

ARTICLES: list[dict[str, Any]] = json.loads((MIRROR_ROOT / "MANIFEST.json").read_text("utf-8"))[
    "articles"
]
BOILERPLATE = (
    "Go To Top",
    "اپنا تبصرہ بھیجیں",
    "Post Views",
    "Press Release Detail",
    "Copyright",
    "©",
    "اشاعت کی تاریخ",
    "کلیدی لفظ",
    "Updated on",
    "Back",
)


def _extract(article: dict[str, Any], day: int) -> Record:
    parts = urlsplit(article["url"])
    page = file_for(MIRROR_ROOT, day, parts.hostname or "", parts.path, parts.query)
    assert page is not None, article["url"]
    return extract_html(page.read_bytes(), article["url"], fetched_at=FETCHED_AT)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("article", ARTICLES, ids=[a["url"] for a in ARTICLES])
def test_record_matches_manifest(article: dict[str, Any]) -> None:
    day = article["days"][0]
    rec = _extract(article, day)
    assert rec.source == article["source"]
    assert rec.canonical_url == canonical_url(article["url"])
    assert rec.title == _flat(article["title"])
    assert rec.title_en == article["title_en"]
    assert rec.published_at == _when(article["published_at"])
    assert rec.updated_at == _when(article["updated_at"])
    assert rec.place == article["place"]
    assert rec.agency == article["agency"]
    assert rec.keywords == article["keywords"]
    assert rec.author == article["author"]
    assert rec.is_excerpt is article["is_excerpt"]
    body = _flat(rec.body)
    assert body.startswith(article["body_first"])
    assert body.endswith(article["body_last"])
    for phrase in BOILERPLATE:
        assert phrase not in rec.body, phrase
    assert rec.language == "ur"


@pytest.mark.parametrize("article", [a for a in ARTICLES if a.get("day2")], ids=lambda a: a["url"])
def test_updated_release_on_day_two(article: dict[str, Any]) -> None:
    before, after = _extract(article, 1), _extract(article, 2)
    assert after.updated_at == _when(article["day2"]["updated_at"])
    assert _flat(after.body).endswith(article["day2"]["body_last"])
    assert after.body != before.body
    assert after.published_at == before.published_at
