"""File ▸ Print… (Ctrl+P) and the event window's Print buttons on a real display: the dialog's
choices, the PDF written in the background and handed to the viewer, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bake_tracker.services import event_service, sample_data_service
from bake_tracker.services.dto.documents import DOCUMENT_TITLES
from bake_tracker.ui.app import App
from bake_tracker.ui.printing import NO_EVENTS, PDF_TYPES, PrintDialog
from tests.printing.conftest import SAMPLE_TODAY
from tests.printing.pdfs import PAGE_POINTS, all_text, page_sizes
from tests.ui.conftest import Recorder
from tests.ui.test_data_menu import finish_job, invoke

pytestmark = pytest.mark.gui

CHRISTMAS = "Christmas Gifts 2026 (2026-12-24)"


class SavePath:
    """Stands in for ``App.ask_save_path``: records the question, answers ``path``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.calls: list[tuple] = []

    def __call__(self, title: str, initial: str, types, **options) -> str | None:
        self.calls.append((title, initial, types, options))
        return None if self.path is None else str(self.path)


@pytest.fixture
def season(app: App) -> App:
    sample_data_service.load_sample_data(today=SAMPLE_TODAY)  # "Christmas Gifts 2026" every year
    app.refresh_all()
    app.printer.open_pdf = Recorder()  # the system's viewer is not started by tests
    return app


def choose(combo, value: str) -> None:
    """Pick ``value`` in a drop-down as a click would (its command runs)."""
    combo._dropdown_callback(value)


def open_from_menu(app: App) -> PrintDialog:
    invoke(app, app.file_menu, "Print…")
    dialog = app.printer.dialog
    assert isinstance(dialog, PrintDialog)
    return dialog


def test_file_print_saves_gift_tags_as_a_pdf_and_opens_it(season: App, tmp_path: Path) -> None:
    target = tmp_path / "tags.pdf"
    season.ask_save_path = SavePath(target)
    dialog = open_from_menu(season)
    assert dialog.kind_box.cget("values") == list(DOCUMENT_TITLES.values())
    assert dialog.event_box.cget("values") == [
        e.label for e in event_service.list_events_for_picker()
    ]
    choose(dialog.kind_box, "Gift tags")
    choose(dialog.event_box, CHRISTMAS)
    choose(dialog.paper_box, "A4 (210 × 297 mm)")
    dialog.message_entry.insert(0, "Joyeux Noël — ½ douzaine")
    dialog.ok_button.invoke()
    [(title, initial, types, options)] = season.ask_save_path.calls
    assert title == "Save gift tags as PDF"
    assert initial == "christmas-gifts-2026-gift-tags.pdf"
    assert types == PDF_TYPES and options == {"defaultextension": ".pdf", "parent": None}
    finish_job(season)
    assert season.printer.open_pdf.calls == [(target,)]
    assert page_sizes(target) == {PAGE_POINTS["a4"]}
    text = all_text(target)
    for a in event_service.get_event_assignments(1):
        assert a.recipient_name in text
    assert text.count("Joyeux Noël — ½ douzaine") == 5
    assert season.status_label.cget("text") == (
        f"Gift tags of {CHRISTMAS} saved to {target} and opened"
    )


def test_control_p_opens_the_dialog_and_return_saves(season: App, tmp_path: Path) -> None:
    target = tmp_path / "list.pdf"
    season.ask_save_path = SavePath(target)
    season.focus_force()
    season.event_generate("<Control-p>")
    season.update()
    dialog = season.printer.dialog
    assert isinstance(dialog, PrintDialog) and dialog.winfo_exists()
    assert dialog.chosen_kind() == "shopping-list"
    dialog.event_box.focus_force()
    dialog.update()
    dialog.focus_get().event_generate("<Return>")
    finish_job(season)
    assert all_text(target).startswith("Shopping list:")


def test_the_message_is_for_tags_the_lots_for_costs_and_a_long_message_is_refused(
    season: App,
) -> None:
    season.ask_save_path = SavePath(None)
    dialog = open_from_menu(season)
    assert dialog.message_entry.cget("state") == "disabled"  # shopping list first
    assert dialog.lots_check.cget("state") == "disabled"
    choose(dialog.kind_box, "Cost report")
    assert dialog.message_entry.cget("state") == "disabled"
    assert dialog.lots_check.cget("state") == "normal"
    choose(dialog.kind_box, "Gift tags")
    assert dialog.message_entry.cget("state") == "normal"
    assert dialog.lots_check.cget("state") == "disabled"
    dialog.message_entry.insert(0, "x" * 201)
    dialog.ok_button.invoke()
    assert dialog.winfo_exists()
    assert dialog.error_text == "The tag message is 201 characters long; a tag holds 200 at most"
    assert season.ask_save_path.calls == []
    dialog.event_generate("<Escape>")
    season.update()
    assert not dialog.winfo_exists()


def test_a_file_that_cannot_be_written_is_said_and_nothing_is_opened(
    season: App, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "list.pdf"
    season.ask_save_path = SavePath(target)
    open_from_menu(season).ok_button.invoke()
    finish_job(season)
    [(title, message)] = season.show_error.calls
    assert title == "Print failed" and message.startswith(f"Could not write {target}")
    assert season.printer.open_pdf.calls == []
    assert not target.parent.exists()


def test_without_a_pdf_viewer_the_saved_file_is_named(season: App, tmp_path: Path) -> None:
    target = tmp_path / "list.pdf"
    season.ask_save_path = SavePath(target)

    def no_viewer(_path: Path) -> None:
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")

    season.printer.open_pdf = no_viewer
    open_from_menu(season).ok_button.invoke()
    finish_job(season)
    assert target.exists()
    [(title, message)] = season.show_info.calls
    assert title == "PDF saved" and str(target) in message and "could not be opened" in message


def test_cancelling_the_save_writes_nothing(season: App, tmp_path: Path) -> None:
    season.ask_save_path = SavePath(None)
    open_from_menu(season).ok_button.invoke()
    season.update()
    assert not season.busy and list(tmp_path.glob("*.pdf")) == []


def test_with_no_events_print_says_so(app: App) -> None:
    app.show_info = Recorder()
    invoke(app, app.file_menu, "Print…")
    assert app.show_info.calls == [("Print", NO_EVENTS)]
    assert app.printer.dialog is None


def test_each_print_button_of_the_event_window_prints_its_list(season: App, tmp_path: Path) -> None:
    event = event_service.list_events()[0]
    window = season.open_event_detail(event.id, show=False)
    for tab, button, kind in (
        ("assignments", "print_packing_button", "packing-list"),
        ("assignments", "print_tags_button", "gift-tags"),
        ("needs", "print_plan_button", "baking-plan"),
        ("shopping", "print_list_button", "shopping-list"),
        ("summary", "print_costs_button", "cost-report"),
    ):
        target = tmp_path / f"{kind}.pdf"
        season.ask_save_path = SavePath(target)
        getattr(getattr(window, tab), button).invoke()
        dialog = window.print_dialog
        assert isinstance(dialog, PrintDialog)
        assert dialog.chosen_kind() == kind and dialog.event_box.get() == event.label
        dialog.ok_button.invoke()
        assert season.ask_save_path.calls[0][3]["parent"] is window  # asked over the window
        finish_job(season)
        assert all_text(target).startswith(f"{DOCUMENT_TITLES[kind]}: {event.name}"), kind
    window.close()


def test_the_print_buttons_are_in_view_at_the_event_windows_minimum_size(season: App) -> None:
    window = season.open_event_detail(event_service.list_events()[0].id, show=True)
    width, height = window.placement.min_width, window.placement.min_height
    window.geometry(f"{width}x{height}")
    for tab, button in (
        ("Assignments", window.assignments.print_packing_button),
        ("Assignments", window.assignments.print_tags_button),
        ("Recipe Needs", window.needs.print_plan_button),
        ("Shopping List", window.shopping.print_list_button),
    ):
        window.tabs.set(tab)
        window.update()
        assert button.winfo_ismapped(), tab
        left = button.winfo_rootx() - window.winfo_rootx()
        top = button.winfo_rooty() - window.winfo_rooty()
        assert left >= 0 and left + button.winfo_width() <= window.winfo_width(), tab
        assert top >= 0 and top + button.winfo_height() <= window.winfo_height(), tab
    window.close()


def test_tags_and_packing_list_wait_for_an_assignment(season: App) -> None:
    event = event_service.create_event("Bake Sale", "2026-06-01")
    window = season.open_event_detail(event.id, show=False)
    buttons = (window.assignments.print_tags_button, window.assignments.print_packing_button)
    assert [b.cget("state") for b in buttons] == ["disabled", "disabled"]
    sample = event_service.list_events()[0]  # the sample season's packages and recipients
    assigned = event_service.get_event_assignments(sample.id)[0]
    event_service.assign_package_to_recipient(
        event.id, assigned.recipient_id, assigned.package_id, quantity=1
    )
    window.assignments.refresh()
    assert [b.cget("state") for b in buttons] == ["normal", "normal"]
    window.close()
