"""The Ingredients tab's forms: ``IngredientDialog``, ``ProductDialog`` and
``UnitConversionDialog``, each making one ``catalog_service`` call, and ``custom_units`` (an
ingredient's own units, offered wherever a unit of it is chosen).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import customtkinter as ctk

from bake_tracker.core import units
from bake_tracker.services import catalog_service
from bake_tracker.services.dto import IngredientDTO, ProductDTO, UnitConversionDTO
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog, fields_of


@dataclass(frozen=True)
class Density:
    """What a volume of an ingredient weighs ("1 cup = 4.25 oz"); all None when not given."""

    volume_value: Decimal | None = None
    volume_unit: str | None = None
    weight_value: Decimal | None = None
    weight_unit: str | None = None


@dataclass(frozen=True)
class IngredientInput:
    """What the ingredient form says, in ``catalog_service``'s field names."""

    display_name: str
    category: str
    recipe_unit: str
    is_packaging: bool
    density_volume_value: Decimal | None
    density_volume_unit: str | None
    density_weight_value: Decimal | None
    density_weight_unit: str | None
    notes: str | None


@dataclass(frozen=True)
class ProductInput:
    """What the product form says, in ``catalog_service``'s field names."""

    brand: str | None
    package_size: str | None
    package_type: str | None
    purchase_unit: str
    purchase_quantity: Decimal
    preferred: bool


@dataclass(frozen=True)
class UnitConversionInput:
    """What the custom-unit form says: ``from_quantity from_unit = to_quantity to_unit``."""

    from_quantity: Decimal
    from_unit: str
    to_quantity: Decimal
    to_unit: str


class IngredientDialog(FormDialog):
    """Add or edit an ingredient: name, category, recipe unit, packaging, density, notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        ingredient: IngredientDTO | None = None,
        show: bool = True,
        on_done: Callable[[IngredientDTO], None] | None = None,
    ) -> None:
        self.ingredient = ingredient
        title = "Add ingredient" if ingredient is None else f"Edit {ingredient.display_name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.name_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="e.g. Bread flour")
        self.add_field("Name", self.name_entry)
        self.category_box = ctk.CTkComboBox(
            body, width=FIELD_WIDTH, values=list(catalog_service.CATEGORIES)
        )
        self.add_field("Category", self.category_box, hint="Pick one or type your own.")
        self.unit_box = ctk.CTkComboBox(
            body, width=FIELD_WIDTH, values=list(units.FOOD_UNIT_CHOICES)
        )
        self.add_field("Recipe unit", self.unit_box, hint="The unit your recipes measure it in.")
        self.packaging_check = ctk.CTkCheckBox(
            body, text="Packaging (bags, boxes, ribbon…)", command=self._offer_units
        )
        self.add_field("", self.packaging_check, sticky="w")
        self.add_field("Density", self._build_density(body), sticky="w")
        self.add_hint(
            "Optional: what a volume weighs, e.g. 1 cup = 4.25 oz for flour. Lets recipes in "
            "cups use flour bought by the pound."
        )
        self.notes_text = ctk.CTkTextbox(body, width=FIELD_WIDTH, height=64, border_width=2)
        self.add_field("Notes", self.notes_text)
        self._fill()

    def _offer_units(self) -> None:
        """Lengths (cm, yd) are offered for packaging only: ribbon, not flour."""
        packaging = bool(self.packaging_check.get())
        choices = units.UNIT_CHOICES if packaging else units.FOOD_UNIT_CHOICES
        self.unit_box.configure(values=list(choices))

    def _build_density(self, body: ctk.CTkFrame) -> ctk.CTkFrame:
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.volume_entry = ctk.CTkEntry(row, width=56)
        self.volume_unit_menu = ctk.CTkOptionMenu(row, width=86, values=list(units.VOLUME_UNITS))
        self.weight_entry = ctk.CTkEntry(row, width=56)
        self.weight_unit_menu = ctk.CTkOptionMenu(row, width=74, values=list(units.WEIGHT_UNITS))
        self.volume_unit_menu.set("cup")
        self.weight_unit_menu.set("oz")
        self.volume_entry.pack(side="left")
        self.volume_unit_menu.pack(side="left", padx=(4, 8))
        ctk.CTkLabel(row, text="=").pack(side="left")
        self.weight_entry.pack(side="left", padx=(8, 4))
        self.weight_unit_menu.pack(side="left")
        return row

    def _fill(self) -> None:
        ingredient = self.ingredient
        self.category_box.set("")
        self.unit_box.set("")
        if ingredient is None:
            return
        self.name_entry.insert(0, ingredient.display_name)
        self.category_box.set(ingredient.category)
        self.unit_box.set(ingredient.recipe_unit)
        if ingredient.is_packaging:
            self.packaging_check.select()
            self._offer_units()
        if ingredient.density_volume_value is not None:
            self.volume_entry.insert(0, forms.format_number(ingredient.density_volume_value))
            self.volume_unit_menu.set(ingredient.density_volume_unit or "cup")
            self.weight_entry.insert(0, forms.format_number(ingredient.density_weight_value))
            self.weight_unit_menu.set(ingredient.density_weight_unit or "oz")
        self.notes_text.insert("1.0", ingredient.notes or "")

    def focus_first(self) -> None:
        self.name_entry.focus_set()

    def validate(self) -> IngredientInput:
        name = self.check(self.name_entry, forms.parse_text, "Name")
        category = self.check(self.category_box, forms.parse_text, "Category", max_length=100)
        recipe_unit = self.check(self.unit_box, forms.parse_unit_text, "Recipe unit")
        is_packaging = bool(self.packaging_check.get())
        density = self._density()
        return IngredientInput(
            display_name=name,
            category=category,
            recipe_unit=recipe_unit,
            is_packaging=is_packaging,
            density_volume_value=density.volume_value,
            density_volume_unit=density.volume_unit,
            density_weight_value=density.weight_value,
            density_weight_unit=density.weight_unit,
            notes=forms.parse_notes_text(self.notes_text.get("1.0", "end")),
        )

    def _density(self) -> Density:
        volume_text, weight_text = self.volume_entry.get(), self.weight_entry.get()
        if not volume_text.strip() and not weight_text.strip():
            return Density()
        if not volume_text.strip() or not weight_text.strip():
            self.mark_invalid(self.weight_entry if volume_text.strip() else self.volume_entry)
            raise forms.FieldError(
                "Density needs both amounts, like 1 cup = 4.25 oz (or leave both blank)."
            )
        return Density(
            volume_value=self.check(
                self.volume_entry, forms.parse_decimal_text, "Density volume", allow_zero=False
            ),
            volume_unit=self.volume_unit_menu.get(),
            weight_value=self.check(
                self.weight_entry, forms.parse_decimal_text, "Density weight", allow_zero=False
            ),
            weight_unit=self.weight_unit_menu.get(),
        )

    def apply(self, values: IngredientInput) -> IngredientDTO:
        if self.ingredient is None:
            return catalog_service.create_ingredient(
                values.display_name, **fields_of(values, without=("display_name",))
            )
        return catalog_service.update_ingredient(self.ingredient.slug, **fields_of(values))


class ProductDialog(FormDialog):
    """Add or edit a product: a brand and package of an ingredient, and the unit lots count in."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        ingredient: IngredientDTO,
        product: ProductDTO | None = None,
        show: bool = True,
        on_done: Callable[[ProductDTO], None] | None = None,
    ) -> None:
        self.ingredient = ingredient
        self.product = product
        self.own_units = custom_units(ingredient.slug)
        name = ingredient.display_name
        title = f"Add a product of {name}" if product is None else f"Edit {product.display_name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.brand_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. King Arthur"
        )
        self.add_field("Brand", self.brand_entry)
        self.size_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="e.g. 25 lb")
        self.add_field("Package size", self.size_entry)
        self.type_box = ctk.CTkComboBox(body, width=FIELD_WIDTH, values=list(units.PACKAGE_UNITS))
        self.add_field("Package type", self.type_box, hint="Brand, size and type name the product.")
        # Only units that convert to the ingredient's unit: a product in any other is refused.
        self.unit_box = ctk.CTkComboBox(
            body, width=FIELD_WIDTH, values=unit_choices(self.ingredient)
        )
        self.add_field(
            "Purchase unit",
            self.unit_box,
            hint="Pantry lots of this product are counted in this unit (lb for a 25 lb bag).",
        )
        self.add_hint(unit_advice(self.ingredient))
        self.quantity_entry = ctk.CTkEntry(body, width=120, placeholder_text="e.g. 25")
        self.add_field(
            "Package quantity",
            self.quantity_entry,
            hint="How many purchase units one package holds.",
            sticky="w",
        )
        self.preferred_check = ctk.CTkCheckBox(body, text="Preferred (suggested on shopping lists)")
        self.add_field("", self.preferred_check, sticky="w")
        self._fill()

    def _fill(self) -> None:
        product = self.product
        self.type_box.set("")
        self.unit_box.set(self.ingredient.recipe_unit)
        if product is None:
            return
        for entry, text in (
            (self.brand_entry, product.brand),
            (self.size_entry, product.package_size),
            (self.quantity_entry, forms.format_number(product.purchase_quantity)),
        ):
            if text:
                entry.insert(0, text)
        self.type_box.set(product.package_type or "")
        self.unit_box.set(product.purchase_unit)
        if product.preferred:
            self.preferred_check.select()

    def focus_first(self) -> None:
        self.brand_entry.focus_set()

    def validate(self) -> ProductInput:
        return ProductInput(
            brand=self.check(self.brand_entry, forms.parse_text, "Brand", required=False),
            package_size=self.check(
                self.size_entry, forms.parse_text, "Package size", required=False, max_length=100
            ),
            package_type=self.check(
                self.type_box, forms.parse_text, "Package type", required=False, max_length=50
            ),
            purchase_unit=self.check(
                self.unit_box, forms.parse_unit_text, "Purchase unit", extra=self.own_units
            ),
            purchase_quantity=self.check(
                self.quantity_entry, forms.parse_decimal_text, "Package quantity", allow_zero=False
            ),
            preferred=bool(self.preferred_check.get()),
        )

    def apply(self, values: ProductInput) -> ProductDTO:
        if self.product is None:
            return catalog_service.create_product(self.ingredient.slug, **fields_of(values))
        return catalog_service.update_product(self.product.id, **fields_of(values))


class UnitConversionDialog(FormDialog):
    """Teach an ingredient a unit: "[1] [stick] = [0.5] [cup]"."""

    ok_text = "Add unit"

    def __init__(
        self,
        parent: tk.Misc,
        *,
        ingredient: IngredientDTO,
        show: bool = True,
        on_done: Callable[[UnitConversionDTO], None] | None = None,
    ) -> None:
        self.ingredient = ingredient
        title = f"Add a custom unit to {ingredient.display_name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        row = ctk.CTkFrame(body, fg_color="transparent")
        # Lengths only for packaging (ribbon by the yard), never for food.
        choices = list(
            units.UNIT_CHOICES if self.ingredient.is_packaging else units.FOOD_UNIT_CHOICES
        )
        self.from_quantity_entry = ctk.CTkEntry(row, width=60)
        self.from_unit_box = ctk.CTkComboBox(row, width=110, values=choices)
        self.to_quantity_entry = ctk.CTkEntry(row, width=60)
        self.to_unit_box = ctk.CTkComboBox(row, width=110, values=choices)
        self.from_quantity_entry.insert(0, "1")
        self.from_unit_box.set("")
        self.to_unit_box.set(self.ingredient.recipe_unit)
        self.from_quantity_entry.pack(side="left")
        self.from_unit_box.pack(side="left", padx=(4, 8))
        ctk.CTkLabel(row, text="=").pack(side="left")
        self.to_quantity_entry.pack(side="left", padx=(8, 4))
        self.to_unit_box.pack(side="left")
        self.add_field("Conversion", row, sticky="w")
        self.add_hint(
            "For example 1 stick = 0.5 cup, or 1 egg = 50 g. One side may be a new unit of your "
            "own; the other must be a standard one."
        )

    def focus_first(self) -> None:
        self.from_unit_box.focus_set()

    def validate(self) -> UnitConversionInput:
        return UnitConversionInput(
            from_quantity=self.check(
                self.from_quantity_entry, forms.parse_decimal_text, "Amount", allow_zero=False
            ),
            from_unit=self.check(self.from_unit_box, forms.parse_text, "Unit", max_length=50),
            to_quantity=self.check(
                self.to_quantity_entry, forms.parse_decimal_text, "Amount", allow_zero=False
            ),
            to_unit=self.check(self.to_unit_box, forms.parse_text, "Unit", max_length=50),
        )

    def apply(self, values: UnitConversionInput) -> UnitConversionDTO:
        return catalog_service.add_unit_conversion(self.ingredient.slug, **fields_of(values))


def unit_choices(ingredient: IngredientDTO) -> list[str]:
    """The units a picker offers for ``ingredient``: those that convert to its recipe unit with
    its density and custom units (``core.units.units_for``), its recipe unit first; all units
    when its conversions cannot be read."""
    try:
        conversions = catalog_service.list_unit_conversions(ingredient.slug)
    except ServiceError:
        return list(dict.fromkeys([ingredient.recipe_unit, *units.UNIT_CHOICES]))
    custom = [
        units.CustomConversion(c.from_unit, c.from_quantity, c.to_unit, c.to_quantity)
        for c in conversions
    ]
    density = None
    if ingredient.density_volume_value and ingredient.density_weight_value:
        density = units.Density(
            ingredient.density_volume_value,
            ingredient.density_volume_unit or "cup",
            ingredient.density_weight_value,
            ingredient.density_weight_unit or "g",
        )
    return units.units_for(ingredient.recipe_unit, density=density, custom=custom)


def unit_advice(ingredient: IngredientDTO) -> str:
    """What the unit picker's hint says about the units offered."""
    text = f"{ingredient.display_name} is counted in {ingredient.recipe_unit}; any unit listed"
    text += " converts to it."
    dimension = units.unit_dimension(ingredient.recipe_unit)
    if dimension in (units.WEIGHT, units.VOLUME) and ingredient.density_volume_value is None:
        other = "volume" if dimension == units.WEIGHT else "weight"
        text += f" Set its density on the Ingredients tab to measure it by {other} too."
    return text


def custom_units(slug: str) -> list[str]:
    """The units an ingredient's custom conversions add ("stick"), for the purchase unit list."""
    try:
        conversions = catalog_service.list_unit_conversions(slug)
    except ServiceError:
        return []
    found = {c.from_unit for c in conversions} | {c.to_unit for c in conversions}
    return sorted(unit for unit in found if not units.is_known_unit(unit))
