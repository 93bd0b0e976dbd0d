"""Moving everything in and out: the versioned JSON document, and CSV reports.

``export_data`` writes every table as a section of one document (layout in ``transfer.format``).
``import_data`` reads one back, all or nothing: every record is checked first — types, numbers,
allowed values, references, duplicate keys — and every problem is listed; only a document without
problems is written, in one transaction (a savepoint when the caller passes a session). ``merge``
keeps what is there and adds what is new (a row whose uuid or natural key exists is skipped, and so
are the rows it owns); ``replace`` empties the database first. Stock counts of finished units and
goods are recomputed from their lots afterwards, and an import whose lots, ledgers and runs would
not add up is refused.

This module owns the public entry points; the work is done in the ``transfer`` package:
``transfer.export`` formats and writes the document, ``transfer.read`` reads and header-checks
one, ``transfer.plan`` checks every record (``transfer.values`` one value, ``transfer.columns`` a
whole section a column at a time), ``transfer.write`` writes the checked rows.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bake_tracker.core import faults
from bake_tracker.services import dashboard_service, integrity_service, recipient_service
from bake_tracker.services.dto import ImportResult
from bake_tracker.services.errors import ExportError, ValidationError
from bake_tracker.services.events import planning
from bake_tracker.services.files import write_atomically
from bake_tracker.services.loading import load_event
from bake_tracker.services.transactions import use_session
from bake_tracker.services.transfer import csv_files, words
from bake_tracker.services.transfer import export as transfer_export
from bake_tracker.services.transfer import read as transfer_read
from bake_tracker.services.transfer import write as transfer_write
from bake_tracker.services.transfer.format import SECTION_BY_NAME, SECTIONS
from bake_tracker.services.transfer.plan import Plan as _Plan
from bake_tracker.services.transfer.read import Inexact

MAX_ERRORS = 50  # problems listed; the rest are counted ("… and 12 more problems")


# --- export ---------------------------------------------------------------------------------------


def export_data(path: str | Path | None = None, *, session: Session | None = None) -> dict:
    """The whole database as one document; also written to ``path`` (atomically) when given."""
    with _without_cycle_collection():
        return _export(path, session)


def _export(path: str | Path | None, session: Session | None) -> dict:
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
        try:
            data = transfer_export.dumps(document)
            write_atomically(Path(path), data)  # no ``.part`` or 0-byte file left on failure
        except OSError as error:
            raise _cannot_write(Path(path), error, len(data)) from None
        except (ValueError, TypeError) as error:
            raise csv_files.cannot_write(path, error) from None
    return document


def _cannot_write(path: Path, error: OSError, needed: int) -> ExportError:
    """A full or read-only disk in its own words (space free and needed), else the OS's reason."""
    kind = faults.classify(error, path)
    if kind == faults.FULL:
        return ExportError(path, faults.describe(kind, path.parent, needed=needed))
    if kind == faults.READ_ONLY:
        return ExportError(path, faults.describe(kind, path.parent, database=False))
    return csv_files.cannot_write(path, error)


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
    with _without_cycle_collection():
        document, problem, exact = transfer_read.load(source)
        if problem:
            return _failed([problem])
        try:
            try:
                return _import(document, mode, session, exact=exact, owned=source is not document)
            except Inexact:  # orjson may have read a number differently: read it as before
                del document
                document, problem, exact = transfer_read.load(source, exact=True)
                if problem:  # json may refuse what orjson read (say, nesting 1,000 deep)
                    return _failed([problem])
                return _import(document, mode, session, exact=True, owned=source is not document)
        except _Refused as refused:
            return _failed(refused.errors)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while a whole database is read or written: millions of new
    records and values, none in a cycle, would otherwise be scanned again and again (a fifth of a
    big export's time). Memory is still freed as usual, by reference counting."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Refused(Exception):
    """The document has problems: nothing may be written (the transaction is rolled back)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def _import(
    document: dict, mode: str, session: Session | None, *, exact: bool, owned: bool
) -> ImportResult:
    """``owned``: the document was read from a file here, and may be emptied as it is checked."""
    # SQLite's foreign keys off for an import that owns its transaction: the plan resolves every
    # reference (each foreign key is a section's ``Ref``, ``format.check_layout``) to a row of the
    # file it writes or a row already in the database, and refuses the document otherwise
    with use_session(session, write=True, references_checked=True) as s:
        savepoint = s.begin_nested()
        plan = _Plan(s, document, empty=mode == "replace", exact=exact, owned=owned)
        # written as it is checked (``transfer.write.Writer``); nothing stays if anything is wrong
        writer = transfer_write.Writer(s, replace=mode == "replace")
        try:
            plan.check(writer)
        except Inexact:
            writer.close()
            savepoint.rollback()
            raise
        finally:
            writer.close()
        if plan.errors:
            savepoint.rollback()
            raise _Refused(plan.errors)
        if writer.refused is not None:  # a rule only the database checks, after every other
            savepoint.rollback()
            raise _Refused([_refused_by_database(writer.refused)])
        loops = integrity_service.check_structure(session=s)  # nothing contains itself
        if loops:
            savepoint.rollback()
            raise _Refused(
                [
                    "The file's recipes or finished goods contain themselves; nothing was "
                    "imported. Remove the component that closes each loop:",
                    *loops,
                ]
            )
        # lots, ledgers and runs add up (the stored totals were rebuilt from them just now)
        drifts = integrity_service.check_invariants(session=s, stored_totals=False)
        if drifts:
            savepoint.rollback()
            raise _Refused(integrity_service.import_drift_problems(drifts, session=s))
        savepoint.commit()
        if session is None:  # committed as this block ends: the WAL is folded back when idle
            transfer_write.checkpoint_when_idle(s)
        return ImportResult(
            added=plan.added,
            skipped=plan.skipped,
            errors=[],
            skip_reasons=plan.skip_reasons,
            notes=plan.notes(),
        )


def _refused_by_database(error: IntegrityError) -> str:
    """A rule that ties several fields together, which only the database checks, in words: the
    section and the rule named by its constraint (``ck_inventory_items_expiration_after_purchase``
    → pantry lots, "expiration after purchase"), the database's own words quoted to 80
    characters."""
    detail = str(error.orig).splitlines()[0] if str(error.orig) else type(error.orig).__name__
    shown = words.quote(detail)[1:-1]
    found = re.search(r"\b(ck|uq)_(\w+)", detail) or re.search(r"\b([a-z_]+)\.[a-z_]+\b", detail)
    section = rule = None
    if found and found.lastindex == 2:
        name = found.group(2)
        section = max(
            (t for t in SECTION_BY_NAME if name.startswith(t + "_")), key=len, default=None
        )
        rule = name[len(section) + 1 :].replace("_", " ") if section else None
    elif found and found.group(1) in SECTION_BY_NAME:
        section, rule = found.group(1), "a value that must be unique is repeated"
    if section is None:
        return (
            f"The database refused the data ({shown}). Correct the records it names and import "
            "the file again."
        )
    noun = words.RECORDS.get(section, (section,))[0]
    return (
        f"{noun} records ({section}) break a rule the database keeps: {rule} ({shown}). Correct "
        f"the {words.section_noun(section)} in the file and import it again."
    )


def import_report(result: ImportResult) -> list[str]:
    """What an import did, section by section, for the window and the command line: the records
    added, what was changed in them, then the records skipped with the reason for each group."""
    added = {name: n for name, n in result.added.items() if n}
    total = sum(added.values())
    lines = [
        f"Added {_records(total)}"
        + (": " + ", ".join(f"{n} {words.section_noun(name)}" for name, n in added.items()))
        * bool(added)
        + "."
    ]
    lines += result.notes
    skipped = sum(result.skipped.values())
    if not skipped:
        return [*lines, "Nothing was skipped."]
    lines.append(f"Skipped {_records(skipped)}:")
    by_reason: dict[str, list[str]] = {}  # one line per reason, its sections in document order
    for name, count in result.skipped.items():
        if not count:
            continue
        reasons = result.skip_reasons.get(name) or {"already in the database": count}
        for reason, n in reasons.items():
            by_reason.setdefault(reason, []).append(f"{n} {words.section_noun(name)}")
    lines += [f"- {reason}: {', '.join(counts)}." for reason, counts in by_reason.items()]
    return lines


def _records(count: int) -> str:
    return f"{count:,} record" + ("" if count == 1 else "s")


def _failed(errors: list[str]) -> ImportResult:
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS:,} more problems"]
    return ImportResult(
        added=dict.fromkeys(SECTION_BY_NAME, 0),
        skipped=dict.fromkeys(SECTION_BY_NAME, 0),
        errors=errors,
    )


# --- CSV reports ----------------------------------------------------------------------------------


def export_shopping_list_csv(
    event_id: int, path: str | Path, *, session: Session | None = None
) -> Path:
    """The event's shopping list as CSV."""
    return planning.export_shopping_list_csv(event_id, path, session=session)


def export_cost_report_csv(
    event_id: int, path: str | Path, *, session: Session | None = None
) -> Path:
    """Planned vs actual cost per recipe of an event, with totals, as CSV."""
    with use_session(session) as s:
        event = load_event(s, event_id)
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
    return csv_files.write_csv(path, header, rows)


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
    return csv_files.write_csv(path, header, rows)


RECIPIENT_HISTORY_HEADER = (
    "Recipient",
    "Event",
    "Year",
    "Event date",
    "Package",
    "Quantity",
    "Status",
    "Delivered on",
    "Delivered to",
    "Notes",
)


def export_recipient_history_csv(
    path: str | Path, *, recipient_id: int | None = None, session: Session | None = None
) -> Path:
    """Every package each recipient was given (one recipient's when ``recipient_id`` is given),
    one row an assignment: recipients by name, their events newest first. The delivery date is
    the UTC calendar date of ``delivered_at`` (the date filters' rule), so a file reads the same
    wherever it is opened. Written whole or not at all; formula-like text neutralised.

    Raises:
        RecipientNotFoundError, ExportError (not written).
    """
    with use_session(session) as s:
        if recipient_id is not None:
            recipient_service.load_recipient(s, recipient_id)
        lines = recipient_service.history_lines(s, recipient_id)
    rows = [
        [
            line.recipient_name,
            line.event_name,
            line.year,
            line.event_date.isoformat(),
            line.package_name,
            line.quantity,
            line.fulfillment_status,
            "" if line.delivered_at is None else line.delivered_at.date().isoformat(),
            line.delivered_to or "",
            line.notes or "",
        ]
        for line in lines
    ]
    return csv_files.write_csv(path, RECIPIENT_HISTORY_HEADER, rows)
