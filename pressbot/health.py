"""Source health: signs in the crawl history and the archive that a site changed.

- :func:`check_runs` compares each source's last crawl with its earlier ones
  (``crawl_runs``): listings that no longer yield article links, a jump in
  dropped or undated records, fetch errors, a crawl that found nothing at all.
- :func:`repeated_lines` finds lines that recur on most archived pages of a
  source -- slogans, menus, footers -- and how many stored bodies still carry them:
  candidates for the source's ``Hints.slogans``, and leaks after a redesign.
"""

from __future__ import annotations

import os
import socket
import statistics
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pressbot.db.models import CrawlRunRow, FrontierRow, ListingWalkRow, RecordRow
from pressbot.db.store import Store
from pressbot.extract.clean import is_boilerplate, line_key
from pressbot.extract.html import block_text, parse_html, prune
from pressbot.sources import Hints

# Earlier runs a source's last run is compared with.
HISTORY = 10


@dataclass
class Finding:
    source: str
    severity: str  # "warning" or "error"
    message: str


def _share(counts: dict[str, Any], part: str) -> float:
    stored = sum(
        counts.get(k, 0)
        for k in ("new", "updated", "unchanged", "exact_duplicate", "near_duplicate")
    )
    dropped = sum(v for k, v in counts.items() if k.startswith("dropped/"))
    total = stored + dropped
    value = dropped if part == "dropped" else counts.get(part, 0)
    return value / total if total else 0.0


def check_runs(store: Store) -> list[Finding]:
    findings: list[Finding] = []
    with Session(store.engine) as s:
        sources = s.scalars(select(CrawlRunRow.source).distinct()).all()
        for source in sorted(sources):
            runs = s.scalars(
                select(CrawlRunRow)
                .where(
                    CrawlRunRow.source == source,
                    CrawlRunRow.finished_at.is_not(None),
                    or_(CrawlRunRow.status.is_(None), CrawlRunRow.status != "aborted"),
                )
                .order_by(CrawlRunRow.id.desc())
                .limit(HISTORY + 1)
            ).all()
            if runs:
                findings += _check(source, runs[0], runs[1:])
            findings += _aborted(s, source)
        findings += _frontier(s)
    return findings


def _aborted(s: Session, source: str) -> list[Finding]:
    """Runs killed before they could finish: closed as aborted by the next run, or
    still open although their process is gone."""
    recent = s.scalars(
        select(CrawlRunRow)
        .where(CrawlRunRow.source == source)
        .order_by(CrawlRunRow.id.desc())
        .limit(HISTORY)
    ).all()
    aborted = [r for r in recent if r.status == "aborted" or _dead(r)]
    if not aborted:
        return []
    last = max(r.started_at for r in aborted)
    return [
        Finding(
            source,
            "error" if aborted[0] is recent[0] else "warning",
            f"{len(aborted)} of the last {len(recent)} run(s) were killed before finishing "
            f"(last started {last:%Y-%m-%d %H:%M} UTC): a cron timeout or the OOM killer?",
        )
    ]


def _dead(run: CrawlRunRow) -> bool:
    """An unfinished run whose process, on this machine, no longer exists."""
    if run.finished_at is not None or run.pid is None or run.host != socket.gethostname():
        return False
    try:
        os.kill(run.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _frontier(s: Session) -> list[Finding]:
    """Articles given up after too many tries, failed ones waiting, and listing walks
    that did not reach their end."""
    out: list[Finding] = []
    rows = s.execute(
        select(FrontierRow.source, FrontierRow.state, func.count())
        .group_by(FrontierRow.source, FrontierRow.state)
        .order_by(FrontierRow.source)
    ).all()
    for source, state, n in rows:
        if state == "gave_up":
            examples = s.execute(
                select(FrontierRow.url, FrontierRow.last_error)
                .where(FrontierRow.source == source, FrontierRow.state == "gave_up")
                .order_by(FrontierRow.url)
                .limit(3)
            ).all()
            shown = "; ".join(f"{u} ({e})" for u, e in examples)
            out.append(
                Finding(
                    source,
                    "error",
                    f"{n} article(s) given up after repeated failures, e.g. {shown}; "
                    "`pressbot crawl --retry-failed` tries them again",
                )
            )
        elif state in ("failed", "pending"):
            out.append(
                Finding(source, "warning", f"{n} article(s) {state}, waiting for the next run")
            )
    walks = s.scalars(
        select(ListingWalkRow)
        .where(ListingWalkRow.complete.is_(False))
        .order_by(ListingWalkRow.source, ListingWalkRow.start_url)
    ).all()
    for w in walks:
        out.append(
            Finding(
                w.source,
                "warning",
                f"listing walk from {w.start_url} incomplete ({w.cut_reason or 'cut'} after "
                f"{w.pages} page(s)); the next run walks past the known pages",
            )
        )
    return out


def _check(source: str, last: CrawlRunRow, earlier: Sequence[CrawlRunRow]) -> list[Finding]:
    out: list[Finding] = []
    c = last.counts or {}
    if c.get("pages", 0) == 0:
        out.append(Finding(source, "error", "last crawl fetched no page"))
    if last.status and last.status not in ("ok", "running"):
        out.append(
            Finding(
                source,
                "error" if last.status in ("failed", "timeout") else "warning",
                f"last crawl ended {last.status}",
            )
        )
    if c.get("listing_without_articles"):
        out.append(
            Finding(
                source,
                "error",
                f"{c['listing_without_articles']} listing page(s) "
                "had no article links: the layout or the URL pattern changed?",
            )
        )
    if last.errors:
        out.append(Finding(source, "warning", f"{last.errors} fetch or extraction error(s)"))
    if c.get("deadletter"):
        out.append(Finding(source, "error", f"{c['deadletter']} record(s) dead-lettered"))
    for part, label in (("dropped", "dropped"), ("no_date", "undated")):
        now = _share(c, part)
        before = [_share(r.counts or {}, part) for r in earlier]
        usual = statistics.median(before) if before else 0.0
        if now >= 0.5 and now > usual + 0.25:
            out.append(
                Finding(
                    source,
                    "error",
                    f"{now:.0%} of records {label} "
                    f"(usually {usual:.0%}): extraction no longer fits the site?",
                )
            )
    return out


def repeated_lines(
    pages: Iterable[bytes], *, min_share: float = 0.6, min_pages: int = 3
) -> list[tuple[str, float]]:
    """Short lines on at least ``min_share`` of the pages, not already known
    boilerplate, most frequent first."""
    seen: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    n = 0
    for page in pages:
        n += 1
        keys = set()
        for line in block_text(prune(parse_html(page), Hints())):
            if len(line) <= 120 and not is_boilerplate(line):
                key = line_key(line)
                keys.add(key)
                spelled.setdefault(key, line)
        seen.update(keys)
    if n < min_pages:
        return []
    return [(spelled[k], count / n) for k, count in seen.most_common() if count / n >= min_share]


def boilerplate_report(
    store: Store, source: str, min_share: float = 0.6
) -> list[tuple[str, float, int]]:
    """(line, share of archived pages carrying it, stored bodies still containing it)."""
    pages = (zlib.decompress(p.body_z) for p in store.latest_pages([source]))
    lines = repeated_lines(pages, min_share=min_share)
    with Session(store.engine) as s:
        bodies = [
            {line_key(p) for p in body.split("\n")}
            for body in s.scalars(select(RecordRow.body).where(RecordRow.source == source))
        ]
    # A leak is a repeated line standing as a paragraph of a stored body.
    rows = [(line, share, sum(line_key(line) in b for b in bodies)) for line, share in lines]
    # Lines that reach stored bodies first: those are the leaks to fix.
    return sorted(rows, key=lambda r: (-r[2], -r[1]))
