"""The invariants checker finds nothing on honest data and every kind of drift on tampered data."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import text

from src import db
from src.services import assembly_service as asv
from src.services import batch_production_service as bps
from src.services import finished_unit_service as fus
from src.services import integrity_service
from src.services import inventory_service as inv


def _busy_day(plan) -> None:
    run = bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 3, 144)
    voided = bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 1, 48)
    bps.void_production_run(voided.production_run_id, reason="typo")
    assembly = asv.record_assembly(plan["gift"].id, 2)
    asv.record_assembly(plan["gift"].id, 1)
    asv.void_assembly_run(assembly.assembly_run_id, reason="wrong bags")
    fus.adjust_inventory(plan["cookie"].id, -5, reason="gift")
    fus.adjust_inventory(plan["cookie"].id, 3, reason="count_correction", unit_cost="0.05")
    inv.adjust_lot(inv.get_inventory_items(ingredient_slug="flour")[0].id, "-1.5", reason="spoiled")
    assert run.total_ingredient_cost > 0


def test_honest_data_balances(plan):
    _busy_day(plan)
    assert integrity_service.check_invariants() == []


def _tamper(sql: str) -> list[str]:
    with db.session_scope() as s:
        s.execute(text(sql))
    return [d.kind for d in integrity_service.check_invariants()]


def test_every_kind_of_drift_is_found(plan):
    _busy_day(plan)
    assert _tamper("UPDATE inventory_items SET quantity = quantity + 1 WHERE id = 1") == [
        "pantry lot balance"
    ]
    _tamper("UPDATE inventory_items SET quantity = quantity - 1 WHERE id = 1")
    assert _tamper("UPDATE finished_units SET inventory_count = inventory_count + 1") == [
        "stock count",
        "stock count",
    ]
    _tamper("UPDATE finished_units SET inventory_count = inventory_count - 1")
    kinds = _tamper("UPDATE finished_unit_lots SET remaining_cost = 0 WHERE remaining_cost > 0")
    assert "finished unit lot cost" in kinds
    _tamper("UPDATE production_runs SET total_ingredient_cost = total_ingredient_cost + 1")
    kinds = [d.kind for d in integrity_service.check_invariants()]
    assert "production run total" in kinds
    _tamper("UPDATE assembly_runs SET total_component_cost = 0")
    drifts = integrity_service.check_invariants()
    assert any(d.kind == "assembly run total" for d in drifts)
    assert all(isinstance(d.expected, D) for d in drifts)
    assert "expected" in drifts[0].describe()
