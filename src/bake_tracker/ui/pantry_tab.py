"""The Pantry tab and its dialogs: purchase lots in FIFO order, recording purchases, adjusting lots.

The tab filters lots by ingredient, location and emptiness, highlights those expiring soon (as
``inventory_service.is_expiring_soon`` says) and totals the pantry in a footer
(``inventory_service.summarize_lots`` of the lots listed when no filter narrows them, else
``inventory_service.get_inventory_summary``). Shown again with nothing changed, it builds no rows.
``RecordPurchaseDialog`` and ``AdjustLotDialog`` each make one ``inventory_service`` call; costs and
values come from the services (``LotDTO.value``), the live unit-cost preview from
``forms.unit_cost_preview``.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import customtkinter as ctk

from bake_tracker.services import catalog_service, inventory_service
from bake_tracker.services.dto import (
    IngredientDTO,
    LotDTO,
    ProductDTO,
    PurchaseDTO,
)
from bake_tracker.ui import forms
from bake_tracker.ui.adjustment import ReasonAndNotes
from bake_tracker.ui.kit.buttons import ActionButton, set_enabled
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog, fields_of
from bake_tracker.ui.kit.fields import date_entry, quiet_menu, set_choices
from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.theme import ACCENT_TEXT, MUTED_TEXT, TABLE_COLORS

ALL_INGREDIENTS = "All ingredients"
ALL_LOCATIONS = "All locations"
LOT_COLUMNS = (
    Column("ingredient", "Ingredient", 170),
    Column("product", "Product", 220),
    Column("remaining", "Remaining", 110, "e"),
    Column("unit_cost", "Unit cost", 120, "e"),
    Column("purchased", "Purchased", 110, "center"),
    Column("expires", "Expires", 110, "center"),
    Column("location", "Location", 130),
    Column("value", "Value", 100, "e"),
)
EMPTY_PANTRY = "The pantry is empty. Click “Record purchase…” to add what you bought."
NO_MATCH = "No lots match these filters."


def lot_row(lot: LotDTO, *, today: date | None = None) -> Row:
    values = (
        lot.ingredient_name,
        lot.product_name,
        forms.format_quantity(lot.quantity, lot.unit),
        f"{forms.format_unit_cost(lot.unit_cost)}/{lot.unit}",
        forms.format_date(lot.purchase_date),
        forms.format_date(lot.expiration_date),
        lot.location or "—",
        forms.format_money(lot.value),
    )
    if lot.quantity <= 0:
        tags: tuple[str, ...] = ("empty",)
    elif inventory_service.is_expiring_soon(lot, today=today):
        tags = ("expiring",)
    else:
        tags = ()
    return str(lot.id), values, tags


class PantryTab(TabFrame):
    """Lots, oldest first, with filters, a footer of totals, and Record purchase / Adjust."""

    show_dialogs = True  # tests may build dialogs hidden and non-modal

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, description)
        self.lots: dict[str, LotDTO] = {}
        self._shown: tuple[list[LotDTO], date | None] = ([], None)  # the lots the table shows
        self.ingredient_slugs: dict[str, str] = {}
        self.active_dialog: FormDialog | None = None
        self._refreshing = False
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_toolbar()
        self.table = DataTable(
            self,
            LOT_COLUMNS,
            empty_text=EMPTY_PANTRY,
            on_select=lambda _iid: self._update_buttons(),
            on_activate=lambda _iid: self.on_adjust(),
        )
        self.table.grid(row=1, column=0, sticky="nsew", pady=(0, 4))
        self._build_footer()
        self._update_buttons()  # nothing loaded yet: the window loads the tab when it is shown

    def _build_toolbar(self) -> None:
        bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.grid(row=0, column=0, sticky="ew", pady=(4, 10))
        bar.grid_columnconfigure(4, weight=1)
        self.ingredient_var = tk.StringVar(self, value=ALL_INGREDIENTS)
        self.ingredient_filter = quiet_menu(bar, 230, [ALL_INGREDIENTS], self.ingredient_var)
        self.ingredient_filter.grid(row=0, column=0, padx=(2, 10))
        self.location_var = tk.StringVar(self, value=ALL_LOCATIONS)
        self.location_filter = quiet_menu(bar, 180, [ALL_LOCATIONS], self.location_var)
        self.location_filter.grid(row=0, column=1, padx=(0, 16))
        self.empty_var = tk.BooleanVar(self, value=False)
        self.empty_check = ctk.CTkCheckBox(bar, text="Show empty lots", variable=self.empty_var)
        self.empty_check.grid(row=0, column=2)
        self.purchase_button = ActionButton(
            bar, text="Record purchase…", width=150, command=self.on_record_purchase
        )
        self.purchase_button.grid(row=0, column=5, padx=(0, 8))
        self.adjust_button = ActionButton(bar, text="Adjust…", width=100, command=self.on_adjust)
        self.adjust_button.grid(row=0, column=6)
        for variable in (self.ingredient_var, self.location_var, self.empty_var):
            variable.trace_add("write", lambda *_: self.refresh())

    def _build_footer(self) -> None:
        footer = ctk.CTkFrame(self, fg_color="transparent")
        footer.grid(row=2, column=0, sticky="ew", pady=(4, 0))
        self.total_label = ctk.CTkLabel(
            footer, text="", font=ctk.CTkFont(size=15, weight="bold"), anchor="w"
        )
        self.total_label.pack(side="left", padx=(4, 16))
        self.counts_label = ctk.CTkLabel(footer, text="", text_color=MUTED_TEXT, anchor="w")
        self.counts_label.pack(side="left")
        legend = ctk.CTkLabel(
            footer,
            text="  Expiring within two weeks  ",
            fg_color=TABLE_COLORS["expiring"],
            text_color=TABLE_COLORS["expiring_text"],
            corner_radius=6,
            height=24,
        )
        legend.pack(side="right", padx=4)

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the filter choices, the lots (with the filters) and the footer."""
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self._load_filters()
            ingredient_slug = self.ingredient_slugs.get(self.ingredient_var.get())
            location = self.location_var.get()
            location = None if location == ALL_LOCATIONS else location
            lots = inventory_service.get_inventory_items(
                ingredient_slug=ingredient_slug,
                location=location,
                include_empty=self.empty_var.get(),
            )
        finally:
            self._refreshing = False
        every_lot = ingredient_slug is None and location is None
        self.lots = {str(lot.id): lot for lot in lots}
        today = date.today()
        self.table.empty_label.configure(text=NO_MATCH if self._filtered() else EMPTY_PANTRY)
        if (lots, today) != self._shown:  # shown again with nothing changed: no rows to build
            self.table.set_rows([lot_row(lot, today=today) for lot in lots])
            self._shown = (lots, today)
        self._show_summary(lots if every_lot else None, today)
        self._update_buttons()

    def _load_filters(self) -> None:
        ingredients = catalog_service.list_ingredients()
        self.ingredient_slugs = {i.display_name: i.slug for i in ingredients}
        names = [ALL_INGREDIENTS, *self.ingredient_slugs]
        set_choices(self.ingredient_filter, names)
        if self.ingredient_var.get() not in names:
            self.ingredient_var.set(ALL_INGREDIENTS)
        locations = [ALL_LOCATIONS, *inventory_service.list_locations()]
        set_choices(self.location_filter, locations)
        if self.location_var.get() not in locations:
            self.location_var.set(ALL_LOCATIONS)

    def _filtered(self) -> bool:
        return (
            self.ingredient_var.get() != ALL_INGREDIENTS or self.location_var.get() != ALL_LOCATIONS
        )

    def _show_summary(self, every_lot: list[LotDTO] | None, today: date) -> None:
        """The footer for the whole pantry: from ``every_lot`` when the table lists every lot
        (no ingredient or location filter), else read afresh."""
        if every_lot is not None:
            summary = inventory_service.summarize_lots(every_lot, today=today)
        else:
            summary = inventory_service.get_inventory_summary(today=today)
        self.total_label.configure(text=f"Pantry value {forms.format_money(summary.total_value)}")
        self.counts_label.configure(
            text=f"{forms.plural(summary.lot_count, 'lot')} · {summary.expiring_soon} expiring soon"
        )

    def selected_lot(self) -> LotDTO | None:
        iid = self.table.selected_id()
        return self.lots.get(iid) if iid is not None else None

    def _update_buttons(self) -> None:
        set_enabled((self.adjust_button,), self.selected_lot() is not None)

    # --- commands -----------------------------------------------------------------------------

    def on_record_purchase(self) -> None:
        self.active_dialog = RecordPurchaseDialog(
            self,
            ingredient_slug=self.ingredient_slugs.get(self.ingredient_var.get()),
            show=self.show_dialogs,
            on_done=self._purchase_recorded,
        )

    def _purchase_recorded(self, purchase: PurchaseDTO) -> None:
        self.refresh()
        lot_id = str(purchase.inventory_item_id)
        if lot_id not in self.lots:  # the filters hide the new lot: show every lot
            self.ingredient_var.set(ALL_INGREDIENTS)
            self.location_var.set(ALL_LOCATIONS)
            self.refresh()
        if lot_id in self.lots:
            self.table.select(lot_id)
        lot = self.lots.get(lot_id)
        name = lot.product_name if lot is not None else "the purchase"
        unit = lot.unit if lot is not None else "unit"
        self.post_status(
            f"Recorded {name}: {forms.format_money(purchase.total_cost)}, "
            f"{forms.format_unit_cost(purchase.unit_cost)} per {unit}."
        )

    def on_adjust(self) -> None:
        lot = self.selected_lot()
        if lot is not None:
            self.active_dialog = AdjustLotDialog(
                self, lot=lot, show=self.show_dialogs, on_done=self._lot_adjusted
            )

    def _lot_adjusted(self, lot: LotDTO) -> None:
        self.refresh()
        self.post_status(
            f"Adjusted {lot.product_name}: "
            f"{forms.format_quantity(lot.quantity, lot.unit)} remaining."
        )


# --- dialogs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseInput:
    """What the purchase form says, in ``inventory_service.record_purchase``'s names."""

    product_id: int
    quantity: Decimal
    total_cost: Decimal
    purchase_date: date
    expiration_date: date | None
    location: str | None
    supplier: str | None
    notes: str | None


@dataclass(frozen=True)
class LotChange:
    """What the adjust-lot form says: a signed change in the lot's unit, its reason, notes."""

    delta: Decimal
    reason: str
    notes: str | None


class RecordPurchaseDialog(FormDialog):
    """Record what was bought: product, quantity, total cost, dates, where it is kept."""

    ok_text = "Record purchase"
    min_width = 540

    def __init__(
        self,
        parent: tk.Misc,
        *,
        ingredient_slug: str | None = None,
        show: bool = True,
        on_done: Callable[[PurchaseDTO], None] | None = None,
    ) -> None:
        self.ingredients: list[IngredientDTO] = catalog_service.list_ingredients()
        self.initial_slug = ingredient_slug
        self.products: dict[str, ProductDTO] = {}
        super().__init__(parent, title="Record purchase", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        if not self.ingredients:
            self.notice_label = self.add_notice(
                "There is nothing to buy yet. First add an ingredient and a product of it "
                "on the Ingredients tab (“Add ingredient”, then “Add product”); then record the "
                "purchase here."
            )
            return
        self._build_pickers(body)
        self._build_amounts(body)
        self._build_dates(body)
        self._build_details(body)

    def ready(self) -> None:
        if self.ingredients:
            self.choose_ingredient(self._initial_ingredient_name())
        else:
            self.ok_button.configure(state="disabled")

    def _build_pickers(self, body: ctk.CTkFrame) -> None:
        names = [i.display_name for i in self.ingredients]
        self.ingredient_menu = ctk.CTkOptionMenu(
            body,
            width=FIELD_WIDTH,
            values=names,
            command=self.choose_ingredient,
            dynamic_resizing=False,
        )
        self.add_field("Ingredient", self.ingredient_menu, sticky="w")
        self.product_menu = ctk.CTkOptionMenu(
            body,
            width=FIELD_WIDTH,
            values=[""],
            command=self.choose_product,
            dynamic_resizing=False,
        )
        self.add_field("Product", self.product_menu, sticky="w")
        self.notice_label = self.add_notice(pady=(2, 0))

    def _build_amounts(self, body: ctk.CTkFrame) -> None:
        self.quantity_var = tk.StringVar(self)
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.quantity_entry = ctk.CTkEntry(row, width=110, textvariable=self.quantity_var)
        self.quantity_entry.pack(side="left")
        self.unit_label = ctk.CTkLabel(row, text="", anchor="w")
        self.unit_label.pack(side="left", padx=(8, 0))
        self.add_field("Quantity", row, sticky="w")
        self.total_var = tk.StringVar(self)
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.total_entry = ctk.CTkEntry(row, width=110, textvariable=self.total_var)
        self.total_entry.pack(side="left")
        self.preview_label = ctk.CTkLabel(row, text="", text_color=ACCENT_TEXT, anchor="w")
        self.preview_label.pack(side="left", padx=(10, 0))
        self.add_field("Total cost ($)", row, sticky="w")
        for variable in (self.quantity_var, self.total_var):
            variable.trace_add("write", lambda *_: self._update_preview())

    def _build_dates(self, body: ctk.CTkFrame) -> None:
        self.purchase_date = date_entry(body, date.today())
        self.add_field("Purchase date", self.purchase_date, sticky="w")
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.expiry_var = tk.BooleanVar(self, value=False)
        self.expiry_check = ctk.CTkCheckBox(
            row, text="", variable=self.expiry_var, command=self._on_expiry_toggle, width=24
        )
        self.expiry_check.pack(side="left")
        self.expiry_date = date_entry(row, date.today())
        self.expiry_date.pack(side="left", padx=(4, 0))
        self.add_field("Expiry date", row, sticky="w")
        self._on_expiry_toggle()

    def _build_details(self, body: ctk.CTkFrame) -> None:
        self.location_box = ctk.CTkComboBox(
            body, width=FIELD_WIDTH, values=inventory_service.list_locations()
        )
        self.location_box.set("")
        self.add_field("Location", self.location_box, hint="Where it is kept: pick or type one.")
        self.supplier_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Supplier", self.supplier_entry)
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Notes", self.notes_entry)

    def _initial_ingredient_name(self) -> str:
        for ingredient in self.ingredients:
            if ingredient.slug == self.initial_slug:
                return ingredient.display_name
        with_products = [i for i in self.ingredients if i.product_count]
        return (with_products or self.ingredients)[0].display_name

    # --- reacting to choices ------------------------------------------------------------------

    def choose_ingredient(self, name: str) -> None:
        """Show this ingredient's products (the ingredient menu's command)."""
        self.ingredient_menu.set(name)
        ingredient = next(i for i in self.ingredients if i.display_name == name)
        self.products = product_choices(catalog_service.list_products(ingredient.slug))
        labels = list(self.products) or ["(no products)"]
        self.product_menu.configure(values=labels)
        self.choose_product(labels[0])
        if self.products:
            self.notice_label.configure(text="")
            self.notice_label.grid_remove()
        else:
            self.notice_label.configure(
                text=f"“{name}” has no products yet. On the Ingredients tab select “{name}” "
                "and click “Add product”, then record the purchase here."
            )
            self.notice_label.grid()
        self.ok_button.configure(state="normal" if self.products else "disabled")

    def choose_product(self, label: str) -> None:
        """Show the product's purchase unit next to the quantity (the product menu's command)."""
        self.product_menu.set(label)
        product = self.products.get(label)
        self.unit_label.configure(text=product.purchase_unit if product else "")
        self._update_preview()

    def _update_preview(self) -> None:
        product = self.selected_product()
        text = ""
        if product is not None:
            text = forms.unit_cost_preview(
                self.quantity_var.get(), self.total_var.get(), product.purchase_unit
            )
        self.preview_label.configure(text=text)

    def set_expiry(self, when: date | None) -> None:
        """Tick the expiry box and set the date, or untick it (what a user does by hand)."""
        self.expiry_var.set(when is not None)
        self._on_expiry_toggle()
        if when is not None:
            self.expiry_date.set_date(when)

    def _on_expiry_toggle(self) -> None:
        self.expiry_date.configure(state="normal" if self.expiry_var.get() else "disabled")

    def selected_product(self) -> ProductDTO | None:
        if not self.ingredients:
            return None
        return self.products.get(self.product_menu.get())

    def select_product(self, product_id: int) -> None:
        """Choose a product by id (its ingredient first), as a user would with the two menus."""
        for ingredient in self.ingredients:
            self.choose_ingredient(ingredient.display_name)
            for label, product in self.products.items():
                if product.id == product_id:
                    self.choose_product(label)
                    return
        raise KeyError(product_id)

    def focus_first(self) -> None:
        if self.ingredients:
            self.quantity_entry.focus_set()

    # --- OK -----------------------------------------------------------------------------------

    def validate(self) -> PurchaseInput:
        product = self.selected_product()
        if product is None:
            raise forms.FieldError("Choose a product (add one on the Ingredients tab first).")
        expires = None
        if self.expiry_var.get():
            expires = self.check(self.expiry_date, forms.parse_date_text, "Expiry date")
        return PurchaseInput(
            product_id=product.id,
            quantity=self.check(
                self.quantity_entry, forms.parse_decimal_text, "Quantity", allow_zero=False
            ),
            total_cost=self.check(self.total_entry, forms.parse_money_text, "Total cost"),
            purchase_date=self.check(self.purchase_date, forms.parse_date_text, "Purchase date"),
            expiration_date=expires,
            location=self.check(
                self.location_box, forms.parse_text, "Location", required=False, max_length=100
            ),
            supplier=self.check(self.supplier_entry, forms.parse_text, "Supplier", required=False),
            notes=forms.parse_notes_text(self.notes_entry.get()),
        )

    def apply(self, values: PurchaseInput) -> PurchaseDTO:
        return inventory_service.record_purchase(
            values.product_id, **fields_of(values, without=("product_id",))
        )


def product_choices(products: list[ProductDTO]) -> dict[str, ProductDTO]:
    """Menu labels for products, preferred marked ★; a repeated name gets its id."""
    names = [product.display_name for product in products]
    choices: dict[str, ProductDTO] = {}
    for product in products:
        label = product.display_name
        if names.count(label) > 1:
            label = f"{label} (#{product.id})"
        choices[f"★ {label}" if product.preferred else label] = product
    return choices


class AdjustLotDialog(ReasonAndNotes, FormDialog):
    """Correct a lot by a signed amount with a reason (spoiled, lost, counted, given away…)."""

    ok_text = "Apply"

    def __init__(
        self,
        parent: tk.Misc,
        *,
        lot: LotDTO,
        show: bool = True,
        on_done: Callable[[LotDTO], None] | None = None,
    ) -> None:
        self.lot = lot
        super().__init__(parent, title="Adjust pantry lot", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        lot = self.lot
        self.add_heading(f"{lot.ingredient_name} — {lot.product_name}")
        self.lot_label = ctk.CTkLabel(
            body, text=lot_summary(lot), text_color=MUTED_TEXT, anchor="w", justify="left"
        )
        self.add_wide(self.lot_label, pady=(0, 8))
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.change_entry = ctk.CTkEntry(row, width=110, placeholder_text="e.g. -2")
        self.change_entry.pack(side="left")
        ctk.CTkLabel(row, text=lot.unit).pack(side="left", padx=(8, 0))
        self.add_field(
            "Change", row, sticky="w", hint="Negative takes away (−2), positive adds (3)."
        )
        self.add_reason_and_notes(body)

    def focus_first(self) -> None:
        self.change_entry.focus_set()

    def validate(self) -> LotChange:
        change = self.check(
            self.change_entry,
            forms.parse_decimal_text,
            "Change",
            allow_negative=True,
            allow_zero=False,
        )
        reason, notes = self.read_reason_and_notes()
        return LotChange(delta=change, reason=reason, notes=notes)

    def refusal(self, values: LotChange) -> str | None:
        """A lot cannot go below zero: said before the confirmation, from the lot as it is now."""
        lot = inventory_service.get_lot(self.lot.id)
        if lot.quantity + values.delta >= 0:
            return None
        self.mark_invalid(self.change_entry)
        left = forms.format_quantity(lot.quantity, lot.unit)
        return (
            f"This lot has only {left} left, so it cannot go down by "
            f"{forms.format_quantity(-values.delta, lot.unit)}. To use it up, enter -"
            f"{forms.format_number(lot.quantity)}."
        )

    def confirm(self, values: LotChange) -> bool:
        change = forms.format_quantity(values.delta, self.lot.unit)
        sign = "+" if values.delta > 0 else ""
        return self.ask_confirm(
            f"Change this lot of {self.lot.product_name} by {sign}{change} "
            f"({forms.reason_label(values.reason).lower()})?"
        )

    def apply(self, values: LotChange) -> LotDTO:
        return inventory_service.adjust_lot(
            self.lot.id, values.delta, reason=values.reason, notes=values.notes
        )


def lot_summary(lot: LotDTO) -> str:
    """ "Bought 2025-01-10 · 13 lb left of 25 lb · $0.7596 per lb"."""
    parts = [
        f"Bought {forms.format_date(lot.purchase_date)}",
        f"{forms.format_quantity(lot.quantity, lot.unit)} left of "
        f"{forms.format_quantity(lot.initial_quantity, lot.unit)}",
        f"{forms.format_unit_cost(lot.unit_cost)} per {lot.unit}",
    ]
    if lot.expiration_date is not None:
        parts.append(f"expires {forms.format_date(lot.expiration_date)}")
    return " · ".join(parts)
