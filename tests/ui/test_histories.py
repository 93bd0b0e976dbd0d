"""The two histories on a real display (issue 20): what a recipient got at every event (the
Recipients tab, its CSV export, the "last time" line of the assign dialog) and what an ingredient
cost over time (the Ingredients tab's price table, labels and chart)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from bake_tracker.services import event_service, recipient_service
from bake_tracker.services import package_service as ps
from bake_tracker.ui.app import App
from bake_tracker.ui.events.assignment_dialogs import AssignPackageDialog
from bake_tracker.ui.recipients_tab import RecipientsTab
from tests.ui.conftest import Recorder, open_tab, table_texts
from tests.ui.test_data_menu import finish_job, invoke

pytestmark = pytest.mark.gui


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
    assert table_texts(tab.detail.history_table)[1][2].startswith("Delivered 20")
    target = tmp_path / "alice.csv"
    app.ask_save_path = Recorder(str(target))
    tab.detail.export_button.invoke()
    [(title, initial, _types)] = app.ask_save_path.calls
    assert (title, initial) == ("Export Recipient History", "alice-johnson-history.csv")
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
    app.ask_save_path = Recorder(None)  # cancelled: nothing written, nothing said
    tab.detail.export_button.invoke()
    assert not (tmp_path / "bob-history.csv").exists()


def test_file_menu_exports_every_recipients_history(app: App, tmp_path: Path) -> None:
    gifts()
    target = tmp_path / "everyone.csv"
    app.ask_save_path = Recorder(str(target))
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
