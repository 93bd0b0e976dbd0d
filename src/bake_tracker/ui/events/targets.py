"""The Event Detail window's Targets tab: production targets, then assembly targets, each a card
with its progress bar, and the suggestion of targets from the assignments.
"""

from __future__ import annotations

import tkinter as tk
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.events.panel import PlanningPanel
from bake_tracker.ui.events.target_dialogs import SuggestTargetsDialog, TargetDialog
from bake_tracker.ui.events.target_kinds import ASSEMBLY, PRODUCTION, TargetKind, TargetProgress
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton
from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.progress import bar_fraction, progress_bar, whole_percent
from bake_tracker.ui.kit.scroll import ScrollFrame
from bake_tracker.ui.kit.theme import GOOD_TEXT, MUTED_TEXT, TAB_CARD_COLOR, TEXT

if TYPE_CHECKING:
    from bake_tracker.ui.events.detail import EventDetailWindow


def progress_text(done: int, target: int, pct: Decimal) -> str:
    """ "5/4 (125%)": produced over target, and the service's (uncapped) percentage."""
    return f"{done}/{target} ({whole_percent(pct)}%)"


class TextLabel(ctk.CTkLabel):
    """A label that also compares equal to its text, so a target row's progress reads as the
    text it shows: ``row.progress_label == "5/4 (125%)"`` holds as well as
    ``row.progress_label.cget("text") == "5/4 (125%)"``."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.text == other
        return self is other

    __hash__ = ctk.CTkLabel.__hash__

    def __contains__(self, part: str) -> bool:
        return part in self.text

    @property
    def text(self) -> str:
        return str(self.cget("text"))


@dataclass(eq=False)
class TargetRow:
    """One target as drawn on the Targets tab: its card and the widgets on it, by name (what the
    window's ``production_target_rows`` and ``assembly_target_rows`` list)."""

    item_id: int
    name: str
    frame: ctk.CTkFrame
    progress_bar: ctk.CTkProgressBar
    progress_label: TextLabel
    check_label: ctk.CTkLabel
    notes_label: ctk.CTkLabel
    edit_button: ActionButton
    delete_button: DangerButton
    complete: bool


class TargetsPanel(PlanningPanel):
    """Production targets, then assembly targets, each row with its progress bar."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        self.scroll = ScrollFrame(self, fg_color="transparent")
        self.scroll.pack(fill="both", expand=True)
        self.production = TargetSection(self.scroll, window, PRODUCTION, suggest=True)
        self.production.pack(fill="x", padx=(0, 8))
        separator = ctk.CTkFrame(self.scroll, height=2, fg_color=("gray80", "gray30"))
        separator.pack(fill="x", padx=(4, 12), pady=(14, 10))
        self.assembly = TargetSection(self.scroll, window, ASSEMBLY)
        self.assembly.pack(fill="x", padx=(0, 8))

    def refresh(self) -> None:
        self.production.refresh()
        self.assembly.refresh()


class TargetSection(ctk.CTkFrame):
    """A heading with "Add target…", then one card per target (or the empty-state line)."""

    def __init__(
        self, master: tk.Misc, window: EventDetailWindow, kind: TargetKind, *, suggest: bool = False
    ) -> None:
        super().__init__(master, fg_color="transparent")
        self.window = window
        self.kind = kind
        self.rows: list[TargetRow] = []
        self.notes: dict[int, str | None] = {}
        header = ctk.CTkFrame(self, fg_color="transparent")
        header.pack(fill="x", pady=(6, 6))
        title = section_label(header, kind.title)
        title.configure(font=ctk.CTkFont(size=16, weight="bold"))
        title.pack(side="left", padx=(4, 0))
        self.add_button = ActionButton(
            header, text="Add target…", width=120, height=30, command=self.on_add
        )
        self.add_button.pack(side="right")
        self.suggest_button: ctk.CTkButton | None = None
        if suggest:
            self.suggest_button = ctk.CTkButton(
                header,
                text="Suggest from assignments…",
                width=200,
                height=30,
                fg_color="transparent",
                border_width=1,
                text_color=TEXT,
                command=self.on_suggest,
            )
            self.suggest_button.pack(side="right", padx=(0, 8))
        self.body = ctk.CTkFrame(self, fg_color="transparent")
        self.body.pack(fill="x")
        self.empty_label = ctk.CTkLabel(
            self,
            text=kind.empty_text,
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=13, slant="italic"),
            anchor="w",
        )

    def refresh(self) -> None:
        progress = self.kind.progress(self.window.event_id)
        self.notes = self.kind.notes(self.window.event_id) if progress else {}
        for row in self.rows:
            row.frame.destroy()
        self.rows = [self._make_row(p) for p in progress]
        # an empty frame still takes its default 200 px: without targets the list is taken out,
        # so the empty-state line sits right under the heading, not under a blank gap
        if progress:
            self.empty_label.pack_forget()
            self.body.pack(fill="x")
        else:
            self.body.pack_forget()
            self.empty_label.pack(fill="x", padx=8, pady=(2, 8))

    @property
    def empty_state_shown(self) -> bool:
        return self.empty_label.winfo_manager() != ""

    def _make_row(self, p: TargetProgress) -> TargetRow:
        card = ctk.CTkFrame(self.body, fg_color=TAB_CARD_COLOR, corner_radius=8)
        card.pack(fill="x", pady=3)
        card.grid_columnconfigure(4, weight=1)
        name = ctk.CTkLabel(card, text=p.name, width=210, anchor="w", font=ctk.CTkFont(size=14))
        name.grid(row=0, column=0, sticky="w", padx=(12, 8), pady=8)
        bar = progress_bar(card, bar_fraction(p.done, p.target), complete=p.complete)
        bar.grid(row=0, column=1, padx=(0, 12))
        label = TextLabel(card, text=progress_text(p.done, p.target, p.pct), width=110, anchor="w")
        label.grid(row=0, column=2)
        check = ctk.CTkLabel(
            card,
            text="✓" if p.complete else "",
            width=24,
            text_color=GOOD_TEXT,
            font=ctk.CTkFont(size=16, weight="bold"),
        )
        check.grid(row=0, column=3)
        notes = ctk.CTkLabel(card, text=self.notes.get(p.item_id) or "", text_color=MUTED_TEXT)
        notes.grid(row=0, column=4, sticky="w", padx=(8, 8))
        # the one wording of buttons (issue 17 #11): "Edit…" opens a dialog, "Delete" in full
        edit = ActionButton(
            card, text="Edit…", width=56, height=28, command=lambda: self.on_edit(p)
        )
        edit.grid(row=0, column=5, padx=(0, 6))
        delete = DangerButton(
            card, text="Delete", width=64, height=28, command=lambda: self.on_delete(p)
        )
        delete.grid(row=0, column=6, padx=(0, 10))
        return TargetRow(
            p.item_id, p.name, card, bar, label, check, notes, edit, delete, p.complete
        )

    def row_named(self, name: str) -> TargetRow:
        return next(row for row in self.rows if row.name == name)

    # --- commands -----------------------------------------------------------------------------

    def on_add(self) -> None:
        self.window.active_dialog = TargetDialog(
            self,
            kind=self.kind,
            event_id=self.window.event_id,
            show=self.window.show_dialogs,
            on_done=lambda _target: self.window.changed(f"Added a {self.kind.noun}."),
        )

    def on_edit(self, p: TargetProgress) -> None:
        self.window.active_dialog = TargetDialog(
            self,
            kind=self.kind,
            event_id=self.window.event_id,
            existing=p,
            notes=self.notes.get(p.item_id),
            show=self.window.show_dialogs,
            on_done=lambda _target: self.window.changed(
                f"Saved the {self.kind.noun} for {p.name}."
            ),
        )

    def on_delete(self, p: TargetProgress) -> None:
        if not self.window.ask_confirm(f"Delete this {self.kind.noun} ({p.name})?"):
            return
        try:
            self.kind.delete(self.window.event_id, p.item_id)
        except ServiceError as error:
            self.window.show_error(f"Cannot delete the {self.kind.noun}", str(error))
            return
        self.window.changed(f"Deleted the {self.kind.noun} for {p.name}.")

    def on_suggest(self) -> None:
        self.window.active_dialog = SuggestTargetsDialog(
            self,
            event_id=self.window.event_id,
            show=self.window.show_dialogs,
            on_done=lambda count: self.window.changed(
                f"Set {forms.plural(count, 'production target')} from the assignments."
            ),
        )
