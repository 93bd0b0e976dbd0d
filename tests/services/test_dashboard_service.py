"""dashboard_service: scenarios 57-61, planned vs actual, voids, packaging, query count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import event as sa_event

from bake_tracker import db
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import dashboard_service as ds
from bake_tracker.services import event_service as es
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services.dto import EventStatus
from bake_tracker.services.errors import EventNotFoundError, ProductionRunNotFoundError

TODAY = date(2025, 12, 1)


@pytest.fixture
def priced(plan):
    """Scenario 59's prices: flour and sugar last bought at $0.50 and $0.60 a cup."""
    for slug, cost in (("flour", "0.50"), ("sugar", "0.60")):
        product = cs.list_products(slug)[0]
        inv.record_purchase(product.id, quantity=1, total_cost=cost, purchase_date="2025-06-01")
    return plan


def test_scenario_57_order_and_events_without_assignments(priced):
    christmas, easter = priced["christmas"].id, priced["easter"].id
    es.assign_package_to_recipient(easter, priced["alice"].id, priced["deluxe"].id)
    es.assign_package_to_recipient(christmas, priced["bob"].id, priced["deluxe"].id, quantity=2)
    planned_only = es.create_event("Bake sale", "2026-01-10")
    es.set_production_target(planned_only.id, priced["brownies"].id, 1)
    es.create_event("Nothing planned", "2026-02-01")
    summary = ds.get_dashboard_summary(today=TODAY)
    assert [s.event_name for s in summary] == ["Christmas 2025", "Bake sale", "Easter 2026"]
    christmas_row = summary[0]
    assert (christmas_row.packages_pending, christmas_row.packages_total) == (2, 2)
    assert summary[1].packages_total == 0 and summary[1].recipes_total == 1


def test_past_events_only_when_asked(priced):
    es.set_production_target(priced["christmas"].id, priced["cookies"].id, 1)
    assert ds.get_dashboard_summary(today=date(2026, 1, 1)) == []
    assert len(ds.get_dashboard_summary(today=date(2026, 1, 1), include_past=True)) == 1
    assert ds.get_event_summary(priced["christmas"].id).recipes_total == 1
    with pytest.raises(EventNotFoundError):
        ds.get_event_summary(999)


def test_scenarios_58_59_planned_actual_and_variance(priced):
    christmas = priced["christmas"].id
    cookies, cookie = priced["cookies"].id, priced["cookie"].id
    es.set_production_target(christmas, cookies, 3)
    (row,) = ds.get_dashboard_summary(today=TODAY)
    assert (row.recipes_complete, row.recipes_total) == (0, 1)
    assert (row.actual_cost, row.planned_cost) == (D(0), D("4.8000"))
    bps.record_batch_production(cookies, cookie, 2, 96, event_id=christmas)
    (line,) = ds.get_recipe_cost_breakdown(christmas)
    assert (line.batches_required, line.batches_produced) == (3, 2)
    assert (line.actual_cost, line.planned_cost) == (D("3.2000"), D("4.8000"))
    assert (line.variance, line.variance_percent) == (D("-1.6000"), D("-33.33"))
    bps.record_batch_production(cookies, cookie, 1, 48, event_id=christmas)
    (row,) = ds.get_dashboard_summary(today=TODAY)
    assert (row.recipes_complete, row.recipes_total, row.actual_cost) == (1, 1, D("4.8000"))


@pytest.mark.parametrize(
    ("actual", "planned", "percent"),
    [("45", "52", "-13.46"), ("0", "0", "0.00"), ("5", "0", "100.00"), ("60", "50", "20.00")],
)
def test_scenario_60_variance_percent(actual, planned, percent):
    assert ds.variance_percent(D(actual), D(planned)) == D(percent)


def test_voided_runs_are_excluded_and_assembly_packaging_included(priced):
    christmas = priced["christmas"].id
    cookies, cookie = priced["cookies"].id, priced["cookie"].id
    es.set_production_target(christmas, cookies, 2)
    es.set_assembly_target(christmas, priced["gift"].id, 4)
    kept = bps.record_batch_production(cookies, cookie, 1, 48, event_id=christmas)
    dropped = bps.record_batch_production(cookies, cookie, 1, 48, event_id=christmas)
    bps.void_production_run(dropped.production_run_id, reason="duplicate")
    assembly = asv.record_assembly(priced["gift"].id, 4, event_id=christmas)
    (row,) = ds.get_dashboard_summary(today=TODAY)
    packaging = assembly.packaging_consumptions[0].total_cost
    assert row.actual_cost == kept.total_ingredient_cost + packaging
    assert packaging == D("0.4000")  # four bags at $0.10
    # planned: 2 batches × $1.60 + 4 gift bags × $0.10 of packaging
    assert row.planned_cost == D("3.2000") + D("0.4000")
    assert (row.finished_goods_complete, row.finished_goods_total) == (1, 1)
    assert row.recipes_complete == 0  # the voided batch does not count


def test_scenario_61_complete_when_everything_is_delivered(priced):
    christmas = priced["christmas"].id
    a = es.assign_package_to_recipient(christmas, priced["alice"].id, priced["deluxe"].id)
    (row,) = ds.get_dashboard_summary(today=TODAY)
    assert not row.is_complete
    es.update_fulfillment_status(a.id, "ready")
    es.update_fulfillment_status(a.id, "delivered")
    (row,) = ds.get_dashboard_summary(today=TODAY)
    assert row.is_complete and row.packages_delivered == 1


def test_a_new_event_is_not_started_until_something_happens(priced):
    """Issue 17 item 7: a planned event with nothing done is "not started", not "in progress"."""
    christmas, easter = priced["christmas"].id, priced["easter"].id
    cookies, cookie = priced["cookies"].id, priced["cookie"].id
    es.set_production_target(christmas, cookies, 3)
    a = es.assign_package_to_recipient(easter, priced["alice"].id, priced["deluxe"].id)
    rows = {row.event_id: row for row in ds.get_dashboard_summary(today=TODAY)}
    assert rows[christmas].status == EventStatus.NOT_STARTED
    assert rows[easter].status == EventStatus.NOT_STARTED
    bps.record_batch_production(cookies, cookie, 1, 48, event_id=christmas)  # one batch baked
    es.update_fulfillment_status(a.id, "ready")  # one package moved on
    rows = {row.event_id: row for row in ds.get_dashboard_summary(today=TODAY)}
    assert rows[christmas].status == EventStatus.IN_PROGRESS
    assert rows[easter].status == EventStatus.IN_PROGRESS
    es.update_fulfillment_status(a.id, "delivered")
    assert ds.get_event_summary(easter).status == EventStatus.COMPLETE


def test_cost_drilldown_reaches_the_purchase_lots(priced):
    run = bps.record_batch_production(priced["cookies"].id, priced["cookie"].id, 1, 48)
    lines = ds.get_cost_drilldown(run.production_run_id)
    flour = next(line for line in lines if line.ingredient_slug == "flour")
    (lot,) = flour.lots
    assert (lot.product_name, lot.lot_date, lot.quantity, lot.cost) == (
        "Flour (generic)",
        date(2025, 1, 1),
        D(2),
        D("1.0000"),
    )
    with pytest.raises(ProductionRunNotFoundError):
        ds.get_cost_drilldown(999)


def test_query_count_does_not_grow_with_events(priced):
    def statements() -> int:
        return len(_dashboard_statements(include_past=False))

    es.set_production_target(priced["christmas"].id, priced["cookies"].id, 1)
    one = statements()
    for n in range(10):
        event = es.create_event(f"Party {n}", f"2026-03-{n + 1:02}")
        es.set_production_target(event.id, priced["brownies"].id, n + 1)
        es.assign_package_to_recipient(
            event.id, rcs.create_recipient(f"Guest {n}").id, priced["deluxe"].id
        )
    assert statements() == one


# Events; production and assembly targets with what was done (one UNION ALL); package counts;
# the two actual-cost sums (one UNION ALL); packaging compositions; the recipe trees (components
# and lines, one recursive query); the ingredients with their custom units and the purchase that
# prices each. (Lots are read only for an ingredient that was never bought.)
DASHBOARD_STATEMENTS = 7  # queries; SQLite's explicit BEGIN is not counted (PostgreSQL has none)


def _dashboard_statements(include_past: bool = True) -> list[str]:
    seen: list[str] = []
    engine = db.SessionLocal.kw["bind"]

    def listener(_conn, _cursor, statement, *_rest) -> None:
        if statement.strip().upper() != "BEGIN":
            seen.append(statement)

    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        ds.get_dashboard_summary(include_past=include_past, today=TODAY)
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    return seen


def test_statement_count_is_pinned_and_has_no_n_plus_1(priced):
    christmas, easter = priced["christmas"].id, priced["easter"].id
    cookies, cookie, gift = priced["cookies"].id, priced["cookie"].id, priced["gift"].id
    es.set_production_target(christmas, cookies, 2)
    es.set_assembly_target(christmas, gift, 1)
    es.assign_package_to_recipient(christmas, priced["alice"].id, priced["deluxe"].id)
    bps.record_batch_production(cookies, cookie, 1, 48, event_id=christmas)
    asv.record_assembly(gift, 1, event_id=christmas)
    assert len(_dashboard_statements()) == DASHBOARD_STATEMENTS
    # More goods, each with its own packaging ingredient, and more recipes: still the same count.
    for n in range(4):
        box = cs.create_ingredient(
            f"Box {n}", category="Boxes", recipe_unit="box", is_packaging=True
        )
        product = cs.create_product(box.slug, purchase_unit="box", purchase_quantity=10)
        inv.record_purchase(product.id, quantity=10, total_cost="5.00", purchase_date="2025-02-01")
        good = fgs.create_finished_good(f"Boxed cookies {n}", assembly_type="gift_box")
        fgs.add_component(good.id, "finished_unit", cookie, 6)
        fgs.add_component(good.id, "packaging", product.id, 1)
        fgs.add_component(good.id, "packaging", priced["bags"].id, 2)
        es.set_assembly_target(easter, good.id, n + 1)
    es.set_production_target(easter, priced["brownies"].id, 3)
    assert len(_dashboard_statements()) == DASHBOARD_STATEMENTS
    (_, row) = ds.get_dashboard_summary(include_past=True, today=TODAY)
    # 3 × $1.70 of brownies; 10 boxed goods, each a $0.50 box and two $0.10 bags
    assert row.planned_cost == D("5.1000") + 10 * (D("0.5000") + 2 * D("0.1000"))


@pytest.mark.parametrize("missing", [99_999, 2**63, None, "1"])
def test_cost_breakdown_of_no_event_is_refused_and_of_an_event_without_targets_empty(
    priced, missing
):
    # The breakdown asks whether the event exists only when it has no production target.
    assert ds.get_recipe_cost_breakdown(priced["easter"].id) == []
    with pytest.raises(EventNotFoundError):
        ds.get_recipe_cost_breakdown(missing)
