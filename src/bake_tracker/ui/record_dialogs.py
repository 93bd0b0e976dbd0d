"""Record Production and Record Assembly: the dialogs that turn stock into finished items.

Both are ``FormDialog``\\ s with the handles contract.md names (``event_selector``, the count entry,
``notes_text``, ``availability_rows``, ``confirm_button``, ``cancel_button``, ``result`` and
``ask_confirm``). An availability section lists every line the run needs with what is on hand; it
is checked on opening and again ~300 ms after the count changes, and Confirm stays disabled while
anything is short or the count is not a whole number of at least 1. Confirm asks first, then makes
the one service call; a ``ServiceError`` shows inline and nothing closes. After a success the
window refreshes every tab and the status bar says what was recorded.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import customtkinter as ctk

from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    event_service,
    finished_good_service,
    finished_unit_service,
)
from bake_tracker.services.dto import (
    AssemblyResult,
    ComponentAvailability,
    EventDTO,
    IngredientAvailability,
    LossCategory,
    ProductionResult,
    TargetCheck,
)
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog
from bake_tracker.ui.kit.theme import ACCENT_TEXT, ERROR_TEXT, MUTED_TEXT
from bake_tracker.ui.shell import main_window

STANDALONE = "(None - standalone)"
SUCCESS_TEXT = ("#2E7D32", "#66BB6A")
CHECK_DELAY_MS = 300
COUNT_WIDTH = 90
CHOOSE_LOSS_REASON = "Reason…"
LOSS_REASONS = {category.value.capitalize(): category.value for category in LossCategory}
COMPONENT_PREFIXES = {"finished_unit": "[FU]", "finished_good": "[FG]", "packaging": "[Pkg]"}
VOID_LATER = "You can void the run later from the Production tab."


def over_target_text(check: TargetCheck | None, what: str, event: str) -> str | None:
    """Decision 14's warning when a run would take an event past its target (None otherwise)."""
    if check is None or not check.exceeds:
        return None
    return (
        f"Over-Production Warning\n\n{event} needs {check.target} {what}; {check.done} are done. "
        f"Recording {check.adding} more makes {check.after} ({check.after_pct:.0f}% of the "
        "target). Record anyway?"
    )


ZERO_YIELD = (
    "Zero Yield\n\nAn actual yield of 0 records a failed batch: the ingredients are used up and "
    "nothing is added to stock. Record it anyway?"
)


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


def event_choices(events: Sequence[EventDTO]) -> dict[str, int | None]:
    """Selector labels in the services' order ("(None - standalone)" first) mapped to event ids."""
    choices: dict[str, int | None] = {STANDALONE: None}
    for event in events:
        label = event.label if event.label not in choices else f"{event.label} #{event.id}"
        choices[label] = event.id
    return choices


# --- the availability list ------------------------------------------------------------------------


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
            text_color=("gray10", "gray90"),
            command=on_refresh,
        )
        self.refresh_button.grid(row=0, column=2, sticky="e", padx=(4, 10), pady=(8, 2))
        self.list_frame = ctk.CTkScrollableFrame(self, height=150, fg_color="transparent")
        self.list_frame.grid(row=1, column=0, columnspan=3, sticky="ew", padx=4, pady=(0, 6))
        self.list_frame.grid_columnconfigure(1, weight=1)

    def show(self, availability: Availability) -> None:
        """Draw every line and the status: "All items available" or "N item(s) insufficient"."""
        self._clear()
        for index, line in enumerate(availability.lines):
            self._add_row(index, line)
        self.rows = [(line.name, line.sufficient) for line in availability.lines]
        short = sum(not line.sufficient for line in availability.lines)
        if availability.reason is not None:
            self.status_label.configure(text=availability.reason, text_color=ERROR_TEXT)
        elif short:
            self.status_label.configure(text=f"{short} item(s) insufficient", text_color=ERROR_TEXT)
        else:
            self.status_label.configure(text="All items available", text_color=SUCCESS_TEXT)
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
        mark_color = SUCCESS_TEXT if line.sufficient else ERROR_TEXT
        text_color = ("gray10", "gray90") if line.sufficient else ERROR_TEXT
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


# --- the shared dialog ----------------------------------------------------------------------------


class RecordDialog(FormDialog):
    """What both record dialogs share: the event selector, the count, availability, confirm gate.

    Subclasses build their fields (calling ``add_event_selector``, ``add_count`` and
    ``add_availability``), say how to check availability, and parse, confirm and apply as any
    ``FormDialog`` does.
    """

    ok_text = "Confirm"
    min_width = 520
    count_field = "Quantity"
    availability_title = "Availability"
    shortage_text = "Not enough in stock"

    def __init__(
        self,
        master: tk.Misc,
        *,
        title: str,
        event_id: int | None,
        show: bool,
        on_done: Callable[[Any], None] | None,
    ) -> None:
        self.events = event_choices(event_service.list_events_for_picker())
        self.initial_event_id = event_id
        self.availability_rows: list[tuple[str, bool]] = []
        self.last_availability: Availability | None = None
        self._checked_count: int | None = None
        self._check_job: str | None = None
        self._count_valid = True
        self._after_done = on_done
        super().__init__(master, title=title, show=show, on_done=self._finished)

    # --- building -----------------------------------------------------------------------------

    def add_heading(self, title: str, subtitle: str) -> None:
        heading = ctk.CTkLabel(
            self.body, text=title, font=ctk.CTkFont(size=18, weight="bold"), anchor="w"
        )
        self.add_wide(heading, pady=(0, 0))
        self.subtitle_label = ctk.CTkLabel(self.body, text=subtitle, text_color=MUTED_TEXT)
        self.subtitle_label.configure(anchor="w", justify="left")
        self.add_wide(self.subtitle_label, pady=(0, 6))

    def add_event_selector(self) -> None:
        self.event_selector = ctk.CTkOptionMenu(
            self.body, width=FIELD_WIDTH, values=list(self.events), dynamic_resizing=False
        )
        self.event_selector.set(self._initial_event_label())
        self.add_field("Event", self.event_selector, sticky="w")

    def _initial_event_label(self) -> str:
        for label, event_id in self.events.items():
            if event_id is not None and event_id == self.initial_event_id:
                return label
        return STANDALONE

    def add_count(self, label: str) -> ctk.CTkEntry:
        """The count entry (default "1"); every change re-checks the count and, soon, the stock."""
        self.count_var = tk.StringVar(self, value="1")
        self.count_row = ctk.CTkFrame(self.body, fg_color="transparent")
        self.count_entry = ctk.CTkEntry(
            self.count_row, width=COUNT_WIDTH, textvariable=self.count_var
        )
        self.count_entry.pack(side="left")
        self.add_field(label, self.count_row, sticky="w")
        self.count_var.trace_add("write", lambda *_: self._on_count_change())
        return self.count_entry

    def add_notes(self) -> None:
        self.notes_text = ctk.CTkTextbox(self.body, width=FIELD_WIDTH, height=60, border_width=2)
        self.add_field("Notes", self.notes_text)

    def add_availability(self) -> None:
        self.availability = AvailabilityDisplay(
            self.body, self.availability_title, self.refresh_availability
        )
        self.add_wide(self.availability, pady=(12, 0))

    def ready(self) -> None:
        self.confirm_button = self.ok_button
        self.refresh_availability()

    def focus_first(self) -> None:
        self.count_entry.focus_set()
        self.count_entry.select_range(0, "end")

    # --- the count and availability -----------------------------------------------------------

    def selected_event_id(self) -> int | None:
        return self.events.get(self.event_selector.get())

    def event_name(self, event_id: int) -> str:
        """The selector's label of an event (its name and date)."""
        return next((label for label, i in self.events.items() if i == event_id), "The event")

    def _count(self) -> int | None:
        """The typed count, or None when it is not usable (saying why, unless it is just blank:
        retyping the number passes through an empty entry)."""
        text = self.count_var.get()
        try:
            count = forms.parse_int_text(text, self.count_field, minimum=1)
        except forms.FieldError as error:
            if text.strip():
                self.show_error(error.message)
            return None
        return count

    def _on_count_change(self) -> None:
        self.clear_error()
        count = self._count()
        self._count_valid = count is not None
        self.count_changed(count)
        if count is None:
            self._cancel_check()
            self._checked_count = None
            self.availability.show_message(f"Enter a {self.count_field.lower()} of at least 1.")
            self.availability_rows = []
        else:
            self._schedule_check()
        self._update_confirm()

    def count_changed(self, count: int | None) -> None:
        """Hook: the count changed (None when it is not usable)."""

    def _schedule_check(self) -> None:
        self._cancel_check()
        self._check_job = self.after(CHECK_DELAY_MS, self.refresh_availability)

    def _cancel_check(self) -> None:
        if self._check_job is not None:
            self.after_cancel(self._check_job)
            self._check_job = None

    def refresh_availability(self) -> None:
        """Check the stock for the current count now and redraw the list."""
        self._check_job = None
        count = self._count()
        if count is None:
            return
        try:
            availability = self.check_availability(count)
        except ServiceError as error:
            availability = Availability([], reason=str(error))
        self.last_availability = availability
        self._checked_count = count
        self.availability.show(availability)
        self.availability_rows = list(self.availability.rows)
        self._update_confirm()

    def check_availability(self, count: int) -> Availability:  # pragma: no cover - overridden
        raise NotImplementedError

    def _update_confirm(self) -> None:
        """Enabled only for a usable count and a last check with nothing short (Confirm re-checks
        when the count changed since, so a pending check never lets a shortage through)."""
        available = self.last_availability is not None and self.last_availability.ok
        enabled = self._count_valid and available
        self.confirm_button.configure(state="normal" if enabled else "disabled")

    def validated_count(self) -> int:
        """The count, with the stock checked for exactly that count; raises ``FieldError``."""
        count = self.check(self.count_entry, forms.parse_int_text, self.count_field, minimum=1)
        if self._check_job is not None or self._checked_count != count:
            self.refresh_availability()
        availability = self.last_availability
        if availability is None or not availability.ok:
            raise forms.FieldError(self._shortage_message(availability))
        return count

    def _shortage_message(self, availability: Availability | None) -> str:
        if availability is None:
            return "Availability could not be checked."
        if availability.reason is not None:
            return availability.reason
        short = ", ".join(line.name for line in availability.lines if not line.sufficient)
        return f"{self.shortage_text}: {short}."

    def notes(self) -> str | None:
        return forms.parse_notes_text(self.notes_text.get("1.0", "end"))

    def event_line(self) -> str:
        """ "\\nEvent: Christmas 2025 (2025-12-25)" when an event is chosen, else ""."""
        label = self.event_selector.get()
        return f"\nEvent: {label}" if self.events.get(label) is not None else ""

    # --- finishing ----------------------------------------------------------------------------

    def success_text(self, result: Any) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _finished(self, result: Any) -> None:
        """After the service call: refresh the window's tabs and post what was recorded."""
        window = main_window(self)
        window.refresh_all()
        window.set_status(self.success_text(result))
        if self._after_done is not None:
            self._after_done(result)

    def close(self) -> None:
        self._cancel_check()
        super().close()


# --- production -----------------------------------------------------------------------------------


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
        self._yield_follows = True
        self._setting_yield = False
        super().__init__(
            master,
            title=f"Record Production - {self.unit.display_name}",
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
        self.actual_var.trace_add("write", lambda *_: self._on_actual_change())
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
        if self._yield_follows:
            self._setting_yield = True
            self.actual_var.set(str(expected))
            self._setting_yield = False

    def _on_actual_change(self) -> None:
        """Typing a yield stops it following the expected one; clearing it resumes that."""
        if not self._setting_yield:
            self._yield_follows = not self.actual_var.get().strip()

    @property
    def yield_follows_expected(self) -> bool:
        return self._yield_follows

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

    def validate(self) -> dict[str, Any]:
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
        return {
            "batches": batches,
            "expected": expected,
            "actual": expected if actual is None else actual,
            "loss": loss,
            "reason": reason if loss else None,
            "event_id": self.selected_event_id(),
            "notes": self.notes(),
        }

    def confirm(self, values: dict[str, Any]) -> bool:
        if values["actual"] == 0 and not self.ask_confirm(ZERO_YIELD):
            return False
        if values["event_id"] is not None:
            check = event_service.check_production_target(
                values["event_id"], self.unit.recipe_id, values["batches"]
            )
            warning = over_target_text(check, "batches", self.event_name(values["event_id"]))
            if warning and not self.ask_confirm(warning):
                return False
        return self.ask_confirm(self.confirmation_text(values))

    def confirmation_text(self, values: dict[str, Any]) -> str:
        lines = [
            f"Record {values['batches']} batch(es) of {self.unit.display_name}?",
            self.event_line(),
            f"\nExpected yield: {values['expected']}",
            f"\nActual yield: {values['actual']}",
        ]
        if values["loss"]:
            lines.append(f"\nLost: {values['loss']} ({values['reason']})")
        lines.append(f"\n\nThe ingredients will be taken from the pantry now. {VOID_LATER}")
        return "".join(lines)

    def apply(self, values: dict[str, Any]) -> ProductionResult:
        return batch_production_service.record_batch_production(
            self.unit.recipe_id,
            self.unit.id,
            values["batches"],
            values["actual"],
            event_id=values["event_id"],
            notes=values["notes"],
            loss_quantity=values["loss"],
            loss_category=values["reason"],
        )

    def success_text(self, result: ProductionResult) -> str:
        return f"Recorded {result.num_batches} batch(es) - {result.actual_yield} units produced"


# --- assembly -------------------------------------------------------------------------------------


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
            title=f"Record Assembly - {self.good.display_name}",
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
        prefix = COMPONENT_PREFIXES.get(item.component_type, "")
        return AvailabilityLine(
            f"{prefix} {item.component_name}".strip(),
            item.sufficient,
            need_have(item.needed, item.available, item.unit),
        )

    def validate(self) -> dict[str, Any]:
        return {
            "quantity": self.validated_count(),
            "event_id": self.selected_event_id(),
            "notes": self.notes(),
        }

    def confirm(self, values: dict[str, Any]) -> bool:
        if values["event_id"] is not None:
            check = event_service.check_assembly_target(
                values["event_id"], self.good.id, values["quantity"]
            )
            warning = over_target_text(check, "assembled", self.event_name(values["event_id"]))
            if warning and not self.ask_confirm(warning):
                return False
        return self.ask_confirm(
            f"Assemble {values['quantity']} {self.good.display_name}?{self.event_line()}\n\n"
            f"The components and packaging will be taken from stock now. {VOID_LATER}"
        )

    def apply(self, values: dict[str, Any]) -> AssemblyResult:
        return assembly_service.record_assembly(
            self.good.id, values["quantity"], event_id=values["event_id"], notes=values["notes"]
        )

    def success_text(self, result: AssemblyResult) -> str:
        return f"Assembled {result.quantity_assembled} {self.good.display_name}"
