"""The run-time dependencies in pyproject.toml are exactly what the code imports.

Every package the app's code imports (anywhere: at the top or inside a function) is the standard
library, the app itself or a declared dependency; every declared dependency is imported somewhere,
so nothing is installed for nothing. tkcalendar and matplotlib were dropped for 193 MiB
(``kitty-specs/013-ship-it/dependencies.md``): the date popup and the charts use Tk alone.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = (ROOT / "src" / "bake_tracker", ROOT / "migrations")
DROPPED = {"tkcalendar", "babel", "matplotlib", "numpy", "pillow"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(extra: str | None = None) -> set[str]:
    """Distribution names in ``dependencies`` (or in the optional ``extra``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return {canonical(re.split(r"[ <>=!~;\[]", spec, maxsplit=1)[0]) for spec in found}


def imported_top_level_names() -> dict[str, Path]:
    """Each top-level module name the code imports, with one file that imports it."""
    names: dict[str, Path] = {}
    for folder in CODE:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    names.setdefault(module.split(".")[0], path)
    return names


def third_party() -> dict[str, Path]:
    local = {"bake_tracker", "__future__"}
    return {
        name: path
        for name, path in imported_top_level_names().items()
        if name not in sys.stdlib_module_names and name not in local
    }


def test_every_imported_package_is_declared() -> None:
    providers = metadata.packages_distributions()
    allowed = declared() | declared("postgres")
    undeclared = {
        name: str(path.relative_to(ROOT))
        for name, path in third_party().items()
        if not {canonical(dist) for dist in providers.get(name, [name])} & allowed
    }
    assert undeclared == {}


def test_every_declared_dependency_is_imported() -> None:
    providers = metadata.packages_distributions()
    used = {canonical(dist) for name in third_party() for dist in providers.get(name, [name])}
    assert declared() - used == set()


def test_the_heavy_dependencies_stay_out() -> None:
    assert declared() & DROPPED == set()
    assert {canonical(name) for name in third_party()} & DROPPED == set()
