"""Near-duplicate detection: MinHash LSH over word shingles of Urdu match keys,
then an explainable same-story decision that keeps fact-changed rewrites apart.

Typical use for a new record (``key = pressbot.text.urdu.match_key(body)``)::

    keys = band_keys(signature(shingles(key)))
    for record_id, _bands in index.candidates(session, keys):
        if same_story(key, match_key(body_of(record_id))).same:
            ...  # a copy of record_id's story
    index.add(session, new_id, keys)
"""

from __future__ import annotations

from pressbot.dedup.decide import (
    THRESHOLD,
    Decision,
    MemoryLshIndex,
    SqlLshIndex,
    fact_change,
    same_story,
)
from pressbot.dedup.minhash import (
    BANDS,
    NUM_PERM,
    ROWS,
    K,
    band_keys,
    estimate,
    jaccard,
    shingles,
    sig_from_bytes,
    sig_to_bytes,
    signature,
)

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "THRESHOLD",
    "Decision",
    "K",
    "MemoryLshIndex",
    "SqlLshIndex",
    "band_keys",
    "estimate",
    "fact_change",
    "jaccard",
    "same_story",
    "shingles",
    "sig_from_bytes",
    "sig_to_bytes",
    "signature",
]
