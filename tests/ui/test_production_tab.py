"""The Production tab's "Recent runs" page on a real display: run lists, filters, recording,
details and voiding (the overview is tested in test_dashboard.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bake_tracker.services import assembly_service, event_service
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.ui.app import App
from bake_tracker.ui.production.choosing import ChooseItemDialog
from bake_tracker.ui.production.recent_runs import (
    ALL_EVENTS,
    EMPTY_TEXT,
    NO_MATCH,
    STANDALONE_ONLY,
    RecentRunsView,
)
from bake_tracker.ui.production.run_detail import RunDetailDialog
from bake_tracker.ui.production.tab import OVERVIEW, RECENT_RUNS, ProductionTab
from bake_tracker.ui.production.void_run import VoidRunDialog
from bake_tracker.ui.record.assembly import RecordAssemblyDialog
from bake_tracker.ui.record.production import RecordProductionDialog
from tests.ui.test_record_dialogs import Confirm, make_cookie, make_gift_bag, pantry, type_into

pytestmark = pytest.mark.gui

# read at each use, not at import: a run that passes midnight must not expect yesterday
today = date.today


def show_tab(app: App) -> RecentRunsView:
    """The Production tab's "Recent runs" page (the tab opens on its overview)."""
    app.tabs.set("Production")
    app.update()
    tab = app.tab_frames["Production"]
    assert isinstance(tab, ProductionTab)
    assert tab.current_page == OVERVIEW
    tab.page_switch.set(RECENT_RUNS)
    tab.show_page(RECENT_RUNS)  # what clicking the switch does
    app.update()
    assert tab.current_page == RECENT_RUNS
    return tab.recent


def rows(table) -> list[tuple[str, ...]]:
    return [table.row_values(iid) for iid in table.row_ids()]


def record(unit, batches: int = 2, actual: int = 92, **kwargs):
    return bps.record_batch_production(unit.recipe_id, unit.id, batches, actual, **kwargs)


# --- lists --------------------------------------------------------------------------------------


def test_recent_runs_are_read_when_first_shown_then_on_every_refresh(app: App) -> None:
    # The app opens on the overview: the run lists (up to 500 runs of each kind) wait until
    # the page is shown, and are current when it is.
    cookie = make_cookie()
    app.tabs.set("Production")
    app.update()
    tab = app.tab_frames["Production"]
    assert isinstance(tab, ProductionTab)
    assert tab._recent is None
    record(cookie)
    recent = show_tab(app)
    assert len(recent.production_table.row_ids()) == 1
    record(cookie)
    app.refresh_all()  # what the window does after a run is recorded
    app.update()
    assert len(recent.production_table.row_ids()) == 2


def test_a_fresh_database_shows_both_empty_states(app: App) -> None:
    tab = show_tab(app)
    assert tab.winfo_ismapped()
    for kind, table in tab.tables.items():
        assert table.row_ids() == []
        assert table.empty_state_shown
        assert table.empty_label.cget("text") == EMPTY_TEXT[kind]
    assert tab.views.get() == "Production runs"
    assert tab.counts_label.cget("text") == "0 production runs · 0 assembly runs"
    assert tab.details_button.cget("state") == "disabled"
    assert tab.void_button.cget("state") == "disabled"
    assert tab.event_filter.cget("values") == [ALL_EVENTS, STANDALONE_ONLY]


def test_runs_are_listed_newest_first_with_yield_cost_and_event(app: App) -> None:
    unit = make_cookie(flour="20", sugar="10")
    event = event_service.create_event("Christmas", today() + timedelta(days=20))
    record(unit, 2, 92, event_id=event.id)
    record(unit, 1, 48)
    tab = show_tab(app)
    assert rows(tab.production_table) == [
        (today().isoformat(), "Chocolate Chip Cookie", "—", "1", "48 / 48", "$1.60", "$0.0333", ""),
        (
            today().isoformat(),
            "Chocolate Chip Cookie",
            "Christmas",
            "2",
            "92 / 96",
            "$3.20",
            "$0.0348",
            "",
        ),
    ]
    assert tab.counts_label.cget("text") == "2 production runs · 0 assembly runs"


def test_the_event_filter_shows_all_standalone_or_one_event(app: App) -> None:
    unit = make_cookie(flour="30", sugar="15")
    christmas = event_service.create_event("Christmas", today() + timedelta(days=20))
    swap = event_service.create_event("Cookie Swap", today() + timedelta(days=5))
    record(unit, 1, 48, event_id=christmas.id)
    record(unit, 1, 47, event_id=swap.id)
    record(unit, 1, 46)
    tab = show_tab(app)
    assert tab.event_filter.cget("values") == [
        ALL_EVENTS,
        STANDALONE_ONLY,
        swap.label,
        christmas.label,
    ]
    assert tab.production_table.column_values("event") == ["—", "Cookie Swap", "Christmas"]
    tab.event_filter.set(STANDALONE_ONLY)
    assert tab.production_table.column_values("yield") == ["46 / 48"]
    tab.event_filter.set(christmas.label)
    assert tab.production_table.column_values("yield") == ["48 / 48"]
    event_service.create_event("Bake Sale", today() + timedelta(days=1))
    tab.refresh()  # the filter keeps its choice while new events join the list
    assert tab.event_filter.get() == christmas.label
    assert len(tab.event_filter.cget("values")) == 5


def test_a_filter_without_runs_says_so(app: App) -> None:
    event_service.create_event("Christmas", today() + timedelta(days=20))
    tab = show_tab(app)
    tab.event_filter.set(STANDALONE_ONLY)
    assert tab.production_table.empty_label.cget("text") == NO_MATCH


def test_voided_runs_are_hidden_unless_asked_for_and_then_grey(app: App) -> None:
    unit = make_cookie()
    kept = record(unit, 1, 48)
    voided = record(unit, 1, 40)
    bps.void_production_run(voided.production_run_id, reason="typo")
    tab = show_tab(app)
    assert tab.production_table.row_ids() == [str(kept.production_run_id)]
    tab.voided_check.toggle()
    iid = str(voided.production_run_id)
    assert tab.production_table.row_values(iid)[-1] == "Voided"
    assert tab.production_table.row_tags(iid) == ("voided",)
    assert tab.production_table.tree.tag_configure("voided", "foreground")  # styled
    tab.production_table.select(iid)
    assert tab.details_button.cget("state") == "normal"
    assert tab.void_button.cget("state") == "disabled"  # voided once is enough


def test_assembly_runs_have_their_own_list(app: App) -> None:
    _, good = make_gift_bag()
    assembly_service.record_assembly(good.id, 2)
    tab = show_tab(app)
    tab.show_view("assembly")
    assert tab.views.get() == "Assembly runs"
    assert rows(tab.assembly_table) == [
        (today().isoformat(), "Cookie Gift Bag", "—", "2", "$6.20", "$3.10", "")
    ]
    assert tab.counts_label.cget("text") == "0 production runs · 1 assembly run"
    assert tab.selected_run() is None
    tab.assembly_table.select(tab.assembly_table.row_ids()[0])
    assert tab.selected_run().quantity_assembled == 2


# --- recording from the tab ---------------------------------------------------------------------


def test_record_production_from_the_tab_picks_a_unit_then_records(app: App) -> None:
    unit = make_cookie()
    event = event_service.create_event("Christmas", today() + timedelta(days=20))
    tab = show_tab(app)
    tab.event_filter.set(event.label)
    tab.record_production_button.invoke()
    chooser = tab.active_dialog
    assert isinstance(chooser, ChooseItemDialog)
    assert chooser.item_menu.get() == "Chocolate Chip Cookie"
    assert chooser.info_label.cget("text") == "Recipe: Chocolate Chip Cookies"
    chooser.ok_button.invoke()
    app.update()
    dialog = tab.active_dialog
    assert isinstance(dialog, RecordProductionDialog)
    assert dialog.unit.id == unit.id
    assert dialog.event_selector.get() == event.label  # the filter's event is preselected
    type_into(dialog.batches_entry, "2")
    type_into(dialog.actual_yield_entry, "90")
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    app.update()
    assert rows(tab.production_table) == [
        (
            today().isoformat(),
            "Chocolate Chip Cookie",
            "Christmas",
            "2",
            "90 / 96",
            "$3.20",
            "$0.0356",
            "",
        )
    ]
    assert pantry() == [Decimal(6), Decimal(3)]
    app.tabs.set("Pantry")  # the Pantry tab shows the drawn lots when opened
    app.update()
    pantry_tab = app.tab_frames["Pantry"]
    assert [pantry_tab.table.row_values(i)[2] for i in pantry_tab.table.row_ids()] == [
        "6 cups",
        "3 cups",
    ]


def test_record_assembly_from_the_tab(app: App) -> None:
    _, good = make_gift_bag()
    tab = show_tab(app)
    tab.record_assembly_button.invoke()
    chooser = tab.active_dialog
    assert isinstance(chooser, ChooseItemDialog)
    assert chooser.item_menu.get() == "Cookie Gift Bag"
    chooser.ok_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, RecordAssemblyDialog)
    assert dialog.event_selector.get() == "(None - standalone)"
    type_into(dialog.quantity_entry, "3")
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    app.update()
    assert tab.assembly_table.column_values("quantity") == ["3"]
    assert fgs.get_finished_good(good.id).inventory_count == 3


def test_choosers_without_items_say_where_to_add_them(app: App) -> None:
    tab = show_tab(app)
    tab.record_production_button.invoke()
    chooser = tab.active_dialog
    assert isinstance(chooser, ChooseItemDialog)
    assert chooser.ok_button.cget("state") == "disabled"
    chooser.on_ok()
    assert chooser.error_text == "There is no finished unit to choose yet."
    chooser.cancel_button.invoke()
    tab.record_assembly_button.invoke()
    assert tab.active_dialog.ok_button.cget("state") == "disabled"
    tab.active_dialog.cancel_button.invoke()


def test_the_chooser_starts_on_the_selected_runs_item(app: App) -> None:
    cookie = make_cookie()
    sugar_cookie, _ = make_gift_bag()
    run = bps.record_batch_production(sugar_cookie.recipe_id, sugar_cookie.id, 1, 48)
    record(cookie, 1, 48)
    tab = show_tab(app)
    tab.production_table.select(str(run.production_run_id))
    tab.on_record_production()
    assert tab.active_dialog.item_menu.get() == "Sugar Cookie"
    tab.active_dialog.cancel_button.invoke()


# --- details ------------------------------------------------------------------------------------


def test_details_show_the_ledger_down_to_the_lots(app: App) -> None:
    unit = make_cookie()
    run = record(unit, 2, 92)
    tab = show_tab(app)
    tab.production_table.select(str(run.production_run_id))
    tab.details_button.invoke()
    detail = tab.active_dialog
    assert isinstance(detail, RunDetailDialog)
    assert detail.winfo_viewable()
    assert (
        detail.title()
        == f"Production run #{run.production_run_id} of Chocolate Chip Cookie ({today()})"
    )
    facts = detail.facts_label.cget("text")
    assert "Recipe: Chocolate Chip Cookies" in facts
    assert "Event: none (standalone)" in facts
    assert "2 batches · yield 92 of 96 expected" in facts
    assert "Ingredient cost $3.20 · $0.0348 per unit" in facts
    assert detail.ledger.rows() == [
        (0, "Flour", ("4 cups", "", "$2.00")),
        (1, "Lot bought 2024-01-01", ("4 cups", "$0.50/cup", "$2.00")),
        (0, "Sugar", ("2 cups", "", "$1.20")),
        (1, "Lot bought 2024-01-01", ("2 cups", "$0.60/cup", "$1.20")),
    ]
    detail.close_button.invoke()
    assert not detail.winfo_exists()


def test_double_click_opens_the_details_of_an_assembly(app: App) -> None:
    _, good = make_gift_bag()
    run = assembly_service.record_assembly(good.id, 2, notes="for Grandma")
    tab = show_tab(app)
    tab.show_view("assembly")
    tab.assembly_table.select(str(run.assembly_run_id))
    tab.assembly_table.activate()  # what a double-click or Enter on the row does
    detail = tab.active_dialog
    assert isinstance(detail, RunDetailDialog)
    [(_, fu, fu_values), (_, fu_lot, fu_lot_values), (_, bag, _), (_, bag_lot, bag_values)] = (
        detail.ledger.rows()
    )
    assert (fu, fu_values) == ("[FU] Sugar Cookie", ("24 each", "", "$6.00"))
    assert fu_lot.startswith("Lot made ") and fu_lot_values == ("24 each", "$0.25/each", "$6.00")
    assert bag == "[Pkg] Cellophane Bags (generic)"
    assert (bag_lot, bag_values) == ("Lot bought 2025-01-01", ("2 bags", "$0.10/bag", "$0.20"))
    assert "Quantity: 2" in detail.facts_label.cget("text")
    detail.event_generate("<Escape>")
    app.update()
    assert not detail.winfo_exists()


def test_details_of_a_voided_run_say_when_and_why(app: App) -> None:
    unit = make_cookie()
    run = record(unit, 1, 0)
    bps.void_production_run(run.production_run_id, reason="oven was off")
    tab = show_tab(app)
    tab.voided_check.toggle()
    tab.production_table.select(str(run.production_run_id))
    tab.on_details()
    assert "oven was off" in tab.active_dialog.voided_label.cget("text")
    tab.active_dialog.close()


# --- voiding ------------------------------------------------------------------------------------


def test_void_a_run_from_the_tab_restores_the_pantry(app: App) -> None:
    unit = make_cookie()
    run = record(unit, 2, 92)
    assert pantry() == [Decimal(6), Decimal(3)]
    tab = show_tab(app)
    tab.production_table.select(str(run.production_run_id))
    assert tab.void_button.cget("state") == "normal"
    tab.void_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, VoidRunDialog)
    assert "ingredients go back to the pantry lots" in dialog.effect_label.cget("text")
    dialog.ask_confirm = Confirm(True)
    dialog.ok_button.invoke()
    assert dialog.error_text == "Reason is required."
    assert dialog.ask_confirm.messages == []
    type_into(dialog.reason_entry, "recorded twice")
    dialog.ok_button.invoke()
    app.update()
    label = f"production run #{run.production_run_id} of Chocolate Chip Cookie ({today()})"
    assert dialog.ask_confirm.messages == []  # the dialog is the one question: never asks twice
    assert not dialog.winfo_exists()
    assert pantry() == [Decimal(10), Decimal(5)]
    assert fus.get_finished_unit(unit.id).inventory_count == 0
    assert tab.production_table.row_ids() == []  # voided runs are hidden by default
    assert app.status_label.cget("text") == f"Voided {label}."
    voided = bps.get_production_run(run.production_run_id)
    assert voided.voided_at is not None and voided.void_reason == "recorded twice"
    app.tabs.set("Pantry")  # the Pantry tab shows the restored lots when opened
    app.update()
    pantry_tab = app.tab_frames["Pantry"]
    assert [pantry_tab.table.row_values(i)[2] for i in pantry_tab.table.row_ids()] == [
        "10 cups",
        "5 cups",
    ]


def test_voiding_a_run_whose_output_was_used_says_by_what(app: App) -> None:
    unit = make_cookie()
    run = record(unit, 2, 92)
    good = fgs.create_finished_good("Cookie Tin", assembly_type="gift_box")
    fgs.add_component(good.id, "finished_unit", unit.id, 12)
    assembly = assembly_service.record_assembly(good.id, 1)
    tab = show_tab(app)
    tab.production_table.select(str(run.production_run_id))
    app.ask_confirm.calls.clear()
    tab.on_void()
    # Refused first, with the reason, before any question or reason is asked for.
    assert tab.active_dialog is None or not isinstance(tab.active_dialog, VoidRunDialog)
    [(title, message)] = app.show_error.calls
    assert title == "Cannot void this run"
    assert (
        f"Cannot void: its output was already used by assembly run #{assembly.assembly_run_id}"
        in message
    )
    assert app.ask_confirm.calls == []
    assert fus.get_finished_unit(unit.id).inventory_count == 80


def test_output_used_while_the_void_dialog_is_open_is_refused_inline(app: App) -> None:
    unit = make_cookie()
    run = record(unit, 2, 92)
    tab = show_tab(app)
    tab.production_table.select(str(run.production_run_id))
    tab.on_void()
    dialog = tab.active_dialog
    assert isinstance(dialog, VoidRunDialog)
    good = fgs.create_finished_good("Cookie Tin", assembly_type="gift_box")
    fgs.add_component(good.id, "finished_unit", unit.id, 12)
    assembly = assembly_service.record_assembly(good.id, 1)
    dialog.ask_confirm = Confirm(True)
    type_into(dialog.reason_entry, "mistake")
    dialog.ok_button.invoke()
    assert dialog.winfo_exists()
    assert f"assembly run #{assembly.assembly_run_id}" in dialog.error_text
    assert dialog.ask_confirm.messages == []
    assert fus.get_finished_unit(unit.id).inventory_count == 80
    dialog.cancel_button.invoke()


def test_void_an_assembly_run_puts_the_components_back(app: App) -> None:
    cookie, good = make_gift_bag()
    run = assembly_service.record_assembly(good.id, 2)
    tab = show_tab(app)
    tab.show_view("assembly")
    tab.assembly_table.select(str(run.assembly_run_id))
    tab.on_void()
    dialog = tab.active_dialog
    assert "the 2 Cookie Gift Bags it made leave stock" in dialog.effect_label.cget("text")
    dialog.ask_confirm = Confirm(True)
    type_into(dialog.reason_entry, "wrong bag")
    dialog.ok_button.invoke()
    app.update()
    assert fus.get_finished_unit(cookie.id).inventory_count == 100
    assert fgs.get_finished_good(good.id).inventory_count == 0
    assert tab.assembly_table.row_ids() == []


def test_cancelling_the_void_changes_nothing(app: App) -> None:
    unit = make_cookie()
    run = record(unit, 1, 48)
    tab = show_tab(app)
    tab.production_table.select(str(run.production_run_id))
    tab.on_void()
    dialog = tab.active_dialog
    type_into(dialog.reason_entry, "hmm")
    dialog.cancel_button.invoke()
    assert not dialog.winfo_exists()
    assert bps.get_production_run(run.production_run_id).voided_at is None


def test_the_tab_refreshes_whenever_it_is_shown(app: App) -> None:
    unit = make_cookie()
    tab = show_tab(app)
    app.tabs.set("Pantry")
    record(unit, 1, 48)
    assert tab.production_table.row_ids() == []
    app.select_tab("Production")
    assert len(tab.production_table.row_ids()) == 1
