"""The one spider class every source uses; a source differs only by its declaration.

Crawl strategy only: what to fetch, in what order, and when to stop. Every
article page seen is written to the crawl frontier before it is requested
(pressbot/frontier.py), so a run that fails, is killed or hits a budget leaves its
unfinished work to the next run instead of losing it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.exceptions import CloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from pressbot import config
from pressbot.db.store import Known, Store
from pressbot.decode import is_framed, page_damage
from pressbot.extensions import database_of
from pressbot.extract import extract_html
from pressbot.extract.page import failed_fields
from pressbot.frontier import DROPPED, GAVE_UP, Frontier, Policy, Walk
from pressbot.items import Record
from pressbot.politeness import ROBOTS_UNAVAILABLE
from pressbot.sources import Source
from pressbot.text.dates import find_date, parse_date
from pressbot.urls import canonical_url, url_key

if TYPE_CHECKING:
    from pressbot.distributed import SharedRun

logger = logging.getLogger(__name__)

# Walk endings (stats ``pressbot/<source>/walk/<why>``).
NATURAL = ("caught_up", "last_page", "horizon")


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def failure_reason(failure: Failure) -> str:
    """A short, stable description of why a request failed."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        return f"refused: {exc}" if str(exc) else "refused"
    name = type(exc).__name__
    # Scrapy 2.19 raises its own DownloadTimeoutError / ResponseDataLossError where
    # older versions let Twisted's errors through; both spellings mean the same.
    if name in ("TimeoutError", "TCPTimedOutError", "UserTimeoutError", "DownloadTimeoutError"):
        return "timeout"
    if name in ("ResponseFailed", "ResponseDataLossError"):
        return "transfer cut short"
    text = " ".join(str(exc).split())[:200]
    return f"{name}: {text}" if text else name


def refusal_reason(failure: Failure) -> str | None:
    """Why a request was refused rather than failed, or None: robots.txt forbids it,
    it redirects off the site or to a forbidden address, it is too large (or a
    decompression bomb). A robots.txt that could not be read is a failure: it is
    tried again next run."""
    exc = failure.value
    text = str(exc)
    if isinstance(exc, DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in text:
        return "too_large"
    # Scrapy's HttpError (a 4xx/5xx answer) subclasses IgnoreRequest, but it is the
    # site's failure, retried next run, not a refusal of ours.
    if isinstance(exc, HttpError):
        return None
    if not isinstance(exc, IgnoreRequest) or ROBOTS_UNAVAILABLE in text:
        return None
    if "robots.txt" in text:
        return "robots"
    if "offsite" in text.lower():
        return "offsite"
    if "max redirections" in text:
        return None  # a redirect loop: the site may mend it
    return "refused"


def _gone(failure: Failure) -> bool:
    """404 Not Found / 410 Gone: the page is (said to be) removed. Tried once more at
    the next run -- a page can 404 for a moment while a CMS republishes it -- then
    given up, rather than retried with backoff for days."""
    exc = failure.value
    return isinstance(exc, HttpError) and exc.response.status in (404, 410)


def retry_after(failure: Failure, now: datetime) -> datetime | None:
    """The time a 429/503 answer asked us to come back, if it said."""
    exc = failure.value
    if not isinstance(exc, HttpError):
        return None
    return parse_retry_after(exc.response.headers.get(b"Retry-After"), now)


def parse_retry_after(raw: bytes | str | None, now: datetime) -> datetime | None:
    if not raw:
        return None
    text = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    text = text.strip()
    if text.isdigit():
        return now + timedelta(seconds=int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


# Revalidation of stored pages seen on a listing's first page: an eighth of the
# page's age, between an hour and two weeks -- a release is corrected in its first
# day or two if ever, and a year-old one almost never.
REVALIDATE_MIN = timedelta(hours=1)
REVALIDATE_MAX = timedelta(days=14)


def revalidation_interval(age: timedelta) -> timedelta:
    return min(REVALIDATE_MAX, max(REVALIDATE_MIN, age / 8))


def _newer_than_stored(stated: datetime | None, have: Known) -> bool:
    """A date a listing shows beside a stored article that is later (by day) than any
    date the stored copy carries: the release was updated."""
    if stated is None:
        return False
    own = have.updated_at or have.published_at
    if own is None:
        return False
    zone = stated.tzinfo or UTC
    return stated.date() > own.astimezone(zone).date()


def _join(response: Response, href: str | None) -> str | None:
    """``href`` made absolute, or None for a link no URL parser accepts
    ("http://[ccpa-preferences]"): one bad link costs that link, not the page."""
    if not href:
        return None
    try:
        return response.urljoin(href.strip())
    except ValueError:
        return None


_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


def _page_number(url: str) -> int | None:
    m = _LAST_NUMBER.search(url)
    return int(m.group(1)) if m else None


class SourceSpider(scrapy.Spider):
    """Crawls one :class:`~pressbot.sources.Source`.

    Spider arguments (``-a name=value``): ``refresh=1`` fetches every article even
    if stored; ``max_pages=N`` limits listing pagination for this run;
    ``backfill=FILE`` also fetches the article URLs listed in FILE (see
    seeds/README.md); ``retry_failed=1`` gives pages given up after too many
    failed tries a fresh set of tries.
    """

    source: ClassVar[Source]
    # Redis mode (pressbot/distributed.py): the run shared with other workers.
    shared_run: SharedRun | None = None

    def __init__(
        self,
        *args: Any,
        refresh: str = "0",
        max_pages: str | None = None,
        backfill: str | None = None,
        retry_failed: str = "0",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.refresh = _truthy(refresh)
        self.retry_failed = _truthy(retry_failed)
        self.backfill = backfill
        if max_pages is not None and (not str(max_pages).isdigit() or int(max_pages) < 1):
            raise ValueError(f"max_pages={max_pages!r}: expected a whole number >= 1")
        self.max_pages = int(max_pages) if max_pages else self.source.max_pages
        self.store: Store | None = None
        self.frontier: Frontier | None = None
        self.run_started = datetime.now(UTC)
        self._skipped: set[str] = set()
        self._requested: set[str] = set()
        self._walks: dict[str, Walk] = {}
        self._walk_pages: dict[str, int] = {}
        self._open_walks: set[str] = set()
        self._listing_pages = 0
        self._sitemaps = 0
        # Set from the crawler's settings in from_crawler.
        self.incremental = not self.refresh
        self.max_articles = 2000
        self.max_listing_pages = 100
        self.max_sitemaps = 50
        self.sitemap_depth = 2
        self.policy = Policy()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        spider: SourceSpider = super().from_crawler(crawler, *args, **kwargs)
        get = crawler.settings.get
        spider.incremental = config.value(get, "PRESSBOT_INCREMENTAL") and not spider.refresh
        spider.max_articles = config.value(get, "PRESSBOT_MAX_ARTICLES")
        spider.max_listing_pages = config.value(get, "PRESSBOT_MAX_LISTING_PAGES")
        spider.max_sitemaps = config.value(get, "PRESSBOT_MAX_SITEMAPS")
        spider.sitemap_depth = config.value(get, "PRESSBOT_SITEMAP_DEPTH")
        spider.policy = Policy(
            max_tries=config.value(get, "PRESSBOT_MAX_TRIES"),
            backoff=timedelta(seconds=config.value(get, "PRESSBOT_RETRY_BACKOFF")),
            recheck_dropped=timedelta(seconds=config.value(get, "PRESSBOT_RECHECK_DROPPED")),
        )
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider._item_error, signal=signals.item_error)
        crawler.signals.connect(spider._request_dropped, signal=signals.request_dropped)
        return spider

    # --- bookkeeping --------------------------------------------------------------
    def _count(self, what: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"pressbot/{self.source.key}/{what}", n)

    def _opened(self) -> None:
        try:
            self.store = database_of(self.crawler).store
            self.frontier = Frontier(self.store.engine, self.source.key, self.policy)
        except Exception as exc:
            # Without the database nothing can be told old from new, and nothing could
            # be stored: fetching would only load the site. Fail loudly instead.
            logger.error("%s: database unavailable: %s", self.source.key, exc)
            self._count("database_unavailable")
            raise CloseSpider("database_unavailable") from exc

    def _closed(self, reason: str) -> None:
        assert self.crawler.stats is not None
        # Articles known and not downloaded (skipped, or revalidated: 304), each once.
        self.crawler.stats.set_value(f"pressbot/{self.source.key}/not_fetched", len(self._skipped))
        cut = {"shutdown": "interrupted", "closespider_timeout": "time_budget"}.get(
            reason, "unfinished"
        )
        shared = self.shared_run
        if shared is None or shared.done:
            # A worker leaving a shared run that goes on leaves the walks to the others.
            for start in sorted(self._open_walks):
                self._end_walk(start, cut)
        if self.frontier is not None:
            self.frontier.flush()
            try:
                # What is left, as the database has it (the store cleared stored pages).
                self.frontier.load()
            except Exception as exc:
                logger.error("%s: could not read the frontier back: %s", self.source.key, exc)
            counts = self.frontier.counts()
            for state in ("pending", "failed", "gave_up", "dropped"):
                self.crawler.stats.set_value(
                    f"pressbot/{self.source.key}/frontier/{state}", counts.get(state, 0)
                )
            if self.frontier.write_errors:
                self._count("frontier_errors", self.frontier.write_errors)
            for entry in self.frontier.gave_up:
                logger.error(
                    "%s: gave up on %s after %d tries (%s)",
                    self.source.key,
                    entry.url,
                    entry.tries,
                    entry.last_error,
                )
        # The store is the crawler's (DatabaseOwner): closed by its owner, not here.
        self.store = None

    def _item_dropped(self, item: Any, response: Any, exception: BaseException) -> None:
        if isinstance(item, Record) and item.frontier_key and self.frontier is not None:
            reason = str(exception).split(":", 1)[0]
            self.frontier.dropped(item.frontier_key, item.url, reason)

    def _request_dropped(self, request: scrapy.Request) -> None:
        """A request that never reached the downloader: a redirect off the site, one
        to a page already requested (two URLs redirecting to one), or the way back of
        a redirect loop (a -> b -> a: the duplicate filter drops the second a)."""
        if self.shared_run is not None and not request.meta.get("redirect_urls"):
            # Another worker of the shared run asked for it first.
            self._count("shared/duplicate")
            return
        here = url_key(request.url)
        loop = any(url_key(u) == here for u in request.meta.get("redirect_urls", ()))
        key = request.meta.get("pressbot_key")
        if key is not None and self.frontier is not None:
            if loop:
                # The site's fault, and one it may mend: a failure, retried next run.
                self._article_failed_key(key, request.url, "redirect loop")
            elif self.source.owns(request.url):
                self._count("dropped/duplicate_redirect")
                self.frontier.dropped(key, request.url, "redirects to a page already requested")
            else:
                self._count("refused")
                self._count("dropped/offsite")
                logger.warning(
                    "%s: an article redirects off the site, to %s", self.source.key, request.url
                )
                self.frontier.dropped(key, request.url, f"refused (offsite): {request.url}")
        start = request.meta.get("pressbot_walk")
        if start is not None and request.callback == self.parse_listing:
            if loop:
                self._count("listing_errors")
                logger.error("%s: listing %s redirects in a loop", self.source.key, request.url)
                self._end_walk(start, "listing_error")
            elif self.source.owns(request.url):
                # The "next" page was walked already: the listing went round in a circle.
                self._end_walk(start, "last_page")
            else:
                self._count("listing_errors")
                self._end_walk(start, "listing_offsite")

    def _item_error(self, item: Any, response: Any, failure: Failure) -> None:
        if isinstance(item, Record) and item.frontier_key and self.frontier is not None:
            self._article_failed_key(item.frontier_key, item.url, f"pipeline: {failure.value!r}")

    # --- what to fetch ------------------------------------------------------------
    def _wanted(
        self,
        candidates: Iterable[tuple[str, datetime | None]],
        *,
        revalidate: bool = False,
        found_on: str | None = None,
        stated: dict[str, datetime] | None = None,
    ) -> tuple[list[scrapy.Request], set[str], dict[str, datetime | None]]:
        """Requests for the article URLs worth fetching, the keys never seen before
        (for the listing's stop rule), and when each known key was first seen.

        Worth fetching: new pages; pages in the frontier whose next try is due;
        stored pages whose feed or sitemap date is newer than our copy; and -- with
        ``revalidate``, for the first listing page, where updated releases show up
        -- stored pages asked for conditionally (a 304 costs nothing)."""
        assert self.frontier is not None and self.store is not None
        stated = stated or {}
        seen: dict[str, tuple[str, datetime | None]] = {}
        for url, lastmod in candidates:
            if self.source.owns(url) and self.source.is_article(url):
                seen.setdefault(url_key(url), (url, lastmod))
        known: dict[str, Known] = {}
        if seen:
            try:
                known = self.store.known(seen)
            except Exception as exc:
                self._count("lookup_errors")
                logger.error("%s: stored-page look-up failed (%s)", self.source.key, exc)
        new = {k for k in seen if k not in known and self.frontier.get(k) is None}
        if new:
            try:
                self.frontier.add([(k, seen[k][0]) for k in sorted(new)], found_on)
            except Exception as exc:
                self._count("frontier_errors")
                logger.error("%s: could not record new pages (%s)", self.source.key, exc)
        first_seen: dict[str, datetime | None] = {}
        for key in seen:
            entry = self.frontier.get(key)
            if key in known:
                first_seen[key] = known[key].first_seen_at
            elif entry is not None and key not in new:
                first_seen[key] = entry.first_seen_at
        now = datetime.now(UTC)
        stale: list[str] = []
        requests: list[scrapy.Request] = []
        for key, (url, lastmod) in seen.items():
            if key in self._requested:
                continue
            have = known.get(key)
            entry = self.frontier.get(key)
            if have is None:
                if entry is not None and not entry.due(now) and not self.refresh:
                    if entry.state == GAVE_UP:
                        self._count("gave_up_seen")
                    elif entry.state == DROPPED:
                        self._count("dropped_seen")  # not an article: nothing owed
                    else:
                        self._count("deferred")
                    continue
                request = self._article(url, key)
            elif (
                not self.incremental
                or (lastmod and have.fetched_at and lastmod > have.fetched_at)
                or (entry is not None and entry.due(now))
                or _newer_than_stored(stated.get(url), have)
            ):
                if stated.get(url) is not None and _newer_than_stored(stated.get(url), have):
                    self._count("listing_date_newer")
                request = self._article(url, key)
            elif revalidate:
                stale.append(key)
                continue
            else:
                if key not in self._skipped:
                    # Feed, sitemap and listing often name the same article: count it once.
                    self._skipped.add(key)
                    self._count("skipped_known")
                continue
            if request is not None:
                requests.append(request)
        if stale:
            stale = self._due_for_revalidation(stale, known, now)
        if stale:
            try:
                validators = self.store.validators(stale)
            except Exception:
                self._count("lookup_errors")
                validators = {}
            for key in stale:
                request = self._article(
                    seen[key][0], key, validators.get(key, {}), revalidating=True
                )
                if request is not None:
                    requests.append(request)
        return requests, new, first_seen

    def _due_for_revalidation(
        self, keys: list[str], known: dict[str, Known], now: datetime
    ) -> list[str]:
        """The stored pages worth a conditional request now: young pages often, old
        pages rarely (:func:`revalidation_interval`), counted from the last time the
        page was fetched or revalidated (the raw archive keeps every answer)."""
        try:
            checked = self.store.last_checked(keys) if self.store is not None else {}
        except Exception:
            self._count("lookup_errors")
            return keys
        due = []
        for key in keys:
            have = known[key]
            born = have.published_at or have.first_seen_at or now
            last = checked.get(key) or have.fetched_at
            if last is None or now - last >= revalidation_interval(now - born):
                due.append(key)
            elif key not in self._skipped:
                self._skipped.add(key)
                self._count("revalidation_not_due")
        return due

    def _article(
        self,
        url: str,
        key: str,
        headers: dict[str, str] | None = None,
        revalidating: bool = False,
    ) -> scrapy.Request | None:
        if key in self._requested:
            return None
        if len(self._requested) >= self.max_articles:
            if revalidating:
                # Only a check for updates of a stored page: nothing is owed.
                self._count("revalidation_skipped")
            else:
                # Left in the frontier (pending): the next run fetches it first.
                self._count("budget/articles")
            return None
        self._requested.add(key)
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self._article_failed,
            headers=headers or None,
            meta={
                "handle_httpstatus_list": [304],
                "pressbot_revalidating": revalidating,
                "pressbot_key": key,
            },
        )

    async def start(self) -> AsyncIterator[Any]:
        assert self.frontier is not None
        shared = self.shared_run
        if shared is not None and not shared.join(self.run_started):
            # A worker joining a shared run: its founder pushed the seeds; this one
            # only takes work from the shared queue (pressbot/distributed.py). The
            # walks it may end began when the founder started.
            self.run_started = shared.started() or self.run_started
            try:
                self.frontier.load()
            except Exception as exc:
                logger.error("%s: could not read the crawl frontier: %s", self.source.key, exc)
                self._count("frontier_errors")
                raise CloseSpider("database_unavailable") from exc
            self._open_walks = set(self.source.listings)
            return
        try:
            if self.retry_failed:
                from pressbot.frontier import reset_given_up

                n = reset_given_up(self.frontier.engine, [self.source.key])
                self._count("retry_failed_reset", n)
            self.frontier.load()
            self._walks = self.frontier.walks(list(self.source.listings))
            if shared is not None:
                shared.publish_walks(self._walks)
            self.frontier.walk_started(list(self.source.listings), self.run_started)
        except Exception as exc:
            logger.error("%s: could not read the crawl frontier: %s", self.source.key, exc)
            self._count("frontier_errors")
            raise CloseSpider("database_unavailable") from exc
        # Work earlier runs left: failed pages due for a try, pages never fetched.
        for entry in self.frontier.due():
            request = self._article(entry.url, entry.url_key)
            if request is not None:
                self._count("frontier_retries")
                yield request
        if self.backfill:
            lines = Path(self.backfill).read_text("utf-8").splitlines()
            urls = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
            requests, _, _ = self._wanted(((u, None) for u in urls), found_on="backfill")
            for request in requests:
                yield request
        for url in self.source.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self._start_failed)
        for url in self.source.sitemaps:
            self._sitemaps += 1
            yield scrapy.Request(
                url,
                callback=self.parse_sitemap,
                errback=self._start_failed,
                cb_kwargs={"depth": 0},
            )
        for url in self.source.listings:
            self._open_walks.add(url)
            self._walk_pages[url] = 0
            yield self._listing(url, url, 1)
        if shared is not None:
            shared.seeded()

    # --- listings -------------------------------------------------------------------
    def _listing(self, url: str, start: str, page: int) -> scrapy.Request:
        self._listing_pages += 1
        self._walk_pages[start] = page
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self._listing_failed,
            cb_kwargs={"page": page, "start": start},
            meta={"pressbot_walk": start},
        )

    def _end_walk(self, start: str, why: str) -> None:
        if start not in self._open_walks:
            return
        self._open_walks.discard(start)
        shared = self.shared_run
        if shared is not None and shared.joined and not shared.end_walk(start):
            return  # another worker of the shared run ended (and recorded) it
        natural = why in NATURAL
        self._count(f"walk/{why}")
        if not natural:
            self._count("walks_cut")
            logger.warning(
                "%s: listing walk from %s cut (%s) after %d page(s); the next run resumes it",
                self.source.key,
                start,
                why,
                self._walk_pages.get(start, 0),
            )
        if self.frontier is not None:
            self.frontier.walk_ended(
                start,
                natural=natural,
                pages=self._walk_pages.get(start, 0),
                run_started=self.run_started,
                reason=why,
            )

    def parse_listing(
        self, response: Response, page: int, start: str | None = None
    ) -> Iterator[scrapy.Request]:
        start = start or response.url
        # In a shared run the page before this one may have been another worker's.
        self._walk_pages[start] = max(self._walk_pages.get(start, 0), page)
        links = [u for h in response.xpath("//a/@href").getall() if (u := _join(response, h))]
        articles = list(dict.fromkeys(u for u in links if self.source.is_article(u)))
        if not articles:
            # A listing without article links: the site's layout changed, or a bad page.
            self._count("listing_without_articles")
            logger.warning("%s: no article links on listing %s", self.source.key, response.url)
        wanted, new, first_seen = self._wanted(
            ((u, None) for u in articles),
            revalidate=page == 1,
            found_on=response.url,
            stated=self._listing_dates(response) if self.incremental else None,
        )
        yield from wanted
        if self.incremental and articles and not new and self._may_stop(start, first_seen):
            self._count("listing_stopped_early")
            self._end_walk(start, "caught_up")
            return
        following = self._next_page(response, links, page)
        if following is None:
            self._end_walk(start, "last_page")
        elif page >= self.max_pages:
            # The source's horizon is as deep as its crawls ever go; a lower limit
            # given for one run leaves the rest to the next.
            self._end_walk(
                start, "horizon" if self.max_pages >= self.source.max_pages else "page_limit"
            )
        elif self._listing_pages >= self.max_listing_pages:
            self._count("budget/listing_pages")
            self._end_walk(start, "listing_budget")
        else:
            yield self._listing(following, start, page + 1)

    def _listing_dates(self, response: Response) -> dict[str, datetime]:
        """The date a listing shows beside each article link (a table row's "Date"
        cell, a list item's stamp): the widest element around the link that holds
        no other article's link, read for its first date. Government listings show
        the date a release was last updated there, and that is how an update of a
        release far older than the revalidation window is seen."""
        out: dict[str, datetime] = {}
        root = getattr(response, "selector", None)
        if root is None:
            return out
        for link in root.root.iter("a"):
            url = _join(response, link.get("href"))
            if url is None or url in out or not self.source.is_article(url):
                continue
            row = None
            for ancestor in link.iterancestors():
                joined = (_join(response, h) for h in ancestor.xpath(".//a/@href"))
                hrefs = {u for u in joined if u and self.source.is_article(u)}
                if len(hrefs) > 1:
                    break
                row = ancestor
            if row is None:
                continue
            text = " ".join(" ".join(row.itertext()).split())[:2000]
            found = find_date(text, tz=self.source.timezone, relative=False)
            if found is not None:
                out[url] = found[0]
        return out

    def _may_stop(self, start: str, first_seen: dict[str, datetime | None]) -> bool:
        """A page with nothing new ends the walk if what lies below it was covered:
        the last walk ended naturally, or this page reaches articles known from
        before that walk (module docstring of pressbot/frontier.py)."""
        walk = self._walks.get(start)
        if walk is None and self.shared_run is not None:
            walk = self.shared_run.walk(start)  # as the run's founder read it
            if walk is not None:
                self._walks[start] = walk
        if walk is None:
            return False
        if walk.complete:
            return True
        since = walk.complete_since
        return since is not None and any(t is not None and t < since for t in first_seen.values())

    def _next_page(self, response: Response, links: list[str], page: int) -> str | None:
        """The listing's next page: rel=next, else the pagination link with the
        smallest page number above this one, else the first other pagination link.
        One page at a time, so a listing that links pages N+1..N+20 costs one request
        per page walked, not twenty."""
        pattern = self.source.pagination_re
        if pattern is None:
            return None
        here = canonical_url(response.url)
        candidates = [
            u for u in dict.fromkeys(links) if pattern.search(u) and canonical_url(u) != here
        ]
        rel_next = response.xpath("//a[@rel='next']/@href | //link[@rel='next']/@href").get()
        if rel_next:
            url = _join(response, rel_next) or ""
            if pattern.search(url) and canonical_url(url) != here:
                return url
        current = _page_number(response.url) if page > 1 else 1
        numbered = [(n, u) for u in candidates if (n := _page_number(u)) is not None]
        if current is not None and numbered:
            above = [(n, u) for n, u in numbered if n > current]
            return min(above)[1] if above else None
        return candidates[0] if candidates and page == 1 else None

    def _count_http_error(self, failure: Failure) -> None:
        """Scrapy counts an HTTP error answer (``httperror/response_ignored_count``)
        only when the request has no errback, and every request here has one: count
        it for the run's error share (pressbot.extensions.run_errors)."""
        if isinstance(failure.value, HttpError):
            self._count("http_errors")

    def _listing_failed(self, failure: Failure) -> None:
        self._count_http_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        start = request.meta.get("pressbot_walk") or request.url
        reason = failure_reason(failure)
        self._count("listing_errors")
        logger.error("%s: listing %s failed: %s", self.source.key, request.url, reason)
        self._end_walk(start, "listing_error")

    def _start_failed(self, failure: Failure) -> None:
        self._count_http_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        what = "sitemap" if request.callback == self.parse_sitemap else "feed"
        self._count(f"{what}_errors")
        logger.error(
            "%s: %s %s failed: %s", self.source.key, what, request.url, failure_reason(failure)
        )

    # --- feeds and sitemaps ---------------------------------------------------------
    def _check_xml(self, response: Response) -> None:
        """Count feeds and sitemaps that are not well-formed XML, or that declare
        entities (they are still read as far as a forgiving parser gets). Entities are
        never expanded."""
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        try:
            root = etree.fromstring(response.body, parser)
        except etree.XMLSyntaxError as exc:
            self._count("malformed_xml")
            logger.warning("%s: malformed XML at %s: %s", self.source.key, response.url, exc)
            return
        # No feed or sitemap needs entities of its own: declaring them is an attack
        # (billion laughs, external entities naming local files) or a broken
        # generator. Whether the parser happens to stop it depends on libxml2's
        # version (its amplification limit); the declaration is counted either way.
        dtd = root.getroottree().docinfo.internalDTD if root is not None else None
        if dtd is not None and any(True for _ in dtd.iterentities()):
            self._count("malformed_xml")
            logger.warning(
                "%s: XML at %s declares entities (not expanded)", self.source.key, response.url
            )

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self._check_xml(response)
        selector = scrapy.Selector(body=response.body, type="xml")
        selector.remove_namespaces()
        entries: list[tuple[str, datetime | None]] = []
        for item in selector.xpath("//item"):  # RSS 2.0
            link = item.xpath("link/text()").get(default="").strip()
            when = item.xpath("pubDate/text()").get() or item.xpath("date/text()").get()
            if url := _join(response, link):
                entries.append((url, self._lastmod(when)))
        for entry in selector.xpath("//entry"):  # Atom
            link = entry.xpath("link[not(@rel) or @rel='alternate']/@href").get(default="")
            when = entry.xpath("updated/text()").get() or entry.xpath("published/text()").get()
            if url := _join(response, link):
                entries.append((url, self._lastmod(when)))
        self._count("feed_entries", len(entries))
        requests, _, _ = self._wanted(entries, found_on=response.url)
        yield from requests

    def parse_sitemap(self, response: Response, depth: int = 0) -> Iterator[scrapy.Request]:
        self._check_xml(response)
        try:
            sitemap = Sitemap(response.body)
            kind = sitemap.type
        except Exception as exc:  # not XML at all
            self._count("malformed_xml")
            logger.warning("%s: unreadable sitemap %s: %s", self.source.key, response.url, exc)
            return
        if kind == "sitemapindex":
            for entry in sitemap:
                url = _join(response, entry.get("loc"))
                if url is None:
                    continue
                if depth + 1 > self.sitemap_depth:
                    self._count("budget/sitemap_depth")
                    continue
                if self._sitemaps >= self.max_sitemaps:
                    self._count("budget/sitemaps")
                    continue
                self._sitemaps += 1
                yield scrapy.Request(
                    url,
                    callback=self.parse_sitemap,
                    errback=self._start_failed,
                    cb_kwargs={"depth": depth + 1},
                )
            return
        entries = [
            (url, self._lastmod(e.get("lastmod")))
            for e in sitemap
            if (url := _join(response, e.get("loc")))
        ]
        self._count("sitemap_entries", len(entries))
        requests, _, _ = self._wanted(entries, found_on=response.url)
        yield from requests

    def _lastmod(self, text: str | None) -> datetime | None:
        if not text:
            return None
        return parse_date(text.strip(), tz=self.source.timezone)

    # --- articles -----------------------------------------------------------------
    def _article_failed(self, failure: Failure) -> None:
        self._count_http_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        key = request.meta.get("pressbot_key") or url_key(request.url)
        refusal = refusal_reason(failure)
        if refusal is not None:
            # Not an error of the site's that a retry could mend: robots.txt forbids
            # the page, it redirects off the site, it is far too large. Known and
            # counted; looked at again after PRESSBOT_RECHECK_DROPPED.
            self._count("refused")
            self._count(f"dropped/{refusal}")
            logger.warning("%s: %s refused: %s", self.source.key, request.url, failure.value)
            if self.frontier is not None:
                self.frontier.dropped(key, request.url, f"refused ({refusal}): {failure.value}")
            return
        reason = failure_reason(failure)
        if reason == "timeout" and request.meta.get("pressbot_cut_by_budget"):
            # The run's time budget ended the download: the page stays pending (no
            # try counted against it) and the next run fetches it first.
            self._count("cut_by_budget")
            logger.info("%s: %s cut by the time budget", self.source.key, request.url)
            return
        now = datetime.now(UTC)
        self._article_failed_key(
            key,
            request.url,
            reason,
            not_before=retry_after(failure, now),
            gone=_gone(failure),
        )

    def _article_failed_key(
        self,
        key: str,
        url: str,
        reason: str,
        *,
        not_before: datetime | None = None,
        gone: bool = False,
    ) -> None:
        self._count("article_failed")
        logger.warning("%s: %s failed: %s", self.source.key, url, reason)
        if self.frontier is None:
            return
        entry = self.frontier.failed(key, url, reason, not_before=not_before, gone=gone)
        if entry.state == GAVE_UP:
            self._count("gave_up")

    def parse_article(self, response: Response) -> Iterator[Any]:
        key = response.meta.get("pressbot_key") or url_key(response.url)
        if response.status == 304:
            self._count("not_modified")
            self._skipped.add(key)
            return
        if response.meta.get("pressbot_revalidating"):
            self._count("revalidated_changed")
        if not isinstance(response, TextResponse):
            ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
            self._damaged(key, response, f"binary: not a text response ({ctype or 'no type'})")
            return
        text = response.text
        damage = page_damage(response.body, text, framed=is_framed(response.headers))
        if damage:
            self._damaged(key, response, damage)
            return
        try:
            record = extract_html(
                text,
                response.url,
                fetched_at=datetime.now(UTC),
                source=self.source,
            )
        except Exception as exc:
            self._count("extract_errors")
            logger.exception("%s: could not extract %s", self.source.key, response.url)
            self._article_failed_key(key, response.url, f"extraction: {type(exc).__name__}")
            return
        record.frontier_key = key
        self._count("articles_fetched")
        for field in failed_fields(record):
            # The record is kept with that field empty; notes say why.
            self._count(f"field_errors/{field}")
        yield record

    def _damaged(self, key: str, response: Response, reason: str) -> None:
        """A page that is not what it claims (binary, garbled, cut short): never stored
        as a record; it stays in the raw archive and is tried again later."""
        # The stats key is the kind of damage alone ("binary", not "binary (PNG
        # image)"): one counter per kind, whatever the details say.
        kind = reason.split(":", 1)[0].split(" (", 1)[0]
        self._count(f"dropped/{kind}")
        self._article_failed_key(key, response.url, f"damaged page: {reason}")
