"""Publication and update dates: every layer's evidence, weighed in one place.

The extractor's layers each find candidate dates -- structured data, labelled lines
("اشاعت کی تاریخ:", "Updated on:"), a stamp beside the headline, the dateline
("پشاور، 4 ستمبر، 2023") -- and hand them here as :class:`Evidence`, most trusted
first. :func:`choose_published` and :func:`choose_updated` add what they read from
the page themselves and decide, and say why when they decide nothing: NULL is
better than a wrong date, but a NULL must be earned.

This is the contract between the page's field methods (pressbot/extract/) and the
date logic: a page object gathers evidence; the choice is made here.

Evidence, most trusted first (``Choice.kind`` names the winner)
-------------------------------------------------------------
==============  ========  ===============================================================
kind            family    what
==============  ========  ===============================================================
``structured``  meta      JSON-LD Article ``datePublished``, ``article:published_time``
``markup``      meta      untyped JSON-LD, Dublin Core/Highwire/CMS ``<meta>`` names
``markup``      body      microdata, ``<time datetime>``, ``<abbr title>`` in the article
``label``       body      a labelled line of the text ("Published:", "تاریخ اشاعت:")
``stamp``       body      a date stamp under the headline, or in a date-classed element
``head``        body      a date line beside the start of the text
``page-label``  body      a labelled line anywhere on the page
``dateline``    body      "پشاور، 4 ستمبر، 2023:" opening the first paragraph
``url``         url       a full date in the URL path ("/2012/05/11/")
``htmldate``    htmldate  htmldate's answer (``original_date=True``, with the URL)
==============  ========  ===============================================================

The agreement rule
------------------
Two candidates *agree* when they name the same local day (the local-day rule
below widens this for UTC times). Candidates of one family are not independent
(a ``<time>`` and the stamp around it are one element read twice), so only
agreement across families counts.

1. **Confirmed**: the most trusted candidate that another family agrees with wins
   ("URL date and markup date agree -> take it"). This is also how a wrong head
   stamp or a CMS's re-publication date loses to the day the URL and the byline
   both give.
2. **Unconfirmed, with a URL date**: the URL's day wins (htmldate ranks it first
   too: the day an address was minted never changes).
3. **Unconfirmed, no URL date**: the most trusted candidate wins, as before this
   rule -- except when the first candidate of another family disagrees with it
   and htmldate sides with that one, or when it is a lone ``head`` or
   ``page-label`` date (a line read by its place alone) and htmldate's fast
   reading names another day. Within one family the trust order decides:
   htmldate is no judge there (it reads the first ``<time>`` on the page, which is
   as often the header's "today" as the article's date), and on pressbot's Urdu
   pages its free-text search guesses (on the mirror it answers "2023-01-01" for
   every kppolice release).
4. **Nothing of pressbot's**: htmldate's answer from markup and URL (its fast
   mode) is taken on an article page; an answer that only its free-text search
   finds is taken only when the page is an article and that date is written on
   it (htmldate fills a lone year with 1 January). Otherwise NULL, with the reason.

The local-day rule
------------------
A publication *day* is the publisher's local day. A date keeps the offset the
page gives (``+05:00``, ``-04:00``); it is never converted to ``tz``. A time
given only in UTC (``2023-11-09T03:28:35+00:00`` for a New York story) may
belong to the day before (any zone down to UTC-12, so only before 12:00 UTC) or
after (up to UTC+14, so only from 10:00 UTC); when a candidate of another family
names that neighbouring day (the URL's 2023-11-08), the two agree and the day is
that candidate's -- midnight in ``tz`` when it has no time of its own, as every
date-only value. A UTC time that nothing contradicts keeps its UTC day.

What the thresholds rest on
---------------------------
Measured with ``bench/dates_eval.py`` on its 96 pages (the mirror's 34 articles,
the 3 seeds, the 18 pages of both hold-out sets, 41 synthetic shape pages of
tests/fixtures/dates/ and bench/datepages/), htmldate 1.11.0, ``original_date``:

* htmldate with its free-text search: 54 right, 39 wrong, 3 none; 25 of the 39
  wrong answers are "1 January" of a year seen on the page (every kppolice and
  hamariweb page of the mirror). Hence rule 4: such an answer must be written on
  the page as a full date, and rule 3: pressbot's own candidate stands when only
  htmldate disagrees within one family.
* htmldate's fast mode (markup, URL, date-classed elements): 48 right, 7 wrong,
  41 none, and no wrong answer on the 55 Urdu pages; its 7 wrong answers are the
  header's "today" ``<time>``, a sidebar date, UTC days and day-first numbers --
  what the local-day rule and the family rule guard against. So its answer
  alone dates an article page, and it only judges between families.
* ``_WEST_LIMIT``/``_EAST_FROM`` are not tuned: they are the span of real UTC
  offsets (-12:00 to +14:00).
* ``ARTICLE_MIN_CHARS`` is the text cleaner's ``BODY_MIN`` (a paragraph that long
  is story text, not a heading); a contact or event page's lines and a listing's
  teasers on the shape pages are shorter.

What the design gives up: a page whose only date is in free text that htmldate
does not pick and pressbot's layers do not read stays NULL; a non-article page
(a homepage, a listing) gets no date even when htmldate's guess would be right;
an all-number date on a page that declares plain ``en`` is read day-first by
the text cleaner (it is not given the page's language).
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cached_property
from typing import Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree
from lxml.html import HtmlElement

from pressbot.extract.markup_dates import markup_dates, page_language, stamp_dates
from pressbot.extract.structured import read_structured
from pressbot.extract.urldates import UrlDate, url_date

# A date more than FUTURE_SLACK past the fetch time is a parsing error or a typo.
from pressbot.text.dates import FUTURE_SLACK, MIN_YEAR, find_date

__all__ = ["Choice", "Evidence", "choose_published", "choose_updated"]

log = logging.getLogger(__name__)

# A paragraph this long is story text; an article page has at least two.
ARTICLE_MIN_CHARS: Final = 100
# A UTC time may be the local day before only if earlier than this hour (zones
# reach UTC-12) and the day after only from this hour on (zones reach UTC+14).
_WEST_LIMIT: Final = 12
_EAST_FROM: Final = 10


@dataclass(frozen=True)
class Evidence:
    """A candidate date and where it came from.

    ``kind`` names the layer: ``structured`` (JSON-LD, OpenGraph, meta), ``label``
    (a labelled line in the text), ``head`` (a stamp above or beside the text),
    ``page-label`` (a labelled line anywhere on the page), ``dateline``; and, found
    here, ``markup``, ``stamp``, ``url`` and ``htmldate``.
    """

    kind: str
    value: datetime
    raw: str = ""


@dataclass(frozen=True)
class Choice:
    value: datetime | None
    # Why nothing was chosen, why a candidate was rejected, or which evidence
    # overruled the most trusted one (kept in the record's notes).
    note: str | None = None
    # The evidence kind the value came from.
    kind: str | None = None


# The layers' own order (structured, label, head, page-label, dateline) is kept;
# markup joins structured data, and the stamp under the headline comes before
# the head lines, which include the site header's "today" date that the stamp
# reader knows to skip.
_RANK: Final = {
    "structured": 0,
    "markup": 1,
    "label": 2,
    "stamp": 3,
    "head": 4,
    "page-label": 5,
    "dateline": 6,
    "url": 7,
    "htmldate": 8,
}
# Layers that read a date line by its place alone, not by a label or markup.
_WEAK: Final = frozenset({"head", "page-label"})
_FAMILY: Final = {
    "structured": "meta",
    "label": "body",
    "dateline": "body",
    "head": "body",
    "stamp": "body",
    "page-label": "body",
    "url": "url",
    "htmldate": "htmldate",
}


@dataclass(frozen=True)
class _Candidate:
    kind: str
    family: str
    value: datetime
    order: int  # position among candidates of the same kind

    @property
    def day(self) -> date:
        return self.value.date()

    @property
    def rank(self) -> tuple[int, int]:
        return _RANK.get(self.kind, len(_RANK)), self.order

    @property
    def timed(self) -> bool:
        return self.value.timetz().replace(tzinfo=None) != time(0)

    @property
    def utc_timed(self) -> bool:
        return self.timed and self.value.utcoffset() == timedelta(0)


def _agree(a: _Candidate, b: _Candidate) -> bool:
    """Same local day, or a UTC time and a day it may be local to (see module doc)."""
    if a.day == b.day:
        return True
    for x, y in ((a, b), (b, a)):
        if not x.utc_timed or y.utc_timed:
            continue
        if y.timed and y.value.tzinfo is not None:
            # Both instants with zones: the UTC one seen in the other's zone.
            return x.value.astimezone(y.value.tzinfo).date() == y.day
        shift = (y.day - x.day).days
        hour = x.value.hour + x.value.minute / 60
        if (shift == -1 and hour < _WEST_LIMIT) or (shift == 1 and hour >= _EAST_FROM):
            return True
    return False


def _pick(c: _Candidate, confirmer: _Candidate) -> datetime:
    """``c``'s value, or the confirmer's day when ``c`` is a UTC time of a
    neighbouring day (the local-day rule)."""
    if c.day == confirmer.day or not c.utc_timed:
        return c.value
    return confirmer.value


def _aware(now: datetime | None, tz: str) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=_zone(tz))


def _local(value: datetime, tz: str) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=_zone(tz))


def _zone(tz: str) -> tzinfo:
    return UTC if tz.upper() in ("UTC", "GMT") else ZoneInfo(tz)


# choose_published and choose_updated are called on the same tree one after the
# other; the markup is read once. Entries go with their tree.
_MARKUP_CACHE: weakref.WeakKeyDictionary[
    HtmlElement, tuple[tuple[str, str | None], list[tuple[str, str, datetime]]]
] = weakref.WeakKeyDictionary()


class _Page:
    """What the choice reads from the page itself, each read once and only if needed."""

    def __init__(
        self,
        tree: HtmlElement | None,
        url: str,
        now: datetime,
        tz: str,
        language: str | None,
        title: str | None,
        fetched: datetime | None = None,
    ) -> None:
        self.tree = tree
        # Relative stamps ("3 گھنٹے پہلے") resolve against the fetch time only.
        self.fetched = fetched
        self.url = url
        self.now = now
        self.tz = tz
        self.language = _locale(page_language(tree, language), url)
        self.title = title

    @cached_property
    def url_date(self) -> UrlDate | None:
        return url_date(self.url) if self.url else None

    @cached_property
    def markup(self) -> list[tuple[str, str, datetime]]:
        """(role, family, value) of markup dates, read once per page for both choices."""
        if self.tree is None:
            return []
        key = (self.tz, self.language)
        cached = _MARKUP_CACHE.get(self.tree)
        if cached is not None and cached[0] == key:
            return cached[1]
        out = []
        for m in markup_dates(self.tree, tz=self.tz, language=self.language):
            family = "meta" if m.how in ("jsonld", "meta", "microdata-meta") else "body"
            out.append((m.role, family, m.value))
        _MARKUP_CACHE[self.tree] = (key, out)
        return out

    @cached_property
    def stamps(self) -> list[datetime]:
        if self.tree is None:
            return []
        title = self.title or _tree_title(self.tree)
        found = stamp_dates(
            self.tree, title=title, now=self.fetched, tz=self.tz, language=self.language
        )
        return [m.value for m in found]

    def htmldate(self, *, extensive: bool) -> datetime | None:
        """htmldate's publication day, at local midnight in ``tz``; never fetches
        (it is given the parsed tree, never a string that could be a URL)."""
        if self.tree is None:
            return None
        return self._htmldate_fast if not extensive else self._htmldate_extensive

    @cached_property
    def _htmldate_fast(self) -> datetime | None:
        return self._run_htmldate(False)

    @cached_property
    def _htmldate_extensive(self) -> datetime | None:
        return self._run_htmldate(True)

    def _run_htmldate(self, extensive: bool) -> datetime | None:
        import htmldate  # imported late: only pages that need it pay for it

        assert self.tree is not None
        limit = (self.now + FUTURE_SLACK).date()
        try:
            found = htmldate.find_date(
                self.tree,
                extensive_search=extensive,
                original_date=True,
                url=self.url or None,
                min_date=datetime(MIN_YEAR, 1, 1),
                max_date=datetime(limit.year, limit.month, limit.day),
            )
        except Exception:  # another library's bug costs this layer, not the page
            log.debug("htmldate failed on %s", self.url, exc_info=True)
            return None
        if not found:
            return None
        try:
            day = date.fromisoformat(found)
        except ValueError:
            return None
        return datetime(day.year, day.month, day.day, tzinfo=_zone(self.tz))

    @cached_property
    def is_article(self) -> bool:
        """Whether the page is one story (see module doc), not a listing or a form."""
        if self.url_date is not None and self.url_date.day is not None:
            return True
        if is_listing(self.url):
            return False
        if self.tree is None:
            return False
        if read_structured(self.tree).is_article:
            return True
        long_paragraphs = sum(
            1 for p in _PARAGRAPHS(self.tree) if len(" ".join(p.split())) >= ARTICLE_MIN_CHARS
        )
        headline = any(len(h.split()) >= 4 for h in _HEADLINE_TEXT(self.tree))
        return headline and long_paragraphs >= 2

    @cached_property
    def text(self) -> str:
        if self.tree is None:
            return ""
        return " \n".join(" ".join(t.split()) for t in _TEXTS(self.tree) if t.strip())

    @cached_property
    def source(self) -> str:
        if self.tree is None:
            return ""
        return etree.tostring(self.tree, encoding="unicode")

    def in_markup(self, day: date) -> bool:
        """Whether ``day`` appears as a whole numeric date in the page's source
        (attributes, JSON-LD, text): htmldate fills a date it could only half read
        (a year, a year and month, an impossible "2023-02-30") with the first of the
        month; such a date is in no attribute of the page."""
        y, m, d = f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}"
        return any(form in self.source for form in (f"{y}-{m}-{d}", f"{y}/{m}/{d}", f"{y}{m}{d}"))

    def confirms(self, value: datetime) -> bool:
        """An htmldate answer pressbot can see on the page: in its markup, written in
        its text, or the URL's full date."""
        day = value.date()
        found = self.url_date
        url_day = found is not None and found.contains(day) and found.day is not None
        return url_day or self.in_markup(day) or self.written(day)

    def written(self, day: date) -> bool:
        """Whether ``day`` is written somewhere in the page's text as a full date, in
        the page's language or, when it declares none, one of the languages
        htmldate reads most (its free-text search knows their month names)."""
        languages = [self.language] if self.language else [None, *_WRITTEN_LANGUAGES]
        return any(self._written_in(day, language) for language in languages)

    def _written_in(self, day: date, language: str | None) -> bool:
        text = self.text
        pos = 0
        while pos < len(text):
            found = find_date(text[pos:], tz=self.tz, relative=False, language=language)
            if found is None:
                return False
            if found[0].date() == day:
                return True
            pos += max(found[1][1], 1)
        return False


# Listing and form pages by their path: a tag, category, author or search page,
# a numbered page of a list, an archive by date (not "/archives/58213", a
# WordPress permalink), a contact or about page.
_NOT_ARTICLE_PATH: Final = re.compile(
    r"/(?:tags?|category|categories|author|authors|search|topics?|page/[0-9]+|"
    r"archives?(?=/?$|/[0-9]{4}/)|contact(?:-us)?|about(?:-us)?|privacy(?:-policy)?|terms)"
    r"(?:/|$|\.)",
    re.IGNORECASE,
)


def is_listing(url: str) -> bool:
    """Whether ``url`` is a listing or form page by its path alone."""
    return bool(_NOT_ARTICLE_PATH.search(_path(url)))


# Languages tried when a page declares none and a date must be found written on it.
_WRITTEN_LANGUAGES: Final = ("de", "fr", "es", "it", "pt", "nl")
_PARAGRAPHS: Final = etree.XPath("//p/text()[normalize-space()]|//p[not(*)]/text()")
_HEADLINE_TEXT: Final = etree.XPath("//h1//text()|//h2//text()")
_TEXTS: Final = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)
# Picked by tag in lxml: an XPath "//title" walks every node of the page.
_TEXT_NODES: Final = etree.XPath("text()")
_TITLE_SPLIT: Final = re.compile(r"\s+[|\-–—»:]\s+")


def _locale(language: str | None, url: str) -> str | None:
    """The page's language, with a country domain overruling "en-US": WordPress
    declares en-US by default, and a .pk site writes "07/05/2020" day-first."""
    if not language or not language.lower().replace("_", "-").endswith("-us"):
        return language
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return language
    tld = host.rsplit(".", 1)[-1].lower()
    if len(tld) == 2 and tld != "us":
        return f"{language.split('-')[0].split('_')[0]}-{tld}"
    return language


def _tree_title(tree: HtmlElement) -> str | None:
    """og:title, else the <title> without the site's name (the longest part)."""
    og = next(
        (
            content
            for m in tree.iter("meta")
            if m.get("property") == "og:title" and (content := m.get("content")) is not None
        ),
        None,
    )
    if og and og.strip():
        return og.strip()
    found = next((t for title in tree.iter("title") if (t := _TEXT_NODES(title))), None)
    if not found:
        return None
    parts = [p.strip() for p in _TITLE_SPLIT.split(str(found[0])) if p.strip()]
    return max(parts, key=len) if parts else None


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _candidates(evidence: Sequence[Evidence], page: _Page) -> list[_Candidate]:
    counts: dict[str, int] = {}

    def make(kind: str, family: str, value: datetime) -> _Candidate:
        counts[kind] = counts.get(kind, 0) + 1
        return _Candidate(kind, family, value, counts[kind])

    # A naive value (a caller's slip) is local time in ``tz``, as dates.py reads it.
    out = [make(e.kind, _FAMILY.get(e.kind, "body"), _local(e.value, page.tz)) for e in evidence]
    out += [make("markup", fam, v) for role, fam, v in page.markup if role == "published"]
    out += [make("stamp", "body", v) for v in page.stamps]
    if page.url_date is not None and page.url_date.day_date is not None:
        d = page.url_date.day_date
        out.append(make("url", "url", datetime(d.year, d.month, d.day, tzinfo=_zone(page.tz))))
    return out


def _plausible(
    candidates: list[_Candidate], now: datetime
) -> tuple[list[_Candidate], _Candidate | None]:
    limit = now + FUTURE_SLACK
    kept = [c for c in candidates if c.value <= limit and c.value.year >= MIN_YEAR]
    rejected = next((c for c in candidates if c.value > limit), None)
    return sorted(kept, key=lambda c: c.rank), rejected


def _confirmed(candidates: list[_Candidate]) -> tuple[_Candidate, _Candidate] | None:
    """The most trusted candidate with an agreeing candidate of another family."""
    for c in candidates:
        for other in candidates:
            if other.family != c.family and _agree(c, other):
                return c, other
    return None


def _swapped(a: _Candidate, b: _Candidate) -> bool:
    """Whether ``a`` and ``b`` are one all-number date read day-first and month-first."""
    da, db = a.day, b.day
    return da != db and (da.year, da.month, da.day) == (db.year, db.day, db.month)


def _locale_read(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop a layer's day-first reading of "07/05/2020" when a reader that knows the
    page's locale (markup, stamp: they are given the page's language) read the
    same digits the other way."""
    aware = [c for c in candidates if c.kind in ("markup", "stamp")]
    return [c for c in candidates if c in aware or not any(_swapped(c, a) for a in aware)]


def _decide(candidates: list[_Candidate], page: _Page) -> Choice:
    choice = _decide_day(candidates, page)
    if choice.value is None or choice.value.timetz().replace(tzinfo=None) != time(0):
        return choice
    # A date without a time, and another layer gives the same day with its time
    # ("25 مئی 2025 | 08:40 PM"): the same date, said more precisely.
    for c in candidates:
        if c.timed and c.day == choice.value.date() and not c.utc_timed:
            return Choice(c.value, choice.note, choice.kind)
    return choice


def _decide_day(candidates: list[_Candidate], page: _Page) -> Choice:
    candidates = _locale_read(candidates)
    if (
        candidates
        and is_listing(page.url)
        and not any(c.family in ("meta", "url") for c in candidates)
    ):
        # A listing's dates are its teasers' dates; only the page's own metadata
        # or URL could date the page itself.
        return Choice(None, f"no date on page (listing page; {candidates[0].kind} date ignored)")
    if candidates:
        pair = _confirmed(candidates)
        if pair is not None:
            c, other = pair
            top = candidates[0]
            note = None
            if c is not top and not _agree(c, top):
                note = f"{c.kind} date agrees with {other.kind}; {top.kind} date set aside"
            elif c.day != other.day and c.utc_timed and _pick(c, other) is other.value:
                note = f"UTC time of {c.kind} read as the local day of {other.kind}"
            return Choice(_pick(c, other), note, c.kind)
        top = candidates[0]
        url = next((c for c in candidates if c.kind == "url"), None)
        if url is not None and top is not url:
            return Choice(url.value, f"url date kept over unconfirmed {top.kind} date", "url")
        rival = next((c for c in candidates if c.family != top.family), None)
        if rival is not None:
            # Two families disagree and nothing else speaks: htmldate decides.
            fast = page.htmldate(extensive=False)
            if fast is not None:
                hd = _Candidate("htmldate", "htmldate", fast, 1)
                if not _agree(top, hd) and _agree(rival, hd):
                    note = f"{rival.kind} date agrees with htmldate; {top.kind} date set aside"
                    return Choice(_pick(rival, hd), note, rival.kind)
        if top.kind in _WEAK and not any(_agree(top, c) for c in candidates[1:]):
            # A lone date line from beside the text or anywhere on the page (a
            # sidebar's, a comment's as often as the article's) against htmldate's
            # reading of the markup: htmldate's.
            fast = page.htmldate(extensive=False)
            if fast is not None and fast.date() != top.day and page.confirms(fast):
                note = f"htmldate's date kept over a lone {top.kind} date"
                return Choice(fast, note, "htmldate")
        return Choice(top.value, None, top.kind)
    return _htmldate_only(page)


def _htmldate_only(page: _Page) -> Choice:
    if not page.is_article:
        found = page.htmldate(extensive=False)
        if found is not None:
            return Choice(
                None, f"no date on page (a lone guess {found.date()} on a non-article page)"
            )
        return Choice(None, "no date on page")
    fast = page.htmldate(extensive=False)
    if fast is not None and _fits_url(fast, page.url_date) and page.confirms(fast):
        return Choice(fast, None, "htmldate")
    guess = page.htmldate(extensive=True)
    if guess is not None and _fits_url(guess, page.url_date) and page.written(guess.date()):
        return Choice(guess, None, "htmldate")
    if guess is not None:
        return Choice(
            None, f"no date on page (htmldate's guess {guess.date()} is not written on it)"
        )
    return Choice(None, "no date on page")


def _fits_url(value: datetime, found: UrlDate | None) -> bool:
    return found is None or found.contains(value.date())


def choose_published(
    evidence: Sequence[Evidence],
    *,
    url: str = "",
    now: datetime | None = None,
    tree: HtmlElement | None = None,
    tz: str = "Asia/Karachi",
    language: str | None = None,
    title: str | None = None,
) -> Choice:
    """The publication date by the agreement rule (module doc); a date more than a
    day after the fetch is rejected (with its reason); none at all says so.

    ``url``, ``tree`` (the parsed page, unpruned), ``tz`` (the source's time zone),
    ``language`` (declared or detected) and ``title`` (the headline, if known) are
    for the layers read here: the URL, markup, the stamp under the headline and
    htmldate."""
    limit_now = _aware(now, tz)
    page = _Page(tree, url, limit_now, tz, language, title, now)
    candidates, rejected = _plausible(_candidates(evidence, page), limit_now)
    choice = _decide(candidates, page)
    if choice.value is None and rejected is not None and not candidates:
        return Choice(None, f"rejected date in the future: {rejected.value.isoformat()}")
    return choice


def choose_updated(
    evidence: Sequence[Evidence],
    *,
    url: str = "",
    now: datetime | None = None,
    tree: HtmlElement | None = None,
    tz: str = "Asia/Karachi",
    language: str | None = None,
    title: str | None = None,
) -> Choice:
    """The last update the page states: the most trusted plausible candidate from
    the layers and the markup marked as updated; absent is no note."""
    limit_now = _aware(now, tz)
    page = _Page(tree, url, limit_now, tz, language, title)
    counts = len(evidence)
    found = [
        _Candidate(e.kind, _FAMILY.get(e.kind, "body"), _local(e.value, tz), i)
        for i, e in enumerate(evidence)
    ]
    found += [
        _Candidate("markup", fam, v, counts + i)
        for i, (role, fam, v) in enumerate(page.markup)
        if role == "updated"
    ]
    candidates, rejected = _plausible(found, limit_now)
    if candidates:
        return Choice(candidates[0].value, None, candidates[0].kind)
    if rejected is not None:
        return Choice(None, f"rejected date in the future: {rejected.value.isoformat()}")
    return Choice(None, None)
