"""Extraction: pressbot beside plain trafilatura, side by side, in one run.

Run by hand (not a test):

    .venv/bin/python bench/extraction_eval.py [--eval-dir ../shared/eval] [--per-page out.tsv]
                                              [--set public|multilingual|all]

Two sets, both systems on the same pages in the same process:

* **public**: the 181-page article-extraction benchmark in ``../shared/eval``.
  Score of eval/score.py (word 4-gram F1, precision and recall averaged over
  pages), wall-clock and CPU ms per page of each system's extraction call, and the
  pages where pressbot and trafilatura differ most.
* **multilingual**: bench/multilingual/, eight pages in the shapes pressbot meets
  (Arabic news and a government release, Persian news, Urdu in windows-1256, an
  Urdu release quoting Arabic, English news from Pakistan, a bilingual release,
  an Urdu column), with what a reader should get from each in expected.json. Each
  field check is printed for both systems; text is compared apart from whitespace
  and must be the page's own letters (trafilatura's title and text; it has no
  language or English-title field, so those checks are pressbot's only).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pressbot.extract import extract_html

DEFAULT_EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
MULTILINGUAL = Path(__file__).resolve().parent / "multilingual"
FETCHED_AT = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


# --- the public benchmark ------------------------------------------------------------


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


def page_f1(score: ModuleType, truth: str, pred: str) -> float:
    c = score.tp_fp_fn(truth, pred, 4, "word")
    p, r = score.precision(*c), score.recall(*c)
    return 2 * p * r / (p + r) if p + r else 0.0


def run(
    name: str, fn: Callable[[str, str], str], pages: dict[str, tuple[str, str]]
) -> tuple[dict[str, str], float, float]:
    out: dict[str, str] = {}
    for html, url in list(pages.values())[:3]:  # warm caches and lazy imports
        fn(html, url)
    wall, cpu = time.perf_counter(), time.process_time()
    for pid, (html, url) in pages.items():
        try:
            out[pid] = fn(html, url) or ""
        except Exception as exc:  # a crash scores as an empty prediction
            print(f"{name}: {pid}: {exc}", file=sys.stderr)
            out[pid] = ""
    n = len(pages)
    return out, (time.perf_counter() - wall) * 1000 / n, (time.process_time() - cpu) * 1000 / n


def public(eval_dir: Path, per_page: Path | None) -> None:
    bench = eval_dir / "article-extraction-benchmark"
    score = load_score(eval_dir)
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
        preds, wall, cpu = run(name, fn, pages)
        results[name] = (preds, wall, cpu, *scores(score, truth, preds))
    print(f"public benchmark: {len(pages)} pages, word 4-gram metric of eval/score.py\n")
    print(f"{'system':28} {'F1':>6} {'prec':>6} {'recall':>6} {'ms/page':>8} {'cpu ms':>7}")
    for name, (_, wall, cpu, f1, p, r) in results.items():
        print(f"{name:28} {f1:6.3f} {p:6.3f} {r:6.3f} {wall:8.1f} {cpu:7.1f}")
    base = results["trafilatura (default)"]
    print(
        f"\npressbot time / trafilatura time: {results['pressbot'][1] / base[1]:.2f}x wall, "
        f"{results['pressbot'][2] / base[2]:.2f}x cpu"
    )
    ours, theirs = results["pressbot"][0], results["trafilatura (no comments)"][0]
    delta = sorted(
        (
            (page_f1(score, truth[p], ours[p]) - page_f1(score, truth[p], theirs[p]), p)
            for p in truth
        ),
    )
    wins = sum(d > 0.005 for d, _ in delta)
    losses = sum(d < -0.005 for d, _ in delta)
    print(f"per page against trafilatura (no comments): {wins} better, {losses} worse")
    for d, pid in [*delta[:3], *delta[-3:]]:
        print(f"  {d:+.3f}  {pid[:16]}  {truth_raw[pid].get('url', '')[:70]}")
    if per_page:
        with per_page.open("w", encoding="utf-8") as fh:
            fh.write("id\t" + "\t".join(results) + "\n")
            for pid in sorted(truth):
                f1s = [f"{page_f1(score, truth[pid], r[0][pid]):.3f}" for r in results.values()]
                fh.write(pid + "\t" + "\t".join(f1s) + "\n")


# --- the multilingual page set ---------------------------------------------------------

_SPACE = re.compile(r"\s+")
CHECKS = (
    "title",
    "title_en",
    "language",
    "body_first",
    "body_last",
    "body_contains",
    "must_not_contain",
)


def _bare(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def check(name: str, exp: dict[str, Any], got: dict[str, Any]) -> bool | None:
    """Whether ``got`` passes check ``name``; None if the system has no such field."""
    if name in ("title", "title_en", "language"):
        if name not in got:
            return None
        return _bare(got[name]) == _bare(exp[name]) if exp[name] else not got[name]
    body = _bare(got["body"])
    if name == "body_first":
        return body.startswith(_bare(exp[name]))
    if name == "body_last":
        return body.endswith(_bare(exp[name]))
    if name == "body_contains":
        return all(_bare(s) in body for s in exp[name])
    if name == "must_not_contain":
        return not any(_bare(s) in body for s in exp[name])
    raise ValueError(name)


def multilingual(directory: Path) -> None:
    expected: dict[str, dict[str, Any]] = json.loads(
        (directory / "expected.json").read_text("utf-8")
    )

    def pressbot(data: bytes, url: str) -> dict[str, Any]:
        rec = extract_html(data, url, fetched_at=FETCHED_AT)
        return {
            "title": rec.title,
            "title_en": rec.title_en,
            "language": rec.language,
            "body": rec.body,
        }

    def plain(data: bytes, url: str) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(data, url=url, with_metadata=True, include_comments=False)
        return {"title": getattr(doc, "title", None), "body": getattr(doc, "text", None) or ""}

    systems = {"pressbot": pressbot, "trafilatura": plain}
    print(f"\nmultilingual pages (bench/multilingual): {len(expected)} pages\n")
    print(f"{'page':32} {'check':18} {'pressbot':>9} {'trafilat.':>9}")
    passed = dict.fromkeys(systems, 0)
    total = dict.fromkeys(systems, 0)
    for page, exp in sorted(expected.items()):
        data = (directory / page).read_bytes()
        got = {name: fn(data, exp["url"]) for name, fn in systems.items()}
        for name in CHECKS:
            if name not in exp:
                continue
            marks = []
            for system in systems:
                ok = check(name, exp, got[system])
                if ok is not None:
                    total[system] += 1
                    passed[system] += ok
                marks.append("-" if ok is None else ("ok" if ok else "FAIL"))
            print(f"{page.removesuffix('.html')[:32]:32} {name:18} {marks[0]:>9} {marks[1]:>9}")
    print()
    for system in systems:
        print(f"{system:12} {passed[system]}/{total[system]} checks passed")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--per-page", type=Path, help="write per-page F1 of each system here (TSV)")
    ap.add_argument("--set", choices=("public", "multilingual", "all"), default="all")
    args = ap.parse_args()
    if args.set in ("public", "all"):
        public(args.eval_dir, args.per_page)
    if args.set in ("multilingual", "all"):
        multilingual(MULTILINGUAL)


if __name__ == "__main__":
    main()
