"""Moving everything in and out: the versioned JSON document, and CSV reports (spec decision 13).

``export_data`` writes every table as a section of one document (layout in ``transfer_format``).
``import_data`` reads one back, all or nothing: every record is checked first — types, numbers,
allowed values, references, duplicate keys — and every problem is listed; only a document without
problems is written, in one transaction (a savepoint when the caller passes a session). ``merge``
keeps what is there and adds what is new (a row whose uuid or natural key exists is skipped, and so
are the rows it owns); ``replace`` empties the database first. Stock counts of finished units and
goods are recomputed from their lots afterwards.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    UniqueConstraint,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from src.models import enums
from src.models.types import UTCDateTime, _ScaledDecimal, from_scaled
from src.services import (
    csv_export,
    dashboard_service,
    event_planning,
    integrity_service,
    run_support,
    validation,
)
from src.services.dto import ImportResult
from src.services.errors import ImportVersionError, ValidationError
from src.services.transactions import use_session
from src.services.transfer_format import SECTION_BY_NAME, SECTIONS, Section, doc_key

try:  # a declared dependency; without it the standard parser reads the same documents, slower
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None

FORMAT = "bake-tracker"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
MAX_ERRORS = 200
MAX_FILE_BYTES = 512 * 1024 * 1024
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
IMPORT_CACHE_KIB = -262_144  # SQLite's page cache while an import writes: up to 256 MiB
INDEX_REBUILD_ROWS = 20_000  # SQLite: this many rows into an empty table build its indexes after


# --- export ---------------------------------------------------------------------------------------


def export_data(path: str | Path | None = None, *, session: Session | None = None) -> dict:
    """The whole database as one document; also written to ``path`` (atomically) when given."""
    with use_session(session) as s:
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": _iso(datetime.now(UTC)),
        }
        connection = s.connection()
        keys: dict[str, dict[str, dict]] = {}  # section → key field → {id: value}
        for section in SECTIONS:
            document[section.name] = _export_section(connection, section, keys)
    if path is not None:
        text = _dumps(document)
        try:
            _write_json(Path(path), text)
        except (OSError, ValueError, TypeError) as error:
            raise csv_export.cannot_write(path, error) from None
    return document


def _export_section(connection, section: Section, keys: dict[str, dict[str, dict]]) -> list[dict]:
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
        return _format_scaled(values, kind.places)
    if isinstance(kind, UTCDateTime):
        return _format_timestamps(values)
    if isinstance(kind, Boolean):
        return [None if value is None else bool(value) for value in values]
    if isinstance(kind, Date):
        return list(map(_format_date, values))
    return list(values)  # whole numbers and text are written as stored


def _format_scaled(values: tuple, places: int) -> list:
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


def _format_timestamps(values: tuple) -> list:
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
    return _iso(value.replace(tzinfo=UTC))


def _format_date(value) -> str | None:
    if value is None or value.__class__ is str:  # SQLite stores dates as YYYY-MM-DD
        return value
    return value.isoformat()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _write_json(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)  # never a half-written export under the real name


def _dumps(document: dict) -> str:
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


# --- import ---------------------------------------------------------------------------------------


def import_data(
    source: str | Path | dict, *, mode: str = "merge", session: Session | None = None
) -> ImportResult:
    """Import a document (a path or the dict): every problem listed, and nothing written unless
    there are none.

    Raises:
        ImportVersionError (not a bake-tracker document, or a version this app cannot read),
        ValidationError (an unknown mode).
    """
    if mode not in ("merge", "replace"):
        raise ValidationError("Import mode must be 'merge' or 'replace'")
    collecting = gc.isenabled()
    gc.disable()  # millions of new records and values: no point scanning them for cycles
    try:
        document, problem, exact = _load(source)
        if problem:
            return _failed([problem])
        try:
            try:
                return _import(document, mode, session, exact=exact)
            except _Inexact:  # orjson may have read a number differently: read it as before
                del document
                document, problem, exact = _load(source, exact=True)
                return _import(document, mode, session, exact=True)
        except _Refused as refused:
            return _failed(refused.errors)
    finally:
        if collecting:
            gc.enable()


class _Refused(Exception):
    """The document has problems: nothing may be written (the transaction is rolled back)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


class _Inexact(Exception):
    """The checks would read a value orjson may have parsed differently from ``json``."""


def _import(document: dict, mode: str, session: Session | None, *, exact: bool) -> ImportResult:
    with use_session(session, write=True) as s:
        savepoint = s.begin_nested()
        plan = _Plan(s, document, empty=mode == "replace", exact=exact)
        try:
            plan.check()
        except _Inexact:
            savepoint.rollback()
            raise
        if plan.errors:
            savepoint.rollback()
            raise _Refused(plan.errors)
        try:
            if mode == "replace":
                _empty_database(s)
            plan.write()
        except IntegrityError as error:
            savepoint.rollback()
            raise _Refused(
                [f"The database refused the data: {str(error.orig).splitlines()[0]}"]
            ) from None
        drifts = integrity_service.check_invariants(session=s)  # lots, ledgers and runs add up
        if drifts:
            savepoint.rollback()
            raise _Refused(integrity_service.import_drift_problems(drifts, session=s))
        savepoint.commit()
        return ImportResult(added=plan.added, skipped=plan.skipped, errors=[])


def _load(source: str | Path | dict, *, exact: bool = False) -> tuple[dict, str | None, bool]:
    """(the document, a problem reading it, whether its values are exactly ``json.load``'s)."""
    if isinstance(source, dict):
        document = source
        exact = True
    elif not isinstance(source, str | Path):
        raise ImportVersionError(None)
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return {}, f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB", True
            document, exact = _read_json(path, exact=exact)
        except OSError as error:
            return {}, f"Cannot read {path}: {error.strerror}", True
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            return {}, f"{path.name} is not a complete JSON document ({error})", True
        if not exact and not _exact_header(document):
            return _load(source, exact=True)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportVersionError(
            None, 'This is not a bake-tracker export file (it has no "format": "bake-tracker").'
        )
    if document.get("version") not in SUPPORTED_VERSIONS:
        raise ImportVersionError(document.get("version"))
    return document, None, exact


def _read_json(path: Path, *, exact: bool) -> tuple[Any, bool]:
    """The file's JSON value, and whether it is exactly what ``json.load`` gives.

    orjson parses faster (1.0 s against 1.6 s for the big season) and gives the same values, with
    one exception: a whole number beyond 64 bits becomes a float (``json`` keeps the int). It
    refuses what ``json`` takes as an extension (NaN, Infinity, a lone surrogate such as
    "\\ud800") and what ``json`` refuses too (broken text, invalid UTF-8, a byte order mark); for
    all of those the file is read by ``json.load`` exactly as before, so the values and the error
    messages stay the same. Its result counts as inexact: wherever the checks would look at a
    float, the file is read again with ``json`` (``_Inexact``).
    """
    if _orjson is not None and not exact:
        data = path.read_bytes()
        try:
            return _orjson.loads(data), False
        except _orjson.JSONDecodeError:
            pass  # json.load says what is wrong, in its words, or reads the extensions
        del data
    with path.open(encoding="utf-8") as handle:
        return json.load(handle), True


def _exact_header(document: Any) -> bool:
    """No float among the values the header checks look at (``format``, ``version``)."""
    if not isinstance(document, dict):
        return True
    return not _INEXACT_TYPES.intersection(
        map(type, (document.get("format"), document.get("version")))
    )


_INEXACT_TYPES = frozenset({float, list, dict})  # may hold a number orjson read as a float


def _failed(errors: list[str]) -> ImportResult:
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more problems"]
    return ImportResult(
        added=dict.fromkeys(SECTION_BY_NAME, 0),
        skipped=dict.fromkeys(SECTION_BY_NAME, 0),
        errors=errors,
    )


def _empty_database(session: Session) -> None:
    for section in reversed(SECTIONS):
        session.execute(section.table.delete())


class _Plan:
    """Every row of the document checked, its references resolved and its new id chosen."""

    def __init__(self, session: Session, document: dict, *, empty: bool, exact: bool) -> None:
        self.session = session
        self.document = document
        self.empty = empty  # replace mode: check against an empty database
        self.exact = exact  # False: parsed by orjson, see _read_json
        self.errors: list[str] = []
        self.ids: dict[str, dict[tuple, int]] = {}  # section → document key → id
        self.skipped_ids: dict[str, set[int]] = defaultdict(set)
        self.rows: dict[str, list[dict]] = {}
        self.stored: dict[str, tuple[list[str], list[tuple]]] = {}  # checked a column at a time
        self.added = dict.fromkeys(SECTION_BY_NAME, 0)
        self.skipped = dict.fromkeys(SECTION_BY_NAME, 0)

    def check(self) -> None:
        for section in SECTIONS:
            records = self.document.get(section.name, [])
            if not isinstance(records, list):
                self.errors.append(f"{section.name} must be a list")
                continue
            self._check_section(section, records)

    def _check_section(self, section: Section, records: list) -> None:
        self.ids[section.name] = {}
        existing_uuid, existing_key, next_id = self._existing(section)
        uniques = self._unique_values(section)
        try:
            self._check_section_whole(
                section, records, existing_uuid, existing_key, next_id, uniques
            )
            return
        except (_RecordByRecord, TypeError):  # TypeError: say, a list where a name should be
            pass  # something to report, skip or convert one by one: the checks below
        if not self.exact and any(
            not _INEXACT_TYPES.isdisjoint(map(type, record.values()))
            for record in records
            if isinstance(record, dict)
        ):
            raise _Inexact  # the column checks refuse floats; these checks read and show them
        rows, seen_uuids, seen_keys = [], set(), set()
        for index, record in enumerate(records):
            where = f"{section.name}[{index}]"
            if not isinstance(record, dict):
                self.errors.append(f"{where}: must be an object")
                continue
            row = self._row(section, record, where)
            if row is None:
                continue
            key = tuple(row.get(c) for c in section.key)
            if row["uuid"] in seen_uuids or (section.key and key in seen_keys):
                self.errors.append(
                    f"{where}: appears twice in the file ({_describe(section, record)})"
                )
                continue
            seen_uuids.add(row["uuid"])
            seen_keys.add(key)
            found = existing_uuid.get(row["uuid"]) or (
                existing_key.get(key) if section.key else None
            )
            if found is None and self._owner_skipped(section, row):
                found = -1  # its owner already exists: keep the existing one's contents
            if found is not None:
                self.skipped[section.name] += 1
                if found > 0:
                    self._remember(section, record, found)
                    self.skipped_ids[section.name].add(found)
                continue
            if not self._unique_ok(section, row, uniques, where):
                continue
            next_id += 1
            row["id"] = next_id
            self._remember(section, record, next_id)
            rows.append(row)
        self.rows[section.name] = rows
        self.added[section.name] = len(rows)

    def _existing(self, section: Section) -> tuple[dict[str, int], dict[tuple, int], int]:
        table = section.table
        next_id = self.session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
        if self.empty:
            return {}, {}, 0
        columns = [table.c.id, table.c.uuid, *(table.c[c] for c in section.key)]
        by_uuid, by_key = {}, {}
        for row_id, row_uuid, *key in self.session.execute(select(*columns)):
            by_uuid[row_uuid] = row_id
            by_key[tuple(key)] = row_id
        for document_key, row_id in self._existing_doc_keys(section):
            self.ids[section.name][document_key] = row_id
        return by_uuid, by_key, next_id

    def _unique_values(self, section: Section) -> dict[tuple[str, ...], set]:
        """Values already taken for each unique column set other than uuid and the natural key."""
        sets = {
            tuple(c.name for c in constraint.columns)
            for constraint in section.table.constraints
            if isinstance(constraint, UniqueConstraint)
        }
        sets |= {(c.name,) for c in section.table.columns if c.unique}
        sets -= {("uuid",), tuple(section.key)}
        taken = {}
        for columns in sets:
            rows = (
                []
                if self.empty
                else self.session.execute(select(*(section.table.c[c] for c in columns)))
            )
            taken[columns] = {tuple(r) for r in rows if None not in tuple(r)}
        return taken

    def _unique_ok(self, section: Section, row: dict, uniques: dict, where: str) -> bool:
        for columns, taken in uniques.items():
            value = tuple(row.get(c) for c in columns)
            if None in value:
                continue
            if value in taken:
                shown = ", ".join(f"{c} '{v}'" for c, v in zip(columns, value, strict=True))
                self.errors.append(f"{where}: {shown} is already used by another row")
                return False
            taken.add(value)
        return True

    def _existing_doc_keys(self, section: Section):
        """Existing rows as references see them, so the document may point at them too."""
        table = section.table
        fields = doc_key(section)
        for row_id, *values in self.session.execute(
            select(table.c.id, *(table.c[f] for f in fields))
        ):
            yield tuple(values), row_id

    def _remember(self, section: Section, record: dict, row_id: int) -> None:
        key = tuple(_parse_key_part(section, f, record.get(f)) for f in doc_key(section))
        self.ids[section.name][key] = row_id

    def _owner_skipped(self, section: Section, row: dict) -> bool:
        """A row owned (ON DELETE CASCADE) by a row that was skipped is skipped too."""
        for ref in section.refs:
            fk = next(iter(section.table.c[ref.column].foreign_keys))
            if fk.ondelete == "CASCADE" and row.get(ref.column) in self.skipped_ids[ref.section]:
                return True
        return False

    def _row(self, section: Section, record: dict, where: str) -> dict | None:
        problems: list[str] = []
        row: dict[str, Any] = {}
        fk_columns = {ref.column for ref in section.refs}
        for column in section.table.columns:
            if column.name == "id" or column.name in fk_columns:
                continue
            row[column.name] = _parse(section, column, record.get(column.name), problems)
        for ref in section.refs:
            row[ref.column] = self._resolve(section, ref, record, problems)
        if problems:
            label = _describe(section, record)
            self.errors.extend(
                f"{where} ({label}): {p}" if label else f"{where}: {p}" for p in problems
            )
            return None
        return row

    def _resolve(self, section: Section, ref, record: dict, problems: list[str]) -> int | None:
        values = tuple(record.get(f) for f in ref.fields)
        if any(
            v is not None and (isinstance(v, bool) or not isinstance(v, str | int)) for v in values
        ):
            problems.append(f"{', '.join(ref.fields)} must be text (or a whole number for a year)")
            return None
        nullable = section.table.c[ref.column].nullable
        if all(v is None for v in values):
            if not nullable:
                problems.append(f"{', '.join(ref.fields)} is required")
            return None
        target = SECTION_BY_NAME[ref.section]
        key = tuple(
            _parse_key_part(target, name, value)
            for name, value in zip(doc_key(target), values, strict=True)
        )
        found = self.ids.get(ref.section, {}).get(key)
        if found is None:
            shown = " ".join(str(v) for v in values)
            problems.append(
                f"refers to {ref.section.replace('_', ' ')} '{shown}', which is not there"
            )
        return found

    def _check_section_whole(
        self,
        section: Section,
        records: list,
        existing_uuid: dict,
        existing_key: dict,
        next_id: int,
        uniques: dict,
    ) -> None:
        """The usual case, a column at a time: every record well formed and new, nothing skipped.

        Each column gets one parser that checks the whole column and turns it straight into stored
        values (scaled integers, naive UTC timestamps); references are resolved by dictionary. Any
        value off the exported form, any problem, duplicate, existing row or skip raises
        ``_RecordByRecord`` before anything is kept, and the section is checked record by record
        (which lists the problems, or converts what this path does not know).
        """
        count = len(records)
        if not count:
            raise _RecordByRecord
        if set(map(type, records)) != {dict}:
            raise _RecordByRecord
        table = section.table
        fk_columns = {ref.column for ref in section.refs}
        own = [c for c in table.columns if c.name != "id" and c.name not in fk_columns]
        fields = [c.name for c in own] + [f for ref in section.refs for f in ref.fields]
        raw: dict[str, list] = {}
        for name in fields:  # one pass per field: far cheaper than transposing record tuples
            try:
                raw[name] = list(map(itemgetter(name), records))
            except KeyError:  # a field left out: None, as record.get gives
                raw[name] = list(map(dict.get, records, repeat(name)))
        sqlite = self.session.get_bind().dialect.name == "sqlite"
        values: dict[str, list] = {}
        for column in own:
            values[column.name] = _whole_column(section, column, raw[column.name], sqlite)
        for ref in section.refs:
            values[ref.column] = self._resolve_whole(section, ref, raw, count)
        uuids = values["uuid"]
        if len(set(uuids)) != count or (
            existing_uuid and any(map(existing_uuid.__contains__, uuids))
        ):
            raise _RecordByRecord  # duplicates in the file, or rows that exist: skipped
        if section.key:
            keys = list(zip(*(values[c] for c in section.key), strict=True))
            if len(set(keys)) != count or any(map(existing_key.__contains__, keys)):
                raise _RecordByRecord
        if any(self.skipped_ids[ref.section] for ref in section.refs):
            raise _RecordByRecord  # some owners were skipped: so may be some of these rows
        for columns, taken in uniques.items():
            used = [v for v in zip(*(values[c] for c in columns), strict=True) if None not in v]
            if len(set(used)) != len(used) or not taken.isdisjoint(used):
                raise _RecordByRecord
        ids = range(next_id + 1, next_id + 1 + count)
        doc_values = [values[f] for f in doc_key(section)]
        self.ids[section.name].update(zip(zip(*doc_values, strict=True), ids, strict=True))
        names = ["id", *values]
        self.stored[section.name] = (names, list(zip(ids, *values.values(), strict=True)))
        self.rows[section.name] = []
        self.added[section.name] = count

    def _resolve_whole(self, section: Section, ref, raw: dict, count: int) -> list:
        """The referenced ids of a whole column; ``_RecordByRecord`` for anything not found."""
        columns = [raw[f] for f in ref.fields]
        if len(columns) > 1 and not set().union(*map(set, map(map, repeat(type), columns))) <= {
            str,
            int,
            type(None),
        }:
            raise _RecordByRecord  # floats and booleans are refused, one by one
        # the key tuples are made lazily: zip reuses one tuple while the lookup needs it
        ids = list(map(self.ids.get(ref.section, {}).get, zip(*columns, strict=True)))
        missing = ids.count(None)
        if missing:
            if not section.table.c[ref.column].nullable:
                raise _RecordByRecord  # not there: reported record by record
            given = (
                columns[0].count(None)
                if len(columns) == 1
                else list(zip(*columns, strict=True)).count((None, None))
            )
            if given != missing:
                raise _RecordByRecord  # not there, or only half of a reference given
        return ids

    def write(self) -> None:
        connection = self.session.connection()
        with _large_page_cache(connection):
            self._insert(connection)
        _recount_stock(self.session)
        if connection.dialect.name == "postgresql":
            for section in SECTIONS:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{section.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {section.name}), 0) + 1, false)"
                    )
                )
        self.session.expire_all()

    def _insert(self, connection) -> None:
        for section in SECTIONS:
            if section.name in self.stored:
                names, rows = self.stored[section.name]
                with _indexes_built_after(connection, section, len(rows)):
                    _insert_stored(connection, section, names, rows)
                continue
            rows = self.rows.get(section.name, [])
            for start in range(0, len(rows), 5000):
                connection.execute(insert(section.table), rows[start : start + 5000])


class _RecordByRecord(Exception):
    """This section needs the record-by-record checks."""


def _whole_column(section: Section, column, values, sqlite: bool) -> list:
    """A whole column of the document as stored values, checked as ``_parse`` checks one value.

    Only the exported form is taken ("2.500", "2025-12-15T10:00:00.000000Z", "2025-12-24"); any
    other value, even one ``_parse`` accepts, raises ``_RecordByRecord``.
    """
    if not values:
        return []
    kinds = set(map(type, values))  # also tells whether a value is null, without comparing each
    if _NONE in kinds:
        if not column.nullable:
            raise _RecordByRecord  # a default to fill in, or a problem to report
        present = [value for value in values if value is not None]
        parsed = _whole_column(section, column, present, sqlite)
        if parsed == present:
            return list(values)
        stored = dict(zip(present, parsed, strict=True))  # present values are text here
        stored[None] = None
        return list(map(stored.__getitem__, values))
    kind = column.type
    if isinstance(kind, _ScaledDecimal):
        signed = (section.name, column.name) in SIGNED_COLUMNS
        return _whole_scaled(values, kinds, kind.places, signed)
    if isinstance(kind, UTCDateTime):
        return _whole_timestamps(values, kinds, sqlite)
    if isinstance(kind, Boolean):
        if kinds != {bool}:
            raise _RecordByRecord
        return list(values)
    if isinstance(kind, Integer):
        if kinds != {int} or max(map(abs, values)) > validation.MAX_ID:  # beyond 64 bits
            raise _RecordByRecord
        return list(values)
    if isinstance(kind, Date):
        return _whole_dates(values, kinds, sqlite)
    if isinstance(kind, String) or hasattr(kind, "length"):
        if kinds != {str}:
            raise _RecordByRecord
        joined = "\n".join(values)
        if not joined.isascii() and not validation.is_utf8(joined):
            raise _RecordByRecord
        length = getattr(kind, "length", None)
        if length is not None and max(map(len, values)) > length:
            raise _RecordByRecord
        allowed = ALLOWED_VALUES.get((section.name, column.name))
        if allowed and not set(values) <= set(allowed):
            raise _RecordByRecord
        return list(values)
    raise _RecordByRecord


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
        raise _RecordByRecord
    joined = "\n".join(values)
    if not pattern.fullmatch(joined):
        raise _RecordByRecord
    stored = list(map(int, joined.replace(".", "").split("\n")))
    limit = 10**12 * 10**places
    if max(stored) > limit or min(stored) < -limit:
        raise _RecordByRecord
    return stored


def _whole_timestamps(values, kinds: set, sqlite: bool) -> list:
    count = len(values)
    if kinds != {str} or set(map(len, values)) != {27}:
        raise _RecordByRecord
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
            raise _RecordByRecord
    stored = joined.replace("T", " ").replace("Z", "").split("\n")
    try:  # the digits make a real moment (no 2025-02-30, no year 0)
        moments = list(map(datetime.fromisoformat, stored))
    except ValueError:
        raise _RecordByRecord from None
    return stored if sqlite else moments


def _whole_dates(values, kinds: set, sqlite: bool) -> list:
    count = len(values)
    if kinds != {str} or set(map(len, values)) != {10}:
        raise _RecordByRecord
    joined = "\n".join(values)
    if joined[4::11] != "-" * count or joined[7::11] != "-" * count:
        raise _RecordByRecord
    try:
        days = list(map(date.fromisoformat, values))
    except ValueError:
        raise _RecordByRecord from None
    return list(values) if sqlite else days


@contextmanager
def _large_page_cache(connection) -> Iterator[None]:
    """SQLite: a page cache large enough that a big import's pages are written once, at commit,
    instead of spilling to the journal mid-transaction (two thirds of the write time); restored
    afterwards. The cache only grows as pages are used."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size={IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


@contextmanager
def _indexes_built_after(connection, section: Section, count: int) -> Iterator[None]:
    """SQLite, many rows into an empty table: its secondary indexes are dropped first and created
    again, from the same SQL, once the rows are in — one sort per index instead of a B-tree insert
    per row (about a fifth of the big season's writing). It happens inside the import's
    transaction, so a failure takes it back with the rows, and a unique index the rows would break
    refuses the import as the insert would have (``IntegrityError``). The indexes SQLite makes for
    the table's own UNIQUE constraints (``uuid``) cannot be dropped and stay."""
    quote = connection.dialect.identifier_preparer.quote
    if (
        connection.dialect.name != "sqlite"
        or count < INDEX_REBUILD_ROWS
        or connection.exec_driver_sql(
            f"SELECT EXISTS (SELECT 1 FROM {quote(section.name)})"
        ).scalar()
    ):
        yield
        return
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
        (section.name,),
    ).all()
    for name, _ in indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield
    for _, sql in indexes:
        connection.exec_driver_sql(sql)


def _insert_stored(connection, section: Section, names: list[str], rows: list[tuple]) -> None:
    """Rows already in stored form, written without the column types' conversions."""
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {quote(section.name)} ({', '.join(map(quote, names))}) "
        f"VALUES ({', '.join([mark] * len(names))})",
        rows,
    )


def _describe(section: Section, record: dict) -> str:
    fields = [f for f in doc_key(section) if f != "uuid"] or ["uuid"]
    return " ".join(str(record.get(f)) for f in fields if record.get(f) is not None)


def _parse_key_part(section: Section, field: str, value: Any) -> Any:
    if field == "year" and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _parse(section: Section, column, value: Any, problems: list[str]) -> Any:
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
            if abs(value) > validation.MAX_ID:  # beyond a 64-bit column: the driver overflows
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


def _recount_stock(session: Session) -> None:
    """inventory_count = Σ remaining of the item's lots, for every finished unit and good."""
    session.execute(
        text(
            "UPDATE finished_units SET inventory_count = COALESCE((SELECT SUM(quantity_remaining) "
            "FROM finished_unit_lots WHERE finished_unit_id = finished_units.id), 0)"
        )
    )
    session.execute(
        text(
            "UPDATE finished_goods SET inventory_count = COALESCE((SELECT SUM(quantity_remaining) "
            "FROM finished_good_lots WHERE finished_good_id = finished_goods.id), 0)"
        )
    )


# --- CSV reports ----------------------------------------------------------------------------------


def export_shopping_list_csv(
    event_id: int, path: str | Path, *, session: Session | None = None
) -> Path:
    """The event's shopping list as CSV."""
    return event_planning.export_shopping_list_csv(event_id, path, session=session)


def export_cost_report_csv(
    event_id: int, path: str | Path, *, session: Session | None = None
) -> Path:
    """Planned vs actual cost per recipe of an event, with totals, as CSV."""
    with use_session(session) as s:
        event = run_support.load_event(s, event_id)
        lines = dashboard_service.get_recipe_cost_breakdown(event_id, session=s)
    cents = Decimal("0.01")
    rows = [
        [
            line.recipe_name,
            line.batches_required,
            line.batches_produced,
            line.planned_cost.quantize(cents, ROUND_HALF_UP),
            line.actual_cost.quantize(cents, ROUND_HALF_UP),
            line.variance.quantize(cents, ROUND_HALF_UP),
            line.variance_percent,
        ]
        for line in lines
    ]
    planned = sum((line.planned_cost for line in lines), Decimal(0))
    actual = sum((line.actual_cost for line in lines), Decimal(0))
    rows.append(
        [
            "Total",
            "",
            "",
            planned.quantize(cents, ROUND_HALF_UP),
            actual.quantize(cents, ROUND_HALF_UP),
            (actual - planned).quantize(cents, ROUND_HALF_UP),
            dashboard_service.variance_percent(actual, planned),
        ]
    )
    header = [
        f"Recipe ({event.name})",
        "Batches required",
        "Batches produced",
        "Planned cost",
        "Actual cost",
        "Variance",
        "Variance %",
    ]
    return csv_export.write_csv(path, header, rows)


def export_production_history_csv(path: str | Path, *, session: Session | None = None) -> Path:
    """Every production run (voided ones marked) as CSV."""
    from src.services import batch_production_service

    runs = batch_production_service.get_production_history(
        include_voided=True, limit=10_000_000, session=session
    )
    header = [
        "Date",
        "Recipe",
        "Finished unit",
        "Event",
        "Batches",
        "Expected",
        "Actual",
        "Total cost",
        "Per unit",
        "Voided",
        "Notes",
    ]
    rows = [
        [
            run.produced_at.strftime("%Y-%m-%d %H:%M"),
            run.recipe_name,
            run.finished_unit_name,
            run.event_name or "",
            run.num_batches,
            run.expected_yield,
            run.actual_yield,
            run.total_ingredient_cost,
            run.per_unit_cost,
            "yes" if run.voided_at else "",
            run.notes or "",
        ]
        for run in runs
    ]
    return csv_export.write_csv(path, header, rows)
