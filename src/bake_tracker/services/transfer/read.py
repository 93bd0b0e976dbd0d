"""Reading an import's document: a path or a dict, the file parsed, the header checked.

Owns ``load`` (size limit, read errors as problems — a document nested deeper than any export, a
number with thousands of digits — ``format`` and ``version`` checked),
``read_json`` (orjson when it gives exactly what ``json.load`` would, ``json`` otherwise) and the
notion of exactness: ``INEXACT_TYPES`` and ``Inexact``, which the checks raise where they would
look at a value orjson may have read differently, so that the file is read again with ``json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bake_tracker.services.errors import ImportVersionError
from bake_tracker.services.transfer import words
from bake_tracker.services.transfer.format import SECTIONS

try:  # a declared dependency; without it the standard parser reads the same documents, slower
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None

FORMAT = "bake-tracker"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
# Far above any real kitchen (a season of 700,000 records exports to about 250 MB), and small enough
# that reading the file cannot exhaust a laptop's memory.
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
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                return {}, _too_big(path.name, size), True
            document, exact = read_json(path, exact=exact)
        except OSError as error:
            return {}, f"Cannot read {path}: {error.strerror}", True
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            detail = words.quote(str(error))[1:-1]
            return {}, f"{path.name} is not a complete JSON document ({detail})", True
        except RecursionError:  # the parser descends once per [ or {: refused, not followed
            return {}, _too_deep(path.name), True
        except ValueError as error:  # a whole number of more than 4,300 digits
            detail = words.quote(str(error))[1:-1]
            return {}, f"{path.name} holds a value no bake-tracker file has ({detail})", True
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
    """A value as a message may quote it: text cut to 80 characters, a number as it is, anything
    else by its kind (never walked: it may be nested 100,000 deep)."""
    if isinstance(value, str) and len(value) > 80:
        return value[:80] + "…"
    if value is None or isinstance(value, str) or (type(value) is int and abs(value) < 10**20):
        return value
    return words.quote(value)


def _too_big(name: str, size: int) -> str:
    return (
        f"{name} is {size / 2**20:,.0f} MB; bake-tracker imports files of up to "
        f"{MAX_FILE_BYTES // 2**20} MB. Is it a bake-tracker export?"
    )


def _too_deep(name: str) -> str:
    return (
        f"{name} is nested too deeply: lists or objects inside each other more than a few "
        "hundred levels deep, where a bake-tracker export has three. It is not a bake-tracker "
        "export, or it is damaged."
    )


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
