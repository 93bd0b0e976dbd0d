"""``ListTab``: the base of a list-and-detail tab (Recipes, Finished Units and Goods, Packages,
Recipients): a toolbar (search, filters, Add / Edit / Delete), a ``DataTable`` of items on the
left and a ``DetailPanel`` for the selected one on the right.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import customtkinter as ctk

from bake_tracker.services.errors import ServiceError
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled
from bake_tracker.ui.kit.detail_panel import DetailPanel
from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.windows import when_closed

T = TypeVar("T")
DETAIL_MIN_WIDTH = 360  # logical: the narrowest a detail panel gets on a small window


def detail_share(tab_width: float, wanted: int) -> int:
    """The detail panel's width on a tab ``tab_width`` wide: what it wants, at most 45 %."""
    return int(min(wanted, max(DETAIL_MIN_WIDTH, tab_width * 0.45)))


class ListTab(TabFrame):
    """Base of a list-and-detail tab: a toolbar (search, filters, Add / Edit / Delete), a
    ``DataTable`` of items on the left and a ``DetailPanel`` for the selected one on the right.

    Subclasses set the class attributes and define ``load`` (one service read for the list),
    ``row`` (an item's row; its iid is the item's id as text), ``make_detail``, ``open_form`` (the
    Add / Edit dialog) and ``delete_item`` (the service call behind Delete).
    ``refresh()`` reloads the list and the panel (the window calls it whenever the tab is shown).
    """

    columns: Sequence[Column] = ()
    empty_text = "Nothing here yet."
    no_match_text = "Nothing matches this search."
    add_text = "Add"
    item_word = "item"  # what one item is called in messages ("finished good")
    name_field = "name"  # the item's field that names it in messages
    detail_width = 470
    show_dialogs = True  # tests may build dialogs hidden and non-modal

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, description)
        self.items: dict[str, Any] = {}
        self.active_dialog: ctk.CTkToplevel | None = None
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_toolbar()
        self.table = DataTable(
            self,
            self.columns,
            empty_text=self.empty_text,
            on_select=self._on_select,
            on_activate=lambda _iid: self.on_edit(),
        )
        self.table.grid(row=1, column=0, sticky="nsew", padx=(0, 12), pady=(0, 4))
        self.detail = self.make_detail()
        self.detail.grid(row=1, column=1, sticky="nsew", pady=(0, 4))
        tk.Misc.bind(self, "<Configure>", self._fit_detail, "+")
        self._on_select(None)  # nothing loaded yet: the window loads the tab when it is shown

    def _fit_detail(self, _event: tk.Event | None = None) -> None:
        """Give the detail panel its width, but never more than 45 % of the tab: on a small
        window the list keeps the larger part, room for its rows' names and figures."""
        width = self.winfo_width()
        if width > 1:
            logical = width / ctk.ScalingTracker.get_widget_scaling(self)
            self.detail.fit_width(detail_share(logical, self.detail_width))

    def _build_toolbar(self) -> None:
        self.toolbar = bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.grid(row=0, column=0, columnspan=2, sticky="ew", pady=(4, 10))
        ctk.CTkLabel(bar, text="Search").pack(side="left", padx=(2, 8))
        self.search_var = tk.StringVar(self)
        self.search_entry = ctk.CTkEntry(bar, width=220, textvariable=self.search_var)
        self.search_entry.pack(side="left", padx=(0, 20))
        self.build_filters(bar)
        self.delete_button = DangerButton(bar, text="Delete", width=80, command=self.on_delete)
        self.delete_button.pack(side="right")
        self.edit_button = ActionButton(bar, text="Edit", width=80, command=self.on_edit)
        self.edit_button.pack(side="right", padx=(0, 8))
        self.add_button = ActionButton(bar, text=self.add_text, width=130, command=self.on_add)
        self.add_button.pack(side="right", padx=(0, 8))
        self.search_var.trace_add("write", lambda *_: self.refresh())

    def build_filters(self, bar: ctk.CTkFrame) -> None:
        """Pack any filters after the search box (left to right)."""

    # --- reading ------------------------------------------------------------------------------

    def load(self, search: str | None) -> Sequence[Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def row(self, item: Any) -> Row:  # pragma: no cover - overridden
        raise NotImplementedError

    def make_detail(self) -> DetailPanel:  # pragma: no cover - overridden
        raise NotImplementedError

    def item_name(self, item: Any) -> str:
        """An item's name in messages: its ``name_field``."""
        return str(getattr(item, self.name_field))

    def is_filtered(self) -> bool:
        return bool(self.search_var.get().strip())

    def refresh(self) -> None:
        """Reload the list (with the search and filters) and the selected item's panel."""
        found = self.load(self.search_var.get().strip() or None)
        self.items = {str(item.id): item for item in found}
        self.table.empty_label.configure(
            text=self.no_match_text if self.is_filtered() else self.empty_text
        )
        self.table.set_rows([self.row(item) for item in found])
        self._on_select(self.table.selected_id())

    def selected(self) -> Any | None:
        iid = self.table.selected_id()
        return self.items.get(iid) if iid is not None else None

    def _on_select(self, iid: str | None) -> None:
        item = self.items.get(iid) if iid is not None else None
        set_enabled((self.edit_button, self.delete_button), item is not None)
        self.detail.show(item)

    # --- commands -----------------------------------------------------------------------------

    def open_form(self, item: Any | None) -> ctk.CTkToplevel:  # pragma: no cover - overridden
        """The dialog that adds an item (``item`` None) or edits ``item``; on saving it calls
        ``form_saved``."""
        raise NotImplementedError

    def delete_item(self, item: Any) -> Any:  # pragma: no cover - overridden
        """The service call that deletes ``item`` (may raise ``InUseError``)."""
        raise NotImplementedError

    def on_add(self) -> None:
        self.active_dialog = self.open_form(None)

    def on_edit(self) -> None:
        item = self.selected()
        if item is not None:
            self.active_dialog = self.open_form(item)

    def form_saved(self, item: Any) -> None:
        self.saved(item, f"Saved {self.item_word} “{self.item_name(item)}”.")

    def delete_refusal(self, item: Any) -> str | None:
        """Why ``item`` cannot be deleted (its service's check), or None: asked before "are you
        sure?", so a refusal never follows the question."""
        return None

    def on_delete(self) -> None:
        item = self.selected()
        if item is None:
            return
        try:
            refused = self.delete_refusal(item)
        except ServiceError as error:
            refused = str(error)
        if refused:
            self.show_error(f"Cannot delete {self.item_word}", refused)
            return
        self.delete_selected(self.item_word, self.item_name(item), lambda: self.delete_item(item))

    def clear_filters(self) -> None:
        """Show every item: empty the search (subclasses reset their own filters too)."""
        self.search_var.set("")

    def saved(self, item: Any, message: str) -> None:
        """After a dialog saved ``item``: reload, select it, say so in the status bar. A new or
        renamed item the search or a filter would hide is shown all the same: the filters are
        cleared, so what was just saved is always in view and selected."""
        self.refresh()
        if str(item.id) not in self.items and self.is_filtered():
            self.clear_filters()
            self.refresh()
        if str(item.id) in self.items:
            self.table.select(str(item.id))
        self.post_status(message)

    def changed(self, message: str) -> None:
        """After a change inside the selected item: reload and say so."""
        self.refresh()
        self.post_status(message)

    def run(self, title: str, call: Callable[[], Any], done: str) -> bool:
        """Make one service call; show a refusal as an error, else refresh and post ``done``."""
        try:
            call()
        except ServiceError as error:
            self.show_error(title, str(error))
            return False
        self.changed(done)
        return True

    def refresh_after(self, window: T) -> T:
        """Refresh this tab once ``window`` (a dialog the main window opened) closes."""
        if isinstance(window, tk.Misc):
            when_closed(window, self.refresh)
        return window

    def delete_selected(self, what: str, name: str, delete: Callable[[], Any]) -> bool:
        """Ask, then delete; a refusal (``InUseError``) is shown with the service's words."""
        if not self.ask_confirm(f"Delete the {what} “{name}”? This cannot be undone."):
            return False
        return self.run(f"Cannot delete {what}", delete, f"Deleted {what} “{name}”.")
