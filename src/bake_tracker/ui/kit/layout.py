"""``Reflow``: a part of a window laid out one way when there is room and another when there is
not (buttons beside a title, or under it), switched as the window is resized.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable


class Reflow:
    """Calls ``wide()`` or ``narrow()`` whenever ``container``'s width crosses what ``fits``
    says (given the width in pixels); starts ``wide`` so a window opened large needs no
    switch. ``wide`` is True, False, or None before the first decision."""

    def __init__(
        self,
        container: tk.Misc,
        fits: Callable[[int], bool],
        *,
        wide: Callable[[], None],
        narrow: Callable[[], None],
    ) -> None:
        self.container = container
        self.fits = fits
        self._wide, self._narrow = wide, narrow
        self.wide: bool | None = None
        self.apply(True)
        # bound on the Tk widget itself (CustomTkinter's ``bind`` goes to its inner canvas)
        tk.Misc.bind(container, "<Configure>", self.check, "+")

    def check(self, _event: tk.Event | None = None) -> None:
        """Re-decide from the container's current width (a resize does this)."""
        width = self.container.winfo_width()
        if width > 1:
            self.apply(self.fits(width))

    def apply(self, wide: bool) -> None:
        if wide != self.wide:
            self.wide = wide
            (self._wide if wide else self._narrow)()
