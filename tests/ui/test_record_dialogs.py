"""Record Production and Record Assembly on a real display, through the widgets they name."""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bake_tracker.services import assembly_service, event_service, inventory_service
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import recipe_service as rs
from bake_tracker.ui import forms
from bake_tracker.ui.app import App
from bake_tracker.ui.kit.theme import ERROR_TEXT
from bake_tracker.ui.record.assembly import RecordAssemblyDialog
from bake_tracker.ui.record.base import CHECK_DELAY_MS, STANDALONE
from bake_tracker.ui.record.production import RecordProductionDialog

pytestmark = pytest.mark.gui

# read at each use, not at import: a run that passes midnight must not expect yesterday
today = date.today


# --- data (through the services) ----------------------------------------------------------------


def cup_ingredient(name: str, cups: str, cost: str) -> None:
    """An ingredient measured and bought in cups, with one lot of ``cups`` at ``cost`` a cup."""
    made = cs.create_ingredient(name, category="Misc", recipe_unit="cup")
    product = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=20)
    inventory_service.add_to_inventory(
        product.id, quantity=cups, unit_cost=cost, purchase_date="2024-01-01"
    )


def make_cookie(flour: str = "10", sugar: str = "5"):
    """Chocolate chip cookies: 2 cup flour ($0.50) + 1 cup sugar ($0.60) a batch, 48 cookies."""
    cup_ingredient("Flour", flour, "0.50")
    cup_ingredient("Sugar", sugar, "0.60")
    recipe = rs.create_recipe(
        "Chocolate Chip Cookies",
        category="Cookies",
        yield_quantity=48,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )
    return fus.create_finished_unit("Chocolate Chip Cookie", recipe.id, items_per_batch=48)


def make_gift_bag(cookies: int = 100, bags: int = 50):
    """A gift bag of 12 sugar cookies ($0.25 each in stock) and 1 cellophane bag ($0.10)."""
    recipe = rs.create_recipe(
        "Sugar Cookies", category="Cookies", yield_quantity=48, yield_unit="cookie"
    )
    unit = fus.create_finished_unit("Sugar Cookie", recipe.id, items_per_batch=48)
    fus.adjust_inventory(unit.id, cookies, reason="count_correction", unit_cost="0.25")
    bag = cs.create_ingredient(
        "Cellophane Bags", category="Bags", recipe_unit="bag", is_packaging=True
    )
    product = cs.create_product(bag.slug, purchase_unit="bag", purchase_quantity=100)
    inventory_service.add_to_inventory(
        product.id, quantity=bags, unit_cost="0.10", purchase_date="2025-01-01"
    )
    good = fgs.create_finished_good("Cookie Gift Bag", assembly_type="gift_box")
    fgs.add_component(good.id, "finished_unit", unit.id, 12)
    fgs.add_component(good.id, "packaging", product.id, 1)
    return unit, good


def pantry() -> list[Decimal]:
    return [lot.quantity for lot in inventory_service.get_inventory_items(include_empty=True)]


# --- driving the dialogs ------------------------------------------------------------------------


class Confirm:
    """Stands in for ``ask_confirm``: records each question, answers from a list (last repeats)."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.messages: list[str] = []

    def __call__(self, message: str) -> bool:
        self.messages.append(message)
        return self.answers[min(len(self.messages), len(self.answers)) - 1]


def type_into(entry, text: str) -> None:
    entry.delete(0, "end")
    if text:
        entry.insert(0, text)


def settle(widget, seconds: float = CHECK_DELAY_MS / 1000 + 0.15) -> None:
    """Let the debounced availability check run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        widget.update()
        time.sleep(0.02)


def open_production(app: App, unit_id: int, **kwargs) -> RecordProductionDialog:
    dialog = app.open_record_production(unit_id, **kwargs)
    assert isinstance(dialog, RecordProductionDialog)
    app.update()
    return dialog


def production_rows(app: App) -> list[tuple[str, ...]]:
    tab = app.tab_frames["Production"]
    table = tab.production_table
    return [table.row_values(iid) for iid in table.row_ids()]


# --- record production --------------------------------------------------------------------------


def test_record_production_through_the_dialog_updates_stock_and_history(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id)
    assert dialog.winfo_viewable()
    assert dialog.title() == "Record production: Chocolate Chip Cookie"
    assert dialog.event_selector.get() == STANDALONE
    assert dialog.batches_entry.get() == "1"
    assert dialog.expected_label.cget("text") == "48"
    assert dialog.actual_yield_entry.get() == "48"
    assert dialog.availability_rows == [("Flour", True), ("Sugar", True)]
    assert dialog.availability.status_text == "All items available"
    assert dialog.availability.row_texts() == [
        ("✓", "Flour", "Need: 2 cups | Have: 10 cups"),
        ("✓", "Sugar", "Need: 1 cup | Have: 5 cups"),
    ]
    assert dialog.confirm_button.cget("state") == "normal"

    type_into(dialog.batches_entry, "2")
    assert dialog.expected_label.cget("text") == "96"  # live, before any check
    assert dialog.actual_yield_entry.get() == "96"  # follows the expected yield…
    type_into(dialog.actual_yield_entry, "92")
    type_into(dialog.batches_entry, "3")
    assert dialog.actual_yield_entry.get() == "92"  # …until the user types one
    type_into(dialog.batches_entry, "2")
    settle(dialog)
    assert dialog.availability.row_texts()[0] == ("✓", "Flour", "Need: 4 cups | Have: 10 cups")
    dialog.notes_text.insert("1.0", "First batch of the season")
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    app.update()

    [message] = dialog.ask_confirm.messages
    assert message.startswith("Record 2 batches of Chocolate Chip Cookie?")
    assert "Event:" not in message
    assert "Expected yield: 96" in message and "Actual yield: 92" in message
    assert "ingredients will be taken from the pantry" in message
    assert "void the run later from the Production tab" in message
    assert not dialog.winfo_exists()
    result = dialog.result
    assert (result.num_batches, result.expected_yield, result.actual_yield) == (2, 96, 92)
    assert fus.get_finished_unit(unit.id).inventory_count == 92
    assert pantry() == [Decimal(6), Decimal(3)]
    [run] = bps.get_production_history()
    assert (run.id, run.event_id) == (result.production_run_id, None)
    assert run.notes == "First batch of the season"
    assert production_rows(app) == [
        (today().isoformat(), "Chocolate Chip Cookie", "—", "2", "92 / 96", "$3.20", "$0.0348", "")
    ]
    assert app.status_label.cget("text") == "Recorded 2 batches: 92 Chocolate Chip Cookies made."


def test_a_short_ingredient_disables_confirm_and_shows_a_red_row(app: App) -> None:
    unit = make_cookie(flour="10", sugar="2")
    dialog = open_production(app, unit.id, show=False)
    assert dialog.availability_rows == [("Flour", True), ("Sugar", True)]
    dialog.count_var.set("3")  # one keystroke
    assert dialog.availability_rows == [("Flour", True), ("Sugar", True)]  # not yet: debounced
    settle(dialog)
    assert dialog.availability_rows == [("Flour", True), ("Sugar", False)]
    assert dialog.availability.status_text == "1 item short"
    assert dialog.availability.status_label.cget("text_color") == ERROR_TEXT
    assert dialog.availability.row_texts()[1] == ("✗", "Sugar", "Need: 3 cups | Have: 2 cups")
    red = [w for w in dialog.availability.list_frame.winfo_children() if w.cget("text") == "Sugar"]
    assert red[0].cget("text_color") == ERROR_TEXT
    assert dialog.confirm_button.cget("state") == "disabled"

    dialog.ask_confirm = Confirm(True)
    dialog.on_ok()  # Enter still reaches on_ok: refused inline, nothing asked, nothing written
    assert dialog.error_text == "Not enough in the pantry: Sugar."
    assert dialog.ask_confirm.messages == []
    assert bps.get_production_history() == []

    type_into(dialog.batches_entry, "2")
    settle(dialog)
    assert dialog.availability_rows == [("Flour", True), ("Sugar", True)]
    assert dialog.confirm_button.cget("state") == "normal"


def test_confirm_rechecks_a_count_typed_since_the_last_check(app: App) -> None:
    unit = make_cookie(flour="10", sugar="2")
    dialog = open_production(app, unit.id, show=False)
    dialog.ask_confirm = Confirm(True)
    type_into(dialog.batches_entry, "3")
    assert dialog.confirm_button.cget("state") == "normal"  # the check is still pending…
    dialog.confirm_button.invoke()
    assert dialog.error_text == "Not enough in the pantry: Sugar."  # …Confirm checks first
    assert dialog.availability_rows[1] == ("Sugar", False)
    assert dialog.confirm_button.cget("state") == "disabled"
    assert bps.get_production_history() == []


@pytest.mark.parametrize(
    ("batches", "message"),
    [
        ("0", "Batch count must be at least 1."),
        ("-2", "Batch count must be at least 1."),
        ("", "Batch count is required."),
        ("1.5", "Batch count must be a whole number"),
        ("two", "Batch count must be a whole number"),
    ],
)
def test_an_unusable_batch_count_is_shown_inline_and_writes_nothing(
    app: App, batches: str, message: str
) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id, show=False)
    type_into(dialog.batches_entry, batches)
    assert message in dialog.error_text or not batches  # at once, while typing (blank: quietly)
    assert dialog.confirm_button.cget("state") == "disabled"
    assert dialog.expected_label.cget("text") == "—"
    assert dialog.availability_rows == []
    dialog.ask_confirm = Confirm(True)
    dialog.on_ok()
    assert message in dialog.error_text
    assert dialog.ask_confirm.messages == []
    assert dialog.result is None
    assert bps.get_production_history() == []
    assert pantry() == [Decimal(10), Decimal(5)]
    type_into(dialog.batches_entry, "1")
    assert dialog.error_text == ""
    assert dialog.confirm_button.cget("state") == "normal"


def test_event_selector_lists_upcoming_events_nearest_first_and_preselects_one(app: App) -> None:
    unit = make_cookie()
    past = event_service.create_event("Bake Sale", today() - timedelta(days=30))
    far = event_service.create_event("Christmas", today() + timedelta(days=60))
    near = event_service.create_event("Cookie Swap", today() + timedelta(days=10))
    plain = open_production(app, unit.id, show=False)
    assert plain.event_selector.cget("values") == [STANDALONE, near.label, far.label, past.label]
    assert plain.event_selector.get() == STANDALONE
    assert near.label == f"Cookie Swap ({(today() + timedelta(days=10)).isoformat()})"
    plain.cancel_button.invoke()

    dialog = open_production(app, unit.id, event_id=far.id)
    assert dialog.event_selector.get() == far.label
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    assert f"\nEvent: {far.label}\n" in dialog.ask_confirm.messages[0]
    assert dialog.result.event_id == far.id
    assert production_rows(app)[0][2] == "Christmas"


def test_choosing_an_event_maps_back_by_id(app: App) -> None:
    unit = make_cookie()
    event = event_service.create_event("Cookie Swap", today() + timedelta(days=3))
    dialog = open_production(app, unit.id, show=False)
    dialog.event_selector.set(event.label)
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    assert dialog.result.event_id == event.id


def test_zero_yield_asks_the_zero_yield_question_first(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id, show=False)
    type_into(dialog.actual_yield_entry, "0")
    dialog.ask_confirm = Confirm(False)
    dialog.confirm_button.invoke()
    [question] = dialog.ask_confirm.messages
    assert question.startswith("Zero Yield")
    assert "nothing is added to stock" in question
    assert dialog.winfo_exists() and dialog.result is None
    assert bps.get_production_history() == []
    assert pantry() == [Decimal(10), Decimal(5)]

    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    assert len(dialog.ask_confirm.messages) == 2
    assert "Actual yield: 0" in dialog.ask_confirm.messages[1]
    assert dialog.result.actual_yield == 0 and dialog.result.per_unit_cost == 0
    assert pantry() == [Decimal(8), Decimal(4)]  # a failed batch still uses its ingredients


def test_declining_the_confirmation_writes_nothing(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id, show=False)
    dialog.ask_confirm = Confirm(False)
    dialog.confirm_button.invoke()
    assert len(dialog.ask_confirm.messages) == 1
    assert dialog.winfo_exists()
    assert bps.get_production_history() == []


def test_a_blank_actual_yield_means_the_expected_one(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id, show=False)
    type_into(dialog.actual_yield_entry, "")
    assert dialog.yield_follows_expected
    type_into(dialog.batches_entry, "2")
    assert dialog.actual_yield_entry.get() == "96"  # following again
    type_into(dialog.actual_yield_entry, "")
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    assert dialog.result.actual_yield == 96


def test_a_loss_needs_a_reason_and_is_recorded(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id, show=False)
    dialog.ask_confirm = Confirm(True)
    type_into(dialog.actual_yield_entry, "44")
    type_into(dialog.loss_entry, "4")
    dialog.confirm_button.invoke()
    assert dialog.error_text == "Choose a reason for the lost items."
    assert dialog.ask_confirm.messages == []
    assert dialog.loss_reason_menu.cget("values") == [
        "Burnt",
        "Broken",
        "Tasting",
        "Gifted",
        "Other",
    ]
    dialog.loss_reason_menu.set("Burnt")
    dialog.confirm_button.invoke()
    assert "Lost: 4 (burnt)" in dialog.ask_confirm.messages[0]
    run = bps.get_production_run(dialog.result.production_run_id)
    assert (run.actual_yield, run.loss_quantity, run.loss_category) == (44, 4, "burnt")


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("actual_yield_entry", "-1", "Actual yield cannot be negative."),
        ("actual_yield_entry", "lots", "Actual yield must be a whole number"),
        ("loss_entry", "-3", "Lost cannot be negative."),
    ],
)
def test_bad_yields_are_inline_errors(app: App, field: str, text: str, message: str) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id, show=False)
    type_into(getattr(dialog, field), text)
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    assert message in dialog.error_text
    assert bps.get_production_history() == []


def test_a_service_refusal_is_shown_inline_and_the_dialog_stays(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id, show=False)
    [flour_lot, _] = inventory_service.get_inventory_items()
    inventory_service.adjust_lot(flour_lot.id, "-9", reason="spoiled")  # after the check
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    assert "Insufficient flour: need 2.000 cup, have 1.000 cup" in dialog.error_text
    assert dialog.winfo_exists() and dialog.result is None
    assert bps.get_production_history() == []
    assert app.show_error.calls == []


def test_escape_cancels_and_enter_confirms(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id)
    dialog.focus_force()
    dialog.update()
    dialog.event_generate("<Escape>")
    app.update()
    assert not dialog.winfo_exists()
    assert dialog.result is None

    dialog = open_production(app, unit.id)
    dialog.ask_confirm = Confirm(True)
    dialog.batches_entry.focus_force()
    dialog.update()
    dialog.batches_entry.event_generate("<Return>")
    app.update()
    assert dialog.result is not None and dialog.result.num_batches == 1


def test_notes_take_shift_enter_as_a_new_line_and_enter_confirms(app: App) -> None:
    unit = make_cookie()
    dialog = open_production(app, unit.id)
    dialog.ask_confirm = Confirm(False)
    dialog.notes_text.focus_force()
    dialog.update()
    dialog.notes_text._textbox.event_generate("<Shift-Return>")
    app.update()
    assert dialog.winfo_exists() and dialog.result is None
    assert dialog.notes_text.get("1.0", "end-1c") == "\n"
    assert dialog.ask_confirm.messages == []
    dialog.notes_text._textbox.event_generate("<Return>")  # Return confirms, as in any field
    app.update()
    assert len(dialog.ask_confirm.messages) == 1  # declined: nothing recorded
    assert dialog.winfo_exists() and dialog.result is None
    dialog.cancel_button.invoke()


def test_a_closed_form_leaves_no_job_queued_for_its_widgets(app: App) -> None:
    """Typing schedules the availability check, the notes box its scroll-bar check: closing
    the form before they run cancels them (a stale job once called a new key binding)."""
    unit = make_cookie()
    dialog = open_production(app, unit.id)
    type_into(dialog.batches_entry, "2")
    dialog.notes_text.insert("1.0", "for the fair")
    app.update()
    queued = app.tk.splitlist(app.tk.call("after", "info"))
    scripts = {app.tk.splitlist(app.tk.call("after", "info", job))[0] for job in queued}
    assert dialog._check_job is not None and len(scripts) >= 2
    dialog.cancel_button.invoke()
    app.update()
    for job in app.tk.splitlist(app.tk.call("after", "info")):
        script = app.tk.splitlist(app.tk.call("after", "info", job))[0]
        assert app.tk.call("info", "commands", script), f"{job} would call a deleted {script}"


def test_a_portion_yield_previews_by_the_service_rule(app: App) -> None:
    cup_ingredient("Flour", "50", "0.50")
    recipe = rs.create_recipe(
        "Sheet Cake",
        category="Cakes",
        yield_quantity=1,
        yield_unit="cake",
        ingredients=[("flour", 3, "cup")],
    )
    cake = fus.create_finished_unit(
        "Cake Slice", recipe.id, yield_mode="batch_portion", batch_percentage="30"
    )
    dialog = open_production(app, cake.id, show=False)
    assert dialog.expected_label.cget("text") == "3"  # floor(100 / 30)
    type_into(dialog.batches_entry, "2")
    assert dialog.expected_label.cget("text") == "6"  # floor(200 / 30)
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    assert dialog.result.expected_yield == 6  # what the service recorded agrees


def test_a_recipe_without_ingredients_can_still_be_recorded(app: App) -> None:
    recipe = rs.create_recipe("Water", category="Misc", yield_quantity=1, yield_unit="glass")
    unit = fus.create_finished_unit("Glass of water", recipe.id, items_per_batch=1)
    dialog = open_production(app, unit.id, show=False)
    assert dialog.availability_rows == []
    assert dialog.availability.status_text == "All items available"
    assert dialog.confirm_button.cget("state") == "normal"


# --- record assembly ----------------------------------------------------------------------------


def open_assembly(app: App, good_id: int, **kwargs) -> RecordAssemblyDialog:
    dialog = app.open_record_assembly(good_id, **kwargs)
    assert isinstance(dialog, RecordAssemblyDialog)
    app.update()
    return dialog


def test_record_assembly_through_the_dialog(app: App) -> None:
    cookie, good = make_gift_bag()
    event = event_service.create_event("Christmas", today() + timedelta(days=20))
    dialog = open_assembly(app, good.id, event_id=event.id)
    assert dialog.winfo_viewable()
    assert dialog.title() == "Record assembly: Cookie Gift Bag"
    assert dialog.event_selector.get() == event.label
    assert dialog.quantity_entry.get() == "1"
    assert dialog.availability_rows == [
        ("[FU] Sugar Cookie", True),
        ("[Pkg] Cellophane Bags (generic)", True),
    ]
    type_into(dialog.quantity_entry, "5")
    settle(dialog)
    assert dialog.availability.row_texts() == [
        ("✓", "[FU] Sugar Cookie", "Need: 60 each | Have: 100 each"),
        ("✓", "[Pkg] Cellophane Bags (generic)", "Need: 5 bags | Have: 50 bags"),
    ]
    dialog.notes_text.insert("1.0", "for the neighbours")
    dialog.ask_confirm = Confirm(True)
    dialog.confirm_button.invoke()
    app.update()

    [message] = dialog.ask_confirm.messages
    assert message.startswith("Assemble 5 × Cookie Gift Bag?")
    assert f"Event: {event.label}" in message
    assert "void the run later" in message
    assert not dialog.winfo_exists()
    assert dialog.result.quantity_assembled == 5 and dialog.result.event_id == event.id
    assert fgs.get_finished_good(good.id).inventory_count == 5
    assert fus.get_finished_unit(cookie.id).inventory_count == 40
    [run] = assembly_service.get_assembly_history()
    assert run.notes == "for the neighbours"
    assert app.status_label.cget("text") == "Assembled 5 × Cookie Gift Bag."
    table = app.tab_frames["Production"].assembly_table
    [iid] = table.row_ids()
    assert table.row_values(iid) == (
        today().isoformat(),
        "Cookie Gift Bag",
        "Christmas",
        "5",
        "$15.50",
        "$3.10",
        "",
    )


def test_short_components_disable_assembly(app: App) -> None:
    _, good = make_gift_bag(cookies=100, bags=50)
    dialog = open_assembly(app, good.id, show=False)
    type_into(dialog.quantity_entry, "9")
    dialog.refresh_availability()
    assert dialog.availability_rows == [
        ("[FU] Sugar Cookie", False),
        ("[Pkg] Cellophane Bags (generic)", True),
    ]
    assert dialog.availability.row_texts()[0][2] == "Need: 108 each | Have: 100 each"
    assert dialog.confirm_button.cget("state") == "disabled"
    dialog.on_ok()
    assert dialog.error_text == "Not enough in stock: [FU] Sugar Cookie."
    type_into(dialog.quantity_entry, "0")
    assert dialog.error_text == "Quantity must be at least 1."
    assert assembly_service.get_assembly_history() == []


def test_a_good_without_components_says_why_and_cannot_be_confirmed(app: App) -> None:
    good = fgs.create_finished_good("Empty Box", assembly_type="gift_box")
    dialog = open_assembly(app, good.id, show=False)
    assert dialog.availability_rows == []
    assert dialog.availability.status_text == "'Empty Box' has no components yet"
    assert dialog.confirm_button.cget("state") == "disabled"
    dialog.ask_confirm = Confirm(True)
    dialog.on_ok()
    assert dialog.error_text == "'Empty Box' has no components yet"
    assert dialog.ask_confirm.messages == []


# --- pure helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("batches", "mode", "per_batch", "percentage", "expected"),
    [
        (2, "discrete_count", 48, None, 96),
        (3, "discrete_count", None, None, 3),
        (1, "batch_portion", None, Decimal("25"), 4),
        (1, "batch_portion", None, Decimal("30"), 3),
        (2, "batch_portion", None, Decimal("30"), 6),
    ],
)
def test_expected_yield_preview(batches, mode, per_batch, percentage, expected) -> None:
    assert forms.expected_yield_preview(batches, mode, per_batch, percentage) == expected


@pytest.mark.parametrize(
    ("text", "minimum", "expected"),
    [("2", 1, 2), (" 1,200 ", 1, 1200), ("0", 0, 0), ("+3", 1, 3)],
)
def test_parse_int_text_accepts_whole_numbers(text: str, minimum: int, expected: int) -> None:
    assert forms.parse_int_text(text, "Batch count", minimum=minimum) == expected


def test_parse_int_text_blank_is_none_when_optional() -> None:
    assert forms.parse_int_text("  ", "Actual yield", required=False) is None


def test_over_production_asks_first_and_no_records_nothing(app, tmp_path):
    """Exceeding the event's target is a yes/no question, never a block."""
    from bake_tracker.services import batch_production_service as bps
    from bake_tracker.services import catalog_service as cs
    from bake_tracker.services import event_service as es
    from bake_tracker.services import finished_unit_service as fus
    from bake_tracker.services import inventory_service as inv
    from bake_tracker.services import recipe_service as rs

    flour = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    product = cs.create_product(flour.slug, purchase_unit="cup", purchase_quantity=20)
    inv.add_to_inventory(product.id, quantity=50, unit_cost="0.5", purchase_date="2025-01-01")
    bread = rs.create_recipe(
        "Bread",
        category="Breads",
        yield_quantity=1,
        yield_unit="loaf",
        ingredients=[("flour", 2, "cup")],
    )
    loaf = fus.create_finished_unit("Loaf", bread.id, items_per_batch=1)
    fair = es.create_event("Fair", "2099-06-01")
    es.set_production_target(fair.id, bread.id, 2)
    bps.record_batch_production(bread.id, loaf.id, 1, 1, event_id=fair.id)
    dialog = app.open_record_production(loaf.id, event_id=fair.id, show=False)
    questions: list[str] = []
    dialog.ask_confirm = lambda message: questions.append(message) or False
    dialog.batches_entry.delete(0, "end")
    dialog.batches_entry.insert(0, "3")
    dialog.refresh_availability()
    dialog.confirm_button.invoke()
    assert questions and questions[0].startswith("Over-Production Warning")
    assert "needs 2 batches; 1 are done. Recording 3 more makes 4 (200%" in questions[0]
    assert dialog.result is None
    assert len(bps.get_production_history()) == 1
    dialog.ask_confirm = lambda message: True
    dialog.confirm_button.invoke()
    assert dialog.result is not None and dialog.result.num_batches == 3
