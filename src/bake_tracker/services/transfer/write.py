"""Writing a checked import: bulk inserts, SQLite's page cache and index rebuild, stock recount.

Owns how the plan's rows reach the database once their checks have passed: ``empty_database``
(replace mode) and ``Writer``: every section in order, rows already in stored form inserted
without the column types' conversions (PostgreSQL: by ``COPY``), the rest through SQLAlchemy;
the speed-ups around it (SQLite: a large page cache; a big section into an empty table: indexes,
and on PostgreSQL foreign keys and unique constraints, put back after the rows, on SQLite while
the next sections are being checked);
the stock counts and stored totals recomputed from the rows, and PostgreSQL's id sequences moved
past the new rows.
"""

from __future__ import annotations

import queue
import sqlite3
import sys
import threading
from collections.abc import Iterator
from itertools import chain

from sqlalchemy import event, insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from bake_tracker.services import totals
from bake_tracker.services.transfer.format import SECTIONS, Section

IMPORT_CACHE_KIB = -262_144  # SQLite's page cache while an import writes: up to 256 MiB
# this many rows into an empty table: its indexes (and on PostgreSQL its foreign keys and unique
# constraints) are set aside and put back after the rows (``_drop_indexes``)
INDEX_REBUILD_ROWS = {"sqlite": 20_000, "postgresql": 1_000}
SECTION_SAVEPOINT = "transfer_section"
ROWS_PER_STATEMENT = 5_000  # SQLite: rows inserted by one statement (``_insert_stored``)
STATEMENT_CACHE = 256  # at least the statements Python's sqlite3 keeps per connection (128)
# Python's thread switch interval while the writer's thread runs (default 5 ms): see ``Writer``
SWITCH_INTERVAL = 0.001


def empty_database(session: Session) -> None:
    for section in reversed(SECTIONS):
        session.execute(section.table.delete())


class Writer:
    """Writes each section of a checked import as ``add`` receives it, in section order, on a
    thread of its own while the plan checks the next sections.

    The plan hands over each section as soon as it is checked; the writer's thread writes the
    sections in order (parents first): a big section's indexes (on PostgreSQL also its foreign
    keys) set aside, its rows inserted, the indexes put back. SQLite inserts and builds an index
    without holding Python's lock (the rows go by statements of thousands of rows each,
    ``_insert_stored``: a statement per row would take the lock back after every row and starve
    behind the checks), and PostgreSQL's server is another process, so the two cores work at
    once (the checks are Python; the writes are the database's: ~4 s of the big season's import
    on SQLite). The plan waits (``wait``) before anything else touches the connection: the two
    threads never use it at the same time. The writer's thread needs Python's lock back after each
    statement while the checks hold it: the process's switch interval is 1 ms instead of 5 while
    the thread runs (the checks also let go between slices of a column, ``columns.SLICE``), and is
    set back by ``close``.

    Nothing more is written once a problem is found; a rule only the database checks that the
    rows break is kept in ``refused`` (the import is then refused, as before, after every section
    has been checked; on PostgreSQL the section's savepoint is rolled back so that the checks can
    go on reading). Everything happens inside the import's savepoint: a refusal or any failure
    rolls it all back, the indexes with the rows.
    """

    def __init__(self, session: Session, *, replace: bool) -> None:
        self.session = session
        self.connection = session.connection()
        self.replace = replace
        self.refused: IntegrityError | None = None
        self._started = False
        self._cache: Iterator[None] | None = None
        self._thread: threading.Thread | None = None
        self._jobs: queue.Queue = queue.Queue()  # checked sections, in order; None: stop
        self._failure: BaseException | None = None
        self._closing = False
        self._switch_interval = sys.getswitchinterval()

    def add(self, section: Section, stored: tuple[list[str], list[tuple]] | None, rows) -> None:
        """One checked section's new rows: ``stored`` (checked a column at a time) or ``rows``,
        written by the writer's thread after the sections handed over before it."""
        if self._thread is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, self._switch_interval))
            self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
            self._thread.start()
        self._jobs.put((section, stored, rows))

    def _run(self) -> None:
        """The writer's thread: each section in turn, until told to stop. After a refusal or a
        failure the sections still queued are dropped (nothing more is written)."""
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._closing or self.refused is not None or self._failure is not None:
                    continue
                try:
                    self._write(*job)
                except BaseException as error:  # handed to the plan's thread by ``wait``
                    self._failure = error
            finally:
                self._jobs.task_done()

    def _write(self, section: Section, stored: tuple[list[str], list[tuple]] | None, rows) -> None:
        self._start()
        self._savepoint("SAVEPOINT")
        try:
            if stored is not None:
                names, values = stored
                indexes = _drop_indexes(self.connection, section, len(values))
                _insert_stored(self.connection, section, names, values)
                _create_indexes(self.connection, indexes)
            else:
                for start in range(0, len(rows), 5000):
                    self.connection.execute(insert(section.table), rows[start : start + 5000])
        except IntegrityError as error:
            self._refuse(error)
            return
        self._savepoint("RELEASE SAVEPOINT")

    def _savepoint(self, command: str) -> None:
        """PostgreSQL: each section is written inside a savepoint of its own. A row the database
        refuses ends the transaction there, and the plan still checks (and, merging, reads) the
        sections after it: rolled back to the section's savepoint, the transaction goes on."""
        if self.connection.dialect.name == "postgresql":
            self.connection.exec_driver_sql(f"{command} {SECTION_SAVEPOINT}")

    def _refuse(self, error: IntegrityError) -> None:
        """A rule only the database checks: kept for the report, nothing more is written."""
        self.refused = error
        self._savepoint("ROLLBACK TO SAVEPOINT")

    def finish(self) -> None:
        """After the last section: stock counts, stored totals, PostgreSQL's sequences."""
        self.wait()
        if self.refused is not None:
            return
        self._start()  # replace mode empties the database even when the file adds nothing
        self._restore_cache()
        _recount_stock(self.session)
        totals.rebuild(self.session)
        if self.connection.dialect.name == "postgresql":
            for section in SECTIONS:
                self.connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{section.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {section.name}), 0) + 1, false)"
                    )
                )
        self.session.expire_all()

    def wait(self) -> None:
        """Until every section handed over is written; a failure on the writer's thread is
        raised here (a rule the rows break is kept in ``refused``)."""
        if self._thread is None:
            return
        self._jobs.join()
        failure, self._failure = self._failure, None
        if failure is not None:
            self._closing = True  # the sections queued behind it are dropped
            raise failure

    def close(self) -> None:
        """Always, last: the sections not yet written dropped, the writer's thread ended,
        SQLite's page cache as it was, the big statements forgotten."""
        if self._thread is not None:
            self._closing = True
            self._jobs.put(None)
            self._thread.join()
            self._thread = None
            sys.setswitchinterval(self._switch_interval)
        self._restore_cache()
        if self._started:
            _forget_statements(self.connection)

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.replace:
            empty_database(self.session)
        self._cache = _large_page_cache(self.connection)
        next(self._cache)

    def _restore_cache(self) -> None:
        cache, self._cache = self._cache, None
        if cache is not None:
            next(cache, None)


def checkpoint_when_idle(session: Session) -> None:
    """SQLite: the import's commit does not fold its WAL (~200 MB for the big season) back into
    the file at once (SQLite's automatic checkpoint, ~0.35 s of the big season's import); the
    app's idle checkpoint (``database_service.checkpoint_when_idle``, every few seconds) or the
    last connection's close does, as for every other write. The commit itself stays as durable
    (the WAL is synced at commit). The automatic checkpoint is set back once the session's
    transaction ends, committed or rolled back."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    pages = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    if pages <= 0:
        return

    def restore(*_) -> None:
        raw.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")

    raw.execute("PRAGMA wal_autocheckpoint=0")
    event.listen(session, "after_commit", restore, once=True)
    event.listen(session, "after_rollback", restore, once=True)


def _large_page_cache(connection) -> Iterator[None]:
    """SQLite: a page cache large enough that a big import's pages are written once, at commit,
    instead of spilling to the journal mid-transaction (two thirds of the write time); restored
    when resumed a second time. The cache only grows as pages are used."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size={IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def _drop_indexes(connection, section: Section, count: int) -> list[str]:
    """Many rows into an empty table: what makes each row's insert slow is set aside first and
    put back, by the SQL returned here (``_create_indexes``), once the rows are in — one sort per
    index instead of a B-tree insert per row, one query per foreign key instead of a check per
    row. It happens inside the import's transaction, so a failure takes it back with the rows,
    and a rule the rows break refuses the import as the insert would have (``IntegrityError``)."""
    if count < INDEX_REBUILD_ROWS.get(connection.dialect.name, count + 1):
        return []
    quote = connection.dialect.identifier_preparer.quote
    if connection.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {quote(section.name)})").scalar():
        return []
    if connection.dialect.name == "postgresql":
        return _set_aside_postgresql(connection, section)
    return _drop_indexes_sqlite(connection, section)


def _drop_indexes_sqlite(connection, section: Section) -> list[str]:
    """SQLite: the table's secondary indexes, dropped and created again from the same SQL (about
    a fifth of the big season's writing). That includes ``uuid``'s unique index (migration
    0009), the costliest: a random uuid per row into a B-tree (−0.7 s of the big season). The
    indexes SQLite makes for a table's own UNIQUE constraints (a few small natural keys) cannot be
    dropped and stay."""
    quote = connection.dialect.identifier_preparer.quote
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
        (section.name,),
    ).all()
    for index in indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(index.name)}")
    return [index.sql for index in indexes]


# PostgreSQL: the table's foreign keys and unique constraints (none that a foreign key relies on),
# in the order they are put back: unique constraints, then foreign keys.
_PG_CONSTRAINTS = """
SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
WHERE c.conrelid = CAST(%(table)s AS regclass) AND (c.contype = 'f' OR (c.contype = 'u' AND
    NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
ORDER BY c.contype DESC, c.conname
"""
# PostgreSQL: the table's indexes that no constraint owns (primary key, unique constraint) nor a
# foreign key relies on
_PG_INDEXES = """
SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = CAST(%(table)s AS regclass)
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
ORDER BY i.relname
"""


def _set_aside_postgresql(connection, section: Section) -> list[str]:
    """PostgreSQL: the table's foreign keys, unique constraints and secondary indexes, dropped and
    put back from the catalog's own definitions. A foreign key checks each row by a trigger (a
    query on the parent per row and reference: 60 % of the server's time for the 270,000 ledger
    lot rows of the big season); put back, it checks the whole table in one query. The server's
    work for those rows: 5.6 s → 1.2 s. The primary key stays (ids come in ascending order)."""
    quote = connection.dialect.identifier_preparer.quote
    table = quote(section.name)
    constraints = connection.exec_driver_sql(_PG_CONSTRAINTS, {"table": table}).all()
    indexes = connection.exec_driver_sql(_PG_INDEXES, {"table": table}).all()
    for name, _ in reversed(constraints):  # foreign keys first
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    return [sql for _, sql in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
        for name, definition in constraints
    ]


def _create_indexes(connection, indexes: list[str]) -> None:
    for sql in indexes:
        connection.exec_driver_sql(sql)


def takes_text_moments(dialect) -> bool:
    """Whether rows in stored form may hold timestamps and dates as text: SQLite stores them so,
    and PostgreSQL's ``COPY`` (``_copy``) reads text; a plain INSERT there wants the values."""
    return dialect.name == "sqlite" or _copies(dialect)


def _copies(dialect) -> bool:
    """PostgreSQL through psycopg 3: rows in stored form go by ``COPY``."""
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def _insert_stored(connection, section: Section, names: list[str], rows: list[tuple]) -> None:
    """Rows already in stored form, written without the column types' conversions."""
    if not rows:
        return
    if _copies(connection.dialect):
        _copy(connection, section, names, rows)
        return
    quote = connection.dialect.identifier_preparer.quote
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    head = f"INSERT INTO {quote(section.name)} ({', '.join(map(quote, names))}) VALUES "
    one = f"({', '.join([mark] * len(names))})"
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql(head + one, rows)
        return
    # SQLite: thousands of rows per statement. The rows are the same and checked the same; a
    # statement per row costs SQLite a statement journal per row (each row's page copied once
    # more: 270,000 ledger rows 0.7 → 0.5 s), and on the writer's thread each statement takes
    # Python's lock back once (``Writer``)
    per = _rows_per_statement(connection, len(names))
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        values = tuple(chain.from_iterable(chunk))
        connection.exec_driver_sql(head + ", ".join([one] * len(chunk)), values)


def _rows_per_statement(connection, columns: int) -> int:
    """As many rows as SQLite takes values in one statement (32,766 since 3.32), at most
    ``ROWS_PER_STATEMENT``."""
    raw = connection.connection.dbapi_connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_STATEMENT, limit // columns))


def _forget_statements(connection) -> None:
    """SQLite: Python's driver keeps the last statements it prepared on the connection (128 of
    them), and an insert of thousands of rows is a statement of megabytes (5,000 rows of ten
    columns: ~4.5 MB prepared); kept, an import's (two per section at most) would hold tens of
    megabytes for as long as the connection lives in the pool. Preparing as many one-line
    statements pushes them out (well under 1 ms)."""
    if connection.dialect.name != "sqlite":
        return
    try:
        raw = connection.connection.dbapi_connection
        for n in range(STATEMENT_CACHE):
            raw.execute(f"SELECT {n}")
    except Exception:  # a broken connection: the failure being raised is the one
        pass  # to report (``close`` runs in a ``finally``), and the pool drops such a connection


def _copy(connection, section: Section, names: list[str], rows: list[tuple]) -> None:
    """PostgreSQL: the rows sent as one ``COPY`` stream, which the server reads without running
    an INSERT per row (a third of the time and of the client's CPU of an INSERT per row, measured
    on 270,000 ledger rows). Constraints are checked as for an INSERT; the driver's error is raised
    as SQLAlchemy raises it for a statement (an ``IntegrityError`` names the broken rule)."""
    quote = connection.dialect.identifier_preparer.quote
    sql = f"COPY {quote(section.name)} ({', '.join(map(quote, names))}) FROM STDIN"
    dbapi = connection.dialect.loaded_dbapi
    try:
        cursor = connection.connection.dbapi_connection.cursor()
        with cursor, cursor.copy(sql) as stream:
            for row in rows:
                stream.write_row(row)
    except dbapi.Error as error:
        raise DBAPIError.instance(sql, None, error, dbapi.Error) from None


def _recount_stock(session: Session) -> None:
    """inventory_count = Σ remaining of the item's lots, for every finished unit and good."""
    session.execute(
        text(
            "UPDATE finished_units SET inventory_count = COALESCE((SELECT SUM(quantity_remaining) "
            "FROM finished_unit_lots WHERE finished_unit_id = finished_units.id), 0)"
        )
    )
    session.execute(
        text(
            "UPDATE finished_goods SET inventory_count = COALESCE((SELECT SUM(quantity_remaining) "
            "FROM finished_good_lots WHERE finished_good_id = finished_goods.id), 0)"
        )
    )
