"""Alembic environment: pressbot passes the connection in; there is no alembic.ini."""

from __future__ import annotations

from alembic import context

from pressbot.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `pressbot db upgrade` (pressbot.db.migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
