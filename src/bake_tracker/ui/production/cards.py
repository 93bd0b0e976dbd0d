"""The overview's event cards (one event at a glance, clicked to select it) and the status
badge ("COMPLETE" / "In progress" / "Not started") that cards and the event panel show.

The cards are one stop of the keyboard's Tab order, like a list: Tab reaches the selected card,
Up/Down select the previous/next event (scrolled into view), Return or Space select the
focused one. Fifty events stay one Tab stop, not fifty.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import customtkinter as ctk

from bake_tracker.services.dto import EventStatus, EventSummary
from bake_tracker.ui.kit.keyboard import FOCUS_RING
from bake_tracker.ui.kit.theme import MUTED_TEXT, PRIMARY_COLOR, TABLE_BACKGROUND, TEXT
from bake_tracker.ui.production.wording import (
    NO_PACKAGES,
    cost_text,
    count_text,
    date_line,
    packages_text,
)

COMPLETE_COLOR = ("#2E7D32", "#2E7D32")
IN_PROGRESS_COLOR = ("#EF6C00", "#E65100")
NOT_STARTED_COLOR = ("#78838E", "#5A636B")
CARD_BORDER = ("gray82", "gray30")
SELECTED_CARD = ("#E8F1FA", "#1D3347")
SELECTED_BORDER = PRIMARY_COLOR
COMPLETE_TEXT, IN_PROGRESS_TEXT, NOT_STARTED_TEXT = "COMPLETE", "In progress", "Not started"
BADGES: dict[EventStatus, tuple[str, tuple[str, str]]] = {
    EventStatus.COMPLETE: (COMPLETE_TEXT, COMPLETE_COLOR),
    EventStatus.IN_PROGRESS: (IN_PROGRESS_TEXT, IN_PROGRESS_COLOR),
    EventStatus.NOT_STARTED: (NOT_STARTED_TEXT, NOT_STARTED_COLOR),
}


def all_descendants(widget: tk.Misc) -> Iterator[tk.Misc]:
    """``widget`` and every widget inside it (CustomTkinter's inner canvases and labels too)."""
    yield widget
    for child in widget.winfo_children():
        yield from all_descendants(child)


class StatusBadge(ctk.CTkLabel):
    """ "COMPLETE" in white on green, "In progress" on orange, "Not started" on grey."""

    def __init__(self, master) -> None:
        super().__init__(
            master,
            text="",
            text_color="white",
            corner_radius=6,
            height=22,
            width=86,
            font=ctk.CTkFont(size=11, weight="bold"),
        )

    def show(self, status: EventStatus) -> None:
        text, color = BADGES[EventStatus(status)]
        self.configure(text=text, fg_color=color)


class EventCard(ctk.CTkFrame):
    """One event at a glance; a click anywhere on it calls ``on_click(event_id)``.

    ``fill`` rewrites the figures in place, so a refresh reuses the cards it already has.
    """

    def __init__(
        self,
        master,
        summary: EventSummary,
        today: date,
        on_click: Callable[[int], None],
        on_step: Callable[[int, int], None] | None = None,
    ) -> None:
        super().__init__(
            master,
            fg_color=TABLE_BACKGROUND,
            border_color=CARD_BORDER,
            border_width=1,
            corner_radius=10,
        )
        self.summary = summary
        self.event_id = summary.event_id
        self.on_click = on_click
        self.on_step = on_step
        self.selected = False
        self.focused = False
        self.grid_columnconfigure(0, weight=1)
        self._build()
        for widget in all_descendants(self):
            tk.Misc.bind(widget, "<Button-1>", lambda _event: self.click(), "+")
            widget.configure(cursor="hand2")
        self._take_keys()
        self.fill(summary, today)

    def _take_keys(self) -> None:
        """Only the selected card takes the focus; Up/Down and Return/Space as the module says."""
        canvas = self._canvas
        canvas.configure(
            takefocus=lambda _path="": int(self.selected and bool(canvas.winfo_viewable()))
        )
        for key in ("<Return>", "<KP_Enter>", "<space>"):
            canvas.bind(key, lambda _event: self._press())
        canvas.bind("<Up>", lambda _event: self._step(-1))
        canvas.bind("<Down>", lambda _event: self._step(1))
        canvas.bind("<FocusIn>", lambda _event: self._show_focus(True), add="+")
        canvas.bind("<FocusOut>", lambda _event: self._show_focus(False), add="+")

    def focus_card(self) -> None:
        """Give the card the keyboard focus (what Up/Down do to the card they select)."""
        self._canvas.focus_set()

    def _press(self) -> str:
        self.click()
        return "break"

    def _step(self, step: int) -> str:
        if self.on_step is not None:
            self.on_step(self.event_id, step)
        return "break"

    def _show_focus(self, focused: bool) -> None:
        if self.winfo_exists():
            self.focused = focused
            self.set_selected(self.selected)

    def _build(self) -> None:
        self.name_label = ctk.CTkLabel(
            self,
            text="",
            font=ctk.CTkFont(size=15, weight="bold"),
            anchor="w",
            justify="left",
            wraplength=190,
        )
        self.name_label.grid(row=0, column=0, sticky="w", padx=(14, 6), pady=(10, 0))
        self.badge = StatusBadge(self)
        self.badge.grid(row=0, column=1, sticky="ne", padx=(0, 12), pady=(11, 0))
        self.date_label = self._line(1, text_color=MUTED_TEXT)
        self.recipes_label = self._line(2)
        self.goods_label = self._line(3)
        self.packages_label = self._line(4, padx=2)  # room for the italic overhang
        self.cost_label = self._line(5, bottom=10)
        self.plain_font = self.recipes_label.cget("font")
        self.italic_font = ctk.CTkFont(size=13, slant="italic")

    def _line(self, row: int, *, padx: int = 0, bottom: int = 0, **options: Any) -> ctk.CTkLabel:
        label = ctk.CTkLabel(self, text="", anchor="w", height=22, padx=padx, **options)
        label.grid(
            row=row, column=0, columnspan=2, sticky="w", padx=(14 - padx, 14), pady=(0, bottom)
        )
        return label

    def fill(self, summary: EventSummary, today: date) -> None:
        """Show ``summary``'s figures (the same event, maybe changed)."""
        self.summary = summary
        self.name_label.configure(text=summary.event_name)
        self.badge.show(summary.status)
        self.date_label.configure(text=date_line(summary.event_date, today))
        self.recipes_label.configure(
            text=count_text("Recipes", summary.recipes_complete, summary.recipes_total)
        )
        self.goods_label.configure(
            text=count_text(
                "Finished goods", summary.finished_goods_complete, summary.finished_goods_total
            )
        )
        packages = packages_text(summary)
        self.packages_label.configure(
            text=packages or NO_PACKAGES,
            text_color=TEXT if packages else MUTED_TEXT,
            font=self.plain_font if packages else self.italic_font,
        )
        self.cost_label.configure(text=cost_text(summary))

    def click(self) -> None:
        """What a click on the card does: select its event."""
        self.on_click(self.event_id)

    def set_selected(self, selected: bool) -> None:
        """Highlight the card (blue border, tinted) or draw it plain."""
        self.selected = selected
        if selected:
            self.configure(fg_color=SELECTED_CARD, border_color=SELECTED_BORDER, border_width=2)
        else:
            self.configure(fg_color=TABLE_BACKGROUND, border_color=CARD_BORDER, border_width=1)
        if self.focused:  # the keyboard's focus ring, in the colour every other control uses
            self.configure(border_color=FOCUS_RING, border_width=2)

    def texts(self) -> list[str]:
        """Every line of the card as shown (for tests and screen readers)."""
        labels = (
            self.name_label,
            self.date_label,
            self.recipes_label,
            self.goods_label,
            self.packages_label,
            self.cost_label,
            self.badge,
        )
        return [str(label.cget("text")) for label in labels]
