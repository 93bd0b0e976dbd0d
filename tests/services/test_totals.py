"""Stored totals (``services/totals.py``): rebuilt equal to their sums, moved by guarded set-based
updates that add up and never go below zero, filled by the migration, rebuilt by an import."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from bake_tracker import db
from bake_tracker.models import EventAssemblyTotal, EventProductionTotal, ProductStockTotal
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import totals
from bake_tracker.services import transfer_service as ts

ALL = (totals.STOCK, totals.PRODUCTION, totals.ASSEMBLY)


def _season(plan) -> tuple:
    """(the live production run of Christmas, its assembly run) among runs that count nowhere."""
    christmas = plan["christmas"].id
    run = bps.record_batch_production(
        plan["cookies"].id, plan["cookie"].id, 2, 90, event_id=christmas
    )
    voided = bps.record_batch_production(
        plan["cookies"].id, plan["cookie"].id, 1, 48, event_id=christmas
    )
    bps.void_production_run(voided.production_run_id, reason="typo")
    bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 1, 48)  # no event
    assembly = asv.record_assembly(plan["gift"].id, 3, event_id=christmas)
    return run, assembly


def _rows(model) -> list[tuple]:
    with db.session_scope() as s:
        table = model.__table__
        return [tuple(r) for r in s.execute(select(table).order_by(*table.primary_key))]


def _drifts() -> list[tuple]:
    with db.session_scope() as s:
        return list(totals.drifts(s, ALL))


def test_rebuild_sums_live_runs_of_events_and_every_lot(plan):
    run, assembly = _season(plan)
    with db.session_scope() as s:
        totals.rebuild(s)
    assert _drifts() == []
    christmas = plan["christmas"].id
    # the voided run and the run without an event are in no total
    cost = run.total_ingredient_cost
    assert _rows(EventProductionTotal) == [(christmas, plan["cookies"].id, 1, 2, 90, cost)]
    [(event, good, runs, assembled, cost, packaging)] = _rows(EventAssemblyTotal)
    assert (event, good, runs, assembled) == (christmas, plan["gift"].id, 1, 3)
    assert cost == assembly.total_component_cost
    with db.session_scope() as s:
        bags = s.execute(text("SELECT SUM(total_cost) FROM assembly_packaging_consumptions"))
        assert packaging == D(bags.scalar()) / 10_000 > 0
        held = s.execute(
            text("SELECT SUM(quantity) FROM inventory_items WHERE product_id = :p"),
            {"p": plan["bags"].id},
        ).scalar()
    assert dict(_rows(ProductStockTotal))[plan["bags"].id] == D(held) / 1000 > 0


def test_drifts_name_what_differs_and_missing_rows_count_as_zero(plan):
    _season(plan)
    with db.session_scope() as s:
        totals.rebuild(s)
        s.execute(text("UPDATE event_production_totals SET num_batches = num_batches + 1"))
        s.execute(text("DELETE FROM product_stock_totals WHERE product_id = :p"), {"p": 1})
    found = _drifts()
    assert ("stored total event_production_totals.num_batches") in [d[0] for d in found]
    [batches] = [d for d in found if d[0].endswith(".num_batches")]
    assert (batches[2], batches[3]) == (D(2), D(3))
    [stock] = [d for d in found if d[0].startswith("stored total product_stock_totals")]
    assert stock[1] == "product_id 1" and stock[3] == 0 and stock[2] > 0


def test_rebuild_leaves_no_row_for_a_product_whose_lots_are_all_empty(plan):
    # The rebuild sums open lots only (the partial index's range, migration 0010); a product whose
    # lots are all empty gets no row, which reads as zero, and its next lot adds the row again.
    bags = plan["bags"].id
    [lot] = inv.get_inventory_items(product_id=bags)
    inv.adjust_lot(lot.id, -lot.quantity, reason="spoiled")
    with db.session_scope() as s:
        totals.rebuild(s)
    held = dict(_rows(ProductStockTotal))
    assert bags not in held and held  # the other products' rows are there
    assert _drifts() == []
    inv.add_to_inventory(bags, quantity="5", unit_cost="0.10", purchase_date="2025-02-01")
    assert dict(_rows(ProductStockTotal))[bags] == D("5")
    assert _drifts() == []


def test_moves_add_up_and_a_decrease_below_zero_is_refused(plan):
    product = plan["bags"].id
    bought = dict(_rows(ProductStockTotal))[product]  # the purchase of 10 bags moved it
    assert bought == D(10)
    with db.session_scope() as s:
        totals.move_stock(s, {product: D("2.5")})
        totals.move_stock(s, {product: D("1.5")})
        totals.move_stock(s, {product: D("-3")})
    assert dict(_rows(ProductStockTotal))[product] == D(11)
    with pytest.raises(IntegrityError), db.session_scope() as s:
        totals.move_stock(s, {product: D("-11.001")})
    assert dict(_rows(ProductStockTotal))[product] == D(11)  # rolled back, nothing changed


def test_production_and_assembly_moves_count_runs_in_and_out(plan):
    event, recipe, good = plan["easter"].id, plan["brownies"].id, plan["gift"].id
    run = {"num_batches": 2, "actual_yield": 30, "cost": D("4.25")}
    with db.session_scope() as s:
        totals.move_production(s, event, recipe, sign=1, **run)
        totals.move_production(s, event, recipe, sign=1, **run)
        totals.move_production(s, event, recipe, sign=-1, **run)
        totals.move_production(s, None, recipe, sign=1, **run)  # no event: no total
        totals.move_assembly(s, event, good, sign=1, quantity=4, cost=D(3), packaging_cost=D(1))
    assert _rows(EventProductionTotal) == [(event, recipe, 1, 2, 30, D("4.25"))]
    assert _rows(EventAssemblyTotal) == [(event, good, 1, 4, D(3), D(1))]


def test_a_move_that_raises_one_total_and_lowers_another_is_refused(plan):
    refused = pytest.raises(ValueError, match="must not raise one total and lower another")
    with refused, db.session_scope() as s:
        totals._move(
            s,
            totals.PRODUCTION,
            [
                {
                    "event_id": plan["easter"].id,
                    "recipe_id": plan["brownies"].id,
                    "runs": 1,
                    "num_batches": -1,
                    "actual_yield": 0,
                    "total_ingredient_cost": D(0),
                }
            ],
        )


def test_an_import_rebuilds_every_total(plan, tmp_path):
    _season(plan)
    document = tmp_path / "season.json"
    ts.export_data(document)
    before = [_rows(m) for m in (ProductStockTotal, EventProductionTotal, EventAssemblyTotal)]
    result = ts.import_data(document, mode="replace")
    assert not result.errors
    assert _drifts() == []
    after = [_rows(m) for m in (ProductStockTotal, EventProductionTotal, EventAssemblyTotal)]
    with db.session_scope() as s:
        totals.rebuild(s)
    assert after == [
        _rows(m) for m in (ProductStockTotal, EventProductionTotal, EventAssemblyTotal)
    ]
    assert len(after[1]) == 1 and len(after[2]) == 1
    assert before[1] == [] or before[1] == after[1]


def test_the_migration_fills_every_total_from_the_rows(plan, engine):
    _season(plan)
    with db.session_scope() as s:
        totals.rebuild(s)
    expected = [_rows(m) for m in (ProductStockTotal, EventProductionTotal, EventAssemblyTotal)]
    db.downgrade_to(engine, "0006")  # drops the totals
    db.upgrade_to_head(engine)  # 0007 fills them from the rows
    filled = [_rows(m) for m in (ProductStockTotal, EventProductionTotal, EventAssemblyTotal)]
    assert filled == expected and all(filled)
