"""The hostile server does exactly what each fault says, and nothing blocks for long.

Plain sockets and http.client with short timeouts; no Scrapy. Each fault is checked
on the wire: status line, headers, the bytes sent, and when the connection ends.
"""

from __future__ import annotations

import functools
import html
import http.client
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from pressbot.dedup import same_story
from pressbot.extract import extract_html
from pressbot.mirror import MirrorServer, file_for
from pressbot.sources import get as get_source
from pressbot.text.urdu import match_key
from tests.hostile import (
    MIRROR_ROOT,
    Big,
    Body,
    Drop,
    EntityBomb,
    FailTimes,
    GzipBomb,
    Hang,
    HostileServer,
    MalformedXml,
    PaginationTrap,
    Recode,
    Redirect,
    RedirectLoop,
    RobotsFault,
    SitemapIndexTrap,
    SlowBody,
    Status,
    Truncate,
    TruncateChunked,
    Xxe,
    garbage,
    gzip_bomb,
    make_site,
    mirror_file,
    mirror_path,
    parquet_bytes,
    png_bytes,
    site_shape,
)

KP_ARTICLE = "/kppolice.gov.pk/press_release_detail.php?id=2311"
KP_FILE = MIRROR_ROOT / "day1/kppolice.gov.pk/press_release_detail.php@id=2311"
FEED = "/dailymumtaz.com/feed/"
FEED_FILE = MIRROR_ROOT / "day1/dailymumtaz.com/feed/index.html"
SOURCES = ("kp_police", "nhsrc", "daily_mumtaz", "hamariweb")

Response = tuple[int, dict[str, str], bytes]


@pytest.fixture
def srv() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def get(
    srv: HostileServer,
    path: str,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
    method: str = "GET",
) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def raw(port: int, path: str, timeout: float = 5.0, limit: int = 1 << 24) -> bytes:
    """Everything the server sends for one request, until it closes (at most `limit`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        got = bytearray()
        while len(got) < limit:
            data = sock.recv(65536)
            if not data:
                break
            got += data
        return bytes(got)


def split(response: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    status, *lines = head.decode("utf-8").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    return status, headers, body


def dechunk(body: bytes) -> tuple[bytes, bool]:
    """(data, whether the final zero-length chunk came)."""
    out, pos = bytearray(), 0
    while True:
        end = body.find(b"\r\n", pos)
        if end < 0:
            return bytes(out), False
        size = int(body[pos:end], 16)
        if size == 0:
            return bytes(out), True
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2


# --- the mirror, as MirrorServer serves it ------------------------------------------------


def _mirror_paths(day: int) -> list[str]:
    """The mirror path of every file up to a day, plus some that are not there."""
    paths = set()
    for d in range(1, day + 1):
        for f in (MIRROR_ROOT / f"day{d}").rglob("*"):
            if f.is_file():
                host, *rest = f.relative_to(MIRROR_ROOT / f"day{d}").parts
                rel = "/".join(rest).removesuffix("index.html")
                paths.add(f"/{host}/{rel.replace('@', '?', 1)}")
    return [
        *sorted(paths),
        "/kppolice.gov.pk/nothing.php",
        "/unknown.example/",
        "/x/../../etc/passwd",
    ]


def _fetch(conn: http.client.HTTPConnection, path: str, etag: str | None = None) -> Response:
    conn.request("GET", path, headers={"If-None-Match": etag} if etag else {})
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


@pytest.mark.parametrize("day", [1, 2])
def test_serves_the_mirror_exactly_like_mirror_server(day: int) -> None:
    def seen(a: Response) -> tuple[object, ...]:
        return (a[0], a[2], *(a[1].get(h) for h in ("content-type", "etag", "content-length")))

    with HostileServer(day=day) as srv, MirrorServer(MIRROR_ROOT, day=day) as ref:
        ref_port = int(ref.url.rsplit(":", 1)[1])
        # Ours over one keep-alive connection (its framing must be right); the reference
        # over fresh ones (it writes headers and body apart, and stalls on keep-alive).
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
        paths = _mirror_paths(day)
        for path in paths:
            ours = _fetch(conn, path)
            theirs = _fetch(http.client.HTTPConnection("127.0.0.1", ref_port, timeout=5), path)
            assert seen(ours) == seen(theirs), path
            if ours[0] == 200:
                assert _fetch(conn, path, ours[1]["etag"])[0] == 304, path
        conn.close()
    assert len(paths) > 60
    assert srv.count("/kppolice.gov.pk/nothing.php", 404) == 1
    assert srv.count(re.compile("."), 304) == len(paths) - 3


def test_loopback_only_and_needs_a_mirror(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        HostileServer(host="0.0.0.0")
    with pytest.raises(FileNotFoundError):
        HostileServer(root=tmp_path)


def test_head_requests_get_headers_only(srv: HostileServer) -> None:
    status, headers, body = get(srv, KP_ARTICLE, method="HEAD")
    assert (status, body) == (200, b"")
    assert int(headers["content-length"]) == KP_FILE.stat().st_size


# --- rules, pages, hits -------------------------------------------------------------------


def test_rules_exact_or_regex_newest_first_changeable_while_running(srv: HostileServer) -> None:
    srv.add(re.compile(r"^/kppolice\.gov\.pk/"), Status(503))
    assert get(srv, KP_ARTICLE)[0] == 503
    assert get(srv, "/kppolice.gov.pk/robots.txt")[0] == 503
    # A string must equal the whole mirror path, query included.
    srv.add("/kppolice.gov.pk/press_release_detail.php", Status(410))
    assert get(srv, KP_ARTICLE)[0] == 503
    exact = srv.add(KP_ARTICLE, Status(404))
    assert get(srv, KP_ARTICLE)[0] == 404  # the newest matching rule wins
    srv.remove(exact)
    assert get(srv, KP_ARTICLE)[0] == 503
    srv.clear()
    status, _, body = get(srv, KP_ARTICLE)
    assert (status, body) == (200, KP_FILE.read_bytes())
    assert get(srv, "/hamariweb.com/news/")[0] == 200
    assert [h[1] for h in srv.hits] == [503, 503, 503, 404, 503, 200, 200]


def test_a_declining_fault_falls_through_to_older_rules_then_the_mirror(
    srv: HostileServer,
) -> None:
    srv.add(re.compile("^/kppolice"), Status(500))
    srv.add(re.compile("^/kppolice"), Truncate(10))  # nothing to truncate: declines
    assert get(srv, "/kppolice.gov.pk/missing.php")[0] == 500
    srv.clear()
    srv.add(re.compile("^/kppolice"), Truncate(10))
    assert get(srv, "/kppolice.gov.pk/missing.php")[0] == 404


def test_extra_pages_and_a_thread_safe_hit_log(srv: HostileServer) -> None:
    srv.page("/evil.example/x", b"<html>evil</html>")
    srv.page("https://kppolice.gov.pk/gone.php?id=1", b"gone", "text/plain", 410, {"X-A": "1"})
    status, headers, body = get(srv, "/evil.example/x")
    assert (status, body, headers["content-type"]) == (
        200,
        b"<html>evil</html>",
        "text/html; charset=utf-8",
    )
    assert get(srv, "/evil.example/x", {"If-None-Match": headers["etag"]})[0] == 304
    status, headers, body = get(srv, "/kppolice.gov.pk/gone.php?id=1")
    assert (status, body, headers["x-a"]) == (410, b"gone", "1")
    srv.add("/evil.example/x", Status(500))  # rules apply to extra pages too
    assert get(srv, "/evil.example/x")[0] == 500

    srv.clear(pages=True, hits=True)
    assert get(srv, "/evil.example/x")[0] == 404

    def worker(i: int) -> None:
        for j in range(10):
            get(srv, f"/kppolice.gov.pk/robots.txt?w={i}&j={j}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert srv.count(re.compile(r"robots\.txt\?w=")) == 80
    assert srv.count(re.compile(r"w=3&"), 404) == 10  # no file has that query
    assert srv.wait_for(re.compile("robots"), 80, timeout=0.1)
    assert not srv.wait_for("/never", 1, timeout=0.05)
    assert mirror_path("https://KPPolice.gov.pk/a.php?id=1") == "/kppolice.gov.pk/a.php?id=1"


# --- statuses ---------------------------------------------------------------------------


def test_status_codes_with_headers(srv: HostileServer) -> None:
    srv.add("/a.pk/429", Status(429, headers={"Retry-After": "2"}))
    srv.add("/a.pk/503", Status(503, b"down", {"Retry-After": "7", "Content-Type": "text/html"}))
    srv.add("/a.pk/410", Status(410))
    status, headers, body = get(srv, "/a.pk/429")
    assert (status, headers["retry-after"], body) == (429, "2", b"")
    status, headers, body = get(srv, "/a.pk/503")
    assert (status, headers["retry-after"], headers["content-type"], body) == (
        503,
        "7",
        "text/html",
        b"down",
    )
    assert get(srv, "/a.pk/410")[0] == 410
    assert srv.count(re.compile("^/a.pk/"), 503) == 1


def test_fail_times_counts_per_path(srv: HostileServer) -> None:
    fault = srv.add(re.compile("press_release_detail"), FailTimes(2))
    other = "/kppolice.gov.pk/press_release_detail.php?id=2312"
    assert [get(srv, KP_ARTICLE)[0] for _ in range(4)] == [500, 500, 200, 200]
    assert get(srv, other)[0] == 500  # a fresh counter for another path
    assert isinstance(fault, FailTimes) and fault.calls(KP_ARTICLE) == 4
    assert get(srv, KP_ARTICLE)[2] == KP_FILE.read_bytes()
    assert [label for _, label in srv.hits] == [500, 500, 200, 200, 500, 200]

    srv.clear()
    srv.add(KP_ARTICLE, FailTimes(1, then=Status(404), fault=Status(503)))
    assert [get(srv, KP_ARTICLE)[0] for _ in range(3)] == [503, 404, 404]
    srv.clear()
    srv.add(KP_ARTICLE, FailTimes(1, fault=Hang(0.2)))
    with pytest.raises(http.client.RemoteDisconnected):
        get(srv, KP_ARTICLE)
    assert get(srv, KP_ARTICLE)[0] == 200
    assert srv.count(KP_ARTICLE, "Hang") == 1


# --- time -------------------------------------------------------------------------------


def test_hang_sends_nothing_then_closes(srv: HostileServer) -> None:
    srv.add(KP_ARTICLE, Hang(0.6))
    with pytest.raises(TimeoutError):
        raw(srv.port, KP_ARTICLE, timeout=0.2)
    # One hung request holds one thread: the rest of the site answers meanwhile.
    start = time.monotonic()
    assert get(srv, "/kppolice.gov.pk/robots.txt", timeout=1)[0] == 200
    assert time.monotonic() - start < 0.3
    start = time.monotonic()
    assert raw(srv.port, KP_ARTICLE, timeout=3) == b""  # nothing at all, then EOF
    assert 0.5 <= time.monotonic() - start < 2
    assert srv.count(KP_ARTICLE, "Hang") == 2


def test_slow_body_sends_headers_at_once_and_trickles_the_body(srv: HostileServer) -> None:
    srv.add(KP_ARTICLE, SlowBody(0.8, pieces=4))
    start = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=3)
    conn.request("GET", KP_ARTICLE)
    resp = conn.getresponse()
    headers_after = time.monotonic() - start
    first = resp.read(100)
    first_after = time.monotonic() - start
    body = first + resp.read()
    total = time.monotonic() - start
    conn.close()
    assert headers_after < 0.15
    assert 0.15 <= first_after < 0.5  # the first quarter comes after a quarter of the time
    assert 0.75 <= total < 2
    assert body == KP_FILE.read_bytes()
    assert int(resp.getheader("Content-Length") or 0) == len(body)


def test_stop_returns_promptly_with_hung_and_stalled_connections() -> None:
    srv = HostileServer().start()
    srv.add("/a.pk/hang", Hang(60))
    srv.add(KP_ARTICLE, SlowBody(60))
    srv.add("/a.pk/big", Big(200 * 1024 * 1024))
    socks = []
    for path in ("/a.pk/hang", KP_ARTICLE, "/a.pk/big"):
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        socks.append(s)  # and never read: the big page fills the socket buffers
    assert srv.wait_for(re.compile("."), 3, timeout=5)
    time.sleep(0.2)
    start = time.monotonic()
    srv.stop()
    assert time.monotonic() - start < 1.0
    for s in socks:
        assert_ends(s)
        s.close()
    # And no handler thread outlives it (they are daemons, but none may linger either).
    deadline = time.monotonic() + 2
    while _handler_threads() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _handler_threads()


def _handler_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "process_request" in t.name and t.is_alive()]


def assert_ends(sock: socket.socket) -> None:
    """The connection is over: whatever was already sent drains, then EOF or a reset."""
    sock.settimeout(2)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            if not sock.recv(1 << 20):
                return
        except ConnectionResetError:
            return
    raise AssertionError("connection still open after stop()")


# --- bodies cut short -----------------------------------------------------------------


def test_truncate_declares_the_full_length_then_closes(srv: HostileServer) -> None:
    srv.add(KP_ARTICLE, Truncate(100))
    data = KP_FILE.read_bytes()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=3)
    conn.request("GET", KP_ARTICLE)
    resp = conn.getresponse()
    assert int(resp.getheader("Content-Length") or 0) == len(data) > 100
    with pytest.raises(http.client.IncompleteRead) as err:
        resp.read()
    assert err.value.partial == data[:100]
    conn.close()
    assert srv.count(KP_ARTICLE, "Truncate") == 1


def test_truncate_close_delimited_looks_complete(srv: HostileServer) -> None:
    srv.add(KP_ARTICLE, Truncate(100, content_length=False))
    status, headers, body = split(raw(srv.port, KP_ARTICLE))
    assert status.startswith("HTTP/1.1 200")
    assert "content-length" not in headers and "transfer-encoding" not in headers
    assert headers["connection"] == "close"
    assert body == KP_FILE.read_bytes()[:100]
    # A client cannot tell: the body simply ends where the connection does.
    assert get(srv, KP_ARTICLE)[2] == body


def test_truncate_chunked_never_sends_the_last_chunk(srv: HostileServer) -> None:
    srv.add(KP_ARTICLE, TruncateChunked(2500, chunk_size=1000))
    _, headers, body = split(raw(srv.port, KP_ARTICLE))
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    data, finished = dechunk(body)
    assert (data, finished) == (KP_FILE.read_bytes()[:2500], False)
    with pytest.raises(http.client.IncompleteRead):
        get(srv, KP_ARTICLE)


def test_faults_on_files_decline_paths_the_mirror_lacks(srv: HostileServer) -> None:
    for fault in (Truncate(5), TruncateChunked(5), SlowBody(5), Recode("utf-16")):
        srv.clear()
        srv.add(re.compile("missing"), fault)
        assert get(srv, "/kppolice.gov.pk/missing.php", timeout=1)[0] == 404


# --- encodings --------------------------------------------------------------------------

NHSRC = "/www.nhsrc.gov.pk/PressReleaseDetail.aspx?id=1187"  # has a <meta ... charset=utf-8>
NHSRC_FILE = MIRROR_ROOT / "day1/www.nhsrc.gov.pk/PressReleaseDetail.aspx@id=1187"
_CHARSET_META = re.compile(r"<meta\b[^>]*charset=([\w-]+)", re.IGNORECASE)


def strip_charset(text: str) -> str:
    """The page without its charset declarations, which Recode rewrites."""
    return re.sub(r"<meta\b[^>]*charset[^>]*>\s*", "", text)


@pytest.mark.parametrize("path", [NHSRC, KP_ARTICLE])
@pytest.mark.parametrize(
    ("encoding", "header", "meta"),
    [
        ("windows-1256", True, False),
        ("windows-1256", False, True),
        ("windows-1256", False, False),
        ("utf-16", True, True),
    ],
)
def test_recode(srv: HostileServer, path: str, encoding: str, header: bool, meta: bool) -> None:
    srv.add(path, Recode(encoding, header_charset=header, meta=meta))
    status, headers, body = get(srv, path)
    assert status == 200 and int(headers["content-length"]) == len(body)
    assert headers["content-type"] == ("text/html; charset=" + encoding if header else "text/html")
    text = body.decode(encoding)
    assert _CHARSET_META.findall(text) == ([encoding] if meta else [])
    original = (NHSRC_FILE if path == NHSRC else KP_FILE).read_text("utf-8")

    # windows-1256 lacks ی (U+06CC): it travels as a character reference.
    assert html.unescape(strip_charset(text)) == html.unescape(strip_charset(original))
    if encoding == "windows-1256":
        assert "&#1740;" in text and "ی" not in text
    else:
        assert body.startswith(b"\xff\xfe")  # utf-16 writes a byte-order mark


def test_recode_fold_and_xml(srv: HostileServer) -> None:
    srv.add(KP_ARTICLE, Recode("windows-1256", unencodable="fold"))
    text = get(srv, KP_ARTICLE)[2].decode("windows-1256")
    assert "&#" not in text and "ی" not in text
    assert "ي" in text  # Arabic yeh, as legacy Urdu pages in this code page have it
    # pressbot's match keys fold it back: the text reads the same.
    assert match_key(strip_charset(text)) == match_key(strip_charset(KP_FILE.read_text("utf-8")))
    srv.add(FEED, Recode("utf-16-le", header_charset=False, meta=True))
    _, headers, body = get(srv, FEED)
    assert not body.startswith(b"\xff\xfe")  # -le: no BOM
    doc = body.decode("utf-16-le")
    assert doc.startswith('<?xml version="1.0" encoding="utf-16-le"?>')
    assert headers["content-type"] == "text/html"  # the mirror's type for feed/index.html
    srv.add(FEED, Recode("windows-1256", meta=False))
    doc = get(srv, FEED)[2].decode("windows-1256")
    assert doc.startswith("<?xml") and "encoding" not in doc.split("?>", 1)[0]
    root = etree.fromstring(get(srv, FEED)[2], etree.XMLParser(encoding="windows-1256"))
    assert root.tag == "rss"


# --- bytes that are not pages -----------------------------------------------------------


def test_body_serves_any_bytes(srv: HostileServer) -> None:
    png, parquet = png_bytes(), parquet_bytes()
    srv.add(KP_ARTICLE, Body(png, "text/html; charset=utf-8"))  # a lying content type
    srv.add("/a.pk/data.parquet", Body(parquet, "application/vnd.apache.parquet"))
    srv.add("/a.pk/noise", Body(garbage(4096, seed=3)))
    status, headers, body = get(srv, KP_ARTICLE)
    assert (status, body, headers["content-type"]) == (200, png, "text/html; charset=utf-8")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")
    body = get(srv, "/a.pk/data.parquet")[2]
    assert body == parquet and body[:4] == body[-4:] == b"PAR1"
    body = get(srv, "/a.pk/noise")[2]
    assert body == garbage(4096, seed=3) != garbage(4096, seed=4) and len(body) == 4096


def test_big_pages_are_exact_and_streamed(srv: HostileServer) -> None:
    srv.add("/a.pk/2mb", Big(2_000_000))
    srv.add("/a.pk/20mb", Big(20 * 1024 * 1024))
    srv.add("/a.pk/chunked", Big(3_000_001, content_length=False))
    status, headers, body = get(srv, "/a.pk/2mb")
    assert (status, int(headers["content-length"]), len(body)) == (200, 2_000_000, 2_000_000)
    assert body.startswith(b"<!DOCTYPE html>") and body.endswith(b"</html>\n")
    tree = etree.fromstring(body, etree.HTMLParser(huge_tree=True))
    assert "بڑا صفحہ" in (tree.findtext(".//h1") or "")

    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    conn.request("GET", "/a.pk/20mb")
    resp = conn.getresponse()
    assert resp.getheader("Content-Length") == str(20 * 1024 * 1024)
    total = 0
    while block := resp.read(1 << 20):
        total += len(block)
    conn.close()
    assert total == 20 * 1024 * 1024

    status, headers, body = get(srv, "/a.pk/chunked")  # http.client undoes the chunking
    assert "content-length" not in headers and headers["transfer-encoding"] == "chunked"
    assert len(body) == 3_000_001 and body.endswith(b"</html>\n")
    with pytest.raises(ValueError):
        list(Big(10).parts())


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(srv: HostileServer) -> None:
    size = 100 * 1024 * 1024
    srv.add("/a.pk/bomb", GzipBomb(size))
    _, headers, body = get(srv, "/a.pk/bomb")
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(body) < size // 500
    start = time.monotonic()
    assert gzip_bomb(size) is gzip_bomb(size)  # built once
    assert time.monotonic() - start < 0.05
    # Inflate without ever holding more than 1 MiB of it.
    inflater, inflated, data = zlib.decompressobj(31), 0, body
    head = inflater.decompress(data, 64)
    inflated += len(head)
    data = inflater.unconsumed_tail
    while data or not inflater.eof:
        out = inflater.decompress(data, 1 << 20)
        inflated += len(out)
        data = inflater.unconsumed_tail
        if not out and not data:
            break
    assert head.startswith(b"<!DOCTYPE html>") and inflated == size


# --- redirects --------------------------------------------------------------------------


def test_redirects_and_off_site(srv: HostileServer) -> None:
    srv.add("/kppolice.gov.pk/old.php", Redirect("https://kppolice.gov.pk/press_releases.php"))
    srv.add("/kppolice.gov.pk/moved.php", Redirect("/press_releases.php?page=2", code=301))
    srv.add("/kppolice.gov.pk/away.php", Redirect("https://evil.example/x"))
    assert [get(srv, f"/kppolice.gov.pk/{p}.php")[:2][0] for p in ("old", "moved", "away")] == [
        302,
        301,
        302,
    ]
    assert get(srv, "/kppolice.gov.pk/old.php")[1]["location"] == (
        "https://kppolice.gov.pk/press_releases.php"
    )
    assert get(srv, "/kppolice.gov.pk/moved.php")[1]["location"] == "/press_releases.php?page=2"
    assert get(srv, "/kppolice.gov.pk/away.php")[1]["location"] == "https://evil.example/x"
    assert get(srv, "/evil.example/x")[0] == 404  # unless a test adds a page there


def test_redirect_loop_alternates_between_two_urls(srv: HostileServer) -> None:
    srv.add("/kppolice.gov.pk/press_releases.php?page=2", RedirectLoop())
    path, seen = "/kppolice.gov.pk/press_releases.php?page=2", []
    for _ in range(4):
        status, headers, _ = get(srv, path)
        assert status == 302
        seen.append(headers["location"])
        path = mirror_path(headers["location"])
    a = "https://kppolice.gov.pk/press_releases.php?page=2"
    b = a + "&hostile-loop=1"
    assert seen == [b, a, b, a]
    assert srv.count(re.compile("press_releases"), "RedirectLoop") == 4
    srv.clear()
    assert get(srv, "/kppolice.gov.pk/press_releases.php?page=2")[0] == 200


# --- generated traps --------------------------------------------------------------------


def _links(body: bytes) -> list[str]:
    tree = etree.fromstring(body, etree.HTMLParser())
    return [str(h) for h in tree.xpath("//a/@href")]


@pytest.mark.parametrize("key", SOURCES)
def test_pagination_trap_never_ends_and_its_articles_pass_extraction(
    srv: HostileServer, key: str
) -> None:
    source = get_source(key)
    trap = srv.add(None, PaginationTrap(key, per_page=3, ahead=20))
    assert isinstance(trap, PaginationTrap)
    shape = trap.shape
    for n in (1, 7, 5000):
        status, _, body = get(srv, mirror_path(shape.page_url(n)))
        assert status == 200
        links = _links(body)
        pages = [u for u in links if source.pagination_re and source.pagination_re.search(u)]
        assert {shape.page_of(u) for u in pages} >= set(range(n + 1, n + 21))
        articles = [u for u in links if source.is_article(u)]
        assert len(articles) == 3
    status, _, body = get(srv, mirror_path(articles[0]))
    assert status == 200
    record = extract_html(body, articles[0], source=source)
    assert record.title and len(record.body) > 200 and record.language == "ur"
    assert record.published_at is not None
    assert len([p for p in record.body.split("\n\n") if p.strip()]) >= 4
    # The rest of the host is still the mirror's.
    assert get(srv, f"/{shape.host}/robots.txt")[0] == 200
    assert srv.count(re.compile("."), "PaginationTrap") == 4


def test_sitemap_index_trap_links_the_next_index_forever(srv: HostileServer) -> None:
    srv.add("/dailymumtaz.com/sitemap_index.xml", SitemapIndexTrap())
    path, seen = "/dailymumtaz.com/sitemap_index.xml", []
    for _ in range(6):
        status, headers, body = get(srv, path)
        assert status == 200 and headers["content-type"] == "application/xml"
        root = ET.fromstring(body)
        assert root.tag.endswith("sitemapindex")
        (loc,) = [e.text or "" for e in root.iter() if e.tag.endswith("loc")]
        seen.append(loc)
        path = mirror_path(loc)
    assert seen == [f"https://dailymumtaz.com/sitemap_index.xml?n={k}" for k in range(1, 7)]
    srv.clear()
    srv.add("/nhsrc.example/s.xml?a=1", SitemapIndexTrap(fanout=3))
    locs = re.findall(r"<loc>([^<]+)</loc>", get(srv, "/nhsrc.example/s.xml?a=1")[2].decode())
    assert locs == [f"https://nhsrc.example/s.xml?a=1&amp;n={k}" for k in (1, 2, 3)]
    index = get(srv, "/nhsrc.example/s.xml?a=1&n=2")[2].decode()
    assert re.findall(r"n=(\d+)</loc>", index) == ["7", "8", "9"]


# --- XML --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["cut", "tags"])
@pytest.mark.parametrize("path", [FEED, "/www.nhsrc.gov.pk/sitemap.xml", "/a.pk/feed/missing"])
def test_malformed_xml(srv: HostileServer, mode: str, path: str) -> None:
    srv.add(path, MalformedXml(mode))  # type: ignore[arg-type]
    status, _, body = get(srv, path)
    assert status == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)
    real = file_for(MIRROR_ROOT, 1, path.split("/")[1], "/" + path.split("/", 2)[2], "")
    if real is not None and mode == "cut":
        assert real.read_bytes().startswith(body) and len(body) > 100
    if real is None:
        assert b"<rss" in body  # a sample feed, since the path says feed


@pytest.mark.parametrize("path", [FEED, "/www.nhsrc.gov.pk/sitemap.xml"])
def test_entity_bomb(srv: HostileServer, path: str) -> None:
    bomb = EntityBomb()
    srv.add(path, bomb)
    body = get(srv, path)[2]
    ents = dict(re.findall(rb'<!ENTITY (\w+) "([^"]*)">', body))
    assert len(ents) == 10

    @functools.cache
    def size(name: bytes) -> int:
        value = ents[name]
        refs = re.findall(rb"&(\w+);", value)
        return sum(size(r) for r in refs) if refs else len(value)

    assert size(b"lol9") == bomb.expanded_chars == 3 * 10**9
    # A recovering parser that leaves entities alone (as Scrapy's) reads it at once;
    # libxml2 >= 2.13 refuses it outright otherwise, even without expanding.
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, recover=True))
    assert root.tag in ("rss", "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset")
    assert (root.tag == "rss") == (path == FEED)
    # The same document with a small expansion is well-formed XML.
    small = EntityBomb(levels=2, fanout=3).document("feed" if path == FEED else "sitemap", "a.pk")
    expanded = etree.tostring(etree.fromstring(small, etree.XMLParser(resolve_entities=True)))
    assert b"lol" * 9 in expanded


@pytest.mark.parametrize("path", [FEED, "/www.nhsrc.gov.pk/sitemap.xml"])
def test_xxe_points_at_a_local_file(srv: HostileServer, path: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    srv.add(path, Xxe(str(secret)))
    body = get(srv, path)[2]
    assert f'SYSTEM "{secret.as_uri()}"'.encode() in body
    # Armed: a parser that resolves external entities leaks the file into the URL.
    leaky = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    text = etree.tostring(etree.fromstring(body, leaky))
    assert b"TOPSECRET" in text
    safe = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
    assert b"TOPSECRET" not in etree.tostring(safe)
    assert b"file:///etc/hostname" in Xxe().document("sitemap", "a.pk")


def test_robots_fault_only_touches_robots_txt(srv: HostileServer) -> None:
    srv.add(re.compile("^/kppolice.gov.pk/"), RobotsFault(500))
    assert get(srv, "/kppolice.gov.pk/robots.txt")[0] == 500
    assert get(srv, KP_ARTICLE)[0] == 200
    srv.add("/hamariweb.com/robots.txt", RobotsFault(200, b"User-agent: *\nDisallow: /\n"))
    status, headers, body = get(srv, "/hamariweb.com/robots.txt")
    assert (status, body) == (200, b"User-agent: *\nDisallow: /\n")
    assert headers["content-type"].startswith("text/plain")
    assert srv.count("/kppolice.gov.pk/robots.txt", 500) == 1


def test_drop_and_reset(srv: HostileServer) -> None:
    srv.add("/a.pk/drop", Drop())
    srv.add("/a.pk/reset", Drop(reset=True))
    assert raw(srv.port, "/a.pk/drop", timeout=2) == b""
    with pytest.raises(ConnectionResetError):
        raw(srv.port, "/a.pk/reset", timeout=2)
    assert srv.count(re.compile("^/a.pk/"), "Drop") == 2
    assert get(srv, KP_ARTICLE)[0] == 200  # the server is none the worse


# --- generated sites --------------------------------------------------------------------


@pytest.mark.parametrize("key", SOURCES)
def test_site_shapes_fit_the_source_declarations(key: str) -> None:
    source, shape = get_source(key), site_shape(key)
    assert shape.page_url(1) == source.listings[0]
    assert source.pagination_re is not None
    assert not source.pagination_re.search(shape.page_url(1))
    for n in (2, 3, 17):
        assert source.pagination_re.search(shape.page_url(n))
        assert shape.page_of(shape.page_url(n)) == n
        assert not source.is_article(shape.page_url(n))
    url = shape.article_url(123456, date(2024, 3, 5), "some-slug-123456")
    assert source.is_article(url) and source.owns(url)
    assert not (source.pagination_re.search(url))


@pytest.mark.parametrize("key", SOURCES)
def test_make_site(tmp_path: Path, key: str) -> None:
    source = get_source(key)
    site = make_site(tmp_path, key, articles=11, per_page=4, in_feeds=2)
    assert [a.page for a in site.articles] == [1] * 4 + [2] * 4 + [3] * 3
    assert len(site.pages) == 3 and site.pages[0] == source.listings[0]
    assert all(source.pagination_re and source.pagination_re.search(p) for p in site.pages[1:])
    assert len({a.url for a in site.articles}) == len({a.title for a in site.articles}) == 11
    assert len({a.published for a in site.articles}) == 11
    assert site.in_feeds == tuple(a.url for a in site.articles[:2])
    for a in site.articles:
        assert source.is_article(a.url) and source.owns(a.url)
        assert file_for(tmp_path, 1, site.host, *_path_query(a.url)) == mirror_file(
            tmp_path, 1, a.url
        )

    with HostileServer(tmp_path) as srv:
        for n, page in enumerate(site.pages, 1):
            status, _, body = get(srv, mirror_path(page))
            assert status == 200
            links = _links(body)
            listed = [u for u in dict.fromkeys(links) if source.is_article(u)]
            assert listed == [a.url for a in site.on_page(n)]
            tree = etree.fromstring(body, etree.HTMLParser())
            nav = {site.pages.index(str(u)) + 1 for u in tree.xpath("//nav//a/@href")}
            assert nav == ({1, n - 1, n + 1, 3} - {0, 4, n})
        for a in site.articles:
            status, _, body = get(srv, mirror_path(a.url))
            assert status == 200
            rec = extract_html(body, a.url, source=source)
            assert rec.title == a.title
            assert rec.published_at is not None and rec.published_at.date() == a.published
            assert rec.language == "ur" and len(rec.body) >= 300
            assert rec.body.split("\n\n")[0].startswith(a.place + "،")
        assert get(srv, f"/{site.host}/robots.txt")[2].startswith(b"User-agent: *\nDisallow:\n")
        for url in (*source.feeds, *source.sitemaps):
            status, _, body = get(srv, mirror_path(url))
            assert status == 200
            etree.fromstring(body)
        if source.feeds:
            rss = get(srv, mirror_path(source.feeds[0]))[2].decode()
            assert re.findall(r"<link>([^<]+)</link>", rss)[1:] == list(site.in_feeds)

    # No two generated articles are one story for pressbot's dedup.
    keys = [match_key("\n\n".join(a.paragraphs)) for a in site.articles]
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            assert not same_story(keys[i], keys[j]).same, (i, j)


def _path_query(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parts.query


def test_make_site_puts_several_sources_in_one_root_and_day_overlays(tmp_path: Path) -> None:
    kp = make_site(tmp_path, "kp_police", articles=2, per_page=1)
    hw = make_site(tmp_path, "hamariweb", articles=3, per_page=2, first_id=70001)
    newer = make_site(
        tmp_path, "kp_police", articles=3, per_page=1, day=2, newest=date(2024, 3, 21)
    )
    assert hw.articles[0].url.startswith("https://hamariweb.com/news/70001/")
    with HostileServer(tmp_path, day=2) as srv:
        assert get(srv, mirror_path(kp.pages[0]))[0] == 200
        assert get(srv, mirror_path(newer.pages[2]))[0] == 200  # only on day 2
        assert get(srv, mirror_path(hw.pages[1]))[0] == 200  # day 1 shows through
        srv.day = 1
        assert get(srv, mirror_path(newer.pages[2]))[0] == 404
