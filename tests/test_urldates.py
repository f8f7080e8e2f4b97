"""pressbot.extract.urldates: the date a URL states, and numbers that only look like one."""

from __future__ import annotations

import pytest

from pressbot.extract.urldates import UrlDate, url_date


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/2012/05/11/council-bike-lanes/", UrlDate(2012, 5, 11)),
        ("https://x.example/news/2020-02/19/c_1125592312.htm", UrlDate(2020, 2, 19)),
        ("https://x.example/2019-06-11-ferry-fares", UrlDate(2019, 6, 11)),
        ("https://x.example/news/ferry-fares-20190611.html", UrlDate(2019, 6, 11)),
        ("https://x.example/20190611/ferry", UrlDate(2019, 6, 11)),
        ("https://x.example/2012_05_11_slug", UrlDate(2012, 5, 11)),
        ("https://x.example/en/2019/12/31", UrlDate(2019, 12, 31)),
        ("https://x.example/story?date=2020-02-19", UrlDate(2020, 2, 19)),
        # year and month only: narrows the day down, dates nothing by itself
        ("https://x.example/2020/02/slug", UrlDate(2020, 2, None)),
        ("https://x.example/2020-02/slug", UrlDate(2020, 2, None)),
        ("https://x.example/2020/2/slug", UrlDate(2020, 2, None)),
        ("https://x.example/2023/02/30/slug", UrlDate(2023, 2, None)),  # no 30 February
    ],
)
def test_url_date(url: str, expected: UrlDate) -> None:
    assert url_date(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://x.example/news/20201231456/",  # an id that contains a date
        "https://x.example/story/id20190611",
        "https://x.example/story/2019-2020-season",
        "https://x.example/1024/768/image",
        "https://x.example/page/2020/13/05",
        "https://x.example/1985/05/11/old",  # before MIN_YEAR
        "https://x.example/ausgaben/2019-4/artikel",  # an issue number, not April
        "https://kppolice.gov.pk/press_release_detail.php?id=2309",
        "https://urdu.pakvoice.pk/archives/58213",
        "http://[ccpa-preferences]",  # a URL urlsplit refuses: no date, no exception
        "",
    ],
)
def test_no_url_date(url: str) -> None:
    assert url_date(url) is None


def test_partial_contains_its_month() -> None:
    from datetime import date

    found = url_date("https://x.example/2020/02/slug")
    assert found is not None and found.day_date is None
    assert found.contains(date(2020, 2, 19)) and not found.contains(date(2020, 3, 1))
