"""Every record of the bench sets, for checking that a speed change changed nothing.

Run by hand (not a test):

    .venv/bin/python bench/records_snapshot.py write before.jsonl
    ... change the code ...
    .venv/bin/python bench/records_snapshot.py write after.jsonl
    .venv/bin/python bench/records_snapshot.py compare before.jsonl after.jsonl

A line per page: the set, the page's name and its record after extraction and the
pipelines before the store (sanitise, validate, normalise, dedup keys), with the
internal fields (match key, all band keys) and the notes. The sets: the public
benchmark (../shared/eval), the mirror's article pages and seed texts, the
fixture pages under tests/fixtures (hold-out, dates), and bench/multilingual,
bench/holdout2, bench/datepages. ``compare`` prints each page whose record
differs, field by field, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extract_speed import DEFAULT_EVAL, ItemPath, public_pages  # noqa: E402

from pressbot.decode import decode_html  # noqa: E402
from pressbot.extract import extract_text  # noqa: E402
from pressbot.items import record_to_json  # noqa: E402
from tests.golden import cases  # noqa: E402

FETCHED_AT = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
FOLDERS = (
    REPO / "tests" / "fixtures" / "holdout",
    REPO / "tests" / "fixtures" / "dates",
    REPO / "bench" / "multilingual",
    REPO / "bench" / "holdout2",
    REPO / "bench" / "datepages",
)


def pages(eval_dir: Path) -> Iterator[tuple[str, str, str, str | None]]:
    """(set, name, url, decoded html) -- or the text of a seed with html None."""
    if (eval_dir / "article-extraction-benchmark").is_dir():
        for n, (html, url) in enumerate(public_pages(eval_dir)):
            yield "public", f"{n:03d}", url, html
    for case in cases():
        if case.is_text:
            yield "seed", case.name, case.url, None
        else:
            yield "mirror", case.name, case.url, decode_html(case.page.read_bytes())[0]
    for folder in FOLDERS:
        expected_file = folder / "expected.json"
        if not expected_file.is_file():
            continue
        expected = json.loads(expected_file.read_text("utf-8"))
        for name, entry in sorted(expected.items()):
            path = folder / name
            if path.suffix in (".html", ".htm") and path.is_file():
                html = decode_html(path.read_bytes())[0]
                yield folder.name, name, entry["url"], html


def write(out: Path, eval_dir: Path) -> int:
    path = ItemPath()
    text_cases = {c.name: c for c in cases() if c.is_text}
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for set_name, name, url, html in pages(eval_dir):
            if html is None:
                text = text_cases[name].page.read_text("utf-8")
                record = extract_text(text, url, fetched_at=FETCHED_AT)
            else:
                record = path(html, url)
            line = {"set": set_name, "name": name, "record": record_to_json(record, internal=True)}
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    print(f"{count} records written to {out} ({path.dropped} would be dropped by validation)")
    return 0


def _load(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        out[(row["set"], row["name"])] = row["record"]
    return out


def compare(a: Path, b: Path) -> int:
    before, after = _load(a), _load(b)
    differing = 0
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        differing += 1
        print(f"{key[0]}/{key[1]}:")
        if old is None or new is None:
            print("   only in", a if new is None else b)
            continue
        for field in sorted(old.keys() | new.keys()):
            if old.get(field) != new.get(field):
                print(f"   {field}: {str(old.get(field))[:200]!r}")
                print(f"   {' ' * len(field)}  {str(new.get(field))[:200]!r}")
    print(f"{len(before)} / {len(after)} records; {differing} differ")
    return 1 if differing else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write the records of every bench page")
    w.add_argument("out", type=Path)
    w.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    c = sub.add_parser("compare", help="the pages whose records differ")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.command == "write":
        return write(args.out, args.eval_dir)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
