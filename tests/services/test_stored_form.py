"""runs.stored_form: rows handed over in stored form bind what the model's types would bind."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal as D

import pytest
from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

from bake_tracker.core.keys import new_uuid
from bake_tracker.models import ProductionConsumptionLot, ProductionRun
from bake_tracker.services.runs import stored_form

LOTS = ProductionConsumptionLot.__table__
RUNS = ProductionRun.__table__


def test_the_plain_table_stores_what_the_decorated_types_store():
    plain = stored_form.plain(LOTS)
    assert [c.name for c in plain.columns] == [c.name for c in LOTS.columns]
    assert isinstance(plain.c.quantity.type, BigInteger)
    assert isinstance(plain.c.created_at.type, DateTime)
    assert all(c.default is None for c in plain.columns)
    assert plain.c.uuid.nullable is False and plain.c.id.primary_key


def test_a_row_is_what_the_model_types_bind(engine):
    at = stored_form.now()
    values = {"quantity": D("1.250"), "unit_cost": D("0.5"), "cost": D("0.6250"), "unit": "cup"}
    row = stored_form.stored_row(LOTS, values, at)
    dialect = engine.dialect
    for name, value in values.items():
        column_type = LOTS.c[name].type
        expected = (
            column_type.process_bind_param(value, dialect)
            if isinstance(column_type, TypeDecorator)
            else value
        )
        assert row[name] == expected
    assert (row["quantity"], row["unit_cost"], row["cost"]) == (1250, 5000, 6250)
    assert row["created_at"] == row["updated_at"] == at and at.tzinfo is None
    assert len(row["uuid"]) == 36 and row["uuid"] != stored_form.stored_row(LOTS, {}, at)["uuid"]


def test_a_timestamp_is_stored_as_naive_utc_and_a_naive_one_is_refused():
    paris = timezone(timedelta(hours=1))
    row = stored_form.stored_row(RUNS, {"produced_at": datetime(2025, 1, 1, 13, tzinfo=paris)}, 0)
    assert row["produced_at"] == datetime(2025, 1, 1, 12)
    with pytest.raises(ValueError, match="no time zone"):
        stored_form.stored_row(RUNS, {"produced_at": datetime(2025, 1, 1, 13)}, 0)
    assert stored_form.stored_row(RUNS, {"voided_at": None}, 0)["voided_at"] is None
    assert datetime.now(UTC).replace(tzinfo=None) - stored_form.now() < timedelta(seconds=5)


@pytest.mark.parametrize("value", [D("1.0001"), 1.5, "x"])
def test_a_value_the_column_cannot_keep_is_refused_as_the_model_type_refuses_it(value):
    with pytest.raises((ValueError, TypeError, ArithmeticError)):
        stored_form.stored_row(LOTS, {"quantity": value}, 0)


def test_a_stored_row_gets_a_new_time_ordered_uuid_as_the_model_default_makes_it(engine):
    """The ledger's stored rows and the model's default make their uuid the same way."""
    rows = [stored_form.stored_row(LOTS, {}, stored_form.now()) for _ in range(50)]
    assert len({row["uuid"] for row in rows}) == 50
    assert {uuid.UUID(row["uuid"]).version for row in rows} == {7}
    default = LOTS.c.uuid.default.arg  # SQLAlchemy wraps a function of no arguments
    assert getattr(default, "__wrapped__", default) is new_uuid
