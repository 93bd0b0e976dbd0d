"""The scaled-number column types read back exactly what ``from_scaled`` makes of the stored
integer (value and exponent: ``Decimal('1.500')`` is not ``Decimal('1.5')`` in a report), through
the fast one-call result processor, on the test backend's real driver."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    MetaData,
    Table,
    func,
    insert,
    literal_column,
    select,
    type_coerce,
)

from bake_tracker.models.types import Money, Percent, Quantity, from_scaled

STORED = [0, 1, -1, 5, 10, 1000, -1000, 123456, 10**18, -(10**18), 2**63 - 1, -(2**63)]


@pytest.mark.parametrize("kind", [Money, Quantity, Percent])
def test_every_stored_integer_reads_back_as_from_scaled(engine, kind) -> None:
    table = Table("scaled_probe", MetaData(), Column("raw", BigInteger), Column("value", kind))
    table.create(engine)
    try:
        with engine.begin() as connection:
            connection.execute(insert(table), [{"raw": n} for n in STORED] + [{"raw": None}])
            connection.execute(table.update().values(value=table.c.raw))
            rows = connection.execute(select(table.c.raw, table.c.value)).all()
            small = table.c.raw.between(-(10**6), 10**6)  # SUM of them all would overflow
            summed = connection.execute(select(func.sum(table.c.value)).where(small)).scalar_one()
    finally:
        table.drop(engine)
    assert len(rows) == len(STORED) + 1
    for raw, value in rows:
        if raw is None:
            assert value is None
        else:
            expected = from_scaled(raw, kind.places)
            assert (value, str(value)) == (expected, str(expected))
    total = from_scaled(sum(n for n in STORED if abs(n) <= 10**6), kind.places)
    assert str(summed) == str(total)


def test_a_stored_integer_read_as_quantity_keeps_three_places(engine) -> None:
    stored = type_coerce(literal_column("1500"), Quantity())
    with engine.connect() as connection:
        value = connection.execute(select(stored)).scalar_one()
    assert str(value) == "1.500"
    assert isinstance(value, Decimal)
