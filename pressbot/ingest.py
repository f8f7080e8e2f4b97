"""The item pipelines outside Scrapy: for `pressbot ingest`, `reextract` and `replay`.

The same pipeline classes, in the same order (pressbot.pipelines.ITEM_PIPELINES), built
from the same settings; only the crawler around them is a small stand-in.
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object

from pressbot.decode import decode_html, decode_text, page_damage
from pressbot.extract import extract_html, extract_text
from pressbot.extract.limits import MAX_HTML_BYTES
from pressbot.files import open_new
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
        from pressbot.extensions import DatabaseOwner

        self.settings = crawl_settings(overrides)
        self.stats = CountingStats()
        # One engine for the chain, as for a crawler (opened at the first write).
        self.database = DatabaseOwner(self.settings.get("PRESSBOT_DATABASE_URL"))
        crawler = SimpleNamespace(
            settings=self.settings,
            stats=self.stats,
            spider=None,
            pressbot_database=self.database,
        )
        order = sorted(self.settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
        self.pipelines = [load_object(path).from_crawler(crawler) for path, _ in order]
        for p in self.pipelines:
            if hasattr(p, "open_spider"):
                p.open_spider()
        self.dropped: Counter[str] = Counter()
        self._closed = False

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
        if self._closed:
            return self.outcomes()
        self._closed = True
        try:
            for p in self.pipelines:
                if hasattr(p, "close_spider"):
                    p.close_spider()
        finally:
            self.database.close()
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
# Largest file or WARC record read: the extractor's own limit (a bigger page is not a
# press release), checked before reading so that a huge file costs nothing.
MAX_INPUT_BYTES = MAX_HTML_BYTES
_READ_BLOCK = 1 << 16


class Refused(Exception):
    """An input not worth extracting; the message is the one-line reason."""


@dataclass
class Saved:
    """One page or text read from disk or from a WARC file, decoded."""

    origin: str  # file path, or "file.warc.gz#record-id"
    url: str
    text: str
    is_text: bool
    fetched_at: datetime | None = None


@dataclass
class Problem:
    """An input that was not ingested (a file, a WARC record, the rest of a WARC file)."""

    origin: str
    reason: str


def _too_big(size: int) -> Refused:
    limit = f"{MAX_INPUT_BYTES // (1 << 20)} MiB"
    return Refused(f"file is {size:,} bytes, over the {limit} limit")


def checked_text(
    data: bytes, *, text: bool, content_type: str | None = None, framed: bool = True
) -> str:
    """``data`` decoded (plain text, or HTML by Scrapy's rules), or Refused with the
    reason it is not a page (:func:`pressbot.decode.page_damage`)."""
    decoded = decode_text(data) if text else decode_html(data, content_type)[0]
    damage = page_damage(data, decoded, framed=framed)
    if damage:
        raise Refused(damage)
    return decoded


def load_file(path: Path, *, text: bool) -> str:
    """A saved page or text file, decoded; Refused when it is not a regular file, is
    over MAX_INPUT_BYTES (known from stat(), before reading) or is damaged."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise Refused("is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file")  # a FIFO or a device could never end
    if info.st_size > MAX_INPUT_BYTES:
        raise _too_big(info.st_size)
    with path.open("rb") as fh:
        data = fh.read(MAX_INPUT_BYTES + 1)  # the file may have grown since stat()
    if len(data) > MAX_INPUT_BYTES:
        raise _too_big(len(data))
    return checked_text(data, text=text)


def _is_warc(path: Path) -> bool:
    return path.name.endswith((".warc", ".warc.gz"))


def _is_page_name(path: Path) -> bool:
    """Files a directory walk takes, by name: pages, text and WARC files, and pages saved
    with their query string after "@" ("detail.php@id=7", the mirror's layout). A name
    whose "@" starts no query ("logo@2x.png") or that has a known type other than HTML
    or text ("detail.php@id=7.expected.json") is not a page."""
    if _is_warc(path) or path.suffix in (*HTML_SUFFIXES, ".txt"):
        return True
    _, at, query = path.name.partition("@")
    if not at or "=" not in query:
        return False
    kind = mimetypes.guess_type(path.name, strict=False)[0]
    return kind is None or kind in ("text/html", "application/xhtml+xml", "text/plain")


def iter_saved(
    paths: Iterable[Path], *, text: bool = False, url: str | None = None
) -> Iterator[Saved | Problem]:
    """Files, directories (recursively: HTML, .txt and WARC files) and WARC records;
    a Problem for each input that cannot be ingested, and the walk goes on."""
    for path in paths:
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and _is_page_name(p))
            yield from iter_saved(children, text=text)
            continue
        if _is_warc(path):
            yield from iter_warc(path)
            continue
        is_text = text or path.suffix == ".txt"
        try:
            page = load_file(path, text=is_text)
        except OSError as exc:
            yield Problem(str(path), exc.strerror or str(exc))
            continue
        except Refused as exc:
            yield Problem(str(path), str(exc))
            continue
        yield Saved(str(path), url or path.resolve().as_uri(), page, is_text)


class _CutShort(Exception):
    """A WARC record ended before its declared length."""


def _framed(http: Any) -> bool:
    """Did the HTTP framing vouch that the whole body arrived?"""
    chunked = "chunked" in (http.get_header("Transfer-Encoding") or "").lower()
    return chunked or http.get_header("Content-Length") is not None


def _payload(rec: Any) -> bytes | None:
    """The body of an HTML 200 response record (at most MAX_INPUT_BYTES + 1 bytes), None
    for other records; the rest of the record is read through so that a record cut
    short is known (_CutShort) rather than half-read."""
    http = rec.http_headers
    ctype = (http.get_header("Content-Type") if http else "") or ""
    wanted = (
        rec.rec_type == "response"
        and http is not None
        and http.get_statuscode() == "200"
        and "html" in ctype
    )
    body = rec.content_stream().read(MAX_INPUT_BYTES + 1) if wanted else None
    while rec.raw_stream.read(_READ_BLOCK):
        pass
    # warcio's LimitReader counts the bytes the record still owes; a record without one
    # had no Content-Length: its header block was cut before that line.
    owed = getattr(rec.raw_stream, "limit", None)
    length_field = "length" if rec.format == "arc" else "Content-Length"
    declared = (rec.rec_headers.get_header(length_field) or "").strip()
    if owed is None or owed > 0 or not declared.isdigit():
        raise _CutShort
    return body


def iter_warc(path: Path) -> Iterator[Saved | Problem]:
    """HTML responses in a WARC file (pressbot's or another crawler's), decoded by their
    Content-Type. A file cut short or damaged gives the records before the damage and a
    Problem saying where it stopped; a record is never half-read."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        fh = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        yield Problem(str(path), exc.strerror or str(exc))
        return
    complete = 0
    with fh:
        records = ArchiveIterator(fh)
        while True:
            try:
                # warcio writes its own warnings about damaged records to stderr.
                with contextlib.redirect_stderr(io.StringIO()):
                    rec = next(records)
                    body = _payload(rec)
            except StopIteration:
                break
            except Exception as exc:
                # A cut file surfaces as whatever warcio's parser hit (EOFError,
                # ArchiveLoadFailed, zlib.error, AttributeError on half a header line);
                # damage that stops the reader before the end of the file is not a cut.
                what = "truncated" if fh.tell() >= size else f"unreadable ({exc!r:.80})"
                yield Problem(str(path), f"{what} after {complete} record(s)")
                return
            complete += 1
            if body is None:
                continue
            yield _warc_page(path, rec, body)
        if records.offset < size:
            # The last record ended inside a gzip member or before its end: nothing
            # raised, yet bytes are left that make no record.
            yield Problem(str(path), f"truncated after {complete} record(s)")


def _warc_page(path: Path, rec: Any, body: bytes) -> Saved | Problem:
    origin = f"{path}#{rec.rec_headers.get_header('WARC-Record-ID')}"
    if len(body) > MAX_INPUT_BYTES:
        return Problem(origin, str(_too_big(len(body))))
    http = rec.http_headers
    try:
        text = checked_text(
            body, text=False, content_type=http.get_header("Content-Type"), framed=_framed(http)
        )
    except Refused as exc:
        return Problem(origin, str(exc))
    when = rec.rec_headers.get_header("WARC-Date")
    return Saved(
        origin=origin,
        url=rec.rec_headers.get_header("WARC-Target-URI"),
        text=text,
        is_text=False,
        fetched_at=datetime.fromisoformat(when.replace("Z", "+00:00")) if when else None,
    )


def to_record(saved: Saved, source: Source | None, fetched_at: datetime | None = None) -> Record:
    """``fetched_at`` (for relative dates) overrides the WARC record's date and "now"."""
    fetched = fetched_at or saved.fetched_at or datetime.now(UTC)
    if saved.is_text:
        return extract_text(saved.text, saved.url, fetched_at=fetched, source=source)
    return extract_html(saved.text, saved.url, fetched_at=fetched, source=source)


def write_warc(
    path: Path, pages: Iterable[tuple[str, int, dict[str, list[str]], bytes, datetime]]
) -> int:
    """Write (url, status, headers, body, fetched_at) responses as a gzipped WARC."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with open_new(path, "wb") as fh:
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


__all__ = [
    "MAX_INPUT_BYTES",
    "Chain",
    "CountingStats",
    "Problem",
    "Refused",
    "Saved",
    "checked_text",
    "iter_saved",
    "load_file",
    "to_record",
    "write_warc",
]
