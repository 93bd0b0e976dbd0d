"""Writing CSV reports that spreadsheets open safely.

A text cell that a spreadsheet could run as a formula gets a leading apostrophe: one that starts
with a tab, carriage return or line feed, or whose first visible character is ``=``, ``+``, ``-``,
``@`` or ``|`` (DDE), in their full-width forms too (``＝``), even after spaces. Numbers are written
as plain decimal text, so negative amounts stay numbers. A report is written whole or not at
all (``write_csv``).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from bake_tracker.services.errors import ExportError
from bake_tracker.services.files import write_atomically

FORMULA_STARTS = frozenset("=+-@|")
CONTROL_STARTS = ("\t", "\r", "\n")


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if _could_be_formula(text) else text


def _could_be_formula(text: str) -> bool:
    if text.startswith(CONTROL_STARTS):
        return True
    first = text.lstrip()[:1]
    # NFKC folds the full-width forms (＝ ＋ － ＠ ｜) that spreadsheets also accept.
    return bool(first) and unicodedata.normalize("NFKC", first) in FORMULA_STARTS


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
    """Write a UTF-8 CSV (with a byte-order mark, so spreadsheets detect the encoding), whole or
    not at all: the rows are formatted first, then written under a temporary name and renamed
    over ``path`` (``files.write_atomically``), so a failure never leaves half a report."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    try:
        target = Path(path)
        if not target.name:
            raise ValueError("empty name")
        return write_atomically(target, buffer.getvalue(), encoding="utf-8-sig")
    except (OSError, ValueError, TypeError) as error:
        raise cannot_write(path, error) from None
