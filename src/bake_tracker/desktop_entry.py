"""The Linux desktop entry: ``bake-tracker install-desktop`` puts the app in the applications menu
(a ``.desktop`` file and the icon, in the user's XDG data folder), ``uninstall-desktop`` takes it
out again.

Only the user's own folders are written (``$XDG_DATA_HOME``, else ``~/.local/share``), so no
administrator rights are needed. The entry starts the program that ran the command: the bundle's
executable, or the ``bake-tracker-gui`` script beside an installed Python. Standard library only:
the command works without Tk.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

APP_ID = "bake-tracker"
DESKTOP_FILE = f"{APP_ID}.desktop"
ICON_SIZES = (16, 32, 48, 256)


@dataclass(frozen=True)
class DesktopFiles:
    """Where the entry and its icons go (or went)."""

    entry: Path
    icons: tuple[Path, ...]


def data_home(env: dict[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path (the spec ignores a relative one), else
    ``~/.local/share``."""
    env = os.environ if env is None else env
    value = env.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def desktop_files(base: Path) -> DesktopFiles:
    return DesktopFiles(
        entry=base / "applications" / DESKTOP_FILE,
        icons=tuple(
            base / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
            for size in ICON_SIZES
        ),
    )


def gui_command() -> list[str]:
    """The command that opens the window, as this program was started."""
    if getattr(sys, "frozen", False):  # the bundle: its own executable opens the window
        return [sys.executable]
    script = Path(sys.executable).with_name("bake-tracker-gui")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "bake_tracker"]


def exec_line(command: list[str]) -> str:
    """``Exec=`` value: each argument quoted as the Desktop Entry spec says (``"`` ``` ` ``` ``$``
    and ``\\`` escaped with a backslash, then ``%`` doubled)."""
    quoted = []
    for arg in command:
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        quoted.append(f'"{escaped}"'.replace("%", "%%"))
    return " ".join(quoted)


def entry_text(command: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.0",
            "Name=bake-tracker",
            "GenericName=Baking planner",
            "Comment=Plan, bake, assemble and deliver for events",
            f"Exec={exec_line(command)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;Utility;",
            "",
        ]
    )


def install(base: Path | None = None, command: list[str] | None = None) -> DesktopFiles:
    """Write the entry and the icons under ``base`` (default: the XDG data folder)."""
    target = desktop_files(base or data_home())
    target.entry.parent.mkdir(parents=True, exist_ok=True)
    target.entry.write_text(entry_text(command or gui_command()), encoding="utf-8")
    assets = files("bake_tracker.assets")
    for size, icon in zip(ICON_SIZES, target.icons, strict=True):
        icon.parent.mkdir(parents=True, exist_ok=True)
        with as_file(assets / f"icon-{size}.png") as source:
            shutil.copyfile(source, icon)
    return target


def uninstall(base: Path | None = None) -> list[Path]:
    """Remove the entry and the icons under ``base``; returns the files that were there."""
    target = desktop_files(base or data_home())
    removed = []
    for path in (target.entry, *target.icons):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
