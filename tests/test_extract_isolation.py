"""Per-field isolation: a field that cannot be read leaves that field empty, says
why in ``notes``, and the page still becomes a record.

Malformed links (``http://[ccpa-preferences]``, ``http://[::1``: urljoin raises
ValueError on them), broken JSON-LD and impossible dates are common on real
pages; none of them may cost the page its record.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pressbot.extract import extract_html

NOW = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
TITLE = "شہر میں پولیس کی کارروائی، متعدد ملزمان گرفتار"
PARA = "پولیس نے شہر کے مختلف علاقوں میں کارروائی کرتے ہوئے متعدد ملزمان کو گرفتار کر لیا۔ " * 4


def _page(head: str = "", body: str = "") -> bytes:
    return (
        f'<html lang="ur"><head><title>{TITLE}</title>{head}</head><body><article>'
        f"<h1>{TITLE}</h1><p>{PARA}</p>{body}<p>{PARA}</p></article></body></html>"
    ).encode()


BAD_LINKS = [
    '<a href="http://[ccpa-preferences]">Do Not Sell My Personal Information</a>',
    '<a href="http://[::1">ایک بہت لمبا لنک جو کہیں نہیں جاتا</a>',
    '<p>یہ بھی پڑھیں: <a href="http://[ccpa-preferences]/x">'
    "پشاور میں بارش سے نظام زندگی درہم برہم</a></p>",
    '<p>پڑھیں:</p><h3><a href="http://[::1/y">دوسری خبر کی سرخی یہاں</a></h3>',
]


@pytest.mark.parametrize("link", BAD_LINKS, ids=range(len(BAD_LINKS)))
def test_malformed_links_do_not_cost_the_record(link: str) -> None:
    rec = extract_html(_page(body=link), "https://example.pk/a", fetched_at=NOW)
    assert rec.title == TITLE
    assert PARA.strip()[:40] in rec.body
    for related in rec.related:
        assert related.url is None or related.url.startswith("http")


def test_malformed_canonical_keeps_the_fetched_url() -> None:
    head = '<link rel="canonical" href="http://[::1">'
    rec = extract_html(_page(head=head), "https://example.pk/b?utm_source=x", fetched_at=NOW)
    assert rec.canonical_url == "https://example.pk/b"
    assert rec.title == TITLE


@pytest.mark.parametrize(
    "head",
    [
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>',
        '<script type="application/ld+json">'
        '[{"@type": ["NewsArticle"], "datePublished": {}}]</script>',
        '<meta property="article:published_time" content="2023-02-30T10:00:00+05:00">',
        '<meta property="article:published_time" content="99999-99-99">',
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": 12}</script>',
    ],
    ids=["cut-json", "odd-types", "feb-30", "garbage-date", "number-date"],
)
def test_broken_structured_data_and_invalid_dates(head: str) -> None:
    rec = extract_html(_page(head=head), "https://example.pk/c", fetched_at=NOW)
    assert rec.title == TITLE
    assert rec.published_at is None
    assert rec.notes.get("published_at")
