"""The rules an imported value must follow, read from the models so that they are stated once.

Owns ``rule``: for one column of one section, the most characters its text may have (a
``String(n)`` column's ``n``, free text ``validation.MAX_NOTES`` like the services), whether it may
be blank, and the bounds a number must keep. The bounds come from the table's simple CHECK
constraints (``quantity > 0``, ``year >= 1900 AND year <= 9999``, ``x IS NULL OR x >= 0``), so the
import names the field and the value instead of the database refusing the whole file with a
constraint name; every number is also capped at ``core.numbers.MAX_NUMBER``, as the services cap
it. Rules that tie several columns together stay with the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from sqlalchemy import CheckConstraint

from bake_tracker.core.numbers import MAX_NUMBER
from bake_tracker.models.types import _ScaledDecimal
from bake_tracker.services import validation
from bake_tracker.services.transfer.format import SECTION_BY_NAME

_OPTIONAL = re.compile(r"(\w+) IS NULL OR \(?(.*?)\)?")
_COMPARISON = re.compile(r"(\w+) (>=|>|<=|<>) (\d+)")
_NOT_BLANK = re.compile(r"length\((?:trim\()?(\w+)\)?\) > 0")


@dataclass(frozen=True)
class Bound:
    """One comparison a number must pass: ``value <op> limit`` (the limit in stored units)."""

    op: str  # ">=", ">", "<=" or "<>"
    limit: int

    def holds(self, stored: int) -> bool:
        if self.op == ">=":
            return stored >= self.limit
        if self.op == ">":
            return stored > self.limit
        if self.op == "<=":
            return stored <= self.limit
        return stored != self.limit

    def words(self, places: int) -> str:
        """``must be greater than 0``: what the value must be, in real units."""
        shown = f"{Decimal(self.limit).scaleb(-places).normalize():f}"
        if self.op == ">=":
            return "must not be negative" if self.limit == 0 else f"must be at least {shown}"
        if self.op == ">":
            return f"must be greater than {shown}"
        if self.op == "<=":
            return f"must be at most {shown}"
        return f"must not be {shown}"


@dataclass(frozen=True)
class Rule:
    max_length: int  # text: the most characters
    not_blank: bool  # text: at least one character besides spaces
    bounds: tuple[Bound, ...]  # numbers, in stored units (a scaled decimal's integer)
    places: int  # a scaled decimal's places, 0 otherwise
    largest: int  # numbers: |stored value| at most this (MAX_NUMBER in stored units)


@cache
def rule(section_name: str, column_name: str) -> Rule:
    column = SECTION_BY_NAME[section_name].table.c[column_name]
    places = column.type.places if isinstance(column.type, _ScaledDecimal) else 0
    length = getattr(column.type, "length", None)
    bounds, not_blank = _checks(section_name).get(column_name, ((), False))
    return Rule(
        max_length=length or validation.MAX_NOTES,
        not_blank=not_blank,
        bounds=tuple(bounds),
        places=places,
        largest=int(MAX_NUMBER.scaleb(places)),
    )


@cache
def _checks(section_name: str) -> dict[str, tuple[list[Bound], bool]]:
    """Column → (bounds, not blank) from the table's simple CHECK constraints.

    A constraint ``a IS NULL OR (…)`` applies its inside to ``a`` when ``a`` is given (a missing
    value is judged by nullability). Only conjunctions of one-column comparisons with a number
    are read; any other part of a constraint is left to the database.
    """
    found: dict[str, tuple[list[Bound], bool]] = {}
    table = SECTION_BY_NAME[section_name].table
    for constraint in table.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        text = " ".join(str(constraint.sqltext).split())
        optional = _OPTIONAL.fullmatch(text)
        body = optional.group(2) if optional else text
        if " OR " in body or body.startswith("("):
            continue
        for part in body.split(" AND "):
            comparison = _COMPARISON.fullmatch(part)
            blank = _NOT_BLANK.fullmatch(part)
            if comparison and (not optional or comparison.group(1) == optional.group(1)):
                name, op, limit = comparison.groups()
                found.setdefault(name, ([], False))[0].append(Bound(op, int(limit)))
            elif blank and not optional:
                found[blank.group(1)] = (found.get(blank.group(1), ([], False))[0], True)
    return found
