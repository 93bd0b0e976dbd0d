"""Small reusable widgets shared by the tabs and dialogs of the main window.

``MainTabview`` (the main tab view; it tells a tab when it is shown), ``PlaceholderTab`` (a tab not
built yet), ``DataTable`` (a sortable ``ttk.Treeview`` styled for CustomTkinter), ``TabFrame`` (the
base of a working tab: how it reaches the window's status bar and dialogs) and layout helpers.
"""

from __future__ import annotations

import re
import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from tkinter import messagebox, ttk
from typing import Any

import customtkinter as ctk

MUTED_TEXT = ("gray40", "gray65")
CARD_COLOR = ("gray92", "gray17")
ERROR_TEXT = ("#C62828", "#EF5350")
ACCENT_TEXT = ("#1F6AA5", "#5DADE2")
PRIMARY_COLOR = ("#3B8ED0", "#1F6AA5")  # CustomTkinter's blue theme
PRIMARY_DISABLED_COLOR = ("#A7C9E6", "#2B4C68")
DANGER_COLOR = ("#C62828", "#B71C1C")
DANGER_DISABLED_COLOR = ("#E9B3B3", "#5A2A2A")
DANGER_HOVER = ("#A31F1F", "#8E1515")

Row = tuple[str, Sequence[Any], Sequence[str]]  # (iid, values, tags)


class PlaceholderTab(ctk.CTkFrame):
    """The empty state of a tab not built yet: its title, its purpose and "Coming soon"."""

    def __init__(self, master, title: str, description: str) -> None:
        super().__init__(master, fg_color="transparent")
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=2)  # the card sits a little above the middle
        self.grid_rowconfigure(2, weight=3)
        card = ctk.CTkFrame(self, fg_color=CARD_COLOR, corner_radius=12)
        card.grid(row=1, column=0, padx=40, pady=20)
        self.title_label = ctk.CTkLabel(card, text=title, font=ctk.CTkFont(size=24, weight="bold"))
        self.title_label.pack(padx=48, pady=(32, 8))
        self.description_label = ctk.CTkLabel(
            card, text=description, font=ctk.CTkFont(size=15), wraplength=560, justify="center"
        )
        self.description_label.pack(padx=48, pady=(0, 16))
        self.status_label = ctk.CTkLabel(
            card,
            text="Coming soon",
            font=ctk.CTkFont(size=13, slant="italic"),
            text_color=MUTED_TEXT,
        )
        self.status_label.pack(padx=48, pady=(0, 32))

    @property
    def texts(self) -> tuple[str, str, str]:
        """The title, description and status texts as shown (for tests and screen readers)."""
        labels = (self.title_label, self.description_label, self.status_label)
        return tuple(label.cget("text") for label in labels)  # type: ignore[return-value]


class MainTabview(ctk.CTkTabview):
    """A ``CTkTabview`` sized for a main window that tells listeners when a tab is shown.

    ``CTkTabview`` calls its ``command`` only when the user clicks a tab button, not on ``set()``
    (menu shortcuts, ``App.select_tab``); ``on_show`` callbacks run in both cases.
    """

    _button_height = 34

    def __init__(self, master, **kwargs) -> None:
        self._show_listeners: dict[str, list[Callable[[], None]]] = {}
        self._user_command: Callable[[], None] | None = kwargs.pop("command", None)
        super().__init__(master, command=self._on_button_switch, **kwargs)
        self._segmented_button.configure(font=ctk.CTkFont(size=14))

    def on_show(self, name: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever the tab ``name`` becomes the selected one."""
        self._show_listeners.setdefault(name, []).append(callback)

    def set(self, name: str) -> None:
        super().set(name)
        self._notify(name)

    def _on_button_switch(self) -> None:
        self._notify(self.get())
        if self._user_command is not None:
            self._user_command()

    def _grid_forget_all_tabs(self, exclude_name: str | None = None) -> None:
        """Hide every tab but the selected one.

        ``CTkTabview.set()`` hides the other tabs 100 ms later, excluding the tab named *then*;
        after two quick ``set()`` calls (start-up, then a shortcut) each delayed call would hide
        the other's tab and leave the view blank. Excluding the tab selected *now* avoids that.
        """
        for name, frame in self._tab_dict.items():
            if name != self._current_name:
                frame.grid_forget()

    def _notify(self, name: str) -> None:
        for callback in self._show_listeners.get(name, ()):
            callback()


# --- the table ------------------------------------------------------------------------------------


TABLE_STYLE = "Data.Treeview"
TABLE_BACKGROUND = ("white", "gray14")
SCROLLBAR_COLORS = (("gray70", "gray41"), ("gray55", "gray53"))
SCROLLBAR_HIDDEN = (TABLE_BACKGROUND, TABLE_BACKGROUND)
ROW_TAGS: dict[str, dict[str, str]] = {
    # configured in this order, so later tags win where they overlap
    "odd": {"background": "#F6F8FA"},
    "empty": {"foreground": "#9E9E9E"},
    "expiring": {"background": "#FCE4DC", "foreground": "#8A2A0B"},
    "preferred": {},
}


@dataclass(frozen=True)
class Column:
    """One table column: its key, heading, width in pixels and anchor ("w", "e" or "center")."""

    key: str
    title: str
    width: int = 120
    anchor: str = "w"
    stretch: bool = True


_NUMERIC = re.compile(r"[-+]?\$?\s*-?[\d,]*\.?\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
BLANKS = ("", "—", "-")


def sort_key(text: str) -> tuple[int, Any]:
    """How a cell sorts: numbers ("$9.88", "13 lb", "1,250") by value, ISO dates by date, else text.

    Returns (kind, value) so mixed columns never compare a number with a string.
    """
    value = str(text).strip()
    if _ISO_DATE.fullmatch(value):
        return 1, date.fromisoformat(value)
    match = _NUMERIC.match(value)
    if match:
        number = match.group(0).replace("$", "").replace(",", "").replace(" ", "")
        try:
            return 0, Decimal(number)
        except InvalidOperation:
            pass
    return 2, value.casefold()


class DataTable(ctk.CTkFrame):
    """A ``ttk.Treeview`` with a scrollbar, sortable headings, row tags and an empty-state message.

    Rows are ``(iid, values, tags)``; ``selected_id()`` gives the selected row's iid. Tags
    "expiring" (soft red), "empty" (grey) and "preferred" (bold) are styled here.
    """

    _style_ready = False

    def __init__(
        self,
        master,
        columns: Sequence[Column],
        *,
        empty_text: str = "Nothing to show yet.",
        height: int = 10,
        on_select: Callable[[str | None], None] | None = None,
        on_activate: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(master, fg_color=TABLE_BACKGROUND, corner_radius=8)
        self.columns = tuple(columns)
        self.on_select = on_select
        self.on_activate = on_activate
        self._rows: list[Row] = []
        self._sort: tuple[str, bool] | None = None  # (column key, descending)
        self._scrollbar_needed = True
        self._sync_job: str | None = None
        _ensure_table_style(self)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=1)
        self.tree = self._build_tree(height)
        self.scrollbar = ctk.CTkScrollbar(
            self, command=self.tree.yview, button_color=SCROLLBAR_COLORS[0]
        )
        self.scrollbar.grid(row=0, column=1, sticky="ns", padx=(0, 4), pady=6)
        self.tree.configure(yscrollcommand=self._on_scroll)
        self.empty_label = ctk.CTkLabel(
            self,
            text=empty_text,
            text_color=MUTED_TEXT,
            fg_color=TABLE_BACKGROUND,
            font=ctk.CTkFont(size=14),
            wraplength=420,
        )
        self._show_empty_state(True)

    def _build_tree(self, height: int) -> ttk.Treeview:
        keys = [column.key for column in self.columns]
        tree = ttk.Treeview(
            self,
            columns=keys,
            show="headings",
            height=height,
            style=TABLE_STYLE,
            selectmode="browse",
        )
        for column in self.columns:
            tree.heading(column.key, text=column.title, anchor=column.anchor)
            tree.heading(column.key, command=lambda key=column.key: self.sort_by(key))
            tree.column(
                column.key,
                width=column.width,
                minwidth=40,
                anchor=column.anchor,
                stretch=column.stretch,
            )
        for tag, options in ROW_TAGS.items():
            tree.tag_configure(tag, **options)
        tree.grid(row=0, column=0, sticky="nsew", padx=6, pady=6)
        tree.bind("<<TreeviewSelect>>", self._on_tree_select)
        tree.bind("<Double-Button-1>", self._on_double_click)
        tree.bind("<Return>", lambda _event: self.activate())
        tree.bind("<Configure>", lambda _event: self._sync_scrollbar_soon(), add="+")
        return tree

    def _on_scroll(self, first: str | float, last: str | float) -> None:
        """Move the scrollbar; its thumb is drawn only while some rows are out of sight.

        (Hiding it with ``grid_remove`` is unreliable while the table's parent is unmapped.)
        """
        self.scrollbar.set(first, last)  # may redraw and re-enter: decide from the live view
        self._sync_scrollbar()

    def _sync_scrollbar(self) -> None:
        self._sync_job = None
        first, last = self.tree.yview()
        needed = bool(self._rows) and not (float(first) <= 0 and float(last) >= 1)
        if needed != self._scrollbar_needed:
            self._scrollbar_needed = needed
            colors = SCROLLBAR_COLORS if needed else SCROLLBAR_HIDDEN
            self.scrollbar.configure(button_color=colors[0], button_hover_color=colors[1])

    def _sync_scrollbar_soon(self) -> None:
        """After a resize: the tree updates its view when idle, so look then."""
        if self._sync_job is None:
            self._sync_job = self.after_idle(self._sync_scrollbar)

    # --- rows ---------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row, keeping the selection (when its row is still there) and the sort."""
        selected = self.selected_id()
        self._rows = [(str(iid), tuple(values), tuple(tags)) for iid, values, tags in rows]
        self._redraw()
        if selected is not None and self.tree.exists(selected):
            self.tree.selection_set(selected)
            self.tree.see(selected)
        elif selected is not None:
            self._notify_select()

    def _redraw(self) -> None:
        self.tree.delete(*self.tree.get_children())
        for index, (iid, values, tags) in enumerate(self._sorted_rows()):
            stripe = ("odd",) if index % 2 and not tags else ()  # a row's own colour wins
            self.tree.insert("", "end", iid=iid, values=values, tags=stripe + tuple(tags))
        self._show_empty_state(not self._rows)
        self._draw_headings()
        self._sync_scrollbar()

    def _sorted_rows(self) -> list[Row]:
        if self._sort is None:
            return list(self._rows)
        key, descending = self._sort
        index = [column.key for column in self.columns].index(key)
        filled = [row for row in self._rows if str(row[1][index]).strip() not in BLANKS]
        blank = [row for row in self._rows if str(row[1][index]).strip() in BLANKS]
        filled.sort(key=lambda row: sort_key(row[1][index]), reverse=descending)
        return filled + blank  # rows without a value stay last either way

    def row_ids(self) -> list[str]:
        """The iids in the order shown."""
        return list(self.tree.get_children())

    def row_values(self, iid: str) -> tuple[str, ...]:
        return tuple(str(value) for value in self.tree.item(iid, "values"))

    def row_tags(self, iid: str) -> tuple[str, ...]:
        return tuple(self.tree.item(iid, "tags"))

    def column_values(self, key: str) -> list[str]:
        index = [column.key for column in self.columns].index(key)
        return [self.row_values(iid)[index] for iid in self.row_ids()]

    # --- sorting ------------------------------------------------------------------------------

    def sort_by(self, key: str) -> None:
        """Sort by a column (what a heading click does); the same column again flips the order."""
        descending = self._sort is not None and self._sort == (key, False)
        self._sort = (key, descending)
        selected = self.selected_id()
        self._redraw()
        if selected is not None and self.tree.exists(selected):
            self.tree.selection_set(selected)
            self.tree.see(selected)

    def _draw_headings(self) -> None:
        for column in self.columns:
            arrow = ""
            if self._sort is not None and self._sort[0] == column.key:
                arrow = " ▼" if self._sort[1] else " ▲"
            self.tree.heading(column.key, text=column.title + arrow)

    # --- selection ----------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        selection = self.tree.selection()
        return selection[0] if selection else None

    def select(self, iid: str | None) -> None:
        """Select a row by iid (None clears the selection); callbacks run as for a click."""
        if iid is None:
            self.tree.selection_set(())
        else:
            self.tree.selection_set(str(iid))
            self.tree.focus(str(iid))
            self.tree.see(str(iid))
        self.tree.update_idletasks()
        self._notify_select()

    def activate(self) -> None:
        """Open the selected row (double-click or Enter)."""
        iid = self.selected_id()
        if iid is not None and self.on_activate is not None:
            self.on_activate(iid)

    def _on_tree_select(self, _event: tk.Event) -> None:
        self._notify_select()

    def _notify_select(self) -> None:
        if self.on_select is not None:
            self.on_select(self.selected_id())

    def _on_double_click(self, event: tk.Event) -> None:
        if self.tree.identify_region(event.x, event.y) in ("cell", "tree"):
            self.activate()

    def _show_empty_state(self, empty: bool) -> None:
        if empty:
            self.empty_label.place(relx=0.5, rely=0.45, anchor="center")
            self.empty_label.lift()
        else:
            self.empty_label.place_forget()

    @property
    def empty_state_shown(self) -> bool:
        return self.empty_label.winfo_manager() == "place"


def _ensure_table_style(widget: tk.Misc) -> None:
    """Configure the Treeview style so tables sit well in CustomTkinter's light theme."""
    style = ttk.Style(widget)
    if style.theme_use() != "clam":
        style.theme_use("clam")  # the one built-in theme whose headings and rows can be restyled
    family = ctk.ThemeManager.theme["CTkFont"]["family"]
    font, heading_font = (family, -13), (family, -13, "bold")  # pixels, like CustomTkinter
    style.configure(
        TABLE_STYLE,
        background="white",
        fieldbackground="white",
        foreground="#1A1A1A",
        rowheight=28,
        font=font,
        borderwidth=0,
        relief="flat",
    )
    style.layout(TABLE_STYLE, [("Treeview.treearea", {"sticky": "nswe"})])
    style.map(
        TABLE_STYLE,
        background=[("selected", "#3B8ED0")],
        foreground=[("selected", "white")],
    )
    style.configure(
        f"{TABLE_STYLE}.Heading",
        background="#EEF1F4",
        foreground="#333333",
        font=heading_font,
        relief="flat",
        borderwidth=0,
        padding=(8, 6),
    )
    style.map(f"{TABLE_STYLE}.Heading", background=[("active", "#E1E6EB")])


# --- tabs and layout helpers ----------------------------------------------------------------------


class TabFrame(ctk.CTkFrame):
    """Base of a working tab: ``refresh()`` reloads it; status, confirm and errors go to the window.

    The window (``App``) offers ``set_status``, ``ask_confirm`` and ``show_error``; under another
    toplevel the tab falls back to plain message boxes.
    """

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, fg_color="transparent")
        self.description = description

    def refresh(self) -> None:  # pragma: no cover - every tab overrides it
        raise NotImplementedError

    def post_status(self, text: str) -> None:
        set_status = getattr(self.winfo_toplevel(), "set_status", None)
        if set_status is not None:
            set_status(text)

    def ask_confirm(self, message: str) -> bool:
        ask = getattr(self.winfo_toplevel(), "ask_confirm", None)
        if ask is not None:
            return bool(ask(message))
        return messagebox.askyesno("Please confirm", message, parent=self)

    def show_error(self, title: str, message: str) -> None:
        show = getattr(self.winfo_toplevel(), "show_error", None)
        if show is not None:
            show(title, message)
        else:
            messagebox.showerror(title, message, parent=self)


def section_label(master, text: str) -> ctk.CTkLabel:
    """A bold heading for a group of widgets."""
    return ctk.CTkLabel(master, text=text, font=ctk.CTkFont(size=15, weight="bold"), anchor="w")


def muted_label(master, text: str = "", **kwargs: Any) -> ctk.CTkLabel:
    """Secondary text (hints, counts)."""
    options: dict[str, Any] = {"text_color": MUTED_TEXT, "anchor": "w"} | kwargs
    return ctk.CTkLabel(master, text=text, **options)


class ActionButton(ctk.CTkButton):
    """A button that looks disabled while it is (CustomTkinter would only grey its text)."""

    normal_color: tuple[str, str] = PRIMARY_COLOR
    disabled_color: tuple[str, str] = PRIMARY_DISABLED_COLOR

    def __init__(self, master, **kwargs: Any) -> None:
        kwargs.setdefault("fg_color", self.normal_color)
        kwargs.setdefault("text_color_disabled", ("white", "gray60"))
        super().__init__(master, **kwargs)

    def configure(self, require_redraw: bool = False, **kwargs: Any) -> None:
        if "state" in kwargs:
            disabled = kwargs["state"] == "disabled"
            kwargs["fg_color"] = self.disabled_color if disabled else self.normal_color
        super().configure(require_redraw, **kwargs)


class DangerButton(ActionButton):
    """A red button for deletes and removals."""

    normal_color = DANGER_COLOR
    disabled_color = DANGER_DISABLED_COLOR

    def __init__(self, master, **kwargs: Any) -> None:
        kwargs.setdefault("hover_color", DANGER_HOVER)
        super().__init__(master, **kwargs)


def set_enabled(widgets: Sequence[ctk.CTkBaseClass], enabled: bool) -> None:
    for widget in widgets:
        widget.configure(state="normal" if enabled else "disabled")
