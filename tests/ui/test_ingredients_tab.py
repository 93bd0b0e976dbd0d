"""The Ingredients tab on a real display: list, search, dialogs, products, custom units, deletes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bake_tracker.services import catalog_service, inventory_service
from bake_tracker.ui.app import App
from bake_tracker.ui.ingredients.dialogs import (
    IngredientDialog,
    ProductDialog,
    UnitConversionDialog,
)
from bake_tracker.ui.ingredients.tab import EMPTY_INGREDIENTS, IngredientsTab
from bake_tracker.ui.kit.dialog import FormDialog
from bake_tracker.ui.kit.table import DataTable

pytestmark = pytest.mark.gui


def type_into(entry, text: str) -> None:
    entry.delete(0, "end")
    entry.insert(0, text)


def show_tab(app: App) -> IngredientsTab:
    app.tabs.set("Ingredients")
    app.update()
    tab = app.tab_frames["Ingredients"]
    assert isinstance(tab, IngredientsTab)
    return tab


def open_add_dialog(app: App) -> IngredientDialog:
    tab = show_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, IngredientDialog)
    app.update()
    return dialog


def fill_ingredient(dialog: IngredientDialog, name: str, **fields: str) -> None:
    type_into(dialog.name_entry, name)
    dialog.category_box.set(fields.get("category", "Flour"))
    dialog.unit_box.set(fields.get("unit", "cup"))
    type_into(dialog.volume_entry, fields.get("volume", ""))
    type_into(dialog.weight_entry, fields.get("weight", ""))


def make_flour(**extra) -> str:
    return catalog_service.create_ingredient(
        "All-purpose flour", category="Flour", recipe_unit="cup", **extra
    ).slug


def make_product(slug: str, **extra):
    fields = {"purchase_unit": "cup", "purchase_quantity": "10", "brand": "King Arthur"} | extra
    return catalog_service.create_product(slug, **fields)


def table_texts(table: DataTable) -> list[tuple[str, ...]]:
    return [table.row_values(iid) for iid in table.row_ids()]


# --- list ---------------------------------------------------------------------------------------


def test_fresh_database_shows_the_empty_state_and_no_detail(app: App) -> None:
    tab = show_tab(app)
    assert tab.table.row_ids() == []
    assert tab.table.empty_state_shown
    assert tab.table.empty_label.cget("text") == EMPTY_INGREDIENTS
    assert tab.edit_button.cget("state") == "disabled"
    assert tab.delete_button.cget("state") == "disabled"
    assert tab.detail.placeholder.winfo_ismapped()


def test_add_ingredient_with_density_through_the_dialog(app: App) -> None:
    dialog = open_add_dialog(app)
    assert dialog.winfo_viewable()  # shown and modal
    assert dialog.grab_status() == "local"
    fill_ingredient(dialog, "All-purpose flour", volume="1", weight="4.25")
    dialog.volume_unit_menu.set("cup")
    dialog.weight_unit_menu.set("oz")
    dialog.notes_text.insert("1.0", "Unbleached.\nKeep dry.")
    dialog.ok_button.invoke()
    app.update()

    assert not dialog.winfo_exists()
    assert dialog.result.display_name == "All-purpose flour"
    tab = app.tab_frames["Ingredients"]
    assert table_texts(tab.table) == [
        ("All-purpose flour", "Flour", "cup", "1 cup = 4.25 oz", "0", "")
    ]
    assert not tab.table.empty_state_shown
    assert tab.table.selected_id() == "all_purpose_flour"  # the new row is selected
    assert tab.detail.title_label.cget("text") == "All-purpose flour"
    assert "1 cup = 4.25 oz" in tab.detail.facts_label.cget("text")
    assert app.status_label.cget("text") == "Saved ingredient “All-purpose flour”."
    saved = catalog_service.get_ingredient("all_purpose_flour")
    assert saved.density_weight_value == Decimal("4.25")
    assert saved.notes == "Unbleached.\nKeep dry."


def test_packaging_ingredient_gets_a_check_mark(app: App) -> None:
    dialog = open_add_dialog(app)
    fill_ingredient(dialog, "Cello bags", category="Bags", unit="each")
    dialog.packaging_check.select()
    dialog.ok_button.invoke()
    app.update()
    row = table_texts(app.tab_frames["Ingredients"].table)[0]
    assert row[0] == "Cello bags" and row[3] == "—" and row[5] == "✓"
    assert catalog_service.get_ingredient("cello_bags").is_packaging


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Name is required."),
        ({"category": ""}, "Category is required."),
        ({"unit": "smidgen"}, "“smidgen” is not a unit I know"),
        ({"volume": "1"}, "Density needs both amounts"),
        ({"volume": "abc", "weight": "4"}, "Density volume must be a number"),
        ({"volume": "1", "weight": "-4"}, "Density weight cannot be negative."),
    ],
)
def test_invalid_ingredient_shows_an_inline_error_and_writes_nothing(
    app: App, fields: dict[str, str], message: str
) -> None:
    dialog = open_add_dialog(app)
    fill_ingredient(dialog, fields.pop("name", "Sugar"), **fields)
    dialog.ok_button.invoke()
    app.update()
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert dialog.result is None
    assert catalog_service.list_ingredients() == []
    assert app.show_error.calls == []  # field problems never use a message box


def test_a_service_refusal_is_shown_inline_too(app: App) -> None:
    make_flour()
    dialog = open_add_dialog(app)
    fill_ingredient(dialog, "all-purpose FLOUR")
    dialog.ok_button.invoke()
    assert "already exists" in dialog.error_text
    assert len(catalog_service.list_ingredients()) == 1


def test_fixing_the_error_then_ok_saves_and_clears_the_red_border(app: App) -> None:
    dialog = open_add_dialog(app)
    fill_ingredient(dialog, "")
    normal_border = dialog.category_box.cget("border_color")
    dialog.ok_button.invoke()
    assert dialog.error_text == "Name is required."
    assert dialog.name_entry.cget("border_color") != normal_border
    type_into(dialog.name_entry, "Sugar")
    dialog.category_box.set("Sugar")
    dialog.ok_button.invoke()
    app.update()
    assert catalog_service.get_ingredient("sugar").category == "Sugar"


def test_enter_is_ok_and_escape_is_cancel(app: App) -> None:
    dialog = open_add_dialog(app)
    fill_ingredient(dialog, "Sugar", category="Sugar")
    dialog.name_entry.focus_force()
    app.update()
    dialog.name_entry.event_generate("<Return>")
    app.update()
    assert not dialog.winfo_exists()
    assert [i.display_name for i in catalog_service.list_ingredients()] == ["Sugar"]

    dialog = open_add_dialog(app)
    fill_ingredient(dialog, "Salt", category="Spices")
    dialog.name_entry.focus_force()
    app.update()
    dialog.name_entry.event_generate("<Escape>")
    app.update()
    assert not dialog.winfo_exists()
    assert dialog.result is None
    assert [i.display_name for i in catalog_service.list_ingredients()] == ["Sugar"]


def test_edit_prefills_the_dialog_and_saves_changes(app: App) -> None:
    make_flour(
        density_volume_value="1",
        density_volume_unit="cup",
        density_weight_value="4.25",
        density_weight_unit="oz",
    )
    tab = show_tab(app)
    tab.refresh()
    tab.table.select("all_purpose_flour")
    tab.edit_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, IngredientDialog)
    assert dialog.name_entry.get() == "All-purpose flour"
    assert dialog.unit_box.get() == "cup"
    assert (dialog.volume_entry.get(), dialog.weight_entry.get()) == ("1", "4.25")
    type_into(dialog.name_entry, "AP flour")
    type_into(dialog.weight_entry, "4.5")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(tab.table)[0][:4] == ("AP flour", "Flour", "cup", "1 cup = 4.5 oz")
    assert tab.table.selected_id() == "all_purpose_flour"  # the slug stays


def test_search_filters_as_you_type_and_the_kind_filter(app: App) -> None:
    make_flour()
    catalog_service.create_ingredient("Brown sugar", category="Sugar", recipe_unit="cup")
    catalog_service.create_ingredient(
        "Gift boxes", category="Boxes", recipe_unit="each", is_packaging=True
    )
    tab = show_tab(app)
    assert len(tab.table.row_ids()) == 3
    tab.search_entry.insert(0, "sug")
    app.update()
    assert tab.table.column_values("name") == ["Brown sugar"]
    tab.search_entry.delete(0, "end")
    tab.kind_filter.set("Packaging")
    app.update()
    assert tab.table.column_values("name") == ["Gift boxes"]
    tab.kind_filter.set("Food")
    assert tab.table.column_values("name") == ["All-purpose flour", "Brown sugar"]
    tab.search_entry.insert(0, "zzz")
    assert tab.table.row_ids() == []
    assert tab.table.empty_label.cget("text") == "No ingredients match this search."


def test_an_ingredient_added_while_the_search_hides_it_is_shown_and_selected(app: App) -> None:
    make_flour()
    tab = show_tab(app)
    tab.search_entry.insert(0, "flour")
    tab.kind_filter.set("Packaging")
    app.update()
    dialog = open_add_dialog(app)
    fill_ingredient(dialog, "Cane sugar", category="Sugar")
    dialog.ok_button.invoke()
    app.update()
    assert tab.search_var.get() == "" and tab.kind_var.get() == "All"
    assert tab.table.selected_id() == "cane_sugar"
    assert "Cane sugar" in tab.table.column_values("name")


def test_sorting_by_a_heading_reorders_rows_and_toggles(app: App) -> None:
    flour = make_flour()
    make_product(flour)
    make_product(flour, brand="Gold Medal")
    sugar = catalog_service.create_ingredient("Sugar", category="Sugar", recipe_unit="cup").slug
    make_product(sugar)
    catalog_service.create_ingredient("Anise", category="Spices", recipe_unit="tsp")
    tab = show_tab(app)
    assert tab.table.column_values("name") == ["All-purpose flour", "Anise", "Sugar"]
    tab.table.tree.tk.call(tab.table.tree.heading("products", "command"))  # a heading click
    assert tab.table.column_values("products") == ["0", "1", "2"]
    assert tab.table.tree.heading("products", "text") == "Products ▲"
    tab.table.sort_by("products")
    assert tab.table.column_values("name") == ["All-purpose flour", "Sugar", "Anise"]
    assert tab.table.tree.heading("products", "text") == "Products ▼"
    tab.table.sort_by("name")
    assert tab.table.column_values("name") == ["All-purpose flour", "Anise", "Sugar"]
    assert tab.table.tree.heading("products", "text") == "Products"
    tab.refresh()  # the chosen order survives a refresh
    assert tab.table.tree.heading("name", "text") == "Name ▲"


def test_delete_asks_first_and_removes_the_ingredient(app: App) -> None:
    make_flour()
    tab = show_tab(app)
    tab.table.select("all_purpose_flour")
    app.ask_confirm.result = False
    tab.delete_button.invoke()
    assert len(app.ask_confirm.calls) == 1
    assert "All-purpose flour" in app.ask_confirm.calls[0][0]
    assert len(catalog_service.list_ingredients()) == 1
    app.ask_confirm.result = True
    tab.delete_button.invoke()
    assert catalog_service.list_ingredients() == []
    assert tab.table.row_ids() == []
    assert app.status_label.cget("text") == "Deleted ingredient “All-purpose flour”."


def test_delete_refused_for_an_ingredient_with_products_shows_the_message(app: App) -> None:
    make_product(make_flour())
    tab = show_tab(app)
    tab.table.select("all_purpose_flour")
    tab.delete_button.invoke()
    [(title, message)] = app.show_error.calls
    assert title == "Cannot delete ingredient"
    assert message == "'All-purpose flour' is still used by 1 product. Remove those first."
    assert app.ask_confirm.calls == []  # refused first: no "are you sure?" before a refusal
    assert len(catalog_service.list_ingredients()) == 1


# --- products -----------------------------------------------------------------------------------


def select_flour(app: App) -> IngredientsTab:
    tab = show_tab(app)
    tab.refresh()
    tab.table.select("all_purpose_flour")
    return tab


def test_add_product_through_the_dialog_shows_it_in_the_detail_panel(app: App) -> None:
    make_flour(
        density_volume_value="1",
        density_volume_unit="cup",
        density_weight_value="4.25",
        density_weight_unit="oz",
    )
    tab = select_flour(app)
    assert tab.detail.products_table.empty_state_shown
    tab.detail.add_product_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, ProductDialog)
    assert dialog.unit_box.get() == "cup"  # the recipe unit is the first suggestion
    type_into(dialog.brand_entry, "King Arthur")
    type_into(dialog.size_entry, "25 lb")
    dialog.type_box.set("bag")
    dialog.unit_box.set("lb")
    type_into(dialog.quantity_entry, "25")
    dialog.preferred_check.select()
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(tab.detail.products_table) == [
        ("★", "King Arthur 25 lb bag", "lb", "25 lb", "—")
    ]
    assert tab.table.column_values("products") == ["1"]
    [product] = catalog_service.list_products("all_purpose_flour")
    assert product.preferred and product.purchase_quantity == Decimal(25)
    assert app.status_label.cget("text") == "Saved product “King Arthur 25 lb bag”."


@pytest.mark.parametrize(
    ("unit", "quantity", "message"),
    [
        ("lb", "abc", "Package quantity must be a number"),
        ("lb", "0", "Package quantity must be more than 0."),
        ("smidgen", "1", "“smidgen” is not a unit I know"),
        ("lb", "25", "set its density or add a custom unit"),  # the service says so
    ],
)
def test_invalid_product_shows_an_inline_error_and_writes_nothing(
    app: App, unit: str, quantity: str, message: str
) -> None:
    make_flour()
    tab = select_flour(app)
    tab.on_add_product()
    dialog = tab.active_dialog
    dialog.unit_box.set(unit)
    type_into(dialog.quantity_entry, quantity)
    dialog.ok_button.invoke()
    assert message in dialog.error_text
    assert catalog_service.list_products("all_purpose_flour") == []


def test_latest_price_set_preferred_edit_and_delete_product(app: App) -> None:
    flour = make_flour()
    first = make_product(flour, preferred=True)
    second = make_product(flour, brand="Gold Medal", purchase_quantity="5")
    inventory_service.record_purchase(second.id, quantity="5", total_cost="4.29")
    tab = select_flour(app)
    detail = tab.detail
    assert table_texts(detail.products_table) == [
        ("★", "King Arthur", "cup", "10 cups", "—"),
        ("", "Gold Medal", "cup", "5 cups", "$0.858/cup"),
    ]
    assert detail.edit_product_button.cget("state") == "disabled"
    detail.products_table.select(str(second.id))
    assert detail.preferred_button.cget("state") == "normal"
    detail.preferred_button.invoke()
    assert catalog_service.get_product(second.id).preferred
    assert not catalog_service.get_product(first.id).preferred
    assert detail.preferred_button.cget("state") == "disabled"  # already preferred

    detail.edit_product_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, ProductDialog)
    assert dialog.brand_entry.get() == "Gold Medal"
    type_into(dialog.size_entry, "5 lb")
    dialog.ok_button.invoke()
    app.update()
    assert catalog_service.get_product(second.id).display_name == "Gold Medal 5 lb"

    detail.products_table.select(str(second.id))
    detail.delete_product_button.invoke()  # bought once: refused
    [(title, message)] = app.show_error.calls
    assert title == "Cannot delete product" and "1 purchase(s)" in message
    detail.products_table.select(str(first.id))
    detail.delete_product_button.invoke()
    assert [p.id for p in catalog_service.list_products(flour)] == [second.id]
    assert detail.products_table.row_ids() == [str(second.id)]


# --- custom units -------------------------------------------------------------------------------


def test_add_and_remove_a_custom_unit(app: App) -> None:
    catalog_service.create_ingredient("Butter", category="Dairy", recipe_unit="cup")
    tab = show_tab(app)
    tab.refresh()
    tab.table.select("butter")
    tab.detail.add_unit_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, UnitConversionDialog)
    dialog.from_unit_box.set("stick")
    type_into(dialog.to_quantity_entry, "abc")
    dialog.ok_button.invoke()
    assert "Amount must be a number" in dialog.error_text
    type_into(dialog.to_quantity_entry, "0.5")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(tab.detail.units_table) == [("1 stick = 0.5 cup",)]
    assert app.status_label.cget("text") == "Added the custom unit 1 stick = 0.5 cup."

    tab.detail.add_product_button.invoke()  # the new unit is offered for products
    product_dialog = tab.active_dialog
    assert "stick" in product_dialog.unit_box.cget("values")
    product_dialog.on_cancel()

    [conversion] = catalog_service.list_unit_conversions("butter")
    assert tab.detail.remove_unit_button.cget("state") == "disabled"
    tab.detail.units_table.select(str(conversion.id))
    tab.detail.remove_unit_button.invoke()
    assert catalog_service.list_unit_conversions("butter") == []
    assert tab.detail.units_table.empty_state_shown


def test_dialogs_can_be_built_hidden_for_tests(app: App) -> None:
    dialog = IngredientDialog(app, show=False)
    app.update()
    assert isinstance(dialog, FormDialog)
    assert not dialog.winfo_viewable()
    assert dialog.grab_current() is None
    fill_ingredient(dialog, "Sugar", category="Sugar")
    dialog.on_ok()
    assert dialog.result is not None and dialog.result.slug == "sugar"


def test_the_ingredient_unit_picker_offers_lengths_for_packaging_only(app: App) -> None:
    dialog = IngredientDialog(app, show=False)
    assert "cm" not in dialog.unit_box.cget("values")
    dialog.packaging_check.toggle()
    assert "yd" in dialog.unit_box.cget("values")
    dialog.close()
