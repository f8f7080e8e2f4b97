"""Boilerplate and label phrases, kept as data, one table per language.

Lines are compared after :func:`pressbot.extract.clean.line_key` (case-folded,
whitespace collapsed, surrounding punctuation and arrows stripped), so each
phrase is listed once in its plain spelling.
"""

from __future__ import annotations

# Lines that are never article text: the whole line equals one of these.
BOILERPLATE_LINES: dict[str, tuple[str, ...]] = {
    "ur": (
        # comment forms
        "اپنا تبصرہ بھیجیں", "اپنی رائے کا اظہار کریں", "تبصرہ کریں", "تبصرے", "جواب دیں",
        "تبصرہ", "نام", "ای میل", "ویب سائٹ", "تبصرہ شائع کریں",
        "آپ کا ای میل ایڈریس شائع نہیں کیا جائے گا", "ضروری خانوں کو * سے نشان زد کیا گیا ہے",
        "اس خبر پر اپنی رائے کا اظہار کریں",
        # navigation
        "واپس اوپر جائیں", "اوپر جائیں", "واپس", "سرورق", "ہوم", "صفحہ اول", "اگلا صفحہ",
        "پچھلا صفحہ",
        "اگلی خبر", "پچھلی خبر", "مزید خبریں", "مزید", "سب دیکھیں",
        "بریکنگ", "بریکنگ نیوز", "تازہ ترین", "تازہ ترین خبریں", "مقبول خبریں",
        "متعلقہ خبریں", "اہم خبریں",
        # share / follow
        "شیئر کریں", "یہ خبر شیئر کریں", "شیئر", "ہمیں فالو کریں", "فالو کریں",
        "واٹس ایپ", "فیس بک", "ٹویٹر", "ہمارا واٹس ایپ چینل جوائن کریں",
        # page-type headers
        "پریس ریلیز", "خبر کی تفصیل", "پریس ریلیز کی تفصیل",
        # captions and links around the text
        "فائل فوٹو", "فوٹو فائل", "اصل خبر کا لنک", "اصل خبر پڑھیں", "مکمل خبر پڑھیں",
        "مکمل خبر اصل ویب سائٹ پر پڑھیں", "مکمل خبر یہاں پڑھیں", "خبر کا لنک",
        "تصویر: فائل", "سکرین شاٹ",
    ),
    "en": (
        "go to top", "back to top", "top", "home", "next", "previous", "next post",
        "previous post", "read more", "leave a reply", "leave a comment", "post comment",
        "cancel reply", "your email address will not be published",
        "required fields are marked *", "share", "share this", "share this:", "share on facebook",
        "share on twitter", "tweet", "facebook", "twitter", "whatsapp", "linkedin", "email",
        "print", "like this:", "like", "related", "related posts", "follow us",
        "press release detail", "press release details", "press releases", "press release",
        "news detail", "news details", "skip to content", "menu", "search", "back", "go back",
        "back to press releases", "back to news", "email to a friend", "print this page",
        "print | email", "back print", "more", "more news", "view all", "see all",
        "file photo", "photo: file", "read the full story", "original story", "source link",
    ),
}  # fmt: skip

# Lines that are boilerplate by shape (regular expressions, matched case-insensitively
# against the whole stripped line).
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"(post\s+|total\s+|page\s+)?(views?|hits|reads|visitors)\s*[:：]?\s*[\d,٠-٩۰-۹]+",
    # photo credits: "فوٹو: سکھر پولیس", "Photo: APP"
    r"(فوٹو|تصویر|بشکریہ فوٹو|photo|image|picture|file photo)\s*[:：].{0,60}",
    # share bars glued together: "Share on FacebookShare on Twitter"
    r"((share|tweet|pin)\s*(on|via)?\s*(facebook|twitter|whatsapp|linkedin|x|email|pinterest|telegram)\s*)+",
    # reading-time badges: "خبر پڑھنے کا وقت: 1 منٹ", "3 min read"
    r"(خبر\s+)?پڑھنے\s+کا\s+وقت\s*[:：]?.{0,20}",
    r"(reading time\s*[:：]?\s*)?\d+\s*(min|mins|minutes?)\s*(read)?",
    # news tickers: "تازہ ترین: ...", "Breaking: ..."
    r"(تازہ ترین|بریکنگ نیوز|بریکنگ|اہم خبر|breaking news|breaking|latest)\s*[:：].{0,200}",
    r"(مناظر|ویوز|دیکھا گیا)\s*[:：]?\s*[\d,٠-٩۰-۹]+(\s*(بار|مرتبہ))?",
    r".{0,80}(©|copyright|all rights reserved|جملہ حقوق محفوظ ہیں|جملہ حقوق).{0,80}",
    # breadcrumbs and menus: short items separated by | » › > (no "label:" in them,
    # which would make the line a byline such as "تاریخ: 25 مئی 2025 | 08:40 PM")
    r"[^|»›>:：]{1,30}(\s*[|»›>]\s*[^|»›>:：]{1,30}){1,8}",
    r"(share|شیئر)\s*(this|on|کریں)?\s*[:：]?"
    r"(\s*(facebook|twitter|whatsapp|x|email|فیس بک|ٹویٹر|واٹس ایپ)\s*[,،|]?)+",
)

# Labelled lines: "<label>: value" becomes a metadata field, not body text.
LABELS: dict[str, tuple[str, ...]] = {
    "published_at": (
        "اشاعت کی تاریخ", "تاریخ اشاعت", "شائع شدہ", "شائع ہوا", "تاریخ",
        "published on", "published", "posted on", "dated", "date", "release date",
    ),
    "updated_at": (
        "updated on", "last updated", "updated", "modified", "اپ ڈیٹ", "آخری اپ ڈیٹ",
        "اپڈیٹ",
    ),
    "agency": ("ذریعہ", "بشکریہ", "خبر کا ذریعہ", "source", "courtesy"),
    "keywords": (
        "کلیدی لفظ", "کلیدی الفاظ", "ٹیگز", "ٹیگ", "زمرہ", "tags", "keywords", "tagged",
        "filed under", "posted in", "categories", "category",
    ),
    "author": ("رپورٹ", "تحریر", "رپورٹر", "author", "by", "reported by"),
}  # fmt: skip

# Markers of a teaser or an appended article ("read this too").
TEASER_MARKERS: tuple[str, ...] = (
    "پڑھیں", "یہ بھی پڑھیں", "مزید پڑھیں", "یہ بھی پڑھیے", "مزید پڑھیے", "یہ بھی دیکھیں",
    "اسے بھی پڑھیں", "مزید جانیں", "also read", "read more", "read also", "see also",
    "related", "also see",
)  # fmt: skip

# Tokens of a share/follow bar: a short line made only of these is boilerplate.
SHARE_TOKENS: frozenset[str] = frozenset(
    {
        "facebook", "twitter", "whatsapp", "linkedin", "email", "print", "pinterest",
        "telegram", "x", "share", "tweet", "reddit", "copy", "link", "شیئر", "کریں",
        "فیس", "بک", "ٹویٹر", "واٹس", "ایپ", "ای", "میل", "پرنٹ",
    }
)  # fmt: skip

# Endings of a paragraph that stops mid-sentence (an excerpt of a longer article).
TRUNCATION_PATTERNS: tuple[str, ...] = (
    r"\d\.$",  # "...کا پیمانہ 3." -- a decimal cut off after the point
    r"(\.\.\.|…)\s*$",
    r"\[(…|\.\.\.)\]\s*$",
)
