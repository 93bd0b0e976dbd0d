"""``bake-tracker check`` names the rows an import or a bug left wrong: each test corrupts one row
with raw SQL (as a bad import or a hand edit would) and looks for that row, by name, in the
findings — and for nothing else."""

from __future__ import annotations

from sqlalchemy import text

from bake_tracker import db
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import integrity_service
from tests.services.test_integrity_service import _busy_day


def corrupt(sql: str) -> list[str]:
    """Run ``sql`` behind the services' back; every finding, described."""
    with db.session_scope() as s:
        s.execute(text(sql))
    return [d.describe() for d in integrity_service.check_invariants()]


def scalar(sql: str):
    with db.session_scope() as s:
        return s.execute(text(sql)).scalar_one()


def test_a_pantry_lot_is_named_by_ingredient_brand_and_purchase_date(plan):
    _busy_day(plan)
    lot = scalar("SELECT min(id) FROM inventory_items")
    product = scalar(f"SELECT product_id FROM inventory_items WHERE id = {lot}")
    findings = corrupt(f"UPDATE inventory_items SET quantity = quantity - 1000 WHERE id = {lot}")
    [finding, total] = findings
    assert finding.startswith(f"pantry lot balance: pantry lot #{lot} ('Flour', bought 2025-01-01)")
    assert finding.endswith("is 91.500, expected 92.500")
    # the product's stored stock total no longer equals what its lots hold
    assert total == (
        f"stored total product_stock_totals.quantity_on_hand: product 'Flour' (#{product}) "
        "is 92.500, expected 91.500"
    )


def test_a_drifting_event_total_names_the_event_and_the_recipe(plan):
    bps.record_batch_production(
        plan["cookies"].id, plan["cookie"].id, 1, 48, event_id=plan["christmas"].id
    )
    event, recipe = plan["christmas"].id, plan["cookies"].id
    findings = corrupt(
        "UPDATE event_production_totals SET num_batches = num_batches + 1 "
        f"WHERE event_id = {event} AND recipe_id = {recipe}"
    )
    [finding] = findings
    assert finding == (
        "stored total event_production_totals.num_batches: event 'Christmas 2025' "
        f"(2025-12-25, #{event}), recipe 'Chocolate Chip Cookies' (#{recipe}) is 2, expected 1"
    )


def test_a_drifting_stock_count_names_the_item_by_name_and_slug(plan):
    _busy_day(plan)
    findings = corrupt(
        "UPDATE finished_units SET inventory_count = inventory_count + 2 "
        "WHERE slug = 'chocolate_chip_cookie'"
    )
    [finding] = findings
    assert finding.startswith(
        f"stock count: 'Chocolate Chip Cookie' (chocolate_chip_cookie, #{plan['cookie'].id}) is "
    )


def test_a_finished_lot_names_its_item_and_the_run_that_made_it(plan):
    _busy_day(plan)
    run_id = scalar("SELECT min(id) FROM production_runs WHERE voided_at IS NULL")
    lot = scalar(f"SELECT id FROM finished_unit_lots WHERE production_run_id = {run_id}")
    findings = corrupt(
        f"UPDATE finished_unit_lots SET quantity_remaining = quantity_remaining - 1 "
        f"WHERE id = {lot}"
    )
    assert any(
        f.startswith(
            f"finished unit lot units: lot #{lot} of 'Chocolate Chip Cookie' "
            f"(made by production run #{run_id}) is "
        )
        for f in findings
    ), findings
    assert any(f.startswith("stock count: 'Chocolate Chip Cookie'") for f in findings)
    assert len(findings) == 2


def test_a_run_total_that_its_ledger_does_not_match_names_the_run(plan):
    _busy_day(plan)
    run_id = scalar("SELECT min(id) FROM production_runs WHERE voided_at IS NULL")
    findings = corrupt(
        f"UPDATE production_runs SET total_ingredient_cost = total_ingredient_cost + 10000 "
        f"WHERE id = {run_id}"
    )
    named = f"production run #{run_id} ('Chocolate Chip Cookies', 3 batches, "
    assert [f.split(":")[0] for f in findings] == [
        "production run total",
        "production run output lot cost",
    ]
    assert all(named in f for f in findings), findings


def test_an_assembly_line_that_its_lot_rows_do_not_match_names_the_line_and_the_run(plan):
    """A check that did not exist before: an assembly line's cost against its lot ledger."""
    _busy_day(plan)
    line = scalar("SELECT min(id) FROM assembly_finished_unit_consumptions")
    run_id = scalar(
        f"SELECT assembly_run_id FROM assembly_finished_unit_consumptions WHERE id = {line}"
    )
    findings = corrupt(
        f"UPDATE assembly_finished_unit_consumptions SET total_cost = total_cost + 100 "
        f"WHERE id = {line}"
    )
    assert (
        f"assembly finished-unit line cost: 'Chocolate Chip Cookie' line #{line} of "
        f"assembly run #{run_id} is " in " ".join(findings)
    ), findings
    assert any(f.startswith(f"assembly run total: assembly run #{run_id} (") for f in findings)


def test_a_packaging_line_is_named_by_its_packaging(plan):
    _busy_day(plan)
    line = scalar("SELECT max(id) FROM assembly_packaging_consumptions")
    findings = corrupt(
        f"UPDATE assembly_packaging_consumption_lots SET cost = cost + 100 "
        f"WHERE consumption_id = {line}"
    )
    [finding] = findings
    assert finding.startswith(
        f"assembly packaging line cost: 'Cellophane Bags' packaging line #{line}"
    )


def test_a_run_whose_output_lot_is_gone_or_altered_is_named(plan):
    """What a bad import could leave: a run without its output lot, an output lot of another
    size. Both checks are new."""
    _busy_day(plan)
    run = bps.record_batch_production(plan["brownies"].id, plan["brownie"].id, 1, 16)
    findings = corrupt(
        f"UPDATE finished_unit_lots SET quantity_initial = 20, quantity_remaining = 20 "
        f"WHERE production_run_id = {run.production_run_id}"
    )
    named = f"production run #{run.production_run_id} ('Brownies', 1 batch, "
    assert any(
        f.startswith(f"production run output lot units: {named}")
        and f.endswith("is 20, expected 16")
        for f in findings
    ), findings
    assembled = asv.record_assembly(plan["gift"].id, 1)
    corrupt(f"DELETE FROM finished_good_lots WHERE assembly_run_id = {assembled.assembly_run_id}")
    findings = [d.describe() for d in integrity_service.check_invariants()]
    assert any(
        f.startswith(
            f"assembly run output lot units: assembly run #{assembled.assembly_run_id} "
            f"(1 × 'Cookie Gift Bag', "
        )
        and f.endswith("is 0, expected 1")
        for f in findings
    ), findings


def test_an_output_lot_of_another_item_is_named(plan):
    """The other way an output lot can be wrong (compared in the database): it holds another
    finished unit (a second output lot is refused by the schema itself)."""
    _busy_day(plan)
    run = bps.record_batch_production(plan["brownies"].id, plan["brownie"].id, 1, 16)
    named = f"production run #{run.production_run_id} ('Brownies', 1 batch, "
    where = f"WHERE production_run_id = {run.production_run_id}"
    findings = corrupt(
        f"UPDATE finished_unit_lots SET finished_unit_id = {plan['cookie'].id} {where}"
    )
    [lot_finding] = [f for f in findings if f.startswith("production run output lot")]
    assert lot_finding.startswith(f"production run output lot units: {named}"), findings
    corrupt(f"UPDATE finished_unit_lots SET finished_unit_id = {plan['brownie'].id} {where}")
    assert integrity_service.check_invariants() == []


def test_voided_runs_and_honest_data_give_no_findings(plan):
    _busy_day(plan)  # includes a voided production run and a voided assembly
    assert integrity_service.check_invariants() == []
