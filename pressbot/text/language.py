"""Which language a text is in: Urdu, Arabic, Persian, English, or mixed.

Two steps, no model. The script first: the share of letters that are
Arabic-script decides between English (any other script counts as English here),
an Arabic-script language, and "mixed" (a bilingual headline). Then, for
Arabic-script text, distinctive evidence: letters only one of the three languages
writes (:mod:`pressbot.text.letters`) and frequent function words
(:mod:`pressbot.lexicon.languages`), each word worth ``WORD_WEIGHT`` letters.

Urdu pages typed with Arabic letters (windows-1256 has no Farsi yeh) still show
Urdu's own letters (ے ں ٹ ڈ ڑ ھ ہ) on almost every line, and their function words
are compared after folding, so they stay Urdu.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, Literal

from pressbot.lexicon.languages import ARABIC_WORDS, PERSIAN_WORDS, URDU_WORDS
from pressbot.text.letters import (
    ARABIC_ONLY_LETTERS,
    ARABIC_YEH,
    PERSIAN_LETTERS,
    TATWEEL,
    URDU_ONLY_LETTERS,
    is_diacritic,
)
from pressbot.text.urdu import fold, letter_counts

__all__ = [
    "EN_MAX_SHARE",
    "LANGUAGES",
    "UR_MIN_SHARE",
    "Language",
    "detect_language",
]

Language = Literal["ur", "ar", "fa", "en", "mixed"]
LANGUAGES: Final[tuple[Language, ...]] = ("ur", "ar", "fa", "en", "mixed")
ArabicScript = Literal["ur", "ar", "fa"]

# Share of Arabic-script letters at or above which text is in an Arabic-script
# language, and at or below which it is English. Urdu paragraphs carry English
# acronyms ("UNDP", "COVID-19"), so the first starts below 100%; a headline of two
# equal halves is mixed.
UR_MIN_SHARE: Final = 0.7
EN_MAX_SHARE: Final = 0.3
# Below this many letters one stray letter would swing the share, so the
# majority script decides (a tie is "mixed").
MIN_LETTERS_FOR_SHARE: Final = 4
# A function word is worth this many distinctive letters: words are rarer than
# letters but surer (one "است" says Persian more than one ژ).
WORD_WEIGHT: Final = 3
# Arabic yeh is Arabic's own, but Urdu pages in windows-1256 write it for ی: it
# counts for Arabic at this weight only.
ARABIC_YEH_WEIGHT: Final = 0.25
# A second Arabic-script language with at least this share of the first one's
# evidence (and at least MIXED_MIN of it) makes the text "mixed".
MIXED_SHARE: Final = 0.5
MIXED_MIN: Final = 12

_TOKEN: Final = re.compile(r"[^\W\d_]+")


# Diacritics and tatweel, deleted by str.translate.
_NOT_SPELLED: Final[dict[int, None]] = {
    cp: None for cp in range(0x0600, 0x0700) if cp == ord(TATWEEL) or is_diacritic(cp)
}


def _bare(token: str) -> str:
    """A token without diacritics and tatweel, as the word lists spell it."""
    return token.translate(_NOT_SPELLED)


@lru_cache(maxsize=1 << 16)
def _word_language(token: str) -> ArabicScript | None:
    """The language whose function words include ``token``, if any. Cached: a few
    hundred words make up most of any text."""
    bare = _bare(token)
    if bare in ARABIC_WORDS:
        return "ar"
    if bare in PERSIAN_WORDS:
        return "fa"
    if fold(bare) in URDU_WORDS:
        return "ur"
    return None


def evidence(text: str) -> dict[ArabicScript, float]:
    """Distinctive letters and function words of Urdu, Arabic and Persian in ``text``."""
    score: dict[ArabicScript, float] = {
        "ur": float(sum(map(text.count, URDU_ONLY_LETTERS))),
        "ar": sum(map(text.count, ARABIC_ONLY_LETTERS))
        + ARABIC_YEH_WEIGHT * text.count(ARABIC_YEH),
        "fa": float(sum(map(text.count, PERSIAN_LETTERS))),
    }
    # ZWNJ splits a token here: Persian writes the verb prefix joined by it ("می‌گوید").
    for token in _TOKEN.findall(text):
        found = _word_language(token)
        if found is not None:
            score[found] += WORD_WEIGHT
    return score


def _arabic_script_language(text: str, hint: str | None) -> Language:
    score = evidence(text)
    ranked = sorted(score.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top == 0:
        # Nothing distinctive (a name, a number and a place): the page's declared
        # language if it is one of the three, else Urdu, what these sites publish.
        return next((lang for lang in score if lang == hint), "ur")
    if second >= MIXED_MIN and second >= MIXED_SHARE * top:
        return "mixed"
    return best


def detect_language(text: str, hint: str | None = None) -> Language:
    """The language of ``text``: "ur", "ar", "fa", "en" or "mixed".

    At least ``UR_MIN_SHARE`` (0.7) of the letters in Arabic script is Urdu,
    Arabic or Persian by their distinctive letters and words; at most
    ``EN_MAX_SHARE`` (0.3) is "en"; in between is "mixed". With fewer than 4
    letters the majority script decides, a tie is "mixed". Text with no letters
    at all (numbers, punctuation) is "mixed": undetermined. ``hint`` (the page's
    declared language, "ur", "ar" or "fa") decides only Arabic-script text that
    holds no distinctive letter or word.
    """
    arabic, total = letter_counts(text)
    if total == 0:
        return "mixed"
    if total < MIN_LETTERS_FOR_SHARE:
        other = total - arabic
        if arabic == other:
            return "mixed"
        return _arabic_script_language(text, hint) if arabic > other else "en"
    share = arabic / total
    if share >= UR_MIN_SHARE:
        return _arabic_script_language(text, hint)
    if share <= EN_MAX_SHARE:
        return "en"
    return "mixed"
