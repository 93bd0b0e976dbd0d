"""The shared base of the app's form dialogs: layout, modality, inline errors, OK and Cancel.

A ``FormDialog`` (IDLE ``query.Query`` style) builds its fields in ``build()``, parses them in
``validate()`` with the ``forms`` helpers into the dialog's own frozen input (a small dataclass,
or a single value) and writes through one service call in ``apply()``. Field
problems and the services' ``ServiceError``\\ s appear in a red line above the buttons, never in a
message box, and nothing is written. ``.result`` stays None until ``apply()`` succeeds; then the
dialog closes and calls ``on_done(result)``. ``show=False`` builds it hidden and non-modal (tests).
``QuantityDialog`` is the one small form every composition editor shares: change one quantity.
"""

from __future__ import annotations

import dataclasses
import tkinter as tk
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import customtkinter as ctk

from bake_tracker.services.errors import ServiceError
from bake_tracker.ui.forms import FieldError, format_number, parse_decimal_text, parse_int_text
from bake_tracker.ui.kit import keyboard
from bake_tracker.ui.kit import message as message_box
from bake_tracker.ui.kit.buttons import ActionButton
from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.theme import ERROR_TEXT, MUTED_TEXT, NOTICE_TEXT, TEXT
from bake_tracker.ui.kit.windows import ModalWindow

T = TypeVar("T")
FIELD_WIDTH = 260
NEW_LINE_HINT = "Return saves; Shift+Return starts a new line."  # in a multi-line box
ERROR_BORDER = ("#D32F2F", "#EF5350")


def fields_of(values: Any, *, without: Iterable[str] = ()) -> dict[str, Any]:
    """A dialog's frozen input (a dataclass) as keyword arguments for its service call, leaving
    out the fields named in ``without`` (those passed positionally)."""
    skip = set(without)
    return {
        field.name: getattr(values, field.name)
        for field in dataclasses.fields(values)
        if field.name not in skip
    }


class FormDialog(ModalWindow):
    """A modal form: fields from ``build()``, an inline error line, OK (Enter), Cancel (Escape)."""

    ok_text = "Save"
    min_width = 480

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        show: bool = True,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.result: Any = None
        self.on_done = on_done
        self._next_row = 0
        self._marked: list[tuple[Any, Any]] = []
        self.title(title)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=1)  # on a small screen the body gives way
        self.body = ctk.CTkFrame(self, fg_color="transparent")
        self.body.grid(row=0, column=0, sticky="nsew", padx=22, pady=(18, 4))
        self.body.grid_columnconfigure(1, weight=1)
        self.build(self.body)
        self._build_footer()
        self.ready()
        self.bind("<Return>", self._on_return)
        self.bind("<KP_Enter>", self._on_return)
        self.bind("<Escape>", lambda _event: self.on_cancel())
        # Tab reaches every control in reading order; Return (a Notes box too) saves.
        keyboard.install_keyboard(self)
        keyboard.prepare(self)
        self.protocol("WM_DELETE_WINDOW", self.on_cancel)
        if show:
            self._show_modal()

    # --- building -----------------------------------------------------------------------------

    def build(self, body: ctk.CTkFrame) -> None:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    def ready(self) -> None:
        """Called once the OK button exists: set the initial state of choices that depend on it."""

    def _build_footer(self) -> None:
        self.error_label = ctk.CTkLabel(
            self,
            text="",
            text_color=ERROR_TEXT,
            anchor="w",
            justify="left",
            wraplength=self.min_width - 44,
        )
        self.error_label.grid(row=1, column=0, sticky="ew", padx=22, pady=(2, 2))
        buttons = ctk.CTkFrame(self, fg_color="transparent")
        buttons.grid(row=2, column=0, sticky="e", padx=22, pady=(4, 18))
        self.cancel_button = ctk.CTkButton(
            buttons,
            text="Cancel",
            width=100,
            fg_color="transparent",
            border_width=1,
            text_color=TEXT,
            command=self.on_cancel,
        )
        self.cancel_button.grid(row=0, column=0, padx=(0, 10))
        self.ok_button = ActionButton(buttons, text=self.ok_text, width=120, command=self.on_ok)
        self.ok_button.grid(row=0, column=1)
        spacer = ctk.CTkFrame(self, width=self.min_width, height=0, fg_color="transparent")
        spacer.grid(row=3, column=0)

    def add_field(
        self, label: str, widget: tk.Misc, *, hint: str | None = None, sticky: str = "ew"
    ) -> tk.Misc:
        """Put ``widget`` (a child of ``self.body``) on the next row, after its label."""
        row = self._next_row
        ctk.CTkLabel(self.body, text=label, anchor="w").grid(
            row=row, column=0, sticky="nw", padx=(0, 14), pady=(6, 0)
        )
        widget.grid(row=row, column=1, sticky=sticky, pady=(4, 0))
        self._next_row += 1
        if hint:
            self.add_hint(hint)
        return widget

    def add_hint(self, text: str) -> ctk.CTkLabel:
        """A line of small grey help text under the last field."""
        label = ctk.CTkLabel(
            self.body,
            text=text,
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=12),
            anchor="w",
            justify="left",
            wraplength=self.min_width - 150,
        )
        label.grid(row=self._next_row, column=1, sticky="w", pady=(0, 2))
        self._next_row += 1
        return label

    def add_wide(self, widget: tk.Misc, *, pady: tuple[int, int] = (4, 4)) -> tk.Misc:
        """Put ``widget`` on the next row across both columns."""
        widget.grid(row=self._next_row, column=0, columnspan=2, sticky="ew", pady=pady)
        self._next_row += 1
        return widget

    def add_heading(self, text: str, *, pady: tuple[int, int] = (0, 0)) -> ctk.CTkLabel:
        """A bold line across the form naming what it is about."""
        return self.add_wide(section_label(self.body, text), pady=pady)

    def add_note(self, text: str, *, pady: tuple[int, int] = (0, 8)) -> ctk.CTkLabel:
        """Grey text across the form (under its heading: what the form will do)."""
        label = ctk.CTkLabel(
            self.body,
            text=text,
            text_color=MUTED_TEXT,
            anchor="w",
            justify="left",
            wraplength=self.min_width - 50,
        )
        return self.add_wide(label, pady=pady)

    def add_notice(self, text: str = "", *, pady: tuple[int, int] = (4, 4)) -> ctk.CTkLabel:
        """Advice across the form ("add an ingredient first"), in the notice colour."""
        label = ctk.CTkLabel(
            self.body,
            text=text,
            text_color=NOTICE_TEXT,
            wraplength=self.min_width - 60,
            justify="left",
            anchor="w",
        )
        return self.add_wide(label, pady=pady)

    # --- validation and errors ----------------------------------------------------------------

    def validate(self) -> Any:  # pragma: no cover - every dialog overrides it
        """Parse the fields; return the dialog's frozen input for ``apply`` or raise
        ``FieldError``."""
        raise NotImplementedError

    def apply(self, values: Any) -> Any:  # pragma: no cover - every dialog overrides it
        """Make the one service call; return its result (may raise ``ServiceError``)."""
        raise NotImplementedError

    def refusal(self, values: Any) -> str | None:
        """Why the change cannot be made, checked before ``confirm`` (None: it can). A dialog
        never asks "are you sure?" and then refuses: the refusal comes first, inline."""
        return None

    def confirm(self, values: Any) -> bool:
        """Last word before ``apply``; dialogs that change stock ask first."""
        return True

    def check(self, widget: Any, parse: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``parse(widget.get(), *args, **kwargs)``; on a ``FieldError`` mark the widget first."""
        try:
            return parse(widget.get(), *args, **kwargs)
        except FieldError:
            self.mark_invalid(widget)
            raise

    def mark_invalid(self, widget: Any) -> None:
        """Draw a red border around a CustomTkinter field and put the cursor in it."""
        if isinstance(widget, ctk.CTkEntry | ctk.CTkComboBox):
            self._marked.append((widget, widget.cget("border_color")))
            widget.configure(border_color=ERROR_BORDER)
        widget.focus_set()

    def show_error(self, text: str) -> None:
        self.error_label.configure(text=text)

    def clear_error(self) -> None:
        self.error_label.configure(text="")
        for widget, color in self._marked:
            if widget.winfo_exists():
                widget.configure(border_color=color)
        self._marked.clear()

    @property
    def error_text(self) -> str:
        return str(self.error_label.cget("text"))

    # --- OK and Cancel ------------------------------------------------------------------------

    def on_ok(self) -> None:
        """Validate, check for a refusal, confirm, call the service; show any problem inline and
        keep the dialog."""
        self.clear_error()
        try:
            values = self.validate()
        except FieldError as error:
            self.show_error(error.message)
            return
        try:
            refused = self.refusal(values)
        except ServiceError as error:
            refused = str(error)
        if refused:
            self.show_error(refused)
            return
        if not self.confirm(values):
            return
        try:
            result = self.apply(values)
        except ServiceError as error:
            self.show_error(str(error))
            return
        self.result = result
        self.close()
        if self.on_done is not None:
            self.on_done(result)

    def on_cancel(self) -> None:
        self.close()

    def keyboard_default_action(self) -> None:
        """What Return in a Notes box does (``kit.keyboard``): the same as Return elsewhere."""
        self.on_ok()

    def _on_return(self, event: tk.Event) -> str | None:
        """Return saves, from any field (a Notes box has its own binding doing the same, with
        Shift-Return for a new line: ``kit.keyboard``); a focused button answers for itself."""
        if isinstance(event.widget, tk.Text):  # a text box built after ``prepare``: a new line
            return None
        self.on_ok()
        return "break"

    def ask_confirm(self, message: str) -> bool:
        return message_box.ask_yes_no(self, self.title(), message)


class QuantityDialog(FormDialog):
    """Change one quantity ("[2] cup"): the caller passes the current value and the service call.

    ``whole=True`` accepts whole numbers only (finished items); otherwise up to three places.
    """

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        heading: str,
        label: str,
        unit: str,
        initial: Any,
        apply: Callable[[Any], Any],
        whole: bool = False,
        show: bool = True,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        self.heading, self.label, self.unit = heading, label, unit
        self.initial, self.whole, self._apply = initial, whole, apply
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(self.heading, pady=(0, 6))
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.quantity_entry = ctk.CTkEntry(row, width=110)
        self.quantity_entry.insert(0, format_number(self.initial))
        self.quantity_entry.pack(side="left")
        ctk.CTkLabel(row, text=self.unit, text_color=MUTED_TEXT).pack(side="left", padx=(8, 0))
        self.add_field(self.label, row, sticky="w")

    def focus_first(self) -> None:
        self.quantity_entry.focus_set()
        self.quantity_entry.select_range(0, "end")

    def validate(self) -> Any:
        if self.whole:
            return self.check(self.quantity_entry, parse_int_text, self.label, minimum=1)
        return self.check(self.quantity_entry, parse_decimal_text, self.label, allow_zero=False)

    def apply(self, values: Any) -> Any:
        return self._apply(values)


class TextPromptDialog(FormDialog):
    """One optional line of text ("Delivered to"): OK returns it ("" when blank), Cancel or
    Escape returns None. Opens centred over the window that asked, like every form."""

    ok_text = "OK"
    min_width = 420

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        prompt: str,
        show: bool = True,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        self.prompt = prompt
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_note(self.prompt, pady=(0, 6))
        self.text_entry = ctk.CTkEntry(body, width=FIELD_WIDTH + 100)
        self.add_wide(self.text_entry)

    def focus_first(self) -> None:
        self.text_entry.focus_set()

    def validate(self) -> str:
        return " ".join(self.text_entry.get().split())

    def apply(self, values: str) -> str:
        return values


def ask_text(parent: tk.Misc, title: str, prompt: str) -> str | None:
    """Ask for a line of text over ``parent``'s window and wait: the text ("" when left blank),
    or None when cancelled."""
    dialog = TextPromptDialog(parent, title=title, prompt=prompt)
    if dialog.winfo_exists():
        parent.wait_window(dialog)
    return dialog.result
