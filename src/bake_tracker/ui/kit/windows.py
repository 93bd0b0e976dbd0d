"""Windows over the main window: ``ModalWindow`` (built hidden, shown centred and modal, the focus
given back on close), ``show_modal``, which places and grabs any such window, and ``when_closed``,
which lets a tab reload once a window it opened is closed.

``FormDialog`` (``kit.dialog``), the run details, the drill-down and the error list build on it.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable

import customtkinter as ctk

from bake_tracker.ui.kit.geometry import SCREEN_CHROME, fit_height, to_logical
from bake_tracker.ui.shell import main_window


def show_modal(dialog: ctk.CTkToplevel, owner: tk.Misc) -> None:
    """Centre ``dialog`` over ``owner`` (a third of the way down), show it and grab the input."""
    owner = owner.winfo_toplevel()
    dialog.transient(owner)
    place_over(dialog, owner)
    dialog.deiconify()
    dialog.wait_visibility()
    dialog.grab_set()
    dialog.focus_force()


def place_over(dialog: ctk.CTkToplevel, owner: tk.Misc) -> None:
    """Put ``dialog`` over ``owner`` (centred, a third of the way down), kept on the screen.

    A dialog taller than the usable screen (a 768-high screen, 150 % scaling) is cut to it, so
    its buttons stay reachable: dialogs that can grow that tall scroll their content.
    """
    dialog.update_idletasks()
    width, height = dialog.winfo_reqwidth(), dialog.winfo_reqheight()  # pixels
    screen_w, screen_h = dialog.winfo_screenwidth(), dialog.winfo_screenheight()
    fitted = fit_height(height, screen_h)
    if fitted < height:
        scaling = ctk.ScalingTracker.get_window_scaling(dialog)
        dialog.geometry(f"{to_logical(width, scaling)}x{to_logical(fitted, scaling)}")
        height = fitted
    x = owner.winfo_rootx() + max(0, (owner.winfo_width() - width) // 2)
    y = owner.winfo_rooty() + max(0, (owner.winfo_height() - height) // 3)
    x = max(0, min(x, screen_w - width))
    y = max(0, min(y, screen_h - SCREEN_CHROME[1] // 2 - height))
    dialog.geometry(f"+{x}+{y}")


class ModalWindow(ctk.CTkToplevel):
    """A window over its parent's window, built hidden: ``_show_modal`` shows it centred and
    modal and puts the focus where ``focus_first`` says; ``close`` gives the focus back."""

    def __init__(self, parent: tk.Misc) -> None:
        super().__init__(parent)
        self.withdraw()
        self.parent = parent

    def _show_modal(self) -> None:
        show_modal(self, self.parent)
        self.focus_first()

    def focus_first(self) -> None:
        """Put the focus on the first thing to use (windows override when it is a widget)."""
        self.focus_force()

    def close(self) -> None:
        owner = self.parent.winfo_toplevel()
        self.grab_release()
        self.destroy()
        if owner.winfo_exists():
            owner.focus_set()


def when_closed(window: tk.Misc, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``window`` is destroyed, unless the main window is closing."""
    app = main_window(window)

    def on_destroy(event: tk.Event) -> None:
        if str(event.widget) == str(window) and not app.closed:
            callback()

    window.bind("<Destroy>", on_destroy, add="+")
