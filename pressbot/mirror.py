"""The offline mirror: a loopback HTTP server for saved sites, and the Scrapy
add-on that sends every request to it.

Layout (see docs/mirror-spec.md): ``<root>/day<N>/<host><path>``; a path ending
in ``/`` maps to ``index.html``; a query string is appended to the file name
after ``@``. Day N serves ``dayN`` files first and falls back to earlier days,
so later days are overlays holding only what changed.

Spiders keep the sites' real URLs. With ``PRESSBOT_MIRROR`` set, the download
handler rewrites ``https://host/path?q`` to ``<mirror>/host/path?q`` for the
fetch and puts the real URL back on the response, so records, dedup keys and
robots.txt handling are exactly those of a live crawl -- and nothing ever
leaves the machine.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import sys
import threading
import time
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

# Package data: an installed pressbot serves it as a checkout does (`crawl --mirror`).
DEFAULT_ROOT = Path(__file__).resolve().parent / "data" / "mirror"

_CONTENT_TYPES = {
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


def to_mirror_url(base: str, url: str) -> str:
    """``https://host/p?q`` -> ``<base>/host/p?q``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{base.rstrip('/')}/{(parts.hostname or '').lower()}{path}{query}"


@lru_cache(maxsize=1024)
def _site_folder(root: str, day: int, host: str) -> str:
    # Resolved once per site and day (``root`` absolute). Resolving it and the file
    # through pathlib for every request took a third of the server's CPU (0.53 ms
    # a request, 0.35 ms now).
    return os.path.realpath(os.path.join(root, f"day{day}", host))


def file_for(root: Path, day: int, host: str, path: str, query: str) -> Path | None:
    """The file serving ``host/path?query`` on ``day``, or None."""
    if host in ("", ".", ".."):
        return None  # no site: "/../day2/..." would read another day's folder
    rel = unquote(path or "/").lstrip("/")
    if rel.endswith("/") or not rel:
        rel += "index.html"
    if query:
        rel += "@" + unquote(query)
    absolute = os.path.abspath(root)
    for d in range(day, 0, -1):
        try:
            base = _site_folder(absolute, d, host)
            candidate = os.path.realpath(os.path.join(base, rel))
        except ValueError:  # a NUL byte ("%00"): no file has one in its name
            return None
        # Refuse paths that climb out of the site folder (by "..", or by a link).
        if not candidate.startswith(base + os.sep):
            return None
        if os.path.isfile(candidate):
            return Path(candidate)
    return None


class _Handler(BaseHTTPRequestHandler):
    server: MirrorHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: with Nagle's algorithm the body's last
    # segment waited for the client's delayed ACK (http.client on one connection:
    # 11.4 ms a request, 0.34 ms without it).
    disable_nagle_algorithm = True

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _serve(self, send_body: bool) -> None:
        if self.server.delay:
            time.sleep(self.server.delay)
        parts = urlsplit(self.path)
        host, _, rest = parts.path.lstrip("/").partition("/")
        found = file_for(self.server.root, self.server.day, host.lower(), "/" + rest, parts.query)
        if found is None:
            self.server.hits.append((self.path, 404))
            body = b"not in mirror\n"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        data = found.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.server.hits.append((self.path, 304))
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype = _CONTENT_TYPES.get(found.suffix, "text/html; charset=utf-8")
        self.server.hits.append((self.path, 200))
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address; any other name counts as not loopback."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class MirrorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Connections waiting for accept(). Scrapy's pool opens them in bursts (at the
    # polite two per site it replaces one for most requests); with socketserver's
    # five the kernel dropped the SYNs beyond it, and each cost a one-second retry.
    request_queue_size = 128

    def __init__(
        self, root: Path, day: int, host: str, port: int, verbose: bool, delay: float = 0.0
    ) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.root = root
        self.day = day
        # Seconds to wait before each answer (a slow site, for tests of failures mid-crawl).
        self.delay = delay
        self.verbose = verbose
        # (path, status) of every request served, for tests and `serve-mirror --verbose`.
        self.hits: list[tuple[str, int]] = []
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A crawler that gave up on a slow answer (a timeout, a stopped run) closes
        # its connection: nothing to report.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class MirrorServer:
    """Serve the mirror from a background thread: ``with MirrorServer() as m: m.url``."""

    def __init__(
        self,
        root: Path = DEFAULT_ROOT,
        day: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        delay: float = 0.0,
        allow_non_loopback: bool = False,
    ) -> None:
        # Only on request (`serve-mirror --host`): anyone who can reach the address
        # could read the mirror.
        if not allow_non_loopback and not is_loopback(host):
            raise ValueError("the mirror only listens on loopback unless asked otherwise")
        if not (root / "day1").is_dir():
            raise FileNotFoundError(f"no mirror at {root} (expected {root / 'day1'})")
        self.httpd = MirrorHTTPServer(root, day, host.strip("[]"), port, verbose, delay)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        address, port = self.httpd.server_address[:2]
        host = str(address)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @property
    def day(self) -> int:
        return self.httpd.day

    @day.setter
    def day(self, value: int) -> None:
        self.httpd.day = value

    @property
    def hits(self) -> list[tuple[str, int]]:
        return self.httpd.hits

    def start(self) -> MirrorServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        # shutdown() waits for serve_forever to notice; never started, it would wait forever.
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# --- Scrapy side ------------------------------------------------------------------
try:
    from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
except ImportError:  # pragma: no cover - scrapy is a hard dependency
    HTTP11DownloadHandler = object  # type: ignore[assignment,misc]


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """Fetch every http(s) URL from the mirror server, keeping the real URL."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._base = crawler.settings.get("PRESSBOT_MIRROR").rstrip("/")

    async def download_request(self, request: Request) -> Response:
        mirrored = request.replace(url=to_mirror_url(self._base, request.url))
        response: Response = await super().download_request(mirrored)
        return response.replace(url=request.url, request=request)


class MirrorAddon:
    """Switches the crawl to the mirror when ``PRESSBOT_MIRROR`` is set.

    An add-on because it must see the final settings, including ``-s`` on the
    command line, and change others (handlers, delays) accordingly.
    """

    def update_settings(self, settings: Settings) -> None:
        if not settings.get("PRESSBOT_MIRROR"):
            return
        handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
        handlers["http"] = handlers["https"] = "pressbot.mirror.MirrorDownloadHandler"
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
        # A loopback server needs no politeness delay.
        for name, value in (
            ("DOWNLOAD_DELAY", 0),
            ("AUTOTHROTTLE_ENABLED", False),
            ("RETRY_TIMES", 0),
        ):
            settings.set(name, value, priority="spider")
