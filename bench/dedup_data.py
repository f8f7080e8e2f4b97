"""A labelled set of "same story?" pairs for tuning and checking near-duplicate detection.

Run by hand to look at it (``bench/dedup_eval.py`` imports it):

    .venv/bin/python bench/dedup_data.py [--dump pairs.jsonl] [--seed 7]

Base texts, one per story:

* article bodies of the offline mirror (``pressbot/data/mirror``), taken from each
  site's article container with lxml; the mirror's own syndicated copies
  (``same_story_as``) and the raw seed documents become "real" positive pairs,
  excerpts an extra category (see below);
* hand-written releases (``tests/fixtures/dedup/articles.txt``), most of them a
  second release on the topic of a mirror article from the same kind of office;
* instances of formulaic releases (``tests/fixtures/dedup/templates.txt``) with
  other districts, stations, names, numbers and dates.

Positives are copies made the way syndication changes a text: boilerplate lines
added or removed at either end, another dateline form, an agency or source line,
a sentence dropped or added, Arabic letter forms, Urdu or Arabic-Indic digits,
spelling and spacing variants, reworded function words, and combinations; also
pairs of two different copies of one base.  Negatives are fact rewrites (1-3
numbers, names or places replaced in the middle, also on top of copy edits),
different releases on one topic from one kind of office, template siblings, and
random pairs.  Everything is drawn from one seeded ``random.Random``.

Categories outside the headline numbers, reported on their own: "excerpt"
(a cut-off excerpt of the story, same story by the manifest) and "reworded"
(content words swapped for synonyms), which the design knowingly gives up.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
MIRROR = REPO / "pressbot" / "data" / "mirror"
DEDUP = FIXTURES / "dedup"
SEED_DOCS = REPO / "seeds" / "documents"

# Categories reported separately from the headline precision/recall.
EXTRA_CATEGORIES = frozenset({"excerpt", "reworded"})

# Article container per mirror source (the sites' real markup shapes).
_CONTAINER = {
    "kp_police": "//td[contains(concat(' ', @class, ' '), ' urdu ')]//p",
    "nhsrc": "//div[@lang='ur' and contains(@class, 'urdu-text')]//p",
    "daily_mumtaz": "//div[contains(@class, 'entry-content')]/p[not(@class)]",
    "hamariweb": "//div[contains(@class, 'news-detail')]/p[not(@class)]",
}

# --- vocabulary the generators draw on (not used by the detector) ------------------

NAMES = (
    "نعیم خان", "شاہد اللہ", "عمر گل", "فضل ربی", "جاوید اقبال", "سلیم خان", "گل زمان",
    "عبدالولی", "طارق محمود", "ارشد علی", "فرحان اللہ", "زاہد حسین", "امجد خان", "نور محمد",
    "شیر علی", "رحمت اللہ", "بلال احمد", "وقاص خان", "سجاد حسین", "عرفان اللہ", "یاسر عرفات",
    "قیصر خان", "ظفر اقبال", "حبیب الرحمان", "اسد اللہ", "عاطف خان", "کامران شاہ",
    "عثمان غنی", "ثناء اللہ", "مدثر نذر", "فیصل سلطان", "اختر حیات خان", "عطاء اللہ تارڑ",
    "فرح تکان", "شوکت علی", "اعجاز احمد", "ریاض احمد", "خالد محمود",
)  # fmt: skip
DISTRICTS = (
    "پشاور", "مردان", "نوشہرہ", "چارسدہ", "صوابی", "کوہاٹ", "بنوں", "سوات", "ایبٹ آباد",
    "مانسہرہ", "ہری پور", "لکی مروت", "کرک", "ہنگو", "ملاکنڈ", "دیر", "ٹانک", "شانگلہ",
)  # fmt: skip
STATIONS = (
    "چمکنی", "متھرا", "پہاڑی پورہ", "شاہ پور", "گلبہار", "حیات آباد", "یکہ توت", "تہکال",
    "بڈھ بیر", "داودزئی", "شبقدر", "تنگی", "کاٹلنگ", "شیخ ملتون", "لاچی", "رستم", "پبی",
    "اکوڑہ خٹک", "رسالپور", "تخت بھائی", "سٹی", "صدر", "کینٹ", "سربند",
)  # fmt: skip
CITIES = (
    "لاہور", "ملتان", "فیصل آباد", "گوجرانوالہ", "سیالکوٹ", "بہاولپور", "سرگودھا", "ساہیوال",
    "راولپنڈی", "حیدرآباد", "سکھر", "لاڑکانہ", "کوئٹہ", "جہلم", "اٹک", "چکوال", "میانوالی",
)  # fmt: skip
AREAS = (
    "ماڈل ٹاؤن", "گلشن اقبال", "سیٹلائٹ ٹاؤن", "شاہ فیصل کالونی", "نیو سٹی", "غازی آباد",
    "چک شہزاد", "کچی آبادی", "پرانا شہر", "ریلوے کالونی",
)  # fmt: skip
ROADS = ("جی ٹی روڈ", "موٹروے ایم ٹو", "انڈس ہائی وے", "قومی شاہراہ", "ملتان روڈ", "این 55")
MONTHS = (
    "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر",
    "نومبر", "دسمبر",
)  # fmt: skip
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_SLOT_RANGES = {
    "n_small": (2, 9), "n_pistols": (2, 15), "n_rifles": (1, 6), "n_rounds": (20, 900),
    "n_bikes": (3, 20), "n_phones": (5, 40), "n_cases": (5, 60), "n_patients": (150, 1500),
    "n_tests": (40, 600), "n_injured": (2, 30), "n_kites": (50, 2000), "n_reels": (10, 300),
    "day": (1, 28),
}  # fmt: skip

HEAD_BOILERPLATE = (
    "Press Release Detail",
    "پریس ریلیز",
    "Our Faith, Corruption Free Pakistan/ہمارا ایمان کرپشن سے پاک پاکستان",
    "اشاعت کی تاریخ: {d}th, {M} {y} GMT",
    "Updated on: {d:02d}-{m3}-{y}",
    "خبر کی تفصیل",
)
TAIL_BOILERPLATE = (
    "اپنا تبصرہ بھیجیں",
    "Post Views: {n}",
    "یہ خبر شیئر کریں",
    "شیئر کریں: فیس بک | ٹویٹر | واٹس ایپ",
    "ہمارا واٹس ایپ چینل جوائن کریں",
    "Go To Top",
    "مزید خبریں",
    "جملہ حقوق محفوظ ہیں © 2025 روزنامہ ممتاز",
    "اس خبر پر اپنی رائے کا اظہار کریں",
    "Share: Facebook X WhatsApp",
)
AGENCY_LINES = (
    "(اے پی پی)",
    "ذریعہ: APP",
    "ذریعہ: Daily Mumtaz",
    "بشکریہ: اے پی پی",
    "(ثنا نیوز)",
    "رپورٹ: نمائندہ خصوصی",
    "(آن لائن)",
)
DATELINE_AGENCIES = ("نمائندہ خصوصی", "اے پی پی", "ویب ڈیسک", "نیوز ڈیسک", "اسٹاف رپورٹر")
# Sentences an editor adds to a copy: background, not new facts of this story.
ADDED_SENTENCES = (
    "واضح رہے کہ گزشتہ ماہ بھی اسی نوعیت کی کارروائی کی گئی تھی۔",
    "یاد رہے کہ حکومت نے اس حوالے سے متعلقہ اداروں کو خصوصی ہدایات جاری کر رکھی ہیں۔",
    "اس سے قبل بھی متعلقہ حکام اس معاملے کا نوٹس لے چکے ہیں۔",
    "شہریوں اور سماجی حلقوں نے اس اقدام کو سراہا ہے۔",
    "واضح رہے کہ رواں سال اب تک اس سلسلے میں 120 سے زائد کارروائیاں کی جا چکی ہیں۔",
    "ذرائع کے مطابق اس حوالے سے مزید اقدامات پر بھی غور کیا جا رہا ہے۔",
    "یاد رہے کہ صوبائی حکومت نے گزشتہ برس بھی اسی طرح کی مہم شروع کی تھی۔",
    "تفصیلات کے مطابق یہ سلسلہ آئندہ چند روز تک جاری رہے گا۔",
)
# Spelling and spacing variants both found in real Urdu copies of one text.
ORTHO_VARIANTS = (
    ("کے لیے", "کے لئے"), ("کیے گئے", "کئے گئے"), ("کر دیا", "کردیا"), ("کر لیا", "کرلیا"),
    ("کر دی", "کردی"), ("ہو گیا", "ہوگیا"), ("خیبرپختونخوا", "خیبر پختونخوا"),
    ("اسٹریٹجی", "سٹریٹجی"), ("دیے", "دیئے"), ("گئی ہے", "گئ ہے"), ("کیا گیا", "کیاگیا"),
    ("اسلام آباد", "اسلام‌آباد"), ("ہسپتال", "ہسپتال"), ("جائے گا", "جاۓ گا"),
)  # fmt: skip
# Function-word rewordings an editor makes without touching facts.
FUNCTION_REWORDINGS = (
    ("نے کہا کہ", "کا کہنا تھا کہ"), ("برآمد کی گئی", "برآمد ہوئی"),
    ("گرفتار کر لیا", "گرفتار کیا"), ("شروع کر دی گئی ہے", "شروع کر دی گئی"),
    ("کیا گیا ہے", "کیا گیا"), ("کر دیا گیا", "کیا گیا"), ("کی گئی", "کی گئی ہے"),
    ("جبکہ", "اور"), ("کے دوران", "دوران"),
)  # fmt: skip
# Content-word synonyms: the "reworded" extra category.
SYNONYMS = (
    ("اجلاس", "میٹنگ"), ("ہدایت", "حکم"), ("شہریوں", "عوام"), ("فوری طور پر", "فوراً"),
    ("کارروائی", "ایکشن"), ("ملزمان", "افراد"), ("اپیل", "درخواست"), ("اقدام", "قدم"),
    ("مہم", "کمپین"), ("تقریب", "پروگرام"),
)  # fmt: skip

_URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"})
_DIGIT_RUN = re.compile(r"\d+")
# "پشاور، 4 ستمبر، 2023:", "اسلام آباد، 31 مئی 2021:", "پشاور (نمائندہ خصوصی)",
# "بیجنگ(نیوز ڈیسک)", "اسلام آباد:", "بیجنگ :"
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_]+(?: [^\W\d_]+){0,3}?)\s*"
    r"(?:،\s*(?P<date>\d{1,2}\s+[^\W\d_]+،?\s+\d{4})\s*:|\([^)]{2,30}\)|:)\s*"
)
_SENTENCE_END = re.compile(r"(?<=[۔؟!])\s+")
_SLOT = re.compile(r"\{(\w+)\}")
_ALTERNATIVES = re.compile(r"\[\[(.+?)\]\]")


@dataclass(frozen=True)
class Text:
    id: str
    base: str  # story id: texts with the same base are the same story
    text: str
    how: str  # "base" or the edits that made it


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool
    category: str


@dataclass
class LabelledSet:
    texts: dict[str, Text] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)

    @property
    def bases(self) -> list[str]:
        return [t.id for t in self.texts.values() if t.how == "base"]

    def add(self, text: Text) -> Text:
        if text.id in self.texts:
            raise ValueError(f"duplicate text id {text.id}")
        self.texts[text.id] = text
        return text

    def main_pairs(self) -> list[Pair]:
        return [p for p in self.pairs if p.category not in EXTRA_CATEGORIES]


# --- reading the sources -----------------------------------------------------------


def _mirror_file(url: str, days: list[int]) -> Path:
    parts = urlsplit(url)
    path = parts.path + ("index.html" if parts.path.endswith("/") else "")
    if parts.query:
        path += "@" + parts.query
    day = "day1" if 1 in days else "day2"
    return MIRROR / day / parts.netloc / path.lstrip("/")


def mirror_articles() -> list[dict[str, object]]:
    """Manifest entries with their body text (paragraphs joined by newlines)."""
    manifest = json.loads((MIRROR / "MANIFEST.json").read_text("utf-8"))
    out = []
    for art in manifest["articles"]:
        tree = lxml.html.fromstring(_mirror_file(art["url"], art["days"]).read_bytes())
        paras = [" ".join(p.text_content().split()) for p in tree.xpath(_CONTAINER[art["source"]])]
        paras = [p for p in paras if p]
        if art["source"] == "kp_police" and paras and paras[0] == " ".join(art["title"].split()):
            paras = paras[1:]  # the Urdu headline sits in the body container
        out.append({**art, "body": "\n".join(paras)})
    return out


def _read_blocks(path: Path) -> Iterator[tuple[str, str, str, str]]:
    """(id, source, topic, text) of each "### id source topic" block."""
    head: list[str] | None = None
    lines: list[str] = []
    for line in [*path.read_text("utf-8").splitlines(), "### end"]:
        if line.startswith("#") and not line.startswith("###"):
            continue
        if line.startswith("### "):
            if head is not None:
                yield head[0], head[1], head[2], "\n".join(x for x in lines if x.strip())
            head, lines = line[4:].split(), []
        else:
            lines.append(line)


def _fill_template(body: str, rng: random.Random) -> str:
    body = _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("||")), body)
    values: dict[str, str] = {}
    names = rng.sample(NAMES, 4)
    districts = rng.sample(DISTRICTS, 2)
    stations = rng.sample(STATIONS, 2)
    cities = rng.sample(CITIES, 2)
    pools = {
        "name1": names[0], "name2": names[1], "father1": names[2], "father2": names[3],
        "district": districts[0], "station": stations[0], "station2": stations[1],
        "city": cities[0], "city2": cities[1], "area": rng.choice(AREAS),
        "road": rng.choice(ROADS), "month": rng.choice(MONTHS),
        "year": str(rng.choice((2023, 2024))),
    }  # fmt: skip

    def slot(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            if name in pools:
                values[name] = pools[name]
            else:
                lo, hi = _SLOT_RANGES[name]
                values[name] = str(rng.randint(lo, hi))
        return values[name]

    return _SLOT.sub(slot, body)


# --- edits that keep the story ------------------------------------------------------

Edit = Callable[[str, random.Random, "LabelledSet", str], str]


def _lines(text: str) -> list[str]:
    return [x for x in text.split("\n") if x.strip()]


def _date_bits(rng: random.Random) -> dict[str, object]:
    m = rng.randrange(12)
    return {
        "d": rng.randint(1, 28),
        "M": EN_MONTHS[m],
        "m3": EN_MONTHS[m][:3],
        "y": rng.choice((2023, 2024, 2025)),
        "n": rng.randint(1, 9000),
    }


def add_head_boilerplate(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    lines = [rng.choice(HEAD_BOILERPLATE).format(**_date_bits(rng))]
    if base in ls.titles and rng.random() < 0.5:
        lines.append(ls.titles[base])  # an extractor that leaves the headline in the body
    return "\n".join([*lines, text])


def add_tail_boilerplate(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    picks = rng.sample(TAIL_BOILERPLATE, rng.randint(1, 3))
    return "\n".join([text, *(p.format(**_date_bits(rng)) for p in picks)])


def add_agency_line(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    return f"{text}\n{rng.choice(AGENCY_LINES)}"


def change_dateline(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    m = _DATELINE.match(text)
    if m is None:
        place, date, rest = rng.choice(DISTRICTS + CITIES), None, text
    else:
        place, date, rest = m.group("place"), m.group("date"), text[m.end() :]
    if date is None or rng.random() < 0.3:  # a copy dated the day it ran elsewhere
        bits = _date_bits(rng)
        date = f"{bits['d']} {rng.choice(MONTHS)}، {bits['y']}"
    forms = (
        f"{place}، {date}:",
        f"{place} ({rng.choice(DATELINE_AGENCIES)})",
        f"{place}({rng.choice(DATELINE_AGENCIES)})",
        f"{place}:",
        f"{place} :",
        "",
    )
    current = text[: m.end()].strip() if m else ""
    new = rng.choice([f for f in forms if f != current])
    return f"{new} {rest}" if new else rest


def drop_sentence(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    paras = [_SENTENCE_END.split(p) for p in _lines(text)]
    slots = [(i, j) for i, p in enumerate(paras) for j in range(len(p)) if (i, j) != (0, 0)]
    if not slots:
        return text
    if rng.random() < 0.3 and len(paras) > 2:
        return "\n".join(" ".join(p) for p in paras[:-1])  # the last paragraph cut
    i, j = rng.choice(slots)
    del paras[i][j]
    return "\n".join(" ".join(p) for p in paras if p)


def add_sentence(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    lines = _lines(text)
    extra = rng.choice(ADDED_SENTENCES)
    if rng.random() < 0.5:
        return "\n".join([*lines, extra])
    i = rng.randrange(len(lines))
    lines[i] = f"{lines[i]} {extra}"
    return "\n".join(lines)


def arabic_letters(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    if rng.random() < 0.5:
        return text.translate(_ARABIC_LETTERS)
    # Only some words, as when a copy was patched together from two keyboards.
    return " ".join(
        w.translate(_ARABIC_LETTERS) if rng.random() < 0.4 else w for w in text.split(" ")
    )


def other_digits(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    return text.translate(_URDU_DIGITS if rng.random() < 0.7 else _ARABIC_DIGITS)


def _whole_words(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\s،۔]){re.escape(phrase)}(?![^\s،۔])")


def _swap_some(text: str, a: str, b: str, rng: random.Random, share: float) -> str:
    """Replace whole-word occurrences of ``a`` by ``b`` (or the other way round when
    ``a`` is absent), each with probability ``share``: an editor touches some
    places, not every one."""
    pattern = _whole_words(a)
    if not pattern.search(text):
        a, b = b, a
        pattern = _whole_words(a)
    return pattern.sub(lambda m: b if rng.random() < share else m.group(), text)


def spelling_variants(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    for a, b in ORTHO_VARIANTS:
        text = _swap_some(text, a, b, rng, 0.6)
    if rng.random() < 0.5:  # "گیا۔ فورم" typed without the space
        text = text.replace("۔ ", "۔")
    return text


def reword_function_words(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    for a, b in rng.sample(FUNCTION_REWORDINGS, 4):
        text = _swap_some(text, a, b, rng, 0.5)
    return text


def reword_content(text: str, rng: random.Random, ls: LabelledSet, base: str) -> str:
    done = 0
    for a, b in rng.sample(SYNONYMS, len(SYNONYMS)):
        if done < 2 and _whole_words(a).search(text):
            text = _whole_words(a).sub(b, text, count=1)
            done += 1
    return text


COPY_EDITS: dict[str, Edit] = {
    "head-boilerplate": add_head_boilerplate,
    "tail-boilerplate": add_tail_boilerplate,
    "agency": add_agency_line,
    "dateline": change_dateline,
    "drop-sentence": drop_sentence,
    "add-sentence": add_sentence,
    "arabic-letters": arabic_letters,
    "digits": other_digits,
    "spelling": spelling_variants,
    "function-words": reword_function_words,
}


def make_copy(
    text: str, edits: Iterable[str], rng: random.Random, ls: LabelledSet, base: str
) -> str:
    # Boilerplate is added last so that it frames the edited body, as on a page.
    order = sorted(edits, key=lambda e: e.endswith("boilerplate") or e == "agency")
    for name in order:
        text = COPY_EDITS[name](text, rng, ls, base)
    return text


# --- edits that change the story ----------------------------------------------------


def _other_number(old: str, rng: random.Random) -> str:
    value = int(old)
    while True:
        new = max(0, value + rng.choice((-1, 1)) * rng.randint(1, max(2, value // 2)))
        if new != value:
            return str(new)


def _middle(text: str) -> tuple[int, int]:
    """Character span of the text outside its first and last eight words."""
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    if len(starts) < 24:
        return (0, len(text))
    return starts[8], starts[-8]


def fact_rewrite(text: str, n: int, rng: random.Random) -> tuple[str, list[str]] | None:
    """Replace ``n`` facts (all occurrences of a number, name or place) inside the
    middle of the text; None when the text has too few of them there."""
    lo, hi = _middle(text)
    middle = text[lo:hi]
    facts: list[tuple[str, str]] = []
    facts += [("number", m.group()) for m in _DIGIT_RUN.finditer(middle)]
    facts += [("name", x) for x in NAMES if x in middle]
    facts += [("place", x) for x in DISTRICTS + CITIES + STATIONS if re.search(rf"\b{x}\b", middle)]
    unique = list(dict.fromkeys(facts))
    # A place inside a longer place ("پشاور" in "ٹریفک پولیس پشاور") is fine to swap.
    if len(unique) < n:
        return None
    picked = rng.sample(unique, n)
    changes = []
    for kind, old in picked:
        if kind == "number":
            new = _other_number(old, rng)
            middle = re.sub(rf"(?<!\d){old}(?!\d)", new, middle)
        else:
            pool = NAMES if kind == "name" else DISTRICTS + CITIES
            new = rng.choice([x for x in pool if x != old and x not in middle])
            middle = re.sub(rf"\b{old}\b", new, middle)
        changes.append(f"{kind}:{old}->{new}")
    return text[:lo] + middle + text[hi:], changes


# --- building the set ---------------------------------------------------------------


def build(seed: int = 7) -> LabelledSet:
    rng = random.Random(seed)
    ls = LabelledSet()

    # Mirror: one base per story; other members of a same_story_as group are real copies.
    articles = mirror_articles()
    by_url = {a["url"]: a for a in articles}
    story_of: dict[str, str] = {}
    n_stories = 0
    for art in articles:
        url = str(art["url"])
        if url in story_of:
            continue
        group = [url, *(u for u in art["same_story_as"] if u in by_url)]  # type: ignore[attr-defined]
        full = [u for u in group if not by_url[u]["is_excerpt"]] or group
        base_id = f"m{n_stories:02d}"
        n_stories += 1
        for u in group:
            story_of[u] = base_id
        ls.add(Text(base_id, base_id, str(by_url[full[0]]["body"]), "base"))
        ls.titles[base_id] = str(by_url[full[0]]["title"])
        ls.topics[base_id] = f"mirror:{by_url[full[0]]['source']}"
        for u in group:
            if u == full[0]:
                continue
            cat = "excerpt" if by_url[u]["is_excerpt"] else "real"
            tid = f"{base_id}/{cat}-{urlsplit(u).netloc.split('.')[-2]}"
            ls.add(Text(tid, base_id, str(by_url[u]["body"]), cat))
            ls.pairs.append(Pair(base_id, tid, True, cat))
    # Raw seed documents (a naive extraction: headline, slogans, comment prompt left in).
    for art in articles:
        if art["seed"] and (SEED_DOCS / str(art["seed"])).exists():
            base_id = story_of[str(art["url"])]
            tid = f"{base_id}/seed"
            if tid in ls.texts or ls.texts[base_id].how != "base":
                continue
            raw = (SEED_DOCS / str(art["seed"])).read_text("utf-8")
            if "پڑھیں:" in raw:
                continue  # a page holding two stories: no single label
            ls.add(Text(tid, base_id, raw, "seed"))
            ls.pairs.append(Pair(base_id, tid, True, "real"))
    mirror_bases = list(ls.bases)

    # Hand-written releases.
    for wid, _source, topic, body in _read_blocks(DEDUP / "articles.txt"):
        ls.add(Text(wid, wid, body, "base"))
        ls.topics[wid] = topic
    # Template instances.
    by_template: dict[str, list[str]] = {}
    for tid, _source, topic, body in _read_blocks(DEDUP / "templates.txt"):
        for i in range(5):
            iid = f"{tid}{i}"
            ls.add(Text(iid, iid, _fill_template(body, rng), "base"))
            ls.topics[iid] = topic
            by_template.setdefault(tid, []).append(iid)

    bases = ls.bases
    edit_names = list(COPY_EDITS)
    # Positives: single edits, combinations, and copy-vs-copy.
    for b in bases:
        src = ls.texts[b].text
        plans: list[list[str]] = [[e] for e in rng.sample(edit_names, 3)]
        plans += [rng.sample(edit_names, rng.randint(2, 4)) for _ in range(3)]
        copies = []
        for i, plan in enumerate(plans):
            cid = f"{b}/c{i}"
            ls.add(Text(cid, b, make_copy(src, plan, rng, ls, b), "+".join(plan)))
            ls.pairs.append(Pair(b, cid, True, "copy:" + ("1" if len(plan) == 1 else "n")))
            copies.append(cid)
        x, y = rng.sample(copies, 2)
        ls.pairs.append(Pair(x, y, True, "copy-vs-copy"))
        rid = f"{b}/syn"
        reworded = reword_content(src, rng, ls, b)
        if reworded != src:
            ls.add(Text(rid, b, reworded, "reworded"))
            ls.pairs.append(Pair(b, rid, True, "reworded"))

    # Negatives: fact rewrites of 1-3 facts, alone and under copy edits.
    for b in bases:
        src = ls.texts[b].text
        for n in (1, 2, 3):
            done = fact_rewrite(src, n, rng)
            if done is None:
                continue
            new, changes = done
            fid = f"{b}/f{n}"
            ls.add(Text(fid, fid, new, ",".join(changes)))
            ls.pairs.append(Pair(b, fid, False, f"fact:{n}"))
            if n == 1:
                # Not "drop-sentence": it could drop the very sentence that was changed.
                plan = rng.sample([e for e in edit_names if e != "drop-sentence"], 2)
                cid = f"{b}/f1c"
                ls.add(Text(cid, fid, make_copy(new, plan, rng, ls, fid), "+".join(plan)))
                ls.pairs.append(Pair(b, cid, False, "fact+copy"))

    # Negatives: same topic from the same kind of office, template siblings, random.
    hand = [t for t in bases if t.startswith("w")]
    for w in hand:
        siblings = [
            m for m in [*mirror_bases, *hand] if m != w and ls.topics.get(m) == ls.topics[w]
        ]
        siblings += [m for m in SAME_TOPIC.get(w, ()) if m in ls.texts]
        for s in dict.fromkeys(siblings):
            if (s, w) not in {(p.a, p.b) for p in ls.pairs}:
                ls.pairs.append(Pair(w, s, False, "same-topic"))
                ls.pairs.append(Pair(f"{w}/c{rng.randrange(6)}", s, False, "same-topic"))
    for members in by_template.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                ls.pairs.append(Pair(a, b, False, "same-template"))
        a, b = rng.sample(members, 2)
        ls.pairs.append(
            Pair(f"{a}/c{rng.randrange(6)}", f"{b}/c{rng.randrange(6)}", False, "same-template")
        )
    while sum(p.category == "random" for p in ls.pairs) < 120:
        a, b = rng.sample(bases, 2)
        if ls.topics[a] != ls.topics[b] or ls.topics[a].startswith("mirror"):
            ls.pairs.append(Pair(a, b, False, "random"))
    return ls


# Hand-written release -> mirror stories on the same topic (by manifest URL fragment).
SAME_TOPIC_URLS: dict[str, tuple[str, ...]] = {
    "w01": ("id=2311", "id=2316"),
    "w02": ("id=2311",),
    "w03": ("id=2311",),
    "w04": ("id=2312",),
    "w05": ("id=2310",),
    "w06": ("id=2316", "id=2314"),
    "w07": ("id=2309",),
    "w08": ("id=1406",),
    "w09": ("id=1409",),
    "w10": ("id=1418",),
    "w11": ("id=1411",),
    "w12": ("heavy-rain-twin-cities",),
    "w13": ("ndma-issues-alert",),
    "w14": ("sbp-foreign-exchange",),
    "w15": ("karachi-loadshedding",),
    "w16": ("chairman-senate",),
}
SAME_TOPIC: dict[str, tuple[str, ...]] = {}


def _resolve_same_topic() -> None:
    """Map the URL fragments above to mirror base ids (m00...), in manifest order."""
    manifest = json.loads((MIRROR / "MANIFEST.json").read_text("utf-8"))
    seen: dict[str, str] = {}
    for art in manifest["articles"]:
        if art["url"] in seen:
            continue
        bid = f"m{len(set(seen.values())):02d}"
        for u in [art["url"], *art["same_story_as"]]:
            seen.setdefault(u, bid)
    for w, frags in SAME_TOPIC_URLS.items():
        SAME_TOPIC[w] = tuple(dict.fromkeys(b for u, b in seen.items() for f in frags if f in u))


_resolve_same_topic()


def synthetic_texts(n: int, seed: int = 11) -> Iterator[str]:
    """``n`` distinct filler records for the scale benchmark: sentences of the base
    texts shuffled together from different stories, numbers redrawn and a quarter
    of the words swapped for other words of the corpus, so that records share the
    language's frequent word sequences but no story.  One in fifty is a light copy
    of an earlier record, as syndication leaves in a real archive."""
    rng = random.Random(seed)
    ls = build()
    sentences = [
        s for t in ls.bases for line in _lines(ls.texts[t].text) for s in _SENTENCE_END.split(line)
    ]
    vocab = sorted({w for s in sentences for w in s.split()})
    recent: list[str] = []
    for i in range(n):
        if recent and i % 50 == 49:
            src = rng.choice(recent)
            yield make_copy(
                src, rng.sample(["tail-boilerplate", "dateline", "agency"], 2), rng, ls, ""
            )
            continue
        paras = []
        for _ in range(rng.randint(2, 5)):
            picked = rng.sample(sentences, rng.randint(1, 3))
            words = " ".join(picked).split()
            words = [rng.choice(vocab) if rng.random() < 0.25 else w for w in words]
            paras.append(_DIGIT_RUN.sub(lambda _m: str(rng.randint(1, 999)), " ".join(words)))
        text = "\n".join(paras)
        recent = [*recent[-99:], text]
        yield text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dump", type=Path, help="write the pairs with both texts as JSON Lines")
    args = parser.parse_args()
    ls = build(args.seed)
    counts: dict[str, list[int]] = {}
    for p in ls.pairs:
        counts.setdefault(p.category, [0, 0])[int(p.same)] += 1
    print(f"{len(ls.bases)} base texts, {len(ls.texts)} texts, {len(ls.pairs)} pairs")
    for cat, (neg, pos) in sorted(counts.items()):
        print(f"  {cat:16} positive {pos:4}  negative {neg:4}")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as f:
            for p in ls.pairs:
                row = {
                    "category": p.category,
                    "same": p.same,
                    "a": p.a,
                    "b": p.b,
                    "how_b": ls.texts[p.b].how,
                    "text_a": ls.texts[p.a].text,
                    "text_b": ls.texts[p.b].text,
                }
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
