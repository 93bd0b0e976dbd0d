"""The Finished Goods tab and its dialogs: assemblies of finished units, nested goods and packaging.

The tab lists finished goods (search as you type) with their stock, the FIFO cost of the next unit
out, the estimated cost and the number of components; the panel on the right shows the selected
good's composition with each line's current cost and how many could be assembled now, all from
``finished_good_service.get_finished_good_detail``. ``ComponentDialog`` (shared with the Packages
tab) picks a finished unit, a finished good or a packaging product and a quantity; the circle and
packaging rules are the service's.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.services import (
    catalog_service,
    finished_good_service,
    finished_unit_service,
)
from bake_tracker.services.dto import (
    AssemblyType,
    ComponentType,
    CompositionDTO,
    FinishedGoodDetail,
    FinishedGoodDTO,
)
from bake_tracker.ui import forms
from bake_tracker.ui.component_kinds import COMPONENT_LABELS, COMPONENT_TAGS
from bake_tracker.ui.finished_units_tab import adjust_selected_stock, stock_cost_text
from bake_tracker.ui.kit.buttons import set_enabled, small_button
from bake_tracker.ui.kit.detail_panel import DetailPanel
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog, QuantityDialog, fields_of
from bake_tracker.ui.kit.list_tab import ListTab
from bake_tracker.ui.kit.table import Column, Row
from bake_tracker.ui.kit.theme import ACCENT_TEXT, MUTED_TEXT, NOTICE_TEXT
from bake_tracker.ui.shell import main_window

if TYPE_CHECKING:
    from bake_tracker.ui.record.assembly import RecordAssemblyDialog

GOOD_COLUMNS = (
    Column("name", "Name", 200),
    Column("type", "Type", 120),
    Column("stock", "In stock", 80, "e"),
    Column("unit_cost", "Unit cost", 90, "e"),
    Column("estimate", "Est. cost each", 120, "e"),
    Column("components", "Components", 100, "e"),
)
COMPOSITION_COLUMNS = (
    Column("tag", "Type", 52, "center", stretch=False),
    Column("name", "Component", 200),
    Column("quantity", "Quantity", 100, "e"),
    Column("unit_cost", "Unit cost", 90, "e"),
    Column("line_cost", "Line cost", 90, "e"),
)
KIND_EMPTY = {
    ComponentType.FINISHED_UNIT: "There are no finished units yet. Add them on the "
    "Finished Units tab.",
    ComponentType.FINISHED_GOOD: "There is no other finished good to put inside.",
    ComponentType.PACKAGING: "There is no packaging yet. On the Ingredients tab add an "
    "ingredient marked Packaging (bags, boxes, ribbon) and a product of it.",
}
TYPE_LABELS = {t: forms.choice_label(t.value) for t in AssemblyType}
EMPTY_GOODS = "No finished goods yet. Click “Add finished good” to start."
NO_MATCH = "No finished goods match this search."
DETAIL_WIDTH = 600


# --- rows -----------------------------------------------------------------------------------------


def good_row(good: FinishedGoodDTO) -> Row:
    values = (
        good.display_name,
        TYPE_LABELS.get(good.assembly_type, good.assembly_type),
        good.inventory_count,
        stock_cost_text(good.inventory_count, good.unit_cost),
        forms.format_unit_cost(good.estimated_cost),
        good.component_count,
    )
    return str(good.id), values, ("empty",) if good.inventory_count == 0 else ()


def composition_row(component: CompositionDTO) -> Row:
    values = (
        COMPONENT_TAGS.get(component.component_type, ""),
        component.component_name,
        forms.format_count(component.quantity, component.unit),  # "12 cookies", "2 lb"
        forms.format_unit_cost(component.unit_cost),
        forms.format_money(component.line_cost),  # an amount: cents
    )
    return str(component.id), values, ()


# --- the tab --------------------------------------------------------------------------------------


class FinishedGoodsTab(ListTab):
    """Finished goods on the left; the selected one's composition, costs and assembly beside."""

    columns = GOOD_COLUMNS
    empty_text = EMPTY_GOODS
    no_match_text = NO_MATCH
    add_text = "Add finished good"
    name_field = "display_name"
    item_word = "finished good"
    detail_width = DETAIL_WIDTH

    def load(self, search: str | None) -> list[FinishedGoodDTO]:
        return finished_good_service.list_finished_goods(search=search)

    def row(self, item: FinishedGoodDTO) -> Row:
        return good_row(item)

    def make_detail(self) -> FinishedGoodPanel:
        return FinishedGoodPanel(self)

    def open_form(self, item: FinishedGoodDTO | None) -> FinishedGoodDialog:
        return FinishedGoodDialog(self, good=item, show=self.show_dialogs, on_done=self.form_saved)

    def delete_refusal(self, item: FinishedGoodDTO) -> str | None:
        return finished_good_service.check_delete_finished_good(item.id)

    def delete_item(self, item: FinishedGoodDTO) -> None:
        finished_good_service.delete_finished_good(item.id)

    def on_record_assembly(self) -> None:
        good = self.selected()
        if good is not None:
            self.record_assembly(good.id)

    def record_assembly(self, finished_good_id: int) -> RecordAssemblyDialog:
        """Open the window's Record Assembly dialog; the list reloads when it closes."""
        return self.refresh_after(main_window(self).open_record_assembly(finished_good_id))

    def on_adjust(self) -> None:
        adjust_selected_stock(self, finished_good_service.adjust_inventory)


class FinishedGoodPanel(DetailPanel):
    """The selected good: stock and costs, what it is made of, Record Assembly and Adjust."""

    hint = "Select a finished good to see what it is made of and what it costs."
    tab: FinishedGoodsTab
    detail: FinishedGoodDetail | None

    def build(self) -> None:
        self.stock_label = self.add_label(font=ctk.CTkFont(size=15, weight="bold"))
        self.cost_label = self.add_label()
        self.can_label = self.add_label(text_color=ACCENT_TEXT)
        (self.components_table, self.add_button, self.edit_button, self.remove_button) = (
            self.add_edit_table(
                "Made of",
                COMPOSITION_COLUMNS,
                empty_text="No components yet. Click “Add component” to add cookies and a bag.",
                height=4,
                weight=1,
                add=("Add component", self.on_add_component, 120),
                edit=("Edit quantity", self.on_edit_component, 100),
                remove=self.on_remove_component,
            )
        )
        row = self.add_row(ctk.CTkFrame(self.content, fg_color="transparent"), pady=(10, 2))
        self.record_button = small_button(
            row, "Record assembly…", self.tab.on_record_assembly, width=150
        )
        self.adjust_button = small_button(row, "Adjust stock…", self.tab.on_adjust, width=120)
        self.record_hint = self.add_label(text_color=MUTED_TEXT, font=ctk.CTkFont(size=12))
        self.add_row(ctk.CTkFrame(self.content, fg_color="transparent", height=8))

    def fill(self, item: FinishedGoodDTO) -> None:
        self.detail = detail = self.read_detail(
            lambda: finished_good_service.get_finished_good_detail(item.id)
        )
        if detail is None:
            return
        good = detail.finished_good
        self.title_label.configure(text=good.display_name)
        self.facts_label.configure(text=facts_text(good))
        next_cost = stock_cost_text(good.inventory_count, good.unit_cost)
        stock = f"In stock: {good.inventory_count}"
        if good.inventory_count:
            stock += f" · next unit out {next_cost}"
        self.stock_label.configure(text=stock)
        self.cost_label.configure(
            text=f"Estimated cost: {forms.format_unit_cost(good.estimated_cost)} each, "
            "from its components' current costs"
        )
        self.can_label.configure(
            text=f"Can assemble now: {detail.can_assemble_now}",
            text_color=ACCENT_TEXT if detail.can_assemble_now else NOTICE_TEXT,
        )
        self.components_table.set_rows([composition_row(c) for c in detail.components])
        has_components = bool(detail.components)
        set_enabled((self.record_button,), has_components)
        self.record_hint.configure(
            text="" if has_components else "Add components before recording an assembly."
        )
        self.update_buttons()

    def selected_component(self) -> CompositionDTO | None:
        iid = self.components_table.selected_id()
        components = self.detail.components if self.detail else ()
        return next((c for c in components if str(c.id) == iid), None)

    # --- component commands -------------------------------------------------------------------

    def on_add_component(self) -> None:
        if self.detail is None:
            return
        good = self.detail.finished_good
        self.tab.active_dialog = ComponentDialog(
            self.tab,
            title=f"Add a component to {good.display_name}",
            kinds=tuple(COMPONENT_LABELS),
            exclude_good_id=good.id,
            apply=lambda kind, item_id, quantity: finished_good_service.add_component(
                good.id, kind, item_id, quantity
            ),
            show=self.tab.show_dialogs,
            on_done=lambda row: self.tab.changed(
                f"Added {row.component_name} to “{good.display_name}”."
            ),
        )

    def on_edit_component(self) -> None:
        component = self.selected_component()
        if component is None or self.detail is None:
            return
        name = self.detail.finished_good.display_name
        self.tab.active_dialog = edit_quantity_dialog(
            self.tab,
            component,
            name,
            lambda saved: self.tab.changed(
                f"“{name}” now takes {forms.format_quantity(saved.quantity, saved.unit)} "
                f"of {saved.component_name}."
            ),
        )

    def on_remove_component(self) -> None:
        component = self.selected_component()
        if component is None or self.detail is None:
            return
        self.confirm_remove(
            "component",
            component.component_name,
            self.detail.finished_good.display_name,
            lambda: finished_good_service.remove_component(component.id),
        )


def facts_text(good: FinishedGoodDTO) -> str:
    """ "Gift box" and the packaging instructions and notes below."""
    lines = [TYPE_LABELS.get(good.assembly_type, good.assembly_type)]
    if good.packaging_instructions:
        lines.append(f"Packing: {good.packaging_instructions}")
    if good.notes:
        lines.append(good.notes)
    return "\n".join(lines)


def edit_quantity_dialog(
    parent: ListTab, component: CompositionDTO, owner: str, on_done: Callable[[Any], None]
) -> QuantityDialog:
    """Change how much of one composition row a good or package takes."""
    return QuantityDialog(
        parent,
        title=f"Quantity of {component.component_name}",
        heading=f"{component.component_name} in {owner}",
        label="Quantity",
        unit=component.unit,
        initial=component.quantity,
        whole=component.component_type != ComponentType.PACKAGING,
        apply=lambda quantity: finished_good_service.update_component_quantity(
            component.id, quantity
        ),
        show=parent.show_dialogs,
        on_done=on_done,
    )


# --- dialogs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FinishedGoodInput:
    """What the finished good form says, in ``finished_good_service``'s field names."""

    display_name: str
    assembly_type: AssemblyType
    packaging_instructions: str | None
    notes: str | None


class FinishedGoodDialog(FormDialog):
    """Add or edit a finished good: name, type, packing instructions, notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        good: FinishedGoodDTO | None = None,
        show: bool = True,
        on_done: Callable[[FinishedGoodDTO], None] | None = None,
    ) -> None:
        self.good = good
        title = "Add finished good" if good is None else f"Edit {good.display_name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.name_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. Cookie gift bag"
        )
        self.add_field("Name", self.name_entry)
        self.type_menu = ctk.CTkOptionMenu(
            body, width=200, values=list(TYPE_LABELS.values()), dynamic_resizing=False
        )
        self.type_menu.set(TYPE_LABELS[AssemblyType.CUSTOM_ORDER])
        self.add_field("Type", self.type_menu, sticky="w")
        self.packing_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="Optional, e.g. tie with a red bow"
        )
        self.add_field("Packing", self.packing_entry)
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Notes", self.notes_entry)
        good = self.good
        if good is not None:
            self.name_entry.insert(0, good.display_name)
            self.type_menu.set(TYPE_LABELS.get(good.assembly_type, good.assembly_type))
            for entry, text in (
                (self.packing_entry, good.packaging_instructions),
                (self.notes_entry, good.notes),
            ):
                if text:
                    entry.insert(0, text)

    def focus_first(self) -> None:
        self.name_entry.focus_set()

    def validate(self) -> FinishedGoodInput:
        types = {label: value for value, label in TYPE_LABELS.items()}
        return FinishedGoodInput(
            display_name=self.check(self.name_entry, forms.parse_text, "Name"),
            assembly_type=types[self.type_menu.get()],
            packaging_instructions=forms.parse_notes_text(self.packing_entry.get(), "Packing"),
            notes=forms.parse_notes_text(self.notes_entry.get()),
        )

    def apply(self, values: FinishedGoodInput) -> FinishedGoodDTO:
        if self.good is None:
            return finished_good_service.create_finished_good(
                values.display_name, **fields_of(values, without=("display_name",))
            )
        return finished_good_service.update_finished_good(self.good.id, **fields_of(values))


@dataclass(frozen=True)
class ComponentInput:
    """What the component form says: the kind, the item (a finished unit or good, or a packaging
    product) and how much of it (whole for finished items, up to three places for packaging)."""

    kind: ComponentType
    item_id: int
    quantity: int | Decimal


@dataclass(frozen=True)
class Choice:
    """One item a component picker offers: its id and the unit its quantity is counted in."""

    item_id: int
    unit: str


def component_choices(kind: ComponentType, exclude_good_id: int | None = None) -> dict[str, Choice]:
    """What the picker offers for a kind; packaging = products of ingredients marked packaging."""
    if kind == ComponentType.FINISHED_UNIT:
        found = finished_unit_service.list_finished_units()
        return {u.display_name: Choice(u.id, u.item_unit or "each") for u in found}
    if kind == ComponentType.FINISHED_GOOD:
        found = finished_good_service.list_finished_goods()
        return {g.display_name: Choice(g.id, "each") for g in found if g.id != exclude_good_id}
    choices: dict[str, Choice] = {}
    for ingredient in catalog_service.list_ingredients(is_packaging=True):
        for product in catalog_service.list_products(ingredient.slug):
            label = product.display_name
            if ingredient.display_name.lower() not in label.lower():
                label = f"{ingredient.display_name} — {label}"
            if label in choices:
                label = f"{label} (#{product.id})"
            choices[label] = Choice(product.id, ingredient.recipe_unit)
    return choices


class ComponentDialog(FormDialog):
    """Pick a component (finished unit, finished good or packaging product) and a quantity.

    ``kinds`` are the component types offered (a selector shows when there are several);
    ``apply(kind, item_id, quantity)`` is the service call.
    """

    ok_text = "Add"
    min_width = 540

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        kinds: Sequence[ComponentType],
        apply: Callable[[str, int, Any], Any],
        exclude_good_id: int | None = None,
        show: bool = True,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        self.kinds, self._apply, self.exclude_good_id = tuple(kinds), apply, exclude_good_id
        self.choices: dict[str, Choice] = {}
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.kind_var = tk.StringVar(self, value=COMPONENT_LABELS[self.kinds[0]])
        self.kind_buttons = ctk.CTkSegmentedButton(
            body, values=[COMPONENT_LABELS[k] for k in self.kinds], variable=self.kind_var
        )
        if len(self.kinds) > 1:
            self.add_field("Type", self.kind_buttons, sticky="w")
        self.item_menu = ctk.CTkOptionMenu(
            body, width=FIELD_WIDTH + 60, values=[""], dynamic_resizing=False
        )
        self.add_field("Item", self.item_menu, sticky="w")
        self.item_menu.configure(command=lambda _label: self._show_unit())
        self.notice_label = self.add_notice(pady=(2, 0))
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.quantity_entry = ctk.CTkEntry(row, width=90)
        self.quantity_entry.insert(0, "1")
        self.quantity_entry.pack(side="left")
        self.unit_label = ctk.CTkLabel(row, text="", text_color=MUTED_TEXT)
        self.unit_label.pack(side="left", padx=(8, 0))
        self.add_field("Quantity", row, sticky="w")
        self.quantity_hint = self.add_hint("")
        self.kind_var.trace_add("write", lambda *_: self.choose_kind(self.kind()))

    def ready(self) -> None:
        self.choose_kind(self.kinds[0])

    def kind(self) -> ComponentType:
        labels = {label: kind for kind, label in COMPONENT_LABELS.items()}
        return labels[self.kind_var.get()]

    def choose_kind(self, kind: ComponentType) -> None:
        """Offer the items of this kind (what clicking the type selector does)."""
        if self.kind_var.get() != COMPONENT_LABELS[kind]:
            self.kind_var.set(COMPONENT_LABELS[kind])  # calls back here through the trace
            return
        self.choices = component_choices(kind, self.exclude_good_id)
        labels = list(self.choices) or ["(none)"]
        self.item_menu.configure(values=labels)
        self.item_menu.set(labels[0])
        self.notice_label.configure(text="" if self.choices else KIND_EMPTY[kind])
        if self.choices:
            self.notice_label.grid_remove()
        else:
            self.notice_label.grid()
        self.ok_button.configure(state="normal" if self.choices else "disabled")
        whole = kind != ComponentType.PACKAGING
        self.quantity_hint.configure(
            text="A whole number." if whole else "In the packaging's unit; 0.5 is fine."
        )
        self._show_unit()

    def select_item(self, label: str) -> None:
        self.item_menu.set(label)
        self._show_unit()

    def _show_unit(self) -> None:
        choice = self.choices.get(self.item_menu.get())
        self.unit_label.configure(text=choice.unit if choice else "")

    def focus_first(self) -> None:
        self.quantity_entry.focus_set()

    def validate(self) -> ComponentInput:
        choice = self.choices.get(self.item_menu.get())
        if choice is None:
            raise forms.FieldError("Choose an item.")
        kind = self.kind()
        if kind == ComponentType.PACKAGING:
            quantity = self.check(
                self.quantity_entry, forms.parse_decimal_text, "Quantity", allow_zero=False
            )
        else:
            quantity = self.check(self.quantity_entry, forms.parse_int_text, "Quantity", minimum=1)
        return ComponentInput(kind=kind, item_id=choice.item_id, quantity=quantity)

    def apply(self, values: ComponentInput) -> Any:
        return self._apply(values.kind, values.item_id, values.quantity)
