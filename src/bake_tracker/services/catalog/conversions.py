"""Converting an ingredient's quantities, and its custom units.

An ingredient converts between volume and weight through its density ("1 cup = 4.25 oz") and to
and from its custom units ("1 stick = 0.5 cup"), at full precision. A custom unit connects one new
unit to a known one (one side must be a standard unit), never the same unit twice. Whatever an
ingredient's products are counted in must stay convertible to its recipe unit, so FIFO can always
count its lots in the unit recipes use: a change that would break that is refused.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bake_tracker.core import units
from bake_tracker.models import Ingredient, UnitConversion
from bake_tracker.services import dto
from bake_tracker.services.catalog.common import load_ingredient, product_display_name
from bake_tracker.services.errors import UnitConversionError, ValidationError
from bake_tracker.services.loading import get_or_raise, missing
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import Problems, to_decimal, to_text

if TYPE_CHECKING:
    from bake_tracker.services.dto import UnitConversionDTO


def density_of(ingredient: Ingredient) -> units.Density | None:
    if ingredient.density_volume_value is None:
        return None
    return units.Density(
        ingredient.density_volume_value,
        ingredient.density_volume_unit,
        ingredient.density_weight_value,
        ingredient.density_weight_unit,
    )


def custom_units_of(ingredient: Ingredient) -> tuple[units.CustomConversion, ...]:
    return tuple(
        units.CustomConversion(c.from_unit, c.from_quantity, c.to_unit, c.to_quantity)
        for c in ingredient.unit_conversions
    )


def convert_for(ingredient: Ingredient, quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert with this ingredient's density and custom units (full precision)."""
    return units.convert(
        quantity,
        from_unit,
        to_unit,
        density=density_of(ingredient),
        custom=custom_units_of(ingredient),
        ingredient_name=ingredient.display_name,
    )


class FactorCache:
    """``convert_for`` for the length of one use case, with each (ingredient, from, to) factor
    looked up once (``units.conversion_factor``) and applied to every quantity: the same steps as
    ``units.convert``, so the same digits. Costing a season converts thousands of recipe lines
    through a few hundred distinct factors. Pairs that do not convert are not kept: asking again
    raises again. Not for longer than a use case: densities and custom units can change."""

    __slots__ = ("_factors",)

    def __init__(self) -> None:
        self._factors: dict[tuple[int, str, str], units.Factor] = {}

    def __call__(
        self, ingredient: Ingredient, quantity: Decimal, from_unit: str, to_unit: str
    ) -> Decimal:
        key = (ingredient.id, from_unit, to_unit)
        factor = self._factors.get(key)
        if factor is None:
            factor = self._factors[key] = _factor(ingredient, from_unit, to_unit)
        return factor.apply(quantity)


# Factors already worked out, by everything that shapes one (as ``units.conversion_factor``
# remembers them): the two units, the density and the custom units, numbers by their exact text.
# Read straight from the ingredient's columns: building its ``Density`` and ``CustomConversion``
# objects first cost more than the lookup, on each of the few hundred ingredients a dashboard
# converts. A changed density or custom unit is a new key, so nothing goes stale.
_SEEN: dict[tuple, units.Factor] = {}
_SEEN_LIMIT = 50_000


def _factor(ingredient: Ingredient, from_unit: str, to_unit: str) -> units.Factor:
    volume, weight = ingredient.density_volume_value, ingredient.density_weight_value
    conversions = ingredient.unit_conversions
    key = (
        from_unit,
        to_unit,
        None if volume is None else str(volume),
        ingredient.density_volume_unit,
        None if weight is None else str(weight),
        ingredient.density_weight_unit,
        tuple(
            (c.from_unit, str(c.from_quantity), c.to_unit, str(c.to_quantity)) for c in conversions
        )
        if conversions
        else (),
    )
    found = _SEEN.get(key)
    if found is None:  # raises for a pair that does not convert: never remembered
        found = units.conversion_factor(
            from_unit,
            to_unit,
            density=density_of(ingredient),
            custom=custom_units_of(ingredient),
            ingredient_name=ingredient.display_name,
        )
        if len(_SEEN) >= _SEEN_LIMIT:
            _SEEN.clear()  # a bound, not a policy
        _SEEN[key] = found
    return found


def check_products_convert(ingredient: Ingredient) -> None:
    blocked = [
        f"{product_display_name(p, ingredient)} ({p.purchase_unit})"
        for p in ingredient.products
        if not convertible(ingredient, p.purchase_unit, ingredient.recipe_unit)
    ]
    if blocked:
        raise ValidationError(
            f"These products of '{ingredient.display_name}' cannot be counted in "
            f"{ingredient.recipe_unit}: {', '.join(blocked)}. Set a density or a custom unit first."
        )


def convertible(ingredient: Ingredient, from_unit: str, to_unit: str) -> bool:
    try:
        convert_for(ingredient, Decimal(1), from_unit, to_unit)
    except UnitConversionError:
        return False
    return True


def add_unit_conversion(
    ingredient_slug: str,
    *,
    from_unit: str,
    from_quantity: Any,
    to_unit: str,
    to_quantity: Any,
    session: Session | None = None,
) -> UnitConversionDTO:
    """Teach an ingredient a unit: ``from_quantity from_unit = to_quantity to_unit``.

    One side may be a new unit ("stick", "egg"); the other must be a known unit, so the new one
    connects to everything else.

    Raises:
        IngredientNotFoundError, ValidationError.
    """
    with Problems() as problems:
        source = _unit_text(from_unit, "From unit", problems)
        target = _unit_text(to_unit, "To unit", problems)
        from_qty = to_decimal(from_quantity, "From quantity", problems, allow_zero=False)
        to_qty = to_decimal(to_quantity, "To quantity", problems, allow_zero=False)
        if source and target and source == target:
            problems.add("The two units must differ")
        if source and target and not (units.is_known_unit(source) or units.is_known_unit(target)):
            problems.add("At least one of the two units must be a standard unit (cup, g, each…)")
    with use_session(session) as s:
        ingredient = load_ingredient(s, ingredient_slug)
        exists = s.scalar(
            select(UnitConversion.id).where(
                UnitConversion.ingredient_id == ingredient.id,
                UnitConversion.from_unit == source,
                UnitConversion.to_unit == target,
            )
        )
        if exists is not None:
            raise ValidationError(
                f"'{ingredient.display_name}' already converts {source} to {target}"
            )
        conversion = UnitConversion(
            ingredient=ingredient,
            from_unit=source,
            from_quantity=from_qty,
            to_unit=target,
            to_quantity=to_qty,
        )
        s.add(conversion)
        s.flush()
        return _conversion_dto(conversion, ingredient.slug)


def list_unit_conversions(
    ingredient_slug: str, *, session: Session | None = None
) -> list[UnitConversionDTO]:
    with use_session(session) as s:
        ingredient = load_ingredient(s, ingredient_slug)
        return [_conversion_dto(c, ingredient.slug) for c in ingredient.unit_conversions]


def delete_unit_conversion(conversion_id: int, *, session: Session | None = None) -> None:
    """Remove a custom unit, unless a product of the ingredient is counted in it.

    Raises:
        NotFoundError (as ValidationError when the id is unknown), ValidationError.
    """
    with use_session(session) as s:
        conversion = get_or_raise(
            s, UnitConversion, conversion_id, missing("Unit conversion {} not found")
        )
        ingredient = conversion.ingredient
        ingredient.unit_conversions.remove(conversion)
        s.flush()
        check_products_convert(ingredient)


def _unit_text(value: Any, field: str, problems: Problems) -> str | None:
    text = to_text(value, field, problems, max_length=50)
    return None if text is None else units.normalize_unit(text)


def _conversion_dto(conversion: UnitConversion, slug: str) -> UnitConversionDTO:
    return dto.UnitConversionDTO(
        id=conversion.id,
        ingredient_slug=slug,
        from_unit=conversion.from_unit,
        from_quantity=conversion.from_quantity,
        to_unit=conversion.to_unit,
        to_quantity=conversion.to_quantity,
    )


def convert(
    quantity: Any,
    from_unit: str,
    to_unit: str,
    *,
    ingredient_slug: str | None = None,
    session: Session | None = None,
) -> Decimal:
    """Convert a quantity, with an ingredient's density and custom units when one is named.

    Raises:
        UnitConversionError, ValidationError, IngredientNotFoundError.
    """
    with Problems() as problems:
        number = to_decimal(quantity, "Quantity", problems, places=None)
    if ingredient_slug is None:
        return units.convert(number, from_unit, to_unit)
    with use_session(session) as s:
        return convert_for(load_ingredient(s, ingredient_slug), number, from_unit, to_unit)
