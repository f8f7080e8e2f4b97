"""Main-text extraction: pressbot beside plain trafilatura on a public benchmark.

Run by hand (not a test):

    .venv/bin/python bench/extraction_eval.py [--eval-dir ../shared/eval] [--per-page out.tsv]

Both systems see the same pages in the same process; the score is that of
eval/score.py (word 4-gram F1, precision and recall averaged over pages), and
the time is the wall-clock ms per page of each system's extraction call.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pressbot.extract import extract_html

DEFAULT_EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def load_score(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", eval_dir / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scores(score: ModuleType, truth: dict[str, str], preds: dict[str, str]) -> tuple[float, ...]:
    rows = [score.tp_fp_fn(truth[pid], preds.get(pid, ""), 4, "word") for pid in sorted(truth)]
    ps = [score.precision(*c) for c in rows if c[0] + c[1] > 0]
    rs = [score.recall(*c) for c in rows if c[0] + c[2] > 0]
    p, r = statistics.mean(ps), statistics.mean(rs)
    return 2 * p * r / (p + r), p, r


def run(
    name: str, fn: Callable[[str, str], str], pages: dict[str, tuple[str, str]]
) -> tuple[dict[str, str], float]:
    out: dict[str, str] = {}
    start = time.perf_counter()
    for pid, (html, url) in pages.items():
        try:
            out[pid] = fn(html, url) or ""
        except Exception as exc:  # a crash scores as an empty prediction
            print(f"{name}: {pid}: {exc}", file=sys.stderr)
            out[pid] = ""
    return out, (time.perf_counter() - start) * 1000 / len(pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--per-page", type=Path, help="write per-page F1 of both systems here (TSV)")
    args = ap.parse_args()
    bench = args.eval_dir / "article-extraction-benchmark"
    score = load_score(args.eval_dir)
    truth_raw = json.loads((bench / "ground-truth.json").read_text("utf-8"))
    truth = {k: v.get("articleBody") or "" for k, v in truth_raw.items()}
    pages = {
        pid: (
            gzip.decompress((bench / "html" / f"{pid}.html.gz").read_bytes()).decode(
                "utf-8", errors="replace"
            ),
            truth_raw[pid].get("url") or f"https://example.org/{pid}",
        )
        for pid in sorted(truth)
    }

    systems: dict[str, Callable[[str, str], str]] = {
        "trafilatura (default)": lambda html, url: trafilatura.extract(html) or "",
        "trafilatura (no comments)": lambda html, url: (
            trafilatura.extract(html, include_comments=False) or ""
        ),
        "pressbot": lambda html, url: extract_html(html, url).body,
    }
    results = {}
    for name, fn in systems.items():
        preds, ms = run(name, fn, pages)
        results[name] = (preds, ms, *scores(score, truth, preds))
    print(f"{len(pages)} pages, word 4-gram metric of eval/score.py, one process, same pages\n")
    print(f"{'system':28} {'F1':>6} {'prec':>6} {'recall':>6} {'ms/page':>8}")
    for name, (_, ms, f1, p, r) in results.items():
        print(f"{name:28} {f1:6.3f} {p:6.3f} {r:6.3f} {ms:8.1f}")
    base = results["trafilatura (default)"][1]
    print(f"\npressbot time / trafilatura time: {results['pressbot'][1] / base:.2f}x")
    if args.per_page:
        with args.per_page.open("w", encoding="utf-8") as fh:
            fh.write("id\t" + "\t".join(results) + "\n")
            for pid in sorted(truth):
                f1s = []
                for preds, *_ in results.values():
                    c = score.tp_fp_fn(truth[pid], preds[pid], 4, "word")
                    p, r = score.precision(*c), score.recall(*c)
                    f1s.append(f"{(2 * p * r / (p + r) if p + r else 0):.3f}")
                fh.write(pid + "\t" + "\t".join(f1s) + "\n")


if __name__ == "__main__":
    main()
