"""One value of an import's document checked and turned into its column's value.

Owns the rules a document's values follow — ``ALLOWED_VALUES`` (the enum columns),
``SIGNED_COLUMNS`` (the only decimals that may be negative), the decimal places, UTC timestamps,
text lengths — as the record-by-record checks apply them: ``parse`` gives a column's value or
records a problem in the words the user sees. ``parse_key_part`` and ``describe`` read a record's
document key. The column-at-a-time checks (``columns``) follow the same rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String

from bake_tracker.models import enums
from bake_tracker.models.types import UTCDateTime, _ScaledDecimal
from bake_tracker.services import validation
from bake_tracker.services.transfer.format import Section, doc_key

ALLOWED_VALUES = {
    ("stock_adjustments", "reason"): tuple(r.value for r in enums.AdjustmentReason),
    ("event_recipient_packages", "fulfillment_status"): tuple(
        s.value for s in enums.FulfillmentStatus
    ),
    ("finished_units", "yield_mode"): tuple(m.value for m in enums.YieldMode),
    ("finished_goods", "assembly_type"): tuple(t.value for t in enums.AssemblyType),
    ("production_runs", "loss_category"): tuple(c.value for c in enums.LossCategory),
}
SIGNED_COLUMNS = {("stock_adjustments", "delta")}


def describe(section: Section, record: dict) -> str:
    fields = [f for f in doc_key(section) if f != "uuid"] or ["uuid"]
    return " ".join(str(record.get(f)) for f in fields if record.get(f) is not None)


def parse_key_part(section: Section, field: str, value: Any) -> Any:
    if field == "year" and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def parse(section: Section, column, value: Any, problems: list[str]) -> Any:
    """One column's value from the document, or a problem recorded."""
    name = column.name
    if value is None:
        if column.default is not None and not column.nullable:
            default = column.default.arg
            return default(None) if callable(default) else default
        if not column.nullable:
            problems.append(f"{name} is required")
        return None
    kind = column.type
    try:
        if isinstance(kind, _ScaledDecimal):
            return _decimal(value, kind.places, (section.name, name) in SIGNED_COLUMNS)
        if isinstance(kind, UTCDateTime):
            return _timestamp(value)
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("must be a whole number")
            if abs(value) > validation.largest_integer(kind):  # the driver would overflow
                raise ValueError("is too large")
            return value
        if isinstance(kind, Date):
            return _date(value)
        if isinstance(kind, String) or hasattr(kind, "length"):
            return _text(section, name, value, getattr(kind, "length", None))
    except (ValueError, TypeError) as error:
        problems.append(f"{name} {error}")
        return None
    return value


def _decimal(value: Any, places: int, signed: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('must be a number written as text, like "2.500"')
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"must be a number (found {str(value)[:30]!r})") from None
    if not number.is_finite():
        raise ValueError("must be a finite number")
    if number < 0 and not signed:
        raise ValueError("must not be negative")
    if abs(number) > 10**12:
        raise ValueError("is too large")
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        raise ValueError(f"has more than {places} decimal places")
    return number.quantize(step)


def _timestamp(value: Any) -> datetime:
    problem = "must be a date and time in UTC, like 2025-12-15T10:00:00Z"
    if not isinstance(value, str) or not (value.endswith("Z") or "+" in value[10:]):
        raise ValueError(problem)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        raise ValueError(problem) from None


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"must be a date like 2025-12-24 (found {str(value)[:30]!r})") from None


def _text(section: Section, name: str, value: Any, length: int | None) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    if not value.isascii() and not validation.is_utf8(value):  # a lone surrogate from JSON
        raise ValueError("contains characters that are not valid text (not UTF-8)")
    if length is not None and len(value) > length:
        raise ValueError(f"is longer than {length} characters")
    allowed = ALLOWED_VALUES.get((section.name, name))
    if allowed and value not in allowed:
        raise ValueError(f"must be one of {', '.join(allowed)}")
    return value
