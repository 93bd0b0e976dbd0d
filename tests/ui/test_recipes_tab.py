"""The Recipes tab on a real display: the list, the recipe editor, sub-recipes, cost, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service
from bake_tracker.services import recipe_service as rs
from bake_tracker.ui import forms
from bake_tracker.ui.app import App
from bake_tracker.ui.kit.dialog import QuantityDialog
from bake_tracker.ui.kit.table import DataTable
from bake_tracker.ui.recipes.dialogs import IngredientLineDialog, RecipeDialog, SubRecipeDialog
from bake_tracker.ui.recipes.tab import EMPTY_RECIPES, RecipesTab

pytestmark = pytest.mark.gui


# --- helpers ------------------------------------------------------------------------------------


def type_into(entry, text: str) -> None:
    entry.delete(0, "end")
    entry.insert(0, text)


def table_texts(table: DataTable) -> list[tuple[str, ...]]:
    return [table.row_values(iid) for iid in table.row_ids()]


def show_tab(app: App) -> RecipesTab:
    app.tabs.set("Recipes")
    app.update()
    tab = app.tab_frames["Recipes"]
    assert isinstance(tab, RecipesTab)
    return tab


def cup_ingredient(name: str, cups: str | None = None, cost: str | None = None, **kw) -> str:
    """An ingredient counted in cups (or ``recipe_unit``), with one lot when ``cups`` is given."""
    unit = kw.pop("recipe_unit", "cup")
    made = cs.create_ingredient(name, category="Misc", recipe_unit=unit, **kw)
    if cups is not None:
        product = cs.create_product(made.slug, purchase_unit=unit, purchase_quantity=10)
        inventory_service.add_to_inventory(
            product.id, quantity=cups, unit_cost=cost, purchase_date="2024-01-01"
        )
    return made.slug


@pytest.fixture
def pantry() -> None:
    """Flour $0.50/cup (10), sugar $0.60/cup (5), powdered sugar $0.50/cup (4), saffron unpriced."""
    cup_ingredient("Flour", "10", "0.50")
    cup_ingredient("Sugar", "5", "0.60")
    cup_ingredient("Powdered sugar", "4", "0.50")
    cup_ingredient("Saffron", recipe_unit="tsp")


def add_recipe(app: App, name: str, category: str, quantity: str, unit: str) -> RecipeDialog:
    tab = show_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, RecipeDialog)
    type_into(dialog.name_entry, name)
    dialog.category_box.set(category)
    type_into(dialog.yield_entry, quantity)
    dialog.yield_unit_box.set(unit)
    dialog.ok_button.invoke()
    app.update()
    return dialog


def add_line(app: App, ingredient: str, quantity: str, unit: str | None = None):
    tab = show_tab(app)
    tab.detail.add_line_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, IngredientLineDialog)
    dialog.choose_ingredient(ingredient)
    type_into(dialog.quantity_entry, quantity)
    if unit is not None:
        dialog.unit_box.set(unit)
    dialog.ok_button.invoke()
    app.update()
    return dialog


def add_sub_recipe(app: App, name: str, batches: str) -> SubRecipeDialog:
    tab = show_tab(app)
    tab.detail.add_component_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, SubRecipeDialog)
    dialog.select_recipe(name)
    type_into(dialog.batches_entry, batches)
    dialog.ok_button.invoke()
    app.update()
    return dialog


def select_recipe(app: App, name: str) -> RecipesTab:
    tab = show_tab(app)
    tab.refresh()
    [recipe] = [r for r in rs.list_recipes() if r.name == name]
    tab.table.select(str(recipe.id))
    return tab


def label(widget) -> str:
    return str(widget.cget("text"))


def recipe_named(name: str):
    return next(r for r in rs.list_recipes() if r.name == name)


# --- pure texts ---------------------------------------------------------------------------------


def test_choice_labels_and_percentages_read_as_words() -> None:
    assert forms.choice_label("count_correction") == "Count correction"
    assert forms.choice_label("gift", {"gift": "Given away"}) == "Given away"
    assert forms.format_percent(Decimal("25.00")) == "25%"
    assert forms.format_percent(Decimal("12.5")) == "12.5%"


# --- the list -----------------------------------------------------------------------------------


def test_fresh_database_shows_the_empty_state_and_the_hint(app: App) -> None:
    tab = show_tab(app)
    assert tab.table.row_ids() == []
    assert tab.table.empty_state_shown
    assert tab.table.empty_label.cget("text") == EMPTY_RECIPES
    assert tab.edit_button.cget("state") == "disabled"
    assert tab.delete_button.cget("state") == "disabled"
    assert tab.detail.placeholder.winfo_ismapped()
    assert not tab.detail.showing


def test_search_and_category_filter(app: App) -> None:
    rs.create_recipe("Sugar Cookies", category="Cookies", yield_quantity=48, yield_unit="cookie")
    rs.create_recipe("Brownies", category="Bars", yield_quantity=24, yield_unit="brownie")
    rs.create_recipe(
        "Gingerbread", category="Holiday specials", yield_quantity=3, yield_unit="loaf"
    )
    tab = show_tab(app)
    assert table_texts(tab.table) == [
        ("Brownies", "Bars", "24 brownies"),
        ("Gingerbread", "Holiday specials", "3 loaves"),
        ("Sugar Cookies", "Cookies", "48 cookies"),
    ]
    values = tab.category_filter.cget("values")
    assert values[0] == "All categories" and "Cookies" in values
    assert values[-1] == "Holiday specials"  # a category the user typed is offered too
    tab.category_var.set("Cookies")
    assert tab.table.column_values("name") == ["Sugar Cookies"]
    tab.category_var.set("All categories")
    tab.search_entry.insert(0, "ginger")
    assert tab.table.column_values("name") == ["Gingerbread"]
    tab.search_entry.insert("end", "zzz")
    assert tab.table.row_ids() == []
    assert tab.table.empty_label.cget("text") == "No recipes match this search."


def test_a_recipe_added_while_a_filter_hides_it_is_shown_and_selected(app: App) -> None:
    add_recipe(app, "Sugar Cookies", "Cookies", "48", "cookie")
    add_recipe(app, "Brownies", "Bars", "24", "brownie")
    tab = show_tab(app)
    tab.category_var.set("Cookies")
    tab.search_entry.insert(0, "sugar")
    assert tab.table.column_values("name") == ["Sugar Cookies"]
    add_recipe(app, "Lemon Bars", "Bars", "16", "bar")  # matches neither filter
    assert "Lemon Bars" in tab.table.column_values("name")
    assert tab.search_var.get() == "" and tab.category_var.get() == "All categories"
    assert tab.selected().name == "Lemon Bars"
    assert tab.detail.title_label.cget("text") == "Lemon Bars"


def test_a_recipe_the_filter_shows_keeps_the_filter(app: App) -> None:
    add_recipe(app, "Sugar Cookies", "Cookies", "48", "cookie")
    tab = show_tab(app)
    tab.search_entry.insert(0, "cook")
    add_recipe(app, "Oat Cookies", "Cookies", "36", "cookie")
    assert tab.search_var.get() == "cook"
    assert tab.selected().name == "Oat Cookies"


# --- the editor: the main scenario --------------------------------------------------------------


def test_build_a_recipe_with_a_sub_recipe_and_see_its_needs_and_cost(app: App, pantry) -> None:
    add_recipe(app, "Royal Icing", "Frostings & Fillings", "2", "cup")
    tab = show_tab(app)
    assert tab.detail.title_label.cget("text") == "Royal Icing"  # the new recipe is selected
    assert app.status_label.cget("text") == "Saved recipe “Royal Icing”."
    assert label(tab.detail.make_label).startswith("Add ingredients to see")
    add_line(app, "Powdered sugar", "2")
    add_line(app, "Saffron", "1")
    assert table_texts(tab.detail.lines_table) == [
        ("Powdered sugar", "2", "cup"),
        ("Saffron", "1", "tsp"),  # the unit defaulted to the ingredient's recipe unit
    ]
    assert label(tab.detail.cost_label) == "Cost per batch $1.00 · per cup $0.50"
    assert label(tab.detail.unpriced_label).startswith("No price yet: Saffron")

    add_recipe(app, "Sugar Cookies", "Cookies", "48", "cookie")
    add_line(app, "Flour", "2")
    add_line(app, "Sugar", "1")
    add_sub_recipe(app, "Royal Icing", "0.5")
    assert app.status_label.cget("text") == "Added Royal Icing to “Sugar Cookies”."
    detail = tab.detail
    assert table_texts(detail.components_table) == [("Royal Icing", "× 0.5")]
    assert table_texts(detail.needs_table) == [
        ("Flour", "2 cup", "Sugar Cookies 2 cup"),
        ("Powdered sugar", "1 cup", "Royal Icing 1 cup"),
        ("Saffron", "0.5 tsp", "Royal Icing 0.5 tsp"),
        ("Sugar", "1 cup", "Sugar Cookies 1 cup"),
    ]
    # flour 2 × 0.50 + sugar 1 × 0.60 + icing (2 × 0.50 + saffron 0) × 0.5 = 2.10; ÷ 48 = 0.04375
    assert label(detail.cost_label) == "Cost per batch $2.10 · per cookie $0.0438"
    assert label(detail.unpriced_label) == (
        "No price yet: Saffron (counted as $0 until you record a purchase)."
    )
    assert detail.unpriced_label.winfo_manager() == "grid"
    assert label(detail.make_label) == (
        "Nothing to make it from yet: the pantry does not cover one batch."
    )

    saffron = cs.create_product("saffron", purchase_unit="tsp", purchase_quantity=10)
    inventory_service.add_to_inventory(saffron.id, quantity="3", unit_cost="2.00")
    app.tabs.set("Pantry")
    app.tabs.set("Recipes")  # showing the tab again reloads it
    app.update()
    # + saffron 0.5 tsp × $2.00 = 3.10 a batch; flour 5, sugar 5, powdered 4, saffron 6 → 4
    assert label(detail.cost_label) == "Cost per batch $3.10 · per cookie $0.0646"
    assert detail.unpriced_label.winfo_manager() == ""
    assert label(detail.make_label) == "You can make 4 batches now."
    estimate = rs.get_cost_estimate(recipe_named("Sugar Cookies").id)
    assert estimate.cost_per_batch == Decimal("3.10")


def test_edit_and_remove_a_line_and_change_the_batch_multiplier(app: App, pantry) -> None:
    icing = rs.create_recipe(
        "Icing", category="Other", yield_quantity=2, yield_unit="cup",
        ingredients=[("powdered_sugar", 2, "cup")],
    )  # fmt: skip
    cookies = rs.create_recipe(
        "Cookies", category="Cookies", yield_quantity=48, yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )  # fmt: skip
    rs.add_recipe_component(cookies.id, icing.id, quantity=1)
    tab = select_recipe(app, "Cookies")
    detail = tab.detail
    assert detail.edit_line_button.cget("state") == "disabled"
    [flour_line, sugar_line] = detail.detail.ingredients
    detail.lines_table.select(str(flour_line.id))
    assert detail.edit_line_button.cget("state") == "normal"
    detail.edit_line_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, IngredientLineDialog)
    assert (dialog.quantity_entry.get(), dialog.unit_box.get()) == ("2", "cup")
    type_into(dialog.quantity_entry, "8")
    dialog.unit_box.set("tbsp")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(detail.lines_table)[0] == ("Flour", "8", "tbsp")
    assert table_texts(detail.needs_table)[0] == ("Flour", "0.5 cup", "Cookies 0.5 cup")

    detail.lines_table.select(str(sugar_line.id))
    app.ask_confirm.result = False
    detail.remove_line_button.invoke()
    assert len(detail.lines_table.row_ids()) == 2
    app.ask_confirm.result = True
    detail.remove_line_button.invoke()
    assert app.ask_confirm.calls[-1] == ("Remove Sugar from “Cookies”?",)
    assert [line.ingredient_name for line in rs.get_recipe_detail(cookies.id).ingredients] == [
        "Flour"
    ]

    detail.components_table.select(str(icing.id))
    detail.edit_component_button.invoke()
    multiplier = tab.active_dialog
    assert isinstance(multiplier, QuantityDialog)
    assert multiplier.quantity_entry.get() == "1"
    type_into(multiplier.quantity_entry, "0")
    multiplier.ok_button.invoke()
    assert multiplier.error_text == "Batches must be more than 0."
    type_into(multiplier.quantity_entry, "2")
    multiplier.ok_button.invoke()
    app.update()
    assert table_texts(detail.components_table) == [("Icing", "× 2")]
    assert ("Powdered sugar", "4 cup", "Icing 4 cup") in table_texts(detail.needs_table)
    assert app.status_label.cget("text") == "“Cookies” now uses 2 batches of Icing."

    detail.components_table.select(str(icing.id))
    detail.remove_component_button.invoke()
    assert app.ask_confirm.calls[-1] == ("Remove the sub-recipe Icing from “Cookies”?",)
    assert rs.get_recipe_components(cookies.id) == []
    assert detail.components_table.empty_state_shown
    assert app.status_label.cget("text") == "Removed Icing from “Cookies”."
    assert detail.edit_component_button.cget("state") == "disabled"
    assert detail.remove_component_button.cget("state") == "disabled"


def test_edit_a_recipe_and_enter_escape(app: App) -> None:
    rs.create_recipe("Cookies", category="Cookies", yield_quantity=48, yield_unit="cookie")
    tab = select_recipe(app, "Cookies")
    tab.edit_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, RecipeDialog)
    assert (dialog.name_entry.get(), dialog.yield_entry.get()) == ("Cookies", "48")
    type_into(dialog.yield_entry, "36")
    dialog.name_entry.focus_force()
    app.update()
    dialog.name_entry.event_generate("<Return>")
    app.update()
    assert not dialog.winfo_exists()
    assert tab.table.row_values(tab.table.selected_id()) == ("Cookies", "Cookies", "36 cookies")
    assert "one batch makes 36 cookies" in label(tab.detail.facts_label)

    tab.add_button.invoke()
    dialog = tab.active_dialog
    type_into(dialog.name_entry, "Scones")
    dialog.name_entry.focus_force()
    app.update()
    dialog.name_entry.event_generate("<Escape>")
    app.update()
    assert not dialog.winfo_exists()
    assert [r.name for r in rs.list_recipes()] == ["Cookies"]


# --- bad input writes nothing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "quantity", "message"),
    [
        ("  ", "48", "Name is required."),
        ("Scones", "abc", "Yield must be a number"),
        ("Scones", "0", "Yield must be more than 0."),
    ],
)
def test_invalid_recipe_shows_an_inline_error_and_writes_nothing(
    app: App, name: str, quantity: str, message: str
) -> None:
    dialog = add_recipe(app, name, "Breads", quantity, "scone")
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert rs.list_recipes() == []
    assert app.show_error.calls == []


def test_duplicate_recipe_name_is_refused_inline(app: App) -> None:
    rs.create_recipe("Scones", category="Breads", yield_quantity=8, yield_unit="scone")
    dialog = add_recipe(app, "scones", "Breads", "8", "scone")
    assert "already exists" in dialog.error_text
    assert len(rs.list_recipes()) == 1


@pytest.mark.parametrize(
    ("quantity", "unit", "message"),
    [
        ("abc", None, "Quantity must be a number"),
        ("2", "smidgen", "“smidgen” is not a unit I know"),
        ("1", "lb", "Cannot convert lb to cup"),  # the service: flour has no density yet
    ],
)
def test_invalid_line_shows_an_inline_error_and_writes_nothing(
    app: App, pantry, quantity: str, unit: str | None, message: str
) -> None:
    recipe = rs.create_recipe("Bread", category="Breads", yield_quantity=1, yield_unit="loaf")
    select_recipe(app, "Bread")
    dialog = add_line(app, "Flour", quantity, unit)
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert rs.get_recipe_detail(recipe.id).ingredients == []


def test_unit_error_says_what_to_set(app: App, pantry) -> None:
    rs.create_recipe("Bread", category="Breads", yield_quantity=1, yield_unit="loaf")
    select_recipe(app, "Bread")
    dialog = add_line(app, "Flour", "1", "lb")
    assert "density" in dialog.error_text.lower()


def test_line_picker_offers_food_only_and_custom_units(app: App, pantry) -> None:
    butter = cs.create_ingredient("Butter", category="Dairy", recipe_unit="cup").slug
    cs.add_unit_conversion(
        butter, from_quantity=1, from_unit="stick", to_quantity="0.5", to_unit="cup"
    )
    cs.create_ingredient("Gift boxes", category="Boxes", recipe_unit="each", is_packaging=True)
    rs.create_recipe("Bread", category="Breads", yield_quantity=1, yield_unit="loaf")
    select_recipe(app, "Bread")
    dialog = add_line(app, "Butter", "2", "stick")
    assert "Gift boxes" not in dialog.ingredient_menu.cget("values")
    assert not dialog.winfo_exists()
    [line] = rs.get_recipe_detail(recipe_named("Bread").id).ingredients
    assert (line.quantity, line.unit) == (Decimal(2), "stick")


def test_line_dialog_without_ingredients_explains_and_cannot_save(app: App) -> None:
    rs.create_recipe("Bread", category="Breads", yield_quantity=1, yield_unit="loaf")
    tab = select_recipe(app, "Bread")
    tab.detail.add_line_button.invoke()
    dialog = tab.active_dialog
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.on_ok()
    assert "Ingredients tab" in dialog.error_text


@pytest.mark.parametrize(
    ("batches", "message"),
    [("0", "Batches must be more than 0."), ("abc", "Batches must be a number"), ("", "required")],
)
def test_bad_batch_multiplier_shows_an_inline_error(app: App, batches: str, message: str) -> None:
    rs.create_recipe("Icing", category="Other", yield_quantity=2, yield_unit="cup")
    cookies = rs.create_recipe("Cookies", category="Cookies", yield_quantity=4, yield_unit="cookie")
    select_recipe(app, "Cookies")
    dialog = add_sub_recipe(app, "Icing", batches)
    assert message in dialog.error_text
    assert rs.get_recipe_components(cookies.id) == []


def test_a_circle_is_refused_with_the_services_words(app: App) -> None:
    icing = rs.create_recipe("Icing", category="Other", yield_quantity=2, yield_unit="cup")
    cookies = rs.create_recipe("Cookies", category="Cookies", yield_quantity=4, yield_unit="cookie")
    rs.add_recipe_component(cookies.id, icing.id)
    tab = select_recipe(app, "Icing")
    tab.detail.add_component_button.invoke()
    dialog = tab.active_dialog
    assert list(dialog.choices) == ["Cookies"]  # never itself
    dialog.ok_button.invoke()
    assert "would make a circle" in dialog.error_text
    assert "'Cookies' already contains 'Icing'" in dialog.error_text
    assert rs.get_recipe_components(icing.id) == []


def test_nesting_deeper_than_three_levels_is_refused(app: App) -> None:
    names = ["A", "B", "C", "D"]
    made = [rs.create_recipe(n, category="Other", yield_quantity=1, yield_unit="x") for n in names]
    rs.add_recipe_component(made[0].id, made[1].id)
    rs.add_recipe_component(made[1].id, made[2].id)
    select_recipe(app, "C")
    dialog = add_sub_recipe(app, "D", "1")
    assert "levels deep" in dialog.error_text
    assert rs.get_recipe_components(made[2].id) == []


def test_sub_recipe_picker_without_other_recipes_explains(app: App) -> None:
    rs.create_recipe("Solo", category="Other", yield_quantity=1, yield_unit="x")
    tab = select_recipe(app, "Solo")
    tab.detail.add_component_button.invoke()
    dialog = tab.active_dialog
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.on_ok()
    assert dialog.error_text == "Add another recipe first."


# --- deletes ------------------------------------------------------------------------------------


def test_delete_asks_and_refusals_show_the_services_message(app: App) -> None:
    icing = rs.create_recipe("Icing", category="Other", yield_quantity=2, yield_unit="cup")
    cookies = rs.create_recipe("Cookies", category="Cookies", yield_quantity=4, yield_unit="cookie")
    rs.add_recipe_component(cookies.id, icing.id)
    tab = select_recipe(app, "Icing")
    tab.delete_button.invoke()
    assert app.ask_confirm.calls == []  # refused first: no "are you sure?" before a refusal
    [(title, message)] = app.show_error.calls
    assert title == "Cannot delete recipe"
    assert "'Icing' is part of 'Cookies'" in message
    assert len(rs.list_recipes()) == 2

    bread = rs.create_recipe("Bread", category="Breads", yield_quantity=1, yield_unit="loaf")
    fus.create_finished_unit("Loaf", bread.id, items_per_batch=1)
    tab = select_recipe(app, "Bread")
    tab.delete_button.invoke()
    assert "is used by 1 finished unit;" in app.show_error.calls[-1][1]

    tab = select_recipe(app, "Cookies")
    tab.delete_button.invoke()
    assert [r.name for r in rs.list_recipes()] == ["Bread", "Icing"]
    assert app.status_label.cget("text") == "Deleted recipe “Cookies”."
    assert not tab.detail.showing
