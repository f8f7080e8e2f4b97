"""From an HTML page to lines of candidate main text (trafilatura with per-site hints)."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from pressbot.decode import decode_html
from pressbot.extract.limits import (
    BODY_MIN,
    CLIMB_MAX_EXTRA,
    CLIMB_MAX_LINK_SHARE,
    FALLBACK_BELOW,
    HEAD_ABOVE,
    HEAD_LINE_MAX,
    HEAD_ZONE,
    MARKER_MAX,
    MAX_HTML_BYTES,
    PARA_MIN,
    PROSE_CELL_MIN,
    PRUNE_MAX_SHARE,
    TEASER_LINE_MAX,
)
from pressbot.sources import Hints


# Removed on every site before extraction: comment forms and threads (WordPress themes
# often put them inside the content container, where trafilatura keeps them) and the
# common share plugins. Matched on whole class tokens, so "has-sidebar" on <body> or
# "share-friendly-article" never takes the article with it; the rest of the page
# chrome is trafilatura's job.
def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_GENERIC_PRUNE = (
    "//script|//style|//noscript|//iframe|//form|//textarea",
    "//*[@id='respond' or @id='comments' or @id='disqus_thread']",
    "//*[" + " or ".join(
        _cls(c) for c in (
            "comment-respond", "comments-area", "comment-list", "sharedaddy", "sd-sharing",
            "addtoany_share_save_container", "a2a_kit", "heateor_sss_sharing_container",
            "post-views", "jp-relatedposts", "yarpp-related", "crp_related",
        )
    ) + "]",
)  # fmt: skip

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "section", "article", "table", "ul", "ol", "header", "footer", "pre",
        "dd", "dt", "figcaption",
    }
)  # fmt: skip


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html(html: str | bytes) -> HtmlElement:
    """The page's tree. Bytes are decoded as Scrapy decodes a response without headers
    (byte order mark, ``<meta>`` charset, then detection); callers that know the HTTP
    ``Content-Type`` decode with :func:`pressbot.decode.decode_html` and pass text."""
    if len(html) > MAX_HTML_BYTES:
        raise ValueError(f"page is {len(html)} bytes, over the {MAX_HTML_BYTES} limit")
    if isinstance(html, bytes):
        html = decode_html(html)[0]
    # lxml refuses text that still declares an encoding (XHTML's <?xml ... ?>): the
    # declaration has been acted on, so it goes.
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        return document_fromstring(html)
    except etree.ParserError as exc:  # nothing but whitespace or comments
        raise ValueError(f"no HTML to parse ({exc})") from exc


_GENERIC = tuple(etree.XPath(e) for e in _GENERIC_PRUNE)


def prune(tree: HtmlElement, hints: Hints) -> HtmlElement:
    """A copy of ``tree`` without the subtrees that are never article text."""
    tree = copy.deepcopy(tree)
    total = len(tree.text_content()) or 1
    for xp in (*_GENERIC, *hints.prune_xpaths):
        for el in xp(tree):
            if not isinstance(el, HtmlElement) or el.getparent() is None:
                continue
            if (
                el.tag not in ("script", "style")
                and len(el.text_content()) > PRUNE_MAX_SHARE * total
            ):
                continue
            el.drop_tree()
    return tree


def block_text(root: HtmlElement, *, source_newlines: bool = True) -> list[str]:
    """Text of ``root`` as lines, one per block element (the fallback extractor).
    With ``source_newlines`` false, line breaks in the HTML source are spaces, so a
    paragraph wrapped over several source lines is one line."""
    parts: list[str] = []

    def text(raw: str) -> str:
        return raw if source_newlines else raw.replace("\n", " ").replace("\r", " ")

    def walk(el: HtmlElement) -> None:
        if not isinstance(el.tag, str):
            return
        block = el.tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(text(el.text))
        for child in el:
            walk(child)
            if child.tail:
                parts.append(text(child.tail))
        if block:
            parts.append("\n")

    walk(root)
    joined = "".join(parts)
    return [ln.strip() for ln in joined.split("\n") if ln.strip()]


def _align_key(line: str) -> str:
    """What trafilatura leaves of a line: it drops format characters (ZWNJ too),
    rewrites whitespace and applies NFC (which reorders a shadda typed before a
    fatha); this key is equal on both sides of those changes."""
    text = unicodedata.normalize("NFC", line)
    return "".join(c for c in text if unicodedata.category(c)[0] not in "CZ")


def as_published(lines: list[str], root: HtmlElement) -> list[str]:
    """trafilatura's lines as the page wrote them: each line that is a whole block
    of ``root`` is replaced by that block's own text (letters, ZWNJ and marks in the
    page's order); a line trafilatura built otherwise stays as it is."""
    blocks: dict[str, str] = {}
    for block in block_text(root, source_newlines=False):
        blocks.setdefault(_align_key(block), block)
    return [blocks.get(_align_key(line), line) for line in lines]


_CELL_SPLIT = re.compile(r"\s+\|\s+")


def _cells(line: str) -> list[str]:
    """trafilatura writes table rows as "| a | b |": one line per cell instead."""
    line = line.strip()
    if line.startswith("|") and line.endswith("|") and len(line) > 1:
        return [c for c in (x.strip() for x in _CELL_SPLIT.split(line[1:-1].strip())) if c]
    return [line] if line else []


def _text_len(el: HtmlElement) -> int:
    return len(" ".join(el.text_content().split()))


def _link_len(el: HtmlElement) -> int:
    return sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))


def content_root(tree: HtmlElement) -> HtmlElement:
    """The element holding the article on layouts trafilatura reads badly (nested
    tables): the parent of the most paragraph text, widened while the widening
    adds only short, link-poor text such as the title and date rows."""
    scores: dict[HtmlElement, int] = {}
    for el in tree.iter("p", "div", "td", "li", "blockquote"):
        own = len(" ".join((el.text or "").split())) + sum(
            len(" ".join((c.tail or "").split())) for c in el
        )
        if el.tag == "p":
            own = _text_len(el)
        if own < PARA_MIN or _link_len(el) > CLIMB_MAX_LINK_SHARE * max(own, 1):
            continue
        parent = el.getparent() if el.tag == "p" else el
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + own
    if not scores:
        body = tree.find(".//body")
        return body if body is not None else tree
    root = max(scores, key=lambda e: scores[e])
    while True:
        parent = root.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return root
        extra = _text_len(parent) - _text_len(root)
        extra_links = _link_len(parent) - _link_len(root)
        if extra > CLIMB_MAX_EXTRA or extra_links > CLIMB_MAX_LINK_SHARE * max(extra, 1):
            return root
        root = parent


def main_lines(pruned: HtmlElement, hints: Hints) -> list[str]:
    """Candidate lines of the main text of a pruned page (:func:`prune`),
    boilerplate lines not yet removed."""
    if hints.body_xpath is not None:
        found = [el for el in hints.body_xpath(pruned) if isinstance(el, HtmlElement)]
        if found:
            # The site's declared article container: its blocks, in order.
            return block_text(found[0])
    text = trafilatura.extract(
        etree.tostring(pruned, encoding="unicode"),
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    raw = [ln.strip() for ln in (text or "").split("\n") if ln.strip()]
    # Prose that trafilatura found inside table cells (long cells; data tables such
    # as standings or rates have short ones).
    in_tables = sum(
        len(cell)
        for ln in raw
        if ln.startswith("|")
        for cell in _cells(ln)
        if len(cell) >= PROSE_CELL_MIN
    )
    total = sum(len(ln) for ln in raw)
    # On table layouts trafilatura flattens each cell into one line (title and
    # paragraphs run together) and keeps the page chrome around it; and on some it
    # finds nothing. Then the paragraphs' own container is the better source.
    longest = max(raw, key=len, default="")
    if total < FALLBACK_BELOW or in_tables > total / 2 or longest.startswith("|"):
        return block_text(content_root(pruned))
    return as_published([cell for ln in raw for cell in _cells(ln)], pruned)


def anchor_map(tree: HtmlElement) -> dict[str, str]:
    """Anchor text -> href, for teasers whose links must be kept."""
    from pressbot.extract.clean import line_key

    out: dict[str, str] = {}
    for a in tree.iter("a"):
        href = a.get("href")
        text = a.text_content().strip()
        if href and text and len(text) > 10:
            out.setdefault(line_key(text), href)
    return out


_NEXT_TITLE = etree.XPath(
    "following::*[self::h1 or self::h2 or self::h3 or self::h4 or self::a][normalize-space()][1]"
)


def teaser_titles(
    tree: HtmlElement, is_marker: Callable[[str], bool]
) -> list[tuple[str, str | None]]:
    """Titles (and links) that follow a standalone "پڑھیں:" marker, in page order:
    the headline of an appended article, which text extraction tends to drop."""
    out: list[tuple[str, str | None]] = []
    for el in tree.iter("p", "div", "span", "strong", "b", "h2", "h3", "h4"):
        text = " ".join(el.text_content().split())
        if not text or len(text) > MARKER_MAX or not is_marker(text):
            continue
        if el.getparent() is not None and is_marker(
            " ".join(el.getparent().text_content().split())
        ):
            continue  # the same marker seen from its wrapper
        nxt = _NEXT_TITLE(el)
        if nxt:
            title = " ".join(nxt[0].text_content().split())
            link = nxt[0] if nxt[0].tag == "a" else nxt[0].find(".//a")
            out.append((title, link.get("href") if link is not None else None))
    return out


def _find(page: list[str], line: str, start: int = 0) -> int | None:
    from pressbot.extract.clean import line_key

    key = line_key(line)[:40]
    return next((i for i in range(start, len(page)) if line_key(page[i]).startswith(key)), None)


def around_start(
    page: list[str], lines: list[str], is_junk: Callable[[str], bool]
) -> tuple[list[str], list[str]]:
    """Page lines near the start of the main text that text extraction left out:
    (just above it, back to the first piece of page chrome; between its first lines
    and its first paragraph) -- where headlines and date stamps sit."""
    if not lines:
        return [], []
    # Anchor on the first paragraph (unambiguous), then step back to the text's first
    # line: a short first line ("سکھر") also occurs in menus further up the page.
    para = next((ln for ln in lines if len(ln) >= BODY_MIN), lines[0])
    end = _find(page, para)
    if end is None:
        return [], []
    from pressbot.extract.clean import line_key

    key = line_key(lines[0])
    first = next((i for i in range(end, -1, -1) if line_key(page[i]) == key), None)
    if first is None:
        first = _find(page, lines[0]) or end
    inside = set(lines)
    above: list[str] = []
    for line in reversed(page[max(0, first - HEAD_ZONE) : first]):
        if is_junk(line) or len(line) > HEAD_LINE_MAX or len(above) == HEAD_ABOVE:
            break
        above.insert(0, line)
    between = [ln for ln in page[first:end] if ln not in inside and len(ln) <= HEAD_LINE_MAX]
    return above, between


def _deepest_with_text(tree: HtmlElement, prefix: str) -> HtmlElement | None:
    from pressbot.extract.clean import line_key

    found = None
    for el in tree.iter():
        if isinstance(el.tag, str) and line_key(el.text_content()).startswith(prefix):
            found = el  # later in document order = deeper for nested matches
    return found


def widen_to(pruned: HtmlElement, marker: str) -> list[str] | None:
    """Block lines of the smallest element around a "پڑھیں:" marker that also holds
    a paragraph before it: for when extraction took the article appended after the
    marker for the page's own, which sits above it. None if there is none."""
    from pressbot.extract.clean import line_key

    mark = _deepest_with_text(pruned, line_key(marker))
    if mark is None:
        return None
    for container in mark.iterancestors():
        if container.tag in ("html", "body"):
            return None
        lines = block_text(container)
        at = next((i for i, ln in enumerate(lines) if line_key(ln) == line_key(marker)), 0)
        if any(len(ln) >= PARA_MIN for ln in lines[:at]):
            return lines
    return None


def inline_teasers(
    tree: HtmlElement, lines: list[str], split: Callable[[str], tuple[str, str] | None]
) -> list[tuple[str, str | None]]:
    """ "یہ بھی پڑھیں: <a>title</a>" paragraphs inside the article's own container
    (beside its paragraphs), which text extraction may drop as link-heavy."""
    from pressbot.extract.clean import line_key

    starts = [line_key(ln)[:30] for ln in lines if len(ln) >= PARA_MIN]
    out: list[tuple[str, str | None]] = []
    for el in tree.iter("p", "div", "li"):
        if any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants()):
            continue  # a box holding paragraphs (an appended article), not one teaser line
        text = " ".join(el.text_content().split())
        found = split(text) if len(text) < TEASER_LINE_MAX else None
        parent = el.getparent()
        if found is None or parent is None:
            continue
        around = line_key(parent.text_content())
        if not any(start and start in around for start in starts):
            continue
        link = el.find(".//a")
        title = " ".join(link.text_content().split()) if link is not None else ""
        out.append((title or found[1], link.get("href") if link is not None else None))
    return out
