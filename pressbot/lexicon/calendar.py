"""Calendar words for date parsing: months, weekdays, relative time, time zones.

Data only. :mod:`pressbot.text.dates` folds every key the same way it folds the
text it reads (Arabic letter forms to Urdu ones, diacritics dropped, Latin
lower-cased), so the Arabic-letter spellings below are redundant for normalised
input. They stay listed so that the data says what the parser accepts.
"""

from __future__ import annotations

from typing import Final

# Month name -> month number.  Spellings seen on Pakistani sites; "مئ" and
# "جولائ" are common truncations of "مئی"/"جولائی" (the final yeh dropped).
URDU_MONTHS: Final[dict[str, int]] = {
    "جنوری": 1,
    "جنوري": 1,
    "فروری": 2,
    "فروري": 2,
    "فبروری": 2,
    "مارچ": 3,
    "اپریل": 4,
    "اپريل": 4,
    "مئی": 5,
    "مئ": 5,
    "مئي": 5,
    "مءی": 5,
    "جون": 6,
    "جولائی": 7,
    "جولائ": 7,
    "جولائي": 7,
    "جولاءی": 7,
    "جولای": 7,
    "اگست": 8,
    "ستمبر": 9,
    "اکتوبر": 10,
    "اكتوبر": 10,
    "نومبر": 11,
    "دسمبر": 12,
}

ENGLISH_MONTHS: Final[dict[str, int]] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

# Weekday name -> datetime.weekday() number (Monday is 0).  "ہفتہ" is Saturday
# and also "week"; as a prefix before a date it can only be the weekday.
URDU_WEEKDAYS: Final[dict[str, int]] = {
    "پیر": 0,
    "پير": 0,
    "سوموار": 0,
    "منگل": 1,
    "بدھ": 2,
    "بدھوار": 2,
    "جمعرات": 3,
    "جمعہ": 4,
    "جمعه": 4,
    "جمعۃ": 4,
    "جمعة": 4,
    "ہفتہ": 5,
    "ہفته": 5,
    "سنیچر": 5,
    "اتوار": 6,
}

ENGLISH_WEEKDAYS: Final[dict[str, int]] = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}

# Words that may stand before a date without a colon: "مورخہ 4 ستمبر 2023"
# ("dated"), "بروز جمعہ" ("on Friday"), "Dated 10-06-2021".
DATE_PREFIX_WORDS: Final[frozenset[str]] = frozenset(
    {"مورخہ", "بتاریخ", "تاریخ", "بروز", "dated", "on", "updated", "published", "posted"}
)

# Relative time: unit word -> unit name (a datetime.timedelta keyword, or
# "months"/"years", which need calendar arithmetic).
URDU_RELATIVE_UNITS: Final[dict[str, str]] = {
    "سیکنڈ": "seconds",
    "سیکنڈز": "seconds",
    "منٹ": "minutes",
    "منٹس": "minutes",
    "گھنٹہ": "hours",
    "گھنٹے": "hours",
    "گھنٹا": "hours",
    "گھنٹوں": "hours",
    "دن": "days",
    "دنوں": "days",
    "روز": "days",
    "ہفتہ": "weeks",
    "ہفتے": "weeks",
    "ہفتوں": "weeks",
    "ماہ": "months",
    "مہینہ": "months",
    "مہینے": "months",
    "مہینوں": "months",
    "سال": "years",
    "سالوں": "years",
    "برس": "years",
}

ENGLISH_RELATIVE_UNITS: Final[dict[str, str]] = {
    "second": "seconds",
    "seconds": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "minute": "minutes",
    "minutes": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "hour": "hours",
    "hours": "hours",
    "hr": "hours",
    "hrs": "hours",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}

# "… پہلے" / "… قبل" / "… ago": the amount is that long before now.
AGO_WORDS: Final[frozenset[str]] = frozenset({"پہلے", "قبل", "ago"})

# Spelled-out amounts in relative expressions ("ایک گھنٹہ پہلے", "an hour ago").
NUMBER_WORDS: Final[dict[str, int]] = {
    "ایک": 1,
    "دو": 2,
    "تین": 3,
    "چار": 4,
    "پانچ": 5,
    "چھ": 6,
    "سات": 7,
    "آٹھ": 8,
    "نو": 9,
    "دس": 10,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

TODAY_WORDS: Final[frozenset[str]] = frozenset({"آج", "today"})
# "گزشتہ روز" is news Urdu for "yesterday" (literally "the past day").
YESTERDAY_WORDS: Final[frozenset[str]] = frozenset({"گزشتہ روز", "گذشتہ روز", "yesterday"})
# "کل" is both yesterday and tomorrow, "پرسوں"/"ترسوں" both two/three days
# either way: the text alone can't say which, so these never resolve.
AMBIGUOUS_DAY_WORDS: Final[frozenset[str]] = frozenset({"کل", "پرسوں", "ترسوں"})

# Time-zone words -> IANA zone.  PST on these sites is Pakistan Standard Time
# (UTC+5), not US Pacific time.
TIMEZONES: Final[dict[str, str]] = {
    "GMT": "UTC",
    "UTC": "UTC",
    "PKT": "Asia/Karachi",
    "PST": "Asia/Karachi",
}

# Urdu parts of the day, used as "شام 5 بجے" ("5 in the evening").
DAY_PARTS: Final[dict[str, str]] = {
    "صبح": "morning",
    "دوپہر": "noon",
    "سہ پہر": "afternoon",
    "سہپہر": "afternoon",
    "شام": "evening",
    "رات": "night",
}
# "… بجے" = "… o'clock".
OCLOCK_WORD: Final[str] = "بجے"
