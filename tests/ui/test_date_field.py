"""The date field and its month popup on a real display (``kit.datepicker``, no tkcalendar):
what people type and the long form beside it, the popup over its dialog, its keyboard, Escape
closing only the popup, and both appearances."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from tkinter import font as tkfont

import customtkinter as ctk
import pytest

from bake_tracker.core.dates import DateOrder, format_long_date
from bake_tracker.services import event_service as es
from bake_tracker.ui import forms
from bake_tracker.ui.app import App
from bake_tracker.ui.events.dialogs import EventDialog
from bake_tracker.ui.kit.datepicker import NOT_A_DATE, DateEntry, DatePopup, add_months
from bake_tracker.ui.kit.theme import ERROR_TEXT

pytestmark = pytest.mark.gui
# read at each use, not at import: a run that passes midnight must not expect yesterday
today = date.today


def open_dialog(app: App) -> EventDialog:
    app.tabs.set("Events")
    app.update()
    tab = app.tab_frames["Events"]
    tab.add_button.invoke()
    app.update()
    dialog = tab.active_dialog
    assert isinstance(dialog, EventDialog)
    return dialog


def type_into(field: DateEntry, text: str) -> None:
    field.delete(0, "end")
    field.insert(0, text)


def open_popup(field: DateEntry) -> DatePopup:
    popup = field.open_popup()
    assert popup is not None
    popup.update()
    return popup


def key(widget, keysym: str) -> None:
    widget.event_generate(f"<{keysym}>")
    widget.update()


def luminance(widget, color: str) -> float:
    """0 (black) to 1 (white), from the colour Tk really draws."""
    red, green, blue = (channel / 65535 for channel in widget.winfo_rgb(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.fixture
def dark() -> Iterator[None]:
    before = ctk.get_appearance_mode()
    ctk.set_appearance_mode("dark")
    yield
    ctk.set_appearance_mode(before)


# --- typing ---------------------------------------------------------------------------------------


def test_typed_dates_show_their_long_form_and_become_the_short_form(app: App) -> None:
    dialog = open_dialog(app)
    field = dialog.date_entry
    assert isinstance(field, DateEntry)
    assert field.get() == today().isoformat()
    assert field.preview_label.cget("text") == format_long_date(today())
    type_into(field, "2027-01-02")
    assert field.preview_label.cget("text") == "Saturday, January 2, 2027"
    type_into(field, "Jan 2 2027")
    assert field.preview_label.cget("text") == "Saturday, January 2, 2027"
    type_into(field, "tomorrow")
    assert field.get_date() == today() + timedelta(days=1)
    type_into(field, "soon")
    assert field.preview_label.cget("text") == NOT_A_DATE
    assert field.preview_label.cget("text_color") == ERROR_TEXT
    assert field.get_date() is None
    type_into(field, "2 Jan 2027")
    field._entry.focus_force()
    app.update()
    dialog.name_entry.focus_force()  # leaving the field writes the one short form
    app.update()
    assert field.get() == "2027-01-02"
    dialog.cancel_button.invoke()


def test_the_longest_long_form_fits_inside_the_field(app: App) -> None:
    dialog = open_dialog(app)
    field = dialog.date_entry
    field.set_date(date(2026, 9, 30))
    app.update()
    label = field.preview_label
    assert label.cget("text") == "Wednesday, September 30, 2026"
    assert label.winfo_width() >= label.winfo_reqwidth()  # not cut short
    right = label.winfo_rootx() + label.winfo_width()
    assert right <= field.open_button.winfo_rootx()  # left of the ▾ button
    assert field.open_button.winfo_rootx() + field.open_button.winfo_width() <= (
        field.winfo_rootx() + field.winfo_width()
    )
    text_width = tkfont.Font(font=field._entry.cget("font")).measure("2026-09-30")
    assert field._entry.winfo_width() >= text_width  # and the typed text keeps its room
    dialog.cancel_button.invoke()


def test_a_typed_date_is_saved_and_a_wrong_one_says_why(app: App) -> None:
    dialog = open_dialog(app)
    dialog.name_entry.insert(0, "Fair")
    type_into(dialog.date_entry, "2027-02-30")
    dialog.ok_button.invoke()
    assert dialog.error_text == "Date: February 2027 has 28 days, not 30."
    assert es.list_events() == []
    type_into(dialog.date_entry, "Aug 7 2027")
    dialog.ok_button.invoke()
    app.update()
    [event] = es.list_events()
    assert event.event_date == date(2027, 8, 7)


# --- the popup ------------------------------------------------------------------------------------


def test_the_popup_opens_under_the_field_above_its_dialog(app: App) -> None:
    dialog = open_dialog(app)
    field = dialog.date_entry
    field.set_date(date(2027, 1, 2))
    popup = open_popup(field)
    assert popup.winfo_viewable()
    assert str(popup.transient()) == str(dialog)
    assert popup.winfo_rootx() == field.winfo_rootx()
    assert popup.winfo_rooty() >= field.winfo_rooty() + field.winfo_height()
    # No window manager runs under Xvfb: the popup must be stacked above the dialog by itself.
    assert app.tk.call("wm", "stackorder", str(popup), "isabove", str(dialog)) == 1
    assert popup.grab_current() is popup
    assert popup.title_label.cget("text") == "January 2027"
    assert popup.cursor == date(2027, 1, 2)
    days = popup.shown_days()
    assert days[0].weekday() == popup.weeks.firstweekday  # a whole first week
    assert len(days) == 42 and date(2027, 1, 31) in days
    chosen = popup.day_buttons[days.index(date(2027, 1, 2))]
    assert chosen.cget("text") == "2"
    assert chosen.cget("fg_color") != "transparent"
    popup.close()


def test_today_is_ringed(app: App) -> None:
    dialog = open_dialog(app)
    popup = open_popup(dialog.date_entry)
    days = popup.shown_days()
    ringed = [
        day
        for day, button in zip(days, popup.day_buttons, strict=True)
        if button.cget("border_width")
    ]
    assert ringed == [today()]
    assert popup.today_button.cget("text") == f"Today: {format_long_date(today())}"
    popup.close()


def test_arrows_move_the_day_page_keys_the_month_and_return_picks(app: App) -> None:
    dialog = open_dialog(app)
    dialog.name_entry.insert(0, "Kept")
    field = dialog.date_entry
    field.set_date(date(2027, 1, 31))
    popup = open_popup(field)
    key(popup, "Right")
    assert popup.cursor == date(2027, 2, 1)
    assert popup.title_label.cget("text") == "February 2027"  # crossing a month turns the page
    key(popup, "Up")
    assert popup.cursor == date(2027, 1, 25)
    key(popup, "Down")
    key(popup, "Left")
    assert popup.cursor == date(2027, 1, 31)
    key(popup, "Next")
    assert popup.cursor == date(2027, 2, 28)  # the same day, or the month's last
    key(popup, "Prior")
    assert popup.cursor == date(2027, 1, 28)
    key(popup, "Return")
    app.update()
    assert not popup.winfo_exists()
    assert field.popup is None
    assert field.get() == "2027-01-28"
    assert dialog.winfo_exists() and dialog.name_entry.get() == "Kept"
    assert dialog.grab_current() is dialog  # the dialog is modal again
    dialog.cancel_button.invoke()


def test_escape_closes_only_the_popup(app: App) -> None:
    dialog = open_dialog(app)
    dialog.name_entry.insert(0, "Typed before")
    field = dialog.date_entry
    field.set_date(date(2027, 1, 2))
    popup = open_popup(field)
    key(popup, "Right")
    key(popup, "Escape")
    app.update()
    assert not popup.winfo_exists()
    assert dialog.winfo_exists()
    assert dialog.name_entry.get() == "Typed before"
    assert field.get() == "2027-01-02"  # moving the cursor chose nothing
    assert dialog.grab_current() is dialog
    dialog.cancel_button.invoke()


def test_a_click_on_a_day_picks_it_and_the_arrows_turn_the_month(app: App) -> None:
    dialog = open_dialog(app)
    field = dialog.date_entry
    field.set_date(date(2027, 1, 2))
    popup = open_popup(field)
    popup.next_button.invoke()
    assert popup.title_label.cget("text") == "February 2027"
    popup.prev_button.invoke()
    popup.prev_button.invoke()
    assert popup.title_label.cget("text") == "December 2026"
    index = popup.shown_days().index(date(2026, 12, 24))
    popup.day_buttons[index].invoke()
    app.update()
    assert not popup.winfo_exists()
    assert field.get() == "2026-12-24"
    assert field.preview_label.cget("text") == "Thursday, December 24, 2026"
    dialog.cancel_button.invoke()


def test_a_click_outside_closes_the_popup(app: App) -> None:
    dialog = open_dialog(app)
    popup = open_popup(dialog.date_entry)
    x, y = popup.winfo_rootx() + popup.winfo_width() + 40, popup.winfo_rooty()
    popup.event_generate("<ButtonPress-1>", x=40, y=0, rootx=x, rooty=y)
    app.update()
    assert not popup.winfo_exists()
    assert dialog.winfo_exists()
    dialog.cancel_button.invoke()


def test_alt_down_or_f4_opens_the_popup_and_a_disabled_field_has_none(app: App) -> None:
    dialog = open_dialog(app)
    field = dialog.date_entry
    for opening in ("<Alt-Down>", "<F4>"):
        field._entry.focus_force()
        field._entry.event_generate(opening)
        app.update()
        assert field.popup is not None and field.popup.winfo_viewable(), opening
        field.popup.close()
    field.configure(state="disabled")
    assert field.open_button.cget("state") == "disabled"
    assert field.open_popup() is None
    assert field.preview_label.cget("text") == ""
    field.set_date(date(2027, 3, 4))  # a disabled field still shows the date it is given
    assert field.get() == "2027-03-04"
    dialog.cancel_button.invoke()


def test_months_add_with_the_day_clamped() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)
    assert add_months(date(2027, 1, 15), -1) == date(2026, 12, 15)
    assert add_months(date(2027, 3, 31), -13) == date(2026, 2, 28)


# --- dark -----------------------------------------------------------------------------------------


def test_the_field_and_popup_are_dark_in_dark_mode(app: App, dark: None) -> None:
    dialog = open_dialog(app)
    field = dialog.date_entry
    app.update()
    inside = field._entry.cget("bg")
    assert luminance(field, inside) < 0.3
    assert luminance(field, field._entry.cget("fg")) > 0.7
    popup = open_popup(field)
    frame = popup.winfo_children()[0]
    assert luminance(popup, frame._apply_appearance_mode(frame.cget("fg_color"))) < 0.3
    label = popup.title_label
    assert luminance(popup, label._apply_appearance_mode(label.cget("text_color"))) > 0.7
    popup.close()
    dialog.cancel_button.invoke()


# --- where and in which order ---------------------------------------------------------------------


def test_near_the_bottom_of_the_screen_the_popup_opens_above_the_field(app: App) -> None:
    top = ctk.CTkToplevel(app)
    field = DateEntry(top, date(2027, 1, 2))
    field.pack(padx=10, pady=10)
    top.geometry(f"+40+{top.winfo_screenheight() - 70}")
    top.update()
    popup = open_popup(field)
    assert popup.winfo_rooty() + popup.winfo_height() <= field.winfo_rooty()
    assert popup.winfo_rooty() >= 0
    popup.close()
    top.destroy()


def test_the_users_order_reads_numbers_and_starts_the_week(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forms, "user_date_order", lambda: DateOrder.DAY_FIRST)
    dialog = open_dialog(app)
    field = dialog.date_entry
    type_into(field, "1/2/2027")
    assert field.preview_label.cget("text") == "Monday, February 1, 2027"
    assert field.get_date() == date(2027, 2, 1)
    popup = open_popup(field)
    assert popup.shown_days()[0].weekday() == calendar.MONDAY
    popup.close()
    monkeypatch.setattr(forms, "user_date_order", lambda: DateOrder.MONTH_FIRST)
    type_into(field, "1/2/2027")
    assert field.preview_label.cget("text") == "Saturday, January 2, 2027"
    popup = open_popup(field)
    assert popup.shown_days()[0].weekday() == calendar.SUNDAY
    popup.close()
    dialog.cancel_button.invoke()
