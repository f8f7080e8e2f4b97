"""What a site asks of a crawler, and the budgets a run keeps to.

- :class:`RetryAfterMiddleware`: a 429/503 that says ``Retry-After`` is waited out
  (up to ``PRESSBOT_RETRY_AFTER_MAX`` seconds, twice per request) instead of being
  retried at once; a longer wait is left to a later run (the frontier records the
  time the server gave).
- :class:`RobotsTxtMiddleware`: a robots.txt that answers 5xx or 429, or cannot be
  fetched (timeout, connection refused), means "disallow everything" for the rest of
  the run -- the rule the major search engines follow -- not "crawl everything".
- :class:`DeadlineMiddleware`: with a time budget, no request may outlive it by
  more than a second: its download timeout is cut to the time left, so closing
  the run at the deadline never waits for a hanging server.
- :class:`BudgetAddon`: turns ``PRESSBOT_MAX_MINUTES`` into Scrapy's
  ``CLOSESPIDER_TIMEOUT`` (which ends the run at the deadline), whatever way the
  crawl was started.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware as _ScrapyOffsite
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as _ScrapyRobots
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater

from pressbot import config

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

ROBOTS_UNAVAILABLE = "robots.txt unavailable"
# Waits for one request's Retry-After within a run.
RETRY_AFTER_WAITS = 2
# A request started close to the deadline still gets this long (seconds).
MIN_TIMEOUT = 1.0
# How long a request may outlive the deadline (seconds): the run's own end at the
# deadline (CLOSESPIDER_TIMEOUT) must come first, so that a run cut by its budget
# says "timeout" -- not a hanging page that timed out a moment before, after which
# the run found nothing left to do and ended as if it had finished.
DEADLINE_GRACE = 1.0


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.max_wait = config.value(settings.get, "PRESSBOT_RETRY_AFTER_MAX")

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        from pressbot.spiders.base import parse_retry_after

        if (
            response.status in (429, 503)
            and not request.meta.get("dont_retry")
            and b"Retry-After" in response.headers
        ):
            now = datetime.now(UTC)
            when = parse_retry_after(response.headers.get(b"Retry-After"), now)
            waits = request.meta.get("pressbot_retry_after_waits", 0)
            if when is not None:
                delay = max(0.0, (when - now).total_seconds())
                if delay <= self.max_wait and waits < RETRY_AFTER_WAITS:
                    from twisted.internet import reactor

                    self.crawler.stats.inc_value("pressbot/retry_after_waits")
                    logger.info(
                        "%s answered %d, Retry-After %.0f s: waiting",
                        request.url,
                        response.status,
                        delay,
                    )
                    await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
                    retry = request.replace(dont_filter=True)
                    retry.meta["pressbot_retry_after_waits"] = waits + 1
                    return retry
                # Too long to wait now: the request fails, and the frontier keeps the
                # time the server asked for.
                self.crawler.stats.inc_value("pressbot/retry_after_deferred")
                return response
        return super().process_response(request, response)


class _DisallowAll:
    """A robots.txt parser that allows nothing (the site could not say what it allows)."""

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False

    def sitemaps(self) -> list[str]:
        return []


class RobotsTxtMiddleware(_ScrapyRobots):
    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            # Counted as Scrapy's parser counts a robots.txt answer: it is not a page
            # the crawl fetched (pressbot.extensions.pages_fetched leaves these out).
            self.crawler.stats.inc_value("robotstxt/response_count")
            self.crawler.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unavailable(netloc, f"HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            # pressbot itself refused the fetch (robots.txt redirects to a forbidden
            # address, off the site): as for a missing robots.txt, the site said
            # nothing; every page is still checked by the same guards.
            super()._robots_error(exc, netloc)
            return
        self._unavailable(netloc, type(exc).__name__)

    def _unavailable(self, netloc: str, why: str) -> None:
        logger.error(
            "robots.txt of %s unavailable (%s): nothing is fetched from it this run", netloc, why
        )
        self.crawler.stats.inc_value("pressbot/robots_unavailable")
        pending = self._parsers.get(netloc)
        parser: Any = _DisallowAll()
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred) and not pending.called:
            pending.callback(parser)

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, _DisallowAll):
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"{ROBOTS_UNAVAILABLE}: not crawling this host this run")
        super().process_request_2(rp, request)


class OffsiteMiddleware(_ScrapyOffsite):
    """Scrapy's off-site filter drops a redirect to another site when the redirect is
    scheduled, without calling the request's errback: the spider would never learn
    that the article it asked for went elsewhere. This one says so with Scrapy's
    ``request_dropped`` signal."""

    def request_scheduled(self, request: Request, spider: Any) -> None:
        try:
            super().request_scheduled(request, spider)
        except IgnoreRequest:
            self.crawler.signals.send_catch_log(
                signal=signals.request_dropped, request=request, spider=spider
            )
            raise


class DeadlineMiddleware:
    """Caps each request's download timeout at the time left in the run's budget
    (plus :data:`DEADLINE_GRACE`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.budget = float(crawler.settings.getfloat("CLOSESPIDER_TIMEOUT", 0))
        self.started = time.monotonic()
        # The budget runs from the spider's opening, as Scrapy's CloseSpider counts it.
        crawler.signals.connect(self._opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeadlineMiddleware:
        return cls(crawler)

    def _opened(self) -> None:
        self.started = time.monotonic()

    def process_request(self, request: Request, spider: Any = None) -> None:
        if not self.budget:
            return
        left = self.budget - (time.monotonic() - self.started)
        current = request.meta.get("download_timeout")
        cap = max(MIN_TIMEOUT, left + DEADLINE_GRACE)
        if current is None or current > cap:
            request.meta["download_timeout"] = cap
            # The budget, not the site, will have ended this download if it times out.
            request.meta["pressbot_cut_by_budget"] = True


class BudgetAddon:
    """``PRESSBOT_MAX_MINUTES`` -> ``CLOSESPIDER_TIMEOUT`` (seconds)."""

    def update_settings(self, settings: Settings) -> None:
        try:
            minutes = config.value(settings.get, "PRESSBOT_MAX_MINUTES")
        except ValueError:
            return  # reported by the settings check before the crawl starts
        if minutes:
            settings.set("CLOSESPIDER_TIMEOUT", minutes * 60, priority="addon")
