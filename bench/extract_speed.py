"""Item path CPU per page: pressbot beside plain ``trafilatura.extract``, one run.

Run by hand (not a test):

    .venv/bin/python bench/extract_speed.py [--repeats 5] [--eval-dir ../shared/eval]
                                            [--set public|mirror|all] [--profile out.prof]

"Item path" is what pressbot spends on a page after download: extraction
(:func:`pressbot.extract.extract_html`) and the item pipelines' CPU before the
store -- sanitise, validate, normalise (display text, match key, content hash)
and dedup (MinHash signatures, LSH band keys). Every stage runs on every page
(a page validation would drop is still normalised and keyed), so the figure is
an upper bound of what a crawl pays.

Both sides get the same decoded text. The two systems are interleaved page by
page and the order flips every repeat, so a neighbour's load on a shared machine
falls on both alike. CPU time is ``time.process_time`` around each call; the
figure printed is the median over repeats of the mean per page. The first
repeat's ratio is printed too: there every page is new to both sides' caches, as
in a crawl, while later repeats meet each page again.

Two sets: **public**, the 181 pages of the article-extraction benchmark
(../shared/eval, mostly English news); **mirror**, the article pages of the
bundled offline mirror (pressbot/data/mirror, Urdu releases and news).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import trafilatura
from scrapy.exceptions import DropItem

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pressbot.decode import decode_html  # noqa: E402
from pressbot.extract import extract_html  # noqa: E402
from pressbot.pipelines.dedup import DedupPipeline  # noqa: E402
from pressbot.pipelines.normalise import NormalisePipeline  # noqa: E402
from pressbot.pipelines.sanitise import SanitisePipeline  # noqa: E402
from pressbot.pipelines.validate import ValidatePipeline  # noqa: E402
from tests.golden import cases  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval"
FETCHED_AT = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)

Page = tuple[str, str]  # (decoded html, url)


class _Stats:
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        pass


class ItemPath:
    """extract_html, then the pipelines before the store, each on every page."""

    def __init__(self) -> None:
        crawler = SimpleNamespace(stats=_Stats())
        self.dedup = DedupPipeline.from_crawler(crawler)
        self.checks = [
            SanitisePipeline.from_crawler(crawler),
            ValidatePipeline.from_crawler(crawler),
        ]
        self.keyed = [NormalisePipeline.from_crawler(crawler), self.dedup]
        self.dropped = 0

    def __call__(self, html: str, url: str) -> Any:
        record = extract_html(html, url, fetched_at=FETCHED_AT)
        try:
            for p in self.checks:
                record = p.process_item(record)
        except DropItem:
            self.dropped += 1
        self.dedup.seen.clear()  # repeats of one page are not duplicates here
        for p in self.keyed:
            record = p.process_item(record)
        return record


def public_pages(eval_dir: Path) -> list[Page]:
    bench = eval_dir / "article-extraction-benchmark"
    truth = json.loads((bench / "ground-truth.json").read_text("utf-8"))
    return [
        (
            gzip.decompress((bench / "html" / f"{pid}.html.gz").read_bytes()).decode(
                "utf-8", errors="replace"
            ),
            truth[pid].get("url") or f"https://example.org/{pid}",
        )
        for pid in sorted(truth)
    ]


def mirror_pages() -> list[Page]:
    # Decoded as the spider reads a response (no HTTP headers on a saved page).
    return [(decode_html(c.page.read_bytes())[0], c.url) for c in cases() if not c.is_text]


def measure(
    systems: dict[str, Callable[[str, str], Any]], pages: list[Page], repeats: int
) -> dict[str, list[float]]:
    """CPU ms per page of each system, one figure per repeat."""
    names = list(systems)
    for html, url in pages[:3]:  # lazy imports, compiled patterns
        for fn in systems.values():
            fn(html, url)
    out: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeats):
        order = names if r % 2 == 0 else names[::-1]
        spent = dict.fromkeys(names, 0.0)
        gc.collect()
        for html, url in pages:
            for name in order:
                t = time.process_time()
                systems[name](html, url)
                spent[name] += time.process_time() - t
        for name in names:
            out[name].append(spent[name] * 1000 / len(pages))
    return out


def report(title: str, pages: list[Page], repeats: int) -> float:
    ours = ItemPath()
    systems: dict[str, Callable[[str, str], Any]] = {
        "trafilatura.extract": lambda html, url: trafilatura.extract(html),
        "pressbot item path": ours,
    }
    ms = measure(systems, pages, repeats)
    print(f"{title}: {len(pages)} pages x {repeats} repeats, CPU ms per page (median; min-max)")
    for name, values in ms.items():
        print(
            f"  {name:22} {statistics.median(values):7.2f}   ({min(values):.2f}-{max(values):.2f})"
        )
    ratio = statistics.median(
        p / t for p, t in zip(ms["pressbot item path"], ms["trafilatura.extract"], strict=True)
    )
    print(f"  pressbot / trafilatura: {ratio:.2f}x (median of per-repeat ratios)")
    first = ms["pressbot item path"][0] / ms["trafilatura.extract"][0]
    # Later repeats meet each page again: whatever either side cached of it (pressbot
    # caches short lines across pages, as a crawl of one site reuses them) is warm.
    print(f"  first repeat alone (no page seen before): {first:.2f}x\n")
    return ratio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--set", choices=("public", "mirror", "all"), default="all")
    ap.add_argument(
        "--profile", type=Path, help="write a cProfile of the item path alone (no timing)"
    )
    args = ap.parse_args()
    sets: list[tuple[str, list[Page]]] = []
    if args.set in ("public", "all"):
        sets.append(("public benchmark", public_pages(args.eval_dir)))
    if args.set in ("mirror", "all"):
        sets.append(("offline mirror", mirror_pages()))
    if args.profile:
        path = ItemPath()
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.repeats):
            for _, pages in sets:
                for html, url in pages:
                    path(html, url)
        prof.disable()
        prof.dump_stats(args.profile)
        print(f"profile written to {args.profile}")
        return
    print(f"trafilatura {trafilatura.__version__}, Python {sys.version.split()[0]}\n")
    for title, pages in sets:
        report(title, pages, args.repeats)


if __name__ == "__main__":
    main()
