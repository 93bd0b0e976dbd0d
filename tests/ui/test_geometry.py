"""Window sizes fitted to the screen (issue 17 item 3): the arithmetic, then one real window.

The arithmetic is pure (``kit.geometry``); the window tests open the real ``App`` on the test
screen and check where it opened and that the size the user left it at comes back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import pytest

import tests.ui.conftest as ui_conftest
from bake_tracker.config import (
    PREFERENCES_FILENAME,
    WINDOW_GEOMETRY,
    WINDOW_MAXIMISED,
    load_preferences,
    save_preferences,
)
from bake_tracker.ui.app import App
from bake_tracker.ui.kit.geometry import (
    EVENT_CAP,
    EVENT_MINIMUM,
    MAIN_CAP,
    MAIN_MINIMUM,
    SCREEN_CHROME,
    fit_height,
    fit_window,
    parse_geometry,
    restore_window,
)

SCREENS = [(1024, 640), (1280, 800), (1366, 768), (1920, 1080), (2560, 1440)]


def drawn(placement, scaling: float) -> tuple[int, int]:
    """The pixels CustomTkinter draws for a placement (it rounds logical × scaling)."""
    return round(placement.width * scaling), round(placement.height * scaling)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("scaling", [1.0, 1.25, 1.5, 2.0])
def test_the_main_window_fits_every_screen_at_every_scaling(screen, scaling) -> None:
    placement = fit_window(screen, scaling, MAIN_CAP, MAIN_MINIMUM)
    width_px, height_px = drawn(placement, scaling)
    assert width_px <= screen[0] - SCREEN_CHROME[0]
    assert height_px <= screen[1] - SCREEN_CHROME[1]
    assert placement.x >= 0 and placement.x + width_px <= screen[0]
    assert placement.y >= 0 and placement.y + height_px + SCREEN_CHROME[1] <= screen[1]
    # the minimum never asks for more than the screen has, nor more than the window
    assert round(placement.min_width * scaling) <= screen[0]
    assert round(placement.min_height * scaling) <= screen[1] - SCREEN_CHROME[1]
    assert placement.min_width <= placement.width
    assert placement.min_height <= placement.height


def test_150_percent_on_1920x1080_is_sized_in_pixels_not_logical_units() -> None:
    # the old fixed 1400x900 became 2100x1350 pixels here
    placement = fit_window((1920, 1080), 1.5, MAIN_CAP, MAIN_MINIMUM)
    assert drawn(placement, 1.5) <= (1904, 984)
    assert placement.width == 1269 and placement.height == 656


def test_a_large_screen_gets_the_cap_centred() -> None:
    placement = fit_window((2560, 1440), 1.0, MAIN_CAP, MAIN_MINIMUM)
    assert (placement.width, placement.height) == MAIN_CAP
    assert placement.x == (2560 - MAIN_CAP[0]) // 2
    assert (placement.min_width, placement.min_height) == MAIN_MINIMUM


def test_the_event_window_opens_near_its_owner_but_on_the_screen() -> None:
    placement = fit_window((1366, 768), 1.0, EVENT_CAP, EVENT_MINIMUM, near=(900, 500))
    assert placement.height <= 768 - SCREEN_CHROME[1]
    assert placement.x + placement.width <= 1366
    assert placement.y + placement.height + SCREEN_CHROME[1] <= 768
    top_left = fit_window((1920, 1080), 1.0, EVENT_CAP, EVENT_MINIMUM, near=(60, 72))
    assert (top_left.x, top_left.y) == (60, 72)


def test_a_saved_geometry_comes_back_only_when_it_fits_this_screen() -> None:
    kept = restore_window("1200x700+40+30", (1920, 1080), 1.0, MAIN_MINIMUM)
    assert kept is not None and kept.geometry == "1200x700+40+30"
    assert restore_window("1200x700+40+30", (1280, 800), 1.0, MAIN_MINIMUM) is not None
    # saved on a big monitor, opened on a laptop: fitted instead
    assert restore_window("1800x1000+0+0", (1366, 768), 1.0, MAIN_MINIMUM) is None
    # the same logical size is too large at 150 %
    assert restore_window("1200x700+40+30", (1920, 1080), 1.5, MAIN_MINIMUM) is None
    # on a monitor that is no longer attached (left of or beyond this one)
    assert restore_window("1200x700+-1900+30", (1920, 1080), 1.0, MAIN_MINIMUM) is None
    assert restore_window("1200x700+1900+30", (1920, 1080), 1.0, MAIN_MINIMUM) is None
    # smaller than the minimum, or not a geometry at all
    assert restore_window("300x200+0+0", (1920, 1080), 1.0, MAIN_MINIMUM) is None
    for junk in (None, "", "big", 42, "1200x700", "1200x700+a+b"):
        assert restore_window(junk, (1920, 1080), 1.0, MAIN_MINIMUM) is None


def test_parse_geometry_and_fit_height() -> None:
    assert parse_geometry("1350x672+8+0") == (1350, 672, 8, 0)
    assert parse_geometry("1200x700+-1900+30") == (1200, 700, -1900, 30)
    assert parse_geometry("1350x672-8+0") is None
    assert fit_height(500, 768) == 500
    assert fit_height(962, 768) == 768 - SCREEN_CHROME[1]


# --- the real window -------------------------------------------------------------------------


def test_the_window_opens_fitted_to_the_screen(app: App) -> None:
    app.update()
    screen = (app.winfo_screenwidth(), app.winfo_screenheight())
    assert app.winfo_width() <= screen[0] - SCREEN_CHROME[0]
    assert app.winfo_height() <= screen[1] - SCREEN_CHROME[1]
    assert app.winfo_rootx() + app.winfo_width() <= screen[0]
    assert app.winfo_rooty() + app.winfo_height() <= screen[1]


def test_the_size_and_place_the_user_chose_are_remembered(
    make_app: Callable[..., App], data_dir
) -> None:
    first = make_app()
    first.geometry("1100x650+30+20")
    first.update()
    first.on_close()
    saved = load_preferences(first.settings.preferences_file)
    assert parse_geometry(saved[WINDOW_GEOMETRY])[:2] == (1100, 650)
    second = make_app()
    second.update()
    assert (second.winfo_width(), second.winfo_height()) == (1100, 650)
    assert second.geometry().startswith("1100x650+30+")


def test_a_remembered_size_too_large_for_this_screen_is_not_restored(
    make_app: Callable[..., App], data_dir
) -> None:
    probe = make_app()
    path = probe.settings.preferences_file
    probe.on_close()
    save_preferences(path, {WINDOW_GEOMETRY: "3000x2000+0+0"})
    app = make_app()
    app.update()
    assert app.winfo_width() <= app.winfo_screenwidth() - SCREEN_CHROME[0]


def test_a_damaged_preferences_file_means_the_defaults(
    make_app: Callable[..., App], data_dir
) -> None:
    probe = make_app()
    path = probe.settings.preferences_file
    probe.on_close()
    path.write_text("{not json", encoding="utf-8")
    app = make_app()
    app.update()
    assert app.winfo_width() <= app.winfo_screenwidth()
    app.on_close()
    assert WINDOW_GEOMETRY in json.loads(path.read_text(encoding="utf-8"))


# --- real windows on small screens, each on its own Xvfb ------------------------------------

FIT_SCRIPT = """
import sys, customtkinter as ctk
scale = float(sys.argv[2])
if scale != 1:
    ctk.set_widget_scaling(scale)
    ctk.set_window_scaling(scale)
from bake_tracker.ui.app import App
app = App(database_url="sqlite:///" + sys.argv[1], offer_sample_data=False)
for _ in range(6):
    app.update_idletasks()
    app.update()
print(app.winfo_screenwidth(), app.winfo_screenheight(), app.winfo_rootx(), app.winfo_rooty(),
      app.winfo_width(), app.winfo_height())
app.on_close()
"""


@pytest.mark.x11
@pytest.mark.parametrize(("screen", "scaling"), [("1366x768", 1.0), ("1920x1080", 1.5)])
def test_a_real_window_fits_a_small_screen(screen, scaling, tmp_path) -> None:
    with tempfile.TemporaryFile() as log:
        process, display = _start_xvfb_sized(log, screen)
        try:
            env = dict(os.environ, DISPLAY=display)
            out = subprocess.run(
                [sys.executable, "-c", FIT_SCRIPT, str(tmp_path / "w.sqlite3"), str(scaling)],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            ).stdout
        finally:
            process.terminate()
            process.wait(timeout=10)
    sw, sh, x, y, w, h = (int(v) for v in out.split()[-6:])
    assert (sw, sh) == tuple(int(v) for v in screen.split("x"))
    assert x >= 0 and x + w <= sw  # the old fixed 1400x900 (2100x1350 at 150 %) ran off both
    assert y >= 0 and y + h <= sh


def _start_xvfb_sized(log, screen: str):
    """``conftest._start_xvfb`` on a screen of another size."""
    original = ui_conftest.XVFB_SCREEN
    ui_conftest.XVFB_SCREEN = f"{screen}x24"
    try:
        return ui_conftest._start_xvfb("Xvfb", log)
    finally:
        ui_conftest.XVFB_SCREEN = original


MAXIMISE_SCRIPT = """
import sys, time
from bake_tracker.ui import desktop
from bake_tracker.ui.app import App

def settle(app):
    for _ in range(30):
        app.update()
        time.sleep(0.03)

app = App(database_url="sqlite:///" + sys.argv[1], offer_sample_data=False)
settle(app)
if sys.argv[2] == "maximise":
    desktop.maximise(app)
    settle(app)
print(desktop.is_maximised(app), app.winfo_width(), app.winfo_height(), app.winfo_screenwidth())
app.on_close()
"""


@pytest.mark.x11
def test_a_maximised_window_opens_maximised_next_time(tmp_path, data_dir) -> None:
    # A window left maximised opened at its old normal size: the state was never saved. It needs
    # a window manager (Xvfb alone has none), so this runs openbox on its own display.
    preferences = data_dir / PREFERENCES_FILENAME
    save_preferences(preferences, {WINDOW_GEOMETRY: "900x600+40+30"})  # the last normal size
    with tempfile.TemporaryFile() as log:
        process, display = _start_xvfb_sized(log, "1366x768")
        env = dict(os.environ, DISPLAY=display)
        manager = subprocess.Popen(["openbox"], env=env, stdout=log, stderr=log)
        try:
            time.sleep(1.5)  # openbox takes the screen

            def start(how: str) -> list[str]:
                return subprocess.run(
                    [sys.executable, "-c", MAXIMISE_SCRIPT, str(tmp_path / "m.sqlite3"), how],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=True,
                ).stdout.split()[-4:]

            maximised, width, _height, screen = start("maximise")
            assert maximised == "True" and width == screen  # the window manager maximised it
            again, width, _height, screen = start("open")
            assert again == "True" and width == screen  # ... and it opens maximised again
        finally:
            manager.terminate()
            manager.wait(timeout=10)
            process.terminate()
            process.wait(timeout=10)
    saved = load_preferences(preferences)
    assert saved[WINDOW_MAXIMISED] is True
    assert saved[WINDOW_GEOMETRY] == "900x600+40+30"  # the normal size, for un-maximising
