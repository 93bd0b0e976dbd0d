"""What a run needs and what is on hand: ``Availability`` (the lines a check found, and why
nothing can be recorded when that is not a shortage) and ``AvailabilityDisplay``, the ✓ / ✗ list
the record dialogs show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import customtkinter as ctk

from bake_tracker.ui import forms
from bake_tracker.ui.kit.scroll import ScrollFrame
from bake_tracker.ui.kit.theme import ERROR_TEXT, GOOD_TEXT, MUTED_TEXT, TEXT


@dataclass(frozen=True)
class AvailabilityLine:
    """One row of the availability list: its name, whether there is enough, and the figures."""

    name: str
    sufficient: bool
    detail: str  # "Need: 4 cup | Have: 10 cup"


@dataclass(frozen=True)
class Availability:
    """What a check found; ``reason`` says why nothing can be recorded when it is not a shortage."""

    lines: list[AvailabilityLine]
    reason: str | None = None
    empty_text: str = "Nothing is needed."

    @property
    def ok(self) -> bool:
        return self.reason is None and all(line.sufficient for line in self.lines)


def need_have(needed: Any, available: Any, unit: str) -> str:
    """ "Need: 4 cup | Have: 10 cup"."""
    return (
        f"Need: {forms.format_quantity(needed, unit)} | "
        f"Have: {forms.format_quantity(available, unit)}"
    )


class AvailabilityDisplay(ctk.CTkFrame):
    """A titled list of ✓ (green) / ✗ (red) rows with a status line and a Refresh button."""

    def __init__(self, master, title: str, on_refresh: Callable[[], None]) -> None:
        super().__init__(master, fg_color=("gray92", "gray17"), corner_radius=8)
        self.grid_columnconfigure(1, weight=1)
        self.rows: list[tuple[str, bool]] = []
        ctk.CTkLabel(self, text=title, font=ctk.CTkFont(size=14, weight="bold"), anchor="w").grid(
            row=0, column=0, sticky="w", padx=(12, 10), pady=(8, 2)
        )
        self.status_label = ctk.CTkLabel(self, text="", anchor="w")
        self.status_label.grid(row=0, column=1, sticky="w", pady=(8, 2))
        self.refresh_button = ctk.CTkButton(
            self,
            text="Refresh",
            width=70,
            height=24,
            fg_color="transparent",
            border_width=1,
            text_color=TEXT,
            command=on_refresh,
        )
        self.refresh_button.grid(row=0, column=2, sticky="e", padx=(4, 10), pady=(8, 2))
        self.list_frame = ScrollFrame(self, height=150, fg_color="transparent")
        self.list_frame.grid(row=1, column=0, columnspan=3, sticky="ew", padx=4, pady=(0, 6))
        self.list_frame.grid_columnconfigure(1, weight=1)

    def show(self, availability: Availability) -> None:
        """Draw every line and the status: "All items available" or "2 items short"."""
        self._clear()
        for index, line in enumerate(availability.lines):
            self._add_row(index, line)
        self.rows = [(line.name, line.sufficient) for line in availability.lines]
        short = sum(not line.sufficient for line in availability.lines)
        if availability.reason is not None:
            self.status_label.configure(text=availability.reason, text_color=ERROR_TEXT)
        elif short:
            self.status_label.configure(
                text=f"{forms.plural(short, 'item')} short", text_color=ERROR_TEXT
            )
        else:
            self.status_label.configure(text="All items available", text_color=GOOD_TEXT)
        if not availability.lines:
            self._add_note(availability.reason or availability.empty_text)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """No rows, only ``text`` (a count to fix, or a problem the check reported)."""
        self._clear()
        self.rows = []
        self.status_label.configure(text="", text_color=MUTED_TEXT)
        self._add_note(text, error=error)

    @property
    def status_text(self) -> str:
        return str(self.status_label.cget("text"))

    def row_texts(self) -> list[tuple[str, str, str]]:
        """(mark, name, figures) of every row as drawn (for tests)."""
        texts: dict[int, list[str]] = {}
        for label in self.list_frame.winfo_children():
            info = label.grid_info()
            texts.setdefault(int(info["row"]), ["", "", ""])[int(info["column"])] = label.cget(
                "text"
            )
        return [tuple(texts[row]) for row in sorted(texts)]  # type: ignore[misc]

    def _clear(self) -> None:
        for child in self.list_frame.winfo_children():
            child.destroy()

    def _add_row(self, index: int, line: AvailabilityLine) -> None:
        mark_color = GOOD_TEXT if line.sufficient else ERROR_TEXT
        text_color = TEXT if line.sufficient else ERROR_TEXT
        detail_color = MUTED_TEXT if line.sufficient else ERROR_TEXT
        cells = (
            ("✓" if line.sufficient else "✗", mark_color, "w"),
            (line.name, text_color, "w"),
            (line.detail, detail_color, "e"),
        )
        for column, (text, color, sticky) in enumerate(cells):
            font = ctk.CTkFont(size=13, weight="bold") if column == 0 else None
            ctk.CTkLabel(
                self.list_frame, text=text, text_color=color, anchor=sticky, font=font, height=22
            ).grid(row=index, column=column, sticky=sticky, padx=(8, 6))

    def _add_note(self, text: str, *, error: bool = False) -> None:
        ctk.CTkLabel(
            self.list_frame,
            text=text,
            text_color=ERROR_TEXT if error else MUTED_TEXT,
            anchor="w",
            justify="left",
            wraplength=420,
        ).grid(row=0, column=0, columnspan=3, sticky="w", padx=8, pady=4)
