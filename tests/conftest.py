"""Shared fixtures: a template database built by the real migrations, copied for each test.

Every test runs against its own database copied from a template that ``alembic upgrade head``
produced once per session (not ``create_all``), so the schema under test is the migrated one. By
default that is a SQLite file; with ``BAKE_TRACKER_TEST_BACKEND=postgresql`` and
``BAKE_TRACKER_TEST_PG_URL`` (an admin URL, see ``.ci/postgres``) every test gets its own PostgreSQL
database cloned from a migrated template database, and tests marked ``sqlite_only`` (SQLite files,
pragmas, the window) are deselected. The user's real data folder is never touched.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bake_tracker import db
from bake_tracker.config import DATA_DIR_ENV, DATABASE_URL_ENV, sqlite_url
from tests.databases import ON_POSTGRESQL, pg_admin, pg_url

PG_TEMPLATE = "bake_tracker_template"


def pytest_collection_modifyitems(config, items) -> None:
    """Leave out what needs the other backend or an X server (deselected, never skipped).

    On PostgreSQL: what only works with SQLite files or pragmas, and the window's tests. On SQLite:
    what is marked ``postgresql_only`` (races that need PostgreSQL's row-level concurrency).
    Elsewhere than this project's CI (Linux, as root), on the hosted runners of the workflow:
    ``x11`` tests (own X servers and window managers) on Windows and macOS, whose Tk is not an
    X11 client; ``posix`` tests (SIGKILL, file-size limits) on Windows; tests that mount a small
    file system unless run as root on Linux.
    """
    keep, drop = [], []
    for item in items:
        (drop if _other_backend(item) or not _runs_here(item) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _other_backend(item) -> bool:
    if not ON_POSTGRESQL:
        return item.get_closest_marker("postgresql_only") is not None
    return bool(
        item.get_closest_marker("sqlite_only")
        or "db_path" in item.fixturenames
        or "template_db" in item.fixturenames
        or "sample_db" in item.fixturenames
        or "sample_template" in item.fixturenames
        or item.path.parent.name == "ui"  # the window's tests open SQLite files
    )


MOUNTING_FIXTURES = ("small_disk", "tiny_filesystem")  # ``mount -t tmpfs``: root on Linux


def _runs_here(item) -> bool:
    if sys.platform in ("win32", "darwin") and item.get_closest_marker("x11") is not None:
        return False
    if sys.platform == "win32" and item.get_closest_marker("posix") is not None:
        return False
    if any(name in item.fixturenames for name in MOUNTING_FIXTURES):
        return sys.platform == "linux" and os.geteuid() == 0
    return True


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("user-data")))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder (logs go there) and no database address from the environment."""
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    return folder


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database at the migrations' head that every test's database is cloned from."""
    admin = pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_TEMPLATE}"))
    engine = db.make_engine(pg_url(PG_TEMPLATE))
    db.upgrade_to_head(engine)
    engine.dispose()
    yield PG_TEMPLATE
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """A SQLite file at the migrations' head, with the WAL folded in so one file is the whole DB."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = db.make_engine(sqlite_url(path))
    db.upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the migrated template for this test."""
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db_url(request, tmp_path: Path) -> Iterator[str]:
    """This test's own database: a copy of the SQLite template, or a PostgreSQL clone."""
    if not ON_POSTGRESQL:
        yield sqlite_url(request.getfixturevalue("db_path"))
        return
    template = request.getfixturevalue("pg_template")
    name = f"bt_test_{uuid.uuid4().hex[:12]}"
    admin = pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    yield pg_url(name)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on this test's database, bound to the application's sessions."""
    engine = db.make_engine(db_url)
    db.bind_engine(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A plain session on this test's database; the test decides when to flush or commit."""
    with Session(engine) as session:
        yield session
