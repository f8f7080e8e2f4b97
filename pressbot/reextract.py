"""`pressbot reextract`: rebuild records from the raw archive, all of it or one shard.

A shard ``I/N`` takes the pages whose ``url_key`` hashes (CRC-32) to ``I-1`` modulo
``N``. The key, not the ``pages`` row id, decides: a crawl archiving a newer copy of
a page between two shards' runs gives it a new row id, which could move the page to
a shard that already ran (and out of the one that had not) -- a page's key never
moves. So N machines, or N processes (``--jobs``), each take one shard of the same
archive and together cover every page exactly once; a shard run again changes
nothing (the store's writes are idempotent).

Records go through the same pipelines and store as a crawl's (:class:`Chain`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from pressbot.db.models import PageRow
from pressbot.errors import UsageError
from pressbot.progress import Progress

# Pages read per query (their compressed bodies are held until extracted).
CHUNK = 200


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written on the command line
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/4"`` -> Shard(2, 4); UsageError when it is not I/N with 1 <= I <= N."""
        i, sep, n = text.partition("/")
        if not sep or not i.strip().isdigit() or not n.strip().isdigit():
            raise UsageError(f"--shard {text!r}: expected I/N, e.g. 1/4")
        shard = cls(int(i), int(n))
        if not 1 <= shard.index <= shard.count:
            raise UsageError(f"--shard {text!r}: I must be between 1 and N")
        return shard

    def holds(self, url_key: str) -> bool:
        return zlib.crc32(url_key.encode("utf-8")) % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


ALL = Shard(1, 1)


def newest_pages(
    engine: Engine, sources: Sequence[str] | None, since: datetime | None, shard: Shard = ALL
) -> list[int]:
    """Row ids of the newest archived 200 response of each page in ``shard``, in
    ``url_key`` order (bodies are not read here)."""
    newest = (
        select(PageRow.url_key, func.max(PageRow.fetched_at).label("at"))
        .where(PageRow.status == 200)
        .group_by(PageRow.url_key)
    )
    if sources:
        newest = newest.where(PageRow.source.in_(sources))
    if since:
        newest = newest.where(PageRow.fetched_at >= since)
    sub = newest.subquery()
    q = (
        select(PageRow.url_key, PageRow.id)
        .join(sub, (PageRow.url_key == sub.c.url_key) & (PageRow.fetched_at == sub.c.at))
        .where(PageRow.status == 200)
        .order_by(PageRow.url_key, PageRow.id.desc())
    )
    if sources:
        q = q.where(PageRow.source.in_(sources))
    ids: list[int] = []
    last = None
    with Session(engine) as s:
        for key, page_id in s.execute(q):
            if key != last and shard.holds(key):
                ids.append(page_id)
            last = key
    return ids


def iter_pages(engine: Engine, ids: Sequence[int]) -> Iterator[PageRow]:
    """The pages ``ids``, in that order, CHUNK at a time."""
    with Session(engine) as s:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = {p.id: p for p in s.scalars(select(PageRow).where(PageRow.id.in_(chunk)))}
            for page_id in chunk:
                if page_id in rows:
                    yield rows[page_id]
            s.expunge_all()


@dataclass
class Result:
    pages: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)


def _header(headers: dict[str, list[str]] | None, name: str = "Content-Type") -> str | None:
    for key, values in (headers or {}).items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None


def reextract(
    overrides: dict[str, Any],
    *,
    sources: Sequence[str] | None = None,
    since: datetime | None = None,
    shard: Shard = ALL,
    warn: Callable[[str], None] = print,
    progress: bool = True,
    progress_tty: bool | None = None,
) -> Result:
    """Extract the newest archived copy of every page of ``shard`` again and store the
    records; ``warn`` gets one line per page skipped (damaged, unreadable)."""
    from pressbot.decode import decode_html, is_framed, page_damage
    from pressbot.extract import extract_html
    from pressbot.ingest import Chain
    from pressbot.sources import get

    result = Result()
    what = "reextract" if shard == ALL else f"reextract {shard}"
    with Chain(overrides) as chain:
        engine = chain.database.engine
        ids = newest_pages(engine, sources, since, shard)
        with Progress(what, total=len(ids), enabled=progress, tty=progress_tty) as bar:
            for page in iter_pages(engine, ids):
                result.pages += 1
                bar.advance()
                try:
                    source = get(page.source) if page.source else None
                    # Decoded as the crawl decoded it: the archived Content-Type counts.
                    body = zlib.decompress(page.body_z)
                    text, _ = decode_html(body, _header(page.headers))
                    damage = page_damage(body, text, framed=is_framed(page.headers))
                    if damage:
                        # A damaged page never becomes a record (the crawl refused it too).
                        warn(f"{page.url}: skipped: {damage}")
                        continue
                    record = extract_html(text, page.url, fetched_at=page.fetched_at, source=source)
                except (KeyError, ValueError) as exc:
                    warn(f"{page.url}: {exc}")
                    continue
                chain.process(record)
        result.outcomes = chain.close()
        result.dropped = dict(chain.dropped)
    return result
