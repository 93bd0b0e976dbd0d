"""Questions and notices in the app's own look: ``ask_yes_no`` and ``tell``.

Tk's message box on Linux is an X11 dialog in a large bold font that stays light grey in dark
mode, and no test can press its buttons. ``MessageDialog`` follows the appearance and the
scaling, opens centred over the window that asked, and works from the keyboard like every
form: the default button has the focus (Return presses it), Tab moves between the buttons,
Escape or closing the window answers "No" (or just closes a notice).

The start-up error box (before any window of ours exists) stays Tk's own: ``main``.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence

import customtkinter as ctk

from bake_tracker.ui.kit import keyboard
from bake_tracker.ui.kit.buttons import ActionButton
from bake_tracker.ui.kit.theme import ACCENT_TEXT, ERROR_TEXT, NOTICE_TEXT, TEXT
from bake_tracker.ui.kit.windows import ModalWindow

# kind -> (the badge's glyph, its colour)
KINDS: dict[str, tuple[str, tuple[str, str]]] = {
    "question": ("?", ACCENT_TEXT),
    "info": ("i", ACCENT_TEXT),
    "warning": ("!", NOTICE_TEXT),
    "error": ("!", ERROR_TEXT),
}
MESSAGE_WIDTH = 400  # wrap length of the message, in logical pixels
YES, NO, OK = "Yes", "No", "OK"


class MessageDialog(ModalWindow):
    """A message with a badge and a row of buttons; ``result`` is the pressed button's text,
    None when it was closed or escaped. The first button is the default one (blue, focused)."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        message: str,
        kind: str = "info",
        buttons: Sequence[str] = (OK,),
        show: bool = True,
    ) -> None:
        super().__init__(parent)
        self.result: str | None = None
        self.title(title)
        self.resizable(False, False)
        glyph, color = KINDS[kind]
        badge = ctk.CTkLabel(
            self,
            text=glyph,
            width=34,
            height=34,
            corner_radius=17,
            fg_color=color,
            text_color=("white", "gray10"),
            font=ctk.CTkFont(size=18, weight="bold"),
        )
        badge.grid(row=0, column=0, sticky="n", padx=(20, 14), pady=(20, 8))
        self.message_label = ctk.CTkLabel(
            self,
            text=message,
            anchor="w",
            justify="left",
            wraplength=MESSAGE_WIDTH,
            text_color=TEXT,
        )
        self.message_label.grid(row=0, column=1, sticky="w", padx=(0, 22), pady=(24, 8))
        row = ctk.CTkFrame(self, fg_color="transparent")
        row.grid(row=1, column=0, columnspan=2, sticky="e", padx=20, pady=(10, 18))
        self.buttons: dict[str, ctk.CTkButton] = {}
        for index, text in enumerate(buttons):
            self.buttons[text] = self._button(row, text, default=index == 0)
        # the default button sits on the right, as in the app's forms (Cancel, then Save)
        for column, button in enumerate(reversed(list(self.buttons.values()))):
            button.grid(row=0, column=column, padx=(10 if column else 0, 0))
        self.bind("<Return>", lambda _event: self.answer(buttons[0]))
        self.bind("<KP_Enter>", lambda _event: self.answer(buttons[0]))
        self.bind("<Escape>", lambda _event: self.answer(None))
        self.protocol("WM_DELETE_WINDOW", lambda: self.answer(None))
        keyboard.install_keyboard(self)
        keyboard.prepare(self)
        if show:
            self._show_modal()

    def _button(self, master: ctk.CTkFrame, text: str, *, default: bool) -> ctk.CTkButton:
        command = lambda: self.answer(text)  # noqa: E731 - one line per button
        if default:
            return ActionButton(master, text=text, width=100, command=command)
        return ctk.CTkButton(
            master,
            text=text,
            width=100,
            fg_color="transparent",
            border_width=1,
            text_color=TEXT,
            command=command,
        )

    def focus_first(self) -> None:
        keyboard.focus_target(next(iter(self.buttons.values()))).focus_force()

    def answer(self, text: str | None) -> str:
        """Close with ``text`` as the result (what pressing that button does)."""
        self.result = text
        self.close()
        return "break"


def _wait(dialog: MessageDialog, parent: tk.Misc) -> str | None:
    if dialog.winfo_exists():
        parent.wait_window(dialog)
    return dialog.result


def ask_yes_no(parent: tk.Misc, title: str, message: str) -> bool:
    """Ask over ``parent``'s window and wait: True for Yes (the default), False for No,
    Escape or closing the window."""
    dialog = MessageDialog(parent, title=title, message=message, kind="question", buttons=(YES, NO))
    return _wait(dialog, parent) == YES


def tell(parent: tk.Misc, title: str, message: str, kind: str = "info") -> None:
    """Show a notice (``kind`` info, warning or error) over ``parent``'s window and wait."""
    _wait(MessageDialog(parent, title=title, message=message, kind=kind), parent)
