"""Writing a checked import: bulk inserts, SQLite's page cache and index rebuild, stock recount.

Owns how the plan's rows reach the database once every check has passed: ``empty_database``
(replace mode), ``write`` (every section in order, rows already in stored form inserted without
the column types' conversions, the rest through SQLAlchemy), the SQLite speed-ups around it
(a large page cache, indexes built after the rows), the stock counts and stored totals
recomputed from the rows, and PostgreSQL's id sequences moved past the new rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bake_tracker.services import totals
from bake_tracker.services.transfer.format import SECTIONS, Section

IMPORT_CACHE_KIB = -262_144  # SQLite's page cache while an import writes: up to 256 MiB
INDEX_REBUILD_ROWS = 20_000  # SQLite: this many rows into an empty table build its indexes after


def empty_database(session: Session) -> None:
    for section in reversed(SECTIONS):
        session.execute(section.table.delete())


def write(
    session: Session,
    stored: dict[str, tuple[list[str], list[tuple]]],
    rows: dict[str, list[dict]],
) -> None:
    """Every section's new rows: ``stored`` (checked a column at a time) or ``rows``."""
    connection = session.connection()
    with _large_page_cache(connection):
        _insert(connection, stored, rows)
    _recount_stock(session)
    totals.rebuild(session)
    if connection.dialect.name == "postgresql":
        for section in SECTIONS:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{section.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {section.name}), 0) + 1, false)"
                )
            )
    session.expire_all()


def _insert(
    connection,
    stored: dict[str, tuple[list[str], list[tuple]]],
    rows: dict[str, list[dict]],
) -> None:
    for section in SECTIONS:
        if section.name in stored:
            names, values = stored[section.name]
            with _indexes_built_after(connection, section, len(values)):
                _insert_stored(connection, section, names, values)
            continue
        records = rows.get(section.name, [])
        for start in range(0, len(records), 5000):
            connection.execute(insert(section.table), records[start : start + 5000])


@contextmanager
def _large_page_cache(connection) -> Iterator[None]:
    """SQLite: a page cache large enough that a big import's pages are written once, at commit,
    instead of spilling to the journal mid-transaction (two thirds of the write time); restored
    afterwards. The cache only grows as pages are used."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size={IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


@contextmanager
def _indexes_built_after(connection, section: Section, count: int) -> Iterator[None]:
    """SQLite, many rows into an empty table: its secondary indexes are dropped first and created
    again, from the same SQL, once the rows are in — one sort per index instead of a B-tree insert
    per row (about a fifth of the big season's writing). It happens inside the import's
    transaction, so a failure takes it back with the rows, and a unique index the rows would break
    refuses the import as the insert would have (``IntegrityError``). That includes ``uuid``'s
    unique index (migration 0009), the costliest: a random uuid per row into a B-tree (−0.7 s of
    the big season). The indexes SQLite makes for a table's own UNIQUE constraints (a few small
    natural keys) cannot be dropped and stay."""
    quote = connection.dialect.identifier_preparer.quote
    if (
        connection.dialect.name != "sqlite"
        or count < INDEX_REBUILD_ROWS
        or connection.exec_driver_sql(
            f"SELECT EXISTS (SELECT 1 FROM {quote(section.name)})"
        ).scalar()
    ):
        yield
        return
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
        (section.name,),
    ).all()
    for index in indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(index.name)}")
    yield
    for index in indexes:
        connection.exec_driver_sql(index.sql)


def _insert_stored(connection, section: Section, names: list[str], rows: list[tuple]) -> None:
    """Rows already in stored form, written without the column types' conversions."""
    if not rows:
        return
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy(connection, section, names, rows)
        return
    quote = connection.dialect.identifier_preparer.quote
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {quote(section.name)} ({', '.join(map(quote, names))}) "
        f"VALUES ({', '.join([mark] * len(names))})",
        rows,
    )


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
