"""The database schema: the contract with analysts and downstream programs.

Every datetime is stored in UTC and read back timezone-aware, on SQLite too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    ARRAY,
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Sequence,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

# How SQLite keeps a time: UTC as ISO 8601 text of one fixed width, ``T`` and ``Z``
# included, so that text comparison is time order and agrees with what PostgreSQL
# answers for the same literal (``changed_at >= '2026-11-01T00:00:00Z'``).
SQLITE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class _SqliteUTCText(sqlite.DATETIME):
    """SQLite's DATETIME written as :data:`SQLITE_TIME_FORMAT`; any ISO 8601 text is
    read (the space-separated text of databases before migration 0005 too)."""

    def bind_processor(self, dialect: Dialect) -> Any:
        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is not None:
                value = value.astimezone(UTC)
            return value.strftime(SQLITE_TIME_FORMAT)

        return process

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        def process(value: str | datetime | None) -> datetime | None:
            if value is None or isinstance(value, datetime):
                return value
            return datetime.fromisoformat(value)

        return process


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the engine keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteUTCText())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pressbot stores aware datetimes only")
        value = value.astimezone(UTC)
        # SQLite has no time zones: keep naive UTC there.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        # jsonb on PostgreSQL: indexable, comparable, and what consumers query with ->>.
        dict[str, Any]: JSON().with_variant(JSONB(), "postgresql"),
        list[Any]: JSON().with_variant(JSONB(), "postgresql"),
    }


def utcnow() -> datetime:
    return datetime.now(UTC)


# Closed sets of values, checked by the database (CHECK constraints) so that a
# consumer may rely on them. Each mirrors the constant of the code that writes it
# (tests/test_migrations.py checks they agree); migration 0005 writes them out.
KINDS = ("police", "ministry", "news", "aggregator")  # pressbot.sources.KINDS
LANGUAGES = ("ur", "ar", "fa", "en", "mixed")  # pressbot.text.language.LANGUAGES
DEDUP_WAYS = ("first", "exact", "near")  # how a page joined its cluster (the store)
RUN_STATUSES = (  # crawl_runs.status: pressbot.extensions
    "running", "ok", "incomplete", "failed", "interrupted", "timeout", "locked", "aborted",
)  # fmt: skip
FRONTIER_STATES = ("pending", "failed", "gave_up", "dropped")  # pressbot.frontier


def one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """``column IN (...)`` (or null); the constraint is named so migrations can find it."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IS NULL OR {column} IN ({listed})", name=name)


# The change feed's counter on PostgreSQL (SQLite takes the largest value + 1 under
# its write lock): see ``RecordRow.change_seq``.
CHANGE_SEQ = Sequence("records_change_seq", metadata=Base.metadata)


class RecordRow(Base):
    """One row per page (its latest version)."""

    __tablename__ = "records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Identity of the page: canonical URL with scheme and www. folded (pressbot.urls.url_key).
    url_key: Mapped[str] = mapped_column(String(2048), unique=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime | None]
    place: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    related: Mapped[list[Any]] = mapped_column(default=list)
    is_excerpt: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # sha256 of the body's match key (pressbot.text.urdu.match_key).
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    # The story this page belongs to (syndicated copies share one cluster).
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="SET NULL"), index=True
    )
    # How this page joined its cluster: "first", "exact" or "near" (a copy).
    dedup: Mapped[str] = mapped_column(String(16), default="first")
    version: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The change feed: the row's insert and every change of its content take the
    # next value, assigned by the store under its write lock, so values are taken
    # in commit order and ``WHERE change_seq > :last`` never skips a commit that
    # lands later. An unchanged re-fetch keeps its value.
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True, unique=True)

    __table_args__ = (
        Index("ix_records_source_published", "source", "published_at"),
        one_of("kind", KINDS, "ck_records_kind"),
        one_of("language", LANGUAGES, "ck_records_language"),
        one_of("dedup", DEDUP_WAYS, "ck_records_dedup"),
    )


class VersionRow(Base):
    """Earlier texts of a page: a row is written when a page's content changes."""

    __tablename__ = "record_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime | None]
    # When this text was first stored, and when a newer one replaced it.
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime]

    __table_args__ = (Index("ux_versions_record_version", "record_id", "version", unique=True),)


class ClusterRow(Base):
    """A story: one canonical record and its copies."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_record_id: Mapped[int | None] = mapped_column(Integer, index=True)
    size: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LshBandRow(Base):
    """MinHash LSH band keys of stored records, one row per key: the candidate index
    on SQLite (see :class:`LshSetRow` for PostgreSQL). Near-duplicate candidates are
    found with an indexed query, so no in-memory index of the archive is ever built.

    A ``WITHOUT ROWID`` table on SQLite: the primary key is the table, one b-tree.
    A record's keys are deleted by key (they are recomputed from its old text), so
    no second index on ``record_id`` is kept up to date on every insert.
    """

    __tablename__ = "lsh_bands"

    # Band number and band hash folded into one signed 32-bit key.
    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = ({"sqlite_with_rowid": False},)


class LshSetRow(Base):
    """MinHash LSH band keys of stored records, one row per record: the candidate
    index on PostgreSQL, where a GIN index over the array finds the records sharing
    any key (``keys && ...``). A row-per-key table costs ~82 bytes a key there (heap
    tuple and B-tree entry); the array and its GIN entries ~45 (measured at 100k
    records x 30 keys: 157 MB against 245 MB), which keeps the index within 1.5 GB
    a million records."""

    __tablename__ = "lsh_sets"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    keys: Mapped[list[int]] = mapped_column(ARRAY(Integer).with_variant(JSON(), "sqlite"))

    __table_args__ = (
        # fastupdate off: a look-up probes the index once per key, and each probe
        # would scan GIN's whole pending list of recent inserts.
        Index(
            "ix_lsh_sets_keys",
            "keys",
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        ).ddl_if(dialect="postgresql"),
    )


class SearchDocRow(Base):
    """The full-text index on PostgreSQL: one tsvector a record, built by the store
    (``pressbot.db.search.index``) from the match key of its titles (weight A) and
    body (weight B), under a GIN index. Empty on SQLite, where the FTS5 table
    ``records_fts`` (created by migration 0004; FTS5 tables are not SQLAlchemy
    tables) holds the same text. The foreign key's cascade removes a deleted
    record's entry, so a search never returns it."""

    __tablename__ = "records_tsv"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    doc: Mapped[str] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))

    __table_args__ = (
        Index("ix_records_tsv_doc", "doc", postgresql_using="gin").ddl_if(dialect="postgresql"),
    )


class PageRow(Base):
    """The raw archive: every fetched article response, body compressed."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    url_key: Mapped[str] = mapped_column(String(2048), index=True)
    source: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[int] = mapped_column(SmallInteger)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # zlib-compressed response body, and sha256 of the uncompressed bytes.
    body_z: Mapped[bytes] = mapped_column(LargeBinary)
    body_sha256: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(index=True)


class SourceRow(Base):
    """The registry as of the last crawl, so readers can join on source keys."""

    __tablename__ = "sources"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    base_url: Mapped[str] = mapped_column(Text)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    timezone: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (one_of("kind", KINDS, "ck_sources_kind"),)


class CrawlRunRow(Base):
    """One row per `pressbot crawl` (or scrapy crawl) of a source."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    # "ok", "incomplete", "failed", "interrupted", "timeout", "locked" or "aborted"
    # (a run killed before it could say: closed by the next run of its source).
    status: Mapped[str | None] = mapped_column(String(32))
    # Process and host of the run, so a run that died can be told from one still going.
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (one_of("status", RUN_STATUSES, "ck_crawl_runs_status"),)


class FrontierRow(Base):
    """Article pages a source's crawls have seen (on a listing, feed or sitemap) and
    not stored yet: new ones, failed ones waiting for their next try, ones given up
    after too many tries, and pages dropped on purpose (checked again rarely).

    A row is written *before* its page is requested and deleted in the transaction
    that stores the page's record, so a run that is killed, fails or hits a budget
    leaves exactly the work the next run must do.
    """

    __tablename__ = "frontier"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    url_key: Mapped[str] = mapped_column(String(2048), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    # "pending" (never tried, or interrupted), "failed" (waiting for its next try),
    # "gave_up" (tried PRESSBOT_MAX_TRIES times), "dropped" (not an article, no body...).
    state: Mapped[str] = mapped_column(String(16), default="pending")
    tries: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime]
    last_tried_at: Mapped[datetime | None]
    # Not before this time (backoff, a server's Retry-After); null: at the next run.
    next_try_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # The listing, feed or sitemap page it was seen on.
    found_on: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_frontier_source_state", "source", "state"),
        # The store deletes a page's row by key alone when it stores the page; the
        # primary key leads with the source, so without this each batch read the
        # whole frontier, which keeps the pages given up or dropped (migration 0006).
        Index("ix_frontier_url_key", "url_key"),
        one_of("state", FRONTIER_STATES, "ck_frontier_state"),
    )


class ListingWalkRow(Base):
    """How far the last walk of a listing's pages got.

    A walk ends *naturally* when it runs out of pages, reaches the source's page
    horizon, or reaches a page with nothing new on it that it may trust (see
    ``pressbot.frontier``); otherwise (interrupted, a budget, a listing page that
    failed) it is *cut*, and the next run walks past the known pages until it meets
    ones known from before the last natural end.
    """

    __tablename__ = "listing_walks"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    start_url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    # Start of the run whose walk last ended naturally.
    complete_since: Mapped[datetime | None]
    # Start of the run that walked it last (or is walking it).
    started_at: Mapped[datetime | None]
    pages: Mapped[int] = mapped_column(Integer, default=0)
    # Why the last walk was cut (null after a natural end).
    cut_reason: Mapped[str | None] = mapped_column(String(64))
