"""LSH index: 32-bit keys, 20x4 + 10x8 bands; a key table without rowid on SQLite, an
array with a GIN index on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

Band keys change (fewer bands, 32-bit), so the keys of every stored record are
computed again from its text, in chunks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CHUNK = 2000


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    with op.batch_alter_table("lsh_bands", schema=None) as batch_op:
        batch_op.drop_index("ix_lsh_bands_record_id")
    op.drop_table("lsh_bands")
    op.create_table(
        "lsh_bands",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "record_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "lsh_sets",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("keys", sa.ARRAY(sa.Integer()).with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    if pg:
        op.create_index(
            "ix_lsh_sets_keys",
            "lsh_sets",
            ["keys"],
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        )
    _rebuild_keys(bind, pg)


def _rebuild_keys(bind: sa.Connection, pg: bool) -> None:
    from pressbot.dedup.keys import record_keys
    from pressbot.text.urdu import match_key

    last = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, body FROM records WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": _CHUNK},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        keyed = [(rid, list(dict.fromkeys(record_keys(match_key(body))))) for rid, body in rows]
        if pg:
            bind.execute(
                sa.text(
                    "INSERT INTO lsh_sets (record_id, keys) VALUES (:rid, CAST(:keys AS integer[]))"
                ),
                [{"rid": rid, "keys": keys} for rid, keys in keyed],
            )
        else:
            bind.execute(
                sa.text("INSERT INTO lsh_bands (key, record_id) VALUES (:key, :rid)"),
                [{"key": k, "rid": rid} for rid, keys in keyed for k in keys],
            )


def downgrade() -> None:
    raise NotImplementedError("the earlier band keys cannot be rebuilt by this version")
