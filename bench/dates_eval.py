"""Publication dates: pressbot against htmldate and trafilatura, side by side, per class.

Run by hand (not a test; nothing is fetched):

    .venv/bin/python bench/dates_eval.py [--verbose]

Pages, each with the publication day a reader gives (or none):

  mirror        the offline mirror's article pages (pressbot/data/mirror, MANIFEST.json)
  seed          the seed documents (seeds/documents, expected records in tests/fixtures/seeds);
                plain text, shown to htmldate and trafilatura inside <pre>
  urdu-holdout  both hold-out sets (tests/fixtures/holdout, bench/holdout2)
  shape:*       synthetic pages of the shapes in issues 9 and 13 (tests/fixtures/dates,
                bench/datepages), grouped by the class named in their expected.json

Contenders, all given the page and its URL, with the clock pinned:

  pressbot      extract_html(...).published_at, its local day (the offset it carries)
  htmldate      htmldate.find_date(tree, url=..., original_date=True), extensive search on
  trafilatura   trafilatura.extract_metadata(tree, default_url=...).date (original date)

A page counts as right when the day matches (or both say nothing for a page with
no date), wrong when a different day is given (or any day for a page with none),
none when nothing is given for a dated page. Accuracy is right / pages.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

import htmldate
import trafilatura
from lxml.html import HtmlElement, fromstring

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pressbot.extract import extract_html, extract_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FETCHED_AT = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Page:
    name: str
    cls: str
    url: str
    data: bytes
    expected: str | None  # YYYY-MM-DD
    is_text: bool = False
    # The clock each set was written against (relative stamps resolve to it).
    fetched_at: datetime = FETCHED_AT


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def _mirror() -> Iterator[Page]:
    manifest = json.loads(
        (ROOT / "pressbot" / "data" / "mirror" / "MANIFEST.json").read_text("utf-8")
    )
    truth = {a["url"]: a["published_at"] for a in manifest["articles"]}
    sys.path.insert(0, str(ROOT))
    from tests.golden import cases

    for case in cases():
        if case.is_text:
            expected = json.loads(case.expected.read_text("utf-8"))
            yield Page(
                case.name,
                "seed",
                case.url,
                case.page.read_bytes(),
                _day(expected["published_at"]),
                True,
            )
        elif case.url in truth:
            yield Page(case.name, "mirror", case.url, case.page.read_bytes(), _day(truth[case.url]))


def _expected_dir(
    folder: Path, cls: str | None, fetched_at: datetime = FETCHED_AT
) -> Iterator[Page]:
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    for name, entry in sorted(expected.items()):
        day = entry.get("published_day", _day(entry.get("published_at")))
        page_cls = cls or f"shape:{entry.get('class', 'issue-9')}"
        data = (folder / name).read_bytes()
        key = f"{folder.name}/{name}"
        yield Page(key, page_cls, entry["url"], data, day, fetched_at=fetched_at)


def pages() -> list[Page]:
    out = list(_mirror())
    out += _expected_dir(FIXTURES / "holdout", "urdu-holdout")
    # bench/holdout_eval.py's clock for the second hold-out set
    holdout2_clock = datetime(2025, 6, 1, 7, 0, tzinfo=UTC)
    out += _expected_dir(ROOT / "bench" / "holdout2", "urdu-holdout", holdout2_clock)
    out += _expected_dir(FIXTURES / "dates", None)
    out += _expected_dir(ROOT / "bench" / "datepages", None)
    return out


def _tree(page: Page) -> HtmlElement:
    if page.is_text:
        text = page.data.decode("utf-8")
        return fromstring(f"<html><body><pre>{escape(text)}</pre></body></html>")
    return fromstring(page.data)


def run_pressbot(page: Page) -> str | None:
    if page.is_text:
        rec = extract_text(page.data.decode("utf-8"), page.url, fetched_at=page.fetched_at)
    else:
        rec = extract_html(page.data, page.url, fetched_at=page.fetched_at)
    return rec.published_at.date().isoformat() if rec.published_at else None


def run_htmldate(page: Page) -> str | None:
    limit = (page.fetched_at + timedelta(days=1)).strftime("%Y-%m-%d")
    found: str | None = htmldate.find_date(
        _tree(page), url=page.url, original_date=True, max_date=limit
    )
    return found


def run_trafilatura(page: Page) -> str | None:
    limit = (page.fetched_at + timedelta(days=1)).strftime("%Y-%m-%d")
    meta = trafilatura.extract_metadata(
        _tree(page),
        default_url=page.url,
        date_config={"original_date": True, "extensive_search": True, "max_date": limit},
    )
    return _day(meta.date) if meta is not None else None


CONTENDERS: dict[str, Callable[[Page], str | None]] = {
    "pressbot": run_pressbot,
    "htmldate": run_htmldate,
    "trafilatura": run_trafilatura,
}


def verdict(expected: str | None, got: str | None) -> str:
    if got is None:
        return "right" if expected is None else "none"
    return "right" if got == expected else "wrong"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--verbose", action="store_true", help="list every page a contender misses")
    args = ap.parse_args()

    all_pages = pages()
    answers: dict[str, dict[str, str | None]] = {n: {} for n in CONTENDERS}
    for page in all_pages:
        for name, fn in CONTENDERS.items():
            try:
                answers[name][page.name] = fn(page)
            except Exception as exc:  # a contender's crash is its "none", shown
                print(f"  {name} failed on {page.name}: {exc!r}")
                answers[name][page.name] = None

    classes = sorted({p.cls for p in all_pages}, key=lambda c: (c.startswith("shape"), c))
    header = f"{'class':<34}{'pages':>6}" + "".join(f"   {n:>11} r/w/n  acc" for n in CONTENDERS)
    print(header)
    print("-" * len(header))
    totals = {n: [0, 0, 0] for n in CONTENDERS}
    for cls in [*classes, "ALL"]:
        group = all_pages if cls == "ALL" else [p for p in all_pages if p.cls == cls]
        if cls == "ALL":
            print("-" * len(header))
        cells = []
        for name in CONTENDERS:
            counts = {"right": 0, "wrong": 0, "none": 0}
            for p in group:
                counts[verdict(p.expected, answers[name][p.name])] += 1
            if cls != "ALL":
                for i, k in enumerate(("right", "wrong", "none")):
                    totals[name][i] += counts[k]
            acc = counts["right"] / len(group) if group else 0.0
            cells.append(
                f"   {counts['right']:>5}/{counts['wrong']}/{counts['none']:<3} {acc:5.3f}"
            )
        print(f"{cls:<34}{len(group):>6}" + "".join(cells))

    print("\npages where the contenders differ (expected | pressbot | htmldate | trafilatura):")
    for p in all_pages:
        got = [answers[n][p.name] for n in CONTENDERS]
        if len(set(got)) > 1 or (args.verbose and got[0] != p.expected):
            marks = "".join("+" if verdict(p.expected, g) == "right" else "-" for g in got)
            print(f"  {marks} {p.name[:60]:<60} {p.expected} | " + " | ".join(map(str, got)))


if __name__ == "__main__":
    main()
