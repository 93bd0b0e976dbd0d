"""The Production tab's overview (the app's home) on a real display, on data built through the
services: event cards, the selected event's progress, launchers, cost, chart and drill-down.

F-COOKIE prices (flour $0.50 and sugar $0.60 a cup, 2 cup + 1 cup a batch) make a batch $1.60,
both estimated (planned) and at FIFO (actual), so every figure below is worked out by hand.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bake_tracker.core.dates import format_date
from bake_tracker.services import (
    assembly_service,
    event_service,
    inventory_service,
    package_service,
    recipient_service,
)
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import recipe_service as rs
from bake_tracker.services.dto import RecipeCost
from bake_tracker.ui.app import App
from bake_tracker.ui.kit.keyboard import FOCUS_RING
from bake_tracker.ui.kit.theme import ERROR_TEXT, GOOD_TEXT, MUTED_TEXT
from bake_tracker.ui.production.choosing import ChooseItemDialog, good_choices, unit_choices
from bake_tracker.ui.production.drilldown import DrilldownDialog, batches_done_text
from bake_tracker.ui.production.overview import NO_EVENTS_UPCOMING, DashboardView
from bake_tracker.ui.production.tab import OVERVIEW, ProductionTab
from bake_tracker.ui.production.wording import NO_PACKAGES, budget_text, date_line, signed_percent
from bake_tracker.ui.record.assembly import RecordAssemblyDialog
from bake_tracker.ui.record.production import RecordProductionDialog
from tests.ui.test_record_dialogs import Confirm, make_cookie, make_gift_bag, type_into

pytestmark = pytest.mark.gui

# read at each use, not at import: a run that passes midnight must not expect yesterday
today = date.today


# --- helpers ------------------------------------------------------------------------------------


def bar_widths(chart, tags: str) -> list[float]:
    """The drawn length of each bar matching the tag expression, in drawing order."""
    widths = []
    for item in chart.canvas.find_withtag(f"bar&&{tags}"):
        x0, _y0, x1, _y1 = chart.canvas.coords(item)
        widths.append(x1 - x0)
    return widths


def home(app: App) -> DashboardView:
    app.select_tab("Production")
    app.update()
    tab = app.tab_frames["Production"]
    assert isinstance(tab, ProductionTab)
    assert tab.current_page == OVERVIEW
    return tab.home


def season() -> SimpleNamespace:
    """A cookie recipe, an upcoming Bake Sale (target 1, baked) and Christmas (target 3)."""
    cookie = make_cookie(flour="30", sugar="15")
    bake_sale = event_service.create_event("Bake Sale", today() + timedelta(days=5))
    christmas = event_service.create_event("Christmas", today() + timedelta(days=20))
    event_service.set_production_target(bake_sale.id, cookie.recipe_id, 1)
    event_service.set_production_target(christmas.id, cookie.recipe_id, 3)
    bps.record_batch_production(cookie.recipe_id, cookie.id, 1, 48, event_id=bake_sale.id)
    return SimpleNamespace(cookie=cookie, bake_sale=bake_sale, christmas=christmas)


def assign(event_id: int, good_id: int, *people: tuple[str, int]) -> list[int]:
    """A "Cookie Bag" package (one good) given to each (name, quantity); the assignment ids."""
    package = package_service.create_package(f"Cookie Bag {event_id}")
    package_service.add_finished_good_to_package(package.id, good_id, 1)
    ids = []
    for name, quantity in people:
        person = recipient_service.create_recipient(f"{name} {event_id}")
        ids.append(
            event_service.assign_package_to_recipient(
                event_id, person.id, package.id, quantity=quantity
            ).id
        )
    return ids


def record_through_dialog(app: App, dialog, count_entry, count: str, *answers: bool) -> Confirm:
    type_into(count_entry, count)
    dialog.refresh_availability()
    dialog.ask_confirm = Confirm(*(answers or (True,)))
    dialog.confirm_button.invoke()
    app.update()
    return dialog.ask_confirm


# --- the cards ----------------------------------------------------------------------------------


def test_cards_list_upcoming_events_with_their_figures(app: App) -> None:
    plan = season()
    event_service.create_event("No Plans Yet", today() + timedelta(days=2))  # nothing planned
    harvest = event_service.create_event("Harvest Fair", today() - timedelta(days=10))
    event_service.set_production_target(harvest.id, plan.cookie.recipe_id, 2)
    view = home(app)
    sale_day, xmas_day = plan.bake_sale.event_date, plan.christmas.event_date
    assert view.card_texts() == [
        [
            "Bake Sale",
            date_line(sale_day, today()),
            "Recipes: 1/1",
            "Finished goods: none planned",
            NO_PACKAGES,
            "Cost: $1.60 of $1.60 planned",  # 1 batch baked of a 1-batch target
            "COMPLETE",
        ],
        [
            "Christmas",
            date_line(xmas_day, today()),
            "Recipes: 0/1",
            "Finished goods: none planned",
            NO_PACKAGES,
            "Cost: $0.00 of $4.80 planned",  # 3 batches × $1.60
            "Not started",  # nothing baked yet: not "In progress"
        ],
    ]
    assert date_line(sale_day, today()).endswith(" · in 5 days")
    sale_card = view.cards[plan.bake_sale.id]
    assert sale_card.packages_label.cget("text_color") == MUTED_TEXT
    assert sale_card.packages_label.cget("font").cget("slant") == "italic"
    assert sale_card.badge.cget("fg_color")[0] == "#2E7D32"
    assert view.cards[plan.christmas.id].badge.cget("fg_color")[0] == "#78838E"
    # the nearest upcoming event is selected and highlighted
    assert view.selected_event_id == plan.bake_sale.id
    assert sale_card.selected and sale_card.cget("border_width") == 2
    assert not view.cards[plan.christmas.id].selected

    view.past_check.toggle()  # past events follow the upcoming ones
    assert [texts[0] for texts in view.card_texts()] == ["Bake Sale", "Christmas", "Harvest Fair"]
    assert view.card_texts()[2][1].endswith(" · 10 days ago")
    assert view.card_texts()[2][-1] == "Not started"  # past, and nothing was ever baked for it


def test_package_counts_and_complete_when_every_package_is_delivered(app: App) -> None:
    _, good = make_gift_bag()
    party = event_service.create_event("Party", today() + timedelta(days=3))
    first, second = assign(party.id, good.id, ("Alice", 1), ("Bob", 2))
    event_service.update_fulfillment_status(second, "ready")
    view = home(app)
    card = view.cards[party.id]
    assert card.packages_label.cget("text") == "Packages: 0 delivered · 2 ready · 1 pending"
    assert card.recipes_label.cget("text") == "Recipes: none planned"
    assert card.badge.cget("text") == "In progress"
    event_service.update_fulfillment_status(first, "ready")
    for assignment_id in (first, second):
        event_service.update_fulfillment_status(assignment_id, "delivered")
    view.refresh()
    card = view.cards[party.id]
    assert card.packages_label.cget("text") == "Packages: 3 delivered · 0 ready · 0 pending"
    assert card.badge.cget("text") == "COMPLETE"  # scenario 61
    assert view.panel.badge.cget("text") == "COMPLETE"


def test_a_fresh_database_points_to_the_events_tab(app: App) -> None:
    view = home(app)
    assert view.cards == {}
    assert view.empty_label.cget("text") == NO_EVENTS_UPCOMING
    assert view.empty_label.winfo_manager() == "grid"
    assert view.panel.empty_state.winfo_ismapped()
    assert not view.panel.content.winfo_viewable()
    view.panel.go_to_events_button.invoke()
    assert app.tabs.get() == "Events"
    cookie = make_cookie()
    fair = event_service.create_event("Fair", today() + timedelta(days=1))
    event_service.set_production_target(fair.id, cookie.recipe_id, 1)
    app.select_tab("Production")  # shown again: the first event appears, selected
    app.update()
    assert list(view.cards) == [fair.id] and view.selected_event_id == fair.id
    assert view.empty_label.winfo_manager() == ""
    assert view.panel.content.winfo_viewable() and not view.panel.empty_state.winfo_ismapped()


# --- selecting an event -------------------------------------------------------------------------


def test_clicking_a_card_selects_it_and_fills_the_panel(app: App) -> None:
    plan = season()
    view = home(app)
    card = view.cards[plan.christmas.id]
    card.cost_label.event_generate("<Button-1>", x=5, y=5)  # a click anywhere on the card
    app.update()
    assert view.selected_event_id == plan.christmas.id
    assert card.selected and not view.cards[plan.bake_sale.id].selected
    panel = view.panel
    assert panel.title_label.cget("text") == "Christmas"
    assert panel.badge.cget("text") == "Not started"
    assert "in 20 days" in panel.date_label.cget("text")
    assert NO_PACKAGES in panel.date_label.cget("text")
    assert panel.recipe_progress.texts() == [("Chocolate Chip Cookies", "0/3 batches (0%)")]
    [(_, bar, _)] = panel.recipe_progress.rows
    assert bar.get() == 0
    assert panel.goods_progress.texts() == []
    assert panel.cost_panel.totals_label.cget("text") == "Actual $0.00 · Planned $4.80"
    assert panel.cost_panel.budget_label.cget("text") == "Under budget: $4.80"
    assert panel.breakdown_table.row_values(str(plan.cookie.recipe_id)) == (
        "Chocolate Chip Cookies",
        "0/3",
        "$0.00",
        "$4.80",
        "−$4.80",
        "−100.00%",
    )
    # the rows leave packaging out of the totals above, and the table says so under itself
    assert panel.breakdown_note.winfo_ismapped()
    assert "also count packaging" in panel.breakdown_note.cget("text")
    view.select_event(plan.bake_sale.id)
    assert panel.recipe_progress.texts() == [("Chocolate Chip Cookies", "✓ 1/1 batch (100%)")]
    [(_, bar, _)] = panel.recipe_progress.rows
    assert bar.get() == 1


def test_refresh_keeps_the_selection_and_falls_back_when_the_event_goes(app: App) -> None:
    plan = season()
    view = home(app)
    view.select_event(plan.christmas.id)
    app.select_tab("Pantry")
    app.select_tab("Production")  # shown again: reloaded
    assert view.selected_event_id == plan.christmas.id
    event_service.delete_event(plan.christmas.id)
    view.refresh()
    assert view.selected_event_id == plan.bake_sale.id
    assert view.panel.title_label.cget("text") == "Bake Sale"


# --- recording from the overview ----------------------------------------------------------------


def test_record_production_preselects_the_event_and_the_card_updates(app: App) -> None:
    plan = season()
    bars = rs.create_recipe("Almond Bars", category="Bars", yield_quantity=24, yield_unit="bar")
    fus.create_finished_unit("Almond Bar", bars.id, items_per_batch=24)  # not a target
    view = home(app)
    view.select_event(plan.christmas.id)
    panel = view.panel
    panel.record_production_button.invoke()
    chooser = panel.active_dialog
    assert isinstance(chooser, ChooseItemDialog)
    assert list(chooser.choices) == ["Chocolate Chip Cookie", "Almond Bar"]  # targets first
    assert chooser.item_menu.get() == "Chocolate Chip Cookie"
    assert chooser.info_label.cget("text") == (
        "Recipe: Chocolate Chip Cookies · target 0/3 batches (0%)"
    )
    chooser.ok_button.invoke()
    app.update()
    dialog = panel.active_dialog
    assert isinstance(dialog, RecordProductionDialog)
    assert dialog.unit.id == plan.cookie.id
    assert dialog.event_selector.get() == plan.christmas.label
    asked = record_through_dialog(app, dialog, dialog.batches_entry, "2")
    assert len(asked.messages) == 1 and asked.messages[0].startswith("Record 2 batches")
    assert dialog.result is not None and dialog.result.event_id == plan.christmas.id
    # the window refreshed every tab; the selection stayed on Christmas
    assert view.selected_event_id == plan.christmas.id
    card = view.cards[plan.christmas.id]
    assert card.selected
    assert card.cost_label.cget("text") == "Cost: $3.20 of $4.80 planned"
    assert card.recipes_label.cget("text") == "Recipes: 0/1"
    assert panel.recipe_progress.texts() == [("Chocolate Chip Cookies", "2/3 batches (67%)")]
    assert panel.cost_panel.totals_label.cget("text") == "Actual $3.20 · Planned $4.80"
    assert panel.cost_panel.budget_label.cget("text") == "Under budget: $1.60"
    assert panel.cost_panel.budget_label.cget("text_color") == GOOD_TEXT
    assert panel.breakdown_table.row_values(str(plan.cookie.recipe_id)) == (
        "Chocolate Chip Cookies",
        "2/3",
        "$3.20",
        "$4.80",
        "−$1.60",
        "−33.33%",  # scenario 59
    )
    assert app.status_label.cget("text") == "Recorded 2 batches: 96 Chocolate Chip Cookies made."


def test_recording_past_a_met_target_warns_then_goes_over_budget(app: App) -> None:
    plan = season()
    view = home(app)
    panel = view.panel  # the Bake Sale: its 1-batch target is already met
    assert view.selected_event_id == plan.bake_sale.id
    panel.on_record_production()
    chooser = panel.active_dialog
    assert "target met (1/1 batch (100%)); more is extra" in chooser.info_label.cget("text")
    chooser.on_ok()
    dialog = panel.active_dialog
    assert dialog.event_selector.get() == plan.bake_sale.label
    asked = record_through_dialog(app, dialog, dialog.batches_entry, "1", False)
    assert asked.messages[0].startswith("Over-Production Warning")  # going over a target asks first
    assert dialog.result is None and dialog.winfo_exists()
    asked = record_through_dialog(app, dialog, dialog.batches_entry, "1", True)
    assert dialog.result is not None  # nothing blocks once confirmed
    card = view.cards[plan.bake_sale.id]
    assert card.cost_label.cget("text") == "Cost: $3.20 of $1.60 planned"
    assert card.badge.cget("text") == "COMPLETE"
    assert panel.recipe_progress.texts() == [("Chocolate Chip Cookies", "✓ 2/1 batch (200%)")]
    assert panel.cost_panel.budget_label.cget("text") == "Over budget: +$1.60"
    assert panel.cost_panel.budget_label.cget("text_color") == ERROR_TEXT
    row = panel.breakdown_table.row_values(str(plan.cookie.recipe_id))
    assert row[4:] == ("+$1.60", "+100.00%")
    assert panel.breakdown_table.row_tags(str(plan.cookie.recipe_id)) == ("over",)


def test_record_assembly_preselects_the_event(app: App) -> None:
    _, good = make_gift_bag()
    party = event_service.create_event("Party", today() + timedelta(days=3))
    event_service.set_assembly_target(party.id, good.id, 2)
    view = home(app)
    panel = view.panel
    assert panel.goods_progress.texts() == [("Cookie Gift Bag", "0/2 (0%)")]
    panel.record_assembly_button.invoke()
    chooser = panel.active_dialog
    assert chooser.info_label.cget("text") == "In stock: 0 · target 0/2 (0%)"
    chooser.ok_button.invoke()
    dialog = panel.active_dialog
    assert isinstance(dialog, RecordAssemblyDialog)
    assert dialog.event_selector.get() == party.label
    record_through_dialog(app, dialog, dialog.quantity_entry, "2")
    assert dialog.result.event_id == party.id
    assert panel.goods_progress.texts() == [("Cookie Gift Bag", "✓ 2/2 (100%)")]
    card = view.cards[party.id]
    assert card.goods_label.cget("text") == "Finished goods: 1/1"
    # 2 bags at $0.10 planned and used (the cookies came from stock, not this event's runs)
    assert card.cost_label.cget("text") == "Cost: $0.20 of $0.20 planned"
    assert panel.cost_panel.budget_label.cget("text") == "On budget"
    assert panel.cost_panel.budget_label.cget("text_color") == MUTED_TEXT


def test_choosers_order_targets_first_and_start_on_an_open_target() -> None:
    units = [
        SimpleNamespace(id=1, display_name="Almond Bar", recipe_id=10, recipe_name="Bars"),
        SimpleNamespace(id=2, display_name="Brownie", recipe_id=20, recipe_name="Brownies"),
        SimpleNamespace(id=3, display_name="Cookie", recipe_id=30, recipe_name="Cookies"),
    ]
    met = SimpleNamespace(
        recipe_id=20,
        produced_batches=2,
        target_batches=2,
        progress_pct=Decimal("100.0"),
        is_complete=True,
    )
    open_ = SimpleNamespace(
        recipe_id=30,
        produced_batches=1,
        target_batches=4,
        progress_pct=Decimal("25.0"),
        is_complete=False,
    )
    choices, initial = unit_choices(units, [met, open_])
    assert [name for _, name, _ in choices] == ["Brownie", "Cookie", "Almond Bar"]
    assert initial == 3
    assert choices[2][2] == "Recipe: Bars · not a target of this event"
    assert unit_choices(units, [])[1] is None
    goods = [SimpleNamespace(id=5, display_name="Tin", inventory_count=4)]
    assert good_choices(goods, []) == (
        [(5, "Tin", "In stock: 4 · not a target of this event")],
        None,
    )


# --- cost wording and the chart -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "planned", "text", "kind"),
    [
        ("45", "52", "Under budget: $7.00", "under"),  # scenario 60
        ("52", "45", "Over budget: +$7.00", "over"),
        ("3.20", "3.20", "On budget", "on"),
        ("0", "0", "On budget", "on"),
        ("0.001", "0", "On budget", "on"),  # less than a cent either way
    ],
)
def test_budget_wording(actual: str, planned: str, text: str, kind: str) -> None:
    assert budget_text(Decimal(actual) - Decimal(planned)) == (text, kind)


def test_signed_percent_keeps_the_services_two_places() -> None:
    assert signed_percent(Decimal("-13.46")) == "−13.46%"
    assert signed_percent(Decimal("100.00")) == "+100.00%"
    assert signed_percent(Decimal("0.00")) == "0.00%"


def test_the_chart_draws_cost_and_progress_bars_per_recipe_without_leaking(app: App) -> None:
    plan = season()
    sugar_cookie, _ = make_gift_bag()  # "Sugar Cookies" lists no ingredients: planned $0
    event_service.set_production_target(plan.christmas.id, sugar_cookie.recipe_id, 2)
    bps.record_batch_production(
        plan.cookie.recipe_id, plan.cookie.id, 2, 96, event_id=plan.christmas.id
    )
    view = home(app)
    view.select_event(plan.christmas.id)
    chart = view.panel.chart
    app.update()
    assert chart.canvas.winfo_ismapped()
    assert chart.bar_count() == 8  # 2 recipes × (planned, actual) + 2 × (target, produced)
    planned, actual = bar_widths(chart, "cost&&planned"), bar_widths(chart, "cost&&actual")
    assert planned[0] > 0 and planned[1] == actual[1] == 0  # "Sugar Cookies": nothing planned
    assert actual[0] / planned[0] == pytest.approx(3.2 / 4.8, abs=0.01)  # $3.20 of $4.80
    targets, produced = bar_widths(chart, "target"), bar_widths(chart, "produced")
    assert [width / targets[0] for width in targets + produced] == pytest.approx(
        [1, 2 / 3, 2 / 3, 0], abs=0.01
    )  # targets 3 and 2, produced 2 and 0, on one scale
    assert chart.texts("title") == ["Cost per recipe", "Batches produced of target"]
    assert chart.texts("name&&cost") == ["Chocolate Chip Cookies", "Sugar Cookies"]
    assert chart.texts("value&&cost") == ["$3.20", "$0.00"]
    assert chart.texts("value&&progress") == ["2/3", "0/2"]
    canvas, drawn = chart.canvas, chart.draw_count
    view.refresh()
    assert chart.draw_count == drawn  # nothing changed: the drawing stays
    for batches in (1, 1):
        bps.record_batch_production(
            sugar_cookie.recipe_id, sugar_cookie.id, batches, 48, event_id=plan.christmas.id
        )
        view.refresh()
    assert chart.draw_count == drawn + 2  # redrawn for each change
    assert chart.canvas is canvas and chart.bar_count() == 8  # cleared and reused
    targets, produced = bar_widths(chart, "target"), bar_widths(chart, "produced")
    assert produced[1] == pytest.approx(targets[1], abs=0.5)  # Sugar Cookies: 2 of 2
    assert chart.texts("value&&progress") == ["2/3", "2/2"]
    assert "matplotlib" not in sys.modules  # the chart is drawn by Tk alone


def test_an_event_without_production_targets_has_no_bars(app: App) -> None:
    _, good = make_gift_bag()
    party = event_service.create_event("Party", today() + timedelta(days=3))
    assign(party.id, good.id, ("Alice", 1))
    panel = home(app).panel
    assert panel.chart.bar_count() == 0 and panel.chart.texts("title") == []
    assert "No production targets yet" in panel.chart.texts("empty")[0]
    assert panel.breakdown_table.empty_state_shown


# --- drill-down ---------------------------------------------------------------------------------


def test_the_breakdown_drills_down_to_runs_and_their_lots(app: App) -> None:
    cookie = make_cookie(flour="3", sugar="5")  # one batch empties most of the first flour lot
    flour = cs.create_product(
        "flour", purchase_unit="cup", purchase_quantity=20, brand="King Arthur", package_size="5 lb"
    )
    inventory_service.add_to_inventory(
        flour.id, quantity=10, unit_cost="0.55", purchase_date="2024-02-01"
    )
    fair = event_service.create_event("Fair", today() + timedelta(days=9))
    event_service.set_production_target(fair.id, cookie.recipe_id, 2)
    first = bps.record_batch_production(cookie.recipe_id, cookie.id, 1, 48, event_id=fair.id)
    second = bps.record_batch_production(cookie.recipe_id, cookie.id, 1, 47, event_id=fair.id)
    bps.record_batch_production(cookie.recipe_id, cookie.id, 1, 48)  # standalone: not listed
    panel = home(app).panel
    table = panel.breakdown_table
    assert panel.drilldown_button.cget("state") == "disabled"
    table.select(str(cookie.recipe_id))
    assert panel.drilldown_button.cget("state") == "normal"
    table.activate()  # what a double-click or Enter on the row does
    dialog = panel.active_dialog
    assert isinstance(dialog, DrilldownDialog)
    assert dialog.title() == "Cost drill-down - Chocolate Chip Cookies · Fair"
    assert dialog.run_table.row_ids() == [
        str(second.production_run_id),
        str(first.production_run_id),
    ]
    # the newest run is chosen: 1 cup from the old lot, 1 cup from the new one
    assert dialog.lot_table.rows() == [
        (0, "Flour", ("", "", "2 cups", "", "$1.05")),
        (1, "", ("Flour (generic)", "2024-01-01", "1 cup", "$0.50/cup", "$0.50")),
        (1, "", ("King Arthur 5 lb", "2024-02-01", "1 cup", "$0.55/cup", "$0.55")),
        (0, "Sugar", ("", "", "1 cup", "", "$0.60")),
        (1, "", ("Sugar (generic)", "2024-01-01", "1 cup", "$0.60/cup", "$0.60")),
    ]
    dialog.run_table.select(str(first.production_run_id))
    assert dialog.lot_table.rows()[1] == (
        1,
        "",
        ("Flour (generic)", "2024-01-01", "2 cups", "$0.50/cup", "$1.00"),
    )
    assert f"run #{first.production_run_id}" in dialog.lots_title.cget("text")
    dialog.close_button.invoke()
    assert not dialog.winfo_exists()


def test_a_recipe_without_runs_drills_down_to_an_empty_list(app: App) -> None:
    plan = season()
    view = home(app)
    view.select_event(plan.christmas.id)
    panel = view.panel
    panel.breakdown_table.select(str(plan.cookie.recipe_id))
    panel.on_drilldown()
    dialog = panel.active_dialog
    assert dialog.run_table.empty_state_shown
    assert dialog.lot_table.rows() == []
    dialog.event_generate("<Escape>")
    app.update()
    assert not dialog.winfo_exists()


def test_open_event_opens_its_planning_window(app: App) -> None:
    plan = season()
    view = home(app)
    view.panel.on_open_event()
    window = view.panel.active_dialog
    assert window.event_id == plan.bake_sale.id
    window.close()
    app.update()
    assert view.selected_event_id == plan.bake_sale.id


def test_assembled_packaging_counts_in_the_actual_cost(app: App) -> None:
    """Actual includes the packaging of the event's assemblies (AC2), shown on the card."""
    _, good = make_gift_bag()
    party = event_service.create_event("Party", today() + timedelta(days=3))
    assign(party.id, good.id, ("Alice", 1))
    assembly_service.record_assembly(good.id, 3, event_id=party.id)
    view = home(app)
    assert view.cards[party.id].cost_label.cget("text") == "Cost: $0.30 of $0.00 planned"
    assert view.panel.cost_panel.budget_label.cget("text") == "Over budget: +$0.30"


def test_card_dates_use_the_one_short_form_and_counts_their_plurals() -> None:
    today = date(2026, 12, 5)
    assert date_line(date(2026, 12, 23), today) == "2026-12-23 · in 18 days"
    assert date_line(today, today) == f"{format_date(today)} · today"
    assert date_line(date(2026, 12, 4), today) == "2026-12-04 · yesterday"

    def cost(produced: int, required: int) -> RecipeCost:
        zero = Decimal(0)
        return RecipeCost(1, "Cookies", required, produced, zero, zero, zero, zero)

    assert batches_done_text(cost(1, 1)) == "1/1 batch"
    assert batches_done_text(cost(0, 2)) == "0/2 batches"


def test_the_cards_are_one_tab_stop_and_up_down_choose_the_event(app: App) -> None:
    # The cards took clicks only: without a mouse the other events could not be chosen.
    plan = season()
    for day in range(30, 42):  # more cards than the list shows: the chosen one scrolls in
        fair = event_service.create_event(f"Fair {day}", today() + timedelta(days=day))
        event_service.set_production_target(fair.id, plan.cookie.recipe_id, 1)
    view = home(app)
    view.refresh()
    app.update()
    first = view.cards[plan.bake_sale.id]
    view.past_check._text_label.focus_set()  # the control before the cards
    app.update()
    app.focus_get().event_generate("<Tab>")
    app.update()
    assert app.focus_get() is first._canvas  # Tab lands on the selected card
    assert first.focused and first.cget("border_color") == FOCUS_RING
    app.focus_get().event_generate("<Down>")
    app.update()
    assert view.selected_event_id == plan.christmas.id
    assert view.panel.title_label.cget("text") == "Christmas"
    assert app.focus_get() is view.cards[plan.christmas.id]._canvas
    assert not first.focused and first.cget("border_color") != FOCUS_RING
    for _ in range(20):  # past the last card: stays on it
        app.focus_get().event_generate("<Down>")
        app.update()
    last = list(view.cards.values())[-1]
    assert view.selected_event_id == last.event_id
    top, bottom = (f * view.card_list.winfo_height() for f in view.card_list.canvas.yview())
    assert top > 0  # scrolled down to it: all of the last card shows
    assert top <= last.winfo_y() and last.winfo_y() + last.winfo_height() <= bottom + 1
    app.focus_get().event_generate("<Up>")
    app.update()
    assert view.selected_event_id == list(view.cards)[-2]
    app.focus_get().event_generate("<Tab>")  # one stop: Tab leaves the list
    app.update()
    assert app.focus_get().master.cget("text") == "Record production…"
    view.select_event(plan.bake_sale.id)
    view.cards[plan.christmas.id].focus_card()
    app.update()
    app.focus_get().event_generate("<Return>")
    app.update()
    assert view.selected_event_id == plan.christmas.id  # Return selects the focused card
