"""Writing a whole file so that a failure leaves nothing behind.

``write_atomically`` writes to a temporary name in the target's own folder (so the final rename
never crosses disks), flushes it to the disk (``fsync``), then renames it over the target with
``os.replace``: a reader sees the old file or the new one, never half of one. On any failure — a
full disk, a read-only folder, an interrupted write — the temporary file is removed and the error
raised: no ``.part`` or 0-byte file is ever left.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(
    path: str | os.PathLike[str], text: str | bytes, *, encoding: str = "utf-8"
) -> Path:
    """Write ``text`` (or bytes, as they are) to ``path`` all at once (see the module); the path
    written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a file is not
        if isinstance(text, bytes):
            stream = os.fdopen(handle, "wb")
        else:
            stream = os.fdopen(handle, "w", encoding=encoding, newline="")
        with stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
