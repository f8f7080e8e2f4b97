"""The item pipelines outside Scrapy: for `pressbot ingest`, `reextract` and `replay`.

The same pipeline classes, in the same order (pipelines.ITEM_PIPELINES), built
from the same settings; only the crawler around them is a small stand-in.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object

from pressbot.extract import extract_html, extract_text
from pressbot.items import Record
from pressbot.sources import Source


class CountingStats:
    """The part of Scrapy's stats collector the pipelines use."""

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count

    def get_stats(self) -> dict[str, Any]:
        return dict(self.values)


class Chain:
    """validate -> normalise -> dedup -> store, as in a crawl."""

    def __init__(self, overrides: dict[str, Any] | None = None) -> None:
        from pressbot.crawl import crawl_settings

        self.settings = crawl_settings(overrides)
        self.stats = CountingStats()
        crawler = SimpleNamespace(settings=self.settings, stats=self.stats, spider=None)
        order = sorted(self.settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
        self.pipelines = [load_object(path).from_crawler(crawler) for path, _ in order]
        for p in self.pipelines:
            if hasattr(p, "open_spider"):
                p.open_spider()
        self.dropped: Counter[str] = Counter()

    def process(self, record: Record) -> bool:
        """Run one record through; False if a pipeline dropped it."""
        item: Any = record
        try:
            for p in self.pipelines:
                item = p.process_item(item)
        except DropItem as exc:
            self.dropped[str(exc).split(":", 1)[0]] += 1
            return False
        return True

    def close(self) -> dict[str, int]:
        for p in self.pipelines:
            if hasattr(p, "close_spider"):
                p.close_spider()
        return self.outcomes()

    def outcomes(self) -> dict[str, int]:
        """Totals over sources: new, updated, unchanged, duplicates, drops, dead-letter."""
        totals: Counter[str] = Counter()
        for key, value in self.stats.values.items():
            parts = key.split("/", 2)
            if len(parts) == 3 and parts[0] == "pressbot":
                totals[parts[2]] += value
        return dict(totals)

    def __enter__(self) -> Chain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- reading saved pages ------------------------------------------------------------
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".php", ".aspx")


@dataclass
class Saved:
    """One page or text read from disk or from a WARC file."""

    origin: str  # file path, or "file.warc.gz#record-id"
    url: str
    data: bytes
    is_text: bool
    fetched_at: datetime | None = None


def _looks_html(path: Path) -> bool:
    return path.suffix in HTML_SUFFIXES or ("@" in path.name and path.suffix != ".json")


def _is_warc(path: Path) -> bool:
    return path.name.endswith((".warc", ".warc.gz"))


def iter_saved(
    paths: Iterable[Path], *, text: bool = False, url: str | None = None
) -> Iterator[Saved | tuple[str, Exception]]:
    """Files, directories (recursively: HTML, .txt and WARC files) and WARC records."""
    for path in paths:
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file())
            yield from iter_saved(
                [
                    p
                    for p in children
                    if _is_warc(p) or p.suffix in (*HTML_SUFFIXES, ".txt") or "@" in p.name
                ],
                text=text,
            )
            continue
        try:
            if _is_warc(path):
                yield from iter_warc(path)
                continue
            data = path.read_bytes()
        except OSError as exc:
            yield (str(path), exc)
            continue
        is_text = text or path.suffix == ".txt"
        yield Saved(str(path), url or path.resolve().as_uri(), data, is_text)


def iter_warc(path: Path) -> Iterator[Saved]:
    """HTML responses in a WARC file (pressbot's or another crawler's)."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            http = rec.http_headers
            ctype = (http.get_header("Content-Type") if http else "") or ""
            if http is None or http.get_statuscode() != "200" or "html" not in ctype:
                continue
            when = rec.rec_headers.get_header("WARC-Date")
            yield Saved(
                origin=f"{path}#{rec.rec_headers.get_header('WARC-Record-ID')}",
                url=rec.rec_headers.get_header("WARC-Target-URI"),
                data=rec.content_stream().read(),
                is_text=False,
                fetched_at=datetime.fromisoformat(when.replace("Z", "+00:00")) if when else None,
            )


def to_record(saved: Saved, source: Source | None) -> Record:
    fetched = saved.fetched_at or datetime.now(UTC)
    if saved.is_text:
        return extract_text(
            saved.data.decode("utf-8"), saved.url, fetched_at=fetched, source=source
        )
    return extract_html(saved.data, saved.url, fetched_at=fetched, source=source)


def write_warc(
    path: Path, pages: Iterable[tuple[str, int, dict[str, list[str]], bytes, datetime]]
) -> int:
    """Write (url, status, headers, body, fetched_at) responses as a gzipped WARC."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, status, headers, body, fetched_at in pages:
            http = StatusAndHeaders(
                f"{status} OK",
                [(k, v) for k, vs in headers.items() for v in vs],
                protocol="HTTP/1.1",
            )
            rec = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={
                    "WARC-Date": fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                },
            )
            writer.write_record(rec)
            n += 1
    return n


__all__ = ["Chain", "CountingStats", "Saved", "iter_saved", "to_record", "write_warc"]
