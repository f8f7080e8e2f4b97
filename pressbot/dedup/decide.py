"""Is a candidate pair the same story?  And the LSH index that proposes candidates.

:func:`same_story` is applied to the candidates the LSH index returns.  A pair is
the same story when its exact shingle Jaccard reaches the threshold and no fact
differs.  Syndicated copies differ where editors work: datelines ("پشاور (نمائندہ
خصوصی)" / "پشاور، 4 ستمبر، 2023:"), agency and source lines, boilerplate at either
end, a sentence dropped or added, spelling, spacing and function words.  A
rewrite that keeps the wording but swaps a number, a name or a place is another
story, however high its Jaccard.  So the two token sequences are aligned
(difflib) and each region where they differ is classified:

* words only inserted or only deleted: editing;
* many words changed on both sides (more than ``MAX_SUBSTITUTION``): a rewritten
  passage, editing;
* a few words changed on both sides: a *substitution*, a fact change when
  - both sides hold digit runs and they differ ("5 کلو" / "7 کلو"), or number words
    and they differ ("14 ارب" / "14 کروڑ"); digits on one side only are a
    rewording ("1 کلو 200 گرام" / "سوا کلو").  Dates (a year, or next to a month
    name) and counters ("Post Views: 3") in the first and last words of a text,
    where datelines and page furniture live, do not count;
  - both sides hold a content word (not a function word, number word, unit,
    month, agency or boilerplate word) that is no spelling or spacing variant of
    one on the other side ("خیبرپختونخوا" / "خیبر پختونخوا", "کیے" / "کئے", a
    one-letter typo).  Urdu has no capitals, so a name cannot be told from any
    other content word: every content-word swap counts, except at a text's edges
    next to a credit ("ذریعہ: Daily Mumtaz" / "(اے پی پی)");
* a few words changed on one side, many on the other (a sentence added next to
  a swap), away from the edges: a fact change if the few words' numbers or
  content words do not reappear in the passage.

Neighbouring differences one word or a few function words apart form one region,
so a sentence dropped where another was added is one passage, not a string of
word swaps held apart by a matching "نے".  The price of the design: a copy
editor's synonym ("اجلاس" / "میٹنگ") reads as a fact change, so such copies are
kept apart (precision before recall).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Final, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from pressbot.db.models import LshBandRow
from pressbot.dedup.minhash import K, jaccard, shingles
from pressbot.lexicon.calendar import ENGLISH_MONTHS, URDU_MONTHS, URDU_WEEKDAYS
from pressbot.lexicon.furniture import CREDIT_LABEL_WORDS, FURNITURE_WORDS
from pressbot.lexicon.places import AGENCIES, AGENCY_KEYWORDS
from pressbot.text.letters import SKELETON
from pressbot.text.urdu import match_key

__all__ = [
    "HEAD_WORDS",
    "MAX_SUBSTITUTION",
    "TAIL_WORDS",
    "THRESHOLD",
    "Decision",
    "MemoryLshIndex",
    "SqlLshIndex",
    "fact_change",
    "same_story",
]

# Exact 3-shingle Jaccard a copy must reach.  On the labelled set copies go down to
# 0.42 (two copies of a short release each cut differently) and different releases
# on one topic up to 0.37; 0.45 keeps those apart on Jaccard alone, leaving the
# fact check for rewrites (0.73 and up) and formulaic siblings (up to 0.72).
THRESHOLD: Final = 0.45
# Datelines, headline remnants and page furniture sit in the first and last words.
HEAD_WORDS: Final = 10
TAIL_WORDS: Final = 12
# More changed content words than this (or twice as many words in all) on both
# sides of a region is a rewritten passage (sentence-level edits are what copy
# editors do); up to this many, a substitution.  Function words are not counted,
# so "نے کہا" / "کا کہنا تھا" next to a swapped name leaves it a swap.  Over 24
# seeds of the labelled set, 3 lets 8 fact rewrites through and 2 lets 17 (names of
# two or three words side by side); 5 and 6 keep them all out but lose copies.
MAX_SUBSTITUTION: Final = 4
# Differences up to this many function words apart are one region (see _regions).
_GLUE_WORDS: Final = 3


@dataclass(frozen=True)
class Decision:
    """Whether two texts are one story, their exact Jaccard, and why, in words."""

    same: bool
    jaccard: float
    reason: str


def _keys(words: Iterable[str]) -> frozenset[str]:
    """Match-key tokens of lexicon entries, so they compare with text tokens."""
    return frozenset(t for w in words for t in match_key(w).split())


def _word_list(text: str) -> frozenset[str]:
    """A whitespace-separated word list, as match-key tokens."""
    return _keys(text.split())


# Function words, auxiliaries, light and reporting verbs, approximators: what
# copy editors change freely.  Data, in match-key spelling.
_FUNCTION_WORDS: Final = _word_list(
    """
    کا کی کے کو نے سے میں پر تک والا والی والے وار کر کرکے بھی ہی تو نہ نہیں مت
    اور یا لیکن مگر بلکہ جبکہ جب کہ تاہم چنانچہ کیونکہ اگر اگرچہ تب تاکہ البتہ نیز سمیت بشمول
    ہم تم آپ وہ یہ اس ان انہوں انہیں اسے انہی ہمیں مجھے جو جس جن جنہوں جنہیں جسے کون کیا
    کوئی کسی کچھ سب تمام ہر دیگر دوسرے دوسری دوسرا خود اپنا اپنی اپنے ہمارا ہماری ہمارے
    ہے ہیں تھا تھی تھے تھیں ہو ہوا ہوئی ہوئے ہوئیں ہوں ہوگا ہوگی ہونگے ہوتا ہوتی ہوتے ہونا ہونے
    گا گی گے گیا گئی گئ گئے گئیں جا جاتا جاتی جاتے جائے جاۓ جائیں جانا جانے جاچکا
    رہا رہی رہے رہیں رہتا رہتی رہتے رہنا
    کیا کی کیے کئے کیئے کرتا کرتی کرتے کرنا کرنے کریں کرے کرو کرکے کردیا کردی کرلیا
    دیا دی دیے دیئے دینا دینے دیں دے دیتا دیتی دیتے دیگا دیدیا
    لیا لی لیے لئے لینا لینے لیں لے لیتا لیتی لیتے
    سکا سکی سکے سکتا سکتی سکتے سکیں چکا چکی چکے چکیں پایا پائی پائے
    کہا کہنا کہنے کہتے کہتا کہتی بتایا بتائی بتاتے بتانا بقول مطابق کہنا
    اب پھر مزید بہت زیادہ کم قریب تقریباً تقریبا لگ بھگ زائد صرف محض فوری فوراً ابھی یہاں وہاں
    جہاں دوران بعد پہلے قبل ساتھ ہمراہ ذریعے ذریعہ طرف جانب حوالے حوالہ سلسلے سلسلہ بارے
    علاوہ باعث وجہ تحت درمیان بجائے خلاف بغیر طرح طور موقع روز دن
    ایسا ایسی ایسے جیسا جیسی جیسے ویسے یوں وغیرہ غیر
    """
)
# Number words: compared as numbers, never as names.
_NUMBER_WORDS: Final = _word_list(
    """
    ایک دو تین چار پانچ چھ سات آٹھ نو دس گیارہ بارہ تیرہ چودہ پندرہ سولہ سترہ اٹھارہ انیس
    بیس تیس چالیس پچاس ساٹھ ستر اسی نوے سو ہزار لاکھ کروڑ ارب کھرب سوا ڈیڑھ ڈھائی آدھا
    آدھی نصف درجن سینکڑوں سیکڑوں ہزاروں لاکھوں کروڑوں پہلا پہلی دوسرا تیسرا چوتھا پانچواں
    """
)
# Units go with the number they measure; the number carries the fact.
_UNITS: Final = _word_list(
    """
    کلو گرام کلوگرام ملی لیٹر میٹر کلومیٹر فٹ انچ ڈگری فیصد روپے روپیہ ڈالر بوتل بوتلیں
    گھنٹے گھنٹوں منٹ سیکنڈ ہفتے ماہ مہینے سال سالوں برس عدد
    """
)
# Page furniture, agencies, calendar words: differences here are never facts. The
# furniture list is dedup's own (pressbot/lexicon/furniture.py), not the boilerplate
# phrase lists, so a phrase added to clean bodies does not change this check.
_FURNITURE: Final = (
    _keys(FURNITURE_WORDS)
    | _keys(AGENCIES)
    | _keys(AGENCY_KEYWORDS)
    | _keys(URDU_MONTHS)
    | _keys(ENGLISH_MONTHS)
    | _keys(URDU_WEEKDAYS)
    | _keys(["gmt", "th", "st", "nd", "rd", "post", "views", "updated", "on", "مناظر", "ویوز"])
)
# Words of a credit or source line ("ذریعہ: Daily Mumtaz", "(اے پی پی)", "رپورٹ: …"):
# at a text's edges, a swap next to one of them is a credit, not a fact.
_CREDIT_WORDS: Final = (
    _keys(CREDIT_LABEL_WORDS)
    | _keys(AGENCIES)
    | _keys(AGENCY_KEYWORDS)
    | _keys(["روزنامہ", "اخبار", "daily", "ذرائع"])
)
_CREDIT_CONTEXT: Final = 3  # words before a span that may hold the credit's label
_NOT_CONTENT: Final = _FUNCTION_WORDS | _NUMBER_WORDS | _UNITS | _FURNITURE
_DATE_WORDS: Final = _keys(URDU_MONTHS) | _keys(ENGLISH_MONTHS) | _keys(URDU_WEEKDAYS)
_COUNTER_WORDS: Final = _keys(["views", "مناظر", "ویوز", "gmt", "th", "st", "nd", "rd"])

_DIGITS: Final = re.compile(r"\d+")
_YEAR: Final = re.compile(r"(?:19|20)\d\d")
# Letters Urdu writers interchange without changing the word (pressbot/text/letters.py).
# Runs of one letter collapse ("دیئے").
_SKELETON: Final = str.maketrans(SKELETON)
_REPEAT: Final = re.compile(r"([^\W\d_])\1+")  # letters only: "200" is not "20"
# "اسٹیشن"/"سٹیشن", "خیبرپختونخواہ"/"خیبرپختونخوا": a prothetic alef and a silent
# final heh after alef come and go between writers.
_PROTHETIC: Final = re.compile(r"^ا(?=س[ٹتپکط])")
_SILENT_HEH: Final = re.compile(r"(?<=ا)ہ$")


def _skeleton(word: str) -> str:
    s = _REPEAT.sub(r"\1", word.translate(_SKELETON))
    return _SILENT_HEH.sub("", _PROTHETIC.sub("", s))


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance at most 1 (one letter inserted, deleted or replaced)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


def _variant(a: str, b: str) -> bool:
    """Spelling variants or a typo: same skeleton, or (for words of four or more
    letters with the same first letter) one edit apart."""
    sa, sb = _skeleton(a), _skeleton(b)
    if sa == sb:
        return True
    return min(len(sa), len(sb)) >= 4 and sa[0] == sb[0] and _within_one_edit(sa, sb)


def _is_content(token: str) -> bool:
    return len(token) > 1 and not _DIGITS.search(token) and token not in _NOT_CONTENT


def _span_numbers(
    tokens: Sequence[str], lo: int, hi: int, at_edge: bool
) -> tuple[list[str], list[str]]:
    """Digit runs and number words of tokens[lo:hi].  At the text's edges, digit runs
    of dates (a year, or next to a month or weekday name) and counters are left out."""
    digits = []
    for i in range(lo, hi):
        for run in _DIGITS.findall(tokens[i]):
            if at_edge:
                near = tokens[max(0, i - 2) : i + 3]
                if _YEAR.fullmatch(run) or any(t in _DATE_WORDS for t in near):
                    continue
                if i > 0 and tokens[i - 1] in _COUNTER_WORDS:
                    continue
            digits.append(run)
    words = [t for t in tokens[lo:hi] if t in _NUMBER_WORDS]
    return digits, words


def _unexplained(words_a: list[str], words_b: list[str]) -> list[str]:
    """Content words of one side with no spelling variant on the other side."""
    return [w for w in words_a if not any(_variant(w, v) for v in words_b)]


def _credit_near(tokens: Sequence[str], lo: int, hi: int) -> bool:
    return any(t in _CREDIT_WORDS for t in tokens[max(0, lo - _CREDIT_CONTEXT) : hi])


@dataclass
class _Region:
    """Neighbouring differences: a[i1:i2] against b[j1:j2].  ``words_*`` words are
    inside difflib's non-equal opcodes, ``content_*`` of them not function words."""

    i1: int
    i2: int
    j1: int
    j2: int
    words_a: int = 0
    words_b: int = 0
    content_a: int = 0
    content_b: int = 0

    def add(self, a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int) -> None:
        self.i2, self.j2 = i2, j2
        self.words_a += i2 - i1
        self.words_b += j2 - j1
        self.content_a += sum(t not in _FUNCTION_WORDS for t in a[i1:i2])
        self.content_b += sum(t not in _FUNCTION_WORDS for t in b[j1:j2])

    def long_sides(self) -> tuple[bool, bool]:
        """Which sides changed too much for a swap: more than MAX_SUBSTITUTION
        content words, or twice as many words in all."""
        return (
            self.content_a > MAX_SUBSTITUTION or self.words_a > 2 * MAX_SUBSTITUTION,
            self.content_b > MAX_SUBSTITUTION or self.words_b > 2 * MAX_SUBSTITUTION,
        )


def _regions(a: Sequence[str], b: Sequence[str]) -> list[_Region]:
    """Differing regions of two token sequences: difflib's non-equal opcodes, with
    neighbours joined across a few shared function words, and an insertion or
    deletion joined to its neighbour across one shared word.

    A sentence dropped where another was added otherwise shows as several short
    "replacements" held apart by a matching "نے" or "کو", and would look like
    swapped words; a name swapped for one sharing a word ("گل زمان" / "عمر گل")
    shows as an insertion and a deletion, and would look like editing."""
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    regions: list[_Region] = []
    run: Sequence[str] | None = None  # the equal run before this opcode
    last_tag = ""
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            run = a[i1:i2]
            continue
        joined = (
            run is not None
            and bool(regions)
            and (
                (len(run) <= _GLUE_WORDS and all(t in _FUNCTION_WORDS for t in run))
                or (len(run) == 1 and "replace" not in (tag, last_tag))
            )
        )
        if not joined:
            regions.append(_Region(i1, i2, j1, j2))
        regions[-1].add(a, b, i1, i2, j1, j2)
        run, last_tag = None, tag
    return regions


def _describe(a: Sequence[str], b: Sequence[str], r: _Region) -> str:
    return f"{' '.join(a[r.i1 : r.i2])!r} -> {' '.join(b[r.j1 : r.j2])!r} at word {r.i1}"


def fact_change(a: Sequence[str], b: Sequence[str]) -> str | None:
    """The first substituted fact between two token sequences, described; None if
    the differences are all editing."""
    for r in _regions(a, b):
        if r.i1 == r.i2 or r.j1 == r.j2:
            continue  # words inserted or deleted, nothing put in their place
        long_a, long_b = r.long_sides()
        if long_a and long_b:
            continue  # a rewritten passage
        span_a, span_b = a[r.i1 : r.i2], b[r.j1 : r.j2]
        if _skeleton("".join(span_a)) == _skeleton("".join(span_b)):
            continue  # spacing: "خیبرپختونخوا" / "خیبر پختونخوا"
        head = r.i1 < HEAD_WORDS or r.j1 < HEAD_WORDS
        tail = r.i2 > len(a) - TAIL_WORDS or r.j2 > len(b) - TAIL_WORDS
        digits_a, nwords_a = _span_numbers(a, r.i1, r.i2, head or tail)
        digits_b, nwords_b = _span_numbers(b, r.j1, r.j2, head or tail)
        content_a = [t for t in span_a if _is_content(t)]
        content_b = [t for t in span_b if _is_content(t)]
        if long_a or long_b:
            if head or tail:
                continue  # headlines, boilerplate and datelines come and go at the edges
            # A sentence added (or dropped) next to a few changed words: those few
            # words must reappear in the passage, or they were replaced.
            short_d, long_d = (digits_b, digits_a) if long_a else (digits_a, digits_b)
            short_c, long_c = (content_b, content_a) if long_a else (content_a, content_b)
            if short_d and long_d and Counter(short_d) - Counter(long_d):
                return f"number {' '.join(short_d)} gone {_describe(a, b, r)}"
            passage = _skeleton("".join(span_a if long_a else span_b))
            gone = [w for w in _unexplained(short_c, long_c) if _skeleton(w) not in passage]
            if gone:
                return f"words {' '.join(gone)!r} gone {_describe(a, b, r)}"
            continue
        if digits_a and digits_b and Counter(digits_a) != Counter(digits_b):
            return f"number {' '.join(digits_a)} -> {' '.join(digits_b)} {_describe(a, b, r)}"
        if nwords_a and nwords_b and Counter(nwords_a) != Counter(nwords_b):
            return f"number {' '.join(nwords_a)} -> {' '.join(nwords_b)} {_describe(a, b, r)}"
        if (head or tail) and (_credit_near(a, r.i1, r.i2) or _credit_near(b, r.j1, r.j2)):
            continue  # a dateline's or source line's credit changed
        if not content_a or not content_b:
            continue
        if _skeleton("".join(content_a)) == _skeleton("".join(content_b)):
            continue  # function words changed around a spacing variant
        if _unexplained(content_a, content_b) or _unexplained(content_b, content_a):
            return f"words {_describe(a, b, r)}"
    return None


def same_story(key_a: str, key_b: str, *, threshold: float = THRESHOLD, k: int = K) -> Decision:
    """Decide on two match keys (:func:`pressbot.text.urdu.match_key`)."""
    j = jaccard(shingles(key_a, k), shingles(key_b, k))
    if j < threshold:
        return Decision(False, j, f"jaccard {j:.2f} below {threshold:.2f}")
    change = fact_change(key_a.split(), key_b.split())
    if change is not None:
        return Decision(False, j, f"jaccard {j:.2f} but a fact differs: {change}")
    return Decision(True, j, f"jaccard {j:.2f}, no fact differs")


# --- candidate index ---------------------------------------------------------------------


_LSH_TABLE: Final = cast(Table, LshBandRow.__table__)


class SqlLshIndex:
    """The candidate index in the database: the one implementation the store, the
    tests and the benchmarks all use.

    SQLite keeps a row per key (``lsh_bands``, a ``WITHOUT ROWID`` table keyed by
    (key, record)); PostgreSQL a row per record with its keys in an array under a
    GIN index (``lsh_sets``), about half the bytes per key (see
    :class:`pressbot.db.models.LshSetRow`). Look-ups are set-based: the keys of a
    whole batch go to the database as one parameter (an array on PostgreSQL, a JSON
    list read by ``json_each`` on SQLite), so a batch of 500 new pages costs one
    query. Writes are one ``COPY`` (PostgreSQL) or one ``executemany`` of tuples
    (SQLite). The caller owns the session and the transaction.
    """

    def add(self, session: Session, record_id: int, band_keys: Iterable[int]) -> None:
        self.add_many(session, [(record_id, band_keys)])

    def add_many(self, session: Session, items: Iterable[tuple[int, Iterable[int]]]) -> None:
        # Two bands can hash alike; each key is stored once per record.
        records = [(record_id, list(dict.fromkeys(keys))) for record_id, keys in items]
        if not records:
            return
        conn = session.connection()
        dbapi: Any = conn.connection.dbapi_connection
        if conn.dialect.name == "postgresql":
            # psycopg 3: COPY is not in the DB-API. The rows are written as COPY's
            # text (ids and arrays of integers need no escaping): psycopg's
            # adaptation of each list, an element at a time, cost more than the COPY.
            copy = "COPY lsh_sets (record_id, keys) FROM STDIN"
            data = "".join(
                f"{record_id}\t{{{','.join(map(str, keys))}}}\n" for record_id, keys in records
            )
            with dbapi.cursor() as cur, cur.copy(copy) as cp:
                cp.write(data)
            return
        # In key order: each b-tree page the batch touches is then visited once, in
        # turn, instead of at random for every row.
        rows = sorted((key, record_id) for record_id, keys in records for key in keys)
        cur = dbapi.cursor()
        try:
            cur.executemany("INSERT INTO lsh_bands (key, record_id) VALUES (?, ?)", rows)
        finally:
            cur.close()

    def remove(self, session: Session, record_id: int, band_keys: Iterable[int]) -> None:
        """Drop a record's keys (before adding those of its changed text). SQLite finds
        them by key: ``band_keys`` are the keys of the text being replaced."""
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "DELETE FROM lsh_sets WHERE record_id = %(rid)s", {"rid": record_id}
            )
            return
        conn.exec_driver_sql(
            "DELETE FROM lsh_bands WHERE record_id = ? AND key IN (SELECT value FROM json_each(?))",
            (record_id, json.dumps(sorted(set(band_keys)))),
        )

    def owners(self, session: Session, keys: Iterable[int]) -> dict[int, list[int]]:
        """Stored record ids per band key, for the keys that have any."""
        wanted = sorted(set(keys))
        out: dict[int, list[int]] = {}
        if not wanted:
            return out
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            # One GIN probe per key. (``keys && <all keys>`` is one condition the
            # planner cannot estimate, and it scans the whole table instead.)
            result = conn.exec_driver_sql(
                "SELECT q.k, s.record_id FROM unnest(%(keys)s::integer[]) AS q(k) "
                "JOIN lsh_sets s ON s.keys @> ARRAY[q.k]",
                {"keys": wanted},
            )
        else:
            result = conn.exec_driver_sql(
                "SELECT key, record_id FROM lsh_bands "
                "WHERE key IN (SELECT value FROM json_each(?))",
                (json.dumps(wanted),),
            )
        for key, rid in result:
            out.setdefault(int(key), []).append(int(rid))
        return out

    def candidates_many(
        self, session: Session, keys_per_page: Sequence[Iterable[int]], limit: int = 20
    ) -> list[list[int]]:
        """For each page, the stored record ids sharing most band keys with it (ties
        by record id), at most ``limit``: one query for the whole batch."""
        pages = [list(dict.fromkeys(keys)) for keys in keys_per_page]
        owners = self.owners(session, (k for keys in pages for k in keys))
        out = []
        for keys in pages:
            hits: Counter[int] = Counter(rid for k in keys for rid in owners.get(k, ()))
            ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
            out.append([rid for rid, _ in ranked[:limit]])
        return out

    def candidates(
        self,
        session: Session,
        band_keys: Iterable[int],
        limit: int = 50,
        *,
        exclude: int | None = None,
    ) -> list[tuple[int, int]]:
        """(record_id, matching bands) of one page, most bands first, ties by id."""
        keys = list(dict.fromkeys(band_keys))
        owners = self.owners(session, keys)
        hits: Counter[int] = Counter(
            rid for k in keys for rid in owners.get(k, ()) if rid != exclude
        )
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:limit]


class MemoryLshIndex:
    """The same interface in a dict, for tests and benchmarks; ``session`` is ignored."""

    def __init__(self) -> None:
        self._records: dict[int, set[int]] = {}
        self._keys: dict[int, list[int]] = {}

    def add(self, session: object, record_id: int, band_keys: Iterable[int]) -> None:
        keys = list(dict.fromkeys(band_keys))
        self._keys.setdefault(record_id, []).extend(keys)
        for key in keys:
            self._records.setdefault(key, set()).add(record_id)

    def add_many(self, session: object, items: Iterable[tuple[int, Iterable[int]]]) -> None:
        for record_id, keys in items:
            self.add(session, record_id, keys)

    def remove(self, session: object, record_id: int, band_keys: Iterable[int] = ()) -> None:
        for key in self._keys.pop(record_id, []):
            ids = self._records.get(key)
            if ids is not None:
                ids.discard(record_id)
                if not ids:
                    del self._records[key]

    def candidates(
        self,
        session: object,
        band_keys: Iterable[int],
        limit: int = 50,
        *,
        exclude: int | None = None,
    ) -> list[tuple[int, int]]:
        hits: Counter[int] = Counter()
        for key in dict.fromkeys(band_keys):
            hits.update(self._records.get(key, ()))
        if exclude is not None:
            hits.pop(exclude, None)
        return sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
