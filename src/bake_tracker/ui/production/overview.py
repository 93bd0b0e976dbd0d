"""The Production tab's overview: the active events as cards on the left (upcoming nearest first,
then past ones newest first), and the selected event's panel on the right.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import dashboard_service
from bake_tracker.services.dto import EventSummary
from bake_tracker.ui.kit.labels import muted_label, section_label
from bake_tracker.ui.kit.scroll import AutoHideScrollbar, ScrollFrame
from bake_tracker.ui.production.cards import EventCard
from bake_tracker.ui.production.event_panel import EventPanel
from bake_tracker.ui.production.page import SubPage
from bake_tracker.ui.production.wording import order_events

if TYPE_CHECKING:
    from bake_tracker.ui.production.tab import ProductionTab

CARD_LIST_WIDTH = 330
NO_EVENTS_UPCOMING = (
    "No upcoming events with targets or packages. Tick “Show past events” to see earlier ones."
)
NO_EVENTS_PAST = "No events with targets or packages yet."


class DashboardView(SubPage):
    """Active events as cards on the left; the selected event's progress and costs on the right.

    The selection is kept by event id across refreshes (a run recorded, the tab shown again);
    when the selected event is no longer listed the nearest upcoming one is selected.
    """

    def __init__(self, tab: ProductionTab) -> None:
        super().__init__(tab)
        self.summaries: dict[int, EventSummary] = {}
        self.cards: dict[int, EventCard] = {}
        self.selected_event_id: int | None = None
        self.grid_columnconfigure(1, weight=1)
        self.grid_rowconfigure(0, weight=1)
        self._build_list()
        self.panel = EventPanel(self)
        self.panel.grid(row=0, column=1, sticky="nsew", padx=(12, 0), pady=(0, 4))
        self._show_selected()  # nothing loaded yet: the window loads the tab when it is shown

    def _build_list(self) -> None:
        column = ctk.CTkFrame(self, fg_color="transparent", width=CARD_LIST_WIDTH)
        column.grid(row=0, column=0, sticky="nsew", pady=(0, 4))
        column.grid_rowconfigure(1, weight=1)
        column.grid_columnconfigure(0, weight=1)
        header = ctk.CTkFrame(column, fg_color="transparent")
        header.grid(row=0, column=0, sticky="ew", pady=(0, 6))
        section_label(header, "Active events").pack(side="left", padx=(4, 0))
        self.past_var = tk.BooleanVar(self, value=False)
        self.past_check = ctk.CTkCheckBox(
            header,
            text="Show past events",
            variable=self.past_var,
            command=self.refresh,
            checkbox_width=18,
            checkbox_height=18,
            font=ctk.CTkFont(size=12),
        )
        self.past_check.pack(side="right", padx=(0, 4))
        self.card_list = ScrollFrame(column, fg_color="transparent", width=CARD_LIST_WIDTH - 20)
        self.card_list.grid(row=1, column=0, sticky="nsew")
        self.card_scrollbar = AutoHideScrollbar(self.card_list)
        self.card_list.grid_columnconfigure(0, weight=1)
        self.empty_label = muted_label(
            self.card_list, "", wraplength=CARD_LIST_WIDTH - 50, justify="left"
        )

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the cards (keeping the selected event) and the selected event's panel."""
        today = date.today()
        found = dashboard_service.get_dashboard_summary(
            include_past=self.past_var.get(), today=today
        )
        ordered = order_events(found, today)
        self.summaries = {summary.event_id: summary for summary in ordered}
        self._draw_cards(ordered, today)
        if self.selected_event_id not in self.summaries:
            self.selected_event_id = ordered[0].event_id if ordered else None
        self._show_selected()

    def _draw_cards(self, summaries: Sequence[EventSummary], today: date) -> None:
        """Refill the cards in place when the same events are listed, else rebuild them."""
        self._show_empty_label(not summaries)
        if [s.event_id for s in summaries] == list(self.cards):
            for summary in summaries:
                self.cards[summary.event_id].fill(summary, today)
            return
        for card in self.cards.values():
            card.destroy()
        self.cards = {}
        for row, summary in enumerate(summaries):
            card = EventCard(self.card_list, summary, today, self.select_event, self.step_event)
            card.grid(row=row, column=0, sticky="ew", padx=(2, 8), pady=(0, 10))
            self.cards[summary.event_id] = card

    def _show_empty_label(self, empty: bool) -> None:
        if not empty:
            self.empty_label.grid_forget()
            return
        self.empty_label.configure(
            text=NO_EVENTS_PAST if self.past_var.get() else NO_EVENTS_UPCOMING
        )
        self.empty_label.grid(row=0, column=0, sticky="ew", padx=6, pady=6)

    def select_event(self, event_id: int) -> None:
        """Select an event's card and show its panel (what clicking a card does)."""
        if event_id in self.summaries:
            self.selected_event_id = event_id
            self._show_selected()

    def step_event(self, event_id: int, step: int) -> None:
        """Up/Down on a focused card: select the previous/next event, focus its card, show it."""
        order = list(self.cards)
        index = order.index(event_id) + step if event_id in order else -1
        if 0 <= index < len(order):
            self.select_event(order[index])
            card = self.cards[order[index]]
            card.focus_card()
            self.card_list.see(card)

    def _show_selected(self) -> None:
        for event_id, card in self.cards.items():
            card.set_selected(event_id == self.selected_event_id)
        selected = self.summaries.get(self.selected_event_id) if self.selected_event_id else None
        self.panel.show(selected)

    @property
    def selected_card(self) -> EventCard | None:
        return self.cards.get(self.selected_event_id) if self.selected_event_id else None

    def card_texts(self) -> list[list[str]]:
        """Every card's lines in order (for tests)."""
        return [card.texts() for card in self.cards.values()]
