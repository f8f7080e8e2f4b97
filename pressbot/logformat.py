"""Log lines for dropped items: the reason and URL, not the whole record."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class PressbotLogFormatter(LogFormatter):
    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        return {
            "level": logging.INFO,
            "msg": "Dropped %(reason)s",
            "args": {"reason": str(exception)},
        }


# Start-up and tear-down lines of Scrapy that tell an operator nothing at the default
# level (the versions of every library, the settings, the enabled components, the
# spider opening and closing): (logger, start of the message template). The stats
# dump at the end stays: it is the run's full set of counters. Warnings and errors
# are never filtered, nor anything at DEBUG.
_CHATTER = (
    ("scrapy.utils.log", "Scrapy %(version)s started"),
    ("scrapy.utils.log", "Versions:"),
    ("scrapy.crawler", "Overridden settings:"),
    ("scrapy.addons", "Enabled addons:"),
    ("scrapy.middleware", "Enabled %(componentname)ss:"),
    ("scrapy.extensions.telnet", "Telnet"),
    ("scrapy.core.engine", "Spider opened"),
    ("scrapy.core.engine", "Closing spider ("),
    ("scrapy.core.engine", "Spider closed ("),
)
# Alembic says what it does at INFO ("Context impl", "Will assume transactional DDL",
# one line per migration); pressbot logs one line when it changes the schema.
_QUIET_LOGGERS = ("alembic",)


class _Chatter(logging.Filter):
    def __init__(self, starts: tuple[str, ...]) -> None:
        super().__init__()
        self.starts = starts

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        return not str(record.msg).startswith(self.starts)


class _FirstStats(logging.Filter):
    """Scrapy's periodic "Crawled N pages" line is progress worth seeing, except its
    first, logged as each spider opens (0 pages, 0 items)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[int] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        spider = getattr(record, "spider", None)
        if record.levelno != logging.INFO or spider is None or id(spider) in self.seen:
            return True
        self.seen.add(id(spider))
        return False


_installed: list[tuple[logging.Filterer, logging.Filter]] = []


def quiet(enable: bool = True) -> None:
    """Keep Scrapy's start-up chatter and Alembic's INFO lines out of the log
    (``enable=False`` puts them back: ``--log-level DEBUG``, ``--debug``)."""
    for target, flt in _installed:
        target.removeFilter(flt)
    _installed.clear()
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING if enable else logging.NOTSET)
    if not enable:
        return
    by_logger: dict[str, list[str]] = {}
    for name, start in _CHATTER:
        by_logger.setdefault(name, []).append(start)
    for name, starts in by_logger.items():
        logger = logging.getLogger(name)
        flt = _Chatter(tuple(starts))
        logger.addFilter(flt)
        _installed.append((logger, flt))
    stats = logging.getLogger("scrapy.extensions.logstats")
    first = _FirstStats()
    stats.addFilter(first)
    _installed.append((stats, first))
