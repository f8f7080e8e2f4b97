"""The text-level cleaner: works on lines, so it serves HTML extraction and plain text.

It removes boilerplate lines (phrase lists in :mod:`pressbot.lexicon.phrases`),
turns labelled lines into fields, splits teasers and appended articles out of
the body, picks Urdu and English titles from the head of a text, and reads the
dateline of the first paragraph.

Phrase lists are matched on keys (:func:`line_key`: letter forms, digits,
diacritics and case folded), so a windows-1256 page that writes "شيئر کريں" with
Arabic yeh is caught like one written in Urdu forms; labels and teaser markers
are matched by patterns that accept every such spelling
(:func:`pressbot.text.urdu.phrase_pattern`), so the value after them is cut from
the line as the page wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pressbot.extract.limits import (
    BODY_MIN,
    DATE_LINE_MAX,
    HEADLINE_MIN_WORDS,
    KEYWORDS_LINE_MAX,
    LABEL_MAX_LINE,
    LATIN_LINE_MAX_SHARE,
    PATTERN_LINE_MAX,
    SECTION_NAME_MAX_CHARS,
    SECTION_NAME_MAX_WORDS,
    SHARE_BAR_MAX_WORDS,
    TEASER_LIST_MIN,
    TEASER_MIN_WORDS,
    TITLE_MAX,
)
from pressbot.items import Related
from pressbot.lexicon.phrases import (
    BARE_DATE_LABELS,
    BOILERPLATE_LINES,
    BOILERPLATE_PATTERNS,
    CHANNEL_WORDS,
    COMMENT_POLICY_MAX,
    COMMENT_POLICY_WORDS,
    COMMENT_WORDS,
    FOLLOW_LINE_MAX,
    FOLLOW_VERBS,
    LABELS,
    PAGE_TYPE_HEADERS,
    PAGE_TYPE_SUFFIX,
    SHARE_TOKENS,
    SOCIAL_NETWORKS,
    TEASER_HEADINGS,
    TEASER_MARKERS,
    TRUNCATION_PATTERNS,
)
from pressbot.text.dates import find_date, parse_dateline
from pressbot.text.letters import PHRASE_ALEF
from pressbot.text.memo import line_cache
from pressbot.text.urdu import fold, phrase_pattern, urdu_ratio

_STRIP = " \t\u00a0:：-–—|•·»«›‹>*#.\u06d4\u060c←→⟵⟶"
_SPACES = re.compile(r"\s+")


@line_cache(16384)
def line_key(line: str) -> str:
    """A comparison key for phrase-list look-ups: letter forms, digits, diacritics
    and case folded (:func:`pressbot.text.urdu.fold`), compatibility characters
    made plain, whitespace collapsed, punctuation and arrows at the ends stripped."""
    text = fold(unicodedata.normalize("NFKC", line)).translate(PHRASE_ALEF)
    return text.casefold().strip(_STRIP).strip()


def _alternation(phrases: Iterable[str]) -> str:
    """Phrases as one regex alternation, each matching any spelling with its key,
    longest first (so "یہ بھی پڑھیں" is tried before "پڑھیں")."""
    keys = sorted({line_key(p) for p in phrases}, key=len, reverse=True)
    return "|".join(phrase_pattern(k) for k in keys)


_BOILER_RE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE_PATTERNS), re.IGNORECASE)
_BOILER_SET = frozenset(line_key(p) for phrases in BOILERPLATE_LINES.values() for p in phrases)
_TRUNCATED = re.compile("|".join(TRUNCATION_PATTERNS))
_LABEL_RE = re.compile(
    r"^\s*(?P<label>"
    + _alternation(x for v in LABELS.values() for x in v)
    + r")\s*[:：]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_LABEL_FIELD = {line_key(lab): fld for fld, labs in LABELS.items() for lab in labs}
_TEASER_RE = re.compile(
    r"^\s*(?P<marker>" + _alternation(TEASER_MARKERS) + r")\s*[:：]\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SHARE_TOKENS = frozenset(line_key(t) for t in SHARE_TOKENS)


def _words_re(phrases: Iterable[str], prefix: str = "") -> re.Pattern[str]:
    """Any of ``phrases`` (keyed) as whole words in a key; ``prefix`` is an optional
    proclitic (Arabic و "and", ب "with" ... join the next word)."""
    keys = sorted({line_key(p) for p in phrases}, key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in keys)
    return re.compile(rf"(?<![^\W\d_])(?:{prefix})?(?:{alternation})(?![^\W\d_])")


_PAGE_TYPE_RE = re.compile(
    "(?:" + "|".join(re.escape(line_key(h)) for h in PAGE_TYPE_HEADERS) + ")" + PAGE_TYPE_SUFFIX
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—»:]\s+")
_PROCLITIC = "[وفبل]|ال|وال|بال|لل"
_COMMENT_RE = _words_re(COMMENT_WORDS, _PROCLITIC)
_POLICY_RE = re.compile("|".join(re.escape(line_key(w)) for w in COMMENT_POLICY_WORDS))
_NETWORK_RE = _words_re(SOCIAL_NETWORKS, "[وب]")
_CHANNEL_RE = _words_re(CHANNEL_WORDS, _PROCLITIC)
# English: "Follow X on …" at the start, or "follow us" / "join our" anywhere; Urdu:
# "… فالو کریں"; Arabic imperatives ("تابعونا") are follow lines anywhere.
_FOLLOW_RE = re.compile(
    r"^(?:follow|join|subscribe|like|connect|stay connected)\b"
    r"|\b(?:follow|join|like|subscribe to|connect with)\s+(?:us|our)\b"
    r"|(?:" + "|".join(re.escape(line_key(v)) for v in FOLLOW_VERBS if not v.isascii()) + ")"
)
_TEASER_HEADINGS = frozenset(line_key(h) for h in TEASER_HEADINGS)
_BARE_LABEL_RE = re.compile(
    r"^\s*(?P<label>" + _alternation(BARE_DATE_LABELS) + r")\s+(?P<value>[^:：\s].*)$",
    re.IGNORECASE,
)
_STARTS_WITH_DIGIT = re.compile(r"^\W{0,3}[0-9٠-٩۰-۹]")


def is_page_header(line: str) -> bool:
    """A page-type header ("پریس ریلیز", "Press Release No. 12", "HANDOUT"), alone or
    beside a site's name ("ضلعی پولیس مردان - پریس ریلیز"): above the headline on
    government templates, never the headline."""
    if _PAGE_TYPE_RE.fullmatch(line_key(line)):
        return True
    parts = [p for p in _TITLE_SEPARATORS.split(line) if p.strip()]
    return (
        len(parts) > 1
        and any(_PAGE_TYPE_RE.fullmatch(line_key(p)) for p in parts)
        and all(len(p.split()) < HEADLINE_MIN_WORDS for p in parts)
    )


def _is_comment_policy(key: str) -> bool:
    """A comment-policy notice: a comment word and a policy word in a short line."""
    return (
        len(key) <= COMMENT_POLICY_MAX
        and _COMMENT_RE.search(key) is not None
        and _POLICY_RE.search(key) is not None
    )


def _is_follow_line(key: str) -> bool:
    """ "Follow <paper> on Twitter and Instagram", "ہمیں فیس بک اور ٹویٹر پر فالو کریں",
    "تابعونا على فيسبوك وتويتر": a follow verb with two networks, or one and a channel."""
    if len(key) > FOLLOW_LINE_MAX or _FOLLOW_RE.search(key) is None:
        return False
    networks = len(_NETWORK_RE.findall(key))
    return networks >= 2 or (networks == 1 and _CHANNEL_RE.search(key) is not None)


_WORD = re.compile(r"\w+")
_BYLINE_SPLIT = re.compile(r"\s[|•·]\s")
_ENDS_IN_NUMBER = re.compile(r"[\d٠-٩۰-۹]\s*$")
_CREDIT = re.compile(r"[(\[]\s*([^()\[\]\d]{2,30}?)\s*[)\]]\s*[۔.]?")
_SENTENCE_END = re.compile(r"[۔.؟?!”\"'’)\]]\s*$")
# "تاریخ: ..." that holds no date is a sentence about history, not a label.
_SENTENCE_LABELS = frozenset(line_key(x) for x in ("تاریخ", "date"))


@line_cache(16384)
def is_boilerplate(line: str, slogans: frozenset[str] = frozenset()) -> bool:
    """A line that is never article text: a listed phrase or slogan, a shape of
    boilerplate (counters, credits, share bars, breadcrumbs, page-type headers), a
    comment-policy notice or a follow-us line."""
    key = line_key(line)
    if not key:
        return True
    if key in _BOILER_SET or key in slogans:
        return True
    if len(key) <= PATTERN_LINE_MAX and (_BOILER_RE.fullmatch(key) or _PAGE_TYPE_RE.fullmatch(key)):
        return True
    if _is_comment_policy(key) or _is_follow_line(key):
        return True
    words = _WORD.findall(key)
    return (
        bool(words) and len(words) <= SHARE_BAR_MAX_WORDS and all(w in _SHARE_TOKENS for w in words)
    )


def is_latin(line: str) -> bool:
    return urdu_ratio(line) < LATIN_LINE_MAX_SHARE and bool(re.search(r"[A-Za-z]", line))


@dataclass
class Cleaned:
    body: list[str] = field(default_factory=list)
    title: str | None = None
    title_en: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    place: str | None = None
    agency: str | None = None
    author: str | None = None
    keywords: list[str] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    is_excerpt: bool = False
    # The date of the dateline ("پشاور، 4 ستمبر، 2023:"), used when no label dates the page.
    dateline_date: datetime | None = None
    # Raw label values, kept for the record's notes when they fail to parse.
    unparsed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CleanOptions:
    now: datetime | None = None
    tz: str = "Asia/Karachi"
    slogans: frozenset[str] = frozenset()
    # Titles already known from structured data: their lines are dropped from the body.
    known_titles: tuple[str, ...] = ()
    # Whether a page may carry an English title over an Urdu one.
    bilingual: bool = True
    # Titles found by the structured layer, if any.
    title: str | None = None
    title_en: str | None = None
    # Link targets by anchor text, so teasers keep their URL.
    links: Mapping[str, str] = field(default_factory=dict)
    # Headlines (and links) found after standalone markers in the page, in order.
    teasers: tuple[tuple[str, str | None], ...] = ()
    # Lines the markup shows are not article text (a standfirst under the headline).
    furniture: tuple[str, ...] = ()


def _split_appended(lines: list[str], opts: CleanOptions) -> tuple[list[str], list[Related]]:
    """Cut the text at the first teaser marker that stands alone or heads an appended
    article; teasers inside the text (one line, marker plus title) are lifted out."""
    kept: list[str] = []
    related: list[Related] = []
    i = 0
    while i < len(lines):
        m = _TEASER_RE.match(lines[i])
        if not m:
            kept.append(lines[i])
            i += 1
            continue
        rest = m.group("rest").strip()
        tail = [ln for ln in lines[i + 1 :] if not is_boilerplate(ln, opts.slogans)]
        if not rest and kept:
            # "پڑھیں:" alone: what follows is one or more appended articles.
            related.extend(_appended_articles(tail, opts))
            return kept, related
        if not rest:
            i += 1
            continue
        if kept and tail and parse_dateline(tail[0]) is not None:
            # "پڑھیں: <title>" followed by a paragraph opening with a dateline: a whole
            # second article starts here, not a teaser inside this one.
            related.extend(_appended_articles([rest, *tail], opts))
            return kept, related
        related.append(Related(title=rest, url=opts.links.get(line_key(rest))))
        i += 1
    return kept, related


def split_teaser(text: str) -> tuple[str, str] | None:
    """("یہ بھی پڑھیں", title) for an inline teaser line, else None."""
    m = _TEASER_RE.match(text)
    if m is None or len(m.group("rest").split()) < TEASER_MIN_WORDS:
        return None
    return m.group("marker"), m.group("rest").strip()


def is_marker(text: str) -> bool:
    """Whether ``text`` is a standalone teaser marker ("پڑھیں:", "Also Read:")."""
    m = _TEASER_RE.match(text)
    return m is not None and not m.group("rest").strip()


def _appended_articles(tail: list[str], opts: CleanOptions) -> list[Related]:
    out: list[Related] = []
    current: list[str] = []
    teasers = list(opts.teasers)
    for line in [*tail, "پڑھیں:"]:
        if is_marker(line):
            if current:
                out.append(_related(current, teasers, opts))
            current = []
        elif not _LABEL_RE.match(line):
            current.append(line)
    return out


def _related(
    lines: list[str], teasers: list[tuple[str, str | None]], opts: CleanOptions
) -> Related:
    """One appended article: its headline (from the page when the text lost it)."""
    dom_title, dom_url = teasers.pop(0) if teasers else (None, None)
    if dom_title and _same_text(lines[0], dom_title):
        lines = lines[1:]
    elif dom_title is None and len(lines[0]) < TITLE_MAX:
        dom_title, lines = lines[0], lines[1:]
    title = dom_title or ""
    url = dom_url or opts.links.get(line_key(title))
    return Related(title=title, url=url, text="\n\n".join(lines) or None)


def _bare_date_label(line: str) -> re.Match[str] | None:
    """ "Latest Update 12 May, 2025 10:30am": a date label without its colon, taken
    only when a date (or at least a number) follows it directly."""
    m = _BARE_LABEL_RE.match(line)
    if m is None or len(line) > LABEL_MAX_LINE:
        return None
    return m if _STARTS_WITH_DIGIT.match(m.group("value")) else None


def _take_label(line: str, out: Cleaned, opts: CleanOptions) -> bool:
    """Store a labelled line's value; True if the line was a label line."""
    m = _LABEL_RE.match(line) or _bare_date_label(line)
    if not m:
        return False
    label = line_key(m.group("label"))
    value = m.group("value").strip()
    fld = _LABEL_FIELD[label]
    if len(line) > (KEYWORDS_LINE_MAX if fld == "keywords" else LABEL_MAX_LINE):
        return False
    if fld in ("published_at", "updated_at"):
        # "25 مئی 2025 | 08:40 PM": date and time in one stamp, split by a bar.
        found = find_date(_BYLINE_SPLIT.sub(" ", value), now=opts.now, tz=opts.tz)
        if found is None:
            # "تاریخ: ..." that is no date is a sentence about history, not a label.
            if fld == "published_at" and label in _SENTENCE_LABELS:
                return False
            out.unparsed[fld] = value
        elif getattr(out, fld) is None:
            setattr(out, fld, found[0])
    elif fld == "agency":
        out.agency = out.agency or value or None
    elif fld == "keywords":
        out.keywords.extend(k.strip() for k in re.split(r"[,،;؛|]", value) if k.strip())
    elif fld == "author":
        # "By" needs a short name after it, or it's just a sentence.
        if len(value) > 60 or not value:
            return False
        out.author = out.author or value
    return True


def read_head(lines: list[str], opts: CleanOptions) -> Cleaned:
    """Lines beside the start of the main text that extraction left out (headline,
    date stamp, labels): titles, dates and labelled fields are taken, the rest
    (menus, category names, logos) ignored. Of several title-like lines the longest
    is the headline. A relative stamp ("2 گھنٹے پہلے") counts here: next to the
    headline it dates the page."""
    out = Cleaned()
    # A byline packs several items in one line: "نمائندہ خصوصی | 3 گھنٹے قبل".
    parts = [p.strip() for line in lines for p in _BYLINE_SPLIT.split(line)]
    for line in [*lines, *(p for p in parts if p and p not in lines)]:
        if is_boilerplate(line, opts.slogans) or is_page_header(line) or _TEASER_RE.match(line):
            continue
        if _take_label(line, out, opts) or _take_date_line(line, out, opts, relative=True):
            continue
        # Headlines are sentences: five words or more, not ending in a number
        # (banners like "Helpline: 1166", section names, counters are not).
        if (
            len(line) >= TITLE_MAX
            or len(line.split()) < HEADLINE_MIN_WORDS
            or _ENDS_IN_NUMBER.search(line)
        ):
            continue
        if any(_same_text(line, t) for t in opts.known_titles):
            continue
        slot = "title_en" if opts.bilingual and is_latin(line) else "title"
        if len(line) > len(getattr(out, slot) or ""):
            setattr(out, slot, line)
    return out


def scan_labels(lines: list[str], opts: CleanOptions) -> Cleaned:
    """Labelled dates anywhere in ``lines`` (a whole page's text), for pages whose
    main-text extraction left the date line out."""
    out = Cleaned()
    for line in lines:
        m = _LABEL_RE.match(line)
        m = m or _bare_date_label(line)
        if m and _LABEL_FIELD[line_key(m.group("label"))] in ("published_at", "updated_at"):
            _take_label(line, out, opts)
    return out


def _take_date_line(line: str, out: Cleaned, opts: CleanOptions, *, relative: bool = False) -> bool:
    """A line that is only a date ("September 12, 2023") is the page's date stamp."""
    if len(line) > DATE_LINE_MAX:
        return False
    found = find_date(line, now=opts.now, tz=opts.tz, relative=relative)
    if found is None:
        return False
    start, end = found[1]
    if len(line_key(line[:start] + line[end:])) > 3:
        return False
    if out.published_at is None:
        out.published_at = found[0]
    return True


def _same_text(a: str, b: str) -> bool:
    return line_key(a) == line_key(b)


_KEYWORD_LABELS = frozenset(line_key(x) for x in LABELS["keywords"])


def _join_label_lines(lines: list[str]) -> list[str]:
    """A keywords label on a line of its own ("Tags", "ٹیگز") labels the list on the
    next line: the two become one labelled line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt and line_key(line) in _KEYWORD_LABELS and len(nxt) <= KEYWORDS_LINE_MAX:
            out.append(f"{line.rstrip(' :：')}: {nxt}")
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def _drop_teaser_lists(lines: list[str]) -> list[str]:
    """After the text, a teaser heading ("کالم", "Most read", "الأكثر قراءة") and the
    short lines under it (names, headlines) are a sidebar, not the article."""
    out: list[str] = []
    seen_text = False
    i = 0
    while i < len(lines):
        if seen_text and line_key(lines[i]) in _TEASER_HEADINGS:
            end = i + 1
            while end < len(lines) and len(lines[end]) < BODY_MIN:
                end += 1
            if end - i - 1 >= TEASER_LIST_MIN:
                i = end
                continue
        seen_text = seen_text or len(lines[i]) >= BODY_MIN
        out.append(lines[i])
        i += 1
    return out


def clean_lines(lines: list[str], opts: CleanOptions) -> Cleaned:
    out = Cleaned()
    lines = _drop_teaser_lists([_SPACES.sub(" ", ln).strip() for ln in lines])
    lines = [ln for ln in lines if ln and not is_boilerplate(ln, opts.slogans)]
    lines, out.related = _split_appended(lines, opts)

    lines = _join_label_lines(lines)
    body: list[str] = []
    furniture = list(opts.furniture)
    head = True  # no paragraph in the body yet
    for line in lines:
        # Above the first paragraph a relative stamp ("2 گھنٹے پہلے") dates the page;
        # inside the text it is about the story.
        if _take_label(line, out, opts) or _take_date_line(line, out, opts, relative=head):
            continue
        same = next((f for f in furniture if _same_text(line, f)), None)
        if same is not None:
            furniture.remove(same)  # once: the standfirst's own line
            continue
        if any(_same_text(line, t) for t in opts.known_titles):
            # A known title seen again (an <h1> kept by the extractor); an English
            # title over an Urdu one on bilingual pages is the other known title.
            continue
        body.append(line)
        head = head and len(line) < BODY_MIN

    # The head: short lines before the first paragraph are titles, one Urdu and
    # one English at most; a slot already filled from structured data stays.
    out.title, out.title_en = opts.title, opts.title_en
    while len(body) > 1 and len(body[0]) < TITLE_MAX and parse_dateline(body[0]) is None:
        words = len(body[0].split())
        if words < SECTION_NAME_MAX_WORDS and len(body[0]) < SECTION_NAME_MAX_CHARS:
            body.pop(0)  # a section or breadcrumb name ("صحت", "خبر") above the headline
            continue
        if is_page_header(body[0]):
            body.pop(0)  # "پریس ریلیز نمبر 245" above the bold headline
            continue
        slot = "title_en" if opts.bilingual and is_latin(body[0]) else "title"
        if slot == "title_en" and words < HEADLINE_MIN_WORDS:
            body.pop(0)  # a site's English banner ("District Police Mardan") on an Urdu page
            continue
        if getattr(out, slot) is not None:
            break
        setattr(out, slot, body.pop(0))

    if body:
        dl = parse_dateline(body[0], now=opts.now, tz=opts.tz)
        if dl is not None:
            out.place = dl.place
            out.dateline_date = dl.date
            if getattr(dl, "agency", None) and not out.agency:
                out.agency = dl.agency

    # A closing credit line "(اے پی پی)" names the agency the text came from.
    if body and (m := _CREDIT.fullmatch(body[-1])):
        out.agency = m.group(1).strip()
        body.pop()

    out.body = body
    out.is_excerpt = looks_cut_off(out.body, out.agency, out.related)
    return out


def looks_cut_off(body: list[str], agency: str | None, related: list[Related]) -> bool:
    """An excerpt stops mid-sentence and names where the rest is (an agency or source
    label, or a link to the full story)."""
    last = body[-1] if body else ""
    stops_short = bool(_TRUNCATED.search(last)) or not _SENTENCE_END.search(last)
    return bool(last) and bool(agency or related) and stops_short
