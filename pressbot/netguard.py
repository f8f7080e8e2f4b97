"""Where the crawler may connect, and that it listens on nothing.

A feed, a sitemap or a redirect can point a crawler anywhere, including at the
machine it runs on and the network around it: a database admin page on
loopback, a router on 192.168.x.x, the cloud metadata service on
169.254.169.254. pressbot runs unattended next to a production database, so it
refuses such addresses unless ``PRESSBOT_ALLOW_HOSTS`` names them. Two layers:

* :class:`NetGuardMiddleware` (downloader middleware, first in the chain) checks
  the host of every request -- start requests, links, robots.txt, and redirects,
  which Scrapy sends through the whole chain again. IP literals in any spelling
  are checked directly; a name is resolved first (in a thread, never blocking the
  reactor), and refused if any of its addresses is forbidden, so ``localhost`` or
  a public name pointing at 10.0.0.5 is refused too. Refused requests raise
  ``IgnoreRequest`` and are counted under ``pressbot/refused``.
* :class:`GuardedResolver` (``TWISTED_DNS_RESOLVER``) vets the answer the
  connection itself uses. A name can answer the middleware's look-up with a public
  address and the connection's with a private one (DNS rebinding); the resolver
  checks every answer it hands out, cached or fresh, so the address connected to
  is always one that passed.

In mirror mode (``PRESSBOT_MIRROR``) requests keep their real URLs and the
download handler sends them all to the mirror, so the middleware checks the real
URL's host (a link to ``http://127.0.0.1:6379/`` is refused, not fetched from the
mirror), while the resolver -- which only ever sees the mirror's address then --
allows the mirror's host. A name that does not resolve is let through: in mirror
mode the mirror serves it, and on a live crawl the connection's own look-up fails
(and is retried like any DNS error) or, if it then resolves, is vetted by the
resolver.

Also here: :class:`NetGuardAddon`, which keeps Scrapy's remote-control server
(an HTTP endpoint that runs Python code sent to it) off unless
``PRESSBOT_REMOTE_CONTROL`` asks for it.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.asyncio import run_in_thread
from scrapy.utils.datatypes import LocalCache
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.reactor import is_reactor_installed
from twisted.internet.error import DNSLookupError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings, Settings
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

STATS_KEY = "pressbot/refused"  # total; one more key per reason: pressbot/refused/<reason>


class Reason(StrEnum):
    """Why a request was refused (the last part of its stats key)."""

    LOOPBACK = "loopback"  # 127.0.0.0/8, ::1
    PRIVATE = "private"  # RFC 1918, fc00::/7 (unique local), fec0::/10 (old site-local)
    LINK_LOCAL = "link_local"  # 169.254.0.0/16 (cloud metadata), fe80::/10
    MULTICAST = "multicast"  # 224.0.0.0/4, ff00::/8
    UNSPECIFIED = "unspecified"  # 0.0.0.0 and ::, which Linux connects to this machine
    RESERVED = "reserved"  # anything else not globally routable: CGNAT, documentation, 240/4…
    SCHEME = "scheme"  # not http(s): file: reads local files, ftp:/s3: go elsewhere


_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fec0::/10")
)
# NAT64 (RFC 6052): on a NAT64 network 64:ff9b::a00:1 reaches 10.0.0.1.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SCHEMES = frozenset({"http", "https"})
# Characters of the numeric IPv4 spellings inet_aton accepts (0x7f.1, 2130706433, 0177.0.0.1).
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)
_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def forbidden(address: IPAddress) -> Reason | None:
    """Why the crawler may not connect to ``address``, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return forbidden(embedded)
    if address.is_unspecified:
        return Reason.UNSPECIFIED
    if address.is_loopback:
        return Reason.LOOPBACK
    if address.is_link_local:
        return Reason.LINK_LOCAL
    if address.is_multicast:
        return Reason.MULTICAST
    if any(address in network for network in _PRIVATE):
        return Reason.PRIVATE
    # is_global alone is not enough: Python counts e.g. ::7f00:1 (IPv4-compatible) as
    # global, but it is in a reserved block.
    if address.is_reserved or not address.is_global:
        return Reason.RESERVED
    return None


def ip_literal(host: str) -> IPAddress | None:
    """``host`` as an address if it is one, in any spelling a resolver accepts:
    ``127.0.0.1``, ``::1``, ``fe80::1%eth0`` and also ``127.1``, ``0x7f.1``,
    ``2130706433``, which getaddrinfo and inet_aton read as 127.0.0.1."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # Only when the last label is a number: a real name's top-level domain never is.
    last = host.rstrip(".").rpartition(".")[2]
    if _NUMERIC_HOST.fullmatch(host) and re.fullmatch(r"\d+|0x[0-9a-f]*", last, re.IGNORECASE):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


@dataclass(frozen=True)
class Allowance:
    """The exceptions: host names (exact), addresses and networks (CIDR)."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowance:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().strip("[]").lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            name = entry.rstrip(".")
            if not _HOST_NAME.fullmatch(name):
                # A typo must not silently allow nothing (or, worse, look like it works).
                raise ValueError(
                    f"PRESSBOT_ALLOW_HOSTS: {raw!r} is not a host name, an IP address "
                    "or a network (CIDR)"
                )
            names.add(name)
        return cls(frozenset(names), tuple(networks))

    def __bool__(self) -> bool:
        return bool(self.names or self.networks)

    def name(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.names

    def address(self, address: IPAddress) -> bool:
        candidates: list[IPAddress] = [address]
        if isinstance(address, ipaddress.IPv6Address):
            embedded = _embedded_ipv4(address)
            if embedded is not None:
                candidates.append(embedded)
            # Networks are written without zone ids (fe80::/10 must allow fe80::1%eth0).
            if address.scope_id:
                candidates.append(ipaddress.IPv6Address(str(address).partition("%")[0]))
        return any(a in network for a in candidates for network in self.networks)


def allowance(settings: BaseSettings) -> Allowance:
    """``PRESSBOT_ALLOW_HOSTS`` (a list, or a comma-separated string)."""
    return Allowance.parse(settings.getlist("PRESSBOT_ALLOW_HOSTS"))


def connect_allowance(settings: BaseSettings) -> Allowance:
    """What :class:`GuardedResolver` allows: ``PRESSBOT_ALLOW_HOSTS`` and, in mirror
    mode, the mirror's own host -- then every connection goes to the mirror."""
    entries = settings.getlist("PRESSBOT_ALLOW_HOSTS")
    mirror = urlsplit(settings.get("PRESSBOT_MIRROR") or "").hostname
    return Allowance.parse([*entries, *([mirror] if mirror else [])])


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    host: str
    address: IPAddress | None = None
    resolved: bool = False  # the address is the host's DNS answer, not the host itself

    def __str__(self) -> str:
        if self.reason is Reason.SCHEME:
            return f"{self.host} URLs are not fetched (only http and https)"
        kind = self.reason.replace("_", "-")
        kind = f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
        if self.address is None or str(self.address) == self.host.strip("[]"):
            return f"{self.host} is {kind} address"
        verb = "resolves to" if self.resolved else "is"
        return f"{self.host} {verb} {self.address}, {kind} address"


Resolve = Callable[[str], Awaitable[list[IPAddress]]]


async def system_addresses(host: str) -> list[IPAddress]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6), looked up
    in a thread; empty if the name does not resolve."""
    try:
        infos = await run_in_thread(socket.getaddrinfo, host, None, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0]) for info in infos]


class NetGuardMiddleware:
    """Refuses requests for loopback, private, link-local, multicast, unspecified and
    reserved addresses, unless ``PRESSBOT_ALLOW_HOSTS`` allows them (see the module
    docstring). Registered in ``DOWNLOADER_MIDDLEWARES`` before every other
    middleware, so a refused request never triggers a robots.txt fetch either."""

    def __init__(self, crawler: Crawler, resolve: Resolve = system_addresses) -> None:
        self.crawler = crawler
        self.allow = allowance(crawler.settings)
        self.mirror = bool(crawler.settings.get("PRESSBOT_MIRROR"))
        self._resolve = resolve
        # One look-up per name per crawl; the resolver re-checks what connections use.
        self._verdicts: LocalCache[str, Refusal | None] = LocalCache(10_000)
        self._logged: set[str] = set()
        crawler.signals.connect(self._engine_started, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        refusal = await self.check(request)
        if refusal is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(STATS_KEY)
        stats.inc_value(f"{STATS_KEY}/{refusal.reason}")
        if refusal.host not in self._logged:
            self._logged.add(refusal.host)
            # Once per host: a hostile feed can name one address a thousand times.
            logger.warning(
                "refused %s: %s; requests for %s are refused and counted in %s "
                "(exceptions: PRESSBOT_ALLOW_HOSTS)",
                request.url,
                refusal,
                refusal.host,
                STATS_KEY,
            )
        raise IgnoreRequest(f"refused by pressbot's network guard: {refusal}")

    async def check(self, request: Request) -> Refusal | None:
        """Why ``request`` may not be sent, or None."""
        parts = urlparse_cached(request)
        if parts.scheme not in _SCHEMES:
            return Refusal(Reason.SCHEME, f"{parts.scheme}:")
        host = (parts.hostname or "").rstrip(".")
        if not host or self.allow.name(host):
            return None
        literal = ip_literal(host)
        if literal is not None:
            return self._vet(host, [literal], resolved=False)
        if host in self._verdicts:
            return self._verdicts[host]
        verdict = self._vet(host, await self._resolve(host), resolved=True)
        self._verdicts[host] = verdict
        return verdict

    def _vet(self, host: str, addresses: Iterable[IPAddress], resolved: bool) -> Refusal | None:
        # Any forbidden address refuses the name: the connection may pick any of them.
        for address in addresses:
            reason = forbidden(address)
            if reason is not None and not self.allow.address(address):
                return Refusal(reason, host, address, resolved)
        return None

    def _engine_started(self) -> None:
        if self.mirror or not is_reactor_installed():
            return  # in mirror mode every connection goes to the mirror
        from twisted.internet import reactor

        if not isinstance(getattr(reactor, "resolver", None), GuardedResolver):
            logger.warning(
                "TWISTED_DNS_RESOLVER is not pressbot.netguard.GuardedResolver: request "
                "hosts are checked, but the addresses connected to are not checked again"
            )


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's default resolver (IPv4, cached, with ``DNS_TIMEOUT``) that refuses to
    hand out a forbidden address, so no connection is made to one whatever a name
    answered earlier. Refusals fail like an unknown name (``DNSLookupError``).

    Scrapy builds the resolver once per process from the process's settings (the
    project's, the environment's and ``-s``), never from a crawler's, so add-ons and
    ``custom_settings`` cannot change what it allows.
    """

    def __init__(
        self, reactor: ReactorBase, cache_size: int, timeout: float, allow: Allowance
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allow = allow
        self._logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: ReactorBase) -> Self:
        settings: Settings = crawler.settings
        enabled = settings.getbool("DNSCACHE_ENABLED")
        return cls(
            reactor,
            settings.getint("DNSCACHE_SIZE") if enabled else 0,
            settings.getfloat("DNS_TIMEOUT"),
            connect_allowance(settings),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        # Checked after the cache, so a cached answer is checked on every use as well.
        return super().getHostByName(name, timeout).addCallback(self._vet, name)

    def _vet(self, result: str, name: str) -> str:
        address = ipaddress.ip_address(result)
        reason = forbidden(address)
        if reason is None or self.allow.name(name) or self.allow.address(address):
            return result
        refusal = Refusal(reason, name, address, resolved=True)
        if name not in self._logged:
            self._logged.add(name)
            logger.warning("not connecting to %s: %s", name, refusal)
        raise DNSLookupError(f"refused by pressbot's network guard: {refusal}")


class NetGuardAddon:
    """Keeps Scrapy's remote-control extension off unless ``PRESSBOT_REMOTE_CONTROL``
    is set. Since Scrapy 2.19 that extension starts, in every crawl, an HTTP server
    on loopback that runs any Python code sent to it with the bearer token it writes
    to a file in the user's profile. settings.py turns it off (and on, from the
    environment); this add-on honours ``-s PRESSBOT_REMOTE_CONTROL=1`` too, and
    yields to an explicit ``-s REMOTE_CONTROL_ENABLED=...``.
    """

    def update_settings(self, settings: Settings) -> None:
        from pressbot.config import parse_bool

        try:
            wanted = parse_bool(settings.get("PRESSBOT_REMOTE_CONTROL", "0"))
        except ValueError:
            return  # reported by the settings check before the crawl starts
        if wanted:
            settings.set("REMOTE_CONTROL_ENABLED", True, priority="project")
