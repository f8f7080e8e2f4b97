"""Dates in press releases: right or absent, never invented.

Three entry points:

* :func:`parse_date` reads a string that *is* a date (a ``<time>`` value, a
  sitemap ``lastmod``, "اشاعت کی تاریخ: 11th, July 2025 GMT").
* :func:`find_date` finds the first date inside a longer line and its span.
* :func:`parse_dateline` reads the place/agency/date opening of a paragraph
  ("پشاور، 4 ستمبر، 2023:", "بیجنگ(نیوز ڈیسک)", "ISLAMABAD:").

The common shapes are read by compiled regexes on a folded copy of the text
(Urdu digits made ASCII, Arabic letter forms made Urdu, diacritics, tatweel and
invisible characters dropped).  Only :func:`parse_date` falls back to
dateparser, and keeps its answer only when the day, month and year it returns
are all visible in the text.  Numeric dates are day-first (Pakistani usage)
unless they start with a four-digit year.  A date without a zone is local time
in ``tz``; a date without a time is local midnight.  Years before 1990 and
dates more than a day after ``now`` are rejected; relative dates ("2 گھنٹے
پہلے") need ``now``.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from pressbot.lexicon import calendar as cal
from pressbot.lexicon import places
from pressbot.text.letters import (
    ARABIC_TO_URDU,
    DIGITS,
    INVISIBLE,
    NEWLINES,
    SPACES,
    TATWEEL,
    ZWNJ,
    is_diacritic,
)
from pressbot.text.urdu import normalize_display

__all__ = [
    "DEFAULT_TZ",
    "FUTURE_SLACK",
    "MAX_YEAR",
    "MIN_YEAR",
    "Dateline",
    "find_date",
    "parse_date",
    "parse_dateline",
]

DEFAULT_TZ: Final = "Asia/Karachi"
# Press releases on these sites start in the 1990s; earlier years are history
# mentioned in the text ("1947") or a misread number.
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100
# Local dates near midnight and servers a few hours ahead of the fetch clock
# can put a real date up to a day after ``now``; more than that is an error.
FUTURE_SLACK: Final = timedelta(days=1)

_DATEPARSER_LANGUAGES: Final = ("ur", "en")


# --- folding ----------------------------------------------------------------------
# Text is folded one character at a time so that every folded position maps back
# to a position in the original (for spans and dateline ends).

_FOLD_TABLE: Final[dict[int, str | None]] = {
    **DIGITS,
    **ARABIC_TO_URDU,
    **{ord(c): " " for c in SPACES},
    **{ord(c): "\n" for c in NEWLINES},
    # Invisible characters, tatweel, ZWNJ and diacritics leave no trace in a date.
    **{ord(c): None for c in INVISIBLE + TATWEEL + ZWNJ},
    **{cp: None for cp in range(0x064B, 0x06EE) if is_diacritic(cp)},
}
# Characters that are dropped or expanded: only text holding one of these needs
# the slow, position-tracking fold.
_SLOW_CHARS: Final = re.compile(
    "[\u00ad\u061c\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufb50-\ufdf9\ufe70-\ufeff]"
)
_PRESENTATION_FORM: Final = re.compile("[\ufb50-\ufdf9\ufe70-\ufefe]")
# Marks that make a different letter rather than decorate one: keep their effect
# when the text arrives decomposed (ی + ٔ is ئ, ا + ٓ is آ).
_COMPOSE: Final[dict[tuple[str, str], str]] = {
    ("\u06cc", "\u0654"): "\u0626",
    ("\u06d2", "\u0654"): "\u06d3",
    ("\u06c1", "\u0654"): "\u06c2",
    ("\u0648", "\u0654"): "\u0624",
    ("\u0627", "\u0654"): "\u0623",
    ("\u0627", "\u0653"): "\u0622",
}


@dataclass(frozen=True, slots=True)
class _Folded:
    text: str
    # index[i] is the original position of folded character i; None = identity.
    index: tuple[int, ...] | None
    original_length: int

    def original(self, pos: int) -> int:
        """Original position of folded position ``pos`` (a slice boundary)."""
        if self.index is None:
            return pos
        return self.index[pos] if pos < len(self.index) else self.original_length

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


def _fold(text: str) -> _Folded:
    if _SLOW_CHARS.search(text) is None:
        return _Folded(text.translate(_FOLD_TABLE), None, len(text))
    # Only the slow characters are folded one by one: between them, every character
    # folds to exactly one (see _SLOW_CHARS), so a run is translated whole and its
    # positions are a range. Urdu text holds ZWNJ and diacritics on most lines.
    out: list[str] = []
    index: list[int] = []
    done = 0
    for m in _SLOW_CHARS.finditer(text):
        i = m.start()
        if i > done:
            out.extend(text[done:i].translate(_FOLD_TABLE))
            index.extend(range(done, i))
        done = i + 1
        ch = text[i]
        if out and (out[-1], ch) in _COMPOSE:
            out[-1] = _COMPOSE[out[-1], ch]
            continue
        if _PRESENTATION_FORM.match(ch):
            ch = unicodedata.normalize("NFKC", ch)
        for c in ch.translate(_FOLD_TABLE):
            out.append(c)
            index.append(i)
    if done < len(text):
        out.extend(text[done:].translate(_FOLD_TABLE))
        index.extend(range(done, len(text)))
    return _Folded("".join(out), tuple(index), len(text))


def _key(word: str) -> str:
    """A lexicon entry folded the way text is, for lookups."""
    return _fold(word).text.lower()


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "جولائی" is tried before "جولائ" and "sept" before "sep".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_UNITS: Final = {
    _key(k): v for k, v in {**cal.URDU_RELATIVE_UNITS, **cal.ENGLISH_RELATIVE_UNITS}.items()
}
_NUMBER_WORDS: Final = {_key(k): v for k, v in cal.NUMBER_WORDS.items()}
_DAY_PARTS: Final = {_key(k): v for k, v in cal.DAY_PARTS.items()}
_TIMEZONES: Final = {k.lower(): v for k, v in cal.TIMEZONES.items()}
_TODAY: Final = {_key(w) for w in cal.TODAY_WORDS}
_YESTERDAY: Final = {_key(w) for w in cal.YESTERDAY_WORDS}
_AMBIGUOUS_DAYS: Final = {_key(w) for w in cal.AMBIGUOUS_DAY_WORDS}


def _keyed(*tables: dict[str, int]) -> dict[str, int]:
    return {_key(k): v for table in tables for k, v in table.items()}


# Always read: the languages pressbot's sources write (Urdu, English, Arabic of
# every region, Persian) and the European ones seen on syndicated copies.
_BASE_MONTHS: Final = _keyed(
    cal.URDU_MONTHS,
    cal.ENGLISH_MONTHS,
    cal.ARABIC_MONTHS,
    cal.PERSIAN_MONTHS,
    cal.ROMANIAN_MONTHS,
    cal.RUSSIAN_MONTHS,
)
_BASE_WEEKDAYS: Final = frozenset(
    _keyed(
        cal.URDU_WEEKDAYS,
        cal.ENGLISH_WEEKDAYS,
        cal.ARABIC_WEEKDAYS,
        cal.PERSIAN_WEEKDAYS,
        cal.ROMANIAN_WEEKDAYS,
        cal.RUSSIAN_WEEKDAYS,
    )
)
_JALALI_MONTHS: Final = _keyed(cal.JALALI_MONTHS)


# --- patterns ---------------------------------------------------------------------
# All run on folded text (ASCII digits, plain spaces) with IGNORECASE.  Date parts
# are separated by spaces, commas (Latin or Urdu), dots, hyphens or slashes, but
# never by a newline: a date does not continue on the next line.

_NOT_AFTER_LETTER: Final = r"(?<![^\W\d_])"
_NOT_BEFORE_LETTER: Final = r"(?![^\W\d_])"
_SEP: Final = r"[ ,،.\-/]{0,4}"
_DAY: Final = r"(?P<day>[0-3]?[0-9])(?![0-9])(?:st|nd|rd|th)?"
# "16 de diciembre de 2012", "the 4th of September".
_CONNECTOR: Final = rf"(?:(?:{_alternation(cal.DATE_CONNECTORS)}) )?"
# "سنہ 2023" ("the year 2023") and "2023ء" (ء abbreviates عیسوی, "AD").
_YEAR: Final = r"(?:سنہ[ ]*)?(?P<year>[0-9]{4})(?![0-9])(?:[ ]?ء)?"
_DAY_PART_RE: Final = _alternation(_DAY_PARTS)
_AMPM: Final = rf"[ap]\.?m\.?{_NOT_BEFORE_LETTER}"
# A clock time after the date: "10:30 AM", "10:30:00+05:00" (ISO, RFC 2822),
# "5 pm", "شام 5 بجے" ("5 in the evening").  Fractions of a second may follow a
# colon as well as a dot: "22:06:08:684Z" is a CMS's broken ISO, still a time.
_TIME: Final = (
    r"(?:(?:T|[ ,،]+(?:at |بوقت )?)(?:"
    r"(?P<hour>[0-2]?[0-9]):(?P<minute>[0-5][0-9])(?::(?P<second>[0-5][0-9])(?:[.:,][0-9]+)?)?"
    rf"(?:[ ]?(?P<ampm>{_AMPM}))?"
    r"(?:[ ]?(?P<offset>Z(?![^\W\d_])|[+-][0-9]{2}:?[0-9]{2}(?![0-9])))?"
    rf"|(?P<hour2>[01]?[0-9])[ ]?(?P<ampm2>{_AMPM})"
    rf"|(?P<part>{_DAY_PART_RE})[ ]*(?P<hour3>[01]?[0-9])(?::(?P<minute3>[0-5][0-9]))?[ ]*"
    rf"{re.escape(cal.OCLOCK_WORD)}"
    r"))?"
)
# A zone after the date or time: "GMT", "(PKT)", "GMT+5".
_ZONE: Final = (
    rf"(?:[ ]*\(?(?P<zone>{_alternation(_TIMEZONES)})"
    r"(?:[ ]*(?P<zsign>[+-])[ ]*(?P<zh>[0-9]{1,2})(?::?(?P<zm>[0-9]{2}))?)?"
    rf"\)?{_NOT_BEFORE_LETTER})?"
)
_SUFFIX: Final = _TIME + _ZONE
_FLAGS: Final = re.IGNORECASE

# (?P<ymd>) marks the year-first form: its order is never in doubt.
_YMD_NUMERIC: Final = (
    r"(?P<ymd>)(?<![0-9.])(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<mon>[0-9]{1,2})"
    r"(?P=sep)(?P<day>[0-9]{1,2})(?![0-9])"
)
# Day first, as Pakistan writes it; a two-digit year only with - or /, since
# "3.5.21" is more often a version or a section number than a date.  Whether
# "07/05/2020" is May or July depends on the locale (see _numeric_order).
_DMY_NUMERIC: Final = (
    r"(?<![0-9.])(?P<day>[0-9]{1,2})(?P<sep>[-/.])(?P<mon>[0-9]{1,2})"
    r"(?P=sep)(?P<year>[0-9]{4}|[0-9]{2})(?![0-9])(?!(?P=sep)[0-9])"
)
# Chinese, Japanese and Korean pages write dates with unit characters.
_CJK: Final = (
    r"(?<![0-9])(?P<year>[0-9]{4})[ ]?[年년][ ]?(?P<mon>[0-9]{1,2})[ ]?[月월][ ]?"
    r"(?P<day>[0-9]{1,2})[ ]?[日일]"
)


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The month names and date patterns of one reading (a language, or the base)."""

    months: dict[str, int]
    absolute: tuple[re.Pattern[str], ...]
    partial: tuple[re.Pattern[str], ...]
    month_word: re.Pattern[str]
    # How "07/05/2020" reads: "DMY", "MDY", or None when the locale is unknown
    # and such a date is refused (a date with a part over 12 reads either way).
    order: str | None


def _make_grammar(months: dict[str, int], weekdays: Iterable[str], order: str | None) -> _Grammar:
    names = _alternation(months)
    # One month name, or two naming the same month: "آب/أغسطس", "آب (أغسطس)".
    mon = (
        rf"(?P<mon>{names}){_NOT_BEFORE_LETTER}\.?"
        rf"(?:[ ]?/[ ]?(?P<mon2>{names}){_NOT_BEFORE_LETTER}"
        rf"|[ ]?\([ ]?(?P<mon3>{names})[ ]?\))?"
    )
    weekday = (
        rf"(?:{_NOT_AFTER_LETTER}(?P<weekday>{_alternation(weekdays)}){_NOT_BEFORE_LETTER}"
        r"\.?[ ,،]*)?"
    )
    jalali = (
        rf"{weekday}(?<![0-9]){_DAY}{_SEP}(?P<jmon>{_alternation(_JALALI_MONTHS)})"
        rf"{_NOT_BEFORE_LETTER}{_SEP}(?P<year>1[34][0-9]{{2}})(?![0-9])"
    )
    forms = (
        rf"{weekday}(?<![0-9]){_DAY}{_SEP}{_CONNECTOR}{mon}{_SEP}{_CONNECTOR}{_YEAR}",
        rf"{weekday}{_NOT_AFTER_LETTER}{mon}{_SEP}{_DAY}{_SEP}{_YEAR}",
        weekday + _YMD_NUMERIC,
        weekday + _DMY_NUMERIC,
        jalali,
        _CJK,
    )
    return _Grammar(
        months=months,
        absolute=tuple(re.compile(form + _SUFFIX, _FLAGS) for form in forms),
        # Day and month without a year ("ISLAMABAD, Sep 4 (APP):"): a dateline
        # shape, but no date can be made of it without inventing the year.
        partial=(
            re.compile(rf"{weekday}(?<![0-9]){_DAY}{_SEP}{mon}", _FLAGS),
            re.compile(rf"{weekday}{_NOT_AFTER_LETTER}{mon}{_SEP}{_DAY}", _FLAGS),
        ),
        month_word=re.compile(rf"{_NOT_AFTER_LETTER}(?:{names}){_NOT_BEFORE_LETTER}", _FLAGS),
        order=order,
    )


_BASE: Final = _make_grammar(_BASE_MONTHS, _BASE_WEEKDAYS, "DMY")

_MONTH_KEYS: Final = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_KEYS: Final = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_NAME: Final = re.compile(r"[^\W\d_]+(?:[ .][^\W\d_]+)?\.?")


def _split_language(language: str) -> tuple[str, str]:
    parts = language.strip().lower().replace("_", "-").split("-")
    return parts[0], parts[1] if len(parts) > 1 else ""


def _locale_info(base: str) -> dict[str, object]:
    """dateparser's calendar words for a language, or {} when it has none."""
    try:
        from dateparser.languages.loader import default_loader

        info: dict[str, object] = dict(default_loader.get_locale(base).info)
    except Exception:  # unknown code, or data missing: read the base grammar only
        return {}
    return info


def _numeric_order(base: str, region: str, info: dict[str, object]) -> str | None:
    """How an all-number date with day and month both up to 12 reads on a page."""
    if base in ("", "ur"):
        return "DMY"  # pressbot's sources: Pakistan writes the day first
    if base == "en":
        if not region:
            return None  # "en" alone may be American or British: refuse
        return "MDY" if region in ("us", "ph") else "DMY"
    order = str(info.get("date_order") or "DMY")
    return "MDY" if order.startswith("M") else "DMY"


@lru_cache(maxsize=64)
def _grammar(language: str | None) -> _Grammar:
    """The base grammar, extended with the month and weekday names dateparser knows
    for ``language`` (a page's declared or detected language, "de", "pt-BR")."""
    if not language:
        return _BASE
    base, region = _split_language(language)
    info = _locale_info(base)
    months = dict(_BASE_MONTHS)
    weekdays = set(_BASE_WEEKDAYS)
    for number, name in enumerate(_MONTH_KEYS, start=1):
        for word in info.get(name) or ():  # type: ignore[attr-defined]
            key = _key(str(word)).rstrip(".")
            # Only words: dateparser lists a few numerals and symbols too.
            if _NAME.fullmatch(key) and len(key) >= 3 and key not in months:
                months[key] = number
    for name in _WEEKDAY_KEYS:
        for word in info.get(name) or ():  # type: ignore[attr-defined]
            key = _key(str(word)).rstrip(".")
            if _NAME.fullmatch(key) and len(key) >= 3:
                weekdays.add(key)
    order = _numeric_order(base, region, info)
    if months == _BASE_MONTHS and weekdays == _BASE_WEEKDAYS and order == _BASE.order:
        return _BASE
    return _make_grammar(months, weekdays, order)


_RELATIVE: Final = re.compile(
    rf"(?<!\w)(?P<num>[0-9]{{1,3}}|{_alternation(_NUMBER_WORDS)})[ ]*"
    rf"(?P<unit>{_alternation(_UNITS)}){_NOT_BEFORE_LETTER}[ ]*"
    rf"(?P<ago>{_alternation(_key(w) for w in cal.AGO_WORDS)}){_NOT_BEFORE_LETTER}",
    _FLAGS,
)
_DAY_WORD: Final = re.compile(_alternation(_TODAY | _YESTERDAY), _FLAGS)

# What may surround a date in a string that is a date: a label ending in a colon
# ("اشاعت کی تاریخ:", "Updated on:"), prefix words ("مورخہ", "Dated"), brackets.
_LABEL: Final = re.compile(r"^[^0-9:：\n]{1,40}[:：]")
_PREFIX_WORDS: Final = re.compile(
    rf"^(?:(?:{_alternation(_key(w) for w in cal.DATE_PREFIX_WORDS)}){_NOT_BEFORE_LETTER}[ ]*)+",
    _FLAGS,
)
_EDGE_PUNCT: Final = " \n.,،۔:;؛-–—|[]()"
_DIGITS: Final = re.compile(r"[0-9]+")


# --- building datetimes -------------------------------------------------------------


@lru_cache(maxsize=32)
def _zone(name: str) -> tzinfo:
    if name.upper() in ("UTC", "GMT"):
        return UTC
    return ZoneInfo(name)


def _local_now(now: datetime | None, zone: tzinfo) -> datetime | None:
    if now is None:
        return None
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


def _plausible(value: datetime, now: datetime | None) -> bool:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return False
    return now is None or value <= now + FUTURE_SLACK


def _year(text: str, sep: str | None) -> int | None:
    year = int(text)
    if len(text) == 4:
        return year
    if sep == ".":
        return None
    # Two-digit years: the 1990s or this century (older ones are rejected anyway).
    return 1900 + year if year >= 90 else 2000 + year


def _month(text: str, months: dict[str, int] = _BASE_MONTHS) -> int | None:
    if text.isdigit():
        return int(text)
    return months.get(text.lower().rstrip("."))


# --- the solar Hijri (Jalali) calendar ----------------------------------------------
# Leap years follow the 33-year cycle, which agrees with the astronomical
# calendar Iran uses for every year from 1343 to 1472 SH: the years whose
# remainder by 33 is one of these.
_JALALI_LEAP_REMAINDERS: Final = frozenset({1, 5, 9, 13, 17, 22, 26, 30})
# 1 Farvardin 1403 was 20 March 2024 (Nowruz).
_JALALI_ANCHOR: Final = (1403, date(2024, 3, 20))


def _jalali_leap(year: int) -> bool:
    return year % 33 in _JALALI_LEAP_REMAINDERS


def jalali_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a solar Hijri date, or None if there is no such day.

    Months 1-6 have 31 days, 7-11 have 30, Esfand 29 (30 in a leap year)."""
    if not 1 <= month <= 12 or day < 1:
        return None
    length = 31 if month <= 6 else 30 if month <= 11 else (30 if _jalali_leap(year) else 29)
    if day > length:
        return None
    anchor_year, nowruz = _JALALI_ANCHOR
    offset = 0
    if year >= anchor_year:
        offset = sum(366 if _jalali_leap(y) else 365 for y in range(anchor_year, year))
    else:
        offset = -sum(366 if _jalali_leap(y) else 365 for y in range(year, anchor_year))
    offset += (month - 1) * 31 if month <= 7 else 186 + (month - 7) * 30
    return nowruz + timedelta(days=offset + day - 1)


def _hour_for_part(part: str, hour: int) -> int | None:
    """24-hour clock for "<part of day> <hour> بجے", or None when unsure.

    Night hours 12 and 1-5 belong to the next calendar day as often as not
    ("رات 2 بجے" after a day's events), so they give no time at all.
    """
    if not 1 <= hour <= 12:
        return None
    kind = _DAY_PARTS.get(_key(part))
    if kind == "morning":
        return hour if hour < 12 else None
    if kind == "noon":
        return hour + 12 if hour <= 5 else (hour if hour >= 11 else None)
    if kind == "afternoon":
        return hour + 12 if hour <= 7 else (12 if hour == 12 else None)
    if kind == "evening":
        return hour + 12 if hour < 12 else None
    if kind == "night":
        return hour + 12 if 6 <= hour <= 11 else None
    return None


def _twelve_hour(hour: int, ampm: str) -> int | None:
    if not 1 <= hour <= 12:
        return None
    pm = ampm.lower().startswith("p")
    return (hour % 12) + (12 if pm else 0)


def _clock(g: dict[str, str | None]) -> tuple[int, int, int] | None:
    """The time of day in a match, or None when it is absent or unusable."""
    if g.get("hour") is not None:
        hour, minute = int(g["hour"] or 0), int(g["minute"] or 0)
        second = int(g["second"] or 0)
        if g.get("ampm"):
            h12 = _twelve_hour(hour, g["ampm"] or "")
            return None if h12 is None else (h12, minute, second)
        return (hour, minute, second) if hour <= 23 else None
    if g.get("hour2") is not None:
        h12 = _twelve_hour(int(g["hour2"] or 0), g["ampm2"] or "")
        return None if h12 is None else (h12, 0, 0)
    if g.get("hour3") is not None:
        h24 = _hour_for_part(g["part"] or "", int(g["hour3"] or 0))
        return None if h24 is None else (h24, int(g["minute3"] or 0), 0)
    return None


def _fixed_offset(sign: str, hours: int, minutes: int) -> tzinfo | None:
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    if not delta:
        return UTC
    return timezone(-delta if sign == "-" else delta)


def _zone_of(g: dict[str, str | None], default: tzinfo) -> tzinfo | None:
    """The zone a match names, ``default`` if none; None if it names a bad one."""
    offset = g.get("offset")
    if offset:
        if offset.upper() == "Z":
            return UTC
        digits = offset[1:].replace(":", "")
        return _fixed_offset(offset[0], int(digits[:2]), int(digits[2:]))
    name = g.get("zone")
    if name:
        if g.get("zsign"):
            return _fixed_offset(g["zsign"] or "+", int(g["zh"] or 0), int(g["zm"] or 0))
        return _zone(_TIMEZONES[name.lower()])
    return default


def _day_month(g: dict[str, str | None], grammar: _Grammar) -> tuple[int, int] | None:
    """(day, month) of a match, read in the grammar's order; None if unreadable."""
    month = _month(g["mon"] or "", grammar.months)
    if month is None:
        return None
    for other in (g.get("mon2"), g.get("mon3")):
        # "آب/أغسطس": both names must be the same month.
        if other and _month(other, grammar.months) != month:
            return None
    day = int(g["day"] or 0)
    if not g.get("sep") or not (g["mon"] or "").isdigit() or g.get("ymd") is not None:
        return day, month
    # An all-number date with the day first by default: "12/08/2021".
    if month > 12 and day <= 12 and g["sep"] == "/":
        return month, day  # "12/31/2020" reads one way only
    if day <= 12 and month <= 12 and day != month and grammar.order != "DMY":
        if grammar.order is None:
            return None  # "07/05/2020" on a page of unknown locale: May or July
        return month, day
    return day, month


def _build(m: re.Match[str], default_zone: tzinfo, grammar: _Grammar = _BASE) -> datetime | None:
    """The datetime an absolute-date match stands for, or None if it is no date."""
    g = m.groupdict()
    zone = _zone_of(g, default_zone)
    if zone is None:
        return None
    if g.get("jmon"):
        low, high = cal.JALALI_YEARS
        jyear = int(g["year"] or 0)
        jmonth = _JALALI_MONTHS.get((g["jmon"] or "").lower())
        if not low <= jyear <= high or jmonth is None:
            return None
        civil = jalali_to_gregorian(jyear, jmonth, int(g["day"] or 0))
        return None if civil is None else datetime(*civil.timetuple()[:3], tzinfo=zone)
    year = _year(g["year"] or "", g.get("sep"))
    day_month = _day_month(g, grammar)
    if year is None or day_month is None:
        return None
    day, month = day_month
    # A time that is present but unusable leaves the date standing, at midnight.
    hour, minute, second = _clock(g) or (0, 0, 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:  # 32 جولائی, 31 September, month 13
        return None


def _months_before(now: datetime, months: int) -> datetime:
    y, m = divmod(now.year * 12 + now.month - 1 - months, 12)
    return now.replace(year=y, month=m + 1, day=min(now.day, monthrange(y, m + 1)[1]))


def _relative(m: re.Match[str], now: datetime) -> datetime | None:
    num = m.group("num")
    amount = int(num) if num.isdigit() else _NUMBER_WORDS[_key(num)]
    unit = _UNITS[_key(m.group("unit"))]
    try:
        if unit == "months":
            return _months_before(now, amount)
        if unit == "years":
            return _months_before(now, 12 * amount)
        return now - timedelta(**{unit: amount})
    except (ValueError, OverflowError):
        return None


# --- parse_date -----------------------------------------------------------------------


def _strip_surroundings(text: str) -> str:
    text = text.strip(_EDGE_PUNCT)
    label = _LABEL.match(text)
    if label:
        text = text[label.end() :].strip(_EDGE_PUNCT)
    prefix = _PREFIX_WORDS.match(text)
    if prefix:
        text = text[prefix.end() :]
    return text.strip(_EDGE_PUNCT)


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _visible(value: datetime, text: str, grammar: _Grammar = _BASE) -> bool:
    """Whether day, month and year of ``value`` are all written in ``text``, so
    that a dateparser answer took nothing from the clock or a default."""
    numbers = _DIGITS.findall(text)
    year = str(value.year) in numbers or any(
        len(n) == 2 and int(n) == value.year % 100 for n in numbers
    )
    day = any(len(n) <= 2 and int(n) == value.day for n in numbers)
    month = any(len(n) <= 2 and int(n) == value.month for n in numbers) or any(
        grammar.months.get(w.group().lower()) == value.month
        for w in grammar.month_word.finditer(text)
    )
    return year and day and month


def _worth_asking(text: str, grammar: _Grammar = _BASE) -> bool:
    """Whether ``text`` could hold a day, a month and a year written separately:
    two numbers and a month name, or three numbers.  Anything less can't pass
    :func:`_visible`, so dateparser is not asked ("11th", "July 2025", "3.5")."""
    numbers = len(_DIGITS.findall(text))
    return numbers >= 3 or (numbers == 2 and grammar.month_word.search(text) is not None)


def _languages(language: str | None) -> list[str]:
    """dateparser's languages for a page: always Urdu and English, and the page's."""
    langs = list(_DATEPARSER_LANGUAGES)
    if language:
        base = _split_language(language)[0]
        if base not in langs and _locale_info(base):
            langs.append(base)
    return langs


def _dateparser(
    text: str, now: datetime | None, tz: str, zone: tzinfo, language: str | None
) -> datetime | None:
    import dateparser  # imported late: slow to load and only needed for rare shapes

    settings: dict[str, object] = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "MDY" if _grammar(language).order == "MDY" else "DMY",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": tz,
    }
    if now is not None:
        settings["RELATIVE_BASE"] = now
    try:
        value = dateparser.parse(text, languages=_languages(language), settings=settings)
    except Exception:  # a fallback parser's bug must cost one date, not the crawl
        return None
    if not isinstance(value, datetime) or not _visible(value, text, _grammar(language)):
        return None
    return value.astimezone(zone) if value.tzinfo is not None else value.replace(tzinfo=zone)


def parse_date(
    text: str,
    *,
    now: datetime | None = None,
    tz: str = DEFAULT_TZ,
    language: str | None = None,
) -> datetime | None:
    """The date ``text`` states, as an aware datetime, or None.

    ``text`` is the date, optionally behind a label ("Updated on: 06-Sep-2023")
    or a prefix word ("مورخہ"), with a weekday before it and a time or zone
    after it.  Relative dates ("2 گھنٹے پہلے", "5 minutes ago", "آج",
    "گزشتہ روز") resolve against ``now`` and are None without it; "کل" is
    yesterday or tomorrow and is always None.  A naive ``now`` is taken as local
    time in ``tz``.  ``language`` (the page's, "de", "en-US") adds the month names
    dateparser knows for it and sets how an all-number date reads.
    """
    if not text or not text.strip():
        return None
    zone = _zone(tz)
    local_now = _local_now(now, zone)
    body = _strip_surroundings(_fold(text).text)
    if not body or body.lower() in _AMBIGUOUS_DAYS:
        return None

    grammar = _grammar(language)
    for pattern in grammar.absolute:
        m = pattern.fullmatch(body)
        if m:
            # The shape is a date; if its numbers are no date, nothing else is.
            value = _build(m, zone, grammar)
            return value if value is not None and _plausible(value, local_now) else None

    rel = _RELATIVE.fullmatch(body)
    day_word = None if rel else _DAY_WORD.fullmatch(body)
    if rel or day_word:
        if local_now is None:
            return None
        if rel:
            value = _relative(rel, local_now)
        else:
            today = _midnight(local_now)
            value = today if _key(body) in _TODAY else today - timedelta(days=1)
        return value if value is not None and _plausible(value, local_now) else None

    if not _worth_asking(body, grammar):
        return None
    value = _dateparser(body, local_now, tz, zone, language)
    return value if value is not None and _plausible(value, local_now) else None


# --- find_date ---------------------------------------------------------------------------


_ASCII_DIGIT: Final = re.compile("[0-9]")


def _matches(text: str, patterns: Iterable[re.Pattern[str]]) -> Iterator[re.Match[str]]:
    """Matches of all ``patterns`` in ``text``, leftmost first, longest first."""
    found = [m for p in patterns for m in p.finditer(text)]
    found.sort(key=lambda m: (m.start(), -m.end()))
    return iter(found)


def find_date(
    text: str,
    *,
    now: datetime | None = None,
    tz: str = DEFAULT_TZ,
    relative: bool = True,
    language: str | None = None,
) -> tuple[datetime, tuple[int, int]] | None:
    """The first date in ``text`` and its (start, end) span in ``text``, or None.

    Absolute dates in any shape :func:`parse_date` reads on its fast path,
    weekday, time and zone included in the span.  Relative dates ("3 دن قبل")
    count only when ``now`` is given and ``relative`` is true: in running prose
    they are relative to the article, not to ``now``, so pass ``relative=False``
    for body text.  Invalid or implausible dates are skipped.  Bare "آج"/"today"
    are not searched for: in a sentence they mean the article's day.
    ``language`` as for :func:`parse_date`.
    """
    if not text:
        return None
    zone = _zone(tz)
    local_now = _local_now(now, zone)
    folded = _fold(text)
    grammar = _grammar(language)
    # Every absolute form holds a day or a year in ASCII digits (folded): a text
    # without one is not searched for them.
    patterns: tuple[re.Pattern[str], ...] = (
        grammar.absolute if _ASCII_DIGIT.search(folded.text) else ()
    )
    if relative and local_now is not None:
        patterns = (*patterns, _RELATIVE)
    for m in _matches(folded.text, patterns):
        if m.re is _RELATIVE:
            assert local_now is not None
            value = _relative(m, local_now)
        else:
            value = _build(m, zone, grammar)
        if value is not None and _plausible(value, local_now):
            return value, folded.span(m.start(), m.end())
    return None


# --- parse_dateline ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dateline:
    """The opening "place, date:" or "place (agency)" of a paragraph.

    ``end`` is the position in the line where the body starts: after the
    closing ":" / "-" / "—" or ")" and the spaces after it.
    """

    place: str | None
    date: datetime | None
    end: int
    agency: str | None = None


_MAX_PLACE_WORDS: Final = 3
_MAX_PLACE_CHARS: Final = 25
_MAX_AGENCY_WORDS: Final = 4
# Without a gazetteer entry, "X: …" is a dateline only before a real sentence.
_MIN_BODY_WORDS: Final = 3

_PLACE_WORD: Final = re.compile(r"[^\W\d_]+(?:[.'’\-][^\W\d_]+)*\.?")
_WORD_GAP: Final = re.compile(r" (?=[^\W\d_])")
_COMMA: Final = re.compile(r"[ ]*[,،][ ]*")
_AGENCY: Final = re.compile(r"[ ]*\([ ]*(?P<agency>[^()\n:]{1,40}?)[ ]*\)")
_SEPARATOR: Final = re.compile(r"[ ]*(?:[:：]|[-–—](?= |$))")
_LATIN: Final = re.compile(r"[A-Za-z]")


def _place_key(text: str) -> str:
    return _key(text).replace(" ", "").replace("\u200c", "")


_GAZETTEER: Final = frozenset(_place_key(p) for p in places.PLACES_UR | places.PLACES_EN)
_AGENCY_KEYS: Final = frozenset(_place_key(a) for a in places.AGENCIES)
_AGENCY_WORDS: Final = frozenset(_key(w) for w in places.AGENCY_KEYWORDS)
_NOT_PLACE: Final = frozenset(_key(w) for w in places.NOT_PLACE_WORDS)
_CONTINUATIONS: Final = frozenset(_key(w) for w in places.SENTENCE_CONTINUATIONS)


def _in_gazetteer(place: str) -> bool:
    return _place_key(place) in _GAZETTEER


def _looks_like_place(place: str) -> bool:
    """A short name: one script, no digits, capitalised if Latin, and none of
    the words that make a label, a title or a sentence."""
    words = place.split()
    if not 1 <= len(words) <= _MAX_PLACE_WORDS or len(place) > _MAX_PLACE_CHARS:
        return False
    if _in_gazetteer(place):
        return True
    latin = [bool(_LATIN.match(w)) for w in words]
    if any(latin) and not all(latin):
        return False
    if all(latin) and not all(w[0].isupper() for w in words):
        return False
    return not any(w.lower().strip(".") in _NOT_PLACE for w in words)


def _is_agency(agency: str) -> bool:
    words = agency.split()
    if not 1 <= len(words) <= _MAX_AGENCY_WORDS:
        return False
    return _place_key(agency) in _AGENCY_KEYS or any(w.lower() in _AGENCY_WORDS for w in words)


def _first_word(text: str, pos: int) -> str:
    m = _PLACE_WORD.match(text, pos)
    return m.group().lower() if m else ""


def _place_ends(text: str, start: int) -> list[int]:
    """Ends of the first one, two and three words from ``start``."""
    ends: list[int] = []
    pos = start
    while len(ends) < _MAX_PLACE_WORDS:
        word = _PLACE_WORD.match(text, pos)
        if word is None:
            break
        ends.append(word.end())
        gap = _WORD_GAP.match(text, word.end())
        if gap is None:
            break
        pos = gap.end()
    return ends


@dataclass(frozen=True, slots=True)
class _Shape:
    end: int  # folded position where the body starts
    date: datetime | None
    agency: tuple[int, int] | None  # folded span of the agency text


@dataclass(frozen=True, slots=True)
class _DateAt:
    end: int
    value: datetime | None  # None if the numbers are no date or implausible
    complete: bool  # False for day and month without a year


def _date_at(
    text: str, pos: int, zone: tzinfo, now: datetime | None, *, partial: bool = False
) -> _DateAt | None:
    """A date starting exactly at ``pos``; with ``partial``, also one without a year."""
    best: re.Match[str] | None = None
    for pattern in _BASE.absolute:
        m = pattern.match(text, pos)
        if m and (best is None or m.end() > best.end()):
            best = m
    if best is not None:
        value = _build(best, zone)
        ok = value is not None and _plausible(value, now)
        return _DateAt(best.end(), value if ok else None, True)
    if partial:
        for pattern in _BASE.partial:
            m = pattern.match(text, pos)
            if m:
                return _DateAt(m.end(), None, False)
    return None


def _body_start(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \n":
        pos += 1
    return pos


def _comma_date_shape(text: str, pos: int, zone: tzinfo, now: datetime | None) -> _Shape | None:
    """Place, comma, date: "پشاور، 4 ستمبر، 2023:", "ISLAMABAD, Sep 4 (APP):"."""
    comma = _COMMA.match(text, pos)
    if comma is None:
        return None
    dated = _date_at(text, comma.end(), zone, now, partial=True)
    if dated is None:
        return None
    end = dated.end
    agency = _AGENCY.match(text, end)
    if agency:
        end = agency.end()
    sep = _SEPARATOR.match(text, end)
    if sep:
        end = sep.end()
    elif agency is None and (
        # No closing mark: fine after a full date unless the sentence goes on
        # ("پشاور، 4 ستمبر 2023 کو …"); a bare day and month needs the mark.
        not dated.complete or _first_word(text, _body_start(text, end)) in _CONTINUATIONS
    ):
        return None
    span = (agency.start("agency"), agency.end("agency")) if agency else None
    return _Shape(_body_start(text, end), dated.value, span)


def _agency_shape(
    text: str, pos: int, place: str, zone: tzinfo, now: datetime | None
) -> _Shape | None:
    """Place and bracketed agency: "بیجنگ(نیوز ڈیسک) …", "لاہور (اے پی پی) …"."""
    agency = _AGENCY.match(text, pos)
    if agency is None:
        return None
    end = agency.end()
    comma = _COMMA.match(text, end)
    dated = _date_at(text, comma.end() if comma else _body_start(text, end), zone, now)
    if dated is not None:
        end = dated.end
    sep = _SEPARATOR.match(text, end)
    if sep:
        end = sep.end()
    body = _body_start(text, end)
    if _first_word(text, body) in _CONTINUATIONS:
        return None  # "پشاور (خیبر پختونخوا) میں …" is a sentence
    # A known agency is enough; a known place with an unknown bracket needs a
    # closing mark or a date, else "پشاور (کے پی) پولیس نے" would pass.
    if not _is_agency(agency.group("agency")) and not (
        _in_gazetteer(place) and (sep is not None or dated is not None)
    ):
        return None
    value = dated.value if dated is not None else None
    return _Shape(body, value, (agency.start("agency"), agency.end("agency")))


def _colon_shape(text: str, pos: int, place: str) -> _Shape | None:
    """Place and colon or dash: "اسلام آباد: …", "بیجنگ : …", "ISLAMABAD - …"."""
    sep = _SEPARATOR.match(text, pos)
    if sep is None:
        return None
    body = _body_start(text, sep.end())
    if not _in_gazetteer(place) and len(text[body:].split()) < _MIN_BODY_WORDS:
        return None
    return _Shape(body, None, None)


def _dateline_shape(
    text: str, start: int, place_end: int, zone: tzinfo, now: datetime | None
) -> _Shape | None:
    place = text[start:place_end]
    if not _looks_like_place(place):
        return None
    return (
        _comma_date_shape(text, place_end, zone, now)
        or _agency_shape(text, place_end, place, zone, now)
        or _colon_shape(text, place_end, place)
    )


def parse_dateline(
    line: str, *, now: datetime | None = None, tz: str = DEFAULT_TZ
) -> Dateline | None:
    """The dateline opening ``line``, or None if the line opens with none.

    Shapes: "پشاور، 4 ستمبر، 2023: …", "Islamabad, September 4, 2023: …",
    "اسلام آباد: …", "ISLAMABAD: …", "بیجنگ(نیوز ڈیسک) …", "لاہور (اے پی پی) …",
    and a bare date "4 ستمبر 2023: …" (no place).  The place is one to three
    words, at most 25 characters, at the very start; "پشاور میں پولیس نے …" is a
    sentence and gives None.
    """
    if not line:
        return None
    zone = _zone(tz)
    local_now = _local_now(now, zone)
    folded = _fold(line)
    text = folded.text
    start = _body_start(text, 0)

    dated = _date_at(text, start, zone, local_now)
    if dated is not None:
        sep = _SEPARATOR.match(text, dated.end)
        if sep is None:
            return None
        return Dateline(None, dated.value, folded.original(_body_start(text, sep.end())))

    for place_end in _place_ends(text, start):
        shape = _dateline_shape(text, start, place_end, zone, local_now)
        if shape is None:
            continue
        o_start, o_end = folded.span(start, place_end)
        agency = None
        if shape.agency is not None:
            a_start, a_end = folded.span(*shape.agency)
            agency = normalize_display(line[a_start:a_end]) or None
        return Dateline(
            place=normalize_display(line[o_start:o_end]) or None,
            date=shape.date,
            end=folded.original(shape.end),
            agency=agency,
        )
    return None
