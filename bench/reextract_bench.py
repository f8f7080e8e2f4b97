"""Re-extraction throughput: one process against two shards (`pressbot reextract
--jobs 2`).

Run by hand (not a test):

    .venv/bin/python bench/reextract_bench.py [--pages 300]

Builds the synthetic mirror of bench/crawl_bench.py (two sources, ``--pages``
distinct release pages each), crawls it once into SQLite (the raw archive and its
records), then re-extracts a copy of that database with one process and another
copy with two (shards 1/2 and 2/2 side by side), and prints pages per second of
each and their ratio (same machine, same run). Both copies end with the same
records: every page re-extracted to what is stored, as after an extractor change
that touches few pages.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl_bench import build

REPO = Path(__file__).resolve().parent.parent


def reextract(db: Path, jobs: int) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pressbot.cli", "reextract", "--database", f"sqlite:///{db}",
         "--jobs", str(jobs), "--no-progress"],
        cwd=REPO, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return time.perf_counter() - start, done.stdout.splitlines()[0]


def crawl(root: Path, db: Path) -> None:
    """The archive to re-extract. (The synthetic nhsrc has no sitemap, so the crawl
    ends `incomplete`, exit 1: every release page is archived all the same.)"""
    subprocess.run(
        [sys.executable, "-m", "pressbot.cli", "crawl", "kp_police", "nhsrc", "--mirror",
         "--mirror-root", str(root), "--database", f"sqlite:///{db}", "--jobs", "2",
         "--log-level", "ERROR", "-s", f"PRESSBOT_DEADLETTER_PATH={db}.dead",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"],
        cwd=REPO, capture_output=True, check=False,
    )  # fmt: skip


def archived(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(DISTINCT url_key) FROM pages").fetchone()[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300, help="release pages per source")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mirror"
        build(root, args.pages)
        crawled = Path(tmp) / "crawled.db"
        crawl(root, crawled)
        pages = archived(crawled)
        assert pages >= 2 * args.pages, f"only {pages} pages archived"
        times = {}
        for jobs in (1, 2):
            db = Path(tmp) / f"j{jobs}.db"
            shutil.copy(crawled, db)
            times[jobs], line = reextract(db, jobs)
            print(f"--jobs {jobs}: {pages} archived pages in {times[jobs]:.1f} s = "
                  f"{pages / times[jobs]:.0f} pages/s ({line})")  # fmt: skip
    print(f"two shards / one process: {times[1] / times[2]:.2f}x the throughput")


if __name__ == "__main__":
    main()
