"""pressbot.text.urdu: display text as published, match keys that fold, script share."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pressbot.text.letters import INVISIBLE, ZWNJ
from pressbot.text.urdu import (
    fold,
    has_urdu,
    match_key,
    normalize_display,
    phrase_pattern,
    to_ascii_digits,
    urdu_ratio,
)
from tests.urdu_reference import reference_match_key

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "documents"
SEED_NAMES = ("000_81f2cbd8ab5f7e30", "001_32cc9811ad68b415", "002_49dfc69a23007eb6")


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text("utf-8")


# --- normalize_display: letters stay as published ----------------------------------


@pytest.mark.parametrize(
    ("raw", "urdu"),
    [
        ("علي", "علی"),  # U+064A Arabic yeh
        ("مصطفى", "مصطفی"),  # U+0649 alef maksura
        ("كراچی", "کراچی"),  # U+0643 Arabic kaf
        ("پشاوره", "پشاورہ"),  # U+0647 Arabic heh
        ("صلوة", "صلوۃ"),  # U+0629 teh marbuta
        ("جولاٸی", "جولائی"),  # U+0678 high-hamza yeh from some keyboards
    ],
)
def test_arabic_letters_kept_in_display_folded_in_keys(raw: str, urdu: str) -> None:
    assert normalize_display(raw) == raw
    assert match_key(raw) == match_key(urdu)


@pytest.mark.parametrize(
    "text",
    [
        "بھائی کھیل",  # U+06BE do-chashmi heh, the aspirate: not heh goal
        "گئے ہوئے",  # ئ
        "ہوۓ",  # U+06D3 ۓ is an Urdu letter
        "نقطۂ نظر",  # U+06C2 ۂ
        "خانۀ",  # U+06C0 ۀ
        "اِس پرُ عزم",  # diacritics stay in display
        "۴ ستمبر ۲۰۲۳ ٤ 4",  # digits stay in display
        "وسطیٰ",  # superscript alef
        "وقال الوزير في تصريح لـ«الصباح» إن العلاقة",  # Arabic, with tatweel
        "پاکـــستان",  # tatweel is the page's
        "إِنَّ اللَّهَ",  # shadda typed before fatha: not reordered (NFC would)
        "\u064a\u0654 \u06cc\u0654",  # decomposed hamza stays decomposed
        "\ufef3\ufedb\ufe98\ufe8e\ufe8f \ufdf2",  # presentation forms are the page's letters
        "می\u200cتوانند",  # Persian verb prefix joined by ZWNJ
    ],
)
def test_display_keeps(text: str) -> None:
    assert normalize_display(text) == text


def test_arabic_heh_and_do_chashmi_are_told_apart_in_keys() -> None:
    # Only U+0647 folds; U+06BE in the same word is left alone.
    assert match_key("به بھ") == "بہ بھ"
    assert "\u06be" in match_key("\u0628\u06be\u0627\u0626\u06cc")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufef3", "ی"),  # ﻳ: NFKC gives Arabic yeh, which must then become ی
        ("\ufbfe", "ی"),  # ﯾ Farsi yeh initial form
        ("\ufb90\ufefc", "کلا"),  # ﮐ keheh initial, ﻼ lam-alef ligature
        ("\ufedb\ufe98\ufe8e\ufe8f", "کتاب"),  # Arabic kaf form -> ک
        ("\ufeeb", "ہ"),  # Arabic heh initial form -> ہ
        ("\ufba6", "ہ"),  # heh goal isolated form
        ("\ufdf2", "اللہ"),  # ligature Allah
        ("محمد \ufdfa", "محمد \ufdfa"),  # ﷺ is a phrase symbol and stays
    ],
)
def test_presentation_forms_fold_in_keys(raw: str, expected: str) -> None:
    assert match_key(raw) == expected


def test_presentation_forms_only_touch_arabic() -> None:
    # NFKC on the whole text would turn these into "fi", "2" and "A".
    assert match_key("\ufb01 x\u00b2 \uff21") == "\ufb01 x\u00b2 \uff41"


def test_tatweel_dropped_from_keys() -> None:
    assert match_key("پاکـــستان") == "پاکستان"
    assert match_key("لـ«الصباح»") == match_key("ل الصباح")


@pytest.mark.parametrize("zw", ["\u200b", "\u200d", "\u200e", "\u200f", "\ufeff", "\u2060"])
def test_invisible_characters_removed(zw: str) -> None:
    assert normalize_display(f"پاک{zw}ستان{zw} UN{zw}DP") == "پاکستان UNDP"


def test_direction_controls_removed() -> None:
    assert normalize_display("\u202bپولیس\u202c \u2067UNDP\u2069") == "پولیس UNDP"


def test_zwnj_kept_only_between_arabic_letters() -> None:
    assert normalize_display("خیبر\u200cپختونخوا") == "خیبر\u200cپختونخوا"
    # after a diacritic it still sits between two letters
    assert normalize_display("بِ\u200cپ") == "بِ\u200cپ"
    assert normalize_display("\u200c\u200cپشاور\u200c \u200cلاہور\u200c") == "پشاور لاہور"
    assert normalize_display("a\u200cb پ\u200cb") == "ab پb"
    assert normalize_display("ب\u200c\u200c\u200cپ") == "ب\u200cپ"
    # across tatweel, which joins like a letter stroke
    assert normalize_display("بـ\u200cپ") == "بـ\u200cپ"


def test_decomposed_hamza_composes_in_keys() -> None:
    assert match_key("\u064a\u0654") == "\u0626"  # Arabic yeh + hamza: NFC
    assert match_key("\u06cc\u0654") == "\u0626"  # Farsi yeh + hamza: by hand
    assert match_key("\u0627\u0653") == "\u0622"  # alef + madda
    assert match_key("\u0647\u0654") == match_key("\u06c2")  # Arabic heh + hamza -> ۂ


# --- normalize_display: spacing -------------------------------------------------------


def test_whitespace_tidied() -> None:
    raw = "  پشاور\t\tمیں\u00a0پولیس  \r\n\r\n\r\n\r\nنے  \n \n\n\n کہا\u2009ہے  "
    assert normalize_display(raw) == "پشاور میں پولیس\n\nنے\n\nکہا ہے"


def test_newline_variants() -> None:
    assert normalize_display("ا\rب\u2028ج\u2029د") == "ا\nب\nج\nد"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("پاکستان ، قازقستان", "پاکستان، قازقستان"),
        ("کیا گیا۔فورم میں", "کیا گیا۔ فورم میں"),
        ("وسطیٰ،ترکی", "وسطیٰ، ترکی"),
        ("کیوں ؟کیسے", "کیوں؟ کیسے"),
        ("پہلا ؛دوسرا", "پہلا؛ دوسرا"),
        ("مطابق،2024 میں", "مطابق، 2024 میں"),
        ("طور پر،COVID-19", "طور پر، COVID-19"),
        ("3۔5 فیصد", "3۔5 فیصد"),  # ۔ between digits is a decimal point
        ("بات۔۔۔ ختم", "بات۔۔۔ ختم"),
        ("آخر میں۔", "آخر میں۔"),
        ("کا پیمانہ 3.5 ہے", "کا پیمانہ 3.5 ہے"),
        (
            "سینٹر ((https://www.tiktok.com/safety?lang=en&appLaunch کا",
            "سینٹر ((https://www.tiktok.com/safety?lang=en&appLaunch کا",
        ),
        ("https://www.tiktok.com/safety?lang=en", "https://www.tiktok.com/safety?lang=en"),
        ("Hello, world. 3.5 - ok?", "Hello, world. 3.5 - ok?"),
    ],
)
def test_urdu_punctuation_spacing(raw: str, expected: str) -> None:
    assert normalize_display(raw) == expected


def test_seed_display_is_clean() -> None:
    text = normalize_display(seed("001_32cc9811ad68b415"))
    assert "پاکستان، قازقستان" in text
    assert "کیے گئے۔ فورم میں" in text
    assert "  " not in text and "\n\n\n" not in text
    assert all(line == line.strip() for line in text.splitlines())


# --- idempotence ------------------------------------------------------------------------

_URDU = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےئۓۂۀآأؤ"
_VARIANTS = "يىكهةٸە"
_MARKS = "".join(map(chr, [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]))
_DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
_PUNCT = "،۔؟؛.,:!?\"“”‘’«»()-/'#@"
_SPACES = " \t\n\r\u00a0\u2009\u3000\u2028"
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\ufeff\u2060\u0640\u202b\u202c\u00ad"
_PLAIN = _URDU + _VARIANTS + _MARKS + _DIGITS + _PUNCT + _SPACES + _INVISIBLE + "abcXYZ"

urdu_like = st.lists(
    st.sampled_from(list(_PLAIN))
    | st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF)
    | st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
    max_size=60,
).map("".join)


@settings(max_examples=1500)
@given(urdu_like)
def test_normalize_display_idempotent(text: str) -> None:
    once = normalize_display(text)
    assert normalize_display(once) == once


@settings(max_examples=1500)
@given(urdu_like)
def test_match_key_idempotent(text: str) -> None:
    key = match_key(text)
    assert match_key(key) == key
    assert match_key(normalize_display(text)) == key


@settings(max_examples=500)
@given(st.text())
def test_idempotent_on_any_text(text: str) -> None:
    once = normalize_display(text)
    assert normalize_display(once) == once
    key = match_key(text)
    assert match_key(key) == key
    assert match_key(once) == key


_CLEANED = frozenset(INVISIBLE + ZWNJ)


def _visible(text: str) -> list[str]:
    return [c for c in text if not c.isspace() and c not in _CLEANED]


@settings(max_examples=1500)
@given(urdu_like)
def test_display_is_identity_on_letters(text: str) -> None:
    # Apart from whitespace and invisible format characters, display text is the
    # input, character for character, in the same order.
    assert _visible(normalize_display(text)) == _visible(text)


@settings(max_examples=500)
@given(st.text())
def test_display_is_identity_on_any_text(text: str) -> None:
    assert _visible(normalize_display(text)) == _visible(text)


@settings(max_examples=2000)
@given(urdu_like)
def test_match_key_is_the_key_stored_hashes_were_made_with(text: str) -> None:
    # content_hash = sha256(match_key(body)): the key of raw text, and of the text
    # as now stored, is the key computed before display text stopped folding.
    assert match_key(text) == reference_match_key(text)
    assert match_key(normalize_display(text)) == reference_match_key(text)


@settings(max_examples=500)
@given(st.text())
def test_match_key_reference_on_any_text(text: str) -> None:
    assert match_key(text) == reference_match_key(text)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_idempotent_on_seeds(name: str) -> None:
    text = seed(name)
    once = normalize_display(text)
    assert normalize_display(once) == once
    assert match_key(match_key(text)) == match_key(text)
    assert match_key(text) == reference_match_key(text)


# --- match_key ------------------------------------------------------------------------


def test_match_key_folds_letter_forms_and_digits() -> None:
    urdu = "پاکستان نے کراچی میں ۱۲ منصوبوں پر دستخط کیے۔"
    arabic = "پاكستان نے كراچي ميں ١٢ منصوبوں پر دستخط كيے."
    western = "پاکستان  نے کراچی میں 12 منصوبوں پر دستخط کیے"
    assert match_key(urdu) == match_key(arabic) == match_key(western)
    assert match_key(urdu) == "پاکستان نے کراچی میں 12 منصوبوں پر دستخط کیے"


def test_match_key_drops_diacritics_and_tatweel() -> None:
    assert match_key("اِس پرُ عزم وسطیٰ") == match_key("اس پر عزم وسطی")
    assert match_key("پاکـــستان") == "پاکستان"


def test_match_key_folds_punctuation() -> None:
    text = "“ہمیں” ‘خوشی’ «ہے»، کیا؟ ہاں؛ ٹھیک۔ (UNDP) - COVID-19"
    assert match_key(text) == "ہمیں خوشی ہے کیا ہاں ٹھیک undp covid 19"


def test_match_key_lowercases_latin_only() -> None:
    assert match_key("UNDP اور ICTs") == "undp اور icts"


def test_match_key_hamza_spellings() -> None:
    assert match_key("گۓ ہوۓ") == match_key("گئے ہوئے")
    assert match_key("نقطۂ نظر") == match_key("نقطہ نظر") == match_key("نقطۀ نظر")


def test_match_key_zwnj_is_a_word_break() -> None:
    assert match_key("خیبر\u200cپختونخوا") == match_key("خیبر پختونخوا")


def test_match_key_collapses_whitespace() -> None:
    assert match_key("  پشاور\n\n\tمیں  \u00a0 پولیس ") == "پشاور میں پولیس"


# --- digits, script share, language ----------------------------------------------------


def test_to_ascii_digits() -> None:
    assert to_ascii_digits("۴ ستمبر ۲۰۲۳، ٤-٩-٢٠٢٣، 12") == "4 ستمبر 2023، 4-9-2023، 12"


def test_has_urdu() -> None:
    assert has_urdu("UNDP کے تعاون سے")
    assert has_urdu("\ufef3")  # a presentation form is Arabic script too
    assert not has_urdu("UNDP 2023 ۴۵ ، ۔")  # digits and punctuation are not letters
    assert not has_urdu("")


def test_urdu_ratio() -> None:
    assert urdu_ratio("") == 0.0
    assert urdu_ratio("2023") == 0.0
    assert urdu_ratio("پشاور") == 1.0
    assert urdu_ratio("abc ابپ") == pytest.approx(0.5)
    assert urdu_ratio("ـــab") == 0.0  # tatweel is no letter


# --- fold and phrase patterns ------------------------------------------------------------


def test_fold_keeps_punctuation_and_folds_letters() -> None:
    assert fold("شيئر کريں:") == "شیئر کریں:"
    assert fold("  Share  THIS: ") == "share this:"
    assert fold("۱۲ مناظر") == "12 مناظر"


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("یہ بھی پڑھیں", "يہ بھي پڑھيں"),
        ("یہ بھی پڑھیں", "یہ  بھی پڑھیں"),
        ("ٹیگز", "ٹيگز"),
        ("شیئر کریں", "شیــئر کریں"),
        ("also read", "Also Read"),
        ("آخری اپ ڈیٹ", "آخري اپ ڈيٹ"),
    ],
)
def test_phrase_pattern_matches_every_spelling_with_the_same_key(phrase: str, text: str) -> None:
    assert re.fullmatch(phrase_pattern(phrase), text, re.IGNORECASE)
    assert fold(text) == fold(phrase) or match_key(text) == match_key(phrase)


def test_phrase_pattern_is_not_a_substring_match() -> None:
    assert not re.fullmatch(phrase_pattern("ٹیگ"), "ٹیگز")
