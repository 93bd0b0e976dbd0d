"""Small reusable widgets shared by the tabs and dialogs of the main window.

``MainTabview`` (the main tab view; it tells a tab when it is shown), ``DataTable`` (a sortable
``ttk.Treeview`` styled for CustomTkinter), ``TabFrame`` (the base of a working tab: how it reaches
the window's status bar and dialogs), ``ListTab`` and ``DetailPanel`` (a list on the left, the
selected item on the right) and layout helpers.
"""

from __future__ import annotations

import re
import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from tkinter import messagebox, ttk
from typing import TYPE_CHECKING, Any, TypeVar

import customtkinter as ctk

from bake_tracker.services.errors import ServiceError

if TYPE_CHECKING:
    from tkcalendar import DateEntry

T = TypeVar("T")

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
    "voided": {"foreground": "#9E9E9E"},
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
    "expiring" (soft red), "empty" and "voided" (grey) and "preferred" (bold) are styled here.
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
        self._drawn = False  # whether the tree shows ``_rows`` (set_rows skips equal rows then)
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
        """Replace every row, keeping the selection (when its row is still there) and the sort.

        Rows equal to those shown (cell texts, tags and order) change nothing: no redraw, and the
        view stays where the user scrolled it.
        """
        selected = self.selected_id()
        # cells as the texts shown (Decimals 1.5 and 1.50 are equal, their cells are not)
        new_rows = [(str(iid), tuple(map(str, values)), tuple(tags)) for iid, values, tags in rows]
        if new_rows == self._rows and self._drawn:
            return  # a tab shown again with nothing changed: keep the rows, view and selection
        self._rows = new_rows
        self._redraw()
        if selected is not None and self.tree.exists(selected):
            self.tree.selection_set(selected)
            self.tree.see(selected)
        elif selected is not None:
            self._notify_select()

    def _redraw(self) -> None:
        self.tree.delete(*self.tree.get_children())
        # ``Treeview.insert`` formats its options in Python first; calling Tk directly with the
        # same arguments (tuples become Tcl lists) takes half the time on a list of 10k rows.
        call, path = self.tree.tk.call, str(self.tree)
        for index, (iid, values, tags) in enumerate(self._sorted_rows()):
            stripe = ("odd",) if index % 2 and not tags else ()  # a row's own colour wins
            call(path, "insert", "", "end", "-id", iid, "-values", values, "-tags", stripe + tags)
        self._drawn = True
        self._show_empty_state(not self._rows)
        self._draw_headings()
        self._sync_scrollbar()

    def _sorted_rows(self) -> list[Row]:
        if self._sort is None:
            return list(self._rows)
        key, descending = self._sort
        index = [column.key for column in self.columns].index(key)
        filled: list[tuple[tuple[int, Any], Row]] = []
        blank: list[Row] = []
        for row in self._rows:  # each cell's key worked out once
            text = str(row[1][index]).strip()
            if text in BLANKS:
                blank.append(row)
            else:
                filled.append((sort_key(text), row))
        filled.sort(key=lambda pair: pair[0], reverse=descending)  # stable: ties keep their order
        return [row for _, row in filled] + blank  # rows without a value stay last either way

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


def tree_rows(tree: ttk.Treeview) -> list[tuple[int, str, tuple[str, ...]]]:
    """(depth, text, values) of every row of a two-level tree, in order (for tests)."""
    found = []
    for parent in tree.get_children():
        found.append((0, tree.item(parent, "text"), _values(tree, parent)))
        for child in tree.get_children(parent):
            found.append((1, tree.item(child, "text"), _values(tree, child)))
    return found


def _values(tree: ttk.Treeview, iid: str) -> tuple[str, ...]:
    return tuple(str(value) for value in tree.item(iid, "values"))


def ensure_table_style(widget: tk.Misc) -> None:
    """Style a ``ttk.Treeview`` like ``DataTable`` (for tables of another shape: ledgers)."""
    _ensure_table_style(widget)


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


# --- windows over the main window ----------------------------------------------------------------


def show_modal(dialog: ctk.CTkToplevel, owner: tk.Misc) -> None:
    """Centre ``dialog`` over ``owner`` (a third of the way down), show it and grab the input."""
    owner = owner.winfo_toplevel()
    dialog.transient(owner)
    dialog.update_idletasks()
    width, height = dialog.winfo_reqwidth(), dialog.winfo_reqheight()
    x = owner.winfo_rootx() + max(0, (owner.winfo_width() - width) // 2)
    y = owner.winfo_rooty() + max(0, (owner.winfo_height() - height) // 3)
    dialog.geometry(f"+{x}+{y}")
    dialog.deiconify()
    dialog.wait_visibility()
    dialog.grab_set()
    dialog.focus_force()


class ModalWindow(ctk.CTkToplevel):
    """A window over its parent's window, built hidden: ``_show_modal`` shows it centred and
    modal and puts the focus where ``focus_first`` says; ``close`` gives the focus back."""

    def __init__(self, parent: tk.Misc) -> None:
        super().__init__(parent)
        self.withdraw()
        self.parent = parent

    def _show_modal(self) -> None:
        show_modal(self, self.parent)
        self.focus_first()

    def focus_first(self) -> None:
        """Put the focus on the first thing to use (windows override when it is a widget)."""
        self.focus_force()

    def close(self) -> None:
        owner = self.parent.winfo_toplevel()
        self.grab_release()
        self.destroy()
        if owner.winfo_exists():
            owner.focus_set()


DATE_PATTERN = "yyyy-mm-dd"
DATE_STYLE = "Form.DateEntry"  # inherits tkcalendar's "DateEntry" look, a little roomier


def date_entry(master: tk.Misc, initial: date) -> DateEntry:
    """A calendar drop-down showing ISO dates (events, purchases)."""
    from tkcalendar import DateEntry  # babel and all: imported with the first date field

    entry = DateEntry(
        master,
        style=DATE_STYLE,
        date_pattern=DATE_PATTERN,
        width=11,
        font=ctk.CTkFont(size=13),
        firstweekday="sunday",
        showweeknumbers=False,
    )
    ttk.Style(entry).configure(DATE_STYLE, padding=(6, 4), arrowsize=14)
    entry.set_date(initial)
    return entry


# --- tabs and layout helpers ----------------------------------------------------------------------


class TabFrame(ctk.CTkFrame):
    """Base of a working tab: ``refresh()`` reloads it; status, confirm and errors go to the window.

    The window builds a tab the first time it is shown (or asked for), and a tab reads nothing
    while it is built: the window calls ``refresh()`` whenever the tab is shown (so a tab never
    seen costs nothing at start, and a tab shown again shows current data).

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


# --- list-and-detail tabs -------------------------------------------------------------------------

NOTICE_TEXT = ("#8A4B00", "#FFB74D")  # advice, not an error
INNER_TABLE: dict[str, Any] = {"border_width": 1, "border_color": ("gray82", "gray30")}


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
        text_color=("gray10", "gray90"),
        **kwargs,
    )


def small_button(
    master, text: str, command: Callable[[], None], *, danger: bool = False, width: int = 60
) -> ActionButton:
    """A compact button packed left to right in a row of buttons."""
    kind = DangerButton if danger else ActionButton
    button = kind(master, text=text, width=width, height=28, command=command)
    button.pack(side="left", padx=(4, 4))
    return button


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
        self.content = ctk.CTkFrame(self, fg_color="transparent")
        self.content.grid_columnconfigure(0, weight=1)
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
            self.content.grid_forget()
            self.placeholder.place(relx=0.5, rely=0.4, anchor="center")
            return
        self.placeholder.place_forget()
        self.content.grid(row=0, column=0, sticky="nsew")
        self.fill(item)

    @property
    def showing(self) -> bool:
        return self.content.winfo_manager() == "grid"

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
        self._on_select(None)  # nothing loaded yet: the window loads the tab when it is shown

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

    def on_delete(self) -> None:
        item = self.selected()
        if item is not None:
            self.delete_selected(
                self.item_word, self.item_name(item), lambda: self.delete_item(item)
            )

    def saved(self, item: Any, message: str) -> None:
        """After a dialog saved ``item``: reload, select it, say so in the status bar."""
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

    def open_from_window(self, opener: str, *args: Any) -> Any:
        """Call the window's ``opener`` (``open_record_production``…) and refresh this tab once
        the dialog it returns closes; a window without that opener says so."""
        window = self.winfo_toplevel()
        method = getattr(window, opener, None)
        if method is None:
            self.show_error("Not available", "This window cannot open that dialog.")
            return None
        dialog = method(*args)
        if isinstance(dialog, tk.Misc):

            def on_destroy(event: tk.Event) -> None:
                if str(event.widget) == str(dialog) and not getattr(window, "closed", False):
                    self.refresh()

            dialog.bind("<Destroy>", on_destroy, add="+")
        return dialog

    def delete_selected(self, what: str, name: str, delete: Callable[[], Any]) -> bool:
        """Ask, then delete; a refusal (``InUseError``) is shown with the service's words."""
        if not self.ask_confirm(f"Delete the {what} “{name}”? This cannot be undone."):
            return False
        return self.run(f"Cannot delete {what}", delete, f"Deleted {what} “{name}”.")
