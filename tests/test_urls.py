from __future__ import annotations

import pytest

from pressbot.urls import canonical_url, same_site, url_key


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://WWW.Nhsrc.gov.pk:443/PressReleaseDetail.aspx?id=3&utm_source=fb#top",
            "https://www.nhsrc.gov.pk/PressReleaseDetail.aspx?id=3",
        ),
        (
            "http://dailymumtaz.com:80/2021/06/10/slug/amp/",
            "http://dailymumtaz.com/2021/06/10/slug/",
        ),
        (
            "https://dailymumtaz.com/2021/06/10/slug/?amp=1&fbclid=abc",
            "https://dailymumtaz.com/2021/06/10/slug/",
        ),
        (
            "https://kppolice.gov.pk/press_release_detail.php?print=1&id=2315",
            "https://kppolice.gov.pk/press_release_detail.php?id=2315",
        ),
        ("https://x.pk/a?b=2&a=1", "https://x.pk/a?a=1&b=2"),
        ("https://x.pk:8080/a", "https://x.pk:8080/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical


def test_url_key_folds_scheme_www_and_trailing_slash() -> None:
    variants = [
        "https://www.dailymumtaz.com/2021/06/10/slug/",
        "http://dailymumtaz.com/2021/06/10/slug",
        "https://dailymumtaz.com/2021/06/10/slug/amp/",
        "https://dailymumtaz.com/2021/06/10/slug/?utm_medium=social",
    ]
    assert len({url_key(u) for u in variants}) == 1


def test_encoded_and_raw_urdu_slugs_agree() -> None:
    raw = "https://x.pk/خبر/"
    encoded = "https://x.pk/%D8%AE%D8%A8%D8%B1/"
    assert canonical_url(raw) == canonical_url(encoded)


def test_different_pages_keep_different_keys() -> None:
    assert url_key("https://x.pk/a?id=1") != url_key("https://x.pk/a?id=2")
    assert same_site("https://www.x.pk/a", "http://x.pk/b")
    assert not same_site("https://x.pk/a", "https://y.pk/a")
