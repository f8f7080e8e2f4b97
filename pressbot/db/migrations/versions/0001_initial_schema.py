"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical_record_id", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clusters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clusters_canonical_record_id"), ["canonical_record_id"], unique=False
        )

    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finish_reason", sa.String(length=64), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_runs_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_crawl_runs_started_at"), ["started_at"], unique=False)

    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_key", sa.String(length=2048), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body_z", sa.LargeBinary(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pages_fetched_at"), ["fetched_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pages_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_pages_url_key"), ["url_key"], unique=False)

    op.create_table(
        "sources",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("is_excerpt", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("dedup", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url_key"),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_records_changed_at"), ["changed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_cluster_id"), ["cluster_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_source"), ["source"], unique=False)
        batch_op.create_index(
            "ix_records_source_published", ["source", "published_at"], unique=False
        )

    op.create_table(
        "lsh_bands",
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "record_id"),
    )
    with op.batch_alter_table("lsh_bands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lsh_bands_record_id"), ["record_id"], unique=False)

    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.create_index("ux_versions_record_version", ["record_id", "version"], unique=True)

    # One row per story: each cluster's canonical record (see docs/schema.md).
    op.execute(
        "CREATE VIEW stories AS "
        "SELECT r.*, c.size AS cluster_size FROM records r "
        "JOIN clusters c ON c.canonical_record_id = r.id"
    )


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS stories")

    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.drop_index("ux_versions_record_version")

    op.drop_table("record_versions")
    with op.batch_alter_table("lsh_bands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lsh_bands_record_id"))

    op.drop_table("lsh_bands")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_source_published")
        batch_op.drop_index(batch_op.f("ix_records_source"))
        batch_op.drop_index(batch_op.f("ix_records_published_at"))
        batch_op.drop_index(batch_op.f("ix_records_content_hash"))
        batch_op.drop_index(batch_op.f("ix_records_cluster_id"))
        batch_op.drop_index(batch_op.f("ix_records_changed_at"))

    op.drop_table("records")
    op.drop_table("sources")
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pages_url_key"))
        batch_op.drop_index(batch_op.f("ix_pages_source"))
        batch_op.drop_index(batch_op.f("ix_pages_fetched_at"))

    op.drop_table("pages")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_runs_started_at"))
        batch_op.drop_index(batch_op.f("ix_crawl_runs_source"))

    op.drop_table("crawl_runs")
    with op.batch_alter_table("clusters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clusters_canonical_record_id"))

    op.drop_table("clusters")
