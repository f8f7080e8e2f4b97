"""match_key as it was before issue 9 (display text stopped folding letters), frozen.

Stored ``content_hash`` values are sha256 of this key; tests check that the
current :func:`pressbot.text.urdu.match_key` gives the same key for any text, so
no stored page changes its hash. Do not edit: it is a reference, not code to run.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_ZWNJ: Final = "\u200c"
_TATWEEL: Final = "\u0640"

# Arabic code points that Urdu writes with a letter of its own.  Only U+0647
# (Arabic heh) becomes heh goal; U+06BE (do-chashmi heh, the aspirate in "بھ",
# "کھ") is a different code point and is never touched.
_ARABIC_TO_URDU: Final[dict[int, str]] = {
    0x064A: "\u06cc",  # ي Arabic yeh -> ی
    0x0649: "\u06cc",  # ى alef maksura -> ی
    0x0643: "\u06a9",  # ك Arabic kaf -> ک
    0x0647: "\u06c1",  # ه Arabic heh -> ہ
    0x0629: "\u06c3",  # ة teh marbuta -> ۃ
    0x0678: "\u0626",  # ٸ high-hamza yeh, typed by some Urdu keyboards for ئ
}

# Characters with no visible form of their own: zero-width space, joiners,
# direction marks and embeddings, word joiner, BOM, soft hyphen.  ZWNJ is
# handled separately because between two letters it changes the glyphs.
_INVISIBLE: Final[str] = (
    "\u00ad\u061c\u180e\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_SPACES: Final[str] = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_NEWLINES: Final[str] = "\r\x0b\x0c\x85\u2028\u2029"

_DISPLAY_TABLE: Final[dict[int, str | None]] = {
    **_ARABIC_TO_URDU,
    **{ord(c): None for c in _INVISIBLE + _TATWEEL},
    **{ord(c): " " for c in _SPACES},
    **{ord(c): "\n" for c in _NEWLINES},
}

# Presentation forms are glyph shapes, not letters.  NFKC turns them back into
# letters; it is applied to these characters only, since on the whole text it
# would also rewrite ligatures like "ﬁ", superscripts and full-width Latin.
# U+FDFA-U+FDFF (ﷺ, ﷻ, ﷽ …) are whole phrases used as symbols and are kept;
# U+FEFF is the BOM, removed as invisible.
_PRESENTATION_FORM: Final = re.compile("[\ufb50-\ufdf9\ufe70-\ufefe]+")

_URDU_MARKS: Final = "،؛؟۔"
_SPACE_BEFORE_MARK: Final = re.compile(f" +(?=[{_URDU_MARKS}])")
# One space after an Urdu mark glued to a letter ("گیا۔فورم"), or to a number
# that does not continue a number ("مطابق،2024"); "3۔5" stays as written.
_GLUED_AFTER_MARK: Final = re.compile(
    f"([{_URDU_MARKS}])(?=[^\\W\\d_])|(?<!\\d)([{_URDU_MARKS}])(?=\\d)"
)
_MULTI_SPACE: Final = re.compile(" {2,}")
_SPACE_AT_LINE_EDGE: Final = re.compile(" *\n *")
_MANY_NEWLINES: Final = re.compile("\n{3,}")
_ZWNJ_RUN: Final = re.compile(f"{_ZWNJ}+")

_DIGITS_TABLE: Final[dict[int, str]] = {
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic ٠-٩
    **{0x06F0 + i: str(i) for i in range(10)},  # Extended Arabic-Indic (Urdu) ۰-۹
}


def _is_arabic_letter(ch: str) -> bool:
    """An Arabic-script letter (tatweel, marks, digits and punctuation are not)."""
    if not ch.isalpha() or ch == _TATWEEL:
        return False
    cp = ord(ch)
    return (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    )


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _nfkc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group())


def _zwnj_in_context(m: re.Match[str]) -> str:
    """Keep one ZWNJ between two Arabic-script letters (it stops them joining,
    as in compounds); anywhere else it does nothing and goes."""
    s = m.string
    before = m.start() - 1
    while before >= 0 and _is_mark(s[before]):
        before -= 1
    after = m.end()
    if (
        before >= 0
        and after < len(s)
        and _is_arabic_letter(s[before])
        and _is_arabic_letter(s[after])
    ):
        return _ZWNJ
    return ""


def _glued_mark(m: re.Match[str]) -> str:
    return (m.group(1) or m.group(2)) + " "


def _tidy_whitespace(text: str) -> str:
    text = _MULTI_SPACE.sub(" ", text)
    text = _SPACE_AT_LINE_EDGE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip(" \n")


def _old_display(text: str) -> str:
    """The form of ``text`` to store and show.

    Maps Arabic letter forms to Urdu (ي ى -> ی, ك -> ک, ه -> ہ, ة -> ۃ),
    presentation forms to letters, removes tatweel and invisible characters
    (ZWNJ survives only between two Arabic-script letters), turns odd spaces into
    plain ones, strips spaces at line ends, keeps at most one blank line, and puts
    Urdu punctuation (، ؛ ؟ ۔) right after the word with one space after it.
    Diacritics, digits and Latin text are left as they are.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    text = _PRESENTATION_FORM.sub(_nfkc, text)
    text = text.translate(_DISPLAY_TABLE)
    text = _ZWNJ_RUN.sub(_zwnj_in_context, text)
    # ی + hamza above is how ئ looks; NFC only composes it from Arabic yeh.
    text = unicodedata.normalize("NFC", text.replace("\u06cc\u0654", "\u0626"))
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = _GLUED_AFTER_MARK.sub(_glued_mark, text)
    return _tidy_whitespace(text)


class _KeyTable(dict[int, str | None]):
    """str.translate table for :func:`match_key`, filled in as characters are
    met, since "every punctuation character" is too many to list up front."""

    def __missing__(self, cp: int) -> str | None:
        value = self._fold(cp)
        self[cp] = value
        return value

    @staticmethod
    def _fold(cp: int) -> str | None:
        if 0x064B <= cp <= 0x065F or cp == 0x0670 or 0x06D6 <= cp <= 0x06ED:
            return None  # harakat, superscript alef, Quranic marks
        if cp in _DIGITS_TABLE:
            return _DIGITS_TABLE[cp]
        ch = chr(cp)
        if ch == _ZWNJ or unicodedata.category(ch).startswith("P"):
            return " "
        return ch


_KEY_TABLE: Final = _KeyTable(
    {
        # ۓ is ے with hamza, the same as the two-letter spelling ئے ("گئے"/"گۓ").
        0x06D3: "\u0626\u06d2",
        # ۂ/ۀ carry the izafat hamza; izafat written as zer is a diacritic and
        # dropped, so the hamza spelling folds to the bare heh as well.
        0x06C2: "\u06c1",
        0x06C0: "\u06c1",
        ord("\n"): " ",
    }
)


def reference_match_key(text: str) -> str:
    """A key under which texts that differ only in form are equal.

    The display form without diacritics, with ASCII digits, lower-cased, every
    punctuation character (Latin or Urdu, quotes, guillemets) turned into a space
    and all whitespace collapsed to single spaces.  ۓ and ئے, and ۂ/ۀ and ہ, fold
    together.
    """
    text = _old_display(text).translate(_KEY_TABLE).lower()
    # Dropping a mark can leave a base and a later mark adjacent that NFC joins.
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())
