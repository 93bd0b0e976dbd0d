"""Writing CSV reports that spreadsheets open safely.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) could be run as a
formula by a spreadsheet; such text cells get a leading apostrophe. Numbers are written as plain
decimal text, so negative amounts stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from bake_tracker.services.errors import ExportError

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


def cannot_write(path: object, error: OSError | ValueError | TypeError) -> ExportError:
    """The ExportError for a file that could not be written, in plain words.

    ``ValueError`` (or ``TypeError``) is what Python raises before touching the disk for a name it
    cannot use: an empty one (``""``, ``"/"``), one with a NUL character, or not a path at all.
    """
    if isinstance(error, OSError):
        return ExportError(path, error.strerror or str(error))
    if "null" in str(error):
        return ExportError(repr(str(path)), "the file name contains an invalid character (NUL)")
    return ExportError(repr(str(path)), "that is not a file name; choose a file to write")


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write a UTF-8 CSV (with a byte-order mark, so spreadsheets detect the encoding)."""
    try:
        target = Path(path)
        if not target.name:
            raise ValueError("empty name")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([safe_cell(h) for h in header])
            for row in rows:
                writer.writerow([safe_cell(cell) for cell in row])
    except (OSError, ValueError, TypeError) as error:
        raise cannot_write(path, error) from None
    return target
