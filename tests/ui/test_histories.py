"""The two histories on a real display (issue 20): what a recipient got at every event (the
Recipients tab, its CSV export, the "last time" line of the assign dialog) and what an ingredient
cost over time (the Ingredients tab's price table, labels and chart)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import customtkinter as ctk
import pytest

from bake_tracker.core.numbers import round_money
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import event_service, price_history_service, recipient_service
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import package_service as ps
from bake_tracker.ui import forms
from bake_tracker.ui.app import App
from bake_tracker.ui.events.assignment_dialogs import AssignPackageDialog
from bake_tracker.ui.ingredients.tab import PRICES_PAGE, PRODUCTS_PAGE, IngredientsTab
from bake_tracker.ui.recipients_tab import RecipientsTab
from tests.ui.conftest import Recorder, open_tab, table_texts
from tests.ui.test_data_menu import finish_job, invoke

pytestmark = pytest.mark.gui


class SavePath(Recorder):
    """Stands in for ``App.ask_save_path``: answers ``result`` and records the positional
    arguments, and the options (``defaultextension``…) in ``options``."""

    def __init__(self, result: object = None) -> None:
        super().__init__(result)
        self.options: list[dict] = []

    def __call__(self, *args: object, **options: object) -> object:
        self.options.append(options)
        return super().__call__(*args)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def gifts():
    """Alice: a tin (delivered) at Christmas 2024, a bag at the 2025 bake sale; Bob: nothing.
    Christmas 2025 is being planned."""
    alice = recipient_service.create_recipient("Alice Johnson")
    bob = recipient_service.create_recipient("Bob")
    tin, bag = ps.create_package("Cookie Tin"), ps.create_package("Gift Bag")
    old = event_service.create_event("Christmas", date(2024, 12, 24))
    sale = event_service.create_event("Bake Sale", date(2025, 6, 1))
    new = event_service.create_event("Christmas", date(2025, 12, 24))
    given = event_service.assign_package_to_recipient(old.id, alice.id, tin.id, quantity=2)
    event_service.update_fulfillment_status(given.id, "ready")
    event_service.update_fulfillment_status(given.id, "delivered")
    event_service.assign_package_to_recipient(sale.id, alice.id, bag.id)
    return alice, bob, new


def choose(option_menu, label: str) -> None:
    """Pick ``label`` from a CTkOptionMenu's drop-down, as a click on the entry does."""
    dropdown = option_menu._dropdown_menu
    index = next(
        i
        for i in range(dropdown.index("end") + 1)
        if dropdown.entrycget(i, "label").strip() == label
    )
    dropdown.invoke(index)


def test_recipient_history_rows_and_its_csv_export(app: App, tmp_path: Path) -> None:
    alice, bob, _new = gifts()
    tab = open_tab(app, "Recipients", RecipientsTab)
    tab.table.select(str(alice.id))
    app.update()
    assert [row[:2] for row in table_texts(tab.detail.history_table)] == [
        ("Bake Sale 2025", "Gift Bag"),
        ("Christmas 2024", "2 × Cookie Tin"),
    ]
    assert table_texts(tab.detail.history_table)[1][2:] == (
        "Delivered",
        forms.format_local_date(recipient_service.get_recipient_history(alice.id)[1].delivered_at),
    )
    assert table_texts(tab.detail.history_table)[0][2:] == ("Pending", "—")
    target = tmp_path / "alice.csv"
    app.ask_save_path = SavePath(str(target))
    tab.detail.export_button.invoke()
    [(title, initial, _types)] = app.ask_save_path.calls
    assert (title, initial) == ("Export Recipient History", "alice-johnson-history.csv")
    assert app.ask_save_path.options == [{"defaultextension": ".csv"}]
    rows = read_rows(target)
    assert [r[:5] for r in rows[1:]] == [
        ["Alice Johnson", "Bake Sale", "2025", "2025-06-01", "Gift Bag"],
        ["Alice Johnson", "Christmas", "2024", "2024-12-24", "Cookie Tin"],
    ]
    assert app.status_label.cget("text") == f"History of “Alice Johnson” saved to {target}"
    tab.table.select(str(bob.id))
    app.update()
    assert table_texts(tab.detail.history_table) == []
    assert tab.detail.history_table.empty_state_shown
    app.ask_save_path = SavePath(None)  # cancelled: nothing written, nothing said
    tab.detail.export_button.invoke()
    assert not (tmp_path / "bob-history.csv").exists()


def test_file_menu_exports_every_recipients_history(app: App, tmp_path: Path) -> None:
    gifts()
    target = tmp_path / "everyone.csv"
    app.ask_save_path = SavePath(str(target))
    invoke(app, app.file_menu, "Export Recipient History…")
    finish_job(app)
    [(_title, initial, _types)] = app.ask_save_path.calls
    assert initial.startswith("recipient-history-") and initial.endswith(".csv")
    rows = read_rows(target)
    assert [r[0] for r in rows[1:]] == ["Alice Johnson", "Alice Johnson"]
    assert rows[2][6:8][0] == "delivered"
    assert app.status_label.cget("text") == f"Recipient history saved to {target}"


def test_the_assign_dialog_says_what_the_recipient_got_last_time(app: App) -> None:
    alice, bob, new = gifts()
    window = app.open_event_detail(new.id)
    window.tabs.set("Assignments")
    app.update()
    window.assignments.assign_button.invoke()
    dialog = window.active_dialog
    assert isinstance(dialog, AssignPackageDialog)
    choose(dialog.recipient_menu, "Alice Johnson")
    assert dialog.last_time_label.cget("text") == "Last time: Bake Sale 2025 — Gift Bag (pending)"
    choose(dialog.recipient_menu, "Bob")
    assert dialog.last_time_label.cget("text") == "Last time: nothing yet (first package for them)."
    dialog.select(alice.id, dialog.packages[dialog.package_menu.get()].id)
    assert dialog.last_time_label.cget("text").startswith("Last time: Bake Sale 2025")
    dialog.cancel_button.invoke()
    # for the bake sale, last time is the Christmas before it
    sale = next(e for e in event_service.list_events_for_picker() if e.name == "Bake Sale")
    window = app.open_event_detail(sale.id)
    window.tabs.set("Assignments")
    window.assignments.assign_button.invoke()
    dialog = window.active_dialog
    choose(dialog.recipient_menu, "Alice Johnson")
    assert dialog.last_time_label.cget("text") == (
        "Last time: Christmas 2024 — 2 × Cookie Tin (delivered)"
    )
    assert bob.id  # Bob has nothing before either event


# --- price history --------------------------------------------------------------------------------


def flour_bought_three_times():
    """Flour counted in cups (1 cup = 4.25 oz), bought as a 5 lb bag and a 25 lb sack."""
    flour = cs.create_ingredient(
        "Flour",
        category="Baking",
        recipe_unit="cup",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value="4.25",
        density_weight_unit="oz",
    )
    bag = cs.create_product(flour.slug, purchase_unit="lb", purchase_quantity=5, brand="King")
    sack = cs.create_product(flour.slug, purchase_unit="lb", purchase_quantity=25, brand="Gold")
    for product, day, quantity, total, supplier in (
        (bag, "2025-09-14", "5", "5.49", "Safeway"),
        (sack, "2025-10-02", "25", "16.99", "Costco"),
        (bag, "2025-11-08", "5", "6.49", None),
    ):
        inv.record_purchase(
            product.id, quantity=quantity, total_cost=total, purchase_date=day, supplier=supplier
        )
    salt = cs.create_ingredient("Salt", category="Baking", recipe_unit="oz")
    return flour, salt


def show_prices(app: App, slug: str) -> IngredientsTab:
    tab = open_tab(app, "Ingredients", IngredientsTab)
    tab.table.select(slug)
    tab.detail.page_switch._buttons_dict[PRICES_PAGE].invoke()  # the user's click on the switch
    app.update()
    return tab


def test_selecting_an_ingredient_shows_its_prices_labels_and_chart(app: App) -> None:
    flour, _salt = flour_bought_three_times()
    history = price_history_service.get_price_history(flour.id)
    tab = show_prices(app, flour.slug)
    page = tab.detail.prices_page
    per_cup = [forms.format_unit_cost(round_money(p.unit_price)) for p in history.points]
    assert table_texts(page.table) == [
        ("2025-11-08", "King", "—", f"{per_cup[0]}/cup"),
        ("2025-10-02", "Gold", "Costco", f"{per_cup[1]}/cup"),
        ("2025-09-14", "King", "Safeway", f"{per_cup[2]}/cup"),
    ]
    # $6.49 for 5 lb = 80 oz = 18.82… cups → $0.3448 a cup; the sack: $16.99 / 94.11… cups
    assert per_cup == ["$0.3448", "$0.1805", "$0.2917"]
    assert page.latest_label.cget("text") == "Latest price: $0.3448/cup (2025-11-08)"
    assert page.average_label.cget("text") == (
        f"Average price: {forms.format_unit_cost(history.average_price)}/cup "
        "(all 3 purchases, weighted by quantity)"
    )
    chart = page.chart
    assert len(chart.items("point")) == 3 and len(chart.items("latest")) == 1
    assert len(chart.items("line")) == 1 and chart.items("average")
    assert chart.texts("date") == ["2025-09-14", "2025-11-08"]
    assert chart.texts("legend_text") == [
        "Unit price",
        f"Average {forms.format_unit_cost(history.average_price)}",
    ]
    # the latest dot is the rightmost and the highest (the dearest purchase)
    latest = chart.canvas.coords(chart.items("latest")[0])
    others = [chart.canvas.coords(item) for item in chart.items("point")[:-1]]
    assert all(latest[0] > o[0] and latest[1] < o[1] for o in others)


def test_an_ingredient_never_bought_says_so_and_switching_back_shows_products(app: App) -> None:
    flour, salt = flour_bought_three_times()
    tab = show_prices(app, flour.slug)
    tab.table.select(salt.slug)  # the page stays on prices for the next ingredient
    app.update()
    page = tab.detail.prices_page
    assert page.table.empty_state_shown and table_texts(page.table) == []
    assert page.chart.texts("empty") == ["No purchases yet"]
    assert not page.chart.items("point")
    assert page.latest_label.cget("text") == "Latest price: —"
    assert page.average_label.cget("text") == "Average price: —"
    tab.detail.page_switch._buttons_dict[PRODUCTS_PAGE].invoke()
    app.update()
    assert tab.detail.products_table.winfo_ismapped() and not page.winfo_ismapped()


def test_the_chart_follows_the_appearance_and_the_width(app: App) -> None:
    flour, _salt = flour_bought_three_times()
    chart = show_prices(app, flour.slug).detail.prices_page.chart
    light = chart.canvas.cget("bg")
    wide = chart.canvas.coords(chart.items("latest")[0])[0]
    try:
        ctk.set_appearance_mode("dark")
        app.update()
        assert chart.canvas.cget("bg") != light
        assert len(chart.items("point")) == 3  # drawn again, all of it
    finally:
        ctk.set_appearance_mode("light")
        app.update()
    assert chart.canvas.cget("bg") == light
    app.geometry("900x700")
    app.update()
    narrow = chart.canvas.coords(chart.items("latest")[0])[0]
    assert narrow < wide and narrow < chart.canvas.winfo_width()


def test_a_history_file_named_without_an_extension_is_saved_as_csv(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bake_tracker.ui import folders

    alice, _bob, _new = gifts()
    asked: list[dict] = []

    def dialog(**options):
        asked.append(options)
        return ""  # cancelled

    monkeypatch.setattr(folders.filedialog, "asksaveasfilename", dialog)
    tab = open_tab(app, "Recipients", RecipientsTab)
    tab.table.select(str(alice.id))
    app.update()
    tab.detail.export_button.invoke()
    invoke(app, app.file_menu, "Export Recipient History…")
    assert [a["defaultextension"] for a in asked] == [".csv", ".csv"]
