"""Streaming export of stored records: JSON Lines, CSV or Parquet.

Rows are read with a server-side cursor (``yield_per``) and written as they
come, so memory stays flat however many records the database holds.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pressbot.db.models import ClusterRow, RecordRow
from pressbot.files import open_new

FIELDS: tuple[str, ...] = (
    "id", "url", "canonical_url", "source", "kind", "title", "title_en", "body", "language",
    "published_at", "updated_at", "fetched_at", "place", "agency", "author", "keywords",
    "related", "is_excerpt", "content_hash", "cluster_id", "is_canonical", "dedup", "version",
    "first_seen_at", "changed_at", "change_seq", "notes",
)  # fmt: skip
_JSON_FIELDS = {"keywords", "related", "notes"}
_TIME_FIELDS = {"published_at", "updated_at", "fetched_at", "first_seen_at", "changed_at"}
FORMATS = ("jsonl", "csv", "parquet")


def iter_rows(
    engine: Engine,
    *,
    sources: Sequence[str] | None = None,
    since: datetime | None = None,
    published_since: datetime | None = None,
    since_seq: int | None = None,
    include_duplicates: bool = False,
    batch: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Records as dicts, ordered by id; one per story unless ``include_duplicates``.

    ``since_seq``: the records inserted or changed after that value of the change
    feed, in feed order (``change_seq``), so the last row's value is where the next
    poll starts."""
    q = select(RecordRow, ClusterRow.canonical_record_id).outerjoin(
        ClusterRow, ClusterRow.id == RecordRow.cluster_id
    )
    if not include_duplicates:
        q = q.where(ClusterRow.canonical_record_id == RecordRow.id)
    if sources:
        q = q.where(RecordRow.source.in_(sources))
    if since:
        q = q.where(RecordRow.changed_at >= since)
    if published_since:
        q = q.where(RecordRow.published_at >= published_since)
    if since_seq is not None:
        q = q.where(RecordRow.change_seq > since_seq).order_by(RecordRow.change_seq)
    else:
        q = q.order_by(RecordRow.id)
    q = q.execution_options(yield_per=batch, stream_results=True)
    with Session(engine) as s:
        for row, canonical_id in s.execute(q):
            out = {name: getattr(row, name) for name in FIELDS if hasattr(row, name)}
            out["is_canonical"] = canonical_id == row.id
            yield out
            s.expunge(row)


class LastSeq:
    """Passes rows through and keeps the largest ``change_seq`` among them: the
    value a poller gives ``--since-seq`` next time."""

    def __init__(self) -> None:
        self.value: int | None = None

    def __call__(self, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            if self.value is None or row["change_seq"] > self.value:
                self.value = row["change_seq"]
            yield row


def _json_value(name: str, value: Any) -> Any:
    if name in _TIME_FIELDS and value is not None:
        return value.isoformat()
    return value


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps({k: _json_value(k, row[k]) for k in FIELDS}, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    n = 0
    for row in rows:
        cells = []
        for k in FIELDS:
            v = _json_value(k, row[k])
            if k in _JSON_FIELDS:
                v = json.dumps(v, ensure_ascii=False)
            cells.append("" if v is None else v)
        writer.writerow(cells)
        n += 1
    return n


def write_parquet(rows: Iterator[dict[str, Any]], path: str, *, group: int = 5000) -> int:
    """Parquet needs a file (not standard output) and pyarrow (`pip install pressbot[parquet]`)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RuntimeError("Parquet export needs pyarrow: pip install 'pressbot[parquet]'") from exc
    ts = pa.timestamp("us", tz="UTC")
    schema = pa.schema(
        [
            ("id", pa.int64()), ("url", pa.string()), ("canonical_url", pa.string()),
            ("source", pa.string()), ("kind", pa.string()), ("title", pa.string()),
            ("title_en", pa.string()), ("body", pa.string()), ("language", pa.string()),
            ("published_at", ts), ("updated_at", ts), ("fetched_at", ts), ("place", pa.string()),
            ("agency", pa.string()), ("author", pa.string()), ("keywords", pa.list_(pa.string())),
            ("related", pa.string()), ("is_excerpt", pa.bool_()), ("content_hash", pa.string()),
            ("cluster_id", pa.int64()), ("is_canonical", pa.bool_()), ("dedup", pa.string()),
            ("version", pa.int32()), ("first_seen_at", ts), ("changed_at", ts),
            ("change_seq", pa.int64()), ("notes", pa.string()),
        ]
    )  # fmt: skip
    n = 0
    buffer: list[dict[str, Any]] = []
    with open_new(path, "wb") as fh, pq.ParquetWriter(fh, schema, compression="zstd") as writer:

        def flush() -> None:
            if buffer:
                writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
                buffer.clear()

        for row in rows:
            row = dict(row)
            row["related"] = json.dumps(row["related"], ensure_ascii=False)
            row["notes"] = json.dumps(row["notes"], ensure_ascii=False)
            buffer.append(row)
            n += 1
            if len(buffer) >= group:
                flush()
        flush()
    return n
