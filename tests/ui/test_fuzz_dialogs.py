"""Hostile text in every field of every form dialog, through the real widgets.

Each dialog is built on the App (over the sample season) and every text field it has — entries,
combo boxes, text boxes, date entries, found by walking the dialog — is filled in turn with
hostile strings (numbers in odd forms, NaN/inf, huge, negative, unicode, control characters,
SQL-ish text, blank, too long) and then with text drawn by hypothesis, the other fields keeping
valid values. OK is invoked through Tk (as a click is), so an exception escaping the dialog would
reach the window's ``report_callback_exception``, which is replaced by a recorder. The outcome
must be either an inline error (the dialog stays open, nothing committed, the export unchanged) or
a normal result (the dialog closes and every invariant still holds); never an exception.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tkinter as tk
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from tkinter import ttk

import customtkinter as ctk
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bake_tracker import db
from bake_tracker.config import DATA_DIR_ENV, DATABASE_URL_ENV, sqlite_url
from bake_tracker.services import assembly_service as asm
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import event_service as es
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import integrity_service, sample_data_service
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import transfer_service as ts
from bake_tracker.ui.app import App
from bake_tracker.ui.events.assignment_dialogs import AssignPackageDialog, EditAssignmentDialog
from bake_tracker.ui.events.dialogs import CloneEventDialog, EventDialog
from bake_tracker.ui.events.target_dialogs import TargetDialog
from bake_tracker.ui.events.target_kinds import AssemblyKind, ProductionKind
from bake_tracker.ui.finished_goods_tab import ComponentDialog, FinishedGoodDialog
from bake_tracker.ui.finished_units_tab import AdjustStockDialog, FinishedUnitDialog
from bake_tracker.ui.ingredients.dialogs import (
    IngredientDialog,
    ProductDialog,
    UnitConversionDialog,
)
from bake_tracker.ui.kit.dialog import FormDialog, QuantityDialog
from bake_tracker.ui.packages_tab import PackageDialog
from bake_tracker.ui.pantry_tab import AdjustLotDialog, RecordPurchaseDialog
from bake_tracker.ui.printing import PrintDialog
from bake_tracker.ui.production.void_run import VoidRunDialog
from bake_tracker.ui.recipes.dialogs import IngredientLineDialog, RecipeDialog, SubRecipeDialog
from bake_tracker.ui.recipients_tab import RecipientDialog
from bake_tracker.ui.record import base as record_dialogs
from bake_tracker.ui.record.assembly import RecordAssemblyDialog
from bake_tracker.ui.record.production import RecordProductionDialog
from tests.ui.conftest import Recorder

pytestmark = [
    pytest.mark.gui,
    pytest.mark.sqlite_only,
    pytest.mark.filterwarnings("ignore:Glyph .* missing from font"),
]

EXAMPLES = int(os.environ.get("BAKE_TRACKER_FUZZ_DIALOG_EXAMPLES", "10"))

HOSTILE = (
    "",
    " ",
    "0",
    "-1",
    "1e5",
    "1e999",
    "NaN",
    "-inf",
    "1,5",
    "1,000,000,000,000",
    "99999999999999999999999",
    "1.23456789",
    "٣",
    "１２",
    "12abc",
    "$-3",
    "' OR 1=1 --",
    "'; DROP TABLE recipes; --",
    "Crème brûlée",
    "🍪🎄",
    "\u202eevil",
    "\x00",
    "a\tb\nc",
    "x" * 300,
    "9999-12-31",
    "0001-01-01",
)
TEXT_WIDGETS = (ctk.CTkEntry, ctk.CTkComboBox, ctk.CTkTextbox, ttk.Entry)


# --- the database ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_file(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample season, built once for this module."""
    path = tmp_path_factory.mktemp("dialog-fuzz") / "sample.sqlite3"
    shutil.copyfile(template_db, path)
    engine = db.make_engine(sqlite_url(path))
    db.bind_engine(engine)
    sample_data_service.load_sample_data()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def module_app(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One window for the whole module (building one takes a second): the dialogs' tests share
    its database, so each starts from whatever the previous ones left, still consistent."""
    folder = tmp_path_factory.mktemp("dialog-fuzz-app")
    path = folder / "app.sqlite3"
    shutil.copyfile(sample_file, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(folder / "data"))
        patch.delenv(DATABASE_URL_ENV, raising=False)
        app = App(database_url=sqlite_url(path), offer_sample_data=False)
        app.ask_confirm = Recorder(True)
        app.show_info = Recorder()
        app.show_error = Recorder()
        app.update()
        try:
            yield app
        finally:
            app.on_close()


@pytest.fixture
def fuzz_app(module_app: App) -> App:
    module_app.report_callback_exception = Recorder()
    return module_app


@pytest.fixture
def db_file(module_app: App) -> Path:
    return Path(module_app.database.path)


def snapshot() -> dict:
    document = ts.export_data()
    document.pop("exported_at")
    return document


# --- the dialogs ----------------------------------------------------------------------------------


def _named(items, name: str, attribute: str = "name"):
    return next(item for item in items if getattr(item, attribute) == name)


def _unit(name: str):
    return _named(fus.list_finished_units(), name, "display_name")


def _good(name: str):
    return _named(fgs.list_finished_goods(), name, "display_name")


def _event(prefix: str):
    """The sample's own event (the first made), not a clone the fuzzing added."""
    return min((e for e in es.list_events() if e.name.startswith(prefix)), key=lambda e: e.id)


def _recipe(name: str):
    return _named(rs.list_recipes(), name)


def _ribbon():
    detail = fgs.get_finished_good_detail(_good("Cookie Gift Bag").id)
    return next(c for c in detail.components if c.component_type == "packaging")


VOID_ITEMS: dict[str, dict[str, int]] = {}  # per database file: a recipe, unit and good to void


def _void_items(app: App) -> dict[str, int]:
    """A recipe, finished unit and good of their own, so other dialogs' edits cannot starve the
    void dialogs of stock (each accepted void needs a new run)."""
    key = str(app.database.path)
    if key not in VOID_ITEMS:
        recipe = rs.create_recipe(
            "Void Test Bars",
            category="Bars",
            yield_quantity=10,
            yield_unit="bar",
            ingredients=[("all_purpose_flour", "0.1", "cup")],
        )
        unit = fus.create_finished_unit("Void Test Bar", recipe.id, items_per_batch=10)
        good = fgs.create_finished_good("Void Test Box")
        fgs.add_component(good.id, "finished_unit", unit.id, 1)
        flour = cs.list_products("all_purpose_flour")[0]
        VOID_ITEMS[key] = {"recipe": recipe.id, "unit": unit.id, "good": good.id, "flour": flour.id}
    return VOID_ITEMS[key]


def _stocked(app: App) -> dict[str, int]:
    """The dedicated items, with flour and bars in stock for a run or an assembly."""
    items = _void_items(app)
    inv.record_purchase(items["flour"], quantity=1, total_cost=1)
    fus.adjust_inventory(items["unit"], 1, reason="count_correction", unit_cost="0.25")
    return items


def _fresh_production_run(app: App):
    items = _void_items(app)
    inv.record_purchase(items["flour"], quantity=1, total_cost=1)
    made = bps.record_batch_production(items["recipe"], items["unit"], 1, 10)
    return bps.get_production_run(made.production_run_id)


def _fresh_assembly_run(app: App):
    items = _void_items(app)
    fus.adjust_inventory(items["unit"], 1, reason="count_correction", unit_cost="0.25")
    made = asm.record_assembly(items["good"], 1)
    return asm.get_assembly_run(made.assembly_run_id)


Factory = Callable[[App], FormDialog]

DIALOGS: dict[str, tuple[Factory, dict[str, str]]] = {
    # name: (build the dialog on the app, valid text for its fields)
    "add ingredient": (
        lambda app: IngredientDialog(app, show=False),
        {"name_entry": "Rye Flour", "category_box": "Flour", "unit_box": "cup"},
    ),
    "edit ingredient": (
        lambda app: IngredientDialog(app, ingredient=cs.get_ingredient("cocoa_powder"), show=False),
        {},
    ),
    "add product": (
        lambda app: ProductDialog(app, ingredient=cs.get_ingredient("brown_sugar"), show=False),
        {"brand_entry": "C&H", "type_box": "bag", "unit_box": "lb", "quantity_entry": "2"},
    ),
    "add unit conversion": (
        lambda app: UnitConversionDialog(
            app, ingredient=cs.get_ingredient("large_eggs"), show=False
        ),
        {
            "from_quantity_entry": "1",
            "from_unit_box": "dozen",
            "to_quantity_entry": "12",
            "to_unit_box": "each",
        },
    ),
    "record purchase": (
        lambda app: RecordPurchaseDialog(app, ingredient_slug="all_purpose_flour", show=False),
        {"quantity_entry": "5", "total_entry": "6.99"},
    ),
    "adjust lot": (
        lambda app: AdjustLotDialog(app, lot=inv.get_inventory_items()[0], show=False),
        {"change_entry": "0.5", "reason_menu": "Count correction"},
    ),
    "add recipe": (
        lambda app: RecipeDialog(app, show=False),
        {
            "name_entry": "Shortbread",
            "category_box": "Cookies",
            "yield_entry": "24",
            "yield_unit_box": "cookie",
        },
    ),
    "add recipe line": (
        lambda app: IngredientLineDialog(app, recipe=_recipe("Fudge Brownies"), show=False),
        {"quantity_entry": "0.5", "unit_box": "cup"},
    ),
    "add sub-recipe": (
        lambda app: SubRecipeDialog(
            app, recipe=_recipe("Chocolate Layer Cake"), taken=set(), show=False
        ),
        {"batches_entry": "1"},
    ),
    "add finished unit": (
        lambda app: FinishedUnitDialog(app, show=False),
        {"name_entry": "Brownie Bite", "items_entry": "32"},
    ),
    "adjust finished unit stock": (
        lambda app: AdjustStockDialog(
            app,
            name="Fudge Brownie",
            in_stock=_unit("Fudge Brownie").inventory_count,
            adjust=lambda delta, **kw: fus.adjust_inventory(_unit("Fudge Brownie").id, delta, **kw),
            show=False,
        ),
        {"change_entry": "2", "cost_entry": "0.40", "reason_menu": "Count correction"},
    ),
    "add finished good": (
        lambda app: FinishedGoodDialog(app, show=False),
        {"name_entry": "Brownie Tin"},
    ),
    "add component": (
        lambda app: ComponentDialog(
            app,
            title="Add a component",
            kinds=("finished_unit", "finished_good", "packaging"),
            exclude_good_id=_good("Holiday Box").id,
            apply=lambda kind, item_id, quantity: fgs.add_component(
                _good("Holiday Box").id, kind, item_id, quantity
            ),
            show=False,
        ),
        {"quantity_entry": "1"},
    ),
    "change component quantity": (
        lambda app: QuantityDialog(
            app,
            title="Quantity",
            heading="Ribbon",
            label="Quantity",
            unit="yd",
            initial=_ribbon().quantity,
            apply=lambda quantity: fgs.update_component_quantity(_ribbon().id, quantity),
            show=False,
        ),
        {"quantity_entry": "0.75"},
    ),
    "add package": (
        lambda app: PackageDialog(app, show=False),
        {"name_entry": "Teacher Gift"},
    ),
    "add recipient": (
        lambda app: RecipientDialog(app, show=False),
        {"name_entry": "Coach Sam"},
    ),
    "add event": (
        lambda app: EventDialog(app, show=False),
        {"name_entry": "Easter Brunch"},
    ),
    "clone event": (
        lambda app: CloneEventDialog(app, source=_event("Christmas"), show=False),
        {"name_entry": "Christmas Again"},
    ),
    "add production target": (
        lambda app: TargetDialog(
            app, kind=ProductionKind(), event_id=_event("Winter").id, show=False
        ),
        {"amount_entry": "2"},
    ),
    "edit production target": (
        lambda app: TargetDialog(
            app,
            kind=ProductionKind(),
            event_id=_event("Christmas").id,
            existing=ProductionKind().progress(_event("Christmas").id)[0],
            show=False,
        ),
        {"amount_entry": "3"},
    ),
    "edit assembly target": (
        lambda app: TargetDialog(
            app,
            kind=AssemblyKind(),
            event_id=_event("Christmas").id,
            existing=AssemblyKind().progress(_event("Christmas").id)[0],
            show=False,
        ),
        {"amount_entry": "5"},
    ),
    "assign package": (
        lambda app: AssignPackageDialog(app, event_id=_event("Winter").id, show=False),
        {"quantity_entry": "1"},
    ),
    "edit assignment": (
        lambda app: EditAssignmentDialog(
            app, assignment=es.get_event_assignments(_event("Christmas").id)[0], show=False
        ),
        {"quantity_entry": "2"},
    ),
    "record production": (
        lambda app: RecordProductionDialog(app, _stocked(app)["unit"], show=False),
        {
            "count_entry": "1",
            "actual_yield_entry": "9",
            "loss_entry": "1",
            "loss_reason_menu": "Burnt",
        },
    ),
    "record assembly": (
        lambda app: RecordAssemblyDialog(app, _stocked(app)["good"], show=False),
        {"count_entry": "1"},
    ),
    "void production run": (
        lambda app: VoidRunDialog(app, _fresh_production_run(app), show=False),
        {"reason_entry": "Counted twice"},
    ),
    "void assembly run": (
        lambda app: VoidRunDialog(app, _fresh_assembly_run(app), show=False),
        {"reason_entry": "Counted twice"},
    ),
    "print gift tags": (
        lambda app: PrintDialog(
            app, es.list_events_for_picker(), kind="gift-tags", page_size="a4", show=False
        ),
        {
            "kind_box": "Gift tags",
            "paper_box": "A4 (210 × 297 mm)",
            "message_entry": "Happy holidays!",
        },
    ),
}


# Bugs reported with their fix and pinned by xfail(strict=True) tests below. While open, the fuzzing
# tolerates exactly these (and still checks that nothing was committed); once fixed, the pinned
# test XPASSes and fails: delete the entry and the mark.
KNOWN_BUGS: dict[str, tuple[str, str]] = {}  # none open: (exception type, message fragment)


def known_bug(error: BaseException) -> str | None:
    for name, (kind, fragment) in KNOWN_BUGS.items():
        if type(error).__name__ == kind and fragment in str(error):
            return name
    return None


# --- driving a dialog -----------------------------------------------------------------------------


def text_fields(dialog: FormDialog) -> dict[str, tk.Misc]:
    """The dialog's text fields by attribute name (entries, combo boxes, text boxes, dates)."""
    return {
        name: widget
        for name, widget in vars(dialog).items()
        if isinstance(widget, TEXT_WIDGETS) and not name.startswith("_")
    }


def text_of(widget: tk.Misc) -> str:
    if isinstance(widget, ctk.CTkTextbox):
        return widget.get("1.0", "end-1c")
    return widget.get()


def put(widget: tk.Misc, text: str) -> None:
    if isinstance(widget, ctk.CTkOptionMenu):
        widget.set(text)
        return
    if isinstance(widget, ctk.CTkTextbox):
        widget.delete("1.0", "end")
        widget.insert("1.0", text)
    elif isinstance(widget, ctk.CTkComboBox):
        widget.set(text)
    else:
        was = str(widget.cget("state"))
        if was == "disabled":
            widget.configure(state="normal")
        widget.delete(0, "end")
        widget.insert(0, text)
        if was == "disabled":
            widget.configure(state="disabled")


def pump(app: App) -> None:
    """Run pending idle work and timers (the availability checks are made due at once)."""
    app.update()
    app.update()


@dataclass
class Bench:
    """One dialog under fuzzing, rebuilt whenever a valid input closes it."""

    app: App
    factory: Factory
    valid: dict[str, str]
    path: Path
    dialog: FormDialog | None = None
    watch: sqlite3.Connection = field(init=False)
    tried: int = 0
    refused: int = 0
    accepted: int = 0
    exhausted: bool = False  # an add dialog with nothing left to add
    initial: dict[str, str] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.watch = sqlite3.connect(self.path)

    def version(self) -> int:
        return self.watch.execute("PRAGMA data_version").fetchone()[0]

    def open(self) -> FormDialog:
        if self.dialog is None or not self.dialog.winfo_exists():
            self.dialog = self.factory(self.app)
            self.dialog.ask_confirm = lambda _message: True
            pump(self.app)
            # what each field showed when built, so every attempt changes one field only
            self.initial = {name: text_of(w) for name, w in text_fields(self.dialog).items()}
        return self.dialog

    def fields(self) -> dict[str, tk.Misc]:
        return text_fields(self.open())

    def attempt(self, name: str, text: str) -> None:
        if self.exhausted:
            return
        dialog = self.open()
        fields = text_fields(dialog)
        if name not in fields:  # e.g. every recipe has a target now: the form has no fields
            self.exhausted = True
            return
        for other, value in (self.initial | self.valid).items():
            if hasattr(dialog, other):
                put(getattr(dialog, other), value)
        put(fields[name], text)
        pump(self.app)
        before = self.version()
        if str(dialog.ok_button.cget("state")) == "disabled":  # the form says why, OK is off
            self.tried += 1
            self.refused += 1
            return
        press_ok(dialog)
        pump(self.app)
        self.tried += 1
        recorder = self.app.report_callback_exception
        if recorder.calls:
            error = recorder.calls[0][1]
            bug = known_bug(error)
            assert bug is not None, (
                f"{name}={text!r} reached report_callback_exception: {error!r}\n"
                + "".join(traceback.format_exception(error))
            )
            self.known[bug] = self.known.get(bug, 0) + 1
            recorder.calls.clear()
            assert self.version() == before, f"{name}={text!r}: failed but committed"
            return
        if dialog.winfo_exists() and dialog.result is None:
            self.refused += 1
            assert dialog.error_text.strip(), f"{name}={text!r}: refused without a message"
            assert self.version() == before, f"{name}={text!r}: refused but committed"
        else:
            self.accepted += 1
            assert dialog.result is not None
            drifts = integrity_service.check_invariants()
            assert drifts == [], [d.describe() for d in drifts]


def press_ok(dialog: FormDialog) -> None:
    """Press OK as a click does: an exception escaping the dialog goes to the window's
    ``report_callback_exception`` (what Tk does with an error in a callback)."""
    window = dialog.winfo_toplevel().master  # asked first: OK may close the dialog
    try:
        dialog.ok_button.invoke()
    except Exception as error:
        window.report_callback_exception(type(error), error, error.__traceback__)


def report(line: str) -> None:
    """With BAKE_TRACKER_RELIABILITY_REPORT set, say what was tried (for the reliability report)."""
    if os.environ.get("BAKE_TRACKER_RELIABILITY_REPORT"):
        print(f"\n[reliability] {line}", file=sys.__stdout__, flush=True)


@pytest.fixture(autouse=True)
def _instant_availability_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record_dialogs, "CHECK_DELAY_MS", 1)


@pytest.mark.parametrize("name", list(DIALOGS))
def test_hostile_text_in_every_field_gives_an_inline_error_or_a_result(
    name: str, fuzz_app: App, db_file: Path
) -> None:
    factory, valid = DIALOGS[name]
    bench = Bench(fuzz_app, factory, valid, db_file)
    fields = list(bench.fields())
    assert fields, f"{name}: no text fields found"
    before = snapshot()
    for field_name in fields:
        for text in HOSTILE:
            bench.attempt(field_name, text)
    if bench.accepted == 0:
        assert snapshot() == before

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        field_name=st.sampled_from(fields),
        text=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
    )
    def fuzz(field_name: str, text: str) -> None:
        bench.attempt(field_name, text)

    fuzz()
    report(
        f"{name}: {len(fields)} fields, {bench.tried} inputs, {bench.refused} refused inline, "
        f"{bench.accepted} accepted, known bugs hit {bench.known}"
    )
    assert bench.refused > 0, f"{name}: no hostile text was refused"
    if bench.dialog is not None and bench.dialog.winfo_exists():
        bench.dialog.on_cancel()
    bench.watch.close()
    drifts = integrity_service.check_invariants()
    assert drifts == [], [d.describe() for d in drifts]


def test_cloning_an_event_at_the_end_of_the_calendar_opens_the_dialog(fuzz_app: App) -> None:
    last = es.create_event("Far Future", "9999-06-01")
    dialog = CloneEventDialog(fuzz_app, source=last, show=False)
    assert dialog.winfo_exists()
    dialog.on_cancel()


def test_an_event_dated_before_1900_gives_an_inline_error(fuzz_app: App) -> None:
    dialog = EventDialog(fuzz_app, show=False)
    put(dialog.name_entry, "Old Times")
    put(dialog.date_entry, "1899-12-31")
    press_ok(dialog)
    pump(fuzz_app)
    assert fuzz_app.report_callback_exception.calls == []
    assert dialog.error_text
