"""The reports a baker saves from File ▸ Export or the command line, as files.

* ``export_history(path, kind=...)``: every production or assembly run (voided ones too) with its
  ledgers — a ``.json`` file is the history document ``import_production_history`` /
  ``import_assembly_history`` read back; production history can also be a ``.csv`` for a
  spreadsheet (one row a run). ``kind="recipients"``: every package each recipient was given,
  as ``.csv`` (``transfer_service.export_recipient_history_csv``).
* ``export_cost_report(event_id, path)``: an event's planned vs actual cost per recipe, as CSV.
* ``find_event(name, year)``: the event a command line names.

Files are written whole or not at all (``files.write_atomically`` for JSON; CSV by
``transfer.csv_files``); a full or read-only disk says so in its own words (``core.faults``).
"""

from __future__ import annotations

import json
from pathlib import Path

from bake_tracker.core import faults
from bake_tracker.services import event_service, recipient_service
from bake_tracker.services.dto import EventDTO
from bake_tracker.services.errors import ExportError, ValidationError
from bake_tracker.services.files import write_atomically

PRODUCTION, ASSEMBLY, RECIPIENTS = "production", "assembly", "recipients"


def export_history(path: str | Path, *, kind: str = PRODUCTION) -> int:
    """Write the ``kind`` history (``production``, ``assembly`` or ``recipients``) to ``path``;
    the runs (or, for recipients, the assignments) written.

    Raises:
        ValidationError (an unknown kind; assembly history as CSV, recipient history as anything
        else), ExportError (not written).
    """
    # Imported here: the File menu's entries import this module with the window.
    from bake_tracker.services import assembly_service, batch_production_service, transfer_service

    target = Path(path)
    if kind not in (PRODUCTION, ASSEMBLY, RECIPIENTS):
        raise ValidationError(
            f"History is of 'production', 'assembly' or 'recipients', not {kind!r}"
        )
    if kind == RECIPIENTS:
        if target.suffix.lower() != ".csv":
            raise ValidationError("Recipient history is saved as a .csv file")
        transfer_service.export_recipient_history_csv(target)
        return sum(r.assignment_count for r in recipient_service.list_recipients())
    if target.suffix.lower() == ".csv":
        if kind != PRODUCTION:
            raise ValidationError("Assembly history is saved as a .json file")
        transfer_service.export_production_history_csv(target)
        return len(batch_production_service.export_production_history()["production_runs"])
    if kind == PRODUCTION:
        document = batch_production_service.export_production_history()
    else:
        document = assembly_service.export_assembly_history()
    text = json.dumps(document, ensure_ascii=False, indent=1, default=str)
    try:
        write_atomically(target, text)
    except OSError as error:
        kind_of_fault = faults.classify(error, target)
        if kind_of_fault in (faults.FULL, faults.READ_ONLY):
            reason = faults.describe(
                kind_of_fault, target.parent, needed=len(text.encode()), database=False
            )
            raise ExportError(target, reason) from None
        raise ExportError(target, error.strerror or str(error)) from None
    return sum(len(v) for v in document.values() if isinstance(v, list))


def export_cost_report(event_id: int, path: str | Path) -> Path:
    """The event's planned vs actual cost per recipe, with totals, as CSV."""
    from bake_tracker.services import transfer_service

    return transfer_service.export_cost_report_csv(event_id, path)


def find_event(name: str, year: int | None = None) -> EventDTO:
    """The one event called ``name`` (of ``year`` when given).

    Raises:
        ValidationError (none, or several: name the year).
    """
    wanted = name.strip().casefold()
    found = [
        e
        for e in event_service.list_events()
        if e.name.casefold() == wanted and (year is None or e.year == year)
    ]
    if not found:
        raise ValidationError(f"No event called {name[:80]!r}" + (f" in {year}" if year else ""))
    if len(found) > 1:
        years = ", ".join(str(e.year) for e in found)
        raise ValidationError(f"Several events are called {name[:80]!r} ({years}); add --year")
    return found[0]
