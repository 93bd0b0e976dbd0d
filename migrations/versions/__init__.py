"""The migration scripts, oldest first (Alembic reads them by file; this makes them package data)."""
