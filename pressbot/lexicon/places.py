"""Places, news agencies and non-place words for recognising datelines.

Data only.  The gazetteer is not the only signal a dateline parser uses: a short
name followed by ":" is accepted by shape alone.  It lets weaker shapes through
("پشاور (نمائندہ خصوصی)"), where a parenthesis after two words could otherwise be
anything.  Entries are compared ignoring spaces, case and letter-form variants.
"""

from __future__ import annotations

from typing import Final

# fmt: off
PLACES_UR: Final[frozenset[str]] = frozenset(
    {
        # federal capital and provincial capitals
        "اسلام آباد", "لاہور", "کراچی", "پشاور", "کوئٹہ", "گلگت", "مظفرآباد",
        # Punjab
        "راولپنڈی", "فیصل آباد", "ملتان", "گوجرانوالہ", "سیالکوٹ", "بہاولپور", "سرگودھا",
        "ساہیوال", "شیخوپورہ", "قصور", "اوکاڑہ", "گجرات", "جہلم", "اٹک", "چکوال", "میانوالی",
        "خانیوال", "وہاڑی", "جھنگ", "ٹوبہ ٹیک سنگھ", "رحیم یار خان", "ڈیرہ غازی خان",
        "ڈی جی خان", "نارووال", "مری", "بہاولنگر", "لیہ", "مظفرگڑھ", "راجن پور", "بھکر",
        "حافظ آباد", "منڈی بہاؤالدین", "پاکپتن", "لودھراں", "خوشاب", "ننکانہ صاحب",
        # Khyber Pakhtunkhwa
        "مردان", "ایبٹ آباد", "سوات", "مینگورہ", "کوہاٹ", "بنوں", "ڈیرہ اسماعیل خان",
        "ڈی آئی خان", "چارسدہ", "نوشہرہ", "صوابی", "مانسہرہ", "ہری پور", "چترال", "دیر",
        "باجوڑ", "خیبر", "لنڈی کوتل", "ٹانک", "لکی مروت", "کرک", "ہنگو", "بٹگرام",
        "شانگلہ", "بونیر", "ملاکنڈ", "پاراچنار", "کرم", "مہمند", "وزیرستان", "میران شاہ",
        # Sindh
        "حیدرآباد", "سکھر", "لاڑکانہ", "نواب شاہ", "میرپور خاص", "ٹھٹھہ", "جیکب آباد",
        "شکارپور", "خیرپور", "دادو", "بدین", "عمرکوٹ", "تھرپارکر", "مٹھی",
        # Balochistan
        "گوادر", "تربت", "خضدار", "ژوب", "سبی", "چمن", "لورالائی", "نصیر آباد", "مستونگ",
        # Gilgit-Baltistan and Azad Kashmir
        "اسکردو", "سکردو", "ہنزہ", "میرپور", "راولاکوٹ", "کوٹلی",
        # abroad, as datelines in Pakistani outlets
        "بیجنگ", "شنگھائی", "واشنگٹن", "نیویارک", "لندن", "دبئی", "ابوظہبی", "ریاض", "جدہ",
        "مکہ مکرمہ", "مدینہ منورہ", "تہران", "کابل", "نئی دہلی", "دہلی", "ماسکو", "پیرس",
        "برلن", "جنیوا", "ٹوکیو", "استنبول", "انقرہ", "دوحہ", "قاہرہ", "برسلز", "اقوام متحدہ",
        "کوالالمپور", "تھیانجن", "سری نگر", "مقبوضہ کشمیر",
    }
)

PLACES_EN: Final[frozenset[str]] = frozenset(
    {
        "islamabad", "lahore", "karachi", "peshawar", "quetta", "gilgit", "muzaffarabad",
        "rawalpindi", "faisalabad", "multan", "gujranwala", "sialkot", "bahawalpur",
        "sargodha", "sahiwal", "sheikhupura", "kasur", "okara", "gujrat", "jhelum", "attock",
        "chakwal", "mianwali", "murree", "dera ghazi khan", "dg khan", "d.g. khan",
        "rahim yar khan", "mardan", "abbottabad", "swat", "mingora", "kohat", "bannu",
        "dera ismail khan", "di khan", "d.i. khan", "d.i.khan", "charsadda", "nowshera",
        "swabi", "mansehra", "haripur", "chitral", "dir", "bajaur", "khyber", "landi kotal",
        "tank", "lakki marwat", "karak", "hangu", "parachinar", "hyderabad", "sukkur",
        "larkana", "nawabshah", "mirpurkhas", "thatta", "jacobabad", "gwadar", "turbat",
        "khuzdar", "zhob", "sibi", "chaman", "skardu", "hunza", "mirpur",
        "beijing", "shanghai", "washington", "new york", "london", "dubai", "abu dhabi",
        "riyadh", "jeddah", "makkah", "madinah", "tehran", "kabul", "new delhi", "moscow",
        "paris", "berlin", "geneva", "tokyo", "istanbul", "ankara", "doha", "cairo",
        "brussels", "united nations", "kuala lumpur", "tianjin", "srinagar",
    }
)

# Agencies and desk credits that appear in parentheses after the place.
AGENCIES: Final[frozenset[str]] = frozenset(
    {
        "اے پی پی", "آن لائن", "این این آئی", "پی پی آئی", "آئی این پی", "ثنا نیوز",
        "نیوز ڈیسک", "ویب ڈیسک", "مانیٹرنگ ڈیسک", "نمائندہ خصوصی", "نمائندہ", "نامہ نگار",
        "اسٹاف رپورٹر", "سٹاف رپورٹر", "خبر نگار", "ایجنسیاں", "رائٹرز", "اے ایف پی",
        "شنہوا", "بی بی سی", "سی آر آئی", "کامرس رپورٹر", "پ ر", "بیورو رپورٹ", "بیورو",
        "کرائم رپورٹر", "سپورٹس ڈیسک", "ایجنسیز",
        "app", "ppi", "nni", "inp", "online", "reuters", "afp", "ap", "xinhua", "app/ppi",
        "news desk", "web desk", "monitoring desk", "staff reporter", "our correspondent",
        "correspondent", "press release", "pr",
    }
)

# Any of these words inside the parentheses marks a desk or reporter credit.
AGENCY_KEYWORDS: Final[frozenset[str]] = frozenset(
    {
        "ڈیسک", "نمائندہ", "رپورٹر", "نگار", "نیوز", "ایجنسی", "ایجنسیاں", "بیورو", "رپورٹ",
        "desk", "reporter", "correspondent", "news", "agency", "agencies",
    }
)

# Words that never make up a place name.  A line "X: …" whose X holds one of
# them is a label ("ذریعہ: …"), a speaker ("انہوں نے کہا: …") or a sentence.
NOT_PLACE_WORDS: Final[frozenset[str]] = frozenset(
    {
        # Urdu function words: a place name has no postposition or verb in it
        "نے", "کا", "کی", "کے", "کو", "میں", "سے", "پر", "تک", "اور", "یا", "ہے", "ہیں",
        "تھا", "تھی", "تھے", "کہا", "کہ", "یہ", "وہ", "اس", "ان", "جو", "بھی", "گیا", "گئی",
        "کیا", "ہو", "ہوا", "انہوں", "ہم", "آپ", "میرا", "ہمارا",
        # labels of metadata and navigation
        "ذریعہ", "ماخذ", "کلیدی", "لفظ", "الفاظ", "پڑھیں", "مزید", "نوٹ", "اشاعت", "تاریخ",
        "ٹیگز", "ٹیگ", "زمرہ", "زمرے", "موضوع", "حوالہ", "فون", "ای", "میل", "سوال", "جواب",
        "تحریر", "رپورٹ", "خبر", "تصویر", "ویڈیو", "اپڈیٹ", "شائع", "مصنف", "نام", "پتہ",
        "ویب", "سائٹ", "لنک", "شیئر", "تبصرہ", "تبصرے", "اعلامیہ", "ریلیز", "پریس",
        # office titles, which open quoted statements
        "وزیر", "وزیراعظم", "وزیراعلیٰ", "وزیراعلی", "صدر", "ترجمان", "چیئرمین", "گورنر",
        "آئی", "جی", "ڈی", "ایس", "پی", "او", "سی", "ڈاکٹر", "جناب", "محترمہ",
        # English labels and titles
        "note", "source", "sources", "tags", "tag", "posted", "updated", "dated",
        "published", "by", "read", "also", "more", "keywords", "keyword", "views", "post",
        "category", "categories", "related", "share", "comments", "comment", "reference",
        "subject", "press", "release", "handout", "photo", "caption", "author", "email",
        "e-mail", "tel", "phone", "fax", "website", "web", "date", "time", "ref", "no",
        "q", "a", "question", "answer", "minister", "president", "spokesman", "spokesperson",
        "chairman", "governor", "igp", "dig", "ssp", "dpo", "cpo", "mr", "mrs", "ms", "dr",
        "the", "this", "that", "he", "she", "we", "they", "it", "said", "says", "and", "or",
        "in", "on", "at", "of", "for", "to", "with", "from", "is", "are", "was", "were",
    }
)

# Body openings that show a place-and-parenthesis start is a sentence, not a
# dateline: "پشاور (خیبر پختونخوا) میں …" ("in Peshawar (KP) …").
SENTENCE_CONTINUATIONS: Final[frozenset[str]] = frozenset(
    {"میں", "نے", "کا", "کی", "کے", "سے", "کو", "پر", "تک", "اور", "بھی", "is", "was", "has"}
)
# fmt: on
