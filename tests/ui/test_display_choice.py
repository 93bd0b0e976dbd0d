"""Which display the window tests draw on (``conftest.needs_xvfb``): Xvfb only on an X11 system
without a display; the Windows and macOS GitHub runners draw on their own desktop."""

from __future__ import annotations

import pytest

from tests.ui.conftest import needs_xvfb


@pytest.mark.parametrize(
    ("platform", "display", "expected"),
    [
        ("linux", None, True),  # a CI container: start Xvfb
        ("linux", "", True),
        ("linux", ":99", False),  # xvfb-run or a desktop session: use it
        ("freebsd14", None, True),
        ("win32", None, False),  # Tk is not an X11 client there
        ("darwin", None, False),
        ("darwin", ":0", False),  # XQuartz's DISPLAY does not matter to the Aqua Tk
    ],
)
def test_xvfb_is_started_only_on_x11_without_a_display(
    platform: str, display: str | None, expected: bool
) -> None:
    assert needs_xvfb(platform, display) is expected
