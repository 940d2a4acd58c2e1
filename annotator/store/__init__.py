"""Persistence: SQLAlchemy models, the engine with its pragmas, sessions and Alembic migrations."""
