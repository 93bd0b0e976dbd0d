"""File ▸ Print… and the Print buttons: choose a document, save it as a PDF, open it.

``PrintDialog`` asks which document (shopping list, baking plan, packing list, gift tags, cost
report), for which event, on which paper, and for gift tags an optional message (for the cost
report: whether to list the purchase lots). Its OK button, "Save PDF…", leads to the app's
save-path chooser; the PDF is then written by ``documents_service.print_document`` through
``run_in_background`` (a progress dialog, the window stays responsive) and opened in the system's
PDF viewer (``opener.open_path``). A refusal (a message too long) shows in the dialog's red line;
a file that could not be written is said in an error box, and nothing is left half-written.
"""

from __future__ import annotations

import os
import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.core.paper import A4, LETTER, default_page_size
from bake_tracker.services import documents_service
from bake_tracker.services.dto import EventDTO
from bake_tracker.services.dto.documents import (
    COST_REPORT,
    DOCUMENT_KINDS,
    DOCUMENT_TITLES,
    GIFT_TAGS,
    SHOPPING_LIST,
)
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import opener
from bake_tracker.ui.forms import FieldError
from bake_tracker.ui.kit.dialog import FormDialog

if TYPE_CHECKING:
    from bake_tracker.ui.app import App

PDF_TYPES = (("PDF document", "*.pdf"), ("All files", "*"))
PAPER_LABELS = {LETTER: "US Letter (8.5 × 11 in)", A4: "A4 (210 × 297 mm)"}
MESSAGE_HINT = (
    f"Printed on every gift tag ({documents_service.MAX_MESSAGE} characters at most); "
    "leave empty for none."
)
NO_EVENTS = "There are no events yet: add one on the Events tab, then print its lists."


@dataclass(frozen=True)
class PrintChoice:
    """What the Print dialog was asked for."""

    kind: str
    event: EventDTO
    page_size: str
    message: str | None
    include_lots: bool


def pdf_name(kind: str, event: EventDTO) -> str:
    """ "christmas-gifts-2026-shopping-list.pdf": the event's name in letters and dashes."""
    name = "".join(c if c.isalnum() else "-" for c in event.name.lower())
    name = "-".join(part for part in name.split("-") if part)[:60] or "event"
    year = "" if str(event.year) in name else f"-{event.year}"
    return f"{name}{year}-{kind}.pdf"


class PrintDialog(FormDialog):
    """Document, event, paper and message; ``on_done(PrintChoice)`` after "Save PDF…"."""

    ok_text = "Save PDF…"
    min_width = 540

    def __init__(
        self,
        parent: tk.Misc,
        events: Sequence[EventDTO],
        *,
        kind: str = SHOPPING_LIST,
        event_id: int | None = None,
        page_size: str | None = None,
        on_done: Callable[[Any], None] | None = None,
        show: bool = True,
    ) -> None:
        self.events = list(events)
        self.initial_kind = kind if kind in DOCUMENT_KINDS else SHOPPING_LIST
        self.initial_event = next((e for e in self.events if e.id == event_id), None)
        self.initial_paper = page_size or default_page_size(os.environ)
        super().__init__(parent, title="Print", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading("Save a document as a PDF, then open it to print", pady=(0, 8))
        titles = [DOCUMENT_TITLES[k] for k in DOCUMENT_KINDS]
        self.kind_box = ctk.CTkComboBox(
            body, values=titles, state="readonly", width=300, command=self._kind_chosen
        )
        self.kind_box.set(DOCUMENT_TITLES[self.initial_kind])
        self.add_field("Document", self.kind_box)
        labels = [e.label for e in self.events]
        self.event_box = ctk.CTkComboBox(body, values=labels, state="readonly", width=300)
        chosen = self.initial_event or (self.events[0] if self.events else None)
        self.event_box.set(chosen.label if chosen else "")
        self.add_field("Event", self.event_box)
        self.paper_box = ctk.CTkComboBox(
            body, values=list(PAPER_LABELS.values()), state="readonly", width=300
        )
        self.paper_box.set(PAPER_LABELS.get(self.initial_paper, PAPER_LABELS[LETTER]))
        self.add_field("Paper", self.paper_box)
        self.message_entry = ctk.CTkEntry(body, width=300, placeholder_text="Happy holidays!")
        self.add_field("Tag message", self.message_entry, hint=MESSAGE_HINT)
        self.lots_var = tk.BooleanVar(self, False)
        self.lots_check = ctk.CTkCheckBox(
            body, text="List the purchase lots behind the actual cost", variable=self.lots_var
        )
        self.add_field("Cost report", self.lots_check, sticky="w")

    def ready(self) -> None:
        self._kind_chosen(self.kind_box.get())

    def _kind_chosen(self, _title: str) -> None:
        """The message is for gift tags, the lots for the cost report: the others are greyed."""
        kind = self.chosen_kind()
        self.message_entry.configure(state="normal" if kind == GIFT_TAGS else "disabled")
        self.lots_check.configure(state="normal" if kind == COST_REPORT else "disabled")

    def chosen_kind(self) -> str | None:
        title = self.kind_box.get()
        return next((k for k, t in DOCUMENT_TITLES.items() if t == title), None)

    def validate(self) -> PrintChoice:
        kind = self.chosen_kind()
        if kind is None:
            raise FieldError("Choose a document.")
        event = next((e for e in self.events if e.label == self.event_box.get()), None)
        if event is None:
            raise FieldError("Choose an event.")
        paper = next((k for k, v in PAPER_LABELS.items() if v == self.paper_box.get()), None)
        if paper is None:
            raise FieldError("Choose a paper size.")
        message = None
        if kind == GIFT_TAGS:
            try:
                message = documents_service.clean_message(self.message_entry.get())
            except ServiceError as error:
                self.mark_invalid(self.message_entry)
                raise FieldError(str(error)) from None
        include_lots = kind == COST_REPORT and bool(self.lots_var.get())
        return PrintChoice(kind, event, paper, message, include_lots)

    def apply(self, values: PrintChoice) -> PrintChoice:
        return values


class Printer:
    """Runs a ``PrintChoice`` for one ``App``: ask where, write in the background, open it."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.dialog: PrintDialog | None = None
        self.parent: tk.Misc | None = None  # the window the dialog and the file chooser sit over
        self.last_saved: Path | None = None

    def open_dialog(
        self,
        *,
        kind: str = SHOPPING_LIST,
        event_id: int | None = None,
        parent: tk.Misc | None = None,
        show: bool = True,
    ) -> PrintDialog | None:
        """The Print dialog (over ``parent``, else the main window); None when there is no
        event to print for (the user is told so)."""
        if self.app.busy:
            return None
        from bake_tracker.services import event_service

        events = event_service.list_events_for_picker()
        if not events:
            self.app.show_info("Print", NO_EVENTS)
            return None
        self.parent = parent
        self.dialog = PrintDialog(
            parent or self.app,
            events,
            kind=kind,
            event_id=event_id,
            on_done=self.save,
            show=show,
        )
        return self.dialog

    def save(self, choice: PrintChoice) -> bool:
        """Ask where to save the PDF, then write it in the background; False when cancelled."""
        chosen = self.app.ask_save_path(
            f"Save {DOCUMENT_TITLES[choice.kind].lower()} as PDF",
            pdf_name(choice.kind, choice.event),
            PDF_TYPES,
            defaultextension=".pdf",
            parent=self.parent if self.parent is not None and self.parent.winfo_exists() else None,
        )
        if not chosen:
            return False
        path = Path(chosen)
        job = partial(
            documents_service.print_document,
            choice.kind,
            choice.event.id,
            path,
            page_size=choice.page_size,
            message=choice.message,
            include_lots=choice.include_lots,
        )
        return self.app.run_in_background(
            job,
            partial(self._saved, choice),
            partial(self._failed, path),
            message=f"Writing {path.name}…",
            expected=(ServiceError, OSError),
        )

    def _saved(self, choice: PrintChoice, path: Path) -> None:
        self.last_saved = path
        title = DOCUMENT_TITLES[choice.kind]
        try:
            self.open_pdf(path)
        except OSError as error:
            self.app.set_status(f"{title} saved to {path}")
            self.app.show_info(
                "PDF saved",
                f"{title} saved to:\n{path}\n\nIt could not be opened here "
                f"({error.strerror or error}); open it with a PDF viewer to print it.",
            )
            return
        self.app.set_status(f"{title} of {choice.event.label} saved to {path} and opened")

    def _failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, OSError):
            self.app.show_error("Print failed", f"Could not write {path}:\n{error.strerror}")
        else:
            self.app.show_error("Print failed", str(error))

    def open_pdf(self, path: Path) -> None:
        """Hand the PDF to the system's viewer (one line tests replace)."""
        opener.open_path(path)
