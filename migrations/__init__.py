"""Alembic's script folder, shipped inside the app as ``bake_tracker.migrations``.

``REVISIONS`` lists the migrations oldest first. The app reads the newest one from here at every
start instead of loading the scripts through Alembic (which it imports only to migrate); a test
holds this list equal to Alembic's own chain, so a new migration must be added here too.
"""

REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
)
