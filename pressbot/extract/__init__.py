"""Pure extraction: (page, url, fetched_at, source) -> Record. No Scrapy here.

Layers, most trusted first: structured data (JSON-LD, OpenGraph, meta), then the
main text found by trafilatura inside the site's hinted container, then the
text-level cleaner, which also handles plain text such as the seed documents.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from pressbot.extract.clean import (
    Cleaned,
    CleanOptions,
    clean_lines,
    is_boilerplate,
    is_latin,
    is_marker,
    line_key,
    scan_labels,
)
from pressbot.extract.html import (
    anchor_map,
    block_text,
    main_lines,
    parse_html,
    prune,
    teaser_titles,
)
from pressbot.extract.structured import Structured, read_structured
from pressbot.items import Record
from pressbot.sources import Hints, Source, all_sources, for_url
from pressbot.text.dates import parse_date
from pressbot.text.urdu import detect_language, normalize_display
from pressbot.urls import canonical_url, same_site

__all__ = ["extract_html", "extract_text"]

# A date more than this far past the fetch time is a parsing error or a typo.
FUTURE_SLACK = timedelta(days=1)


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


def _finish(
    cleaned: Cleaned,
    *,
    url: str,
    canonical: str,
    source: Source | None,
    fetched_at: datetime | None,
    published: datetime | None = None,
    updated: datetime | None = None,
    author: str | None = None,
    keywords: list[str] | None = None,
) -> Record:
    body = normalize_display("\n\n".join(cleaned.body))
    rec = Record(
        url=url,
        canonical_url=canonical,
        title=normalize_display(cleaned.title or ""),
        title_en=normalize_display(cleaned.title_en) if cleaned.title_en else None,
        body=body,
        source=source.key if source else None,
        kind=source.kind if source else None,
        language=detect_language(body) if body else None,
        published_at=published or cleaned.published_at,
        updated_at=updated or cleaned.updated_at,
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
    limit = (fetched_at or datetime.now(ZoneInfo("UTC"))) + FUTURE_SLACK
    for fld in ("published_at", "updated_at"):
        value = getattr(rec, fld)
        if value is not None and value > limit:
            setattr(rec, fld, None)
            rec.notes[fld] = f"rejected date in the future: {value.isoformat()}"
    if rec.published_at is None and "published_at" not in rec.notes:
        rec.notes["published_at"] = "no date on page"
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

    tree_title = None
    xp = hints.title or "//h1"
    found = tree.xpath(f"string(({xp})[1])")
    if isinstance(found, str) and found.strip():
        tree_title = found.strip()
    elif tree.find(".//title") is not None:
        tree_title = tree.findtext(".//title")
    title = _title_from(struct, tree_title, (struct.site_name or "", source.name if source else ""))
    title_en = None
    page_is_urdu = (struct.lang or "").startswith("ur") or (
        source is not None and source.languages[0] == "ur"
    )
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
    cleaned = clean_lines(main_lines(tree, hints), opts)
    if cleaned.published_at is None or cleaned.updated_at is None:
        labelled = scan_labels(block_text(prune(tree, hints)), opts)
        cleaned.published_at = cleaned.published_at or labelled.published_at
        cleaned.updated_at = cleaned.updated_at or labelled.updated_at
    cleaned.published_at = cleaned.published_at or cleaned.dateline_date

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
        published=parse_date(struct.published, now=now, tz=tz) if struct.published else None,
        updated=parse_date(struct.modified, now=now, tz=tz) if struct.modified else None,
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
    cleaned.published_at = cleaned.published_at or cleaned.dateline_date
    return _finish(
        cleaned, url=url, canonical=canonical_url(url), source=source, fetched_at=fetched_at
    )
