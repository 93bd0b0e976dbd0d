"""Shared fixtures of the reliability suite: the sample season as a database, snapshots, checks.

* ``sample_source`` is the sample data set (``sample_data_service.load_sample_data``) loaded once
  per session into a migrated database: a SQLite file (``sample_template``) or, on the PostgreSQL
  run, a database that is cloned. ``sample_url`` is this test's private copy of it on the backend
  under test and ``sample_engine`` binds the application's sessions to that copy; ``sample_db`` is
  the copy's file (SQLite only).
* ``snapshot()`` is the whole database as ``transfer_service.export_data()`` sees it, minus the
  export time: two equal snapshots mean the databases are logically identical.
* ``assert_sound(path)`` is everything a database must always satisfy: SQLite's own integrity and
  foreign-key checks, and ``integrity_service.check_invariants() == []``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bake_tracker import db
from bake_tracker.config import sqlite_url
from bake_tracker.services import (
    event_service,
    finished_good_service,
    finished_unit_service,
    integrity_service,
    package_service,
    recipe_service,
    recipient_service,
    sample_data_service,
    transfer_service,
)
from tests.databases import ON_POSTGRESQL, Copies, create_pg_database, drop_pg_database, pg_url

SAMPLE_TODAY = date(2025, 12, 1)
PG_SAMPLE = "bake_tracker_sample"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "crash: kills a writing process with SIGKILL in a loop (BAKE_TRACKER_CRASH_KILLS sets the "
        "count; 15 by default)",
    )


def report(line: str) -> None:
    """With BAKE_TRACKER_RELIABILITY_REPORT set, say what was tried (for faults-and-inputs.md)."""
    if os.environ.get("BAKE_TRACKER_RELIABILITY_REPORT"):
        print(f"\n[reliability] {line}", file=sys.__stdout__, flush=True)


def snapshot() -> dict:
    """The whole database through the real export, without the moment it was taken."""
    document = transfer_service.export_data()
    document.pop("exported_at")
    return document


def sqlite_checks(path: Path) -> tuple[list, list]:
    """(integrity_check rows, foreign_key_check rows) read straight from the file."""
    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    return integrity, foreign


def sqlite_file(url: str) -> Path | None:
    """The database file behind ``url``, or None on PostgreSQL (no file to check)."""
    return None if ON_POSTGRESQL else Path(make_url(url).database)


def assert_sound(path: Path | None = None) -> None:
    """SQLite integrity, foreign keys and every bake-tracker invariant hold."""
    if path is not None:
        integrity, foreign = sqlite_checks(path)
        assert integrity == [("ok",)], integrity[:5]
        assert foreign == [], foreign[:5]
    drifts = integrity_service.check_invariants()
    assert drifts == [], [d.describe() for d in drifts]


def checkpoint(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def sample_ids() -> dict[str, int]:
    """The ids of the sample season's records, by a short name."""
    recipes = {r.name: r.id for r in recipe_service.list_recipes()}
    units = {u.display_name: u.id for u in finished_unit_service.list_finished_units()}
    goods = {g.display_name: g.id for g in finished_good_service.list_finished_goods()}
    events = {e.name: e.id for e in event_service.list_events()}
    packages = {p.name: p.id for p in package_service.list_packages()}
    people = {r.name: r.id for r in recipient_service.list_recipients()}
    christmas = next(i for name, i in events.items() if name.startswith("Christmas"))
    return {
        "cookies": recipes["Chocolate Chip Cookies"],
        "sugar_cookies": recipes["Decorated Sugar Cookies"],
        "brownies": recipes["Fudge Brownies"],
        "cake": recipes["Chocolate Layer Cake"],
        "icing": recipes["Royal Icing"],
        "cookie": units["Chocolate Chip Cookie"],
        "sugar_cookie": units["Decorated Sugar Cookie"],
        "brownie": units["Fudge Brownie"],
        "slice": units["Cake Slice"],
        "gift_bag": goods["Cookie Gift Bag"],
        "holiday_box": goods["Holiday Box"],
        "christmas": christmas,
        "bake_sale": events["Winter Bake Sale"],
        "deluxe": packages["Deluxe Holiday Box"],
        "cookie_bag": packages["Cookie Bag"],
        "grandma": people["Grandma Rose"],
        "mail_carrier": people["Mail carrier"],
    }


@pytest.fixture(scope="session")
def sample_template(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample season in a migrated SQLite file (built once per session)."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
    shutil.copyfile(template_db, path)
    engine = db.make_engine(sqlite_url(path))
    db.bind_engine(engine)
    sample_data_service.load_sample_data(today=SAMPLE_TODAY)
    checkpoint(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sample_source(request: pytest.FixtureRequest) -> Iterator[Path | str]:
    """The sample season as a template: a SQLite file, or a PostgreSQL database to clone."""
    if not ON_POSTGRESQL:
        yield request.getfixturevalue("sample_template")
        return
    create_pg_database(PG_SAMPLE, request.getfixturevalue("pg_template"))
    engine = db.make_engine(pg_url(PG_SAMPLE))
    db.bind_engine(engine)
    sample_data_service.load_sample_data(today=SAMPLE_TODAY)
    engine.dispose()
    yield PG_SAMPLE
    drop_pg_database(PG_SAMPLE)


@pytest.fixture(scope="session")
def empty_source(request: pytest.FixtureRequest) -> Path | str:
    """A migrated empty database as a template (SQLite file or PostgreSQL database)."""
    return request.getfixturevalue("pg_template" if ON_POSTGRESQL else "template_db")


@pytest.fixture
def sample_copies(sample_source: Path | str, tmp_path: Path) -> Iterator[Copies]:
    """Fresh copies of the sample season for this test, on the backend under test."""
    copies = Copies(sample_source, tmp_path, stem="sample")
    yield copies
    copies.drop_all()


@pytest.fixture
def sample_url(sample_copies: Copies) -> str:
    """This test's own copy of the sample season (SQLite file or PostgreSQL database)."""
    return sample_copies.new()


@pytest.fixture
def sample_db(sample_url: str) -> Path:
    """This test's copy of the sample season as a SQLite file (SQLite runs only)."""
    return Path(make_url(sample_url).database)


@pytest.fixture
def sample_engine(sample_url: str) -> Iterator[Engine]:
    """An engine on this test's sample season, bound to the application's sessions."""
    engine = db.make_engine(sample_url)
    db.bind_engine(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def ids(sample_engine: Engine) -> dict[str, int]:
    return sample_ids()
