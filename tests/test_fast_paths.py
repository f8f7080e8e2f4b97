"""The faster paths of issue 10 give what the plain ones gave: letter counts by
table look-up, related boxes found in one pass over class and id values, teaser
candidates narrowed by their colon, function words classified once per token."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.html import HtmlElement

from pressbot.extract.clean import is_marker
from pressbot.extract.html import (
    _BOX_TOKEN,
    _boxes,
    _colon_holders,
    _short_blocks,
    parse_html,
    prune,
    teaser_titles,
)
from pressbot.sources import Hints
from pressbot.text.language import evidence
from pressbot.text.letters import ARABIC_LETTER, LETTER
from pressbot.text.urdu import _VECTOR_MIN, letter_counts

_CHARS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.characters(),  # anything, astral planes and surrogates included
)


@settings(max_examples=200, deadline=None)
@given(st.text(_CHARS, min_size=_VECTOR_MIN, max_size=3 * _VECTOR_MIN))
def test_letter_counts_by_table_equal_the_regex_counts(text: str) -> None:
    assert letter_counts(text) == (len(ARABIC_LETTER.findall(text)), len(LETTER.findall(text)))


def test_letter_counts_of_a_long_urdu_text() -> None:
    text = "پشاور، 7 ستمبر، 2023: خیبرپختونخوا پولیس ـــ Police " * 20
    assert len(text) >= _VECTOR_MIN
    # 27 Arabic-script letters (5 + 5 + 12 + 5; tatweel is none) and 6 Latin ones.
    assert letter_counts(text) == (20 * 27, 20 * 33)


_PAGE = """<html><body>
<div class="related">r1</div><div id="x" class="post Related-Posts">r2</div>
<div class="unrelated">no</div><div class="x_newsletter-signup" id="newsletter">r3</div>
<section id="mostread"><p>r4</p></section><div class="relatedness">no</div>
<div class="a" id="b"><span class="you-may-like">r5</span></div>
</body></html>"""


def test_boxes_are_the_elements_whose_class_or_id_names_a_box() -> None:
    tree = parse_html(_PAGE)
    box = re.compile(_BOX_TOKEN, re.IGNORECASE)
    naive = [
        el
        for el in tree.iter()
        if isinstance(el, HtmlElement)
        and (box.search(el.get("class") or "") or box.search(el.get("id") or ""))
    ]
    found = _boxes(tree)
    assert len(found) == len(set(found)) and set(found) == set(naive)
    assert sorted(el.text_content() for el in found) == ["r1", "r2", "r3", "r4", "r5"]


def _naive_boxes(tree: HtmlElement) -> set[HtmlElement]:
    box = re.compile(_BOX_TOKEN, re.IGNORECASE)
    return {
        el
        for el in tree.iter()
        if isinstance(el, HtmlElement)
        and (box.search(el.get("class") or "") or box.search(el.get("id") or ""))
    }


def test_boxes_of_a_pruned_tree_are_those_left_in_it() -> None:
    # prune's walk notes the boxes; those inside what it then drops (a comment
    # thread, a hidden block, a form) are not the pruned tree's.
    page = _PAGE.replace(
        "</body>",
        '<div id="comments"><div class="related">gone</div></div>'
        '<div class="hidden"><p class="trending">gone too</p></div>'
        '<form><span id="newsletter-signup">and gone</span></form></body>',
    )
    pruned = prune(parse_html(page), Hints())
    found = _boxes(pruned)
    assert len(found) == len(set(found)) and set(found) == _naive_boxes(pruned)
    assert sorted(el.text_content() for el in found) == ["r1", "r2", "r3", "r4", "r5"]
    for tree in _fixture_trees():
        pruned = prune(tree, Hints())
        assert set(_boxes(pruned)) == _naive_boxes(pruned)


def test_teaser_markers_are_found_with_their_colon() -> None:
    tree = parse_html(
        "<html><body><p>مزید پڑھیں:</p><h2><a href='/a'>دوسری خبر کی سرخی</a></h2>"
        "<p>مزید پڑھیں</p><h2>کوئی سرخی نہیں</h2></body></html>"
    )
    assert teaser_titles(tree, is_marker) == [("دوسری خبر کی سرخی", "/a")]


# The candidates as one XPath found them before teaser_titles followed colons up.
_SHORT_BLOCKS_XPATH = etree.XPath(
    "//*[self::p or self::div or self::span or self::strong or self::b or self::h2"
    " or self::h3 or self::h4][normalize-space()][string-length(normalize-space()) <= $most]"
    "[contains(., ':') or contains(., '\uff1a')]"
)
_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<div>", "</div>", "<span>", "</span>", "<b>", "</b>", "<h2>", "</h2>",
        "<a href='/x'>", "</a>", "<em>", "</em>", "<li>", "</li>", "<script>var a={b:1}</script>",
        "<!-- c: d -->", ":", "\uff1a", " ", "\n", "\u00a0", "\t", "پڑھیں", "read more",
        "x" * 25, "مزید",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.sampled_from([10, 30, 60]))
def test_short_blocks_are_what_the_xpath_selected(pieces: list[str], most: int) -> None:
    tree = parse_html("<html><body><div>" + "".join(pieces) + "</div></body></html>")
    assert _short_blocks(tree, most) == _SHORT_BLOCKS_XPATH(tree, most=most)
    holders = {el for el in tree.iter() if isinstance(el, HtmlElement)}
    colon = {el for el in holders if ":" in el.text_content() or "\uff1a" in el.text_content()}
    assert _colon_holders(tree) == colon


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.sampled_from([10, 30, 60]))
def test_blocks_left_out_for_text_after_a_colon_are_never_markers(
    pieces: list[str], most: int
) -> None:
    tree = parse_html("<html><body><div>" + "".join(pieces) + "</div></body></html>")
    every = _short_blocks(tree, most)
    kept = _short_blocks(tree, most, ending_at_colon=True)
    assert set(kept) <= set(every)
    left_out = [el for el in every if el not in set(kept)]
    assert not [el for el in left_out if is_marker(" ".join(el.text_content().split()))]


def test_a_marker_split_over_elements_is_still_found() -> None:
    tree = parse_html(
        "<html><body><p>Photo: AP</p><div><span>یہ بھی پڑھیں</span><b>:</b> </div>"
        "<h3><a href='/b'>تیسری خبر کی سرخی</a></h3><p>Read more: elsewhere</p>"
        "<h3><a href='/c'>not a teaser</a></h3></body></html>"
    )
    assert teaser_titles(tree, is_marker) == [("تیسری خبر کی سرخی", "/b")]


def test_prune_drops_the_heads_metadata_only() -> None:
    tree = parse_html(
        "<html><head><title>سرخی</title><meta name='description' content='x'>"
        "<link rel='canonical' href='/a'><base href='/'></head><body>"
        "<meta name='x' content='y'><p>متن</p></body></html>"
    )
    pruned = prune(tree, Hints())
    assert [el.tag for el in pruned.find("head")] == ["title"]
    assert pruned.find("body/meta").get("name") == "x"
    # The page itself keeps all of it: dates and structured data read it.
    assert len(tree.find("head")) == 4


def test_function_words_count_once_per_occurrence() -> None:
    # "است" is Persian, "هذا" Arabic, "ہے" Urdu (a word, and two Urdu-only letters).
    score = evidence("است است هذا ہے")
    assert score == {"fa": 6.0, "ar": 3.0, "ur": 5.0}


# What the walks in Python replaced: the XPath each one stood for, run on every
# fixture page (and a page with the edge cases) must select the same elements.
_OLD_TAGS = etree.XPath(
    "//*[self::article or contains(@class,'tags') or contains(@class,'tag-links')]"
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ') or contains(@href, '/tag/')]"
    "[not(ancestor::aside or ancestor::*[contains(@class,'widget') or contains(@class,'sidebar')])]"
)
_OLD_CLASSED = etree.XPath(
    "//*[self::td or self::div or self::p or self::span or self::h2 or self::h3 or self::h4]"
    "[contains(translate(@class,'TITLEHADN','titlehadn'),'title')"
    " or contains(translate(@class,'TITLEHADN','titlehadn'),'headline')]"
)
_OLD_SCRIPTS = etree.XPath(
    "//script[not(@type) or (@type!='application/ld+json' and @type!='text/template')]"
    "[contains(., 'datePublished') or contains(., 'dateModified')]"
)
_OLD_ITEMPROP = etree.XPath("//*[@itemprop='datePublished' or @itemprop='dateModified']")
_EDGES = """<html><head><script>{"datePublished": "2024-01-02"}</script>
<script type="application/ld+json">{"datePublished": "2024-01-02"}</script></head><body>
<article><a rel=" TAG tag\tnofollow " href="/x">t1</a><aside><a rel="tag">no</a></aside>
<div class="my-widget"><a href="/tag/y">no</a></div></article>
<div class="post-tags"><a href="/tag/z">t2</a><a rel="tagged">no</a></div>
<a rel="tag">outside</a><link rel="CanoNical" href="/c"/>
<span class="UrduTITLE">h</span><td class="HeadLine">h2</td>
<p class="sub-Title">x</p><meta itemprop="dateModified" content="2024"/></body></html>"""


def _fixture_trees() -> list[HtmlElement]:
    from tests.golden import cases

    return [parse_html(_EDGES)] + [
        parse_html(c.page.read_bytes()) for c in cases() if not c.is_text
    ]


def test_walks_select_what_the_xpaths_selected() -> None:
    from pressbot.extract.evidence import _tree_title
    from pressbot.extract.markup_dates import _classed_headlines, _itemprops, _scripts
    from pressbot.extract.structured import _canonical, _jsonld_texts, _tag_links

    for tree in _fixture_trees():
        assert _tag_links(tree) == _OLD_TAGS(tree)
        assert _classed_headlines(tree) == _OLD_CLASSED(tree)
        assert list(_scripts(tree)) == _OLD_SCRIPTS(tree)
        assert _itemprops(tree) == _OLD_ITEMPROP(tree)
        assert _short_blocks(tree, 60) == _SHORT_BLOCKS_XPATH(tree, most=60)
        og = etree.XPath("//meta[@property='og:title']/@content")(tree)
        title = etree.XPath("//title/text()")(tree)
        expected = str(og[0]).strip() if og and str(og[0]).strip() else None
        if expected is None and title:
            parts = [p.strip() for p in re.split(r"\s+[|\-–—»:]\s+", str(title[0])) if p.strip()]
            expected = max(parts, key=len) if parts else None
        assert _tree_title(tree) == expected
        canonical = etree.XPath(
            "//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href"
        )(tree)
        assert _canonical(tree) == (str(canonical[0]) if canonical else None)
        jsonld = etree.XPath("//script[@type='application/ld+json']/text()")(tree)
        assert _jsonld_texts(tree) == jsonld
    edges = parse_html(_EDGES)
    assert [a.text for a in _tag_links(edges)] == ["t1", "t2"]
