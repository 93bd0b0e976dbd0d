"""The Finished Units and Finished Goods tabs on a real display: dialogs, costs, stock, assembly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipe_service as rs
from bake_tracker.ui.app import App
from bake_tracker.ui.finished_goods_tab import (
    EMPTY_GOODS,
    ComponentDialog,
    FinishedGoodDialog,
    FinishedGoodsTab,
)
from bake_tracker.ui.finished_units_tab import (
    EMPTY_UNITS,
    AdjustStockDialog,
    FinishedUnitDialog,
    FinishedUnitsTab,
)
from bake_tracker.ui.kit.dialog import QuantityDialog
from tests.ui.conftest import Recorder, open_tab, table_texts, type_into

pytestmark = pytest.mark.gui


# --- helpers ------------------------------------------------------------------------------------


def units_tab(app: App) -> FinishedUnitsTab:
    return open_tab(app, "Finished Units", FinishedUnitsTab)


def goods_tab(app: App) -> FinishedGoodsTab:
    return open_tab(app, "Finished Goods", FinishedGoodsTab)


def cookie_recipe():
    """Cookies: 2 cup flour at $0.50 + 1 cup sugar at $0.60 = $1.60 a batch of 48."""
    for name, cost in (("Flour", "0.50"), ("Sugar", "0.60")):
        slug = cs.create_ingredient(name, category="Misc", recipe_unit="cup").slug
        product = cs.create_product(slug, purchase_unit="cup", purchase_quantity=10)
        inventory_service.add_to_inventory(product.id, quantity="10", unit_cost=cost)
    return rs.create_recipe(
        "Sugar Cookies",
        category="Cookies",
        yield_quantity=48,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )


def cake_recipe():
    """A cake: 4 cup flour at $0.50 = $2.00 a batch."""
    slug = cs.create_ingredient("Cake flour", category="Misc", recipe_unit="cup").slug
    product = cs.create_product(slug, purchase_unit="cup", purchase_quantity=10)
    inventory_service.add_to_inventory(product.id, quantity="10", unit_cost="0.50")
    return rs.create_recipe(
        "Layer Cake",
        category="Cakes",
        yield_quantity=1,
        yield_unit="cake",
        ingredients=[("cake_flour", 4, "cup")],
    )


def stocked_cookie(count: int = 100, cost: str = "0.25"):
    unit = fus.create_finished_unit(
        "Sugar cookie", cookie_recipe().id, items_per_batch=48, item_unit="cookie"
    )
    fus.adjust_inventory(unit.id, count, reason="count_correction", unit_cost=cost)
    return unit


def bag_product(bags: str = "50"):
    """Cellophane bags (packaging) bought at $0.10 a bag."""
    slug = cs.create_ingredient(
        "Cellophane bags", category="Bags", recipe_unit="bag", is_packaging=True
    ).slug
    product = cs.create_product(
        slug, purchase_unit="bag", purchase_quantity=100, brand="Uline", package_size="4x6"
    )
    inventory_service.add_to_inventory(product.id, quantity=bags, unit_cost="0.10")
    return product


def open_unit_dialog(app: App) -> FinishedUnitDialog:
    tab = units_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, FinishedUnitDialog)
    return dialog


def select_good(app: App, good_id: int) -> FinishedGoodsTab:
    tab = goods_tab(app)
    tab.refresh()
    tab.table.select(str(good_id))
    return tab


def open_component_dialog(app: App, good_id: int) -> ComponentDialog:
    tab = select_good(app, good_id)
    tab.detail.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, ComponentDialog)
    return dialog


def add_component(app: App, good_id: int, kind: str, label: str, quantity: str):
    dialog = open_component_dialog(app, good_id)
    dialog.choose_kind(kind)
    dialog.select_item(label)
    type_into(dialog.quantity_entry, quantity)
    dialog.ok_button.invoke()
    app.update()
    return dialog


# --- Finished Units -----------------------------------------------------------------------------


def test_finished_units_empty_state(app: App) -> None:
    tab = units_tab(app)
    assert tab.table.empty_label.cget("text") == EMPTY_UNITS
    assert tab.table.empty_state_shown
    assert not tab.detail.showing


def test_add_a_counted_and_a_portion_unit_through_the_dialog(app: App) -> None:
    cookie_recipe()
    cake_recipe()
    dialog = open_unit_dialog(app)
    assert dialog.recipe_menu.get() == "Layer Cake"  # recipes by name
    assert dialog.items_entry.get() == "1"  # the first recipe's yield is the first suggestion
    dialog.choose_recipe("Sugar Cookies")
    assert dialog.items_entry.get() == "48"  # ...and follows the recipe chosen
    assert dialog.item_unit_box.get() == "cookie"
    type_into(dialog.name_entry, "Sugar cookie")
    dialog.ok_button.invoke()
    app.update()
    tab = units_tab(app)
    # $1.60 a batch ÷ 48 = $0.0333 an item; no stock yet, so no unit cost
    assert table_texts(tab.table) == [
        ("Sugar cookie", "Sugar Cookies", "48 per batch", "0", "—", "$0.0333")
    ]
    assert app.status_label.cget("text") == "Saved finished unit “Sugar cookie”."
    assert tab.detail.stock_label.cget("text") == "In stock: 0 cookies"
    assert tab.detail.unit_cost_label.cget("text").startswith("No stock yet")

    dialog = open_unit_dialog(app)
    type_into(dialog.name_entry, "Cake quarter")
    dialog.choose_recipe("Layer Cake")
    assert dialog.percentage_entry.cget("state") == "disabled"
    dialog.set_mode("batch_portion")
    assert dialog.items_entry.cget("state") == "disabled"
    assert dialog.percentage_entry.cget("state") == "normal"
    type_into(dialog.percentage_entry, "25")
    dialog.ok_button.invoke()
    app.update()
    # $2.00 a batch × 25% = $0.50
    assert table_texts(tab.table)[0] == (
        "Cake quarter", "Layer Cake", "25% of a batch", "0", "—", "$0.50",
    )  # fmt: skip
    [quarter] = fus.list_finished_units(search="quarter")
    assert quarter.yield_mode == "batch_portion" and quarter.batch_percentage == Decimal(25)
    assert quarter.items_per_batch is None


def choose_in_menu(menu, label: str) -> None:
    """Pick ``label`` from a CustomTkinter drop-down as a click on its menu entry does."""
    menu._dropdown_callback(label)


def test_items_per_batch_follows_the_chosen_recipe_until_typed_over(app: App) -> None:
    cookie_recipe()  # 48 cookies a batch
    rs.create_recipe("Brownies", category="Bars", yield_quantity=24, yield_unit="brownie")
    dialog = open_unit_dialog(app)
    type_into(dialog.name_entry, "Brownie")
    choose_in_menu(dialog.recipe_menu, "Sugar Cookies")
    assert (dialog.items_entry.get(), dialog.item_unit_box.get()) == ("48", "cookie")
    assert dialog.recipe_yield_hint.cget("text") == "Sugar Cookies makes 48 cookies a batch."
    choose_in_menu(dialog.recipe_menu, "Brownies")
    assert (dialog.items_entry.get(), dialog.item_unit_box.get()) == ("24", "brownie")
    dialog.ok_button.invoke()
    app.update()
    [saved] = fus.list_finished_units()
    assert (saved.recipe_name, saved.items_per_batch, saved.item_unit) == (
        "Brownies",
        24,
        "brownie",
    )


def test_a_typed_items_per_batch_is_kept_when_the_recipe_changes(app: App) -> None:
    cookie_recipe()
    rs.create_recipe("Brownies", category="Bars", yield_quantity=24, yield_unit="brownie")
    dialog = open_unit_dialog(app)
    type_into(dialog.name_entry, "Big brownie")
    choose_in_menu(dialog.recipe_menu, "Brownies")
    type_into(dialog.items_entry, "12")  # the user's own figure: cut bigger
    dialog.item_unit_box.set("square")
    choose_in_menu(dialog.recipe_menu, "Sugar Cookies")
    choose_in_menu(dialog.recipe_menu, "Brownies")
    assert (dialog.items_entry.get(), dialog.item_unit_box.get()) == ("12", "square")
    type_into(dialog.items_entry, "")  # cleared: the recipe suggests again
    choose_in_menu(dialog.recipe_menu, "Sugar Cookies")
    assert dialog.items_entry.get() == "48"


def test_editing_keeps_the_saved_items_per_batch(app: App) -> None:
    unit = fus.create_finished_unit(
        "Sugar cookie", cookie_recipe().id, items_per_batch=40, item_unit="cookie"
    )
    rs.create_recipe("Brownies", category="Bars", yield_quantity=24, yield_unit="brownie")
    tab = units_tab(app)
    tab.refresh()
    tab.table.select(str(unit.id))
    tab.edit_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, FinishedUnitDialog)
    assert dialog.items_entry.get() == "40"
    choose_in_menu(dialog.recipe_menu, "Brownies")
    assert dialog.items_entry.get() == "40"  # a saved figure is the user's own
    assert dialog.recipe_yield_hint.cget("text") == "Brownies makes 24 brownies a batch."


@pytest.mark.parametrize(
    ("name", "items", "message"),
    [
        ("", "48", "Name is required."),
        ("Cookie", "1.5", "Items per batch must be a whole number"),
        ("Cookie", "abc", "Items per batch must be a whole number"),
        ("Cookie", "0", "Items per batch must be at least 1."),
    ],
)
def test_invalid_finished_unit_shows_an_inline_error_and_writes_nothing(
    app: App, name: str, items: str, message: str
) -> None:
    cookie_recipe()
    dialog = open_unit_dialog(app)
    type_into(dialog.name_entry, name)
    type_into(dialog.items_entry, items)
    dialog.ok_button.invoke()
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert fus.list_finished_units() == []


def test_portion_over_a_whole_batch_is_refused_by_the_service(app: App) -> None:
    cake_recipe()
    dialog = open_unit_dialog(app)
    type_into(dialog.name_entry, "Giant slice")
    dialog.set_mode("batch_portion")
    type_into(dialog.percentage_entry, "150")
    dialog.ok_button.invoke()
    assert "cannot be more than 100" in dialog.error_text
    assert fus.list_finished_units() == []


def test_unit_dialog_without_recipes_explains(app: App) -> None:
    dialog = open_unit_dialog(app)
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.on_ok()
    assert dialog.error_text == "Add a recipe first."


def test_edit_search_and_delete_finished_units(app: App) -> None:
    recipe = cookie_recipe()
    unit = fus.create_finished_unit("Sugar cookie", recipe.id, items_per_batch=48)
    fus.create_finished_unit("Brownie", recipe.id, items_per_batch=24)
    tab = units_tab(app)
    tab.table.select(str(unit.id))
    tab.edit_button.invoke()
    dialog = tab.active_dialog
    assert (dialog.name_entry.get(), dialog.items_entry.get()) == ("Sugar cookie", "48")
    type_into(dialog.items_entry, "24")
    dialog.ok_button.invoke()
    app.update()
    assert fus.get_finished_unit(unit.id).items_per_batch == 24
    tab.search_entry.insert(0, "brown")
    assert tab.table.column_values("name") == ["Brownie"]
    tab.search_entry.delete(0, "end")
    tab.table.select(str(unit.id))
    tab.delete_button.invoke()
    assert [u.display_name for u in fus.list_finished_units()] == ["Brownie"]
    assert app.status_label.cget("text") == "Deleted finished unit “Sugar cookie”."


def test_adjust_stock_needs_a_cost_when_adding(app: App) -> None:
    unit = fus.create_finished_unit("Sugar cookie", cookie_recipe().id, items_per_batch=48)
    tab = units_tab(app)
    tab.table.select(str(unit.id))
    tab.detail.adjust_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, AdjustStockDialog)
    dialog.ask_confirm = Recorder(True)
    type_into(dialog.change_entry, "60")
    dialog.reason_menu.set("Count correction")
    dialog.ok_button.invoke()
    assert dialog.error_text.startswith("Unit cost is needed when adding stock")
    type_into(dialog.change_entry, "0")
    dialog.ok_button.invoke()
    assert dialog.error_text == "Change cannot be 0."
    type_into(dialog.change_entry, "1.5")
    dialog.ok_button.invoke()
    assert "Change must be a whole number" in dialog.error_text
    assert fus.get_finished_unit(unit.id).inventory_count == 0
    assert dialog.ask_confirm.calls == []

    type_into(dialog.change_entry, "60")
    type_into(dialog.cost_entry, "0.25")
    dialog.ok_button.invoke()
    app.update()
    assert dialog.ask_confirm.calls == [
        ("Change the stock of Sugar cookie by +60 (count correction)?",)
    ]
    assert table_texts(tab.table)[0][3:5] == ("60", "$0.25")
    assert tab.detail.unit_cost_label.cget("text") == "Next unit out costs $0.25 (oldest first)."
    assert app.status_label.cget("text") == "Adjusted Sugar cookie: 60 in stock."

    tab.detail.adjust_button.invoke()
    dialog = tab.active_dialog
    dialog.ask_confirm = Recorder(True)
    type_into(dialog.change_entry, "-70")
    dialog.reason_menu.set("Given away")
    dialog.ok_button.invoke()
    assert dialog.error_text == (
        "Only 60 in stock, so the stock cannot go down by 70. To take it all, enter -60."
    )
    assert dialog.ask_confirm.calls == []  # refused before any question
    assert fus.get_finished_unit(unit.id).inventory_count == 60


def test_record_production_opens_the_windows_dialog_for_the_selected_unit(app: App) -> None:
    unit = fus.create_finished_unit("Sugar cookie", cookie_recipe().id, items_per_batch=48)
    app.open_record_production = Recorder()
    tab = units_tab(app)
    tab.table.select(str(unit.id))
    tab.detail.record_button.invoke()
    assert app.open_record_production.calls == [(unit.id,)]


def test_the_stock_refreshes_when_the_record_dialog_closes(app: App) -> None:
    unit = fus.create_finished_unit("Sugar cookie", cookie_recipe().id, items_per_batch=48)
    tab = units_tab(app)
    tab.table.select(str(unit.id))
    dialog = tab.record_production(unit.id)
    fus.adjust_inventory(unit.id, 5, reason="count_correction", unit_cost="0.30")
    dialog.destroy()
    app.update()
    assert tab.table.row_values(str(unit.id))[3] == "5"


# --- Finished Goods -----------------------------------------------------------------------------


def test_finished_goods_empty_state(app: App) -> None:
    tab = goods_tab(app)
    assert tab.table.empty_label.cget("text") == EMPTY_GOODS
    assert tab.table.empty_state_shown


def test_build_a_gift_bag_from_cookies_and_packaging_through_the_dialogs(app: App) -> None:
    cookie = stocked_cookie(100, "0.25")
    bag = bag_product("50")
    app.open_record_assembly = Recorder()
    tab = goods_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, FinishedGoodDialog)
    type_into(dialog.name_entry, "Cookie gift bag")
    dialog.type_menu.set("Gift box")
    type_into(dialog.packing_entry, "Tie with a bow")
    dialog.ok_button.invoke()
    app.update()
    [good] = fgs.list_finished_goods()
    detail = tab.detail
    assert detail.title_label.cget("text") == "Cookie gift bag"
    assert detail.record_button.cget("state") == "disabled"
    assert detail.record_hint.cget("text") == "Add components before recording an assembly."
    assert detail.can_label.cget("text") == "Can assemble now: 0"

    component = add_component(app, good.id, "finished_unit", "Sugar cookie", "12")
    assert not component.winfo_exists()
    add_component(app, good.id, "packaging", "Cellophane bags — Uline 4x6", "1")
    assert table_texts(detail.components_table) == [
        ("[FU]", "Sugar cookie", "12 cookies", "$0.25", "$3.00"),
        ("[Pkg]", "Uline 4x6", "1 bag", "$0.10", "$0.10"),
    ]
    # 12 × $0.25 + 1 × $0.10 = $3.10; cookies 100 ÷ 12 = 8, bags 50 ÷ 1 = 50 → 8
    assert table_texts(tab.table) == [("Cookie gift bag", "Gift box", "0", "—", "$3.10", "2")]
    assert detail.cost_label.cget("text").startswith("Estimated cost: $3.10 each")
    assert detail.can_label.cget("text") == "Can assemble now: 8"
    assert detail.record_button.cget("state") == "normal"
    assert detail.record_hint.cget("text") == ""
    assert app.status_label.cget("text") == "Added Uline 4x6 to “Cookie gift bag”."
    assert fgs.get_finished_good(good.id).estimated_cost == Decimal("3.10")

    detail.record_button.invoke()
    assert app.open_record_assembly.calls == [(good.id,)]
    components = fgs.get_finished_good_detail(good.id).components
    assert [(c.component_type, c.component_id) for c in components] == [
        ("finished_unit", cookie.id),
        ("packaging", bag.id),
    ]


def test_edit_a_quantity_and_remove_a_component(app: App) -> None:
    cookie = stocked_cookie(100, "0.25")
    bag = bag_product("50")
    good = fgs.create_finished_good("Gift bag", assembly_type="gift_box")
    fgs.add_component(good.id, "finished_unit", cookie.id, 12)
    row = fgs.add_component(good.id, "packaging", bag.id, 1)
    tab = select_good(app, good.id)
    detail = tab.detail
    [cookie_row, _] = fgs.get_finished_good_detail(good.id).components
    detail.components_table.select(str(cookie_row.id))
    detail.edit_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, QuantityDialog)
    assert dialog.quantity_entry.get() == "12"
    type_into(dialog.quantity_entry, "1.5")
    dialog.ok_button.invoke()
    assert "Quantity must be a whole number" in dialog.error_text
    type_into(dialog.quantity_entry, "6")
    dialog.ok_button.invoke()
    app.update()
    assert detail.can_label.cget("text") == "Can assemble now: 16"  # 100 ÷ 6
    assert table_texts(tab.table)[0][4] == "$1.60"  # 6 × 0.25 + 0.10

    detail.components_table.select(str(row.id))
    detail.edit_button.invoke()
    dialog = tab.active_dialog
    type_into(dialog.quantity_entry, "0.5")  # packaging may be a fraction
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(detail.components_table)[1][2:] == ("0.5 bags", "$0.10", "$0.05")

    detail.components_table.select(str(row.id))
    detail.remove_button.invoke()
    assert app.ask_confirm.calls[-1] == ("Remove Uline 4x6 from “Gift bag”?",)
    assert [c.component_type for c in fgs.get_finished_good_detail(good.id).components] == [
        "finished_unit"
    ]


@pytest.mark.parametrize(
    ("kind", "quantity", "message"),
    [
        ("finished_unit", "1.5", "Quantity must be a whole number"),
        ("finished_unit", "abc", "Quantity must be a whole number"),
        ("finished_unit", "0", "Quantity must be at least 1."),
        ("packaging", "abc", "Quantity must be a number"),
        ("packaging", "0", "Quantity must be more than 0."),
    ],
)
def test_invalid_component_quantity_writes_nothing(
    app: App, kind: str, quantity: str, message: str
) -> None:
    stocked_cookie()
    bag_product()
    good = fgs.create_finished_good("Gift bag")
    dialog = open_component_dialog(app, good.id)
    dialog.choose_kind(kind)
    type_into(dialog.quantity_entry, quantity)
    dialog.ok_button.invoke()
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert fgs.get_finished_good_detail(good.id).components == []


def test_a_product_that_is_no_longer_packaging_is_refused(app: App) -> None:
    bag_product()
    good = fgs.create_finished_good("Gift bag")
    dialog = open_component_dialog(app, good.id)
    dialog.choose_kind("packaging")
    assert list(dialog.choices) == ["Cellophane bags — Uline 4x6"]
    cs.update_ingredient("cellophane_bags", is_packaging=False)  # changed meanwhile
    dialog.ok_button.invoke()
    assert "is not packaging" in dialog.error_text
    assert fgs.get_finished_good_detail(good.id).components == []


def test_component_picker_offers_only_packaging_products(app: App) -> None:
    cookie_recipe()  # flour and sugar have products but are food
    good = fgs.create_finished_good("Gift bag")
    dialog = open_component_dialog(app, good.id)
    dialog.choose_kind("packaging")
    assert dialog.choices == {}
    assert "no packaging yet" in dialog.notice_label.cget("text")
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.choose_kind("finished_good")
    assert dialog.choices == {}  # never the good itself


def test_a_circle_of_finished_goods_is_refused_inline(app: App) -> None:
    inner = fgs.create_finished_good("Gift bag")
    outer = fgs.create_finished_good("Sampler")
    dialog = add_component(app, outer.id, "finished_good", "Gift bag", "2")
    assert not dialog.winfo_exists()
    dialog = add_component(app, inner.id, "finished_good", "Sampler", "1")
    assert "would make a circle" in dialog.error_text
    assert fgs.get_finished_good_detail(inner.id).components == []
    tab = goods_tab(app)
    assert tab.table.row_values(str(outer.id))[5] == "1"


def test_invalid_finished_good_and_a_refused_delete(app: App) -> None:
    tab = goods_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    dialog.ok_button.invoke()
    assert dialog.error_text == "Name is required."
    assert fgs.list_finished_goods() == []
    dialog.on_cancel()

    good = fgs.create_finished_good("Gift bag")
    box = ps.create_package("Deluxe box")
    ps.add_finished_good_to_package(box.id, good.id, 2)
    tab = select_good(app, good.id)
    tab.delete_button.invoke()
    [(title, message)] = app.show_error.calls
    assert title == "Cannot delete finished good"
    assert "1 package;" in message
    assert app.ask_confirm.calls == []  # the refusal comes before any question
    assert len(fgs.list_finished_goods()) == 1


def test_edit_and_adjust_a_finished_good(app: App) -> None:
    good = fgs.create_finished_good("Gift bag", assembly_type="gift_box")
    tab = select_good(app, good.id)
    tab.edit_button.invoke()
    dialog = tab.active_dialog
    assert dialog.type_menu.get() == "Gift box"
    type_into(dialog.name_entry, "Cookie gift bag")
    dialog.type_menu.set("Variety pack")
    dialog.ok_button.invoke()
    app.update()
    assert table_texts(tab.table)[0][:2] == ("Cookie gift bag", "Variety pack")

    tab.detail.adjust_button.invoke()
    adjust = tab.active_dialog
    assert isinstance(adjust, AdjustStockDialog)
    adjust.ask_confirm = Recorder(True)
    type_into(adjust.change_entry, "3")
    type_into(adjust.cost_entry, "$1.65")
    adjust.reason_menu.set("Count correction")
    adjust.ok_button.invoke()
    app.update()
    assert table_texts(tab.table)[0][2:4] == ("3", "$1.65")
    assert tab.detail.stock_label.cget("text") == "In stock: 3 · next unit out $1.65"
