"""inventory_service: purchases create costed lots; FIFO consumption is exact and all-or-nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import event, func, select, update

from bake_tracker import db
from bake_tracker.models import InventoryItem, Purchase, StockAdjustment
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services.errors import (
    DatabaseBusyError,
    IngredientNotFoundError,
    InsufficientInventoryError,
    LotNotFoundError,
    ProductNotFoundError,
    UnitConversionError,
    ValidationError,
)


def _count(model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def _quantities() -> list[D]:
    return [lot.quantity for lot in inv.get_inventory_items(include_empty=True)]


@pytest.fixture
def rye(engine):
    """Rye flour measured in cups, bought by the pound: exactly 4 cups per pound (scenario 5)."""
    made = cs.create_ingredient(
        "Rye Flour",
        category="Flour",
        recipe_unit="cup",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value="113.398",
        density_weight_unit="g",
    )
    product = cs.create_product(made.slug, purchase_unit="lb", purchase_quantity=25)
    for day, pounds in (("2025-01-01", 10), ("2025-01-15", 15), ("2025-02-01", 20)):
        inv.add_to_inventory(product.id, quantity=pounds, unit_cost="0.50", purchase_date=day)
    return product


@pytest.fixture
def cups(engine):
    """Flour in cups with two lots (scenario 22)."""
    made = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    product = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=20)
    inv.add_to_inventory(product.id, quantity=3, unit_cost="0.50", purchase_date="2024-01-01")
    inv.add_to_inventory(product.id, quantity=10, unit_cost="0.80", purchase_date="2024-02-01")
    return product


def test_a_purchase_creates_its_lot_at_the_purchase_unit_cost(engine):
    made = cs.create_ingredient("Sugar", category="Sugar", recipe_unit="lb")
    product = cs.create_product(made.slug, purchase_unit="lb", purchase_quantity=25)
    bought = inv.record_purchase(
        product.id,
        quantity=25,
        total_cost="18.99",
        purchase_date=date(2025, 11, 1),
        expiration_date="2026-11-01",
        location="Pantry shelf",
        supplier="Costco",
    )
    assert bought.unit_cost == D("0.7596")
    lot = inv.get_lot(bought.inventory_item_id)
    assert (lot.quantity, lot.unit, lot.unit_cost, lot.value) == (
        D(25),
        "lb",
        D("0.7596"),
        D("18.99"),
    )
    assert lot.location == "Pantry shelf" and lot.expiration_date == date(2026, 11, 1)
    assert inv.list_locations() == ["Pantry shelf"]


def test_purchase_date_defaults_to_today(engine):
    made = cs.create_ingredient("Salt", category="Spices", recipe_unit="tsp")
    product = cs.create_product(made.slug, purchase_unit="tsp", purchase_quantity=100)
    assert inv.record_purchase(product.id, quantity=1, total_cost=1).purchase_date == date.today()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"quantity": "-1"}, "must not be negative"),
        ({"quantity": 0}, "greater than 0"),
        ({"quantity": "NaN"}, "finite"),
        ({"quantity": "abc"}, "must be a number"),
        ({"quantity": "99999999999"}, "too large"),
        ({"total_cost": "-0.01"}, "must not be negative"),
        ({"total_cost": "1.00001"}, "at most 4 decimal places"),
        ({"purchase_date": "31/12/2025"}, "must be a date"),
        ({"expiration_date": "2024-12-31"}, "Expiry date cannot be before"),
        ({"location": "x" * 101}, "too long"),
    ],
)
def test_bad_purchases_are_refused_and_nothing_written(engine, kwargs, message):
    made = cs.create_ingredient("Salt", category="Spices", recipe_unit="tsp")
    product = cs.create_product(made.slug, purchase_unit="tsp", purchase_quantity=100)
    args = {"quantity": 10, "total_cost": "2.00", "purchase_date": "2025-01-01"} | kwargs
    with pytest.raises(ValidationError, match=message):
        inv.record_purchase(product.id, **args)
    assert (_count(Purchase), _count(InventoryItem)) == (0, 0)


def test_unknown_product_or_lot(engine):
    with pytest.raises(ProductNotFoundError):
        inv.record_purchase(404, quantity=1, total_cost=1)
    with pytest.raises(LotNotFoundError):
        inv.adjust_lot(404, 1, reason="other")
    with pytest.raises(IngredientNotFoundError):
        inv.get_on_hand("nothing")


def test_lots_list_in_fifo_order_across_products(engine):
    made = cs.create_ingredient("Butter", category="Dairy", recipe_unit="cup")
    brand_x = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=2, brand="X")
    brand_y = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=2, brand="Y")
    inv.add_to_inventory(brand_x.id, quantity=2, unit_cost=1, purchase_date="2025-03-01")
    inv.add_to_inventory(brand_y.id, quantity=2, unit_cost=2, purchase_date="2025-01-01")
    inv.add_to_inventory(brand_x.id, quantity=2, unit_cost=3, purchase_date="2025-01-01")
    lots = inv.get_inventory_items(ingredient_slug=made.slug)
    assert [(lot.product_name, lot.unit_cost) for lot in lots] == [
        ("Y", D(2)),
        ("X", D(3)),
        ("X", D(1)),
    ]
    result = inv.consume_fifo(made.slug, 3)
    assert [(d.product_id, d.quantity) for d in result.breakdown] == [
        (brand_y.id, 2),
        (brand_x.id, 1),
    ]


def test_scenario_5_pounds_consumed_for_cups(rye):
    assert inv.get_on_hand("rye_flour") == D(180)
    result = inv.consume_fifo("rye_flour", 48)
    assert (result.consumed, result.shortfall, result.satisfied) == (D(48), D(0), True)
    assert [(d.quantity, d.unit, d.remaining_in_lot) for d in result.breakdown] == [
        (D(10), "lb", D(0)),
        (D(2), "lb", D(13)),
    ]
    assert result.total_cost == D("6.0000")
    assert _quantities() == [D(0), D(13), D(20)]
    assert inv.get_on_hand("rye_flour") == D(132)


def test_dry_run_changes_nothing(rye):
    result = inv.consume_fifo("rye_flour", 60, dry_run=True)
    assert result.breakdown[-1].remaining_in_lot == D(10)  # simulated
    assert _quantities() == [D(10), D(15), D(20)]


def test_short_consumption_raises_and_changes_nothing(rye):
    dry = inv.consume_fifo("rye_flour", 200, dry_run=True)
    assert (dry.consumed, dry.shortfall, dry.satisfied) == (D(180), D(20), False)
    with pytest.raises(InsufficientInventoryError) as excinfo:
        inv.consume_fifo("rye_flour", 200)
    (shortage,) = excinfo.value.shortages
    assert (shortage.needed, shortage.available, shortage.unit) == (D(200), D(180), "cup")
    assert "Insufficient rye_flour: need 200.000 cup, have 180.000 cup" in str(excinfo.value)
    assert _quantities() == [D(10), D(15), D(20)]


def test_exact_consumption_is_not_short(rye):
    result = inv.consume_fifo("rye_flour", 180)
    assert result.satisfied and result.shortfall == 0
    assert _quantities() == [D(0), D(0), D(0)]


def test_scenario_22_two_lots_in_cups(cups):
    result = inv.consume_fifo("flour", 4)
    assert result.total_cost == D("2.3000")
    assert _quantities() == [D(0), D(9)]


def test_a_failure_after_the_lots_were_drawn_leaves_them_untouched(cups, monkeypatch):
    def explode(plan):
        raise RuntimeError("power cut after the draws")

    monkeypatch.setattr(inv, "fifo_result", explode)
    with pytest.raises(RuntimeError):
        inv.consume_fifo("flour", 4)
    assert _quantities() == [D(3), D(10)]


def test_a_lot_changed_by_someone_else_is_never_overdrawn(cups, monkeypatch):
    """The plan is made from a snapshot; if the lot shrank meanwhile, nothing is applied."""
    real_plan = inv.plan_ingredient

    def plan_then_someone_else_draws(session, ingredient, need, snapshots=None):
        plan = real_plan(session, ingredient, need, snapshots)
        session.execute(
            update(InventoryItem).where(InventoryItem.id == 2).values(quantity=D("0.5"))
        )
        return plan

    monkeypatch.setattr(inv, "plan_ingredient", plan_then_someone_else_draws)
    with pytest.raises(DatabaseBusyError, match="Nothing was saved"):
        inv.consume_fifo("flour", 4)
    assert _quantities() == [D(3), D(10)]  # the whole transaction rolled back


def test_an_outer_session_sees_the_draws_and_decides(cups):
    with db.SessionLocal() as outer:
        inv.consume_fifo("flour", 4, session=outer)
        assert outer.scalar(select(InventoryItem.quantity).where(InventoryItem.id == 2)) == D(9)
        outer.rollback()
    assert _quantities() == [D(3), D(10)]


def test_consumption_statements_do_not_grow_with_the_pantry(engine):
    made = cs.create_ingredient("Oats", category="Misc", recipe_unit="cup")
    product = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=10)
    for day in range(1, 29):
        inv.add_to_inventory(product.id, quantity=1, unit_cost=1, purchase_date=f"2025-02-{day:02}")
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    inv.consume_fifo(made.slug, 2)  # draws from 2 of the 28 lots
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    # both draws in one guarded executemany, then the product's stock total in one more
    assert [u.split()[1] for u in updates] == ["inventory_items", "product_stock_totals"]
    assert len(selects) <= 3  # ingredient, its lots, its custom units


@pytest.mark.parametrize("bad", ["-1", "abc", "NaN", None, 1.5])
def test_bad_needs_are_refused(cups, bad):
    with pytest.raises(ValidationError):
        inv.consume_fifo("flour", bad)
    assert _quantities() == [D(3), D(10)]


def test_adjustments_change_the_lot_and_are_recorded(cups):
    lot = inv.adjust_lot(2, "-2.5", reason="Spoiled", notes="mice")
    assert lot.quantity == D("7.5")
    assert inv.adjust_lot(2, "1", reason="count_correction").quantity == D("8.5")
    with db.session_scope() as s:
        reasons = s.execute(select(StockAdjustment.reason, StockAdjustment.delta)).all()
    assert reasons == [("spoiled", D("-2.5")), ("count_correction", D(1))]


@pytest.mark.parametrize(
    ("delta", "reason", "message"),
    [
        ("-11", "lost", "cannot go down by 11"),
        ("0", "lost", "greater than 0"),
        ("1", "eaten", "Reason must be one of"),
        ("x", "lost", "must be a number"),
    ],
)
def test_bad_adjustments_change_nothing(cups, delta, reason, message):
    with pytest.raises(ValidationError, match=message):
        inv.adjust_lot(2, delta, reason=reason)
    assert _quantities() == [D(3), D(10)] and _count(StockAdjustment) == 0


def test_filters_empty_lots_and_summary(cups):
    inv.consume_fifo("flour", 3)
    assert len(inv.get_inventory_items()) == 1
    assert len(inv.get_inventory_items(include_empty=True)) == 2
    assert inv.get_inventory_items(product_id=cups.id)[0].quantity == D(10)
    summary = inv.get_inventory_summary()
    assert (summary.total_value, summary.lot_count, summary.expiring_soon) == (D("8.00"), 1, 0)


def test_expiring_soon(cups):
    today = date(2025, 6, 1)
    lot = inv.add_to_inventory(
        cups.id,
        quantity=1,
        unit_cost=1,
        purchase_date="2025-05-01",
        expiration_date=today + timedelta(days=10),
    )
    assert inv.is_expiring_soon(lot, today=today)
    assert not inv.is_expiring_soon(lot, today=today - timedelta(days=30))
    assert inv.get_inventory_summary(today=today).expiring_soon == 1


def test_the_cached_converter_matches_convert_for_to_the_last_digit():
    """UnitConverter repeats units.convert's arithmetic in the same order: identical results."""
    from bake_tracker.services.recipe_tree import TreeConversion, TreeIngredient

    flour = TreeIngredient(
        1, "flour", "Flour", "cup", False, D("1"), "cup", D("4.25"), "oz",
        [TreeConversion("stick", D("1"), "cup", D("0.5")), TreeConversion("bag", D(1), "lb", D(5))],
    )  # fmt: skip
    units = ["cup", "tbsp", "g", "oz", "lb", "ml", "stick", "bag", "kg", "each", "box", "glorp"]
    quantities = [D("1"), D("0.001"), D("3.333"), D("17.125"), D("1234.567"), D("2") / D("3")]
    convert = inv.UnitConverter(flour)
    for _ in range(2):  # the second round comes from the cache
        for a in units:
            for b in units:
                for q in quantities:
                    try:
                        expected = cs.convert_for(flour, q, a, b)
                    except UnitConversionError as error:
                        with pytest.raises(UnitConversionError) as caught:
                            convert(q, a, b)
                        assert str(caught.value) == str(error)
                        continue
                    got = convert(q, a, b)
                    assert (got, str(got)) == (expected, str(expected)), (q, a, b)


def test_the_cached_converter_looks_each_pair_up_once(monkeypatch):
    """A pair that converts is looked up once; one that does not is looked up (and raises) again
    every time, as ``convert_for`` would."""
    from bake_tracker.core import units
    from bake_tracker.services.recipe_tree import TreeIngredient

    flour = TreeIngredient(1, "flour", "Flour", "cup", False, D(1), "cup", D("4.25"), "oz")
    lookups: list[tuple[str, str]] = []
    real = units.conversion_factor

    def counted(from_unit, to_unit, **kwargs):
        lookups.append((from_unit, to_unit))
        return real(from_unit, to_unit, **kwargs)

    monkeypatch.setattr(units, "conversion_factor", counted)
    convert = inv.UnitConverter(flour)
    assert [convert(q, "cup", "oz") for q in (D(1), D(2), D(4))] == [
        D("4.25"),
        D("8.50"),
        D("17.00"),
    ]
    for _ in range(2):
        with pytest.raises(UnitConversionError, match="'bag' cannot become a volume unit"):
            convert(D(1), "bag", "cup")
    assert lookups == [("cup", "oz"), ("bag", "cup"), ("bag", "cup")]


def _mixed_pantry() -> None:
    """Lots of a branded product, a generic one and packaging: names, notes, empties, expiry."""
    flour = cs.create_ingredient("Flour", category="Flour", recipe_unit="lb")
    boxes = cs.create_ingredient(
        "Cake box", category="Boxes", recipe_unit="each", is_packaging=True
    )
    branded = cs.create_product(
        flour.slug,
        purchase_unit="lb",
        purchase_quantity=25,
        brand="King Arthur",
        package_size="25 lb",
        package_type="bag",
    )
    generic = cs.create_product(flour.slug, purchase_unit="lb", purchase_quantity=20)
    box = cs.create_product(boxes.slug, purchase_unit="each", purchase_quantity=10, brand="Kraft")
    inv.add_to_inventory(
        branded.id,
        quantity="12.345",
        unit_cost="0.7596",
        purchase_date="2025-03-01",
        expiration_date="2025-06-10",
        location="Garage",
        notes="top shelf",
    )
    inv.add_to_inventory(
        generic.id, quantity="3.333", unit_cost="0.3333", purchase_date="2025-01-02"
    )
    emptied = inv.add_to_inventory(box.id, quantity=4, unit_cost="1.25", purchase_date="2025-02-01")
    inv.adjust_lot(emptied.id, -4, reason="other")
    inv.add_to_inventory(box.id, quantity=6, unit_cost="1.255", purchase_date="2025-02-01")


def test_listed_lots_carry_every_field_a_single_lot_read_gives(engine):
    _mixed_pantry()
    lots = inv.get_inventory_items(include_empty=True)
    assert lots == [inv.get_lot(lot.id) for lot in lots]  # the ORM read of each lot, field by field
    assert [lot.product_name for lot in lots] == [
        "Flour (generic)",
        "Kraft",
        "Kraft",
        "King Arthur 25 lb bag",
    ]
    assert [lot.is_packaging for lot in lots] == [False, True, True, False]
    assert [lot.quantity for lot in inv.get_inventory_items()] == [D("3.333"), D(6), D("12.345")]


def test_listing_lots_takes_the_same_statements_however_many_there_are(engine):
    _mixed_pantry()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    inv.get_inventory_items(include_empty=True)
    few = len(statements)
    product = inv.get_inventory_items()[0].product_id
    for day in range(1, 29):
        inv.add_to_inventory(product, quantity=1, unit_cost=1, purchase_date=f"2025-04-{day:02}")
    statements.clear()
    assert len(inv.get_inventory_items(include_empty=True)) == 32
    assert len(statements) == few <= 2


@pytest.mark.parametrize("today", [date(2025, 5, 1), date(2025, 5, 27), date(2025, 7, 1)])
def test_summarize_lots_gives_the_figures_of_get_inventory_summary(engine, today):
    _mixed_pantry()
    expected = inv.get_inventory_summary(today=today)
    for include_empty in (False, True):
        lots = inv.get_inventory_items(include_empty=include_empty)
        assert inv.summarize_lots(lots, today=today) == expected
    assert expected.lot_count == 3
    assert expected.total_value == D("18.02")  # 9.38 + 1.11 + 7.53, each lot rounded to the cent
    assert expected.expiring_soon == (0 if today == date(2025, 5, 1) else 1)
