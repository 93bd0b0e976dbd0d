"""The date field and its month popup, on the standard ``calendar`` module (no tkcalendar).

``DateEntry`` is a CustomTkinter entry (so dialogs mark it red like any field, and it follows
light and dark) that takes what people type (``forms.parse_date_text``: 2027-01-02, 1/2/2027 in
the user's order, Jan 2, today), shows what the text means in the one long form at its right
("Saturday, January 2, 2027") and rewrites it in the one short form when the focus leaves. Its
▾ button, Alt+Down or F4 open ``DatePopup``: a month of day buttons under the field, today
ringed, the chosen day filled; arrows move the day, Page Up/Down the month, Return or a click
picks, Escape or a click outside closes only the popup, never the dialog beneath.

The popup has no window-manager frame (``overrideredirect``), is transient to the field's
window, takes the grab while open (and gives it back to whoever had it: the dialog) and is lifted
after it is mapped, so it is on top even without a window manager.
"""

from __future__ import annotations

import calendar
import contextlib
import tkinter as tk
from datetime import date, timedelta
from typing import Any

import customtkinter as ctk

from bake_tracker.core import dates
from bake_tracker.ui import forms
from bake_tracker.ui.kit.theme import ACCENT_TEXT, ERROR_TEXT, MUTED_TEXT, PRIMARY_COLOR, TEXT

FIELD_WIDTH = 290  # ISO date + "Wednesday, September 30, 2026" + the button, at 100 %
NOT_A_DATE = "not a date yet"
WEEKS_SHOWN = 6  # every month fits in six rows; a fixed grid keeps the popup from jumping
DAY_BUTTON = {"width": 36, "height": 28, "corner_radius": 6}
HOVER = ("gray85", "gray30")
POPUP_BORDER = ("gray70", "gray35")
DAY_KEYS = {"Left": -1, "Right": 1, "Up": -7, "Down": 7}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's length (Jan 31 → Feb
    28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class DateEntry(ctk.CTkEntry):
    """A date field: an entry with the long-form preview and the ▾ popup button inside it."""

    def __init__(self, master: tk.Misc, initial: date | None, *, width: int = FIELD_WIDTH) -> None:
        self.text_var = tk.StringVar(master)
        self.popup: DatePopup | None = None
        super().__init__(master, width=width, textvariable=self.text_var)
        self.preview_label = ctk.CTkLabel(
            self, text="", text_color=MUTED_TEXT, font=ctk.CTkFont(size=12), height=20
        )
        self.open_button = ctk.CTkButton(
            self,
            text="▾",
            width=22,
            height=20,
            fg_color="transparent",
            hover_color=HOVER,
            text_color=TEXT,
            command=self.open_popup,
        )
        self._create_grid()
        self.text_var.trace_add("write", lambda *_: self._show_preview())
        for key in ("<Alt-Down>", "<F4>"):
            self._entry.bind(key, self._open_from_key)
        self._entry.bind("<FocusOut>", self._normalise, add="+")
        if initial is not None:
            self.set_date(initial)

    # --- the entry's own parts ----------------------------------------------------------------

    def _create_grid(self) -> None:
        """CustomTkinter's layout plus two columns inside the rounded box: preview and button."""
        super()._create_grid()
        if not hasattr(self, "open_button"):
            return  # called from CTkEntry.__init__, before the parts exist
        inset = self._apply_widget_scaling(self._border_width)
        self._canvas.grid_configure(columnspan=3)
        self._entry.grid_configure(padx=(self._apply_widget_scaling(8), 4))
        self.preview_label.grid(row=0, column=1, sticky="e", pady=inset)
        self.open_button.grid(row=0, column=2, padx=(2, inset + 2), pady=inset)

    def _update_font(self) -> None:
        super()._update_font()  # re-grids the canvas in one column: give it all three again
        self._create_grid()

    def configure(self, require_redraw: bool = False, **kwargs: Any) -> None:
        """As CustomTkinter's entry; ``state`` also (dis)ables the popup button and the preview."""
        state = kwargs.get("state")
        super().configure(require_redraw, **kwargs)
        if state is not None and hasattr(self, "open_button"):
            self.open_button.configure(state=state)
            self._show_preview()

    config = configure

    # --- the date ---------------------------------------------------------------------------------

    def set_date(self, value: date) -> None:
        """Show ``value`` in the one short form (works while disabled too)."""
        self.text_var.set(dates.format_date(value))

    def get_date(self) -> date | None:
        """The date the text means now, or None while it is not one."""
        try:
            return forms.parse_date_text(self.get(), "Date", required=False)
        except forms.FieldError:
            return None

    def _show_preview(self) -> None:
        # The variable, not the entry: this trace runs before the entry's own has caught up.
        shown = self.text_var.get()
        text = "" if str(self.cget("state")) == "disabled" else forms.date_preview(shown)
        color = ERROR_TEXT if text == NOT_A_DATE else MUTED_TEXT
        self.preview_label.configure(text=text, text_color=color)

    def _normalise(self, _event: tk.Event | None = None) -> None:
        """ "tomorrow" becomes "2026-12-06" when the focus leaves: the one short form."""
        value = self.get_date()
        if value is not None and self.get() != dates.format_date(value):
            self.set_date(value)

    # --- the popup --------------------------------------------------------------------------------

    def open_popup(self) -> DatePopup | None:
        """Show the month of the field's date (today's when it has none) under the field."""
        if str(self.cget("state")) == "disabled":
            return None
        if self.popup is not None and self.popup.winfo_exists():
            return self.popup
        self.popup = DatePopup(self, self.get_date(), today=date.today())
        return self.popup

    def _open_from_key(self, _event: tk.Event) -> str:
        self.open_popup()
        return "break"

    def pick(self, value: date) -> None:
        """The popup's choice: into the field, the cursor back in it."""
        self.set_date(value)
        self._entry.focus_set()
        self._entry.icursor("end")


class DatePopup(ctk.CTkToplevel):
    """A month of day buttons under a ``DateEntry``; ``cursor`` is the day Return would pick."""

    def __init__(self, field: DateEntry, chosen: date | None, *, today: date) -> None:
        super().__init__(field)
        self.withdraw()
        self.overrideredirect(True)  # a drop-down, not a window: no frame, no taskbar entry
        self.field, self.chosen, self.today = field, chosen, today
        self.cursor = chosen or today
        order = forms.user_date_order()
        self.weeks = calendar.Calendar(dates.first_weekday(order))
        self._grab_before = self.grab_current()
        self._build()
        self.render()
        self.bind("<Escape>", self._escape)
        for key in DAY_KEYS:
            self.bind(f"<{key}>", self._move_by_key)
        self.bind("<Prior>", lambda _e: self._move_month(-1))
        self.bind("<Next>", lambda _e: self._move_month(1))
        self.bind("<Home>", lambda _e: self.move_to(self.today))
        for key in ("<Return>", "<KP_Enter>", "<space>"):
            self.bind(key, self._pick_cursor)
        self.bind("<ButtonPress>", self._click_outside_closes, add="+")
        for wheel in ("<MouseWheel>", "<Button-4>", "<Button-5>"):
            self.bind(wheel, self._wheel)
        self._show()

    # --- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        frame = ctk.CTkFrame(self, border_width=1, border_color=POPUP_BORDER, corner_radius=0)
        frame.pack(fill="both", expand=True)
        header = ctk.CTkFrame(frame, fg_color="transparent")
        header.grid(row=0, column=0, columnspan=7, sticky="ew", padx=6, pady=(6, 2))
        header.grid_columnconfigure(1, weight=1)
        nav = {
            "width": 30,
            "height": 26,
            "font": ctk.CTkFont(size=18),
            "fg_color": "transparent",
            "hover_color": HOVER,
        }
        self.prev_button = ctk.CTkButton(
            header, text="‹", text_color=TEXT, command=lambda: self._move_month(-1), **nav
        )
        self.prev_button.grid(row=0, column=0)
        self.title_label = ctk.CTkLabel(header, text="", font=ctk.CTkFont(size=14, weight="bold"))
        self.title_label.grid(row=0, column=1, sticky="ew")
        self.next_button = ctk.CTkButton(
            header, text="›", text_color=TEXT, command=lambda: self._move_month(1), **nav
        )
        self.next_button.grid(row=0, column=2)
        for column, weekday in enumerate(self.weeks.iterweekdays()):
            ctk.CTkLabel(
                frame,
                text=dates.DAY_NAMES[weekday][:2],
                text_color=MUTED_TEXT,
                font=ctk.CTkFont(size=12),
                height=20,
            ).grid(row=1, column=column, padx=(6 if column == 0 else 1, 6 if column == 6 else 1))
        self.day_buttons: list[ctk.CTkButton] = []
        for index in range(WEEKS_SHOWN * 7):
            button = ctk.CTkButton(
                frame,
                text="",
                border_width=0,
                hover_color=HOVER,
                command=lambda index=index: self._pick_index(index),
                **DAY_BUTTON,
            )
            row, column = divmod(index, 7)
            button.grid(
                row=row + 2, column=column, padx=(6 if column == 0 else 1, 6 if column == 6 else 1)
            )
            self.day_buttons.append(button)
        self.today_button = ctk.CTkButton(
            frame,
            text=f"Today: {dates.format_long_date(self.today)}",
            height=26,
            fg_color="transparent",
            hover_color=HOVER,
            text_color=ACCENT_TEXT,
            command=lambda: self.pick(self.today),
        )
        self.today_button.grid(row=WEEKS_SHOWN + 2, column=0, columnspan=7, pady=(4, 6))

    def shown_days(self) -> list[date]:
        """The 42 days on the buttons: the cursor's month, from the start of its first week."""
        first = self.cursor.replace(day=1)
        back = (first.weekday() - self.weeks.firstweekday) % 7
        try:
            start = first - timedelta(days=back)
        except OverflowError:  # January of year 1: start on the first
            start = first
        days = []
        for offset in range(WEEKS_SHOWN * 7):
            try:
                days.append(start + timedelta(days=offset))
            except OverflowError:  # the end of December 9999
                days.append(days[-1])
        return days

    def render(self) -> None:
        """Label and colour the buttons for the cursor's month."""
        month = dates.MONTH_NAMES[self.cursor.month - 1]
        self.title_label.configure(text=f"{month} {self.cursor.year}")
        for button, day in zip(self.day_buttons, self.shown_days(), strict=True):
            in_month = day.month == self.cursor.month
            if day == self.cursor:
                colors = {"fg_color": PRIMARY_COLOR, "text_color": ("white", "white")}
            else:
                colors = {"fg_color": "transparent", "text_color": TEXT if in_month else MUTED_TEXT}
            button.configure(
                text=str(day.day),
                border_width=2 if day == self.today else 0,
                border_color=ACCENT_TEXT,
                **colors,
            )

    # --- showing and closing -------------------------------------------------------------------

    def _show(self) -> None:
        """Under the field (above it when the screen ends first), on top, with the grab."""
        self.transient(self.field.winfo_toplevel())
        self.update_idletasks()
        width, height = self.winfo_reqwidth(), self.winfo_reqheight()
        field = self.field
        x, below = field.winfo_rootx(), field.winfo_rooty() + field.winfo_height() + 2
        above = field.winfo_rooty() - height - 2
        y = below if below + height <= self.winfo_screenheight() else above
        x = max(0, min(x, self.winfo_screenwidth() - width))
        self.geometry(f"+{x}+{max(0, y)}")
        self.deiconify()
        self.lift()  # without a window manager nothing else puts it above the dialog
        self.wait_visibility()
        self.grab_set()
        self.focus_force()

    def close(self) -> None:
        """Close the popup only; the grab goes back to the dialog that had it."""
        self.grab_release()
        self.destroy()
        if self._grab_before is not None and self._grab_before.winfo_exists():
            self._grab_before.grab_set()
        if self.field.winfo_exists():
            self.field.popup = None
            self.field._entry.focus_set()

    def _escape(self, _event: tk.Event) -> str:
        self.close()
        return "break"  # the dialog beneath keeps what was typed

    def _click_outside_closes(self, event: tk.Event) -> None:
        x, y = event.x_root - self.winfo_rootx(), event.y_root - self.winfo_rooty()
        if not (0 <= x < self.winfo_width() and 0 <= y < self.winfo_height()):
            self.close()

    # --- moving and picking ----------------------------------------------------------------------

    def move_to(self, day: date) -> None:
        self.cursor = day
        self.render()

    def _move_by_key(self, event: tk.Event) -> str:
        with contextlib.suppress(OverflowError):  # the ends of the calendar stay put
            self.move_to(self.cursor + timedelta(days=DAY_KEYS[event.keysym]))
        return "break"

    def _move_month(self, months: int) -> str:
        self.move_to(add_months(self.cursor, months))
        return "break"

    def _wheel(self, event: tk.Event) -> str:
        up = event.num == 4 or getattr(event, "delta", 0) > 0
        return self._move_month(-1 if up else 1)

    def _pick_index(self, index: int) -> None:
        self.pick(self.shown_days()[index])

    def _pick_cursor(self, _event: tk.Event) -> str:
        self.pick(self.cursor)
        return "break"

    def pick(self, day: date) -> None:
        """Put ``day`` into the field and close."""
        field = self.field
        self.close()
        field.pick(day)
