"""Engine, sessions and schema migrations: the only module that opens database sessions.

* ``make_engine(url)`` attaches the SQLite connection settings to *that* engine (never the global
  ``Engine`` class): foreign keys on, WAL journal for files, ``synchronous=FULL``, the automatic
  WAL checkpoint raised to ``WAL_AUTOCHECKPOINT_PAGES``, a busy timeout, and SQLAlchemy-managed
  ``BEGIN`` so that reads and writes of one use case share a real transaction.
* Durability (issue 16, T9): in WAL mode the NORMAL sync level is consistent but not durable, a
  commit acknowledged as "Recorded" can roll back after a power cut or an OS crash. ``FULL``
  syncs the WAL on every commit, so what the app reports as saved stays saved; measured in
  ``bench/`` (``durability`` row: the price per write of FULL over NORMAL). The automatic
  checkpoint (copying the WAL back into the database, with its own sync) would otherwise land on
  whichever user's write crosses 1,000 pages: it is raised so that it rarely does, and
  ``checkpoint(engine)`` (a PASSIVE checkpoint: never waits for, nor blocks, readers and writers)
  is run when the app is idle and when it closes. PostgreSQL is durable by default
  (``synchronous_commit=on``); nothing to set.
* ``SessionLocal`` is the one ``sessionmaker``; ``bind_engine`` points it at the chosen engine.
* ``session_scope()`` is one transaction (commit on success, rollback on error, always closed);
  ``use_session(session)`` reuses a caller's session untouched, else opens a ``session_scope()``.
* ``upgrade_to_head(engine)`` runs the Alembic migrations on the app's own connection.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bake_tracker.migrations import REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 5000
# Durability (module docstring): every commit is synced; the automatic WAL checkpoint is moved
# off the user's writes (10,000 pages, ~40 MB of WAL at most between idle checkpoints).
SYNCHRONOUS = "FULL"
WAL_AUTOCHECKPOINT_PAGES = 10_000
# SQLite's page cache per connection, in KiB (SQLite's default is 2,000: ~500 pages). The price
# lookups of a cost breakdown touch one index leaf and one row page per product of each ingredient
# (~3,300 pages on a season of 600,000 purchases): with the default they are read from the OS
# again on every call, and the call grew 1.27× with ten times the purchases. Pages are held only
# once read, so a small database costs no more than before.
CACHE_KIB = 65_536
WRITE_OPTION = "bake_tracker_write"
# SQLite: the transaction's references were all checked by its use case (an import's plan):
# ``PRAGMA foreign_keys`` off for it (``session_scope(references_checked=True)``)
REFERENCES_CHECKED_OPTION = "bake_tracker_references_checked"
_FOREIGN_KEYS_OFF = "bake_tracker_foreign_keys_off"  # on a pooled connection's record: set back
# The migrations ship inside the package (the repository's top-level ``migrations/`` is mapped to
# ``bake_tracker.migrations`` at build time), so an installed or frozen app finds them by import.
MIGRATIONS_DIR = Path(str(files("bake_tracker.migrations")))

SessionLocal = sessionmaker(expire_on_commit=False)


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else make_url(url_or_engine)
    return url.get_backend_name() == "sqlite"


def sqlite_file(url_or_engine: str | Engine) -> Path | None:
    """The file behind a SQLite URL, or None for PostgreSQL and in-memory databases."""
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else make_url(url_or_engine)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


# PostgreSQL (psycopg): a statement is prepared on the server at its second execution on a
# connection (psycopg's default: the sixth), so the server stops parsing and, after its own five
# custom plans, planning it: a run's and a check's statements are the same at every call, and
# planning was 0.6 of a production's ~4 ms of server time and most of a check's
# (check_can_assemble's read: 1.45 ms to plan, 0.07 to run). Not 0: a statement run once (an
# import's, a migration's) would pay a round trip to be prepared and never use it.
PREPARE_THRESHOLD = 1


def _sqlite_table_hint(compiler, table, text):
    """SQLite's ``INDEXED BY``, placed after a table (or its alias) by ``with_hint(...,
    "sqlite")``: SQLAlchemy's SQLite compiler leaves table hints out (its base returns None).
    Only statements carrying a hint for SQLite change: the open-lot reads (``leading_rows``)."""
    return text


SQLiteCompiler.get_from_hint_text = _sqlite_table_hint  # type: ignore[method-assign]


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite connections get the pragmas and real BEGIN handling; a
    PostgreSQL (psycopg) pool checks a connection and begins its transaction in one round trip,
    and prepares a statement at its second execution (``PREPARE_THRESHOLD``)."""
    if not is_sqlite(url):
        if make_url(url).get_driver_name() == "psycopg":
            options = {"prepare_threshold": PREPARE_THRESHOLD, **kwargs.get("connect_args", {})}
            kwargs["connect_args"] = options
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
        if engine.dialect.driver == "psycopg":
            check = partial(_ping_and_begin, plain=engine.dialect.do_ping)
            engine.dialect.do_ping = check  # type: ignore[method-assign]
            event.listen(engine, "connect", _binary_lists)
        return engine
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    file_backed = sqlite_file(url) is not None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # The stdlib driver's own transaction handling does not BEGIN before SELECTs; hand it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if file_backed:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
                cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # negative: in KiB
            cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A use case that will write takes the write lock up front: two processes that both read
        # and then write would otherwise deadlock on the upgrade and one would fail at once.
        options = connection.get_execution_options()
        if options.get(REFERENCES_CHECKED_OPTION):
            _foreign_keys_off(connection)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record) -> None:
        # after the pool's reset, outside any transaction: the pragma takes effect again
        if record.info.pop(_FOREIGN_KEYS_OFF, False) and dbapi_connection is not None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return engine


def _binary_lists(dbapi_connection, _record) -> None:
    """A list parameter (the runs' arrays: ``unnest``, ``= ANY``) goes in PostgreSQL's binary
    array format rather than as an array literal: psycopg's text form quotes and escapes every
    element in Python (~0.3 ms for a production's 9-column ledger of 16 rows, a third of that in
    binary). The server gets the same values: every such bind carries its cast (``::BIGINT[]``)."""
    from psycopg.types.array import ListBinaryDumper

    dbapi_connection.adapters.register_dumper(list, ListBinaryDumper)


def _foreign_keys_off(connection: Connection) -> None:
    """SQLite: foreign keys not enforced for the transaction about to begin, whose use case has
    checked every reference itself (an import's plan resolves each one to a row it knows is
    there: ``transfer.format.check_layout``); SQLite would look up each new row's parents again
    (~0.3 s of the writer's work for the big season's import). The pragma only changes outside a
    transaction, hence before ``BEGIN``; the connection's record remembers it, and the pool's
    ``checkin`` turns it back on once the transaction is over, committed or rolled back."""
    fairy = connection.connection
    fairy.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    fairy.info[_FOREIGN_KEYS_OFF] = True


def _ping_and_begin(connection, *, plain: Callable[[object], bool]) -> bool:
    """The pool's check that a pooled psycopg connection still works (``pool_pre_ping``) is the
    ``BEGIN`` the use case's first statement would have sent anyway: one round trip instead of
    two. Sent through libpq itself, as psycopg sends its own (psycopg reads the transaction
    status from libpq, so it sends no second ``BEGIN``). A connection in autocommit, already in a
    transaction or with transaction options gets SQLAlchemy's ``plain`` check. A failure raises
    the driver's error for the pool to judge, as its own check does (a lost connection is
    replaced)."""
    options = (connection.isolation_level, connection.read_only, connection.deferrable)
    if connection.autocommit or connection.info.transaction_status != 0 or options != (None,) * 3:
        return plain(connection)  # (status 0: idle)
    result = connection.pgconn.exec_(b"BEGIN")
    if result.status != 1:  # COMMAND_OK
        message = connection.pgconn.error_message.decode(errors="replace")
        raise type(connection).OperationalError(message or "BEGIN failed")
    return True


def checkpoint(engine: Engine | None = None) -> bool:
    """Copy what the WAL holds back into the database file, without waiting for or blocking
    anyone (``PRAGMA wal_checkpoint(PASSIVE)``): for when the app is idle, so the automatic
    checkpoint does not land on a user's write. Returns False when there was nothing to do (not
    SQLite, not a file) or another connection kept part of the WAL in use."""
    engine = engine or SessionLocal.kw.get("bind")
    if engine is None or sqlite_file(engine) is None:
        return False
    raw = engine.raw_connection()  # the driver's own connection: no BEGIN around the pragma
    try:
        busy, _, _ = raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        raw.close()
    return not busy


def make_read_only_engine(url: str) -> Engine:
    """An engine that only reads a SQLite file it may not write (a read-only file, folder or disk).

    Connections come from ``connect_read_only``; any write is refused by SQLite itself as "attempt
    to write a readonly database".
    """
    path = sqlite_file(url)
    if path is None:
        raise ValueError("only a SQLite file can be opened read-only")

    def connect() -> sqlite3.Connection:
        return connect_read_only(path, check_same_thread=False, isolation_level=None)

    engine = create_engine(url, creator=connect)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")  # a write would only be refused: never IMMEDIATE

    return engine


def bind_engine(engine: Engine) -> None:
    """Point the application's sessions at ``engine``."""
    SessionLocal.configure(bind=engine)


@contextmanager
def session_scope(*, write: bool = False, references_checked: bool = False) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error, always close.

    ``write=True`` takes SQLite's write lock at BEGIN (``BEGIN IMMEDIATE``), for use cases that
    read and then write while other processes may be writing too. ``references_checked=True``:
    the use case checks every reference it writes itself, and SQLite does not check them again
    (``_foreign_keys_off``; PostgreSQL checks them as always).
    """
    options = {WRITE_OPTION: True} if write else {}
    if references_checked:
        options[REFERENCES_CHECKED_OPTION] = True
    with SessionLocal.begin() as session:
        if options:
            session.connection(execution_options=options)
        yield session


@contextmanager
def use_session(
    session: Session | None, *, write: bool = False, references_checked: bool = False
) -> Iterator[Session]:
    """Use the caller's session as it is (no commit, no close), or open a ``session_scope``
    (``references_checked`` only applies to one opened here: a pragma a transaction cannot
    change)."""
    if session is not None:
        yield session
        return
    with session_scope(write=write, references_checked=references_checked) as own:
        yield own


# --- migrations -------------------------------------------------------------------------------


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration that needs no ``alembic.ini`` (works from any working directory)."""
    from alembic.config import Config  # Alembic is imported only when a migration runs

    # the stream in use now: Config's default is whatever sys.stdout was when Alembic was imported
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest migration this version of the app knows."""
    return REVISIONS[-1]


def known_revisions() -> set[str]:
    return set(REVISIONS)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it has never been migrated.

    Read with one query rather than through Alembic, so a start-up with nothing to migrate never
    imports Alembic nor loads the migration scripts (a quarter of a second of every start). A
    table holding several rows (not something this app writes) reads as a revision no version
    knows, and is refused as such.
    """
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(rows)) or None


def user_tables(engine: Engine) -> list[str]:
    """Tables other than Alembic's own bookkeeping table."""
    with engine.connect() as conn:
        return [t for t in inspect(conn).get_table_names() if t != "alembic_version"]


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for running migrations.

    SQLite's batch mode rebuilds tables; with foreign keys enforced, dropping the old copy of a
    parent table would cascade or fail. The pragma can only change outside a transaction, so it is
    turned off first and the whole database is verified with ``foreign_key_check`` before the
    commit.
    """
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if is_sqlite(engine) else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Run every pending migration on ``engine`` in one transaction."""
    from alembic import command

    cfg = alembic_config()
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade_to(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` ("base" removes every table)."""
    from alembic import command

    cfg = alembic_config()
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


class BackupMismatchError(sqlite3.DatabaseError):
    """A backup copy that does not hold what its source held (it has been removed)."""


def read_only_uri(path: Path) -> str:
    """A SQLite ``file:`` URI that opens ``path`` read-only, whatever characters its folders have.

    ``Path.as_uri`` percent-encodes ``#``, ``?``, ``%``, spaces and non-ASCII letters; a URI built
    by string formatting would cut the path at ``#`` or ``?`` and open (or create) another file.
    """
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def connect_read_only(path: Path, **options) -> sqlite3.Connection:
    """A ``sqlite3`` connection that reads ``path`` and can never write it (``read_only_uri``).

    A WAL database needs a ``-shm`` file beside it even to be read; when its folder cannot take
    one (a read-only folder or disk) and there is no ``-wal`` file — so no writer can exist and
    nothing waits to be folded in — the file is opened ``immutable`` instead, which needs none.
    """
    uri = read_only_uri(path)
    wal = Path(f"{Path(path).resolve()}-wal")
    folder_writable = os.access(Path(path).resolve().parent, os.W_OK)
    if not folder_writable and (not wal.exists() or wal.stat().st_size == 0):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, **options)


def backup_sqlite(source: Path, destination: Path, *, standalone: bool = True) -> Path:
    """Copy a live SQLite database with the online backup API (consistent even with a WAL file),
    then prove the copy: SQLite's integrity check passes and every table holds as many rows as the
    source held when it was copied. A copy that fails either way, or a copy cut short by an error,
    is removed (companion files included) and the error raised: no partial backup is ever left.

    A ``standalone`` copy is switched to a rollback journal, so it is one self-contained file that
    can be moved, mailed or opened read-only without ``-wal``/``-shm`` companions appearing.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = connect_read_only(source, isolation_level=None)
    try:
        # One read transaction: the counts and the copied pages are the same snapshot.
        src.execute("BEGIN")
        expected = table_row_counts(src)
        try:
            _copy_and_verify(src, destination, expected, standalone=standalone)
        except BaseException:
            remove_database_file(destination)
            raise
        src.execute("COMMIT")
    finally:
        src.close()
    return destination


def _copy_and_verify(
    src: sqlite3.Connection, destination: Path, expected: dict[str, int], *, standalone: bool
) -> None:
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
        if standalone:
            dst.execute("PRAGMA journal_mode=DELETE")
        problems = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupMismatchError(f"the copy fails SQLite's integrity check: {problems[0]}")
        copied = table_row_counts(dst)
        if copied != expected:
            differ = sorted(
                t for t in expected.keys() | copied.keys() if expected.get(t) != copied.get(t)
            )
            raise BackupMismatchError(f"the copy differs from the database in: {', '.join(differ)}")
    finally:
        dst.close()


def table_row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """{table: rows} for every table of a SQLite database (SQLite's own tables left out)."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: connection.execute(
            f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"'
        ).fetchone()[0]
        for name in names
    }


def remove_database_file(path: Path) -> None:
    """Delete a SQLite file and its journal companions, if they exist."""
    for companion in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{companion}").unlink(missing_ok=True)
