"""recipe_tree.recipe_unit_prices (and the planned costs' prices, batch_estimates.estimate_costs):
the estimated-price rule, case by case.

The preferred product's latest purchase, else the most recently purchased product's latest
purchase, else the ingredient's newest lot; "latest" and "newest" order by date, then by id.
"""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from bake_tracker import db
from bake_tracker.models import Ingredient
from bake_tracker.services import batch_estimates, recipe_tree
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv


def _ingredient(name: str) -> str:
    return cs.create_ingredient(name, category="Misc", recipe_unit="cup").slug


def _product(slug: str, *, preferred: bool = False) -> int:
    return cs.create_product(
        slug, purchase_unit="cup", purchase_quantity=1, brand=None, preferred=preferred
    ).id


def _buy(product_id: int, unit_cost: str, day: str) -> None:
    inv.record_purchase(product_id, quantity=1, total_cost=unit_cost, purchase_date=day)


def _lot(product_id: int, unit_cost: str, day: str) -> None:
    inv.add_to_inventory(product_id, quantity=1, unit_cost=unit_cost, purchase_date=day)


def _prices(*slugs: str) -> dict[str, D | None]:
    """Every ingredient priced in one call, as the dashboard does."""
    with db.session_scope() as s:
        ingredients = s.scalars(select(Ingredient).where(Ingredient.slug.in_(slugs))).all()
        prices = recipe_tree.recipe_unit_prices(s, ingredients)
        # the planned costs read prices their own way (one statement with the ingredients): the
        # same rule must give the same figure, digit for digit
        _, planned = batch_estimates.estimate_costs(s, [], [i.id for i in ingredients])
        assert {k: str(v) for k, v in planned.items()} == {k: str(v) for k, v in prices.items()}
        return {i.slug: prices[i.id] for i in ingredients}


def test_the_preferred_products_latest_purchase_wins_over_a_later_one(engine):
    flour = _ingredient("Flour")
    preferred, other = _product(flour, preferred=True), _product(flour)
    _buy(preferred, "0.30", "2025-03-01")
    _buy(preferred, "0.20", "2025-01-01")  # bought later, dated earlier: not the latest
    _buy(other, "0.90", "2025-06-01")
    assert _prices(flour) == {flour: D("0.3000")}


def test_without_a_preferred_purchase_the_most_recent_purchase_wins(engine):
    sugar, salt = _ingredient("Sugar"), _ingredient("Salt")
    _product(sugar, preferred=True)  # preferred, never bought
    a, b = _product(sugar), _product(sugar)
    _buy(a, "0.40", "2025-05-01")
    _buy(b, "0.70", "2025-04-01")
    _buy(b, "0.10", "2025-02-01")
    # same date: the later purchase (higher id) is the latest
    c, d = _product(salt), _product(salt)
    _buy(c, "0.05", "2025-05-01")
    _buy(d, "0.06", "2025-05-01")
    _buy(c, "0.07", "2025-05-01")
    assert _prices(sugar, salt) == {sugar: D("0.4000"), salt: D("0.0700")}


def test_the_newest_lot_prices_only_ingredients_without_any_purchase(engine):
    cocoa, milk, saffron = _ingredient("Cocoa"), _ingredient("Milk"), _ingredient("Saffron")
    first, second = _product(cocoa, preferred=True), _product(cocoa)
    _lot(second, "1.50", "2025-03-01")  # the newest: the latest date, though not the highest id
    _lot(second, "1.60", "2025-01-15")
    _lot(first, "1.20", "2025-02-01")
    bought = _product(milk)
    _lot(bought, "9.99", "2025-09-01")  # a newer lot, but milk has a purchase: the purchase wins
    _buy(bought, "0.80", "2025-01-01")
    _product(saffron)
    assert _prices(cocoa, milk, saffron) == {cocoa: D("1.5000"), milk: D("0.8000"), saffron: None}


def test_same_day_lots_fall_back_to_the_higher_id(engine):
    cocoa = _ingredient("Cocoa")
    first, second = _product(cocoa), _product(cocoa)
    _lot(second, "2.00", "2025-03-01")
    _lot(first, "3.00", "2025-03-01")
    assert _prices(cocoa) == {cocoa: D("3.0000")}
