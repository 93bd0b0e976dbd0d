"""``DetailPanel``: the right-hand panel of a ``ListTab``, showing the selected item.

A hint until an item is selected, then its title, a line of facts and the sections a subclass
adds (labels, tables with Add / Edit / Remove buttons), filled from one service read.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import customtkinter as ctk

from bake_tracker.services.errors import ServiceError
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled, small_button
from bake_tracker.ui.kit.labels import muted_label, section_label
from bake_tracker.ui.kit.scroll import AutoHideScrollbar, ScrollFrame
from bake_tracker.ui.kit.table import Column, DataTable
from bake_tracker.ui.kit.theme import INNER_TABLE, TABLE_BACKGROUND

if TYPE_CHECKING:
    from bake_tracker.ui.kit.list_tab import ListTab

T = TypeVar("T")


class DetailPanel(ctk.CTkFrame):
    """The right-hand panel of a ``ListTab``: a hint until an item is selected, then its title,
    a line of facts and the sections a subclass adds in ``build`` (filled in ``fill``)."""

    hint = "Select an item to see its details."

    def __init__(self, tab: ListTab, width: int | None = None) -> None:
        width = width or tab.detail_width
        super().__init__(tab, fg_color=TABLE_BACKGROUND, corner_radius=8, width=width)
        self.tab = tab
        self.width = width
        self.detail: Any = None  # what ``fill`` read for the item shown (panels that read one)
        self.grid_propagate(False)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=1)
        self.placeholder = muted_label(
            self, self.hint, wraplength=width - 60, justify="center", anchor="center"
        )
        # the sections scroll when the window is too short for them all (1024x640): each table
        # keeps the rows it asks for instead of being squeezed to none
        self.content = ScrollFrame(self, fg_color="transparent", corner_radius=0, fill_height=True)
        self.content_scrollbar = AutoHideScrollbar(self.content)
        self.content.grid_columnconfigure(0, weight=1)
        self._showing = False
        self._next_row = 0
        self.title_label = ctk.CTkLabel(
            self.content, text="", font=ctk.CTkFont(size=18, weight="bold"), anchor="w"
        )
        self.add_row(self.title_label, pady=(14, 0))
        self.facts_label = ctk.CTkLabel(
            self.content, text="", anchor="w", justify="left", wraplength=width - 40
        )
        self.add_row(self.facts_label, pady=(2, 4))
        self._row_buttons: list[tuple[DataTable, tuple[ActionButton, ...]]] = []
        self.build()
        self.show(None)

    def fit_width(self, width: int) -> None:
        """Take ``width`` (logical) instead of the width asked for; texts wrap to it."""
        if width == self.width:
            return
        self.width = width
        self.configure(width=width)
        self.placeholder.configure(wraplength=width - 60)
        self.facts_label.configure(wraplength=width - 40)

    def build(self) -> None:
        """Add the panel's own sections with ``add_row`` / ``add_table``."""

    def fill(self, item: Any) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError

    def read_detail(self, read: Callable[[], T]) -> T | None:
        """``read()`` the item's detail for ``fill``; when the service refuses (the item was
        deleted meanwhile), say so in the status bar, show the hint and return None."""
        try:
            return read()
        except ServiceError as error:
            self.tab.post_status(str(error))
            self.show(None)
            return None

    def show(self, item: Any | None) -> None:
        """Show ``item`` (reloading what the panel needs), or the hint when None."""
        if item is None:
            self._showing = False
            self.content.grid_forget()
            self.placeholder.place(relx=0.5, rely=0.4, anchor="center")
            return
        self.placeholder.place_forget()
        self._showing = True
        self.content.grid(row=0, column=0, sticky="nsew")
        self.fill(item)
        self.after_idle(self.content.fit_height)  # the filled sections' height, once measured

    @property
    def showing(self) -> bool:
        return self._showing

    def add_row(
        self, widget: tk.Misc, *, weight: int = 0, pady: tuple[int, int] = (2, 2), padx: int = 16
    ) -> Any:
        """Put ``widget`` (a child of ``self.content``) on the next row."""
        widget.grid(row=self._next_row, column=0, sticky="nsew", padx=padx, pady=pady)
        self.content.grid_rowconfigure(self._next_row, weight=weight)
        self._next_row += 1
        return widget

    def add_label(self, **kwargs: Any) -> ctk.CTkLabel:
        options: dict[str, Any] = {"anchor": "w", "justify": "left", "wraplength": self.width - 40}
        return self.add_row(ctk.CTkLabel(self.content, text="", **(options | kwargs)))

    def add_table(
        self,
        title: str,
        columns: Sequence[Column],
        *,
        empty_text: str,
        height: int = 3,
        weight: int = 1,
        on_activate: Callable[[str], None] | None = None,
    ) -> tuple[DataTable, ctk.CTkFrame]:
        """A section heading with room for ``small_button``\\ s on its right, and a bordered table
        under it; selecting a row calls ``update_buttons``. Returns the table and the button row."""
        header = ctk.CTkFrame(self.content, fg_color="transparent")
        section_label(header, title).pack(side="left", padx=(4, 0))
        buttons = ctk.CTkFrame(header, fg_color="transparent", width=1, height=1)
        buttons.pack(side="right")
        self.add_row(header, pady=(10, 4), padx=12)
        table = DataTable(
            self.content,
            columns,
            empty_text=empty_text,
            height=height,
            on_select=lambda _iid: self.update_buttons(),
            on_activate=on_activate,
        )
        table.configure(**INNER_TABLE)
        table.scrollbar.configure(height=40)  # it stretches; its default 200 px would set the floor
        table.empty_label.configure(wraplength=self.width - 80)
        return self.add_row(table, weight=weight, padx=12), buttons

    def add_edit_table(
        self,
        title: str,
        columns: Sequence[Column],
        *,
        empty_text: str,
        height: int,
        weight: int,
        add: tuple[str, Callable[[], None], int],
        edit: tuple[str, Callable[[], None], int],
        remove: Callable[[], None],
    ) -> tuple[DataTable, ActionButton, ActionButton, DangerButton]:
        """``add_table`` with Add, Edit and Remove buttons (each ``(text, command, width)``, Remove
        just its command); Edit and Remove work on the selected row, as does a double-click.
        Returns the table and the three buttons."""
        table, buttons = self.add_table(
            title,
            columns,
            empty_text=empty_text,
            height=height,
            weight=weight,
            on_activate=lambda _iid: edit[1](),
        )
        add_button = small_button(buttons, add[0], add[1], width=add[2])
        edit_button = small_button(buttons, edit[0], edit[1], width=edit[2])
        remove_button = small_button(buttons, "Remove", remove, danger=True)
        self._row_buttons.append((table, (edit_button, remove_button)))
        return table, add_button, edit_button, remove_button

    def update_buttons(self) -> None:
        """Enable the Edit and Remove buttons of each ``add_edit_table`` with a selected row."""
        for table, buttons in self._row_buttons:
            set_enabled(buttons, table.selected_id() is not None)

    def confirm_remove(
        self, what: str, name: str, owner: str, remove: Callable[[], Any], *, question: str = ""
    ) -> bool:
        """Ask "Remove <name> from “<owner>”?", then make the ``remove`` call through the tab."""
        if not self.tab.ask_confirm(question or f"Remove {name} from “{owner}”?"):
            return False
        return self.tab.run(f"Cannot remove the {what}", remove, f"Removed {name} from “{owner}”.")
