"""Pure extraction: (page, url, fetched_at, source) -> Record. No Scrapy here.

Layers, most trusted first: structured data (JSON-LD, OpenGraph, meta), then the
main text found by trafilatura inside the site's hinted container, then the
text-level cleaner, which also handles plain text such as the seed documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from urllib.parse import urljoin

from lxml.html import HtmlElement

from pressbot.extract.clean import (
    Cleaned,
    CleanOptions,
    clean_lines,
    is_boilerplate,
    is_latin,
    is_marker,
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
    block_text,
    inline_teasers,
    main_lines,
    parse_html,
    prune,
    teaser_titles,
    widen_to,
)
from pressbot.extract.structured import Structured, read_structured
from pressbot.items import Record, Related
from pressbot.sources import Hints, Source, all_sources, for_url
from pressbot.text.dates import parse_date
from pressbot.text.language import detect_language
from pressbot.text.urdu import normalize_display, urdu_ratio
from pressbot.urls import canonical_url, same_site

__all__ = ["extract_html", "extract_text"]


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—»:]\s+")


def _title_from(
    struct: Structured, tree_title: str | None, site_names: tuple[str, ...]
) -> str | None:
    """The headline from structured data or the page, without the site's name and
    without page-type headers ("Press Release Detail")."""
    sites = {line_key(n) for n in site_names if n}
    for candidate in (struct.title, tree_title):
        if not candidate or not candidate.strip():
            continue
        parts = [p.strip() for p in _TITLE_SEPARATORS.split(candidate.strip())]
        kept = [p for p in parts if p and line_key(p) not in sites and not is_boilerplate(p)]
        if len(kept) == len(parts):
            return candidate.strip()  # no site name, nothing to cut: keep separators
        if kept:
            return max(kept, key=len)
    return None


# A page whose main text is mostly Urdu may carry an English title over an Urdu one.
URDU_PAGE_SHARE = 0.5
# How far into the main text a headline taken from <h1> or <title> must reappear.
_HEAD_LINES = 12


def _choose_title(
    tree: HtmlElement,
    struct: Structured,
    hints: Hints,
    source: Source | None,
    lines: list[str],
) -> tuple[str | None, str | None]:
    """(headline, the <h1>/<title> text seen) from the page's markup.

    Structured data of a page that says it is an article (JSON-LD Article,
    og:type article) names its headline and is taken as it is. <h1>, a website's
    og:title and <title> are weaker: on government templates they often hold the site's name or
    a page-type header, so they count only when the site's hints point at them or
    the text repeats them near the top; otherwise the cleaner reads the titles off
    the head of the text.
    """
    sites = (struct.site_name or "", source.name if source else "")
    h1 = _text_of(tree, hints.title or "//h1")
    page_title = tree.findtext(".//title")
    head = {line_key(x) for x in lines}
    strong = (
        _title_from(Structured(title=struct.title, site_name=struct.site_name), None, sites)
        if struct.is_article
        else None
    )
    if strong:
        return strong, h1 or page_title
    # The page's only <h1>, if it reads like a headline (four words or more), is
    # one; a logo or a page-type header ("Press Release") is not.
    h1s = tree.xpath("//h1")
    sole_h1 = len(h1s) == 1 and h1 is not None and len(h1.split()) >= 4 and not _is_logo(h1s[0])
    weak = ((h1, bool(hints.title) or sole_h1), (struct.title, False), (page_title, False))
    for candidate, trusted in weak:
        title = _title_from(Structured(), candidate, sites)
        if title and (trusted or line_key(title) in head):
            return title, h1 or page_title
    return None, h1 or page_title


def _titles(cleaned: Cleaned) -> tuple[str, ...]:
    return tuple(t for t in (cleaned.title, cleaned.title_en) if t)


_LOGO = re.compile(r"logo|brand|site-?(name|title)|masthead|navbar", re.IGNORECASE)


def _is_logo(el: HtmlElement) -> bool:
    """An <h1> that is the site's name: marked as logo/brand, or inside the page header."""
    for node in (el, *el.iterancestors()):
        if _LOGO.search(f"{node.get('class', '')} {node.get('id', '')}") or node.tag == "header":
            return True
    return False


def _text_of(tree: HtmlElement, xpath: str) -> str | None:
    found = tree.xpath(f"string(({xpath})[1])")
    text = " ".join(found.split()) if isinstance(found, str) else ""
    return text or None


def _finish(
    cleaned: Cleaned,
    *,
    url: str,
    canonical: str,
    source: Source | None,
    fetched_at: datetime | None,
    published: Sequence[Evidence] = (),
    updated: Sequence[Evidence] = (),
    tree: HtmlElement | None = None,
    tz: str = "Asia/Karachi",
    author: str | None = None,
    keywords: list[str] | None = None,
) -> Record:
    body = normalize_display("\n\n".join(cleaned.body))
    if not cleaned.title and cleaned.title_en:
        # A bilingual page that lost its Urdu headline still has a headline.
        cleaned.title = cleaned.title_en
    rec = Record(
        url=url,
        canonical_url=canonical,
        title=normalize_display(cleaned.title or ""),
        title_en=normalize_display(cleaned.title_en) if cleaned.title_en else None,
        body=body,
        source=source.key if source else None,
        kind=source.kind if source else None,
        language=detect_language(body) if body else None,
        published_at=None,
        updated_at=None,
        fetched_at=fetched_at,
        place=cleaned.place,
        agency=cleaned.agency,
        author=author or cleaned.author,
        keywords=list(dict.fromkeys(keywords or cleaned.keywords)),
        related=cleaned.related,
        is_excerpt=cleaned.is_excerpt,
    )
    for fld, raw in cleaned.unparsed.items():
        rec.notes[fld] = f"unparsed date {raw!r}"
    if not published and cleaned.published_at:  # plain text: the cleaner's own dates
        published = [Evidence("label", cleaned.published_at)]
    if cleaned.dateline_date and not any(e.kind == "dateline" for e in published):
        published = [*published, Evidence("dateline", cleaned.dateline_date)]
    if not updated and cleaned.updated_at:
        updated = [Evidence("label", cleaned.updated_at)]
    for fld, choose, evidence in (
        ("published_at", choose_published, published),
        ("updated_at", choose_updated, updated),
    ):
        choice = choose(evidence, url=url, now=fetched_at, tree=tree, tz=tz, language=rec.language)
        setattr(rec, fld, choice.value)
        if choice.note and fld not in rec.notes:
            rec.notes[fld] = choice.note
    return rec


def extract_html(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    source: Source | None = None,
) -> Record:
    """Turn one saved or fetched HTML page into a record."""
    source = source or for_url(url)
    hints = source.hints if source else Hints()
    tz = source.timezone if source else "Asia/Karachi"
    now = fetched_at
    tree = parse_html(html)
    struct = read_structured(tree)

    pruned = prune(tree, hints)  # once: every layer below reads this copy
    lines = main_lines(pruned, hints)
    page = block_text(pruned)
    above, between = around_start(page, lines, is_boilerplate)
    marker = next((x for x in above if is_marker(x)), None)
    if marker is not None:
        # Extraction picked the article appended after "پڑھیں:"; the page's own is above.
        widened = widen_to(pruned, marker)
        if widened:
            lines = widened
            above, between = around_start(page, lines, is_boilerplate)
    page_is_urdu = (
        (struct.lang or "").startswith("ur")
        or (source is not None and source.languages[0] == "ur")
        or urdu_ratio(" ".join(lines[:40])) > URDU_PAGE_SHARE
    )
    title, tree_title = _choose_title(tree, struct, hints, source, lines[:_HEAD_LINES] + above)
    title_en = None
    if title and is_latin(title) and page_is_urdu:
        title, title_en = None, title

    opts = CleanOptions(
        now=now,
        tz=tz,
        slogans=frozenset(line_key(s) for s in hints.slogans),
        known_titles=tuple(t for t in (title, title_en, tree_title) if t),
        title=title,
        title_en=title_en,
        bilingual=page_is_urdu,
        links={k: urljoin(url, v) for k, v in anchor_map(tree).items()},
        teasers=tuple(
            (title, urljoin(url, href) if href else None)
            for title, href in teaser_titles(tree, is_marker)
        ),
    )
    cleaned = clean_lines(lines, opts)
    seen = {line_key(r.title) for r in cleaned.related}
    for teaser, href in inline_teasers(tree, lines, split_teaser):
        if line_key(teaser) not in seen:
            seen.add(line_key(teaser))
            cleaned.related.append(Related(title=teaser, url=urljoin(url, href) if href else None))
    # Headlines and date stamps next to the text, which extraction leaves out.
    head = read_head(
        above + between, replace(opts, known_titles=(*opts.known_titles, *_titles(cleaned)))
    )
    cleaned.title = cleaned.title or head.title
    if page_is_urdu:
        cleaned.title_en = cleaned.title_en or head.title_en
    cleaned.agency = cleaned.agency or head.agency
    cleaned.author = cleaned.author or head.author
    cleaned.keywords = cleaned.keywords or head.keywords
    cleaned.is_excerpt = looks_cut_off(cleaned)
    # Dates from every layer, most trusted first; the choice is made in evidence.py.
    published: list[Evidence] = []
    updated: list[Evidence] = []
    if struct.published and (value := parse_date(struct.published, tz=tz)):
        published.append(Evidence("structured", value, struct.published))
    if struct.modified and (value := parse_date(struct.modified, tz=tz)):
        updated.append(Evidence("structured", value, struct.modified))
    labelled = scan_labels(page, opts)
    for kind, found in (("label", cleaned), ("head", head), ("page-label", labelled)):
        if found.published_at:
            published.append(Evidence(kind, found.published_at))
        if found.updated_at:
            updated.append(Evidence(kind, found.updated_at))
    if cleaned.dateline_date:
        published.append(Evidence("dateline", cleaned.dateline_date))

    canonical = canonical_url(url)
    if struct.canonical:
        target = urljoin(url, struct.canonical)
        if same_site(target, url):
            canonical = canonical_url(target)
    return _finish(
        cleaned,
        url=url,
        canonical=canonical,
        source=source,
        fetched_at=fetched_at,
        published=published,
        updated=updated,
        tree=tree,
        tz=tz,
        author=struct.author,
        keywords=struct.keywords or None,
    )


def extract_text(
    text: str,
    url: str,
    *,
    fetched_at: datetime | None = None,
    source: Source | None = None,
) -> Record:
    """Turn plain text (a naive extraction of a page, like the seed documents) into a record."""
    source = source or for_url(url)
    # Without a source, the slogans of every registered source are known boilerplate.
    pool = [source] if source else all_sources()
    slogans = {line_key(s) for src in pool for s in src.hints.slogans}
    opts = CleanOptions(
        now=fetched_at,
        tz=source.timezone if source else "Asia/Karachi",
        slogans=frozenset(slogans),
    )
    cleaned = clean_lines(text.splitlines(), opts)
    return _finish(
        cleaned,
        url=url,
        canonical=canonical_url(url),
        source=source,
        fetched_at=fetched_at,
        tz=source.timezone if source else "Asia/Karachi",
    )
