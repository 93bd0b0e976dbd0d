"""The TrueType fonts the PDFs embed: CustomTkinter's Roboto, found without importing Tk.

Roboto Regular and Medium come with CustomTkinter (``customtkinter/assets/fonts/Roboto``), so no
font file is added to the app. They cover what bakers type — accents, ñ, ß, œ, ½ ¼ ¾, °, €, £,
typographic quotes and dashes (``kitty-specs/015-printing/plan.md`` lists the check) — and fpdf2
embeds only the glyphs a document uses. A character Roboto does not have (an emoji, Chinese) is
printed as "?" (``printable``) rather than as an empty box or nothing.

The folder is found from the package's import spec, not by importing it (``customtkinter``
imports Tk, and services never do); in a PyInstaller bundle the assets sit beside the bundled
modules under the same package name.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

from bake_tracker.services.errors import ExportError

REGULAR = "Roboto-Regular.ttf"
MEDIUM = "Roboto-Medium.ttf"


@cache
def font_folder() -> Path:
    """The folder holding Roboto Regular and Medium.

    Raises:
        ExportError: the fonts are missing (a broken install).
    """
    candidates = []
    spec = importlib.util.find_spec("customtkinter")
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) for p in spec.submodule_search_locations]
    if hasattr(sys, "_MEIPASS"):  # a PyInstaller bundle
        candidates.append(Path(sys._MEIPASS) / "customtkinter")
    for package in candidates:
        folder = package / "assets" / "fonts" / "Roboto"
        if (folder / REGULAR).is_file() and (folder / MEDIUM).is_file():
            return folder
    raise ExportError("the PDF", "its font (Roboto, from CustomTkinter) was not found")


def printable(text: str, glyphs: frozenset[int]) -> str:
    """``text`` as it can be printed: control characters (NUL, tab, line breaks) become spaces,
    characters the font lacks become "?"."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out.append(" ")
        elif code in glyphs:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)
