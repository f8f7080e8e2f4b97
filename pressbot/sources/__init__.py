"""The source registry: every publisher pressbot crawls is declared once.

Adding a site means adding one module in this package that calls
:func:`register` with a :class:`Source`, plus its fixtures; no spider class.
Modules are discovered automatically, in name order.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal
from urllib.parse import urlsplit

from lxml import etree

Kind = Literal["police", "ministry", "news", "aggregator"]
KINDS: tuple[Kind, ...] = ("police", "ministry", "news", "aggregator")


@dataclass(frozen=True)
class Hints:
    """Per-site extraction hints, all optional.

    Selectors are XPath expressions (compiled once, when the declaration is made,
    so a typo fails at import rather than on the first page; and XPath can say
    things CSS cannot, such as "the table cell after the one saying Date").
    """

    # Subtrees removed before any text extraction (menus, widgets, forms).
    prune: tuple[str, ...] = ()
    # The element holding the article; trafilatura then works inside it only.
    body: str | None = None
    # Where the headline is, when <h1>/og:title are wrong (e.g. a page-type header).
    title: str | None = None
    # Lines this site repeats on every page (slogans, mottos): never body text.
    slogans: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Compile now: a bad selector is an error in the declaration.
        for name in ("prune_xpaths", "body_xpath", "title_xpath"):
            try:
                getattr(self, name)
            except etree.XPathSyntaxError as exc:
                raise ValueError(f"hints: bad XPath in {name.split('_')[0]}: {exc}") from exc

    @cached_property
    def prune_xpaths(self) -> tuple[etree.XPath, ...]:
        return tuple(etree.XPath(x) for x in self.prune)

    @cached_property
    def body_xpath(self) -> etree.XPath | None:
        return etree.XPath(self.body) if self.body else None

    @cached_property
    def title_xpath(self) -> etree.XPath | None:
        return etree.XPath(self.title) if self.title else None


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    kind: Kind
    base_url: str
    languages: tuple[str, ...]
    # Article pages: a regular expression matched against the absolute URL.
    article_pattern: str
    # First pages of listings; pagination links matching `pagination` are followed.
    listings: tuple[str, ...] = ()
    pagination: str | None = None
    max_pages: int = 30
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    timezone: str = "Asia/Karachi"
    hints: Hints = field(default_factory=Hints)
    # Whether the URLs above were checked against the live site. They could not
    # be from the machine pressbot was written on (no network beyond package
    # registries); `notes` says what the declaration is based on.
    verified: bool = False
    notes: str = ""
    # Extra domains the site serves articles from (e.g. with and without www).
    extra_domains: tuple[str, ...] = ()
    # Page classes for this site's layouts, newest first, as dotted paths
    # ("pressbot.sources.example_pages.ExamplePageV2"): subclasses of
    # pressbot.extract.page.Page that override the field methods the site needs.
    # The first whose fits() accepts a page reads it, so pages archived before a
    # redesign keep their parser; none given (or none fits): the generic Page.
    pages: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError(f"source key {self.key!r}: use lower-case letters, digits, _")
        if self.kind not in KINDS:
            raise ValueError(f"source {self.key}: kind {self.kind!r} not one of {KINDS}")
        if not (self.listings or self.feeds or self.sitemaps):
            raise ValueError(f"source {self.key}: declare at least one listing, feed or sitemap")
        re.compile(self.article_pattern)
        if self.pagination:
            re.compile(self.pagination)
        for path in self.pages:
            # Resolved on first use (importing pressbot.extract here would be circular).
            if not re.fullmatch(r"[A-Za-z_][\w.]*\.[A-Za-z_]\w*", path):
                raise ValueError(f"source {self.key}: page class {path!r} is not a dotted path")

    @property
    def domains(self) -> tuple[str, ...]:
        host = urlsplit(self.base_url).hostname or ""
        return (host, *self.extra_domains)

    @cached_property
    def article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_pattern)

    @cached_property
    def pagination_re(self) -> re.Pattern[str] | None:
        return re.compile(self.pagination) if self.pagination else None

    def is_article(self, url: str) -> bool:
        return bool(self.article_re.search(url))

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


_REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a source; refuse a second declaration of a key or a domain."""
    if source.key in _REGISTRY:
        raise ValueError(f"source {source.key!r} is declared twice")
    for other in _REGISTRY.values():
        clash = set(other.domains) & set(source.domains)
        if clash:
            raise ValueError(f"{source.key}: domain {sorted(clash)} already belongs to {other.key}")
    _REGISTRY[source.key] = source
    return source


def _load() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def all_sources() -> list[Source]:
    return sorted(_REGISTRY.values(), key=lambda s: s.key)


def get(key: str) -> Source:
    try:
        return _REGISTRY[key]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise KeyError(f"unknown source {key!r} (known: {known})") from None


def for_url(url: str) -> Source | None:
    """The source whose domain serves `url`, if any."""
    return next((s for s in _REGISTRY.values() if s.owns(url)), None)


def iter_keys() -> Iterator[str]:
    return iter(sorted(_REGISTRY))


_load()
