"""Near-duplicate detection: quality on the labelled set, and speed at 10k and 100k records.

Run by hand (not a test; about three minutes, one core):

    .venv/bin/python bench/dedup_eval.py [--records 10000 100000] [--lookups 300]
        [--skip-sql] [--seed 7] [--more-seeds 10]

What it prints:

1. the labelled set (``bench/dedup_data.py``) and the chosen parameters;
2. a table over shingle length k and Jaccard threshold: precision/recall of the
   final decision (Jaccard >= threshold and no fact changed) and of Jaccard alone;
3. a table over LSH band layouts: candidate recall on positives at or above the
   threshold, and false candidates per lookup among 10k filler records;
4. precision and recall with the chosen parameters, of the LSH candidate stage
   (the pair shares a band) and of the final decision (candidate and same story),
   per category, with the errors and their reasons;
5. with ``--more-seeds N``, the decision on the sets drawn with the next N seeds
   (other copies, rewrites and template instances: a check against tuning to one
   draw);
6. throughput: signatures per second (match key, shingles, MinHash, band keys),
   same_story pairs per second, and lookups per second against SQLite files
   holding 10k and 100k records through ``SqlLshIndex`` (filler records from
   ``dedup_data.synthetic_texts``, band keys inserted in batches of 2000 records;
   the time is the candidates query alone, median of 5 passes over 300 copies).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import dedup_data

from pressbot.db.models import Base
from pressbot.dedup import decide, minhash
from pressbot.dedup.decide import MemoryLshIndex, SqlLshIndex, fact_change, same_story
from pressbot.dedup.keys import record_keys
from pressbot.dedup.story import is_same_story
from pressbot.text.urdu import match_key

KS = (2, 3, 4, 5)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
LAYOUTS = ((25, 5), (32, 4), (40, 4), (42, 3), (48, 3), (64, 3), (64, 2))
LAYOUT_THRESHOLDS = (0.4, 0.45, 0.5, 0.6)
BATCH = 2000  # records per insert transaction
TIMED_PASSES = 5


def pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def score(pairs: Sequence[dedup_data.Pair], said: Iterable[bool]) -> tuple[float, float]:
    tp = fp = fn = 0
    for p, yes in zip(pairs, said, strict=True):
        tp += p.same and yes
        fp += (not p.same) and yes
        fn += p.same and not yes
    return pr(tp, fp, fn)


def fmt(p: float, r: float) -> str:
    return f"{p:.3f}/{r:.3f}"


def fingerprint(key: str) -> list[int]:
    """Band keys of a match key with the chosen parameters."""
    return minhash.band_keys(minhash.signature(minhash.shingles(key)))


def band_keys_of(sig: np.ndarray, bands: int, rows: int) -> list[int]:
    return minhash.band_keys(sig[: bands * rows], bands, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--skip-sql", action="store_true")
    parser.add_argument("--seed", type=int, default=7, help="seed of the labelled set")
    parser.add_argument(
        "--more-seeds",
        type=int,
        default=0,
        metavar="N",
        help="also score the decision (without LSH) on the sets of the next N seeds",
    )
    args = parser.parse_args()
    t_start = time.perf_counter()

    ls = dedup_data.build(args.seed)
    pairs = ls.main_pairs()
    extra = [p for p in ls.pairs if p.category in dedup_data.EXTRA_CATEGORIES]
    n_pos = sum(p.same for p in pairs)
    print(
        f"labelled set: {len(ls.bases)} base texts, {len(ls.texts)} texts, "
        f"{len(pairs)} pairs ({n_pos} same story, {len(pairs) - n_pos} different)"
        f" + {len(extra)} extra ({', '.join(sorted(dedup_data.EXTRA_CATEGORIES))})"
    )
    print(
        f"chosen: K={minhash.K} NUM_PERM={minhash.NUM_PERM} BANDS={minhash.BANDS} "
        f"ROWS={minhash.ROWS} THRESHOLD={decide.THRESHOLD} "
        f"(head {decide.HEAD_WORDS} / tail {decide.TAIL_WORDS} words, "
        f"substitutions up to {decide.MAX_SUBSTITUTION} words)"
    )

    keys = {tid: match_key(t.text) for tid, t in ls.texts.items()}
    tokens = {tid: k.split() for tid, k in keys.items()}
    facts = {(p.a, p.b): fact_change(tokens[p.a], tokens[p.b]) for p in ls.pairs}

    # --- k x threshold ------------------------------------------------------------
    jac: dict[int, dict[tuple[str, str], float]] = {}
    for k in KS:
        sh = {tid: minhash.shingles(key, k) for tid, key in keys.items()}
        jac[k] = {(p.a, p.b): minhash.jaccard(sh[p.a], sh[p.b]) for p in ls.pairs}
    print("\nprecision/recall of the decision (jaccard >= t and no fact changed), by k and t")
    print("  k " + "".join(f"{t:>13}" for t in THRESHOLDS))
    for k in KS:
        cells = [
            fmt(*score(pairs, (jac[k][p.a, p.b] >= t and facts[p.a, p.b] is None for p in pairs)))
            for t in THRESHOLDS
        ]
        print(f"  {k} " + "".join(f"{c:>13}" for c in cells))
    # What the facts check does not decide: copies against other stories (fact
    # rewrites left out), on Jaccard alone.
    plain = [p for p in pairs if not p.category.startswith("fact")]
    print("precision/recall of jaccard >= t alone, fact rewrites left out")
    print("  k " + "".join(f"{t:>13}" for t in THRESHOLDS))
    for k in KS:
        cells = [fmt(*score(plain, (jac[k][p.a, p.b] >= t for p in plain))) for t in THRESHOLDS]
        print(f"  {k} " + "".join(f"{c:>13}" for c in cells))
    print("jaccard by category (k: min / median / max):")
    by_cat: dict[str, list[dedup_data.Pair]] = defaultdict(list)
    for p in ls.pairs:
        by_cat[p.category].append(p)
    for cat, ps in sorted(by_cat.items()):
        cells = []
        for k in KS:
            v = sorted(jac[k][p.a, p.b] for p in ps)
            cells.append(f"k={k} {v[0]:.2f}/{statistics.median(v):.2f}/{v[-1]:.2f}")
        label = "same" if ps[0].same else "diff"
        print(f"  {cat:14} {label} {len(ps):4} " + " ".join(cells))

    filler = [match_key(x) for x in dedup_data.synthetic_texts(10_000, seed=3)]
    queries = [tid for tid, txt in ls.texts.items() if txt.how != "base"]
    print(
        f"LSH by k ({minhash.BANDS} x {minhash.ROWS}): positives sharing a band, and false "
        "candidates per lookup among 10k filler records"
    )
    for k in KS:
        ksig = {tid: minhash.signature(minhash.shingles(key, k)) for tid, key in keys.items()}
        kbk = {tid: set(minhash.band_keys(s)) for tid, s in ksig.items()}
        hit = sum(bool(kbk[p.a] & kbk[p.b]) for p in pairs if p.same) / n_pos
        mem = MemoryLshIndex()
        mem.add_many(
            None,
            (
                (i, minhash.band_keys(minhash.signature(minhash.shingles(x, k))))
                for i, x in enumerate(filler)
            ),
        )
        noise = statistics.mean(len(mem.candidates(None, kbk[q], limit=10**9)) for q in queries)
        print(f"  k={k}: recall {hit:.3f}, {noise:.2f} false candidates/lookup")

    # --- LSH layouts ----------------------------------------------------------------
    k = minhash.K
    max_perm = max(b * r for b, r in LAYOUTS)
    sigs = {tid: minhash.signature(minhash.shingles(key), max_perm) for tid, key in keys.items()}
    filler_sigs = [minhash.signature(minhash.shingles(x), max_perm) for x in filler]
    print(f"\nLSH layouts (k={k}): share of positives with jaccard >= t that share a band,")
    print("and false candidates per lookup among 10k filler records")
    print("  layout              " + "".join(f"  t={x:<5}" for x in LAYOUT_THRESHOLDS) + "  noise")
    for bands, rows in LAYOUTS:
        bk = {tid: set(band_keys_of(s, bands, rows)) for tid, s in sigs.items()}
        cells = []
        for x in LAYOUT_THRESHOLDS:
            above = [p for p in pairs if p.same and jac[k][p.a, p.b] >= x]
            cells.append(sum(bool(bk[p.a] & bk[p.b]) for p in above) / len(above))
        mem = MemoryLshIndex()
        mem.add_many(None, ((i, band_keys_of(s, bands, rows)) for i, s in enumerate(filler_sigs)))
        noise = statistics.mean(len(mem.candidates(None, bk[q], limit=10**9)) for q in queries)
        print(
            f"  {bands:3} x {rows} ({bands * rows:3} perm)"
            + "".join(f"  {c:7.3f}" for c in cells)
            + f"  {noise:5.2f}"
        )

    # --- chosen parameters ---------------------------------------------------------------
    bk = {tid: set(band_keys_of(s, minhash.BANDS, minhash.ROWS)) for tid, s in sigs.items()}
    cand = {(p.a, p.b): bool(bk[p.a] & bk[p.b]) for p in ls.pairs}
    decided = {(p.a, p.b): same_story(keys[p.a], keys[p.b]) for p in ls.pairs}
    final = {pk: cand[pk] and d.same for pk, d in decided.items()}
    print("\nwith the chosen parameters")
    lsh_pr = score(pairs, (cand[p.a, p.b] for p in pairs))
    final_pr = score(pairs, (final[p.a, p.b] for p in pairs))
    print(f"  LSH candidate stage: precision/recall {fmt(*lsh_pr)}")
    print(f"  final decision:      precision/recall {fmt(*final_pr)}")
    print("  per category: pairs, candidates, said same")
    for cat, ps in sorted(by_cat.items()):
        nc = sum(cand[p.a, p.b] for p in ps)
        ns = sum(final[p.a, p.b] for p in ps)
        label = "same" if ps[0].same else "diff"
        print(f"    {cat:15} {label} {len(ps):4} {nc:4} {ns:4}")
    # What the store runs: whole-text and lead band keys, and is_same_story (which
    # compares an excerpt with the start of the longer text).
    rk = {tid: set(record_keys(keys[tid])) for tid in sigs}
    store_said = [bool(rk[p.a] & rk[p.b]) and is_same_story(keys[p.a], keys[p.b]) for p in pairs]
    print(
        f"  as the store decides (whole + lead bands, is_same_story): precision/recall "
        f"{fmt(*score(pairs, store_said))}"
    )
    errors = [p for p in pairs if final[p.a, p.b] != p.same]
    print(f"  errors ({len(errors)}):")
    for p in errors[:15]:
        d = decided[p.a, p.b]
        why = d.reason if cand[p.a, p.b] else f"no shared band ({d.reason})"
        print(f"    {p.category:13} {p.a} ~ {p.b} [{ls.texts[p.b].how}]: {why}")

    print("  why different pairs were kept apart (no band / jaccard / number / words):")
    for cat, ps in sorted(by_cat.items()):
        if ps[0].same:
            continue
        why: Counter[str] = Counter()
        for p in ps:
            d = decided[p.a, p.b]
            if not cand[p.a, p.b]:
                why["no band"] += 1
            elif d.same:
                why["MISSED"] += 1
            elif "below" in d.reason:
                why["jaccard"] += 1
            elif "differs: number" in d.reason:
                why["number"] += 1
            else:
                why["words"] += 1
        print(f"    {cat:15} " + ", ".join(f"{n} {w}" for w, n in why.most_common()))
    facts_table(ls, pairs, tokens, jac[minhash.K])

    # --- throughput ----------------------------------------------------------------------
    texts = [x.text for x in ls.texts.values()]
    t0 = time.perf_counter()
    for x in texts:
        minhash.band_keys(minhash.signature(minhash.shingles(match_key(x))))
    dt = time.perf_counter() - t0
    words = statistics.mean(len(x.split()) for x in texts)
    print(
        f"\nsignatures: {len(texts) / dt:,.0f} docs/s ({len(texts)} texts, {words:.0f} words avg.)"
    )
    t0 = time.perf_counter()
    for p in pairs:
        same_story(keys[p.a], keys[p.b])
    dt = time.perf_counter() - t0
    print(f"same_story: {len(pairs) / dt:,.0f} pairs/s")

    if args.more_seeds:
        more_seeds(range(args.seed + 1, args.seed + 1 + args.more_seeds))
    if not args.skip_sql:
        sql_bench(ls, keys, sorted(args.records), args.lookups)
    print(f"\ntotal {time.perf_counter() - t_start:.0f} s")


def more_seeds(seeds: range) -> None:
    """The decision on labelled sets drawn with other seeds: other copies, other
    rewrites, other template instances of the same base texts."""
    tp = fp = fn = 0
    for seed in seeds:
        ls = dedup_data.build(seed)
        keys = {tid: match_key(t.text) for tid, t in ls.texts.items()}
        for p in ls.main_pairs():
            yes = same_story(keys[p.a], keys[p.b]).same
            tp += p.same and yes
            fp += (not p.same) and yes
            fn += p.same and not yes
    print(
        f"\ndecision on seeds {seeds.start}-{seeds.stop - 1}: precision/recall "
        f"{fmt(*pr(tp, fp, fn))} ({tp + fn} same-story pairs, {fp} false merges, {fn} missed)"
    )


FACT_SETTINGS = (
    # (HEAD_WORDS, TAIL_WORDS, MAX_SUBSTITUTION, _GLUE_WORDS)
    (10, 12, 4, 3),
    (0, 0, 4, 3),
    (5, 6, 4, 3),
    (20, 20, 4, 3),
    (10, 12, 2, 3),
    (10, 12, 3, 3),
    (10, 12, 6, 3),
    (10, 12, 4, 0),
    (10, 12, 4, 2),
)


def facts_table(
    ls: dedup_data.LabelledSet,
    pairs: list[dedup_data.Pair],
    tokens: dict[str, list[str]],
    jac: dict[tuple[str, str], float],
) -> None:
    """Precision/recall of the decision as the fact check's settings vary."""
    names = ("HEAD_WORDS", "TAIL_WORDS", "MAX_SUBSTITUTION", "_GLUE_WORDS")
    saved = [getattr(decide, n) for n in names]
    print("  fact check settings (head words, tail words, max substitution, glue): P/R")
    try:
        for setting in FACT_SETTINGS:
            for n, v in zip(names, setting, strict=True):
                setattr(decide, n, v)
            said = (
                jac[p.a, p.b] >= decide.THRESHOLD and fact_change(tokens[p.a], tokens[p.b]) is None
                for p in pairs
            )
            mark = "  (chosen)" if list(setting) == saved else ""
            print(f"    {setting}: {fmt(*score(pairs, said))}{mark}")
    finally:
        for n, v in zip(names, saved, strict=True):
            setattr(decide, n, v)


def sql_bench(
    ls: dedup_data.LabelledSet, keys: dict[str, str], sizes: list[int], n_lookups: int
) -> None:
    """Grow one SQLite file to each size in turn and time lookups at each."""
    index = SqlLshIndex()
    bases = ls.bases
    base_ids = {tid: i + 1 for i, tid in enumerate(bases)}
    queries = [tid for tid, t in ls.texts.items() if t.how != "base" and t.base in base_ids]
    queries = queries[:n_lookups]
    query_keys = {q: fingerprint(keys[q]) for q in queries}
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'dedup.db'}")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: object, _record: object) -> None:
            cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
            cur.execute("PRAGMA journal_mode=WAL")  # as pressbot.db.store sets them
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        Base.metadata.create_all(engine)
        with Session(engine) as session:
            index.add_many(
                session,
                ((base_ids[b], fingerprint(keys[b])) for b in bases),
            )
            session.commit()
        have = len(bases)
        filler = dedup_data.synthetic_texts(max(sizes), seed=5)
        print(
            f"\nSQLite through SqlLshIndex ({minhash.BANDS} keys per record, "
            f"{len(queries)} lookups of copies)"
        )
        per_lookup: dict[int, float] = {}
        for size in sizes:
            t0 = time.perf_counter()
            sig_time = 0.0
            while have < size:
                batch = []
                for _ in range(min(BATCH, size - have)):
                    have += 1
                    s0 = time.perf_counter()
                    bkeys = fingerprint(match_key(next(filler)))
                    sig_time += time.perf_counter() - s0
                    batch.append((have, bkeys))
                with Session(engine) as session:
                    index.add_many(session, batch)
                    session.commit()
            build = time.perf_counter() - t0
            with Session(engine) as session:
                found = 0
                n_cand = []
                for q in queries:  # a first pass warms SQLite's page cache and SQLAlchemy's
                    got = index.candidates(session, query_keys[q], limit=50)
                    n_cand.append(len(got))
                    found += any(rid == base_ids[ls.texts[q].base] for rid, _ in got)
                passes = []
                for _ in range(TIMED_PASSES):
                    t0 = time.perf_counter()
                    for q in queries:
                        index.candidates(session, query_keys[q], limit=50)
                    passes.append((time.perf_counter() - t0) / len(queries))
            per_lookup[size] = statistics.median(passes)
            print(
                f"  {size:>7,} records: {1000 * per_lookup[size]:.2f} ms/lookup "
                f"({1 / per_lookup[size]:,.0f} lookups/s, median of {TIMED_PASSES} passes), "
                f"{statistics.mean(n_cand):.1f} candidates on average, base found for "
                f"{found}/{len(queries)}; grew in {build:.0f} s (signatures {sig_time:.0f} s)"
            )
        if len(sizes) > 1:
            lo, hi = sizes[0], sizes[-1]
            print(f"  lookup time {hi:,} / {lo:,} records: {per_lookup[hi] / per_lookup[lo]:.2f}x")
        engine.dispose()


if __name__ == "__main__":
    main()
