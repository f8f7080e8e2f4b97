"""Boilerplate and label phrases, kept as data, one table per language.

Lines are compared on keys (:func:`pressbot.extract.clean.line_key`: letter
forms, digits, diacritics and case folded, whitespace collapsed, surrounding
punctuation and arrows stripped), so each phrase is listed once in its plain
spelling: "شیئر کریں" also catches "شيئر کريں" from a windows-1256 page, and an
Arabic phrase written with ي ك ه ة catches itself however it is typed. Regular
expressions (the *_PATTERNS) run on those keys too, so they are written in key
form: Urdu letters (ی ک ہ ۃ for Arabic ي ك ه ة), ASCII digits, lower case.
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
    "ar": (
        # comment forms and their headings
        "أضف تعليقك", "أضف تعليقا", "اترك تعليقا", "اترك تعليقاً", "التعليقات", "تعليقات",
        "سياسة التعليقات", "شروط التعليق", "قواعد التعليق", "شروط النشر", "إرسال التعليق",
        "الاسم", "البريد الإلكتروني", "إرسال",
        # navigation
        "الرئيسية", "الصفحة الرئيسية", "عودة", "رجوع", "للأعلى", "العودة للأعلى", "المزيد",
        "الخبر التالي", "الخبر السابق", "أخبار ذات صلة", "مواضيع ذات صلة", "اقرأ أيضا",
        "اقرأ أيضاً", "الأكثر قراءة", "الأكثر مشاهدة", "آخر الأخبار", "عاجل",
        # share / follow
        "شارك", "مشاركة", "شارك الخبر", "شارك على فيسبوك", "شارك على تويتر", "طباعة",
        "تابعونا", "فيسبوك", "تويتر", "واتساب",
        # page-type headers
        "بيان صحفي", "خبر صحفي", "تفاصيل الخبر",
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
        "for immediate release", "handout",
    ),
}  # fmt: skip

# Page-type headers, whole or followed by a number or date ("پریس ریلیز نمبر 245",
# "Press Release No. 12/2025", "HANDOUT"): above the headline on government
# templates, never the headline itself. Compared on keys.
PAGE_TYPE_HEADERS: tuple[str, ...] = (
    "پریس ریلیز", "پریس ریلیز کی تفصیل", "ہینڈ آؤٹ", "ہینڈ آوٹ", "اعلامیہ", "پریس نوٹ",
    "خبر کی تفصیل", "press release", "press releases", "press release detail",
    "press release details", "press note", "handout", "news release", "news detail",
    "news details", "press statement", "بيان صحفي", "خبر صحفي",
)  # fmt: skip
# What may follow a page-type header on its line: a number, a date, "for immediate
# release" (a regular expression in key form).
PAGE_TYPE_SUFFIX: str = (
    r"(\s*(no|number|نمبر|رقم|#|pr)\.?\s*[\d/\-]+)?(\s*[\d][\d/\-.,\s]*)?"
    r"(\s*(for immediate release|برائے فوری اشاعت))?"
)

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
    r".{0,80}(©|copyright|all rights reserved|جملہ حقوق محفوظ ہیں|جملہ حقوق"
    r"|جمیع الحقوق محفوظۃ|حقوق النشر محفوظۃ|کلیہ حقوق).{0,80}",
    # breadcrumbs and menus: short items separated by | » › > (no "label:" in them,
    # which would make the line a byline such as "تاریخ: 25 مئی 2025 | 08:40 PM")
    r"[^|»›>:：]{1,30}(\s*[|»›>]\s*[^|»›>:：]{1,30}){1,8}",
    # "the paper need not agree with the writer's views" under columns and comments
    r"(نوٹ\s*[:：]?\s*)?.{0,60}(ادارہ|ادارے).{0,80}متفق ہونا ضروری نہیں.{0,60}",
    r"(share|شیئر)\s*(this|on|کریں)?\s*[:：]?"
    r"(\s*(facebook|twitter|whatsapp|x|email|فیس بک|ٹویٹر|واٹس ایپ)\s*[,،|]?)+",
)

# Comment-policy notices ("the comments express their writers' views, not the
# paper's"; "comments with insults will be deleted"): a line of at most
# COMMENT_POLICY_MAX characters holding a comment word and a policy word.
COMMENT_POLICY_MAX = 400
COMMENT_WORDS: tuple[str, ...] = (
    "comments", "commenting", "commenters",
    "تبصرہ", "تبصرے", "تبصروں", "تبصرہ نگار",
    "تعليق", "التعليق", "تعليقات", "التعليقات", "تعليقك", "تعليقاتكم",
)  # fmt: skip
# Phrases a site writes about its comments and nobody writes in a story; words such
# as "policy", "offensive", "رأي" alone turn up in news about comments too.
COMMENT_POLICY_WORDS: tuple[str, ...] = (
    "are moderated", "be moderated", "moderation", "views expressed", "do not reflect",
    "does not reflect", "not necessarily reflect", "will be deleted", "will be removed",
    "reserve the right", "comment policy", "community guidelines",
    "متفق ہونا ضروری نہیں", "ضروری نہیں کہ", "ذمہ دار نہیں", "شائع نہیں", "حذف کر دیا جائے گا",
    "حذف کر دیے جائیں گے",
    "لا تعبر", "رأي أصحابها", "رأي كاتبها", "بالضرورة", "سيتم حذف", "يتم حذف", "مسيئة",
    "الالتزام بآداب", "آداب الحوار", "سياسة التعليق", "شروط التعليق", "قواعد التعليق",
    "يتحمل",
)  # fmt: skip

# Follow-us lines after an article ("Follow Dawn on Twitter and Instagram … join our
# WhatsApp channel", "ہمیں فیس بک اور ٹویٹر پر فالو کریں", "تابعونا على فيسبوك
# وتويتر"): a follow verb and two networks, or one network and a channel.
FOLLOW_LINE_MAX = 300
FOLLOW_VERBS: tuple[str, ...] = (
    "follow", "join", "subscribe", "like us", "connect with us", "stay connected",
    "فالو", "جوائن", "سبسکرائب", "لائک",
    "تابعونا", "تابعوا", "انضموا", "اشتركوا", "تابعنا",
)  # fmt: skip
SOCIAL_NETWORKS: tuple[str, ...] = (
    "facebook", "twitter", "instagram", "whatsapp", "youtube", "tiktok", "linkedin",
    "telegram", "threads", "google news", "x (formerly twitter)",
    "فیس بک", "فیس بُک", "ٹویٹر", "ٹوئٹر", "انسٹاگرام", "انسٹا گرام", "واٹس ایپ", "واٹس اپ",
    "یوٹیوب", "ٹک ٹاک", "ٹیلی گرام",
    "فيسبوك", "فيس بوك", "تويتر", "انستغرام", "إنستغرام", "انستجرام", "واتساب", "واتس اب",
    "يوتيوب", "تيك توك", "تلغرام", "تيليجرام",
)  # fmt: skip
CHANNEL_WORDS: tuple[str, ...] = ("channel", "چینل", "قناة", "قناتنا", "گروپ", "group")

# Headings of a list of teasers (columnists, most read, related): after the text,
# the heading and the short lines under it go.
TEASER_HEADINGS: tuple[str, ...] = (
    "کالم", "کالمز", "کالم نگار", "مزید کالم", "دیگر کالمز", "تازہ ترین کالم", "مقبول کالم",
    "مقبول خبریں", "مزید خبریں", "متعلقہ خبریں", "اہم خبریں", "تازہ ترین خبریں",
    "columns", "columnists", "opinion", "more from opinion", "most read", "most popular",
    "related stories", "related news", "more stories", "more news", "trending",
    "you may also like", "recommended",
    "كتاب الرأي", "مقالات الرأي", "آراء", "مقالات", "الأكثر قراءة", "أخبار ذات صلة",
    "مواضيع ذات صلة", "آخر الأخبار",
)  # fmt: skip

# Labelled lines: "<label>: value" becomes a metadata field, not body text.
LABELS: dict[str, tuple[str, ...]] = {
    "published_at": (
        "اشاعت کی تاریخ", "تاریخ اشاعت", "شائع شدہ", "شائع ہوا", "تاریخ",
        "published on", "published", "posted on", "dated", "date", "release date",
        "تاريخ النشر", "نشر في", "نشر بتاريخ", "تاریخ انتشار",
    ),
    "updated_at": (
        "updated on", "last updated", "updated", "modified", "اپ ڈیٹ", "آخری اپ ڈیٹ",
        "اپڈیٹ", "latest update", "last update", "آخر تحديث", "تم التحديث", "آخرین بروزرسانی",
    ),
    "agency": ("ذریعہ", "بشکریہ", "خبر کا ذریعہ", "source", "courtesy", "المصدر"),
    "keywords": (
        "کلیدی لفظ", "کلیدی الفاظ", "ٹیگز", "ٹیگ", "زمرہ", "tags", "keywords", "tagged",
        "filed under", "posted in", "categories", "category",
        "الكلمات المفتاحية", "كلمات مفتاحية", "وسوم", "الوسوم", "كلمات دلالية", "برچسب ها",
    ),
    "author": ("رپورٹ", "تحریر", "رپورٹر", "author", "by", "reported by", "بقلم", "كتب"),
}  # fmt: skip
# Date labels that also stand without a colon before a date at the start of a
# line ("Latest Update 12 May, 2025", "آخری اپ ڈیٹ 12 مئی 2025"): none of them
# opens a sentence.
BARE_DATE_LABELS: tuple[str, ...] = (
    "latest update", "last updated", "last update", "updated on", "published on", "posted on",
    "آخری اپ ڈیٹ", "اپ ڈیٹ", "اپڈیٹ", "اشاعت کی تاریخ", "تاریخ اشاعت",
    "آخر تحديث", "تاريخ النشر", "نشر في", "نشر بتاريخ",
)  # fmt: skip

# Markers of a teaser or an appended article ("read this too").
TEASER_MARKERS: tuple[str, ...] = (
    "پڑھیں", "یہ بھی پڑھیں", "مزید پڑھیں", "یہ بھی پڑھیے", "مزید پڑھیے", "یہ بھی دیکھیں",
    "اسے بھی پڑھیں", "مزید جانیں", "also read", "read more", "read also", "see also",
    "related", "also see", "اقرأ أيضا", "اقرأ أيضاً", "اقرأ المزيد",
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
