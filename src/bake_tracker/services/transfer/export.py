"""Writing the export document: each table read as stored and formatted a column at a time.

Owns the export's side of the format: ``export_section`` (one section's records, foreign keys
written as the referenced rows' document keys), the column formatters (scaled integers as
"2.500", timestamps as "2025-12-15T10:00:00.000000Z"), ``dumps`` (the text, one record per line)
and ``write_json`` (the file, written atomically). ``transfer_service.export_data`` puts them
together.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path

from sqlalchemy import Boolean, Date

from bake_tracker.models.types import UTCDateTime, _ScaledDecimal, from_scaled
from bake_tracker.services.transfer.format import SECTION_BY_NAME, SECTIONS, Section, doc_key


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
    return list(map(dict, map(zip, repeat(fields), zip(*columns, strict=True))))


_REFERENCED = {ref.section for section in SECTIONS for ref in section.refs}


def _format_column(column, values: tuple) -> list:
    kind = column.type
    if isinstance(kind, _ScaledDecimal):
        return format_scaled(values, kind.places)
    if isinstance(kind, UTCDateTime):
        return format_timestamps(values)
    if isinstance(kind, Boolean):
        return [None if value is None else bool(value) for value in values]
    if isinstance(kind, Date):
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
    return list(map(_format_timestamp, values))


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


def write_json(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)  # never a half-written export under the real name


def dumps(document: dict) -> str:
    """The document as text: compact, one record per line (the C encoder; ``indent`` is not)."""
    encode = _record_encoder()
    parts = []
    for name, value in document.items():
        if isinstance(value, list) and value:
            parts.append(f"{json.dumps(name)}:[\n" + ",\n".join(map(encode, value)) + "\n]")
        else:
            parts.append(f"{json.dumps(name)}:{json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _record_encoder():
    """``json.dumps(record, ensure_ascii=False, separators=(",", ":"))``, made once per export."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the same text, more slowly
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    encoder = make(None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda record: "".join(encoder(record, 0))
