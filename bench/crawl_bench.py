"""Crawl throughput: one process against two (`pressbot crawl --jobs 2`).

Run by hand (not a test):

    .venv/bin/python bench/crawl_bench.py [--pages 300]

Builds a larger offline mirror in a temporary folder -- two sources (the
kp_police and nhsrc hosts) with ``--pages`` release pages each, in the KP
police page template, with distinct Urdu bodies and paginated listings -- then
crawls it into a fresh SQLite database with one process and with two, and
prints pages per second of each and their ratio (same machine, same run).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "pressbot/data/mirror/day1/kppolice.gov.pk/press_release_detail.php@id=2316"
LETTERS = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہیے"
PER_LISTING = 20
SITES = {
    # host: (detail path with {id}, listing path, listing page query)
    "kppolice.gov.pk": ("press_release_detail.php@id={id}", "press_releases.php", "page"),
    "www.nhsrc.gov.pk": ("PressReleaseDetail.aspx@id={id}", "PressReleases.aspx", "page"),
}


def body(rng: random.Random, words: list[str]) -> str:
    paras = []
    for p in range(5):
        text = " ".join(rng.choices(words, k=rng.randint(60, 90)))
        prefix = "پشاور، 7 ستمبر، 2023: " if p == 0 else ""
        paras.append(f'<p style="text-align:justify">{prefix}{text}۔</p>')
    return "\n".join(paras)


def build(root: Path, pages: int) -> None:
    rng = random.Random(5)
    words = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 7))) for _ in range(6000)]
    template = TEMPLATE.read_text("utf-8")
    urdu_cell = re.compile(r'(<td dir="rtl" lang="ur" align="right" class="urdu">).*?(</td>)', re.S)
    for host, (detail, listing, query) in SITES.items():
        site = root / "day1" / host
        site.mkdir(parents=True)
        (site / "robots.txt").write_text("User-agent: *\nAllow: /\n")
        ids = list(range(1000, 1000 + pages))
        for i in ids:
            html = urdu_cell.sub(lambda m: m.group(1) + body(rng, words) + m.group(2), template)
            html = html.replace(
                "Peshawar Police conduct search and strike operations",
                f"Release number {i} of the benchmark site",
            )
            (site / detail.format(id=i)).write_text(html, "utf-8")
        link = detail.replace("@", "?")
        chunks = [ids[k : k + PER_LISTING] for k in range(0, len(ids), PER_LISTING)]
        for n, chunk in enumerate(chunks, start=1):
            rows = "".join(
                f'<tr><td><a href="/{link.format(id=i)}">Release {i}</a></td></tr>' for i in chunk
            )
            nxt = f'<a href="/{listing}?{query}={n + 1}">Next »</a>' if n < len(chunks) else ""
            name = listing if n == 1 else f"{listing}@{query}={n}"
            (site / name).write_text(f"<html><body><table>{rows}</table>{nxt}</body></html>")


def stored(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])


def crawl(root: Path, db: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pressbot.cli",
            "crawl",
            "kp_police",
            "nhsrc",
            "--mirror",
            "--mirror-root",
            str(root),
            "--database",
            f"sqlite:///{db}",
            "--jobs",
            str(jobs),
            "--log-level",
            "ERROR",
            "-s",
            f"PRESSBOT_DEADLETTER_PATH={db}.dead",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300, help="release pages per source")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mirror"
        build(root, args.pages)
        total = 2 * args.pages
        times = {}
        for jobs in (1, 2):
            db = Path(tmp) / f"j{jobs}.db"
            times[jobs] = crawl(root, db, jobs)
            print(
                f"--jobs {jobs}: {total} release pages in {times[jobs]:.1f} s = "
                f"{total / times[jobs]:.0f} pages/s ({stored(db)} records stored)"
            )
    print(f"two processes / one: {times[1] / times[2]:.2f}x the throughput")


if __name__ == "__main__":
    main()
