"""Structured data first: JSON-LD, OpenGraph, <meta>, <link rel=canonical>."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "webpage", "report", "pressrelease",
}  # fmt: skip
# Elements are picked by tag in lxml and their attributes tested in Python: an
# XPath "//x[...]" walks every node of the page for each.
_TEXT_NODES = etree.XPath("text()")
_HTML_LANG = etree.XPath("/html/@lang")
_CANONICAL_LETTERS = str.maketrans("CANONICAL", "canonical")


def _tagged(tree: HtmlElement, tag: str, attribute: str) -> list[HtmlElement]:
    """The <tag> elements of ``tree``'s document that have ``attribute``."""
    root = tree.getroottree().getroot()
    return [el for el in root.iter(tag) if el.get(attribute) is not None]


def _jsonld_texts(tree: HtmlElement) -> list[str]:
    """The text of every <script type="application/ld+json">."""
    root = tree.getroottree().getroot()
    return [
        raw
        for script in root.iter("script")
        if script.get("type") == "application/ld+json"
        for raw in _TEXT_NODES(script)
    ]


def _canonical(tree: HtmlElement) -> str | None:
    """The href of the first <link rel="canonical"> (the rel in any case) that has one."""
    for link in _tagged(tree, "link", "href"):
        rel = link.get("rel")
        if rel is not None and rel.translate(_CANONICAL_LETTERS) == "canonical":
            return str(link.get("href"))
    return None


# Tag links: rel="tag" (WordPress and most CMSs) or a /tag/ path, inside the article
# or a tags box, and not in a sidebar tag cloud. Read in Python over the links
# (:func:`_tag_links`): an XPath testing every element's class costs five times more.
_XML_SPACE = re.compile("[ \t\r\n]+")


def _tag_links(tree: HtmlElement) -> list[HtmlElement]:
    """The tag links, in document order: <a> with the token "tag" in its rel (as
    XPath's normalize-space splits it) or "/tag/" in its href, inside an <article>
    or an element whose class holds "tags" or "tag-links", and inside no <aside>
    and no element whose class holds "widget" or "sidebar"."""
    out: list[HtmlElement] = []
    for a in tree.iter("a"):
        rel, href = a.get("rel"), a.get("href")
        if not (
            (rel and " tag " in f" {_XML_SPACE.sub(' ', rel).strip(' ')} ")
            or (href and "/tag/" in href)
        ):
            continue
        inside = False
        for above in a.iterancestors():
            classes = above.get("class") or ""
            if above.tag == "aside" or "widget" in classes or "sidebar" in classes:
                inside = False
                break
            if above.tag == "article" or "tags" in classes or "tag-links" in classes:
                inside = True
        if inside:
            out.append(a)
    return out


@dataclass
class Structured:
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    author: str | None = None
    keywords: list[str] = field(default_factory=list)
    canonical: str | None = None
    site_name: str | None = None
    lang: str | None = None
    description: str | None = None
    section: str | None = None
    # All <time datetime> values in document order (published first by convention).
    times: list[tuple[str, str]] = field(default_factory=list)
    # Whether the page marks itself as an article (JSON-LD Article or og:type article).
    # Government CMSs put the same <meta name=keywords/author> on every page; those
    # are read only from pages that say they are articles.
    is_article: bool = False


def _iter_nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _iter_nodes(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _iter_nodes(data["@graph"])


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type", [])
    return {x.lower() for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)}


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _split_keywords(value: Any) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[,،]", str(value or ""))
    return [k.strip() for k in items if isinstance(k, str) and k.strip()]


def _jsonld(tree: HtmlElement, out: Structured) -> None:
    for raw in _jsonld_texts(tree):
        try:
            data = json.loads(raw)
        except ValueError:
            continue  # broken JSON-LD is common; the other layers still work
        for node in _iter_nodes(data):
            types = _types(node)
            if not types & _ARTICLE_TYPES:
                continue
            out.is_article = out.is_article or not types <= {"webpage"}
            # An Article beats a WebPage: only fill what is still empty, articles first.
            is_page = types <= {"webpage"}
            if is_page and out.title:
                continue
            out.title = out.title or _name(node.get("headline")) or _name(node.get("name"))
            out.published = out.published or _name(node.get("datePublished"))
            out.modified = out.modified or _name(node.get("dateModified"))
            out.author = out.author or _name(node.get("author"))
            out.keywords = out.keywords or _split_keywords(node.get("keywords"))
            out.section = out.section or _name(node.get("articleSection"))
            if not is_page:
                out.site_name = out.site_name or _name(node.get("publisher"))


def _meta(tree: HtmlElement, out: Structured) -> None:
    meta: dict[str, str] = {}
    for el in _tagged(tree, "meta", "content"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and key not in meta:
            meta[key] = el.get("content", "").strip()
    out.title = out.title or meta.get("og:title") or meta.get("twitter:title")
    out.published = (
        out.published
        or meta.get("article:published_time")
        or meta.get("datepublished")
        or meta.get("pubdate")
        or meta.get("date")
    )
    out.modified = out.modified or meta.get("article:modified_time") or meta.get("og:updated_time")
    out.is_article = out.is_article or meta.get("og:type", "").lower() == "article"
    if out.is_article:
        out.author = out.author or meta.get("author") or meta.get("article:author")
    if not out.keywords and (out.is_article or "news_keywords" in meta):
        out.keywords = _split_keywords(meta.get("news_keywords") or meta.get("keywords"))
    out.site_name = out.site_name or meta.get("og:site_name")
    out.description = meta.get("og:description") or meta.get("description")
    if not out.canonical and meta.get("og:url"):
        out.canonical = meta["og:url"]


def read_structured(tree: HtmlElement) -> Structured:
    out = Structured()
    canon = _canonical(tree)
    out.canonical = canon.strip() if canon is not None else None
    lang = _HTML_LANG(tree)
    out.lang = lang[0].strip().lower() if lang else None
    _jsonld(tree, out)
    _meta(tree, out)
    out.times = [
        (t.get("datetime", ""), t.get("class", "")) for t in _tagged(tree, "time", "datetime")
    ]
    if not out.keywords:
        tags = (" ".join(a.text_content().split()) for a in _tag_links(tree))
        out.keywords = list(dict.fromkeys(t for t in tags if t))
    # <time> elements are not taken as the published date here: the first one is
    # as often the site header's "today" or a sidebar's as the article's own.
    # pressbot.extract.markup_dates reads them with their place on the page.
    return out
