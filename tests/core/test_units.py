"""Unit conversion: standard factors, density, custom units, forgiving spellings, clear errors."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bake_tracker.core import units
from bake_tracker.core.errors import UnitConversionError, ValidationError
from bake_tracker.core.units import (
    CustomConversion,
    Density,
    Factor,
    can_convert,
    conversion_factor,
    convert,
    normalize_unit,
    unit_dimension,
)

RYE = Density(D(1), "cup", D("113.398"), "g")  # exactly 4 cup per lb with the standard factors
FLOUR_120 = Density(D(1), "cup", D(120), "g")
BUTTER_UNITS = (CustomConversion("stick", D(1), "cup", D("0.5")),)
EGGS = (CustomConversion("egg", D(1), "g", D(50)),)
BOXES = (CustomConversion("box", D(1), "each", D(12)),)


@pytest.mark.parametrize(
    ("quantity", "source", "target", "expected"),
    [
        (D(1), "kg", "g", D(1000)),
        (D(2), "lb", "oz", D("32.00")),  # 2 × 453.592 / 28.3495
        (D(3), "tsp", "tbsp", D("1.000")),
        (D(1), "cup", "ml", D("236.588")),
        (D(1), "gal", "qt", D("4.000")),
        (D(2), "dozen", "each", D(24)),
        (D(5), "bag", "bag", D(5)),
        (D("0.5"), "l", "ml", D(500)),
    ],
)
def test_standard_units_convert_within_their_dimension(quantity, source, target, expected):
    assert convert(quantity, source, target).quantize(D("0.001")) == expected.quantize(D("0.001"))


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Cups", "cup"),
        (" TBSP ", "tbsp"),
        ("tablespoons", "tbsp"),
        ("Lbs", "lb"),
        ("pounds", "lb"),
        ("fl. oz.", "fl oz"),
        ("Fluid Ounces", "fl oz"),
        ("grams", "g"),
        ("boxes", "box"),
        ("each", "each"),
        ("pcs", "piece"),
    ],
)
def test_typed_spellings_are_forgiven(typed, canonical):
    assert normalize_unit(typed) == canonical


def test_density_converts_volume_and_weight_both_ways():
    assert convert(D(1), "lb", "cup", density=RYE) == D(4)
    assert convert(D(4), "cup", "lb", density=RYE) == D(1)
    grams = convert(D(2), "cup", "g", density=FLOUR_120)
    assert grams == D(240)
    assert convert(D(480), "g", "lb", density=FLOUR_120).quantize(D("0.000001")) == D("1.058220")


def test_custom_units_join_the_standard_ones():
    assert convert(D(2), "sticks", "cup", custom=BUTTER_UNITS) == D(1)
    assert convert(D(1), "cup", "stick", custom=BUTTER_UNITS) == D(2)
    assert convert(D(3), "egg", "g", custom=EGGS) == D(150)
    assert convert(D(100), "g", "eggs", custom=EGGS) == D(2)
    assert convert(D(2), "box", "dozen", custom=BOXES) == D(2)


def test_custom_unit_and_density_chain():
    """1 stick = 0.5 cup, and 1 cup = 4.25 oz: a stick weighs 2.125 oz."""
    butter = Density(D(1), "cup", D("4.25"), "oz")
    ounces = convert(D(1), "stick", "oz", density=butter, custom=BUTTER_UNITS)
    assert ounces.quantize(D("0.000001")) == D("2.125000")


@pytest.mark.parametrize(
    ("source", "target", "advice"),
    [
        ("cup", "lb", "set the density of 'Flour'"),
        ("bag", "each", "add a custom unit conversion to 'Flour'"),
        ("cup", "zorp", "'zorp' is not a unit I know"),
    ],
)
def test_impossible_conversions_say_what_to_set(source, target, advice):
    with pytest.raises(UnitConversionError) as excinfo:
        convert(D(1), source, target, ingredient_name="Flour")
    error = excinfo.value
    assert advice in str(error)
    assert isinstance(error, ValidationError)
    assert (error.from_unit, error.to_unit) == (source, target)
    assert not can_convert(source, target)


def test_dimensions():
    assert unit_dimension("Cups") == "volume"
    assert unit_dimension("lb") == "weight"
    assert unit_dimension("dozen") == "count"
    assert unit_dimension("jar") == "package:jar"
    assert unit_dimension("stick") is None


def test_density_units_must_be_of_the_right_kind():
    with pytest.raises(UnitConversionError, match="must be a weight unit"):
        convert(D(1), "cup", "g", density=Density(D(1), "cup", D(4), "tsp"))


def test_a_conversion_factor_is_convert_in_steps():
    """The public factor: base factors and the bridge ratio, applied in ``convert``'s order."""
    assert conversion_factor("Cups", "tbsp") == Factor(D("236.588"), None, D("14.7868"))
    assert conversion_factor("lb", "cup", density=RYE).apply(D(1)) == D(4)
    butter = Density(D(1), "cup", D("4.25"), "oz")
    factor = conversion_factor("stick", "oz", density=butter, custom=BUTTER_UNITS)
    assert (factor.source, factor.target) == (D(1), D("28.3495"))
    assert factor.ratio == D("0.5") * D("236.588") * (D("4.25") * D("28.3495") / D("236.588"))
    for quantity in (D(1), D("0.001"), D("17.125"), D("1234.567"), D(2) / D(3)):
        expected = convert(quantity, "stick", "oz", density=butter, custom=BUTTER_UNITS)
        assert str(factor.apply(quantity)) == str(expected)
    for source, target in (("cup", "lb"), ("bag", "each"), ("cup", "zorp")):
        with pytest.raises(UnitConversionError) as from_convert:
            convert(D(1), source, target, ingredient_name="Flour")
        with pytest.raises(UnitConversionError) as from_factor:
            conversion_factor(source, target, ingredient_name="Flour")
        assert str(from_factor.value) == str(from_convert.value)


def test_units_for_offers_what_converts_to_the_ingredients_unit() -> None:
    volume = units.units_for("cup")
    assert volume[0] == "cup"
    assert set(volume) == set(units.VOLUME_UNITS)  # no grams without a density, no centimetres
    butter = units.Density(D(1), "cup", D(227), "g")
    both = units.units_for("cup", density=butter)
    assert set(both) == set(units.VOLUME_UNITS) | set(units.WEIGHT_UNITS)
    assert "cm" not in both and "bag" not in both
    stick = units.CustomConversion("stick", D(1), "cup", D("0.5"))
    assert units.units_for("cup", custom=[stick])[:2] == ["cup", "stick"]
    assert units.units_for("bag") == ["bag"]
    ribbon = units.units_for("yd")
    assert "cm" in ribbon and "cup" not in ribbon  # ribbon is measured by length


def test_food_units_leave_out_lengths() -> None:
    assert "cm" not in units.FOOD_UNIT_CHOICES and "yd" not in units.FOOD_UNIT_CHOICES
    assert {"cup", "g", "each", "bag"} <= set(units.FOOD_UNIT_CHOICES)
    assert "yd" in units.UNIT_CHOICES


def test_remembered_factors_follow_every_input_to_the_digit():
    # conversion_factor remembers factors: a changed density, custom unit or even the text of an
    # equal number (236.588 g and 236.5880 g a cup: ratios 1 and 1.0) must not reuse one.
    def fresh(*args, **kwargs):
        units._FACTORS_SEEN.clear()
        return units.conversion_factor(*args, **kwargs)

    seen = []
    for density in (
        Density(D(1), "cup", D("236.588"), "g"),
        Density(D(1), "cup", D("236.5880"), "g"),
        Density(D("1.0"), "cup", D("236.588"), "g"),
        Density(D(1), "cup", D("4.25"), "oz"),
    ):
        remembered = units.conversion_factor("cup", "g", density=density)
        alone = fresh("cup", "g", density=density)
        assert str(remembered.apply(D("2.5"))) == str(alone.apply(D("2.5")))
        seen.append(str(alone.apply(D("2.5"))))
    assert seen[:2] == ["591.4700", "591.47000"]  # the case the key's exact text is for
    custom = [CustomConversion("stick", D(1), "g", D(113))]
    assert units.conversion_factor("stick", "g", custom=custom).source == D(1)
    other = [CustomConversion("stick", D(1), "g", D(100))]
    assert units.convert(D(1), "stick", "g", custom=other) == D(100)
    assert units.convert(D(1), "stick", "g", custom=custom) == D(113)


def test_a_pair_that_does_not_convert_raises_every_time_with_its_own_name():
    for name in ("Flour", "Sugar"):
        with pytest.raises(UnitConversionError, match=name):
            units.conversion_factor("cup", "g", ingredient_name=name)


@pytest.mark.parametrize("unit", [["list"], {"cup": 1}, 0, None])
def test_a_unit_that_is_not_a_name_is_refused_not_remembered(unit) -> None:
    # The factor memo keys on the units: an unhashable one raised TypeError instead of the
    # clear refusal (found by the hostile-argument fuzz test).
    with pytest.raises(UnitConversionError):
        units.convert(D(1), "cup", unit)
    with pytest.raises(UnitConversionError):
        units.conversion_factor(unit, "cup")
