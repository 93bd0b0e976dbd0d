"""Pure helpers for forms: entry text to values for the services, and values to display text.

Parsers take what a user typed and return the value a service expects, or raise ``FieldError``
with a short message for the dialog's inline error label. They give instant feedback only: the
services validate every argument again and remain the authority on business rules. Formatters turn
the ``Decimal`` and ``date`` values of DTOs into the text tables and labels show. No Tk here, so all
of it is tested without a display.
"""

from __future__ import annotations

import functools
import locale
import os
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from bake_tracker.core import dates, units, wording, yields
from bake_tracker.core.numbers import MAX_NUMBER, MONEY_PLACES, QUANTITY_PLACES, round_money
from bake_tracker.services.dto import AdjustmentReason

# "12", "1.5", ".5", "1,250.5" (commas only as thousands separators), with an optional sign.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}")
_WHOLE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)")


class FieldError(ValueError):
    """What is wrong with one field, in words fit for the inline error label."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- parsing --------------------------------------------------------------------------------------


def parse_text(
    text: str, field: str, *, required: bool = True, max_length: int = 200
) -> str | None:
    """Trimmed text, or None when blank and optional."""
    value = " ".join(text.split())
    if not value:
        if required:
            raise FieldError(f"{field} is required.")
        return None
    if len(value) > max_length:
        raise FieldError(f"{field} is too long (at most {max_length} characters).")
    return value


def parse_notes_text(text: str, field: str = "Notes", *, max_length: int = 2000) -> str | None:
    """Free text kept as typed (lines too), trimmed; None when blank."""
    value = text.strip()
    if not value:
        return None
    if len(value) > max_length:
        raise FieldError(f"{field} is too long (at most {max_length} characters).")
    return value


def parse_decimal_text(
    text: str,
    field: str,
    *,
    required: bool = True,
    allow_negative: bool = False,
    allow_zero: bool = True,
    places: int | None = QUANTITY_PLACES,
) -> Decimal | None:
    """A number typed as "2", " 1.5 " or "1,250.5"; None when blank and optional."""
    value = text.strip().replace(" ", "")
    if not value:
        if required:
            raise FieldError(f"{field} is required.")
        return None
    number = _to_decimal(value, field)
    if number < 0 and not allow_negative:
        raise FieldError(f"{field} cannot be negative.")
    if number == 0 and not allow_zero:
        raise FieldError(
            f"{field} cannot be 0." if allow_negative else f"{field} must be more than 0."
        )
    if abs(number) > MAX_NUMBER:
        raise FieldError(f"{field} is too large.")
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
        raise FieldError(f"{field} can have at most {places} decimal places.")
    return number


def _to_decimal(value: str, field: str) -> Decimal:
    if _DECIMAL_COMMA.fullmatch(value):
        raise FieldError(f"{field}: use a point for decimals, like {value.replace(',', '.')}.")
    if not _NUMBER.fullmatch(value) or not any(c.isdigit() for c in value):
        raise FieldError(f"{field} must be a number, like 2 or 1.5 (not “{value[:20]}”).")
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation as error:  # the pattern admits only valid numbers; kept as a guard
        raise FieldError(f"{field} must be a number.") from error


def parse_int_text(text: str, field: str, *, minimum: int = 0, required: bool = True) -> int | None:
    """A whole number typed as "2" or "1,200"; None when blank and optional.

    Below ``minimum`` reads "cannot be negative" for a minimum of 0, else "must be at least N".
    """
    value = text.strip().replace(" ", "")
    if not value:
        if required:
            raise FieldError(f"{field} is required.")
        return None
    if not _WHOLE.fullmatch(value):
        raise FieldError(f"{field} must be a whole number, like 2 (not “{value[:20]}”).")
    number = int(value.replace(",", ""))
    if number < minimum:
        if minimum == 0:
            raise FieldError(f"{field} cannot be negative.")
        raise FieldError(f"{field} must be at least {minimum}.")
    if number > MAX_NUMBER:
        raise FieldError(f"{field} is too large.")
    return number


def parse_money_text(text: str, field: str, *, required: bool = True) -> Decimal | None:
    """An amount of money, "18.99" or "$18.99"; never negative."""
    value = text.strip()
    if value.startswith("$"):
        value = value[1:]
    return parse_decimal_text(value, field, required=required, places=MONEY_PLACES)


@functools.cache
def user_date_order() -> dates.DateOrder:
    """Whether 1/2/2027 is January 2 for this user (``core.dates.user_date_order``: the
    ``BAKE_TRACKER_DATE_ORDER`` setting, else the locale), read once per run."""
    try:
        process_locale = locale.getlocale()[0]
    except ValueError:  # an unknown locale name in the environment
        process_locale = None
    return dates.user_date_order(os.environ, process_locale)


def parse_date_text(
    text: str,
    field: str,
    *,
    required: bool = True,
    today: date | None = None,
    order: dates.DateOrder | None = None,
) -> date | None:
    """A date as people type it: 2025-12-24, 12/24/2025 (in the user's order), Dec 24, today
    (``core.dates.parse_date``); None when blank and optional."""
    value = text.strip()
    if not value:
        if required:
            raise FieldError(f"{field} is required.")
        return None
    order = order or user_date_order()
    try:
        return dates.parse_date(value, today=today or date.today(), order=order)
    except dates.DateParseError as error:
        if error.message == "is not a date I can read":
            raise FieldError(
                f"{field} must be a date like {dates.example_dates(order)}."
            ) from error
        raise FieldError(f"{field}: {error.message}.") from error


def date_preview(text: str, *, today: date | None = None) -> str:
    """What a date field's text means, in the long form, for the line beside it: "Saturday,
    January 2, 2027"; "" when blank, "not a date yet" while it is not one."""
    if not text.strip():
        return ""
    try:
        found = dates.parse_date(text, today=today or date.today(), order=user_date_order())
    except dates.DateParseError:
        return "not a date yet"
    return dates.format_long_date(found)


def parse_unit_text(
    text: str, field: str, *, extra: Iterable[str] = (), dimension: str | None = None
) -> str:
    """A unit the services know ("cups" → "cup"), or one of ``extra`` (an ingredient's own units).

    ``dimension`` ("weight", "volume") restricts the answer to units of that kind.
    """
    value = parse_text(text, field, max_length=50) or ""
    name = units.normalize_unit(value)
    own = {units.normalize_unit(unit) for unit in extra}
    if not units.is_known_unit(name) and name not in own:
        raise FieldError(f"{field}: “{value}” is not a unit I know (for example cup, g, lb, each).")
    if dimension is not None and units.unit_dimension(name) != dimension:
        raise FieldError(f"{field} must be a {dimension} unit.")
    return name


# --- live previews --------------------------------------------------------------------------------


def unit_cost_preview(quantity_text: str, total_text: str, unit: str) -> str:
    """ "= $0.7596 per lb" for 25 lb at 18.99, or "" while either entry is not a usable number.

    Uses the services' money rounding, so the preview is the figure the purchase will record.
    """
    try:
        quantity = parse_decimal_text(quantity_text, "Quantity", allow_zero=False)
        total = parse_money_text(total_text, "Total cost")
    except FieldError:
        return ""
    if quantity is None or total is None:
        return ""
    return f"= {format_unit_cost(round_money(total / quantity))} per {unit}"


def expected_yield_preview(
    batches: int, yield_mode: str, items_per_batch: int | None, batch_percentage: Decimal | None
) -> int:
    """What ``batches`` batches should make, for the live label: ``core.yields.expected_yield``,
    the rule the service records with (a portion without a percentage is a whole batch)."""
    return yields.expected_yield(batches, yield_mode, items_per_batch, batch_percentage)


# --- formatting -----------------------------------------------------------------------------------


def format_number(value: Decimal) -> str:
    """13.000 → "13", 12.500 → "12.5", 1250 → "1,250" (no useless zeros, no exponent)."""
    return wording.format_number(value)


def format_count(count: Decimal | int, noun: str) -> str:
    """A count with its noun in the right number: "1 batch", "48 cookies", "2 lb"."""
    return wording.count_text(count, noun)


def format_quantity(value: Decimal, unit: str) -> str:
    """ "13 lb", "36.8 oz", "1 cup", "2 cups", "48 cookies": no useless zeros, and the unit in the
    right number (abbreviations never take an s; ``core.wording``'s rule)."""
    return wording.count_text(value, unit)


def format_money(value: Decimal | None) -> str:
    """ "$9.88" (cents); "—" when unknown."""
    if value is None:
        return "—"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def format_unit_cost(value: Decimal | None) -> str:
    """A cost per unit with up to four places: "$0.7596", "$2.50"; "—" when unknown."""
    if value is None:
        return "—"
    text = f"{abs(value):,.4f}"
    whole, fraction = text.split(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    return f"{'-' if value < 0 else ''}${whole}.{fraction}"


def format_date(value: date | None) -> str:
    """The one short form (``core.dates.format_date``): ISO dates sort correctly and read the
    same everywhere; "—" when absent."""
    return dates.format_date(value)


def format_long_date(value: date | None) -> str:
    """The one long form, for headers: "Saturday, January 2, 2027"."""
    return dates.format_long_date(value)


def format_local_date(value: datetime | None) -> str:
    """A UTC timestamp as the local calendar date ("2025-12-15"); "—" when absent."""
    return value.astimezone().date().isoformat() if value is not None else "—"


def format_local_time(value: datetime | None) -> str:
    """A UTC timestamp as local date and time ("2025-12-15 14:30"); "—" when absent."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 lot", "3 lots", "2 batches" (English's rules unless ``plural_form`` is given)."""
    word = singular if count == 1 else (plural_form or wording.plural_of(singular))
    return f"{count:,} {word}"


# --- labels for choices ---------------------------------------------------------------------------


CHOOSE_REASON = "Choose a reason…"
ADJUSTMENT_REASON_CHOICES = tuple(AdjustmentReason)
REASON_LABELS = {AdjustmentReason.GIFT: "Given away"}  # the others read well as they are


def reason_label(reason: str) -> str:
    """An adjustment reason in words: "count_correction" → "Count correction"."""
    return choice_label(reason, REASON_LABELS)


def choice_label(value: str, labels: dict[str, str] | None = None) -> str:
    """A stored choice in words: "count_correction" → "Count correction" (``labels`` win)."""
    if labels and value in labels:
        return labels[value]
    return value.replace("_", " ").capitalize()


def format_percent(value: Decimal) -> str:
    """ "25%", "12.5%"."""
    return f"{format_number(value)}%"
