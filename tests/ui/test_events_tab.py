"""The Events tab on a real display: the list and its year filter, Add / Edit / Clone dialogs,
Delete with its confirmations and refusals, and opening the Event Detail window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bake_tracker.services import event_service as es
from bake_tracker.ui.app import App
from bake_tracker.ui.events.detail import EventDetailWindow
from bake_tracker.ui.events.dialogs import CloneEventDialog, EventDialog, clone_name, next_year
from bake_tracker.ui.events.tab import ALL_YEARS, EMPTY_EVENTS, EventsTab
from bake_tracker.ui.forms import format_money
from tests.ui.test_event_detail import bake, seed_plan

pytestmark = pytest.mark.gui


def type_into(entry, text: str) -> None:
    entry.delete(0, "end")
    entry.insert(0, text)


def show_tab(app: App) -> EventsTab:
    app.tabs.set("Events")
    app.update()
    tab = app.tab_frames["Events"]
    assert isinstance(tab, EventsTab)
    return tab


def rows(tab: EventsTab) -> list[tuple[str, ...]]:
    return [tab.table.row_values(iid) for iid in tab.table.row_ids()]


def names(tab: EventsTab) -> list[str]:
    return tab.table.column_values("name")


class Answers:
    """Stands in for ``ask_confirm``: gives the answers in turn and records the questions."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    def __call__(self, message: str) -> bool:
        self.calls.append(message)
        return self.answers.pop(0)


def select(tab: EventsTab, name: str) -> None:
    [event_id] = [iid for iid, row in tab.events.items() if row.name == name]
    tab.table.select(event_id)


# --- list and filter ----------------------------------------------------------------------------


def test_fresh_database_shows_the_empty_state(app: App) -> None:
    tab = show_tab(app)
    assert tab.table.empty_state_shown
    assert tab.table.empty_label.cget("text") == EMPTY_EVENTS
    assert tab.year_filter.cget("values") == [ALL_YEARS]
    assert tab.count_label.cget("text") == "0 events"
    for button in (tab.edit_button, tab.clone_button, tab.details_button, tab.delete_button):
        assert button.cget("state") == "disabled"
    assert tab.add_button.cget("state") == "normal"


def test_rows_show_counts_and_cost_from_the_service(app: App) -> None:
    plan = seed_plan()
    event = plan.christmas.id
    es.assign_package_to_recipient(event, plan.alice.id, plan.deluxe.id, quantity=1)
    es.assign_package_to_recipient(event, plan.bob.id, plan.deluxe.id, quantity=2)
    tab = show_tab(app)
    [summary] = es.list_event_summaries()
    planned, packages = format_money(summary.planned_cost), format_money(summary.estimated_cost)
    assert rows(tab) == [("Christmas 2025", "2025-12-25", "2025", "2", "3", planned, packages)]
    assert tab.table.row_tags(tab.table.row_ids()[0]) in (("past",), ())


def test_year_filter_lists_the_years_and_filters(app: App) -> None:
    es.create_event("Christmas 2024", date(2024, 12, 25))
    es.create_event("Christmas 2025", date(2025, 12, 25))
    es.create_event("Easter 2025", date(2025, 4, 20))
    tab = show_tab(app)
    assert tab.year_filter.cget("values") == [ALL_YEARS, "2025", "2024"]
    assert names(tab) == ["Christmas 2025", "Easter 2025", "Christmas 2024"]
    tab.year_var.set("2024")
    app.update()
    assert names(tab) == ["Christmas 2024"]
    tab.year_var.set("2025")
    assert names(tab) == ["Christmas 2025", "Easter 2025"]
    assert tab.count_label.cget("text") == "2 events"
    es.delete_event(es.list_events(year=2025)[0].id)
    es.delete_event(es.list_events(year=2025)[0].id)
    tab.refresh()  # the chosen year is gone: back to all years
    assert tab.year_var.get() == ALL_YEARS
    assert names(tab) == ["Christmas 2024"]


# --- add, edit, clone ---------------------------------------------------------------------------


def test_add_event_through_the_dialog(app: App) -> None:
    tab = show_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, EventDialog)
    app.update()
    assert dialog.winfo_viewable()
    assert dialog.date_entry.get() == date.today().isoformat()
    type_into(dialog.name_entry, "Christmas 2026")
    dialog.date_entry.set_date(date(2026, 12, 25))
    dialog.notes_text.insert("1.0", "Cookie boxes for the street")
    dialog.ok_button.invoke()
    app.update()
    assert not dialog.winfo_exists()
    [event] = es.list_events()
    assert (event.name, event.event_date, event.year, event.notes) == (
        "Christmas 2026",
        date(2026, 12, 25),
        2026,
        "Cookie boxes for the street",
    )
    assert names(tab) == ["Christmas 2026"]
    assert tab.table.selected_id() == str(event.id)
    assert "2026" in tab.year_filter.cget("values")
    assert app.status_label.cget("text") == "Added “Christmas 2026” (2026-12-25)."


def test_invalid_event_is_an_inline_error(app: App) -> None:
    es.create_event("Christmas 2025", date(2025, 12, 25))
    tab = show_tab(app)
    tab.add_button.invoke()
    dialog = tab.active_dialog
    dialog.ok_button.invoke()
    assert dialog.error_text == "Name is required."
    type_into(dialog.name_entry, "christmas 2025")
    dialog.date_entry.set_date(date(2025, 12, 24))
    dialog.ok_button.invoke()
    assert "already an event named" in dialog.error_text
    type_into(dialog.date_entry, "soon")
    dialog.ok_button.invoke()
    assert "Date must be a date like" in dialog.error_text
    assert len(es.list_events()) == 1
    dialog.cancel_button.invoke()


def test_edit_event_changes_name_date_and_year(app: App) -> None:
    event = es.create_event("Fair", date(2025, 8, 1), notes="Bake sale")
    tab = show_tab(app)
    select(tab, "Fair")
    tab.edit_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, EventDialog)
    assert dialog.name_entry.get() == "Fair"
    assert dialog.date_entry.get() == "2025-08-01"
    assert dialog.notes_text.get("1.0", "end").strip() == "Bake sale"
    type_into(dialog.name_entry, "County Fair")
    dialog.date_entry.set_date(date(2026, 8, 7))
    dialog.ok_button.invoke()
    app.update()
    changed = es.get_event(event.id)
    assert (changed.name, changed.event_date, changed.year) == (
        "County Fair",
        date(2026, 8, 7),
        2026,
    )
    assert rows(tab)[0][:3] == ("County Fair", "2026-08-07", "2026")


def test_clone_suggests_next_year_and_copies(app: App) -> None:
    plan = seed_plan()
    es.assign_package_to_recipient(plan.christmas.id, plan.alice.id, plan.deluxe.id)
    es.set_production_target(plan.christmas.id, plan.cookies.id, 2)
    tab = show_tab(app)
    tab.year_var.set("2025")
    select(tab, "Christmas 2025")
    tab.clone_button.invoke()
    dialog = tab.active_dialog
    assert isinstance(dialog, CloneEventDialog)
    assert dialog.name_entry.get() == "Christmas 2026"
    assert dialog.date_entry.get() == "2026-12-25"
    dialog.ok_button.invoke()
    app.update()
    copy = dialog.result
    assert tab.year_var.get() == "2026"  # switched so the copy can be shown and selected
    assert tab.table.selected_id() == str(copy.id)
    assert len(es.get_event_assignments(copy.id)) == 1
    assert es.get_production_targets(copy.id)[0].target_batches == 2


def test_clone_helpers() -> None:
    assert clone_name("Christmas 2025", 2025) == "Christmas 2026"
    assert clone_name("Mom's birthday", 2025) == "Mom's birthday"
    assert next_year(date(2024, 2, 29)) == date(2025, 2, 28)
    assert next_year(date(2025, 12, 25)) == date(2026, 12, 25)


# --- delete -------------------------------------------------------------------------------------


def test_delete_an_event_without_assignments_asks_once(app: App) -> None:
    es.create_event("Fair", date(2025, 8, 1))
    tab = show_tab(app)
    select(tab, "Fair")
    tab.delete_button.invoke()
    assert app.ask_confirm.calls == [
        ("Delete the event “Fair” and its production and assembly targets? This cannot be undone.",)
    ]
    assert es.list_events() == []
    assert tab.table.empty_state_shown
    assert app.status_label.cget("text") == "Deleted event “Fair”."


def test_delete_with_assignments_asks_a_second_time_before_removing_them(app: App) -> None:
    plan = seed_plan()
    event = plan.christmas.id
    es.assign_package_to_recipient(event, plan.alice.id, plan.deluxe.id)
    es.assign_package_to_recipient(event, plan.bob.id, plan.deluxe.id)
    tab = show_tab(app)
    select(tab, "Christmas 2025")
    app.ask_confirm = Answers(True, False)
    tab.delete_button.invoke()
    assert len(app.ask_confirm.calls) == 2
    assert app.ask_confirm.calls[1] == (
        "“Christmas 2025” has 2 package assignments (2 recipients). They will be removed too. "
        "Delete the event and its assignments?"
    )
    assert len(es.list_events()) == 1  # the second answer was no

    app.ask_confirm = Answers(True, True)
    tab.delete_button.invoke()
    assert es.list_events() == []


def test_delete_is_refused_while_runs_are_recorded_against_the_event(app: App) -> None:
    plan = seed_plan()
    bake(plan, 1, event_id=plan.christmas.id)
    tab = show_tab(app)
    select(tab, "Christmas 2025")
    tab.delete_button.invoke()
    assert app.show_error.calls == [
        (
            "Cannot delete event",
            "This event has 1 production and 0 assembly runs recorded against it; "
            "it cannot be deleted.",
        )
    ]
    assert [e.name for e in es.list_events()] == ["Christmas 2025"]
    assert names(tab) == ["Christmas 2025"]


def test_deleting_an_event_closes_its_detail_window(app: App) -> None:
    event = es.create_event("Fair", date.today() + timedelta(days=30))
    window = app.open_event_detail(event.id, show=False)
    tab = show_tab(app)
    select(tab, "Fair")
    tab.delete_button.invoke()
    assert window.closed


# --- details ------------------------------------------------------------------------------------


def test_details_button_and_double_click_open_the_detail_window(app: App) -> None:
    event = es.create_event("Fair", date(2025, 8, 1))
    tab = show_tab(app)
    select(tab, "Fair")
    tab.details_button.invoke()
    window = tab.detail_window
    assert isinstance(window, EventDetailWindow)
    assert window.title() == "Event Planning - Fair"
    assert window.event_id == event.id
    tab.table.activate()  # what a double-click or Enter does
    assert tab.detail_window is window
    window.close()
