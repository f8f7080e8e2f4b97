"""Publication and update dates: every layer's evidence, weighed in one place.

The extractor's layers each find candidate dates -- structured data, labelled lines
("اشاعت کی تاریخ:", "Updated on:"), a stamp beside the headline, the dateline
("پشاور، 4 ستمبر، 2023") -- and hand them here as :class:`Evidence`, most trusted
first. :func:`choose_published` and :func:`choose_updated` decide, and say why when
they decide nothing: NULL is better than a wrong date.

This is the contract between the page's field methods (pressbot/extract/) and the
date logic: a page object gathers evidence; the choice is made here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

# A date more than this far past the fetch time is a parsing error or a typo.
FUTURE_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Evidence:
    """A candidate date and where it came from.

    ``kind`` names the layer: ``structured`` (JSON-LD, OpenGraph, meta), ``label``
    (a labelled line in the text), ``head`` (a stamp above or beside the text),
    ``page-label`` (a labelled line anywhere on the page), ``dateline``.
    """

    kind: str
    value: datetime
    raw: str = ""


@dataclass(frozen=True)
class Choice:
    value: datetime | None
    # Why nothing was chosen, or why a candidate was rejected (kept in the record's notes).
    note: str | None = None
    # The evidence kind the value came from.
    kind: str | None = None


def _limit(now: datetime | None) -> datetime:
    return (now or datetime.now(ZoneInfo("UTC"))) + FUTURE_SLACK


def _first_plausible(evidence: Sequence[Evidence], now: datetime | None) -> Choice:
    rejected: Evidence | None = None
    limit = _limit(now)
    for e in evidence:
        if e.value > limit:
            rejected = rejected or e
            continue
        return Choice(e.value, None, e.kind)
    if rejected is not None:
        return Choice(None, f"rejected date in the future: {rejected.value.isoformat()}")
    return Choice(None, None)


def choose_published(
    evidence: Sequence[Evidence],
    *,
    url: str = "",
    now: datetime | None = None,
    tree: HtmlElement | None = None,
    tz: str = "Asia/Karachi",
    language: str | None = None,
) -> Choice:
    """The publication date: the most trusted plausible candidate; a date more than a
    day after the fetch is rejected (with its reason); none at all says so.

    ``url``, ``tree`` (the parsed page, unpruned), ``tz`` (the source's time zone)
    and ``language`` (declared or detected) are for layers that read the page
    themselves (dates in the URL, markup, other libraries)."""
    choice = _first_plausible(evidence, now)
    if choice.value is None and choice.note is None:
        return Choice(None, "no date on page")
    return choice


def choose_updated(
    evidence: Sequence[Evidence],
    *,
    url: str = "",
    now: datetime | None = None,
    tree: HtmlElement | None = None,
    tz: str = "Asia/Karachi",
    language: str | None = None,
) -> Choice:
    """The last update the page states, by the same rules; absent is no note."""
    return _first_plausible(evidence, now)
