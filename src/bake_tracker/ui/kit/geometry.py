"""Window sizes that fit the screen a window opens on: pure arithmetic, no Tk.

Tk reports the screen in physical pixels and places windows in pixels, but CustomTkinter scales
window *sizes*: ``geometry("1000x700")`` at 150 % draws 1500x1050 pixels. So every size is
worked out here in pixels against the screen and handed back in CustomTkinter's logical units
(pixels / scaling); positions stay in pixels. A window never opens larger than the part of the
screen a window can use, nor is its minimum size larger than that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Pixels of the screen a window cannot use: its borders (width); its title bar, the menu bar and a
# taskbar or dock (height). Tk cannot ask the system for the work area on every platform, so the
# typical sum is reserved: a little too much on a screen without a taskbar, never too little.
SCREEN_CHROME = (16, 96)
BOTTOM_RESERVE = 48  # a taskbar: a remembered window may not reach under it

MAIN_CAP = (1440, 900)  # logical: a large screen gets this much, not the whole screen
MAIN_MINIMUM = (960, 540)  # logical: the smallest size every layout is checked at
EVENT_CAP = (1100, 760)
EVENT_MINIMUM = (760, 460)

_GEOMETRY = re.compile(r"(\d+)x(\d+)\+(-?\d+)\+(-?\d+)")  # as ``wm geometry`` reports it


@dataclass(frozen=True)
class Placement:
    """Where a window opens: size and minimum in logical units, position in pixels."""

    width: int
    height: int
    x: int
    y: int
    min_width: int
    min_height: int

    @property
    def geometry(self) -> str:
        """The string for CustomTkinter's ``geometry`` (it scales the size, not the place)."""
        return f"{self.width}x{self.height}+{self.x}+{self.y}"


def usable_pixels(screen: tuple[int, int]) -> tuple[int, int]:
    """The pixels of a screen that a window (with its frame) can use."""
    return max(1, screen[0] - SCREEN_CHROME[0]), max(1, screen[1] - SCREEN_CHROME[1])


def to_logical(pixels: int, scaling: float) -> int:
    # rounded down: CustomTkinter rounds logical × scaling, so the size drawn never exceeds it
    return max(1, int(pixels / scaling))


def fit_window(
    screen: tuple[int, int],
    scaling: float,
    cap: tuple[int, int],
    minimum: tuple[int, int],
    *,
    near: tuple[int, int] | None = None,
) -> Placement:
    """The largest size up to ``cap`` that fits the screen, centred (or at ``near``, kept on it).

    ``minimum`` shrinks to the usable screen when the screen is smaller still (a 1024x640 screen,
    or 1366x768 at 150 %): a window whose minimum runs off the screen cannot be used at all.
    """
    usable_w, usable_h = usable_pixels(screen)
    width_px = min(usable_w, round(cap[0] * scaling))
    height_px = min(usable_h, round(cap[1] * scaling))
    width, height = to_logical(width_px, scaling), to_logical(height_px, scaling)
    min_width = min(minimum[0], to_logical(usable_w, scaling))
    min_height = min(minimum[1], to_logical(usable_h, scaling))
    width_px, height_px = round(width * scaling), round(height * scaling)
    if near is None:
        x = (screen[0] - width_px) // 2
        y = max(0, (screen[1] - SCREEN_CHROME[1] - height_px) // 2)
    else:
        x = _clamp(near[0], 0, screen[0] - width_px)
        y = _clamp(near[1], 0, screen[1] - SCREEN_CHROME[1] - height_px)
    return Placement(width, height, max(0, x), max(0, y), min_width, min_height)


def parse_geometry(text: object) -> tuple[int, int, int, int] | None:
    """(width, height, x, y) of a "WxH+X+Y" string, or None for anything else."""
    match = _GEOMETRY.fullmatch(str(text).strip()) if isinstance(text, str) else None
    if match is None:
        return None
    width, height, x, y = (int(group) for group in match.groups())
    return width, height, x, y


def restore_window(
    saved: object,
    screen: tuple[int, int],
    scaling: float,
    minimum: tuple[int, int],
) -> Placement | None:
    """The size and place the user left the window at, or None unless it fits this screen.

    ``saved`` is what ``geometry()`` returned (logical size, pixel position) on the last close.
    A window saved on a larger screen, or on a monitor no longer attached, opens fitted instead.
    """
    parsed = parse_geometry(saved)
    if parsed is None:
        return None
    width, height, x, y = parsed
    usable_w, usable_h = usable_pixels(screen)
    width_px, height_px = round(width * scaling), round(height * scaling)
    if width_px > usable_w or height_px > usable_h or x < 0 or y < 0:
        return None
    if x + width_px > screen[0] or y + height_px > screen[1] - BOTTOM_RESERVE:
        return None
    min_width = min(minimum[0], to_logical(usable_w, scaling))
    min_height = min(minimum[1], to_logical(usable_h, scaling))
    if width < min_width or height < min_height:
        return None
    return Placement(width, height, x, y, min_width, min_height)


def fit_height(requested_px: int, screen_height: int) -> int:
    """A dialog's height in pixels: what it asks for, or the usable screen when that is less."""
    return min(requested_px, usable_pixels((1, screen_height))[1])


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))
