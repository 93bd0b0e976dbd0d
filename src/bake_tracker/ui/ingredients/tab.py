"""The Ingredients tab: ingredients (search as you type, All / Food / Packaging) on the left; the
selected one's facts on the right, with two pages: its products and custom units, and its price
history (``prices``: what it cost at each purchase, per recipe unit, as a table and a chart).

All rules (unique names, density all-or-none, convertible purchase units, refusing deletes) are
``catalog_service``'s; the tab shows what it says.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import Any

import customtkinter as ctk

from bake_tracker.services import catalog_service
from bake_tracker.services.dto import IngredientDTO, ProductDTO, UnitConversionDTO
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.ingredients.dialogs import (
    IngredientDialog,
    ProductDialog,
    UnitConversionDialog,
)
from bake_tracker.ui.ingredients.prices import PriceHistoryView
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled, small_button
from bake_tracker.ui.kit.dialog import FormDialog
from bake_tracker.ui.kit.labels import muted_label, section_label
from bake_tracker.ui.kit.list_tab import detail_share
from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.theme import INNER_TABLE, TABLE_BACKGROUND

KIND_FILTERS: dict[str, bool | None] = {"All": None, "Food": False, "Packaging": True}
INGREDIENT_COLUMNS = (
    Column("name", "Name", 230),
    Column("category", "Category", 140),
    Column("recipe_unit", "Recipe unit", 100),
    Column("density", "Density", 170),
    Column("products", "Products", 90, "e"),
    Column("packaging", "Packaging", 100, "center"),
)
PRODUCT_COLUMNS = (
    Column("preferred", "★", 28, "center", stretch=False),
    Column("name", "Product", 140),
    Column("unit", "Unit", 48, stretch=False),
    Column("quantity", "Package", 72, "e", stretch=False),
    Column("price", "Latest price", 100, "e", stretch=False),
)
CONVERSION_COLUMNS = (Column("text", "Conversion", 300),)
EMPTY_INGREDIENTS = "No ingredients yet. Click “Add ingredient” to start."
NO_MATCH = "No ingredients match this search."
DETAIL_WIDTH = 470
PRODUCTS_PAGE, PRICES_PAGE = "Products & units", "Price history"


def ingredient_row(ingredient: IngredientDTO) -> Row:
    values = (
        ingredient.display_name,
        ingredient.category,
        ingredient.recipe_unit,
        ingredient.density_text or "—",
        ingredient.product_count,
        "✓" if ingredient.is_packaging else "",
    )
    return ingredient.slug, values, ()


def product_row(product: ProductDTO) -> Row:
    price = forms.format_unit_cost(product.last_unit_cost)
    values = (
        "★" if product.preferred else "",
        product.display_name,
        product.purchase_unit,
        forms.format_quantity(product.purchase_quantity, product.purchase_unit),
        price if product.last_unit_cost is None else f"{price}/{product.purchase_unit}",
    )
    return str(product.id), values, ("preferred",) if product.preferred else ()


def conversion_row(conversion: UnitConversionDTO) -> Row:
    return str(conversion.id), (conversion.text,), ()


class IngredientsTab(TabFrame):
    """Ingredients on the left, the selected one's products and custom units on the right."""

    show_dialogs = True  # tests may build dialogs hidden and non-modal

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, description)
        self.ingredients: dict[str, IngredientDTO] = {}
        self.products: dict[str, ProductDTO] = {}
        self.active_dialog: FormDialog | None = None
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_toolbar()
        self.table = DataTable(
            self,
            INGREDIENT_COLUMNS,
            empty_text=EMPTY_INGREDIENTS,
            on_select=self._on_select,
            on_activate=lambda _iid: self.on_edit_ingredient(),
        )
        self.table.grid(row=1, column=0, sticky="nsew", padx=(0, 12), pady=(0, 4))
        self.detail = IngredientDetail(self)
        self.detail.grid(row=1, column=1, sticky="nsew", pady=(0, 4))
        tk.Misc.bind(self, "<Configure>", self._fit_detail, "+")
        self._on_select(None)  # nothing loaded yet: the window loads the tab when it is shown

    def _fit_detail(self, _event: tk.Event | None = None) -> None:
        """The detail panel at most 45 % of the tab, as on the other list tabs (``ListTab``)."""
        width = self.winfo_width()
        if width > 1:
            logical = width / ctk.ScalingTracker.get_widget_scaling(self)
            self.detail.fit_width(detail_share(logical, DETAIL_WIDTH))

    def _build_toolbar(self) -> None:
        bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.grid(row=0, column=0, columnspan=2, sticky="ew", pady=(4, 10))
        bar.grid_columnconfigure(4, weight=1)
        ctk.CTkLabel(bar, text="Search").grid(row=0, column=0, padx=(2, 8))
        self.search_var = tk.StringVar(self)
        self.search_entry = ctk.CTkEntry(bar, width=240, textvariable=self.search_var)
        self.search_entry.grid(row=0, column=1, padx=(0, 20))
        ctk.CTkLabel(bar, text="Show").grid(row=0, column=2, padx=(0, 8))
        self.kind_var = tk.StringVar(self, value="All")
        self.kind_filter = ctk.CTkSegmentedButton(
            bar, values=list(KIND_FILTERS), variable=self.kind_var
        )
        self.kind_filter.grid(row=0, column=3)
        self.add_button = ActionButton(
            bar, text="Add ingredient", width=130, command=self.on_add_ingredient
        )
        self.add_button.grid(row=0, column=5, padx=(0, 8))
        self.edit_button = ActionButton(bar, text="Edit", width=80, command=self.on_edit_ingredient)
        self.edit_button.grid(row=0, column=6, padx=(0, 8))
        self.delete_button = DangerButton(
            bar, text="Delete", width=80, command=self.on_delete_ingredient
        )
        self.delete_button.grid(row=0, column=7)
        self.search_var.trace_add("write", lambda *_: self.refresh())
        self.kind_var.trace_add("write", lambda *_: self.refresh())

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list (with the search and filter) and the selected ingredient's panel."""
        search = self.search_var.get().strip() or None
        found = catalog_service.list_ingredients(
            search=search, is_packaging=KIND_FILTERS.get(self.kind_var.get())
        )
        self.ingredients = {ingredient.slug: ingredient for ingredient in found}
        filtered = search is not None or self.kind_var.get() != "All"
        self.table.empty_label.configure(text=NO_MATCH if filtered else EMPTY_INGREDIENTS)
        self.table.set_rows([ingredient_row(ingredient) for ingredient in found])
        self._on_select(self.table.selected_id())

    def selected_ingredient(self) -> IngredientDTO | None:
        slug = self.table.selected_id()
        return self.ingredients.get(slug) if slug is not None else None

    def _on_select(self, slug: str | None) -> None:
        ingredient = self.ingredients.get(slug) if slug is not None else None
        set_enabled((self.edit_button, self.delete_button), ingredient is not None)
        self.detail.show(ingredient)

    # --- ingredient commands ------------------------------------------------------------------

    def on_add_ingredient(self) -> None:
        self.active_dialog = IngredientDialog(
            self, show=self.show_dialogs, on_done=self._ingredient_saved
        )

    def on_edit_ingredient(self) -> None:
        ingredient = self.selected_ingredient()
        if ingredient is not None:
            self.active_dialog = IngredientDialog(
                self, ingredient=ingredient, show=self.show_dialogs, on_done=self._ingredient_saved
            )

    def _ingredient_saved(self, ingredient: IngredientDTO) -> None:
        self.refresh()
        if ingredient.slug not in self.ingredients:  # hidden by the search or filter: show all
            self.kind_var.set("All")
            self.search_var.set("")
        if ingredient.slug in self.ingredients:
            self.table.select(ingredient.slug)
        self.post_status(f"Saved ingredient “{ingredient.display_name}”.")

    def on_delete_ingredient(self) -> None:
        ingredient = self.selected_ingredient()
        if ingredient is None:
            return
        try:  # what refuses the delete is said first, never after "are you sure?"
            refused = catalog_service.check_delete_ingredient(ingredient.slug)
        except ServiceError as error:
            refused = str(error)
        if refused:
            self.show_error("Cannot delete ingredient", refused)
            return
        if not self.ask_confirm(
            f"Delete the ingredient “{ingredient.display_name}”? This cannot be undone."
        ):
            return
        try:
            catalog_service.delete_ingredient(ingredient.slug)
        except ServiceError as error:
            self.show_error("Cannot delete ingredient", str(error))
            return
        self.refresh()
        self.post_status(f"Deleted ingredient “{ingredient.display_name}”.")

    # --- product and unit commands (buttons of the detail panel) ------------------------------

    def on_add_product(self) -> None:
        ingredient = self.selected_ingredient()
        if ingredient is not None:
            self.active_dialog = ProductDialog(
                self, ingredient=ingredient, show=self.show_dialogs, on_done=self._product_saved
            )

    def on_edit_product(self) -> None:
        ingredient, product = self.selected_ingredient(), self.detail.selected_product()
        if ingredient is not None and product is not None:
            self.active_dialog = ProductDialog(
                self,
                ingredient=ingredient,
                product=product,
                show=self.show_dialogs,
                on_done=self._product_saved,
            )

    def _product_saved(self, product: ProductDTO) -> None:
        self.refresh()
        self.detail.products_table.select(str(product.id))
        self.post_status(f"Saved product “{product.display_name}”.")

    def on_set_preferred(self) -> None:
        product = self.detail.selected_product()
        if product is None:
            return
        if self._run(
            "Cannot change the preferred product",
            lambda: catalog_service.set_preferred_product(product.id),
        ):
            self.post_status(f"“{product.display_name}” is now the preferred product.")

    def on_delete_product(self) -> None:
        product = self.detail.selected_product()
        if product is None or not self.ask_confirm(f"Delete the product “{product.display_name}”?"):
            return
        if self._run("Cannot delete product", lambda: catalog_service.delete_product(product.id)):
            self.post_status(f"Deleted product “{product.display_name}”.")

    def on_add_unit(self) -> None:
        ingredient = self.selected_ingredient()
        if ingredient is not None:
            self.active_dialog = UnitConversionDialog(
                self, ingredient=ingredient, show=self.show_dialogs, on_done=self._unit_saved
            )

    def _unit_saved(self, conversion: UnitConversionDTO) -> None:
        self.refresh()
        self.post_status(f"Added the custom unit {conversion.text}.")

    def on_remove_unit(self) -> None:
        conversion = self.detail.selected_conversion()
        if conversion is None or not self.ask_confirm(f"Remove the custom unit {conversion.text}?"):
            return
        if self._run(
            "Cannot remove custom unit",
            lambda: catalog_service.delete_unit_conversion(conversion.id),
        ):
            self.post_status(f"Removed the custom unit {conversion.text}.")

    def _run(self, title: str, call: Callable[[], Any]) -> bool:
        """Make one service call; show a refusal as an error, refresh after success."""
        try:
            call()
        except ServiceError as error:
            self.show_error(title, str(error))
            return False
        self.refresh()
        return True


class IngredientDetail(ctk.CTkFrame):
    """The right-hand panel: the selected ingredient's facts, then one of two pages: its products
    and custom units, or its price history (read only while that page is shown)."""

    def __init__(self, tab: IngredientsTab) -> None:
        super().__init__(tab, fg_color=TABLE_BACKGROUND, corner_radius=8, width=DETAIL_WIDTH)
        self.tab = tab
        self.products: dict[str, ProductDTO] = {}
        self.conversions: dict[str, UnitConversionDTO] = {}
        self.grid_propagate(False)
        self.grid_columnconfigure(0, weight=1)
        self.width = DETAIL_WIDTH
        self.placeholder = muted_label(
            self,
            "Select an ingredient to see its products and custom units.",
            wraplength=DETAIL_WIDTH - 60,
            justify="center",
            anchor="center",
        )
        self.content = ctk.CTkFrame(self, fg_color="transparent")
        self.content.grid_columnconfigure(0, weight=1)
        self.content.grid_rowconfigure(3, weight=1)
        self.ingredient: IngredientDTO | None = None
        self._build_header()
        self.page_switch = ctk.CTkSegmentedButton(
            self.content, values=[PRODUCTS_PAGE, PRICES_PAGE], command=self._on_page
        )
        self.page_switch.set(PRODUCTS_PAGE)
        self.page_switch.grid(row=2, column=0, sticky="w", padx=14, pady=(2, 4))
        self.products_page = ctk.CTkFrame(self.content, fg_color="transparent")
        self.products_page.grid_columnconfigure(0, weight=1)
        self.products_page.grid_rowconfigure(1, weight=3)
        self.products_page.grid_rowconfigure(4, weight=2)
        self.products_page.grid(row=3, column=0, sticky="nsew")
        self._build_products()
        self._build_units()
        self.prices_page = PriceHistoryView(self.content, wraplength=DETAIL_WIDTH - 40)
        self.show(None)

    def fit_width(self, width: int) -> None:
        """Take ``width`` (logical) instead of ``DETAIL_WIDTH``; texts wrap to it."""
        if width == self.width:
            return
        self.width = width
        self.configure(width=width)
        self.placeholder.configure(wraplength=width - 60)
        self.facts_label.configure(wraplength=width - 40)
        self.prices_page.fit_width(width - 40)

    def _build_header(self) -> None:
        self.title_label = ctk.CTkLabel(
            self.content, text="", font=ctk.CTkFont(size=18, weight="bold"), anchor="w"
        )
        self.title_label.grid(row=0, column=0, sticky="ew", padx=16, pady=(14, 0))
        self.facts_label = ctk.CTkLabel(
            self.content, text="", anchor="w", justify="left", wraplength=DETAIL_WIDTH - 40
        )
        self.facts_label.grid(row=1, column=0, sticky="ew", padx=16, pady=(2, 6))

    def _build_products(self) -> None:
        page = self.products_page
        section_label(page, "Products").grid(row=0, column=0, sticky="w", padx=16, pady=(6, 2))
        self.products_table = DataTable(
            page,
            PRODUCT_COLUMNS,
            empty_text="No products yet. Add the brands and sizes you buy.",
            height=5,
            on_select=lambda _iid: self._update_buttons(),
            on_activate=lambda _iid: self.tab.on_edit_product(),
        )
        self.products_table.configure(**INNER_TABLE)
        self.products_table.grid(row=1, column=0, sticky="nsew", padx=12)
        buttons = ctk.CTkFrame(page, fg_color="transparent")
        buttons.grid(row=2, column=0, sticky="w", padx=12, pady=(6, 4))
        self.add_product_button = small_button(buttons, "Add product", self.tab.on_add_product)
        self.edit_product_button = small_button(buttons, "Edit", self.tab.on_edit_product)
        self.preferred_button = small_button(buttons, "Set preferred", self.tab.on_set_preferred)
        self.delete_product_button = small_button(
            buttons, "Delete", self.tab.on_delete_product, danger=True
        )

    def _build_units(self) -> None:
        page = self.products_page
        section_label(page, "Custom units").grid(row=3, column=0, sticky="w", padx=16, pady=(8, 2))
        self.units_table = DataTable(
            page,
            CONVERSION_COLUMNS,
            empty_text="No custom units (for example 1 stick = 0.5 cup).",
            height=3,
            on_select=lambda _iid: self._update_buttons(),
        )
        self.units_table.configure(**INNER_TABLE)
        self.units_table.grid(row=4, column=0, sticky="nsew", padx=12)
        buttons = ctk.CTkFrame(page, fg_color="transparent")
        buttons.grid(row=5, column=0, sticky="w", padx=12, pady=(6, 12))
        self.add_unit_button = small_button(buttons, "Add unit", self.tab.on_add_unit)
        self.remove_unit_button = small_button(
            buttons, "Remove", self.tab.on_remove_unit, danger=True
        )

    def _on_page(self, page: str) -> None:
        """Show the page chosen with the switch (the price history is read when shown)."""
        if page == PRICES_PAGE:
            self.products_page.grid_remove()
            self.prices_page.grid(row=3, column=0, sticky="nsew", padx=12, pady=(0, 12))
            self._show_prices()
        else:
            self.prices_page.grid_remove()
            self.products_page.grid(row=3, column=0, sticky="nsew")

    def _show_prices(self) -> None:
        if self.ingredient is not None and self.page_switch.get() == PRICES_PAGE:
            refused = self.prices_page.show(self.ingredient.id)
            if refused:  # deleted meanwhile (another window)
                self.tab.post_status(refused)

    def show(self, ingredient: IngredientDTO | None) -> None:
        """Show this ingredient (reloading its products and units, or its prices when that page
        is shown), or the hint when None."""
        self.ingredient = ingredient
        if ingredient is None:
            self.content.grid_forget()
            self.placeholder.place(relx=0.5, rely=0.4, anchor="center")
            self.products, self.conversions = {}, {}
            return
        self.placeholder.place_forget()
        self.content.grid(row=0, column=0, sticky="nsew")
        self.grid_rowconfigure(0, weight=1)
        self.title_label.configure(text=ingredient.display_name)
        self.facts_label.configure(text=facts_text(ingredient))
        try:
            products = catalog_service.list_products(ingredient.slug)
            conversions = catalog_service.list_unit_conversions(ingredient.slug)
        except ServiceError as error:  # deleted meanwhile (another window)
            self.tab.post_status(str(error))
            products, conversions = [], []
        self.products = {str(product.id): product for product in products}
        self.conversions = {str(conversion.id): conversion for conversion in conversions}
        self.products_table.set_rows([product_row(product) for product in products])
        self.units_table.set_rows([conversion_row(conversion) for conversion in conversions])
        self._update_buttons()
        self._show_prices()

    def selected_product(self) -> ProductDTO | None:
        iid = self.products_table.selected_id()
        return self.products.get(iid) if iid is not None else None

    def selected_conversion(self) -> UnitConversionDTO | None:
        iid = self.units_table.selected_id()
        return self.conversions.get(iid) if iid is not None else None

    def _update_buttons(self) -> None:
        product = self.selected_product()
        set_enabled((self.edit_product_button, self.delete_product_button), product is not None)
        set_enabled((self.preferred_button,), product is not None and not product.preferred)
        set_enabled((self.remove_unit_button,), self.selected_conversion() is not None)


def facts_text(ingredient: IngredientDTO) -> str:
    """ "Flour · recipes use cup · 1 cup = 4.25 oz" and the notes below."""
    kind = "Packaging" if ingredient.is_packaging else "Food"
    density = ingredient.density_text or "no density set"
    lines = [
        f"{kind} · {ingredient.category} · recipes use {ingredient.recipe_unit}",
        f"Density: {density}",
    ]
    if ingredient.notes:
        lines.append(ingredient.notes)
    return "\n".join(lines)
