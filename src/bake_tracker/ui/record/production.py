"""Record Production: batches of a finished unit, with the expected and actual yield, any loss,
and every ingredient checked against the pantry.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass

import customtkinter as ctk

from bake_tracker.services import (
    batch_production_service,
    event_service,
    finished_unit_service,
)
from bake_tracker.services.dto import (
    IngredientAvailability,
    LossCategory,
    ProductionResult,
)
from bake_tracker.ui import forms
from bake_tracker.ui.kit.fields import DerivedDefault
from bake_tracker.ui.kit.theme import ACCENT_TEXT, MUTED_TEXT
from bake_tracker.ui.record.availability import Availability, AvailabilityLine, need_have
from bake_tracker.ui.record.base import COUNT_WIDTH, VOID_LATER, RecordDialog, over_target_text

CHOOSE_LOSS_REASON = "Reason…"
LOSS_REASONS = {category.value.capitalize(): category for category in LossCategory}
ZERO_YIELD = (
    "Zero Yield\n\nAn actual yield of 0 records a failed batch: the ingredients are used up and "
    "nothing is added to stock. Record it anyway?"
)


@dataclass(frozen=True)
class ProductionInput:
    """What Record Production says: batches, the yield expected and made, any loss and its
    reason, the event (None for a standalone run) and notes."""

    batches: int
    expected: int
    actual: int
    loss: int
    reason: str | None
    event_id: int | None
    notes: str | None


class RecordProductionDialog(RecordDialog):
    """Record batches of a finished unit: event, batches, yield, loss, notes, ingredient check."""

    count_field = "Batch count"
    availability_title = "Ingredient availability"
    shortage_text = "Not enough in the pantry"

    def __init__(
        self,
        master: tk.Misc,
        finished_unit_id: int,
        *,
        event_id: int | None = None,
        show: bool = True,
        on_done: Callable[[ProductionResult], None] | None = None,
    ) -> None:
        self.unit = finished_unit_service.get_finished_unit(finished_unit_id)
        super().__init__(
            master,
            title=f"Record production: {self.unit.display_name}",
            event_id=event_id,
            show=show,
            on_done=on_done,
        )

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(
            self.unit.display_name,
            f"Recipe: {self.unit.recipe_name} · In stock: {self.unit.inventory_count}",
        )
        self.add_event_selector()
        self.batches_entry = self.add_count("Batches")
        ctk.CTkLabel(self.count_row, text="Expected yield", text_color=MUTED_TEXT).pack(
            side="left", padx=(24, 10)
        )
        self.expected_label = ctk.CTkLabel(
            self.count_row,
            text="",
            text_color=ACCENT_TEXT,
            font=ctk.CTkFont(size=15, weight="bold"),
        )
        self.expected_label.pack(side="left")
        self.add_field("Actual yield", self._build_actual(body), sticky="w")
        # The actual yield follows the expected one until the user types their own.
        self.actual_default = DerivedDefault(self.actual_yield_entry)
        self.add_field("Lost", self._build_loss(body), sticky="w")
        self.add_notes()
        self.add_availability()
        self.count_changed(1)

    def _build_actual(self, body: ctk.CTkFrame) -> ctk.CTkFrame:
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.actual_var = tk.StringVar(self)
        self.actual_yield_entry = ctk.CTkEntry(row, width=COUNT_WIDTH, textvariable=self.actual_var)
        self.actual_yield_entry.pack(side="left")
        ctk.CTkLabel(
            row,
            text="good items made (blank = expected)",
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=12),
        ).pack(side="left", padx=(10, 0))
        return row

    def _build_loss(self, body: ctk.CTkFrame) -> ctk.CTkFrame:
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.loss_entry = ctk.CTkEntry(row, width=COUNT_WIDTH, placeholder_text="0")
        self.loss_entry.pack(side="left")
        self.loss_reason_menu = ctk.CTkOptionMenu(
            row, width=150, values=list(LOSS_REASONS), dynamic_resizing=False
        )
        self.loss_reason_menu.set(CHOOSE_LOSS_REASON)
        self.loss_reason_menu.pack(side="left", padx=(10, 0))
        return row

    # --- live figures -------------------------------------------------------------------------

    def expected_for(self, batches: int) -> int:
        unit = self.unit
        return forms.expected_yield_preview(
            batches, unit.yield_mode, unit.items_per_batch, unit.batch_percentage
        )

    def count_changed(self, count: int | None) -> None:
        if count is None:
            self.expected_label.configure(text="—")
            return
        expected = self.expected_for(count)
        self.expected_label.configure(text=str(expected))
        self.actual_default.suggest(str(expected))

    @property
    def yield_follows_expected(self) -> bool:
        """Typing a yield stops it following the expected one; clearing it resumes that."""
        return not self.actual_default.user_edited

    def check_availability(self, count: int) -> Availability:
        found = batch_production_service.check_can_produce(self.unit.recipe_id, count)
        return Availability(
            [self._line(item) for item in found.items],
            empty_text="This recipe lists no ingredients.",
        )

    @staticmethod
    def _line(item: IngredientAvailability) -> AvailabilityLine:
        return AvailabilityLine(
            item.ingredient_name, item.sufficient, need_have(item.needed, item.available, item.unit)
        )

    # --- confirm ------------------------------------------------------------------------------

    def validate(self) -> ProductionInput:
        batches = self.validated_count()
        expected = self.expected_for(batches)
        actual = self.check(
            self.actual_yield_entry, forms.parse_int_text, "Actual yield", required=False
        )
        loss = self.check(self.loss_entry, forms.parse_int_text, "Lost", required=False) or 0
        reason = LOSS_REASONS.get(self.loss_reason_menu.get())
        if loss and reason is None:
            self.loss_reason_menu.focus_set()
            raise forms.FieldError("Choose a reason for the lost items.")
        return ProductionInput(
            batches=batches,
            expected=expected,
            actual=expected if actual is None else actual,
            loss=loss,
            reason=reason if loss else None,
            event_id=self.selected_event_id(),
            notes=self.notes(),
        )

    def confirm(self, values: ProductionInput) -> bool:
        if values.actual == 0 and not self.ask_confirm(ZERO_YIELD):
            return False
        if values.event_id is not None:
            check = event_service.check_production_target(
                values.event_id, self.unit.recipe_id, values.batches
            )
            warning = over_target_text(check, "batches", self.event_name(values.event_id))
            if warning and not self.ask_confirm(warning):
                return False
        return self.ask_confirm(self.confirmation_text(values))

    def confirmation_text(self, values: ProductionInput) -> str:
        lines = [
            f"Record {forms.format_count(values.batches, 'batch')} of {self.unit.display_name}?",
            self.event_line(),
            f"\nExpected yield: {values.expected}",
            f"\nActual yield: {values.actual}",
        ]
        if values.loss:
            lines.append(f"\nLost: {values.loss} ({values.reason})")
        lines.append(f"\n\nThe ingredients will be taken from the pantry now. {VOID_LATER}")
        return "".join(lines)

    def apply(self, values: ProductionInput) -> ProductionResult:
        return batch_production_service.record_batch_production(
            self.unit.recipe_id,
            self.unit.id,
            values.batches,
            values.actual,
            event_id=values.event_id,
            notes=values.notes,
            loss_quantity=values.loss,
            loss_category=values.reason,
        )

    def success_text(self, result: ProductionResult) -> str:
        made = forms.format_count(
            result.actual_yield, self.unit.item_unit or self.unit.display_name
        )
        return f"Recorded {forms.format_count(result.num_batches, 'batch')}: {made} made."
