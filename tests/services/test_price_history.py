"""price_history_service.get_price_history: an ingredient's purchases over time, each priced in
the ingredient's recipe unit exactly as recipe costing prices it, with the latest and the
quantity-weighted average price."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import event, update

from bake_tracker import db
from bake_tracker.models import Ingredient
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import price_history_service as phs
from bake_tracker.services import recipe_tree
from bake_tracker.services.errors import IngredientNotFoundError, ValidationError


def buy(product, day: str, quantity: str, total: str, supplier: str | None = None):
    return inv.record_purchase(
        product.id, quantity=quantity, total_cost=total, purchase_date=day, supplier=supplier
    )


@pytest.fixture
def sugar(engine):
    """Sugar counted in lb, bought as a 4 lb bag (by the lb), a 16 oz box (by the oz) and a
    10 kg sack (by the kg)."""
    sugar = cs.create_ingredient("Sugar", category="Baking", recipe_unit="lb")
    bag = cs.create_product(sugar.slug, purchase_unit="lb", purchase_quantity=4, brand="Domino")
    box = cs.create_product(sugar.slug, purchase_unit="oz", purchase_quantity=16, brand="C&H")
    sack = cs.create_product(sugar.slug, purchase_unit="kg", purchase_quantity=10, brand="Bulk")
    buy(bag, "2024-01-10", "4", "3.00", "Costco")
    buy(box, "2024-03-01", "16", "2.00", "Corner shop")
    buy(sack, "2024-06-01", "10", "15.00")
    return sugar, bag, box, sack


def test_purchases_newest_first_each_priced_in_the_recipe_unit(sugar) -> None:
    ingredient, bag, box, sack = sugar
    history = phs.get_price_history(ingredient.id)
    assert (history.ingredient_slug, history.ingredient_name, history.unit) == (
        "sugar",
        "Sugar",
        "lb",
    )
    assert [
        (p.purchase_date, p.product_id, p.product_name, p.supplier, p.quantity, p.purchase_unit)
        for p in history.points
    ] == [
        (date(2024, 6, 1), sack.id, "Bulk", None, Decimal("10"), "kg"),
        (date(2024, 3, 1), box.id, "C&H", "Corner shop", Decimal("16"), "oz"),
        (date(2024, 1, 10), bag.id, "Domino", "Costco", Decimal("4"), "lb"),
    ]
    assert [(p.total_cost, p.unit_cost) for p in history.points] == [
        (Decimal("15"), Decimal("1.5")),
        (Decimal("2"), Decimal("0.125")),
        (Decimal("3"), Decimal("0.75")),
    ]
    kg_per_lb = cs.convert(Decimal(1), "lb", "kg")  # the app's own factor (0.453592)
    assert [p.unit_price for p in history.points] == [
        Decimal("1.5") * kg_per_lb,
        Decimal("2.000"),  # 16 oz in a lb
        Decimal("0.75"),
    ]
    assert all(isinstance(p.unit_price, Decimal) for p in history.points)
    assert history.latest_price == Decimal("0.680388")
    assert history.purchase_count == 3


def test_the_average_is_weighted_by_quantity_not_a_mean_of_prices(sugar) -> None:
    ingredient, *_ = sugar
    history = phs.get_price_history(ingredient.id)
    paid = Decimal("20.00")  # 3 + 2 + 15
    bought = Decimal(4) + Decimal(1) + cs.convert(Decimal(10), "kg", "lb")
    assert history.average_price == (paid / bought).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    assert history.average_price == Decimal("0.7395")
    mean_of_prices = sum(p.unit_price for p in history.points) / 3
    assert history.average_price != mean_of_prices.quantize(Decimal("0.0001"))  # 1.1435


def test_the_latest_price_is_the_one_recipe_costing_uses(engine) -> None:
    """Flour counted in cups, bought by the lb: a density conversion, and the same digits as the
    estimate of a recipe (``recipe_unit_prices``) and the product's latest price."""
    flour = cs.create_ingredient(
        "Flour",
        category="Baking",
        recipe_unit="cup",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value=120,
        density_weight_unit="g",
    )
    sack = cs.create_product(flour.slug, purchase_unit="lb", purchase_quantity=25, preferred=True)
    buy(sack, "2024-01-05", "25", "18.99")
    buy(sack, "2024-02-05", "25", "21.37")
    history = phs.get_price_history(flour.id)
    with db.session_scope() as s:
        ingredient = s.get(Ingredient, flour.id)
        estimate = recipe_tree.recipe_unit_prices(s, [ingredient])[flour.id]
    assert history.latest_price == estimate
    assert history.points[0].unit_cost == cs.list_products(flour.slug)[0].last_unit_cost
    per_cup = Decimal("0.8548") * cs.convert(Decimal(1), "cup", "lb", ingredient_slug=flour.slug)
    assert history.latest_price == per_cup


def test_custom_units_price_too(engine) -> None:
    butter = cs.create_ingredient("Butter", category="Dairy", recipe_unit="cup")
    cs.add_unit_conversion(
        butter.slug, from_unit="stick", from_quantity=1, to_unit="cup", to_quantity="0.5"
    )
    sticks = cs.create_product(butter.slug, purchase_unit="stick", purchase_quantity=4)
    buy(sticks, "2024-01-05", "4", "5.00")
    history = phs.get_price_history(butter.id)
    assert history.points[0].unit_cost == Decimal("1.25")  # per stick
    assert history.latest_price == Decimal("2.50") and history.average_price == Decimal("2.50")


def test_no_purchases_and_lots_without_a_purchase(engine) -> None:
    salt = cs.create_ingredient("Salt", category="Baking", recipe_unit="oz")
    history = phs.get_price_history(salt.id)
    assert history.points == [] and history.purchase_count == 0
    assert history.latest_price is None and history.average_price is None
    box = cs.create_product(salt.slug, purchase_unit="oz", purchase_quantity=26)
    inv.add_to_inventory(box.id, quantity="26", unit_cost="0.05", purchase_date="2024-01-01")
    assert phs.get_price_history(salt.id).points == []  # opening stock is not a purchase
    buy(box, "2024-02-01", "26", "1.30")
    history = phs.get_price_history(salt.id)
    assert [p.unit_price for p in history.points] == [Decimal("0.05")]
    assert history.purchase_count == 1 and history.average_price == Decimal("0.0500")


def test_odd_names_come_back_as_typed(engine) -> None:
    odd = cs.create_ingredient("Crème fraîche ½ & ½ =SUM(A1)", category="Dairy", recipe_unit="oz")
    tub = cs.create_product(
        odd.slug, purchase_unit="oz", purchase_quantity=8, brand="Ñandú 'O\"Brien'; --"
    )
    buy(tub, "2024-01-01", "8", "4.00", supplier="Épicerie ° 🍰")
    history = phs.get_price_history(odd.id)
    assert history.ingredient_name == "Crème fraîche ½ & ½ =SUM(A1)"
    [point] = history.points
    assert (point.product_name, point.supplier) == ("Ñandú 'O\"Brien'; --", "Épicerie ° 🍰")
    generic = cs.create_product(odd.slug, purchase_unit="oz", purchase_quantity=16)
    buy(generic, "2024-02-01", "16", "6.00")
    assert phs.get_price_history(odd.id).points[0].product_name == (
        "Crème fraîche ½ & ½ =SUM(A1) (generic)"
    )


def test_the_limit_lists_the_newest_but_the_average_covers_all(sugar) -> None:
    ingredient, *_ = sugar
    whole = phs.get_price_history(ingredient.id)
    limited = phs.get_price_history(ingredient.id, limit=2)
    assert limited.points == whole.points[:2]
    assert limited.purchase_count == 3 and limited.average_price == whole.average_price


def test_same_day_purchases_go_newest_recorded_first(engine) -> None:
    milk = cs.create_ingredient("Milk", category="Dairy", recipe_unit="cup")
    jug = cs.create_product(milk.slug, purchase_unit="cup", purchase_quantity=16)
    first = buy(jug, "2024-01-01", "16", "4.00")
    second = buy(jug, "2024-01-01", "16", "4.80")
    assert [p.purchase_id for p in phs.get_price_history(milk.id).points] == [
        second.id,
        first.id,
    ]


def test_a_unit_that_no_longer_converts_shows_no_price_and_stays_out_of_the_average(
    engine,
) -> None:
    flour = cs.create_ingredient(
        "Flour",
        category="Baking",
        recipe_unit="cup",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value=120,
        density_weight_unit="g",
    )
    sack = cs.create_product(flour.slug, purchase_unit="lb", purchase_quantity=25)
    bag = cs.create_product(flour.slug, purchase_unit="cup", purchase_quantity=10)
    buy(sack, "2024-01-05", "25", "18.99")
    buy(bag, "2024-01-06", "10", "3.00")
    with db.session_scope() as s:  # the density removed behind the catalog's back
        s.execute(
            update(Ingredient)
            .where(Ingredient.id == flour.id)
            .values(
                density_volume_value=None,
                density_volume_unit=None,
                density_weight_value=None,
                density_weight_unit=None,
            )
        )
    history = phs.get_price_history(flour.id)
    assert [p.unit_price for p in history.points] == [Decimal("0.3"), None]
    assert history.average_price == Decimal("0.3000") and history.purchase_count == 2


@pytest.mark.parametrize("bad", [999_999, 0, -1, "1", None, True, 1.0, 2**40])
def test_an_unknown_ingredient_is_refused(engine, bad) -> None:
    with pytest.raises(IngredientNotFoundError):
        phs.get_price_history(bad)


@pytest.mark.parametrize("bad", [0, -1, "x", "1.5", None, 10_001])
def test_a_bad_limit_is_refused(sugar, bad) -> None:
    ingredient, *_ = sugar
    with pytest.raises(ValidationError, match="Limit"):
        phs.get_price_history(ingredient.id, limit=bad)


def test_statements_do_not_grow_with_the_purchases(engine) -> None:
    oats = cs.create_ingredient("Oats", category="Baking", recipe_unit="cup")
    bag = cs.create_product(oats.slug, purchase_unit="cup", purchase_quantity=10)
    box = cs.create_product(oats.slug, purchase_unit="tbsp", purchase_quantity=10)
    other = cs.create_ingredient("Rye", category="Baking", recipe_unit="cup")
    rye = cs.create_product(other.slug, purchase_unit="cup", purchase_quantity=10)

    def statements() -> int:
        seen: list[str] = []

        def listen(*args) -> None:
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", listen)
        try:
            phs.get_price_history(oats.id)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    buy(bag, "2024-01-01", "10", "2.00")
    buy(box, "2024-01-02", "10", "2.00")
    few = statements()
    for day in range(1, 21):
        buy(bag if day % 2 else box, f"2024-02-{day:02d}", "10", f"{day}.00")
        buy(rye, f"2024-02-{day:02d}", "10", "1.00")
    assert statements() == few <= 5
