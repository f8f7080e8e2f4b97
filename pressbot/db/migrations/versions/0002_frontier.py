"""crawl frontier, listing walks, run status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frontier",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("url_key", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_tried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("found_on", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("source", "url_key"),
    )
    with op.batch_alter_table("frontier", schema=None) as batch_op:
        batch_op.create_index("ix_frontier_source_state", ["source", "state"], unique=False)

    op.create_table(
        "listing_walks",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("start_url", sa.String(length=2048), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("complete_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("cut_reason", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("source", "start_url"),
    )

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
        batch_op.drop_column("status")
    op.drop_table("listing_walks")
    with op.batch_alter_table("frontier", schema=None) as batch_op:
        batch_op.drop_index("ix_frontier_source_state")
    op.drop_table("frontier")
