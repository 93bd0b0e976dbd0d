"""catalog FactorCache: the same digits as ``units.convert``, and never a stale factor."""

from __future__ import annotations

import itertools
from decimal import Decimal as D

import pytest

from bake_tracker.core import units
from bake_tracker.core.errors import UnitConversionError
from bake_tracker.core.recipes import TreeConversion, TreeIngredient
from bake_tracker.services.catalog.conversions import FactorCache, convert_for

_ids = itertools.count(1)


def _ingredient(density=None, conversions=()) -> TreeIngredient:
    volume, volume_unit, weight, weight_unit = density or (None, None, None, None)
    return TreeIngredient(
        id=next(_ids),
        slug="x",
        display_name="Flour",
        recipe_unit="cup",
        is_packaging=False,
        density_volume_value=volume,
        density_volume_unit=volume_unit,
        density_weight_value=weight,
        density_weight_unit=weight_unit,
        unit_conversions=[TreeConversion(*c) for c in conversions],
    )


SHAPES = [
    _ingredient(),
    _ingredient((D("1"), "cup", D("4.25"), "oz")),
    _ingredient((D("1.0"), "cup", D("4.250"), "oz")),  # equal numbers, other exponents
    _ingredient((D("3"), "tbsp", D("20"), "g")),
    _ingredient(conversions=[("stick", D("1"), "cup", D("0.5"))]),
    _ingredient(conversions=[("stick", D("1.00"), "cup", D("0.50"))]),
    _ingredient((D("1"), "cup", D("120"), "g"), [("scoop", D("2"), "tbsp", D("3"))]),
]
PAIRS = [("cup", "tbsp"), ("oz", "cup"), ("g", "cup"), ("stick", "tbsp"), ("scoop", "g")]


def _digits(value: D) -> tuple:
    return value.as_tuple()  # sign, digits and exponent: equal Decimals may still differ here


def test_every_factor_gives_the_digits_of_a_plain_conversion():
    """Across ingredients of equal densities written with other exponents (which may give other
    exponents), one cache and a fresh one per call agree with ``convert_for`` digit for digit."""
    shared = FactorCache()
    for ingredient, (source, target) in itertools.product(SHAPES, PAIRS):
        for quantity in (D("1"), D("2.5"), D("0.333")):
            try:
                expected = convert_for(ingredient, quantity, source, target)
            except UnitConversionError as refused:
                for cache in (shared, FactorCache()):  # refused alike, every time
                    with pytest.raises(UnitConversionError) as again:
                        cache(ingredient, quantity, source, target)
                    assert str(again.value) == str(refused)
                continue
            assert _digits(shared(ingredient, quantity, source, target)) == _digits(expected)
            assert _digits(FactorCache()(ingredient, quantity, source, target)) == _digits(expected)


def test_a_changed_density_or_custom_unit_is_never_served_an_old_factor():
    ingredient = _ingredient((D("1"), "cup", D("4.25"), "oz"), [("stick", D("1"), "cup", D("0.5"))])
    assert FactorCache()(ingredient, D("1"), "cup", "oz") == D("4.25")
    ingredient.density_weight_value = D("5")
    assert FactorCache()(ingredient, D("1"), "cup", "oz") == D("5")
    ingredient.unit_conversions[0] = TreeConversion("stick", D("1"), "cup", D("0.25"))
    assert FactorCache()(ingredient, D("1"), "stick", "cup") == D("0.25")
    ingredient.unit_conversions.clear()
    with pytest.raises(UnitConversionError):
        FactorCache()(ingredient, D("1"), "stick", "cup")
    assert units.convert(D("1"), "cup", "tbsp") == FactorCache()(
        _ingredient(), D("1"), "cup", "tbsp"
    )
