"""pressbot.extract.evidence: the order of evidence, the agreement rule, the local-day
rule, and htmldate's place (it never fetches)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import htmldate
import pytest
from lxml.html import HtmlElement, fromstring

from pressbot.extract import evidence as ev
from pressbot.extract.evidence import Evidence, choose_published, choose_updated

KHI = ZoneInfo("Asia/Karachi")
NOW = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
BODY = "<p>" + "The council met on Tuesday and approved the plan after a long debate. " * 3 + "</p>"
ARTICLE = f"<html><body><h1>Council approves the waterfront plan</h1>{BODY}{BODY}</body></html>"


def _tree(html: str = ARTICLE) -> HtmlElement:
    return fromstring(html)


def _with_meta(day: str) -> HtmlElement:
    """The article with ``day`` in a <meta> htmldate's fast mode reads: the answer the
    fake htmldate gives is then one pressbot can see on the page."""
    meta = f'<head><meta name="date" content="{day}"></head>'
    return fromstring(ARTICLE.replace("<html>", f"<html>{meta}"))


def _day(value: datetime | None) -> str | None:
    return None if value is None else value.date().isoformat()


@pytest.fixture
def htmldate_says(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace htmldate.find_date; record its calls; answer per search mode."""
    state: dict[str, Any] = {"fast": None, "extensive": None, "calls": []}

    def fake(tree: Any, **kwargs: Any) -> str | None:
        assert isinstance(tree, HtmlElement)  # never a string that could be a URL
        state["calls"].append(kwargs)
        return state["extensive" if kwargs.get("extensive_search") else "fast"]

    monkeypatch.setattr(htmldate, "find_date", fake)
    return state


def test_url_date_alone() -> None:
    choice = choose_published(
        [], url="https://x.example/2012/05/11/slug/", now=NOW, tree=_tree(), tz="UTC"
    )
    assert (_day(choice.value), choice.kind) == ("2012-05-11", "url")


def test_utc_time_takes_the_urls_neighbouring_day() -> None:
    # A New York story: 03:28 UTC on the 9th is the evening of the 8th there.
    structured = Evidence("structured", datetime(2023, 11, 9, 3, 28, 35, tzinfo=UTC))
    choice = choose_published(
        [structured], url="https://x.example/2023/11/08/subway/", now=NOW, tree=_tree()
    )
    assert (_day(choice.value), choice.kind) == ("2023-11-08", "structured")
    assert choice.note and "local day" in choice.note


@pytest.mark.parametrize(
    ("utc", "local_day", "agree"),
    [
        (datetime(2023, 11, 9, 11, 59, tzinfo=UTC), "2023-11-08", True),  # UTC-12 reaches it
        (datetime(2023, 11, 9, 12, 0, tzinfo=UTC), "2023-11-08", False),  # no zone is that far west
        (datetime(2023, 11, 9, 10, 0, tzinfo=UTC), "2023-11-10", True),  # UTC+14 reaches it
        (datetime(2023, 11, 9, 9, 59, tzinfo=UTC), "2023-11-10", False),
        (
            datetime(2023, 11, 9, 0, 0, tzinfo=UTC),
            "2023-11-08",
            False,
        ),  # midnight: a date, not a time
    ],
)
def test_local_day_limits(utc: datetime, local_day: str, agree: bool) -> None:
    d = datetime.fromisoformat(local_day).replace(tzinfo=KHI)
    a = ev._Candidate("structured", "meta", utc, 1)
    b = ev._Candidate("url", "url", d, 1)
    assert ev._agree(a, b) is agree


def test_a_page_offset_is_kept_not_converted() -> None:
    value = datetime(2021, 11, 3, 23, 40, tzinfo=timezone(timedelta(hours=-5)))
    choice = choose_published([Evidence("structured", value)], now=NOW, tree=_tree())
    assert choice.value == value and choice.value.utcoffset() == timedelta(hours=-5)


def test_confirmed_candidate_beats_an_unconfirmed_more_trusted_one() -> None:
    evidence = [
        Evidence("structured", datetime(2020, 3, 1, tzinfo=KHI)),  # a re-publication date
        Evidence("head", datetime(2019, 5, 2, tzinfo=KHI)),
    ]
    choice = choose_published(
        evidence, url="https://x.example/2019/05/02/story/", now=NOW, tree=_tree()
    )
    assert (_day(choice.value), choice.kind) == ("2019-05-02", "head")
    assert choice.note and "set aside" in choice.note


def test_unconfirmed_url_date_wins_over_an_unconfirmed_page_date(
    htmldate_says: dict[str, Any],
) -> None:
    evidence = [Evidence("structured", datetime(2020, 3, 1, tzinfo=KHI))]
    choice = choose_published(
        evidence, url="https://x.example/2019/05/02/story/", now=NOW, tree=_tree()
    )
    assert (_day(choice.value), choice.kind) == ("2019-05-02", "url")


def test_without_agreement_the_trust_order_decides(htmldate_says: dict[str, Any]) -> None:
    evidence = [
        Evidence("label", datetime(2023, 9, 4, tzinfo=KHI)),
        Evidence("dateline", datetime(2023, 9, 3, tzinfo=KHI)),
    ]
    choice = choose_published(evidence, url="https://x.example/pr?id=1", now=NOW, tree=_tree())
    assert (_day(choice.value), choice.kind) == ("2023-09-04", "label")
    assert htmldate_says["calls"] == []  # one family disagreeing with itself: no judge asked


def test_htmldate_decides_between_two_families(htmldate_says: dict[str, Any]) -> None:
    htmldate_says["fast"] = "2023-09-03"
    evidence = [
        Evidence("structured", datetime(2023, 9, 4, tzinfo=KHI)),
        Evidence("dateline", datetime(2023, 9, 3, tzinfo=KHI)),
    ]
    choice = choose_published(evidence, url="https://x.example/pr?id=1", now=NOW, tree=_tree())
    assert (_day(choice.value), choice.kind) == ("2023-09-03", "dateline")


def test_htmldate_alone_on_an_article(htmldate_says: dict[str, Any]) -> None:
    htmldate_says["fast"] = "2018-06-10"
    tree = _with_meta("2018-06-10")
    choice = choose_published([], url="https://x.example/news/item", now=NOW, tree=tree)
    assert (_day(choice.value), choice.kind) == ("2018-06-10", "htmldate")
    call = htmldate_says["calls"][0]
    assert call["original_date"] is True and call["url"] == "https://x.example/news/item"


def test_htmldate_fast_answer_must_be_on_the_page(htmldate_says: dict[str, Any]) -> None:
    """htmldate reads "2023-02-30" in a <meta> as February 2023 and answers the 1st;
    no such date is on the page, so the field stays NULL (with the reason)."""
    htmldate_says["fast"] = "2023-02-01"
    tree = _with_meta("2023-02-30T10:00:00+05:00")
    choice = choose_published([], url="https://x.example/news/item", now=NOW, tree=tree)
    assert choice.value is None and choice.note is not None


def test_htmldate_free_text_guess_must_be_written(htmldate_says: dict[str, Any]) -> None:
    htmldate_says["extensive"] = "2023-01-01"  # a year in the footer, filled with 1 January
    choice = choose_published([], url="https://x.example/news/item", now=NOW, tree=_tree())
    assert choice.value is None and choice.note and "not written" in choice.note
    written = ARTICLE.replace("</h1>", "</h1><p>On 1 January 2023 it rained.</p>")
    choice = choose_published([], url="https://x.example/news/item", now=NOW, tree=_tree(written))
    assert _day(choice.value) == "2023-01-01"


def test_no_lone_guess_on_a_page_that_is_no_article(htmldate_says: dict[str, Any]) -> None:
    htmldate_says["fast"] = "2023-12-25"
    page = "<html><body><h1>Contact us</h1><p>Closed on 25 December 2023.</p></body></html>"
    choice = choose_published([], url="https://x.example/contact", now=NOW, tree=_tree(page))
    assert choice.value is None and choice.note and "non-article" in choice.note


def test_a_listing_pages_teaser_date_is_not_its_date() -> None:
    evidence = [Evidence("label", datetime(2012, 5, 9, tzinfo=KHI))]
    choice = choose_published(
        evidence, url="https://x.example/category/news/", now=NOW, tree=_tree()
    )
    assert choice.value is None and choice.note and "listing" in choice.note


def test_a_broken_htmldate_costs_its_layer_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise ValueError("boom")

    monkeypatch.setattr(htmldate, "find_date", broken)
    choice = choose_published([], url="https://x.example/news/item", now=NOW, tree=_tree())
    assert choice.value is None and choice.note == "no date on page"


def test_real_htmldate_never_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    import htmldate.utils

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("htmldate tried to fetch")

    monkeypatch.setattr(htmldate.utils, "fetch_url", no_network)
    page = ARTICLE.replace(
        "<html>", '<html><head><link rel="canonical" href="https://x.example/c"></head>'
    )
    choice = choose_published([], url="https://x.example/news/item", now=NOW, tree=_tree(page))
    assert choice.value is None


def test_future_dates_are_rejected_with_their_reason() -> None:
    evidence = [Evidence("structured", NOW + timedelta(days=3))]
    choice = choose_published(evidence, now=NOW, tree=None)
    assert choice.value is None and choice.note and "future" in choice.note


def test_naive_fetch_time_is_local() -> None:
    evidence = [Evidence("label", datetime(2023, 9, 4, tzinfo=KHI))]
    choice = choose_published(evidence, now=datetime(2026, 1, 1, 12, 0), tree=None)
    assert _day(choice.value) == "2023-09-04"


def test_updated_from_markup() -> None:
    page = (
        '<html><body><article><time class="updated" datetime="2021-11-05T09:00:00+05:00">'
        "5 Nov</time></article></body></html>"
    )
    choice = choose_updated([], now=NOW, tree=_tree(page))
    assert (_day(choice.value), choice.kind) == ("2021-11-05", "markup")
    assert choose_updated([], now=NOW, tree=_tree()) == ev.Choice(None, None)


def test_a_naive_evidence_value_is_local_time() -> None:
    choice = choose_published([Evidence("label", datetime(2023, 9, 4))], now=NOW, tree=None)
    assert choice.value == datetime(2023, 9, 4, tzinfo=KHI)


def test_a_country_domain_overrules_wordpress_en_us() -> None:
    assert ev._locale("en-US", "https://www.dawn.example.pk/news/1") == "en-pk"
    assert ev._locale("en-US", "https://www.countynews.example/fair") == "en-US"
    assert ev._locale("de", "https://x.example.pk/a") == "de"
    assert ev._locale(None, "https://x.example.pk/a") is None


def test_a_lone_head_date_yields_to_htmldate(htmldate_says: dict[str, Any]) -> None:
    htmldate_says["fast"] = "2019-04-12"
    evidence = [Evidence("head", datetime(2024, 3, 20, tzinfo=KHI))]  # the header's "today"
    tree = _with_meta("2019-04-12")
    choice = choose_published(evidence, url="https://x.example/news/item", now=NOW, tree=tree)
    assert (_day(choice.value), choice.kind) == ("2019-04-12", "htmldate")
    # An answer the page does not show (htmldate filled a half-read date) does not.
    choice = choose_published(evidence, url="https://x.example/news/item", now=NOW, tree=_tree())
    assert (_day(choice.value), choice.kind) == ("2024-03-20", "head")
    # a label is no lone place-read line: it stands
    evidence = [Evidence("label", datetime(2024, 3, 20, tzinfo=KHI))]
    choice = choose_published(evidence, url="https://x.example/news/item", now=NOW, tree=_tree())
    assert (_day(choice.value), choice.kind) == ("2024-03-20", "label")


def test_the_same_day_with_its_time_is_kept() -> None:
    evidence = [
        Evidence("label", datetime(2025, 5, 25, tzinfo=KHI)),
        Evidence("page-label", datetime(2025, 5, 25, 20, 40, tzinfo=KHI)),
    ]
    choice = choose_published(evidence, now=NOW, tree=None)
    assert choice.value == datetime(2025, 5, 25, 20, 40, tzinfo=KHI) and choice.kind == "label"
