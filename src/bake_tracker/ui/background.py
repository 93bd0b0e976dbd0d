"""Background work without freezing the window: long jobs run on a worker thread, never on Tk's.

``BackgroundRunner`` submits one job at a time to a one-thread ``ThreadPoolExecutor`` and polls the
future from the Tk thread with ``after(50)``; the job's callbacks run on the Tk thread. Jobs call
ordinary service functions (each opens its own session) and never touch widgets. While a job runs a
modal ``ProgressDialog`` (an indeterminate bar and a message such as "Importing season.json…") keeps
the user from starting a second one, and the event loop keeps drawing the window.

Expected failures (``ServiceError`` by default) go to ``on_error`` or, without one, to the window's
``show_error``; anything else goes to the window's ``report_callback_exception``, as an error in
any other callback would: it is logged and shown, never swallowed.
"""

from __future__ import annotations

import gc
import time
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import customtkinter as ctk

from bake_tracker.services.errors import ServiceError
from bake_tracker.ui.kit.theme import MUTED_TEXT
from bake_tracker.ui.kit.windows import show_modal

POLL_MS = 50
DIALOG_WIDTH = 420
DEFAULT_ERROR_TITLE = "That did not work"

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class ProgressDialog(ctk.CTkToplevel):
    """A modal "please wait" window: a message, a moving bar, and no way to close it by hand."""

    def __init__(
        self,
        parent: tk.Misc,
        message: str,
        *,
        title: str = "Please wait",
        reveal_after_ms: int = 0,
    ) -> None:
        """``reveal_after_ms`` > 0 keeps the dialog hidden that long, so a job that ends sooner
        (the daily backup of a small database) never flashes a window at the user."""
        super().__init__(parent)
        self.withdraw()
        self.parent = parent
        self.title(title)
        self.resizable(False, False)
        self.protocol("WM_DELETE_WINDOW", lambda: None)  # the job cannot be interrupted
        self._build(message)
        self._reveal_job: str | None = None
        if reveal_after_ms > 0:
            self._reveal_job = self.after(reveal_after_ms, self._reveal)
        else:
            self._reveal()

    def _reveal(self) -> None:
        self._reveal_job = None
        show_modal(self, self.parent)
        self.bar.start()

    @property
    def revealed(self) -> bool:
        return bool(self.winfo_viewable())

    def _build(self, message: str) -> None:
        body = ctk.CTkFrame(self, fg_color="transparent")
        body.pack(fill="both", expand=True, padx=28, pady=(24, 22))
        self.message_label = ctk.CTkLabel(
            body,
            text=message,
            font=ctk.CTkFont(size=15, weight="bold"),
            anchor="w",
            justify="left",
            wraplength=DIALOG_WIDTH - 56,
        )
        self.message_label.pack(fill="x")
        self.bar = ctk.CTkProgressBar(
            body, mode="indeterminate", width=DIALOG_WIDTH - 56, indeterminate_speed=1.2
        )
        self.bar.pack(fill="x", pady=(14, 10))
        self.hint_label = ctk.CTkLabel(
            body,
            text="This can take a little while; please keep bake-tracker open.",
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=12),
            anchor="w",
            justify="left",
            wraplength=DIALOG_WIDTH - 56,
        )
        self.hint_label.pack(fill="x")

    @property
    def message(self) -> str:
        return str(self.message_label.cget("text"))

    def close(self) -> None:
        """Stop the bar, release the input grab and give the focus back to the main window."""
        if self._reveal_job is not None:
            self.after_cancel(self._reveal_job)
            self._reveal_job = None
        self.bar.stop()
        self.grab_release()
        self.destroy()
        owner = self.parent.winfo_toplevel()
        if owner.winfo_exists():
            owner.focus_set()


@dataclass
class _Job:
    future: Future
    dialog: ProgressDialog
    on_done: OnDone
    on_error: OnError | None
    expected: tuple[type[BaseException], ...]
    error_title: str


class BackgroundRunner:
    """Runs one job at a time on a worker thread for ``window`` (the ``App``)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self._executor: ThreadPoolExecutor | None = None
        self._job: _Job | None = None

    @property
    def busy(self) -> bool:
        """True while a job runs (its progress dialog is open)."""
        return self._job is not None

    @property
    def dialog(self) -> ProgressDialog | None:
        """The progress dialog of the running job, if any."""
        return self._job.dialog if self._job is not None else None

    def run(
        self,
        fn: Callable[[], Any],
        on_done: OnDone,
        on_error: OnError | None = None,
        *,
        message: str = "Working…",
        error_title: str = DEFAULT_ERROR_TITLE,
        expected: tuple[type[BaseException], ...] = (ServiceError,),
        reveal_after_ms: int = 0,
    ) -> bool:
        """Start ``fn()`` on the worker thread; False (and nothing started) while another runs.
        The progress dialog shows ``message`` (after ``reveal_after_ms``: see ``ProgressDialog``).

        ``on_done(result)`` or ``on_error(error)`` runs on the Tk thread once ``fn`` finishes; an
        ``expected`` error without ``on_error`` is shown with ``show_error(error_title, …)``.
        """
        if self.busy:
            return False
        # Collect garbage here, on the Tk thread: a collection on the worker thread that frees
        # Tk objects (fonts, variables of closed dialogs) has to wait for this thread to serve
        # their Tcl calls (about a second each when no mainloop runs).
        gc.collect()
        dialog = ProgressDialog(self.window, message, reveal_after_ms=reveal_after_ms)
        future = self._pool().submit(fn)
        self._job = _Job(future, dialog, on_done, on_error, expected, error_title)
        self.window.after(POLL_MS, self._poll)
        return True

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bake-worker")
        return self._executor

    def _poll(self) -> None:
        job = self._job
        if job is None:
            return
        if not job.future.done():
            self.window.after(POLL_MS, self._poll)
            return
        self._job = None
        job.dialog.close()
        self._finish(job)

    def _finish(self, job: _Job) -> None:
        error = job.future.exception()
        if error is None:
            job.on_done(job.future.result())
        elif not isinstance(error, job.expected):
            self.window.report_callback_exception(type(error), error, error.__traceback__)
        elif job.on_error is not None:
            job.on_error(error)
        else:
            self.window.show_error(job.error_title, str(error))

    def shutdown(self) -> None:
        """Wait for a running job to finish (never leave a write half done), then stop the
        worker thread. Called before the database is closed; the job's callbacks do not run.

        The wait keeps serving Tk events: the worker may need this thread for a Tcl call (a Tk
        object freed by a garbage collection on the worker), and a blocking wait would deadlock.
        """
        job, self._job = self._job, None
        if job is not None:
            while not job.future.done():
                self.window.update()
                time.sleep(POLL_MS / 1000)
            if job.dialog.winfo_exists():
                job.dialog.destroy()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
