"""Page objects: per-field isolation, and a source naming its own (versioned) page class."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pressbot.extract import extract_html, page_class
from pressbot.extract.html import parse_html
from pressbot.extract.page import FIELD_FAILED, Page, failed_fields
from pressbot.items import record_to_json
from pressbot.sources import Source, get
from tests.golden import FETCHED_AT, Case, cases
from tests.sites.kp_police_v2 import KpPoliceV2

NOW = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
TITLE = "شہر میں پولیس کی کارروائی، متعدد ملزمان گرفتار"
PARA = "پولیس نے شہر کے مختلف علاقوں میں کارروائی کرتے ہوئے متعدد ملزمان کو گرفتار کر لیا۔ " * 4
PAGE = (
    f'<html lang="ur"><head><title>{TITLE}</title>'
    '<meta name="keywords" content="پولیس"><meta property="og:type" content="article">'
    f"</head><body><article><h1>{TITLE}</h1><p>پشاور: {PARA}</p></article></body></html>"
)


class _BrokenKeywords(Page):
    def keywords(self) -> list[str]:
        raise RuntimeError("the tag box moved")


class _BrokenBody(Page):
    def body(self) -> str:
        raise RuntimeError("no text container")


def test_a_field_that_raises_is_left_empty_with_its_reason() -> None:
    rec = _BrokenKeywords(parse_html(PAGE), "https://example.pk/a", fetched_at=NOW).record()
    assert rec.keywords == []
    assert rec.notes["keywords"] == f"{FIELD_FAILED}RuntimeError: the tag box moved"
    assert failed_fields(rec) == ["keywords"]
    # Every other field is read as usual.
    assert rec.title == TITLE and rec.place == "پشاور" and rec.language == "ur"


def test_the_generic_page_reads_the_same_fields() -> None:
    rec = Page(parse_html(PAGE), "https://example.pk/a", fetched_at=NOW).record()
    assert rec.keywords == ["پولیس"] and not failed_fields(rec)
    assert rec == extract_html(PAGE, "https://example.pk/a", fetched_at=NOW)


def test_a_body_that_cannot_be_read_is_no_record() -> None:
    with pytest.raises(RuntimeError, match="no text container"):
        _BrokenBody(parse_html(PAGE), "https://example.pk/a", fetched_at=NOW).record()


# --- a source naming its page classes ---------------------------------------------------

V2_SOURCE: Source = replace(get("kp_police"), pages=("tests.sites.kp_police_v2.KpPoliceV2",))
V2_URL = "https://kppolice.gov.pk/press_release_detail.php?id=2901"
V2_TITLE = "پولیس لائنز پشاور میں شہداء کی یاد میں تقریب کا انعقاد"
V2_PARAS = [
    "پشاور، 1 مارچ، 2026: پولیس لائنز پشاور میں شہدائے پولیس کی یاد میں ایک پروقار تقریب منعقد "
    "ہوئی جس میں شہداء کے لواحقین، اعلیٰ پولیس افسران اور شہریوں نے بڑی تعداد میں شرکت کی۔",
    "تقریب سے خطاب کرتے ہوئے انسپکٹر جنرل آف پولیس نے کہا کہ شہداء کی قربانیاں قوم کا سرمایہ ہیں "
    "اور ان کے خاندانوں کی فلاح و بہبود پولیس کی اولین ترجیح ہے۔",
]
V2_PROMO = (
    "خیبر پختونخوا پولیس کی نئی موبائل ایپ اب دستیاب ہے جس کے ذریعے شہری گھر بیٹھے ایف آئی آر کی "
    "کاپی، کریکٹر سرٹیفکیٹ اور گاڑیوں کی تصدیق جیسی سہولیات حاصل کر سکتے ہیں، آج ہی ڈاؤن لوڈ کریں۔"
)
V2_PAGE = f"""<html><head><title>Press Release Detail | Khyber Pakhtunkhwa Police</title></head>
<body><div class="site"><h1>Press Release</h1>
<div class="content pr-v2">
<h2 class="pr-v2__title">{V2_TITLE}</h2>
<div class="pr-v2__body">{"".join(f"<p>{p}</p>" for p in V2_PARAS)}</div>
<div class="pr-v2__promo"><p>{V2_PROMO}</p><p>{V2_PROMO}</p></div>
</div></div></body></html>"""


def test_the_source_picks_the_class_that_fits_the_layout() -> None:
    assert page_class(V2_SOURCE, parse_html(V2_PAGE), V2_URL) is KpPoliceV2
    old = next(c for c in cases() if c.name.startswith("day1/kppolice.gov.pk/"))
    old_tree = parse_html(old.page.read_bytes())
    assert page_class(V2_SOURCE, old_tree, old.url) is Page
    assert page_class(get("kp_police"), parse_html(V2_PAGE), V2_URL) is Page


def test_the_redesign_is_read_by_its_own_class() -> None:
    rec = extract_html(V2_PAGE, V2_URL, fetched_at=FETCHED_AT, source=V2_SOURCE)
    assert rec.title == V2_TITLE
    assert rec.body == "\n\n".join(V2_PARAS)
    assert rec.place == "پشاور"
    # The generic page takes the promotion box for text on this layout.
    generic = extract_html(V2_PAGE, V2_URL, fetched_at=FETCHED_AT, source=get("kp_police"))
    assert V2_PROMO in generic.body


@pytest.mark.parametrize(
    "case",
    [c for c in cases() if "kppolice.gov.pk" in c.name],
    ids=lambda c: c.name,
)
def test_old_fixtures_keep_passing_with_the_new_class_declared(case: Case) -> None:
    rec = extract_html(case.page.read_bytes(), case.url, fetched_at=FETCHED_AT, source=V2_SOURCE)
    expected = json.loads(case.expected.read_text("utf-8"))
    assert record_to_json(rec) == expected


def test_every_declared_page_class_loads() -> None:
    from pressbot.extract import _load
    from pressbot.sources import all_sources

    for source in [*all_sources(), V2_SOURCE]:
        for path in source.pages:
            assert issubclass(_load(path), Page), path


def test_a_page_class_path_must_be_dotted() -> None:
    with pytest.raises(ValueError, match="dotted path"):
        replace(get("kp_police"), pages=("not a path",))
