"""Argument checking shared by the services: collect every problem, then raise one ValidationError.

Numbers arrive as ``int``, ``Decimal`` or numeric ``str``. Floats (a binary fraction is not the
amount meant), booleans, NaN, infinities, negatives where not allowed, more decimal places than the
figure keeps (``core.numbers``: 3 for a quantity, 4 for money) and absurdly large values are
refused with a message that names the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from bake_tracker.core.numbers import MAX_NUMBER, QUANTITY_PLACES
from bake_tracker.services.errors import ValidationError

# The largest id any row can have on every backend: ids are INTEGER columns, which PostgreSQL keeps
# in 32 bits (SQLite in 64). A larger id would make the server overflow, so it is simply not found.
MAX_ID = 2**31 - 1
# Free text (notes, descriptions, addresses, reasons): the longest any service takes; a field
# stored in a String(n) column is capped at n by the same check.
MAX_NOTES = 2000
# Control characters no field may hold: they are invisible, break exports and terminals, and NUL
# ends a string in C. Tab and line breaks are ordinary text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    problem = text_problem(text, max_length)
    if problem:
        problems.add(f"{field} {problem}")
        return None
    return text


def text_problem(text: str, max_length: int) -> str | None:
    """What makes ``text`` unfit to store, worded to follow the field's name, or None.

    One rule for the services and for imports: no NUL or other control character, valid UTF-8,
    at most ``max_length`` characters. The message never repeats the text (it may be huge).
    """
    control = CONTROL_CHARACTERS.search(text)
    if control:
        code = f"U+{ord(control.group()):04X}"
        return (
            f"contains an invalid character ({code}, NUL)"
            if code == "U+0000"
            else f"contains an invalid control character ({code})"
        )
    if not is_utf8(text):
        return "contains characters that are not valid text (not UTF-8)"
    if len(text) > max_length:
        return f"is too long ({len(text):,} characters, at most {max_length:,})"
    return None


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
