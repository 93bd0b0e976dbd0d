"""The first step of recording a run: choosing the finished unit (production) or finished good
(assembly) in ``ChooseItemDialog``, an event's targets first when recording for an event.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.services.dto import AssemblyProgress, ProductionProgress
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog
from bake_tracker.ui.production.runs import RunKind
from bake_tracker.ui.production.wording import batches_text, quantity_text

if TYPE_CHECKING:
    from bake_tracker.services.dto import FinishedGoodDTO, FinishedUnitDTO

NO_UNITS = (
    "There is nothing to make yet. Add a finished unit (what a recipe makes) on the Finished "
    "Units tab, then record its production here."
)
NO_GOODS = (
    "There is nothing to assemble yet. Add a finished good (a gift bag or box) with its "
    "components on the Finished Goods tab, then record its assembly here."
)
# The title and field of the first step of recording (choosing what), by kind of run.
CHOOSE_TEXTS = {
    RunKind.PRODUCTION: ("Record production", "Finished unit", NO_UNITS),
    RunKind.ASSEMBLY: ("Record assembly", "Finished good", NO_GOODS),
}


class ChooseItemDialog(FormDialog):
    """Pick the finished unit (or good) to record; OK returns its id, nothing is written."""

    ok_text = "Next…"
    min_width = 440

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        field: str,
        choices: Sequence[tuple[int, str, str]],
        empty_text: str,
        initial_id: int | None = None,
        show: bool = True,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        self.field = field
        self.choices = item_choices(choices)
        self.empty_text = empty_text
        self.initial_id = initial_id
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        if not self.choices:
            notice = ctk.CTkLabel(
                body, text=self.empty_text, anchor="w", justify="left", wraplength=390
            )
            self.add_wide(notice)
            return
        self.item_menu = ctk.CTkOptionMenu(
            body,
            width=FIELD_WIDTH,
            values=list(self.choices),
            command=self.choose,
            dynamic_resizing=False,
        )
        self.add_field(self.field, self.item_menu, sticky="w")
        self.info_label = self.add_hint("")

    def ready(self) -> None:
        if not self.choices:
            self.ok_button.configure(state="disabled")
            return
        labels = [
            label for label, (item_id, _) in self.choices.items() if item_id == self.initial_id
        ]
        self.choose(labels[0] if labels else next(iter(self.choices)))

    def choose(self, label: str) -> None:
        """Select an item by its label (the menu's command)."""
        self.item_menu.set(label)
        self.info_label.configure(text=self.choices[label][1])

    def focus_first(self) -> None:
        if self.choices:
            self.item_menu.focus_set()

    def validate(self) -> int:
        if not self.choices:
            raise forms.FieldError(f"There is no {self.field.lower()} to choose yet.")
        return self.choices[self.item_menu.get()][0]

    def apply(self, values: int) -> int:
        return values


def item_choices(choices: Sequence[tuple[int, str, str]]) -> dict[str, tuple[int, str]]:
    """Menu labels (a repeated name gets its id) mapped to (id, one line about the item)."""
    names = [name for _, name, _ in choices]
    labels: dict[str, tuple[int, str]] = {}
    for item_id, name, info in choices:
        label = f"{name} (#{item_id})" if names.count(name) > 1 else name
        labels[label] = (item_id, info)
    return labels


def choose_item(
    parent: tk.Misc,
    kind: RunKind,
    choices: Sequence[tuple[int, str, str]],
    initial_id: int | None,
    *,
    show: bool,
    on_done: Callable[[int], Any],
    event_name: str | None = None,
) -> ChooseItemDialog:
    """The first step of recording a run of ``kind``: choose the finished unit (production) or
    the finished good (assembly); ``on_done(id)`` opens the recording dialog."""
    title, field, empty_text = CHOOSE_TEXTS[kind]
    return ChooseItemDialog(
        parent,
        title=f"{title} - {event_name}" if event_name else title,
        field=field,
        choices=choices,
        empty_text=empty_text,
        initial_id=initial_id,
        show=show,
        on_done=on_done,
    )


def unit_choices(
    units: Sequence[FinishedUnitDTO], progress: Sequence[ProductionProgress]
) -> tuple[list[tuple[int, str, str]], int | None]:
    """Chooser entries with the event's target recipes first, and the unit to start on: the first
    whose target is not met yet (else the first targeted one)."""
    targets = {p.recipe_id: p for p in progress}
    return targets_first(units, lambda u: targets.get(u.recipe_id), unit_info)


def targets_first(
    items: Sequence[Any],
    target_of: Callable[[Any], Any | None],
    info: Callable[[Any, Any | None], str],
) -> tuple[list[tuple[int, str, str]], int | None]:
    """``(id, name, info)`` entries for ``items``, those with a target (``target_of``) first, and
    the id to start on: the first whose target is not complete, else the first with a target."""
    targeted = [item for item in items if target_of(item) is not None]
    ordered = targeted + [item for item in items if target_of(item) is None]
    choices = [(item.id, item.display_name, info(item, target_of(item))) for item in ordered]
    open_items = [item.id for item in targeted if not target_of(item).is_complete]
    initial = (open_items or [item.id for item in targeted] or [None])[0]
    return choices, initial


def unit_info(unit: FinishedUnitDTO, target: ProductionProgress | None) -> str:
    """ "Recipe: Sugar Cookies · target 2/4 batches (50%)" and the like."""
    if target is None:
        return f"Recipe: {unit.recipe_name} · not a target of this event"
    figures = batches_text(target.produced_batches, target.target_batches, target.progress_pct)
    if target.is_complete:
        return f"Recipe: {unit.recipe_name} · target met ({figures}); more is extra"
    return f"Recipe: {unit.recipe_name} · target {figures}"


def good_choices(
    goods: Sequence[FinishedGoodDTO], progress: Sequence[AssemblyProgress]
) -> tuple[list[tuple[int, str, str]], int | None]:
    """Like ``unit_choices`` for finished goods and the event's assembly targets."""
    targets = {a.finished_good_id: a for a in progress}
    return targets_first(goods, lambda g: targets.get(g.id), good_info)


def good_info(good: FinishedGoodDTO, target: AssemblyProgress | None) -> str:
    """ "In stock: 3 · target 3/8 (38%)" and the like."""
    stock = f"In stock: {good.inventory_count}"
    if target is None:
        return f"{stock} · not a target of this event"
    figures = quantity_text(target.assembled_quantity, target.target_quantity, target.progress_pct)
    if target.is_complete:
        return f"{stock} · target met ({figures}); more is extra"
    return f"{stock} · target {figures}"
