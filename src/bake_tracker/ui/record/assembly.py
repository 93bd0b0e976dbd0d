"""Record Assembly: a quantity of a finished good, with every component (finished units, nested
goods, packaging) checked against stock.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass

import customtkinter as ctk

from bake_tracker.services import (
    assembly_service,
    event_service,
    finished_good_service,
)
from bake_tracker.services.dto import (
    AssemblyResult,
    ComponentAvailability,
)
from bake_tracker.ui.component_kinds import COMPONENT_TAGS
from bake_tracker.ui.record.availability import Availability, AvailabilityLine, need_have
from bake_tracker.ui.record.base import VOID_LATER, RecordDialog, over_target_text


@dataclass(frozen=True)
class AssemblyInput:
    """What Record Assembly says: how many, the event (None for a standalone run) and notes."""

    quantity: int
    event_id: int | None
    notes: str | None


class RecordAssemblyDialog(RecordDialog):
    """Assemble a finished good: event, quantity, notes, and every component checked."""

    count_field = "Quantity"
    availability_title = "Component availability"
    shortage_text = "Not enough in stock"

    def __init__(
        self,
        master: tk.Misc,
        finished_good_id: int,
        *,
        event_id: int | None = None,
        show: bool = True,
        on_done: Callable[[AssemblyResult], None] | None = None,
    ) -> None:
        self.detail = finished_good_service.get_finished_good_detail(finished_good_id)
        self.good = self.detail.finished_good
        super().__init__(
            master,
            title=f"Record assembly: {self.good.display_name}",
            event_id=event_id,
            show=show,
            on_done=on_done,
        )

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(
            self.good.display_name,
            f"In stock: {self.good.inventory_count} · "
            f"Can assemble now: {self.detail.can_assemble_now}",
        )
        self.add_event_selector()
        self.quantity_entry = self.add_count("Quantity")
        self.add_notes()
        self.add_availability()

    def check_availability(self, count: int) -> Availability:
        found = assembly_service.check_can_assemble(self.good.id, count)
        return Availability([self._line(item) for item in found.items], reason=found.reason)

    @staticmethod
    def _line(item: ComponentAvailability) -> AvailabilityLine:
        prefix = COMPONENT_TAGS.get(item.component_type, "")
        return AvailabilityLine(
            f"{prefix} {item.component_name}".strip(),
            item.sufficient,
            need_have(item.needed, item.available, item.unit),
        )

    def validate(self) -> AssemblyInput:
        return AssemblyInput(
            quantity=self.validated_count(),
            event_id=self.selected_event_id(),
            notes=self.notes(),
        )

    def confirm(self, values: AssemblyInput) -> bool:
        if values.event_id is not None:
            check = event_service.check_assembly_target(
                values.event_id, self.good.id, values.quantity
            )
            warning = over_target_text(check, "assembled", self.event_name(values.event_id))
            if warning and not self.ask_confirm(warning):
                return False
        return self.ask_confirm(
            f"Assemble {values.quantity} × {self.good.display_name}?{self.event_line()}\n\n"
            f"The components and packaging will be taken from stock now. {VOID_LATER}"
        )

    def apply(self, values: AssemblyInput) -> AssemblyResult:
        return assembly_service.record_assembly(
            self.good.id, values.quantity, event_id=values.event_id, notes=values.notes
        )

    def success_text(self, result: AssemblyResult) -> str:
        return f"Assembled {result.quantity_assembled} × {self.good.display_name}."
