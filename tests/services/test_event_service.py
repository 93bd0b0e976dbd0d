"""event_service: events, assignments and fulfillment, targets, progress and planning."""

from __future__ import annotations

import csv
from datetime import UTC, date
from decimal import Decimal as D

import pytest
from sqlalchemy import event as sa_event

from bake_tracker import db
from bake_tracker.models import (
    AssemblyRun,
    EventProductionTarget,
    EventRecipientPackage,
    ProductionRun,
)
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import dashboard_service, sample_data_service
from bake_tracker.services import event_service as es
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services.errors import (
    AssignmentNotFoundError,
    EventHasAssignmentsError,
    EventHasAttributedRunsError,
    EventNotFoundError,
    InUseError,
    InvalidTransitionError,
    RecipeNotFoundError,
    ValidationError,
)
from tests.services.conftest import count_rows

# --- events ---------------------------------------------------------------------------------------


def test_events_are_unique_per_year_and_pickers_list_upcoming_first(plan):
    with pytest.raises(
        ValidationError, match=r"(?i)already an event named 'Christmas 2025' in 2025"
    ):
        es.create_event("christmas 2025", "2025-12-24")
    es.create_event("Fair", "2024-08-01")
    labels = [e.name for e in es.list_events_for_picker(today=date(2025, 12, 1))]
    assert labels == ["Christmas 2025", "Easter 2026", "Fair"]
    assert es.get_event(plan["easter"].id).year == 2026
    assert es.get_available_years() == [2026, 2025, 2024]
    assert [e.name for e in es.list_events(year=2025)] == ["Christmas 2025"]


@pytest.mark.parametrize(
    ("name", "when", "message"),
    [
        ("", "2025-12-25", "Name is required"),
        ("X", "25/12/2025", "must be a date"),
        ("X", None, "required"),
    ],
)
def test_bad_events(engine, name, when, message):
    with pytest.raises(ValidationError, match=message):
        es.create_event(name, when)
    assert es.list_events() == []


def test_scenario_44_delete_with_cascade(plan):
    christmas = plan["christmas"].id
    es.set_production_target(christmas, plan["cookies"].id, 4)
    es.assign_package_to_recipient(christmas, plan["alice"].id, plan["deluxe"].id)
    with pytest.raises(EventHasAssignmentsError):
        es.delete_event(christmas)
    es.delete_event(christmas, cascade_assignments=True)
    with pytest.raises(EventNotFoundError):
        es.get_event(christmas)
    assert count_rows(EventRecipientPackage) == 0 and count_rows(EventProductionTarget) == 0


def test_scenario_45_events_with_runs_are_kept_and_so_is_the_link(plan):
    christmas = plan["christmas"].id
    run = bps.record_batch_production(
        plan["cookies"].id, plan["cookie"].id, 1, 48, event_id=christmas
    )
    bps.void_production_run(run.production_run_id, reason="even voided runs keep the link")
    with pytest.raises(EventHasAttributedRunsError) as excinfo:
        es.delete_event(christmas, cascade_assignments=True)
    assert (excinfo.value.production_runs, excinfo.value.assembly_runs) == (1, 0)
    assert "1 production and 0 assembly runs" in str(excinfo.value)
    assert bps.get_production_run(run.production_run_id).event_id == christmas
    assert count_rows(ProductionRun) == 1 and count_rows(AssemblyRun) == 0


def test_scenario_46_recipes_and_goods_with_targets_cannot_be_deleted(plan):
    es.set_production_target(plan["christmas"].id, plan["brownies"].id, 2)
    es.set_assembly_target(plan["christmas"].id, plan["gift"].id, 10)
    fus.delete_finished_unit(plan["brownie"].id)
    with pytest.raises(InUseError, match="1 event target;"):
        rs.delete_recipe(plan["brownies"].id)
    with pytest.raises(InUseError, match="1 event target;"):
        fgs.delete_finished_good(plan["gift"].id)


def test_clone_copies_assignments_with_fresh_statuses_and_targets(plan):
    christmas = plan["christmas"].id
    assignment = es.assign_package_to_recipient(
        christmas, plan["alice"].id, plan["deluxe"].id, quantity=2
    )
    es.update_fulfillment_status(assignment.id, "ready")
    es.set_production_target(christmas, plan["cookies"].id, 4, notes="extras")
    copy = es.clone_event(christmas, new_name="Christmas 2026", new_event_date="2026-12-25")
    assert (copy.name, copy.year) == ("Christmas 2026", 2026)
    (cloned,) = es.get_event_assignments(copy.id)
    assert (cloned.quantity, cloned.fulfillment_status, cloned.delivered_at) == (2, "pending", None)
    assert [
        (t.recipe_name, t.target_batches, t.notes) for t in es.get_production_targets(copy.id)
    ] == [("Chocolate Chip Cookies", 4, "extras")]


def test_update_event_and_summaries(plan):
    christmas = plan["christmas"].id
    es.assign_package_to_recipient(christmas, plan["alice"].id, plan["deluxe"].id)
    es.assign_package_to_recipient(christmas, plan["bob"].id, plan["deluxe"].id, quantity=2)
    moved = es.update_event(christmas, event_date="2025-12-24")
    assert (moved.event_date, moved.year) == (date(2025, 12, 24), 2025)
    row = next(r for r in es.list_event_summaries() if r.id == christmas)
    # a cookie is ($1.00 flour + $0.60 sugar) / 48 = $0.0333; a gift bag 12 × 0.0333 + $0.10 bag
    # = $0.4996; a deluxe box two of those = $0.9992; three boxes = $2.9976
    assert (row.recipient_count, row.package_count, row.estimated_cost) == (2, 3, D("2.9976"))


def _statements(call) -> int:
    """How many statements ``call`` sends (``before_cursor_execute``, as the benchmark counts)."""
    seen: list[str] = []
    engine = db.SessionLocal.kw["bind"]
    listener = lambda *a: seen.append(a[2])  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_event_lists_send_as_many_statements_for_many_events_and_packages(plan):
    """Summaries and an event's assignments read the packages' costs for all at once (the Events
    tab sent one set of cost queries per package), with the same costs as one at a time; the
    planning reads load goods, nested goods and recipes together too."""
    christmas, easter = plan["christmas"].id, plan["easter"].id
    es.assign_package_to_recipient(christmas, plan["alice"].id, plan["deluxe"].id)
    crate = fgs.create_finished_good("Crate")  # a nested good from the start: same levels later
    fgs.add_component(crate.id, "finished_good", plan["gift"].id, 3)
    crate_box = ps.create_package("Crate Box")
    ps.add_finished_good_to_package(crate_box.id, crate.id, 1)
    es.assign_package_to_recipient(christmas, plan["bob"].id, crate_box.id)

    def counts() -> tuple[int, ...]:
        return (
            _statements(es.list_event_summaries),
            _statements(lambda: es.get_event_assignments(christmas)),
            _statements(lambda: es.get_recipe_needs(christmas)),
            _statements(lambda: es.suggest_production_targets(christmas)),
        )

    first = counts()
    brownie_box = fgs.create_finished_good("Brownie Box", assembly_type="gift_box")
    fgs.add_component(brownie_box.id, "finished_unit", plan["brownie"].id, 6)
    fgs.add_component(brownie_box.id, "packaging", plan["bags"].id, 2)
    packages = [plan["deluxe"].id, crate_box.id]
    for number in range(1, 5):  # four more packages of different goods, on more events
        package = ps.create_package(f"Box {number}")
        ps.add_finished_good_to_package(package.id, brownie_box.id, number)
        ps.add_finished_good_to_package(package.id, plan["gift"].id, 1)
        packages.append(package.id)
    fair = es.create_event("Fair", "2024-08-01").id
    for number, package in enumerate(packages):
        who = rcs.create_recipient(f"Friend {number}").id
        for event in (christmas, easter, fair):
            es.assign_package_to_recipient(event, who, package, quantity=number + 1)
    assert counts() == first

    cost = {p.id: p.estimated_cost for p in ps.list_packages()}
    assert len(set(cost.values())) == len(packages)  # all different, so a mix-up would show
    assigned = es.get_event_assignments(christmas)
    assert len(assigned) == 2 + len(packages)
    for a in assigned:
        assert a.estimated_cost == cost[a.package_id] * a.quantity
        alone = es.update_assignment(a.id)  # one assignment's DTO costs its package alone
        assert alone.estimated_cost == a.estimated_cost and alone.covered == a.covered
    totals = {r.id: r.estimated_cost for r in es.list_event_summaries()}
    assert totals[christmas] == sum(a.estimated_cost for a in assigned)
    assert totals[easter] == sum(cost[p] * (n + 1) for n, p in enumerate(packages))
    # cookies: Alice 24, Bob 36 (a crate of three bags), friends 24 + 2 × 36 + 12 × (3 + 4 + 5 + 6);
    # brownies: Box k (k brownie boxes of 6) given k + 2 times
    needs = es.get_recipe_needs(christmas)
    assert [(n.recipe_name, n.total_units_needed) for n in needs] == [
        ("Brownies", 6 * (1 * 3 + 2 * 4 + 3 * 5 + 4 * 6)),
        ("Chocolate Chip Cookies", 24 + 36 + 24 + 72 + 12 * 18),
    ]


# --- assignments and fulfillment ------------------------------------------------------------------


def test_scenarios_47_to_49_one_step_at_a_time(plan):
    a = es.assign_package_to_recipient(plan["christmas"].id, plan["alice"].id, plan["deluxe"].id)
    assert (a.fulfillment_status, a.next_status, a.covered) == ("pending", "ready", False)
    with pytest.raises(InvalidTransitionError) as excinfo:
        es.update_fulfillment_status(a.id, "delivered")
    assert str(excinfo.value) == "Invalid transition: pending -> delivered. Allowed: ['ready']"
    assert isinstance(excinfo.value, ValueError)
    ready = es.update_fulfillment_status(a.id, "ready")  # allowed although no stock covers it
    assert (ready.fulfillment_status, ready.covered) == ("ready", False)
    with pytest.raises(InvalidTransitionError, match=r"ready -> pending. Allowed: \['delivered'\]"):
        es.update_fulfillment_status(a.id, "pending")
    done = es.update_fulfillment_status(a.id, "DELIVERED", delivered_to="Left with neighbor")
    assert (done.fulfillment_status, done.delivered_to) == ("delivered", "Left with neighbor")
    assert done.delivered_at is not None and done.delivered_at.tzinfo is UTC
    for status in ("pending", "ready", "delivered"):
        with pytest.raises(InvalidTransitionError, match=r"Allowed: \[\]"):
            es.update_fulfillment_status(a.id, status)
    with pytest.raises(AssignmentNotFoundError):
        es.update_fulfillment_status(999, "ready")


def test_covered_reflects_finished_goods_in_stock(plan):
    fgs.adjust_inventory(plan["gift"].id, 4, reason="count_correction", unit_cost="3")
    a = es.assign_package_to_recipient(
        plan["christmas"].id, plan["alice"].id, plan["deluxe"].id, quantity=2
    )
    assert a.covered  # 2 boxes × 2 bags = 4 in stock
    b = es.assign_package_to_recipient(
        plan["christmas"].id, plan["bob"].id, plan["deluxe"].id, quantity=3
    )
    assert not b.covered


def test_scenario_50_by_status(plan):
    christmas = plan["christmas"].id
    carol = rcs.create_recipient("Carol")
    ids = [
        es.assign_package_to_recipient(christmas, r.id, plan["deluxe"].id).id
        for r in (plan["alice"], plan["bob"], carol)
    ]
    es.update_fulfillment_status(ids[0], "ready")
    es.update_fulfillment_status(ids[2], "ready")
    ready = es.get_packages_by_status(christmas, "ready")
    assert [a.recipient_name for a in ready] == ["Alice Johnson", "Carol"]
    assert [a.package_name for a in ready] == ["Deluxe Box", "Deluxe Box"]
    assert len(es.get_packages_by_status(christmas)) == 3
    with pytest.raises(ValidationError, match="Status must be one of"):
        es.get_packages_by_status(christmas, "lost")


def test_bad_assignments(plan):
    christmas = plan["christmas"].id
    es.assign_package_to_recipient(christmas, plan["alice"].id, plan["deluxe"].id)
    with pytest.raises(ValidationError, match="already gets 'Deluxe Box'"):
        es.assign_package_to_recipient(christmas, plan["alice"].id, plan["deluxe"].id)
    with pytest.raises(ValidationError, match="too small"):
        es.assign_package_to_recipient(christmas, plan["bob"].id, plan["deluxe"].id, quantity=0)
    assert count_rows(EventRecipientPackage) == 1


# --- targets and progress -------------------------------------------------------------------------


def test_scenarios_36_37_upsert_keeps_notes(plan):
    christmas, cookies = plan["christmas"].id, plan["cookies"].id
    es.set_production_target(christmas, cookies, 4, notes="Need extras for neighbors")
    updated = es.set_production_target(christmas, cookies, 6)
    assert (updated.target_batches, updated.notes) == (6, "Need extras for neighbors")
    assert es.set_production_target(christmas, cookies, 6, notes=None).notes is None
    assert count_rows(EventProductionTarget) == 1
    for bad in (0, -1, "x"):
        with pytest.raises(ValueError):
            es.set_production_target(christmas, plan["brownies"].id, bad)
    with pytest.raises(ValidationError, match="target_batches must be positive"):
        es.set_production_target(christmas, plan["brownies"].id, 0)
    with pytest.raises(ValidationError, match="target_quantity must be positive"):
        es.set_assembly_target(christmas, plan["gift"].id, 0)
    with pytest.raises(RecipeNotFoundError):
        es.set_production_target(christmas, 999, 1)
    assert count_rows(EventProductionTarget) == 1


def test_scenarios_38_39_progress_counts_only_this_events_live_runs(plan):
    christmas, easter = plan["christmas"].id, plan["easter"].id
    cookies, cookie = plan["cookies"].id, plan["cookie"].id
    es.set_production_target(christmas, cookies, 4)
    (row,) = es.get_production_progress(christmas)
    assert (row.produced_batches, row.progress_pct, row.is_complete) == (0, D("0.0"), False)
    bps.record_batch_production(cookies, cookie, 2, 96, event_id=christmas)
    bps.record_batch_production(cookies, cookie, 3, 144, event_id=easter)
    bps.record_batch_production(cookies, cookie, 10, 480)
    voided = bps.record_batch_production(cookies, cookie, 1, 48, event_id=christmas)
    bps.void_production_run(voided.production_run_id, reason="mistake")
    (row,) = es.get_production_progress(christmas)
    assert (row.produced_batches, row.produced_yield, row.progress_pct) == (2, 96, D("50.0"))
    bps.record_batch_production(cookies, cookie, 3, 144, event_id=christmas)
    (row,) = es.get_production_progress(christmas)
    assert (row.produced_batches, row.progress_pct, row.is_complete) == (5, D("125.0"), True)


def test_scenario_40_assembly_progress(plan):
    christmas, easter, gift = plan["christmas"].id, plan["easter"].id, plan["gift"].id
    fus.adjust_inventory(plan["cookie"].id, 480, reason="count_correction", unit_cost="0.03")
    inv.add_to_inventory(plan["bags"].id, quantity=30, unit_cost="0.1", purchase_date="2025-01-02")
    es.set_assembly_target(christmas, gift, 20)
    asv.record_assembly(gift, 5, event_id=christmas)
    asv.record_assembly(gift, 10, event_id=easter)
    asv.record_assembly(gift, 15)
    (row,) = es.get_assembly_progress(christmas)
    assert (row.assembled_quantity, row.progress_pct, row.is_complete) == (5, D("25.0"), False)


def test_scenarios_41_42_overall_progress(plan):
    christmas = plan["christmas"].id
    empty = es.get_event_overall_progress(christmas)
    assert (empty.production_targets_count, empty.production_complete, empty.assembly_complete) == (
        0,
        True,
        True,
    )
    assert es.get_production_progress(christmas) == []
    es.set_production_target(christmas, plan["cookies"].id, 4)
    es.set_production_target(christmas, plan["brownies"].id, 2)
    bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 4, 192, event_id=christmas)
    bps.record_batch_production(plan["brownies"].id, plan["brownie"].id, 1, 16, event_id=christmas)
    es.set_assembly_target(christmas, plan["gift"].id, 10)
    asv.record_assembly(plan["gift"].id, 10, event_id=christmas)
    steps = {"pending": (), "ready": ("ready",), "delivered": ("ready", "delivered")}
    for n, status in enumerate(["pending", "pending", "pending", "ready", "delivered"]):
        person = rcs.create_recipient(f"Person {n}")
        a = es.assign_package_to_recipient(christmas, person.id, plan["deluxe"].id, quantity=n + 1)
        for step in steps[status]:
            es.update_fulfillment_status(a.id, step)
    overall = es.get_event_overall_progress(christmas)
    assert (overall.production_targets_count, overall.production_complete_count) == (2, 1)
    assert overall.production_complete is False
    assert (
        overall.assembly_targets_count,
        overall.assembly_complete_count,
        overall.assembly_complete,
    ) == (1, 1, True)
    assert (
        overall.assignments_pending,
        overall.assignments_ready,
        overall.assignments_delivered,
    ) == (3, 1, 1)
    assert overall.assignments_total == 5
    assert (overall.packages_pending, overall.packages_ready, overall.packages_delivered) == (
        6,
        4,
        5,
    )
    assert overall.packages_total == 15


def test_scenario_43_delete_targets(plan):
    christmas = plan["christmas"].id
    es.set_production_target(christmas, plan["cookies"].id, 4)
    assert es.delete_production_target(christmas, plan["cookies"].id) is True
    assert es.delete_production_target(christmas, plan["cookies"].id) is False
    es.set_assembly_target(christmas, plan["gift"].id, 3)
    assert es.delete_assembly_target(christmas, plan["gift"].id) is True
    assert es.get_assembly_targets(christmas) == []


# --- planning -------------------------------------------------------------------------------------


def test_scenario_62_needs_from_the_gift_list(plan):
    christmas = plan["christmas"].id
    es.assign_package_to_recipient(christmas, plan["alice"].id, plan["deluxe"].id)
    es.assign_package_to_recipient(christmas, plan["bob"].id, plan["deluxe"].id, quantity=2)
    (need,) = es.get_recipe_needs(christmas)
    assert (need.recipe_name, need.total_units_needed, need.batches_needed) == (
        "Chocolate Chip Cookies",
        72,
        2,
    )
    (suggestion,) = es.suggest_production_targets(christmas)
    assert (suggestion.batches_needed, suggestion.current_target) == (2, None)
    es.set_production_target(christmas, plan["cookies"].id, suggestion.batches_needed)
    assert es.suggest_production_targets(christmas)[0].current_target == 2


def test_suggestions_with_nested_goods_and_portions_match_a_hand_table(plan):
    """Hand-computed:
    Hamper = 1 Deluxe-style crate (2 × Cookie Gift Bag) + 1 Cake Slice (¼ of a batch) + 4 Brownies.
    Carol gets 3 hampers: cookies 3 × 2 × 12 = 72 → 1.5 batches → 2; brownies 12 → 0.75 → 1;
    cake slices 3 × 25 % → 0.75 batch → 1.
    """
    christmas = plan["christmas"].id
    cake = rs.create_recipe(
        "Layer Cake",
        category="Cakes",
        yield_quantity=1,
        yield_unit="cake",
        ingredients=[("flour", 3, "cup")],
    )
    slice_ = fus.create_finished_unit(
        "Cake Slice", cake.id, yield_mode="batch_portion", batch_percentage=25
    )
    crate = fgs.create_finished_good("Crate")
    fgs.add_component(crate.id, "finished_good", plan["gift"].id, 2)
    hamper = fgs.create_finished_good("Hamper")
    fgs.add_component(hamper.id, "finished_good", crate.id, 1)
    fgs.add_component(hamper.id, "finished_unit", slice_.id, 1)
    fgs.add_component(hamper.id, "finished_unit", plan["brownie"].id, 4)
    box = ps.create_package("Hamper Box")
    ps.add_finished_good_to_package(box.id, hamper.id, 1)
    carol = rcs.create_recipient("Carol")
    es.assign_package_to_recipient(christmas, carol.id, box.id, quantity=3)
    table = {(s.recipe_name, s.batches_needed) for s in es.suggest_production_targets(christmas)}
    assert table == {("Chocolate Chip Cookies", 2), ("Brownies", 1), ("Layer Cake", 1)}
    units = {n.finished_unit_name: n.total_units_needed for n in es.get_recipe_needs(christmas)}
    assert units == {"Chocolate Chip Cookie": 72, "Brownie": 12, "Cake Slice": 3}


def test_shopping_list_is_the_net_shortfall_of_what_is_left_to_make(plan, tmp_path):
    christmas = plan["christmas"].id
    es.set_production_target(christmas, plan["cookies"].id, 60)  # 120 cup flour, 60 cup sugar
    bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 10, 480, event_id=christmas)
    # left to make: 50 batches → flour 100 (on hand 80), sugar 50 (on hand 40)
    es.set_assembly_target(christmas, plan["gift"].id, 30)  # 30 bags, 10 on hand
    shopping = es.get_shopping_list(christmas)
    flour, sugar = shopping.items
    assert (flour.quantity_needed, flour.quantity_on_hand, flour.shortfall) == (
        D(100),
        D(80),
        D(20),
    )
    assert (flour.product_status, flour.packages_to_buy) == ("preferred", 1)  # 20-cup bags
    assert (sugar.shortfall, sugar.packages_to_buy) == (D(10), 1)
    (bags,) = shopping.packaging
    assert (bags.quantity_needed, bags.shortfall, bags.packages_to_buy) == (D(30), D(20), 1)
    assert bags.estimated_cost == D("10.0000")  # one box of 100 at $0.10
    assert flour.estimated_cost is None  # lots were added without a purchase: no price to go on
    assert shopping.total_estimated_cost == D(10)
    path = es.export_shopping_list_csv(christmas, tmp_path / "shopping.csv")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["Section", "Ingredient", "Needed"]
    assert rows[-1][0] == "Total" and len(rows) == 5


def test_shopping_list_says_sufficient_and_neutralises_formulas(plan, tmp_path):
    christmas = plan["christmas"].id
    cs.update_ingredient("flour", display_name="=HYPERLINK(evil)")
    es.set_production_target(christmas, plan["cookies"].id, 1)
    shopping = es.get_shopping_list(christmas)
    assert {i.product_status for i in shopping.items} == {"sufficient"}
    path = es.export_shopping_list_csv(christmas, tmp_path / "s.csv")
    assert "'=HYPERLINK(evil)" in path.read_text(encoding="utf-8-sig")


def test_target_checks_for_the_over_production_warning(plan):
    christmas = plan["christmas"].id
    assert es.check_production_target(christmas, plan["cookies"].id, 1) is None
    es.set_production_target(christmas, plan["cookies"].id, 4)
    bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 3, 144, event_id=christmas)
    within = es.check_production_target(christmas, plan["cookies"].id, 1)
    assert (within.done, within.after, within.after_pct, within.exceeds) == (
        3,
        4,
        D("100.0"),
        False,
    )
    over = es.check_production_target(christmas, plan["cookies"].id, 2)
    assert (over.after, over.after_pct, over.exceeds) == (5, D("125.0"), True)
    es.set_assembly_target(christmas, plan["gift"].id, 1)
    assert es.check_assembly_target(christmas, plan["gift"].id, 2).exceeds


def test_accepting_several_targets_is_all_or_nothing(plan):
    christmas = plan["christmas"].id
    with pytest.raises(ValidationError):
        es.set_production_targets(christmas, {plan["cookies"].id: 2, plan["brownies"].id: 0})
    assert es.get_production_targets(christmas) == []
    made = es.set_production_targets(christmas, {plan["cookies"].id: 2, plan["brownies"].id: 1})
    assert [(t.recipe_name, t.target_batches) for t in made] == [
        ("Chocolate Chip Cookies", 2),
        ("Brownies", 1),
    ]


def test_csv_export_to_an_unwritable_place_is_a_clear_error(plan, tmp_path):
    from bake_tracker.services.errors import ExportError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="Could not write"):
        es.export_shopping_list_csv(plan["christmas"].id, blocker / "list.csv")


# --- reliability fixes (008 T8): years the calendar and the table accept, ids, filters ------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: es.create_event("Old Times", "1899-12-31"), "years 1900 to 9999"),
        (lambda p: es.create_event("Far", "2025-01-01", year=10_000), "between 1900 and 9999"),
        (lambda p: es.create_event("Far", "2025-01-01", year=1899), "between 1900 and 9999"),
        (
            lambda p: es.clone_event(
                p["christmas"].id, new_name="Ancient", new_event_date=date(77, 5, 22)
            ),
            "years 1900 to 9999",
        ),
        (lambda p: es.update_event(p["easter"].id, event_date="1850-04-01"), "not 1850"),
        (lambda p: es.update_event(p["easter"].id, year=12_345), "between 1900 and 9999"),
    ],
)
def test_event_years_outside_1900_to_9999_are_refused_clearly(plan, call, message):
    before = [(e.name, e.event_date, e.year) for e in es.list_events()]
    with pytest.raises(ValidationError, match=message):
        call(plan)
    assert [(e.name, e.event_date, e.year) for e in es.list_events()] == before


def test_events_at_the_ends_of_the_calendar_are_fine(engine):
    assert es.create_event("First", "1900-01-01").year == 1900
    last = es.create_event("Last", "9999-12-31")
    assert es.clone_event(last.id, new_name="Last again", new_event_date="9999-06-01").year == 9999


@pytest.mark.parametrize("year", [10**20, D("sNaN"), D("NaN"), "abc", 1899, 10_000, 2.5])
def test_year_filters_out_of_range_or_not_a_number_are_refused(plan, year):
    with pytest.raises(ValidationError, match="Year"):
        es.list_events(year=year)
    with pytest.raises(ValidationError, match="Year"):
        es.list_event_summaries(year=year)


def test_year_filters_accept_a_number_as_text(plan):
    assert [e.name for e in es.list_events(year="2025")] == ["Christmas 2025"]
    assert [e.name for e in es.list_event_summaries(year=D(2026))] == ["Easter 2026"]


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**64, -(2**63) - 1])
def test_ids_beyond_64_bits_are_simply_not_found(plan, huge):
    with pytest.raises(EventNotFoundError):
        es.get_event(huge)
    with pytest.raises(AssignmentNotFoundError):
        es.update_fulfillment_status(huge, "ready")
    with pytest.raises(EventNotFoundError):
        es.get_production_progress(huge)
    es.set_production_target(plan["christmas"].id, plan["cookies"].id, 2)
    assert es.delete_production_target(huge, plan["cookies"].id) is False
    assert es.delete_production_target(plan["christmas"].id, huge) is False
    assert es.delete_assembly_target(plan["christmas"].id, huge) is False
    assert len(es.get_production_targets(plan["christmas"].id)) == 1


def test_summary_rows_carry_the_dashboards_planned_cost_apart_from_the_packages_cost(
    engine,
) -> None:
    """One figure per fact: each row's planned cost is the dashboard's (targets at today's
    prices); the cost of the packages assigned is another fact and may differ."""
    sample_data_service.load_sample_data()
    empty = es.create_event("Nothing planned", "2026-05-01").id
    rows = {r.id: r for r in es.list_event_summaries()}
    assert rows[empty].planned_cost == 0 and rows[empty].estimated_cost == 0
    for row in rows.values():
        if row.id != empty:
            assert row.planned_cost == dashboard_service.get_event_summary(row.id).planned_cost
            assert row.planned_cost > 0
    assert any(r.planned_cost != r.estimated_cost for r in rows.values() if r.id != empty)


def test_progress_of_an_event_without_targets_is_empty_and_of_no_event_is_refused(plan):
    # The progress reads ask whether the event exists only when it has no target: both answers.
    easter = plan["easter"].id
    assert es.get_production_progress(easter) == []
    assert es.get_assembly_progress(easter) == []
    assert es.get_event_overall_progress(easter).production_targets_count == 0
    for read in (es.get_production_progress, es.get_assembly_progress):
        with pytest.raises(EventNotFoundError):
            read(99_999)
    with pytest.raises(EventNotFoundError):
        es.get_event_overall_progress(99_999)
