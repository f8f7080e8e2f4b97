"""Page shapes from issue 9, one small synthetic page each (tests/fixtures/shapes/).

Written before the fixes (39 of the 61 checks failed then), from the shapes the
issue names, not from any one site:
Arabic and Persian pages whose letters must come back as published, an Arabic
quotation inside an Urdu story, legacy table layouts whose page-type header sits
above the bold headline, windows-1256 pages that spell phrase-list words with
Arabic yeh, "Latest update" lines, follow-us lines, comment-policy blocks and
columnist sidebars. Every (page, check) pair is its own test.

Text is compared apart from whitespace: what the page says, letter for letter.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml.html import document_fromstring

from pressbot.decode import decode_html
from pressbot.extract import extract_html
from pressbot.items import Record

SHAPES = Path(__file__).resolve().parent / "fixtures" / "shapes"
EXPECTED: dict[str, dict[str, Any]] = json.loads((SHAPES / "expected.json").read_text("utf-8"))
FETCHED_AT = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)

CHECKS = (
    "title",
    "title_en",
    "language",
    "body_first",
    "body_last",
    "body_contains",
    "must_not_contain",
    "related_titles",
    "keywords",
    "as_published",
)

CASES = [
    pytest.param(page, check, id=f"{page.removesuffix('.html')}-{check}")
    for page in sorted(EXPECTED)
    for check in CHECKS
    if check in EXPECTED[page] or check == "as_published"
]

_SPACE = re.compile(r"\s+")


def _bare(text: str) -> str:
    """Text without any whitespace: the comparison "apart from whitespace"."""
    return _SPACE.sub("", text)


@cache
def _page(page: str) -> tuple[Record, str]:
    data = (SHAPES / page).read_bytes()
    record = extract_html(data, EXPECTED[page]["url"], fetched_at=FETCHED_AT)
    text = document_fromstring(decode_html(data)[0]).text_content()
    return record, text


def test_every_page_has_expectations() -> None:
    pages = sorted(p.name for p in SHAPES.glob("*.html"))
    assert pages == sorted(EXPECTED)
    for page, exp in EXPECTED.items():
        missing = [
            k for k in ("url", "title", "language", "body_first", "body_last") if k not in exp
        ]
        assert not missing, (page, missing)


@pytest.mark.parametrize(("page", "check"), CASES)
def test_shape(page: str, check: str) -> None:
    exp = EXPECTED[page]
    rec, page_text = _page(page)
    body = _bare(rec.body)
    if check in ("title", "title_en", "language"):
        got = getattr(rec, check)
        got = " ".join(got.split()) or None if isinstance(got, str) else got
        assert got == exp[check], f"{check}: got {got!r}"
    elif check == "body_first":
        assert body.startswith(_bare(exp[check])), f"body starts {rec.body[:120]!r}"
    elif check == "body_last":
        assert body.endswith(_bare(exp[check])), f"body ends {rec.body[-120:]!r}"
    elif check == "body_contains":
        missing = [s[:40] for s in exp[check] if _bare(s) not in body]
        assert not missing, f"not in the body as published: {missing!r}"
    elif check == "must_not_contain":
        found = [s for s in exp[check] if _bare(s) in body]
        assert not found, f"boilerplate in body: {found!r}"
    elif check == "related_titles":
        titles = [" ".join(r.title.split()) for r in rec.related]
        missing = [t for t in exp[check] if t not in titles]
        assert not missing, f"related titles missing: {missing!r}; got {titles!r}"
    elif check == "keywords":
        assert rec.keywords == exp[check], f"keywords: got {rec.keywords!r}"
    elif check == "as_published":
        # Every stored paragraph and the title are on the page letter for letter.
        whole = _bare(page_text)
        changed = [x[:40] for x in [rec.title, *rec.body.split("\n\n")] if _bare(x) not in whole]
        assert not changed, f"text not as published: {changed!r}"
    else:  # pragma: no cover - CHECKS and the branches above must agree
        raise AssertionError(check)
