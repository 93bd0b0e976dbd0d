"""The stored totals' schema: every amount refuses a negative value, and a total goes with the
event, recipe, finished good or product it belongs to (ON DELETE CASCADE: a total is not a record
of its own, and its parent can only be deleted once nothing it sums is left)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

from bake_tracker.models import EventAssemblyTotal, EventProductionTotal, ProductStockTotal
from tests.factories import make_event, make_finished_good, make_product, make_recipe

PARENTS = {"events": make_event, "recipes": make_recipe, "finished_goods": make_finished_good}
PARENTS["products"] = make_product
MODELS = (ProductStockTotal, EventProductionTotal, EventAssemblyTotal)
CHECKS = [
    (model, check)
    for model in MODELS
    for check in model.__table__.constraints
    if isinstance(check, CheckConstraint)
]


def _row(session, model, **overrides) -> dict:
    """A valid row of ``model`` (amounts 1) on new parents, with ``overrides``."""
    table = model.__table__
    row = {}
    for column in table.columns:
        if column.foreign_keys:
            (fk,) = column.foreign_keys
            row[column.name] = PARENTS[fk.column.table.name](session).id
        else:
            row[column.name] = 1
    return row | overrides


@pytest.mark.parametrize(("model", "check"), CHECKS, ids=[c.name for _, c in CHECKS])
def test_a_negative_amount_is_refused(session, model, check):
    (column,) = re.findall(r"^(\w+) >= 0$", str(check.sqltext))
    row = _row(session, model, **{column: -1})
    refused = pytest.raises(IntegrityError, match=r"CHECK constraint failed|violates check")
    with refused, session.begin_nested():
        session.execute(model.__table__.insert(), row)
    session.execute(model.__table__.insert(), row | {column: 0})  # zero is allowed


def test_every_amount_has_its_check(session):
    for model in MODELS:
        table = model.__table__
        amounts = {c.name for c in table.columns if not c.foreign_keys}
        checked = {c for _, check in CHECKS for c in re.findall(r"^(\w+) ", str(check.sqltext))}
        assert amounts <= checked, table.name
    inspector = inspect(session.connection())
    in_db = {c["name"] for m in MODELS for c in inspector.get_check_constraints(m.__tablename__)}
    assert len(in_db) == len(CHECKS)


FKS = [(m, fk) for m in MODELS for fk in m.__table__.foreign_keys]
FK_IDS = [f"{fk.parent.table}.{fk.parent.name}" for _, fk in FKS]


@pytest.mark.parametrize(("model", "fk"), FKS, ids=FK_IDS)
def test_a_total_goes_with_its_parent(session, model, fk):
    assert fk.ondelete == "CASCADE"
    row = _row(session, model)
    table = model.__table__
    session.execute(table.insert(), row)
    parent = fk.column.table.name
    session.execute(text(f"DELETE FROM {parent} WHERE id = :id"), {"id": row[fk.parent.name]})
    left = session.execute(text(f"SELECT COUNT(*) FROM {table.name}")).scalar()
    assert left == 0
