"""Form fields beyond CustomTkinter's own: the date field (``date_entry``, built in
``kit.datepicker``), the quiet drop-down that toolbars use for filters (``quiet_menu``, refilled
with ``set_choices``), unique drop-down labels for items that may share a name
(``unique_labels``) and ``DerivedDefault``, a field whose suggested value follows another field
until the user types over it.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

import customtkinter as ctk

from bake_tracker.ui.kit.datepicker import DateEntry
from bake_tracker.ui.kit.theme import TEXT

T = TypeVar("T")


def date_entry(master: tk.Misc, initial: date) -> DateEntry:
    """A date field (events, purchases): what people type, the long form beside it, a month
    popup on the standard ``calendar`` module."""
    return DateEntry(master, initial)


def quiet_menu(
    master, width: int, values: Sequence[str], variable: tk.StringVar | None = None, **kwargs: Any
) -> ctk.CTkOptionMenu:
    """A drop-down in the quiet toolbar style (white field, grey arrow) for filters and pickers."""
    return ctk.CTkOptionMenu(
        master,
        width=width,
        variable=variable,
        values=list(values) or [""],
        dynamic_resizing=False,
        fg_color=("white", "gray25"),
        button_color=("gray82", "gray30"),
        button_hover_color=("gray72", "gray35"),
        text_color=TEXT,
        **kwargs,
    )


def set_choices(menu: ctk.CTkOptionMenu, values: list[str]) -> None:
    """Give ``menu`` these choices, unless it has them already (rebuilding a drop-down of a
    thousand ingredients costs a noticeable moment every time the tab is shown)."""
    if menu.cget("values") != values:
        menu.configure(values=values)


def unique_labels(items: Iterable[T], label: Callable[[T], str], key: Callable[[T], int]) -> dict:
    """Menu labels for items; a label shown twice gets the item's id: "Bob (#7)"."""
    items = list(items)
    names = [label(item) for item in items]
    return {
        (f"{name} (#{key(item)})" if names.count(name) > 1 else name): item
        for item, name in zip(items, names, strict=True)
    }


def set_field_text(widget: Any, text: str) -> None:
    """Replace what an entry or combo box shows, even while it is disabled (a disabled Tk entry
    ignores inserts, so it is opened for the moment of the change)."""
    if isinstance(widget, ctk.CTkComboBox):
        widget.set(text)
        return
    disabled = str(widget.cget("state")) == "disabled"
    if disabled:
        widget.configure(state="normal")
    widget.delete(0, "end")
    if text:
        widget.insert(0, text)
    if disabled:
        widget.configure(state="disabled")


class DerivedDefault:
    """A field whose value is suggested by another field (items per batch from the recipe's
    yield, a unit from the ingredient) and follows it until the user types over it.

    The rule: the suggestion replaces the field's text only while that text is blank or still
    the last suggestion; anything else is the user's own value and is kept (a suggestion that
    silently overwrote it, or one that stuck after the source changed, saves wrong data without
    a word). Clearing the field hands it back to the suggestions.
    """

    def __init__(self, widget: Any) -> None:
        self.widget = widget
        # What the widget shows when built (a combo box shows its first choice) is no one's.
        self._suggested: str | None = str(widget.get())

    @property
    def user_edited(self) -> bool:
        """True once the field holds something other than blank or the last suggestion."""
        text = str(self.widget.get())
        return bool(text.strip()) and text != self._suggested

    def suggest(self, text: str) -> bool:
        """Show ``text`` unless the user has typed their own value; True when it was shown."""
        if self.user_edited:
            return False
        self._suggested = text
        set_field_text(self.widget, text)
        return True

    def keep(self, text: str) -> None:
        """Show a saved value (editing a record): it counts as the user's own."""
        self._suggested = None
        set_field_text(self.widget, text)
