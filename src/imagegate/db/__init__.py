"""Metadata store: SQLAlchemy 2 tables, sessions and alembic migrations (SQLite or PostgreSQL)."""
