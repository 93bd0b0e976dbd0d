"""batch_production_service: the spec's scenarios 16-27, atomicity, void and statement counts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import event as sa_event

from bake_tracker import db
from bake_tracker.core import units
from bake_tracker.models import (
    FinishedUnitLot,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
)
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_stock
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipe_service as rs
from bake_tracker.services.errors import (
    EventNotFoundError,
    FinishedUnitNotFoundError,
    FinishedUnitRecipeMismatchError,
    InsufficientInventoryError,
    ProductionRunNotFoundError,
    RecipeNotFoundError,
    RunInUseError,
    ValidationError,
)
from tests.services.conftest import count_rows, cup_ingredient


def pantry() -> list[D]:
    return [lot.quantity for lot in inv.get_inventory_items(include_empty=True)]


def stock(unit_id: int) -> int:
    return fus.get_finished_unit(unit_id).inventory_count


def snapshot(unit_id: int) -> tuple:
    """Everything a production run may touch."""
    return (
        pantry(),
        stock(unit_id),
        count_rows(ProductionRun),
        count_rows(ProductionConsumption),
        count_rows(ProductionConsumptionLot),
        count_rows(FinishedUnitLot),
    )


def test_scenario_16_17_availability(cookie):
    recipe, _ = cookie
    ok = bps.check_can_produce(recipe.id, 2)
    assert ok.can_produce and ok.missing == [] and [i.sufficient for i in ok.items] == [True, True]
    short = bps.check_can_produce(recipe.id, 10)
    assert not short.can_produce
    assert [(m.ingredient_slug, m.needed, m.available, m.unit) for m in short.missing] == [
        ("flour", D(20), D(10), "cup"),
        ("sugar", D(10), D(5), "cup"),
    ]


def test_scenario_18_two_batches(cookie):
    recipe, unit = cookie
    result = bps.record_batch_production(recipe.id, unit.id, 2, 92)
    assert (result.expected_yield, result.actual_yield) == (96, 92)
    assert (result.total_ingredient_cost, result.per_unit_cost) == (D("3.2000"), D("0.0348"))
    assert [
        (c.ingredient_slug, c.quantity_consumed, c.total_cost) for c in result.consumptions
    ] == [
        ("flour", D(4), D("2.0000")),
        ("sugar", D(2), D("1.2000")),
    ]
    assert result.event_id is None
    assert pantry() == [D(6), D(3)] and stock(unit.id) == 92
    run = bps.get_production_run(result.production_run_id)
    assert [len(c.lots) for c in run.consumptions] == [1, 1]
    assert fus.get_finished_unit(unit.id).unit_cost == D("0.0348")


def test_scenario_19_failed_batch(cookie):
    recipe, unit = cookie
    result = bps.record_batch_production(recipe.id, unit.id, 1, 0)
    assert (result.total_ingredient_cost, result.per_unit_cost) == (D("1.6000"), D(0))
    assert pantry() == [D(8), D(4)] and stock(unit.id) == 0
    assert count_rows(FinishedUnitLot) == 0  # no output, no lot


def test_scenario_20_more_than_expected(cookie):
    recipe, unit = cookie
    result = bps.record_batch_production(recipe.id, unit.id, 1, 60)
    assert (result.expected_yield, result.actual_yield, result.per_unit_cost) == (
        48,
        60,
        D("0.0267"),
    )


def test_scenario_21_short_lists_every_line_and_changes_nothing(cookie):
    recipe, unit = cookie
    before = snapshot(unit.id)
    with pytest.raises(InsufficientInventoryError) as excinfo:
        bps.record_batch_production(recipe.id, unit.id, 6, 200)
    assert [(s.ingredient_slug, s.needed, s.available) for s in excinfo.value.shortages] == [
        ("flour", D(12), D(10)),
        ("sugar", D(6), D(5)),
    ]
    assert snapshot(unit.id) == before


def test_scenario_22_two_flour_lots(engine):
    cup_ingredient("Flour", [("2024-01-01", "3", "0.50"), ("2024-02-01", "10", "0.80")])
    cup_ingredient("Sugar", [("2024-01-01", "5", "0.60")])
    recipe = rs.create_recipe(
        "Cookies",
        category="Cookies",
        yield_quantity=48,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )
    unit = fus.create_finished_unit("Cookie", recipe.id, items_per_batch=48)
    result = bps.record_batch_production(recipe.id, unit.id, 2, 96)
    assert pantry() == [D(0), D(3), D(9)]  # FIFO order across ingredients: by date, then id
    assert result.consumptions[0].total_cost == D("2.3000")
    assert (result.total_ingredient_cost, result.per_unit_cost) == (D("3.5000"), D("0.0365"))


def test_scenario_23_grams_in_the_recipe_pounds_in_the_pantry(engine):
    flour = cs.create_ingredient(
        "Flour",
        category="Flour",
        recipe_unit="cup",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value=120,
        density_weight_unit="g",
    )
    product = cs.create_product(flour.slug, purchase_unit="lb", purchase_quantity=5)
    inv.add_to_inventory(product.id, quantity=5, unit_cost="0.80", purchase_date="2025-01-01")
    bread = rs.create_recipe(
        "Bread",
        category="Breads",
        yield_quantity=1,
        yield_unit="loaf",
        ingredients=[("flour", 480, "g")],
    )
    loaf = fus.create_finished_unit("Loaf", bread.id, items_per_batch=1)
    result = bps.record_batch_production(bread.id, loaf.id, 1, 1)
    (line,) = result.consumptions
    assert (line.quantity_consumed, line.unit, line.total_cost) == (D(4), "cup", D("0.8464"))
    assert (line.lots[0].quantity, line.lots[0].unit) == (D("1.058"), "lb")
    assert pantry() == [D("3.942")]


def test_scenario_24_sub_recipe_lines_are_consumed(engine):
    for name in ("Flour", "Sugar", "Powdered Sugar"):
        cup_ingredient(name, [("2025-01-01", "10", "1")])
    meringue = cs.create_ingredient("Meringue Powder", category="Misc", recipe_unit="tbsp")
    product = cs.create_product(meringue.slug, purchase_unit="tbsp", purchase_quantity=10)
    inv.add_to_inventory(product.id, quantity=10, unit_cost="0.10", purchase_date="2025-01-01")
    icing = rs.create_recipe(
        "Royal Icing",
        category="Other",
        yield_quantity=2,
        yield_unit="cup",
        ingredients=[("powdered_sugar", 4, "cup"), ("meringue_powder", 3, "tbsp")],
    )
    cookies = rs.create_recipe(
        "Decorated Sugar Cookies",
        category="Cookies",
        yield_quantity=24,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )
    rs.add_recipe_component(cookies.id, icing.id, quantity="0.5")
    unit = fus.create_finished_unit("Decorated Cookie", cookies.id, items_per_batch=24)
    result = bps.record_batch_production(cookies.id, unit.id, 1, 24)
    assert {c.ingredient_slug: c.quantity_consumed for c in result.consumptions} == {
        "flour": D(2),
        "sugar": D(1),
        "powdered_sugar": D(2),
        "meringue_powder": D("1.5"),
    }


def test_scenario_25_26_wrong_ids_raise_before_anything_changes(cookie, christmas):
    recipe, unit = cookie
    other = rs.create_recipe("Other", category="Other", yield_quantity=1, yield_unit="x")
    stranger = fus.create_finished_unit("Stranger", other.id, items_per_batch=1)
    before = snapshot(unit.id)
    with pytest.raises(FinishedUnitRecipeMismatchError):
        bps.record_batch_production(recipe.id, stranger.id, 1, 1)
    with pytest.raises(RecipeNotFoundError):
        bps.record_batch_production(999, unit.id, 1, 1)
    with pytest.raises(FinishedUnitNotFoundError):
        bps.record_batch_production(recipe.id, 999, 1, 1)
    with pytest.raises(EventNotFoundError):
        bps.record_batch_production(recipe.id, unit.id, 1, 1, event_id=999)
    assert snapshot(unit.id) == before
    attributed = bps.record_batch_production(recipe.id, unit.id, 1, 48, event_id=christmas)
    assert attributed.event_id == christmas
    assert bps.get_production_history(event_id=christmas)[0].event_name == "Christmas 2025"


@pytest.mark.parametrize(
    ("batches", "good", "extra", "message"),
    [
        (0, 1, {}, "Batch count is too small"),
        (-1, 1, {}, "Batch count is too small"),
        ("x", 1, {}, "Batch count must be a number"),
        (1.0, 1, {}, "must be a number, not float"),
        (1, -1, {}, "Actual yield must not be negative"),
        (1, 40, {"loss_quantity": 8}, "Loss needs a reason"),
        (1, 40, {"loss_quantity": 8, "loss_category": "dropped"}, "Loss reason must be one of"),
        (1, 40, {"produced_at": datetime(2025, 12, 1, 9, 0)}, "must include a time zone"),
    ],
)
def test_bad_input_changes_nothing(cookie, batches, good, extra, message):
    recipe, unit = cookie
    before = snapshot(unit.id)
    with pytest.raises(ValidationError, match=message):
        bps.record_batch_production(recipe.id, unit.id, batches, good, **extra)
    assert snapshot(unit.id) == before


def test_loss_is_recorded_and_not_subtracted_again(cookie):
    recipe, unit = cookie
    result = bps.record_batch_production(
        recipe.id, unit.id, 1, 40, loss_quantity=8, loss_category="burnt"
    )
    run = bps.get_production_run(result.production_run_id)
    assert (run.actual_yield, run.loss_quantity, run.loss_category, run.yield_variance) == (
        40,
        8,
        "burnt",
        8,
    )
    assert stock(unit.id) == 40


def test_a_failure_after_the_draws_leaves_everything_as_it_was(cookie, monkeypatch):
    """The cosmicpython test_uow shape: consumption started, then a later step fails."""
    recipe, unit = cookie
    before = snapshot(unit.id)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full while adding the output lot")

    monkeypatch.setattr(finished_stock, "add_lot", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        bps.record_batch_production(recipe.id, unit.id, 2, 96)
    assert snapshot(unit.id) == before


def test_an_outer_session_is_neither_committed_nor_closed(cookie):
    recipe, unit = cookie
    with db.SessionLocal() as outer:
        bps.record_batch_production(recipe.id, unit.id, 1, 48, session=outer)
        assert outer.in_transaction() and outer.is_active
        outer.rollback()
    assert count_rows(ProductionRun) == 0 and pantry() == [D(10), D(5)]


def test_scenario_27_history_filters_and_paging(cookie):
    recipe, unit = cookie
    for day in (1, 5, 10):
        bps.record_batch_production(
            recipe.id, unit.id, 1, 48, produced_at=datetime(2025, 12, day, 12, tzinfo=UTC)
        )
    first = bps.get_production_history(start_date="2025-12-02", end_date="2025-12-10", limit=1)
    assert [r.produced_at.day for r in first] == [10]
    second = bps.get_production_history(
        start_date="2025-12-02", end_date="2025-12-10", limit=1, offset=1
    )
    assert [r.produced_at.day for r in second] == [5]
    assert bps.get_production_history()[0].consumptions == []
    assert len(bps.get_production_history(include_consumptions=True)[0].consumptions) == 2
    with pytest.raises(ProductionRunNotFoundError):
        bps.get_production_run(999)
    with pytest.raises(ValidationError, match="End date cannot be before"):
        bps.get_production_history(start_date="2025-12-10", end_date="2025-12-01")


def test_void_restores_every_lot_exactly(engine):
    cup_ingredient("Flour", [("2024-01-01", "3", "0.50"), ("2024-02-01", "10", "0.80")])
    recipe = rs.create_recipe(
        "Shortbread",
        category="Cookies",
        yield_quantity=10,
        yield_unit="piece",
        ingredients=[("flour", "2.5", "cup")],
    )
    unit = fus.create_finished_unit("Shortbread piece", recipe.id, items_per_batch=10)
    before = pantry()
    run = bps.record_batch_production(recipe.id, unit.id, 2, 10)
    assert pantry() == [D(0), D(8)]
    voided = bps.void_production_run(run.production_run_id, reason="entered twice")
    assert pantry() == before and stock(unit.id) == 0
    assert (voided.void_reason, voided.voided_at is not None) == ("entered twice", True)
    assert bps.get_production_history() == []
    assert len(bps.get_production_history(include_voided=True)) == 1
    with pytest.raises(ValidationError, match="already voided"):
        bps.void_production_run(run.production_run_id, reason="again")
    with pytest.raises(ValidationError, match="Reason is required"):
        bps.void_production_run(run.production_run_id, reason=" ")


def test_void_is_refused_once_the_output_was_used(cookie):
    recipe, unit = cookie
    run = bps.record_batch_production(recipe.id, unit.id, 1, 48)
    fus.adjust_inventory(unit.id, -2, reason="gift")
    refusal = bps.check_void_production_run(run.production_run_id)
    with pytest.raises(RunInUseError, match="manual adjustment") as raised:
        bps.void_production_run(run.production_run_id, reason="mistake")
    assert refusal == str(raised.value)  # the check says what the void would say
    assert stock(unit.id) == 46 and pantry() == [D(8), D(4)]


def test_the_void_check_says_yes_or_why_not(cookie):
    recipe, unit = cookie
    run = bps.record_batch_production(recipe.id, unit.id, 1, 48)
    assert bps.check_void_production_run(run.production_run_id) is None
    bps.void_production_run(run.production_run_id, reason="twice")
    assert "already voided" in bps.check_void_production_run(run.production_run_id)
    with pytest.raises(ProductionRunNotFoundError):
        bps.check_void_production_run(999_999)


def test_statements_do_not_grow_with_lots_or_history(cookie):
    recipe, unit = cookie

    def statements_for_one_run() -> int:
        seen: list[str] = []
        engine = db.SessionLocal.kw["bind"]
        listener = lambda *a: seen.append(a[2])  # noqa: E731
        sa_event.listen(engine, "before_cursor_execute", listener)
        try:
            bps.record_batch_production(recipe.id, unit.id, 1, 48)
        finally:
            sa_event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    first = statements_for_one_run()
    flour = inv.get_inventory_items(ingredient_slug="flour")[0]
    for day in range(1, 29):  # many more lots...
        inv.add_to_inventory(
            flour.product_id, quantity="0.5", unit_cost="0.5", purchase_date=f"2024-03-{day:02}"
        )
    sugar = inv.get_inventory_items(ingredient_slug="sugar")[0]
    inv.add_to_inventory(sugar.product_id, quantity=10, unit_cost="0.6", purchase_date="2024-03-01")
    for _ in range(5):  # ...and more history
        bps.record_batch_production(recipe.id, unit.id, 1, 48)
    assert statements_for_one_run() == first
    assert first <= 20


def test_check_can_produce_reads_the_pantry_once_in_a_fixed_number_of_statements(cookie):
    recipe, _ = cookie

    def statements() -> list[str]:
        seen: list[str] = []
        engine = db.SessionLocal.kw["bind"]
        listener = lambda *a: seen.append(a[2])  # noqa: E731
        sa_event.listen(engine, "before_cursor_execute", listener)
        try:
            availability = bps.check_can_produce(recipe.id, 3)
        finally:
            sa_event.remove(engine, "before_cursor_execute", listener)
        assert availability.items
        return seen

    first = statements()
    flour = inv.get_inventory_items(ingredient_slug="flour")[0]
    for day in range(1, 15):
        inv.add_to_inventory(
            flour.product_id, quantity="0.5", unit_cost="0.5", purchase_date=f"2024-03-{day:02}"
        )
    again = statements()
    assert len(again) == len(first) <= 6
    # One pantry read whatever the lots: the stored totals of the products (one row each); no
    # lot is read when the totals decide; 14 more lots of flour change neither.
    assert sum("product_stock_totals" in s for s in again) == 1
    assert not any("inventory_items" in s for s in again)


def _statements_of(call) -> tuple[object, list[str]]:
    seen: list[str] = []
    engine = db.SessionLocal.kw["bind"]
    listener = lambda *a: seen.append(a[2])  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        return call(), seen
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)


@pytest.mark.parametrize(
    ("off_by", "sufficient", "lots_read"),
    [
        ("-0.0007", False, False),  # short by 0.0007 cups: decided by the totals
        ("-0.00052", False, False),  # short by 0.00052: the shortfall rounds to 0.001
        ("-0.0004", True, True),  # short by 0.0004: rounds to 0.000, so the plan is satisfied
        ("-0.0001", True, True),
        ("0.0001", True, False),
        ("1", True, False),
    ],
)
def test_check_can_produce_answers_as_the_plan_near_the_edge(engine, off_by, sufficient, lots_read):
    """Milk bought in teaspoons (a conversion that does not terminate), 4 cups needed, the pantry
    holding 4 cups + ``off_by`` (to the teaspoon's 3 places) in three lots: "sufficient" is what
    recording finds, to the rounding of the shortfall; lots are read only when the stored total
    is too near the edge to decide."""
    factor = units.conversion_factor("tsp", "cup")
    teaspoons = ((4 + D(off_by)) / factor.apply(D(1))).quantize(D("0.001"))
    milk = cs.create_ingredient("Milk", category="Misc", recipe_unit="cup")
    product = cs.create_product(milk.slug, purchase_unit="tsp", purchase_quantity=48)
    rest = teaspoons - 100
    for day, quantity in (("2024-01-01", "50"), ("2024-01-02", "50"), ("2024-01-03", rest)):
        inv.add_to_inventory(product.id, quantity=quantity, unit_cost="0.01", purchase_date=day)
    recipe = rs.create_recipe(
        "Pudding",
        category="Misc",
        yield_quantity=1,
        yield_unit="pot",
        ingredients=[("milk", 4, "cup")],
    )
    unit = fus.create_finished_unit("Pot of Pudding", recipe.id, items_per_batch=1)
    found, seen = _statements_of(lambda: bps.check_can_produce(recipe.id, 1))
    [item] = found.items
    assert item.available == factor.apply(teaspoons).quantize(D("0.001"), rounding="ROUND_HALF_UP")
    assert item.sufficient is sufficient
    assert any("inventory_items" in s for s in seen) is lots_read
    if item.sufficient:  # recording agrees
        bps.record_batch_production(recipe.id, unit.id, 1, 1)
    else:
        with pytest.raises(InsufficientInventoryError):
            bps.record_batch_production(recipe.id, unit.id, 1, 1)


def test_history_by_item_and_standalone(cookie, christmas):
    """The recipe, finished-unit, event and standalone filters combine; voided runs only when
    asked, newest first."""
    recipe, unit = cookie
    for day, event in ((1, christmas), (2, None), (3, None)):
        bps.record_batch_production(
            recipe.id,
            unit.id,
            1,
            48,
            event_id=event,
            produced_at=datetime(2025, 12, day, 12, tzinfo=UTC),
        )

    def days(**filters) -> list[int]:
        return [run.produced_at.day for run in bps.get_production_history(**filters)]

    assert (days(), days(standalone_only=True), days(event_id=christmas)) == (
        [3, 2, 1],
        [3, 2],
        [1],
    )
    assert (days(recipe_id=recipe.id), days(recipe_id=recipe.id + 1)) == ([3, 2, 1], [])
    assert (days(finished_unit_id=unit.id), days(finished_unit_id=unit.id + 1)) == ([3, 2, 1], [])
    assert days(recipe_id=recipe.id, event_id=christmas, standalone_only=True) == []
    newest = bps.get_production_history(limit=1)[0]
    bps.void_production_run(newest.id, reason="entered twice")
    assert (days(), days(include_voided=True)) == ([2, 1], [3, 2, 1])
    with pytest.raises(ValidationError, match="Limit"):
        bps.get_production_history(limit=0)


def test_a_recipe_without_ingredient_lines_records_a_run_with_an_empty_ledger(gift_bag) -> None:
    unit = gift_bag["unit"]
    result = bps.record_batch_production(unit.recipe_id, unit.id, 1, 48)
    assert result.total_ingredient_cost == D("0")
    assert count_rows(ProductionRun) == 1
    assert count_rows(ProductionConsumption) == 0
    assert fus.get_finished_unit(unit.id).inventory_count == 148
