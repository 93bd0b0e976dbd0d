"""The Event Detail window's forms: assign a package, edit an assignment, add or edit a target, and
apply the suggested production targets.

``TargetKind`` puts production targets (recipes, batches) and assembly targets (finished goods,
quantities) behind one face, so the Targets tab and ``TargetDialog`` serve both. Every dialog makes
its writes through ``event_service``; progress figures are the service's.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import customtkinter as ctk

from bake_tracker.services import (
    event_service,
    finished_good_service,
    package_service,
    recipe_service,
    recipient_service,
)
from bake_tracker.services.dto import AssignmentDTO, TargetSuggestion
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog
from bake_tracker.ui.kit.theme import MUTED_TEXT, NOTICE_TEXT

T = TypeVar("T")


def unique_labels(items: Iterable[T], label: Callable[[T], str], key: Callable[[T], int]) -> dict:
    """Menu labels for items; a label shown twice gets the item's id: "Bob (#7)"."""
    items = list(items)
    names = [label(item) for item in items]
    return {
        (f"{name} (#{key(item)})" if names.count(name) > 1 else name): item
        for item, name in zip(items, names, strict=True)
    }


def heading_label(master: tk.Misc, text: str) -> ctk.CTkLabel:
    return ctk.CTkLabel(master, text=text, font=ctk.CTkFont(size=15, weight="bold"), anchor="w")


def notice_label(master: tk.Misc, text: str = "") -> ctk.CTkLabel:
    """Advice in orange: what is missing and where to add it."""
    return ctk.CTkLabel(
        master, text=text, text_color=NOTICE_TEXT, anchor="w", justify="left", wraplength=420
    )


# --- targets, production and assembly alike -------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    """One target as the Targets tab shows it; every figure is the service's."""

    item_id: int
    name: str
    done: int
    target: int
    pct: Decimal
    complete: bool


class TargetKind:
    """What differs between production and assembly targets: words and service calls."""

    key = ""
    title = ""
    noun = ""
    item_label = ""
    amount_label = ""
    empty_text = ""
    none_left_text = ""
    no_items_text = ""

    def progress(self, event_id: int) -> list[TargetProgress]:  # pragma: no cover - overridden
        raise NotImplementedError

    def notes(self, event_id: int) -> dict[int, str | None]:  # pragma: no cover - overridden
        raise NotImplementedError

    def choices(self) -> list[tuple[int, str]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def save(self, event_id: int, item_id: int, amount: int, notes: str | None) -> Any:
        raise NotImplementedError  # pragma: no cover - overridden

    def delete(self, event_id: int, item_id: int) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class ProductionKind(TargetKind):
    key = "production"
    title = "Production Targets"
    noun = "production target"
    item_label = "Recipe"
    amount_label = "Target batches"
    empty_text = "No production targets set. Click '+ Add Target' to create one."
    none_left_text = "All recipes already have targets for this event."
    no_items_text = "There are no recipes yet. Add one on the Recipes tab first."

    def progress(self, event_id: int) -> list[TargetProgress]:
        return [
            TargetProgress(
                p.recipe_id,
                p.recipe_name,
                p.produced_batches,
                p.target_batches,
                p.progress_pct,
                p.is_complete,
            )
            for p in event_service.get_production_progress(event_id)
        ]

    def notes(self, event_id: int) -> dict[int, str | None]:
        return {t.recipe_id: t.notes for t in event_service.get_production_targets(event_id)}

    def choices(self) -> list[tuple[int, str]]:
        return [(r.id, r.name) for r in recipe_service.list_recipes()]

    def save(self, event_id: int, item_id: int, amount: int, notes: str | None) -> Any:
        return event_service.set_production_target(event_id, item_id, amount, notes=notes)

    def delete(self, event_id: int, item_id: int) -> bool:
        return event_service.delete_production_target(event_id, item_id)


class AssemblyKind(TargetKind):
    key = "assembly"
    title = "Assembly Targets"
    noun = "assembly target"
    item_label = "Finished good"
    amount_label = "Target quantity"
    empty_text = "No assembly targets set. Click '+ Add Target' to create one."
    none_left_text = "All finished goods already have targets for this event."
    no_items_text = "There are no finished goods yet. Add one on the Finished Goods tab first."

    def progress(self, event_id: int) -> list[TargetProgress]:
        return [
            TargetProgress(
                p.finished_good_id,
                p.finished_good_name,
                p.assembled_quantity,
                p.target_quantity,
                p.progress_pct,
                p.is_complete,
            )
            for p in event_service.get_assembly_progress(event_id)
        ]

    def notes(self, event_id: int) -> dict[int, str | None]:
        return {t.finished_good_id: t.notes for t in event_service.get_assembly_targets(event_id)}

    def choices(self) -> list[tuple[int, str]]:
        return [(g.id, g.display_name) for g in finished_good_service.list_finished_goods()]

    def save(self, event_id: int, item_id: int, amount: int, notes: str | None) -> Any:
        return event_service.set_assembly_target(event_id, item_id, amount, notes=notes)

    def delete(self, event_id: int, item_id: int) -> bool:
        return event_service.delete_assembly_target(event_id, item_id)


PRODUCTION = ProductionKind()
ASSEMBLY = AssemblyKind()


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
            self.add_wide(heading_label(body, self.existing.name), pady=(0, 6))
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

    def validate(self) -> dict[str, Any]:
        if self.existing is not None:
            item_id = self.existing.item_id
        elif self.choices:
            item_id = self.choices[self.item_menu.get()]
        else:
            raise forms.FieldError(self.notice_label.cget("text"))
        amount = self.check(
            self.amount_entry, forms.parse_int_text, self.kind.amount_label, minimum=1
        )
        return {"item_id": item_id, "amount": amount, "notes": self._notes()}

    def _notes(self) -> str | None:
        return forms.parse_notes_text(self.notes_entry.get())

    def apply(self, values: dict[str, Any]) -> Any:
        return self.kind.save(self.event_id, values["item_id"], values["amount"], values["notes"])


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
        self.add_wide(heading_label(body, "Batches the assignments need"), pady=(0, 0))
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


# --- assignments ----------------------------------------------------------------------------------


class AssignPackageDialog(FormDialog):
    """Give a recipient a number of one package at this event."""

    ok_text = "Assign"
    min_width = 500

    def __init__(
        self,
        parent: tk.Misc,
        *,
        event_id: int,
        show: bool = True,
        on_done: Callable[[AssignmentDTO], None] | None = None,
    ) -> None:
        self.event_id = event_id
        self.recipients = unique_labels(
            recipient_service.list_recipients(), lambda r: r.name, lambda r: r.id
        )
        self.packages = unique_labels(
            package_service.list_packages(), lambda p: p.name, lambda p: p.id
        )
        super().__init__(parent, title="Assign package", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.notice_label = notice_label(body, self._missing())
        if self.notice_label.cget("text"):
            self.add_wide(self.notice_label)
            return
        self.recipient_menu = self._menu(body, "Recipient", list(self.recipients))
        self.package_menu = self._menu(body, "Package", list(self.packages))
        self.package_menu.configure(command=lambda _label: self._show_cost())
        self.cost_label = ctk.CTkLabel(body, text="", text_color=MUTED_TEXT, anchor="w")
        self.add_field("", self.cost_label, sticky="w")
        self.quantity_entry = ctk.CTkEntry(body, width=110)
        self.quantity_entry.insert(0, "1")
        self.add_field("Quantity", self.quantity_entry, sticky="w")
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Notes", self.notes_entry)
        self._show_cost()

    def _menu(self, body: ctk.CTkFrame, label: str, values: list[str]) -> ctk.CTkOptionMenu:
        menu = ctk.CTkOptionMenu(body, width=FIELD_WIDTH, values=values, dynamic_resizing=False)
        self.add_field(label, menu, sticky="w")
        return menu

    def _missing(self) -> str:
        missing = []
        if not self.recipients:
            missing.append("a recipient on the Recipients tab")
        if not self.packages:
            missing.append("a package on the Packages tab")
        return f"First add {' and '.join(missing)}; then assign it here." if missing else ""

    def _show_cost(self) -> None:
        package = self.packages[self.package_menu.get()]
        cost = forms.format_money(package.estimated_cost)
        self.cost_label.configure(text=f"Estimated {cost} each")

    def ready(self) -> None:
        if self.notice_label.cget("text"):
            self.ok_button.configure(state="disabled")

    def focus_first(self) -> None:
        if not self.notice_label.cget("text"):
            self.quantity_entry.focus_set()

    def select(self, recipient_id: int, package_id: int) -> None:
        """Choose a recipient and a package by id, as a user would with the two menus."""
        for label, recipient in self.recipients.items():
            if recipient.id == recipient_id:
                self.recipient_menu.set(label)
        for label, package in self.packages.items():
            if package.id == package_id:
                self.package_menu.set(label)
        self._show_cost()

    def validate(self) -> dict[str, Any]:
        if self.notice_label.cget("text"):
            raise forms.FieldError(self.notice_label.cget("text"))
        return {
            "recipient_id": self.recipients[self.recipient_menu.get()].id,
            "package_id": self.packages[self.package_menu.get()].id,
            "quantity": self.check(
                self.quantity_entry, forms.parse_int_text, "Quantity", minimum=1
            ),
            "notes": forms.parse_notes_text(self.notes_entry.get()),
        }

    def apply(self, values: dict[str, Any]) -> AssignmentDTO:
        return event_service.assign_package_to_recipient(
            self.event_id,
            values["recipient_id"],
            values["package_id"],
            quantity=values["quantity"],
            notes=values["notes"],
        )


class EditAssignmentDialog(FormDialog):
    """Change how many packages a recipient gets, and the notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        assignment: AssignmentDTO,
        show: bool = True,
        on_done: Callable[[AssignmentDTO], None] | None = None,
    ) -> None:
        self.assignment = assignment
        super().__init__(parent, title="Edit assignment", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        a = self.assignment
        self.add_wide(heading_label(body, f"{a.recipient_name} — {a.package_name}"), pady=(0, 6))
        self.quantity_entry = ctk.CTkEntry(body, width=110)
        self.quantity_entry.insert(0, str(a.quantity))
        self.add_field("Quantity", self.quantity_entry, sticky="w")
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        if a.notes:
            self.notes_entry.insert(0, a.notes)
        self.add_field("Notes", self.notes_entry)

    def focus_first(self) -> None:
        self.quantity_entry.focus_set()
        self.quantity_entry.select_range(0, "end")

    def validate(self) -> dict[str, Any]:
        return {
            "quantity": self.check(
                self.quantity_entry, forms.parse_int_text, "Quantity", minimum=1
            ),
            "notes": forms.parse_notes_text(self.notes_entry.get()),
        }

    def apply(self, values: dict[str, Any]) -> AssignmentDTO:
        return event_service.update_assignment(self.assignment.id, **values)
