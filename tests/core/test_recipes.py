"""Recipe arithmetic on trees built in memory: nesting rules, aggregation, prices and costs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from bake_tracker.core import units
from bake_tracker.core.errors import ValidationError
from bake_tracker.core.recipes import (
    MAX_RECIPE_NESTING_DEPTH,
    TreeComponent,
    TreeConversion,
    TreeIngredient,
    TreeLine,
    TreeRecipe,
    aggregate,
    batch_total,
    choose_price,
    cost_tree,
    nesting_problem,
    price_per_recipe_unit,
)


def ingredient(id_, name, unit="cup", grams_per_cup=None, custom=()):
    return TreeIngredient(
        id_,
        name.lower(),
        name,
        unit,
        False,
        None if grams_per_cup is None else D(1),
        None if grams_per_cup is None else "cup",
        None if grams_per_cup is None else D(grams_per_cup),
        None if grams_per_cup is None else "g",
        [TreeConversion(*c) for c in custom],
    )


def convert(item, quantity, from_unit, to_unit):
    density = None
    if item.density_volume_value is not None:
        density = units.Density(
            item.density_volume_value,
            item.density_volume_unit,
            item.density_weight_value,
            item.density_weight_unit,
        )
    custom = tuple(
        units.CustomConversion(c.from_unit, c.from_quantity, c.to_unit, c.to_quantity)
        for c in item.unit_conversions
    )
    return units.convert(quantity, from_unit, to_unit, density=density, custom=custom)


FLOUR = ingredient(1, "Flour", grams_per_cup=120)
BUTTER = ingredient(2, "Butter", custom=[("stick", D(1), "cup", D("0.5"))])
SUGAR = ingredient(3, "Sugar", grams_per_cup=200)


def line(id_, item, quantity, unit):
    return TreeLine(id_, item.id, item, D(quantity), unit)


def cake_tree() -> dict[int, TreeRecipe]:
    """A cake (one per batch) with half a batch of frosting (two cups per batch) in it."""
    cake = TreeRecipe(1, "Cake", "cake", D(1), "cake")
    cake.ingredients += [line(1, FLOUR, 2, "cup"), line(2, BUTTER, 2, "stick")]
    cake.components.append(TreeComponent(2, D("0.5")))
    frosting = TreeRecipe(2, "Frosting", "frosting", D(2), "cup")
    frosting.ingredients += [line(3, BUTTER, 1, "cup"), line(4, SUGAR, 240, "g")]
    return {1: cake, 2: frosting}


def test_aggregate_scales_converts_and_merges():
    needs = aggregate(cake_tree(), 1, convert, D(2))
    assert [(n.ingredient.display_name, n.quantity, n.sources) for n in needs] == [
        ("Butter", D("3.000"), {"Cake": D("2.000"), "Frosting": D("1.000")}),
        ("Flour", D("4.000"), {"Cake": D("4.000")}),
        ("Sugar", D("1.200"), {"Frosting": D("1.200")}),  # 240 g at 200 g per cup
    ]


def test_aggregate_refuses_a_tree_deeper_than_the_rules_allow():
    chain = {}
    for i in range(1, MAX_RECIPE_NESTING_DEPTH + 3):
        chain[i] = TreeRecipe(i, f"R{i}", f"r{i}", D(1), "batch")
        chain[i].ingredients.append(line(i, FLOUR, 1, "cup"))
        chain[i].components.append(TreeComponent(i + 1, D(1)))
    chain[max(chain)].components.clear()
    with pytest.raises(ValidationError, match="nested too deeply"):
        aggregate(chain, 1, convert)


PRICES = {FLOUR.id: D("0.5"), BUTTER.id: D(2), SUGAR.id: None}


def test_cost_tree_is_its_lines_plus_its_components():
    tree = cost_tree(cake_tree(), 1, PRICES, convert)
    assert (tree.recipe_id, tree.recipe_name) == (1, "Cake")
    assert tree.direct_cost == D("3.0000")  # 2 cup flour at 0.5 + 1 cup of butter (2 sticks) at 2
    assert [(c.recipe_id, c.recipe_name, c.quantity, c.total_cost) for c in tree.components] == [
        (2, "Frosting", D("0.5"), D("1.0000"))  # half a cup of butter; the sugar has no price
    ]
    assert tree.total_cost == D("4.0000") == tree.direct_cost + tree.components[0].total_cost
    assert tree.cost_per_unit == D("4.0000")
    assert tree.unpriced == ["sugar"]


def test_batch_total_agrees_with_the_cost_tree_and_remembers_shared_recipes():
    recipes, totals = cake_tree(), {}
    assert (
        batch_total(recipes, 1, PRICES, convert, totals)
        == cost_tree(recipes, 1, PRICES, convert).total_cost
    )
    assert totals == {(1, D(1)): D("4.0000"), (2, D("0.5")): D("1.0000")}
    assert batch_total(recipes, 2, PRICES, convert, totals) == D("2.0000")


def test_batch_total_equals_the_cost_tree_to_the_last_digit_on_many_trees():
    # batch_total writes the per-line steps out in place (the dashboard's hot loop): the same
    # figure as cost_tree for awkward quantities, prices, units and shared, nested sub-recipes.
    import random

    rng = random.Random(18)
    ingredients = [FLOUR, BUTTER, SUGAR]
    units_of = {FLOUR.id: ["cup", "g", "tbsp", "oz"], BUTTER.id: ["stick", "cup", "tsp"]}
    units_of[SUGAR.id] = ["g", "cup", "kg"]
    for _ in range(200):
        recipes = {}
        for recipe_id in range(1, 6):
            recipe = TreeRecipe(recipe_id, f"R{recipe_id}", f"r{recipe_id}", D(1), "batch")
            for line_id in range(rng.randrange(0, 5)):
                item = rng.choice(ingredients)
                quantity = D(rng.randrange(1, 100_000)) / 1000
                recipe.ingredients.append(
                    line(line_id, item, quantity, rng.choice(units_of[item.id]))
                )
            for child in range(recipe_id + 1, 6):  # acyclic, sub-recipes shared
                if rng.random() < 0.3:
                    recipe.components.append(TreeComponent(child, D(rng.randrange(1, 3000)) / 1000))
            recipes[recipe_id] = recipe
        prices = {
            i.id: None if rng.random() < 0.2 else D(rng.randrange(1, 10**7)) / 10**5
            for i in ingredients
        }
        totals = {}
        for recipe_id in recipes:
            expected = cost_tree(recipes, recipe_id, prices, convert).total_cost
            got = batch_total(recipes, recipe_id, prices, convert, totals)
            assert (str(got), got.as_tuple()) == (str(expected), expected.as_tuple())


def test_cost_per_unit_divides_by_the_yield_of_all_the_batches():
    tree = cost_tree(cake_tree(), 2, PRICES, convert, D(3))
    assert (tree.total_cost, tree.cost_per_unit) == (D("6.0000"), D("1.0000"))  # 6 cups


def test_choose_price_prefers_the_preferred_product_then_the_latest_purchase_then_a_lot():
    older = (False, date(2025, 1, 1), 7, D("3.00"), "lb")
    newer = (False, date(2025, 2, 1), 3, D("4.00"), "kg")
    same_day_later_id = (False, date(2025, 2, 1), 9, D("5.00"), "kg")
    preferred = (True, date(2024, 6, 1), 1, D("2.00"), "bag")
    lot = (D("1.50"), "oz")
    assert choose_price([older, preferred, newer], lot) == (D("2.00"), "bag")
    assert choose_price([older, newer], lot) == (D("4.00"), "kg")
    assert choose_price([newer, same_day_later_id], lot) == (D("5.00"), "kg")
    assert choose_price([], lot) == lot
    assert choose_price([], None) is None


def test_price_per_recipe_unit_converts_from_the_purchase_unit():
    assert price_per_recipe_unit(FLOUR, D("0.80"), "cup", convert) == D("0.80")
    per_cup = price_per_recipe_unit(FLOUR, D("0.80"), "lb", convert)
    grams_per_cup = units.Density(D(1), "cup", D(120), "g")
    assert per_cup == D("0.80") * units.convert(D(1), "cup", "lb", density=grams_per_cup)


EDGES = [(1, 2), (2, 3)]  # 1 contains 2, 2 contains 3: three levels


class R:
    def __init__(self, id_):
        self.id, self.name = id_, f"R{id_}"


@pytest.mark.parametrize(
    ("parent", "child", "problem"),
    [
        (2, 2, "'R2' cannot contain itself"),
        (3, 1, "would make a circle: 'R1' already contains 'R3'"),
        (3, 4, "would nest recipes 4 levels deep; at most 3 levels are allowed"),
        (4, 1, "would nest recipes 4 levels deep"),
        (2, 4, None),
        (1, 4, None),
    ],
)
def test_nesting_rules(parent, child, problem):
    found = nesting_problem(R(parent), R(child), EDGES)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_find_cycles_names_each_loop_as_a_closed_path():
    from bake_tracker.core.recipes import find_cycles

    assert find_cycles([]) == []
    assert find_cycles([(1, 2), (2, 3), (1, 3)]) == []  # shared sub-recipes are not loops
    assert find_cycles([(1, 1)]) == [[1, 1]]
    assert find_cycles([(1, 2), (2, 3), (3, 1), (4, 5)]) == [[1, 2, 3, 1]]
    assert find_cycles([(5, 6), (6, 5), (1, 2), (2, 1)]) == [[1, 2, 1], [5, 6, 5]]


def test_find_cycles_walks_deep_graphs_without_recursion():
    from bake_tracker.core.recipes import find_cycles

    chain = [(i, i + 1) for i in range(100_000)]
    assert find_cycles(chain) == []
    assert find_cycles([*chain, (100_000, 0)]) == [[*range(100_001), 0]]
