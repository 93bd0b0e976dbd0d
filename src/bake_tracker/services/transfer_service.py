"""Moving everything in and out: the versioned JSON document, and CSV reports (spec decision 13).

``export_data`` writes every table as a section of one document (layout in ``transfer_format``).
``import_data`` reads one back, all or nothing: every record is checked first — types, numbers,
allowed values, references, duplicate keys — and every problem is listed; only a document without
problems is written, in one transaction (a savepoint when the caller passes a session). ``merge``
keeps what is there and adds what is new (a row whose uuid or natural key exists is skipped, and so
are the rows it owns); ``replace`` empties the database first. Stock counts of finished units and
goods are recomputed from their lots afterwards.

This module owns the public entry points and the import's plan (``_Plan``: every record checked,
its references resolved, its new id chosen, merge's skips decided). The rest is delegated:
``transfer_export`` formats and writes the document, ``transfer_read`` reads and header-checks
one, ``transfer_values`` checks one value, ``transfer_columns`` checks a whole section a column at
a time, ``transfer_write`` writes the checked rows.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bake_tracker.services import (
    csv_export,
    dashboard_service,
    event_planning,
    integrity_service,
    run_support,
    transfer_columns,
    transfer_export,
    transfer_read,
    transfer_write,
)
from bake_tracker.services.dto import ImportResult
from bake_tracker.services.errors import ValidationError
from bake_tracker.services.transactions import use_session
from bake_tracker.services.transfer_columns import RecordByRecord
from bake_tracker.services.transfer_format import SECTION_BY_NAME, SECTIONS, Section, doc_key
from bake_tracker.services.transfer_read import INEXACT_TYPES, Inexact
from bake_tracker.services.transfer_values import describe, parse, parse_key_part

MAX_ERRORS = 200


# --- export ---------------------------------------------------------------------------------------


def export_data(path: str | Path | None = None, *, session: Session | None = None) -> dict:
    """The whole database as one document; also written to ``path`` (atomically) when given."""
    with use_session(session) as s:
        document: dict[str, Any] = {
            "format": transfer_read.FORMAT,
            "version": transfer_read.VERSION,
            "exported_at": transfer_export.iso(datetime.now(UTC)),
        }
        connection = s.connection()
        keys: dict[str, dict[str, dict]] = {}  # section → key field → {id: value}
        for section in SECTIONS:
            document[section.name] = transfer_export.export_section(connection, section, keys)
    if path is not None:
        text = transfer_export.dumps(document)
        try:
            transfer_export.write_json(Path(path), text)
        except (OSError, ValueError, TypeError) as error:
            raise csv_export.cannot_write(path, error) from None
    return document


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
        document, problem, exact = transfer_read.load(source)
        if problem:
            return _failed([problem])
        try:
            try:
                return _import(document, mode, session, exact=exact)
            except Inexact:  # orjson may have read a number differently: read it as before
                del document
                document, problem, exact = transfer_read.load(source, exact=True)
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


def _import(document: dict, mode: str, session: Session | None, *, exact: bool) -> ImportResult:
    with use_session(session, write=True) as s:
        savepoint = s.begin_nested()
        plan = _Plan(s, document, empty=mode == "replace", exact=exact)
        try:
            plan.check()
        except Inexact:
            savepoint.rollback()
            raise
        if plan.errors:
            savepoint.rollback()
            raise _Refused(plan.errors)
        try:
            if mode == "replace":
                transfer_write.empty_database(s)
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


def _failed(errors: list[str]) -> ImportResult:
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more problems"]
    return ImportResult(
        added=dict.fromkeys(SECTION_BY_NAME, 0),
        skipped=dict.fromkeys(SECTION_BY_NAME, 0),
        errors=errors,
    )


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
        except (RecordByRecord, TypeError):  # TypeError: say, a list where a name should be
            pass  # something to report, skip or convert one by one: the checks below
        if not self.exact and any(
            not INEXACT_TYPES.isdisjoint(map(type, record.values()))
            for record in records
            if isinstance(record, dict)
        ):
            raise Inexact  # the column checks refuse floats; these checks read and show them
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
                    f"{where}: appears twice in the file ({describe(section, record)})"
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
        key = tuple(parse_key_part(section, f, record.get(f)) for f in doc_key(section))
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
            row[column.name] = parse(section, column, record.get(column.name), problems)
        for ref in section.refs:
            row[ref.column] = self._resolve(section, ref, record, problems)
        if problems:
            label = describe(section, record)
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
            parse_key_part(target, name, value)
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
        """The usual case, a column at a time (``transfer_columns.check_section``): every record
        well formed and new, nothing skipped; ``RecordByRecord`` otherwise, before anything is
        kept."""
        names, rows, keys = transfer_columns.check_section(
            section,
            records,
            ids=self.ids,
            skipped_ids=self.skipped_ids,
            existing_uuid=existing_uuid,
            existing_key=existing_key,
            next_id=next_id,
            uniques=uniques,
            sqlite=self.session.get_bind().dialect.name == "sqlite",
        )
        self.ids[section.name].update(keys)
        self.stored[section.name] = (names, rows)
        self.rows[section.name] = []
        self.added[section.name] = len(rows)

    def write(self) -> None:
        transfer_write.write(self.session, self.stored, self.rows)


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
    from bake_tracker.services import batch_production_service

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
