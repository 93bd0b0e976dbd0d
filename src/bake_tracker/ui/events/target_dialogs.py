"""The Targets tab's forms: add or edit one target, and apply the targets the assignments
suggest. Each writes through ``event_service``.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import customtkinter as ctk

from bake_tracker.services import event_service
from bake_tracker.services.dto import TargetSuggestion
from bake_tracker.ui import forms
from bake_tracker.ui.events.target_kinds import TargetKind, TargetProgress
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog
from bake_tracker.ui.kit.fields import unique_labels
from bake_tracker.ui.kit.labels import notice_label, section_label
from bake_tracker.ui.kit.theme import MUTED_TEXT


@dataclass(frozen=True)
class TargetInput:
    """What the target form says: the recipe (or finished good), the target and the notes."""

    item_id: int
    amount: int
    notes: str | None


class TargetDialog(FormDialog):
    """Add a target (a recipe or finished good not yet targeted) or edit one (``existing``)."""

    min_width = 460

    def __init__(
        self,
        parent: tk.Misc,
        *,
        kind: TargetKind,
        event_id: int,
        existing: TargetProgress | None = None,
        notes: str | None = None,
        show: bool = True,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        self.kind, self.event_id, self.existing = kind, event_id, existing
        self.initial_notes = notes
        self.choices: dict[str, int] = {}
        verb = "Edit" if existing is not None else "Add"
        super().__init__(parent, title=f"{verb} {kind.noun}", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        if self.existing is not None:
            self.add_wide(section_label(body, self.existing.name), pady=(0, 6))
        else:
            self.choices = self._available()
            self.notice_label = notice_label(body, self._notice())
            if not self.choices:
                self.add_wide(self.notice_label)
                return
            self.item_menu = ctk.CTkOptionMenu(
                body, width=FIELD_WIDTH, values=list(self.choices), dynamic_resizing=False
            )
            self.add_field(self.kind.item_label, self.item_menu, sticky="w")
        self.amount_entry = ctk.CTkEntry(body, width=110)
        start = self.existing.target if self.existing is not None else 1
        self.amount_entry.insert(0, str(start))
        self.add_field(self.kind.amount_label, self.amount_entry, sticky="w")
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        if self.initial_notes:
            self.notes_entry.insert(0, self.initial_notes)
        self.add_field("Notes", self.notes_entry)

    def _available(self) -> dict[str, int]:
        """Items without a target for this event, so a duplicate cannot be chosen."""
        targeted = {p.item_id for p in self.kind.progress(self.event_id)}
        free = [(i, name) for i, name in self.kind.choices() if i not in targeted]
        labels = unique_labels(free, lambda c: c[1], lambda c: c[0])
        return {label: item_id for label, (item_id, _name) in labels.items()}

    def _notice(self) -> str:
        if self.choices:
            return ""
        return self.kind.none_left_text if self.kind.choices() else self.kind.no_items_text

    def ready(self) -> None:
        if self.existing is None and not self.choices:
            self.ok_button.configure(state="disabled")

    def focus_first(self) -> None:
        if self.existing is not None or self.choices:
            self.amount_entry.focus_set()
            self.amount_entry.select_range(0, "end")

    def validate(self) -> TargetInput:
        if self.existing is not None:
            item_id = self.existing.item_id
        elif self.choices:
            item_id = self.choices[self.item_menu.get()]
        else:
            raise forms.FieldError(self.notice_label.cget("text"))
        amount = self.check(
            self.amount_entry, forms.parse_int_text, self.kind.amount_label, minimum=1
        )
        return TargetInput(item_id=item_id, amount=amount, notes=self._notes())

    def _notes(self) -> str | None:
        return forms.parse_notes_text(self.notes_entry.get())

    def apply(self, values: TargetInput) -> Any:
        return self.kind.save(self.event_id, values.item_id, values.amount, values.notes)


class SuggestTargetsDialog(FormDialog):
    """The batches the event's assignments need, per recipe; "Apply" sets the ticked ones."""

    ok_text = "Apply"
    min_width = 520

    def __init__(
        self,
        parent: tk.Misc,
        *,
        event_id: int,
        show: bool = True,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        self.event_id = event_id
        self.suggestions = event_service.suggest_production_targets(event_id)
        self.checks: list[tuple[TargetSuggestion, tk.BooleanVar, ctk.CTkCheckBox]] = []
        super().__init__(parent, title="Suggested production targets", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_wide(section_label(body, "Batches the assignments need"), pady=(0, 0))
        if not self.suggestions:
            self.add_wide(
                notice_label(
                    body,
                    "Nothing to suggest: assign packages to recipients first (Assignments tab).",
                )
            )
            return
        hint = "Ticked recipes get the suggested number of batches; their notes are kept."
        self.add_wide(ctk.CTkLabel(body, text=hint, text_color=MUTED_TEXT, anchor="w"), pady=(0, 6))
        for suggestion in self.suggestions:
            self._add_check(body, suggestion)

    def _add_check(self, body: ctk.CTkFrame, suggestion: TargetSuggestion) -> None:
        changes = suggestion.current_target != suggestion.batches_needed
        var = tk.BooleanVar(self, value=changes)
        box = ctk.CTkCheckBox(body, text=suggestion_text(suggestion), variable=var)
        self.add_wide(box, pady=(3, 3))
        self.checks.append((suggestion, var, box))

    def ready(self) -> None:
        if not self.suggestions:
            self.ok_button.configure(state="disabled")

    def validate(self) -> list[TargetSuggestion]:
        chosen = [suggestion for suggestion, var, _box in self.checks if var.get()]
        if not chosen:
            raise forms.FieldError("Tick at least one recipe to apply.")
        return chosen

    def apply(self, values: list[TargetSuggestion]) -> int:
        for suggestion in values:
            event_service.set_production_target(
                self.event_id, suggestion.recipe_id, suggestion.batches_needed
            )
        return len(values)


def suggestion_text(suggestion: TargetSuggestion) -> str:
    """ "Sugar Cookies: 3 batches (now 2)", "(no target yet)" or "(already set)"."""
    batches = forms.plural(suggestion.batches_needed, "batch", "batches")
    if suggestion.current_target is None:
        state = "no target yet"
    elif suggestion.current_target == suggestion.batches_needed:
        state = "already set"
    else:
        state = f"now {suggestion.current_target}"
    return f"{suggestion.recipe_name}: {batches} ({state})"
