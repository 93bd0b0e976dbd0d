"""Printable documents as PDF files (fpdf2): the drawing, and writing the file whole or not at all.

``write_pdf(document, path, page_size=...)`` draws a document of ``dto.documents`` and writes it:
to a temporary file in the target's folder, flushed, then renamed over the target
(``files.write_atomically``'s rule), so a failure — a full disk, a read-only folder, a bad name —
leaves no half-written PDF, and says why in an ``ExportError``. Page size is ``a4`` or ``letter``.
This package writes files; it never imports Tk.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bake_tracker.core import faults
from bake_tracker.services.dto.documents import (
    BakingPlanDocument,
    CostReportDocument,
    Document,
    GiftTagsDocument,
    PackingListDocument,
    ShoppingListDocument,
)
from bake_tracker.services.errors import ExportError
from bake_tracker.services.printing.layouts import (
    draw_baking_plan,
    draw_cost_report,
    draw_packing_list,
    draw_shopping_list,
)
from bake_tracker.services.printing.sheet import Sheet
from bake_tracker.services.printing.tags import draw_gift_tags
from bake_tracker.services.transfer.csv_files import cannot_write

DRAWERS = {
    ShoppingListDocument: draw_shopping_list,
    BakingPlanDocument: draw_baking_plan,
    PackingListDocument: draw_packing_list,
    GiftTagsDocument: draw_gift_tags,
    CostReportDocument: draw_cost_report,
}


def render_pdf(document: Document, *, page_size: str = "letter") -> bytes:
    """The document as PDF bytes."""
    sheet = Sheet(document.header, page_size)
    sheet.add_page()
    DRAWERS[type(document)](sheet, document)
    return bytes(sheet.output())


def write_pdf(
    document: Document, path: str | os.PathLike[str], *, page_size: str = "letter"
) -> Path:
    """Draw ``document`` and write it to ``path`` atomically; the path written.

    Raises:
        ExportError: the file could not be written (nothing is left behind).
    """
    data = render_pdf(document, page_size=page_size)
    try:
        target = Path(path)
        if not target.name:
            raise ValueError("empty name")
        return _write_atomically(target, data)
    except OSError as error:
        kind = faults.classify(error, target)
        if kind in (faults.FULL, faults.READ_ONLY):
            reason = faults.describe(kind, target.parent, needed=len(data), database=False)
            raise ExportError(target, reason) from None
        raise cannot_write(path, error) from None
    except (ValueError, TypeError) as error:
        raise cannot_write(path, error) from None


def _write_atomically(target: Path, data: bytes) -> Path:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
