"""Pending ``after`` jobs end with the widget that scheduled them.

Tk keeps a widget's ``after`` jobs queued once the widget is destroyed, while tkinter deletes the
Python commands those jobs would call. tkinter names such a command by its callback's ``id`` and
``__name__``; once the old callback is freed, a new one made later (a ``lambda`` key binding, say)
can land at the same address and get the same name, and the stale job then calls it with the
wrong arguments: an error box for the user. CustomTkinter's text box keeps one such job queued
for as long as it lives (its scroll-bar check every 200 ms), so every closed form with a notes box
left one behind. Cancelling a widget's jobs as it is destroyed removes the cause.
"""

from __future__ import annotations

import tkinter as tk


def cancel_jobs_on_destroy(root: tk.Misc) -> None:
    """From now on, every widget of ``root``'s interpreter takes its pending jobs with it."""
    root.bind_all("<Destroy>", _cancel_pending_jobs, add="+")


def _cancel_pending_jobs(event: tk.Event) -> None:
    """Cancel the queued ``after`` jobs whose command belongs to the widget being destroyed.

    Tk sends ``<Destroy>`` while the widget's commands still exist, before tkinter deletes them:
    a job's script is the name of the command it calls, and tkinter lists a widget's commands in
    ``_tclCommands`` (there is no public accessor).
    """
    widget = event.widget
    commands = getattr(widget, "_tclCommands", None)
    if not commands:  # a widget tkinter does not know (a string), or one with no commands
        return
    for job in widget.tk.splitlist(widget.tk.call("after", "info")):
        try:
            script = widget.tk.splitlist(widget.tk.call("after", "info", job))[0]
        except tk.TclError:  # ran or was cancelled meanwhile
            continue
        if script in commands:
            widget.after_cancel(job)
