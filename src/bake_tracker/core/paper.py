"""The default paper size for printed documents, from the user's locale.

US Letter where it is the norm (the United States, Canada, Mexico, the Philippines and most of
Central America, Chile, Colombia, Venezuela) and where no locale is set (``C``/``POSIX``: the
app's sample season is in dollars); A4 everywhere else. ``LC_PAPER`` is read first, as the C
library does, then ``LC_ALL`` and ``LANG``. Pure: it reads the mapping it is given.
"""

from __future__ import annotations

from collections.abc import Mapping

A4, LETTER = "a4", "letter"
PAGE_SIZES = (A4, LETTER)
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PA", "PR", "SV", "DO", "NI", "BZ"}
)


def default_page_size(environ: Mapping[str, str]) -> str:
    """ "letter" or "a4" for the locale named in ``environ`` (``os.environ``)."""
    for name in ("LC_PAPER", "LC_ALL", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return page_size_for_locale(value)
    return LETTER


def page_size_for_locale(locale_name: str) -> str:
    """ "en_US.UTF-8" → letter, "fr_CA" → letter, "de_DE" → a4, "C" → letter."""
    base = locale_name.split(".", 1)[0].split("@", 1)[0]
    if "_" not in base:
        return LETTER  # "C", "POSIX", a bare language: nothing says A4
    territory = base.split("_", 1)[1].upper()
    return LETTER if territory in LETTER_TERRITORIES else A4
