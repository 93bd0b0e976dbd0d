"""The UI reaches the main window through one protocol, ``shell.MainWindow``, that ``App``
implements, and one function, ``main_window(widget)``."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from bake_tracker.services import event_service
from bake_tracker.ui.app import App
from bake_tracker.ui.shell import MainWindow, main_window

pytestmark = pytest.mark.gui

MEMBERS = sorted(
    name
    for name, value in vars(MainWindow).items()
    if not name.startswith("_") and (callable(value) or isinstance(value, property))
)


def shape(function) -> list[tuple[str, object, object]]:
    """A signature's parameters: names, kinds and defaults (annotations aside)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", [n for n in MEMBERS if n != "closed"])
def test_app_offers_each_method_of_the_protocol_as_it_is_declared(name: str) -> None:
    assert shape(getattr(App, name)) == shape(getattr(MainWindow, name))


def test_every_widget_reaches_the_window_it_is_in(app: App) -> None:
    assert isinstance(app, MainWindow)
    pantry = app.tab_frames["Pantry"]
    assert main_window(pantry) is app
    assert main_window(pantry.table.tree) is app  # however deep
    event = event_service.create_event("Christmas", date(2025, 12, 25))
    window = app.open_event_detail(event.id, show=False)
    assert main_window(window.assignments.table) is app  # and from the Event Detail window
    window.close()
