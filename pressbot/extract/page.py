"""Page objects: one response, read once; one method per record field.

A :class:`Page` is built once per response. Its layers are computed on first use
and kept (cached properties): the parsed tree, structured data, the pruned tree,
the page's lines, the main text with the lines just above it, the cleaned lines,
the head (headline and stamps beside the text), labelled lines anywhere on the
page. Each record field has one method that states its fallback order and writes
its own reason into ``notes`` when it gives up, so a field's logic is read in one
place.

Fields are isolated: an exception inside one field's method leaves that field
empty, puts ``"failed: <Error>: <message>"`` in ``notes[field]`` (the spider counts
these) and the page still becomes a record -- except for the body: a record is its
text, so a page whose main text cannot be read at all raises (the crawl counts an
extraction error and tries the page again on the next run), rather than storing a
record that validation would drop silently as "no_body".

A site quirk is a subclass that overrides the field or layer it needs, named in
its source declaration (``Source.pages``); a redesign is a new subclass of the old
one whose :meth:`Page.fits` recognises the new layout, so archived pages keep
their parser and their fixtures keep passing. No Scrapy here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any, ClassVar
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from pressbot.extract.clean import (
    Cleaned,
    CleanOptions,
    clean_lines,
    is_boilerplate,
    is_latin,
    is_marker,
    is_page_header,
    line_key,
    looks_cut_off,
    read_head,
    scan_labels,
    split_teaser,
)
from pressbot.extract.evidence import Evidence, choose_published, choose_updated
from pressbot.extract.html import (
    anchor_map,
    around_start,
    inline_teasers,
    main_lines,
    page_blocks,
    prune,
    teaser_titles,
    widen_to,
)
from pressbot.extract.limits import ARABIC_SCRIPT_PAGE_SHARE, H1_MIN_WORDS, HEAD_LINES
from pressbot.extract.structured import Structured, read_structured
from pressbot.items import Record, Related
from pressbot.sources import Hints, Source, all_sources
from pressbot.text.dates import parse_date
from pressbot.text.language import detect_language
from pressbot.text.urdu import normalize_display, urdu_ratio
from pressbot.urls import canonical_url, same_site

__all__ = ["FIELD_FAILED", "MainText", "Page", "TextPage", "failed_fields", "join_url"]

# notes[field] of a field whose method raised starts with this.
FIELD_FAILED = "failed: "

_NO_HINTS = Hints()
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—»:]\s+")
_LOGO = re.compile(r"logo|brand|site-?(name|title)|masthead|navbar", re.IGNORECASE)
# Elements whose whole text (spaces normalised as XPath's normalize-space() does:
# only these four are spaces) may be a dek: a subheading or paragraph.
_SAYING_TAGS = ("h2", "h3", "h4", "p")
_XML_SPACE = re.compile("[ \t\r\n]+")
_DEK_CLASS = re.compile(
    r"(^|[\s_-])(dek|deck|standfirst|sub-?head(line)?|sub-?title|subline|article-summary)"
    r"([\s_-]|$)",
    re.IGNORECASE,
)
# Languages a page may declare that are written in Arabic script.
_ARABIC_SCRIPT_LANGUAGES = ("ur", "ar", "fa")


def failed_fields(record: Record) -> list[str]:
    """Fields of ``record`` left empty because their method raised."""
    return [f for f, why in record.notes.items() if why.startswith(FIELD_FAILED)]


def join_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; None for a link urljoin cannot read
    ("http://[ccpa-preferences]", "http://[::1")."""
    if not href:
        return None
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


@lru_cache(maxsize=256)
def slogan_keys(slogans: tuple[str, ...]) -> frozenset[str]:
    """The keys of a source's slogans, one set per source: the set is part of the
    key of every cached :func:`is_boilerplate` answer, and a new one per page made
    each of them hold a copy."""
    return frozenset(line_key(s) for s in slogans)


class _Lazy(Mapping[str, str]):
    """A mapping built by ``build`` the first time it is read."""

    def __init__(self, build: Callable[[], dict[str, str]]) -> None:
        self._build = build
        self._data: dict[str, str] | None = None

    @property
    def data(self) -> dict[str, str]:
        if self._data is None:
            self._data = self._build()
        return self._data

    def __getitem__(self, key: str) -> str:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class MainText:
    """The main text's candidate lines, and the page lines just above it and
    between its first lines and first paragraph (where headlines and stamps sit)."""

    lines: list[str]
    above: list[str]
    between: list[str]


def _text_of(tree: HtmlElement, xpath: etree.XPath) -> str | None:
    """Whitespace-collapsed text of the first node ``xpath`` selects."""
    found = xpath(tree)
    if not isinstance(found, list) or not found:
        return None
    first = found[0]
    raw = first.text_content() if isinstance(first, HtmlElement) else str(first)
    return " ".join(raw.split()) or None


def _is_logo(el: HtmlElement) -> bool:
    """An <h1> that is the site's name: marked as logo/brand, or inside the page header."""
    for node in (el, *el.iterancestors()):
        if _LOGO.search(f"{node.get('class', '')} {node.get('id', '')}") or node.tag == "header":
            return True
    return False


def _without_site_name(candidate: str | None, site_names: Sequence[str]) -> str | None:
    """A headline without the site's name and without page-type headers ("Press
    Release Detail"): the longest part left when a separator splits them off."""
    if not candidate or not candidate.strip():
        return None
    sites = {line_key(n) for n in site_names if n}
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(candidate.strip())]
    if len(parts) == 1:
        # Nothing to split off; a headline may well read like a ticker ("BREAKING
        # NEWS: …"), but not be only a site's name or a page type.
        whole = candidate.strip()
        chrome = is_boilerplate(whole) and len(whole.split()) < H1_MIN_WORDS
        return None if chrome or line_key(whole) in sites or is_page_header(whole) else whole
    kept = [p for p in parts if p and line_key(p) not in sites and not is_boilerplate(p)]
    if len(kept) == len(parts) and not is_page_header(candidate):
        return candidate.strip()  # no site name, nothing to cut: keep separators
    best = max(kept, key=len) if kept else None
    if best and any(is_page_header(p) for p in parts) and len(best.split()) < H1_MIN_WORDS:
        return None  # "ضلعی پولیس مردان - پریس ریلیز": a site's name beside the page type
    return best


class Page:
    """One HTML page: layers read once, one method per record field.

    Subclass for a site: override a field method (``title``, ``published_evidence``
    …) or a layer (``main``, ``structured`` …), and name the class in the source's
    ``pages``. Override :meth:`fits` when a site has several layouts.
    """

    # Record fields filled by methods of the same name, in the order they run.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "canonical_url",
        "body",
        "title",
        "title_en",
        "language",
        "published_at",
        "updated_at",
        "place",
        "agency",
        "author",
        "keywords",
        "related",
        "is_excerpt",
    )
    # A failure in these fields means there is no record (see the module docstring).
    REQUIRED: ClassVar[frozenset[str]] = frozenset({"body"})

    def __init__(
        self,
        tree: HtmlElement | None,
        url: str,
        *,
        fetched_at: datetime | None = None,
        source: Source | None = None,
    ) -> None:
        self.tree = tree
        self.url = url
        self.fetched_at = fetched_at
        self.source = source
        self.notes: dict[str, str] = {}
        self._values: dict[str, Any] = {}
        self._running: set[str] = set()

    @classmethod
    def fits(cls, tree: HtmlElement, url: str) -> bool:
        """Whether this class reads ``tree`` (a site's current layout, say); the
        generic page reads every page."""
        return True

    # --- running the fields ---------------------------------------------------------

    def note(self, field: str, reason: str) -> None:
        """Say why ``field`` is empty (the first reason given stays)."""
        self.notes.setdefault(field, reason)

    def value(self, field: str) -> Any:
        """The value of ``field``'s method, computed once. A method that raised gives
        the record's empty value, and its reason is in the notes."""
        if field in self._values:
            return self._values[field]
        if field in self._running:
            raise RecursionError(f"field {field} depends on itself")
        self._running.add(field)
        method: Callable[[], Any] = getattr(self, field)
        try:
            result = method()
        except Exception as exc:
            if field in self.REQUIRED:
                raise
            self.notes[field] = f"{FIELD_FAILED}{type(exc).__name__}: {exc}"[:300]
            result = _EMPTY.get(field)
            if callable(result):
                result = result()
        finally:
            self._running.discard(field)
        self._values[field] = result
        return result

    def record(self) -> Record:
        """The record: every field from its method, each one isolated."""
        rec = Record(
            url=self.url,
            canonical_url=canonical_url(self.url),
            source=self.source.key if self.source else None,
            kind=self.source.kind if self.source else None,
            fetched_at=self.fetched_at,
        )
        for field in self.FIELDS:
            value = self.value(field)
            if value is not None or field not in _KEEP_DEFAULT:
                setattr(rec, field, value)
        rec.notes = dict(self.notes)
        return rec

    # --- layers ------------------------------------------------------------------------

    @property
    def hints(self) -> Hints:
        return self.source.hints if self.source else _NO_HINTS

    @property
    def tz(self) -> str:
        return self.source.timezone if self.source else "Asia/Karachi"

    @property
    def html(self) -> HtmlElement:
        if self.tree is None:
            raise ValueError("no HTML: a plain-text page")
        return self.tree

    @cached_property
    def structured(self) -> Structured:
        """JSON-LD, OpenGraph, <meta>, canonical link, <time>. Broken structured data
        leaves this layer empty; the others still read the page."""
        try:
            return read_structured(self.html)
        except Exception as exc:
            self.note("structured_data", f"{FIELD_FAILED}{type(exc).__name__}: {exc}"[:300])
            return Structured()

    @cached_property
    def declared_language(self) -> str | None:
        """The page's or the source's language, two letters, if Arabic-script."""
        lang = (self.structured.lang or "")[:2]
        if lang in _ARABIC_SCRIPT_LANGUAGES:
            return lang
        if self.source and self.source.languages[0] in _ARABIC_SCRIPT_LANGUAGES:
            return self.source.languages[0]
        return None

    @cached_property
    def pruned(self) -> HtmlElement:
        """A copy of the tree without comment forms, share plugins and the site's
        declared chrome: every text layer reads this one."""
        return prune(self.html, self.hints)

    @cached_property
    def _blocks(self) -> tuple[list[str], list[str]]:
        return page_blocks(self.pruned)

    @cached_property
    def page_lines(self) -> list[str]:
        """The whole pruned page as lines, one per block. Line breaks of the HTML
        source count too: they separate a byline's name from its "2 گھنٹے پہلے"."""
        return self._blocks[0]

    @cached_property
    def main(self) -> MainText:
        """The main text: the hinted container, else trafilatura, else (table
        layouts) the paragraphs' container; widened when extraction took the
        article appended after "پڑھیں:" for the page's own."""
        lines = main_lines(self.pruned, self.hints, self._blocks[1])
        above, between = around_start(self.page_lines, lines, is_boilerplate)
        marker = next((x for x in above if is_marker(x)), None)
        if marker is not None:
            widened = widen_to(self.pruned, marker)
            if widened:
                lines = widened
                above, between = around_start(self.page_lines, lines, is_boilerplate)
        return MainText(lines, above, between)

    @cached_property
    def arabic_script(self) -> bool:
        """Whether the page is written in Arabic script (Urdu, Arabic, Persian): such
        a page may carry an English headline over its own."""
        return (
            self.declared_language is not None
            or urdu_ratio(" ".join(self.main.lines[:40])) > ARABIC_SCRIPT_PAGE_SHARE
        )

    @cached_property
    def markup_titles(self) -> tuple[str | None, str | None, str | None]:
        """(headline, English headline, the <h1>/<title> text seen) from the markup.

        Structured data of a page that says it is an article (JSON-LD Article,
        og:type article) names its headline and is taken as it is. <h1>, a website's
        og:title and <title> are weaker: on government templates they often hold the
        site's name or a page-type header, so they count only when the site's hints
        point at them or the text repeats them near the top; otherwise the cleaner
        reads the titles off the head of the text. A Latin headline on an
        Arabic-script page is its English headline.
        """
        tree, struct = self.html, self.structured
        sites = (struct.site_name or "", self.source.name if self.source else "")
        # The <h1>s picked by tag (an XPath "//h1" walks every text node as well).
        h1s = list(tree.iter("h1"))
        if self.hints.title_xpath is not None:
            h1 = _text_of(tree, self.hints.title_xpath)
        else:
            h1 = (" ".join(h1s[0].text_content().split()) or None) if h1s else None
        page_title = tree.findtext(".//title")
        seen = h1 or page_title
        head = {line_key(x) for x in self.main.lines[:HEAD_LINES] + self.main.above}
        title = _without_site_name(struct.title, sites) if struct.is_article else None
        if not title:
            sole_h1 = (
                len(h1s) == 1
                and h1 is not None
                and len(h1.split()) >= H1_MIN_WORDS
                and not _is_logo(h1s[0])
            )
            weak = (
                (h1, self.hints.title_xpath is not None or sole_h1),
                (struct.title, False),
                (page_title, False),
            )
            for candidate, trusted in weak:
                found = _without_site_name(candidate, sites)
                # Untrusted, it must reappear at the top of the text and read like a
                # headline: a site's name ("District Police Mardan") repeats in its
                # banner too, but is shorter.
                if found and (
                    trusted or (line_key(found) in head and len(found.split()) >= H1_MIN_WORDS)
                ):
                    title = found
                    break
        if title and is_latin(title) and self.arabic_script:
            return None, title, seen
        return title, None, seen

    @cached_property
    def standfirst(self) -> str | None:
        """The summary printed under the headline (a "dek"): the page's description
        when a subheading beside the <h1>, or an element whose class names a dek,
        says exactly that. Not article text. When a paragraph of the article says
        it as well, it is the lede (a CMS copies it into the description) and stays."""
        description = " ".join((self.structured.description or "").split())
        if len(description.split()) < H1_MIN_WORDS:
            return None
        found = False
        saying = (
            el
            for el in self.html.iter(_SAYING_TAGS)
            if _XML_SPACE.sub(" ", el.text_content()).strip(" ") == description
        )
        for el in saying:
            parent = el.getparent()
            beside_h1 = parent is not None and any(c.tag == "h1" for c in parent)
            if (el.tag != "p" and beside_h1) or _DEK_CLASS.search(el.get("class") or ""):
                found = True
            elif el.tag == "p":
                return None
        return description if found else None

    @cached_property
    def links(self) -> Mapping[str, str]:
        """Link targets by anchor key, resolved; unreadable links left out. Built on
        first use: only pages with teasers look links up."""
        return _Lazy(self._links)

    def _links(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, href in anchor_map(self.html).items():
            joined = join_url(self.url, href)
            if joined:
                out[key] = joined
        return out

    @cached_property
    def options(self) -> CleanOptions:
        title, title_en, seen = self.markup_titles
        return CleanOptions(
            now=self.fetched_at,
            tz=self.tz,
            slogans=slogan_keys(self.hints.slogans),
            known_titles=tuple(t for t in (title, title_en, seen) if t),
            title=title,
            title_en=title_en,
            bilingual=self.arabic_script,
            links=self.links,
            teasers=tuple(
                (text, join_url(self.url, href))
                for text, href in teaser_titles(self.html, is_marker)
            ),
            furniture=(self.standfirst,) if self.standfirst else (),
        )

    @cached_property
    def cleaned(self) -> Cleaned:
        """The main text's lines cleaned: boilerplate gone, labels read, teasers and
        appended articles split off, titles taken from its head, the dateline read."""
        return clean_lines(self.main.lines, self.options)

    @cached_property
    def head(self) -> Cleaned:
        """Headlines, stamps and labels beside the start of the text, which
        extraction leaves out."""
        known = tuple(t for t in (self.cleaned.title, self.cleaned.title_en) if t)
        opts = replace(self.options, known_titles=(*self.options.known_titles, *known))
        return read_head(self.main.above + self.main.between, opts)

    @cached_property
    def labelled(self) -> Cleaned:
        """Labelled dates anywhere on the page ("Updated on: …" in a side box)."""
        return scan_labels(self.page_lines, self.options)

    # --- fields ------------------------------------------------------------------------

    def canonical_url(self) -> str:
        """The page's rel=canonical (or og:url) when it stays on the site, else the
        fetched URL; both cleaned of tracking parameters and AMP/print variants."""
        target = self.structured.canonical
        if target:
            joined = join_url(self.url, target)
            if joined is None:
                self.note("canonical_url", f"unreadable canonical link {target[:100]!r}")
            elif same_site(joined, self.url):
                return canonical_url(joined)
        return canonical_url(self.url)

    def body(self) -> str:
        """The cleaned main text, paragraphs separated by a blank line, as written."""
        return normalize_display("\n\n".join(self.cleaned.body))

    def title(self) -> str:
        """Structured data or trusted markup → the head of the main text → a
        headline line beside it → the English headline of a bilingual page."""
        for candidate in (self.cleaned.title, self.head.title, self.value("title_en")):
            if candidate:
                return normalize_display(candidate)
        self.note("title", "no headline on page")
        return ""

    def title_en(self) -> str | None:
        """The English headline of an Arabic-script page: markup → the head of the
        main text → a headline line beside it."""
        found = self.cleaned.title_en or (self.head.title_en if self.arabic_script else None)
        return normalize_display(found) if found else None

    def language(self) -> str | None:
        """The body's language by its letters and words; the declared language
        decides only text with nothing distinctive."""
        body = self.value("body")
        return detect_language(body, hint=self.declared_language) if body else None

    def published_evidence(self) -> list[Evidence]:
        """Candidate publication dates, most trusted first: structured data, a
        labelled line in the text, a stamp beside the headline, a labelled line
        anywhere on the page, the dateline."""
        found: list[Evidence] = []
        raw = self.structured.published
        if raw and (value := parse_date(raw, tz=self.tz)):
            found.append(Evidence("structured", value, raw))
        for kind, layer in (("label", self.cleaned), ("head", self.head)):
            if layer.published_at:
                found.append(Evidence(kind, layer.published_at))
        if self.labelled.published_at:
            found.append(Evidence("page-label", self.labelled.published_at))
        if self.cleaned.dateline_date:
            found.append(Evidence("dateline", self.cleaned.dateline_date))
        return found

    def updated_evidence(self) -> list[Evidence]:
        """Candidate update dates, most trusted first (as for publication)."""
        found: list[Evidence] = []
        raw = self.structured.modified
        if raw and (value := parse_date(raw, tz=self.tz)):
            found.append(Evidence("structured", value, raw))
        for kind, layer in (
            ("label", self.cleaned),
            ("head", self.head),
            ("page-label", self.labelled),
        ):
            if layer.updated_at:
                found.append(Evidence(kind, layer.updated_at))
        return found

    def _date(self, field: str, evidence: list[Evidence]) -> datetime | None:
        choose = choose_published if field == "published_at" else choose_updated
        unparsed = self.cleaned.unparsed.get(field)
        if unparsed is not None:
            self.note(field, f"unparsed date {unparsed!r}")
        choice = choose(
            evidence,
            url=self.url,
            now=self.fetched_at,
            tree=self.tree,
            tz=self.tz,
            language=self.value("language"),
        )
        if choice.note:
            self.note(field, choice.note)
        return choice.value

    def published_at(self) -> datetime | None:
        """The publication date chosen from :meth:`published_evidence` (the choice
        is made in pressbot/extract/evidence.py); NULL with a reason otherwise."""
        return self._date("published_at", self.published_evidence())

    def updated_at(self) -> datetime | None:
        """The update date chosen from :meth:`updated_evidence`."""
        return self._date("updated_at", self.updated_evidence())

    def place(self) -> str | None:
        """The dateline's place ("پشاور، 4 ستمبر، 2023:")."""
        return self.cleaned.place

    def agency(self) -> str | None:
        """A source label or closing credit in the text → one beside it."""
        return self.cleaned.agency or self.head.agency

    def author(self) -> str | None:
        """Structured data (article pages) → a byline label in the text → beside it."""
        return self.structured.author or self.cleaned.author or self.head.author

    def keywords(self) -> list[str]:
        """Structured data or tag links → a keywords label in the text → beside it."""
        found = self.structured.keywords or self.cleaned.keywords or self.head.keywords
        return list(dict.fromkeys(found))

    def related(self) -> list[Related]:
        """Teasers and appended articles split out of the text, then "یہ بھی پڑھیں:"
        lines of the article's container that extraction dropped."""
        related = list(self.cleaned.related)
        seen = {line_key(r.title) for r in related}
        for teaser, href in inline_teasers(self.html, self.main.lines, split_teaser):
            if line_key(teaser) not in seen:
                seen.add(line_key(teaser))
                related.append(Related(title=teaser, url=join_url(self.url, href)))
        return related

    def is_excerpt(self) -> bool:
        """The text stops mid-sentence and names where the rest is."""
        return looks_cut_off(self.cleaned.body, self.value("agency"), self.value("related"))


# Values a failed field is left with (a factory for mutable ones).
_EMPTY: dict[str, Any] = {"body": "", "title": "", "keywords": list, "related": list}
# Record fields whose constructor default stands when the method gives None.
_KEEP_DEFAULT = frozenset({"canonical_url", "is_excerpt"})


class TextPage(Page):
    """Plain text (a naive extraction of a page, like the seed documents): the same
    fields from the text-level layers only."""

    def __init__(
        self,
        text: str,
        url: str,
        *,
        fetched_at: datetime | None = None,
        source: Source | None = None,
    ) -> None:
        super().__init__(None, url, fetched_at=fetched_at, source=source)
        self.text = text

    @cached_property
    def structured(self) -> Structured:
        return Structured()

    @cached_property
    def main(self) -> MainText:
        return MainText(self.text.splitlines(), [], [])

    @cached_property
    def arabic_script(self) -> bool:
        return True

    @cached_property
    def markup_titles(self) -> tuple[str | None, str | None, str | None]:
        return None, None, None

    @cached_property
    def options(self) -> CleanOptions:
        # Without a source, the slogans of every registered source are known boilerplate.
        pool = [self.source] if self.source else all_sources()
        slogans = tuple(s for src in pool for s in src.hints.slogans)
        return CleanOptions(now=self.fetched_at, tz=self.tz, slogans=slogan_keys(slogans))

    @cached_property
    def head(self) -> Cleaned:
        return Cleaned()

    @cached_property
    def labelled(self) -> Cleaned:
        return Cleaned()

    def canonical_url(self) -> str:
        return canonical_url(self.url)

    def related(self) -> list[Related]:
        return list(self.cleaned.related)
