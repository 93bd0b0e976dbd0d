"""The page every document is printed on, and the table drawn on it (fpdf2, millimetres).

Every page has the document's title, the event and its date, the day it was printed, and at the
foot "Page n of N". Tables are drawn here, not with fpdf2's ``table()``, for three rules:

* nothing is cut off: every cell wraps inside its column (``lines_of``: by words, and a word wider
  than the column by characters), and a row that would cross the bottom margin starts a new page
  instead. The lines measured for a row's height are the lines drawn, one ``cell`` each (cheaper
  than ``multi_cell``, which lays the text out again: the plan has the numbers);
* the column headings are repeated at the top of every page a table continues on;
* a check box is a drawn square (Roboto has no ☐ glyph), sized to the text.

Automatic page breaks are off: only the table decides where a page ends, so a row is never split
between two pages. All text goes through ``fonts.printable`` (no control characters; "?" for a
glyph the font lacks).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from bake_tracker.core.dates import format_long_date
from bake_tracker.core.wording import format_number
from bake_tracker.services.dto.documents import DocumentHeader
from bake_tracker.services.printing.fonts import MEDIUM, REGULAR, font_folder, printable

with warnings.catch_warnings():
    # fpdf2 warns when Pillow is missing (it is, in the app bundle): only images need it.
    warnings.simplefilter("ignore", UserWarning)
    from fpdf import FPDF

FAMILY = "Roboto"
PAGE_FORMATS = {"a4": "A4", "letter": "Letter"}
MARGIN = 15.0  # mm, on all four sides
FOOTER_SPACE = 10.0  # mm above the bottom margin kept for "Page n of N"
BODY_SIZE = 9.5  # pt
LINE = 4.4  # mm per line of body text
PAD = 1.2  # mm above and below a row's text
CHECK_SIZE = 3.4  # mm, a check box's side
BOX_GAP = 1.6  # mm between boxes in one cell
MAX_BOXES = 30  # boxes drawn in one cell; a larger count is written as a number
RULE_GREY = 170
HEADING_FILL = 236


@dataclass(frozen=True)
class Column:
    """A table column: heading, share of the page width, alignment ("L" or "R"), and whether its
    cells are check boxes."""

    heading: str
    share: float
    align: str = "L"
    check: bool = False


def money(value: Decimal | None) -> str:
    """ "$1,234.50" (half-up to cents, one rule with the CSV reports); "—" when unknown."""
    if value is None:
        return "—"
    cents = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return ("-" if cents < 0 else "") + f"${abs(cents):,.2f}"


def quantity(value: Decimal, unit: str) -> str:
    return f"{format_number(value)} {unit}".strip()


class Sheet(FPDF):
    """An fpdf2 document with the app's fonts, header and footer."""

    def __init__(self, header: DocumentHeader, page_size: str) -> None:
        super().__init__(unit="mm", format=PAGE_FORMATS[page_size])
        self.doc = header
        folder = font_folder()
        self.add_font(FAMILY, "", str(folder / REGULAR))
        self.add_font(FAMILY, "B", str(folder / MEDIUM))
        self.glyphs = frozenset(self.fonts[FAMILY.lower()].cmap)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.alias_nb_pages()
        self.set_title(f"{header.title} — {header.event_name}"[:300])
        self.set_creator("bake-tracker")
        # the printing day, not the second: the same data on the same day gives the same bytes
        printed = header.printed_on
        self.set_creation_date(datetime(printed.year, printed.month, printed.day, tzinfo=UTC))
        self.table_columns: Sequence[Column] | None = None

    # --- page furniture --------------------------------------------------------------------

    @property
    def bottom(self) -> float:
        """The lowest y a row may reach."""
        return self.h - MARGIN - FOOTER_SPACE

    def text(self, value: object) -> str:  # type: ignore[override]
        return printable(str(value), self.glyphs)

    def header(self) -> None:
        self.set_font(FAMILY, "B", 15)
        self.write_lines(
            self.l_margin,
            self.get_y(),
            self.epw,
            7,
            self.text(f"{self.doc.title}: {self.doc.event_name}"),
        )
        self.set_font(FAMILY, "", 9.5)
        self.set_text_color(90)
        line = (
            f"{format_long_date(self.doc.event_date)}  ·  printed "
            f"{format_long_date(self.doc.printed_on)}"
        )
        self.write_lines(self.l_margin, self.get_y(), self.epw, 5, self.text(line))
        self.set_text_color(0)
        self.set_draw_color(RULE_GREY)
        self.line(self.l_margin, self.get_y() + 1.5, self.w - self.r_margin, self.get_y() + 1.5)
        self.set_y(self.get_y() + 4)
        if self.table_columns is not None:
            self._heading_row(self.table_columns)

    def footer(self) -> None:
        self.set_y(self.h - MARGIN - 4)
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(90)
        self.cell(self.epw, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    # --- text outside tables -----------------------------------------------------------------

    def paragraph(self, value: str, *, size: float = 10.5, bold: bool = False) -> None:
        """Wrapped text across the page; a new page first when it would not fit."""
        self.set_font(FAMILY, "B" if bold else "", size)
        text = self.text(value)
        height = len(self.lines_of(self.epw, text)) * size * 0.5
        if self.get_y() + height > self.bottom:
            self.add_page()
            self.set_font(FAMILY, "B" if bold else "", size)
        self.write_lines(self.l_margin, self.get_y(), self.epw, size * 0.5, text)
        self.ln(1.5)

    def section(self, title: str) -> None:
        """A section title, kept on the page with at least two rows after it."""
        if self.get_y() + 8 + 3 * (LINE + 2 * PAD) > self.bottom:
            self.add_page()
        self.ln(2)
        self.paragraph(title, size=12, bold=True)

    # --- tables ---------------------------------------------------------------------------------

    def start_table(self, columns: Sequence[Column]) -> None:
        """Draw the heading row; it is repeated on every page until ``end_table``."""
        if self.get_y() + 3 * (LINE + 2 * PAD) > self.bottom:
            self.add_page()
        self.table_columns = columns
        self._heading_row(columns)

    def end_table(self) -> None:
        self.table_columns = None
        self.ln(2)

    def row(self, cells: Sequence[str], *, bold: bool = False, checks: bool = True) -> None:
        """One table row. In a check column an empty cell is one box and a number that many
        boxes (wrapped inside the column); any other text, or ``checks=False``, is text.

        A row taller than a whole page (a name of thousands of characters) continues on the next
        pages, each cell's lines in order, rather than running off the bottom."""
        columns = self.table_columns
        assert columns is not None, "start_table first"
        style = "B" if bold else ""
        self.set_font(FAMILY, style, BODY_SIZE)
        texts = [self.text(c) for c in cells]
        widths = [self.epw * c.share for c in columns]
        boxes = [
            _boxes(t) if c.check and checks else None for c, t in zip(columns, texts, strict=True)
        ]
        lines = [
            [] if count is not None else self.lines_of(w - 2 * PAD, t)
            for count, w, t in zip(boxes, widths, texts, strict=True)
        ]
        heights = [
            self._boxes_height(w, count) if count is not None else len(cell) * LINE
            for count, w, cell in zip(boxes, widths, lines, strict=True)
        ]
        height = max(heights) + 2 * PAD
        if self.get_y() + height > self.bottom:
            self.add_page()  # the header() repeats the heading row
            self.set_font(FAMILY, style, BODY_SIZE)
        if self.get_y() + height > self.bottom:
            self._long_row(columns, widths, lines, boxes, style)
            return
        top, x = self.get_y(), self.l_margin
        for column, width, count, cell in zip(columns, widths, boxes, lines, strict=True):
            if count is not None:
                self._draw_boxes(x, top, width, count)
            else:
                self._draw_cell(x, top, width, cell, column.align)
            x += width
        self._rule_under(top + height)

    def _long_row(
        self,
        columns: Sequence[Column],
        widths: list[float],
        lines: list[list[str]],
        boxes: list[int | None],
        style: str,
    ) -> None:
        """A row higher than a page: as many lines of every cell as fit, then the next page
        (check boxes on the first)."""
        done, longest = 0, max(len(cell) for cell in lines)
        while done < longest:
            room = max(1, int((self.bottom - self.get_y() - 2 * PAD) // LINE))
            top, x = self.get_y(), self.l_margin
            for column, width, cell, count in zip(columns, widths, lines, boxes, strict=True):
                if count is not None and done == 0:
                    self._draw_boxes(x, top, width, count)
                self._draw_cell(x, top, width, cell[done : done + room], column.align)
                x += width
            drawn = min(room, longest - done)
            done += drawn
            self._rule_under(top + drawn * LINE + 2 * PAD)
            if done < longest:
                self.add_page()
                self.set_font(FAMILY, style, BODY_SIZE)

    def _rule_under(self, y: float) -> None:
        self.set_draw_color(RULE_GREY)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_xy(self.l_margin, y)

    def _draw_cell(self, x: float, top: float, width: float, lines: list[str], align: str) -> None:
        for index, line in enumerate(lines):
            self.set_xy(x + PAD, top + PAD + index * LINE)
            self.cell(width - 2 * PAD, LINE, line, align=align)

    @staticmethod
    def _per_line(width: float) -> int:
        return max(1, int((width - 2 * PAD + BOX_GAP) // (CHECK_SIZE + BOX_GAP)))

    def _boxes_height(self, width: float, count: int) -> float:
        lines = -(-count // self._per_line(width))
        return lines * LINE

    def _draw_boxes(self, x: float, top: float, width: float, count: int) -> None:
        self.set_draw_color(60)
        per_line = self._per_line(width)
        for index in range(count):
            row, col = divmod(index, per_line)
            self.rect(
                x + PAD + col * (CHECK_SIZE + BOX_GAP),
                top + PAD + 0.4 + row * LINE,
                CHECK_SIZE,
                CHECK_SIZE,
            )

    def group(self, title: str) -> None:
        """A shaded row across the table naming the group below it (kept with its first row)."""
        self.set_font(FAMILY, "B", BODY_SIZE)
        text = self.text(title)
        height = len(self.lines_of(self.epw - 2 * PAD, text)) * LINE + 2 * PAD
        if self.get_y() + height + 2 * (LINE + 2 * PAD) > self.bottom:
            self.add_page()
            self.set_font(FAMILY, "B", BODY_SIZE)
        self.set_fill_color(HEADING_FILL)
        self.rect(self.l_margin, self.get_y(), self.epw, height, style="F")
        top = self.get_y()
        self._cell_text(self.l_margin, top, self.epw, text, "L")
        self.set_xy(self.l_margin, top + height)

    def _heading_row(self, columns: Sequence[Column]) -> None:
        self.set_font(FAMILY, "B", BODY_SIZE - 0.5)
        widths = [self.epw * c.share for c in columns]
        lines = max(
            len(self.lines_of(w - 2 * PAD, c.heading)) for w, c in zip(widths, columns, strict=True)
        )
        height = lines * LINE + 2 * PAD
        top, x = self.get_y(), self.l_margin
        self.set_fill_color(HEADING_FILL)
        self.rect(self.l_margin, top, self.epw, height, style="F")
        for column, width in zip(columns, widths, strict=True):
            self._cell_text(x, top, width, column.heading, column.align)
            x += width
        self.set_draw_color(60)
        self.line(self.l_margin, top + height, self.w - self.r_margin, top + height)
        self.set_xy(self.l_margin, top + height)

    def _cell_text(self, x: float, top: float, width: float, text: str, align: str) -> None:
        self.write_lines(x + PAD, top + PAD, width - 2 * PAD, LINE, text, align)

    def write_lines(
        self, x: float, top: float, width: float, height: float, text: str, align: str = "L"
    ) -> float:
        """Draw ``text`` wrapped to ``width`` from ``top`` down, ``height`` per line; the y below
        it (the cursor is left there, at the left margin)."""
        y = top
        for line in self.lines_of(width, text):
            self.set_xy(x, y)
            self.cell(width, height, line, align=align)
            y += height
        self.set_xy(self.l_margin, y)
        return y

    def lines_of(self, width: float, text: str) -> list[str]:
        """``text`` wrapped to ``width`` at the current font: by words, and a word wider than
        the width is broken by characters at the edge (never cut, never past it). The same lines
        are measured for the row height and drawn."""
        if not text or self.get_string_width(text) <= width:  # most cells: one line
            return [text]
        lines: list[str] = []
        line = ""
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if self.get_string_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while self.get_string_width(line) > width:
                head = self._longest_head(line, width)
                lines.append(line[:head])
                line = line[head:]
        lines.append(line)
        return lines

    def _longest_head(self, word: str, width: float) -> int:
        """How many leading characters of ``word`` fit in ``width`` (at least one)."""
        low, high = 1, len(word)
        while low < high:  # binary search: a 200-character word takes 8 measurements
            middle = (low + high + 1) // 2
            if self.get_string_width(word[:middle]) <= width:
                low = middle
            else:
                high = middle - 1
        return low


def _boxes(text: str) -> int | None:
    """How many boxes a check cell's text asks for: "" one, "3" three (None: write the text)."""
    if not text:
        return 1
    if text.isdigit() and 0 < int(text) <= MAX_BOXES:
        return int(text)
    return None
