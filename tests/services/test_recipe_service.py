"""recipe_service: nested aggregation, nesting rules, cost rules and "how many can I make"."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from bake_tracker import db
from bake_tracker.models import Recipe, RecipeComponent, RecipeIngredient
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipe_service as rs
from bake_tracker.services.errors import (
    InUseError,
    RecipeNotFoundError,
    UnitConversionError,
    ValidationError,
)


def _rows(model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def stocked(name, unit, *, price=None, on_hand=None, preferred=True, **density):
    """An ingredient with a product in its own unit, optionally bought once at ``price`` each."""
    made = cs.create_ingredient(name, category="Misc", recipe_unit=unit, **density)
    product = cs.create_product(
        made.slug, purchase_unit=unit, purchase_quantity=1, preferred=preferred
    )
    if price is not None:
        quantity = on_hand if on_hand is not None else 100
        inv.record_purchase(
            product.id,
            quantity=quantity,
            total_cost=D(price) * quantity,
            purchase_date="2025-01-01",
        )
    return made, product


def recipe(name, *lines, yield_quantity=1):
    return rs.create_recipe(
        name, category="Other", yield_quantity=yield_quantity, yield_unit="batch", ingredients=lines
    )


@pytest.fixture
def three_levels(engine):
    """Cake (×1) ⊃ Filling ×2 ⊃ Caramel ×0.5; flour in cups at the top and in grams below."""
    stocked(
        "Flour",
        "cup",
        price="0.40",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value=120,
        density_weight_unit="g",
    )
    stocked("Butter", "cup", price="2.00")
    stocked("Sugar", "cup", price="0.60")
    caramel = recipe("Caramel", ("sugar", 2, "cup"), ("butter", "0.5", "cup"))
    filling = recipe("Filling", ("flour", 240, "g"), ("butter", 1, "cup"))
    cake = recipe("Cake", ("flour", 3, "cup"), ("sugar", 1, "cup"), yield_quantity=12)
    rs.add_recipe_component(filling.id, caramel.id, quantity="0.5")
    rs.add_recipe_component(cake.id, filling.id, quantity=2)
    return cake, filling, caramel


def test_three_levels_scale_convert_and_merge(three_levels):
    cake, *_ = three_levels
    lines = {a.ingredient_slug: a for a in rs.get_aggregated_ingredients(cake.id)}
    # flour: 3 cup + 2 × 240 g (= 2 cup each) → 7 cup
    assert (lines["flour"].total_quantity, lines["flour"].unit) == (D(7), "cup")
    assert {s.recipe_name: s.quantity for s in lines["flour"].sources} == {
        "Cake": D(3),
        "Filling": D(4),
    }
    # butter: 2 × 1 cup + 2 × 0.5 × 0.5 cup → 2.5 cup; sugar: 1 + 2 × 0.5 × 2 → 3 cup
    assert lines["butter"].total_quantity == D("2.5")
    assert lines["sugar"].total_quantity == D(3)
    assert [a.ingredient_name for a in rs.get_aggregated_ingredients(cake.id)] == [
        "Butter",
        "Flour",
        "Sugar",
    ]
    doubled = {
        a.ingredient_slug: a.total_quantity
        for a in rs.get_aggregated_ingredients(cake.id, multiplier=2)
    }
    assert doubled == {"butter": D(5), "flour": D(14), "sugar": D(6)}


def test_cost_at_every_level_is_the_sum_of_its_parts(three_levels):
    cake, filling, caramel = three_levels
    caramel_cost = rs.get_cost_breakdown(caramel.id)
    assert caramel_cost.total_cost == D("2.20")  # 2 × 0.60 + 0.5 × 2.00
    filling_cost = rs.get_cost_breakdown(filling.id)
    assert filling_cost.direct_ingredient_cost == D("2.80")  # 2 cup × 0.40 + 1 × 2.00
    assert [c.total_cost for c in filling_cost.component_costs] == [D("1.10")]  # ½ caramel
    assert filling_cost.total_cost == D("3.90")
    cake_cost = rs.get_cost_breakdown(cake.id)
    assert cake_cost.direct_ingredient_cost == D("1.80")
    assert [c.total_cost for c in cake_cost.component_costs] == [D("7.80")]  # 2 × filling
    assert cake_cost.total_cost == D("9.60") == rs.calculate_estimated_cost(cake.id)
    assert cake_cost.cost_per_unit == D("0.8000")
    # the same total from the aggregated list priced line by line
    prices = {"flour": D("0.40"), "butter": D("2.00"), "sugar": D("0.60")}
    assert sum(
        a.total_quantity * prices[a.ingredient_slug] for a in rs.get_aggregated_ingredients(cake.id)
    ) == D("9.60")


def test_cycles_and_depth_four_are_refused_with_names_and_nothing_written(three_levels):
    cake, _filling, caramel = three_levels
    before = _rows(RecipeComponent)
    with pytest.raises(ValidationError, match="'Cake' already contains 'Caramel'"):
        rs.add_recipe_component(caramel.id, cake.id)
    with pytest.raises(ValidationError, match="cannot contain itself"):
        rs.add_recipe_component(cake.id, cake.id)
    extra = recipe("Sprinkles", ("sugar", "0.1", "cup"))
    with pytest.raises(ValidationError, match="would nest recipes 4 levels deep"):
        rs.add_recipe_component(caramel.id, extra.id)
    assert _rows(RecipeComponent) == before
    rs.add_recipe_component(cake.id, extra.id)  # at the top it fits (scenario 14)


def test_scenarios_10_to_12_nested_sums(engine):
    stocked("Flour", "cup", price="1.25")
    stocked("Butter", "cup", price="2.00")
    parent = recipe("Parent", ("flour", 4, "cup"))  # $5 direct
    child = recipe("Child", ("butter", "1.5", "cup"), ("flour", 1, "cup"))  # $3 + $1.25
    rs.add_recipe_component(parent.id, child.id, quantity=2)
    assert rs.calculate_estimated_cost(parent.id) == D("5.00") + 2 * (D("3.00") + D("1.25"))
    lines = {a.ingredient_slug: a.total_quantity for a in rs.get_aggregated_ingredients(parent.id)}
    assert lines == {"flour": D(6), "butter": D(3)}


def test_scenario_15_component_in_use_and_zero_quantity(engine):
    stocked("Sugar", "cup")
    icing = recipe("Royal Icing", ("sugar", 1, "cup"))
    cookies = recipe("Decorated Sugar Cookies", ("sugar", 1, "cup"))
    with pytest.raises(ValidationError, match="Batch quantity must be greater than 0"):
        rs.add_recipe_component(cookies.id, icing.id, quantity=0)
    rs.add_recipe_component(cookies.id, icing.id)
    with pytest.raises(ValidationError, match="already part of"):
        rs.add_recipe_component(cookies.id, icing.id)
    with pytest.raises(InUseError, match="Decorated Sugar Cookies"):
        rs.delete_recipe(icing.id)
    assert rs.remove_recipe_component(cookies.id, icing.id) is True
    assert rs.remove_recipe_component(cookies.id, icing.id) is False
    rs.delete_recipe(icing.id)
    assert [r.name for r in rs.list_recipes()] == ["Decorated Sugar Cookies"]


def test_cost_scenarios_1_to_4(engine):
    _flour, product = stocked("Flour", "cup", preferred=True)
    inv.add_to_inventory(product.id, quantity=2, unit_cost="0.10", purchase_date="2025-01-01")
    bought = inv.record_purchase(
        product.id, quantity=1, total_cost="0.15", purchase_date="2025-02-01"
    )
    inv.adjust_lot(bought.inventory_item_id, -1, reason="gift")  # only the 2 cups @0.10 remain
    three = recipe("Three cups", ("flour", 3, "cup"))
    assert rs.calculate_actual_cost(three.id) == D("0.35")  # 2 × 0.10 + 1 × 0.15 (scenario 2)
    assert rs.calculate_estimated_cost(three.id) == D("0.45")
    assert rs.calculate_actual_cost(recipe("Two cups", ("flour", 2, "cup")).id) == D("0.20")
    cs.create_ingredient("Saffron", category="Spices", recipe_unit="g")
    unpriced = recipe("Saffron buns", ("saffron", 1, "g"))
    estimate = rs.get_cost_estimate(unpriced.id)
    assert (estimate.cost_per_batch, estimate.unpriced_ingredients) == (D(0), ["saffron"])
    empty = recipe("Nothing")
    assert rs.calculate_estimated_cost(empty.id) == 0 == rs.calculate_actual_cost(empty.id)


def test_price_falls_back_to_the_newest_lot_without_purchases(engine):
    _made, product = stocked("Cocoa", "cup", preferred=False)
    inv.add_to_inventory(product.id, quantity=5, unit_cost="1.20", purchase_date="2025-01-01")
    inv.add_to_inventory(product.id, quantity=5, unit_cost="1.50", purchase_date="2025-03-01")
    assert rs.calculate_estimated_cost(recipe("Hot cocoa", ("cocoa", 2, "cup")).id) == D("3.00")


def test_price_per_recipe_unit_converts_from_the_purchase_unit(engine):
    flour = cs.create_ingredient(
        "Flour",
        category="Flour",
        recipe_unit="cup",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value="113.398",
        density_weight_unit="g",
    )
    product = cs.create_product(
        flour.slug, purchase_unit="lb", purchase_quantity=25, preferred=True
    )
    inv.record_purchase(product.id, quantity=25, total_cost="20.00", purchase_date="2025-01-01")
    # $0.80 per lb, 4 cups per lb → $0.20 per cup
    assert rs.calculate_estimated_cost(recipe("Bread", ("flour", 8, "cup")).id) == D("1.60")


def test_batches_possible(three_levels):
    cake, *_ = three_levels
    # per batch: flour 7, butter 2.5, sugar 3 cup; 100 of each on hand → flour limits: 14
    assert rs.batches_possible(cake.id) == 14
    assert rs.get_recipe_detail(cake.id).batches_possible == 14
    inv.consume_fifo("flour", 100 - 6)  # 6 cups left: not even one batch
    assert rs.batches_possible(cake.id) == 0
    assert rs.batches_possible(recipe("Air").id) is None


def test_lines_need_a_unit_the_ingredient_can_convert(engine):
    cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    bread = recipe("Bread")
    with pytest.raises(UnitConversionError, match="set the density of 'Flour'"):
        rs.add_ingredient_to_recipe(bread.id, "flour", 480, "g")
    with pytest.raises(ValidationError, match="must not be negative"):
        rs.add_ingredient_to_recipe(bread.id, "flour", -1, "cup")
    assert _rows(RecipeIngredient) == 0
    line = rs.add_ingredient_to_recipe(bread.id, "flour", "2.5", "Cups")
    assert (line.quantity, line.unit, line.ingredient_name) == (D("2.5"), "cup", "Flour")


def test_create_recipe_with_a_bad_line_writes_nothing(engine):
    stocked("Sugar", "cup")
    with pytest.raises(ValidationError):
        rs.create_recipe(
            "Fudge",
            category="Candies",
            yield_quantity=24,
            yield_unit="piece",
            ingredients=[("sugar", 2, "cup"), ("sugar", "lots", "cup")],
        )
    assert _rows(Recipe) == 0 and _rows(RecipeIngredient) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "Name is required"),
        ({"yield_quantity": 0}, "Yield must be greater than 0"),
        ({"yield_quantity": "many"}, "Yield must be a number"),
        ({"yield_unit": " "}, "Yield unit is required"),
        ({"estimated_time_minutes": "1.5"}, "whole number"),
    ],
)
def test_bad_recipe_fields(engine, kwargs, message):
    args = {"name": "Fudge", "category": "Candies", "yield_quantity": 24, "yield_unit": "piece"}
    args |= kwargs
    with pytest.raises(ValidationError, match=message):
        rs.create_recipe(args.pop("name"), **args)
    assert _rows(Recipe) == 0


def test_names_are_unique_and_slugs_stable(engine):
    fudge = recipe("Fudge")
    with pytest.raises(ValidationError, match="already exists"):
        recipe("FUDGE")
    renamed = rs.update_recipe(fudge.id, name="Dark Fudge", category="candies")
    assert (renamed.slug, renamed.name, renamed.category) == ("fudge", "Dark Fudge", "Candies")
    with pytest.raises(RecipeNotFoundError):
        rs.get_recipe(999)
    with pytest.raises(ValidationError, match="Unknown recipe field"):
        rs.update_recipe(fudge.id, slug="x")


def test_list_filters(engine):
    rs.create_recipe("Shortbread", category="Cookies", yield_quantity=24, yield_unit="cookie")
    rs.create_recipe("Brownies", category="brownies", yield_quantity=16, yield_unit="piece")
    assert [r.name for r in rs.list_recipes(category="cookies")] == ["Shortbread"]
    assert [r.name for r in rs.list_recipes(search="BROWN")] == ["Brownies"]
    assert "Cookies" in rs.list_categories()


def test_tree_loading_uses_a_fixed_number_of_queries(three_levels):
    from sqlalchemy import event

    cake, *_ = three_levels
    statements: list[str] = []
    event.listen(
        db.SessionLocal.kw["bind"], "before_cursor_execute", lambda *a: statements.append(a[2])
    )
    rs.get_aggregated_ingredients(cake.id)
    assert len([s for s in statements if "SELECT" in s.upper()]) <= 6


# --- reliability fixes (008 T8) -------------------------------------------------------------------


def test_ingredients_none_is_a_recipe_without_lines(engine):
    plain = rs.create_recipe(
        "Plain", category="Misc", yield_quantity=1, yield_unit="each", ingredients=None
    )
    assert rs.get_recipe_detail(plain.id).ingredients == []


@pytest.mark.parametrize("lines", [5, "abc", {"flour": 1}, b"x"])
def test_ingredients_that_are_not_a_list_of_lines_are_refused(engine, lines):
    with pytest.raises(ValidationError, match="list of"):
        rs.create_recipe(
            "Odd", category="Misc", yield_quantity=1, yield_unit="each", ingredients=lines
        )
    assert _rows(Recipe) == 0


@pytest.mark.parametrize(
    "kwargs", [{"category": True}, {"category": 5}, {"search": ["x"]}, {"search": "\udc80"}]
)
def test_recipe_filters_must_be_text(engine, kwargs):
    with pytest.raises(ValidationError, match=r"Category|Search"):
        rs.list_recipes(**kwargs)


def test_recipe_filters_trim_and_ignore_case(engine):
    rs.create_recipe("Plain Cake", category="Cakes", yield_quantity=1, yield_unit="each")
    assert [r.name for r in rs.list_recipes(category=" cakes ", search=" PLAIN ")] == ["Plain Cake"]
    assert [r.name for r in rs.list_recipes(category="  ")] == ["Plain Cake"]


@pytest.mark.parametrize("huge", [2**63, 2**64, -(2**63) - 1])
def test_recipe_ids_beyond_64_bits_are_not_found(engine, huge):
    with pytest.raises(RecipeNotFoundError):
        rs.get_recipe(huge)


def test_one_trees_read_with_its_ingredients_equals_the_read_of_many(three_levels):
    """``load_tree`` of one root reads lines with their ingredients in one statement; it must
    build what the read of several roots builds (lines and ingredients apart): same lines in
    the same order, one object per ingredient, each custom unit once and in id order, even
    when the ingredient is on several lines."""
    from bake_tracker.services import recipe_tree

    cake, *_ = three_levels
    for to_quantity in (8, 5):  # two custom units on butter, which two lines use
        cs.add_unit_conversion(
            "butter",
            from_unit=f"stick{to_quantity}",
            from_quantity=1,
            to_unit="tbsp",
            to_quantity=to_quantity,
        )
    with db.session_scope() as s:
        one = recipe_tree.load_tree(s, cake.id)
        many = recipe_tree.load_tree(s, [cake.id])
    assert repr(one) == repr(many)
    lines = [line for r in one.values() for line in r.ingredients]
    butter = {id(line.ingredient) for line in lines if line.ingredient.slug == "butter"}
    assert len(lines) == 6 and len(butter) == 1
    ingredient = next(line.ingredient for line in lines if line.ingredient.slug == "butter")
    assert [c.from_unit for c in ingredient.unit_conversions] == ["stick8", "stick5"]
