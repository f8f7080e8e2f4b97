"""Write records in batched transactions; whatever cannot be written goes to the
dead-letter file, never nowhere."""

from __future__ import annotations

import logging
from typing import Any

from pressbot import deadletter
from pressbot.extensions import DatabaseOwner, database_of
from pressbot.items import Record

from ._base import CountingPipeline

logger = logging.getLogger(__name__)


class StorePipeline(CountingPipeline):
    """Writes through the crawler's one store (:class:`pressbot.extensions.DatabaseOwner`);
    a database down at start costs nothing until the first batch, which tries again."""

    def __init__(
        self, stats: Any, database: DatabaseOwner | str, batch: int, deadletter_path: str
    ) -> None:
        super().__init__(stats)
        # A database URL (the pipeline used on its own) gets an owner of its own,
        # closed with the pipeline.
        self._own = isinstance(database, str)
        self.database = DatabaseOwner(database) if isinstance(database, str) else database
        self.database_url = self.database.database_url
        self.batch = max(1, batch)
        self.deadletter_path = deadletter_path
        self.buffer: list[Record] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        s = crawler.settings
        return cls(
            crawler.stats,
            database_of(crawler),
            s.getint("PRESSBOT_STORE_BATCH", 200),
            s.get("PRESSBOT_DEADLETTER_PATH"),
        )

    def open_spider(self) -> None:
        try:
            self.database.store  # noqa: B018 -- opened (and migrated) before the first item
        except Exception as exc:
            # The database is down at start: items are kept, and each batch tries again.
            logger.error("database unavailable at start (%s); will retry per batch", exc)

    def process_item(self, item: Any) -> Record:
        self.buffer.append(item)
        if len(self.buffer) >= self.batch:
            self.flush()
        return item

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if not batch:
            return
        try:
            outcomes = self.database.store.upsert(batch)
        except Exception as exc:
            if len(batch) == 1 or _database_down(exc):
                self._deadletter(batch, exc)
                return
            # One bad record must not cost the batch: store them one by one, so
            # only the record the database refuses is kept aside.
            logger.warning(
                "could not store a batch of %d records (%s); storing them one by one",
                len(batch),
                exc,
            )
            for record in batch:
                self.buffer.append(record)
                self.flush()
            return
        for rec, outcome in zip(batch, outcomes, strict=True):
            self.count(rec, outcome)

    def _deadletter(self, batch: list[Record], exc: Exception) -> None:
        logger.error(
            "could not store %d record(s) (%s); kept in %s", len(batch), exc, self.deadletter_path
        )
        try:
            deadletter.append(self.deadletter_path, batch, exc, database=self.database_url)
        except Exception as write_exc:
            # Nowhere left to keep them: say so loudly; the crawl frontier still
            # holds their pages, so the next run fetches them again.
            logger.critical(
                "could not write %d record(s) to the dead-letter file %s: %s",
                len(batch),
                self.deadletter_path,
                write_exc,
            )
            for rec in batch:
                self.count(rec, "deadletter_write_failed")
            return
        for rec in batch:
            self.count(rec, "deadletter")
        self.stats.inc_value("pressbot/deadletter", len(batch))

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self._own:
                self.database.close()


def _database_down(exc: BaseException) -> bool:
    """The database itself is unreachable (not one record's fault): retrying record by
    record would only wait for the same timeout once per record."""
    from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | DisconnectionError | PoolTimeout)
