"""Unit conversion: a pure module, ``Decimal`` in and out, no database.

Units belong to a *dimension* with a factor to its base unit: weight (g), volume (ml), count
(each). Package units (bag, box, jar…) are each their own dimension, so a bag is only ever a bag
unless the ingredient says otherwise. Conversions across dimensions need a *bridge*: the
ingredient's density (volume ↔ weight, from the four-field form "1 cup = 4.25 oz") or one of its
custom conversions ("1 stick = 0.5 cup", "1 egg = 50 g", "1 box = 12 each"). A custom conversion
may also introduce a unit this module does not know ("stick", "egg"). Results are exact to the
precision of ``Decimal``; rounding is the caller's business (``core.numbers`` says to how many
places).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bake_tracker.core.errors import UnitConversionError

WEIGHT, VOLUME, COUNT, LENGTH = "weight", "volume", "count", "length"

# Factors to the base unit (g, ml, each): US units by their metric definitions, to at most six
# significant figures (1 lb = 453.592 g, 1 cup = 236.588 ml).
_FACTORS: dict[str, tuple[str, Decimal]] = {
    "g": (WEIGHT, Decimal(1)),
    "kg": (WEIGHT, Decimal(1000)),
    "oz": (WEIGHT, Decimal("28.3495")),
    "lb": (WEIGHT, Decimal("453.592")),
    "ml": (VOLUME, Decimal(1)),
    "l": (VOLUME, Decimal(1000)),
    "tsp": (VOLUME, Decimal("4.92892")),
    "tbsp": (VOLUME, Decimal("14.7868")),
    "fl oz": (VOLUME, Decimal("29.5735")),
    "cup": (VOLUME, Decimal("236.588")),
    "pt": (VOLUME, Decimal("473.176")),
    "qt": (VOLUME, Decimal("946.353")),
    "gal": (VOLUME, Decimal("3785.41")),
    "each": (COUNT, Decimal(1)),
    "count": (COUNT, Decimal(1)),
    "piece": (COUNT, Decimal(1)),
    "dozen": (COUNT, Decimal(12)),
    # Lengths, for ribbon and twine (0.5 yd per gift bag).
    "cm": (LENGTH, Decimal(1)),
    "m": (LENGTH, Decimal(100)),
    "in": (LENGTH, Decimal("2.54")),
    "ft": (LENGTH, Decimal("30.48")),
    "yd": (LENGTH, Decimal("91.44")),
}
PACKAGE_UNITS = (
    "bag",
    "box",
    "bar",
    "bottle",
    "can",
    "jar",
    "packet",
    "container",
    "package",
    "case",
)

# Spellings people type, mapped to the canonical name (plurals are handled separately).
_ALIASES = {
    "gram": "g",
    "gr": "g",
    "kilogram": "kg",
    "kilo": "kg",
    "ounce": "oz",
    "pound": "lb",
    "lbs": "lb",
    "milliliter": "ml",
    "millilitre": "ml",
    "liter": "l",
    "litre": "l",
    "teaspoon": "tsp",
    "t": "tsp",
    "tablespoon": "tbsp",
    "tbs": "tbsp",
    "tbl": "tbsp",
    "fluid ounce": "fl oz",
    "floz": "fl oz",
    "fl. oz": "fl oz",
    "fl.oz": "fl oz",
    "c": "cup",
    "pint": "pt",
    "quart": "qt",
    "gallon": "gal",
    "ea": "each",
    "pc": "piece",
    "pcs": "piece",
    "doz": "dozen",
    "pkg": "package",
    "yard": "yd",
    "yds": "yd",
    "foot": "ft",
    "feet": "ft",
    "inch": "in",
    "inches": "in",
    "meter": "m",
    "metre": "m",
    "centimeter": "cm",
    "centimetre": "cm",
    "pack": "package",
}

UNIT_CHOICES: tuple[str, ...] = (*_FACTORS, *PACKAGE_UNITS)
# What food is measured in: every unit but lengths (cm and yd are for ribbon and twine).
FOOD_UNIT_CHOICES: tuple[str, ...] = tuple(
    u for u in UNIT_CHOICES if u not in _FACTORS or _FACTORS[u][0] != LENGTH
)
WEIGHT_UNITS = tuple(u for u, (dim, _) in _FACTORS.items() if dim == WEIGHT)
VOLUME_UNITS = tuple(u for u, (dim, _) in _FACTORS.items() if dim == VOLUME)


@dataclass(frozen=True)
class Density:
    """``volume_value volume_unit`` weighs ``weight_value weight_unit`` (1 cup = 4.25 oz)."""

    volume_value: Decimal
    volume_unit: str
    weight_value: Decimal
    weight_unit: str

    def grams_per_ml(self) -> Decimal:
        grams = self.weight_value * _factor(self.weight_unit, WEIGHT, "density weight")
        ml = self.volume_value * _factor(self.volume_unit, VOLUME, "density volume")
        return grams / ml


@dataclass(frozen=True)
class CustomConversion:
    """A per-ingredient conversion: ``from_quantity from_unit = to_quantity to_unit``."""

    from_unit: str
    from_quantity: Decimal
    to_unit: str
    to_quantity: Decimal


def normalize_unit(unit: str) -> str:
    """The canonical spelling of a unit: trimmed, lower case, singular, aliases resolved."""
    return _normalized(unit if isinstance(unit, str) else str(unit))


# The unit tables are constants, so this is a pure function of the text; it runs for both units
# of every conversion (a FIFO plan or a dashboard resolves hundreds), so it is remembered per
# spelling. Spellings are few (units the catalog and recipes use); the bound keeps odd input from
# growing the memo without limit.
@lru_cache(maxsize=4096)
def _normalized(unit: str) -> str:
    text = " ".join(unit.strip().lower().replace(".", ". ").split()).replace(". ", ".")
    text = text.rstrip(".")
    if text in _FACTORS or text in PACKAGE_UNITS:
        return text
    if text in _ALIASES:
        return _ALIASES[text]
    singular = _singular(text)
    if singular in _FACTORS or singular in PACKAGE_UNITS:
        return singular
    return _ALIASES.get(singular, singular)


def _singular(text: str) -> str:
    if text.endswith("ches") or text.endswith("xes"):
        return text[:-2]  # pinches → pinch, boxes → box
    if text.endswith("s") and not text.endswith("ss") and len(text) > 1:
        return text[:-1]
    return text


def is_known_unit(unit: str) -> bool:
    name = normalize_unit(unit)
    return name in _FACTORS or name in PACKAGE_UNITS


def unit_dimension(unit: str) -> str | None:
    """``weight``, ``volume``, ``count``, ``package:<name>``, or None for an unknown unit."""
    name = normalize_unit(unit)
    if name in _FACTORS:
        return _FACTORS[name][0]
    if name in PACKAGE_UNITS:
        return f"package:{name}"
    return None


def _factor(unit: str, dimension: str, what: str) -> Decimal:
    name = normalize_unit(unit)
    if name not in _FACTORS or _FACTORS[name][0] != dimension:
        raise UnitConversionError(unit, dimension, f"the {what} unit must be a {dimension} unit")
    return _FACTORS[name][1]


# --- conversion -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bridge:
    """``amount_a`` base units of ``dim_a`` correspond to ``amount_b`` base units of ``dim_b``."""

    dim_a: str
    amount_a: Decimal
    dim_b: str
    amount_b: Decimal


@dataclass(frozen=True, slots=True)
class Factor:
    """How one unit becomes another for an ingredient: times ``source`` (the first unit's base
    factor), times ``ratio`` (base units of the target's dimension per base unit of the source's,
    through density or custom units; None within one dimension), divided by ``target`` (the
    second unit's base factor). ``apply`` does these steps in ``convert``'s order, so it equals
    ``convert`` to the last digit; a ``Factor`` may be kept and applied to many quantities."""

    source: Decimal
    ratio: Decimal | None
    target: Decimal

    def apply(self, quantity: Decimal) -> Decimal:
        if self.ratio is None:
            return quantity * self.source / self.target
        return quantity * self.source * self.ratio / self.target


def conversion_factor(
    from_unit: str,
    to_unit: str,
    *,
    density: Density | None = None,
    custom: Sequence[CustomConversion] = (),
    ingredient_name: str | None = None,
) -> Factor:
    """The factor from ``from_unit`` to ``to_unit`` for an ingredient with this density and these
    custom conversions.

    Raises:
        UnitConversionError: as ``convert`` does.
    """
    # A pure function of its arguments, remembered: costing an event or a season asks for the
    # same few hundred factors on every call. The key holds every input that shapes the factor,
    # numbers by their exact text (1.5 and 1.50 are equal Decimals that can give factors of
    # different exponents), so a changed density or custom unit is a new key; a pair that does
    # not convert is never remembered (asking again raises again, with this ingredient's name).
    try:
        key = (from_unit, to_unit, _density_key(density), _custom_key(custom))
        found = _FACTORS_SEEN.get(key)
    except (TypeError, AttributeError):  # not units (a list, a number): refused as before
        return _conversion_factor(from_unit, to_unit, density, custom, ingredient_name)
    if found is None:
        found = _conversion_factor(from_unit, to_unit, density, custom, ingredient_name)
        if len(_FACTORS_SEEN) >= _FACTORS_SEEN_LIMIT:
            _FACTORS_SEEN.clear()  # a bound, not a policy: a catalog has a few thousand pairs
        _FACTORS_SEEN[key] = found
    return found


_FACTORS_SEEN: dict[tuple, Factor] = {}
_FACTORS_SEEN_LIMIT = 50_000


def _density_key(density: Density | None) -> tuple | None:
    if density is None:
        return None
    return (
        str(density.volume_value),
        density.volume_unit,
        str(density.weight_value),
        density.weight_unit,
    )


def _custom_key(custom: Sequence[CustomConversion]) -> tuple:
    return tuple((c.from_unit, str(c.from_quantity), c.to_unit, str(c.to_quantity)) for c in custom)


def _conversion_factor(
    from_unit: str,
    to_unit: str,
    density: Density | None,
    custom: Sequence[CustomConversion],
    ingredient_name: str | None,
) -> Factor:
    units = _UnitTable(custom)
    source, target = units.resolve(from_unit), units.resolve(to_unit)
    if source is None or target is None:
        unknown = from_unit if source is None else to_unit
        raise UnitConversionError(from_unit, to_unit, f"'{unknown}' is not a unit I know")
    (src_dim, src_factor), (dst_dim, dst_factor) = source, target
    if src_dim == dst_dim:
        return Factor(src_factor, None, dst_factor)
    ratio = _bridge_ratio(src_dim, dst_dim, units.bridges(density))
    if ratio is None:
        raise UnitConversionError(
            from_unit, to_unit, _missing_bridge_advice(src_dim, dst_dim, ingredient_name)
        )
    return Factor(src_factor, ratio, dst_factor)


def convert(
    quantity: Decimal,
    from_unit: str,
    to_unit: str,
    *,
    density: Density | None = None,
    custom: Sequence[CustomConversion] = (),
    ingredient_name: str | None = None,
) -> Decimal:
    """Convert ``quantity`` between two units, through density or custom conversions if needed.

    Raises:
        UnitConversionError: an unknown unit, or no way between the two units; the message says
            what to set (a density, or a custom conversion) for ``ingredient_name``.
    """
    factor = conversion_factor(
        from_unit, to_unit, density=density, custom=custom, ingredient_name=ingredient_name
    )
    return factor.apply(quantity)


def can_convert(
    from_unit: str,
    to_unit: str,
    *,
    density: Density | None = None,
    custom: Sequence[CustomConversion] = (),
) -> bool:
    try:
        convert(Decimal(1), from_unit, to_unit, density=density, custom=custom)
    except UnitConversionError:
        return False
    return True


def units_for(
    unit: str,
    *,
    density: Density | None = None,
    custom: Sequence[CustomConversion] = (),
    choices: Iterable[str] = UNIT_CHOICES,
) -> list[str]:
    """The units a picker offers for an ingredient counted in ``unit``: ``unit`` first, then its
    own custom units, then every standard unit that converts to ``unit`` (weight and volume for
    butter with a density, volume alone without one, never centimetres for flour). The same rule
    as ``convert``, so whatever is offered is accepted."""
    own = [
        name
        for c in custom
        for name in (c.from_unit, c.to_unit)
        if not is_known_unit(name) and can_convert(name, unit, density=density, custom=custom)
    ]
    fitting = [u for u in choices if can_convert(u, unit, density=density, custom=custom)]
    return list(dict.fromkeys([unit, *own, *fitting]))


class _UnitTable:
    """Standard units plus the units an ingredient's custom conversions introduce."""

    def __init__(self, custom: Iterable[CustomConversion]) -> None:
        self.custom = list(custom)

    def resolve(self, unit: str) -> tuple[str, Decimal] | None:
        name = normalize_unit(unit)
        if name in _FACTORS:
            return _FACTORS[name]
        if name in PACKAGE_UNITS:
            return f"package:{name}", Decimal(1)
        if any(
            name in (normalize_unit(c.from_unit), normalize_unit(c.to_unit)) for c in self.custom
        ):
            return f"custom:{name}", Decimal(1)
        return None

    def bridges(self, density: Density | None) -> list[_Bridge]:
        found = []
        if density is not None:
            found.append(_Bridge(VOLUME, Decimal(1), WEIGHT, density.grams_per_ml()))
        for conversion in self.custom:
            a, b = self.resolve(conversion.from_unit), self.resolve(conversion.to_unit)
            if a is None or b is None or a[0] == b[0]:
                continue
            found.append(
                _Bridge(a[0], conversion.from_quantity * a[1], b[0], conversion.to_quantity * b[1])
            )
        return found


def _bridge_ratio(start: str, goal: str, bridges: list[_Bridge]) -> Decimal | None:
    """Base units of ``goal`` per base unit of ``start``, by breadth-first search over bridges."""
    edges: dict[str, list[tuple[str, Decimal]]] = {}
    for bridge in bridges:
        if bridge.amount_a <= 0 or bridge.amount_b <= 0:
            continue
        edges.setdefault(bridge.dim_a, []).append((bridge.dim_b, bridge.amount_b / bridge.amount_a))
        edges.setdefault(bridge.dim_b, []).append((bridge.dim_a, bridge.amount_a / bridge.amount_b))
    seen, queue = {start}, deque([(start, Decimal(1))])
    while queue:
        dimension, ratio = queue.popleft()
        if dimension == goal:
            return ratio
        for neighbour, step in edges.get(dimension, []):
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append((neighbour, ratio * step))
    return None


def _missing_bridge_advice(src: str, dst: str, ingredient: str | None) -> str:
    who = f"'{ingredient}'" if ingredient else "this ingredient"
    if {src, dst} == {VOLUME, WEIGHT}:
        return f"set the density of {who} (for example 1 cup = 4.25 oz)"
    return (
        f"a {_describe(src)} cannot become a {_describe(dst)} by itself; add a custom unit "
        f"conversion to {who} (for example 1 box = 12 each, or 1 stick = 0.5 cup)"
    )


def _describe(dimension: str) -> str:
    if ":" in dimension:
        return f"'{dimension.split(':', 1)[1]}'"
    return f"{dimension} unit"
