"""The invariants checker finds nothing on honest data and every kind of drift on tampered data."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import text

from bake_tracker import db
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import integrity_service
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import transfer_service as ts


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
    # a lot changed behind the services' back: its balance and its product's stored total
    assert _tamper("UPDATE inventory_items SET quantity = quantity + 1 WHERE id = 1") == [
        "pantry lot balance",
        "stored total product_stock_totals.quantity_on_hand",
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


# --- the file itself (PRAGMA integrity_check) and imports that do not add up (008 T8/T9) ----------


def test_a_sound_file_passes_the_storage_check(plan):
    storage = integrity_service.check_storage()
    if storage.backend == "sqlite":
        assert storage == integrity_service.StorageCheck(ran=True, problems=[], backend="sqlite")
    else:  # a database server checks its own storage
        assert not storage.ran and storage.problems == []


@pytest.mark.sqlite_only
def test_the_storage_check_lists_every_problem_row(plan, engine):
    """An index that disagrees with its table (written around SQLite's back) is found."""
    with db.session_scope() as s:
        s.execute(text("CREATE INDEX ix_probe ON recipes (name)"))
        s.execute(text("PRAGMA writable_schema = ON"))
        s.execute(
            text(
                "UPDATE sqlite_master SET sql = replace(sql, '(name)', '(category)') "
                "WHERE name = 'ix_probe'"
            )
        )
        s.execute(text("PRAGMA writable_schema = OFF"))
    engine.dispose()  # reconnect: the schema as now written
    storage = integrity_service.check_storage()
    assert storage.ran and storage.problems, storage
    assert any("ix_probe" in problem for problem in storage.problems)


def test_an_import_whose_lots_do_not_add_up_is_refused_in_plain_words(plan):
    _busy_day(plan)
    document = ts.export_data()
    lots = document["inventory_items"]
    lots[0] = dict(lots[0]) | {"quantity": "0"}
    before = ts.export_data() | {"exported_at": None}
    result = ts.import_data(document, mode="replace")
    assert result.errors and "do not add up" in result.errors[0]
    assert any(e.startswith("After importing, pantry lot balance") for e in result.errors[1:])
    assert sum(result.added.values()) == 0
    assert ts.export_data() | {"exported_at": None} == before
    assert integrity_service.check_invariants() == []


def test_an_import_leaves_out_only_the_stored_totals_it_rebuilt(plan):
    """``stored_totals=False`` (the import's check, right after rebuilding them) skips the
    stored totals and nothing else: the lot's own drift is still found."""
    _busy_day(plan)
    _tamper("UPDATE inventory_items SET quantity = quantity + 1 WHERE id = 1")
    with db.session_scope() as s:
        kinds = [d.kind for d in integrity_service.check_invariants(session=s)]
        without = [
            d.kind for d in integrity_service.check_invariants(session=s, stored_totals=False)
        ]
    assert kinds == ["pantry lot balance", "stored total product_stock_totals.quantity_on_hand"]
    assert without == ["pantry lot balance"]


def test_drift_the_database_already_had_is_told_apart(plan):
    _busy_day(plan)
    _tamper("UPDATE inventory_items SET quantity = quantity + 1 WHERE id = 1")
    drifts = integrity_service.check_invariants()
    with db.session_scope() as s:
        problems = integrity_service.import_drift_problems(drifts, session=s)
    assert "already has figures that do not add up" in problems[0]
    assert problems[1:] == [f"Already wrong: {d.describe()}" for d in drifts]


def test_each_drift_names_the_row_and_both_figures(plan):
    """The set-based checks send back only the drifting rows, with the right figures."""
    _busy_day(plan)
    assert integrity_service.check_invariants() == []
    _tamper("UPDATE inventory_items SET quantity = quantity + 1 WHERE id = 2")
    [drift, total] = integrity_service.check_invariants()
    assert (drift.kind, drift.subject, drift.actual - drift.expected) == (
        "pantry lot balance",
        f"pantry lot #2 ('Sugar', bought {inv.get_lot(2).purchase_date})",
        D("0.001"),
    )
    # the product's stored total did not move with the lot: it holds 0.001 less than its lots
    assert (total.kind, total.subject, total.actual - total.expected) == (
        "stored total product_stock_totals.quantity_on_hand",
        f"product 'Sugar' (#{inv.get_lot(2).product_id})",
        D("-0.001"),
    )
    _tamper("UPDATE inventory_items SET quantity = quantity - 1 WHERE id = 2")
    kinds = _tamper(
        "UPDATE production_consumptions SET total_cost = total_cost + 1 "
        "WHERE id = (SELECT min(id) FROM production_consumptions)"
    )
    assert sorted(kinds) == ["ingredient line cost", "production run total"]
    _tamper(
        "UPDATE production_consumptions SET total_cost = total_cost - 1 "
        "WHERE id = (SELECT min(id) FROM production_consumptions)"
    )
    kinds = _tamper(
        "UPDATE finished_unit_lots SET quantity_remaining = quantity_remaining + 1 "
        "WHERE id = (SELECT min(id) FROM finished_unit_lots WHERE quantity_remaining > 0)"
    )
    assert sorted(kinds) == ["finished unit lot units", "stock count"]
    _tamper(
        "UPDATE finished_unit_lots SET quantity_remaining = quantity_remaining - 1 "
        "WHERE id = (SELECT min(id) FROM finished_unit_lots WHERE quantity_remaining > 0)"
    )
    assert _tamper(
        "UPDATE finished_good_lots SET remaining_cost = remaining_cost - 1 WHERE remaining_cost > 0"
    ) == ["finished good lot cost"]
