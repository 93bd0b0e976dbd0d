"""The Packages tab and its dialog: what a recipient gets, its finished goods and packaging.

The tab lists packages (templates marked ✓) with their item count and estimated cost; the panel on
the right shows the selected package's finished goods and package-level packaging (a gift box,
tissue paper) with each line's current cost, from ``package_service.get_package_detail``. Items
are added with the Finished Goods tab's ``ComponentDialog``; quantities change in a
``QuantityDialog``. A package assigned to recipients cannot be deleted: the service says why.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass

import customtkinter as ctk

from bake_tracker.services import finished_good_service, package_service
from bake_tracker.services.dto import (
    ComponentType,
    CompositionDTO,
    PackageDetail,
    PackageDTO,
    PackageItemDTO,
)
from bake_tracker.ui import forms
from bake_tracker.ui.finished_goods_tab import ComponentDialog, edit_quantity_dialog
from bake_tracker.ui.kit.detail_panel import DetailPanel
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog, QuantityDialog, fields_of
from bake_tracker.ui.kit.list_tab import ListTab
from bake_tracker.ui.kit.table import Column, Row

PACKAGE_COLUMNS = (
    Column("name", "Name", 240),
    Column("template", "Template", 90, "center"),
    Column("items", "Items", 80, "e"),
    Column("estimate", "Estimated cost", 130, "e"),
)
ITEM_COLUMNS = (
    Column("name", "Finished good", 220),
    Column("quantity", "Qty", 60, "e"),
    Column("unit_cost", "Unit cost", 90, "e"),
    Column("line_cost", "Line cost", 90, "e"),
)
PACKAGING_COLUMNS = (
    Column("name", "Packaging", 220),
    Column("quantity", "Quantity", 90, "e"),
    Column("unit_cost", "Unit cost", 90, "e"),
    Column("line_cost", "Line cost", 90, "e"),
)
EMPTY_PACKAGES = "No packages yet. Click “Add package” to start."
NO_MATCH = "No packages match this search."
DETAIL_WIDTH = 600


def package_row(package: PackageDTO) -> Row:
    values = (
        package.name,
        "✓" if package.is_template else "",
        package.item_count,
        forms.format_money(package.estimated_cost),
    )
    return str(package.id), values, ()


def item_row(item: PackageItemDTO) -> Row:
    values = (
        item.finished_good_name,
        item.quantity,
        forms.format_unit_cost(item.unit_cost),
        forms.format_money(item.line_cost),  # an amount: cents
    )
    return str(item.id), values, ()


def packaging_row(row: CompositionDTO) -> Row:
    values = (
        row.component_name,
        forms.format_quantity(row.quantity, row.unit),
        forms.format_unit_cost(row.unit_cost),
        forms.format_money(row.line_cost),
    )
    return str(row.id), values, ()


def matches(search: str | None, *texts: str | None) -> bool:
    """Whether any text contains the search words (case-insensitive); True without a search."""
    return search is None or any(search.lower() in (text or "").lower() for text in texts)


class PackagesTab(ListTab):
    """Packages on the left; the selected one's finished goods and packaging on the right."""

    columns = PACKAGE_COLUMNS
    empty_text = EMPTY_PACKAGES
    no_match_text = NO_MATCH
    add_text = "Add package"
    item_word = "package"
    detail_width = DETAIL_WIDTH

    def load(self, search: str | None) -> list[PackageDTO]:
        return [
            package
            for package in package_service.list_packages()
            if matches(search, package.name, package.description)
        ]

    def row(self, item: PackageDTO) -> Row:
        return package_row(item)

    def make_detail(self) -> PackagePanel:
        return PackagePanel(self)

    def open_form(self, item: PackageDTO | None) -> PackageDialog:
        return PackageDialog(self, package=item, show=self.show_dialogs, on_done=self.form_saved)

    def delete_refusal(self, item: PackageDTO) -> str | None:
        return package_service.check_delete_package(item.id)

    def delete_item(self, item: PackageDTO) -> None:
        package_service.delete_package(item.id)


class PackagePanel(DetailPanel):
    """The selected package: description, estimated cost, finished goods and packaging."""

    hint = "Select a package to see what is in it and what it costs."
    tab: PackagesTab
    detail: PackageDetail | None

    def build(self) -> None:
        self.cost_label = self.add_label(font=ctk.CTkFont(size=15, weight="bold"))
        (self.items_table, self.add_item_button, self.edit_item_button, self.remove_item_button) = (
            self.add_edit_table(
                "Finished goods",
                ITEM_COLUMNS,
                empty_text="No finished goods yet. Click “Add good”.",
                height=4,
                weight=3,
                add=("Add good", self.on_add_item, 90),
                edit=("Edit quantity", self.on_edit_item, 100),
                remove=self.on_remove_item,
            )
        )
        (
            self.packaging_table,
            self.add_packaging_button,
            self.edit_packaging_button,
            self.remove_packaging_button,
        ) = self.add_edit_table(
            "Package packaging",
            PACKAGING_COLUMNS,
            empty_text="No packaging for the package itself (a box, tissue paper).",
            height=2,
            weight=2,
            add=("Add packaging", self.on_add_packaging, 110),
            edit=("Edit quantity", self.on_edit_packaging, 100),
            remove=self.on_remove_packaging,
        )
        self.add_row(ctk.CTkFrame(self.content, fg_color="transparent", height=8))

    def fill(self, item: PackageDTO) -> None:
        self.detail = detail = self.read_detail(lambda: package_service.get_package_detail(item.id))
        if detail is None:
            return
        package = detail.package
        self.title_label.configure(text=package.name)
        self.facts_label.configure(text=facts_text(package))
        self.cost_label.configure(
            text=f"Estimated cost {forms.format_money(package.estimated_cost)} · "
            f"{forms.plural(package.item_count, 'item')}"
        )
        self.items_table.set_rows([item_row(line) for line in detail.items])
        self.packaging_table.set_rows([packaging_row(row) for row in detail.packaging])
        self.update_buttons()

    def selected_item(self) -> PackageItemDTO | None:
        iid = self.items_table.selected_id()
        return (
            next((i for i in self.detail.items if str(i.id) == iid), None) if self.detail else None
        )

    def selected_packaging(self) -> CompositionDTO | None:
        iid = self.packaging_table.selected_id()
        rows = self.detail.packaging if self.detail else ()
        return next((row for row in rows if str(row.id) == iid), None)

    def package_name(self) -> str:
        return self.detail.package.name if self.detail else ""

    # --- finished goods -----------------------------------------------------------------------

    def on_add_item(self) -> None:
        if self.detail is None:
            return
        package_id, name = self.detail.package.id, self.package_name()
        self.tab.active_dialog = ComponentDialog(
            self.tab,
            title=f"Add a finished good to {name}",
            kinds=(ComponentType.FINISHED_GOOD,),
            apply=lambda _kind, good_id, quantity: package_service.add_finished_good_to_package(
                package_id, good_id, quantity
            ),
            show=self.tab.show_dialogs,
            on_done=lambda line: self.tab.changed(
                f"Added {line.quantity} × {line.finished_good_name} to “{name}”."
            ),
        )

    def on_edit_item(self) -> None:
        line, name = self.selected_item(), self.package_name()
        if line is None:
            return
        self.tab.active_dialog = QuantityDialog(
            self.tab,
            title=f"Quantity of {line.finished_good_name}",
            heading=f"{line.finished_good_name} in {name}",
            label="Quantity",
            unit="each",
            initial=line.quantity,
            whole=True,
            apply=lambda quantity: package_service.update_finished_good_quantity(line.id, quantity),
            show=self.tab.show_dialogs,
            on_done=lambda saved: self.tab.changed(
                f"“{name}” now holds {saved.quantity} × {saved.finished_good_name}."
            ),
        )

    def on_remove_item(self) -> None:
        line = self.selected_item()
        if line is not None:
            self.confirm_remove(
                "finished good",
                line.finished_good_name,
                self.package_name(),
                lambda: package_service.remove_finished_good_from_package(line.id),
            )

    # --- packaging ----------------------------------------------------------------------------

    def on_add_packaging(self) -> None:
        if self.detail is None:
            return
        package_id, name = self.detail.package.id, self.package_name()
        self.tab.active_dialog = ComponentDialog(
            self.tab,
            title=f"Add packaging to {name}",
            kinds=(ComponentType.PACKAGING,),
            apply=lambda _kind, product_id, quantity: package_service.add_packaging_to_package(
                package_id, product_id, quantity
            ),
            show=self.tab.show_dialogs,
            on_done=lambda row: self.tab.changed(f"Added {row.component_name} to “{name}”."),
        )

    def on_edit_packaging(self) -> None:
        row, name = self.selected_packaging(), self.package_name()
        if row is not None:
            self.tab.active_dialog = edit_quantity_dialog(
                self.tab,
                row,
                name,
                lambda saved: self.tab.changed(
                    f"“{name}” now takes {forms.format_quantity(saved.quantity, saved.unit)} "
                    f"of {saved.component_name}."
                ),
            )

    def on_remove_packaging(self) -> None:
        row = self.selected_packaging()
        if row is not None:
            self.confirm_remove(
                "packaging",
                row.component_name,
                self.package_name(),
                lambda: finished_good_service.remove_component(row.id),
            )


def facts_text(package: PackageDTO) -> str:
    """ "Template" or "Package", then the description and notes."""
    lines = ["Template (copy it for each event)" if package.is_template else "Package"]
    lines += [text for text in (package.description, package.notes) if text]
    return "\n".join(lines)


@dataclass(frozen=True)
class PackageInput:
    """What the package form says: name, description, whether it is a template, notes."""

    name: str
    description: str | None
    is_template: bool
    notes: str | None


class PackageDialog(FormDialog):
    """Add or edit a package: name, description, template, notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        package: PackageDTO | None = None,
        show: bool = True,
        on_done: Callable[[PackageDTO], None] | None = None,
    ) -> None:
        self.package = package
        title = "Add package" if package is None else f"Edit {package.name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.name_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. Neighbor bundle"
        )
        self.add_field("Name", self.name_entry)
        self.description_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Description", self.description_entry)
        self.template_check = ctk.CTkCheckBox(body, text="Template (a starting point to copy)")
        self.add_field("", self.template_check, sticky="w")
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Notes", self.notes_entry)
        package = self.package
        if package is None:
            return
        self.name_entry.insert(0, package.name)
        for entry, text in (
            (self.description_entry, package.description),
            (self.notes_entry, package.notes),
        ):
            if text:
                entry.insert(0, text)
        if package.is_template:
            self.template_check.select()

    def focus_first(self) -> None:
        self.name_entry.focus_set()

    def validate(self) -> PackageInput:
        return PackageInput(
            name=self.check(self.name_entry, forms.parse_text, "Name"),
            description=forms.parse_notes_text(self.description_entry.get(), "Description"),
            is_template=bool(self.template_check.get()),
            notes=forms.parse_notes_text(self.notes_entry.get()),
        )

    def apply(self, values: PackageInput) -> PackageDTO:
        if self.package is None:
            return package_service.create_package(
                values.name, **fields_of(values, without=("name",))
            )
        return package_service.update_package(self.package.id, **fields_of(values))
