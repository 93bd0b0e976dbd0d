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

import json
import os
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
from src.models.types import UTCDateTime, _ScaledDecimal
from src.services import csv_export, dashboard_service, event_planning, run_support
from src.services.dto import ImportResult
from src.services.errors import ExportError, ImportVersionError, ValidationError
from src.services.transactions import use_session
from src.services.transfer_format import SECTION_BY_NAME, SECTIONS, Section, doc_key

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


# --- export ---------------------------------------------------------------------------------------


def export_data(path: str | Path | None = None, *, session: Session | None = None) -> dict:
    """The whole database as one document; also written to ``path`` (atomically) when given."""
    with use_session(session) as s:
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": _iso(datetime.now(UTC)),
        }
        keys: dict[str, dict[int, tuple]] = {}
        for section in SECTIONS:
            # In id order: an import assigns ids in document order, which keeps the (date, id)
            # FIFO order of lots bought on the same day.
            rows = s.execute(select(section.table).order_by(section.table.c.id)).mappings().all()
            keys[section.name] = {
                row["id"]: tuple(row[k] for k in doc_key(section)) for row in rows
            }
            document[section.name] = [_record(section, row, keys) for row in rows]
    if path is not None:
        try:
            _write_json(Path(path), document)
        except OSError as error:
            raise ExportError(path, error.strerror or str(error)) from None
    return document


def _record(section: Section, row, keys: dict[str, dict[int, tuple]]) -> dict[str, Any]:
    fk_columns = {ref.column for ref in section.refs}
    record = {
        column.name: _to_json(row[column.name])
        for column in section.table.columns
        if column.name != "id" and column.name not in fk_columns
    }
    for ref in section.refs:
        target = row[ref.column]
        values = keys[ref.section][target] if target is not None else (None,) * len(ref.fields)
        record.update(
            {name: _to_json(value) for name, value in zip(ref.fields, values, strict=True)}
        )
    return record


def _to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _write_json(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)  # never a half-written export under the real name


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
    document, problem = _load(source)
    if problem:
        return _failed([problem])
    try:
        return _import(document, mode, session)
    except _Refused as refused:
        return _failed(refused.errors)


class _Refused(Exception):
    """The document has problems: nothing may be written (the transaction is rolled back)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def _import(document: dict, mode: str, session: Session | None) -> ImportResult:
    with use_session(session, write=True) as s:
        savepoint = s.begin_nested()
        plan = _Plan(s, document, empty=mode == "replace")
        plan.check()
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
        savepoint.commit()
        return ImportResult(added=plan.added, skipped=plan.skipped, errors=[])


def _load(source: str | Path | dict) -> tuple[dict, str | None]:
    if isinstance(source, dict):
        document = source
    elif not isinstance(source, str | Path):
        raise ImportVersionError(None)
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return {}, f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB"
            with path.open(encoding="utf-8") as handle:
                document = json.load(handle)
        except OSError as error:
            return {}, f"Cannot read {path}: {error.strerror}"
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            return {}, f"{path.name} is not a complete JSON document ({error})"
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportVersionError(
            None, 'This is not a bake-tracker export file (it has no "format": "bake-tracker").'
        )
    if document.get("version") not in SUPPORTED_VERSIONS:
        raise ImportVersionError(document.get("version"))
    return document, None


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

    def __init__(self, session: Session, document: dict, *, empty: bool) -> None:
        self.session = session
        self.document = document
        self.empty = empty  # replace mode: check against an empty database
        self.errors: list[str] = []
        self.ids: dict[str, dict[tuple, int]] = {}  # section → document key → id
        self.skipped_ids: dict[str, set[int]] = defaultdict(set)
        self.rows: dict[str, list[dict]] = {}
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

    def write(self) -> None:
        connection = self.session.connection()
        for section in SECTIONS:
            rows = self.rows.get(section.name, [])
            for start in range(0, len(rows), 5000):
                connection.execute(insert(section.table), rows[start : start + 5000])
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
