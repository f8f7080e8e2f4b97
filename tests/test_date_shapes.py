"""Date shapes from issues 9 and 13, one small synthetic page each, through extract_html.

Each page in tests/fixtures/dates/ stands for a *shape* seen on real sites (a
post-info line, a dateline alone in a table cell, a date printed under the
headline, month names of other regions and languages, dates only in the URL or
only in markup, a UTC timestamp whose day is not the publisher's day), with
traps around it (a header "today" stamp, sidebar and comment dates, copyright
years). expected.json names the publication day a reader would give; None
means the page states no publication date and pressbot must say nothing.
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

DATES = Path(__file__).resolve().parent / "fixtures" / "dates"
EXPECTED: dict[str, dict[str, Any]] = json.loads((DATES / "expected.json").read_text("utf-8"))
FETCHED_AT = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


@cache
def _record(page: str) -> Record:
    return extract_html((DATES / page).read_bytes(), EXPECTED[page]["url"], fetched_at=FETCHED_AT)


def _day(value: datetime | None) -> str | None:
    return None if value is None else value.date().isoformat()


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_published_day(page: str) -> None:
    rec = _record(page)
    assert _day(rec.published_at) == EXPECTED[page]["published_day"], rec.notes


@pytest.mark.parametrize("page", sorted(p for p, e in EXPECTED.items() if "updated_day" in e))
def test_updated_day(page: str) -> None:
    rec = _record(page)
    assert _day(rec.updated_at) == EXPECTED[page]["updated_day"], rec.notes
