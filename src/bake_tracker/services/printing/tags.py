"""Gift tags: one per assignment, laid out in a grid with cut marks.

A tag is 85 × 50 mm (a business card's width, a little taller), two across; as many rows as the
page holds: four on A4 and on US Letter, so eight tags a page. Tags are 6 mm apart, and at each
tag's corners short cut marks sit in that gap, on the lines of the tag's edges, so cutting along
them never cuts into a neighbour. A tag says "For",
the recipient's name (large), the package (× quantity when more than one), the optional message,
and at the foot the event and its date. A long name or message is drawn smaller until the whole tag
fits; at the smallest size it still wraps inside the tag (names and messages have length limits).
"""

from __future__ import annotations

from bake_tracker.core.dates import format_long_date
from bake_tracker.services.dto.documents import GiftTag, GiftTagsDocument
from bake_tracker.services.printing.sheet import FAMILY, MARGIN, Sheet

TAG_W, TAG_H = 85.0, 50.0
GAP = 6.0
INSET = 4.0  # text inside the tag's edge
MARK = 2.5  # length of a cut mark
MARK_OFFSET = 1.0  # gap between the tag's corner and its marks
SCALES = (1.0, 0.85, 0.72, 0.6, 0.5, 0.42)
NO_TAGS = "No tags to print: no packages are assigned to recipients for this event yet."


def draw_gift_tags(sheet: Sheet, document: GiftTagsDocument) -> None:
    if not document.tags:
        sheet.paragraph(NO_TAGS)
        return
    columns = max(1, int((sheet.epw + GAP) // (TAG_W + GAP)))
    left = MARGIN + (sheet.epw - (columns * TAG_W + (columns - 1) * GAP)) / 2
    top = sheet.get_y() + MARK_OFFSET + MARK + 1
    rows = max(1, int((sheet.bottom - top + GAP) // (TAG_H + GAP)))
    per_page = rows * columns
    for index, tag in enumerate(document.tags):
        slot = index % per_page
        if index and slot == 0:
            sheet.add_page()
            top = sheet.get_y() + MARK_OFFSET + MARK + 1
        x = left + (slot % columns) * (TAG_W + GAP)
        y = top + (slot // columns) * (TAG_H + GAP)
        _cut_marks(sheet, x, y)
        _tag(sheet, x, y, tag, document)


def _cut_marks(sheet: Sheet, x: float, y: float) -> None:
    sheet.set_draw_color(0)
    sheet.set_line_width(0.2)
    for cx, dx in ((x, -1), (x + TAG_W, 1)):
        for cy, dy in ((y, -1), (y + TAG_H, 1)):
            # a horizontal and a vertical tick pointing away from the tag, off its corner
            sheet.line(cx + dx * MARK_OFFSET, cy, cx + dx * (MARK_OFFSET + MARK), cy)
            sheet.line(cx, cy + dy * MARK_OFFSET, cx, cy + dy * (MARK_OFFSET + MARK))


def _blocks(tag: GiftTag, document: GiftTagsDocument) -> list[tuple[str, str, float]]:
    """(text, style, size in pt at scale 1) from the top of the tag down."""
    package = tag.package_name + (f" × {tag.quantity}" if tag.quantity != 1 else "")
    blocks = [("For", "", 9.0), (tag.recipient_name, "B", 17.0), (package, "", 11.0)]
    if document.message:
        blocks.append((document.message, "", 10.5))
    return blocks


def _tag(sheet: Sheet, x: float, y: float, tag: GiftTag, document: GiftTagsDocument) -> None:
    width = TAG_W - 2 * INSET
    footer = f"{document.header.event_name} · {format_long_date(document.header.event_date)}"
    for scale in SCALES:
        laid = _layout(sheet, width, [*_blocks(tag, document), (footer, "", 8.0)], scale)
        if sum(height for *_, height in laid) <= TAG_H - 2 * INSET:
            break
    body, (footer_text, _style, footer_size, footer_h) = laid[:-1], laid[-1]
    cursor = y + INSET
    for text, style, size, _height in body:
        sheet.set_font(FAMILY, style, size)
        cursor = _draw(sheet, x + INSET, cursor, width, text, size) + 0.8
    sheet.set_font(FAMILY, "", footer_size)
    sheet.set_text_color(90)
    _draw(sheet, x + INSET, y + TAG_H - INSET - footer_h, width, footer_text, footer_size)
    sheet.set_text_color(0)


def _layout(
    sheet: Sheet, width: float, blocks: list[tuple[str, str, float]], scale: float
) -> list[tuple[str, str, float, float]]:
    """[(text, style, size, height)] for the blocks at ``scale``."""
    laid = []
    for text, style, size in blocks:
        sheet.set_font(FAMILY, style, size * scale)
        clean = sheet.text(text)
        count = len(sheet.lines_of(width, clean))
        laid.append((clean, style, size * scale, count * _line(size * scale) + 0.8))
    return laid


def _line(size: float) -> float:
    return size * 0.42  # mm per line at ``size`` pt (1 pt = 0.353 mm, plus leading)


def _draw(sheet: Sheet, x: float, y: float, width: float, text: str, size: float) -> float:
    return sheet.write_lines(x, y, width, _line(size), text)
