"""full-text search: an FTS5 table on SQLite, a tsvector table under a GIN index on
PostgreSQL, both over the match key of titles and body

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Stored records are indexed here, in chunks of their ids. The text is computed as
the store computes it (``pressbot.db.search``), but written out in this file so
that the migration keeps doing what it did when the store changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CHUNK = 2000


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    op.create_table(
        "records_tsv",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("doc", TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    if not pg:
        # Not contentless: SQLite before 3.43 (Debian 12 has 3.40) can only delete
        # from a contentless table given the deleted text, which a trigger cannot
        # compute (the match key is Python). Not external-content either: no table
        # holds the match key for it to point at.
        op.execute(
            "CREATE VIRTUAL TABLE records_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        # Whoever deletes a record (pressbot does not yet) takes its entry with it;
        # SQLite leaves foreign keys unenforced unless asked, a trigger always runs.
        op.execute(
            "CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN "
            "DELETE FROM records_fts WHERE rowid = old.id; END"
        )
    _backfill(bind, pg)
    if pg:
        # Built once over the backfilled rows: faster than growing it row by row.
        op.create_index("ix_records_tsv_doc", "records_tsv", ["doc"], postgresql_using="gin")


def _backfill(bind: sa.Connection, pg: bool) -> None:
    from pressbot.text.urdu import match_key

    if pg:
        sql = sa.text(
            "INSERT INTO records_tsv (record_id, doc) VALUES (:id, "
            "setweight(to_tsvector('simple', :title), 'A') || "
            "setweight(to_tsvector('simple', :body), 'B'))"
        )
    else:
        sql = sa.text("INSERT INTO records_fts (rowid, title, body) VALUES (:id, :title, :body)")
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, title, title_en, body FROM records WHERE id > :last "
                "ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": _CHUNK},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        bind.execute(
            sql,
            [
                {
                    "id": rid,
                    "title": match_key(f"{title}\n{title_en or ''}"),
                    "body": match_key(body),
                }
                for rid, title, title_en, body in rows
            ],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_records_tsv_doc", table_name="records_tsv")
    else:
        op.execute("DROP TRIGGER IF EXISTS records_fts_delete")
        op.execute("DROP TABLE IF EXISTS records_fts")
    op.drop_table("records_tsv")
