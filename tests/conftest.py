"""Shared fixtures: a template database built by the real migrations, copied for each test.

Every test runs against its own SQLite file, copied from a template that ``alembic upgrade head``
produced once per session (not ``create_all``), so the schema under test is the migrated one. The
user's real data folder is never touched: it is pointed at a temporary folder for the whole run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from src import db
from src.config import DATA_DIR_ENV, DATABASE_URL_ENV, sqlite_url


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
def db_url(db_path: Path) -> str:
    return sqlite_url(db_path)


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
