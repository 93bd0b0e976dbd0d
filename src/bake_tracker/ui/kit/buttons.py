"""Buttons: ``ActionButton`` (blue) and ``DangerButton`` (red), which look disabled while they
are, the compact ``small_button`` of a panel's button row, and ``set_enabled``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import customtkinter as ctk

from bake_tracker.ui.kit.theme import (
    DANGER_COLOR,
    DANGER_DISABLED_COLOR,
    DANGER_HOVER,
    PRIMARY_COLOR,
    PRIMARY_DISABLED_COLOR,
)


class ActionButton(ctk.CTkButton):
    """A button that looks disabled while it is (CustomTkinter would only grey its text)."""

    normal_color: tuple[str, str] = PRIMARY_COLOR
    disabled_color: tuple[str, str] = PRIMARY_DISABLED_COLOR

    def __init__(self, master, **kwargs: Any) -> None:
        kwargs.setdefault("fg_color", self.normal_color)
        kwargs.setdefault("text_color_disabled", ("white", "gray60"))
        super().__init__(master, **kwargs)

    def configure(self, require_redraw: bool = False, **kwargs: Any) -> None:
        if "state" in kwargs:
            disabled = kwargs["state"] == "disabled"
            kwargs["fg_color"] = self.disabled_color if disabled else self.normal_color
        super().configure(require_redraw, **kwargs)


class DangerButton(ActionButton):
    """A red button for deletes and removals."""

    normal_color = DANGER_COLOR
    disabled_color = DANGER_DISABLED_COLOR

    def __init__(self, master, **kwargs: Any) -> None:
        kwargs.setdefault("hover_color", DANGER_HOVER)
        super().__init__(master, **kwargs)


def set_enabled(widgets: Sequence[ctk.CTkBaseClass], enabled: bool) -> None:
    for widget in widgets:
        widget.configure(state="normal" if enabled else "disabled")


def small_button(
    master, text: str, command: Callable[[], None], *, danger: bool = False, width: int = 60
) -> ActionButton:
    """A compact button packed left to right in a row of buttons."""
    kind = DangerButton if danger else ActionButton
    button = kind(master, text=text, width=width, height=28, command=command)
    button.pack(side="left", padx=(4, 4))
    return button
