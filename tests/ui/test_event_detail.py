"""The Event Detail window on a real display: its tabs, targets with progress, assignments stepped
through their statuses, recipe needs, the shopping list and its CSV export, and the summary."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    catalog_service,
    finished_good_service,
    finished_unit_service,
    inventory_service,
    package_service,
    recipe_service,
    recipient_service,
)
from bake_tracker.services import event_service as es
from bake_tracker.ui.app import App
from bake_tracker.ui.events.assignment_dialogs import AssignPackageDialog, EditAssignmentDialog
from bake_tracker.ui.events.assignments import DELIVERED_TEXT
from bake_tracker.ui.events.detail import DETAIL_TABS, EventDetailWindow
from bake_tracker.ui.events.target_dialogs import SuggestTargetsDialog, TargetDialog
from bake_tracker.ui.events.targets import progress_text
from bake_tracker.ui.forms import format_money
from bake_tracker.ui.kit.progress import bar_fraction, whole_percent
from tests.ui.conftest import Recorder

pytestmark = pytest.mark.gui


def type_into(entry, text: str) -> None:
    entry.delete(0, "end")
    entry.insert(0, text)


def cup_ingredient(name: str, cups: str = "100", cost: str = "0.50") -> None:
    """An ingredient measured and bought in cups, with one lot on the shelf."""
    made = catalog_service.create_ingredient(name, category="Misc", recipe_unit="cup")
    product = catalog_service.create_product(
        made.slug, purchase_unit="cup", purchase_quantity=20, preferred=True
    )
    total = Decimal(cups) * Decimal(cost)
    inventory_service.record_purchase(
        product.id, quantity=cups, total_cost=total, purchase_date="2025-01-01"
    )


def seed_plan(*, flour: str = "100") -> SimpleNamespace:
    """Christmas 2025; cookies (48 a batch) in gift bags of 12 plus a bag; Deluxe Box = 2 bags."""
    cup_ingredient("Flour", flour)
    cup_ingredient("Sugar", "50", "0.60")
    bags = catalog_service.create_ingredient(
        "Cellophane Bags", category="Bags", recipe_unit="bag", is_packaging=True
    )
    bag = catalog_service.create_product(
        bags.slug, purchase_unit="bag", purchase_quantity=100, preferred=True
    )
    inventory_service.record_purchase(
        bag.id, quantity=10, total_cost="1.00", purchase_date="2025-01-01"
    )
    cookies = recipe_service.create_recipe(
        "Chocolate Chip Cookies",
        category="Cookies",
        yield_quantity=48,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )
    brownies = recipe_service.create_recipe(
        "Brownies",
        category="Brownies",
        yield_quantity=16,
        yield_unit="piece",
        ingredients=[("flour", 1, "cup"), ("sugar", 2, "cup")],
    )
    cookie = finished_unit_service.create_finished_unit(
        "Chocolate Chip Cookie", cookies.id, items_per_batch=48
    )
    gift = finished_good_service.create_finished_good("Cookie Gift Bag", assembly_type="gift_box")
    finished_good_service.add_component(gift.id, "finished_unit", cookie.id, 12)
    finished_good_service.add_component(gift.id, "packaging", bag.id, 1)
    deluxe = package_service.create_package("Deluxe Box")
    package_service.add_finished_good_to_package(deluxe.id, gift.id, 2)
    return SimpleNamespace(
        cookies=cookies,
        brownies=brownies,
        cookie=cookie,
        gift=gift,
        deluxe=deluxe,
        christmas=es.create_event("Christmas 2025", date(2025, 12, 25), notes="Family first"),
        alice=recipient_service.create_recipient("Alice Johnson"),
        bob=recipient_service.create_recipient("Bob"),
    )


def bake(plan: SimpleNamespace, batches: int, *, event_id: int | None = None) -> None:
    batch_production_service.record_batch_production(
        plan.cookies.id, plan.cookie.id, batches, 48 * batches, event_id=event_id
    )


def open_window(app: App, event_id: int, tab: str = "Assignments") -> EventDetailWindow:
    window = app.open_event_detail(event_id)
    window.ask_confirm = Recorder(True)
    window.show_error = Recorder()
    window.show_info = Recorder()
    window.show_warning = Recorder()
    window.tabs.set(tab)
    app.update()
    return window


@pytest.fixture
def plan(app: App) -> SimpleNamespace:
    return seed_plan()


def rows(table) -> list[tuple[str, ...]]:
    return [table.row_values(iid) for iid in table.row_ids()]


# --- pure display helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "target", "pct", "text", "fill"),
    [
        (0, 4, "0.0", "0/4 (0%)", 0.0),
        (2, 4, "50.0", "2/4 (50%)", 0.5),
        (5, 4, "125.0", "5/4 (125%)", 1.0),
        (5, 8, "62.5", "5/8 (63%)", 0.625),
        (1, 3, "33.3", "1/3 (33%)", 1 / 3),
    ],
)
def test_progress_text_uses_the_service_percentage_rounded(done, target, pct, text, fill) -> None:
    assert progress_text(done, target, Decimal(pct)) == text
    assert bar_fraction(done, target) == pytest.approx(fill)
    assert whole_percent(Decimal("99.5")) == 100


# --- the window ---------------------------------------------------------------------------------


def test_window_title_header_tabs_and_close(app: App, plan: SimpleNamespace) -> None:
    window = open_window(app, plan.christmas.id)
    assert isinstance(window, EventDetailWindow)
    assert window.title() == "Event Planning - Christmas 2025"
    assert window.winfo_viewable()
    assert window.name_label.cget("text") == "Christmas 2025"
    assert window.date_label.cget("text") == "Thursday, December 25, 2025"
    assert [window.tabs.index(name) for name in DETAIL_TABS] == [0, 1, 2, 3, 4]
    assert list(DETAIL_TABS) == [
        "Assignments",
        "Targets",
        "Recipe Needs",
        "Shopping List",
        "Summary",
    ]
    for name in DETAIL_TABS:
        window.tabs.set(name)
        app.update()
        assert window.tabs.get() == name
    assert app.open_event_detail(plan.christmas.id) is window  # brought forward, not doubled
    window.close_button.invoke()
    assert window.closed
    assert app.open_event_detail(plan.christmas.id) is not window


# --- targets ------------------------------------------------------------------------------------


def open_add_target(window: EventDetailWindow, section: str = "production") -> TargetDialog:
    getattr(window.targets, section).add_button.invoke()
    dialog = window.active_dialog
    assert isinstance(dialog, TargetDialog)
    window.update()
    return dialog


def test_production_target_added_through_the_dialog_then_filled_by_runs(
    app: App, plan: SimpleNamespace
) -> None:
    window = open_window(app, plan.christmas.id, "Targets")
    assert window.production_target_rows == []
    assert window.targets.production.empty_state_shown
    assert window.targets.production.empty_label.cget("text") == (
        "No production targets set. Click “Add target…” to create one."
    )
    dialog = open_add_target(window)
    assert list(dialog.choices) == ["Brownies", "Chocolate Chip Cookies"]
    assert dialog.amount_entry.get() == "1"
    dialog.item_menu.set("Chocolate Chip Cookies")
    type_into(dialog.amount_entry, "4")
    type_into(dialog.notes_entry, "Two tins")
    dialog.ok_button.invoke()
    app.update()

    assert not dialog.winfo_exists()
    [row] = window.production_target_rows
    assert row.name == "Chocolate Chip Cookies"
    assert row.progress_label.cget("text") == "0/4 (0%)"
    assert row.progress_label == "0/4 (0%)"  # the label reads as its text
    assert row.progress_bar.get() == 0
    assert row.complete is False
    assert row.check_label.cget("text") == ""
    assert row.notes_label.cget("text") == "Two tins"
    assert not window.targets.production.empty_state_shown

    bake(plan, 2, event_id=plan.christmas.id)
    bake(plan, 1)  # standalone runs never count
    window.refresh()
    [row] = window.production_target_rows
    assert row.progress_label.cget("text") == "2/4 (50%)"
    assert row.progress_bar.get() == pytest.approx(0.5)
    assert row.complete is False

    bake(plan, 3, event_id=plan.christmas.id)
    window.refresh()
    [row] = window.production_target_rows
    assert row.progress_label.cget("text") == "5/4 (125%)"
    assert row.progress_bar.get() == pytest.approx(1.0)
    assert row.complete is True
    assert row.check_label.cget("text") == "✓"
    summary = window.summary.production_label.cget("text")
    assert summary.startswith("Production: 1 of 1 recipe complete") and "✓" in summary


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Target batches must be at least 1."),
        ("-2", "Target batches must be at least 1."),
        ("two", "Target batches must be a whole number"),
        ("", "Target batches is required."),
    ],
)
def test_an_invalid_target_is_an_inline_error_and_writes_nothing(
    app: App, plan: SimpleNamespace, typed: str, message: str
) -> None:
    window = open_window(app, plan.christmas.id, "Targets")
    dialog = open_add_target(window)
    type_into(dialog.amount_entry, typed)
    dialog.ok_button.invoke()
    app.update()
    assert dialog.winfo_exists()
    assert message in dialog.error_text
    assert es.get_production_targets(plan.christmas.id) == []
    assert window.production_target_rows == []
    dialog.cancel_button.invoke()


def test_recipes_already_targeted_are_not_offered(app: App, plan: SimpleNamespace) -> None:
    es.set_production_target(plan.christmas.id, plan.cookies.id, 3)
    window = open_window(app, plan.christmas.id, "Targets")
    dialog = open_add_target(window)
    assert list(dialog.choices) == ["Brownies"]
    assert dialog.item_menu.cget("values") == ["Brownies"]
    dialog.ok_button.invoke()
    app.update()
    assert [r.name for r in window.production_target_rows] == ["Brownies", "Chocolate Chip Cookies"]

    full = open_add_target(window)
    assert full.choices == {}
    assert full.notice_label.cget("text") == "All recipes already have targets for this event."
    assert full.ok_button.cget("state") == "disabled"
    full.cancel_button.invoke()


def test_edit_keeps_or_changes_notes_and_delete_asks_first(app: App, plan: SimpleNamespace) -> None:
    es.set_production_target(plan.christmas.id, plan.cookies.id, 3, notes="For the tins")
    window = open_window(app, plan.christmas.id, "Targets")
    [row] = window.production_target_rows
    # one wording of buttons across the window: "Delete" in full, "…" where a dialog opens
    assert (row.edit_button.cget("text"), row.delete_button.cget("text")) == ("Edit…", "Delete")
    assert window.targets.production.add_button.cget("text") == "Add target…"
    row.edit_button.invoke()
    dialog = window.active_dialog
    assert isinstance(dialog, TargetDialog)
    assert (dialog.amount_entry.get(), dialog.notes_entry.get()) == ("3", "For the tins")
    type_into(dialog.amount_entry, "6")
    dialog.ok_button.invoke()
    app.update()
    [target] = es.get_production_targets(plan.christmas.id)
    assert (target.target_batches, target.notes) == (6, "For the tins")
    assert window.production_target_rows[0].progress_label.cget("text") == "0/6 (0%)"

    window.ask_confirm.result = False
    window.production_target_rows[0].delete_button.invoke()
    assert window.ask_confirm.calls == [
        ("Delete this production target (Chocolate Chip Cookies)?",)
    ]
    assert len(es.get_production_targets(plan.christmas.id)) == 1
    window.ask_confirm.result = True
    window.production_target_rows[0].delete_button.invoke()
    app.update()
    assert es.get_production_targets(plan.christmas.id) == []
    assert window.production_target_rows == []
    assert window.targets.production.empty_state_shown


def test_assembly_targets_show_their_progress(app: App, plan: SimpleNamespace) -> None:
    window = open_window(app, plan.christmas.id, "Targets")
    assert window.targets.assembly.empty_label.cget("text") == (
        "No assembly targets set. Click “Add target…” to create one."
    )
    dialog = open_add_target(window, "assembly")
    assert list(dialog.choices) == ["Cookie Gift Bag"]
    type_into(dialog.amount_entry, "10")
    dialog.ok_button.invoke()
    app.update()
    bake(plan, 1)
    assembly_service.record_assembly(plan.gift.id, 4, event_id=plan.christmas.id)
    window.refresh()
    [row] = window.assembly_target_rows
    assert (row.name, row.progress_label.cget("text"), row.complete) == (
        "Cookie Gift Bag",
        "4/10 (40%)",
        False,
    )
    assert row.progress_bar.get() == pytest.approx(0.4)


def test_suggest_from_assignments_sets_the_ticked_targets(app: App, plan: SimpleNamespace) -> None:
    event = plan.christmas.id
    es.assign_package_to_recipient(event, plan.alice.id, plan.deluxe.id, quantity=1)
    es.assign_package_to_recipient(event, plan.bob.id, plan.deluxe.id, quantity=2)
    window = open_window(app, event, "Targets")
    window.targets.production.suggest_button.invoke()
    dialog = window.active_dialog
    assert isinstance(dialog, SuggestTargetsDialog)
    [(suggestion, var, box)] = dialog.checks
    assert suggestion.batches_needed == 2
    assert box.cget("text") == "Chocolate Chip Cookies: 2 batches (no target yet)"
    assert var.get() is True
    dialog.ok_button.invoke()
    app.update()
    [target] = es.get_production_targets(event)
    assert (target.recipe_name, target.target_batches) == ("Chocolate Chip Cookies", 2)
    assert window.production_target_rows[0].progress_label.cget("text") == "0/2 (0%)"


def test_suggest_without_assignments_says_so(app: App, plan: SimpleNamespace) -> None:
    window = open_window(app, plan.christmas.id, "Targets")
    window.targets.production.suggest_button.invoke()
    dialog = window.active_dialog
    assert dialog.checks == []
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.cancel_button.invoke()


# --- assignments --------------------------------------------------------------------------------


def assign_through_dialog(window: EventDetailWindow, plan, recipient, quantity: str = "1"):
    window.assignments.assign_button.invoke()
    dialog = window.active_dialog
    assert isinstance(dialog, AssignPackageDialog)
    dialog.select(recipient.id, plan.deluxe.id)
    type_into(dialog.quantity_entry, quantity)
    dialog.ok_button.invoke()
    window.update()
    return dialog


def test_an_assignment_steps_pending_ready_delivered_through_the_status_menu(
    app: App, plan: SimpleNamespace
) -> None:
    window = open_window(app, plan.christmas.id)
    panel = window.assignments
    assert panel.table.empty_state_shown
    assert not panel.status_control_shown
    dialog = assign_through_dialog(window, plan, plan.alice)
    assert dialog.result is not None
    cost = format_money(dialog.result.estimated_cost)  # the service's figure
    assert rows(panel.table) == [("Alice Johnson", "Deluxe Box", "1", cost, "Pending")]
    assert panel.table.selected_id() == str(dialog.result.id)
    assert panel.status_control_shown
    assert panel.status_menu.cget("values") == ["Pending", "Ready"]  # scenario 64

    panel.on_status_chosen("Ready")  # what choosing "Ready" in the menu does
    app.update()
    [(title, message)] = window.show_warning.calls  # nothing assembled: a warning, not a block
    assert title == "Not in stock yet"
    assert "do not cover it" in message
    assert rows(panel.table)[0][4] == "Ready"
    assert panel.status_menu.cget("values") == ["Ready", "Delivered"]

    window.ask_text = Recorder("Front porch")
    panel.on_status_chosen("Delivered")
    app.update()
    assert rows(panel.table)[0][4] == DELIVERED_TEXT == "✓ Delivered"
    assert panel.table.row_tags(panel.table.row_ids()[0]) == ("delivered",)
    assert not panel.status_control_shown
    assert panel.done_label.winfo_manager() == "pack"
    assert panel.done_label.cget("text") == "✓ Delivered"
    assert "to Front porch" in panel.status_caption.cget("text")
    [assignment] = es.get_event_assignments(plan.christmas.id)
    assert (assignment.fulfillment_status, assignment.delivered_to) == ("delivered", "Front porch")
    assert window.show_error.calls == []
    assert window.summary.fulfillment_label.cget("text") == (
        "Packages: 0 pending · 0 ready · 1 delivered"
    )


def test_ready_with_assembled_stock_gives_no_warning_and_cancel_keeps_ready(
    app: App, plan: SimpleNamespace
) -> None:
    bake(plan, 1)
    assembly_service.record_assembly(plan.gift.id, 2)
    window = open_window(app, plan.christmas.id)
    assign_through_dialog(window, plan, plan.alice)
    window.assignments.on_status_chosen("Ready")
    assert window.show_warning.calls == []
    window.ask_text = Recorder(None)  # the "Delivered to" question cancelled
    window.assignments.on_status_chosen("Delivered")
    assert es.get_event_assignments(plan.christmas.id)[0].fulfillment_status == "ready"
    assert window.assignments.status_menu.get() == "Ready"


def test_a_stale_status_is_an_invalid_transition_error_and_a_refresh(
    app: App, plan: SimpleNamespace
) -> None:
    made = es.assign_package_to_recipient(plan.christmas.id, plan.alice.id, plan.deluxe.id)
    window = open_window(app, plan.christmas.id)
    panel = window.assignments
    panel.table.select(str(made.id))
    es.update_fulfillment_status(made.id, "ready")  # elsewhere, behind the window's back
    panel.on_status_chosen("Ready")
    [(title, message)] = window.show_error.calls
    assert title == "Invalid transition"
    assert "ready -> ready" in message
    assert rows(panel.table)[0][4] == "Ready"
    assert panel.status_menu.cget("values") == ["Ready", "Delivered"]


def test_edit_and_remove_an_assignment(app: App, plan: SimpleNamespace) -> None:
    made = es.assign_package_to_recipient(plan.christmas.id, plan.bob.id, plan.deluxe.id)
    window = open_window(app, plan.christmas.id)
    panel = window.assignments
    panel.table.select(str(made.id))
    panel.edit_button.invoke()
    dialog = window.active_dialog
    assert isinstance(dialog, EditAssignmentDialog)
    type_into(dialog.quantity_entry, "0")
    dialog.ok_button.invoke()
    assert "Quantity must be at least 1." in dialog.error_text
    type_into(dialog.quantity_entry, "3")
    type_into(dialog.notes_entry, "Leave at the door")
    dialog.ok_button.invoke()
    app.update()
    [edited] = es.get_event_assignments(plan.christmas.id)
    assert rows(panel.table) == [
        ("Bob", "Deluxe Box", "3", format_money(edited.estimated_cost), "Pending")
    ]
    assert es.get_event_assignments(plan.christmas.id)[0].notes == "Leave at the door"

    panel.remove_button.invoke()
    assert window.ask_confirm.calls == [("Remove 3 × “Deluxe Box” for Bob from this event?",)]
    app.update()
    assert es.get_event_assignments(plan.christmas.id) == []
    assert panel.table.empty_state_shown


def test_assign_dialog_refuses_a_duplicate_inline_and_explains_missing_choices(
    app: App, plan: SimpleNamespace
) -> None:
    es.assign_package_to_recipient(plan.christmas.id, plan.alice.id, plan.deluxe.id)
    window = open_window(app, plan.christmas.id)
    window.assignments.assign_button.invoke()
    dialog = window.active_dialog
    dialog.select(plan.alice.id, plan.deluxe.id)
    each = format_money(package_service.get_package(plan.deluxe.id).estimated_cost)
    assert dialog.cost_label.cget("text") == f"Estimated {each} each"
    dialog.ok_button.invoke()
    assert "already gets 'Deluxe Box'" in dialog.error_text
    dialog.cancel_button.invoke()


def test_assign_dialog_says_what_to_add_first(app: App) -> None:
    event = es.create_event("Fair", date(2026, 8, 1))
    window = open_window(app, event.id)
    window.assignments.assign_button.invoke()
    dialog = window.active_dialog
    assert dialog.notice_label.cget("text") == (
        "First add a recipient on the Recipients tab and a package on the Packages tab; "
        "then assign it here."
    )
    assert dialog.ok_button.cget("state") == "disabled"
    dialog.cancel_button.invoke()


# --- recipe needs, shopping list, summary -------------------------------------------------------


def test_recipe_needs_list_units_and_batches(app: App, plan: SimpleNamespace) -> None:
    window = open_window(app, plan.christmas.id, "Recipe Needs")
    assert window.needs.table.empty_state_shown
    es.assign_package_to_recipient(plan.christmas.id, plan.alice.id, plan.deluxe.id, quantity=1)
    es.assign_package_to_recipient(plan.christmas.id, plan.bob.id, plan.deluxe.id, quantity=2)
    window.refresh()
    assert rows(window.needs.table) == [
        ("Chocolate Chip Cookies", "Chocolate Chip Cookie", "72", "2")  # scenario 62
    ]


def test_shopping_list_shows_what_to_buy_and_exports_csv(app: App, tmp_path: Path) -> None:
    plan = seed_plan(flour="4")
    es.set_production_target(plan.christmas.id, plan.cookies.id, 3)  # 6 cups of flour
    window = open_window(app, plan.christmas.id, "Shopping List")
    assert rows(window.shopping.table) == [
        ("Flour", "6", "4", "2", "cup", "★ Flour (generic)", "1", "$10.00"),
        ("Sugar", "3", "50", "0", "cup", "Enough on hand", "—", "—"),
    ]
    assert window.shopping.total_label.cget("text") == "Estimated total $10.00"
    target = tmp_path / "out" / "christmas.csv"
    window.ask_save_path = Recorder(str(target))
    window.shopping.export_button.invoke()
    assert target.exists()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][:3] == ["Section", "Ingredient", "Needed"]
    assert lines[1][:2] == ["Ingredients", "Flour"]
    assert lines[-1][0] == "Total"
    assert window.show_info.calls and str(target) in window.show_info.calls[0][1]

    window.ask_save_path = Recorder(None)  # cancelled: nothing happens
    window.shopping.export_button.invoke()
    assert len(window.show_info.calls) == 1


def test_summary_counts_cost_and_progress(app: App, plan: SimpleNamespace) -> None:
    event = plan.christmas.id
    es.assign_package_to_recipient(event, plan.alice.id, plan.deluxe.id, quantity=1)
    bob = es.assign_package_to_recipient(event, plan.bob.id, plan.deluxe.id, quantity=2)
    es.update_fulfillment_status(bob.id, "ready")
    es.set_production_target(event, plan.cookies.id, 1)
    es.set_production_target(event, plan.brownies.id, 2)
    bake(plan, 1, event_id=event)
    window = open_window(app, event, "Summary")
    summary = window.summary
    assert summary.recipients_value.cget("text") == "2"
    assert summary.packages_value.cget("text") == "3"
    [row] = es.list_event_summaries(year=2025)
    assert summary.cost_value.cget("text") == format_money(row.estimated_cost)
    assert summary.planned_value.cget("text") == format_money(row.planned_cost)  # the targets'
    assert summary.production_label.cget("text") == "Production: 1 of 2 recipes complete"
    assert summary.assembly_label.cget("text") == "Assembly: no targets set"
    assert summary.fulfillment_label.cget("text") == "Packages: 1 pending · 2 ready · 0 delivered"
    assert summary.notes_label.cget("text") == "Family first"


def test_the_window_closes_itself_when_its_event_is_deleted(
    app: App, plan: SimpleNamespace
) -> None:
    window = open_window(app, plan.christmas.id)
    es.delete_event(plan.christmas.id)
    window.refresh()
    assert window.closed


def test_one_figure_per_fact_across_events_tab_summary_and_dashboard(
    app: App, plan: SimpleNamespace
) -> None:
    """Issue 17: the packages' estimate and the targets' plan are two facts with two names; each
    shows the same figure wherever it appears (Events tab, event Summary, Production tab)."""
    from bake_tracker.ui.events.summary import PACKAGES_COST, PLANNED_COST
    from bake_tracker.ui.events.tab import EVENT_COLUMNS, EventsTab
    from bake_tracker.ui.production.tab import ProductionTab
    from tests.ui.conftest import open_tab, table_texts

    event = plan.christmas.id
    es.assign_package_to_recipient(event, plan.alice.id, plan.deluxe.id, quantity=2)
    es.set_production_target(event, plan.cookies.id, 3)
    es.set_production_target(event, plan.brownies.id, 1)
    events_tab = open_tab(app, "Events", EventsTab)
    events_tab.refresh()
    app.update()
    cost_column = [c.title for c in EVENT_COLUMNS].index(PACKAGES_COST)
    [listed] = table_texts(events_tab.table)
    window = open_window(app, event, "Summary")
    summary = window.summary
    packages, planned = summary.cost_value.cget("text"), summary.planned_value.cget("text")
    assert listed[cost_column] == packages
    assert packages != planned  # two facts: the names must differ, and they do
    assert PACKAGES_COST != PLANNED_COST and PLANNED_COST in summary.costs_caption.cget("text")
    window.destroy()
    home = open_tab(app, "Production", ProductionTab).home
    home.past_check.toggle()  # Christmas 2025 is past: show past events too
    app.update()
    home.cards[event].cost_label.event_generate("<Button-1>", x=5, y=5)
    app.update()
    assert home.selected_event_id == event
    assert f"Planned {planned}" in home.panel.cost_panel.totals_label.cget("text")


def test_a_long_event_name_wraps_inside_the_window(app: App) -> None:
    # A 200-character name (accents, #, %, quotes) ran off the window's right edge, cut mid-word.
    name = ("Crème brûlée #1 — 100% “butter” 'mix' " * 6)[:200]
    event = es.create_event(name, date(2026, 12, 24))
    window = open_window(app, event.id)
    for _ in range(3):
        app.update()
    label = window.name_label
    assert label.cget("text") == name  # the whole name, as typed
    right_edge = label.winfo_rootx() + label.winfo_width()
    assert right_edge <= window.winfo_rootx() + window.winfo_width()
    assert label.winfo_height() > 2 * window.date_label.winfo_height()  # on more than one line


def test_the_summary_tiles_share_the_width_at_the_windows_minimum_size(app: App, plan) -> None:
    # figures as wide as a season's: five-figure costs
    es.assign_package_to_recipient(plan.christmas.id, plan.alice.id, plan.deluxe.id, quantity=999)
    window = open_window(app, plan.christmas.id, "Summary")
    window.geometry(f"{window.placement.min_width}x{window.placement.min_height}")
    window.deiconify()
    window.update()
    summary = window.summary
    values = (
        summary.recipients_value,
        summary.packages_value,
        summary.planned_value,
        summary.cost_value,
    )
    right_edge = window.winfo_rootx() + window.winfo_width()
    for value in values:
        tile = value.master
        assert tile.winfo_ismapped()
        assert tile.winfo_rootx() + tile.winfo_width() <= right_edge - 12  # the scrollbar's room
        assert value.winfo_reqwidth() <= tile.winfo_width()  # the figure is not cut
    window.close()
