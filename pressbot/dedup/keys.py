"""The band keys stored for a record: LSH bands of the whole text, plus bands of its
lead (first words), so an aggregator's cut-off excerpt finds the full article it
was cut from -- its Jaccard similarity to the whole is too low for the first set."""

from __future__ import annotations

from pressbot.dedup.minhash import band_keys, shingles, signature

# Words of the lead; excerpts in the wild keep at least the first paragraph.
LEAD_WORDS = 60
# 10 x 8 of a lead's signature: leads of a copy and its original are near-identical
# (recall as the store decides: 0.988 with 10 x 8, 0.990 with the earlier 20 x 8).
LEAD_BANDS, LEAD_ROWS = 10, 8
# Lead keys live in their own part of the key space (band keys are signed 32-bit;
# XOR with a 30-bit constant keeps them so).
_LEAD_SALT = 0x2D5A_6C1F


def lead(key: str, words: int = LEAD_WORDS) -> str:
    return " ".join(key.split()[:words])


def record_keys(key: str) -> list[int]:
    """Band keys of a match key: whole text, then lead."""
    whole = band_keys(signature(shingles(key)))
    # A text shorter than the lead is its own lead, so it meets the leads of longer texts.
    # Leads of a copy and its original are near-identical: fewer, longer bands
    # (10 x 8 of the same 80 values) find them and cost fewer rows.
    head_sig = signature(shingles(lead(key)))
    head = [k ^ _LEAD_SALT for k in band_keys(head_sig, bands=LEAD_BANDS, rows=LEAD_ROWS)]
    return whole + head
