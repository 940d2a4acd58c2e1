"""Alembic environment: runs on the connection the application hands over (never reads alembic.ini)."""

from __future__ import annotations

from alembic import context

from annotator.store.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs table copies to alter columns
)
with context.begin_transaction():
    context.run_migrations()
