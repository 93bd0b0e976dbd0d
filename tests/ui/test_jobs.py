"""A destroyed widget takes its pending ``after`` jobs with it (``kit.jobs``).

A job left queued names a command tkinter has deleted; a new callback can later get the same
name (tkinter names commands by address and function name) and the stale job calls it with no
arguments: a ``TypeError`` from a key binding, once seen on CI while a form's fields were fuzzed.
"""

from __future__ import annotations

import time

import customtkinter as ctk

from bake_tracker.ui.app import App


def pending_jobs(widget) -> dict[str, str]:
    """Each queued ``after`` job and the command it will call."""
    call, split = widget.tk.call, widget.tk.splitlist
    return {job: split(call("after", "info", job))[0] for job in split(call("after", "info"))}


def stale_jobs(widget) -> list[str]:
    """The queued jobs whose command no longer exists."""
    return [
        job
        for job, script in pending_jobs(widget).items()
        if not widget.tk.call("info", "commands", script)
    ]


def run_for(widget, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        widget.update()
        time.sleep(0.01)


def test_a_closed_window_leaves_no_job_behind_and_an_open_one_keeps_its_own(app: App) -> None:
    kept_window, closed_window = ctk.CTkToplevel(app), ctk.CTkToplevel(app)
    kept, closed = ctk.CTkTextbox(kept_window), ctk.CTkTextbox(closed_window)
    kept.pack()
    closed.pack()
    closed.after(60_000, lambda: None)  # a job of a child widget, far off
    run_for(app, 0.5)  # the text boxes' scroll-bar checks are running
    mine = set(closed._tclCommands)
    assert mine & set(pending_jobs(app).values()), "the closing window has no job: no test"

    closed_window.destroy()
    app.update()

    assert stale_jobs(app) == []
    assert not mine & set(pending_jobs(app).values())
    assert set(kept._tclCommands) & set(pending_jobs(app).values()), "the open one's job went"
    kept_window.destroy()


def test_a_stale_name_taken_again_is_never_called(app: App) -> None:
    """The failure itself: a new command under a closed window's job's name is not called."""
    window = ctk.CTkToplevel(app)
    ctk.CTkTextbox(window).pack()
    run_for(app, 0.3)
    names = set(pending_jobs(app).values())
    window.destroy()
    app.update()
    calls: list[tuple] = []
    for name in names - {n for n in names if app.tk.call("info", "commands", n)}:
        app.tk.createcommand(name, lambda *args: calls.append(args))
    run_for(app, 0.5)  # past the text box's 200 ms check
    assert calls == []
