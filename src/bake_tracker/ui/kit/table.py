"""``DataTable``: the app's table, a sortable ``ttk.Treeview`` styled for CustomTkinter.

Also its ``Column``\\ s and ``Row``\\ s, how a cell sorts (``sort_key``), and the Treeview style
that ledgers of another shape share (``ensure_table_style``, ``tree_rows``).
"""

from __future__ import annotations

import re
import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from tkinter import ttk
from typing import Any

import customtkinter as ctk

from bake_tracker.ui.kit.cell_tip import CellTip
from bake_tracker.ui.kit.theme import MUTED_TEXT, TABLE_BACKGROUND, mode_index, table_color

Row = tuple[str, Sequence[Any], Sequence[str]]  # (iid, values, tags)

TABLE_STYLE = "Data.Treeview"
SCROLLBAR_COLORS = (("gray70", "gray41"), ("gray55", "gray53"))
SCROLLBAR_HIDDEN = (TABLE_BACKGROUND, TABLE_BACKGROUND)


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
CELL_PADDING = 12  # pixels a cell's text leaves free (both sides), before scaling
MIN_COLUMN = 56  # the narrowest a text column gets when the table is short of room


def fit_column_widths(
    wanted: Sequence[tuple[int, bool, bool]],
    available: int,
    minimum: int,
    needed: Sequence[int] | None = None,
    headings: Sequence[int] | None = None,
) -> list[int]:
    """Column widths summing to ``available`` (when it can): ``wanted`` is (width, stretch,
    text) per column, text meaning a left-aligned column of words rather than figures;
    ``needed`` (optional) is what each column's heading and longest cell take; ``headings``
    (optional) what each heading takes: no text column shrinks below its heading (or
    ``minimum``, whichever is wider), since a cut heading no longer says what the column is.

    Room to spare goes to the stretchable columns in proportion to their width. Short of room,
    the figures first give up the blank space they asked for beyond ``needed``; then the text
    columns shrink (not below ``minimum``), the first one (the name that says which row it is)
    last; then the figures, so costs and counts stay whole for as long as anything else can
    give way, and a row's name stays readable while there is room to spare elsewhere.
    """
    widths = [width for width, _, _ in wanted]
    extra = available - sum(widths)
    if extra >= 0:
        growing = [i for i, (_, stretch, _) in enumerate(wanted) if stretch]
        _share(widths, growing or list(range(len(widths))), extra, minimum)
        return widths
    text = [i for i, (_, _, is_text) in enumerate(wanted) if is_text]
    figures = [i for i, (_, _, is_text) in enumerate(wanted) if not is_text]
    steps: list[tuple[list[int], list[int]]] = []
    if needed is not None:
        floors = [max(minimum, min(widths[i], needed[i])) for i in range(len(widths))]
        steps.append((figures, floors))
    plain = [minimum] * len(widths)
    # a text column's floor: its heading whole (never above what it asked for)
    titled = [
        max(minimum, min(widths[i], headings[i])) if headings is not None else minimum
        for i in range(len(widths))
    ]
    steps += [(text[1:], titled), (text[:1], titled), (figures, plain)]
    for group, floor in steps:
        extra = available - sum(widths)
        if extra < 0:
            _shrink(widths, group, -extra, floor)
    return widths


def _shrink(widths: list[int], indexes: list[int], deficit: int, floors: list[int]) -> None:
    """Take up to ``deficit`` pixels from ``indexes`` in proportion to what each can give above
    its floor; none goes below its floor."""
    slack = {i: widths[i] - floors[i] for i in indexes if widths[i] > floors[i]}
    total = sum(slack.values())
    if total <= 0:
        return
    take = min(deficit, total)
    taken = 0
    for i, room in slack.items():
        cut = min(room, take * room // total)
        widths[i] -= cut
        taken += cut
    for i in slack:  # the rounding remainder, from whoever still has room
        cut = min(take - taken, widths[i] - floors[i])
        widths[i] -= cut
        taken += cut


def _share(widths: list[int], indexes: list[int], extra: int, minimum: int) -> None:
    """Spread ``extra`` pixels (negative: take them) over ``indexes`` by width, none below
    ``minimum``; the rounding remainder goes to the last column."""
    if not indexes or extra == 0:
        return
    total = sum(widths[i] for i in indexes) or 1
    given = 0
    for i in indexes:
        change = extra * widths[i] // total
        new = max(minimum, widths[i] + change)
        given += new - widths[i]
        widths[i] = new
    last = indexes[-1]
    widths[last] = max(minimum, widths[last] + extra - given)


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
        self._tag_colors: dict[str, dict[str, tuple[str, str]]] = {}
        self._cell_widths = [0] * len(self.columns)  # each column's longest cell, in pixels
        _ensure_table_style(self)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=1)
        self.tree = self._build_tree(height)
        # a cell its column cuts off shows its whole text under a resting pointer
        self.cell_tip = CellTip(self.tree, self._cell_font, round(CELL_PADDING * self._scale))
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
        scale = self._scale = table_scaling(self)
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
                width=round(column.width * scale),  # Treeview widths are pixels: scale them
                minwidth=round(40 * scale),
                anchor=column.anchor,
                stretch=column.stretch,
            )
        self._color_rows(tree, ctk.get_appearance_mode())
        tree.grid(row=0, column=0, sticky="nsew", padx=6, pady=6)
        tree.bind("<<TreeviewSelect>>", self._on_tree_select)
        tree.bind("<Double-Button-1>", self._on_double_click)
        tree.bind("<Return>", lambda _event: self.activate())
        tree.bind("<Configure>", lambda _event: self._sync_scrollbar_soon(), add="+")
        tree.bind("<Configure>", self._fit_columns, add="+")
        return tree

    def _heading_width(self, title: str, arrow: bool = True) -> int:
        """Pixels a heading needs, its padding and (with ``arrow``) its sort arrow included."""
        font = ttk.Style(self).lookup(f"{TABLE_STYLE}.Heading", "font")
        try:
            measured = int(self.tk.call("font", "measure", font, title + (" ▲" if arrow else "")))
        except tk.TclError:
            return 0
        return measured + round(18 * self._scale)

    def _fit_columns(self, _event: tk.Event | None = None) -> None:
        """Share the tree's width among the columns so the last ones are never cut off.

        ttk only moves a resize's difference onto stretchable columns, so a table narrower than
        its columns (1280x800, a list beside its detail panel) loses its right-hand columns,
        which are the figures (costs). Here every column gets its share of the width in
        proportion to the width it asked for; numbers (fixed columns) keep theirs while the
        text columns can give way, down to ``MIN_COLUMN`` each but never below their heading.
        """
        available = self.tree.winfo_width()
        if available <= 1:
            return
        headings = [self._heading_width(c.title) for c in self.columns]
        # each heading as it shows now: with the sort arrow only where the arrow is shown
        shown_headings = [self._heading_width(c.title, self._sorted_on(c)) for c in self.columns]
        widths = fit_column_widths(
            [
                (max(round(c.width * self._scale), heading), c.stretch, c.anchor == "w")
                for c, heading in zip(self.columns, headings, strict=True)
            ],
            available,
            round(MIN_COLUMN * self._scale),
            # what a column needs: its longest cell, and its heading with the sort arrow only
            # where the arrow is shown (sorting redraws, and refits, the table)
            needed=[
                max(shown, cell + round(CELL_PADDING * self._scale))
                for shown, cell in zip(shown_headings, self._cell_widths, strict=True)
            ],
            headings=shown_headings,
        )
        for column, width in zip(self.columns, widths, strict=True):
            if int(self.tree.column(column.key, "width")) != width:
                self.tree.column(column.key, width=width)

    def _color_rows(self, tree: ttk.Treeview, mode: str) -> None:
        for tag, options in row_tag_options(mode).items():
            tree.tag_configure(tag, **options)
        index = mode_index(mode)
        for tag, pairs in getattr(self, "_tag_colors", {}).items():
            tree.tag_configure(tag, **{option: pair[index] for option, pair in pairs.items()})

    def tag_colors(self, tag: str, **pairs: tuple[str, str]) -> None:
        """Colour rows tagged ``tag`` with (light, dark) pairs, e.g. ``foreground=("#2E7D32",
        "#66BB6A")``; they follow the appearance like the table's own tags."""
        self._tag_colors[tag] = dict(pairs)
        self._color_rows(self.tree, ctk.get_appearance_mode())

    def _set_appearance_mode(self, mode_string: str) -> None:
        """CustomTkinter calls this on every widget when the appearance changes: the row
        colours are the tree's own tags, so recolour them here (the style follows by itself)."""
        super()._set_appearance_mode(mode_string)
        if hasattr(self, "tree"):
            self._color_rows(self.tree, mode_string)

    def _on_scroll(self, first: str | float, last: str | float) -> None:
        """Move the scrollbar; its thumb is drawn only while some rows are out of sight.

        (Hiding it with ``grid_remove`` is unreliable while the table's parent is unmapped.)
        """
        # A CustomTkinter scrollbar redraws itself whole on every set(); the tree reports the
        # same view again and again while a window is laid out, so only a change is passed on.
        if (float(first), float(last)) != self.scrollbar.get():
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
        self._measure_cells()
        self._fit_columns()
        self._show_empty_state(not self._rows)
        self._draw_headings()
        self._sync_scrollbar()

    def _cell_font(self) -> str:
        return ttk.Style(self).lookup(TABLE_STYLE, "font") or "TkDefaultFont"

    def _measure_cells(self) -> None:
        """Pixels each column's longest text takes (by characters: one measure per column,
        so a list of 10k rows costs no more than a short one)."""
        font = self._cell_font()
        for index in range(len(self.columns)):
            cells = (values[index] for _, values, _ in self._rows if index < len(values))
            longest = max(cells, key=len, default="")
            try:
                self._cell_widths[index] = int(self.tk.call("font", "measure", font, longest))
            except tk.TclError:
                self._cell_widths[index] = 0

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

    def _sorted_on(self, column: Column) -> bool:
        return self._sort is not None and self._sort[0] == column.key

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
    """Style the tables for the current appearance and scaling, and keep them following it
    (one appearance callback per Tk root, which owns the ttk style; not one per table)."""
    root = widget._root()
    if getattr(root, "_tables_follow_appearance", False):
        return
    root._tables_follow_appearance = True  # type: ignore[attr-defined]
    style_table(root, ctk.get_appearance_mode())

    def follow(mode: str) -> None:
        try:
            style_table(root, mode)
        except tk.TclError:  # its window is gone: stop following
            ctk.AppearanceModeTracker.remove(follow)

    ctk.AppearanceModeTracker.add(follow, root)


def table_scaling(widget: tk.Misc) -> float:
    """CustomTkinter's widget scaling for ``widget``'s window (150 % → 1.5)."""
    return ctk.ScalingTracker.get_widget_scaling(widget)


def style_table(widget: tk.Misc, mode: str) -> None:
    """Colour the Treeview style for ``mode`` ("Light"/"Dark") and size it for the scaling.

    Both the tables' style and the plain "Treeview" are set, so any ttk tree stays readable.
    Fonts are in pixels like CustomTkinter's, so they and the row height scale together.
    """
    style = ttk.Style(widget)
    if style.theme_use() != "clam":
        style.theme_use("clam")  # the one built-in theme whose headings and rows can be restyled
    scale = table_scaling(widget)
    family = ctk.ThemeManager.theme["CTkFont"]["family"]
    size = -round(13 * scale)
    font, heading_font = (family, size), (family, size, "bold")

    def color(name: str) -> str:
        return table_color(name, mode)

    for name in (TABLE_STYLE, "Treeview"):
        style.configure(
            name,
            background=color("background"),
            fieldbackground=color("background"),
            foreground=color("foreground"),
            rowheight=round(28 * scale),
            font=font,
            borderwidth=0,
            relief="flat",
        )
        style.map(
            name,
            background=[("selected", color("selected"))],
            foreground=[("selected", color("selected_text"))],
        )
        style.configure(
            f"{name}.Heading",
            background=color("heading"),
            foreground=color("heading_text"),
            font=heading_font,
            relief="flat",
            borderwidth=0,
            padding=(round(8 * scale), round(6 * scale)),
        )
        style.map(f"{name}.Heading", background=[("active", color("heading_active"))])
    style.layout(TABLE_STYLE, [("Treeview.treearea", {"sticky": "nswe"})])


def row_tag_options(mode: str) -> dict[str, dict[str, str]]:
    """The row tags' colours for an appearance; configured in this order (later tags win)."""
    return {
        "odd": {"background": table_color("stripe", mode)},
        "empty": {"foreground": table_color("muted", mode)},
        "expiring": {
            "background": table_color("expiring", mode),
            "foreground": table_color("expiring_text", mode),
        },
        "preferred": {},
        "voided": {"foreground": table_color("muted", mode)},
    }
