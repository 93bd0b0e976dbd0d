"""Take a screenshot of the real main window: ``python .ci/screenshot.py --db FILE --out PNG``.

Runs under the current ``DISPLAY`` (start Xvfb first on a headless machine), opens ``App`` on the
given database, waits until it has drawn, grabs the window's region of the screen and saves a PNG.
Grabs with ``PIL.ImageGrab`` on the X display, else ImageMagick's ``import -window root``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageGrab

from bake_tracker.config import load_settings
from bake_tracker.ui.app import App

SETTLE_SECONDS = 1.5


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file or database address to open")
    parser.add_argument("--out", required=True, type=Path, help="where to save the PNG")
    parser.add_argument("--tab", default=None, help="select this tab before the shot")
    return parser.parse_args(argv)


def settle(app: App, seconds: float) -> None:
    """Let Tk and CustomTkinter finish their deferred drawing."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.update()
        time.sleep(0.05)


def window_box(app: App) -> tuple[int, int, int, int]:
    """Screen box of the window including the native menu bar above its client area.

    ``wm geometry`` places the outer (wrapper) window, which on X11 holds the menu bar; the
    ``winfo`` coordinates are those of the client area below it.
    """
    left, top = (int(n) for n in app.wm_geometry().split("+")[1:3])
    right = app.winfo_rootx() + app.winfo_width()
    bottom = app.winfo_rooty() + app.winfo_height()
    return left, top, right, bottom


def grab(box: tuple[int, int, int, int]) -> Image.Image:
    display = os.environ.get("DISPLAY", ":0")
    try:
        return ImageGrab.grab(bbox=box, xdisplay=display)
    except OSError:  # Pillow built without XCB: fall back to ImageMagick
        with tempfile.TemporaryDirectory() as tmp:
            shot = Path(tmp) / "root.png"
            subprocess.run(["import", "-display", display, "-window", "root", shot], check=True)
            return Image.open(shot).crop(box)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app = App(settings=load_settings(args.db))
    app.geometry("1400x900+0+0")
    if args.tab:
        app.tabs.set(args.tab)
    settle(app, SETTLE_SECONDS)
    image = grab(window_box(app))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    image.save(args.out)
    print(f"saved {image.size[0]}x{image.size[1]} screenshot to {args.out}")
    app.on_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
