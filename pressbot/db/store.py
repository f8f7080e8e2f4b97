"""The record store: batched, idempotent writes and the look-ups crawls need."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import (
    ARRAY,
    Column,
    Engine,
    Table,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pressbot.db import search
from pressbot.db.engine import WRITING, make_engine
from pressbot.db.migrate import ensure_schema, require_current
from pressbot.db.models import (
    ClusterRow,
    FrontierRow,
    PageRow,
    RecordRow,
    UTCDateTime,
    VersionRow,
    utcnow,
)
from pressbot.dedup.decide import SqlLshIndex
from pressbot.dedup.keys import record_keys
from pressbot.dedup.story import is_same_story
from pressbot.items import Record, Related
from pressbot.text.urdu import match_key
from pressbot.urls import url_key

Outcome = Literal["new", "updated", "unchanged", "exact_duplicate", "near_duplicate"]

_ROW_FIELDS = (
    "url", "canonical_url", "source", "kind", "title", "title_en", "body", "language",
    "published_at", "updated_at", "fetched_at", "place", "agency", "author", "keywords",
    "is_excerpt", "notes", "content_hash",
)  # fmt: skip


@dataclass(frozen=True)
class Known:
    fetched_at: datetime | None
    content_hash: str
    first_seen_at: datetime | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None


def record_key(record: Record) -> str:
    """The stored key of a record's page (``records.url_key``)."""
    return url_key(record.canonical_url or record.url)


def row_values(record: Record, key: str | None = None) -> dict[str, Any]:
    """The ``records`` columns of ``record``; ``key``: its :func:`record_key`, if known."""
    values = {name: getattr(record, name) for name in _ROW_FIELDS}
    values["related"] = [asdict(r) if isinstance(r, Related) else r for r in record.related]
    values["url_key"] = key or record_key(record)
    return values


class Store:
    """Reads and writes of one database. ``Store(url)`` makes (and on ``close``
    disposes) its own engine and brings the schema up to date, as writers do;
    ``engine=`` shares an engine someone else owns (a crawl's
    :class:`pressbot.extensions.DatabaseOwner`); :meth:`read_only` never migrates."""

    def __init__(
        self,
        url: str,
        *,
        migrate: bool = True,
        near: bool = True,
        engine: Engine | None = None,
        settings: Any = None,
    ) -> None:
        self.url = url
        self._owns_engine = engine is None
        # ``settings``: a crawl's Scrapy settings, for the engine's options.
        self.engine = make_engine(url, settings=settings) if engine is None else engine
        # Link near-duplicates (syndicated copies, excerpts) as well as exact copies.
        self.near = near
        if migrate:
            try:
                ensure_schema(self.engine)
            except BaseException:
                self.close()
                raise

    @classmethod
    def read_only(cls, url: str) -> Store:
        """For commands that only read: the schema must be current (else
        :class:`pressbot.db.migrate.SchemaBehind`), nothing is created or migrated."""
        engine = make_engine(url, create=False)
        try:
            require_current(engine)
        except BaseException:
            engine.dispose()
            raise
        store = cls(url, migrate=False, engine=engine)
        store._owns_engine = True
        return store

    def close(self) -> None:
        if self._owns_engine:
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
            for chunk in _chunks(wanted):
                rows = s.execute(
                    select(
                        RecordRow.url_key,
                        RecordRow.fetched_at,
                        RecordRow.content_hash,
                        RecordRow.first_seen_at,
                        RecordRow.published_at,
                        RecordRow.updated_at,
                    ).where(_among(s, RecordRow.url_key, chunk))
                )
                for key, fetched, chash, first, published, updated in rows:
                    out[key] = Known(fetched, chash, first, published, updated)
        return out

    def last_checked(self, keys: Iterable[str]) -> dict[str, datetime]:
        """When each page was last fetched or revalidated (any answer, a 304 too), from
        the raw archive."""
        wanted = sorted(set(keys))
        out: dict[str, datetime] = {}
        with Session(self.engine) as s:
            for chunk in _chunks(wanted):
                rows = s.execute(
                    select(PageRow.url_key, func.max(PageRow.fetched_at))
                    .where(_among(s, PageRow.url_key, chunk))
                    .group_by(PageRow.url_key)
                )
                for key, when in rows:
                    if when is not None:
                        out[key] = when if when.tzinfo else when.replace(tzinfo=UTC)
        return out

    def validators(self, keys: Iterable[str]) -> dict[str, dict[str, str]]:
        """HTTP validators (ETag, Last-Modified) of the newest archived copy of each page,
        for conditional requests that cost a 304 when nothing changed."""
        wanted = sorted(set(keys))
        out: dict[str, dict[str, str]] = {}
        with Session(self.engine) as s:
            for chunk in _chunks(wanted):
                rows = s.execute(
                    select(PageRow.url_key, PageRow.headers)
                    .where(_among(s, PageRow.url_key, chunk), PageRow.status == 200)
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

    def count(self) -> int:
        with Session(self.engine) as s:
            return s.scalar(select(func.count()).select_from(RecordRow)) or 0

    def archive(self, pages: Sequence[dict[str, Any]], *, skip_existing: bool = False) -> int:
        """Append raw pages (see pressbot.archive.page_values) in one transaction;
        ``skip_existing`` leaves out pages already archived (same URL, fetch time
        and body), which makes replaying them idempotent. Returns rows written."""
        rows = list(pages)
        with Session(self.engine) as s, s.begin():
            if skip_existing and rows:
                have = set(
                    s.execute(
                        select(PageRow.url_key, PageRow.fetched_at, PageRow.body_sha256).where(
                            _among(s, PageRow.url_key, sorted({p["url_key"] for p in rows}))
                        )
                    ).tuples()
                )
                rows = [
                    p for p in rows
                    if (p["url_key"], p["fetched_at"], p["body_sha256"]) not in have
                ]  # fmt: skip
            if rows:
                s.execute(insert(PageRow), rows)
        return len(rows)

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
        # Only keys up front: the columns are gathered for new and changed pages only
        # (most pages of a re-crawl are unchanged).
        keys = [record_key(r) for r in records]
        outcomes: list[Outcome] = []
        now = utcnow()
        token = WRITING.set(True)
        try:
            with Session(self.engine) as s, s.begin():
                self._upsert(s, records, keys, outcomes, now)
                # The pages are stored: the crawl frontier owes them no more work.
                # Same transaction, so a crash leaves either both or neither.
                _clear_frontier(s, records, keys)
        finally:
            WRITING.reset(token)
        return outcomes

    def _upsert(
        self,
        s: Session,
        records: Sequence[Record],
        keys: list[str],
        outcomes: list[Outcome],
        now: datetime,
    ) -> None:
        if s.get_bind().dialect.name == "postgresql":
            # Cluster assignment reads then writes: workers sharing one database
            # take turns, so two copies of a story never start two clusters.
            s.execute(text("SELECT pg_advisory_xact_lock(724151)"))
        # Hashes first: most pages of a re-crawl are unchanged, and need no more.
        known: dict[str, str] = {}
        for chunk in _chunks(sorted(set(keys))):
            for key, chash in s.execute(
                select(RecordRow.url_key, RecordRow.content_hash).where(
                    _among(s, RecordRow.url_key, chunk)
                )
            ):
                known[key] = chash
        fresh: dict[str, int] = {}  # url_key -> index in `new`, for a page twice in one batch
        new: list[tuple[Record, dict[str, Any], int]] = []
        changed: list[tuple[int, Record, dict[str, Any]]] = []
        for i, (record, key) in enumerate(zip(records, keys, strict=True)):
            outcomes.append("unchanged")
            if key in fresh:
                continue  # the same page again in this batch: the first copy is stored
            if key not in known:
                fresh[key] = len(new)
                new.append((record, row_values(record, key), i))
            elif known[key] != record.content_hash:
                fresh[key] = -1
                changed.append((i, record, row_values(record, key)))
        # The change feed: one value for each page inserted or changed, taken under
        # the write lock held since the start of this transaction.
        seqs = iter(_next_change_seqs(s, len(changed) + len(new)))
        if changed:
            rows = {
                row.url_key: row
                for row in s.scalars(
                    select(RecordRow).where(
                        _among(s, RecordRow.url_key, [v["url_key"] for _, _, v in changed])
                    )
                )
            }
            touched: set[int] = set()
            for i, record, v in changed:
                row = rows[v["url_key"]]
                self._new_version(s, row, v, record, now)
                row.change_seq = next(seqs)
                if row.cluster_id is not None:
                    touched.add(row.cluster_id)
                outcomes[i] = "updated"
            s.flush()
            _rechoose_canonical(s, touched, now)
        if new:
            for i, outcome in self._insert_new(s, new, now, seqs):
                outcomes[i] = outcome

    def _insert_new(
        self,
        s: Session,
        new: list[tuple[Record, dict[str, Any], int]],
        now: datetime,
        seqs: Iterator[int],
    ) -> list[tuple[int, Outcome]]:
        """Insert new pages and link each to its story, a batch at a time, set-based:
        one query for exact copies, one for LSH candidates, one for their texts; ids
        allocated under the write lock this transaction holds; then one bulk insert
        each for clusters, records and band keys."""
        by_hash = _stored_clusters_by_hash(s, {v["content_hash"] for _, v, _ in new})
        stored = (
            _INDEX.candidates_many(s, [r.band_keys for r, _, _ in new], MAX_CANDIDATES)
            if self.near
            else []
        )
        bodies = _candidate_texts(s, {rid for cands in stored for rid in cands})
        # Where each new page goes: ("stored", cluster id) or ("batch", index of the
        # page in this batch that started the story).
        target: list[tuple[str, int]] = []
        outcome: list[Outcome] = []
        batch_hash: dict[str, int] = {}
        batch_keys: dict[int, list[int]] = {}
        for n, (record, v, _) in enumerate(new):
            key = record.match_key or match_key(v["body"])
            chash = v["content_hash"]
            found: tuple[str, int] | None = None
            kind: Outcome = "new"
            if chash in by_hash:
                found, kind = ("stored", by_hash[chash]), "exact_duplicate"
            elif chash in batch_hash:
                found, kind = target[batch_hash[chash]], "exact_duplicate"
            elif self.near:
                for rid in stored[n]:
                    cluster_id, other = bodies.get(rid, (None, ""))
                    if cluster_id is not None and is_same_story(key, other):
                        found, kind = ("stored", cluster_id), "near_duplicate"
                        break
                else:
                    for m in _batch_candidates(record.band_keys, batch_keys):
                        other_key = new[m][0].match_key or match_key(new[m][1]["body"])
                        if is_same_story(key, other_key):
                            found, kind = target[m], "near_duplicate"
                            break
            target.append(found or ("batch", n))
            outcome.append(kind)
            batch_hash.setdefault(chash, n)
            for k in record.band_keys:
                batch_keys.setdefault(k, []).append(n)

        leaders = [n for n, t in enumerate(target) if t == ("batch", n)]
        record_ids = _allocate_ids(s, _RECORDS, len(new))
        cluster_ids = dict(zip(leaders, _allocate_ids(s, _CLUSTERS, len(leaders)), strict=True))
        rows = []
        members: dict[int, list[dict[str, Any]]] = {}
        for n, (_record, v, _) in enumerate(new):
            where, ref = target[n]
            cluster_id = ref if where == "stored" else cluster_ids[ref]
            row = {
                **v,
                "id": record_ids[n],
                "first_seen_at": now,
                "changed_at": now,
                "version": 1,
                "change_seq": next(seqs),
                "cluster_id": cluster_id,
                "dedup": {"new": "first", "exact_duplicate": "exact"}.get(outcome[n], "near"),
            }
            rows.append(row)
            members.setdefault(cluster_id, []).append(row)
        # A story that starts in this batch has all its members here.
        clusters = []
        for n in leaders:
            group = members.pop(cluster_ids[n])
            clusters.append(
                {
                    "id": cluster_ids[n],
                    "canonical_record_id": min(group, key=canonical_rank)["id"],
                    "size": len(group),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if clusters:
            bulk_insert(s, _CLUSTERS, clusters)
        bulk_insert(s, _RECORDS, rows)
        search.index(s, rows, [r.match_key for r, _, _ in new])  # same transaction
        _INDEX.add_many(
            s, [(row["id"], r.band_keys) for row, (r, _, _) in zip(rows, new, strict=True)]
        )
        # Stored stories with new copies: their canonical record may change.
        _rechoose_canonical(s, set(members), now)
        return [(i, outcome[n]) for n, (_, _, i) in enumerate(new)]

    def _new_version(
        self, s: Session, row: RecordRow, v: dict[str, Any], record: Record, now: datetime
    ) -> None:
        # The keys the old text was indexed under (the index is searched by key).
        old_keys = record_keys(match_key(row.body))
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
        search.index(s, [{**v, "id": row.id}], [record.match_key])  # the new text, indexed
        # The new text gets new band keys; its cluster stays (an update of a
        # release is the same story).
        _INDEX.remove(s, row.id, old_keys)
        _INDEX.add_many(s, [(row.id, record.band_keys)])


def _clear_frontier(s: Session, records: Sequence[Record], stored: list[str]) -> None:
    keys = set(stored)
    keys |= {url_key(r.url) for r in records if r.url}
    keys |= {r.frontier_key for r in records if r.frontier_key}
    for chunk in _chunks(sorted(keys)):
        s.execute(
            delete(FrontierRow)
            .where(_among(s, FrontierRow.url_key, chunk))
            .execution_options(synchronize_session=False)
        )


_INDEX = SqlLshIndex()
_RECORDS = cast(Table, RecordRow.__table__)
_CLUSTERS = cast(Table, ClusterRow.__table__)
# LSH candidates confirmed per new page, most shared bands first.
MAX_CANDIDATES = 20
# Keys per look-up. Each goes as one parameter (see _among), so no driver limit
# applies; the bound keeps each statement's list and result small.
_CHUNK = 900


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _among(s: Session, column: Any, values: Sequence[Any]) -> Any:
    """``column IN values``, the values sent as one parameter: an array on PostgreSQL
    (``column = ANY(array)``), a JSON list read by ``json_each`` on SQLite. The
    statement's text is then the same for any number of values (compiled and parsed
    once), where an ``IN`` list renders a placeholder per value on every execution
    (a third of the time of a batch of pages already stored). Both still search the
    column's index."""
    if s.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    each = func.json_each(bindparam(None, json.dumps(list(values)))).table_valued("value")
    return column.in_(select(each.c.value))


def bulk_insert(s: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``INSERT`` of ``rows`` (dicts with a value for every column of ``table``) in the
    session's transaction, storing what ``s.execute(insert(table), rows)`` stores.

    The values go through the bind processors of the columns' own types, the ones
    SQLAlchemy applies (times as :data:`pressbot.db.models.SQLITE_TIME_FORMAT` text
    on SQLite, aware UTC on PostgreSQL; JSON serialised by the column's type), a
    column at a time, so the stored values are the same. What is saved is
    SQLAlchemy's per-row parameter handling (SQLite: a tenth of a batch's time) and,
    on PostgreSQL, a statement per row: the rows go in one ``COPY``, which checks
    the same constraints."""
    if not rows:
        return
    if any(c.name not in rows[0] for c in table.columns):
        # A column left to its default (none is, today): SQLAlchemy's insert fills it.
        s.execute(insert(table), rows)
        return
    conn = s.connection()
    dialect = conn.dialect
    names = ", ".join(c.name for c in table.columns)
    if dialect.name == "postgresql":
        sql = f"COPY {table.name} ({names}) FROM STDIN"
    else:
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(table.columns))})"
    error = dialect.loaded_dbapi.Error
    try:
        columns = [_bound_column(c, rows, dialect) for c in table.columns]
    except Exception as exc:
        # As SQLAlchemy reports a value its type refuses (a naive datetime).
        raise DBAPIError.instance(sql, None, exc, error) from exc
    if dialect.name != "postgresql":
        # Through SQLAlchemy's driver-level execute: no compiling or type processing,
        # but its error translation (a locked or vanished database is OperationalError).
        conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))
        return
    dbapi: Any = conn.connection.dbapi_connection
    try:
        # psycopg 3: COPY is not in the DB-API (nor in exec_driver_sql).
        with dbapi.cursor() as cur, cur.copy(sql) as cp:
            for row in zip(*columns, strict=True):
                cp.write_row(row)
    except error as exc:
        # Reported as SQLAlchemy reports a failed statement (IntegrityError, a lost
        # connection as OperationalError with the connection invalidated).
        gone = dialect.is_disconnect(exc, dbapi, None)
        if gone:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            sql, None, exc, error, connection_invalidated=gone, dialect=dialect
        ) from exc


def _bound_column(column: Column[Any], rows: Sequence[dict[str, Any]], dialect: Any) -> list[Any]:
    """The values of ``column`` in ``rows`` as its type binds them on ``dialect``."""
    name = column.name
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return [row[name] for row in rows]
    if isinstance(column.type, UTCDateTime):
        # Once per distinct time: a batch shares ``now``, and often its fetch times.
        # Equal aware times are one instant, hence one UTC text; a naive time equals
        # no aware one, and still reaches the processor (which refuses it).
        seen: dict[Any, Any] = {}
        return [
            seen[v] if v in seen else seen.setdefault(v, process(v))
            for v in (row[name] for row in rows)
        ]
    return [process(row[name]) for row in rows]


def _stored_clusters_by_hash(s: Session, hashes: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(sorted(hashes)):
        rows = s.execute(
            select(RecordRow.content_hash, RecordRow.cluster_id).where(
                _among(s, RecordRow.content_hash, chunk), RecordRow.cluster_id.is_not(None)
            )
        )
        for chash, cluster_id in rows:
            if cluster_id is not None:
                out.setdefault(chash, cluster_id)
    return out


def _candidate_texts(s: Session, ids: set[int]) -> dict[int, tuple[int | None, str]]:
    """Cluster and match key of candidate records."""
    out: dict[int, tuple[int | None, str]] = {}
    for chunk in _chunks(sorted(ids)):
        for rid, cluster_id, body in s.execute(
            select(RecordRow.id, RecordRow.cluster_id, RecordRow.body).where(
                _among(s, RecordRow.id, chunk)
            )
        ):
            out[rid] = (cluster_id, match_key(body))
    return out


def _batch_candidates(keys: list[int], batch_keys: dict[int, list[int]]) -> list[int]:
    """Pages earlier in the batch sharing band keys with this one, most shared first."""
    shared = [batch_keys[k] for k in set(keys) if k in batch_keys]
    if not shared:
        return []  # most pages of a batch share no key with another: no counting
    hits: Counter[int] = Counter(m for pages in shared for m in pages)
    return [m for m, _ in hits.most_common(MAX_CANDIDATES)]


def _allocate_ids(s: Session, table: Any, n: int) -> list[int]:
    """``n`` new primary keys for ``table``. PostgreSQL: from the column's sequence
    (safe with any number of writers). SQLite: after the largest id, which is safe
    because a writer holds the database's write lock (BEGIN IMMEDIATE) all along."""
    if n == 0:
        return []
    name = table.name
    if s.get_bind().dialect.name == "postgresql":
        return list(
            s.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": name, "n": n},
            )
        )
    start = s.scalar(select(func.max(table.c.id))) or 0
    return list(range(start + 1, start + n + 1))


def _next_change_seqs(s: Session, n: int) -> list[int]:
    """``n`` values of the change feed, in order. The caller holds the store's write
    lock (PostgreSQL: the advisory lock; SQLite: BEGIN IMMEDIATE) until it commits,
    so values are taken in commit order: a poller that has read value k never sees
    a smaller one commit later. PostgreSQL: the sequence (never reused, gaps after
    a rollback); SQLite: after the largest stored value."""
    if n == 0:
        return []
    if s.get_bind().dialect.name == "postgresql":
        return sorted(
            s.scalars(
                text("SELECT nextval('records_change_seq') FROM generate_series(1, :n)"),
                {"n": n},
            )
        )
    start = s.scalar(select(func.max(RecordRow.change_seq))) or 0
    return list(range(start + 1, start + n + 1))


def _rechoose_canonical(s: Session, cluster_ids: set[int], now: datetime) -> None:
    """Choose the canonical record and size of these clusters again from all their
    members: one query for the members, one executemany for the clusters."""
    if not cluster_ids:
        return
    members: dict[int, list[dict[str, Any]]] = {}
    cols = (
        RecordRow.id,
        RecordRow.cluster_id,
        RecordRow.kind,
        RecordRow.is_excerpt,
        RecordRow.published_at,
        RecordRow.first_seen_at,
    )
    for chunk in _chunks(sorted(cluster_ids)):
        q = select(*cols).where(_among(s, RecordRow.cluster_id, chunk))
        for row in s.execute(q).mappings():
            members.setdefault(row["cluster_id"], []).append(dict(row))
    table = cast(Table, ClusterRow.__table__)
    s.execute(
        update(table)
        .where(table.c.id == bindparam("cid"))
        .values(
            canonical_record_id=bindparam("canonical"),
            size=bindparam("n"),
            updated_at=bindparam("now"),
        ),
        [
            {
                "cid": cid,
                "canonical": min(group, key=canonical_rank)["id"],
                "n": len(group),
                "now": now,
            }
            for cid, group in sorted(members.items())
        ],
    )


# Official releases are the original; news copies and aggregator excerpts follow.
KIND_RANK = {"police": 0, "ministry": 0, "news": 1, "aggregator": 2}
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def canonical_rank(row: Any) -> tuple[Any, ...]:
    """Sort key of a cluster's members (rows or dicts of their columns); the
    smallest is its canonical record."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    published = get("published_at")
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)  # SQLite through Core: naive UTC
    first = get("first_seen_at")
    if first is not None and first.tzinfo is None:
        first = first.replace(tzinfo=UTC)
    return (
        KIND_RANK.get(get("kind") or "", 3),
        bool(get("is_excerpt")),
        published or _FAR_FUTURE,
        first or _FAR_FUTURE,
        get("id"),
    )
