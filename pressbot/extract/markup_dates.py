"""Dates the page marks up beyond JSON-LD and OpenGraph, and the stamp under its headline.

Two readers of the unpruned tree, both for :mod:`pressbot.extract.evidence`:

* :func:`markup_dates` -- machine-readable dates that
  :func:`pressbot.extract.structured.read_structured` does not read: JSON-LD in a
  ``<script>`` without the ld+json type, microdata (``itemprop="datePublished"``
  on any element), ``<time datetime>`` and ``<abbr title>`` marked as published or
  updated (hAtom, WordPress's ``entry-date``, the HTML5 ``pubdate`` attribute),
  and the ``<meta>`` names of Dublin Core, Highwire/Google Scholar and news CMSs.
* :func:`stamp_dates` -- a visible date printed as a stamp right under the
  headline ("April 26, 2022", "پیر، 29 مئی، 2023", "پشاور، 21 اگست، 2025:"), or in
  an element of the article whose class says it is the date.

Both skip what is not about this article: the site header, navigation, sidebars,
widgets, related-story boxes, comments and the footer, where "today's date",
recent-post dates and comment dates live.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from lxml import etree
from lxml.html import HtmlElement

from pressbot.lexicon.phrases import LABELS
from pressbot.text.dates import find_date, parse_date

__all__ = ["MarkupDate", "markup_dates", "page_language", "stamp_dates"]


@dataclass(frozen=True, slots=True)
class MarkupDate:
    """A date found in markup or a stamp: ``role`` is "published" or "updated",
    ``how`` names the markup ("microdata", "time", "abbr", "jsonld", "meta",
    "stamp")."""

    role: str
    value: datetime
    how: str
    raw: str


# Class or id words of page furniture: a date inside one of these is not the article's.
_FURNITURE: Final = re.compile(
    r"sidebar|widget|related|recent|popular|trending|most-?read|latest|comment|respond|"
    r"footer|foot\b|menu|navbar|\bnav\b|breadcrumb|top-?bar|masthead|ticker|archive|"
    r"\bside\b|leftcol|rightcol|left-?panel|right-?panel|share|social|newsletter|promo|"
    r"date-?today|today|clock|weather",
    re.IGNORECASE,
)
_FURNITURE_TAGS: Final = frozenset({"aside", "nav", "footer"})
# Class words of an element holding the publication date.
_PUBLISHED_CLASS: Final = re.compile(
    r"publish|entry-date|post-date|pubdate|date-?published|article-?date|posted|"
    r"created|dtstart|\bdate\b|datum|fecha|\bdata\b",
    re.IGNORECASE,
)
_UPDATED_CLASS: Final = re.compile(r"updated|modified|dtreviewed|edited", re.IGNORECASE)
# Classes or ids of elements whose text is the date stamp of the article.
_STAMP_CLASS: Final = re.compile(
    r"date|time|posted|publish|byline|meta|post-?info|entry-?info|dateline|datum|"
    r"fecha|data-?publicare|stamp|text-muted|\bsub\b|news_date",
    re.IGNORECASE,
)

_META_PUBLISHED: Final = (
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
    "dcterms.created", "citation_publication_date", "citation_date", "citation_online_date",
    "parsely-pub-date", "sailthru.date", "article.published", "article:published",
    "og:published_time", "og:article:published_time", "published_time", "published-date",
    "publish-date", "publish_date", "publishdate", "date_published", "originalpublicationdate",
    "cxenseparse:recs:publishtime", "bt:pubdate", "displaydate", "dc.created", "release_date",
)  # fmt: skip
_META_UPDATED: Final = (
    "dcterms.modified", "dc.date.modified", "article.updated", "og:article:modified_time",
    "modified_time", "last-updated", "date_modified", "dateModified".lower(),
)  # fmt: skip

# The elements are found by walking the document (lxml picks tags in C) and testing
# attributes in Python: XPath predicates tested on every element cost more.
_DATE_PROPS: Final = ("datePublished", "dateModified")
_NOT_DATA_SCRIPTS: Final = ("application/ld+json", "text/template")


def _document(tree: HtmlElement) -> HtmlElement:
    """The root of ``tree``'s document: what an XPath "//" searches."""
    return tree.getroottree().getroot()


def _scripts(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Scripts of no JSON-LD or template type that name a publication date."""
    for script in _document(tree).iter("script"):
        if script.get("type") not in _NOT_DATA_SCRIPTS:
            text = script.text_content()
            if "datePublished" in text or "dateModified" in text:
                yield script


# Attribute values are read in C: the elements behind the few that matter follow.
_ITEMPROP_VALUES: Final = etree.XPath("//@itemprop")


def _itemprops(tree: HtmlElement) -> list[HtmlElement]:
    return [v.getparent() for v in _ITEMPROP_VALUES(tree) if v in _DATE_PROPS]


def _with(tree: HtmlElement, tag: str, attribute: str) -> list[HtmlElement]:
    return [el for el in _document(tree).iter(tag) if el.get(attribute) is not None]


_HTML_LANG: Final = etree.XPath("/html/@lang|/html/@xml:lang")
_JSON_DATE: Final = re.compile(r'"(datePublished|dateModified)"\s*:\s*"([^"]{6,40})"')


def page_language(tree: HtmlElement | None, fallback: str | None = None) -> str | None:
    """The page's declared language ("de", "en-US"), else ``fallback`` (detected)."""
    if tree is not None:
        found = _HTML_LANG(tree)
        if found and str(found[0]).strip():
            return str(found[0]).strip()
    # Detection says "en" for any non-Arabic script: too vague to choose months by.
    return fallback if fallback == "ur" else None


def _words(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


@lru_cache(maxsize=4096)
def _furniture_words(words: str) -> bool:
    # Cached: a page repeats a few class/id pairs (most often none) on the
    # ancestors of every element asked about, and the pattern is slow to run.
    return _FURNITURE.search(words) is not None


def is_furniture(el: HtmlElement) -> bool:
    """Whether ``el`` sits in page furniture (sidebar, comments, site header...)."""
    node: HtmlElement | None = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("body", "html"):
            break  # themes put "has-sidebar" on <body> of every page
        if tag in _FURNITURE_TAGS or _furniture_words(_words(node)):
            return True
        if tag == "header" and _site_header(node):
            return True
        node = node.getparent()
    return False


def _site_header(header: HtmlElement) -> bool:
    """A <header> of the site (logo, menu, today's date), not the article's own
    (headline, byline, date): it is outside any <article>/<main> and holds no
    headline of four words or more."""
    if any(a.tag in ("article", "main") for a in header.iterancestors()):
        return False
    return not any(len(h.text_content().split()) >= 4 for h in header.iter("h1", "h2"))


def _parse(raw: str, tz: str, language: str | None) -> datetime | None:
    raw = " ".join(raw.split())
    if not raw or len(raw) > 80:
        return None
    return parse_date(raw, tz=tz, language=language)


def _jsonld_values(data: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > 40:  # a pathological nesting is no article metadata
        return
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_values(item, depth + 1)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in ("datePublished", "dateModified") and isinstance(value, str):
                yield key, value
            elif isinstance(value, (dict, list)):
                yield from _jsonld_values(value, depth + 1)


def _untyped_jsonld(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """JSON-LD in a script without the ld+json type, or an app's state blob that
    carries the same keys: parsed if it is JSON, else the keys are read from the
    text (a script that assigns an object to a variable). A blob naming several
    different dates (the article's and its related stories') says nothing."""
    for script in _scripts(tree):
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            pairs = list(_jsonld_values(json.loads(text)))
        except (ValueError, RecursionError):
            pairs = [(m.group(1), m.group(2)) for m in _JSON_DATE.finditer(text[:1_000_000])]
        for key in ("datePublished", "dateModified"):
            values = {v for k, v in pairs if k == key}
            if len(values) == 1:
                yield key, values.pop()


def markup_dates(tree: HtmlElement, *, tz: str, language: str | None = None) -> list[MarkupDate]:
    """Published and updated dates in markup, most trusted first within each role."""
    found: list[MarkupDate] = []

    def add(role: str, raw: str | None, how: str) -> None:
        if not raw:
            return
        value = _parse(raw, tz, language)
        if value is not None:
            found.append(MarkupDate(role, value, how, raw.strip()))

    for el in _itemprops(tree):
        if is_furniture(el):
            continue
        role = "published" if el.get("itemprop") == "datePublished" else "updated"
        raw = el.get("content") or el.get("datetime") or el.text_content()
        add(role, raw, "microdata-meta" if el.tag == "meta" else "microdata")
    for key, raw in _untyped_jsonld(tree):
        add("published" if key == "datePublished" else "updated", raw, "jsonld")
    for el in _document(tree).iter("time"):
        if is_furniture(el):
            continue
        words = f"{_words(el)} {_words(el.getparent()) if el.getparent() is not None else ''}"
        raw = el.get("datetime") or el.text_content()
        if _UPDATED_CLASS.search(words):
            add("updated", raw, "time")
        elif el.get("pubdate") is not None or _PUBLISHED_CLASS.search(words):
            add("published", raw, "time")
        elif any(a.tag == "article" for a in el.iterancestors() if isinstance(a.tag, str)):
            add("published", raw, "time")  # an unmarked <time> inside the article
    for el in _with(tree, "abbr", "title"):
        if is_furniture(el):
            continue
        if _UPDATED_CLASS.search(_words(el)):
            add("updated", el.get("title"), "abbr")
        elif _PUBLISHED_CLASS.search(_words(el)):
            add("published", el.get("title"), "abbr")
    metas: dict[str, str] = {}
    for el in _with(tree, "meta", "content"):
        key = (el.get("name") or el.get("property") or "").strip().lower()
        if key and key not in metas:
            metas[key] = el.get("content", "")
    for name in _META_PUBLISHED:
        add("published", metas.get(name), "meta")
    for name in _META_UPDATED:
        add("updated", metas.get(name), "meta")
    return found


# --- the visible stamp ---------------------------------------------------------------

# A stamp is short; a longer block is a sentence of the story that mentions a date.
_STAMP_MAX_CHARS: Final = 120
# Words beside the date in a stamp line ("PRESS RELEASE |", "Posted by Ahmed on",
# "نمائندہ خصوصی — … — کوئی تبصرہ نہیں"); more than this and it is a sentence.
_STAMP_MAX_WORDS: Final = 8
# How many text blocks after the headline a stamp may come: headline, kicker,
# byline, date, image caption.
_STAMP_WINDOW: Final = 6
_BLOCKS: Final = frozenset(
    {"p", "div", "span", "td", "li", "small", "time", "font", "h2", "h3", "h4", "h5", "h6", "em"}
)
_HEADLINE_TAGS: Final = ("h1", "h2", "h3")
# Legacy and table pages mark the headline by class only ("urdutitle", "pr-title"):
# "title" or "headline" in the class, those letters in either case.
_CLASSED_TAGS: Final = ("td", "div", "p", "span", "h2", "h3", "h4")
_TITLE_LETTERS: Final = str.maketrans("TITLEHADN", "titlehadn")


def _classed_headlines(tree: HtmlElement) -> list[HtmlElement]:
    out = []
    for el in _document(tree).iter(_CLASSED_TAGS):
        classes = el.get("class")
        if classes is not None:
            classes = classes.translate(_TITLE_LETTERS)
            if "title" in classes or "headline" in classes:
                out.append(el)
    return out


_WORD: Final = re.compile(r"[^\W\d_]+")
# A headline is a sentence: a logo or a section name is shorter.
_HEADLINE_MIN_WORDS: Final = 4


def _headline(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The headline element: the one whose text is the title; else the page's only
    <h1> that reads like a headline; else the first element classed as a title."""
    key = " ".join((title or "").split()).casefold()

    def usable(h: HtmlElement) -> bool:
        return len(h.text_content().split()) >= _HEADLINE_MIN_WORDS and not is_furniture(h)

    def matches(h: HtmlElement) -> bool:
        text = " ".join(h.text_content().split()).casefold()
        return bool(text) and (text == key or (len(text) > 15 and text in key)) and usable(h)

    if key:
        for h in _document(tree).iter(_HEADLINE_TAGS):
            if matches(h):
                return h
    h1s = [h for h in tree.iter("h1") if usable(h)]
    if len(h1s) == 1:
        return h1s[0]
    classed = _classed_headlines(tree)  # slower: only when the headings did not tell
    if key:
        for h in classed:
            if matches(h):
                return h
    return next((h for h in classed if usable(h)), None)


def _own_text(el: HtmlElement) -> str:
    """The text of a block without its sub-blocks' (those are visited themselves)."""
    return " ".join(el.text_content().split())


_BAR: Final = re.compile(r"\s[|•·]\s")
# An update stamp under the headline is not the publication date.
_UPDATE_WORDS: Final = re.compile(
    "|".join(re.escape(w) for w in (*LABELS["updated_at"], "edited", "revised", "آخری ترمیم")),
    re.IGNORECASE,
)


def _stamp_in(text: str, *, now: datetime | None, tz: str, language: str | None) -> datetime | None:
    if not text or len(text) > _STAMP_MAX_CHARS or _UPDATE_WORDS.search(text):
        return None
    # "25 مئی 2025 | 08:40 PM": date and time in one stamp, split by a bar.
    text = _BAR.sub(" ", text)
    found = find_date(text, now=now, tz=tz, relative=True, language=language)
    if found is None:
        return None
    start, end = found[1]
    rest = _WORD.findall(text[:start] + " " + text[end:])
    return found[0] if len(rest) <= _STAMP_MAX_WORDS else None


def stamp_dates(
    tree: HtmlElement,
    *,
    title: str | None = None,
    now: datetime | None = None,
    tz: str,
    language: str | None = None,
) -> list[MarkupDate]:
    """The date stamp under the headline, then dates in date-classed elements of
    the article (not in the furniture), in document order."""
    found: list[MarkupDate] = []
    head = _headline(tree, title)
    if head is not None:
        seen = 0
        for el in _after(head):
            text = _own_text(el)
            if not text:
                continue
            value = _stamp_in(text, now=now, tz=tz, language=language)
            if value is not None:
                found.append(MarkupDate("published", value, "stamp", text))
                break
            if len(text) > _STAMP_MAX_CHARS:
                break  # the story has begun; its dates are the story's
            seen += 1
            if seen >= _STAMP_WINDOW:
                break
    # Date-classed elements count only inside the article: the headline's
    # container, else the page's only <article>. A legacy page's "news_date"
    # cells in a LATEST NEWS column are dated too, but not this story.
    scope = _container(head) if head is not None else _only_article(tree)
    if scope is None:
        return found
    for el in scope.iter(*_BLOCKS):  # the tags picked by lxml, in document order
        if not _stamp_words(_words(el)):
            continue
        if is_furniture(el):
            continue
        text = _own_text(el)
        value = _stamp_in(text, now=now, tz=tz, language=language)
        if value is not None:
            found.append(MarkupDate("published", value, "stamp-class", text))
            break
    return found


# The container of a story holds its paragraphs: the closest ancestor of the
# headline with at least this many characters of paragraph text.
_CONTAINER_MIN_CHARS: Final = 200


@lru_cache(maxsize=4096)
def _stamp_words(words: str) -> bool:
    """Class and id words of a date stamp (not an update stamp); cached as
    :func:`_furniture_words` is."""
    return _STAMP_CLASS.search(words) is not None and _UPDATED_CLASS.search(words) is None


def _container(head: HtmlElement) -> HtmlElement | None:
    for node in head.iterancestors():
        if node.tag in ("body", "html"):
            return None
        text = sum(len(p.text_content()) for p in node.iter("p"))
        if text >= _CONTAINER_MIN_CHARS:
            return node
    return None


def _only_article(tree: HtmlElement) -> HtmlElement | None:
    found = list(_document(tree).iter("article"))
    return found[0] if len(found) == 1 else None


def _following(node: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after ``node`` in document order, outside it (XPath's
    following axis): its later siblings' subtrees, then its parent's, and so on up."""
    here: HtmlElement | None = node
    while here is not None:
        for sibling in here.itersiblings():
            yield from sibling.iter("*")
        here = here.getparent()


def _after(head: HtmlElement) -> Iterator[HtmlElement]:
    """Leaf-most blocks after ``head`` in document order (not inside it)."""
    for el in _following(head):
        if not isinstance(el.tag, str):
            continue
        if el.tag not in _BLOCKS and el.tag not in ("tr", "abbr"):
            continue
        # Visit the innermost blocks: a wrapper's text is its children's.
        if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            continue
        if is_furniture(el):
            continue
        yield el
