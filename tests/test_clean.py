"""The text cleaner's shapes: page-type headers, comment-policy notices, follow-us
lines, teaser lists, labels without a colon, phrase lists on keys."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from pressbot.extract.clean import (
    CleanOptions,
    clean_lines,
    is_boilerplate,
    is_page_header,
    line_key,
)
from pressbot.lexicon.phrases import BARE_DATE_LABELS, BOILERPLATE_PATTERNS, LABELS
from pressbot.text.urdu import fold

NOW = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
PARA = "پولیس نے شہر کے مختلف علاقوں میں کارروائی کرتے ہوئے متعدد ملزمان کو گرفتار کر لیا۔ " * 3


@pytest.mark.parametrize(
    "line",
    [
        "پریس ریلیز",
        "پريس ريليز",  # windows-1256 spelling
        "پریس ریلیز نمبر 245",
        "PRESS RELEASE",
        "Press Release No. 12/2025",
        "HANDOUT",
        "ضلعی پولیس مردان - پریس ریلیز",
        "بيان صحفي",
    ],
)
def test_page_type_headers(line: str) -> None:
    assert is_page_header(line)


@pytest.mark.parametrize(
    "line",
    [
        "Press Release: Government announces relief package for flood-hit districts",
        "پریس ریلیز کے مطابق پولیس نے کارروائی کرتے ہوئے ملزمان کو گرفتار کر لیا",
    ],
)
def test_a_headline_after_the_page_type_is_not_a_header(line: str) -> None:
    assert not is_page_header(line)


@pytest.mark.parametrize(
    "line",
    [
        "التعليقات المنشورة تعبر عن رأي أصحابها ولا تعبر بالضرورة عن رأي الجريدة.",
        "سيتم حذف أي تعليق يتضمن إساءة أو ألفاظاً خارجة.",
        "سياسة التعليقات",
        "ادارے کا تبصرہ نگار کی رائے سے متفق ہونا ضروری نہیں",
        "Comments are moderated and will be removed if they are abusive.",
        "The views expressed in the comments do not reflect those of the newspaper.",
        "Follow The Daily Crescent on Twitter and Instagram for the latest updates.",
        "Join our WhatsApp channel for breaking news.",
        "For the latest news, follow us on Facebook and Twitter",
        "ہمیں فیس بک، ٹوئٹر اور انسٹاگرام پر فالو کریں",
        "ہمارا واٹس ایپ چینل جوائن کریں",
        "تابعونا على فيسبوك وتويتر وإنستغرام",
        "شيئر کريں",  # Arabic yeh
    ],
)
def test_boilerplate_shapes(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "The minister declined to comment on the policy, saying it was under review.",
        "Facebook and Twitter join forces with regulators to fight misinformation.",
        "وزیر نے اس پالیسی پر تبصرہ کرنے سے انکار کر دیا اور کہا کہ معاملہ زیر غور ہے",
        "ورفض الوزير التعليق على قرار الحكومة الأخير بشأن الأسعار.",
        "He said users could follow the proceedings live on YouTube.",
    ],
)
def test_sentences_with_those_words_are_text(line: str) -> None:
    assert not is_boilerplate(line)


def test_teaser_list_after_the_text_goes() -> None:
    lines = [PARA, PARA, "کالمز", "جاوید چوہدری", "زیرو پوائنٹ: معیشت کا امتحان", "حامد میر"]
    assert clean_lines(lines, CleanOptions()).body == [PARA.strip(), PARA.strip()]


def test_a_teaser_heading_before_the_text_or_before_a_paragraph_stays_text() -> None:
    lines = [PARA, "کالم", PARA]
    assert len(clean_lines(lines, CleanOptions()).body) == 3


def test_a_date_label_without_colon_is_a_label() -> None:
    out = clean_lines(["Latest Update 12 May, 2025 10:30am", PARA], CleanOptions(now=NOW))
    assert out.body == [PARA.strip()]
    assert out.updated_at == datetime(2025, 5, 12, 5, 30, tzinfo=UTC)


def test_a_bare_label_word_opening_a_sentence_is_text() -> None:
    line = "Updated on Monday, the guidelines now cover every district of the province."
    assert clean_lines([PARA, line], CleanOptions(now=NOW)).body == [PARA.strip(), line]


def test_an_unreadable_date_after_a_bare_label_is_noted_not_kept_as_text() -> None:
    out = clean_lines(["آخر تحديث 12 مايو 2025", PARA], CleanOptions(now=NOW))
    assert out.body == [PARA.strip()]
    assert "updated_at" in out.unparsed or out.updated_at is not None


def test_labels_and_markers_match_any_spelling_and_keep_the_value_as_written() -> None:
    out = clean_lines([PARA, "ٹيگز: ٹريفک پوليس، پشاور"], CleanOptions())
    assert out.keywords == ["ٹريفک پوليس", "پشاور"]
    out = clean_lines(
        [PARA, "يہ بھي پڑھيں: پشاور ميں بارش سے نظام زندگي درہم برہم"], CleanOptions()
    )
    assert [r.title for r in out.related] == ["پشاور ميں بارش سے نظام زندگي درہم برہم"]


def test_bare_date_labels_are_labels() -> None:
    known = {line_key(x) for v in LABELS.values() for x in v}
    assert {line_key(x) for x in BARE_DATE_LABELS} <= known


def test_patterns_are_written_in_key_form() -> None:
    # Patterns run on keys: Arabic letter forms or non-ASCII digits in them would never match.
    for pattern in BOILERPLATE_PATTERNS:
        letters = re.sub(r"\\.|\[[^\]]*\]", "", pattern)  # escapes and classes aside
        assert fold(letters) == letters.lower(), pattern
