"""pressbot.extract.markup_dates: dates in markup and the stamp under the headline."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml.html import fromstring

from pressbot.extract.markup_dates import markup_dates, page_language, stamp_dates

TZ = "Asia/Karachi"
BODY = "<p>" + "The council met on Tuesday and approved the plan after a long debate. " * 3 + "</p>"


def _found(html: str) -> list[tuple[str, str, str]]:
    return [(m.role, m.how, m.value.isoformat()) for m in markup_dates(fromstring(html), tz=TZ)]


def test_untyped_jsonld_with_broken_iso_fraction() -> None:
    html = (
        '<html><head><script>{"@type":"NewsArticle","datePublished":"2020-01-08T22:06:08:684Z",'
        '"dateModified":"2020-01-09T08:00:00:100Z"}</script></head><body></body></html>'
    )
    assert _found(html) == [
        ("published", "jsonld", "2020-01-08T22:06:08+00:00"),
        ("updated", "jsonld", "2020-01-09T08:00:00+00:00"),
    ]


def test_jsonld_assigned_to_a_variable() -> None:
    html = (
        '<html><head><script>window.__P = {"a":{"datePublished":"2021-06-30T14:05:00-04:00"}};'
        "</script></head><body></body></html>"
    )
    assert _found(html) == [("published", "jsonld", "2021-06-30T14:05:00-04:00")]


def test_typed_jsonld_is_left_to_structured_data() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"datePublished":"2020-01-08"}'
        "</script></head><body></body></html>"
    )
    assert _found(html) == []


def test_microdata_time_abbr_and_metas() -> None:
    html = (
        '<html><head><meta name="dc.date.issued" content="2018-09-14"></head><body>'
        '<div itemscope><span itemprop="datePublished" content="2018-09-14">Sept. 14</span>'
        '<time class="entry-date published" datetime="2018-09-14T10:00:00+02:00">x</time>'
        '<time class="updated" datetime="2018-09-20T10:00:00+02:00">y</time>'
        '<abbr class="published" title="2018-09-14T10:00:00+02:00">10:00</abbr></div>'
        "</body></html>"
    )
    assert _found(html) == [
        ("published", "microdata", "2018-09-14T00:00:00+05:00"),
        ("published", "time", "2018-09-14T10:00:00+02:00"),
        ("updated", "time", "2018-09-20T10:00:00+02:00"),
        ("published", "abbr", "2018-09-14T10:00:00+02:00"),
        ("published", "meta", "2018-09-14T00:00:00+05:00"),
    ]


def test_furniture_dates_are_not_the_articles() -> None:
    html = (
        '<html><body><header><time datetime="2024-03-20">today</time></header>'
        '<aside class="widget"><time class="published" datetime="2024-03-19">x</time></aside>'
        '<div class="comment-list"><time class="published" datetime="2024-03-18">c</time></div>'
        '<footer><time datetime="2024-03-17">f</time></footer>'
        '<article><header class="entry-header"><h1>An article headline of some words</h1>'
        '<time datetime="2021-11-03">3 Nov</time></header></article></body></html>'
    )
    assert _found(html) == [("published", "time", "2021-11-03T00:00:00+05:00")]


def test_body_class_sidebar_does_not_hide_everything() -> None:
    html = (
        '<html><body class="single has-sidebar"><article>'
        '<time class="published" datetime="2021-11-03">x</time></article></body></html>'
    )
    assert _found(html) == [("published", "time", "2021-11-03T00:00:00+05:00")]


def _stamps(html: str, **kw: object) -> list[tuple[str, str]]:
    found = stamp_dates(fromstring(html), tz=TZ, **kw)  # type: ignore[arg-type]
    return [(m.how, m.value.date().isoformat()) for m in found]


def test_stamp_under_the_headline() -> None:
    html = (
        '<html><body><div class="left"><p><a href="/a">Older release</a><br>'
        "April 20, 2022</p></div>"
        "<div><h2>Minister chairs meeting on glacial lake flood risk</h2>"
        f"<p>PRESS RELEASE | April 26, 2022</p>{BODY}</div></body></html>"
    )
    assert _stamps(html, title="Minister chairs meeting on glacial lake flood risk") == [
        ("stamp", "2022-04-26")
    ]


def test_stamp_in_a_post_info_line_of_spans() -> None:
    html = (
        '<html><body><h1 class="post-title">ضلع کونسل کا اجلاس، منصوبوں کی منظوری</h1>'
        '<div class="post-info"><span>نمائندہ خصوصی</span> — <span>پیر، 29 مئی، 2023</span>'
        f" — <span>کوئی تبصرہ نہیں</span></div>{BODY}</body></html>"
    )
    assert _stamps(html)[0] == ("stamp", "2023-05-29")


def test_a_sentence_with_a_date_is_no_stamp() -> None:
    html = (
        "<html><body><h1>Harbour dredging work to begin next month</h1>"
        "<p>Work on the channel will begin on 5 May 2022 and last for about six weeks in all.</p>"
        f"{BODY}</body></html>"
    )
    assert _stamps(html) == []


def test_an_update_stamp_is_no_publication_stamp() -> None:
    html = (
        "<html><body><h1>Clinics to stay open until ten at night</h1>"
        f"<p>Updated on: 08-Sep-2023</p>{BODY}</body></html>"
    )
    assert _stamps(html) == []


def test_relative_stamp_needs_the_fetch_time() -> None:
    html = (
        "<html><body><h1>Police arrest suspects in the old city</h1>"
        f"<p>3 hours ago</p>{BODY}</body></html>"
    )
    assert _stamps(html) == []
    now = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    assert _stamps(html, now=now) == [("stamp", "2026-01-01")]


def test_page_language() -> None:
    assert page_language(fromstring('<html lang="de-AT"><body></body></html>')) == "de-AT"
    assert page_language(fromstring("<html><body></body></html>"), "ur") == "ur"
    # detection's "en" means "not Arabic script": no basis to choose month names
    assert page_language(fromstring("<html><body></body></html>"), "en") is None


def test_app_state_blob_with_one_date_is_read() -> None:
    html = (
        '<html><head><script id="__NEXT_DATA__" type="application/json">'
        '{"props":{"page":{"article":{"datePublished":"2022-02-02T08:00:00Z"}}}}'
        "</script></head><body></body></html>"
    )
    assert _found(html) == [("published", "jsonld", "2022-02-02T08:00:00+00:00")]


def test_app_state_blob_with_several_dates_says_nothing() -> None:
    html = (
        '<html><head><script type="application/json">{"article":{"datePublished":"2022-02-02"},'
        '"related":[{"datePublished":"2022-01-30"}]}</script></head><body></body></html>'
    )
    assert _found(html) == []
