"""The dependency rule ui → services → models → db (with ``core``, the pure rules, usable by both
ui and services and depending on nothing), and the schema's house rules, as tests."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from sqlalchemy import Float, Numeric
from sqlalchemy.orm import RelationshipDirection

from bake_tracker.models import Base
from bake_tracker.models.totals import DERIVED_TABLES

SRC = Path(__file__).resolve().parent.parent / "src" / "bake_tracker"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _files(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in _files(package):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(SRC.parent)} imports {name}")
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("ui", ("sqlalchemy", "alembic", "bake_tracker.models", "bake_tracker.db")),
        ("services", ("tkinter", "customtkinter", "bake_tracker.ui")),
        (
            "models",
            (
                "tkinter",
                "customtkinter",
                "bake_tracker.ui",
                "bake_tracker.services",
                "bake_tracker.db",
            ),
        ),
        (
            "core",
            (
                "sqlalchemy",
                "alembic",
                "tkinter",
                "customtkinter",
                "bake_tracker.models",
                "bake_tracker.services",
                "bake_tracker.ui",
                "bake_tracker.db",
            ),
        ),
    ],
)
def test_layers_import_only_downwards(package, forbidden):
    assert _files(package), f"src/bake_tracker/{package} has no modules"
    assert _violations(package, forbidden) == []


def test_core_uses_only_the_standard_library_and_itself():
    """Stricter than the list above: the pure rules depend on nothing that could need a database,
    a display or a third-party package."""
    outside = [
        f"{path.relative_to(SRC.parent)} imports {name}"
        for path in _files("core")
        for name in _imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "bake_tracker"
        and not name.startswith("bake_tracker.core")
    ]
    assert outside == []


def test_the_import_check_catches_a_violation(tmp_path, monkeypatch):
    """Guard: the checker above does see a forbidden import."""
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "bad.py").write_text("from sqlalchemy.orm import Session\n")
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    found = _violations("ui", ("sqlalchemy",))
    assert found and all("bad.py imports sqlalchemy.orm" in line for line in found)


def test_only_db_module_creates_sessions():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "db.py":
            continue
        source = path.read_text()
        if "sessionmaker(" in source or "Session(" in source:
            offenders.append(str(path.relative_to(SRC.parent)))
    assert offenders == []


def test_no_float_or_native_numeric_columns():
    """Money and quantities are scaled integers; REAL/NUMERIC would round through floats."""
    bad = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, Float | Numeric)
    ]
    assert bad == []


def test_every_table_has_the_common_columns():
    """But the stored totals: derived rows keyed by what they sum, never exported or merged."""
    derived = [name for name in Base.metadata.tables if name in DERIVED_TABLES]
    assert len(derived) == 3
    for table in Base.metadata.tables.values():
        if table.name in DERIVED_TABLES:
            assert "uuid" not in table.columns and table.primary_key.columns, table.name
            continue
        assert {"id", "uuid", "created_at", "updated_at"} <= set(table.columns.keys()), table.name
        # unique by its own named index (migration 0009), which an import can drop and rebuild
        [index] = [i for i in table.indexes if i.name == f"uq_{table.name}_uuid"]
        assert index.unique and list(index.columns) == [table.columns["uuid"]], table.name


def test_every_constraint_and_index_is_named_and_every_fk_says_what_a_delete_does():
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed {type(constraint).__name__} on {table.name}"
        for index in table.indexes:
            assert index.name, f"unnamed index on {table.name}"
        for fk in table.foreign_keys:
            assert fk.ondelete in ("RESTRICT", "CASCADE"), f"{table.name}.{fk.parent.name}"


def test_parents_of_restrict_foreign_keys_never_null_them():
    """On a RESTRICT child, the parent's relationship must leave the delete to the database."""
    for mapper in Base.registry.mappers:
        for rel in mapper.relationships:
            if rel.direction is not RelationshipDirection.ONETOMANY:
                continue
            fk_columns = [c for c, _ in rel.local_remote_pairs]
            restrict = any(
                fk.ondelete == "RESTRICT"
                for _, remote in rel.local_remote_pairs
                for fk in remote.foreign_keys
            )
            assert fk_columns
            if restrict:
                assert rel.passive_deletes == "all", f"{mapper.class_.__name__}.{rel.key}"
            else:
                assert rel.passive_deletes is True, f"{mapper.class_.__name__}.{rel.key}"
