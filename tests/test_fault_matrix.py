"""The fault matrix: real `pressbot crawl` runs against a hostile loopback server.

Each case serves the mirror (or a generated site) through tests/hostile.py with one
kind of fault on some pages and checks, for the run that met it:

(a) what the run counted: its status and problems line in the summary, the
    counters kept in ``crawl_runs.counts``, the frontier rows it left;
(b) the exit code cron sees;
(c) that the good pages of the same crawl were stored, equal to an undisturbed
    crawl's records;
(d) where the fault is one a rerun must heal, that ONE normal rerun against the
    healthy server makes the database equal to an undisturbed crawl's.

Runs are bounded: one or a few sources, short download timeouts where pages hang,
``--max-minutes`` where the budget is the point, and every subprocess has the
helpers' timeout.
"""

from __future__ import annotations

import re
import resource
import signal
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from pressbot.db.models import Base, CrawlRunRow, FrontierRow, ListingWalkRow, PageRow, RecordRow
from pressbot.text.urdu import match_key
from pressbot.urls import url_key
from tests.crawling import crawl, runs, spawn, state, wait_for
from tests.hostile import (
    MIRROR_ROOT,
    Big,
    Body,
    EntityBomb,
    Exchange,
    FailTimes,
    Fault,
    GzipBomb,
    Hang,
    HostileServer,
    MalformedXml,
    PaginationTrap,
    Recode,
    Redirect,
    RedirectLoop,
    RobotsFault,
    SiteManifest,
    SitemapIndexTrap,
    SlowBody,
    Status,
    Truncate,
    TruncateChunked,
    Xxe,
    garbage,
    make_site,
    mirror_path,
    png_bytes,
)

KP = "kp_police"
KP_IDS = tuple(range(2309, 2317))  # the mirror's kp_police releases; 2309-2311 only on page 2
KP_LISTING = re.compile(r"^/kppolice\.gov\.pk/press_releases\.php")
STATUSES = ("ok", "incomplete", "failed", "interrupted", "timeout", "locked", "aborted")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(eq=False)
class Gate(Fault):
    """Hold each request until ``opened`` is set (at most ``limit`` seconds), then
    answer normally: a run that is certainly still going, whatever the machine's pace."""

    opened: threading.Event = field(default_factory=threading.Event)
    limit: float = 60.0

    def respond(self, ex: Exchange) -> bool:
        deadline = time.monotonic() + self.limit
        # Bounded, and woken by HostileServer.stop() like the module's own faults.
        while not self.opened.wait(0.05):
            if time.monotonic() > deadline or not ex.wait(0):
                ex.hang_up()
                return True
        ex.serve_normal()
        return True


def kp(n: int) -> str:
    """Mirror path of a kp_police release."""
    return f"/kppolice.gov.pk/press_release_detail.php?id={n}"


def kp_key(n: int) -> str:
    return url_key(f"https://kppolice.gov.pk/press_release_detail.php?id={n}")


# --- what a run said and left --------------------------------------------------------------
def table(stdout: str) -> dict[str, dict[str, str]]:
    """The summary table `pressbot crawl` prints: source -> column -> cell. Cells are
    padded and joined with two spaces; a cell never holds two spaces in a row."""
    lines = stdout.splitlines()
    head = re.split(r"\s{2,}", lines[0].strip())
    rows: dict[str, dict[str, str]] = {}
    for line in lines[2:]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = dict(zip(head, cells, strict=True))
    return rows


def said(stdout: str, source: str) -> str:
    """The run's problems line ("<status>: <problem>; ..."), without the source."""
    for line in stdout.splitlines():
        head, _, rest = line.partition(": ")
        if head == source and rest.split(":", 1)[0] in STATUSES:
            return rest
    return ""


def last_run(db: str, source: str) -> CrawlRunRow:
    return runs(db, source)[-1]


def _rows(db: str, model: Any) -> list[Any]:
    engine = create_engine(db)
    try:
        with Session(engine) as s:
            return list(s.scalars(select(model)))
    finally:
        engine.dispose()


def frontier(db: str) -> dict[str, FrontierRow]:
    return {r.url_key: r for r in _rows(db, FrontierRow)}


def walk(db: str, source: str = KP) -> ListingWalkRow:
    (row,) = [r for r in _rows(db, ListingWalkRow) if r.source == source]
    return row


def archived(db: str) -> dict[str, list[PageRow]]:
    out: dict[str, list[PageRow]] = {}
    for row in _rows(db, PageRow):
        out.setdefault(row.url_key, []).append(row)
    return out


def everything(db: str) -> str:
    """Every value in every table as text (archived bodies decompressed): where a
    leak would show."""
    engine = create_engine(db)
    parts: list[str] = []
    try:
        with engine.connect() as conn:
            for table_ in Base.metadata.sorted_tables:
                for row in conn.execute(table_.select()):
                    for value in row:
                        if isinstance(value, bytes):
                            value = zlib.decompress(value).decode("utf-8", "replace")
                        parts.append(str(value))
    finally:
        engine.dispose()
    return "\n".join(parts)


def records_of(db: str, keys: Any) -> dict[str, Any]:
    got = state(db)["records"]
    return {k: got.get(k) for k in keys}


def expect_stored(db: str, reference: dict[str, Any], keys: Any) -> None:
    """(c): these pages were stored, exactly as an undisturbed crawl stores them."""
    keys = sorted(keys)
    assert records_of(db, keys) == {k: reference["records"][k] for k in keys}


def hits_since(srv: HostileServer, start: int, pattern: str | re.Pattern[str]) -> list[Any]:
    """Labels (status or fault) of the hits on ``pattern`` after the first ``start``."""
    rx = re.compile(f"^{re.escape(pattern)}$") if isinstance(pattern, str) else pattern
    return [label for path, label in srv.hits[start:] if rx.search(path)]


def _near(when: datetime | None, target: datetime, slack: float = 60.0) -> bool:
    return when is not None and abs((when - target).total_seconds()) <= slack


def _out(result: Any) -> str:
    """What to show when an assertion on a crawl fails."""
    return f"{result.stdout}\n{result.stderr[-3000:]}"


# --- fixtures ------------------------------------------------------------------------------
class Undisturbed:
    """State of an undisturbed crawl of (root, sources), each crawled once a session."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.cache: dict[tuple[Path, tuple[str, ...]], dict[str, Any]] = {}

    def __call__(self, sources: tuple[str, ...], root: Path = MIRROR_ROOT) -> dict[str, Any]:
        key = (root, sources)
        if key not in self.cache:
            where = self.tmp / f"ref{len(self.cache)}"
            where.mkdir()
            db = f"sqlite:///{where / 'ref.db'}"
            with HostileServer(root) as server:
                done = crawl(server.url, db, where, *sources)
            assert done.returncode == 0, _out(done)
            self.cache[key] = state(db)
            assert self.cache[key]["records"]
        return self.cache[key]


@pytest.fixture(scope="session")
def undisturbed(tmp_path_factory: pytest.TempPathFactory) -> Undisturbed:
    return Undisturbed(tmp_path_factory.mktemp("undisturbed"))


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteManifest:
    """kp_police with 12 releases, 3 a page, in no feed: articles on pages 2 to 4 are
    reached only by walking the listing."""
    return make_site(tmp_path_factory.mktemp("site"), KP, articles=12, per_page=3, in_feeds=0)


@pytest.fixture
def srv() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


# --- 1. HTTP errors on articles ---------------------------------------------------------------
def test_article_5xx_and_404_fail_and_are_retried_next_run(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    srv.add(kp(2316), FailTimes(1))  # a 500, then the page
    srv.add(kp(2315), Status(500))
    srv.add(kp(2314), Status(404))
    first = crawl(srv.url, sqlite_url, tmp_path, KP)
    assert first.returncode == 1, _out(first)
    assert said(first.stdout, KP) == "incomplete: 3 article(s) failed (retried next run)"
    row = table(first.stdout)[KP]
    assert (row["failed"], row["errors"], row["dropped"]) == ("3", "3", "0")
    counts = last_run(sqlite_url, KP).counts
    assert counts["article_failed"] == 3 and counts["http_errors"] == 3
    assert counts["frontier/failed"] == 3 and "refused" not in counts
    rows = frontier(sqlite_url)
    assert {k: (r.state, r.tries, r.next_try_at, r.last_error) for k, r in rows.items()} == {
        kp_key(2316): ("failed", 1, None, "HTTP 500"),
        kp_key(2315): ("failed", 1, None, "HTTP 500"),
        kp_key(2314): ("failed", 1, None, "HTTP 404"),
    }
    expect_stored(sqlite_url, ref, [kp_key(n) for n in range(2309, 2314)])
    assert len(state(sqlite_url)["records"]) == 5

    # The next run tries each failed page once more, first: the one that failed once
    # is stored; the others fail again and now wait PRESSBOT_RETRY_BACKOFF (1 h).
    start = len(srv.hits)
    second = crawl(srv.url, sqlite_url, tmp_path, KP)
    assert second.returncode == 1, _out(second)
    # A page that answers 404 twice is gone: given up at once (the run fails, loudly);
    # the one that keeps answering 500 waits its backoff.
    assert said(second.stdout, KP) == (
        "failed: 1 article(s) given up after too many tries; 2 article(s) failed (retried next run)"
    )
    assert second.returncode == 1
    for n in (2314, 2315, 2316):
        assert len(hits_since(srv, start, kp(n))) == 1
    expect_stored(sqlite_url, ref, [kp_key(n) for n in range(2309, 2314)] + [kp_key(2316)])
    rows = frontier(sqlite_url)
    assert set(rows) == {kp_key(2315), kp_key(2314)}
    assert (rows[kp_key(2314)].state, rows[kp_key(2314)].tries) == ("gave_up", 2)
    assert rows[kp_key(2314)].next_try_at is None
    in_an_hour = datetime.now(UTC) + timedelta(hours=1)
    assert (rows[kp_key(2315)].state, rows[kp_key(2315)].tries) == ("failed", 2)
    assert _near(rows[kp_key(2315)].next_try_at, in_an_hour)


def test_retry_after_short_is_waited_long_is_left_to_a_later_run(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    srv.add(kp(2316), FailTimes(1, fault=Status(429, headers={"Retry-After": "1"})))
    srv.add(kp(2315), FailTimes(1, fault=Status(503, headers={"Retry-After": "1"})))
    # Far beyond PRESSBOT_RETRY_AFTER_MAX: in seconds, and as an HTTP date.
    srv.add(kp(2314), Status(503, headers={"Retry-After": "86400"}))
    later = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    srv.add(kp(2313), Status(429, headers={"Retry-After": format_datetime(later, usegmt=True)}))
    started = time.monotonic()
    first = crawl(srv.url, sqlite_url, tmp_path, KP, "-s", "PRESSBOT_RETRY_AFTER_MAX=5")
    took = time.monotonic() - started
    assert first.returncode == 1, _out(first)
    assert said(first.stdout, KP) == "incomplete: 2 article(s) failed (retried next run)"
    counts = last_run(sqlite_url, KP).counts
    # Waited out and stored in the same run.
    assert counts["pressbot/retry_after_waits"] == 2
    assert hits_since(srv, 0, kp(2316)) == [429, 200]
    assert hits_since(srv, 0, kp(2315)) == [503, 200]
    expect_stored(sqlite_url, ref, [kp_key(n) for n in (2309, 2310, 2311, 2312, 2315, 2316)])
    # Not waited (the run did not sit out a day), and asked once only; the frontier
    # keeps the time the server gave.
    assert took < 60
    assert hits_since(srv, 0, kp(2314)) == [503]
    assert hits_since(srv, 0, kp(2313)) == [429]
    rows = frontier(sqlite_url)
    assert set(rows) == {kp_key(2314), kp_key(2313)}
    assert rows[kp_key(2314)].state == "failed"
    assert _near(rows[kp_key(2314)].next_try_at, datetime.now(UTC) + timedelta(days=1))
    assert rows[kp_key(2313)].next_try_at == later

    # A run before that time leaves them alone: no request, counted as deferred.
    start = len(srv.hits)
    second = crawl(srv.url, sqlite_url, tmp_path, KP)
    # Nothing failed in this run, but two pages it saw are still not stored: it says so.
    assert second.returncode == 1, _out(second)
    assert said(second.stdout, KP).startswith("incomplete: 2 article(s) seen and not stored")
    assert "kp_police: 2 article(s) wait in the frontier" in second.stdout
    assert hits_since(srv, start, kp(2314)) == hits_since(srv, start, kp(2313)) == []
    assert last_run(sqlite_url, KP).counts["deferred"] == 2


# --- 2. an article reached only by walking the listing ---------------------------------------
@pytest.mark.parametrize(
    ("fault", "engine"),
    # How the fetch failed does not touch the database; what the frontier and the
    # store make of it does, and is checked on both engines.
    [("http_500", "sqlite"), ("http_500", "postgres"), ("timeout", "sqlite")],
    ids=["http_500-sqlite", "http_500-postgres", "timeout-sqlite"],
)
def test_deep_article_fails_then_rerun_fetches_it_then_nothing_new(
    request: pytest.FixtureRequest,
    site: SiteManifest,
    tmp_path: Path,
    undisturbed: Undisturbed,
    fault: str,
    engine: str,
) -> None:
    db_url: str = request.getfixturevalue("sqlite_url" if engine == "sqlite" else "pg_url")
    ref = undisturbed((KP,), site.root)
    deep = site.on_page(2)[1]
    path = mirror_path(deep.url)
    with HostileServer(site.root) as srv:
        if fault == "http_500":
            srv.add(path, Status(500))
            first = crawl(srv.url, db_url, tmp_path, KP)
        else:
            srv.add(path, Hang(30))
            first = crawl(srv.url, db_url, tmp_path, KP, "-s", "DOWNLOAD_TIMEOUT=2")
        assert first.returncode == 1, _out(first)
        assert said(first.stdout, KP) == "incomplete: 1 article(s) failed (retried next run)"
        rows = frontier(db_url)
        assert {k: (r.state, r.tries, r.next_try_at) for k, r in rows.items()} == {
            url_key(deep.url): ("failed", 1, None)
        }
        assert rows[url_key(deep.url)].last_error == (
            "HTTP 500" if fault == "http_500" else "timeout"
        )
        assert walk(db_url).complete  # the article failed; the walk went on to the end
        others = [url_key(a.url) for a in site.articles if a is not deep]
        expect_stored(db_url, ref, others)

        # (d) One normal run against the healthy server heals it.
        srv.clear()
        start = len(srv.hits)
        second = crawl(srv.url, db_url, tmp_path, KP)
        assert second.returncode == 0, _out(second)
        assert last_run(db_url, KP).status == "ok"
        assert hits_since(srv, start, path) == [200]
        assert state(db_url) == ref
        assert frontier(db_url) == {}

        # Back on the cheap path: the first listing page only; its articles were all
        # fetched moments ago, so none is even revalidated.
        start = len(srv.hits)
        third = crawl(srv.url, db_url, tmp_path, KP)
        assert third.returncode == 0, _out(third)
        listing = hits_since(srv, start, KP_LISTING)
        articles = hits_since(srv, start, re.compile(r"press_release_detail"))
        assert listing == [200] and articles == [], srv.hits[start:]
        assert state(db_url) == ref


# --- 3. a listing page fails ---------------------------------------------------------------
def test_listing_page_2_fails_walk_cut_then_rerun_walks_it(
    site: SiteManifest, db_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,), site.root)
    page2, page3 = (mirror_path(u) for u in site.pages[1:3])
    with HostileServer(site.root) as srv:
        srv.add(page2, Status(500))
        first = crawl(srv.url, db_url, tmp_path, KP)
        assert first.returncode == 1, _out(first)
        assert said(first.stdout, KP) == (
            "incomplete: 1 listing walk(s) cut short (resumed next run); 1 listing page(s) failed"
        )
        counts = last_run(db_url, KP).counts
        assert counts["listing_errors"] == 1 and counts["walk/listing_error"] == 1
        row = walk(db_url)
        assert (row.complete, row.cut_reason, row.pages) == (False, "listing_error", 2)
        assert hits_since(srv, 0, page3) == []
        expect_stored(db_url, ref, [url_key(a.url) for a in site.on_page(1)])
        assert len(state(db_url)["records"]) == 3

        srv.clear()
        second = crawl(srv.url, db_url, tmp_path, KP)
        assert second.returncode == 0, _out(second)
        # Page 1 held nothing new, but the last walk was cut: this one went on.
        assert state(db_url) == ref
        row = walk(db_url)
        assert (row.complete, row.cut_reason, row.pages) == (True, None, len(site.pages))


# --- 4. a hanging article and the time budget --------------------------------------------------
def test_hanging_article_with_time_budget_ends_on_time(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    srv.add(kp(2316), Hang(120))
    budget = 6.0  # --max-minutes 0.1
    started = time.monotonic()
    result = crawl(srv.url, sqlite_url, tmp_path, KP, "--max-minutes", "0.1")
    took = time.monotonic() - started
    assert result.returncode == 1, _out(result)
    assert said(result.stdout, KP).startswith("timeout: time budget reached")
    run = last_run(sqlite_url, KP)
    assert (run.status, run.finish_reason) == ("timeout", "closespider_timeout")
    # The hanging request ends within a second of the deadline; with the start-up of
    # a Python process on a busy machine, well within budget + 10 s.
    assert took < budget + 10, took
    assert "stopped hard" not in result.stderr
    assert srv.count(kp(2316)) == 1
    rows = frontier(sqlite_url)
    # The budget, not the site, ended that download: no try is counted against the
    # page, which the next run fetches first.
    assert last_run(sqlite_url, KP).counts["cut_by_budget"] == 1
    assert {k: (r.state, r.last_error) for k, r in rows.items()} == {
        kp_key(2316): ("pending", None)
    }
    expect_stored(sqlite_url, ref, [kp_key(n) for n in KP_IDS if n != 2316])


# --- 5. truncated bodies -------------------------------------------------------------------
def test_truncated_bodies_are_never_stored(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    srv.add(kp(2314), Truncate(3000))  # Content-Length says more: the download fails
    srv.add(kp(2315), Truncate(3000, content_length=False))  # looks complete
    srv.add(kp(2316), TruncateChunked(3000))  # the last chunk never comes
    result = crawl(srv.url, sqlite_url, tmp_path, KP)
    assert result.returncode == 1, _out(result)
    assert said(result.stdout, KP) == "incomplete: 3 article(s) failed (retried next run)"
    assert table(result.stdout)[KP]["dropped"] == "truncated 1"
    counts = last_run(sqlite_url, KP).counts
    assert counts["dropped/truncated"] == 1 and counts["article_failed"] == 3
    assert counts["downloader/exception_count"] == 2
    rows = frontier(sqlite_url)
    assert {k: (r.state, r.last_error) for k, r in rows.items()} == {
        kp_key(2314): ("failed", "transfer cut short"),
        kp_key(2315): ("failed", "damaged page: truncated"),
        kp_key(2316): ("failed", "transfer cut short"),
    }
    records = state(sqlite_url)["records"]
    assert not {kp_key(n) for n in (2314, 2315, 2316)} & records.keys()
    # The close-delimited page is kept raw (what the server sent, for a later look);
    # the two failed downloads have nothing to keep.
    pages = archived(sqlite_url)
    (raw,) = pages[kp_key(2315)]
    full = (MIRROR_ROOT / "day1/kppolice.gov.pk/press_release_detail.php@id=2315").read_bytes()
    assert zlib.decompress(raw.body_z) == full[:3000]
    assert kp_key(2314) not in pages and kp_key(2316) not in pages
    expect_stored(sqlite_url, ref, [kp_key(n) for n in range(2309, 2314)])


# --- 6. legacy charsets ------------------------------------------------------------------------
def test_windows_1256_pages_are_stored_as_urdu(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    # The charset only in the HTTP header (letters windows-1256 lacks as character
    # references: nothing lost), and nowhere at all with those letters folded to their
    # Arabic look-alikes, as legacy Urdu pages have them.
    srv.add(kp(2314), Recode("windows-1256", header_charset=True, meta=False))
    srv.add(kp(2315), Recode("windows-1256", header_charset=False, meta=False, unencodable="fold"))
    result = crawl(srv.url, sqlite_url, tmp_path, KP)
    assert result.returncode == 0, _out(result)
    assert last_run(sqlite_url, KP).status == "ok"
    assert srv.count(kp(2314), "Recode") == srv.count(kp(2315), "Recode") == 1
    expect_stored(sqlite_url, ref, [kp_key(n) for n in KP_IDS if n != 2315])
    stored = {r.url_key: r for r in _rows(sqlite_url, RecordRow)}
    for n in (2314, 2315):
        rec = stored[kp_key(n)]
        assert "\ufffd" not in rec.title + rec.body
        assert rec.language == "ur"
    # Folded letters differ in display, not in the match key: same text, same story.
    folded = stored[kp_key(2315)]
    title, content_hash, published_at = ref["records"][kp_key(2315)]
    assert folded.content_hash == content_hash
    assert match_key(folded.title) == match_key(title)
    assert folded.published_at == published_at


# --- 7. binary answers at article URLs -------------------------------------------------------
def test_binary_answers_are_dropped_with_a_reason(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    srv.add(kp(2313), Body(png_bytes(), "text/html; charset=utf-8"))  # a PNG calling itself HTML
    srv.add(kp(2314), Body(garbage(5000), "text/html; charset=utf-8"))
    srv.add(kp(2315), Body(png_bytes(), "image/png"))
    srv.add(kp(2316), Body(PDF, "application/pdf"))
    result = crawl(srv.url, sqlite_url, tmp_path, KP)
    assert result.returncode == 1, _out(result)
    assert said(result.stdout, KP) == "incomplete: 4 article(s) failed (retried next run)"
    assert table(result.stdout)[KP]["dropped"] == "binary 4"
    counts = last_run(sqlite_url, KP).counts
    assert counts["dropped/binary"] == 4
    assert not [k for k in counts if k.startswith("dropped/") and k != "dropped/binary"]
    rows = frontier(sqlite_url)
    assert {k: r.last_error for k, r in rows.items()} == {
        kp_key(2313): "damaged page: binary (PNG image)",
        kp_key(2314): "damaged page: binary (NUL bytes)",
        kp_key(2315): "damaged page: binary: not a text response (image/png)",
        kp_key(2316): "damaged page: binary (PDF document; PDF input is not supported yet)",
    }
    assert not {kp_key(n) for n in (2313, 2314, 2315, 2316)} & state(sqlite_url)["records"].keys()
    expect_stored(sqlite_url, ref, [kp_key(n) for n in range(2309, 2313)])


# --- 8. too large ----------------------------------------------------------------------------
def test_oversized_pages_and_a_gzip_bomb_are_refused(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    big = 20 * 1024 * 1024  # over DOWNLOAD_MAXSIZE (16 MiB)
    srv.add(kp(2314), Big(big))  # refused on its Content-Length
    srv.add(kp(2315), Big(big, content_length=False))  # cut off while streaming
    srv.add(kp(2316), GzipBomb())  # 100 KB inflating to 100 MB
    result = crawl(srv.url, sqlite_url, tmp_path, KP)
    assert result.returncode == 1, _out(result)
    assert said(result.stdout, KP) == (
        "incomplete: 3 article(s) refused (robots.txt, off-site, too large)"
    )
    assert table(result.stdout)[KP]["dropped"] == "too_large 3"
    counts = last_run(sqlite_url, KP).counts
    assert counts["refused"] == 3 and counts["dropped/too_large"] == 3
    rows = frontier(sqlite_url)
    assert set(rows) == {kp_key(n) for n in (2314, 2315, 2316)}
    for r in rows.values():
        assert r.state == "dropped" and (r.last_error or "").startswith("refused (too_large)")
    expect_stored(sqlite_url, ref, [kp_key(n) for n in range(2309, 2314)])
    # Nothing was inflated or buffered whole: the largest child process this session
    # (a crawl uses ~150 MB) stayed far below what 100 MB inflated would take.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KiB


# --- 9. redirects -----------------------------------------------------------------------------
def test_redirect_loop_fails_and_offsite_redirect_is_refused(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    srv.add(kp(2315), RedirectLoop())
    srv.add(kp(2316), Redirect("https://evil.example/stolen"))
    result = crawl(srv.url, sqlite_url, tmp_path, KP)
    assert result.returncode == 1, _out(result)
    assert said(result.stdout, KP) == (
        "incomplete: 1 article(s) failed (retried next run); "
        "1 article(s) refused (robots.txt, off-site, too large)"
    )
    counts = last_run(sqlite_url, KP).counts
    assert counts["article_failed"] == 1
    assert counts["refused"] == counts["dropped/offsite"] == 1
    assert "dropped/duplicate_redirect" not in counts
    rows = frontier(sqlite_url)
    assert {k: (r.state, r.last_error) for k, r in rows.items()} == {
        kp_key(2315): ("failed", "redirect loop"),
        kp_key(2316): ("dropped", "refused (offsite): https://evil.example/stolen"),
    }
    assert srv.count(re.compile(r"^/evil\.example/")) == 0
    expect_stored(sqlite_url, ref, [kp_key(n) for n in range(2309, 2315)])


# --- 10. traps ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "listing_pages", "ending", "says"),
    [
        (
            ["-s", "PRESSBOT_MAX_LISTING_PAGES=4"],
            4,
            "listing_budget",
            "incomplete: 1 listing walk(s) cut short (resumed next run); "
            "budget reached: listing_pages (1)",
        ),
        (
            ["--max-pages", "3"],
            3,
            "page_limit",
            "incomplete: 1 listing walk(s) cut short (resumed next run)",
        ),
        # The source's own horizon (kp_police: 30 pages) ends the walk naturally; the
        # article budget keeps the run short, and says so.
        (["-s", "PRESSBOT_MAX_ARTICLES=5"], 30, "horizon", "incomplete: budget reached: articles"),
    ],
    ids=["max_listing_pages", "max_pages", "horizon"],
)
def test_pagination_trap_is_bounded(
    srv: HostileServer,
    sqlite_url: str,
    tmp_path: Path,
    args: list[str],
    listing_pages: int,
    ending: str,
    says: str,
) -> None:
    srv.add(None, PaginationTrap(KP))  # page N links pages N+1 .. N+20, forever
    result = crawl(srv.url, sqlite_url, tmp_path, KP, *args)
    assert result.returncode == 1, _out(result)
    assert said(result.stdout, KP).startswith(says), said(result.stdout, KP)
    listing = [p for p, _ in srv.hits if KP_LISTING.search(p)]
    assert len(listing) == listing_pages
    # One page at a time, in order: never the twenty pages each page links.
    assert listing[0] == "/kppolice.gov.pk/press_releases.php"
    assert listing[1:] == [
        f"/kppolice.gov.pk/press_releases.php?page={n}" for n in range(2, listing_pages + 1)
    ]
    counts = last_run(sqlite_url, KP).counts
    assert counts[f"walk/{ending}"] == 1
    row = walk(sqlite_url)
    assert (row.pages, row.complete) == (listing_pages, ending == "horizon")
    # (c) every article requested was stored: 3 a page, or the article budget.
    requested = srv.count(re.compile(r"press_release_detail"))
    assert requested == min(3 * listing_pages, 5 if ending == "horizon" else 10**6)
    assert len(state(sqlite_url)["records"]) == requested
    if ending == "horizon":
        assert counts["budget/articles"] > 0


@pytest.mark.parametrize(
    ("args", "sitemaps", "budget"),
    [
        # fan-out 2, depth 3: 1 + 2 + 4 + 8 sitemaps; the 16 entries one deeper not followed
        (["-s", "PRESSBOT_SITEMAP_DEPTH=3"], 15, "sitemap_depth"),
        (["-s", "PRESSBOT_SITEMAP_DEPTH=10", "-s", "PRESSBOT_MAX_SITEMAPS=5"], 5, "sitemaps"),
    ],
    ids=["depth", "count"],
)
def test_sitemap_index_trap_is_bounded(
    srv: HostileServer,
    sqlite_url: str,
    tmp_path: Path,
    undisturbed: Undisturbed,
    args: list[str],
    sitemaps: int,
    budget: str,
) -> None:
    ref = undisturbed(("nhsrc",))
    srv.add("/www.nhsrc.gov.pk/sitemap.xml", SitemapIndexTrap(fanout=2))
    result = crawl(srv.url, sqlite_url, tmp_path, "nhsrc", *args)
    assert result.returncode == 1, _out(result)
    assert said(result.stdout, "nhsrc").startswith(f"incomplete: budget reached: {budget} (")
    assert srv.count(re.compile(r"^/www\.nhsrc\.gov\.pk/sitemap\.xml")) == sitemaps
    counts = last_run(sqlite_url, "nhsrc").counts
    if budget == "sitemap_depth":
        assert counts["budget/sitemap_depth"] == 16
    else:
        assert counts["budget/sitemaps"] > 0
    # The listing brought every release anyway.
    assert state(sqlite_url)["records"] == ref["records"]


# --- 11. hostile XML ------------------------------------------------------------------------
def test_malformed_and_hostile_xml_is_counted_and_never_expanded(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    sources = ("daily_mumtaz", "hamariweb", "nhsrc")
    ref = undisturbed(sources)
    secret = f"xxe-secret-{time.time_ns()}"
    target = tmp_path / "secret.txt"
    target.write_text(secret)
    srv.add("/dailymumtaz.com/feed/", MalformedXml("cut"))
    srv.add("/dailymumtaz.com/post-sitemap.xml", MalformedXml("tags"))
    srv.add("/dailymumtaz.com/category-sitemap.xml", Xxe(str(target)))
    srv.add("/hamariweb.com/news/feed/", Xxe(str(target)))
    bomb = srv.add("/www.nhsrc.gov.pk/sitemap.xml", EntityBomb())  # 3 GB if expanded
    assert isinstance(bomb, EntityBomb) and bomb.expanded_chars > 2**31
    result = crawl(srv.url, sqlite_url, tmp_path, *sources)
    assert result.returncode == 1, _out(result)
    for source, n in (("daily_mumtaz", 3), ("hamariweb", 1), ("nhsrc", 1)):
        assert said(result.stdout, source) == f"incomplete: {n} malformed feed/sitemap XML"
        assert last_run(sqlite_url, source).counts["malformed_xml"] == n
    # No entity expanded: no memory blow-up (3 GB expanded; ru_maxrss is the largest
    # child process this session), the file's content nowhere.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KiB
    dump = everything(sqlite_url)
    assert secret not in dump and "lollol" not in dump
    assert secret not in result.stdout + result.stderr
    assert not (tmp_path / "dead.jsonl").exists() or secret not in (
        tmp_path / "dead.jsonl"
    ).read_text("utf-8")
    # The listings brought every article anyway.
    assert state(sqlite_url)["records"] == ref["records"]


# --- 12. robots.txt answering 500 ------------------------------------------------------------
def test_robots_500_fetches_nothing_from_the_host_then_rerun_stores_all(
    srv: HostileServer, db_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP, "nhsrc"))
    srv.add("/kppolice.gov.pk/robots.txt", RobotsFault(500))
    # Retried, as a live crawl retries (RETRY_TIMES=3): the retries are not pages either.
    first = crawl(srv.url, db_url, tmp_path, KP, "nhsrc", "-s", "RETRY_TIMES=2")
    assert first.returncode == 1, _out(first)
    assert said(first.stdout, KP).startswith("failed: no page fetched")
    assert table(first.stdout)[KP]["pages"] == "0"
    assert [(p, s) for p, s in srv.hits if p.startswith("/kppolice.gov.pk/")] == [
        ("/kppolice.gov.pk/robots.txt", 500)
    ] * 3
    kp_run = last_run(db_url, KP)
    assert kp_run.status == "failed" and kp_run.counts["pressbot/robots_unavailable"] == 1
    assert frontier(db_url) == {}
    # The other source is untouched.
    assert said(first.stdout, "nhsrc") == "" and table(first.stdout)["nhsrc"]["status"] == "ok"
    nhsrc = {k for k in ref["records"] if "nhsrc" in k}
    expect_stored(db_url, ref, nhsrc)
    assert state(db_url)["records"].keys() == nhsrc

    srv.clear()
    second = crawl(srv.url, db_url, tmp_path, KP, "nhsrc")
    assert second.returncode == 0, _out(second)
    assert state(db_url) == ref


# --- 13. signals mid-crawl -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, None)],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)
def test_signal_mid_crawl_then_rerun_equals_undisturbed(
    site: SiteManifest,
    db_url: str,
    tmp_path: Path,
    undisturbed: Undisturbed,
    sig: int,
    code: int | None,
) -> None:
    ref = undisturbed((KP,), site.root)
    with HostileServer(site.root) as srv:
        # Every article trickles in over 1 s and every deeper listing page over 2 s,
        # so the signal lands soon after the first record with bodies half received
        # and the walk (4 pages, one at a time) at page 2 or 3 of 4.
        srv.add(re.compile(r"^/kppolice\.gov\.pk/press_release_detail"), SlowBody(1.0, pieces=2))
        srv.add(re.compile(r"^/kppolice\.gov\.pk/press_releases\.php\?page="), SlowBody(2.0))
        proc = spawn(srv.url, db_url, tmp_path, KP, "-s", "PRESSBOT_STORE_BATCH=1")
        page2 = re.compile(r"press_releases\.php\?page=2$")
        wait_for(lambda: srv.count(page2) == 1 and len(state(db_url)["records"]) >= 1)
        sent = time.monotonic()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - sent
        partial = state(db_url)["records"]
        assert len(partial) < len(ref["records"])
        row = walk(db_url)
        if code is None:
            assert proc.returncode == -signal.SIGKILL
            assert [r.status for r in runs(db_url)] == ["running"]
            assert row.cut_reason == "running"
        else:
            assert proc.returncode == code, err[-3000:]
            # In-flight downloads finish (at most one slow body), nothing more.
            assert took < 15, took
            assert said(out, KP).startswith("interrupted")
            run = last_run(db_url, KP)
            assert (run.status, run.finish_reason) == ("interrupted", "shutdown")
            assert (row.complete, row.cut_reason) == (False, "interrupted")
        # Nothing half-received was stored: every record is the undisturbed one; what
        # was seen and not stored waits, untried, for the next run.
        assert partial == {k: ref["records"][k] for k in partial}
        assert {r.state for r in frontier(db_url).values()} <= {"pending"}

        srv.clear()
        rerun = crawl(srv.url, db_url, tmp_path, KP)
        assert rerun.returncode == 0, _out(rerun)
        assert state(db_url) == ref
        assert frontier(db_url) == {}
        expected = ["aborted" if code is None else "interrupted", "ok"]
        assert [r.status for r in runs(db_url)] == expected


# --- 14. overlapping runs --------------------------------------------------------------------
def test_overlapping_run_of_a_source_sends_no_request(
    srv: HostileServer, sqlite_url: str, tmp_path: Path, undisturbed: Undisturbed
) -> None:
    ref = undisturbed((KP,))
    # The first run's article requests wait until the second run is over.
    gate = Gate()
    srv.add(re.compile(r"^/kppolice\.gov\.pk/press_release_detail"), gate)
    first = spawn(srv.url, sqlite_url, tmp_path, KP)
    try:
        wait_for(lambda: any(r.status == "running" for r in runs(sqlite_url, KP)))
        # The second run talks to a server of its own: any request it sent would show.
        with HostileServer() as other:
            second = crawl(other.url, sqlite_url, tmp_path, KP)
            assert other.hits == []
    finally:
        gate.opened.set()
    assert second.returncode == 3, _out(second)
    assert said(second.stdout, KP) == "locked: another run holds the lock"
    assert table(second.stdout)[KP]["pages"] == "0"
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err[-3000:]
    assert state(sqlite_url) == ref
    assert [r.status for r in runs(sqlite_url)] == ["ok"]
