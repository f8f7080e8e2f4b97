"""Extractor behaviour not covered by the golden pages: future dates, undated pages,
relative dates, plain text without a source."""

from __future__ import annotations

from datetime import UTC, datetime

from pressbot.extract import extract_html, extract_text

NOW = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
TITLE = "شہر میں پولیس کی کارروائی، متعدد ملزمان گرفتار"
BODY = (
    "<p>"
    + "پولیس نے شہر کے مختلف علاقوں میں کارروائی کرتے ہوئے متعدد ملزمان کو گرفتار کر لیا۔ " * 4
    + "</p>"
)


def _page(head: str = "", top: str = "") -> bytes:
    return (
        f'<html lang="ur"><head><title>خبر</title>{head}</head><body><article>'
        f"<h1>{TITLE}</h1>{top}{BODY}</article></body></html>"
    ).encode()


def test_a_date_in_the_future_is_rejected_not_kept() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x y z w",'
        ' "datePublished": "2030-05-01T10:00:00+05:00"}</script>'
    )
    rec = extract_html(_page(head=ld), "https://example.pk/a", fetched_at=NOW)
    assert rec.published_at is None
    assert "future" in rec.notes["published_at"]


def test_undated_page_stores_null_with_a_reason() -> None:
    rec = extract_html(_page(), "https://example.pk/b", fetched_at=NOW)
    assert rec.published_at is None
    assert rec.notes["published_at"] == "no date on page"
    assert rec.title == TITLE


def test_relative_stamp_resolves_against_fetch_time() -> None:
    rec = extract_html(
        _page(top="<span>3 گھنٹے پہلے</span>"), "https://example.pk/c", fetched_at=NOW
    )
    assert rec.published_at == datetime(2026, 1, 1, 4, 0, tzinfo=UTC)
    # Without a fetch time a relative stamp dates nothing.
    assert (
        extract_html(_page(top="<span>3 گھنٹے پہلے</span>"), "https://example.pk/c").published_at
        is None
    )


def test_ambiguous_kal_is_no_date() -> None:
    rec = extract_html(_page(top="<span>کل</span>"), "https://example.pk/d", fetched_at=NOW)
    assert rec.published_at is None


def test_plain_text_labels_and_teasers() -> None:
    text = (
        "شہر میں بارش کے بعد نکاسی آب کا کام جاری ہے\n"
        "Updated on: 06-Sep-2023\n"
        "لاہور (اے پی پی) " + "یہ خبر کا متن ہے جو کئی جملوں پر مشتمل ہے۔ " * 5 + "\n"
        "یہ بھی پڑھیں: ایک اور خبر کی سرخی یہاں ہے\n"
        + "مزید متن اس خبر کا یہاں جاری ہے۔ "
        * 4
        + "\n"
        "Share on Facebook\n"
    )
    rec = extract_text(text, "https://example.pk/t", fetched_at=NOW)
    assert rec.updated_at == datetime(2023, 9, 5, 19, 0, tzinfo=UTC)
    assert rec.place == "لاہور" and rec.agency == "اے پی پی"
    assert [r.title for r in rec.related] == ["ایک اور خبر کی سرخی یہاں ہے"]
    assert "یہ بھی پڑھیں" not in rec.body and "Share" not in rec.body
    assert rec.body.endswith("جاری ہے۔")
