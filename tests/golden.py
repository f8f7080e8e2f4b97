"""Golden records: for every mirror article page and seed document, the expected
record as JSON next to it (``<file>.expected.json``).

Regenerate after a reviewed extractor change, then read the diff:

    .venv/bin/python -m tests.golden --update      # or: make golden
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pressbot.extract import extract_html, extract_text
from pressbot.items import record_to_json
from pressbot.mirror import DEFAULT_ROOT
from pressbot.sources import all_sources

ROOT = Path(__file__).resolve().parent / "fixtures"
MIRROR = DEFAULT_ROOT  # the bundled mirror ships inside the package
SEED_DIR = Path(__file__).resolve().parent.parent / "seeds" / "documents"
SEED_EXPECTED = ROOT / "seeds"
# The clock is pinned: relative dates and the future-date check depend on "now".
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    name: str
    page: Path
    expected: Path
    url: str
    is_text: bool

    def extract(self) -> dict[str, Any]:
        data = self.page.read_bytes()
        if self.is_text:
            record = extract_text(data.decode("utf-8"), self.url, fetched_at=FETCHED_AT)
        else:
            record = extract_html(data, self.url, fetched_at=FETCHED_AT)
        return record_to_json(record)


def url_for(day_dir: Path, path: Path) -> str:
    rel = path.relative_to(day_dir)
    host, rest = rel.parts[0], "/".join(rel.parts[1:])
    rest = rest.removesuffix("index.html").replace("@", "?", 1)
    return f"https://{host}/{rest}"


def cases() -> Iterator[Case]:
    sources = all_sources()
    for day_dir in sorted(MIRROR.glob("day*")):
        for page in sorted(p for p in day_dir.rglob("*") if p.is_file()):
            if page.name.endswith(".expected.json"):
                continue
            url = url_for(day_dir, page)
            if any(s.owns(url) and s.is_article(url) for s in sources):
                name = f"{day_dir.name}/{page.relative_to(day_dir)}"
                yield Case(name, page, page.with_name(page.name + ".expected.json"), url, False)
    for seed in sorted(SEED_DIR.glob("*.txt")):
        # A seed is a page without a known URL: its file name stands in.
        yield Case(
            f"seeds/{seed.name}",
            seed,
            SEED_EXPECTED / f"{seed.stem}.expected.json",
            f"https://seed.invalid/{seed.name}",
            True,
        )


def dump(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Check or regenerate golden records.")
    ap.add_argument("--update", action="store_true", help="rewrite every expected file")
    args = ap.parse_args(argv)
    changed = 0
    for case in cases():
        text = dump(case.extract())
        old = case.expected.read_text("utf-8") if case.expected.exists() else None
        if old != text:
            changed += 1
            print(("updated " if args.update else "differs ") + case.name)
            if args.update:
                case.expected.parent.mkdir(parents=True, exist_ok=True)
                case.expected.write_text(text, "utf-8")
    print(f"{changed} golden record(s) {'rewritten' if args.update else 'differ'}")
    return 0 if args.update or not changed else 1


if __name__ == "__main__":
    sys.exit(main())
