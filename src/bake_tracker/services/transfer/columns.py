"""The column-at-a-time checks of an import: the usual case, a whole section at once.

Owns ``check_section``: for a section whose every record is in the exported form, new, and free
of problems, each column is checked and converted by one parser (``whole_column``) straight into
stored values (scaled integers, naive UTC timestamps), and references are resolved by dictionary
(``resolve_whole``). Anything else — a problem to report, a value to convert one by one, a
duplicate, an existing or skipped row — raises ``RecordByRecord`` before anything is kept, and the
import's plan (``plan``) checks the section record by record, with the same rules (``values``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from itertools import repeat
from operator import itemgetter

from sqlalchemy import Boolean, Date, Integer, String

from bake_tracker.models.types import UTCDateTime, _ScaledDecimal
from bake_tracker.services import validation
from bake_tracker.services.transfer import rules
from bake_tracker.services.transfer.format import Section, doc_key
from bake_tracker.services.transfer.values import ALLOWED_VALUES, SIGNED_COLUMNS

# values checked by one call (``_sliced``, ``_fields``): short enough that the import's writer
# thread gets Python's lock between them (big, 270,000 ledger rows: 0.4 s of the import's wall)
SLICE = 20_000


class RecordByRecord(Exception):
    """This section needs the record-by-record checks."""


def check_section(
    section: Section,
    records: list,
    *,
    ids: dict[str, dict[tuple, int]],
    skipped_ids: dict[str, set[int]],
    existing_uuid: dict,
    existing_key: dict,
    next_id: int,
    uniques: dict,
    moments_as_text: bool,
) -> tuple[list[str], list[tuple], Iterator[tuple[tuple, int]]]:
    """A section checked a column at a time: every record well formed and new, nothing skipped.

    Returns the stored column names, the rows in stored form (ids from ``next_id + 1``) and each
    row's document key with its new id. ``ids`` (section → document key → id) resolves the
    references. Any value off the exported form, any problem, duplicate, existing row or skip
    raises ``RecordByRecord``. ``moments_as_text``: timestamps and dates stay text (see
    ``whole_column``).
    """
    count = len(records)
    if not count:
        raise RecordByRecord
    if set(map(type, records)) != {dict}:
        raise RecordByRecord
    fk_columns = {ref.column for ref in section.refs}
    own = [c for c in section.table.columns if c.name != "id" and c.name not in fk_columns]
    names = [c.name for c in own] + [f for ref in section.refs for f in ref.fields]
    if set(map(len, records)) != {len(names)}:
        raise RecordByRecord  # a field left out, or one nobody knows: looked at record by record
    raw = _fields(records, names)
    values: dict[str, list] = {}
    for column in own:
        values[column.name] = _sliced(section, column, raw[column.name], moments_as_text)
    for ref in section.refs:
        values[ref.column] = resolve_whole(section, ref, raw, ids)
    _refuse_skips_and_repeats(
        section, values, count, skipped_ids, existing_uuid, existing_key, uniques
    )
    new_ids = range(next_id + 1, next_id + 1 + count)
    doc_values = [values[f] for f in doc_key(section)]
    keys = zip(zip(*doc_values, strict=True), new_ids, strict=True)
    return ["id", *values], list(zip(new_ids, *values.values(), strict=True)), keys


def _sliced(section: Section, column, values, moments_as_text: bool) -> list:
    """``whole_column`` a slice of ``SLICE`` values at a time: the same values, the same
    ``RecordByRecord`` (each of its checks holds for the column when it holds for every slice).
    Each of its calls over a whole column (a join, a pattern, a conversion of 270,000 values) is
    one long C call that keeps Python's lock from the import's writer thread, which needs it back
    after each statement (``write.Writer``); over slices the lock changes hands between them, and
    a slice's values stay in the processor's cache."""
    if len(values) <= SLICE:
        return whole_column(section, column, values, moments_as_text)
    stored: list = []
    for start in range(0, len(values), SLICE):
        stored.extend(whole_column(section, column, values[start : start + SLICE], moments_as_text))
    return stored


def _fields(records: list[dict], names: list[str]) -> dict[str, list]:
    """Each field of every record, a field at a time. Every record has as many fields as
    ``names``: one left out means another in its place, which the record checks report.

    Each record is read once, all its fields together, and the tuples are then turned into
    columns: a quarter cheaper on a freshly parsed document than one pass over every record per
    field, which reads each record (spread over hundreds of megabytes) from memory again. A
    slice of ``SLICE`` records at a time (``_sliced`` says why)."""
    if len(names) < 2:  # itemgetter of one name gives the value, not a tuple
        return {name: list(map(itemgetter(name), records)) for name in names}
    getter = itemgetter(*names)
    columns: list[list] = [[] for _ in names]
    try:
        for start in range(0, len(records), SLICE):
            rows = map(getter, records[start : start + SLICE])
            for column, part in zip(columns, zip(*rows, strict=True), strict=True):
                column.extend(part)
    except KeyError:
        raise RecordByRecord from None
    return dict(zip(names, columns, strict=True))


def _refuse_skips_and_repeats(
    section: Section,
    values: dict[str, list],
    count: int,
    skipped_ids: dict[str, set[int]],
    existing_uuid: dict,
    existing_key: dict,
    uniques: dict,
) -> None:
    """``RecordByRecord`` when a row repeats another in the file, exists already (merge skips
    it), is owned by a skipped row, or repeats a value a unique column already holds."""
    uuids = values["uuid"]
    if len(set(uuids)) != count or (existing_uuid and any(map(existing_uuid.__contains__, uuids))):
        raise RecordByRecord  # duplicates in the file, or rows that exist: skipped
    if section.key:
        keys = list(zip(*(values[c] for c in section.key), strict=True))
        if len(set(keys)) != count or any(map(existing_key.__contains__, keys)):
            raise RecordByRecord
    if any(skipped_ids[ref.section] for ref in section.refs):
        raise RecordByRecord  # some owners were skipped: so may be some of these rows
    for columns, taken in uniques.items():
        used = [v for v in zip(*(values[c] for c in columns), strict=True) if None not in v]
        if len(set(used)) != len(used) or not taken.isdisjoint(used):
            raise RecordByRecord


def resolve_whole(section: Section, ref, raw: dict, ids: dict[str, dict[tuple, int]]) -> list:
    """The referenced ids of a whole column; ``RecordByRecord`` for anything not found."""
    columns = [raw[f] for f in ref.fields]
    if len(columns) > 1 and not set().union(*map(set, map(map, repeat(type), columns))) <= {
        str,
        int,
        type(None),
    }:
        raise RecordByRecord  # floats and booleans are refused, one by one
    # the key tuples are made lazily: zip reuses one tuple while the lookup needs it
    found = list(map(ids.get(ref.section, {}).get, zip(*columns, strict=True)))
    if 0 in found:
        raise RecordByRecord  # names a record refused for its own problems (plan.REFUSED)
    missing = found.count(None)
    if missing:
        if not section.table.c[ref.column].nullable:
            raise RecordByRecord  # not there: reported record by record
        given = (
            columns[0].count(None)
            if len(columns) == 1
            else list(zip(*columns, strict=True)).count((None, None))
        )
        if given != missing:
            raise RecordByRecord  # not there, or only half of a reference given
    return found


def whole_column(section: Section, column, values, moments_as_text: bool) -> list:
    """A whole column of the document as stored values, checked as ``parse`` checks one value.

    Only the exported form is taken ("2.500", "2025-12-15T10:00:00.000000Z", "2025-12-24"); any
    other value, even one ``parse`` accepts, raises ``RecordByRecord``. With ``moments_as_text``
    timestamps and dates are stored as checked text ("2025-12-15 10:00:00.000000", "2025-12-24"):
    what SQLite stores, and what PostgreSQL's ``COPY`` reads — psycopg formats a ``datetime`` for
    it at about 1 µs each (two thirds of the client's time for the big season's ledger rows).
    """
    if not values:
        return []
    kinds = set(map(type, values))  # also tells whether a value is null, without comparing each
    if _NONE in kinds:
        if not column.nullable:
            raise RecordByRecord  # a default to fill in, or a problem to report
        present = [value for value in values if value is not None]
        parsed = whole_column(section, column, present, moments_as_text)
        if parsed == present:
            return list(values)
        stored = dict(zip(present, parsed, strict=True))  # present values are text here
        stored[None] = None
        return list(map(stored.__getitem__, values))
    kind = column.type
    if isinstance(kind, _ScaledDecimal):
        signed = (section.name, column.name) in SIGNED_COLUMNS
        stored = _whole_scaled(values, kinds, kind.places, signed)
        _refuse_out_of_bounds(section, column, stored)
        return stored
    if isinstance(kind, UTCDateTime):
        return _whole_timestamps(values, kinds, moments_as_text)
    if isinstance(kind, Boolean):
        if kinds != {bool}:
            raise RecordByRecord
        return list(values)
    if isinstance(kind, Integer):
        if kinds != {int}:
            raise RecordByRecord
        _refuse_out_of_bounds(section, column, values)
        return list(values)
    if isinstance(kind, Date):
        return _whole_dates(values, kinds, moments_as_text)
    if isinstance(kind, String) or hasattr(kind, "length"):
        if kinds != {str}:
            raise RecordByRecord
        joined = "\n".join(values)
        if not joined.isascii() and not validation.is_utf8(joined):
            raise RecordByRecord
        rule = rules.rule(section.name, column.name)
        if max(map(len, values)) > rule.max_length:
            raise RecordByRecord
        if validation.CONTROL_CHARACTERS.search(joined):  # the joining line feed is allowed
            raise RecordByRecord
        if rule.not_blank and not all(map(str.strip, values)):
            raise RecordByRecord
        allowed = ALLOWED_VALUES.get((section.name, column.name))
        if allowed and not set(values) <= set(allowed):
            raise RecordByRecord
        return list(values)
    raise RecordByRecord


_NONE = type(None)
_DECIMAL_COLUMNS = {
    (places, signed): re.compile(
        rf"(?:{'-?' if signed else ''}\d{{1,13}}\.\d{{{places}}}\n)*"
        rf"{'-?' if signed else ''}\d{{1,13}}\.\d{{{places}}}",
        re.ASCII,
    )
    for places in (2, 3, 4)
    for signed in (False, True)
}


def _whole_scaled(values, kinds: set, places: int, signed: bool) -> list:
    pattern = _DECIMAL_COLUMNS.get((places, signed))
    if kinds != {str} or pattern is None:
        raise RecordByRecord
    joined = "\n".join(values)
    if not pattern.fullmatch(joined):
        raise RecordByRecord
    return list(map(int, joined.replace(".", "").split("\n")))


def _refuse_out_of_bounds(section: Section, column, stored: list[int]) -> None:
    """``RecordByRecord`` when a number (in stored units) is beyond ``MAX_NUMBER`` or breaks one
    of the column's CHECK bounds (``rules``)."""
    rule = rules.rule(section.name, column.name)
    low, high = min(stored), max(stored)
    if high > rule.largest or low < -rule.largest:
        raise RecordByRecord
    if not all(bound.holds(low) and bound.holds(high) for bound in rule.bounds if bound.op != "<>"):
        raise RecordByRecord
    if any(bound.op == "<>" and bound.limit in stored for bound in rule.bounds):
        raise RecordByRecord


def _whole_timestamps(values, kinds: set, as_text: bool) -> list:
    count = len(values)
    if kinds != {str} or set(map(len, values)) != {27}:
        raise RecordByRecord
    joined = "\n".join(values)
    for position, mark in (
        (4, "-"),
        (7, "-"),
        (10, "T"),
        (13, ":"),
        (16, ":"),
        (19, "."),
        (26, "Z"),
    ):
        if joined[position::28] != mark * count:
            raise RecordByRecord
    stored = joined.replace("T", " ").replace("Z", "").split("\n")
    try:  # the digits make a real moment (no 2025-02-30, no year 0)
        moments = list(map(datetime.fromisoformat, stored))
    except ValueError:
        raise RecordByRecord from None
    return stored if as_text else moments


def _whole_dates(values, kinds: set, as_text: bool) -> list:
    count = len(values)
    if kinds != {str} or set(map(len, values)) != {10}:
        raise RecordByRecord
    joined = "\n".join(values)
    if joined[4::11] != "-" * count or joined[7::11] != "-" * count:
        raise RecordByRecord
    try:
        days = list(map(date.fromisoformat, values))
    except ValueError:
        raise RecordByRecord from None
    return list(values) if as_text else days
