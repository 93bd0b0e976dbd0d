"""Ingredients, their products and custom units."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class IngredientDTO:
    id: int
    slug: str
    display_name: str
    category: str
    recipe_unit: str
    is_packaging: bool
    density_g_per_ml: Decimal | None
    density_volume_value: Decimal | None = None
    density_volume_unit: str | None = None
    density_weight_value: Decimal | None = None
    density_weight_unit: str | None = None
    description: str | None = None
    notes: str | None = None
    product_count: int = 0

    @property
    def density_text(self) -> str:
        """The density as typed ("1 cup = 4.25 oz"), or "" when none is set."""
        if self.density_volume_value is None:
            return ""
        return (
            f"{self.density_volume_value.normalize():f} {self.density_volume_unit} = "
            f"{self.density_weight_value.normalize():f} {self.density_weight_unit}"
        )


@dataclass(frozen=True)
class ProductDTO:
    id: int
    ingredient_slug: str
    display_name: str
    purchase_unit: str
    purchase_quantity: Decimal
    preferred: bool
    brand: str | None = None
    package_size: str | None = None
    package_type: str | None = None
    ingredient_name: str = ""
    last_unit_cost: Decimal | None = None  # per purchase unit, from the latest purchase


@dataclass(frozen=True)
class UnitConversionDTO:
    id: int
    ingredient_slug: str
    from_unit: str
    from_quantity: Decimal
    to_unit: str
    to_quantity: Decimal

    @property
    def text(self) -> str:
        return (
            f"{self.from_quantity.normalize():f} {self.from_unit} = "
            f"{self.to_quantity.normalize():f} {self.to_unit}"
        )
