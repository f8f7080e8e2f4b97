"""Words of page furniture for the same-story check (data only).

:mod:`pressbot.dedup.decide` never counts a difference in these words as a fact
change: two copies of a story differ in comment prompts, navigation, share bars,
labels and page-type headers, not in what happened. The list is its own, not
derived from the boilerplate phrase lists (:mod:`pressbot.lexicon.phrases`):
adding a phrase to strip from bodies ("Follow <paper> on Instagram") must not
quietly make "instagram" or a paper's name unable to tell two stories apart.
It was frozen from the phrase lists' words when they were separated; change it
only with the dedup benchmark (bench/dedup_eval.py) run before and after.
"""

from __future__ import annotations

from typing import Final

_WORDS: Final = """
    آخری آپ اس اشاعت اصل اظہار الفاظ اول اوپر اپ اپنا اپنی اپڈیٹ اگلا اگلی اہم ای
    ایپ ایڈریس بریکنگ بشکریہ بک بھیجیں تاریخ تازہ تبصرہ تبصرے تحریر ترین تصویر تفصیل
    جائیں جائے جوائن جواب خانوں خبر خبریں دیکھیں دیں ذریعہ رائے رپورٹ رپورٹر ریلیز
    زد زمرہ سائٹ سب سرورق سکرین سے شائع شاٹ شدہ شیئر صفحہ ضروری فائل فالو فوٹو فیس
    لفظ لنک متعلقہ مزید مقبول مکمل میل نام نشان نہیں نیوز واٹس واپس ویب ٹویٹر ٹیگ
    ٹیگز پر پریس پچھلا پچھلی پڑھیں چینل ڈیٹ کا کریں کلیدی کو کی کیا گا گیا ہمارا
    ہمیں ہوا ہوم ہے یہ یہاں
    a address all are author back be by cancel categories category comment content
    courtesy date dated detail details email facebook fields file filed follow
    friend full go home in keywords last leave like link linkedin marked menu
    modified more news next not on original page photo post posted posts press
    previous print published read related release releases reply reported required
    search see share skip source story tagged tags the this to top tweet twitter
    under updated us view whatsapp will your |
"""
FURNITURE_WORDS: Final[frozenset[str]] = frozenset(_WORDS.split())

# Words of source and byline labels ("ذریعہ:", "خبر کا ذریعہ:", "رپورٹ:", "reported
# by"): at a text's edges a swap next to one of them is a credit, not a fact.
_CREDIT: Final = "ذریعہ بشکریہ خبر کا source courtesy رپورٹ تحریر رپورٹر author by reported"
CREDIT_LABEL_WORDS: Final[frozenset[str]] = frozenset(_CREDIT.split())
