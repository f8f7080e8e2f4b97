"""Second hold-out set: how well does the extractor read pages it has never seen?

Run by hand (not a test):

    .venv/bin/python bench/holdout_eval.py [--dir bench/holdout2]

Ten hand-written pages from invented sites (no registered source, so no
per-site hint applies) live in bench/holdout2/, with what a careful reader
records from each in expected.json. Every page goes through
``extract_html(page_bytes, url, fetched_at=FETCHED_AT)`` and every field is
checked on its own. The script prints a per-field accuracy table, the overall
share of field checks passed, every failure (file, field, got, expected) and,
per page, whether any boilerplate string survived in the body.

Comparison rules:

- text fields (title, title_en, place, agency): whitespace collapsed, empty is
  None; place and agency are compared case-insensitively (an English dateline
  is printed "KARACHI:").
- published_at / updated_at: the same instant (an offset of +00:00 or +05:00
  for the same moment is right); a naive datetime is wrong.
- keywords: the same list, in order, whitespace collapsed.
- body_first / body_last: the first / last 25 characters of the body with
  whitespace collapsed.
- must_not_contain: none of the strings occurs in the body.
- related_titles: every expected title is among the record's related titles.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pressbot.extract import extract_html

DEFAULT_DIR = Path(__file__).resolve().parent / "holdout2"
FETCHED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=5)))

FIELDS = (
    "title",
    "title_en",
    "published_at",
    "updated_at",
    "place",
    "agency",
    "keywords",
    "is_excerpt",
    "language",
    "body_first",
    "body_last",
    "must_not_contain",
    "related_titles",
)

# Arabic letter forms an Urdu normaliser may rewrite; folded on both sides
# before looking for boilerplate so that normalisation cannot hide a leak.
FOLD = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0649": "\u06cc"})


def squash(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(str(text).split()) or None


def iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else repr(value)


def same_instant(got: Any, expected: str | None) -> bool:
    if expected is None or got is None:
        return got is None and expected is None
    if not isinstance(got, datetime) or got.tzinfo is None:
        return False
    return got == datetime.fromisoformat(expected)


def related_titles(record: Any) -> list[str]:
    titles = []
    for item in getattr(record, "related", None) or []:
        title = item.get("title") if isinstance(item, dict) else getattr(item, "title", None)
        titles.append(squash(title) or "")
    return titles


def check(field: str, record: Any, exp: dict[str, Any]) -> tuple[bool, Any, Any]:
    """Return (passed, got, expected) for one field of one page."""
    want = exp[field]
    body = squash(getattr(record, "body", None)) or ""
    if field in ("published_at", "updated_at"):
        got = getattr(record, field, None)
        return same_instant(got, want), iso(got), want
    if field in ("title", "title_en"):
        got = squash(getattr(record, field, None))
        return got == want, got, want
    if field in ("place", "agency"):
        got = squash(getattr(record, field, None))
        ok = (got or "").casefold() == (want or "").casefold()
        return ok, got, want
    if field == "keywords":
        got = [squash(k) for k in getattr(record, "keywords", None) or []]
        return got == want, got, want
    if field == "is_excerpt":
        got = getattr(record, "is_excerpt", None)
        return got is want, got, want
    if field == "language":
        got = getattr(record, "language", None)
        return got == want, got, want
    if field == "body_first":
        return body[:25] == want, body[:25], want
    if field == "body_last":
        return body[-25:] == want, body[-25:], want
    if field == "must_not_contain":
        folded = body.translate(FOLD)
        found = [s for s in want if s.translate(FOLD) in folded]
        return not found, found, []
    if field == "related_titles":
        got = related_titles(record)
        missing = [t for t in want if t not in got]
        return not missing, got, want
    raise AssertionError(f"unknown field {field}")


def short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="pages and expected.json")
    args = ap.parse_args()
    expected: dict[str, dict[str, Any]] = json.loads(
        (args.dir / "expected.json").read_text("utf-8")
    )

    tally = {field: [0, 0] for field in FIELDS}
    failures: list[tuple[str, str, Any, Any]] = []
    leaks: dict[str, list[str]] = {}
    for page in sorted(expected):
        exp = expected[page]
        missing = [f for f in (*FIELDS, "url") if f not in exp]
        if missing:
            raise SystemExit(f"{page}: expected.json lacks {missing}")
        try:
            record = extract_html((args.dir / page).read_bytes(), exp["url"], fetched_at=FETCHED_AT)
        except Exception:  # a crash fails every field of the page
            print(f"{page}: extract_html raised\n{traceback.format_exc()}", file=sys.stderr)
            for field in FIELDS:
                tally[field][1] += 1
                failures.append((page, field, "<crash>", exp[field]))
            leaks[page] = ["<crash>"]
            continue
        for field in FIELDS:
            ok, got, want = check(field, record, exp)
            tally[field][1] += 1
            if ok:
                tally[field][0] += 1
            else:
                failures.append((page, field, got, want))
            if field == "must_not_contain":
                leaks[page] = got

    passed = sum(c for c, _ in tally.values())
    total = sum(t for _, t in tally.values())
    print(f"{len(expected)} pages from {args.dir}, fetched_at {FETCHED_AT.isoformat()}\n")
    print(f"{'field':18} {'correct':>7}")
    for field, (correct, count) in tally.items():
        print(f"{field:18} {correct:>3}/{count:<3}")
    print(f"\noverall: {passed}/{total} field checks passed ({passed / total:.1%})")

    print(f"\nfailures ({len(failures)}):")
    for page, field, got, want in failures:
        print(f"- {page} | {field}\n    got:      {short(got)}\n    expected: {short(want)}")

    print("\nboilerplate surviving in the body:")
    for page in sorted(leaks):
        found = leaks[page]
        print(f"- {page}: {'yes ' + short(found) if found else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
