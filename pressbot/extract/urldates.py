"""Dates written in a page's URL: "/2012/05/11/slug", "/2020-02/19/", "news-20200219.html".

A CMS writes the day an article was first published into its address when the
article is created, and the address never changes after that, so a full date in
the path is the original publication day, not an update. A year and month alone
("/2020/02/slug") only narrows the day down; :mod:`pressbot.extract.evidence` uses
it to check other evidence, never as a date by itself.

What is not read: numbers that only look like dates (an eight-digit article id
such as "/news/20201231456", a year range "2019-2020"), days and months outside
the calendar, years before :data:`pressbot.text.dates.MIN_YEAR`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final
from urllib.parse import unquote, urlsplit

from pressbot.text.dates import MAX_YEAR, MIN_YEAR

__all__ = ["UrlDate", "url_date"]

_YEAR: Final = r"(?P<year>(?:19|20)[0-9]{2})"
_MONTH: Final = r"(?P<month>0?[1-9]|1[0-2])"
_DAY: Final = r"(?P<day>0?[1-9]|[12][0-9]|3[01])"
# Parts of a date are delimited by "/", "-", "_" or "." and the whole date by a
# non-digit on both sides, so an id that merely contains a date-like run of
# digits is not read.
_FULL: Final[tuple[re.Pattern[str], ...]] = (
    # /2012/05/11/, /2012-05-11-, _2012_05_11., /2020-02/19/
    re.compile(rf"(?<![0-9]){_YEAR}[/_.-]{_MONTH}[/_.-]{_DAY}(?![0-9])"),
    # /20120511/, -20120511.html: eight digits standing alone
    re.compile(
        r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})(?P<month>0[1-9]|1[0-2])"
        r"(?P<day>0[1-9]|[12][0-9]|3[01])(?=[/_.-]|$)(?<=[0-9])"
    ),
)
# "/2020/02/" and "/2020-02/" name a month; "/ausgaben/2019-4/" is an issue
# number as often as a month, so a one-digit month needs slashes.
_PARTIAL: Final = re.compile(
    r"(?<![0-9])(?:^|/)(?P<year>(?:19|20)[0-9]{2})"
    r"(?:/(?P<m1>0?[1-9]|1[0-2])|[_-](?P<m2>0[1-9]|1[0-2]))(?:/|$)"
)


@dataclass(frozen=True, slots=True)
class UrlDate:
    year: int
    month: int
    # None when the URL names the year and month only.
    day: int | None

    @property
    def day_date(self) -> date | None:
        """The full date, or None for a year and month."""
        return date(self.year, self.month, self.day) if self.day is not None else None

    def contains(self, day: date) -> bool:
        """Whether ``day`` is the day, or falls in the month, this URL names."""
        if self.day is not None:
            return day == self.day_date
        return (day.year, day.month) == (self.year, self.month)


def _path(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[ccpa-preferences]": no date in a broken address
        return ""
    path = unquote(parts.path)
    return f"{path}?{unquote(parts.query)}" if parts.query else path


def url_date(url: str) -> UrlDate | None:
    """The date in ``url``'s path or query: a full date if there is one, else a
    year and month, else None. The first full date counts (a second one in the
    same URL is a related link's slug as often as not)."""
    text = _path(url)
    if not text:
        return None
    for pattern in _FULL:
        for m in pattern.finditer(text):
            year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
            if not MIN_YEAR <= year <= MAX_YEAR:
                continue
            try:
                date(year, month, day)
            except ValueError:  # 2023/02/30
                continue
            if pattern is _FULL[1] and not _standalone(text, m.start(), m.end()):
                continue
            return UrlDate(year, month, day)
    partial = _PARTIAL.search(text)
    if partial and MIN_YEAR <= int(partial["year"]) <= MAX_YEAR:
        return UrlDate(int(partial["year"]), int(partial["m1"] or partial["m2"]), None)
    return None


def _standalone(text: str, start: int, end: int) -> bool:
    """An eight-digit date must follow a delimiter too: "/20120511/" and
    "news-20120511.html" are dates, "id20120511" is not."""
    return start == 0 or text[start - 1] in "/_.-=?&"
