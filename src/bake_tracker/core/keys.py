"""New row keys: the ``uuid`` every row carries, as the text of a time-ordered UUID.

Owns ``new_uuid``: a version-7 UUID (RFC 9562), 36 characters, 48 bits of Unix time in
milliseconds, then the version, 74 random bits and the variant. It serves what the ``uuid`` column
is for (telling rows apart across databases, so an import skips what it already holds) as well as
a random version-4 UUID does: 74 random bits per millisecond.

Why time-ordered and not random: every table's ``uuid`` is unique through a B-tree index. A random
key lands on a random leaf of that index, so one production (about 50 new rows in five tables)
rewrote some 50 leaves, and split them when they were full, as they are after an import or a
migration builds the index: about 150 of the 210 pages its commit wrote on SQLite. Keys made
within the same millisecond or two share a prefix, so they land on one or two leaves per index,
however large the history. Keys already stored keep their form; both kinds are valid UUIDs.
"""

import os
import time

# The variant (RFC 9562 "10xx"): the 17th hex digit keeps its two low random bits under "10"
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_uuid() -> str:
    """A new version-7 UUID's text, ``tttttttt-tttt-7rrr-vrrr-rrrrrrrrrrrr``: exactly
    ``str(uuid.UUID(int=ms << 80 | 7 << 76 | ... , version=7))`` for now's milliseconds and 74
    random bits, written out directly (building a ``UUID`` object costs three times as much)."""
    ms = f"{time.time_ns() // 1_000_000:012x}"
    r = os.urandom(10).hex()
    return f"{ms[:8]}-{ms[8:]}-7{r[:3]}-{_VARIANT[r[3]]}{r[4:7]}-{r[7:19]}"
