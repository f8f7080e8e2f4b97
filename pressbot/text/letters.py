"""Letter tables for Arabic-script text, kept in one place.

Display text, match keys (:mod:`pressbot.text.urdu`), language detection
(:mod:`pressbot.text.language`), phrase-list patterns and the same-story check's
spelling skeleton (:mod:`pressbot.dedup.decide`) all read these tables; none of
them re-types a code point. Data and tiny predicates only.

The split that matters: what a page says is never rewritten (display keeps Arabic
ي ك ه ة, tatweel, presentation forms and diacritics as typed); letter folding is
for keys that compare texts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

TATWEEL: Final = "\u0640"
ZWNJ: Final = "\u200c"

# Arabic code points where Urdu writes a letter of its own. Folded in match keys
# (so an Urdu page typed with an Arabic keyboard, or encoded in windows-1256, keys
# like one typed in Urdu forms), never in stored text. Only U+0647 (Arabic heh)
# folds to heh goal; U+06BE (do-chashmi heh, the aspirate in "بھ") is another
# letter and is never touched.
ARABIC_TO_URDU: Final[dict[int, str]] = {
    0x064A: "\u06cc",  # ي Arabic yeh -> ی
    0x0649: "\u06cc",  # ى alef maksura -> ی
    0x0643: "\u06a9",  # ك Arabic kaf -> ک
    0x0647: "\u06c1",  # ه Arabic heh -> ہ
    0x0629: "\u06c3",  # ة teh marbuta -> ۃ
    0x0678: "\u0626",  # ٸ high-hamza yeh, typed by some Urdu keyboards for ئ
}

# Format characters with no visible form of their own: zero-width space and
# joiner, direction marks and embeddings, word joiner, BOM, soft hyphen. Removed
# from display text. ZWNJ is not among them: between two letters it changes the
# glyphs (Persian "می‌خواهد", Urdu compounds), so it stays there.
INVISIBLE: Final = (
    "\u00ad\u061c\u180e\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Spaces of other widths, shown as one plain space.
SPACES: Final = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
NEWLINES: Final = "\r\x0b\x0c\x85\u2028\u2029"

# Arabic-Indic ٠-٩ and Extended Arabic-Indic (Urdu) ۰-۹ digits -> ASCII.
DIGITS: Final[dict[int, str]] = {
    **{0x0660 + i: str(i) for i in range(10)},
    **{0x06F0 + i: str(i) for i in range(10)},
}

# Presentation forms are glyph shapes; keys read them as letters (NFKC on these
# characters only: on the whole text NFKC would also rewrite "ﬁ", "²", "Ａ").
# U+FDFA-U+FDFF (ﷺ, ﷻ, ﷽ …) are whole phrases used as symbols and stay.
PRESENTATION_FORMS: Final = "[\ufb50-\ufdf9\ufe70-\ufefe]"

# Urdu punctuation: comma, semicolon, question mark, full stop.
URDU_MARKS: Final = "،؛؟۔"

# Key folds beyond single letters: ۓ is ے with hamza, the same as "ئے" ("گئے"/"گۓ");
# ۂ/ۀ carry the izafat hamza, which as a zer is a dropped diacritic, so they fold
# to bare heh.
KEY_FOLDS: Final[dict[int, str]] = {
    0x06D3: "\u0626\u06d2",
    0x06C2: "\u06c1",
    0x06C0: "\u06c1",
}

# Letters Urdu writers interchange without changing the word (hamza seats, alef
# madda, heh forms, bari yeh, noon ghunna): the same-story check compares words
# on this skeleton.
SKELETON: Final[dict[str, str | None]] = {
    "ئ": "ی", "ؤ": "و", "آ": "ا", "أ": "ا", "إ": "ا", "ۃ": "ہ", "ھ": "ہ", "ے": "ی", "ں": "ن",
    "ء": None, "\u0654": None,
}  # fmt: skip

# Phrase lists also fold hamza on or under alef (Arabic sites write "الأكثر" and
# "الاكثر" alike). Not in match keys, which must stay as they were.
PHRASE_ALEF: Final[dict[int, str]] = {0x0623: "\u0627", 0x0625: "\u0627"}

# Language evidence (pressbot.text.language). Urdu writes these and neither Arabic
# nor Persian does.
URDU_ONLY_LETTERS: Final = frozenset("ٹڈڑںےۓھہۂۃ")
# Arabic writes these where Urdu and Persian write ی ک ہ/ه: teh marbuta, alef
# maksura, Arabic yeh and kaf. (Urdu pages in windows-1256 also use ي, so on its
# own ي is weak evidence.)
ARABIC_ONLY_LETTERS: Final = frozenset("ةىك")
ARABIC_YEH: Final = "\u064a"
# Persian writes heh as Arabic ه (U+0647) where Urdu writes ہ, and has ژ.
PERSIAN_LETTERS: Final = frozenset("ژ")
ARABIC_HEH: Final = "\u0647"


# Regular expressions for counting (C speed on long texts): any letter but tatweel,
# and Arabic-script letters (the blocks of is_arabic_letter below).
LETTER: Final = re.compile("(?!\u0640)[^\\W\\d_]")
ARABIC_LETTER: Final = re.compile(
    "(?!\u0640)(?=[^\\W\\d_])[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)


def is_diacritic(cp: int) -> bool:
    """Harakat, superscript alef and Quranic marks: dropped from keys."""
    return 0x064B <= cp <= 0x065F or cp == 0x0670 or 0x06D6 <= cp <= 0x06ED


def is_arabic_letter(ch: str) -> bool:
    """An Arabic-script letter (tatweel, marks, digits and punctuation are not)."""
    if not ch.isalpha() or ch == TATWEEL:
        return False
    cp = ord(ch)
    return (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    )


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


@lru_cache(maxsize=256)
def spellings(ch: str) -> str:
    """``ch`` and every character a key folds into it (ی: ی ي ى; 4: 4 ٤ ۴)."""
    same = [ch]
    for cp, to in ARABIC_TO_URDU.items():
        if to == ch:
            same.append(chr(cp))
    for cp, to in DIGITS.items():
        if to == ch:
            same.append(chr(cp))
    return "".join(same)
