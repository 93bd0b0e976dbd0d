"""The installed-wheel tests draw the window on the same kind of display as the window's tests."""

from tests.ui.conftest import display  # noqa: F401  (Xvfb when no DISPLAY is set)
