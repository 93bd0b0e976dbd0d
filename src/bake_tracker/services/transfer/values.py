"""One value of an import's document checked and turned into its column's value.

Owns the rules a document's values follow — ``ALLOWED_VALUES`` (the enum columns),
``SIGNED_COLUMNS`` (the only decimals that may be negative), the decimal places, UTC timestamps,
text as the services take it (``validation.text_problem``: length, NUL and control characters),
the bounds of the table's CHECK constraints (``rules``) — as the record-by-record checks apply them:
``parse`` gives a column's value or records a problem in the words the user sees (``words``):
the field, what is wrong with the value found, and what to do. ``parse_key_part`` and
``describe`` read a record's document key. The column-at-a-time checks (``columns``) follow the
same rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String

from bake_tracker.core.numbers import MAX_NUMBER
from bake_tracker.models import enums
from bake_tracker.models.types import UTCDateTime, _ScaledDecimal
from bake_tracker.services import validation
from bake_tracker.services.transfer import rules, words
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
    return " ".join(
        words.quote(record.get(f), words.NAME_LIMIT) for f in fields if record.get(f) is not None
    )


def parse_key_part(section: Section, field: str, value: Any) -> Any:
    if field == "year" and isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return value


class Wrong(ValueError):
    """What is wrong with a value and what to do, worded to follow the field's label."""

    def __init__(self, wrong: str, advice: str = "") -> None:
        super().__init__(wrong)
        self.wrong = wrong
        self.advice = advice


def parse(section: Section, column, value: Any, problems: list[str]) -> Any:
    """One column's value from the document, or a problem recorded."""
    name = column.name
    label = words.field(name)
    if value is None:
        if column.default is not None and not column.nullable:
            default = column.default.arg
            return default(None) if callable(default) else default
        if not column.nullable:
            problems.append(f"{label} is required. Fill it in.")
        return None
    kind = column.type
    rule = rules.rule(section.name, name)
    try:
        if isinstance(kind, _ScaledDecimal):
            number = _decimal(value, kind.places, (section.name, name) in SIGNED_COLUMNS)
            _bounds(rule, int(number.scaleb(kind.places)))
            return number
        if isinstance(kind, UTCDateTime):
            return _timestamp(value)
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise Wrong("must be true or false", "Write true or false, without quotes.")
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise Wrong("must be a whole number", "Write it without quotes, like 3.")
            if abs(value) > rule.largest:  # also keeps it inside a 64-bit column
                raise Wrong(f"is too large (at most {MAX_NUMBER:,})", "Correct the number.")
            _bounds(rule, value)
            return value
        if isinstance(kind, Date):
            return _date(value)
        if isinstance(kind, String) or hasattr(kind, "length"):
            return _text(section, name, value, rule)
    except Wrong as wrong:
        advice = f" {wrong.advice}" if wrong.advice else ""
        problems.append(f"{label} {wrong.wrong} — found {words.quote(value)}.{advice}")
        return None
    return value


def _bounds(rule: rules.Rule, stored: int) -> None:
    for bound in rule.bounds:
        if not bound.holds(stored):
            raise Wrong(bound.words(rule.places), "Correct the number.")


def _decimal(value: Any, places: int, signed: bool) -> Decimal:
    example = Decimal(25).scaleb(-1).quantize(Decimal(1).scaleb(-places))
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Wrong("must be a number written as text", f'Write it in quotes, like "{example}".')
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise Wrong("is not a number", f'Write it like "{example}".') from None
    if not number.is_finite():
        raise Wrong("must be a finite number", f'Write it like "{example}".')
    if number < 0 and not signed:
        raise Wrong("must not be negative", "Correct the number.")
    if abs(number) > MAX_NUMBER:
        raise Wrong(f"is too large (at most {MAX_NUMBER:,})", "Correct the number.")
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        raise Wrong(f"has more than {places} decimal places", "Round it.")
    return number.quantize(step)


def _timestamp(value: Any) -> datetime:
    wrong = Wrong(
        "must be a date and time in UTC", "Write it like 2025-12-15T10:00:00Z, in quotes."
    )
    if not isinstance(value, str) or not (value.endswith("Z") or "+" in value[10:]):
        raise wrong
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        raise wrong from None


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Wrong("must be a date", "Write it like 2025-12-24, in quotes.") from None


def _text(section: Section, name: str, value: Any, rule: rules.Rule) -> str:
    if not isinstance(value, str):
        raise Wrong("must be text", "Write it in quotes.")
    problem = validation.text_problem(value, rule.max_length)
    if problem:
        advice = "Shorten it." if problem.startswith("is too long") else "Remove that character."
        raise Wrong(problem, advice)
    if rule.not_blank and not value.strip():
        raise Wrong("is blank", "Fill it in.")
    allowed = ALLOWED_VALUES.get((section.name, name))
    if allowed and value not in allowed:
        raise Wrong(f"must be one of {', '.join(allowed)}", "Use one of those.")
    return value
