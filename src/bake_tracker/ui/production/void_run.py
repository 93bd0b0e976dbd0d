"""Voiding a run, with a reason: what it used goes back, what it made leaves stock."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import assembly_service, batch_production_service
from bake_tracker.services.dto import ProductionRunDTO
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog
from bake_tracker.ui.kit.theme import DANGER_COLOR, DANGER_DISABLED_COLOR, DANGER_HOVER
from bake_tracker.ui.production.runs import RunKind, run_label, sentence

if TYPE_CHECKING:
    from bake_tracker.ui.production.runs import Run


class VoidRunDialog(FormDialog):
    """Undo a run, with a reason: what it used goes back, what it made leaves stock."""

    ok_text = "Void run"
    min_width = 500

    def __init__(
        self,
        parent: tk.Misc,
        run: Run,
        *,
        show: bool = True,
        on_done: Callable[[Run], None] | None = None,
    ) -> None:
        self.run = run
        kind = RunKind.PRODUCTION if isinstance(run, ProductionRunDTO) else RunKind.ASSEMBLY
        super().__init__(parent, title=f"Void {kind} run", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(sentence(run_label(self.run)))
        self.effect_label = self.add_note(self.effect(), pady=(2, 8))
        self.reason_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. recorded twice"
        )
        self.add_field("Reason", self.reason_entry)

    def ready(self) -> None:
        self.ok_button.normal_color = DANGER_COLOR
        self.ok_button.disabled_color = DANGER_DISABLED_COLOR
        self.ok_button.configure(fg_color=DANGER_COLOR, hover_color=DANGER_HOVER)

    def effect(self) -> str:
        run = self.run
        if isinstance(run, ProductionRunDTO):
            made = (
                f"the {forms.format_count(run.actual_yield, run.finished_unit_name)} it made "
                "leave stock"
                if run.actual_yield
                else "it made nothing, so stock is unchanged"
            )
            used = "Its ingredients go back to the pantry lots they came from, and " + made
        else:
            used = (
                "Its finished items and packaging go back to the lots they came from, and the "
                f"{forms.format_count(run.quantity_assembled, run.finished_good_name)} it made "
                "leave stock"
            )
        return f"{used}. The run stays in the history, marked voided."

    def focus_first(self) -> None:
        self.reason_entry.focus_set()

    def validate(self) -> str:
        return self.check(self.reason_entry, forms.parse_text, "Reason", max_length=2000)

    def refusal(self, values: str) -> str | None:
        """Checked again on OK: the output may have been used since the dialog opened."""
        return void_refusal(self.run)

    # No confirm(): this dialog, with its effect spelled out and a red "Void run", is the one
    # question; asking "are you sure?" after it was asking twice (issue 17 item 9).

    def apply(self, values: str) -> Run:
        if isinstance(self.run, ProductionRunDTO):
            return batch_production_service.void_production_run(self.run.id, reason=values)
        return assembly_service.void_assembly_run(self.run.id, reason=values)


def void_refusal(run: Run) -> str | None:
    """Why ``run`` cannot be voided (its output used, already voided), or None: asked before the
    void dialog opens, so a refusal never follows a question."""
    if isinstance(run, ProductionRunDTO):
        return batch_production_service.check_void_production_run(run.id)
    return assembly_service.check_void_assembly_run(run.id)
