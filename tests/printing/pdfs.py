"""Reading the PDFs back (pypdf): the text of each page, where each piece of text sits and how
wide it is, and the page size — what the tests check the documents against."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader

from bake_tracker.services.printing.fonts import MEDIUM, REGULAR, font_folder

MM = 72 / 25.4  # points per millimetre
MARGIN_PT = 15 * MM
BODY_BOTTOM_PT = 25 * MM  # the body ends 10 mm above the bottom margin (the footer's room)
PAGE_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn: its page, left edge, baseline, width (points) and font."""

    page: int
    text: str
    x: float
    y: float
    width: float
    bold: bool
    size: float


def reader(source: Path | bytes) -> PdfReader:
    if isinstance(source, bytes):
        from io import BytesIO

        return PdfReader(BytesIO(source))
    return PdfReader(source)


def page_texts(source: Path | bytes) -> list[str]:
    """The text of each page, runs of white space made one space."""
    return [" ".join(page.extract_text().split()) for page in reader(source).pages]


def all_text(source: Path | bytes) -> str:
    return " ".join(page_texts(source))


def page_sizes(source: Path | bytes) -> set[tuple[float, float]]:
    return {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in reader(source).pages
    }


@cache
def _measurer() -> FPDF:
    pdf = FPDF(unit="pt")
    pdf.add_font("R", "", str(font_folder() / REGULAR))
    pdf.add_font("R", "B", str(font_folder() / MEDIUM))
    return pdf


def text_width(text: str, *, bold: bool, size: float) -> float:
    pdf = _measurer()
    pdf.set_font("R", "B" if bold else "", size)
    return pdf.get_string_width(text)


def runs(source: Path | bytes) -> list[Run]:
    """Every piece of text drawn, with its position and width (from the embedded font's metrics)."""
    found: list[Run] = []
    for number, page in enumerate(reader(source).pages, start=1):

        def visit(text, cm, tm, font, size, number=number) -> None:
            if not text.strip() or font is None:
                return
            bold = "Medium" in str(font.get("/BaseFont", ""))
            scale = tm[0] * cm[0] if tm[0] and cm[0] else 1
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            stripped = text.strip()
            width = text_width(stripped, bold=bold, size=size * scale)
            found.append(Run(number, stripped, x, y, width, bold, size * scale))

        page.extract_text(visitor_text=visit)
    return found


def outside_margins(source: Path | bytes, page_size: str, slack: float = 0.6) -> list[Run]:
    """The runs that reach past a 15 mm margin (``slack`` points allowed for rounding), or, for
    any text but the "Page n of N" footer, into the 10 mm kept above the bottom margin for it."""
    width, height = PAGE_POINTS[page_size]
    return [
        r
        for r in runs(source)
        if r.x < MARGIN_PT - slack
        or r.x + r.width > width - MARGIN_PT + slack
        or r.y < (MARGIN_PT if r.text.startswith("Page ") else BODY_BOTTOM_PT) - slack
        or r.y > height - MARGIN_PT + slack
    ]


def page_numbers(source: Path | bytes | list[str]) -> list[tuple[int, int]]:
    """The "Page n of N" of each page, in page order (from the PDF or its ``page_texts``)."""
    found = []
    for text in source if isinstance(source, list) else page_texts(source):
        match = re.search(r"Page (\d+) of (\d+)", text)
        found.append((int(match[1]), int(match[2])) if match else (0, 0))
    return found
