"""The one spider class every source uses; a source differs only by its declaration."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap

from pressbot.db.store import Store
from pressbot.extract import extract_html
from pressbot.sources import Source
from pressbot.text.dates import parse_date
from pressbot.urls import canonical_url, url_key

logger = logging.getLogger(__name__)


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


class SourceSpider(scrapy.Spider):
    """Crawls one :class:`~pressbot.sources.Source`.

    Spider arguments (``-a name=value``): ``refresh=1`` fetches every article even
    if stored; ``max_pages=N`` limits listing pagination; ``backfill=FILE`` also
    fetches the article URLs listed in FILE (see seeds/README.md).
    """

    source: ClassVar[Source]

    def __init__(
        self,
        *args: Any,
        refresh: str = "0",
        max_pages: str | None = None,
        backfill: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.refresh = _truthy(refresh)
        self.backfill = backfill
        self.max_pages = int(max_pages) if max_pages else self.source.max_pages
        self.store: Store | None = None
        self._skipped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        spider: SourceSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if settings.getbool("PRESSBOT_INCREMENTAL", True) and not spider.refresh:
            try:
                spider.store = Store(settings.get("PRESSBOT_DATABASE_URL"))
            except Exception as exc:
                logger.warning("database unavailable (%s): this crawl fetches everything", exc)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    def _closed(self) -> None:
        assert self.crawler.stats is not None
        # Articles known and not downloaded (skipped, or revalidated: 304), each once.
        self.crawler.stats.set_value(f"pressbot/{self.source.key}/not_fetched", len(self._skipped))
        if self.store is not None:
            self.store.close()

    def _count(self, what: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"pressbot/{self.source.key}/{what}", n)

    # --- what to fetch ------------------------------------------------------------
    def _wanted(
        self, candidates: Iterable[tuple[str, datetime | None]], *, revalidate: bool = False
    ) -> list[scrapy.Request]:
        """Requests for the article URLs worth fetching: new ones, stored ones whose
        feed or sitemap date is newer than our copy, and -- with ``revalidate``, for
        the first listing page, where updated releases show up -- stored ones asked
        for conditionally (a 304 costs nothing and changes nothing)."""
        seen: dict[str, tuple[str, datetime | None]] = {}
        for url, lastmod in candidates:
            if self.source.owns(url) and self.source.is_article(url):
                seen.setdefault(url_key(url), (url, lastmod))
        if self.store is None:
            return [self._article(u) for u, _ in seen.values()]
        try:
            known = self.store.known(seen)
        except Exception as exc:
            # Without the database we cannot tell old from new: fetch all (the store
            # pipeline keeps what it cannot write in the dead-letter file).
            self._count("lookup_errors")
            logger.warning(
                "%s: stored-page look-up failed (%s); fetching all", self.source.key, exc
            )
            return [self._article(u) for u, _ in seen.values()]
        stale = []
        requests = []
        for key, (url, lastmod) in seen.items():
            have = known.get(key)
            if have is None or (lastmod and have.fetched_at and lastmod > have.fetched_at):
                requests.append(self._article(url))
            elif revalidate:
                stale.append(key)
            elif key not in self._skipped:
                # Feed, sitemap and listing often name the same article: count it once.
                self._skipped.add(key)
                self._count("skipped_known")
        if stale:
            try:
                validators = self.store.validators(stale)
            except Exception:
                self._count("lookup_errors")
                validators = {}
            for key in stale:
                url = seen[key][0]
                requests.append(self._article(url, validators.get(key, {}), revalidating=True))
        return requests

    def _article(
        self, url: str, headers: dict[str, str] | None = None, revalidating: bool = False
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_article,
            headers=headers or None,
            meta={"handle_httpstatus_list": [304], "pressbot_revalidating": revalidating},
        )

    async def start(self) -> AsyncIterator[Any]:
        if self.backfill:
            lines = Path(self.backfill).read_text("utf-8").splitlines()
            urls = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
            for request in self._wanted((u, None) for u in urls):
                yield request
        for url in self.source.feeds:
            yield scrapy.Request(url, callback=self.parse_feed)
        for url in self.source.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap)
        for url in self.source.listings:
            yield scrapy.Request(url, callback=self.parse_listing, cb_kwargs={"page": 1})

    # --- listings, feeds, sitemaps ------------------------------------------------
    def parse_listing(self, response: Response, page: int) -> Iterator[scrapy.Request]:
        links = [response.urljoin(h) for h in response.xpath("//a/@href").getall()]
        articles = list(dict.fromkeys(u for u in links if self.source.is_article(u)))
        if not articles:
            # A listing without article links: the site's layout changed, or a bad page.
            self._count("listing_without_articles")
            logger.warning("%s: no article links on listing %s", self.source.key, response.url)
        wanted = self._wanted(((u, None) for u in articles), revalidate=page == 1)
        yield from wanted
        fresh = [r for r in wanted if not r.meta["pressbot_revalidating"]]
        if self.store is not None and articles and not fresh:
            self._count("listing_stopped_early")
            return
        pattern = self.source.pagination_re
        if pattern is None or page >= self.max_pages:
            return
        for url in dict.fromkeys(links):
            if pattern.search(url) and canonical_url(url) != canonical_url(response.url):
                yield scrapy.Request(url, callback=self.parse_listing, cb_kwargs={"page": page + 1})

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        selector = scrapy.Selector(body=response.body, type="xml")
        selector.remove_namespaces()
        entries: list[tuple[str, datetime | None]] = []
        for item in selector.xpath("//item"):  # RSS 2.0
            link = item.xpath("link/text()").get(default="").strip()
            when = item.xpath("pubDate/text()").get() or item.xpath("date/text()").get()
            entries.append((response.urljoin(link), self._lastmod(when)))
        for entry in selector.xpath("//entry"):  # Atom
            link = entry.xpath("link[not(@rel) or @rel='alternate']/@href").get(default="")
            when = entry.xpath("updated/text()").get() or entry.xpath("published/text()").get()
            entries.append((response.urljoin(link.strip()), self._lastmod(when)))
        self._count("feed_entries", len(entries))
        yield from self._wanted(entries)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        sitemap = Sitemap(response.body)
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                yield scrapy.Request(response.urljoin(entry["loc"]), callback=self.parse_sitemap)
            return
        entries = [(response.urljoin(e["loc"]), self._lastmod(e.get("lastmod"))) for e in sitemap]
        self._count("sitemap_entries", len(entries))
        yield from self._wanted(entries)

    def _lastmod(self, text: str | None) -> datetime | None:
        if not text:
            return None
        return parse_date(text.strip(), tz=self.source.timezone)

    # --- articles -----------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            self._count("not_modified")
            self._skipped.add(url_key(response.url))
            return
        if response.meta.get("pressbot_revalidating"):
            self._count("revalidated_changed")
        # The text as Scrapy decodes it: a charset given only in the HTTP header counts.
        page = response.text if isinstance(response, TextResponse) else response.body
        try:
            record = extract_html(
                page,
                response.url,
                fetched_at=datetime.now(UTC),
                source=self.source,
            )
        except Exception:
            self._count("extract_errors")
            logger.exception("%s: could not extract %s", self.source.key, response.url)
            return
        self._count("articles_fetched")
        yield record
