"""MinHash signatures and LSH band keys over word shingles of Urdu match keys.

Everything here is deterministic across processes, machines and library versions:
tokens are hashed with blake2b, the permutation coefficients are derived from
blake2b too (not from a numpy random stream, whose output numpy does not promise
to keep), and all mixing is fixed-width integer arithmetic.  Signatures and band
keys stored in a database therefore stay valid across deployments.

Parameters were chosen on the labelled set built by ``bench/dedup_data.py``
(``python bench/dedup_eval.py`` prints the numbers behind them):

* ``K = 3``: the shortest shingle that keeps unrelated texts apart.  With 2-word
  shingles ("کے لیے", "نے کہا") unrelated releases share enough to make ~7x more
  false LSH candidates than with 3 (3.2 vs 0.5 per lookup among 10k records) and
  same-topic releases reach Jaccard 0.46, into the copies' range; 4 and 5 make
  every small edit of a short Urdu text cost more (heavily edited copies fall to
  0.39 at k=5 against 0.42 at k=3; decision recall 0.994 at k=4 and 0.992 at
  k=5 against 0.996 at k=3).
* ``NUM_PERM = 80`` in ``BANDS = 20`` bands of ``ROWS = 4``: a pair at Jaccard s
  becomes a candidate with probability 1 - (1 - s^4)^20: 0.73 at 0.5, 0.93 at
  0.6, 0.99 at 0.7. Syndicated copies sit far above the decision threshold
  (0.45), so on the labelled set the store's decision (these bands plus the lead's,
  see keys.py) keeps recall 0.988 / 0.988 / 0.979 on seeds 7 / 8 / 9, against
  0.990 / 0.988 / 0.981 with the earlier 40 x 4 -- for half the stored keys, which
  is what bounds the index (rows per record, bytes per record, write time) as the
  archive grows. Three rows per band would find more weak copies but bring ~13x
  more false candidates (6.4 against 0.5 per lookup among 10k records).
* Keys are signed 32-bit: a record's ~30 keys among 30 million stored ones (a
  million records) meet a stranger's key with probability ~30 * 3e7 / 2**32 = 0.2
  per look-up -- a false candidate that the same-story check then refuses -- and a
  32-bit key halves the index's key column against 64 bits.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "K",
    "band_keys",
    "estimate",
    "jaccard",
    "shingles",
    "sig_from_bytes",
    "sig_to_bytes",
    "signature",
]

K: Final = 3
BANDS: Final = 20
ROWS: Final = 4
NUM_PERM: Final = BANDS * ROWS

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

# 2**61 - 1: with a, b, x all below 2**32, a*x + b stays below 2**64, so the
# universal hash is computed exactly in uint64 without overflow.
_MERSENNE: Final = np.uint64((1 << 61) - 1)
_MASK32: Final = np.uint64(0xFFFFFFFF)
_FNV_PRIME: Final = np.uint64(0x100000001B3)
_SPLITMIX_1: Final = np.uint64(0xBF58476D1CE4E5B9)
_SPLITMIX_2: Final = np.uint64(0x94D049BB133111EB)
_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)
_EMPTY: Final = np.zeros(0, dtype=np.uint64)


def _stable64(data: bytes, person: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, person=person).digest(), "little")


@lru_cache(maxsize=1 << 17)
def _token_hash(token: str) -> int:
    # Cached: a few hundred function words make up most tokens of any text.
    return _stable64(token.encode("utf-8"), b"pressbot-tok")


def _mix(h: U64) -> U64:
    """splitmix64 finaliser: spreads the FNV-combined value over all 64 bits."""
    h = h ^ (h >> np.uint64(30))
    h = h * _SPLITMIX_1
    h = h ^ (h >> np.uint64(27))
    h = h * _SPLITMIX_2
    return h ^ (h >> np.uint64(31))


def shingles(key: str, k: int = K) -> U64:
    """Sorted unique 64-bit hashes of the word ``k``-shingles of a match key.

    A text of fewer than ``k`` words (but at least one) is one shingle; an empty
    text has none.  Order inside a shingle matters ("A B C" differs from "B A C").
    """
    tokens = key.split()
    n = len(tokens)
    if n == 0:
        return _EMPTY.copy()
    th = np.fromiter(map(_token_hash, tokens), dtype=np.uint64, count=n)
    width = min(k, n)
    m = n - width + 1
    # FNV-style combination, one token position at a time, vectorised over windows.
    h = np.full(m, _GOLDEN, dtype=np.uint64)
    for j in range(width):
        h = (h ^ th[j : j + m]) * _FNV_PRIME
    return _sorted_unique(_mix(h))


def _sorted_unique(h: U64) -> U64:
    """np.unique of a 1-d array (sorted, each value once), by a sort and a mask:
    several times faster than np.unique on arrays of a text's size."""
    h = np.sort(h)
    keep = np.empty(h.size, dtype=np.bool_)
    keep[:1] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    return h[keep]


def _coefficients(num_perm: int) -> tuple[U64, U64]:
    a = np.empty(num_perm, dtype=np.uint64)
    b = np.empty(num_perm, dtype=np.uint64)
    for i in range(num_perm):
        a[i] = _stable64(b"a%d" % i, b"pressbot-perm") % 0xFFFFFFFF + 1  # never 0
        b[i] = _stable64(b"b%d" % i, b"pressbot-perm") & 0xFFFFFFFF
    return a, b


@lru_cache(maxsize=8)
def _cached_coefficients(num_perm: int) -> tuple[U64, U64]:
    a, b = _coefficients(num_perm)
    return a.reshape(-1, 1), b.reshape(-1, 1)


# Shingles per chunk when hashing a long text: bounds the (num_perm x n) matrix.
_CHUNK: Final = 4096


def signature(sh: U64, num_perm: int = NUM_PERM) -> U32:
    """MinHash signature: for each of ``num_perm`` hash functions
    ((a*x + b) mod 2**61-1, low 32 bits) the minimum over the shingles.

    A text without shingles gets all 0xFFFFFFFF, which no real shingle set can
    produce in practice, so empty texts only match each other.
    """
    a, b = _cached_coefficients(num_perm)
    sig = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    if sh.size == 0:
        return sig
    # Fold to 32 bits so that a*x + b fits in uint64 (see _MERSENNE).
    x = ((sh ^ (sh >> np.uint64(32))) & _MASK32).reshape(1, -1)
    for start in range(0, x.shape[1], _CHUNK):
        part = x[:, start : start + _CHUNK]
        # The same arithmetic as (a*x + b) mod p, written into two buffers in place
        # rather than a new array per step.
        v = np.multiply(a, part)
        v += b
        t = v >> np.uint64(61)
        v &= _MERSENNE
        v += t  # mod 2**61-1 without division
        # Now v < 2**61 + 8; v - p wraps round to a huge value unless v >= p, so the
        # minimum is the fully reduced value (far faster than np.where).
        np.subtract(v, _MERSENNE, out=t)
        np.minimum(v, t, out=v)
        np.minimum(sig, v.astype(np.uint32).min(axis=1), out=sig)
    return sig


def band_keys(sig: U32, bands: int = BANDS, rows: int = ROWS) -> list[int]:
    """One signed 32-bit key per band.  The band number is mixed into the key so
    that the bands of all records share one indexed column without equal row
    values in different bands colliding."""
    if sig.size != bands * rows:
        raise ValueError(f"signature of {sig.size} values is not {bands} bands x {rows} rows")
    m = sig.reshape(bands, rows).astype(np.uint64)
    h = (np.arange(1, bands + 1, dtype=np.uint64) * _GOLDEN) ^ np.uint64(rows)
    for r in range(rows):
        h = (h ^ m[:, r]) * _FNV_PRIME
    mixed = _mix(h)
    folded = ((mixed ^ (mixed >> np.uint64(32))) & _MASK32).astype(np.uint32)
    keys: list[int] = folded.view(np.int32).tolist()
    return keys


def jaccard(a: U64, b: U64) -> float:
    """Exact Jaccard similarity of two shingle sets (sorted unique arrays).

    Two empty sets score 0.0: empty texts have nothing to be the same story about.
    """
    if a.size == 0 or b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def estimate(sig_a: U32, sig_b: U32) -> float:
    """Jaccard estimated from two signatures: the share of equal positions."""
    if sig_a.shape != sig_b.shape:
        raise ValueError("signatures of different lengths")
    return float(np.count_nonzero(sig_a == sig_b)) / sig_a.size


def sig_to_bytes(sig: U32) -> bytes:
    """Little-endian uint32s: 4 bytes per permutation (320 bytes at NUM_PERM)."""
    return sig.astype("<u4", copy=False).tobytes()


def sig_from_bytes(data: bytes) -> U32:
    if len(data) % 4:
        raise ValueError("signature bytes are not a whole number of uint32 values")
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
