"""What each dependency costs in the one-folder bundle: ``python -m bench.bundle_size [FOLDER]``.

Reads the bundle ``.ci/bundle`` built (default ``dist/bake-tracker``): every file under
``_internal/`` (libraries, data, compiled extensions) and every module in the executable's
embedded PYZ archive (the pure-Python code), each counted once (symbolic links are not), and
adds them up per dependency. "Packed" is each file compressed with zlib level 6 (about what the
``.tar.gz`` costs); PYZ modules are already compressed, so they count the same both ways.
Needs PyInstaller (it reads the executable's archive) and prints a Markdown table.
"""

from __future__ import annotations

import sys
import zlib
from collections import defaultdict
from pathlib import Path

from PyInstaller.archive.readers import CArchiveReader

# The first path part (or module name) → the dependency that brought it. Anything else that is a
# shared library belongs to Python, Tcl/Tk or the system libraries the bundle carries along.
GROUPS: dict[str, str] = {
    "PIL": "Pillow",
    "pillow.libs": "Pillow",
    "psycopg": "psycopg (PostgreSQL)",
    "psycopg_binary": "psycopg (PostgreSQL)",
    "psycopg_binary.libs": "psycopg (PostgreSQL)",
    "sqlalchemy": "SQLAlchemy + Alembic",
    "alembic": "SQLAlchemy + Alembic",
    "mako": "SQLAlchemy + Alembic",
    "greenlet": "SQLAlchemy + Alembic",
    "customtkinter": "CustomTkinter",
    "darkdetect": "CustomTkinter",
    "_tcl_data": "Tcl/Tk",
    "_tk_data": "Tcl/Tk",
    "tcl8": "Tcl/Tk",
    "tkinter": "Tcl/Tk",
    "orjson": "orjson",
    "platformdirs": "platformdirs",
    "bake_tracker": "bake-tracker itself",
}
TCL_TK_LIBS = ("libtcl", "libtk", "libX", "libxcb", "libfontconfig", "libfreetype", "tcl", "tk")
PYTHON_PARTS = ("libpython", "python3", "base_library.zip", "lib-dynload")


def group_of(name: str) -> str:
    """The dependency a bundle path's first part, or a module's top-level name, belongs to."""
    first = name.split("/")[0]
    top = first.split(".")[0]
    for key in (first, top):
        if key in GROUPS:
            return GROUPS[key]
    if first.endswith(".dist-info"):
        return "package metadata"
    if first.startswith(PYTHON_PARTS):
        return "Python"
    if first.startswith(TCL_TK_LIBS):
        return "Tcl/Tk"
    if ".so" in first or first.endswith((".dll", ".dylib", ".pyd")):
        return "other shared libraries"
    return "Python"  # the standard library's modules in the PYZ


def measure(folder: Path) -> dict[str, list[int]]:
    """Dependency → [unpacked bytes, packed bytes]."""
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    internal = folder / "_internal"
    for path in internal.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        entry = sizes[group_of(path.relative_to(internal).as_posix())]
        entry[0] += len(data)
        entry[1] += len(zlib.compress(data, 6))
    for executable in (p for p in folder.iterdir() if p.is_file()):
        archive = CArchiveReader(str(executable))
        launcher = executable.stat().st_size
        for _offset, length, *_rest, typecode in archive.toc.values():
            if typecode != "z":  # the bootstrap modules: count with Python
                sizes["Python"][0] += length
                sizes["Python"][1] += length
            launcher -= length
        pyz = archive.open_embedded_archive("PYZ.pyz")
        for module, (_kind, _offset, length) in pyz.toc.items():
            entry = sizes[group_of(module)]
            entry[0] += length
            entry[1] += length
        sizes["launcher (bootloader)"][0] += launcher
        sizes["launcher (bootloader)"][1] += len(zlib.compress(executable.read_bytes()[:launcher]))
    return dict(sizes)


def table(sizes: dict[str, list[int]]) -> str:
    mb = 1024 * 1024
    total = [sum(s[0] for s in sizes.values()), sum(s[1] for s in sizes.values())]
    lines = ["| dependency | unpacked MB | packed MB | share |", "| --- | ---: | ---: | ---: |"]
    for name, (unpacked, packed) in sorted(sizes.items(), key=lambda kv: -kv[1][0]):
        lines.append(
            f"| {name} | {unpacked / mb:.1f} | {packed / mb:.1f} | {unpacked / total[0]:.0%} |"
        )
    lines.append(f"| **total** | **{total[0] / mb:.1f}** | **{total[1] / mb:.1f}** | 100% |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "dist/bake-tracker")
    if not (folder / "_internal").is_dir():
        print(f"no bundle in {folder}: run bash .ci/bundle first", file=sys.stderr)
        return 1
    print(table(measure(folder)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
