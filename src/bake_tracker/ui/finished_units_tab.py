"""The Finished Units tab and its dialogs: the items recipes make, their stock and unit cost.

The tab lists finished units (search as you type) with their yield ("48 per batch", "25% of a
batch"), stock, the FIFO cost of the next unit out and the recipe estimate per item, all from
``finished_unit_service``. The panel on the right opens the window's Record Production dialog and
``AdjustStockDialog``, which the Finished Goods tab shares. ``FinishedUnitDialog`` makes one
``finished_unit_service`` call; the yield rules are the service's.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.services import finished_unit_service, recipe_service
from bake_tracker.services.dto import FinishedUnitDTO, RecipeDTO, YieldMode
from bake_tracker.ui import forms
from bake_tracker.ui.adjustment import ReasonAndNotes
from bake_tracker.ui.kit.buttons import small_button
from bake_tracker.ui.kit.detail_panel import DetailPanel
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog, fields_of
from bake_tracker.ui.kit.fields import DerivedDefault
from bake_tracker.ui.kit.list_tab import ListTab
from bake_tracker.ui.kit.table import Column, Row
from bake_tracker.ui.kit.theme import ACCENT_TEXT, MUTED_TEXT, NOTICE_TEXT
from bake_tracker.ui.shell import main_window

if TYPE_CHECKING:
    from bake_tracker.ui.record.production import RecordProductionDialog

UNIT_COLUMNS = (
    Column("name", "Name", 190),
    Column("recipe", "Recipe", 170),
    Column("yield", "Yield", 120),
    Column("stock", "In stock", 80, "e"),
    Column("unit_cost", "Unit cost", 90, "e"),
    Column("estimate", "Est. cost per item", 130, "e"),
)
MODE_LABELS = {
    YieldMode.DISCRETE_COUNT: "Counted items",
    YieldMode.BATCH_PORTION: "Portion of a batch",
}
ITEM_UNITS = ("cookie", "bar", "brownie", "piece", "slice", "loaf", "cake", "pie")
EMPTY_UNITS = "No finished units yet. Click “Add finished unit” to start."
NO_MATCH = "No finished units match this search."


# --- texts ----------------------------------------------------------------------------------------


def yield_text(unit: FinishedUnitDTO) -> str:
    """ "48 per batch" or "25% of a batch"."""
    if unit.yield_mode == YieldMode.BATCH_PORTION and unit.batch_percentage is not None:
        return f"{forms.format_percent(unit.batch_percentage)} of a batch"
    return f"{unit.items_per_batch or 1} per batch"


def stock_cost_text(count: int, unit_cost: Any) -> str:
    """The FIFO cost of the next unit out, or "—" when there is no stock."""
    return forms.format_unit_cost(unit_cost) if count > 0 else "—"


def unit_row(unit: FinishedUnitDTO) -> Row:
    values = (
        unit.display_name,
        unit.recipe_name,
        yield_text(unit),
        unit.inventory_count,
        stock_cost_text(unit.inventory_count, unit.unit_cost),
        forms.format_unit_cost(unit.estimated_cost),
    )
    return str(unit.id), values, ("empty",) if unit.inventory_count == 0 else ()


# --- the tab --------------------------------------------------------------------------------------


class FinishedUnitsTab(ListTab):
    """Finished units on the left; the selected one's stock and cost, Record and Adjust beside."""

    columns = UNIT_COLUMNS
    empty_text = EMPTY_UNITS
    no_match_text = NO_MATCH
    add_text = "Add finished unit"
    name_field = "display_name"
    item_word = "finished unit"

    def load(self, search: str | None) -> list[FinishedUnitDTO]:
        return finished_unit_service.list_finished_units(search=search)

    def row(self, item: FinishedUnitDTO) -> Row:
        return unit_row(item)

    def make_detail(self) -> FinishedUnitDetail:
        return FinishedUnitDetail(self)

    def open_form(self, item: FinishedUnitDTO | None) -> FinishedUnitDialog:
        return FinishedUnitDialog(self, unit=item, show=self.show_dialogs, on_done=self.form_saved)

    def delete_refusal(self, item: FinishedUnitDTO) -> str | None:
        return finished_unit_service.check_delete_finished_unit(item.id)

    def delete_item(self, item: FinishedUnitDTO) -> None:
        finished_unit_service.delete_finished_unit(item.id)

    def on_record_production(self) -> None:
        unit = self.selected()
        if unit is not None:
            self.record_production(unit.id)

    def record_production(self, finished_unit_id: int) -> RecordProductionDialog:
        """Open the window's Record Production dialog; the list reloads when it closes."""
        return self.refresh_after(main_window(self).open_record_production(finished_unit_id))

    def on_adjust(self) -> None:
        adjust_selected_stock(self, finished_unit_service.adjust_inventory)


class FinishedUnitDetail(DetailPanel):
    """The selected finished unit: recipe and yield, stock, costs, Record Production, Adjust."""

    hint = "Select a finished unit to see its stock and cost, and to record production."
    tab: FinishedUnitsTab

    def build(self) -> None:
        self.stock_label = self.add_label(font=ctk.CTkFont(size=15, weight="bold"))
        self.unit_cost_label = self.add_label()
        self.estimate_label = self.add_label()
        self.estimate_note = self.add_label(text_color=MUTED_TEXT, font=ctk.CTkFont(size=12))
        buttons = self.add_row(ctk.CTkFrame(self.content, fg_color="transparent"), pady=(12, 2))
        self.record_button = small_button(
            buttons, "Record production…", self.tab.on_record_production, width=150
        )
        self.adjust_button = small_button(buttons, "Adjust stock…", self.tab.on_adjust, width=120)

    def fill(self, item: FinishedUnitDTO) -> None:
        self.title_label.configure(text=item.display_name)
        self.facts_label.configure(text=facts_text(item))
        unit_word = item.item_unit or "item"
        # the item noun in the right number: "In stock: 0 cookies", "1 cookie"
        stock = forms.format_count(item.inventory_count, unit_word)
        self.stock_label.configure(text=f"In stock: {stock}")
        if item.inventory_count > 0:
            text = f"Next unit out costs {forms.format_unit_cost(item.unit_cost)} (oldest first)."
        else:
            text = "No stock yet: record production to make some."
        self.unit_cost_label.configure(
            text=text, text_color=ACCENT_TEXT if item.inventory_count else NOTICE_TEXT
        )
        self.estimate_label.configure(
            text=f"Estimated cost per {unit_word}: {forms.format_unit_cost(item.estimated_cost)}"
        )
        self.estimate_note.configure(text=f"From the current cost of {item.recipe_name}.")


def facts_text(unit: FinishedUnitDTO) -> str:
    """ "Made by Sugar Cookies · 48 per batch · Cookies" and the notes below."""
    parts = [f"Made by {unit.recipe_name}", yield_text(unit)]
    if unit.category:
        parts.append(unit.category)
    lines = [" · ".join(parts)]
    if unit.notes:
        lines.append(unit.notes)
    return "\n".join(lines)


# --- dialogs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FinishedUnitInput:
    """What the finished unit form says, in ``finished_unit_service``'s field names: items per
    batch for counted items, the batch percentage for portions (the other one None)."""

    display_name: str
    recipe_id: int
    yield_mode: YieldMode
    items_per_batch: int | None
    batch_percentage: Decimal | None
    item_unit: str | None
    category: str | None


@dataclass(frozen=True)
class StockChange:
    """What the adjust-stock form says: a signed change, its reason, a unit cost when adding."""

    delta: int
    reason: str
    unit_cost: Decimal | None
    notes: str | None


class FinishedUnitDialog(FormDialog):
    """Add or edit a finished unit: name, recipe, how a batch yields it, item unit, category."""

    min_width = 520

    def __init__(
        self,
        parent: tk.Misc,
        *,
        unit: FinishedUnitDTO | None = None,
        show: bool = True,
        on_done: Callable[[FinishedUnitDTO], None] | None = None,
    ) -> None:
        self.unit = unit
        self.recipes: dict[str, RecipeDTO] = {r.name: r for r in recipe_service.list_recipes()}
        self.categories = recipe_service.list_categories()
        title = "Add finished unit" if unit is None else f"Edit {unit.display_name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        if not self.recipes:
            self.add_notice(
                "A finished unit is made by a recipe, and there are none yet. Add one on "
                "the Recipes tab (“Add recipe”) first."
            )
            return
        self.name_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. Sugar cookie"
        )
        self.add_field("Name", self.name_entry)
        self.recipe_menu = ctk.CTkOptionMenu(
            body,
            width=FIELD_WIDTH,
            values=list(self.recipes),
            command=self.choose_recipe,
            dynamic_resizing=False,
        )
        self.add_field("Recipe", self.recipe_menu, sticky="w")
        self.mode_var = tk.StringVar(self, value=MODE_LABELS[YieldMode.DISCRETE_COUNT])
        self.mode_buttons = ctk.CTkSegmentedButton(
            body, values=list(MODE_LABELS.values()), variable=self.mode_var
        )
        self.add_field("A batch makes", self.mode_buttons, sticky="w")
        self.items_entry = ctk.CTkEntry(body, width=90, placeholder_text="48")
        self.add_field("Items per batch", self.items_entry, sticky="w")
        self.recipe_yield_hint = self.add_hint("")
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.percentage_entry = ctk.CTkEntry(row, width=90, placeholder_text="25")
        self.percentage_entry.pack(side="left")
        ctk.CTkLabel(row, text="% of a batch each").pack(side="left", padx=(6, 0))
        self.add_field(
            "Portion", row, sticky="w", hint="For a cake cut in four, each piece is 25%."
        )
        self.item_unit_box = ctk.CTkComboBox(body, width=150, values=list(ITEM_UNITS))
        self.add_field("Counted as", self.item_unit_box, sticky="w")
        # Both follow the chosen recipe until the user types their own (issue 17 item 1).
        self.items_default = DerivedDefault(self.items_entry)
        self.item_unit_default = DerivedDefault(self.item_unit_box)
        self.category_box = ctk.CTkComboBox(body, width=FIELD_WIDTH, values=self.categories)
        self.add_field("Category", self.category_box, hint="Optional.")
        self.mode_var.trace_add("write", lambda *_: self._show_mode())

    def ready(self) -> None:
        if not self.recipes:
            self.ok_button.configure(state="disabled")
            return
        self.item_unit_box.set("")
        self.category_box.set("")
        unit = self.unit
        if unit is None:
            self.choose_recipe(next(iter(self.recipes)))
        else:
            self._fill(unit)
        self._show_mode()

    def _fill(self, unit: FinishedUnitDTO) -> None:
        self.name_entry.insert(0, unit.display_name)
        self.recipe_menu.set(unit.recipe_name)
        self._show_recipe_yield(unit.recipe_name)
        self.mode_var.set(MODE_LABELS.get(unit.yield_mode, self.mode_var.get()))
        if unit.items_per_batch is not None:
            self.items_default.keep(str(unit.items_per_batch))
        if unit.batch_percentage is not None:
            self.percentage_entry.insert(0, forms.format_number(unit.batch_percentage))
        self.item_unit_default.keep(unit.item_unit or "")
        self.category_box.set(unit.category or "")

    def choose_recipe(self, name: str) -> None:
        """Pick the recipe (the menu's command). Items per batch and "Counted as" follow the
        recipe's yield until the user types their own; a saved unit's values are its own."""
        self.recipe_menu.set(name)
        recipe = self.recipes.get(name)
        if recipe is None:  # the menu offers only these names; kept as a guard
            return
        self.items_default.suggest(forms.format_number(recipe.yield_quantity))
        self.item_unit_default.suggest(recipe.yield_unit)
        self._show_recipe_yield(name)

    def _show_recipe_yield(self, name: str) -> None:
        """Say under the field what the recipe makes, so a different figure is a choice."""
        recipe = self.recipes.get(name)
        if recipe is not None:
            made = forms.format_count(recipe.yield_quantity, recipe.yield_unit)
            self.recipe_yield_hint.configure(text=f"{recipe.name} makes {made} a batch.")

    def set_mode(self, mode: str) -> None:
        """Choose a ``YieldMode`` by its value (what clicking the buttons does)."""
        self.mode_var.set(MODE_LABELS[mode])

    def mode(self) -> YieldMode:
        labels = {label: mode for mode, label in MODE_LABELS.items()}
        return labels[self.mode_var.get()]

    def _show_mode(self) -> None:
        portion = self.mode() == YieldMode.BATCH_PORTION
        self.items_entry.configure(state="disabled" if portion else "normal")
        self.percentage_entry.configure(state="normal" if portion else "disabled")

    def focus_first(self) -> None:
        if self.recipes:
            self.name_entry.focus_set()

    def validate(self) -> FinishedUnitInput:
        if not self.recipes:
            raise forms.FieldError("Add a recipe first.")
        name = self.check(self.name_entry, forms.parse_text, "Name")
        recipe_id, mode = self.recipes[self.recipe_menu.get()].id, self.mode()
        items, percentage = self._yield(mode)
        return FinishedUnitInput(
            display_name=name,
            recipe_id=recipe_id,
            yield_mode=mode,
            items_per_batch=items,
            batch_percentage=percentage,
            item_unit=self.check(
                self.item_unit_box, forms.parse_text, "Counted as", required=False, max_length=50
            ),
            category=self.check(
                self.category_box, forms.parse_text, "Category", required=False, max_length=100
            ),
        )

    def _yield(self, mode: YieldMode) -> tuple[int | None, Decimal | None]:
        """(items per batch, batch percentage): the one the mode uses, the other None."""
        if mode == YieldMode.BATCH_PORTION:
            percentage = self.check(
                self.percentage_entry,
                forms.parse_decimal_text,
                "Portion",
                allow_zero=False,
                places=2,
            )
            return None, percentage
        items = self.check(self.items_entry, forms.parse_int_text, "Items per batch", minimum=1)
        return items, None

    def apply(self, values: FinishedUnitInput) -> FinishedUnitDTO:
        if self.unit is None:
            return finished_unit_service.create_finished_unit(
                values.display_name,
                values.recipe_id,
                **fields_of(values, without=("display_name", "recipe_id")),
            )
        return finished_unit_service.update_finished_unit(self.unit.id, **fields_of(values))


def adjust_selected_stock(tab: ListTab, adjust_inventory: Callable[..., Any]) -> None:
    """Open ``AdjustStockDialog`` for the tab's selected finished unit or good;
    ``adjust_inventory(id, delta, **kw)`` is its service's call."""
    item = tab.selected()
    if item is None:
        return
    tab.active_dialog = AdjustStockDialog(
        tab,
        name=item.display_name,
        in_stock=item.inventory_count,
        adjust=lambda delta, **kw: adjust_inventory(item.id, delta, **kw),
        show=tab.show_dialogs,
        on_done=lambda saved: tab.changed(
            f"Adjusted {saved.display_name}: {saved.inventory_count} in stock."
        ),
    )


class AdjustStockDialog(ReasonAndNotes, FormDialog):
    """Correct the stock of a finished unit or good: a signed change, a reason, a cost when adding.

    ``adjust(delta, reason=, unit_cost=, notes=)`` is the service call (the tab binds the id).
    """

    ok_text = "Apply"

    def __init__(
        self,
        parent: tk.Misc,
        *,
        name: str,
        in_stock: int,
        adjust: Callable[..., Any],
        show: bool = True,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        self.name, self.in_stock, self.adjust = name, in_stock, adjust
        super().__init__(parent, title=f"Adjust stock of {name}", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(self.name)
        self.add_note(f"In stock: {self.in_stock}")
        self.change_entry = ctk.CTkEntry(body, width=110, placeholder_text="e.g. -2")
        self.add_field(
            "Change",
            self.change_entry,
            sticky="w",
            hint="Negative takes away (−2), positive adds (3).",
        )
        row = ctk.CTkFrame(body, fg_color="transparent")
        ctk.CTkLabel(row, text="$").pack(side="left", padx=(0, 4))
        self.cost_entry = ctk.CTkEntry(row, width=100, placeholder_text="0.25")
        self.cost_entry.pack(side="left")
        self.add_field("Unit cost", row, sticky="w", hint="Needed when adding: what each one cost.")
        self.add_reason_and_notes(body)

    def focus_first(self) -> None:
        self.change_entry.focus_set()

    def validate(self) -> StockChange:
        change = self.check(
            self.change_entry, forms.parse_int_text, "Change", minimum=-int(forms.MAX_NUMBER)
        )
        if change == 0:
            self.mark_invalid(self.change_entry)
            raise forms.FieldError("Change cannot be 0.")
        cost = self.check(self.cost_entry, forms.parse_money_text, "Unit cost", required=False)
        if change > 0 and cost is None:
            self.mark_invalid(self.cost_entry)
            raise forms.FieldError("Unit cost is needed when adding stock (what each one cost).")
        reason, notes = self.read_reason_and_notes()
        return StockChange(delta=change, reason=reason, unit_cost=cost, notes=notes)

    def refusal(self, values: StockChange) -> str | None:
        """Stock cannot go below zero: said before the confirmation (the service checks too)."""
        if self.in_stock + values.delta >= 0:
            return None
        self.mark_invalid(self.change_entry)
        return (
            f"Only {self.in_stock} in stock, so the stock cannot go down by {-values.delta}. "
            f"To take it all, enter -{self.in_stock}."
        )

    def confirm(self, values: StockChange) -> bool:
        sign = "+" if values.delta > 0 else ""
        return self.ask_confirm(
            f"Change the stock of {self.name} by {sign}{values.delta} "
            f"({forms.reason_label(values.reason).lower()})?"
        )

    def apply(self, values: StockChange) -> Any:
        return self.adjust(
            values.delta, reason=values.reason, unit_cost=values.unit_cost, notes=values.notes
        )
