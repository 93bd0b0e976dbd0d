"""Every form on the sample season: Tab reaches every enabled control once, in the order the form
was built (reading order), and comes back to where it started; Shift-Tab walks the same circle
backwards. A control Tk skips (a CustomTkinter button, drop-down or check box not prepared) fails
here by name."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable

import customtkinter as ctk
import pytest

from bake_tracker.services import (
    batch_production_service,
    catalog_service,
    event_service,
    finished_unit_service,
    recipe_service,
    sample_data_service,
)
from bake_tracker.ui.app import App
from bake_tracker.ui.events.assignment_dialogs import AssignPackageDialog
from bake_tracker.ui.events.dialogs import CloneEventDialog
from bake_tracker.ui.finished_units_tab import AdjustStockDialog, FinishedUnitDialog
from bake_tracker.ui.ingredients.dialogs import IngredientDialog, ProductDialog
from bake_tracker.ui.kit import keyboard
from bake_tracker.ui.kit.dialog import FormDialog
from bake_tracker.ui.packages_tab import PackageDialog
from bake_tracker.ui.printing import PrintDialog
from bake_tracker.ui.production.void_run import VoidRunDialog
from bake_tracker.ui.recipes.dialogs import IngredientLineDialog, RecipeDialog, SubRecipeDialog
from bake_tracker.ui.recipients_tab import RecipientDialog
from bake_tracker.ui.record.production import RecordProductionDialog

pytestmark = pytest.mark.gui


def first_recipe():
    return recipe_service.list_recipes()[0]


def first_unit():
    return finished_unit_service.list_finished_units()[0]


def first_ingredient():
    return catalog_service.list_ingredients()[0]


DIALOGS: dict[str, Callable[[App], FormDialog]] = {
    "finished unit": lambda app: FinishedUnitDialog(app),
    "adjust stock": lambda app: AdjustStockDialog(
        app, name="Cookie", in_stock=5, adjust=lambda *a, **k: None
    ),
    "ingredient": lambda app: IngredientDialog(app),
    "product": lambda app: ProductDialog(app, ingredient=first_ingredient()),
    "recipe": lambda app: RecipeDialog(app),
    "recipe line": lambda app: IngredientLineDialog(app, recipe=first_recipe()),
    "sub-recipe": lambda app: SubRecipeDialog(app, recipe=first_recipe(), taken=set()),
    "clone event": lambda app: CloneEventDialog(app, source=event_service.list_events()[0]),
    "assign package": lambda app: AssignPackageDialog(
        app, event_id=event_service.list_events()[0].id
    ),
    "recipient": lambda app: RecipientDialog(app),
    "package": lambda app: PackageDialog(app),
    "void run": lambda app: VoidRunDialog(
        app, batch_production_service.get_production_history()[0]
    ),
    "record production": lambda app: RecordProductionDialog(app, first_unit().id),
    "print gift tags": lambda app: PrintDialog(
        app, event_service.list_events_for_picker(), kind="gift-tags"
    ),
}


def reachable(window: tk.Misc) -> list[object]:
    """The controls a keyboard user must reach, in the order they were built: entries, text
    boxes and CustomTkinter controls that are enabled and shown (ttk and Tk ones included)."""
    found: list[object] = []

    def walk(widget: tk.Misc) -> None:
        for child in widget.winfo_children():
            if isinstance(child, tk.Toplevel) or not child.winfo_viewable():
                continue
            if isinstance(child, keyboard.CONTROLS):
                if str(child.cget("state")) != "disabled":
                    found.append(child)
                continue  # its label and canvas are parts of it
            if isinstance(child, ctk.CTkEntry | ctk.CTkComboBox):
                if str(child._entry.cget("state")) != "disabled":
                    found.append(child)
                    # a field with its own button (the date field's calendar ▾) comes right after
                    found.extend(
                        inner
                        for inner in child.winfo_children()
                        if isinstance(inner, keyboard.CONTROLS) and inner.winfo_viewable()
                    )
                continue
            if isinstance(child, ctk.CTkTextbox):
                found.append(child)
                continue
            if child.winfo_class() in ("TEntry", "TCombobox", "Entry"):
                if "disabled" not in str(child.cget("state")):
                    found.append(child)
                continue
            walk(child)

    walk(window)
    return found


@pytest.fixture
def season(app: App) -> App:
    sample_data_service.load_sample_data()
    return app


@pytest.mark.parametrize("name", list(DIALOGS))
def test_tab_walks_every_control_of_the_form_in_order(season: App, name: str) -> None:
    dialog = DIALOGS[name](season)
    try:
        dialog.update()
        expected = reachable(dialog)
        assert len(expected) >= 3, expected
        start = expected[0]
        target = keyboard.focus_target(start) if isinstance(start, keyboard.CONTROLS) else start
        target.focus_force()
        dialog.update()
        assert keyboard.owner_control(dialog.focus_get()) is start
        walked = []
        for _ in range(len(expected)):
            dialog.focus_get().event_generate("<Tab>")
            dialog.update()
            now = dialog.focus_get()
            assert now is not None, f"{name}: the focus left the form after {walked}"
            walked.append(keyboard.owner_control(now))
        assert walked == [*expected[1:], start], name
        back = []
        for _ in range(len(expected)):
            dialog.focus_get().event_generate("<Shift-Tab>")
            dialog.update()
            back.append(keyboard.owner_control(dialog.focus_get()))
        assert back == list(reversed(expected)), name
    finally:
        if dialog.winfo_exists():
            dialog.close()
