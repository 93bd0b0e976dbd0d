"""Writing the export document: each table read as stored and formatted a column at a time.

Owns the export's side of the format: ``export_section`` (one section's records, foreign keys
written as the referenced rows' document keys), the column formatters (scaled integers as
"2.500", timestamps as "2025-12-15T10:00:00.000000Z") and ``dumps`` (the UTF-8 text, one record
per line). ``transfer_service.export_data`` puts them together and writes the file.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache
from itertools import repeat
from operator import attrgetter

from sqlalchemy import Boolean, Date

from bake_tracker.models.types import UTCDateTime, _ScaledDecimal, from_scaled
from bake_tracker.services.transfer.format import SECTION_BY_NAME, SECTIONS, Section, doc_key

try:  # a declared dependency; without it ``json`` writes the same text, slower
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None


def export_section(connection, section: Section, keys: dict[str, dict[str, dict]]) -> list[dict]:
    """A section's records, read as stored and formatted one column at a time.

    The values are read without the column types' conversions (no Decimal or datetime per value),
    and each column gets one formatter that writes exactly the text the converted value gave:
    "2.500" for a scaled integer, "2025-12-15T10:00:00.000000Z" for a timestamp.
    """
    table = section.table
    quote = connection.dialect.identifier_preparer.quote
    names = [column.name for column in table.columns]
    # In id order: an import assigns ids in document order, which keeps the (date, id) FIFO order
    # of lots bought on the same day.
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(
            f"SELECT {', '.join(map(quote, names))} FROM {quote(table.name)} ORDER BY {quote('id')}"
        )
        rows = cursor.fetchall()
    finally:
        cursor.close()
    stored = dict(zip(names, zip(*rows, strict=True) if rows else [()] * len(names), strict=True))
    del rows
    formatted = {
        column.name: _format_column(column, stored[column.name])
        for column in table.columns
        if column.name != "id"
    }
    if section.name in _REFERENCED:
        keys[section.name] = {
            field: dict(zip(stored["id"], formatted[field], strict=True))
            for field in doc_key(section)
        }
    fk_columns = {ref.column for ref in section.refs}
    fields = [name for name in formatted if name not in fk_columns]
    columns = [formatted[name] for name in fields]
    for ref in section.refs:
        target = SECTION_BY_NAME[ref.section]
        for field, key_field in zip(ref.fields, doc_key(target), strict=True):
            fields.append(field)  # a dangling id (impossible with foreign keys) exports as null
            columns.append(list(map(keys[ref.section][key_field].get, stored[ref.column])))
    return list(map(_record_maker(tuple(fields)), *columns))


@cache
def _record_maker(fields: tuple[str, ...]):
    """A function of one value per field that returns the record: ``{"uuid": a0, "name": a1}``.

    Written out as a dict display, a record is made in one step (a constant tuple of keys) — twice
    as fast as ``dict(zip(fields, values))`` for the hundreds of thousands of records of a big
    season. The field names are the schema's column and reference names, written with ``repr``.
    """
    arguments = [f"a{i}" for i in range(len(fields))]
    items = ", ".join(f"{name!r}: {a}" for name, a in zip(fields, arguments, strict=True))
    return eval(f"lambda {', '.join(arguments)}: {{{items}}}")  # the names are repr()s


_REFERENCED = {ref.section for section in SECTIONS for ref in section.refs}
_NONE = type(None)


def _format_column(column, values: tuple) -> list:
    kind = column.type
    if isinstance(kind, _ScaledDecimal):
        return format_scaled(values, kind.places)
    if isinstance(kind, UTCDateTime):
        return format_timestamps(values)
    if isinstance(kind, Boolean):
        if _NONE not in set(map(type, values)):
            return list(map(bool, values))
        return [None if value is None else bool(value) for value in values]
    if isinstance(kind, Date):
        kinds = set(map(type, values))
        if kinds <= {str, _NONE}:  # SQLite: the stored text, or null
            return list(values)
        if kinds == {date}:  # PostgreSQL
            return list(map(date.isoformat, values))
        return list(map(_format_date, values))
    return list(values)  # whole numbers and text are written as stored


def format_scaled(values: tuple, places: int) -> list:
    """Stored integer counts of 10**-places → the Decimals' text ("2.500", "-0.0005")."""
    scale, pattern = 10**places, f"%d.%0{places}d"
    if places and values and set(map(type, values)) == {int} and min(values) >= 0:
        return list(map(pattern.__mod__, map(divmod, values, repeat(scale))))

    def formatted(value):
        if value.__class__ is int and places:
            if value >= 0:
                return pattern % divmod(value, scale)
            return "-" + pattern % divmod(-value, scale)
        return None if value is None else str(from_scaled(value, places))

    return list(map(formatted, values))


def format_timestamps(values: tuple) -> list:
    """Stored naive UTC timestamps → "YYYY-MM-DDTHH:MM:SS.ffffffZ"."""
    count = len(values)
    if count and set(map(type, values)) == {str} and set(map(len, values)) == {26}:
        # SQLite, as SQLAlchemy stores them ("YYYY-MM-DD HH:MM:SS.ffffff"): one text operation
        joined = "\n".join(values)
        if joined.count(" ") == count and joined[10::27] == " " * count:
            return (joined.replace(" ", "T").replace("\n", "Z\n") + "Z").split("\n")
    moments = [value for value in values if value is not None]
    if moments and set(map(type, moments)) == {datetime}:
        formatted = _format_moments(moments)
        if formatted is not None:
            if len(moments) == count:
                return formatted
            texts = iter(formatted)
            return [None if value is None else next(texts) for value in values]
    return list(map(_format_timestamp, values))


def _format_moments(moments: list[datetime]) -> list[str] | None:
    """PostgreSQL's naive UTC datetimes as ``iso`` writes them, by ``isoformat`` (C, no time zone
    arithmetic: a sixth of the cost); None for aware ones or years before 1000, which ``isoformat``
    pads ("0999") where ``strftime`` does not."""
    if min(moments).year < 1000 or set(map(attrgetter("tzinfo"), moments)) != {None}:
        return None
    texts = map(datetime.isoformat, moments, repeat("T"), repeat("microseconds"))
    return [f"{text}Z" for text in texts]


def _format_timestamp(value) -> str | None:
    if value is None:
        return None
    if value.__class__ is str:
        if len(value) == 26 and value[10] == " ":  # SQLite, as SQLAlchemy stores it
            return value[:10] + "T" + value[11:] + "Z"
        value = datetime.fromisoformat(value)
    return iso(value.replace(tzinfo=UTC))


def _format_date(value) -> str | None:
    if value is None or value.__class__ is str:  # SQLite stores dates as YYYY-MM-DD
        return value
    return value.isoformat()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dumps(document: dict) -> bytes:
    """The document as UTF-8 text: compact, one record per line.

    Each section is encoded by orjson in one call (a call per record costs more than the
    encoding) and a line break put before each record but the first (``_lines``). orjson writes
    exactly the text of ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` for the
    values an export holds (text, whole numbers, booleans, null); what it refuses (a whole number
    beyond 64 bits, text that is not valid Unicode) is encoded by ``json`` as before. The parts
    are joined once: a big season's text is 250 MB, and every copy of it costs.
    """
    parts: list = []
    for name, value in document.items():
        parts += [b",\n" if parts else b"{\n", json.dumps(name).encode(), b":"]
        if isinstance(value, list) and value:
            parts += [b"[\n", _records(value), b"\n]"]
        else:
            parts.append(json.dumps(value, ensure_ascii=False).encode())
    parts.append(b"\n}\n")
    return b"".join(parts)


def _records(records: list) -> bytes | memoryview:
    """The records, one a line, separated by ``,``."""
    if _orjson is not None:
        try:
            lines = _lines(_orjson.dumps(records), records)
        except TypeError:  # a value orjson refuses: json encodes it (or says what is wrong)
            lines = None
        if lines is not None:
            return lines
    return ",\n".join(map(_record_encoder(), records)).encode()


def _lines(encoded: bytes, records: list) -> memoryview | None:
    """orjson's ``[{…},{…}]`` as ``{…},\n{…}``; None when the records are not all flat objects
    whose first field is the same.

    Every record of a section is a flat object (export_section) whose first field is the same
    (``uuid``). The bytes ``,{"uuid":`` can only be a record's start: inside a JSON string every
    quote is escaped (``\"``), and outside one a ``{`` opens a record. Each replacement adds one
    byte, so the lengths tell that every record but the first was found, and nothing else."""
    first = records[0]
    if not isinstance(first, dict) or not first:
        return None
    mark = b",{" + _orjson.dumps(next(iter(first))) + b":"
    lines = encoded.replace(mark, b",\n" + mark[1:])
    if len(lines) - len(encoded) != len(records) - 1:
        return None
    return memoryview(lines)[1:-1]


def _record_encoder():
    """``json.dumps(record, ensure_ascii=False, separators=(",", ":"))``, made once per export."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the same text, more slowly
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    encoder = make(None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda record: "".join(encoder(record, 0))
