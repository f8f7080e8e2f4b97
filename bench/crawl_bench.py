"""Crawl throughput: `scrapy bench`, pressbot in one process, and `--jobs 2`, in one run.

Run by hand (not a test):

    .venv/bin/python bench/crawl_bench.py [--pages 2500] [--skip-jobs2] [--rounds 3]

Builds an offline mirror in a temporary folder -- two sources (the kp_police and
nhsrc hosts) with ``--pages`` release pages each (5,000 by default), in the KP
police page template, with distinct Urdu bodies, paginated listings and a
sitemap -- and
serves it from a separate process (`pressbot serve-mirror`, as `scrapy bench`
serves its site from one). Then, on the same machine in the same run:

* `scrapy bench` (the same Scrapy, its default settings, outside the project);
* `pressbot crawl` of both sources into a fresh database (SQLite, or
  PostgreSQL with ``--postgres``), one process,
  full processing: extraction, validation, normalisation, dedup keys, store and
  raw archive;
* the same with `--jobs 2` (one source per process).

Throttling is off for the benchmark only: the mirror switches off delays and
AutoThrottle (a loopback server needs no politeness), and concurrency is
Scrapy's default of 8 per domain, as `scrapy bench` crawls with; the budgets
that cap a run (articles, listing pages) are raised to cover the mirror. The
production defaults stay as they are.

Pages per minute are counted as `scrapy bench` counts them, from each crawl's
own stats: responses over the time from the first crawler's start to the last
one's finish (one crawler per source, in one process or two). Whole-command wall
time, including start-up and database set-up, is printed beside it, with the CPU
time of the command and its workers (how many cores it kept busy: a shared
machine may not give `--jobs 2` a second one). The resident memory of each
crawling process is sampled twice a second; its highest value in each tenth
of the run shows whether memory grows with the pages crawled. `scrapy bench`
runs before and after the pressbot crawls, and their mean is the reference.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
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
        urls = "".join(f"<url><loc>https://{host}/{link.format(id=i)}</loc></url>" for i in ids)
        (site / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        )
        chunks = [ids[k : k + PER_LISTING] for k in range(0, len(ids), PER_LISTING)]
        for n, chunk in enumerate(chunks, start=1):
            rows = "".join(
                f'<tr><td><a href="/{link.format(id=i)}">Release {i}</a></td></tr>' for i in chunk
            )
            nxt = f'<a href="/{listing}?{query}={n + 1}">Next »</a>' if n < len(chunks) else ""
            name = listing if n == 1 else f"{listing}@{query}={n}"
            (site / name).write_text(f"<html><body><table>{rows}</table>{nxt}</body></html>")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stored(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM records")).scalar_one())
    finally:
        engine.dispose()


def fresh_database(tmp: Path, name: str, postgres: str | None) -> str:
    """A new empty database: a SQLite file, or a database on a PostgreSQL server."""
    if not postgres:
        return f"sqlite:///{tmp / name}.db"
    from sqlalchemy import create_engine, text

    server = postgres.rstrip("/")
    engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return f"{server}/{name}"


_RESPONSES = re.compile(r"'downloader/response_count': (\d+)")
_ELAPSED = re.compile(r"'elapsed_time_seconds': ([\d.]+)")
_TIMES = re.compile(r"'(start|finish)_time': datetime\.datetime\(([\d, ]+)")
_LOGSTATS = re.compile(r"Crawled \d+ pages \(at (\d+) pages/min\)")


def _stamps(log: str) -> dict[str, list[datetime]]:
    """The start and finish times of the crawlers in ``log``, in the order dumped."""
    stamps: dict[str, list[datetime]] = {"start": [], "finish": []}
    for what, fields in _TIMES.findall(log):
        stamps[what].append(datetime(*(int(x) for x in fields.split(",") if x.strip())))
    return stamps


def crawl_stats(log: str) -> tuple[int, float]:
    """(responses, seconds) over the stats dumps in ``log``: from the first
    crawler's start to the last one's finish (one crawler per source)."""
    responses = sum(int(n) for n in _RESPONSES.findall(log))
    stamps = _stamps(log)
    if stamps["start"] and stamps["finish"]:
        span = (max(stamps["finish"]) - min(stamps["start"])).total_seconds()
    else:
        span = max((float(x) for x in _ELAPSED.findall(log)), default=0.0)
    return responses, span


def crawler_spans(log: str) -> str:
    """Each crawler's start after the first one's, and how long it crawled: an
    uneven split leaves a core idle at the end of a `--jobs 2` run."""
    stamps = _stamps(log)
    starts, finishes = stamps["start"], stamps["finish"]
    if not starts or len(starts) != len(finishes):
        return "not in the log"
    first = min(starts)
    return ", ".join(
        f"+{(s - first).total_seconds():.1f} s for {(f - s).total_seconds():.1f} s"
        for s, f in zip(starts, finishes, strict=True)
    )


def scrapy_bench(tmp: Path) -> tuple[float, float, int, float]:
    """`scrapy bench` with Scrapy's defaults (run outside the project): pages/min
    as responses over its crawl time, the median of its per-second log lines,
    the responses, and CPU ms per response (the whole command, start-up included)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "bench"],
        cwd=tmp,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    responses, elapsed = crawl_stats(done.stderr)
    rates = [int(r) for r in _LOGSTATS.findall(done.stderr)][1:]  # the first counts start-up
    median = statistics.median(rates) if rates else 0.0
    return responses * 60 / elapsed, median, responses, 1000 * used / responses


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(k) for k in kids)
    return out


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class RssSampler:
    """The resident memory of a command and its workers, sampled twice a second, to
    show whether a long crawl's memory grows with the pages crawled."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: dict[int, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for p in _descendants(self.pid):
                mb = _rss_mb(p)
                if mb is not None:
                    self.samples.setdefault(p, []).append(mb)

    def stop(self) -> str:
        self._stop.set()
        self._thread.join()
        # The processes that crawled: those sampled for at least half the run. With
        # --jobs 2 the command itself only waits for its workers: left out.
        longest = max((len(v) for v in self.samples.values()), default=0)
        crawling = {
            pid: values
            for pid, values in self.samples.items()
            if len(values) >= max(8, longest // 2)
        }
        if len(crawling) > 1:
            crawling.pop(self.pid, None)
        parts = []
        for values in crawling.values():
            q = len(values) / 10
            highs = [max(values[round(i * q) : round((i + 1) * q)]) for i in range(10)]
            parts.append(
                "highest per tenth of the run " + " / ".join(f"{h:.0f}" for h in highs) + " MB"
            )
        return "; ".join(parts) or "too short to sample"


def crawl(
    mirror_url: str, db: str, dead: Path, jobs: int, pages: int
) -> tuple[int, float, float, float, str]:
    """pressbot crawl of both sources: (responses, crawl seconds, command seconds,
    CPU seconds of the command and its workers, resident memory over the run)."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pressbot.cli",
            "crawl",
            "kp_police",
            "nhsrc",
            "--mirror-url",
            mirror_url,
            "--database",
            db,
            "--jobs",
            str(jobs),
            "--log-level",
            "INFO",
            # Every listing page (a source's own horizon is 30 pages).
            "--max-pages",
            str(-(-pages // PER_LISTING) + 1),
            "-s",
            f"PRESSBOT_DEADLETTER_PATH={dead}",
            # Scrapy's default, as scrapy bench crawls (pressbot's polite default is 2).
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            # Budgets that would cut a run of this size short.
            "-s",
            f"PRESSBOT_MAX_ARTICLES={pages + 100}",
            "-s",
            f"PRESSBOT_MAX_LISTING_PAGES={pages // PER_LISTING + 10}",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = RssSampler(proc.pid)
    _out, err = proc.communicate()
    memory = sampler.stop()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    if proc.returncode != 0:
        sys.exit(f"pressbot crawl --jobs {jobs} exited {proc.returncode}:\n{err[-3000:]}")
    responses, elapsed = crawl_stats(err)
    print(f"  crawlers (start after the first, seconds crawling): {crawler_spans(err)}")
    return responses, elapsed, wall, used, memory


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2500, help="release pages per source")
    ap.add_argument("--skip-jobs2", action="store_true", help="one process only")
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="crawl in one process and with --jobs 2 this many times, alternating which "
        "goes first; ratios are taken within each round and their median is printed",
    )
    ap.add_argument(
        "--postgres",
        metavar="URL",
        help="crawl into fresh databases on this PostgreSQL server "
        "(postgresql+psycopg://user@host:port) instead of SQLite files",
    )
    args = ap.parse_args()
    import scrapy

    print(f"Scrapy {scrapy.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "mirror"
        build(root, args.pages)
        total = 2 * args.pages
        print(f"mirror: {total} release pages, {2 * -(-args.pages // PER_LISTING)} listing pages")
        # Before and after the pressbot runs: a shared machine's load drifts.
        benches = [scrapy_bench(tmp)]
        print(
            f"scrapy bench (before):   {benches[0][0]:7.0f} pages/min "
            f"({benches[0][2]} pages; median of its per-second lines {benches[0][1]:.0f}; "
            f"CPU {benches[0][3]:.1f} ms/page)"
        )
        port = free_port()
        serve = ["serve-mirror", "--port", str(port), "--root", str(root)]
        server = subprocess.Popen(
            [sys.executable, "-m", "pressbot.cli", *serve],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            server.stdout.readline()  # "serving ... at URL": it listens
            rates: dict[int, list[float]] = {1: [], 2: []}
            cpus: dict[int, list[float]] = {1: [], 2: []}
            modes = (1,) if args.skip_jobs2 else (1, 2)
            runs = [
                (r, jobs)
                for r in range(args.rounds)
                for jobs in (modes if r % 2 == 0 else modes[::-1])
            ]
            for r, jobs in runs:
                name = f"pressbot_crawl_bench_j{jobs}_r{r}"
                db = fresh_database(tmp, name, args.postgres)
                served = cpu_seconds(server.pid)
                responses, seconds, wall, cpu, memory = crawl(
                    f"http://127.0.0.1:{port}", db, tmp / f"{name}.dead", jobs, args.pages
                )
                rates[jobs].append(responses * 60 / seconds)
                cpus[jobs].append(1000 * cpu / responses)
                print(
                    f"pressbot --jobs {jobs}:       {rates[jobs][-1]:7.0f} pages/min "
                    f"({responses} pages in {seconds:.1f} s; whole command {wall:.1f} s = "
                    f"{responses * 60 / wall:.0f} pages/min; CPU {cpu:.1f} s = "
                    f"{1000 * cpu / responses:.1f} ms/page, {cpu / wall:.2f} cores busy; "
                    f"{stored(db)} records stored)"
                )
                served = cpu_seconds(server.pid) - served
                print(
                    f"  mirror server: CPU {served:.1f} s = "
                    f"{1000 * served / responses:.2f} ms/page ({served / wall:.2f} cores; "
                    "the crawl shares the machine with it)"
                )
                print(f"  resident memory per crawling process: {memory}")
        finally:
            server.terminate()
            server.wait()
        benches.append(scrapy_bench(tmp))
        print(
            f"scrapy bench (after):    {benches[1][0]:7.0f} pages/min "
            f"({benches[1][2]} pages; median of its per-second lines {benches[1][1]:.0f}; "
            f"CPU {benches[1][3]:.1f} ms/page)"
        )
    bench_rate = statistics.mean(b[0] for b in benches)
    print(f"scrapy bench (mean):     {bench_rate:7.0f} pages/min")
    bench_cpu = statistics.mean(b[3] for b in benches)
    one, one_cpu = statistics.median(rates[1]), statistics.median(cpus[1])
    median = " (medians over the rounds)" if args.rounds > 1 else ""
    print(f"pressbot 1 process / scrapy bench: {one / bench_rate:.2f}x{median}")
    print(
        f"  CPU per page, scrapy bench / pressbot: {bench_cpu:.1f} / {one_cpu:.1f} ms = "
        f"{bench_cpu / one_cpu:.2f}x (the pages/min ratio a core of its own would give)"
    )
    if rates[2]:
        print(f"pressbot --jobs 2 / scrapy bench:  {statistics.median(rates[2]) / bench_rate:.2f}x")
        # Within a round: the two crawls ran minutes apart, not an hour.
        ratios = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
        each = ", ".join(f"{x:.2f}x" for x in ratios)
        print(
            f"pressbot --jobs 2 / 1 process:     {statistics.median(ratios):.2f}x"
            + (f" (median; rounds {each})" if args.rounds > 1 else "")
        )


if __name__ == "__main__":
    main()
