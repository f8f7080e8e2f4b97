"""From an HTML page to lines of candidate main text (trafilatura with per-site hints)."""

from __future__ import annotations

import copy
import re
import unicodedata
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate

import trafilatura
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    document_fromstring,
)

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
from pressbot.text.memo import line_cache

# Removed on every site before extraction: scripts and forms, comment forms and
# threads (WordPress themes often put them inside the content container, where
# trafilatura keeps them) and the common share plugins. Classes are matched as whole
# tokens, so "has-sidebar" on <body> or "share-friendly-article" never takes the
# article with it; the rest of the page chrome, but for the sections below, is
# trafilatura's job. Inline SVG (icons, logos, charts) is drawing, not text, and
# often hundreds of elements a page.
_NEVER_TEXT = ("script", "style", "svg")
_HEAD_DATA = ("meta", "link", "base")
_CHROME_TAGS = ("noscript", "iframe", "form", "textarea")
# HTML5's sections for what is not the main text: menus, page and article footers,
# sidebars. trafilatura drops them too, but only after walking them in each of its
# passes and handing them to readability; on the benchmark pages they held a third
# of the elements left after pruning. Removed like hidden elements: unless one holds
# two paragraphs of article length (a theme that puts the story in an <aside>).
_SECTION_TAGS = ("nav", "footer", "aside")
# The same sections named by ARIA roles, on themes built of <div>s, and dialogs
# (cookie notices, newsletter pop-ups).
_SECTION_ROLES = frozenset(
    {
        "navigation",
        "complementary",
        "contentinfo",
        "banner",
        "menu",
        "menubar",
        "search",
        "dialog",
        "alertdialog",
    }
)
_CHROME_IDS = frozenset({"respond", "comments", "disqus_thread"})
_CHROME_CLASSES = frozenset(
    {
        "comment-respond", "comments-area", "comment-list", "sharedaddy", "sd-sharing",
        "addtoany_share_save_container", "a2a_kit", "heateor_sss_sharing_container",
        "post-views", "jp-relatedposts", "yarpp-related", "crp_related",
    }
)  # fmt: skip
# Never shown to a reader: hidden elements (the hidden attribute, inline
# display:none, the usual hiding classes, print-only headers, screen-reader labels)
# and microdata values written out for machines (publisher, logo, image URL,
# dates). Such an element that holds paragraphs of text is kept: a "read more"
# expander hides the rest of an article the same way.
_HIDING_CLASSES = frozenset(
    {
        "hide", "hidden", "d-none", "is-hidden", "visually-hidden", "sr-only",
        "screen-reader-text", "invisible", "print-only", "print-header", "visible-print",
    }
)  # fmt: skip
_MACHINE_PROPS = frozenset(
    {
        "publisher", "logo", "image", "url", "datePublished", "dateModified", "dateCreated",
        "thumbnailUrl", "width", "height",
    }
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# The rules run in Python over every element with attributes, in one walk: lxml
# walks a tree (and picks tags) far faster than it tests XPath predicates on every
# element; a class value is judged once per page and a style value once (themes
# repeat them).


def _class_rule(value: str) -> int:
    """What a class attribute's tokens say: 1 page chrome, 2 hidden, 0 neither."""
    classes = set(value.split())
    if classes & _CHROME_CLASSES:
        return 1
    return 2 if classes & _HIDING_CLASSES else 0


def _section_role(value: str | None, el: HtmlElement) -> bool:
    """Whether ``el``, whose ``role`` attribute is ``value``, is a section that is not
    the main text. The attribute is a list of roles, the first one a browser knows
    is taken; the first listed stands for it here. A "banner" holding an <h1> is
    kept: themes put the role on a hero block with the article's headline."""
    words = (value or "").split()
    if not words or (role := words[0].lower()) not in _SECTION_ROLES:
        return False
    return role != "banner" or el.find(".//h1") is None


@lru_cache(maxsize=4096)
def _hidden_style(value: str | None) -> bool:
    return _HIDDEN_STYLE.search(value or "") is not None


_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "section", "article", "table", "ul", "ol", "header", "footer", "pre",
        "dd", "dt", "figcaption",
    }
)  # fmt: skip


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# lxml.html chooses a class per tag (forms, inputs, labels) through a Python
# callback that runs each time Python touches an element: a tenth of the
# extraction's time. Nothing here uses those classes; every element is an
# HtmlElement, chosen in C.
_PARSER = etree.HTMLParser()
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


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
        return document_fromstring(html, parser=_PARSER)
    except etree.ParserError as exc:  # nothing but whitespace or comments
        raise ValueError(f"no HTML to parse ({exc})") from exc


# Boxes beside an article that trafilatura sometimes keeps: related stories,
# newsletter sign-ups, most-read and trending lists, recommendation widgets. Matched
# on class or id tokens ("related-posts", "relatedpoststitle", "Newsletter",
# "latest-news-box"); a heading so marked heads the siblings after it.
_BOX_TOKEN = (
    r"(^|[\s_-])(related|relatedposts?|relatedpoststitle|newsletters?|newsletter-signup|"
    r"signup|sign-up|subscribe|subscription|trending|most-?popular|most-?read|mostread|"
    r"popular-posts|latest-news-box|recommended|recommendations|outbrain|taboola|"
    r"read-?next|more-?stories|you-?may-?like)([\s_-]|$)"
)
# The tokens bounded by lookarounds: a value's start and end bound a token as ^
# and $ do, and so does a line break (values may be searched joined by them).
_BOX_IN_VALUES = re.compile(
    r"(?:^|(?<=[\s_-]))"
    + _BOX_TOKEN[_BOX_TOKEN.index(")(") + 1 : _BOX_TOKEN.rindex(")(") + 1]
    + r"(?=[\s_-]|$)",
    re.IGNORECASE,
)
# Every token of _BOX_TOKEN holds one of these (in lower case): an ASCII value
# without any names no box, and a substring test is far cheaper than the pattern.
_BOX_WORDS = (
    "related", "newsletter", "sign", "subscri", "trending", "popular", "read", "latest",
    "recommend", "outbrain", "taboola", "stories", "like",
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A container marked as a box that holds more than this share of the main text is
# the article itself.
_BOX_MAX_SHARE = 0.5
# The boxes of each pruned tree, found from the class and id values prune's walk
# reads anyway (a search of their own cost as much as the rest of prune); entries
# go with their tree.
_PRUNED_BOXES: weakref.WeakKeyDictionary[HtmlElement, list[HtmlElement]] = (
    weakref.WeakKeyDictionary()
)


def _box_values(values: Iterable[str]) -> set[str]:
    """Those of ``values`` (class or id values) that hold a box token.

    The ASCII values are joined, lower-cased, and searched for each word of
    :data:`_BOX_WORDS` (a substring search is far cheaper than the pattern);
    only a value where one occurs is tried with the pattern. (Not on other
    values: re.IGNORECASE also matches the Kelvin sign to "k", which lower()
    would not find.)"""
    distinct = set(values)
    ascii_values = sorted(v for v in distinct if v.isascii())
    tried = {v for v in distinct if not v.isascii()}
    joined = "\n".join(ascii_values).lower()
    ends = list(accumulate(len(v) + 1 for v in ascii_values))
    for word in _BOX_WORDS:
        at = joined.find(word)
        while at != -1:
            i = bisect_right(ends, at)
            tried.add(ascii_values[i])
            at = joined.find(word, ends[i])  # the next value
    return {v for v in tried if _BOX_IN_VALUES.search(v) is not None}


def _named_boxes(named: list[tuple[str, HtmlElement]]) -> list[HtmlElement]:
    """The elements of (class or id value, element) pairs whose value names a box,
    each once, in the pairs' order."""
    boxed = _box_values(value for value, _ in named)
    return list(dict.fromkeys(el for value, el in named if value in boxed)) if boxed else []


def _boxes(root: HtmlElement) -> list[HtmlElement]:
    """Elements of ``root`` whose class or id names a box (:data:`_BOX_TOKEN`).
    For a tree :func:`prune` made, those it found that are still in the tree; for
    any other, one walk."""
    found = _PRUNED_BOXES.get(root)
    if found is None:
        return _named_boxes(
            [
                (value, el)
                for el in root.iter(etree.Element)
                for value in (el.get("class"), el.get("id"))
                if value is not None
            ]
        )
    return [el for el in found if _within(el, root)]


def _within(el: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``el`` is ``root`` or still below it (not in a dropped subtree)."""
    parent = el.getparent()
    while parent is not None:
        el, parent = parent, parent.getparent()
    return el is root


def _without_boxes(lines: list[str], root: HtmlElement) -> list[str]:
    """``lines`` without those inside related, newsletter and most-read boxes.

    What follows a heading so marked ("Related posts") is never the article. A
    container so marked may be, on a theme that names its content "related-content":
    one that holds the text's first paragraph, or more than half of it, is kept."""
    marked = _boxes(root)
    if not marked:
        return lines
    lede = next((_align_key(ln) for ln in lines if len(ln) >= PARA_MIN), None)
    total = sum(map(len, lines)) or 1
    by_key = {_align_key(ln): len(ln) for ln in lines}
    boxed: set[str] = set()
    for el in marked:
        heading = el.tag in _HEADINGS
        parts = [el, *el.itersiblings()] if heading else [el]
        keys = {
            _align_key(ln)
            for part in parts
            if isinstance(part.tag, str)
            for ln in block_text(part, source_newlines=False)
        }
        share = sum(by_key.get(k, 0) for k in keys) / total
        if heading or (lede not in keys and share <= _BOX_MAX_SHARE):
            boxed |= keys
    boxed.discard("")
    return [ln for ln in lines if _align_key(ln) not in boxed] if boxed else lines


def _without_trailing_chrome(lines: list[str], root: HtmlElement) -> list[str]:
    """``lines`` without the short lines after the article's last paragraph that are
    not inside the article: the container of its paragraphs (their closest common
    ancestor, or the <article> around them). trafilatura sometimes appends a
    sidebar's items ("more columns", headlines) and leaves their heading out."""
    last = max((i for i, ln in enumerate(lines) if len(ln) >= PARA_MIN), default=None)
    if last is None or last == len(lines) - 1:
        return lines
    long = {_align_key(ln) for ln in lines if len(ln) >= PARA_MIN}
    paragraphs = [p for p in root.iter("p") if _align_key(p.text_content()) in long]
    if len(paragraphs) < 2:
        return lines
    common = list(paragraphs[0].iterancestors())
    for p in paragraphs[1:]:
        mine = set(p.iterancestors())
        common = [a for a in common if a in mine]
    if not common or common[0].tag in ("body", "html"):
        return lines
    # Within an <article>, all of it is the article (lists and boxes of its own).
    container = next((a for a in common if a.tag == "article"), common[0])
    inside = {_align_key(ln) for ln in block_text(container, source_newlines=False)}
    tail = [
        ln
        for ln in lines[last + 1 :]
        # trafilatura writes list items as "- item"
        if len(ln) >= PARA_MIN or _align_key(ln.removeprefix("- ")) in inside
    ]
    return lines[: last + 1] + tail


def _holds_text(el: HtmlElement) -> bool:
    """Two paragraphs or more of article-length text."""
    long = 0
    for p in el.iter("p"):
        if len(" ".join(p.text_content().split())) >= PARA_MIN:
            long += 1
            if long == 2:
                return True
    return False


def prune(tree: HtmlElement, hints: Hints) -> HtmlElement:
    """A copy of ``tree`` without the subtrees that are never article text."""
    tree = copy.deepcopy(tree)
    # Never text, and trafilatura's parser drops them too (see _trafilatura); their
    # tails stay.
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
    total = len(tree.text_content()) or 1
    for el in list(tree.iter(_NEVER_TEXT)):
        if el.getparent() is not None:
            el.drop_tree()
    head = tree.find("head")
    if head is not None:
        # The head's metadata: no text, and every reader of it (dates, titles,
        # structured data, the canonical link) reads the unpruned tree. Out of the
        # copies trafilatura makes and the paths it evaluates.
        for el in list(head.iterchildren(_HEAD_DATA)):
            el.drop_tree()
    chrome: list[HtmlElement] = [
        el for el in tree.iter(_CHROME_TAGS) if isinstance(el, HtmlElement)
    ]
    hidden: list[HtmlElement] = [
        el for el in tree.iter(_SECTION_TAGS) if isinstance(el, HtmlElement)
    ]
    # (class or id value, element), for the boxes beside the article (_boxes).
    named: list[tuple[str, HtmlElement]] = []
    rules: dict[str, int] = {}  # a class value's rule, judged once per page
    for el in tree.iter(etree.Element):
        names = el.keys()  # one call; an attribute that is absent is not asked for
        if not names:
            continue
        get = el.get
        rule = 0
        if "class" in names:
            value = get("class")
            named.append((value, el))
            rule = rules.get(value, -1)
            if rule == -1:
                rule = rules[value] = _class_rule(value)
        if "id" in names:
            value = get("id")
            named.append((value, el))
            if value in _CHROME_IDS:
                rule = 1
        if rule == 1:
            chrome.append(el)
        elif (
            rule == 2
            or "hidden" in names
            or ("itemprop" in names and get("itemprop") in _MACHINE_PROPS)
            or ("style" in names and _hidden_style(get("style")))
            or ("role" in names and _section_role(get("role"), el))
        ):
            hidden.append(el)
    for xp in hints.prune_xpaths:
        chrome.extend(el for el in xp(tree) if isinstance(el, HtmlElement))
    for el in chrome:
        # A rule that would remove more than this share of the page's text is wrong
        # for this page (an ASP.NET <form> around everything, a theme that wraps the
        # article in a "comments" class).
        if el.getparent() is not None and len(el.text_content()) <= PRUNE_MAX_SHARE * total:
            el.drop_tree()
    for el in hidden:
        if el.getparent() is not None and not _holds_text(el):
            el.drop_tree()
    _PRUNED_BOXES[tree] = _named_boxes(named)
    return tree


def _block_parts(root: HtmlElement) -> list[str | None]:
    """Text nodes of ``root`` in order, with None at every block element's edges
    (one walk driven by lxml rather than a Python call per element)."""
    parts: list[str | None] = []
    append = parts.append
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if isinstance(tag, str):
                if tag in _BLOCK_TAGS:
                    append(None)
                if el.text:
                    append(el.text)
        else:
            # Comments and processing instructions count by their tails only.
            if isinstance(tag, str) and tag in _BLOCK_TAGS:
                append(None)
            if el is not root and el.tail:
                append(el.tail)
    return parts


# Stands for a block edge while the source's own line breaks become spaces: a
# control character pages do not hold (counted, and the slow way taken if one does).
_EDGE = "\x1e"


def _lines(parts: list[str | None], source_newlines: bool) -> list[str]:
    if source_newlines:
        joined = "".join(["\n" if p is None else p for p in parts])
    else:
        joined = "".join([_EDGE if p is None else p for p in parts])
        if joined.count(_EDGE) == parts.count(None):
            joined = joined.replace("\n", " ").replace("\r", " ").replace(_EDGE, "\n")
        else:
            joined = "".join(
                "\n" if p is None else p.replace("\n", " ").replace("\r", " ") for p in parts
            )
    return [line for line in map(str.strip, joined.split("\n")) if line]


def block_text(root: HtmlElement, *, source_newlines: bool = True) -> list[str]:
    """Text of ``root`` as lines, one per block element (the fallback extractor).
    With ``source_newlines`` false, line breaks in the HTML source are spaces, so a
    paragraph wrapped over several source lines is one line."""
    return _lines(_block_parts(root), source_newlines)


def page_blocks(root: HtmlElement) -> tuple[list[str], list[str]]:
    """:func:`block_text` of ``root`` with and without source line breaks, in one walk."""
    parts = _block_parts(root)
    return _lines(parts, True), _lines(parts, False)


# Whitespace, controls and format characters: what trafilatura drops or rewrites.
_NOT_PRINTED = re.compile(
    "[\\s\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]+"
)


@line_cache(8192)
def _align_key(line: str) -> str:
    """What trafilatura leaves of a line: it drops format characters (ZWNJ too),
    rewrites whitespace and applies NFC (which reorders a shadda typed before a
    fatha); this key is equal on both sides of those changes."""
    if not line.isascii():
        line = unicodedata.normalize("NFC", line)
    # Whitespace first, by split (in C); what else the pattern removes is rare, so
    # a search on what is left usually finds nothing to remove.
    line = "".join(line.split())
    return line if _NOT_PRINTED.search(line) is None else _NOT_PRINTED.sub("", line)


def as_published(lines: list[str], blocks: list[str]) -> list[str]:
    """trafilatura's lines as the page wrote them: each line that is one of the
    page's ``blocks`` is replaced by that block's own text (letters, ZWNJ and marks
    in the page's order); a line trafilatura built otherwise stays as it is."""
    by_key: dict[str, str] = {}
    for block in blocks:
        by_key.setdefault(_align_key(block), block)
    out = []
    for line in lines:
        own = by_key.get(_align_key(line))
        if own is None and line.startswith("- "):
            # trafilatura writes a list item as "- item"; the page wrote the item.
            own = by_key.get(_align_key(line[2:]))
        out.append(own if own is not None else line)
    return out


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


def table_layout_root(pruned: HtmlElement) -> HtmlElement | None:
    """The article's container (:func:`content_root`) when its text sits in table
    cells: the container is a cell, or more than half its text is in cells of
    prose length. On such a page trafilatura writes each cell as one "| … |" row
    and :func:`main_lines` would discard what it wrote, so it is not run. (On the
    benchmark, mirror, multilingual and held-out pages this foresees 20 of the 21
    table layouts that fall back after trafilatura, and no other page; a page cut
    short, whose container is <body>, is left to trafilatura.)"""
    if pruned.find(".//td") is None:
        return None
    root = content_root(pruned)
    if root.tag in ("body", "html"):
        return None  # no paragraph container found: say nothing before trafilatura
    if root.tag == "td" or any(True for _ in root.iterancestors("td")):
        return root
    cells = (_text_len(td) for td in root.iter("td") if td.find(".//td") is None)
    in_cells = sum(n for n in cells if n >= PROSE_CELL_MIN)
    return root if in_cells > _text_len(root) / 2 else None


def _trafilatura(root: HtmlElement) -> list[str]:
    """trafilatura's text of ``root`` as lines (tables as "| a | b |" rows). It is
    given the tree itself (it works on a copy): serialising the tree for it to
    parse again cost a tenth of its time. Comments and processing instructions
    are gone already (:func:`prune`), as trafilatura's own parser drops them."""
    text = trafilatura.extract(
        root,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    return [ln.strip() for ln in (text or "").split("\n") if ln.strip()]


def article_chunks(pruned: HtmlElement, lines: list[str]) -> list[HtmlElement] | None:
    """The containers of an article split into chunks (ad slots between them), when
    extraction read only one: the element holding the text's first paragraph, and
    every element of the same tag and class inside the same <article> (or <main>)
    that holds a paragraph too. None when the text is in one piece."""
    firsts = {_align_key(ln) for ln in lines if len(ln) >= PARA_MIN}
    container = next(
        (p.getparent() for p in pruned.iter("p") if _align_key(p.text_content()) in firsts),
        None,
    )
    if container is None or not container.get("class"):
        return None
    scope = next((a for a in container.iterancestors("article", "main")), None)
    if scope is None:
        return None
    chunks = [
        el
        for el in scope.iter(container.tag)
        if el.get("class") == container.get("class")
        and any(len(_collapse(p.text_content())) >= PARA_MIN for p in el.iterchildren("p"))
    ]
    return chunks if len(chunks) > 1 else None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def main_lines(pruned: HtmlElement, hints: Hints, blocks: list[str] | None = None) -> list[str]:
    """Candidate lines of the main text of a pruned page (:func:`prune`),
    boilerplate lines not yet removed. ``blocks``: the page's own lines without
    source line breaks (:func:`page_blocks`), computed here if not given."""
    if hints.body_xpath is not None:
        found = [el for el in hints.body_xpath(pruned) if isinstance(el, HtmlElement)]
        if found:
            # The site's declared article container: its blocks, in order.
            return block_text(found[0])
    cells = table_layout_root(pruned)
    if cells is not None:
        return block_text(cells)
    raw = _trafilatura(pruned)
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
    chunks = article_chunks(pruned, raw)
    if chunks is not None:
        # An article split into chunks: trafilatura again, on all of them together.
        whole = document_fromstring("<html><body><article></article></body></html>", parser=_PARSER)
        holder = whole.find(".//article")
        for chunk in chunks:
            holder.append(copy.deepcopy(chunk))
        merged = _trafilatura(whole)
        if sum(len(ln) for ln in merged) > total:
            raw = merged
    if blocks is None:
        blocks = block_text(pruned, source_newlines=False)
    lines = as_published([cell for ln in raw for cell in _cells(ln)], blocks)
    return _without_trailing_chrome(_without_boxes(lines, pruned), pruned)


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


# A teaser line and a marker hold a colon (clean.py's teaser pattern): only the
# elements around a text node with one are candidates. Finding those text nodes is
# one walk over the tree; testing every block's whole text (an XPath predicate on
# each, or text_content() in Python) costs a pass over each block's subtree.
_SHORT_TAGS = ("p", "div", "span", "strong", "b", "h2", "h3", "h4")
_NORMALISED_LENGTH = etree.XPath("string-length(normalize-space())")


# The text nodes with a colon and their owners (the element whose text or child's
# tail each is), per document: teaser_titles and inline_teasers read the same
# page, which is not changed between them. Entries go with their tree.
_OWNERS: weakref.WeakKeyDictionary[HtmlElement, list[tuple[HtmlElement, str]]] = (
    weakref.WeakKeyDictionary()
)


def _colon_owners(tree: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """(owner, text) of each text node of ``tree``'s document holding a colon: the
    element whose own text it is, or whose child's tail; read once per document.
    One walk in Python: lxml's XPath tests every text node more slowly."""
    root = tree.getroottree().getroot()
    found = _OWNERS.get(root)
    if found is None:
        found = []
        for el in root.iter():
            if isinstance(el.tag, str):
                text = el.text
                if text and (":" in text or "\uff1a" in text):
                    found.append((el, text))
            tail = el.tail
            if tail and (":" in tail or "\uff1a" in tail) and el is not root:
                parent = el.getparent()
                if parent is not None:
                    found.append((parent, tail))
        _OWNERS[root] = found
    return found


def _colon_holders(tree: HtmlElement) -> set[HtmlElement]:
    """Elements of ``tree``'s document whose text (text_content) holds a colon."""
    out: set[HtmlElement] = set()
    for owner, _ in _colon_owners(tree):
        el: HtmlElement | None = owner
        while el is not None and el not in out:
            out.add(el)
            el = el.getparent()
    return out


def _printed(text: str) -> int:
    """Characters of ``text`` that XPath's normalize-space() never removes: at most
    the normalised length of any text holding ``text``."""
    return len(text) - sum(text.count(c) for c in " \t\r\n")


def _ends_at_colon(text: str) -> bool:
    """Whether nothing but white space follows the first colon of ``text``."""
    at = min(i for i in (text.find(":"), text.find("\uff1a")) if i >= 0)
    return not text[at + 1 :].strip()


def _short_blocks(
    tree: HtmlElement, most: int, *, ending_at_colon: bool = False
) -> list[HtmlElement]:
    """Blocks (:data:`_SHORT_TAGS`) of the whole document, in document order, whose
    text holds a colon and, with spaces normalised as XPath's normalize-space()
    does (non-breaking spaces stay), is not empty and at most ``most`` long.

    Each text node with a colon is followed up through its ancestors until a block
    is longer than ``most``: every element above it holds its text, so is longer.
    A text node longer than that by itself (a script's) is not followed at all.
    ``ending_at_colon``: nor is one with more than white space after its first
    colon ("10:30", "Photo: AP"), as every block holding it says more after a
    colon too (what a standalone marker never does)."""
    found: set[HtmlElement] = set()
    looked: set[HtmlElement] = set()
    for owner, own in _colon_owners(tree):
        if _printed(own) > most or (ending_at_colon and not _ends_at_colon(own)):
            continue
        el: HtmlElement | None = owner
        while el is not None and el not in looked:
            looked.add(el)
            if el.tag in _SHORT_TAGS:
                length = _NORMALISED_LENGTH(el)  # in C: no text made in Python
                if length > most:
                    break
                if length:
                    found.add(el)
            el = el.getparent()
    if len(found) < 2:
        return list(found)
    return [el for el in tree.getroottree().getroot().iter(_SHORT_TAGS) if el in found]


_NEXT_TITLE = etree.XPath(
    "following::*[self::h1 or self::h2 or self::h3 or self::h4 or self::a][normalize-space()][1]"
)


def teaser_titles(
    tree: HtmlElement, is_marker: Callable[[str], bool]
) -> list[tuple[str, str | None]]:
    """Titles (and links) that follow a standalone "پڑھیں:" marker, in page order:
    the headline of an appended article, which text extraction tends to drop."""
    out: list[tuple[str, str | None]] = []
    # A marker's text ends at its only colon (clean.py's teaser pattern: the marker
    # words hold none, and nothing may follow).
    for el in _short_blocks(tree, 2 * MARKER_MAX, ending_at_colon=True):
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
    # A teaser line holds a colon: other blocks are not looked at.
    holders = _colon_holders(tree)
    for el in tree.iter("p", "div", "li"):
        if el not in holders:
            continue
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
