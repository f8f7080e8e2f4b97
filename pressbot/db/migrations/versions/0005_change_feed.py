"""change feed (records.change_seq), times on SQLite as fixed-width ISO 8601 UTC text,
jsonb on PostgreSQL, CHECK constraints on the columns with a closed set of values

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

``change_seq`` of the records already stored is numbered in the order they were
stored or last changed (``changed_at``, then ``id``), and the feed goes on from the
largest. SQLite's times were SQLAlchemy's naive text (``2026-11-01 08:30:00.000000``),
which sorts before ``2026-11-01T00:00:00Z``: each is rewritten as
``2026-11-01T08:30:00.000000Z``. PostgreSQL's were ``timestamptz`` from the start.
The value sets are written out here so that this migration keeps doing what it did
when the code's sets grow (a later migration then changes the constraint).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_JSON = {
    "records": ("keywords", "related", "notes"),
    "pages": ("headers",),
    "sources": ("languages",),
    "crawl_runs": ("counts",),
}
_TIMES = {
    "records": ("published_at", "updated_at", "fetched_at", "first_seen_at", "changed_at"),
    "record_versions": ("published_at", "updated_at", "fetched_at", "valid_from", "valid_to"),
    "clusters": ("created_at", "updated_at"),
    "pages": ("fetched_at",),
    "crawl_runs": ("started_at", "finished_at"),
    "frontier": ("first_seen_at", "last_tried_at", "next_try_at"),
    "listing_walks": ("complete_since", "started_at"),
}
_KINDS = ("police", "ministry", "news", "aggregator")
_STATUSES = ("running", "ok", "incomplete", "failed", "interrupted", "timeout", "locked", "aborted")
_CHECKS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "records": (
        ("ck_records_kind", "kind", _KINDS),
        ("ck_records_language", "language", ("ur", "ar", "fa", "en", "mixed")),
        ("ck_records_dedup", "dedup", ("first", "exact", "near")),
    ),
    "sources": (("ck_sources_kind", "kind", _KINDS),),
    "crawl_runs": (("ck_crawl_runs_status", "status", _STATUSES),),
    "frontier": (("ck_frontier_state", "state", ("pending", "failed", "gave_up", "dropped")),),
}
_STORIES = (
    "CREATE VIEW stories AS "
    "SELECT r.*, c.size AS cluster_size FROM records r "
    "JOIN clusters c ON c.canonical_record_id = r.id"
)
_FTS_TRIGGER = (
    "CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN "
    "DELETE FROM records_fts WHERE rowid = old.id; END"
)
_SQLITE_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_CHUNK = 5000


def _condition(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IS NULL OR {column} IN ({listed})"


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    # The view holds records' columns (PostgreSQL refuses to change their types
    # under it; SQLite's table rebuild would find it pointing at nothing): made again
    # at the end, with change_seq.
    op.execute("DROP VIEW IF EXISTS stories")
    if pg:
        for table, columns in _JSON.items():
            for column in columns:
                op.execute(
                    f"ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb"
                )
    else:
        for table, columns in _TIMES.items():
            _rewrite_times(bind, table, columns, _to_iso)

    op.add_column("records", sa.Column("change_seq", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE records SET change_seq = o.n FROM "
        "(SELECT id, row_number() OVER (ORDER BY changed_at, id) AS n FROM records) AS o "
        "WHERE o.id = records.id"
    )
    if pg:
        op.execute("CREATE SEQUENCE records_change_seq AS bigint OWNED BY records.change_seq")
        op.execute(
            "SELECT setval('records_change_seq', "
            "COALESCE((SELECT max(change_seq) FROM records), 0) + 1, false)"
        )
        op.alter_column("records", "change_seq", existing_type=sa.BigInteger(), nullable=False)
        op.create_index("ix_records_change_seq", "records", ["change_seq"], unique=True)
        for table, checks in _CHECKS.items():
            for name, column, values in checks:
                op.create_check_constraint(name, table, _condition(column, values))
    else:
        # SQLite adds a NOT NULL or CHECK only by building the table again.
        for table, checks in _CHECKS.items():
            with op.batch_alter_table(table, recreate="always") as batch:
                if table == "records":
                    batch.alter_column("change_seq", existing_type=sa.BigInteger(), nullable=False)
                    batch.create_index("ix_records_change_seq", ["change_seq"], unique=True)
                for name, column, values in checks:
                    batch.create_check_constraint(name, _condition(column, values))
        # Dropping the old table took its trigger along.
        op.execute(_FTS_TRIGGER)
    op.execute(_STORIES)


def _to_iso(value: str) -> str:
    when = datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.strftime(_SQLITE_TIME)


def _to_naive(value: str) -> str:
    when = datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def _rewrite_times(
    bind: sa.Connection, table: str, columns: tuple[str, ...], fix: Callable[[str], str]
) -> None:
    """Rewrite each SQLite time text of ``table`` in the form ``fix`` gives, by rowid chunks."""
    cols = ", ".join(columns)
    sets = ", ".join(f"{c} = :{c}" for c in columns)
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                f"SELECT rowid, {cols} FROM {table} WHERE rowid > :last ORDER BY rowid LIMIT :n"
            ),
            {"last": last, "n": _CHUNK},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        bind.execute(
            sa.text(f"UPDATE {table} SET {sets} WHERE rowid = :rowid"),
            [
                {
                    "rowid": row[0],
                    **{
                        c: None if v is None else fix(str(v))
                        for c, v in zip(columns, row[1:], strict=True)
                    },
                }
                for row in rows
            ],
        )


def downgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    op.execute("DROP VIEW IF EXISTS stories")
    if pg:
        for table, checks in _CHECKS.items():
            for name, _, _ in checks:
                op.drop_constraint(name, table, type_="check")
        op.drop_index("ix_records_change_seq", table_name="records")
        op.drop_column("records", "change_seq")  # the sequence is owned by it: dropped too
        for table, columns in _JSON.items():
            for column in columns:
                op.execute(
                    f"ALTER TABLE {table} ALTER COLUMN {column} TYPE json USING {column}::json"
                )
    else:
        for table, checks in _CHECKS.items():
            with op.batch_alter_table(table, recreate="always") as batch:
                for name, _, _ in checks:
                    batch.drop_constraint(name, type_="check")
                if table == "records":
                    batch.drop_index("ix_records_change_seq")
                    batch.drop_column("change_seq")
        op.execute(_FTS_TRIGGER)
        for table, columns in _TIMES.items():
            _rewrite_times(bind, table, columns, _to_naive)
    op.execute(_STORIES)
