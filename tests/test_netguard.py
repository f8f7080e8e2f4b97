"""The address guard (pressbot/netguard.py): which addresses are refused, that the
middleware refuses them with a count and one log line, that the resolver refuses
to hand them out, and real crawls -- against the mirror and against loopback
servers -- in which nothing forbidden is ever requested."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import dnscache
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from twisted.internet.error import DNSLookupError

from pressbot import settings as project_settings
from pressbot.db.models import RecordRow
from pressbot.mirror import MirrorServer, _Handler
from pressbot.netguard import (
    STATS_KEY,
    Allowance,
    GuardedResolver,
    IPAddress,
    NetGuardMiddleware,
    Reason,
    connect_allowance,
    forbidden,
    ip_literal,
    system_addresses,
)
from tests.conftest import MIRROR_ROOT, pressbot, scrapy

GUARD = "pressbot.netguard.NetGuardMiddleware"
OFFSITE = "pressbot.politeness.OffsiteMiddleware"  # Scrapy's, reporting dropped redirects


# --- which addresses ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", Reason.LOOPBACK),
        ("127.255.0.9", Reason.LOOPBACK),
        ("::1", Reason.LOOPBACK),
        ("10.0.0.1", Reason.PRIVATE),
        ("172.16.4.4", Reason.PRIVATE),
        ("192.168.1.1", Reason.PRIVATE),
        ("fd00:ec2::254", Reason.PRIVATE),  # AWS's IPv6 metadata address
        ("169.254.169.254", Reason.LINK_LOCAL),
        ("fe80::1", Reason.LINK_LOCAL),
        ("fe80::1%eth0", Reason.LINK_LOCAL),
        ("224.0.0.251", Reason.MULTICAST),
        ("ff02::1", Reason.MULTICAST),
        ("0.0.0.0", Reason.UNSPECIFIED),
        ("::", Reason.UNSPECIFIED),
        ("100.100.100.200", Reason.RESERVED),  # CGNAT; Alibaba's metadata service
        ("192.0.2.1", Reason.RESERVED),
        ("240.0.0.1", Reason.RESERVED),
        ("255.255.255.255", Reason.RESERVED),
        ("2001:db8::1", Reason.RESERVED),
        ("::7f00:1", Reason.RESERVED),  # IPv4-compatible form, deprecated
        # IPv6 spellings of IPv4 addresses are judged by the IPv4 address.
        ("::ffff:127.0.0.1", Reason.LOOPBACK),
        ("::ffff:169.254.169.254", Reason.LINK_LOCAL),
        ("::ffff:10.0.0.1", Reason.PRIVATE),
        ("64:ff9b::a00:1", Reason.PRIVATE),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", Reason.LOOPBACK),  # 6to4 of 127.0.0.1
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
        ("64:ff9b::808:808", None),
    ],
)
def test_forbidden_address_classes(address: str, reason: Reason | None) -> None:
    assert forbidden(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("dailymumtaz.com", None),
        ("cafe.be", None),
        ("1.2.3.com", None),
        ("0x7f.example", None),
    ],
)
def test_ip_literal_spellings(host: str, address: str | None) -> None:
    parsed = ip_literal(host)
    assert (str(parsed) if parsed else None) == address


def test_allowance_parses_names_addresses_and_networks() -> None:
    allow = Allowance.parse(["intranet.example.", " 10.1.0.0/16", "[fd00::5]", "", "127.0.0.1"])
    assert allow.name("INTRANET.example") and not allow.name("example")
    assert allow.address(ipaddress.ip_address("10.1.200.3"))
    assert not allow.address(ipaddress.ip_address("10.2.0.1"))
    assert allow.address(ipaddress.ip_address("fd00::5"))
    assert allow.address(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert not Allowance.parse([])
    with pytest.raises(ValueError, match="PRESSBOT_ALLOW_HOSTS"):
        Allowance.parse(["*.example.org"])
    with pytest.raises(ValueError, match="PRESSBOT_ALLOW_HOSTS"):
        Allowance.parse(["http://10.0.0.1/"])


# --- the middleware --------------------------------------------------------------------
FAKE_DNS = {
    "localhost": ["127.0.0.1", "::1"],
    "public.example": ["93.184.216.34"],
    "metadata.example": ["169.254.169.254"],
    "office.example": ["192.168.10.20"],
    # A public answer and a private one: the connection could take either.
    "split.example": ["93.184.216.34", "10.9.9.9"],
    "v6only.example": ["fd12::1"],
}


class FakeDNS:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, host: str) -> list[IPAddress]:
        self.asked.append(host)
        return [ipaddress.ip_address(a) for a in FAKE_DNS.get(host, [])]


def _guard(dns: Any = None, **settings: Any) -> NetGuardMiddleware:
    crawler = get_crawler(settings_dict=settings)
    return NetGuardMiddleware(crawler, resolve=dns or FakeDNS())


def _process(guard: NetGuardMiddleware, url: str) -> str | None:
    """The refusal message for ``url``, or None if it may be fetched."""
    try:
        asyncio.run(guard.process_request(Request(url)))
    except IgnoreRequest as exc:
        return str(exc)
    return None


def _refused(guard: NetGuardMiddleware) -> dict[str, int]:
    stats = guard.crawler.stats
    assert stats is not None
    return {k: v for k, v in stats.get_stats().items() if k.startswith(STATS_KEY)}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:6379/", Reason.LOOPBACK),
        ("http://localhost:8080/admin", Reason.LOOPBACK),
        ("http://LOCALHOST./", Reason.LOOPBACK),
        ("http://[::1]/", Reason.LOOPBACK),
        ("http://[::ffff:127.0.0.1]:5432/", Reason.LOOPBACK),
        ("http://0x7f.1/", Reason.LOOPBACK),
        ("http://2130706433/", Reason.LOOPBACK),
        ("http://10.0.0.1/", Reason.PRIVATE),
        ("http://office.example/", Reason.PRIVATE),
        ("http://split.example/", Reason.PRIVATE),
        ("http://v6only.example/", Reason.PRIVATE),
        ("http://169.254.169.254/latest/meta-data/", Reason.LINK_LOCAL),
        ("http://metadata.example/latest/meta-data/", Reason.LINK_LOCAL),
        ("http://[fe80::1%25eth0]/", Reason.LINK_LOCAL),
        ("http://224.0.0.251/", Reason.MULTICAST),
        ("http://0.0.0.0:8000/", Reason.UNSPECIFIED),
        ("http://100.100.100.200/latest/meta-data/", Reason.RESERVED),
        ("file:///etc/passwd", Reason.SCHEME),
        ("ftp://ftp.example/", Reason.SCHEME),
    ],
)
def test_middleware_refuses(url: str, reason: Reason) -> None:
    guard = _guard()
    message = _process(guard, url)
    assert message is not None and "network guard" in message
    assert _refused(guard) == {STATS_KEY: 1, f"{STATS_KEY}/{reason}": 1}


@pytest.mark.parametrize(
    "url",
    [
        "https://kppolice.gov.pk/press_releases.php",  # does not resolve here
        "https://public.example/feed/",
        "http://93.184.216.34/",
        "https://[2606:4700:4700::1111]/",
    ],
)
def test_middleware_lets_public_and_unresolvable_hosts_through(url: str) -> None:
    guard = _guard()
    assert _process(guard, url) is None
    assert _refused(guard) == {}


def test_names_resolve_with_the_system_resolver() -> None:
    """No fake here: ``localhost`` is refused because the system says it is 127.0.0.1."""
    addresses = asyncio.run(system_addresses("localhost"))
    assert ipaddress.ip_address("127.0.0.1") in addresses
    assert asyncio.run(system_addresses("no-such-host.invalid")) == []
    guard = _guard(dns=system_addresses)
    assert "127.0.0.1, a loopback address" in (_process(guard, "http://localhost:1/") or "")


def test_allowed_hosts_pass() -> None:
    guard = _guard(PRESSBOT_ALLOW_HOSTS="localhost, 10.0.0.0/8, metadata.example")
    for url in (
        "http://localhost:8080/",
        "http://10.20.30.40/",
        "http://metadata.example/",
        "http://[::ffff:10.0.0.1]/",
    ):
        assert _process(guard, url) is None, url
    # Allowing a name does not allow its address under another name, nor the literal.
    assert _process(guard, "http://127.0.0.1:8080/") is not None
    assert _process(guard, "http://169.254.169.254/") is not None


def test_refusals_are_logged_once_per_host_and_names_resolved_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dns = FakeDNS()
    guard = _guard(dns=dns)
    with caplog.at_level(logging.WARNING, logger="pressbot.netguard"):
        for n in range(5):
            assert _process(guard, f"http://localhost:{8000 + n}/") is not None
        assert _process(guard, "http://10.0.0.1/a") is not None
        assert _process(guard, "http://10.0.0.1/b") is not None
    assert dns.asked == ["localhost"]
    assert _refused(guard) == {
        STATS_KEY: 7,
        f"{STATS_KEY}/loopback": 5,
        f"{STATS_KEY}/private": 2,
    }
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines
    assert "localhost resolves to 127.0.0.1" in lines[0] and "PRESSBOT_ALLOW_HOSTS" in lines[0]


def test_settings_put_the_guard_first() -> None:
    """Before Scrapy's offsite filter and robots.txt (a refused request must not make
    pressbot fetch the forbidden host's robots.txt); the resolver installed; the
    remote-control server off."""
    middlewares = project_settings.DOWNLOADER_MIDDLEWARES
    assert middlewares[GUARD] < 50
    assert project_settings.TWISTED_DNS_RESOLVER == "pressbot.netguard.GuardedResolver"
    assert project_settings.REMOTE_CONTROL_ENABLED is False
    assert project_settings.PRESSBOT_ALLOW_HOSTS == []


# --- the resolver ------------------------------------------------------------------------
def _resolver(**settings: Any) -> GuardedResolver:
    # The reactor is not used by the cached path exercised here.
    return GuardedResolver(object(), 100, 5.0, connect_allowance(Settings(settings)))  # type: ignore[arg-type]


def _answer(resolver: GuardedResolver, name: str) -> Any:
    outcome: list[Any] = []
    resolver.getHostByName(name).addBoth(outcome.append)
    assert outcome, "a cached answer is given at once"
    return outcome[0]


def test_resolver_refuses_forbidden_answers_even_when_cached() -> None:
    """A name that answered the middleware with a public address and now answers
    with a private one (DNS rebinding) is refused when the connection asks."""
    names = {"rebound.example": "10.0.0.7", "fine.example": "93.184.216.34"}
    dnscache.update(names)
    try:
        resolver = _resolver()
        failure = _answer(resolver, "rebound.example")
        assert failure.check(DNSLookupError)
        assert "10.0.0.7, a private address" in str(failure.value)
        assert _answer(resolver, "fine.example") == "93.184.216.34"
        allowed = _resolver(PRESSBOT_ALLOW_HOSTS="rebound.example")
        assert _answer(allowed, "rebound.example") == "10.0.0.7"
    finally:
        for name in names:
            dnscache.pop(name, None)


def test_resolver_allows_the_mirror_only_in_mirror_mode() -> None:
    assert connect_allowance(Settings({"PRESSBOT_MIRROR": "http://127.0.0.1:8765"})).address(
        ipaddress.ip_address("127.0.0.1")
    )
    assert connect_allowance(Settings({"PRESSBOT_MIRROR": "http://localhost:8765"})).name(
        "localhost"
    )
    assert not connect_allowance(Settings({"PRESSBOT_MIRROR": ""}))


# --- crawls -----------------------------------------------------------------------------
class _Recorder(BaseHTTPRequestHandler):
    """Answers from ``server.routes`` ({path: (status, headers, body)}, else 404) and
    records every request line."""

    server: _Site
    timeout = 10  # a stuck client cannot hold a thread for long

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        status, headers, body = self.server.routes.get(self.path, (404, {}, b"no\n"))
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]] | None = None):
        self.routes = routes or {}
        self.hits: list[str] = []
        super().__init__(("127.0.0.1", 0), _Recorder)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@pytest.fixture
def decoy() -> Iterator[_Site]:
    """A server on loopback that nothing may ever reach; lives only as long as the test."""
    server = _Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _RedirectingMirror(_Handler):
    """The mirror, plus 302s for the paths in ``server.redirects``."""

    def do_GET(self) -> None:
        location = getattr(self.server, "redirects", {}).get(self.path)
        if location is None:
            super().do_GET()
            return
        self.server.hits.append((self.path, 302))
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


FORBIDDEN_HOSTS = {"127.0.0.1", "localhost", "10.0.0.1", "169.254.169.254", "::1"}
ARTICLE = "https://dailymumtaz.com/2025/07/14/{}/"


def _forbidden_urls(port: int) -> dict[str, str]:
    return {
        "loopback": f"http://127.0.0.1:{port}/a",
        "localhost": f"http://localhost:{port}/b",
        "private": "http://10.0.0.1/c",
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "ipv6-loopback": f"http://[::1]:{port}/e",
    }


def _hostile_mirror(root: Path, decoy_port: int) -> MirrorServer:
    """A copy of the mirror in which Daily Mumtaz's feed, post sitemap and sitemap
    index name forbidden addresses, five of its (owned, article-shaped) URLs redirect
    to them, and its robots.txt redirects to the decoy."""
    shutil.copytree(MIRROR_ROOT, root)
    site = root / "day1" / "dailymumtaz.com"
    targets = _forbidden_urls(decoy_port)
    feed = site / "feed" / "index.html"
    items = "".join(
        f"<item><title>x</title><link>{url}</link>"
        "<pubDate>Mon, 14 Jul 2025 10:00:00 +0000</pubDate></item>"
        for url in [*targets.values(), *(ARTICLE.format(f"to-{k}") for k in targets)]
    )
    feed.write_text(feed.read_text("utf-8").replace("</channel>", items + "</channel>"), "utf-8")
    sitemap = site / "post-sitemap.xml"
    urls = "".join(f"<url><loc>{u}</loc></url>" for u in targets.values())
    sitemap.write_text(sitemap.read_text("utf-8").replace("</urlset>", urls + "</urlset>"))
    index = site / "sitemap_index.xml"
    entries = "".join(f"<sitemap><loc>{u}sitemap.xml</loc></sitemap>" for u in targets.values())
    index.write_text(
        index.read_text("utf-8").replace("</sitemapindex>", entries + "</sitemapindex>")
    )
    mirror = MirrorServer(root)
    mirror.httpd.RequestHandlerClass = _RedirectingMirror
    redirects = {
        "/dailymumtaz.com/robots.txt": f"http://127.0.0.1:{decoy_port}/robots.txt",
        **{"/" + ARTICLE.format(f"to-{k}")[8:]: url for k, url in targets.items()},
    }
    mirror.httpd.redirects = redirects  # type: ignore[attr-defined]
    return mirror


def _stats(log: str) -> dict[str, int]:
    """Counters from the stats Scrapy dumps when a crawl ends (log level INFO)."""
    dump = log[log.rindex("Dumping Scrapy stats") :]
    return {k: int(v) for k, v in re.findall(r"'([^']+)': (\d+)\b", dump)}


def _refusals(stats: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in stats.items() if k.startswith(STATS_KEY)}


def _hosts_asked(mirror: MirrorServer) -> set[str]:
    return {path.lstrip("/").split("/", 1)[0] for path, _status in mirror.hits}


def _mumtaz_records(db: str) -> int:
    engine = create_engine(db)
    try:
        with Session(engine) as s:
            return len(s.scalars(select(RecordRow).where(RecordRow.source == "daily_mumtaz")).all())
    finally:
        engine.dispose()


def _middlewares(**changes: int | None) -> str:
    return json.dumps({**project_settings.DOWNLOADER_MIDDLEWARES, **changes})


@pytest.fixture
def hostile_mirror(tmp_path: Path, decoy: _Site) -> Iterator[MirrorServer]:
    with _hostile_mirror(tmp_path / "mirror", decoy.port) as mirror:
        yield mirror


def _crawl_mumtaz(mirror: MirrorServer, tmp_path: Path, name: str, *extra: str) -> dict[str, int]:
    db = f"sqlite:///{tmp_path / name}.db"
    result = pressbot(
        "crawl",
        "--mirror-url",
        mirror.url,
        "--database",
        db,
        "daily_mumtaz",
        "--log-level",
        "INFO",
        *extra,
        env={"PRESSBOT_DEADLETTER_PATH": str(tmp_path / "dead.jsonl")},
    )
    # Articles that redirect to forbidden addresses were not stored: the run says so
    # (exit 1, "incomplete")...
    assert result.returncode == 1, result.stderr[-3000:]
    assert "daily_mumtaz: incomplete:" in result.stdout or "failed" in result.stdout
    # ...and the good pages of the same crawl are all stored.
    assert _mumtaz_records(db) == 8, result.stdout
    return _stats(result.stderr)


def test_mirror_crawl_never_requests_forbidden_hosts(
    hostile_mirror: MirrorServer, decoy: _Site, tmp_path: Path
) -> None:
    """Default settings: the spider drops the feed and sitemap entries (not the
    source's), Scrapy's offsite filter the redirects and sitemap-index entries, and
    the guard the robots.txt redirect, which the offsite filter would only catch
    after the guard. Nothing reaches the decoy or is asked of the mirror."""
    stats = _crawl_mumtaz(hostile_mirror, tmp_path, "default")
    assert _refusals(stats) == {STATS_KEY: 1, f"{STATS_KEY}/loopback": 1}
    assert stats["offsite/filtered"] == 10
    assert decoy.hits == []
    assert not _hosts_asked(hostile_mirror) & FORBIDDEN_HOSTS
    # The redirecting article URLs were asked for and answered with their 302s.
    assert sum(1 for _, status in hostile_mirror.hits if status == 302) == 6


def test_guard_alone_stops_redirects_and_sitemap_entries(
    hostile_mirror: MirrorServer, decoy: _Site, tmp_path: Path
) -> None:
    """With Scrapy's offsite filter off (as for a spider without allowed_domains),
    the guard is what stops the source's own URLs redirecting to loopback, private
    and metadata addresses, and the sitemap index pointing at them."""
    stats = _crawl_mumtaz(
        hostile_mirror,
        tmp_path,
        "no-offsite",
        "-s",
        f"DOWNLOADER_MIDDLEWARES={_middlewares(**{OFFSITE: None})}",
    )
    # 5 redirected articles + 5 sitemap-index entries + robots.txt.
    assert _refusals(stats) == {
        STATS_KEY: 11,
        f"{STATS_KEY}/loopback": 7,
        f"{STATS_KEY}/private": 2,
        f"{STATS_KEY}/link_local": 2,
    }
    assert "offsite/filtered" not in stats
    assert decoy.hits == []
    assert not _hosts_asked(hostile_mirror) & FORBIDDEN_HOSTS


def test_without_the_guard_the_mirror_is_asked_for_forbidden_hosts(
    hostile_mirror: MirrorServer, tmp_path: Path
) -> None:
    """The control for the two tests above: they would fail without the guard."""
    middlewares = _middlewares(**{OFFSITE: None, GUARD: None})
    stats = _crawl_mumtaz(
        hostile_mirror, tmp_path, "unguarded", "-s", f"DOWNLOADER_MIDDLEWARES={middlewares}"
    )
    assert _refusals(stats) == {}
    assert _hosts_asked(hostile_mirror) & FORBIDDEN_HOSTS == FORBIDDEN_HOSTS


PROBE_SPIDER = '''
import scrapy


class Probe(scrapy.Spider):
    """Follows every link and redirect from its start page: no allowed_domains."""

    name = "probe"

    def __init__(self, start, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        for href in response.xpath("//a/@href").getall():
            yield response.follow(href, callback=self.parse)
'''


@pytest.fixture
def site(decoy: _Site) -> Iterator[_Site]:
    """A live site on loopback (reached as ``localhost``, which the crawls allow)
    linking and redirecting to the decoy by address, in four spellings."""
    d = decoy.port
    links = [
        "/good",
        "/moved",
        f"http://127.0.0.1:{d}/literal",
        f"http://0x7f.1:{d}/hex",
        f"http://2130706433:{d}/decimal",
        f"http://[::ffff:127.0.0.1]:{d}/mapped",
    ]
    page = "".join(f'<a href="{u}">{u}</a>' for u in links).encode()
    html = {"Content-Type": "text/html"}
    server = _Site(
        {
            "/": (200, html, page),
            "/good": (200, html, b"<p>fine</p>"),
            "/moved": (302, {"Location": f"http://127.0.0.1:{d}/redirected"}, b""),
        }
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _live_crawl(site: _Site, tmp_path: Path, *extra: str) -> tuple[dict[str, int], str]:
    spider = tmp_path / "probe.py"
    spider.write_text(PROBE_SPIDER, "utf-8")
    result = scrapy(
        "runspider",
        str(spider),
        "-a",
        f"start=http://localhost:{site.port}/",
        "-s",
        "PRESSBOT_ALLOW_HOSTS=localhost",
        "-s",
        f"PRESSBOT_DATABASE_URL=sqlite:///{tmp_path / 'live.db'}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=0",
        "-s",
        "RETRY_ENABLED=0",
        "-s",
        "LOG_LEVEL=INFO",
        *extra,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "/good" in site.hits
    return _stats(result.stderr), result.stderr


DNS_ERRORS = "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError"


def test_live_crawl_guard_refuses_every_spelling(site: _Site, decoy: _Site, tmp_path: Path) -> None:
    stats, _ = _live_crawl(site, tmp_path)
    assert _refusals(stats) == {STATS_KEY: 5, f"{STATS_KEY}/loopback": 5}
    assert decoy.hits == []


def test_live_crawl_resolver_alone_refuses_to_connect(
    site: _Site, decoy: _Site, tmp_path: Path
) -> None:
    """Middleware off: the resolver still refuses every address the connections ask
    for, so each fails like an unknown name (the IPv6 spelling fails before it gets
    there: Scrapy's resolver is IPv4-only). The first connection to each host is
    its robots.txt; a robots.txt that cannot be fetched means "fetch nothing from
    that host this run", so the pages themselves are not even tried."""
    middlewares = _middlewares(**{GUARD: None})
    stats, log = _live_crawl(site, tmp_path, "-s", f"DOWNLOADER_MIDDLEWARES={middlewares}")
    assert _refusals(stats) == {}
    # The robots.txt of the 4 hosts.
    assert stats[DNS_ERRORS] == 4
    assert stats["pressbot/robots_unavailable"] == 4
    for name in ("127.0.0.1", "0x7f.1", "2130706433"):
        assert f"not connecting to {name}: " in log
    assert decoy.hits == []


def test_live_crawl_without_guards_reaches_the_decoy(
    site: _Site, decoy: _Site, tmp_path: Path
) -> None:
    """The control for the two tests above."""
    _live_crawl(
        site,
        tmp_path,
        "-s",
        f"DOWNLOADER_MIDDLEWARES={_middlewares(**{GUARD: None})}",
        "-s",
        "TWISTED_DNS_RESOLVER=scrapy.resolver.CachingThreadedResolver",
    )
    assert {"/literal", "/hex", "/decimal", "/redirected"} <= set(decoy.hits)
