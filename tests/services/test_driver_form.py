"""runs.driver_form: a statement run with stored rows sends what ``connection.execute`` sends."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql

from bake_tracker.services.runs import driver_form

METADATA = MetaData()
THINGS = Table(
    "driver_form_things",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(20)),
    Column("amount", BigInteger),
    Column("at", DateTime),
)
AT = datetime(2025, 11, 16, 10, 30, 0, 250)
ROWS = [
    {"name": "flour", "amount": 1250, "at": AT},
    {"name": None, "amount": 3, "at": None},
    {"name": "sugar", "amount": 10**15, "at": datetime(2025, 1, 1)},
]
TAKE = (
    update(THINGS)
    .where(THINGS.c.name == bindparam("which"), THINGS.c.amount >= bindparam("take"))
    .values(amount=THINGS.c.amount - bindparam("take"), at=bindparam("now"))
)


@pytest.fixture
def connection(engine):
    METADATA.create_all(engine)
    with engine.connect() as connection:
        connection.begin()  # the BEGIN is sent now, not with the first statement below
        sent: list[tuple[str, object]] = []
        event.listen(connection, "before_cursor_execute", lambda *a: sent.append(a[2:4]))
        connection.sent = sent
        yield connection
        connection.rollback()
    METADATA.drop_all(engine)


def _sends(connection, run) -> list:
    """(SQL, parameters) of each statement ``run`` sends; an insert's ``RETURNING`` left out
    (PostgreSQL's ``execute`` adds one to fetch the new ids, which nothing here needs)."""
    connection.sent.clear()
    run()
    return [(sql.split(" RETURNING ")[0], parameters) for sql, parameters in connection.sent]


def test_an_insert_sends_the_sql_and_parameters_execute_sends(connection):
    statement = insert(THINGS)
    expected = _sends(connection, lambda: connection.execute(statement, ROWS))
    stored = connection.execute(select(THINGS.c.name, THINGS.c.amount, THINGS.c.at)).all()
    connection.execute(THINGS.delete())
    assert _sends(connection, lambda: driver_form.execute(connection, statement, ROWS)) == expected
    rows = connection.execute(select(THINGS.c.name, THINGS.c.amount, THINGS.c.at)).all()
    assert rows == stored and [r.at for r in rows] == [AT, None, datetime(2025, 1, 1)]


def test_a_guarded_update_counts_the_rows_it_changed_as_execute_does(connection):
    connection.execute(insert(THINGS), ROWS)
    takes = [
        {"which": "flour", "take": 250, "now": AT},
        {"which": "sugar", "take": 10**16, "now": AT},
    ]
    expected = _sends(connection, lambda: connection.execute(TAKE, takes))
    connection.execute(THINGS.update().values(amount=1250).where(THINGS.c.name == "flour"))
    changed = []
    sent = _sends(connection, lambda: changed.append(driver_form.execute(connection, TAKE, takes)))
    assert sent == expected
    assert changed[0].rowcount == 1  # the second take is more than sugar holds: refused
    assert connection.execute(select(THINGS.c.amount).order_by(THINGS.c.id)).scalars().all() == [
        1000,
        3,
        10**15,
    ]


def test_one_row_is_one_execute_and_returning_works(connection):
    statement = insert(THINGS).returning(THINGS.c.id)
    new_id = driver_form.execute(connection, statement, [ROWS[0]]).scalar_one()
    assert connection.execute(select(THINGS.c.name).where(THINGS.c.id == new_id)).scalar_one() == (
        "flour"
    )


def test_binds_it_cannot_hand_over_as_they_are_are_refused(connection):
    listed = select(THINGS.c.id).where(THINGS.c.name.in_(bindparam("names", expanding=True)))
    with pytest.raises(ValueError, match="names"):
        driver_form.execute(connection, listed, [{"names": ["flour"]}])
    with pytest.raises(ValueError, match="take"):
        driver_form.execute(connection, TAKE, [{"which": "flour", "now": AT}])


def test_rows_as_arrays_insert_in_row_order_as_one_statement(connection):
    columns = [(c.name, c.type) for c in (THINGS.c.name, THINGS.c.amount, THINGS.c.at)]
    given = driver_form.unnested(columns, "given")
    names = [n for n, _ in columns]
    statement = insert(THINGS).from_select(
        names, select(*(given.c[n] for n in names)).order_by(given.c.ordinality)
    )
    rows = ROWS * 4
    if connection.dialect.name != "postgresql":  # the statement is PostgreSQL's own
        sql = str(statement.compile(dialect=postgresql.dialect()))
        assert "unnest(%(a_name)s::VARCHAR(20)[], %(a_amount)s::BIGINT[]" in sql
        assert "WITH ORDINALITY" in sql and sql.endswith("ORDER BY given.ordinality")
        return
    sent = _sends(
        connection, lambda: connection.execute(statement, driver_form.as_arrays(rows, names))
    )
    assert len(sent) == 1
    read = connection.execute(
        select(THINGS.c.name, THINGS.c.amount, THINGS.c.at).order_by(THINGS.c.id)
    )
    assert [tuple(r) for r in read] == [(r["name"], r["amount"], r["at"]) for r in rows]
