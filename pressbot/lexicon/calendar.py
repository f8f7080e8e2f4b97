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

# Arabic month names differ by region; a date may name one or two of them
# ("15 آب/أغسطس 2023", "15 آب (أغسطس) 2023": Levant papers print both).
# Written with hamza and Arabic yeh as the press writes them; the parser folds
# أ/إ to ا and ي/ى to ی, so plain spellings match too.
ARABIC_MONTHS: Final[dict[str, int]] = {
    # Egypt, Sudan, the Gulf (from the Latin names)
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4,
    "ابريل": 4,
    "إبريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونية": 6,
    "يوليو": 7,
    "يولية": 7,
    "أغسطس": 8,
    "اغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    # Levant and Iraq (Syriac-derived)
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "أيلول": 9,
    "ايلول": 9,
    "تشرين الأول": 10,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
    "كانون الاول": 12,
    # Algeria and Tunisia (French-derived)
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "افريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "جويليه": 7,
    "أوت": 8,
    "اوت": 8,
    # September to December as in Egypt (listed above)
    # Morocco (French-derived, spelled its own way)
    "يوليوز": 7,
    "غشت": 8,
    "شتنبر": 9,
    "نونبر": 11,
    "دجنبر": 12,
}

# Gregorian months as Persian writes them (Iran, Afghanistan).
PERSIAN_MONTHS: Final[dict[str, int]] = {
    "ژانویه": 1,
    "ژانویهٔ": 1,
    "فوریه": 2,
    "مارس": 3,
    "آوریل": 4,
    "مه": 5,
    "مهٔ": 5,
    "ژوئن": 6,
    "ژوئیه": 7,
    "ژوئیهٔ": 7,
    "اوت": 8,
    "آگوست": 8,
    "سپتامبر": 9,
    "اکتبر": 10,
    "نوامبر": 11,
    "دسامبر": 12,
}

# Solar Hijri (Jalali) months, the civil calendar of Iran and Afghanistan:
# "۲۵ مهر ۱۴۰۲". Such a date is converted to the Gregorian day it names; the
# year must look Jalali (see JALALI_YEARS) so that "دی" ("gave" in Urdu) or
# "تیر" ("arrow") in a sentence never reads as a month.
JALALI_MONTHS: Final[dict[str, int]] = {
    "فروردین": 1,
    "اردیبهشت": 2,
    "خرداد": 3,
    "تیر": 4,
    "مرداد": 5,
    "امرداد": 5,
    "شهریور": 6,
    "مهر": 7,
    "آبان": 8,
    "آذر": 9,
    "دی": 10,
    "بهمن": 11,
    "اسفند": 12,
}
# Jalali years a press date may carry (1369 SH began in March 1990).
JALALI_YEARS: Final[tuple[int, int]] = (1369, 1479)

# European languages met on syndicated copies, as the examples write
# them: Romanian, and Russian in the genitive a date uses ("15 августа 2016").
# Other languages are read with dateparser's data for the page's language.
ROMANIAN_MONTHS: Final[dict[str, int]] = {
    "ianuarie": 1,
    "februarie": 2,
    "martie": 3,
    "aprilie": 4,
    "mai": 5,
    "iunie": 6,
    "iulie": 7,
    "august": 8,
    "septembrie": 9,
    "octombrie": 10,
    "noiembrie": 11,
    "decembrie": 12,
    "ian": 1,
    "febr": 2,
    "mart": 3,
    "apr": 4,
    "iun": 6,
    "iul": 7,
    "aug": 8,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

RUSSIAN_MONTHS: Final[dict[str, int]] = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
    "январь": 1,
    "февраль": 2,
    "март": 3,
    "апрель": 4,
    "май": 5,
    "июнь": 6,
    "июль": 7,
    "август": 8,
    "сентябрь": 9,
    "октябрь": 10,
    "ноябрь": 11,
    "декабрь": 12,
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

ARABIC_WEEKDAYS: Final[dict[str, int]] = {
    "الاثنين": 0,
    "الإثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
    "الاحد": 6,
}

# Persian writes compound weekdays with or without a zero-width non-joiner;
# the parser drops it, so the joined spelling covers both.
PERSIAN_WEEKDAYS: Final[dict[str, int]] = {
    "دوشنبه": 0,
    "سه شنبه": 1,
    "سهشنبه": 1,
    "چهارشنبه": 2,
    "پنجشنبه": 3,
    "پنج شنبه": 3,
    "جمعه": 4,
    "شنبه": 5,
    "یکشنبه": 6,
}

ROMANIAN_WEEKDAYS: Final[dict[str, int]] = {
    "luni": 0,
    "marți": 1,
    "miercuri": 2,
    "joi": 3,
    "vineri": 4,
    "sâmbătă": 5,
    "duminică": 6,
}

RUSSIAN_WEEKDAYS: Final[dict[str, int]] = {
    "понедельник": 0,
    "вторник": 1,
    "среда": 2,
    "четверг": 3,
    "пятница": 4,
    "суббота": 5,
    "воскресенье": 6,
}

# Words that may stand before a date without a colon: "مورخہ 4 ستمبر 2023"
# ("dated"), "بروز جمعہ" ("on Friday"), "Dated 10-06-2021".
DATE_PREFIX_WORDS: Final[frozenset[str]] = frozenset(
    {"مورخہ", "بتاریخ", "تاریخ", "بروز", "dated", "on", "updated", "published", "posted"}
)

# Words between the parts of a date: "the 4th of September", "16 de diciembre
# de 2012" (Spanish, Portuguese).
DATE_CONNECTORS: Final[frozenset[str]] = frozenset({"of", "de", "del"})

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
