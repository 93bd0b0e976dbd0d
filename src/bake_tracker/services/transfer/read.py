"""Reading an import's document: a path or a dict, the file parsed, the header checked.

Owns ``load`` (size limit, read errors as problems, ``format`` and ``version`` checked),
``read_json`` (orjson when it gives exactly what ``json.load`` would, ``json`` otherwise) and the
notion of exactness: ``INEXACT_TYPES`` and ``Inexact``, which the checks raise where they would
look at a value orjson may have read differently, so that the file is read again with ``json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bake_tracker.services.errors import ImportVersionError
from bake_tracker.services.transfer.format import SECTIONS

try:  # a declared dependency; without it the standard parser reads the same documents, slower
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None

FORMAT = "bake-tracker"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
MAX_FILE_BYTES = 512 * 1024 * 1024
INEXACT_TYPES = frozenset({float, list, dict})  # may hold a number orjson read as a float
HEADER_KEYS = frozenset({"format", "version", "exported_at"})
KNOWN_KEYS = HEADER_KEYS | {section.name for section in SECTIONS}


class Inexact(Exception):
    """The checks would read a value orjson may have parsed differently from ``json``."""


def load(source: str | Path | dict, *, exact: bool = False) -> tuple[dict, str | None, bool]:
    """(the document, a problem reading it, whether its values are exactly ``json.load``'s)."""
    if isinstance(source, dict):
        document = source
        exact = True
    elif not isinstance(source, str | Path):
        raise ImportVersionError(None)
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return {}, f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB", True
            document, exact = read_json(path, exact=exact)
        except OSError as error:
            return {}, f"Cannot read {path}: {error.strerror}", True
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            return {}, f"{path.name} is not a complete JSON document ({error})", True
        if not exact and not _exact_header(document):
            return load(source, exact=True)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportVersionError(
            None, 'This is not a bake-tracker export file (it has no "format": "bake-tracker").'
        )
    version = document.get("version")
    # A whole number, not a look-alike: true == 1 and 1.0 == 1 in Python, but neither is version 1.
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        raise ImportVersionError(_shown(version))
    unknown = sorted(str(key) for key in document if key not in KNOWN_KEYS)
    if unknown:
        names = ", ".join(f"'{_shown(name)}'" for name in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        return {}, f"The file has sections this version does not know: {names}{more}", exact
    return document, None, exact


def _shown(value: Any) -> Any:
    """A value as a message may quote it: text cut to 80 characters."""
    if isinstance(value, str) and len(value) > 80:
        return value[:80] + "…"
    return value


def read_json(path: Path, *, exact: bool) -> tuple[Any, bool]:
    """The file's JSON value, and whether it is exactly what ``json.load`` gives.

    orjson parses faster (1.0 s against 1.6 s for the big season) and gives the same values, with
    one exception: a whole number beyond 64 bits becomes a float (``json`` keeps the int). It
    refuses what ``json`` takes as an extension (NaN, Infinity, a lone surrogate such as
    "\\ud800") and what ``json`` refuses too (broken text, invalid UTF-8, a byte order mark); for
    all of those the file is read by ``json.load`` exactly as before, so the values and the error
    messages stay the same. Its result counts as inexact: wherever the checks would look at a
    float, the file is read again with ``json`` (``Inexact``).
    """
    if _orjson is not None and not exact:
        data = path.read_bytes()
        try:
            return _orjson.loads(data), False
        except _orjson.JSONDecodeError:
            pass  # json.load says what is wrong, in its words, or reads the extensions
        del data
    with path.open(encoding="utf-8") as handle:
        return json.load(handle), True


def _exact_header(document: Any) -> bool:
    """No float among the values the header checks look at (``format``, ``version``)."""
    if not isinstance(document, dict):
        return True
    return not INEXACT_TYPES.intersection(
        map(type, (document.get("format"), document.get("version")))
    )
