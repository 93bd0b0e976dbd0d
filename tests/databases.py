"""Test databases on either backend: SQLite files copied from a template, or PostgreSQL clones.

The suite runs once on SQLite and once on PostgreSQL (``BAKE_TRACKER_TEST_BACKEND=postgresql``
with ``BAKE_TRACKER_TEST_PG_URL``, an admin URL). A *template* is a migrated database that tests
copy instead of migrating again: a SQLite file (copied byte for byte) or a PostgreSQL database
(cloned with ``CREATE DATABASE … TEMPLATE``). ``Copies`` hands out fresh copies of one template to a
test, can put the template's content back into a copy, and removes them all afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bake_tracker.config import sqlite_url

PG_ADMIN_URL = (
    os.environ.get("BAKE_TRACKER_TEST_PG_URL")
    if os.environ.get("BAKE_TRACKER_TEST_BACKEND") == "postgresql"
    else None
)
ON_POSTGRESQL = PG_ADMIN_URL is not None


def pg_url(database: str) -> str:
    """The admin URL pointed at ``database``."""
    return make_url(PG_ADMIN_URL).set(database=database).render_as_string(hide_password=False)


def pg_admin() -> Engine:
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def create_pg_database(name: str, template: str | None = None) -> None:
    clause = f" TEMPLATE {template}" if template else ""
    admin = pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}{clause}"))
    finally:
        admin.dispose()


def drop_pg_database(name: str) -> None:
    admin = pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


class Copies:
    """Fresh copies of one template (a SQLite file, or a PostgreSQL database name) for a test."""

    def __init__(self, template: Path | str, folder: Path, stem: str = "copy") -> None:
        self.template = template
        self.folder = folder
        self.stem = stem  # SQLite files are named stem.sqlite3, stem-1.sqlite3, …
        self.made: list[str] = []

    def new(self) -> str:
        """The URL of a new copy of the template."""
        if ON_POSTGRESQL:
            name = f"bt_copy_{uuid.uuid4().hex[:12]}"
            create_pg_database(name, str(self.template))
            self.made.append(name)
            return pg_url(name)
        number = f"-{len(self.made)}" if self.made else ""
        path = self.folder / f"{self.stem}{number}.sqlite3"
        shutil.copyfile(self.template, path)
        self.made.append(str(path))
        return sqlite_url(path)

    def reset(self, url: str) -> None:
        """Put the template's content back into the copy at ``url`` (its engines disposed)."""
        if ON_POSTGRESQL:
            create_pg_database(make_url(url).database, str(self.template))
            return
        path = Path(make_url(url).database)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template, path)

    def drop_all(self) -> None:
        if ON_POSTGRESQL:
            for name in self.made:
                drop_pg_database(name)
        self.made.clear()
