"""Main-text shapes found on the public benchmark and general to news sites:
articles split into chunks, hidden elements and microdata, related and newsletter
boxes, a standfirst beside the headline, a tag list under its own label."""

from __future__ import annotations

from datetime import UTC, datetime

from pressbot.extract import extract_html
from pressbot.extract.html import parse_html, prune
from pressbot.sources import Hints

NOW = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
URL = "https://news.example.org/2025/05/12/story"
TITLE = "City council approves new budget after a long debate on transport spending"


def para(n: int) -> str:
    return (
        f"Paragraph {n} of the story says what happened at the council meeting, who spoke, "
        f"what was decided and why it matters to the people of the city (part {n})."
    )


def page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>{TITLE} | Example News</title>{head}</head><body>"
        f"<header><a href='/'>Example News</a></header><main><article>"
        f"<h1>{TITLE}</h1>{body}</article></main>"
        "<footer><p>Copyright 2025 Example News</p></footer></body></html>"
    )


def test_an_article_split_into_chunks_is_read_whole() -> None:
    chunks = "".join(
        f'<div class="article__body">{"".join(f"<p>{para(i)}</p>" for i in range(k, k + 3))}</div>'
        f'<div class="ad-slot"><p>Advertisement</p></div>'
        for k in (1, 4, 7)
    )
    rec = extract_html(page(f'<div class="chunks">{chunks}</div>'), URL, fetched_at=NOW)
    for n in range(1, 10):
        assert para(n) in rec.body, n


def test_hidden_elements_and_microdata_are_not_text() -> None:
    body = (
        f"<p>{para(1)}</p><p>{para(2)}</p>"
        '<div style="display: none">Thank you! This article has been sent.</div>'
        '<p class="sr-only">Share on Facebook (opens in new window)</p>'
        '<div itemprop="publisher"><span itemprop="url">https://cdn.example.org/logo.png</span></div>'
        f"<p>{para(3)}</p>"
    )
    rec = extract_html(page(body), URL, fetched_at=NOW)
    assert "sent" not in rec.body and "opens in new window" not in rec.body
    assert "logo.png" not in rec.body
    assert para(3) in rec.body


def test_a_hidden_read_more_block_with_paragraphs_is_not_pruned() -> None:
    # (trafilatura may still leave it out; pressbot's own pruning keeps it.)
    hidden = f'<div class="more" style="display:none"><p>{para(3)}</p><p>{para(4)}</p></div>'
    pruned = prune(parse_html(page(f"<p>{para(1)}</p>{hidden}")), Hints())
    assert para(4) in pruned.text_content()


def test_related_and_newsletter_boxes_are_not_text() -> None:
    body = (
        f"<p>{para(1)}</p><p>{para(2)}</p><p>{para(3)}</p>"
        '<section class="Newsletter"><h3>Morning Briefing</h3>'
        "<p>Get the day's big stories in your inbox every morning, free.</p></section>"
        '<h3 class="relatedpoststitle">You may like</h3>'
        f"<div class='post'><p>Another story entirely. {para(9)}</p></div>"
    )
    rec = extract_html(page(body), URL, fetched_at=NOW)
    assert "big stories" not in rec.body and "Another story" not in rec.body
    assert rec.body.endswith(para(3))


def test_a_box_class_on_the_article_itself_does_not_empty_it() -> None:
    body = f'<div class="related-content">{"".join(f"<p>{para(i)}</p>" for i in range(1, 4))}</div>'
    rec = extract_html(page(body), URL, fetched_at=NOW)
    assert para(1) in rec.body and para(3) in rec.body


def test_a_standfirst_beside_the_headline_is_not_text() -> None:
    dek = "The council spent six hours on the transport budget before a narrow vote"
    head = f'<meta name="description" content="{dek}">'
    body = f'<h2 class="sub-head">{dek}</h2><p>{para(1)}</p><p>{para(2)}</p>'
    html = page(body, head).replace(
        f"<h1>{TITLE}</h1>{body}",
        f"<div><h1>{TITLE}</h1><h2>{dek}</h2></div><p>{para(1)}</p><p>{para(2)}</p>",
    )
    rec = extract_html(html, URL, fetched_at=NOW)
    assert dek not in rec.body and rec.body.startswith(para(1))


def test_a_lede_the_cms_copied_into_the_description_stays() -> None:
    head = f'<meta name="description" content="{para(1)}">'
    # Beside the <h1> too (article > h1 + p): a paragraph, not a subheading.
    rec = extract_html(page(f"<p>{para(1)}</p><p>{para(2)}</p>", head), URL, fetched_at=NOW)
    assert rec.body.startswith(para(1))


def test_a_tag_list_under_its_own_label_becomes_keywords() -> None:
    body = f"<p>{para(1)}</p><p>{para(2)}</p><h4>Tags</h4><p>budget, council, transport</p>"
    rec = extract_html(page(body), URL, fetched_at=NOW)
    assert rec.keywords == ["budget", "council", "transport"]
    assert "budget, council" not in rec.body


def test_short_lines_after_the_text_from_outside_the_article_go() -> None:
    # A sidebar whose heading trafilatura left out, its items appended to the text.
    html = (
        f"<html><head><title>{TITLE}</title></head><body><div class='wrap'>"
        f"<div class='story'><h1>{TITLE}</h1><p>{para(1)}</p><p>{para(2)}</p><p>{para(3)}</p>"
        "<ol><li>First step of the plan</li><li>Second step of the plan</li></ol></div>"
        "<div class='side'><h3>More columns</h3><p>Politics in a new season</p>"
        "<p>Our cities and their roads</p></div></div></body></html>"
    )
    rec = extract_html(html, URL, fetched_at=NOW)
    assert "new season" not in rec.body and "their roads" not in rec.body
    # The article's own list stays, as the page wrote it (trafilatura's "- " dropped).
    assert rec.body.endswith("First step of the plan\n\nSecond step of the plan")


def test_menus_footers_and_sidebars_are_pruned_before_extraction() -> None:
    body = (
        "<nav><ul><li><a href='/politics'>Politics</a></li><li><a href='/sport'>Sport</a></li>"
        f"</ul></nav><p>{para(1)}</p><p>{para(2)}</p>"
        "<aside class='pullquote'><p>Quoted words from the budget meeting</p></aside>"
        "<footer><span>Filed under budget</span></footer>"
        # The same sections on a theme of <div>s, and an icon drawn in SVG.
        "<div role='Complementary region'><h3>Most read</h3></div>"
        "<div role='dialog'><p>Subscribe to our newsletter</p></div>"
        "<a href='/share'><svg viewBox='0 0 9 9'><title>Share icon</title>"
        "<path d='M0 0'/></svg></a>"
    )
    pruned = prune(parse_html(page(body)), Hints())
    assert pruned.find(".//nav") is None and pruned.find(".//svg") is None
    assert pruned.find(".//aside") is None and pruned.find(".//footer") is None
    text = pruned.text_content()
    assert para(2) in text and TITLE in text
    for gone in (
        "Sport",
        "Quoted words",
        "Filed under",
        "Copyright 2025",
        "Most read",
        "newsletter",
        "Share icon",
    ):
        assert gone not in text, gone
    rec = extract_html(page(body), URL, fetched_at=NOW)
    assert rec.body == f"{para(1)}\n\n{para(2)}"


def test_a_banner_holding_the_headline_is_not_pruned() -> None:
    html = page(f"<p>{para(1)}</p><p>{para(2)}</p>").replace(
        f"<h1>{TITLE}</h1>",
        f"<div role='banner' class='hero'><h1>{TITLE}</h1></div>"
        "<div role='banner'><a href='/'>Example News</a></div>",
    )
    pruned = prune(parse_html(html), Hints())
    assert [el.get("class") for el in pruned.iter() if el.get("role") == "banner"] == ["hero"]
    assert TITLE in pruned.text_content()


def test_a_story_a_theme_put_in_an_aside_is_not_pruned() -> None:
    # Two paragraphs of article length: text, whatever the element is called.
    story = "".join(f"<p>{para(i)}</p>" for i in range(1, 4))
    html = page("").replace(
        f"<main><article><h1>{TITLE}</h1></article></main>",
        f"<aside class='content'><h1>{TITLE}</h1>{story}</aside><nav><p>{para(9)}</p></nav>",
    )
    pruned = prune(parse_html(html), Hints())
    assert pruned.find(".//aside") is not None and pruned.find(".//nav") is None
    rec = extract_html(html, URL, fetched_at=NOW)
    assert para(1) in rec.body and para(3) in rec.body
