"""The Pantry tab on a real display: lots, filters, footer, Record purchase and Adjust dialogs."""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bake_tracker.services import catalog_service, inventory_service
from bake_tracker.ui.app import App
from bake_tracker.ui.ingredients.dialogs import IngredientDialog, ProductDialog
from bake_tracker.ui.pantry_tab import (
    ALL_INGREDIENTS,
    EMPTY_PANTRY,
    AdjustLotDialog,
    PantryTab,
    RecordPurchaseDialog,
    lot_row,
)

pytestmark = pytest.mark.gui

# read at each use, not at import: a run that passes midnight must not expect yesterday
today = date.today


def type_into(entry, text: str) -> None:
    entry.delete(0, "end")
    entry.insert(0, text)


def show_tab(app: App) -> PantryTab:
    app.tabs.set("Pantry")
    app.update()
    tab = app.tab_frames["Pantry"]
    assert isinstance(tab, PantryTab)
    return tab


def make_flour_product(**extra):
    slug = catalog_service.create_ingredient(
        "All-purpose flour",
        category="Flour",
        recipe_unit="cup",
        density_volume_value="1",
        density_volume_unit="cup",
        density_weight_value="4.25",
        density_weight_unit="oz",
    ).slug
    fields = {
        "purchase_unit": "lb",
        "purchase_quantity": "25",
        "brand": "King Arthur",
        "package_size": "25 lb",
        "package_type": "bag",
    }
    return catalog_service.create_product(slug, **(fields | extra))


def buy(
    product_id: int, quantity: str = "25", total: str = "18.99", *, on: date | None = None, **extra
):
    return inventory_service.record_purchase(
        product_id, quantity=quantity, total_cost=total, purchase_date=on or today(), **extra
    )


def open_purchase(app: App) -> RecordPurchaseDialog:
    tab = show_tab(app)
    tab.purchase_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, RecordPurchaseDialog)
    app.update()
    return dialog


def fill_purchase(dialog: RecordPurchaseDialog, quantity: str, total: str) -> None:
    type_into(dialog.quantity_entry, quantity)
    type_into(dialog.total_entry, total)


def rows(app: App) -> list[tuple[str, ...]]:
    table = app.tab_frames["Pantry"].table
    return [table.row_values(iid) for iid in table.row_ids()]


# --- list and footer ----------------------------------------------------------------------------


def test_fresh_database_shows_the_empty_state_and_a_zero_footer(app: App) -> None:
    tab = show_tab(app)
    assert tab.table.row_ids() == []
    assert tab.table.empty_state_shown
    assert tab.table.empty_label.cget("text") == EMPTY_PANTRY
    assert tab.total_label.cget("text") == "Pantry value $0.00"
    assert tab.counts_label.cget("text") == "0 lots · 0 expiring soon"
    assert tab.adjust_button.cget("state") == "disabled"


def test_record_purchase_through_the_dialog_puts_the_lot_in_the_table(app: App) -> None:
    make_flour_product()
    dialog = open_purchase(app)
    assert dialog.winfo_viewable()
    assert dialog.ingredient_menu.get() == "All-purpose flour"
    assert dialog.product_menu.get() == "King Arthur 25 lb bag"
    assert dialog.unit_label.cget("text") == "lb"  # the quantity is in the purchase unit
    assert dialog.purchase_date.get() == today().isoformat()
    fill_purchase(dialog, "25", "18.99")
    assert dialog.preview_label.cget("text") == "= $0.7596 per lb"  # live, before OK
    dialog.location_box.set("Pantry shelf")
    type_into(dialog.supplier_entry, "Costco")
    dialog.ok_button.invoke()
    app.update()

    assert not dialog.winfo_exists()
    assert dialog.result.unit_cost == Decimal("0.7596")
    assert rows(app) == [
        (
            "All-purpose flour",
            "King Arthur 25 lb bag",
            "25 lb",
            "$0.7596/lb",
            today().isoformat(),
            "—",
            "Pantry shelf",
            "$18.99",
        )
    ]
    tab = app.tab_frames["Pantry"]
    assert tab.total_label.cget("text") == "Pantry value $18.99"
    assert tab.counts_label.cget("text") == "1 lot · 0 expiring soon"
    assert tab.table.selected_id() == str(dialog.result.inventory_item_id)
    assert "Pantry shelf" in tab.location_filter.cget("values")
    assert app.status_label.cget("text").startswith("Recorded King Arthur 25 lb bag: $18.99")
    [lot] = inventory_service.get_inventory_items()
    assert (lot.quantity, lot.location) == (Decimal(25), "Pantry shelf")


def test_products_added_on_the_ingredients_tab_reach_the_purchase_dialog(app: App) -> None:
    app.tabs.set("Ingredients")
    ingredients = app.tab_frames["Ingredients"]
    ingredients.add_button.invoke()
    dialog = ingredients.active_dialog
    assert isinstance(dialog, IngredientDialog)
    type_into(dialog.name_entry, "Sugar")
    dialog.category_box.set("Sugar")
    dialog.unit_box.set("lb")
    dialog.ok_button.invoke()
    app.update()
    ingredients.detail.add_product_button.invoke()
    product_dialog = ingredients.active_dialog
    assert isinstance(product_dialog, ProductDialog)
    type_into(product_dialog.brand_entry, "Domino")
    type_into(product_dialog.quantity_entry, "10")
    product_dialog.ok_button.invoke()
    app.update()

    tab = show_tab(app)  # refreshed when shown
    assert "Sugar" in tab.ingredient_filter.cget("values")
    purchase = open_purchase(app)
    assert (purchase.ingredient_menu.get(), purchase.product_menu.get()) == ("Sugar", "Domino")
    fill_purchase(purchase, "10", "8.99")
    purchase.ok_button.invoke()
    app.update()
    assert rows(app)[0][:4] == ("Sugar", "Domino", "10 lb", "$0.899/lb")


def test_the_tab_refreshes_whenever_it_is_shown(app: App) -> None:
    show_tab(app)
    app.tabs.set("Recipes")
    buy(make_flour_product().id)
    assert rows(app) == []
    app.select_tab("Pantry")
    assert len(rows(app)) == 1


def test_two_quick_tab_switches_leave_the_last_tab_visible(app: App) -> None:
    app.tabs.set("Recipes")
    app.tabs.set("Pantry")
    deadline = time.monotonic() + 0.3  # CustomTkinter hides the other tabs 100 ms later
    while time.monotonic() < deadline:
        app.update()
        time.sleep(0.02)
    assert app.tab_frames["Pantry"].winfo_viewable()
    assert not app.tab_frames["Recipes"].winfo_ismapped()


# --- invalid purchases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "total", "expiry_days", "message"),
    [
        ("abc", "18.99", None, "Quantity must be a number"),
        ("", "18.99", None, "Quantity is required."),
        ("0", "18.99", None, "Quantity must be more than 0."),
        ("25", "-1", None, "Total cost cannot be negative."),
        ("25", "", None, "Total cost is required."),
        ("25", "18.99", -1, "Expiry date cannot be before the purchase date"),
    ],
)
def test_invalid_purchase_shows_an_inline_error_and_writes_nothing(
    app: App, quantity: str, total: str, expiry_days: int | None, message: str
) -> None:
    make_flour_product()
    dialog = open_purchase(app)
    fill_purchase(dialog, quantity, total)
    if expiry_days is not None:
        dialog.set_expiry(today() + timedelta(days=expiry_days))
    dialog.ok_button.invoke()
    app.update()
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert dialog.result is None
    assert inventory_service.get_inventory_items(include_empty=True) == []
    assert app.show_error.calls == []
    assert dialog.preview_label.cget("text") in ("", "= $0.7596 per lb")


def test_a_garbled_date_is_an_inline_error(app: App) -> None:
    make_flour_product()
    dialog = open_purchase(app)
    fill_purchase(dialog, "25", "18.99")
    type_into(dialog.purchase_date, "next tuesday")
    dialog.ok_button.invoke()
    assert "Purchase date must be a date like 2025-12-24" in dialog.error_text
    assert inventory_service.get_inventory_items() == []


def test_expiry_date_is_recorded_when_ticked(app: App) -> None:
    make_flour_product()
    dialog = open_purchase(app)
    assert str(dialog.expiry_date.cget("state")) == "disabled"
    fill_purchase(dialog, "25", "18.99")
    dialog.set_expiry(today() + timedelta(days=100))
    dialog.purchase_date.set_date(today() - timedelta(days=1))
    dialog.ok_button.invoke()
    [lot] = inventory_service.get_inventory_items()
    assert lot.expiration_date == today() + timedelta(days=100)
    assert lot.purchase_date == today() - timedelta(days=1)


def test_without_ingredients_the_purchase_dialog_says_where_to_add_them(app: App) -> None:
    dialog = open_purchase(app)
    assert "Ingredients tab" in dialog.notice_label.cget("text")
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.on_ok()  # Enter still goes through on_ok: nothing happens, nothing breaks
    assert "Choose a product" in dialog.error_text
    dialog.cancel_button.invoke()
    assert app.show_error.calls == []


def test_an_ingredient_without_products_says_how_to_add_one(app: App) -> None:
    catalog_service.create_ingredient("Salt", category="Spices", recipe_unit="tsp")
    make_flour_product()
    dialog = open_purchase(app)
    assert dialog.ingredient_menu.get() == "All-purpose flour"  # one that has products first
    dialog.choose_ingredient("Salt")
    assert "“Salt” has no products yet" in dialog.notice_label.cget("text")
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.choose_ingredient("All-purpose flour")
    assert dialog.notice_label.cget("text") == ""
    assert dialog.ok_button.cget("state") == "normal"


def test_the_ingredient_filter_preselects_the_purchase_ingredient(app: App) -> None:
    flour = make_flour_product()
    sugar = catalog_service.create_ingredient("Sugar", category="Sugar", recipe_unit="lb").slug
    sugar_product = catalog_service.create_product(
        sugar, purchase_unit="lb", purchase_quantity="10", brand="Domino", preferred=True
    )
    tab = show_tab(app)
    tab.ingredient_filter.set("Sugar")
    dialog = open_purchase(app)
    assert dialog.product_menu.get() == "★ Domino"
    dialog.select_product(flour.id)
    assert dialog.ingredient_menu.get() == "All-purpose flour"
    assert dialog.selected_product().id == flour.id
    assert sugar_product.id != flour.id


# --- filters, sorting, highlight ------------------------------------------------------------------


def test_filters_by_ingredient_location_and_empty_lots(app: App) -> None:
    flour = make_flour_product()
    sugar = catalog_service.create_ingredient("Sugar", category="Sugar", recipe_unit="lb").slug
    sugar_product = catalog_service.create_product(sugar, purchase_unit="lb", purchase_quantity="4")
    buy(flour.id, location="Garage")
    buy(sugar_product.id, "4", "3.00", location="Pantry")
    emptied = buy(sugar_product.id, "4", "3.20", location="Pantry")
    inventory_service.adjust_lot(emptied.inventory_item_id, "-4", reason="lost")
    tab = show_tab(app)
    assert [r[0] for r in rows(app)] == ["All-purpose flour", "Sugar"]
    assert tab.ingredient_filter.cget("values") == [ALL_INGREDIENTS, "All-purpose flour", "Sugar"]
    tab.ingredient_filter.set("Sugar")
    assert [r[0] for r in rows(app)] == ["Sugar"]
    tab.ingredient_filter.set(ALL_INGREDIENTS)
    tab.location_filter.set("Garage")
    assert [r[6] for r in rows(app)] == ["Garage"]
    tab.location_filter.set("All locations")
    tab.empty_check.toggle()
    assert len(rows(app)) == 3
    empty_id = str(emptied.inventory_item_id)
    assert tab.table.row_values(empty_id)[2] == "0 lb"
    assert "empty" in tab.table.row_tags(empty_id)
    assert tab.counts_label.cget("text") == "2 lots · 0 expiring soon"


def test_lots_are_in_fifo_order_and_sort_by_heading(app: App) -> None:
    product = make_flour_product()
    buy(product.id, "25", "18.99", on=today() - timedelta(days=30))
    buy(product.id, "5", "4.29", on=today() - timedelta(days=2))
    buy(product.id, "10", "9.50", on=today() - timedelta(days=10))
    tab = show_tab(app)
    assert tab.table.column_values("remaining") == ["25 lb", "10 lb", "5 lb"]  # oldest first
    heading = tab.table.tree.heading("value", "command")
    tab.table.tree.tk.call(heading)
    assert tab.table.column_values("value") == ["$4.29", "$9.50", "$18.99"]
    tab.table.tree.tk.call(heading)
    assert tab.table.column_values("value") == ["$18.99", "$9.50", "$4.29"]
    tab.table.sort_by("purchased")
    assert tab.table.column_values("remaining") == ["25 lb", "10 lb", "5 lb"]


def test_expiring_soon_lots_get_the_highlight(app: App) -> None:
    product = make_flour_product()
    soon = buy(product.id, expiration_date=today() + timedelta(days=5))
    later = buy(product.id, expiration_date=today() + timedelta(days=60))
    never = buy(product.id)
    tab = show_tab(app)
    assert tab.table.row_tags(str(soon.inventory_item_id)) == ("expiring",)
    assert "expiring" not in tab.table.row_tags(str(later.inventory_item_id))
    assert "expiring" not in tab.table.row_tags(str(never.inventory_item_id))
    assert tab.table.tree.tag_configure("expiring", "background")  # styled, not just tagged
    assert tab.counts_label.cget("text") == "3 lots · 1 expiring soon"
    assert tab.total_label.cget("text") == "Pantry value $56.97"


# --- adjusting ----------------------------------------------------------------------------------


def open_adjust(app: App, lot_id: int) -> AdjustLotDialog:
    tab = show_tab(app)
    tab.table.select(str(lot_id))
    assert tab.adjust_button.cget("state") == "normal"
    tab.adjust_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, AdjustLotDialog)
    app.update()
    return dialog


class Confirm:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.messages: list[str] = []

    def __call__(self, message: str) -> bool:
        self.messages.append(message)
        return self.answer


def test_adjust_a_lot_with_a_reason_updates_the_remaining_quantity(app: App) -> None:
    lot_id = buy(make_flour_product().id).inventory_item_id
    dialog = open_adjust(app, lot_id)
    assert "25 lb left of 25 lb" in dialog.lot_label.cget("text")
    dialog.ask_confirm = Confirm(True)
    type_into(dialog.change_entry, "-5")
    dialog.reason_menu.set("Spoiled")
    type_into(dialog.notes_entry, "weevils")
    dialog.ok_button.invoke()
    app.update()
    assert dialog.ask_confirm.messages == [
        "Change this lot of King Arthur 25 lb bag by -5 lb (spoiled)?"
    ]
    assert not dialog.winfo_exists()
    assert rows(app)[0][2] == "20 lb"
    assert rows(app)[0][7] == "$15.19"
    assert app.tab_frames["Pantry"].total_label.cget("text") == "Pantry value $15.19"
    assert inventory_service.get_lot(lot_id).quantity == Decimal(20)
    assert app.status_label.cget("text") == "Adjusted King Arthur 25 lb bag: 20 lb remaining."


def test_adjust_not_confirmed_changes_nothing(app: App) -> None:
    lot_id = buy(make_flour_product().id).inventory_item_id
    dialog = open_adjust(app, lot_id)
    dialog.ask_confirm = Confirm(False)
    type_into(dialog.change_entry, "3")
    dialog.reason_menu.set("Count correction")
    dialog.ok_button.invoke()
    assert dialog.ask_confirm.messages == [
        "Change this lot of King Arthur 25 lb bag by +3 lb (count correction)?"
    ]
    assert dialog.winfo_exists()
    assert inventory_service.get_lot(lot_id).quantity == Decimal(25)


@pytest.mark.parametrize(
    ("change", "reason", "message"),
    [
        ("-5", None, "Choose a reason for the change."),
        ("0", "Lost", "Change cannot be 0."),
        ("abc", "Lost", "Change must be a number"),
        ("-30", "Lost", "This lot has only 25 lb left, so it cannot go down by 30 lb."),
    ],
)
def test_invalid_adjustments_show_an_inline_error(
    app: App, change: str, reason: str | None, message: str
) -> None:
    lot_id = buy(make_flour_product().id).inventory_item_id
    dialog = open_adjust(app, lot_id)
    dialog.ask_confirm = Confirm(True)
    type_into(dialog.change_entry, change)
    if reason is not None:
        dialog.reason_menu.set(reason)
    dialog.ok_button.invoke()
    assert message in dialog.error_text
    assert dialog.ask_confirm.messages == []  # a refusal comes before any question
    assert inventory_service.get_lot(lot_id).quantity == Decimal(25)


def test_double_click_or_enter_on_a_lot_opens_adjust(app: App) -> None:
    lot_id = buy(make_flour_product().id).inventory_item_id
    tab = show_tab(app)
    tab.table.select(str(lot_id))
    tab.table.activate()  # what a double-click on a row or Enter does
    assert isinstance(tab.active_dialog, AdjustLotDialog)
    assert tab.active_dialog.lot.id == lot_id
    tab.active_dialog.cancel_button.invoke()


# --- showing the tab again ------------------------------------------------------------------------


def test_shown_again_unchanged_the_table_keeps_its_scroll_and_selection(app: App) -> None:
    product = make_flour_product()
    lots = [
        buy(product.id, "1", "1.00", on=today() - timedelta(days=90 - day)) for day in range(80)
    ]
    tab = show_tab(app)
    oldest = str(lots[0].inventory_item_id)
    tab.table.select(oldest)
    tab.table.tree.yview_moveto(1.0)  # scrolled away from the selected lot, to the newest
    app.update()
    scrolled = tab.table.tree.yview()
    assert scrolled[0] > 0

    app.select_tab("Recipes")
    app.update()
    app.select_tab("Pantry")
    app.update()
    assert tab.table.tree.yview() == scrolled  # nothing changed: nothing redrawn or scrolled
    assert tab.table.selected_id() == oldest
    assert tab.adjust_button.cget("state") == "normal"
    tab.table.set_rows([lot_row(lot) for lot in inventory_service.get_inventory_items()])
    app.update()
    assert tab.table.tree.yview() == scrolled  # the table itself skips rows it already shows
    assert tab.table.selected_id() == oldest

    app.select_tab("Recipes")
    inventory_service.adjust_lot(lots[0].inventory_item_id, "-0.5", reason="spoiled")
    app.select_tab("Pantry")
    app.update()
    assert tab.table.row_values(oldest)[2] == "0.5 lb"  # a change is shown
    assert tab.table.selected_id() == oldest
    assert tab.selected_lot() is not None and tab.selected_lot().quantity == Decimal("0.5")
    assert tab.total_label.cget("text") == "Pantry value $79.50"


def test_cells_keep_characters_that_mean_something_to_tk(app: App) -> None:
    product = make_flour_product(
        brand='Bob\'s {Red} "Mill" \\', package_size="", package_type="[x]"
    )
    buy(product.id, "2", "3.00", location="Shelf {top")
    buy(product.id, "1", "1.00", location="$HOME; [exit]")
    tab = show_tab(app)
    assert [(r[1], r[6]) for r in rows(app)] == [
        ('Bob\'s {Red} "Mill" \\ [x]', "Shelf {top"),
        ('Bob\'s {Red} "Mill" \\ [x]', "$HOME; [exit]"),
    ]
    tab.table.sort_by("location")
    assert tab.table.column_values("location") == ["$HOME; [exit]", "Shelf {top"]


def test_the_footer_totals_the_whole_pantry_whatever_the_filters(app: App) -> None:
    flour = make_flour_product()
    sugar = catalog_service.create_ingredient("Sugar", category="Sugar", recipe_unit="lb").slug
    sugar_product = catalog_service.create_product(sugar, purchase_unit="lb", purchase_quantity="4")
    buy(flour.id, "25", "18.99", location="Garage", expiration_date=today() + timedelta(days=3))
    buy(sugar_product.id, "4", "3.00", location="Pantry")
    emptied = buy(sugar_product.id, "4", "3.20", location="Pantry")
    inventory_service.adjust_lot(emptied.inventory_item_id, "-4", reason="lost")
    tab = show_tab(app)
    whole = ("Pantry value $21.99", "2 lots · 1 expiring soon")
    assert (tab.total_label.cget("text"), tab.counts_label.cget("text")) == whole
    for change in (
        lambda: tab.ingredient_filter.set("Sugar"),
        lambda: tab.empty_check.toggle(),
        lambda: tab.ingredient_filter.set(ALL_INGREDIENTS),
        lambda: tab.location_filter.set("Pantry"),
    ):
        change()
        assert (tab.total_label.cget("text"), tab.counts_label.cget("text")) == whole
    assert [r[6] for r in rows(app)] == ["Pantry", "Pantry"]  # the empty lot too
    tab.location_filter.set("Garage")
    tab.empty_check.toggle()
    assert tab.table.row_tags(tab.table.row_ids()[0]) == ("expiring",)


def test_sorting_keeps_blank_cells_last_and_ties_in_fifo_order(app: App) -> None:
    product = make_flour_product()
    first = buy(product.id, "5", "5.00", on=today() - timedelta(days=9))
    buy(
        product.id,
        "5",
        "5.00",
        on=today() - timedelta(days=8),
        expiration_date=today() + timedelta(30),
    )
    third = buy(product.id, "5", "5.00", on=today() - timedelta(days=7))
    buy(
        product.id,
        "5",
        "5.00",
        on=today() - timedelta(days=6),
        expiration_date=today() + timedelta(20),
    )
    tab = show_tab(app)
    tab.table.sort_by("expires")
    later, sooner = (today() + timedelta(30)).isoformat(), (today() + timedelta(20)).isoformat()
    assert tab.table.column_values("expires") == [sooner, later, "—", "—"]
    tab.table.sort_by("expires")
    assert tab.table.column_values("expires") == [later, sooner, "—", "—"]
    for _ascending_then_descending in range(2):
        tab.table.sort_by("value")  # all equal: the FIFO order stays, either way
        ids = tab.table.row_ids()
        assert (ids[0], ids[2]) == (str(first.inventory_item_id), str(third.inventory_item_id))
