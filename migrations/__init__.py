"""Alembic's script folder, shipped inside the app as ``bake_tracker.migrations``."""
