"""Form fields beyond CustomTkinter's own: the date field (``date_entry``, built in
``kit.datepicker``), the quiet drop-down that toolbars use for filters (``quiet_menu``, refilled
with ``set_choices``) and unique drop-down labels for items that may share a name
(``unique_labels``).
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
