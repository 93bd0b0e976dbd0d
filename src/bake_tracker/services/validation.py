"""Argument checking shared by the services: collect every problem, then raise one ValidationError.

Numbers arrive as ``int``, ``Decimal`` or numeric ``str``. Floats (a binary fraction is not the
amount meant), booleans, NaN, infinities, negatives where not allowed, more decimal places than the
figure keeps (``core.numbers``: 3 for a quantity, 4 for money) and absurdly large values are
refused with a message that names the field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger

from bake_tracker.core.numbers import MAX_NUMBER, QUANTITY_PLACES
from bake_tracker.services.errors import ValidationError

# The largest whole number a column can hold on every backend: ids and counts are INTEGER columns,
# which PostgreSQL keeps in 32 bits (SQLite in 64); scaled money and quantities are BIGINT. A larger
# value makes the driver or the server overflow, so it is refused (or simply not found) first.
MAX_ID = 2**31 - 1
MAX_BIG_INTEGER = 2**63 - 1


class Problems:
    """Collects validation messages; ``raise_if_any`` raises them together."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)

    def __enter__(self) -> Problems:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.raise_if_any()


def is_id(value: Any) -> bool:
    """A row id that could exist: an ``int`` (not a ``bool``) in 1..2³¹−1.

    Anything else is simply not found; a larger int would make the database driver overflow.
    """
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def largest_integer(column_type: Any) -> int:
    """The largest value an integer column of ``column_type`` holds on every backend."""
    return MAX_BIG_INTEGER if isinstance(column_type, BigInteger) else MAX_ID


def is_utf8(text: str) -> bool:
    """False for text that cannot be stored, such as a lone surrogate (``"\\udc80"``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def to_decimal(
    value: Any,
    field: str,
    problems: Problems,
    *,
    places: int | None = QUANTITY_PLACES,
    minimum: Decimal | int | None = 0,
    allow_zero: bool = True,
    required: bool = True,
) -> Decimal | None:
    """Parse a number; on any problem record it and return None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(f"{field} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        problems.add(f"{field} must be a number, not {type(value).__name__}")
        return None
    try:
        number = (
            Decimal(value.strip().replace(",", "")) if isinstance(value, str) else Decimal(value)
        )
    except InvalidOperation:
        problems.add(f"{field} must be a number (got {str(value)[:40]!r})")
        return None
    if not number.is_finite():
        problems.add(f"{field} must be a finite number")
        return None
    if abs(number) > MAX_NUMBER:
        problems.add(f"{field} is too large (at most {MAX_NUMBER:,})")
        return None
    if minimum is not None and number < minimum:
        problems.add(f"{field} must not be negative" if minimum == 0 else f"{field} is too small")
        return None
    if not allow_zero and number == 0:
        problems.add(f"{field} must be greater than 0")
        return None
    if places is None:  # a computed figure: kept at full precision
        return number
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        problems.add(
            f"{field} must be a whole number"
            if places == 0
            else f"{field} can have at most {places} decimal places"
        )
        return None
    return number.quantize(step)


def to_int(
    value: Any, field: str, problems: Problems, *, minimum: int | None = 0, required: bool = True
) -> int | None:
    """Parse a whole number (``"3"``, ``3``, ``Decimal("3")``); refuse fractions."""
    number = to_decimal(value, field, problems, places=0, minimum=minimum, required=required)
    return None if number is None else int(number)


def to_text(
    value: Any,
    field: str,
    problems: Problems,
    *,
    max_length: int,
    required: bool = True,
) -> str | None:
    """Trimmed text; blank counts as missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(f"{field} is required")
        return None
    if not isinstance(value, str):
        problems.add(f"{field} must be text")
        return None
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if "\x00" in text:
        problems.add(f"{field} contains an invalid character")
        return None
    if not is_utf8(text):
        problems.add(f"{field} contains characters that are not valid text (not UTF-8)")
        return None
    if len(text) > max_length:
        problems.add(f"{field} is too long (at most {max_length} characters)")
        return None
    return text


def to_filter(value: Any, field: str, problems: Problems) -> str | None:
    """An optional text filter (a search box, a category, a location): trimmed, None when blank.

    Anything but text is refused, as is text that cannot be stored (not UTF-8).
    """
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add(f"{field} must be text, not {type(value).__name__}")
        return None
    if not is_utf8(value):
        problems.add(f"{field} contains characters that are not valid text (not UTF-8)")
        return None
    return value.strip() or None


def to_date(value: Any, field: str, problems: Problems, *, required: bool = True) -> date | None:
    """A ``date`` or an ISO ``YYYY-MM-DD`` string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(f"{field} is required")
        return None
    if isinstance(value, datetime):
        problems.add(f"{field} must be a date, not a date and time")
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.add(f"{field} must be a date like 2025-12-24")
    return None


def to_choice(value: Any, field: str, choices: tuple[str, ...], problems: Problems) -> str | None:
    """One of ``choices`` (case-insensitive); the message lists them."""
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text in choices:
        return text
    problems.add(f"{field} must be one of: {', '.join(choices)}")
    return None


UNCHANGED: Any = object()  # a keyword's default meaning "leave this field as it is"


def refuse_unknown_fields(fields: dict[str, Any], allowed, what: str) -> None:
    """Refuse update ``fields`` that are not ``allowed``: "Unknown ingredient field(s): a, b"."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError(f"Unknown {what} field(s): {', '.join(unknown)}")
