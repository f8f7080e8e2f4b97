"""Pure extraction: (page, url, fetched_at, source) -> Record. No Scrapy here.

:func:`extract_html` and :func:`extract_text` are the entry points (the spider,
the CLI, ingest, reextract, health and the benchmarks call them). Each builds a
page object (:mod:`pressbot.extract.page`): layers read once -- structured data
(JSON-LD, OpenGraph, meta), the main text found by trafilatura inside the site's
hinted container, the text-level cleaner -- and one method per record field.
A source may name its own page classes (``Source.pages``).
"""

from __future__ import annotations

import importlib
from datetime import datetime
from functools import cache

from lxml.html import HtmlElement

from pressbot.extract.html import parse_html
from pressbot.extract.page import Page, TextPage
from pressbot.items import Record
from pressbot.sources import Source, for_url

__all__ = ["extract_html", "extract_text", "page_class"]


@cache
def _load(path: str) -> type[Page]:
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(module), name, None)
    if not (isinstance(cls, type) and issubclass(cls, Page)):
        raise TypeError(f"{path} is not a pressbot.extract.page.Page subclass")
    return cls


def page_class(source: Source | None, tree: HtmlElement, url: str) -> type[Page]:
    """The page class that reads ``tree``: the first of the source's ``pages`` whose
    ``fits`` accepts it, else the generic :class:`Page`."""
    for path in source.pages if source else ():
        cls = _load(path)
        if cls.fits(tree, url):
            return cls
    return Page


def extract_html(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    source: Source | None = None,
) -> Record:
    """Turn one saved or fetched HTML page into a record.

    Raises ValueError for input that is no page (oversized, no HTML) and whatever
    reading the main text raised: a page without its text is no record. Any other
    field that fails is left empty with its reason in ``record.notes``.
    """
    source = source or for_url(url)
    tree = parse_html(html)
    cls = page_class(source, tree, url)
    return cls(tree, url, fetched_at=fetched_at, source=source).record()


def extract_text(
    text: str,
    url: str,
    *,
    fetched_at: datetime | None = None,
    source: Source | None = None,
) -> Record:
    """Turn plain text (a naive extraction of a page, like the seed documents) into a record."""
    source = source or for_url(url)
    return TextPage(text, url, fetched_at=fetched_at, source=source).record()
