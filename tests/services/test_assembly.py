"""assembly_service: scenarios 28-35, FIFO cost through production, atomicity and void."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from bake_tracker import db
from bake_tracker.models import (
    AssemblyFinishedUnitConsumption,
    AssemblyPackagingConsumption,
    AssemblyRun,
    Composition,
    FinishedGoodLot,
)
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_stock
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipe_service as rs
from bake_tracker.services.errors import (
    AssemblyRunNotFoundError,
    DatabaseBusyError,
    EventNotFoundError,
    FinishedGoodNotFoundError,
    InsufficientFinishedGoodError,
    InsufficientFinishedUnitError,
    InsufficientPackagingError,
    RunInUseError,
    ValidationError,
)
from bake_tracker.services.runs import assembly_plan
from tests.services.conftest import count_rows, cup_ingredient


def cookies(bag) -> int:
    return fus.get_finished_unit(bag["unit"].id).inventory_count


def bags_left() -> list[D]:
    return [lot.quantity for lot in inv.get_inventory_items(ingredient_slug="cellophane_bags")]


def state(bag) -> tuple:
    return (
        cookies(bag),
        bags_left(),
        fgs.get_finished_good(bag["good"].id).inventory_count,
        count_rows(AssemblyRun),
        count_rows(AssemblyFinishedUnitConsumption),
        count_rows(AssemblyPackagingConsumption),
        count_rows(FinishedGoodLot),
    )


def test_scenarios_28_to_30_availability(gift_bag):
    good = gift_bag["good"].id
    ok = asv.check_can_assemble(good, 5)
    assert ok.can_assemble and ok.missing == []
    assert [(i.component_type, i.needed, i.available, i.unit) for i in ok.items] == [
        ("finished_unit", D(60), D(100), "each"),
        ("packaging", D(5), D(50), "bag"),
    ]
    short = asv.check_can_assemble(good, 10)
    assert [(m.component_name, m.needed, m.available) for m in short.missing] == [
        ("Sugar Cookie", D(120), D(100))
    ]
    inv.adjust_lot(
        inv.get_inventory_items(ingredient_slug="cellophane_bags")[0].id, -47, reason="lost"
    )
    (missing,) = asv.check_can_assemble(good, 5).missing
    assert (missing.component_type, missing.needed, missing.available, missing.unit) == (
        "packaging",
        D(5),
        D(3),
        "bag",
    )


def test_no_components_cannot_be_assembled(engine):
    empty = fgs.create_finished_good("Empty Box")
    availability = asv.check_can_assemble(empty.id, 1)
    assert not availability.can_assemble and "no components" in availability.reason
    with pytest.raises(ValidationError, match="no components"):
        asv.record_assembly(empty.id, 1)


def test_scenario_31_assemble_five(gift_bag):
    result = asv.record_assembly(gift_bag["good"].id, 5)
    assert cookies(gift_bag) == 40 and bags_left() == [D(45)]
    good = fgs.get_finished_good(gift_bag["good"].id)
    assert (good.inventory_count, good.unit_cost) == (5, D("3.1000"))
    (fu_line,) = result.finished_unit_consumptions
    (pkg_line,) = result.packaging_consumptions
    assert (fu_line.quantity_consumed, fu_line.total_cost) == (D(60), D("15.0000"))
    assert (pkg_line.quantity_consumed, pkg_line.unit, pkg_line.total_cost) == (
        D(5),
        "bag",
        D("0.5000"),
    )
    assert (result.total_component_cost, result.per_unit_cost) == (D("15.5000"), D("3.1000"))


def test_scenario_32_33_shortages_change_nothing(gift_bag):
    before = state(gift_bag)
    with pytest.raises(InsufficientFinishedUnitError) as excinfo:
        asv.record_assembly(gift_bag["good"].id, 100)
    assert (excinfo.value.needed, excinfo.value.available) == (1200, 100)
    inv.adjust_lot(
        inv.get_inventory_items(ingredient_slug="cellophane_bags")[0].id, -47, reason="lost"
    )
    before = state(gift_bag)
    with pytest.raises(InsufficientPackagingError) as excinfo:
        asv.record_assembly(gift_bag["good"].id, 5)
    assert (excinfo.value.needed, excinfo.value.available, excinfo.value.unit) == (
        D(5),
        D(3),
        "bag",
    )
    assert state(gift_bag) == before  # the cookies were never taken


def test_scenario_34_nested_good_and_its_ledger(gift_bag):
    asv.record_assembly(gift_bag["good"].id, 5)  # 5 gift bags at $3.10
    boxes = cs.create_ingredient(
        "Gift Boxes", category="Boxes", recipe_unit="box", is_packaging=True
    )
    box_product = cs.create_product(boxes.slug, purchase_unit="box", purchase_quantity=10)
    inv.add_to_inventory(box_product.id, quantity=10, unit_cost="1.00", purchase_date="2025-01-01")
    holiday = fgs.create_finished_good("Holiday Box")
    fgs.add_component(holiday.id, "finished_good", gift_bag["good"].id, 2)
    fgs.add_component(holiday.id, "packaging", box_product.id, 1)
    result = asv.record_assembly(holiday.id, 2)
    assert (result.total_component_cost, result.per_unit_cost) == (D("14.4000"), D("7.2000"))
    assert fgs.get_finished_good(gift_bag["good"].id).inventory_count == 1
    (nested,) = result.finished_good_consumptions
    assert (nested.quantity_consumed, nested.total_cost) == (D(4), D("12.4000"))
    run = asv.get_assembly_run(result.assembly_run_id)
    assert run.finished_good_consumptions[0].lots[0].quantity == 4


def test_scenario_35_packaging_that_is_not_packaging(gift_bag, session):
    _flour, product = cup_ingredient("Flour", [("2025-01-01", "10", "0.5")])
    # a composition row made behind the service's back (the service refuses to create it)
    session.add(
        Composition(
            assembly_id=gift_bag["good"].id, packaging_product_id=product.id, component_quantity=1
        )
    )
    session.commit()
    before = state(gift_bag)
    with pytest.raises(ValidationError, match="'Flour \\(generic\\)' is not packaging"):
        asv.record_assembly(gift_bag["good"].id, 1)
    assert state(gift_bag) == before
    with pytest.raises(FinishedGoodNotFoundError):
        asv.record_assembly(999, 1)


def test_units_from_two_production_runs_are_used_oldest_first(engine):
    """Cost flows from purchases through production into assembly, FIFO at every step."""
    cup_ingredient("Flour", [("2025-01-01", "2", "1.00"), ("2025-02-01", "2", "3.00")])
    recipe = rs.create_recipe(
        "Buns",
        category="Breads",
        yield_quantity=10,
        yield_unit="bun",
        ingredients=[("flour", 2, "cup")],
    )
    bun = fus.create_finished_unit("Bun", recipe.id, items_per_batch=10)
    cheap = bps.record_batch_production(
        recipe.id, bun.id, 1, 10, produced_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    dear = bps.record_batch_production(
        recipe.id, bun.id, 1, 10, produced_at=datetime(2025, 3, 2, tzinfo=UTC)
    )
    assert (cheap.per_unit_cost, dear.per_unit_cost) == (D("0.2000"), D("0.6000"))
    basket = fgs.create_finished_good("Bun Basket")
    fgs.add_component(basket.id, "finished_unit", bun.id, 6)
    first = asv.record_assembly(basket.id, 1)  # 6 of the cheap buns
    second = asv.record_assembly(basket.id, 1)  # 4 cheap + 2 dear
    assert first.total_component_cost == D("1.2000")
    assert second.total_component_cost == D("0.8000") + D("1.2000")
    assert [lot.quantity for lot in second.finished_unit_consumptions[0].lots] == [4, 2]
    # neither production run can be voided now: their buns are in baskets
    with pytest.raises(RunInUseError, match="assembly run #"):
        bps.void_production_run(cheap.production_run_id, reason="mistake")
    asv.void_assembly_run(second.assembly_run_id, reason="dropped the basket")
    bps.void_production_run(dear.production_run_id, reason="never baked")
    assert fus.get_finished_unit(bun.id).inventory_count == 4
    assert [lot.quantity for lot in inv.get_inventory_items(include_empty=True)] == [D(0), D(2)]


def test_a_failure_after_components_were_drawn_leaves_everything(gift_bag, monkeypatch):
    before = state(gift_bag)

    def explode(*args, **kwargs):
        raise RuntimeError("crash while adding the output lot")

    monkeypatch.setattr(finished_stock, "add_lot", explode)
    with pytest.raises(RuntimeError):
        asv.record_assembly(gift_bag["good"].id, 5)
    assert state(gift_bag) == before


def test_an_outer_session_is_not_committed(gift_bag):
    with db.SessionLocal() as outer:
        asv.record_assembly(gift_bag["good"].id, 1, session=outer)
        assert outer.in_transaction()
        outer.rollback()
    assert cookies(gift_bag) == 100 and count_rows(AssemblyRun) == 0


@pytest.mark.parametrize(
    ("quantity", "extra", "message"),
    [
        (0, {}, "too small"),
        ("two", {}, "must be a number"),
        (1, {"assembled_at": datetime(2025, 1, 1)}, "time zone"),
        (1, {"notes": "x" * 2001}, "too long"),
    ],
)
def test_bad_input_changes_nothing(gift_bag, quantity, extra, message):
    before = state(gift_bag)
    with pytest.raises(ValidationError, match=message):
        asv.record_assembly(gift_bag["good"].id, quantity, **extra)
    assert state(gift_bag) == before


@pytest.mark.parametrize("event_id", [42, 0, -1, "x", True, 2**40])
def test_unknown_event(gift_bag, christmas, event_id):
    """Checked in the good's own read: an id of no event, or no id at all, saves nothing."""
    before = state(gift_bag)
    with pytest.raises(EventNotFoundError):
        asv.record_assembly(gift_bag["good"].id, 1, event_id=event_id)
    assert state(gift_bag) == before
    assert asv.record_assembly(gift_bag["good"].id, 1, event_id=christmas).event_id == christmas


def test_custom_units_are_read_with_the_good_once_per_ingredient(gift_bag):
    """Two packaging rows of one ingredient with two custom units: the good's one read gives the
    ingredient once, with each custom unit once, in the order they were added."""
    tissue = cs.create_ingredient("Tissue", category="Bags", recipe_unit="each", is_packaging=True)
    for unit, each in (("box", 20), ("pack", 5)):
        cs.add_unit_conversion(
            tissue.slug, from_unit=unit, from_quantity=1, to_unit="each", to_quantity=each
        )
        product = cs.create_product(tissue.slug, purchase_unit=unit, purchase_quantity=1)
        inv.add_to_inventory(product.id, quantity=2, unit_cost="1.00", purchase_date="2025-01-01")
        fgs.add_component(gift_bag["good"].id, "packaging", product.id, 3)
    with db.session_scope() as s:
        good = assembly_plan.load_good(s, gift_bag["good"].id)
    box_row, pack_row = good.components[2:]
    assert box_row.product.ingredient is pack_row.product.ingredient
    conversions = box_row.product.ingredient.unit_conversions
    assert [(c.from_unit, c.to_quantity) for c in conversions] == [("box", 20), ("package", 5)]
    assert [len(good.components), good.event_id] == [4, None]
    items = asv.check_can_assemble(gift_bag["good"].id, 2).items  # 2 boxes and 2 packs: 50 each
    assert [(i.needed, i.available) for i in items[2:]] == [(D(6), D(50)), (D(6), D(44))]


def test_void_restores_exactly_and_history(gift_bag, christmas):
    before = state(gift_bag)
    run = asv.record_assembly(gift_bag["good"].id, 3, event_id=christmas, notes="first try")
    listed = asv.get_assembly_history(event_id=christmas)
    assert [(r.quantity_assembled, r.event_name, r.notes) for r in listed] == [
        (3, "Christmas 2025", "first try")
    ]
    voided = asv.void_assembly_run(run.assembly_run_id, reason="wrong box")
    assert voided.void_reason == "wrong box"
    after = state(gift_bag)
    assert after[:3] == before[:3]  # cookies, bags and gift bags back exactly
    assert asv.get_assembly_history() == []
    assert asv.get_assembly_history(include_voided=True)[0].voided_at is not None
    with pytest.raises(ValidationError, match="already voided"):
        asv.void_assembly_run(run.assembly_run_id, reason="again")
    with pytest.raises(AssemblyRunNotFoundError):
        asv.get_assembly_run(999)


def test_void_is_refused_when_the_output_went_into_another_good(gift_bag):
    run = asv.record_assembly(gift_bag["good"].id, 2)
    crate = fgs.create_finished_good("Crate")
    fgs.add_component(crate.id, "finished_good", gift_bag["good"].id, 1)
    asv.record_assembly(crate.id, 1)
    with pytest.raises(RunInUseError, match="assembly run #"):
        asv.void_assembly_run(run.assembly_run_id, reason="oops")


def test_nested_stock_shortage(gift_bag):
    crate = fgs.create_finished_good("Crate")
    fgs.add_component(crate.id, "finished_good", gift_bag["good"].id, 1)
    with pytest.raises(InsufficientFinishedGoodError):
        asv.record_assembly(crate.id, 1)


def _statements(engine, call) -> list[str]:
    from sqlalchemy import event as sa_event

    seen: list[str] = []
    listener = lambda *a: seen.append(a[2])  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    return seen


def test_statements_do_not_grow_with_components_or_lots(gift_bag, engine):
    good = gift_bag["good"].id
    small_check = len(_statements(engine, lambda: asv.check_can_assemble(good, 1)))
    small_record = len(_statements(engine, lambda: asv.record_assembly(good, 1)))
    for name in ("Ginger Snap", "Lemon Bar", "Brownie Bite"):  # more units, each with many lots
        unit = fus.create_finished_unit(name, gift_bag["recipe"].id, items_per_batch=48)
        for cost in ("0.20", "0.30", "0.40", "0.50"):
            fus.adjust_inventory(unit.id, 5, reason="count_correction", unit_cost=cost)
        fgs.add_component(good, "finished_unit", unit.id, 3)
    tissue = cs.create_ingredient("Tissue", category="Bags", recipe_unit="each", is_packaging=True)
    sheets = cs.create_product(tissue.slug, purchase_unit="each", purchase_quantity=100)
    for day in range(1, 6):
        inv.add_to_inventory(
            sheets.id, quantity=1, unit_cost="0.05", purchase_date=f"2025-01-0{day}"
        )
    fgs.add_component(good, "packaging", sheets.id, 2)
    check = _statements(engine, lambda: asv.check_can_assemble(good, 2))
    record = _statements(engine, lambda: asv.record_assembly(good, 2))  # draws 2+ lots per unit
    assert (len(check), len(record)) == (small_check, small_record)
    assert len(check) <= 5 and len(record) <= 20  # the good in 2, its lots in 2, and BEGIN
    updates = [s for s in record if s.lstrip().upper().startswith("UPDATE")]
    # unit lots, unit counts, pantry lots, their products' stock totals, the good's count
    assert len(updates) == 5


def test_a_check_reads_the_stored_counts_and_totals_never_a_lot(gift_bag, engine):
    """check_can_assemble decides from the finished unit's count and the bags' stored stock total
    (the figures a plan reports as available), in two statements."""
    good = gift_bag["good"].id
    check = _statements(engine, lambda: asv.check_can_assemble(good, 1))
    lot_tables = ("finished_unit_lots", "finished_good_lots", "inventory_items")
    assert [s for s in check if any(table in s for table in lot_tables)] == []
    reads = [s for s in check if not s.startswith("BEGIN")]  # SQLite's own BEGIN
    assert len(reads) == 2  # the good (with its packaging's custom units), the stock totals
    with db.session_scope() as s:
        planned = assembly_plan.plan(s, assembly_plan.load_good(s, good), 9)
    expected = [(p.row.component_id, p.needed, p.available) for p in planned]
    items = asv.check_can_assemble(good, 9).items
    assert [(i.component_id, i.needed, i.available) for i in items] == expected


def test_two_packaging_rows_of_one_ingredient_share_its_lots_in_a_check(gift_bag):
    """The second row of an ingredient sees only what the first row's plan leaves (bags are bags:
    either product's lots serve both rows), as recording would draw them."""
    big_bags = cs.create_product("cellophane_bags", purchase_unit="bag", purchase_quantity=10)
    inv.add_to_inventory(big_bags.id, quantity=4, unit_cost="0.20", purchase_date="2025-02-01")
    fgs.add_component(gift_bag["good"].id, "packaging", big_bags.id, 3)
    items = asv.check_can_assemble(gift_bag["good"].id, 5).items
    # 54 bags in all: the first row plans 5 of them, the second needs 15 of the 49 left
    assert [(i.component_type, i.needed, i.available) for i in items] == [
        ("finished_unit", D(60), D(100)),
        ("packaging", D(5), D(54)),
        ("packaging", D(15), D(49)),
    ]
    short = asv.check_can_assemble(gift_bag["good"].id, 13)  # 13 + 39 bags of 54: enough
    assert [(i.needed, i.available) for i in short.items[1:]] == [(D(13), D(54)), (D(39), D(41))]
    assert [m.component_type for m in short.missing] == ["finished_unit"]  # 156 cookies of 100


def test_a_finished_lot_drawn_by_someone_else_is_never_overdrawn(gift_bag, monkeypatch):
    """Planned from a read; if another workstation emptied the lot meanwhile, nothing is saved."""
    real_apply = finished_stock.apply_many

    def someone_else_draws_first(session, item_type, plans):
        from sqlalchemy import update

        from bake_tracker.models import FinishedUnitLot

        session.execute(update(FinishedUnitLot).values(quantity_remaining=1, remaining_cost=0))
        real_apply(session, item_type, plans)

    monkeypatch.setattr(finished_stock, "apply_many", someone_else_draws_first)
    before = state(gift_bag)
    with pytest.raises(DatabaseBusyError, match="Nothing was saved"):
        asv.record_assembly(gift_bag["good"].id, 5)
    assert state(gift_bag) == before


def test_a_drawn_finished_lot_keeps_its_exact_cost_and_is_stamped(gift_bag):
    """The guarded draw goes in stored form: the lot's remaining cost falls by exactly what the
    run's ledger says it cost, and its ``updated_at`` moves as any ORM update would move it."""
    from sqlalchemy import update

    from bake_tracker.models import FinishedUnitLot

    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    with db.session_scope() as s:
        s.execute(update(FinishedUnitLot).values(updated_at=long_ago))
        before = {lot.id: lot.remaining_cost for lot in s.scalars(select(FinishedUnitLot))}
    result = asv.record_assembly(gift_bag["good"].id, 5)
    (line,) = result.finished_unit_consumptions
    with db.session_scope() as s:
        after = {lot.id: lot for lot in s.scalars(select(FinishedUnitLot))}
        for draw in line.lots:
            lot = after[draw.lot_id]
            assert lot.remaining_cost == before[draw.lot_id] - draw.cost
            assert lot.updated_at > long_ago
        untouched = set(after) - {draw.lot_id for draw in line.lots}
        assert all(after[i].updated_at == long_ago for i in untouched)


def test_custom_unit_packaging_in_sort_order_with_brand_names(gift_bag, session):
    """The good's rows are read in their sort order; a packaging ingredient's custom units and its
    product's brand are read with it."""
    tissue = cs.create_ingredient("Tissue", category="Bags", recipe_unit="each", is_packaging=True)
    cs.add_unit_conversion(
        tissue.slug, from_unit="box", from_quantity=1, to_unit="each", to_quantity=20
    )
    sheets = cs.create_product(
        tissue.slug, purchase_unit="box", purchase_quantity=1, brand="Acme", package_type="box"
    )
    inv.add_to_inventory(sheets.id, quantity=2, unit_cost="4.00", purchase_date="2025-01-01")
    good = gift_bag["good"].id
    fgs.add_component(good, "packaging", sheets.id, 3)
    cookie_row = session.scalar(
        select(Composition).where(Composition.finished_unit_id.is_not(None))
    )
    cookie_row.sort_order = 7  # now last
    session.commit()
    check = asv.check_can_assemble(good, 5)
    assert [(i.component_name, i.needed, i.available, i.unit) for i in check.items] == [
        ("Cellophane Bags (generic)", D(5), D(50), "bag"),
        ("Acme box", D(15), D(40), "each"),  # 2 boxes of 20 sheets
        ("Sugar Cookie", D(60), D(100), "each"),
    ]
    result = asv.record_assembly(good, 5)
    tissue_line = result.packaging_consumptions[1]
    assert (tissue_line.component_name, tissue_line.quantity_consumed) == ("Acme box", D(15))
    assert [(d.quantity, d.unit, d.cost) for d in tissue_line.lots] == [
        (D("0.750"), "box", D("3.0000"))
    ]


def test_reads_the_good_as_plain_rows_and_sees_pending_changes(gift_bag, session):
    """No ORM object is loaded for a check, and rows added but not yet flushed in the caller's
    session are part of it."""
    crate = fgs.create_finished_good("Cookie Crate")
    session.add(
        Composition(
            assembly_id=crate.id, finished_unit_id=gift_bag["unit"].id, component_quantity=24
        )
    )
    (item,) = asv.check_can_assemble(crate.id, 2, session=session).items
    assert (item.component_name, item.needed, item.available) == ("Sugar Cookie", D(48), D(100))
    session.rollback()
    loaded: list = []
    sa_event.listen(session, "loaded_as_persistent", lambda _s, obj: loaded.append(obj))
    assert asv.check_can_assemble(gift_bag["good"].id, 1, session=session).can_assemble
    assert loaded == []


def test_history_filters_window_paging_and_ledgers(gift_bag, christmas):
    """Every filter of the assembly history, its UTC date window, paging and the ledgers."""
    good = gift_bag["good"].id
    for day, event in ((1, None), (5, christmas), (10, None)):
        asv.record_assembly(
            good, 1, event_id=event, assembled_at=datetime(2025, 12, day, 23, 30, tzinfo=UTC)
        )
    window = {"start_date": "2025-12-02", "end_date": "2025-12-10"}

    def days(**filters) -> list[int]:
        return [run.assembled_at.day for run in asv.get_assembly_history(**filters)]

    assert days() == [10, 5, 1]
    assert (days(**window, limit=1), days(**window, limit=1, offset=1)) == ([10], [5])
    assert (days(standalone_only=True), days(event_id=christmas)) == ([10, 1], [5])
    assert (days(finished_good_id=good), days(finished_good_id=good + 1)) == ([10, 5, 1], [])
    newest, *_ = asv.get_assembly_history(include_consumptions=True)
    assert newest.finished_good_name == "Cookie Gift Bag" and newest.event_name is None
    (packaging,) = newest.packaging_consumptions
    assert (packaging.component_name, packaging.lots[0].quantity) == (
        "Cellophane Bags (generic)",
        D(1),
    )
    assert asv.get_assembly_history()[0].packaging_consumptions == []
    with pytest.raises(ValidationError) as bad:
        asv.get_assembly_history(start_date="2025-12-10", end_date="2025-12-01", offset=-1)
    assert "End date cannot be before" in str(bad.value) and "Offset" in str(bad.value)
