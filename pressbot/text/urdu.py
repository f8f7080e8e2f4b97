"""Arabic-script text: one form to store and show, keys to compare.

* :func:`normalize_display` is what gets stored and shown: the text as the page
  wrote it. Only what a reader cannot see is cleaned: invisible format characters
  (zero-width spaces, direction marks, BOM; ZWNJ survives between two letters),
  odd spaces and newlines, spaces at line ends and before Urdu punctuation, and a
  missing space after it. Letters are never rewritten: Arabic ي ك ه ة on an
  Arabic page (or a windows-1256 Urdu page), tatweel, presentation forms,
  diacritics and digits stay as written.
* :func:`match_key` is for hashing, shingling, dedup and search. It folds Arabic
  letter forms into Urdu ones (ي ى -> ی, ك -> ک, ه -> ہ, ة -> ۃ), presentation
  forms into letters, drops tatweel and diacritics, makes all digits ASCII,
  lower-cases, turns punctuation into spaces and folds hamza spellings that mean
  the same word. It reads raw text: ``match_key(normalize_display(x)) ==
  match_key(x)``, and it is the key it always was (``content_hash`` of stored
  pages does not move).
* :func:`fold` is the same letter folding with punctuation and spacing kept, for
  phrase lists whose patterns need them; :func:`phrase_pattern` turns a phrase into
  a regular expression that matches any spelling with the same key, so a value
  after a label can be cut from the text as published.

All are idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from pressbot.text.letters import (
    ARABIC_LETTER,
    ARABIC_TO_URDU,
    DIGITS,
    INVISIBLE,
    KEY_FOLDS,
    LETTER,
    NEWLINES,
    PHRASE_ALEF,
    PRESENTATION_FORMS,
    SPACES,
    TATWEEL,
    URDU_MARKS,
    ZWNJ,
    is_arabic_letter,
    is_diacritic,
    is_mark,
    spellings,
)
from pressbot.text.memo import line_cache

__all__ = [
    "fold",
    "has_urdu",
    "letter_counts",
    "match_key",
    "normalize_display",
    "phrase_pattern",
    "to_ascii_digits",
    "urdu_ratio",
]

# Display: whitespace and invisible characters only.
_DISPLAY_TABLE: Final[dict[int, str | None]] = {
    **{ord(c): None for c in INVISIBLE},
    **{ord(c): " " for c in SPACES},
    **{ord(c): "\n" for c in NEWLINES},
}
# Keys: on top of that, letter forms and tatweel.
_FORMS_TABLE: Final[dict[int, str | None]] = {
    **ARABIC_TO_URDU,
    **_DISPLAY_TABLE,
    ord(TATWEEL): None,
}
_PRESENTATION_FORM: Final = re.compile(PRESENTATION_FORMS + "+")


def _any_of(table: dict[int, str | None]) -> re.Pattern[str]:
    """A pattern finding any character ``table`` changes: searching for one is a
    fraction of what str.translate costs, and most texts hold none."""
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(table)) + "]")


_DISPLAY_CHARS: Final = _any_of(_DISPLAY_TABLE)
_FORMS_CHARS: Final = _any_of(_FORMS_TABLE)

_SPACE_BEFORE_MARK: Final = re.compile(f" +(?=[{URDU_MARKS}])")
# One space after an Urdu mark glued to a letter ("گیا۔فورم"), or to a number
# that does not continue a number ("مطابق،2024"); "3۔5" stays as written.
_GLUED_AFTER_MARK: Final = re.compile(
    f"([{URDU_MARKS}])(?=[^\\W\\d_])|(?<!\\d)([{URDU_MARKS}])(?=\\d)"
)
_MULTI_SPACE: Final = re.compile(" {2,}")
_SPACE_AT_LINE_EDGE: Final = re.compile(" *\n *")
_MANY_NEWLINES: Final = re.compile("\n{3,}")
_ZWNJ_RUN: Final = re.compile(f"{ZWNJ}+")
_HAS_MARK: Final = re.compile(f"[{URDU_MARKS}]")


def _nfkc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group())


def _joins(ch: str) -> bool:
    """Characters a ZWNJ's neighbours are looked for across: marks sit on the
    letter before them, tatweel is a stretched join."""
    return ch == TATWEEL or is_mark(ch)


def _zwnj_in_context(m: re.Match[str]) -> str:
    """Keep one ZWNJ between two Arabic-script letters (it stops them joining, as
    in compounds); anywhere else it does nothing and goes."""
    s = m.string
    before = m.start() - 1
    while before >= 0 and _joins(s[before]):
        before -= 1
    after = m.end()
    while after < len(s) and s[after] == TATWEEL:
        after += 1
    if (
        before >= 0
        and after < len(s)
        and is_arabic_letter(s[before])
        and is_arabic_letter(s[after])
    ):
        return ZWNJ
    return ""


def _glued_mark(m: re.Match[str]) -> str:
    return (m.group(1) or m.group(2)) + " "


def _tidy_spaces(text: str) -> str:
    """Urdu punctuation spacing, single spaces, at most one blank line (see
    :func:`_tidy`, which runs this after deciding each ZWNJ)."""
    if _HAS_MARK.search(text) is not None:
        text = _SPACE_BEFORE_MARK.sub("", text)
        text = _GLUED_AFTER_MARK.sub(_glued_mark, text)
    if "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AT_LINE_EDGE.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip(" \n")


def _tidy(text: str) -> str:
    """Whitespace of ``text`` after the character tables ran: one ZWNJ where it
    joins letters, Urdu punctuation spacing, single spaces, at most one blank line.

    Each pattern runs only on text holding the character it needs (a substring
    test is a fraction of a regular expression's pass): an English body has no
    Urdu mark, most have no ZWNJ and no run of spaces."""
    if ZWNJ in text:
        text = _ZWNJ_RUN.sub(_zwnj_in_context, text)
    return _tidy_spaces(text)


def normalize_display(text: str) -> str:
    """The form of ``text`` to store and show: as written, apart from whitespace.

    Removes invisible format characters (ZWNJ survives only between two
    Arabic-script letters, across diacritics and tatweel), turns odd spaces and
    newlines into plain ones, strips spaces at line ends, keeps at most one blank
    line, and puts Urdu punctuation (، ؛ ؟ ۔) right after the word with one space
    after it. Every letter, mark, digit and tatweel stays as the page wrote it,
    in the order it wrote it (no Unicode normalisation either: NFC would reorder
    a shadda typed before a fatha).
    """
    if text in _DISPLAYED:
        return text
    out = text.replace("\r\n", "\n")
    if _DISPLAY_CHARS.search(out) is not None:
        out = out.translate(_DISPLAY_TABLE)
    out = _tidy(out)
    if len(_DISPLAYED) >= _DISPLAYED_MAX:
        _DISPLAYED.clear()
    _DISPLAYED.add(out)
    return out


# Recent results of normalize_display, already in display form: it is idempotent,
# and a field is normalised twice on its way to the store (the page's field
# method, then NormalisePipeline), so the second pass costs one hash look-up
# instead of six passes over a whole body.
_DISPLAYED: Final[set[str]] = set()
_DISPLAYED_MAX: Final = 64


def _fold_letters(text: str) -> str:
    """Letter forms folded, whitespace not yet tidied (see :func:`_fold_forms`)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    text = _PRESENTATION_FORM.sub(_nfkc, text)
    if _FORMS_CHARS.search(text) is not None:
        text = text.translate(_FORMS_TABLE)
    # ZWNJ is decided on the folded letters, as it always was (keys must not move).
    if ZWNJ in text:
        text = _ZWNJ_RUN.sub(_zwnj_in_context, text)
    # ی + hamza above is how ئ looks; NFC only composes it from Arabic yeh.
    return unicodedata.normalize("NFC", text.replace("\u06cc\u0654", "\u0626"))


def _fold_forms(text: str) -> str:
    """Letter forms folded, whitespace tidied: the base of every key.

    Arabic letter forms become Urdu (ي ى -> ی, ك -> ک, ه -> ہ, ة -> ۃ),
    presentation forms become letters, tatweel goes, ی + hamza above composes to ئ.
    """
    return _tidy_spaces(_fold_letters(text))


class _KeyTable(dict[int, str | None]):
    """str.translate table for keys, filled in as characters are met, since
    "every punctuation character" is too many to list up front."""

    def __init__(self, punctuation: str | None) -> None:
        super().__init__({**KEY_FOLDS, ord("\n"): " "})
        self._punctuation = punctuation

    def __missing__(self, cp: int) -> str | None:
        value = self._fold(cp)
        self[cp] = value
        return value

    def _fold(self, cp: int) -> str | None:
        if is_diacritic(cp):
            return None
        if cp in DIGITS:
            return DIGITS[cp]
        ch = chr(cp)
        if ch == ZWNJ:
            return " "
        if unicodedata.category(ch).startswith("P"):
            return ch if self._punctuation is None else self._punctuation
        return ch


_KEY_TABLE: Final = _KeyTable(" ")
_FOLD_TABLE: Final = _KeyTable(None)


def match_key(text: str) -> str:
    """A key under which texts that differ only in form are equal.

    Letter forms folded (see :func:`_fold_forms`), without diacritics, with ASCII
    digits, lower-cased, every punctuation character (Latin or Urdu, quotes,
    guillemets) turned into a space and all whitespace collapsed to single
    spaces. ۓ and ئے, and ۂ/ۀ and ہ, fold together.
    """
    # The whitespace tidying of _fold_forms is left out: it only adds, removes or
    # merges spaces and newlines beside Urdu marks and line edges, and here every
    # mark becomes a space and all whitespace collapses to one space anyway.
    text = _fold_letters(text).translate(_KEY_TABLE).lower()
    # Dropping a mark can leave a base and a later mark adjacent that NFC joins.
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


@line_cache(8192)
def fold(text: str) -> str:
    """:func:`match_key` with punctuation and line breaks' spaces kept: letter
    forms, diacritics, digits and case folded, whitespace collapsed. For phrase
    lists matched by regular expressions that need the punctuation."""
    text = _fold_forms(text).translate(_FOLD_TABLE).lower()
    return " ".join(unicodedata.normalize("NFC", text).split())


# Between the letters of a phrase, text may hold what keys drop: diacritics,
# tatweel, invisible characters.
_INSIDE: Final = "[\u064b-\u065f\u0670\u06d6-\u06ed" + re.escape(TATWEEL + INVISIBLE + ZWNJ) + "]*"


@lru_cache(maxsize=1024)
def phrase_pattern(phrase: str) -> str:
    """A regular expression (for re.IGNORECASE) matching ``phrase`` in any spelling
    with the same key: Arabic or Urdu letter forms, any digits, diacritics or
    tatweel between letters, any run of spaces between words, and hamza on or under
    alef written or not. The phrase is given in its folded spelling (:func:`fold`)."""
    parts: list[str] = []
    for ch in fold(phrase):
        if ch == " ":
            parts.append(r"[\s\u200c]+")
            continue
        same = spellings(ch) + "".join(chr(c) for c, to in PHRASE_ALEF.items() if to == ch)
        parts.append(re.escape(ch) if len(same) == 1 else f"[{re.escape(same)}]")
        if is_arabic_letter(ch):
            parts.append(_INSIDE)
    return "".join(parts)


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Urdu (۰-۹) digits as ASCII 0-9; nothing else changes."""
    return text.translate(DIGITS)


# Below this length the two regular expressions beat the array set-up.
_VECTOR_MIN: Final = 256


@cache
def _letter_tables() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For every code point of the Basic Multilingual Plane: is it an
    Arabic-script letter, is it a letter (the two patterns of letters.py, matched
    once over all of them: each matches one character and looks at no other)."""
    plane = "".join(map(chr, range(0x10000)))
    arabic = np.zeros(0x10000, dtype=np.bool_)
    letter = np.zeros(0x10000, dtype=np.bool_)
    arabic[[m.start() for m in ARABIC_LETTER.finditer(plane)]] = True
    letter[[m.start() for m in LETTER.finditer(plane)]] = True
    return arabic, letter


def letter_counts(text: str) -> tuple[int, int]:
    """(Arabic-script letters, all letters) in ``text``; tatweel is no letter.

    A long text is counted with two table look-ups over its code points (numpy)
    rather than a list of every letter it holds."""
    if len(text) >= _VECTOR_MIN:
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if int(points.max()) < 0x10000:
            arabic, letter = _letter_tables()
            return int(arabic[points].sum()), int(letter[points].sum())
    return len(ARABIC_LETTER.findall(text)), len(LETTER.findall(text))


def has_urdu(text: str) -> bool:
    """Whether ``text`` holds at least one Arabic-script letter."""
    return ARABIC_LETTER.search(text) is not None


def urdu_ratio(text: str) -> float:
    """Share of the letters in ``text`` that are Arabic-script (0.0 if none):
    Urdu, Arabic or Persian alike; :mod:`pressbot.text.language` tells them apart."""
    arabic, total = letter_counts(text)
    return arabic / total if total else 0.0
