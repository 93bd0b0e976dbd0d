"""db.make_engine on PostgreSQL: the pool's connection check is the transaction's BEGIN; a
statement is prepared on the server at its second execution on a connection.

A pooled connection is checked when it is handed out (``pool_pre_ping``); on psycopg that check is
the ``BEGIN`` itself (one round trip instead of two). What must hold: the use case's statements
run in that one transaction, psycopg sends no second ``BEGIN``, and a connection the server
dropped while it sat in the pool is still found out and replaced.
"""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text

pytestmark = pytest.mark.postgresql_only


def _checked_out_twice(engine):
    with engine.connect() as first:  # a fresh connection: the pool does not check it
        first.execute(text("SELECT 1"))
        first.commit()
    return engine.connect()  # the same connection again, checked


def test_a_checked_connection_is_already_in_its_transaction(engine):
    with _checked_out_twice(engine) as connection:
        raw = connection.connection.driver_connection
        assert raw.info.transaction_status == TransactionStatus.INTRANS  # BEGIN sent
        started = connection.execute(
            text("SELECT xact_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        ).scalar()
        again = connection.execute(text("SELECT now()")).scalar()
        assert started == again  # the statements run in the transaction the check began
        connection.rollback()
        assert raw.info.transaction_status == TransactionStatus.IDLE


def test_writes_after_the_check_commit_and_roll_back_as_one(engine):
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE checked_things (n integer)"))
    with _checked_out_twice(engine) as connection:
        connection.execute(text("INSERT INTO checked_things VALUES (1)"))
        connection.rollback()
    with _checked_out_twice(engine) as connection:
        connection.execute(text("INSERT INTO checked_things VALUES (2)"))
        connection.commit()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM checked_things")).scalars().all() == [2]


def test_a_connection_dropped_in_the_pool_is_replaced(engine):
    with engine.connect() as connection:
        lost = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        connection.commit()
    with engine.connect() as other:  # the pool hands out the same connection: kill it first
        assert other.execute(text("SELECT pg_backend_pid()")).scalar() == lost
        other.commit()
    killer = engine.pool.recreate()  # a second pool on the same database (not the app's)
    try:
        with killer.connect() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (lost,))
            admin.commit()
    finally:
        killer.dispose()
    with engine.connect() as connection:  # checked, found dead, replaced: no error
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != lost


def _prepared(connection) -> list[str]:
    return (
        connection.execute(
            text(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT _ AS m%'"
            )
        )
        .scalars()
        .all()
    )


def test_a_statement_is_prepared_on_the_server_at_its_second_execution(engine):
    once, twice = text("SELECT 1 AS marker_once"), text("SELECT 2 AS marker_twice")
    with engine.connect() as connection:  # one connection: statements are prepared per connection
        assert connection.execute(once).scalar() == 1
        assert connection.execute(twice).scalar() == 2
        assert _prepared(connection) == []  # run once: not prepared (no round trip spent on it)
        assert connection.execute(twice).scalar() == 2
        assert _prepared(connection) == ["SELECT 2 AS marker_twice"]
        assert connection.execute(twice).scalar() == 2  # and run as prepared from then on
        connection.commit()


def test_list_parameters_go_in_binary_and_come_back_the_same(engine):
    """A list parameter is sent in PostgreSQL's binary array format (no per-element quoting in
    Python); what the server gets is the same: strings with quotes, backslashes, commas and
    braces, NULLs, large integers and timestamps round-trip exactly."""
    from datetime import datetime

    from psycopg.adapt import PyFormat
    from psycopg.types.array import ListBinaryDumper

    texts = ['a "b"', "c\\d", "e,f", "{g}", None, "", "NULL"]
    numbers = [0, -1, 2**40, None]
    times = [datetime(2026, 1, 1, 12, 0, 0, 123456), None]
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw.adapters.get_dumper(list, PyFormat.AUTO) is ListBinaryDumper
        row = connection.exec_driver_sql(
            "SELECT %(t)s::VARCHAR(36)[], %(n)s::BIGINT[], %(d)s::TIMESTAMP WITHOUT TIME ZONE[]",
            {"t": texts, "n": numbers, "d": times},
        ).one()
    assert list(row) == [texts, numbers, times]
