"""pantry_lots: plans from the leading lots are the plans over every lot; on hand by unit sums."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import event as sa_event

from bake_tracker import db
from bake_tracker.core.fifo import plan_fifo
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import pantry_lots


@pytest.fixture
def butter(engine):
    """Butter in grams, sold by the pound, the kilogram and by the gram (three products), with
    40 lots whose dates interleave across the products, a few on the same day."""
    made = cs.create_ingredient("Butter", category="Dairy", recipe_unit="g")
    products = [
        cs.create_product(made.slug, purchase_unit=unit, purchase_quantity=1, brand=brand)
        for unit, brand in (("lb", "A"), ("kg", "B"), ("g", "C"))
    ]
    rng = random.Random(7)
    start = date(2024, 1, 1)
    for _ in range(40):
        product = rng.choice(products)
        quantity = {"lb": "1.5", "kg": "0.75", "g": "400"}[product.purchase_unit]
        inv.add_to_inventory(
            product.id,
            quantity=quantity,
            unit_cost=str(rng.randint(1, 90) / 10),
            purchase_date=start + timedelta(days=rng.randint(0, 25)),
        )
    return made


def _plans(ingredient_slug: str, need: D, per_product: int):
    """(plan from the leading lots, plan over every open lot, statements the first sent)."""
    sent: list[str] = []
    engine = db.SessionLocal.kw["bind"]
    listener = lambda *a: sent.append(a[2])  # noqa: E731
    with db.session_scope() as s:
        ingredient = cs.load_ingredient(s, ingredient_slug)
        convert = inv.UnitConverter(ingredient)
        wanted = pantry_lots.Need(ingredient.id, need, ingredient.recipe_unit, convert)
        sa_event.listen(engine, "before_cursor_execute", listener)
        try:
            lead = pantry_lots.plan_needs(s, [wanted], per_product)[ingredient.id]
        finally:
            sa_event.remove(engine, "before_cursor_execute", listener)
        every = inv.lot_snapshots_for(s, [ingredient.id]).get(ingredient.id, [])
        full = plan_fifo(every, need, ingredient.recipe_unit, convert)
    return lead, full, [sql for sql in sent if "inventory_items" in sql]  # not the unit lookups


@pytest.mark.parametrize("need", ["1", "700", "2500", "9000", "30000", "999999"])
@pytest.mark.parametrize("per_product", [1, 2, 6])
def test_a_plan_from_the_leading_lots_is_the_plan_over_every_lot(butter, need, per_product):
    lead, full, sent = _plans(butter.slug, D(need), per_product)
    assert lead == full
    assert len(sent) in (1, 2)


def test_the_second_read_happens_only_when_the_leading_lots_fall_short(butter):
    _, full, sent = _plans(butter.slug, D("500"), 6)
    assert full.satisfied and len(full.draws) <= 2
    assert len(sent) == 1  # the leading lots covered it
    lead, full, sent = _plans(butter.slug, D("999999"), 6)
    assert not full.satisfied and lead == full
    assert len(sent) == 2  # short: every open lot was read for the exact shortfall


def test_lots_that_hold_nothing_are_never_planned(butter):
    with db.session_scope() as s:
        ingredient = cs.load_ingredient(s, butter.slug)
        oldest = inv.lot_snapshots_for(s, [ingredient.id])[ingredient.id][0]
    lot = inv.get_lot(oldest.lot_id)
    inv.adjust_lot(lot.id, -lot.quantity, reason="spoiled")
    lead, full, _ = _plans(butter.slug, D("100"), 2)
    assert lead == full
    assert oldest.lot_id not in {d.lot_id for d in lead.draws}


def test_on_hand_by_unit_sums_equals_the_lots_one_by_one(butter):
    with db.session_scope() as s:
        ingredient = cs.load_ingredient(s, butter.slug)
        convert = inv.UnitConverter(ingredient)
        lots = inv.lot_snapshots_for(s, [ingredient.id])[ingredient.id]
        one_by_one = inv.on_hand_from(ingredient, lots, convert)
        totals = pantry_lots.open_totals(s, [ingredient.id])[ingredient.id]
    assert sorted(unit for unit, _ in totals) == ["g", "kg", "lb"]
    assert pantry_lots.on_hand(totals, "g", convert) == one_by_one
    assert inv.get_on_hand(butter.slug) == one_by_one > 0


def test_one_statement_reads_the_leading_lots_and_the_totals(butter):
    with db.session_scope() as s:
        ingredient = cs.load_ingredient(s, butter.slug)
        leading, totals = pantry_lots.read(s, [ingredient.id], 2, with_totals=True)
        assert totals == pantry_lots.open_totals(s, [ingredient.id])
        assert leading == pantry_lots.leading_lots(s, [ingredient.id], 2)
        assert not leading[ingredient.id].complete and len(leading[ingredient.id].lots) >= 2


def test_products_of_one_unit_add_up_and_empty_products_are_left_out(butter):
    """Totals are summed per product in SQL and added per purchase unit: two products sold in
    the same unit give one row with both; a product holding nothing adds no row."""
    second = cs.create_product(butter.slug, purchase_unit="g", purchase_quantity=1, brand="D")
    cs.create_product(butter.slug, purchase_unit="oz", purchase_quantity=1, brand="E")  # no lots
    inv.add_to_inventory(second.id, quantity="250", unit_cost="0.01", purchase_date="2024-02-01")
    with db.session_scope() as s:
        ingredient = cs.load_ingredient(s, butter.slug)
        lots = inv.lot_snapshots_for(s, [ingredient.id])[ingredient.id]
        totals = dict(pantry_lots.open_totals(s, [ingredient.id])[ingredient.id])
        _, read_totals = pantry_lots.read(s, [ingredient.id], with_totals=True)
    assert sorted(totals) == ["g", "kg", "lb"]
    for unit in totals:
        assert totals[unit] == sum(lot.quantity for lot in lots if lot.unit == unit)
    assert read_totals[ingredient.id] == sorted(totals.items())
