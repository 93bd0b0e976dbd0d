"""Places, half-up rounding and the two zeros."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bake_tracker.core.numbers import (
    MONEY_PLACES,
    MONEY_ZERO,
    QUANTITY_PLACES,
    ZERO,
    round_money,
    round_quantity,
)


@pytest.mark.parametrize(
    ("value", "quantity", "money"),
    [
        ("1.0005", "1.001", "1.0005"),  # half-up, not half-to-even
        ("0.00049", "0.000", "0.0005"),
        ("-1.0005", "-1.001", "-1.0005"),  # away from zero below 0 too
        ("2.00004999", "2.000", "2.0000"),
        ("7", "7.000", "7.0000"),
    ],
)
def test_rounding_is_half_up_to_the_figures_places(value, quantity, money):
    assert str(round_quantity(D(value))) == quantity
    assert str(round_money(D(value))) == money
    assert -round_quantity(D(value)).as_tuple().exponent == QUANTITY_PLACES
    assert -round_money(D(value)).as_tuple().exponent == MONEY_PLACES


def test_the_two_zeros_are_equal_but_print_differently():
    assert ZERO == MONEY_ZERO == 0
    assert (str(ZERO), str(MONEY_ZERO)) == ("0", "0.0000")
    assert str(MONEY_ZERO + D("1.5")) == "1.5000"  # a sum keeps the finer exponent
