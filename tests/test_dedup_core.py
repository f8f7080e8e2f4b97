"""MinHash, LSH band keys, the same-story decision and the LSH indexes."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from pressbot.db.models import Base, RecordRow
from pressbot.dedup import (
    BANDS,
    NUM_PERM,
    MemoryLshIndex,
    SqlLshIndex,
    band_keys,
    estimate,
    jaccard,
    same_story,
    shingles,
    sig_from_bytes,
    sig_to_bytes,
    signature,
)
from pressbot.text.urdu import match_key

RELEASE = """پشاور، 12 ستمبر، 2023: سینئر سپرنٹنڈنٹ آف پولیس آپریشنز پشاور کی ہدایات پر منشیات فروشوں کے خلاف جاری مہم کے دوران تھانہ چمکنی پولیس نے خفیہ اطلاع پر کارروائی کرتے ہوئے 3 ملزمان کو گرفتار کر کے ان کے قبضے سے 6 کلو گرام چرس اور 450 گرام آئس برآمد کر لی۔
پولیس ترجمان کے مطابق گرفتار ملزمان میں نعیم خان، شاہد اللہ اور عمر گل شامل ہیں جو طویل عرصے سے شہر کے مختلف تعلیمی اداروں کے قریب منشیات فروخت کر رہے تھے۔ ملزمان کے خلاف انسداد منشیات ایکٹ کے تحت مقدمہ درج کر کے تفتیش شروع کر دی گئی ہے۔
ایس ایس پی آپریشنز نے کہا کہ منشیات نوجوان نسل کو تباہ کر رہی ہے اور اس لعنت کے خاتمے کے لیے پولیس کسی قسم کی رعایت نہیں برتے گی۔ انہوں نے عوام سے اپیل کی کہ منشیات فروشوں کے بارے میں اطلاع پولیس کو دیں، اطلاع دینے والے کا نام صیغہ راز میں رکھا جائے گا۔"""  # noqa: E501

UNRELATED = """اسلام آباد: نیشنل ڈیزاسٹر مینجمنٹ اتھارٹی نے 22 سے 26 جولائی کے دوران سندھ اور بلوچستان میں شدید بارشوں کے پیش نظر اربن فلڈنگ کا الرٹ جاری کر دیا ہے۔
این ڈی ایم اے کے مطابق اس دوران کراچی، حیدرآباد، ٹھٹھہ اور بدین میں موسلا دھار بارش کا امکان ہے جبکہ بلوچستان کے ساحلی علاقوں میں ندی نالوں میں طغیانی آ سکتی ہے۔
اتھارٹی نے صوبائی ڈیزاسٹر مینجمنٹ اداروں کو نکاسی آب کے نظام کی صفائی اور ہنگامی مشینری کی دستیابی یقینی بنانے کی ہدایت کی ہے۔"""  # noqa: E501


def key_of(text: str) -> str:
    return match_key(text)


def syndicated(text: str) -> str:
    """Another outlet's copy: dateline, agency line, boilerplate, a spacing variant."""
    body = text.replace("پشاور، 12 ستمبر، 2023:", "پشاور (نمائندہ خصوصی)", 1)
    body = body.replace("کر لی۔", "کرلی۔").replace("کے لیے", "کے لئے")
    return f"{body}\n(اے پی پی)\nاپنا تبصرہ بھیجیں\nPost Views: 37"


# --- MinHash ---------------------------------------------------------------------


def test_signatures_are_deterministic_across_calls_and_processes() -> None:
    key = key_of(RELEASE)
    first = signature(shingles(key))
    assert first.dtype == np.uint32 and first.shape == (NUM_PERM,)
    assert np.array_equal(first, signature(shingles(key)))
    # Another interpreter, other hash randomisation: stored keys must stay valid.
    code = (
        "import sys; from pressbot.dedup import band_keys, signature, shingles; "
        "print(band_keys(signature(shingles(sys.stdin.read()))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=key,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert out.stdout.strip() == str(band_keys(first))


def test_hashes_are_pinned() -> None:
    # Band keys are stored in the database: if these change, every stored key is
    # stale and the index must be rebuilt (a migration, as 0003 did).
    assert shingles("a b c").tolist() == [6804372318925711596]
    assert shingles("پشاور پولیس نے").tolist() == [13798036858364560151]
    assert band_keys(signature(shingles("پشاور پولیس نے ملزمان کو گرفتار کر لیا")))[:3] == [
        1224285205,
        730861377,
        -1177102605,
    ]
    assert shingles("a b c").size == 1
    assert shingles("a b c d").size == 2
    assert shingles("b a c")[0] != shingles("a b c")[0]  # order inside a shingle counts


def test_short_and_empty_texts() -> None:
    assert shingles("").size == 0
    assert shingles("پشاور").size == 1  # fewer words than K: the whole text is one shingle
    empty = signature(shingles(""))
    assert empty.shape == (NUM_PERM,) and int(empty.min()) == 0xFFFFFFFF
    assert len(band_keys(empty)) == BANDS
    assert jaccard(shingles(""), shingles("")) == 0.0


def test_estimate_tracks_exact_jaccard() -> None:
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(5000)]
    for share in (0.1, 0.3, 0.5, 0.7, 0.9):
        common = list(rng.choice(vocab, 300, replace=False))
        a = common + [f"a{i}" for i in range(int(300 * (1 - share)))]
        b = common + [f"b{i}" for i in range(int(300 * (1 - share)))]
        sa, sb = shingles(" ".join(a), 1), shingles(" ".join(b), 1)
        exact = jaccard(sa, sb)
        # Standard error is sqrt(J(1-J)/NUM_PERM) <= 0.04; allow four of them.
        assert abs(estimate(signature(sa), signature(sb)) - exact) < 0.16


def test_estimate_of_a_copy_is_high_and_of_unrelated_text_low() -> None:
    a, b, c = (signature(shingles(key_of(t))) for t in (RELEASE, syndicated(RELEASE), UNRELATED))
    assert estimate(a, b) > 0.6
    assert estimate(a, c) < 0.1


def test_letter_forms_and_digits_give_identical_shingles() -> None:
    arabic = RELEASE.translate(str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"}))
    urdu_digits = RELEASE.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    arabic_digits = RELEASE.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    expected = shingles(key_of(RELEASE))
    for variant in (arabic, urdu_digits, arabic_digits):
        assert np.array_equal(shingles(key_of(variant)), expected)


def test_band_keys_are_signed_64_bit_and_band_specific() -> None:
    keys = band_keys(signature(shingles(key_of(RELEASE))))
    assert len(keys) == BANDS
    assert all(-(2**63) <= k < 2**63 and isinstance(k, int) for k in keys)
    # Equal row values in different bands must not give equal keys.
    flat = np.full(NUM_PERM, 7, dtype=np.uint32)
    assert len(set(band_keys(flat))) == BANDS
    with pytest.raises(ValueError):
        band_keys(flat[:-1])


def test_signature_bytes_round_trip() -> None:
    sig = signature(shingles(key_of(RELEASE)))
    data = sig_to_bytes(sig)
    assert len(data) == 4 * NUM_PERM
    assert np.array_equal(sig_from_bytes(data), sig)


# --- same story -------------------------------------------------------------------


def test_syndicated_copy_is_the_same_story() -> None:
    decision = same_story(key_of(RELEASE), key_of(syndicated(RELEASE)))
    assert decision.same, decision.reason
    assert 0.45 <= decision.jaccard < 1.0


def test_copy_with_a_sentence_dropped_and_one_added_is_the_same_story() -> None:
    edited = RELEASE.replace(
        "ملزمان کے خلاف انسداد منشیات ایکٹ کے تحت مقدمہ درج کر کے تفتیش شروع کر دی گئی ہے۔",
        "واضح رہے کہ گزشتہ ماہ بھی اسی نوعیت کی کارروائی کی گئی تھی۔",
    )
    decision = same_story(key_of(RELEASE), key_of(syndicated(edited)))
    assert decision.same, decision.reason


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("6 کلو گرام چرس", "9 کلو گرام چرس", "number"),
        ("نعیم خان", "ساجد خان", "words"),
        ("تھانہ چمکنی", "تھانہ متھرا", "words"),
        ("3 ملزمان", "پانچ ملزمان", None),  # digits for words: a rewording, no fact
    ],
)
def test_fact_changed_rewrite_is_another_story(old: str, new: str, why: str | None) -> None:
    rewrite = RELEASE.replace(old, new)
    decision = same_story(key_of(RELEASE), key_of(rewrite))
    assert decision.jaccard > 0.85
    if why is None:
        assert decision.same, decision.reason
    else:
        assert not decision.same
        assert why in decision.reason and "differs" in decision.reason


def test_fact_change_survives_syndication_edits() -> None:
    rewrite = syndicated(RELEASE.replace("450 گرام آئس", "750 گرام آئس"))
    decision = same_story(key_of(RELEASE), key_of(rewrite))
    assert not decision.same
    assert "450 -> 750" in decision.reason


def test_unrelated_text_is_below_the_threshold() -> None:
    decision = same_story(key_of(RELEASE), key_of(UNRELATED))
    assert not decision.same and "below" in decision.reason


def test_different_dateline_date_is_not_a_fact() -> None:
    later = RELEASE.replace("پشاور، 12 ستمبر، 2023:", "پشاور، 13 ستمبر، 2023:")
    assert same_story(key_of(RELEASE), key_of(later)).same


# --- indexes ------------------------------------------------------------------------


def _record(rid: int, body: str) -> RecordRow:
    return RecordRow(
        id=rid,
        url_key=f"example.com/{rid}",
        url=f"https://example.com/{rid}",
        canonical_url=f"https://example.com/{rid}",
        title=str(rid),
        body=body,
        content_hash=str(rid),
        change_seq=rid,
    )


def test_sql_index_finds_the_copy_and_not_unrelated_text(db_url: str) -> None:
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    index = SqlLshIndex()
    keys = {
        rid: band_keys(signature(shingles(key_of(text))))
        for rid, text in ((1, RELEASE), (2, UNRELATED))
    }
    with Session(engine) as session:
        session.add_all([_record(1, RELEASE), _record(2, UNRELATED)])
        session.flush()
        index.add(session, 1, keys[1])
        index.add_many(session, [(2, keys[2])])
        session.commit()
    query = band_keys(signature(shingles(key_of(syndicated(RELEASE)))))
    with Session(engine) as session:
        found = index.candidates(session, query, limit=10)
        assert [rid for rid, _ in found] == [1]
        assert 0 < found[0][1] <= BANDS
        assert index.candidates(session, keys[2], limit=10) == [(2, BANDS)]
        assert index.candidates(session, query, exclude=1) == []
        assert index.candidates(session, []) == []
        index.remove(session, 1, keys[1])
        session.commit()
        assert index.candidates(session, query) == []
    engine.dispose()


def test_memory_index_matches_the_sql_index() -> None:
    mem = MemoryLshIndex()
    texts = {1: RELEASE, 2: UNRELATED, 3: syndicated(RELEASE)}
    for rid, text in texts.items():
        mem.add(None, rid, band_keys(signature(shingles(key_of(text)))))
    query = band_keys(signature(shingles(key_of(RELEASE))))
    found = mem.candidates(None, query)
    assert found[0] == (1, BANDS)
    assert [rid for rid, _ in found] == [1, 3]
    assert mem.candidates(None, query, limit=1) == [(1, BANDS)]
    assert [rid for rid, _ in mem.candidates(None, query, exclude=1)] == [3]
    mem.remove(None, 3)
    assert [rid for rid, _ in mem.candidates(None, query)] == [1]


def test_the_boilerplate_lexicon_does_not_change_the_fact_check() -> None:
    # The fact check has its own furniture list (pressbot/lexicon/furniture.py): a
    # phrase added to clean bodies ("Follow <paper> on Instagram") must not make
    # its words unable to tell two stories apart.
    import pressbot.dedup.decide as decide
    from pressbot.lexicon.furniture import FURNITURE_WORDS

    assert not hasattr(decide, "BOILERPLATE_LINES") and not hasattr(decide, "LABELS")
    assert {match_key(w) for w in FURNITURE_WORDS} <= decide._FURNITURE
    assert decide._is_content("instagram") and decide._is_content("تابعونا")
