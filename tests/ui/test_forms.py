"""The pure form helpers: entry text to service values (or an inline message), values to text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bake_tracker.core.dates import DateOrder
from bake_tracker.ui import forms
from bake_tracker.ui.forms import FieldError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", Decimal("1.5")),
        (" 2 ", Decimal("2")),
        ("1,250.5", Decimal("1250.5")),
        ("12,345,678", Decimal("12345678")),
        (".5", Decimal("0.5")),
        ("0", Decimal("0")),
        ("+3", Decimal("3")),
        ("25.125", Decimal("25.125")),
    ],
)
def test_decimal_text_accepts_what_people_type(text: str, expected: Decimal) -> None:
    assert forms.parse_decimal_text(text, "Quantity") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Quantity must be a number"),
        ("1.2.3", "Quantity must be a number"),
        ("1e5", "Quantity must be a number"),
        ("nan", "Quantity must be a number"),
        ("inf", "Quantity must be a number"),
        ("12,34,5", "Quantity must be a number"),
        ("-", "Quantity must be a number"),
        ("1,5", "use a point for decimals, like 1.5"),
        ("-1", "Quantity cannot be negative."),
        ("", "Quantity is required."),
        ("   ", "Quantity is required."),
        ("1.2345", "at most 3 decimal places"),
        ("2000000000", "Quantity is too large."),
    ],
)
def test_decimal_text_refuses_with_a_message_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        forms.parse_decimal_text(text, "Quantity")
    assert message in caught.value.message


def test_decimal_text_options_for_zero_negative_and_blank() -> None:
    assert forms.parse_decimal_text("", "Notes amount", required=False) is None
    assert forms.parse_decimal_text("-2", "Change", allow_negative=True) == Decimal(-2)
    with pytest.raises(FieldError, match="Change cannot be 0"):
        forms.parse_decimal_text("0", "Change", allow_negative=True, allow_zero=False)
    with pytest.raises(FieldError, match="Amount must be more than 0"):
        forms.parse_decimal_text("0.000", "Amount", allow_zero=False)
    assert forms.parse_decimal_text("1.23456", "Rate", places=None) == Decimal("1.23456")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18.99", Decimal("18.99")), ("$18.99", Decimal("18.99")), (" $ 1,200 ", Decimal(1200))],
)
def test_money_text_accepts_a_dollar_sign(text: str, expected: Decimal) -> None:
    assert forms.parse_money_text(text, "Total cost") == expected


def test_money_text_refuses_negative_and_too_precise_amounts() -> None:
    with pytest.raises(FieldError, match="Total cost cannot be negative"):
        forms.parse_money_text("-5", "Total cost")
    with pytest.raises(FieldError, match="at most 4 decimal places"):
        forms.parse_money_text("1.23456", "Total cost")


def test_date_text() -> None:
    assert forms.parse_date_text(" 2025-12-24 ", "Purchase date") == date(2025, 12, 24)
    assert forms.parse_date_text("", "Expiry date", required=False) is None
    assert forms.parse_date_text("24/12/2025", "Purchase date") == date(2025, 12, 24)
    mdy, dmy = DateOrder.MONTH_FIRST, DateOrder.DAY_FIRST
    assert forms.parse_date_text("1/2/2027", "Date", order=mdy) == date(2027, 1, 2)
    assert forms.parse_date_text("1/2/2027", "Date", order=dmy) == date(2027, 2, 1)
    today = date(2026, 12, 5)
    assert forms.parse_date_text("tomorrow", "Date", today=today) == date(2026, 12, 6)
    assert forms.parse_date_text("Jan 2", "Date", today=today) == date(2026, 1, 2)
    with pytest.raises(
        FieldError, match=r"^Purchase date must be a date like 2025-12-24, 12/24/2025, Dec 24"
    ):
        forms.parse_date_text("next tuesday", "Purchase date", order=mdy)
    with pytest.raises(FieldError, match=r"^Date must be a date like 2025-12-24, 24/12/2025,"):
        forms.parse_date_text("soon", "Date", order=dmy)
    with pytest.raises(FieldError, match=r"^Date: February 2027 has 28 days, not 30\.$"):
        forms.parse_date_text("2027-02-30", "Date")
    with pytest.raises(FieldError, match="Purchase date is required"):
        forms.parse_date_text("", "Purchase date")


def test_text_is_trimmed_and_limited() -> None:
    assert forms.parse_text("  All   purpose  flour ", "Name") == "All purpose flour"
    assert forms.parse_text("  ", "Brand", required=False) is None
    with pytest.raises(FieldError, match="Name is required"):
        forms.parse_text(" ", "Name")
    with pytest.raises(FieldError, match="at most 5 characters"):
        forms.parse_text("toolong", "Code", max_length=5)


def test_notes_keep_their_lines() -> None:
    assert forms.parse_notes_text("  line one\nline two \n") == "line one\nline two"
    assert forms.parse_notes_text(" \n ") is None
    with pytest.raises(FieldError, match="too long"):
        forms.parse_notes_text("x" * 2001)


@pytest.mark.parametrize(
    ("text", "expected"), [("cups", "cup"), (" LB ", "lb"), ("Tablespoon", "tbsp"), ("bag", "bag")]
)
def test_unit_text_normalises_known_units(text: str, expected: str) -> None:
    assert forms.parse_unit_text(text, "Recipe unit") == expected


def test_unit_text_refuses_unknown_units_unless_the_ingredient_has_them() -> None:
    with pytest.raises(FieldError, match="“smidgen” is not a unit I know"):
        forms.parse_unit_text("smidgen", "Recipe unit")
    assert forms.parse_unit_text("sticks", "Purchase unit", extra=["stick"]) == "stick"
    with pytest.raises(FieldError, match="Recipe unit is required"):
        forms.parse_unit_text("", "Recipe unit")


def test_unit_text_can_insist_on_a_dimension() -> None:
    assert forms.parse_unit_text("oz", "Weight unit", dimension="weight") == "oz"
    with pytest.raises(FieldError, match="must be a weight unit"):
        forms.parse_unit_text("cup", "Weight unit", dimension="weight")


@pytest.mark.parametrize(
    ("quantity", "total", "expected"),
    [
        ("25", "18.99", "= $0.7596 per lb"),
        ("3", "1", "= $0.3333 per lb"),
        ("3", "2", "= $0.6667 per lb"),  # half-up, as the service rounds
        ("4", "10", "= $2.50 per lb"),
        ("25", "0", "= $0.00 per lb"),
        ("", "18.99", ""),
        ("25", "", ""),
        ("0", "18.99", ""),
        ("abc", "18.99", ""),
        ("25", "-1", ""),
    ],
)
def test_unit_cost_preview(quantity: str, total: str, expected: str) -> None:
    assert forms.unit_cost_preview(quantity, total, "lb") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("13.000"), "13"),
        (Decimal("12.500"), "12.5"),
        (Decimal("0.125"), "0.125"),
        (Decimal("1250"), "1,250"),
        (Decimal("0.000"), "0"),
        (Decimal("-0.000"), "0"),
        (Decimal("-2.500"), "-2.5"),
        (Decimal("1E+1"), "10"),
    ],
)
def test_format_number_drops_useless_zeros(value: Decimal, expected: str) -> None:
    assert forms.format_number(value) == expected


def test_format_quantity_money_unit_cost_date_and_plural() -> None:
    assert forms.format_quantity(Decimal("13.000"), "lb") == "13 lb"
    # Tables and cards read "48 cookies", "1 cup", "36.8 oz": the unit in the right number.
    assert forms.format_quantity(Decimal("48"), "cookie") == "48 cookies"
    assert forms.format_quantity(Decimal("1.000"), "cup") == "1 cup"
    assert forms.format_quantity(Decimal("2.500"), "cup") == "2.5 cups"
    assert forms.format_quantity(Decimal("36.80"), "oz") == "36.8 oz"
    assert forms.format_quantity(Decimal("3"), "each") == "3 each"
    assert forms.format_money(Decimal("9.88")) == "$9.88"
    assert forms.format_money(Decimal("1234.5")) == "$1,234.50"
    assert forms.format_money(Decimal("-3")) == "-$3.00"
    assert forms.format_money(None) == "—"
    assert forms.format_unit_cost(Decimal("0.7596")) == "$0.7596"
    assert forms.format_unit_cost(Decimal("2.5000")) == "$2.50"
    assert forms.format_unit_cost(Decimal("0.8990")) == "$0.899"
    assert forms.format_unit_cost(None) == "—"
    assert forms.format_date(date(2025, 1, 2)) == "2025-01-02"
    assert forms.format_date(None) == "—"
    assert forms.format_long_date(date(2025, 12, 24)) == "Wednesday, December 24, 2025"
    assert forms.plural(1, "lot") == "1 lot"
    assert forms.plural(3, "lot") == "3 lots"
    assert forms.plural(0, "batch", "batches") == "0 batches"


def test_date_preview_is_the_long_form() -> None:
    today = date(2026, 12, 5)
    assert forms.date_preview("2027-01-02", today=today) == "Saturday, January 2, 2027"
    assert forms.date_preview("today", today=today) == "Saturday, December 5, 2026"
    assert forms.date_preview(" ", today=today) == ""
    assert forms.date_preview("soon", today=today) == "not a date yet"
