"""A hostile loopback HTTP server for fault-matrix crawl tests, and generated sites.

:class:`HostileServer` serves the mirror layout exactly as
:class:`pressbot.mirror.MirrorServer` does (same URL -> file mapping, content
types, ETag / 304, 404 "not in mirror"), except where a *rule* matches::

    with HostileServer() as srv:
        srv.add("/kppolice.gov.pk/robots.txt", RobotsFault(500))
        srv.add(re.compile(r"^/hamariweb\\.com/news/\\d+/"), FailTimes(1, fault=Status(503)))
        crawl_mirror(srv.url, db, tmp_path)
        assert srv.count("/kppolice.gov.pk/robots.txt", 500) == 1

A rule's pattern is matched against the *mirror path* of a request,
``"/<host>/<path>?<query>"`` exactly as it arrives (still percent-encoded): a
string must equal it, a compiled regex must ``search`` it. The newest matching
rule is tried first; a fault may *decline* a request it cannot apply (e.g.
:class:`Truncate` of a file that does not exist), and the next rule, then the
mirror, serves it. Rules, pages and the day can be changed while the server runs.

Every fault is bounded in time by its own parameters, and :meth:`HostileServer.stop`
wakes every waiting handler and shuts every open connection, so it returns in
well under a second even with hung or trickling connections.

:func:`make_site` writes a small generated site for one registered source (a
paginated listing, articles of plausible Urdu text, robots.txt, feeds and
sitemaps) in the mirror layout, to serve as an alternative ``root``.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import html
import io
import random
import re
import socket
import struct
import sys
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from pressbot.mirror import _CONTENT_TYPES, DEFAULT_ROOT, file_for
from pressbot.sources import Source
from pressbot.sources import get as get_source

__all__ = [
    "MIRROR_ROOT",
    "Big",
    "Body",
    "Content",
    "Drop",
    "EntityBomb",
    "Exchange",
    "FailTimes",
    "Fault",
    "GzipBomb",
    "Hang",
    "HostileServer",
    "MalformedXml",
    "PaginationTrap",
    "Recode",
    "Redirect",
    "RedirectLoop",
    "RobotsFault",
    "SiteArticle",
    "SiteManifest",
    "SiteShape",
    "SitemapIndexTrap",
    "SlowBody",
    "Status",
    "Truncate",
    "TruncateChunked",
    "Xxe",
    "article_html",
    "garbage",
    "generate_article",
    "gzip_bomb",
    "listing_html",
    "make_site",
    "mirror_file",
    "mirror_path",
    "parquet_bytes",
    "png_bytes",
    "site_shape",
    "urdu_date",
]

MIRROR_ROOT = DEFAULT_ROOT

Pattern = str | re.Pattern[str]
Label = int | str


def mirror_path(url: str) -> str:
    """``https://host/p?q`` -> ``/host/p?q``, the string rules and pages are keyed by."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"/{(parts.hostname or '').lower()}{parts.path or '/'}{query}"


def _matches(pattern: Pattern, path: str) -> bool:
    if isinstance(pattern, str):
        return pattern == path
    return pattern.search(path) is not None


@dataclass(frozen=True)
class Content:
    """What a path serves when no fault interferes: an extra page or a mirror file."""

    data: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


def _merge(base: Iterable[tuple[str, str]], extra: dict[str, str]) -> list[tuple[str, str]]:
    """``base`` headers with those named in ``extra`` replaced (names compare case-blind)."""
    names = {k.lower() for k in extra}
    return [(k, v) for k, v in base if k.lower() not in names] + list(extra.items())


# --- the server ------------------------------------------------------------------------


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # A crawl opens up to 16 connections per host at once; none must be refused.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], root: Path, day: int) -> None:
        self.root = root
        self.day = day
        self.lock = threading.Lock()
        # Notified on every hit, for HostileServer.wait_for.
        self.hit_added = threading.Condition(self.lock)
        self.rules: list[tuple[Pattern | None, Fault]] = []
        self.pages: dict[str, Content] = {}
        self.hits: list[tuple[str, Label]] = []
        # Set by stop(): every Exchange.wait returns at once.
        self.stopping = threading.Event()
        # Open connections, shut down by stop() so that no handler stays blocked.
        self.conns: set[socket.socket] = set()
        super().__init__(address, Exchange)

    def faults_for(self, path: str) -> list[Fault]:
        with self.lock:
            rules = list(reversed(self.rules))  # newest first
        return [
            fault
            for pattern, fault in rules
            if (pattern is not None and _matches(pattern, path)) or fault.claims(path)
        ]

    def record(self, path: str, label: Label) -> None:
        with self.hit_added:
            self.hits.append((path, label))
            self.hit_added.notify_all()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-answer is what these tests provoke on purpose.
        if isinstance(sys.exc_info()[1], OSError) or self.stopping.is_set():
            return
        super().handle_error(request, client_address)


class Exchange(BaseHTTPRequestHandler):
    """One request, as seen by a fault: where it goes, and raw control of the answer.

    Attributes set per request: ``path`` (the mirror path as received), ``host``,
    ``rel`` (the site path, ``/`` plus what follows the host), ``query``,
    ``real_url`` (``https://host/rel?query``, what the crawler asked for) and
    ``send_body`` (False for HEAD). Faults write with :meth:`head` and
    :meth:`body`; an ``OSError`` (the client hung up) ends the exchange quietly.
    """

    server: _Httpd
    protocol_version = "HTTP/1.1"
    # No idle timeout, as in MirrorServer: a keep-alive connection the crawler parks in
    # its pool must not die on its own; stop() cuts the idle ones.

    host: str
    rel: str
    query: str
    send_body: bool
    _label: Label | None
    _logged: bool

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; with Nagle's algorithm and the
        # client's delayed ACK every keep-alive request would then stall for 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.lock:
            self.server.conns.add(self.connection)

    def finish(self) -> None:
        with self.server.lock:
            self.server.conns.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:
        self._dispatch(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the hit log says what was served; stderr noise helps nobody

    @property
    def real_url(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"https://{self.host}{self.rel}{query}"

    def _dispatch(self, send_body: bool) -> None:
        self.send_body = send_body
        self._logged = False
        self._label = None
        parts = urlsplit(self.path)
        host, _, rest = parts.path.lstrip("/").partition("/")
        self.host, self.rel, self.query = host.lower(), "/" + rest, parts.query
        try:
            for fault in self.server.faults_for(self.path):
                self._label = fault.label
                if fault.respond(self):
                    return
            self.serve_normal()
        except OSError:
            self.close_connection = True

    # --- what faults use -------------------------------------------------------------
    def set_label(self, label: Label | None) -> None:
        """What the hit log records for this request (None: the status sent)."""
        self._label = label

    def mark(self, status: int | None = None) -> None:
        """Record the hit now (once per request); :meth:`head` does it for answers."""
        if not self._logged:
            self._logged = True
            label = self._label if self._label is not None else status
            self.server.record(self.path, label if label is not None else "?")

    def content(self) -> Content | None:
        """The extra page or mirror file this path serves normally, or None."""
        with self.server.lock:
            page = self.server.pages.get(self.path)
        if page is not None:
            return page
        found = file_for(self.server.root, self.server.day, self.host, self.rel, self.query)
        if found is None:
            return None
        ctype = _CONTENT_TYPES.get(found.suffix, "text/html; charset=utf-8")
        return Content(found.read_bytes(), ctype)

    def head(self, status: int, headers: Iterable[tuple[str, str]] = ()) -> None:
        """Send a status line and headers, verbatim. ``Connection: close`` closes after."""
        self.mark(status)
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        lines = [
            f"HTTP/1.1 {status} {phrase}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
        ]
        for name, value in headers:
            lines.append(f"{name}: {value}")
            if name.lower() == "connection" and value.lower() == "close":
                self.close_connection = True
        # UTF-8, not Latin-1: a hostile server may well send raw UTF-8 in a Location.
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))

    def body(self, data: bytes) -> None:
        if self.send_body and data:
            self.wfile.write(data)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; False if the server is stopping (then give up)."""
        return not self.server.stopping.wait(max(0.0, seconds))

    def hang_up(self) -> None:
        """Close the connection once the handler returns (a body cut short stays cut)."""
        self.close_connection = True

    def reset(self) -> None:
        """Abort the connection with a TCP RST instead of an orderly close."""
        self.close_connection = True
        # Linger 0 turns close() into an abort; the read file holds a reference to the
        # socket, so it must go too for the close to happen now.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()

    def serve_normal(self) -> None:
        """Exactly what MirrorServer answers (the hit is logged with the status)."""
        self._label = None
        found = self.content()
        if found is None:
            data = b"not in mirror\n"
            self.head(404, [("Content-Type", "text/plain; charset=utf-8"), _length(data)])
            self.body(data)
            return
        etag = _etag(found.data)
        if found.status == 200 and self.headers.get("If-None-Match") == etag:
            self.head(304, [("ETag", etag), ("Content-Length", "0")])
            return
        headers = [("Content-Type", found.content_type), _length(found.data)]
        if found.status == 200:
            headers.append(("ETag", etag))
        self.head(found.status, [*headers, *found.headers])
        self.body(found.data)


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha1(data).hexdigest()[:16] + '"'


def _length(data: bytes) -> tuple[str, str]:
    return ("Content-Length", str(len(data)))


class HostileServer:
    """The mirror on a random loopback port, with faults: ``with HostileServer() as srv``.

    ``root``: a mirror directory (``day1/<host>/...``), e.g. one made by
    :func:`make_site`; ``day``: which overlay day to serve (settable while running).
    """

    def __init__(
        self, root: Path = MIRROR_ROOT, day: int = 1, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError("the hostile server only listens on loopback")
        if not (root / "day1").is_dir():
            raise FileNotFoundError(f"no mirror at {root} (expected {root / 'day1'})")
        self._httpd = _Httpd((host, port), root, day)
        self._thread: threading.Thread | None = None

    # --- where and what ------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def root(self) -> Path:
        return self._httpd.root

    @property
    def day(self) -> int:
        return self._httpd.day

    @day.setter
    def day(self, value: int) -> None:
        self._httpd.day = value

    def add(self, pattern: Pattern | None, fault: Fault) -> Fault:
        """Apply ``fault`` to mirror paths matching ``pattern`` (None: only the paths the
        fault claims itself, see :meth:`Fault.claims`). Newest rules win. Returns ``fault``."""
        with self._httpd.lock:
            self._httpd.rules.append((pattern, fault))
        return fault

    def remove(self, fault: Fault) -> None:
        with self._httpd.lock:
            self._httpd.rules = [r for r in self._httpd.rules if r[1] is not fault]

    def clear(self, *, pages: bool = False, hits: bool = False) -> None:
        """Drop every rule (and with ``pages``/``hits``, the extra pages / the hit log)."""
        with self._httpd.lock:
            self._httpd.rules.clear()
            if pages:
                self._httpd.pages.clear()
            if hits:
                self._httpd.hits.clear()

    def page(
        self,
        path: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve ``body`` at ``path`` (a mirror path ``/host/p?q``, or a real URL) as if it
        were in the mirror; rules still apply to it."""
        key = mirror_path(path) if "://" in path else path
        content = Content(body, content_type, status, tuple((headers or {}).items()))
        with self._httpd.lock:
            self._httpd.pages[key] = content

    # --- what happened -------------------------------------------------------------------
    @property
    def hits(self) -> list[tuple[str, Label]]:
        """A snapshot of (mirror path, status sent or fault label), in order. A hit is
        logged when its status line is sent, or when a Hang / Drop begins."""
        with self._httpd.lock:
            return list(self._httpd.hits)

    def count(self, pattern: Pattern, outcome: Label | None = None) -> int:
        """Hits on paths matching ``pattern`` (string: equal; regex: search), optionally
        only those with this status or fault label."""
        return sum(
            1
            for path, label in self.hits
            if _matches(pattern, path) and (outcome is None or label == outcome)
        )

    def wait_for(self, pattern: Pattern, n: int = 1, timeout: float = 5.0) -> bool:
        """Wait up to ``timeout`` seconds until ``count(pattern) >= n``."""
        with self._httpd.hit_added:
            return self._httpd.hit_added.wait_for(
                lambda: sum(1 for p, _ in self._httpd.hits if _matches(pattern, p)) >= n,
                timeout=timeout,
            )

    # --- life cycle ----------------------------------------------------------------------
    def start(self) -> HostileServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake every waiting fault and cut every open connection."""
        httpd = self._httpd
        httpd.stopping.set()
        if self._thread is not None:
            httpd.shutdown()  # returns within one poll interval
            self._thread.join(timeout=5)
            self._thread = None
        with httpd.lock:
            conns = list(httpd.conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# --- faults ----------------------------------------------------------------------------


class Fault:
    """Base of every fault. ``respond`` answers a request, or returns False before
    writing anything to decline it (the next rule, then the mirror, answers)."""

    @property
    def label(self) -> Label:
        """What the hit log records for a request this fault answered."""
        return type(self).__name__

    def claims(self, path: str) -> bool:
        """Paths this fault answers whatever the rule's pattern (URLs it generated)."""
        return False

    def respond(self, ex: Exchange) -> bool:
        raise NotImplementedError


@dataclass(eq=False)
class Status(Fault):
    """Answer ``code`` with ``body`` (text/plain unless ``headers`` say otherwise) and
    extra ``headers``, e.g. ``Status(503, headers={"Retry-After": "2"})``. Logged as
    the code."""

    code: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> Label:
        return self.code

    def respond(self, ex: Exchange) -> bool:
        base = [("Content-Type", "text/plain; charset=utf-8"), _length(self.body)]
        ex.head(self.code, _merge(base, self.headers))
        ex.body(self.body)
        return True


@dataclass(eq=False)
class FailTimes(Fault):
    """The first ``n`` requests *for each path* get ``fault``; later ones get ``then``,
    or the mirror's normal answer. Logged as the fault's label, then as served."""

    n: int
    then: Fault | None = None
    fault: Fault = field(default_factory=lambda: Status(500))
    _seen: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def calls(self, path: str) -> int:
        """Requests seen so far for ``path``."""
        with self._lock:
            return self._seen.get(path, 0)

    def respond(self, ex: Exchange) -> bool:
        with self._lock:
            k = self._seen[ex.path] = self._seen.get(ex.path, 0) + 1
        if k <= self.n:
            ex.set_label(self.fault.label)
            return self.fault.respond(ex)
        if self.then is not None:
            ex.set_label(self.then.label)
            return self.then.respond(ex)
        ex.serve_normal()
        return True


@dataclass(eq=False)
class Hang(Fault):
    """Read the request, send nothing for ``seconds``, then close the connection."""

    seconds: float

    def respond(self, ex: Exchange) -> bool:
        ex.mark()
        ex.wait(self.seconds)
        ex.hang_up()
        return True


@dataclass(eq=False)
class Drop(Fault):
    """Close the connection without an answer (``reset``: abort it with a TCP RST)."""

    reset: bool = False

    def respond(self, ex: Exchange) -> bool:
        ex.mark()
        if self.reset:
            ex.reset()
        else:
            ex.hang_up()
        return True


@dataclass(eq=False)
class SlowBody(Fault):
    """Headers (with the full Content-Length) at once; the real body in ``pieces`` equal
    parts, one every ``total_seconds / pieces``, the last at ``total_seconds``."""

    total_seconds: float
    pieces: int = 10

    def respond(self, ex: Exchange) -> bool:
        found = ex.content()
        if found is None:
            return False
        data = found.data
        ex.head(found.status, [("Content-Type", found.content_type), _length(data)])
        pieces = max(1, min(self.pieces, len(data)))
        step = -(-len(data) // pieces)  # ceiling division
        for i in range(pieces):
            if not ex.wait(self.total_seconds / pieces):
                ex.hang_up()
                return True
            ex.body(data[i * step : (i + 1) * step])
        return True


@dataclass(eq=False)
class Truncate(Fault):
    """The real file, cut after ``keep_bytes``, then the connection closes.

    ``content_length=True``: the full Content-Length is declared (the client can tell
    the body is short). ``False``: a close-delimited body -- no Content-Length, no
    chunking, ``Connection: close`` -- so the cut is indistinguishable from the end.
    """

    keep_bytes: int
    content_length: bool = True

    def respond(self, ex: Exchange) -> bool:
        found = ex.content()
        if found is None:
            return False
        headers = [("Content-Type", found.content_type)]
        if self.content_length:
            headers.append(_length(found.data))
        else:
            headers.append(("Connection", "close"))
        ex.head(found.status, headers)
        ex.body(found.data[: self.keep_bytes])
        ex.hang_up()
        return True


@dataclass(eq=False)
class TruncateChunked(Fault):
    """The real file in chunked transfer coding, stopping after ``keep_bytes`` without
    the final zero-length chunk; then the connection closes."""

    keep_bytes: int
    chunk_size: int = 1024

    def respond(self, ex: Exchange) -> bool:
        found = ex.content()
        if found is None:
            return False
        ex.head(
            found.status,
            [("Content-Type", found.content_type), ("Transfer-Encoding", "chunked")],
        )
        kept = found.data[: self.keep_bytes]
        for i in range(0, len(kept), self.chunk_size):
            ex.body(_chunk(kept[i : i + self.chunk_size]))
        ex.hang_up()
        return True


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


# Urdu letters missing from windows-1256, and what legacy Urdu pages in that code page
# carry instead (the Arabic look-alikes; pressbot's match keys fold them back).
_CP1256_FOLD = str.maketrans({"ی": "ي", "ۓ": "ئے", "ۂ": "ہ", "۔": ".", "ٰ": ""})
_META_CHARSET = re.compile(r"<meta\b[^>]*\bcharset\s*=[^>]*>\s*", re.IGNORECASE)
_HEAD_TAG = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_XML_ENCODING = re.compile(r"\s+encoding\s*=\s*([\"'])[^\"']*\1")


@dataclass(eq=False)
class Recode(Fault):
    """The real file re-encoded to ``encoding`` (e.g. ``windows-1256``, ``utf-16``).

    ``header_charset``: name it in the Content-Type header (else the bare type).
    ``meta``: name it in the document -- a ``<meta http-equiv>`` for HTML, the XML
    declaration's ``encoding`` for XML -- replacing any existing declaration; without
    ``meta`` every in-document declaration is removed. Characters the encoding lacks
    become numeric character references (``unencodable="charref"``, lossless), or
    (``"fold"``) their Arabic look-alikes as legacy Urdu pages have them (ی -> ي),
    anything else ``?``. ``utf-16`` writes a BOM; ``utf-16-le``/``-be`` do not.
    """

    encoding: str
    header_charset: bool = True
    meta: bool = True
    unencodable: Literal["charref", "fold"] = "charref"

    def recode(self, data: bytes) -> bytes:
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        decl = _XML_DECL.match(text)
        if decl is not None:
            head = _XML_ENCODING.sub("", decl.group(0))
            if self.meta:
                head = head.replace("?>", f' encoding="{self.encoding}"?>', 1)
            text = head + text[decl.end() :]
        else:
            first = _META_CHARSET.search(text)
            text = _META_CHARSET.sub("", text)
            if self.meta:
                tag = (
                    '<meta http-equiv="Content-Type" '
                    f'content="text/html; charset={self.encoding}" />\n'
                )
                at = _HEAD_TAG.search(text)
                pos = first.start() if first else (at.end() if at else 0)
                text = text[:pos] + tag + text[pos:]
        if self.unencodable == "fold":
            return text.translate(_CP1256_FOLD).encode(self.encoding, errors="replace")
        return text.encode(self.encoding, errors="xmlcharrefreplace")

    def respond(self, ex: Exchange) -> bool:
        found = ex.content()
        if found is None:
            return False
        data = self.recode(found.data)
        ctype = found.content_type.split(";")[0].strip()
        if self.header_charset:
            ctype += f"; charset={self.encoding}"
        ex.head(found.status, [("Content-Type", ctype), _length(data)])
        ex.body(data)
        return True


@dataclass(eq=False)
class Body(Fault):
    """Arbitrary bytes with any content type (see :func:`png_bytes`,
    :func:`parquet_bytes`, :func:`garbage`)."""

    data: bytes
    content_type: str = "application/octet-stream"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def respond(self, ex: Exchange) -> bool:
        base = [("Content-Type", self.content_type), _length(self.data)]
        ex.head(self.status, _merge(base, self.headers))
        ex.body(self.data)
        return True


_BIG_BLOCK = 64 * 1024
_PAD_LINE = b"padding: this page is large on purpose; nothing to read in here.\n"


@dataclass(eq=False)
class Big(Fault):
    """A valid HTML page (a short Urdu article) padded inside one comment to exactly
    ``size_bytes``, streamed in 64 KiB writes. ``content_length=False`` streams it in
    chunked transfer coding instead (the client learns the size only by reading)."""

    size_bytes: int
    content_length: bool = True

    HEAD: ClassVar[bytes] = (
        '<!DOCTYPE html>\n<html lang="ur" dir="rtl">\n<head><meta charset="utf-8">'
        "<title>بہت بڑا صفحہ</title></head>\n<body>\n<h1>بہت "
        "بڑا صفحہ جس میں زیادہ تر خالی جگہ ہے</h1>\n"
        "<p>پشاور، 12 مارچ، 2024: یہ صفحہ جان بوجھ کر بہت بڑا بنایا گیا ہے تاکہ "
        "ڈاؤن لوڈ کی حد کی جانچ کی جا سکے۔</p>\n<!--\n"
    ).encode()
    TAIL: ClassVar[bytes] = b"\n-->\n</body>\n</html>\n"

    def parts(self) -> Iterator[bytes]:
        """The page, in pieces of at most 64 KiB (never the whole page in memory)."""
        pad = self.size_bytes - len(self.HEAD) - len(self.TAIL)
        if pad < 0:
            raise ValueError(f"Big: at least {len(self.HEAD) + len(self.TAIL)} bytes")
        block = (_PAD_LINE * (_BIG_BLOCK // len(_PAD_LINE) + 1))[:_BIG_BLOCK]
        yield self.HEAD
        for _ in range(pad // _BIG_BLOCK):
            yield block
        if pad % _BIG_BLOCK:
            yield block[: pad % _BIG_BLOCK]
        yield self.TAIL

    def respond(self, ex: Exchange) -> bool:
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if self.content_length:
            headers.append(("Content-Length", str(self.size_bytes)))
        else:
            headers.append(("Transfer-Encoding", "chunked"))
        ex.head(200, headers)
        if not ex.send_body:
            return True
        for part in self.parts():
            if ex.server.stopping.is_set():
                ex.hang_up()
                return True
            ex.body(part if self.content_length else _chunk(part))
        if not self.content_length:
            ex.body(b"0\r\n\r\n")
        return True


_BOMBS: dict[int, bytes] = {}
_BOMBS_LOCK = threading.Lock()
_BOMB_HEAD = b"<!DOCTYPE html><html><head><title>gzip</title></head><body><p>"
_BOMB_TAIL = b"</p></body></html>"


def gzip_bomb(inflated_bytes: int) -> bytes:
    """A gzip member inflating to exactly ``inflated_bytes`` of HTML (mostly spaces),
    compressed block by block (1 MiB in memory at a time) and cached per size.
    About 1/1000 of the inflated size; 100 MB takes ~0.3 s the first time."""
    with _BOMBS_LOCK:
        cached = _BOMBS.get(inflated_bytes)
        if cached is not None:
            return cached
        pad = inflated_bytes - len(_BOMB_HEAD) - len(_BOMB_TAIL)
        if pad < 0:
            raise ValueError("gzip_bomb: too small")
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
        out = io.BytesIO()
        out.write(comp.compress(_BOMB_HEAD))
        block = b" " * (1 << 20)
        for _ in range(pad // len(block)):
            out.write(comp.compress(block))
        out.write(comp.compress(block[: pad % len(block)]))
        out.write(comp.compress(_BOMB_TAIL))
        out.write(comp.flush())
        _BOMBS[inflated_bytes] = out.getvalue()
        return _BOMBS[inflated_bytes]


@dataclass(eq=False)
class GzipBomb(Fault):
    """``Content-Encoding: gzip`` whatever the client accepts: a small body (with its
    Content-Length) that inflates to ``inflated_bytes`` (see :func:`gzip_bomb`)."""

    inflated_bytes: int = 100 * 1024 * 1024
    content_type: str = "text/html; charset=utf-8"

    def respond(self, ex: Exchange) -> bool:
        data = gzip_bomb(self.inflated_bytes)
        ex.head(
            200,
            [("Content-Type", self.content_type), ("Content-Encoding", "gzip"), _length(data)],
        )
        ex.body(data)
        return True


@dataclass(eq=False)
class Redirect(Fault):
    """Answer ``code`` with ``Location: location``, verbatim. Give real URLs
    (``https://kppolice.gov.pk/x``) as a live site would: the crawl maps them back to
    the mirror. An off-site one (``https://evil.example/x``) is the crawler's problem."""

    location: str
    code: int = 302

    def respond(self, ex: Exchange) -> bool:
        ex.head(self.code, [("Location", self.location), ("Content-Length", "0")])
        return True


@dataclass(eq=False)
class RedirectLoop(Fault):
    """a -> b -> a -> ...: a matched URL redirects to itself plus ``<param>=1``, which
    (claimed by this fault whatever the pattern) redirects back to the URL without it."""

    param: str = "hostile-loop"
    code: int = 302

    def _marker(self) -> re.Pattern[str]:
        return re.compile(rf"(^|&){re.escape(self.param)}=1(?=&|$)")

    def claims(self, path: str) -> bool:
        return self._marker().search(urlsplit(path).query) is not None

    def respond(self, ex: Exchange) -> bool:
        base = f"https://{ex.host}{ex.rel}"
        if self._marker().search(ex.query):
            query = self._marker().sub("", ex.query).lstrip("&")
        else:
            query = f"{ex.query}&{self.param}=1" if ex.query else f"{self.param}=1"
        location = f"{base}?{query}" if query else base
        ex.head(self.code, [("Location", location), ("Content-Length", "0")])
        return True


@dataclass(eq=False)
class PaginationTrap(Fault):
    """An endless listing for a registered source, generated on the fly.

    Page N (the source's own URL shapes, see :func:`site_shape`) links pages N+1 ..
    N+``ahead`` and ``per_page`` articles; those articles (ids from ``first_id``, far
    above any real one) are plausible Urdu pages that pass extraction. The trap claims
    its listing pages and its articles, so ``srv.add(None, PaginationTrap("kp_police"))``
    is enough; other paths of the host are declined (robots.txt stays the mirror's).
    Pages past ``max_page`` are declined too.
    """

    source_key: str = "kp_police"
    per_page: int = 3
    ahead: int = 20
    first_id: int = 10_000_000
    max_page: int = 1_000_000

    @property
    def shape(self) -> SiteShape:
        return site_shape(self.source_key)

    def _page(self, url: str) -> int | None:
        n = self.shape.page_of(url)
        return n if n is not None and 1 <= n <= self.max_page else None

    def _article_id(self, url: str) -> int | None:
        found = re.search(r"\d{7,}", url)
        if found is None or int(found.group()) < self.first_id:
            return None
        ident = int(found.group())
        return ident if self._article(ident).url == url else None

    def _article(self, ident: int) -> SiteArticle:
        k = ident - self.first_id
        published = date(2024, 6, 30) - timedelta(days=k % 6000)
        return generate_article(self.shape, ident, published, page=k // self.per_page + 1)

    def claims(self, path: str) -> bool:
        if not path.startswith(f"/{self.shape.host}/"):
            return False
        url = "https://" + path[1:]
        return self._page(url) is not None or self._article_id(url) is not None

    def respond(self, ex: Exchange) -> bool:
        url = ex.real_url
        n = self._page(url)
        if n is not None:
            start = self.first_id + (n - 1) * self.per_page
            articles = [self._article(i) for i in range(start, start + self.per_page)]
            links = range(n + 1, n + 1 + self.ahead)
            data = listing_html(self.shape, n, articles, [n - 1, *links])
        else:
            ident = self._article_id(url)
            if ident is None:
                return False
            data = article_html(self.shape, self._article(ident))
        ex.head(200, [("Content-Type", "text/html; charset=utf-8"), _length(data)])
        ex.body(data)
        return True


@dataclass(eq=False)
class SitemapIndexTrap(Fault):
    """A sitemap index at ``?n=k`` listing ``?n=k*fanout+1`` .. ``k*fanout+fanout`` on
    the same path, forever (no ``n``: k = 0). The URLs it hands out are claimed."""

    fanout: int = 1
    param: str = "n"
    _bases: set[str] = field(default_factory=set, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _split(self, path: str) -> tuple[str, int | None]:
        parts = urlsplit(path)
        rest, n = [], None
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if key == self.param and value.isdigit():
                n = int(value)
            else:
                rest.append((key, value))
        return parts.path + (f"?{urlencode(rest)}" if rest else ""), n

    def claims(self, path: str) -> bool:
        base, n = self._split(path)
        with self._lock:
            return n is not None and base in self._bases

    def respond(self, ex: Exchange) -> bool:
        base, n = self._split(ex.path)
        with self._lock:
            self._bases.add(base)
        real = "https://" + base.lstrip("/")
        sep = "&" if "?" in real else "?"
        k = n or 0
        entries = "".join(
            f"<sitemap><loc>{html.escape(f'{real}{sep}{self.param}={c}')}</loc></sitemap>\n"
            for c in range(k * self.fanout + 1, k * self.fanout + self.fanout + 1)
        )
        data = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n"
        ).encode()
        ex.head(200, [("Content-Type", "application/xml"), _length(data)])
        ex.body(data)
        return True


Flavor = Literal["auto", "sitemap", "feed"]


def _flavor(flavor: Flavor, ex: Exchange) -> Literal["sitemap", "feed"]:
    if flavor != "auto":
        return flavor
    return "feed" if re.search(r"feed|rss", ex.rel, re.IGNORECASE) else "sitemap"


def _sample_xml(flavor: Literal["sitemap", "feed"], host: str) -> bytes:
    """A small valid sitemap or RSS feed, for XML faults on paths the mirror lacks."""
    urls = [f"https://{host}/sample/{i}/" for i in (1, 2, 3)]
    if flavor == "feed":
        items = "".join(
            f"<item><title>خبر {i}</title><link>{u}</link>"
            f"<pubDate>Tue, 12 Mar 2024 0{i}:00:00 +0500</pubDate></item>\n"
            for i, u in enumerate(urls, 1)
        )
        doc = f'<rss version="2.0"><channel><title>{host}</title>\n{items}</channel></rss>\n'
    else:
        entries = "".join(f"<url><loc>{u}</loc><lastmod>2024-03-12</lastmod></url>\n" for u in urls)
        doc = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + doc).encode()


def _send_xml(ex: Exchange, data: bytes, flavor: Literal["sitemap", "feed"]) -> None:
    ctype = "application/rss+xml; charset=utf-8" if flavor == "feed" else "application/xml"
    ex.head(200, [("Content-Type", ctype), _length(data)])
    ex.body(data)


@dataclass(eq=False)
class MalformedXml(Fault):
    """A feed or sitemap that is not well-formed: the real file (or a sample sitemap /
    feed, by ``flavor``, when the path has none) either ``"cut"`` inside a tag past its
    middle, or with ``"tags"`` mismatched (its first closing tag renamed, an unclosed
    element opened)."""

    mode: Literal["cut", "tags"] = "cut"
    flavor: Flavor = "auto"

    def respond(self, ex: Exchange) -> bool:
        flavor = _flavor(self.flavor, ex)
        found = ex.content()
        data = found.data if found is not None else _sample_xml(flavor, ex.host)
        if self.mode == "cut":
            at = data.find(b"<", len(data) // 2)
            data = data[: (at if at >= 0 else len(data) // 2) + 3]
        else:
            data = re.sub(rb"</([A-Za-z][\w:.-]*)>", rb"</\1-broken><unclosed>", data, count=1)
        _send_xml(ex, data, flavor)
        return True


@dataclass(eq=False)
class EntityBomb(Fault):
    """Billion laughs: a sitemap or feed whose DTD nests ``levels`` entities of
    ``fanout`` references each, so one reference expands to 3 * fanout**levels
    characters (3 GB by default). Well-formed; harmless unless entities are expanded."""

    levels: int = 9
    fanout: int = 10
    flavor: Flavor = "auto"

    @property
    def expanded_chars(self) -> int:
        return 3 * self.fanout**self.levels

    def document(self, flavor: Literal["sitemap", "feed"], host: str) -> bytes:
        root = "rss" if flavor == "feed" else "urlset"
        ents = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * self.fanout}">' for i in range(1, self.levels + 1)
        ]
        top = f"&lol{self.levels};"
        if flavor == "feed":
            body = (
                f'<rss version="2.0"><channel><title>{top}</title>'
                f"<item><title>{top}</title><link>https://{host}/x/</link></item></channel></rss>"
            )
        else:
            body = (
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>https://{host}/{top}</loc></url></urlset>"
            )
        dtd = "\n  ".join(ents)
        return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n  {dtd}\n]>\n{body}\n'.encode()

    def respond(self, ex: Exchange) -> bool:
        flavor = _flavor(self.flavor, ex)
        _send_xml(ex, self.document(flavor, ex.host), flavor)
        return True


@dataclass(eq=False)
class Xxe(Fault):
    """A sitemap or feed with an external entity naming ``path`` (a local file, or any
    URL given with its scheme) used in its ``<loc>`` / ``<link>``: a parser that
    resolves external entities would put the file's content into a URL."""

    path: str = "/etc/hostname"
    flavor: Flavor = "auto"

    def document(self, flavor: Literal["sitemap", "feed"], host: str) -> bytes:
        system = self.path if "://" in self.path else Path(self.path).as_uri()
        root = "rss" if flavor == "feed" else "urlset"
        if flavor == "feed":
            body = (
                '<rss version="2.0"><channel><title>feed</title><item><title>&xxe;</title>'
                f"<link>https://{host}/&xxe;</link></item></channel></rss>"
            )
        else:
            body = (
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>https://{host}/&xxe;</loc></url></urlset>"
            )
        return (
            f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n'
            f'  <!ENTITY xxe SYSTEM "{html.escape(system)}">\n]>\n{body}\n'
        ).encode()

    def respond(self, ex: Exchange) -> bool:
        flavor = _flavor(self.flavor, ex)
        _send_xml(ex, self.document(flavor, ex.host), flavor)
        return True


@dataclass(eq=False)
class RobotsFault(Fault):
    """For ``/<host>/robots.txt`` only (other matched paths are declined): answer
    ``status`` with ``body`` as text/plain -- e.g. 500, 503, or 200 with
    ``b"User-agent: *\\nDisallow: /\\n"``. Logged as the status."""

    status: int = 500
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> Label:
        return self.status

    def respond(self, ex: Exchange) -> bool:
        if ex.rel != "/robots.txt":
            return False
        return Status(self.status, self.body, self.headers).respond(ex)


# --- bytes that are not pages -----------------------------------------------------------


def png_bytes() -> bytes:
    """A valid 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte, one red pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def parquet_bytes() -> bytes:
    """A small real Parquet file (``PAR1`` ... ``PAR1``) holding Urdu strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    table = pa.table({"url": ["https://kppolice.gov.pk/x"], "title": ["خبر"]})
    pq.write_table(table, buf)
    return buf.getvalue()


def garbage(n: int, seed: int = 0) -> bytes:
    """``n`` random bytes, the same for the same seed."""
    return random.Random(seed).randbytes(n)


# --- generated sites --------------------------------------------------------------------

# Per source: (path of listing page n >= 2, article path, listing heading). Fields:
# {n} page, {id} article id, {y} {m} {d} publication date, {slug}. The shapes are
# those of the bundled mirror; tests check them against the source's own patterns.
_SHAPES: dict[str, tuple[str, str, str]] = {
    "kp_police": (
        "/press_releases.php?page={n}",
        "/press_release_detail.php?id={id}",
        "Press Releases",
    ),
    "nhsrc": ("/PressReleases.aspx?page={n}", "/PressReleaseDetail.aspx?id={id}", "Press Releases"),
    "daily_mumtaz": ("/category/pakistan/page/{n}/", "/{y}/{m}/{d}/{slug}/", "پاکستان"),
    "hamariweb": ("/news/page/{n}/", "/news/{id}/{slug}/", "تازہ ترین خبریں"),
}


@dataclass(frozen=True)
class SiteShape:
    """The URL shapes of one registered source's listing and articles."""

    source: Source
    page_path: str
    article_path: str
    heading: str

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def listing(self) -> str:
        return self.source.listings[0]

    @property
    def host(self) -> str:
        return (urlsplit(self.listing).hostname or "").lower()

    def page_url(self, n: int) -> str:
        """Listing page ``n`` (page 1 is the source's declared listing URL)."""
        return self.listing if n == 1 else f"https://{self.host}{self.page_path.format(n=n)}"

    def page_of(self, url: str) -> int | None:
        if url == self.listing:
            return 1
        pattern = re.escape(f"https://{self.host}{self.page_path}").replace(r"\{n\}", r"(\d+)")
        found = re.fullmatch(pattern, url)
        return int(found.group(1)) if found else None

    def article_url(self, ident: int, published: date, slug: str) -> str:
        path = self.article_path.format(
            id=ident,
            y=f"{published.year:04d}",
            m=f"{published.month:02d}",
            d=f"{published.day:02d}",
            slug=slug,
        )
        return f"https://{self.host}{path}"


def site_shape(source_key: str) -> SiteShape:
    """The :class:`SiteShape` of a registered source (KeyError for others)."""
    page, article, heading = _SHAPES[source_key]
    return SiteShape(get_source(source_key), page, article, heading)


@dataclass(frozen=True)
class SiteArticle:
    url: str
    id: int
    # The listing page it appears on (1 = the first page).
    page: int
    title: str
    published: date
    place: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class SiteManifest:
    """What :func:`make_site` wrote: ``root`` to serve, listing ``pages`` (URLs, page 1
    first), ``articles`` (newest first) and the URLs in its feeds and sitemaps."""

    root: Path
    day: int
    source_key: str
    host: str
    pages: tuple[str, ...]
    articles: tuple[SiteArticle, ...]
    in_feeds: tuple[str, ...]

    def on_page(self, n: int) -> list[SiteArticle]:
        return [a for a in self.articles if a.page == n]


# fmt: off
_MONTHS = (
    "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون",
    "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
)
_PLACES = (
    "پشاور", "مردان", "سوات", "ایبٹ آباد", "کوہاٹ", "بنوں", "نوشہرہ", "چارسدہ",
    "صوابی", "ہری پور", "مانسہرہ", "لاہور", "کراچی", "کوئٹہ", "اسلام آباد", "راولپنڈی",
    "ملتان", "فیصل آباد", "حیدرآباد", "گلگت", "مظفرآباد", "سکھر", "بہاولپور",
)
# fmt: on
_OFFICIALS = (
    "ڈسٹرکٹ پولیس آفیسر",
    "ڈپٹی کمشنر",
    "ریجنل پولیس آفیسر",
    "صوبائی وزیر صحت",
    "کمشنر",
    "ضلعی ہیلتھ آفیسر",
    "ایڈیشنل انسپکٹر جنرل پولیس",
    "وفاقی وزیر برائے قومی صحت",
)


@dataclass(frozen=True)
class _Topic:
    slug: str
    headline: str
    lead: str
    sentences: tuple[str, ...]


# Slots: {place} {official} {n1} {n2} {n3}. Each topic has its own vocabulary, so
# that articles on different topics share few word shingles.
_TOPICS = (
    _Topic(
        "drug-peddlers-arrested",
        "{place} پولیس کی منشیات فروشوں کے خلاف کارروائی، {n1} ملزمان گرفتار",
        "{official} کی ہدایت پر پولیس نے مختلف علاقوں میں چھاپے مار کر {n1} منشیات فروشوں کو "
        "گرفتار کر لیا اور ان کے قبضے سے {n2} کلو گرام چرس برآمد کر لی۔",
        (
            "پولیس ترجمان کے مطابق ملزمان طویل عرصے سے "
            "تعلیمی اداروں کے قریب منشیات فروخت کر رہے تھے۔",
            "گرفتار ملزمان کے خلاف انسداد منشیات ایکٹ کے "
            "تحت مقدمات درج کر کے تفتیش شروع کر دی گئی ہے۔",
            "کارروائی کے دوران {n3} گرام آئس اور ایک موٹر سائیکل بھی قبضے میں لے لی گئی۔",
            "{official} نے کہا کہ منشیات کے خاتمے تک یہ مہم بلا تعطل جاری رہے گی۔",
        ),
    ),
    _Topic(
        "polio-campaign-begins",
        "{place} میں انسداد پولیو مہم کا آغاز، {n1} ہزار بچوں کو قطرے پلانے کا ہدف",
        "ضلع {place} میں پانچ روزہ انسداد پولیو مہم شروع ہو گئی ہے جس کے دوران پانچ سال سے کم "
        "عمر کے {n1} ہزار بچوں کو پولیو سے بچاؤ کے قطرے پلائے جائیں گے۔",
        (
            "مہم کے لیے {n2} موبائل ٹیمیں اور {n3} مستقل مراکز قائم کیے گئے ہیں۔",
            "{official} نے والدین سے اپیل کی کہ وہ ٹیموں سے بھرپور تعاون کریں اور اپنے بچوں کو ہر "
            "مہم میں قطرے ضرور پلوائیں۔",
            "ٹیموں کی حفاظت کے لیے پولیس کی اضافی نفری تعینات کی گئی ہے۔",
            "محکمہ صحت کے مطابق گزشتہ مہم میں ہدف کا اٹھانوے فیصد حاصل کیا گیا تھا۔",
        ),
    ),
    _Topic(
        "traffic-campaign-launched",
        "{place} ٹریفک پولیس کی کم عمر ڈرائیوروں کے خلاف مہم، {n1} گاڑیاں بند",
        "ٹریفک پولیس {place} نے کم عمر ڈرائیوروں، کالے شیشوں اور ون ویلنگ کے خلاف خصوصی مہم کے "
        "دوران {n1} گاڑیاں تھانوں میں بند کر دیں اور {n2} چالان کیے۔",
        (
            "چیف ٹریفک آفیسر کے مطابق مہم کا مقصد شہریوں کی جان و مال کا تحفظ ہے۔",
            "والدین کو ہدایت کی گئی ہے کہ وہ کم عمر بچوں کو گاڑی چلانے کی اجازت نہ دیں۔",
            "خلاف ورزی کرنے والوں سے مجموعی طور پر {n3} ہزار روپے جرمانہ وصول کیا گیا۔",
            "{official} نے کہا کہ قانون کی پاسداری سب پر یکساں لازم ہے۔",
        ),
    ),
    _Topic(
        "open-court-held",
        "{official} کی {place} میں کھلی کچہری، {n1} شکایات موقع پر نمٹا دی گئیں",
        "{official} نے {place} میں کھلی کچہری منعقد کی "
        "جس میں شہریوں نے {n1} سے زائد شکایات پیش کیں۔",
        (
            "زیادہ تر شکایات زمین کے تنازعات، ٹریفک اور مقدمات کی تفتیش سے متعلق تھیں۔",
            "متعلقہ افسران کو ہدایت کی گئی کہ باقی {n2} شکایات کا ازالہ ایک ہفتے کے اندر کیا جائے۔",
            "شہریوں نے کھلی کچہری کے انعقاد کو سراہا اور اسے ہر ماہ منعقد کرنے کا مطالبہ کیا۔",
            "اس موقع پر ضلعی انتظامیہ کے {n3} افسران اور معززین علاقہ بھی موجود تھے۔",
        ),
    ),
    _Topic(
        "dengue-cases-rise",
        "{place} میں ڈینگی کے {n1} نئے کیسز رپورٹ، ہسپتالوں میں خصوصی وارڈ قائم",
        "محکمہ صحت کے مطابق گزشتہ چوبیس گھنٹوں کے دوران {place} میں ڈینگی کے {n1} نئے کیسز سامنے "
        "آئے ہیں جس کے بعد رواں سال متاثرین کی تعداد {n2} ہو گئی ہے۔",
        (
            "سرکاری ہسپتالوں میں ڈینگی کے مریضوں کے لیے "
            "{n3} بستروں پر مشتمل خصوصی وارڈ قائم کر دیے "
            "گئے ہیں۔",
            "{official} نے شہریوں کو ہدایت کی کہ گھروں میں پانی جمع نہ ہونے دیں۔",
            "انسداد ڈینگی ٹیموں نے مختلف علاقوں میں سپرے اور لاروا تلفی کا کام تیز کر دیا ہے۔",
            "ماہرین کے مطابق بخار، جسم درد اور کمزوری کی "
            "صورت میں فوری طور پر ڈاکٹر سے رجوع کیا جائے۔",
        ),
    ),
    _Topic(
        "heavy-rain-alert",
        "{place} میں موسلا دھار بارش، نشیبی علاقے زیر آب، {n1} ملی میٹر بارش ریکارڈ",
        "{place} اور گرد و نواح میں موسلا دھار بارش کے باعث نشیبی علاقے زیر آب آ گئے جبکہ "
        "محکمہ موسمیات نے {n1} ملی میٹر بارش ریکارڈ کی۔",
        (
            "ریسکیو اہلکاروں نے پانی میں پھنسے {n2} افراد کو محفوظ مقامات پر منتقل کیا۔",
            "بارش کے باعث کئی شاہراہوں پر ٹریفک کی روانی متاثر رہی۔",
            "قدرتی آفات سے نمٹنے کے ادارے نے آئندہ {n3} "
            "گھنٹوں کے دوران مزید بارش کی پیش گوئی کی ہے۔",
            "{official} نے متعلقہ اداروں کو ہائی الرٹ رہنے کی ہدایت کر دی۔",
        ),
    ),
    _Topic(
        "tree-plantation-drive",
        "{place} میں شجرکاری مہم، ایک دن میں {n1} ہزار پودے لگانے کا ہدف",
        "{official} نے {place} میں شجرکاری مہم کا افتتاح کیا جس کے دوران ضلع بھر میں {n1} ہزار "
        "پودے لگائے جائیں گے۔",
        (
            "مہم میں سرکاری محکموں، تعلیمی اداروں اور سماجی تنظیموں کے {n2} رضاکار حصہ لے رہے ہیں۔",
            "محکمہ جنگلات کے مطابق پودوں کی دیکھ بھال کے لیے {n3} مالی تعینات کیے گئے ہیں۔",
            "{official} نے کہا کہ موسمیاتی تبدیلی کا مقابلہ کرنے کے لیے درخت لگانا ناگزیر ہے۔",
            "شہریوں سے اپیل کی گئی کہ وہ اپنے گھروں اور گلیوں میں کم از کم ایک پودا ضرور لگائیں۔",
        ),
    ),
    _Topic(
        "illegal-weapons-recovered",
        "{place} پولیس کا سرچ آپریشن، {n1} مشتبہ افراد زیر حراست، اسلحہ برآمد",
        "{place} پولیس نے مختلف علاقوں میں سرچ اینڈ سٹرائیک آپریشن کے دوران {n1} مشتبہ افراد کو "
        "حراست میں لے کر {n2} غیر قانونی ہتھیار برآمد کر لیے۔",
        (
            "آپریشن میں ایلیٹ فورس اور لیڈی پولیس اہلکاروں نے بھی حصہ لیا۔",
            "برآمد شدہ اسلحے میں کلاشنکوف، پستول اور {n3} کارتوس شامل ہیں۔",
            "زیر حراست افراد سے تفتیش جاری ہے اور ان کا مجرمانہ ریکارڈ چیک کیا جا رہا ہے۔",
            "{official} نے کہا کہ امن و امان خراب کرنے والوں کے ساتھ کوئی رعایت نہیں برتی جائے گی۔",
        ),
    ),
    _Topic(
        "new-hospital-block",
        "{place} کے سرکاری ہسپتال میں {n1} بستروں پر مشتمل نئے بلاک کا افتتاح",
        "{official} نے {place} کے ضلعی ہیڈ کوارٹر ہسپتال میں {n1} بستروں پر مشتمل نئے بلاک کا "
        "افتتاح کر دیا۔",
        (
            "نئے بلاک میں ایمرجنسی، زچہ و بچہ اور ڈائیلاسز کی جدید سہولیات فراہم کی گئی ہیں۔",
            "منصوبے پر مجموعی طور پر {n2} کروڑ روپے لاگت آئی ہے۔",
            "ہسپتال انتظامیہ کے مطابق روزانہ {n3} سے زائد مریض او پی ڈی میں آتے ہیں۔",
            "{official} نے کہا کہ عوام کو ان کی دہلیز پر "
            "علاج کی سہولت فراہم کرنا حکومت کی ترجیح ہے۔",
        ),
    ),
    _Topic(
        "exam-results-announced",
        "{place} تعلیمی بورڈ نے میٹرک کے نتائج کا اعلان کر دیا، {n1} فیصد طلبہ کامیاب",
        "تعلیمی بورڈ {place} نے میٹرک کے سالانہ امتحانات کے نتائج کا اعلان کر دیا ہے جس کے مطابق "
        "{n1} فیصد طلبہ کامیاب قرار پائے۔",
        (
            "امتحانات میں مجموعی طور پر {n2} ہزار امیدواروں نے حصہ لیا تھا۔",
            "پہلی تین پوزیشنیں سرکاری سکولوں کے طلبہ نے حاصل کیں۔",
            "کامیاب طلبہ میں {n3} ہزار طالبات بھی شامل ہیں۔",
            "{official} نے پوزیشن ہولڈر طلبہ کے لیے نقد انعامات کا اعلان کیا۔",
        ),
    ),
)
_CLOSING = (
    "ترجمان نے بتایا کہ شہریوں کی سہولت کے لیے ہیلپ لائن چوبیس گھنٹے فعال رہے گی۔",
    "اس سلسلے میں ایک اعلیٰ سطحی اجلاس بھی منعقد ہوا جس میں آئندہ کے لائحہ عمل پر غور کیا گیا۔",
    "متعلقہ حکام کو ہدایت کی گئی کہ پیش رفت کی رپورٹ روزانہ کی بنیاد پر ارسال کی جائے۔",
    "عوامی حلقوں نے اس اقدام کا خیرمقدم کیا ہے۔",
    "شکایات کے اندراج کے لیے خصوصی ڈیسک بھی قائم کر دیا گیا ہے۔",
    "حکام کے مطابق غفلت برتنے والے اہلکاروں کے خلاف محکمانہ کارروائی کی جائے گی۔",
)


def urdu_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def generate_article(
    shape: SiteShape, ident: int, published: date, page: int, *, seed: int = 0
) -> SiteArticle:
    """A plausible Urdu release, the same for the same (source, id, date, seed): a
    headline, a dateline ("پشاور، 12 مارچ، 2024: ...") and four paragraphs, with
    numbers and a release number of its own so that no two are one story."""
    rng = random.Random(f"{shape.key}/{ident}/{published.isoformat()}/{seed}")
    # Topics rotate with the id, so that ten consecutive releases share no template;
    # further apart, their own numbers and places keep them separate stories.
    topic = _TOPICS[(ident + seed) % len(_TOPICS)]
    slots = {
        "place": rng.choice(_PLACES),
        "official": rng.choice(_OFFICIALS),
        "n1": str(rng.randint(3, 95)),
        "n2": str(rng.randint(100, 950)),
        "n3": str(rng.randint(1000, 9500)),
    }
    sentences = [s.format(**slots) for s in topic.sentences]
    rng.shuffle(sentences)
    closing = rng.sample(_CLOSING, 2)
    dateline = f"{slots['place']}، {published.day} {_MONTHS[published.month - 1]}، {published.year}"
    paragraphs = (
        f"{dateline}: {topic.lead.format(**slots)}",
        " ".join(sentences[:2]),
        " ".join(sentences[2:]),
        f"{closing[0]} {closing[1]} یہ اطلاع پریس ریلیز نمبر {ident} کے تحت جاری کی گئی۔",
    )
    return SiteArticle(
        url=shape.article_url(ident, published, f"{topic.slug}-{ident}"),
        id=ident,
        page=page,
        title=topic.headline.format(**slots),
        published=published,
        place=slots["place"],
        paragraphs=paragraphs,
    )


def _chrome(shape: SiteShape) -> tuple[str, str]:
    """The site's header and footer, the same on every generated page."""
    name = html.escape(shape.source.name)
    base = f"https://{shape.host}/"
    header = (
        f'<div id="header" class="site-header"><a class="site-brand" href="{base}">{name}</a>\n'
        f'<ul class="menu"><li><a href="{base}">ہوم</a></li>'
        f'<li><a href="{shape.listing}">{html.escape(shape.heading)}</a></li>'
        f'<li><a href="{base}contact/">رابطہ</a></li></ul></div>\n'
    )
    footer = f'<div id="footer" class="site-footer">© {name}. جملہ حقوق محفوظ ہیں۔</div>\n'
    return header, footer


def article_html(shape: SiteShape, art: SiteArticle) -> bytes:
    header, footer = _chrome(shape)
    title = html.escape(art.title)
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in art.paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="ur" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title} | {html.escape(shape.source.name)}</title>\n"
        f'<link rel="canonical" href="{html.escape(art.url)}">\n</head>\n<body>\n{header}'
        f'<div id="content"><article class="post">\n<h1 class="entry-title">{title}</h1>\n'
        f'<div class="entry-meta"><span class="posted-on">تاریخ اشاعت: '
        f"{urdu_date(art.published)}</span></div>\n"
        f'<div class="entry-content">\n{paras}\n</div>\n</article></div>\n{footer}'
        "</body>\n</html>\n"
    ).encode()


def listing_html(
    shape: SiteShape, n: int, articles: Iterable[SiteArticle], links: Iterable[int]
) -> bytes:
    """Listing page ``n`` with ``articles`` and pagination links to pages ``links``."""
    header, footer = _chrome(shape)
    items = "".join(
        f'<div class="news-item"><h2 class="news-item-title"><a href="{html.escape(a.url)}">'
        f"{html.escape(a.title)}</a></h2>\n"
        f'<p class="excerpt">{html.escape(a.paragraphs[0][:120])}&hellip;</p>\n'
        f'<span class="date">{urdu_date(a.published)}</span></div>\n'
        for a in articles
    )
    nav = " ".join(
        f'<a class="page-numbers" href="{html.escape(shape.page_url(k))}">{k}</a>'
        for k in links
        if k >= 1
    )
    heading = html.escape(shape.heading)
    return (
        '<!DOCTYPE html>\n<html lang="ur" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{heading} - صفحہ {n} | {html.escape(shape.source.name)}</title>\n</head>\n"
        f'<body>\n{header}<div id="content">\n<h1 class="page-title">{heading}</h1>\n{items}'
        f'<nav class="pagination"><span class="current">{n}</span> {nav}</nav>\n</div>\n'
        f"{footer}</body>\n</html>\n"
    ).encode()


def mirror_file(root: Path, day: int, url: str) -> Path:
    """Where ``url`` lives in a mirror (the inverse of :func:`pressbot.mirror.file_for`)."""
    parts = urlsplit(url)
    rel = unquote(parts.path or "/").lstrip("/")
    if rel.endswith("/") or not rel:
        rel += "index.html"
    if parts.query:
        rel += "@" + unquote(parts.query)
    return root / f"day{day}" / (parts.hostname or "").lower() / rel


def _write(root: Path, day: int, url: str, data: bytes) -> None:
    path = mirror_file(root, day, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _rss(shape: SiteShape, arts: list[SiteArticle]) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{html.escape(a.url)}</link>"
        "<pubDate>"
        + email.utils.format_datetime(
            datetime.combine(a.published, datetime.min.time(), UTC), usegmt=True
        )
        + "</pubDate></item>\n"
        for a in arts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{html.escape(shape.source.name)}</title><link>https://{shape.host}/</link>\n"
        f"{items}</channel></rss>\n"
    ).encode()


def _urlset(arts: list[SiteArticle]) -> bytes:
    entries = "".join(
        f"<url><loc>{html.escape(a.url)}</loc><lastmod>{a.published.isoformat()}</lastmod></url>\n"
        for a in arts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    ).encode()


def make_site(
    root: Path,
    source_key: str = "kp_police",
    articles: int = 8,
    per_page: int = 3,
    *,
    day: int = 1,
    in_feeds: int = 0,
    newest: date = date(2024, 3, 20),
    first_id: int = 5001,
    seed: int = 0,
) -> SiteManifest:
    """Write a generated site for ``source_key`` under ``root/day<day>/<host>/``.

    ``articles`` releases, newest first, one a day back from ``newest``, with ids
    counting up from ``first_id``; the listing shows ``per_page`` of them a page (page
    1 at the source's listing URL, the others at its pagination URLs, each linking its
    neighbours and the first and last page), so later articles appear *only* on page
    2 and beyond. robots.txt allows everything. The source's feeds and sitemaps exist
    and list the ``in_feeds`` newest articles (0: none, the listing is the only way
    in). Call it once per source to put several sites in one root.
    """
    if articles < 1 or per_page < 1:
        raise ValueError("make_site: at least one article and one per page")
    shape = site_shape(source_key)
    made: list[SiteArticle] = []
    titles: set[str] = set()
    for i in range(articles):
        ident, published, page = first_id + i, newest - timedelta(days=i), i // per_page + 1
        art = generate_article(shape, ident, published, page, seed=seed)
        # The generator can draw the same headline twice; listings need them distinct.
        extra = 0
        while art.title in titles and extra < 100:
            extra += 1
            art = generate_article(shape, ident, published, page, seed=seed + 1000 * extra)
        titles.add(art.title)
        made.append(art)
        _write(root, day, art.url, article_html(shape, art))
    last = made[-1].page
    pages = tuple(shape.page_url(n) for n in range(1, last + 1))
    for n in range(1, last + 1):
        links = sorted({1, n - 1, n + 1, last} - {n, 0, last + 1})
        arts = [a for a in made if a.page == n]
        _write(root, day, shape.page_url(n), listing_html(shape, n, arts, links))

    fed = made[:in_feeds]
    sitemap_lines = ""
    for url in shape.source.sitemaps:
        sitemap_lines += f"Sitemap: {url}\n"
        if "index" in urlsplit(url).path:
            posts = f"https://{shape.host}/post-sitemap.xml"
            index = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"<sitemap><loc>{posts}</loc></sitemap>\n</sitemapindex>\n"
            )
            _write(root, day, url, index.encode())
            _write(root, day, posts, _urlset(fed))
        else:
            _write(root, day, url, _urlset(fed))
    for url in shape.source.feeds:
        _write(root, day, url, _rss(shape, fed))
    robots = f"User-agent: *\nDisallow:\n\n{sitemap_lines}"
    _write(root, day, f"https://{shape.host}/robots.txt", robots.encode())
    return SiteManifest(
        root=root,
        day=day,
        source_key=source_key,
        host=shape.host,
        pages=pages,
        articles=tuple(made),
        in_feeds=tuple(a.url for a in fed),
    )
