"""Exact numbers: how many decimal places each kind of figure keeps, how it is rounded, and zero.

Every figure is a ``Decimal`` (never a float). A quantity keeps 3 decimal places and money 4;
both are rounded half-up (0.0005 → 0.001), and only where a rule says so: conversions and sums run
at full precision. Cents and percentages shown to the user keep 2 places.

Two zeros, because a ``Decimal`` remembers its exponent and formatting shows it: ``ZERO`` is the
plain 0 (prints "0"); ``MONEY_ZERO`` is 0 at money precision (prints "0.0000"), the start of the
cost sums whose results are stored and shown as money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

QUANTITY_PLACES = 3
MONEY_PLACES = 4
QUANTITY_STEP = Decimal(1).scaleb(-QUANTITY_PLACES)  # 0.001
MONEY_STEP = Decimal(1).scaleb(-MONEY_PLACES)  # 0.0001
TWO_PLACES = Decimal("0.01")  # cents, and percentages shown to two places
# The largest amount any field accepts: far beyond any kitchen, and it keeps every figure scaled to
# an integer (money × 10,000) well inside a 64-bit column.
MAX_NUMBER = Decimal(1_000_000_000)

ZERO = Decimal(0)
MONEY_ZERO = Decimal("0.0000")


def round_quantity(value: Decimal) -> Decimal:
    """``value`` rounded half-up to a quantity's 3 places."""
    return value.quantize(QUANTITY_STEP, rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    """``value`` rounded half-up to money's 4 places."""
    return value.quantize(MONEY_STEP, rounding=ROUND_HALF_UP)
