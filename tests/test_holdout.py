"""Hold-out pages: does the extractor generalise to page shapes it has never seen?

Eight hand-written pages from sites that are not registered sources (so no
per-site hint applies) live in tests/fixtures/holdout/, with what a reader
should get from each in expected.json. Every (page, field) pair is its own
test, so a failure names the page and the field.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pressbot.extract import extract_html
from pressbot.items import Record

HOLDOUT = Path(__file__).resolve().parent / "fixtures" / "holdout"
EXPECTED: dict[str, dict[str, Any]] = json.loads((HOLDOUT / "expected.json").read_text("utf-8"))
FETCHED_AT = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)  # 12:00 in Asia/Karachi

FIELDS = (
    "title",
    "title_en",
    "published_at",
    "updated_at",
    "place",
    "agency",
    "keywords",
    "is_excerpt",
    "body_first",
    "body_last",
    "must_not_contain",
    "related_titles",
)

CASES = [
    pytest.param(page, name, id=f"{page.removesuffix('.html')}-{name}")
    for page in sorted(EXPECTED)
    for name in FIELDS
]


@cache
def _record(page: str) -> Record:
    html_bytes = (HOLDOUT / page).read_bytes()
    return extract_html(html_bytes, EXPECTED[page]["url"], fetched_at=FETCHED_AT)


def _squash(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def test_fixtures_are_complete() -> None:
    assert len(EXPECTED) == 8
    for page, exp in EXPECTED.items():
        assert (HOLDOUT / page).is_file(), page
        missing = [name for name in (*FIELDS, "url") if name not in exp]
        assert not missing, (page, missing)


@pytest.mark.parametrize(("page", "name"), CASES)
def test_holdout_field(page: str, name: str) -> None:
    exp = EXPECTED[page]
    rec = _record(page)
    body = _squash(rec.body) or ""

    if name in ("published_at", "updated_at"):
        got = _iso(getattr(rec, name))
        assert got == exp[name], f"{name}: got {got!r}, expected {exp[name]!r}"
    elif name in ("title", "title_en", "place", "agency"):
        got = _squash(getattr(rec, name)) or None
        assert got == exp[name], f"{name}: got {got!r}, expected {exp[name]!r}"
    elif name == "keywords":
        got_kw = [_squash(k) for k in rec.keywords]
        assert got_kw == exp["keywords"], f"keywords: got {got_kw!r}"
    elif name == "is_excerpt":
        assert rec.is_excerpt is exp["is_excerpt"], f"is_excerpt: got {rec.is_excerpt!r}"
    elif name == "body_first":
        assert body[:25] == exp["body_first"], f"body starts {body[:120]!r}"
    elif name == "body_last":
        assert body[-25:] == exp["body_last"], f"body ends {body[-120:]!r}"
    elif name == "must_not_contain":
        found = [s for s in exp["must_not_contain"] if s in body]
        assert not found, f"boilerplate in body: {found!r}"
    elif name == "related_titles":
        got_titles = [_squash(r.title) for r in rec.related]
        missing = [t for t in exp["related_titles"] if t not in got_titles]
        assert not missing, f"related titles missing: {missing!r}; got {got_titles!r}"
    else:  # pragma: no cover - FIELDS and the branches above must agree
        raise AssertionError(f"unknown field {name}")
