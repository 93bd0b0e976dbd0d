"""The app as a user installs it: a non-editable wheel in a fresh virtualenv, run from elsewhere.

Builds the wheel from this checkout, checks that it installs exactly one top-level name
(``bake_tracker``) with its migrations and every package folder inside, installs it into a new
virtualenv and, from a folder outside the repository, runs the console script (``--help``,
``demo``, ``check``), ``python -m bake_tracker`` and the window with every tab shown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "bake_tracker"
WINDOW_CHECK = Path(__file__).with_name("window_check.py")


def venv_program(env_dir: Path, name: str, system: str = os.name) -> Path:
    """A program a virtualenv installs: ``Scripts\\<name>.exe`` on Windows (``os.name`` "nt"),
    ``bin/<name>`` elsewhere. Kept pure (``system`` is a parameter) so the Windows layout the
    GitHub runner uses is checked on Linux too."""
    if system == "nt":
        return env_dir / "Scripts" / f"{name}.exe"
    return env_dir / "bin" / name


pytestmark = pytest.mark.sqlite_only


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("BAKE_TRACKER_")}
    clean_env.pop("PYTHONPATH", None)
    result = subprocess.run(
        command, cwd=cwd, env={**clean_env, **env}, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


# What a build from a clean checkout sees: no virtualenv, no earlier build/ (setuptools would reuse
# its files and hide a package missing from pyproject.toml), no caches or local databases.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "bench", "*.sqlite3*"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "bake-tracker"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    out = tmp_path_factory.mktemp("wheel")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)], out
    )
    (built,) = out.glob("bake_tracker-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheel and its dependencies installed; returns its folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = venv_program(env_dir, "python")
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], env_dir)
    return env_dir


def test_wheel_installs_one_top_level_name_with_everything_inside(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        assert archive.read(top_level).decode().split() == ["bake_tracker"]
    tops = {name.split("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"bake_tracker"}
    migrations = sorted(n for n in names if n.startswith("bake_tracker/migrations/versions/"))
    expected = sorted(
        f"bake_tracker/migrations/versions/{p.name}"
        for p in (ROOT / "migrations" / "versions").glob("*.py")
    )
    assert migrations == expected
    assert "bake_tracker/migrations/env.py" in names
    assert "bake_tracker/migrations/script.py.mako" in names
    # the window's icons and the user guide Help opens (package data)
    icons = {f"bake_tracker/assets/{p.name}" for p in (PACKAGE / "assets").glob("*.png")}
    assert len(icons) >= 4 and icons <= set(names)
    assert "bake_tracker/assets/bake-tracker.ico" in names
    assert "bake_tracker/docs/user-guide.md" in names
    source_modules = sorted(
        "bake_tracker/" + p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
    )
    assert [m for m in source_modules if m not in names] == []


def test_installed_app_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    database = tmp_path / "data" / "season.sqlite3"
    database.parent.mkdir()
    home = {"HOME": str(tmp_path / "home"), "BAKE_TRACKER_DATA_DIR": str(tmp_path / "home-data")}
    script = str(venv_program(installed, "bake-tracker"))
    python = str(venv_program(installed, "python"))

    assert "usage: bake-tracker" in _run([script, "--help"], elsewhere, **home).stdout
    _run([script, "--db", str(database), "demo"], elsewhere, **home)
    assert "balances" in _run([script, "--db", str(database), "check"], elsewhere, **home).stdout
    plan = tmp_path / "plan.pdf"  # fpdf2 and the font beside CustomTkinter, as installed
    event = ["--event", "Winter Bake Sale"]
    printing = [script, "--db", str(database), "print", "baking-plan", *event]
    assert "written to" in _run([*printing, "-o", str(plan)], elsewhere, **home).stdout
    assert plan.read_bytes().startswith(b"%PDF-")
    where = _run(
        [python, "-m", "bake_tracker", "--db", str(database), "where"],
        elsewhere,
        **home,
    )
    assert str(database) in where.stdout

    shown = _run(
        [python, str(WINDOW_CHECK), str(database)],
        elsewhere,
        **home,
        **({"DISPLAY": os.environ["DISPLAY"]} if "DISPLAY" in os.environ else {}),
    ).stdout
    assert f"module {installed}" in shown, shown  # the wheel's module, not the checkout's
    assert shown.count("tab ") >= 9 and shown.rstrip().endswith("closed"), shown


@pytest.mark.parametrize(
    ("system", "python", "script"),
    [
        ("posix", "venv/bin/python", "venv/bin/bake-tracker"),
        ("nt", "venv/Scripts/python.exe", "venv/Scripts/bake-tracker.exe"),
    ],
)
def test_venv_programs_are_found_where_each_system_puts_them(
    system: str, python: str, script: str
) -> None:
    """Linux and macOS: bin/; Windows: Scripts/ with .exe (the GitHub Windows runner)."""
    env_dir = Path("venv")
    assert venv_program(env_dir, "python", system) == Path(python)
    assert venv_program(env_dir, "bake-tracker", system) == Path(script)
