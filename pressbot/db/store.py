"""The record store: batched, idempotent writes and the look-ups crawls need."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pressbot.db.migrate import ensure_schema
from pressbot.db.models import (
    ClusterRow,
    LshBandRow,
    PageRow,
    RecordRow,
    VersionRow,
    utcnow,
)
from pressbot.items import Record, Related
from pressbot.urls import url_key

Outcome = Literal["new", "updated", "unchanged", "exact_duplicate", "near_duplicate"]
# Finds the cluster of a stored near-duplicate of a new row, inside the write transaction.
NearFinder = Callable[[Session, "RecordRow", Record], int | None]

_ROW_FIELDS = (
    "url", "canonical_url", "source", "kind", "title", "title_en", "body", "language",
    "published_at", "updated_at", "fetched_at", "place", "agency", "author", "keywords",
    "is_excerpt", "notes", "content_hash",
)  # fmt: skip


@dataclass(frozen=True)
class Known:
    fetched_at: datetime | None
    content_hash: str


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            # WAL lets readers (analysts, the spider's look-ups) work beside the writer.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def row_values(record: Record) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in _ROW_FIELDS}
    values["related"] = [asdict(r) if isinstance(r, Related) else r for r in record.related]
    values["url_key"] = url_key(record.canonical_url or record.url)
    return values


class Store:
    def __init__(self, url: str, *, migrate: bool = True, near: NearFinder | None = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.near = near
        if migrate:
            ensure_schema(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- look-ups ---------------------------------------------------------------
    def known(self, keys: Iterable[str]) -> dict[str, Known]:
        """Stored pages among ``keys`` (url_key values)."""
        wanted = sorted(set(keys))
        out: dict[str, Known] = {}
        with Session(self.engine) as s:
            for i in range(0, len(wanted), 500):
                rows = s.execute(
                    select(RecordRow.url_key, RecordRow.fetched_at, RecordRow.content_hash).where(
                        RecordRow.url_key.in_(wanted[i : i + 500])
                    )
                )
                for key, fetched, chash in rows:
                    out[key] = Known(fetched, chash)
        return out

    def validators(self, keys: Iterable[str]) -> dict[str, dict[str, str]]:
        """HTTP validators (ETag, Last-Modified) of the newest archived copy of each page,
        for conditional requests that cost a 304 when nothing changed."""
        wanted = sorted(set(keys))
        out: dict[str, dict[str, str]] = {}
        with Session(self.engine) as s:
            for i in range(0, len(wanted), 500):
                rows = s.execute(
                    select(PageRow.url_key, PageRow.headers)
                    .where(PageRow.url_key.in_(wanted[i : i + 500]), PageRow.status == 200)
                    .order_by(PageRow.url_key, PageRow.fetched_at.desc(), PageRow.id.desc())
                )
                for key, headers in rows:
                    if key in out:
                        continue
                    lower = {k.lower(): v[0] for k, v in headers.items() if v}
                    out[key] = {
                        name: lower[src]
                        for name, src in (
                            ("If-None-Match", "etag"),
                            ("If-Modified-Since", "last-modified"),
                        )
                        if src in lower
                    }
        return out

    def hash_owner(self, content_hash: str, exclude_key: str) -> str | None:
        """The url_key of another stored page with this exact content, if any."""
        with Session(self.engine) as s:
            return s.scalar(
                select(RecordRow.url_key)
                .where(RecordRow.content_hash == content_hash, RecordRow.url_key != exclude_key)
                .limit(1)
            )

    def count(self) -> int:
        with Session(self.engine) as s:
            return s.scalar(select(func.count()).select_from(RecordRow)) or 0

    def iter_rows(self, source: Sequence[str] | None = None) -> Iterator[RecordRow]:
        with Session(self.engine) as s:
            q = select(RecordRow).order_by(RecordRow.id)
            if source:
                q = q.where(RecordRow.source.in_(source))
            yield from s.scalars(q.execution_options(yield_per=500))

    # --- the raw archive ----------------------------------------------------------
    def archive(self, pages: Sequence[dict[str, Any]]) -> None:
        """Append raw pages (see pressbot.archive.page_values) in one transaction."""
        with Session(self.engine) as s, s.begin():
            s.execute(insert(PageRow), list(pages))

    def latest_pages(
        self, source: Sequence[str] | None = None, since: datetime | None = None
    ) -> Iterator[PageRow]:
        """The newest archived 200 response of each page, streamed."""
        with Session(self.engine) as s:
            q = select(PageRow).where(PageRow.status == 200)
            if source:
                q = q.where(PageRow.source.in_(source))
            if since:
                q = q.where(PageRow.fetched_at >= since)
            q = q.order_by(PageRow.url_key, PageRow.fetched_at.desc(), PageRow.id.desc())
            last = None
            for page in s.scalars(q.execution_options(yield_per=200)):
                if page.url_key != last:
                    last = page.url_key
                    yield page

    # --- writes -----------------------------------------------------------------
    def upsert(self, records: Sequence[Record]) -> list[Outcome]:
        """Store a batch in one transaction; one outcome per record, in order.

        A page already stored with the same content is left alone (nothing is
        written). Changed content replaces the row and keeps the previous text in
        ``record_versions``. A new page joins the cluster of a stored page with the
        same text ("exact_duplicate") or the same story ("near_duplicate"), or
        starts a cluster of its own ("new").
        """
        values = [row_values(r) for r in records]
        outcomes: list[Outcome] = []
        now = utcnow()
        with Session(self.engine) as s, s.begin():
            if s.get_bind().dialect.name == "postgresql":
                # Cluster assignment reads then writes: workers sharing one database
                # take turns, so two copies of a story never start two clusters.
                s.execute(text("SELECT pg_advisory_xact_lock(724151)"))
            keys = [v["url_key"] for v in values]
            existing = {
                row.url_key: row
                for row in s.scalars(select(RecordRow).where(RecordRow.url_key.in_(keys)))
            }
            for record, v in zip(records, values, strict=True):
                row = existing.get(v["url_key"])
                if row is None:
                    row = RecordRow(**v, first_seen_at=now, changed_at=now, version=1)
                    s.add(row)
                    s.flush()
                    existing[v["url_key"]] = row
                    outcomes.append(self._link(s, row, record, now))
                elif row.content_hash == v["content_hash"]:
                    outcomes.append("unchanged")
                else:
                    self._new_version(s, row, v, record, now)
                    outcomes.append("updated")
        return outcomes

    def _new_version(
        self, s: Session, row: RecordRow, v: dict[str, Any], record: Record, now: datetime
    ) -> None:
        s.add(
            VersionRow(
                record_id=row.id,
                version=row.version,
                title=row.title,
                title_en=row.title_en,
                body=row.body,
                content_hash=row.content_hash,
                published_at=row.published_at,
                updated_at=row.updated_at,
                fetched_at=row.fetched_at,
                valid_from=row.changed_at,
                valid_to=now,
            )
        )
        for name, value in v.items():
            setattr(row, name, value)
        row.version += 1
        row.changed_at = now
        # The new text gets new band keys; its cluster stays (an update of a
        # release is the same story).
        s.execute(delete(LshBandRow).where(LshBandRow.record_id == row.id))
        self._add_bands(s, row.id, record.band_keys)
        if row.cluster_id is not None:
            self._choose_canonical(s, row.cluster_id, now)

    def _link(self, s: Session, row: RecordRow, record: Record, now: datetime) -> Outcome:
        """Put a new row in a cluster; return how it got there."""
        outcome: Outcome = "new"
        cluster_id = s.scalar(
            select(RecordRow.cluster_id)
            .where(
                RecordRow.content_hash == row.content_hash,
                RecordRow.id != row.id,
                RecordRow.cluster_id.is_not(None),
            )
            .limit(1)
        )
        if cluster_id is not None:
            outcome = "exact_duplicate"
        elif record.band_keys and self.near is not None:
            cluster_id = self.near(s, row, record)
            if cluster_id is not None:
                outcome = "near_duplicate"
        if cluster_id is None:
            cluster = ClusterRow(canonical_record_id=row.id, size=1, created_at=now, updated_at=now)
            s.add(cluster)
            s.flush()
            row.cluster_id = cluster.id
            row.dedup = "first"
        else:
            row.cluster_id = cluster_id
            row.dedup = "exact" if outcome == "exact_duplicate" else "near"
            s.flush()
            self._choose_canonical(s, cluster_id, now)
        self._add_bands(s, row.id, record.band_keys)
        return outcome

    @staticmethod
    def _add_bands(s: Session, record_id: int, band_keys: Sequence[int]) -> None:
        if band_keys:
            s.execute(
                insert(LshBandRow),
                [{"key": k, "record_id": record_id} for k in dict.fromkeys(band_keys)],
            )

    @staticmethod
    def _choose_canonical(s: Session, cluster_id: int, now: datetime) -> None:
        members = s.scalars(select(RecordRow).where(RecordRow.cluster_id == cluster_id)).all()
        best = min(members, key=canonical_rank)
        s.execute(
            update(ClusterRow)
            .where(ClusterRow.id == cluster_id)
            .values(canonical_record_id=best.id, size=len(members), updated_at=now)
        )


# Official releases are the original; news copies and aggregator excerpts follow.
KIND_RANK = {"police": 0, "ministry": 0, "news": 1, "aggregator": 2}
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def canonical_rank(row: RecordRow) -> tuple[Any, ...]:
    """Sort key of a cluster's members; the smallest is its canonical record."""
    return (
        KIND_RANK.get(row.kind or "", 3),
        row.is_excerpt,
        row.published_at or _FAR_FUTURE,
        row.first_seen_at,
        row.id,
    )
