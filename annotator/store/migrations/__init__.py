"""Alembic migrations; a new database is created by running them all."""
