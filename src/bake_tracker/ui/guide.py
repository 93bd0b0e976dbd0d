"""The user guide as a web page: ``docs/user-guide.md`` (shipped as ``bake_tracker.docs``) turned
into HTML in the user's cache folder, so Help ▸ User guide opens it in the browser on any system
(a ``.md`` file has no default program on most computers).

The converter knows the little Markdown the guide uses: ``#`` headings, paragraphs, ``-`` and
``1.`` lists, ``|`` tables, ``**bold**``, ``code`` and ``[links](address)``. Everything is
HTML-escaped first, so the page shows exactly the guide's text.
"""

from __future__ import annotations

import html
import re
from importlib.resources import files
from pathlib import Path

from platformdirs import PlatformDirs

GUIDE_NAME = "user-guide.md"
PAGE_NAME = "user-guide.html"
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#222}h1,h2,h3{color:#8b1a2b}code{background:#f3eee8;padding:0 .2em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
)
_INLINE = (
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), r'<a href="\2">\1</a>'),
)
_ORDERED = re.compile(r"^\d+\.\s+")


def guide_text() -> str:
    """The guide's Markdown, as shipped in the package."""
    return (files("bake_tracker.docs") / GUIDE_NAME).read_text(encoding="utf-8")


def inline(text: str) -> str:
    """Escape ``text`` and apply code, bold and links."""
    out = html.escape(text, quote=False)
    for pattern, replacement in _INLINE:
        out = pattern.sub(replacement, out)
    return out


def to_html(markdown: str, title: str = "bake-tracker user guide") -> str:
    """A whole HTML page from the guide's Markdown."""
    body: list[str] = []
    blocks = re.split(r"\n\s*\n", markdown.strip())
    for block in blocks:
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        body.append(_block(lines))
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _block(lines: list[str]) -> str:
    first = lines[0]
    if first.startswith("#"):
        level = min(len(first) - len(first.lstrip("#")), 6)
        heading = f"<h{level}>{inline(first[level:].strip())}</h{level}>"
        return heading + ("\n" + _block(lines[1:]) if len(lines) > 1 else "")
    if all(line.lstrip().startswith("- ") for line in lines):
        items = "".join(f"<li>{inline(line.lstrip()[2:])}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    if all(_ORDERED.match(line.lstrip()) for line in lines):
        items = "".join(f"<li>{inline(_ORDERED.sub('', line.lstrip()))}</li>" for line in lines)
        return f"<ol>{items}</ol>"
    if all(line.startswith("|") for line in lines):
        return _table(lines)
    return f"<p>{inline(' '.join(line.strip() for line in lines))}</p>"


def _table(lines: list[str]) -> str:
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    rows = [row for row in rows if not all(set(cell) <= set("-: ") for cell in row)]
    head, *rest = rows
    out = "<tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr>"
    for row in rest:
        out += "<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>"
    return f"<table>{out}</table>"


def write_guide_page(folder: Path | None = None) -> Path:
    """Write the guide as HTML (default: the user's cache folder) and return the file."""
    folder = folder or Path(PlatformDirs("bake-tracker", appauthor=False).user_cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / PAGE_NAME
    page.write_text(to_html(guide_text()), encoding="utf-8")
    return page
