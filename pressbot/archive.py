"""The raw archive: every fetched article response is kept, compressed, in the
``pages`` table, so records can be rebuilt with a newer extractor
(`pressbot reextract`) without touching the network.

Why rows in the database rather than WARC files: workers on several machines
share the database but not a disk; the archive is backed up, replicated and
queried (by source, by fetch time) with the records it explains; and a page and
the record made from it can be written by the same crawl without a second store
to keep consistent. `pressbot ingest` reads WARC files from other crawlers.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.http import Request, Response

from pressbot import deadletter
from pressbot.urls import url_key

logger = logging.getLogger(__name__)


def page_values(
    url: str,
    status: int,
    headers: dict[str, list[str]],
    body: bytes,
    fetched_at: datetime,
    source: str | None,
) -> dict[str, Any]:
    return {
        "url": url,
        "url_key": url_key(url),
        "source": source,
        "status": status,
        "headers": headers,
        "body_z": zlib.compress(body, 6),
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "fetched_at": fetched_at,
    }


def _headers(response: Response) -> dict[str, list[str]]:
    return {
        k.decode("latin-1"): [v.decode("latin-1") for v in vs] for k, vs in response.headers.items()
    }


class RawArchiveMiddleware:
    """Downloader middleware that archives article responses in batches.

    Off with ``PRESSBOT_ARCHIVE=0``. A batch that cannot be written goes to the
    dead-letter file (``pressbot replay`` stores it later) and is counted
    (``pressbot/archive_errors``); the crawl goes on.
    """

    def __init__(self, crawler: Any) -> None:
        from pressbot.extensions import database_of

        self.crawler = crawler
        self.database = database_of(crawler)
        self.database_url = self.database.database_url
        self.deadletter_path = crawler.settings.get("PRESSBOT_DEADLETTER_PATH")
        self.batch = crawler.settings.getint("PRESSBOT_ARCHIVE_BATCH", 50)
        self.buffer: list[dict[str, Any]] = []
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RawArchiveMiddleware:
        if not crawler.settings.getbool("PRESSBOT_ARCHIVE", True):
            from scrapy.exceptions import NotConfigured

            raise NotConfigured("PRESSBOT_ARCHIVE is off")
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        source = getattr(self.crawler.spider, "source", None)
        if source is not None and source.is_article(response.url):
            self.buffer.append(
                page_values(
                    response.url,
                    response.status,
                    _headers(response),
                    response.body,
                    datetime.now(UTC),
                    source.key,
                )
            )
            if len(self.buffer) >= self.batch:
                self.flush()
        return response

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if not batch:
            return
        try:
            self.database.store.archive(batch)
            self.crawler.stats.inc_value("pressbot/archived", len(batch))
        except Exception as exc:
            logger.error(
                "could not archive %d pages (%s); kept in %s", len(batch), exc, self.deadletter_path
            )
            deadletter.append_pages(self.deadletter_path, batch, exc, database=self.database_url)
            self.crawler.stats.inc_value("pressbot/archive_errors", len(batch))

    def close(self) -> None:
        self.flush()
