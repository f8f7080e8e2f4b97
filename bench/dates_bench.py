"""Time pressbot's parse_date against dateparser on the same strings, in one run.

Run by hand:  .venv/bin/python bench/dates_bench.py [-n REPEAT]

Three contenders parse each string REPEAT times:
  pressbot      pressbot.text.dates.parse_date (regex fast path, dateparser fallback)
  dp[ur,en]     dateparser.parse(languages=["ur", "en"], settings as in the fallback)
  dp[auto]      dateparser.parse with no languages (it detects the language itself)
Each is warmed up once per string first, so dateparser's one-off locale loading
is not counted.  Prints ms per parse for each string, mean and median, the ratios,
and the answers that name a different instant (the same instant in another zone,
"00:00+00:00" against "05:00+05:00", counts as agreeing).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import dateparser

from pressbot.text.dates import parse_date

TZ = "Asia/Karachi"
NOW = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo(TZ))

SAMPLES = [
    "11th, July 2025 GMT",
    "06-Sep-2023",
    "4 ستمبر، 2023",
    "جمعہ 11 جولائی 2025",
    "پیر، 29 مئی، 2023",
    "۴ ستمبر ۲۰۲۳",
    "September 4, 2023",
    "4th September, 2023",
    "10 June 2021",
    "12/08/2021",
    "2023-09-04",
    "2023-09-04T10:30:00+05:00",
    "Mon, 04 Sep 2023 10:30:00 +0000",
    "4 ستمبر 2023 10:30 AM",
    "2 گھنٹے پہلے",
    "3 دن قبل",
    "5 minutes ago",
    "اشاعت کی تاریخ:",
    "11th",
    "Monday, the 4th of September 2023",  # not on the fast path: goes to dateparser
    "20 septembrie 2020",
    "15 августа 2016",
    "15 آب/أغسطس 2023",
    "الأربعاء، 14 فيفري 2024",
    "۲۵ مهر ۱۴۰۲",
    "2020-01-08T22:06:08:684Z",
]

SETTINGS: dict[str, Any] = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": TZ,
    "RELATIVE_BASE": NOW,
}


def ours(text: str) -> datetime | None:
    return parse_date(text, now=NOW, tz=TZ)


def dp_languages(text: str) -> datetime | None:
    value: datetime | None = dateparser.parse(text, languages=["ur", "en"], settings=SETTINGS)
    return value


def dp_auto(text: str) -> datetime | None:
    value: datetime | None = dateparser.parse(text, settings=SETTINGS)
    return value


CONTENDERS: dict[str, Callable[[str], datetime | None]] = {
    "pressbot": ours,
    "dp[ur,en]": dp_languages,
    "dp[auto]": dp_auto,
}


def time_one(fn: Callable[[str], datetime | None], text: str, repeat: int) -> float:
    """Milliseconds per call of ``fn(text)``, after one warm-up call."""
    fn(text)
    start = time.perf_counter()
    for _ in range(repeat):
        fn(text)
    return (time.perf_counter() - start) * 1000 / repeat


def show(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "None"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--repeat", type=int, default=50, help="calls per string")
    args = parser.parse_args()

    names = list(CONTENDERS)
    times: dict[str, list[float]] = {n: [] for n in names}
    print(f"{'string':<36}" + "".join(f"{n:>12}" for n in names) + "   (ms per parse)")
    for text in SAMPLES:
        for n, fn in CONTENDERS.items():
            times[n].append(time_one(fn, text, args.repeat))
        print(f"{text[:35]!s:<36}" + "".join(f"{times[n][-1]:>12.3f}" for n in names))

    print("-" * (36 + 12 * len(names)))
    for label, stat in (("mean", statistics.fmean), ("median", statistics.median)):
        values = {n: stat(times[n]) for n in names}
        print(f"{label:<36}" + "".join(f"{values[n]:>12.3f}" for n in names))
        for n in names[1:]:
            print(f"  {label}: {n} / pressbot = {values[n] / values['pressbot']:.0f}x")
    print(f"({len(SAMPLES)} strings x {args.repeat} repetitions each)")

    print("\nanswers naming a different instant from pressbot's:")
    for text in SAMPLES:
        answers = {n: fn(text) for n, fn in CONTENDERS.items()}
        if len({a.timestamp() if a else None for a in answers.values()}) > 1:
            print(f"  {text!r}: " + ", ".join(f"{n}={show(a)}" for n, a in answers.items()))


if __name__ == "__main__":
    main()
