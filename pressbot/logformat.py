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
