"""Finished units, finished goods, packages and recipients through their services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from bake_tracker import db
from bake_tracker.models import AdjustmentDraw, Composition, FinishedUnitLot, StockAdjustment
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services.errors import (
    FinishedGoodNotFoundError,
    FinishedUnitNotFoundError,
    InUseError,
    RecipeNotFoundError,
    RecipientNotFoundError,
    ValidationError,
)
from tests.factories import make_assignment


def _rows(model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def bag(engine):
    """F-BAG: 100 sugar cookies at $0.25 (an adjustment lot), bags at $0.10, the gift bag."""
    flour = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    product = cs.create_product(
        flour.slug, purchase_unit="cup", purchase_quantity=20, preferred=True
    )
    inv.record_purchase(product.id, quantity=20, total_cost="12", purchase_date="2025-01-01")
    recipe = rs.create_recipe(
        "Sugar Cookies",
        category="Cookies",
        yield_quantity=48,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup")],
    )
    cookie = fus.create_finished_unit("Sugar Cookie", recipe.id, items_per_batch=48)
    fus.adjust_inventory(cookie.id, 100, reason="count_correction", unit_cost="0.25")
    bags = cs.create_ingredient(
        "Cellophane Bags", category="Bags", recipe_unit="bag", is_packaging=True
    )
    bag_product = cs.create_product(bags.slug, purchase_unit="bag", purchase_quantity=100)
    inv.add_to_inventory(bag_product.id, quantity=50, unit_cost="0.10", purchase_date="2025-01-01")
    gift = fgs.create_finished_good("Cookie Gift Bag", assembly_type="gift_box")
    fgs.add_component(gift.id, "finished_unit", cookie.id, 12)
    fgs.add_component(gift.id, "packaging", bag_product.id, 1)
    return {
        "recipe": recipe,
        "cookie": cookie,
        "bag_product": bag_product,
        "gift": gift,
        "flour": product,
    }


# --- finished units -------------------------------------------------------------------------------


def test_finished_unit_costs_and_yields(bag):
    cookie = fus.get_finished_unit(bag["cookie"].id)
    assert (cookie.slug, cookie.inventory_count, cookie.unit_cost) == (
        "sugar_cookie",
        100,
        D("0.25"),
    )
    assert cookie.estimated_cost == D("0.0250")  # 2 cup × $0.60 = $1.20 per batch of 48
    cake = fus.create_finished_unit(
        "Layer Cake", bag["recipe"].id, yield_mode="batch_portion", batch_percentage="33.33"
    )
    assert cake.estimated_cost == D("0.4000")  # 1.20 × 33.33 %
    with db.session_scope() as s:
        unit = fus.load_finished_unit(s, cake.id)
        assert fus.expected_yield(unit, 1) == 3  # floor(100 / 33.33)
        assert fus.expected_yield(fus.load_finished_unit(s, cookie.id), 2) == 96


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Items per batch is required"),
        ({"items_per_batch": 0}, "too small"),
        ({"yield_mode": "batch_portion"}, "Batch percentage is required"),
        ({"yield_mode": "batch_portion", "batch_percentage": "150"}, "more than 100"),
        ({"yield_mode": "slices", "items_per_batch": 8}, "Yield mode must be one of"),
        ({"items_per_batch": "2.5"}, "whole number"),
    ],
)
def test_bad_finished_units_are_refused(bag, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        fus.create_finished_unit("Bad", bag["recipe"].id, **kwargs)
    assert len(fus.list_finished_units()) == 1


def test_unknown_ids(bag):
    with pytest.raises(RecipeNotFoundError):
        fus.create_finished_unit("Orphan", 999, items_per_batch=1)
    with pytest.raises(FinishedUnitNotFoundError):
        fus.get_finished_unit(999)
    with pytest.raises(FinishedGoodNotFoundError):
        fgs.get_finished_good(999)


def test_stock_is_never_set_directly(bag):
    with pytest.raises(ValidationError, match="cannot be set directly"):
        fus.update_finished_unit(bag["cookie"].id, inventory_count=5)
    with pytest.raises(ValidationError, match="cannot be set directly"):
        fgs.update_finished_good(bag["gift"].id, inventory_count=5)
    renamed = fus.update_finished_unit(bag["cookie"].id, display_name="Iced Sugar Cookie")
    assert (renamed.display_name, renamed.slug, renamed.inventory_count) == (
        "Iced Sugar Cookie",
        "sugar_cookie",
        100,
    )


def test_adjustments_draw_lots_fifo_and_their_costs_add_up(bag):
    cookie = bag["cookie"].id
    fus.adjust_inventory(cookie, 3, reason="count_correction", unit_cost="0.3333")  # total 0.9999
    fus.adjust_inventory(cookie, -100, reason="gift")  # empties the first lot exactly
    assert fus.get_finished_unit(cookie).unit_cost == D("0.3333")
    for _ in range(3):
        fus.adjust_inventory(cookie, -1, reason="other")
    with db.session_scope() as s:
        costs = s.scalars(select(AdjustmentDraw.cost).order_by(AdjustmentDraw.id)).all()
        lots = s.scalars(select(FinishedUnitLot).order_by(FinishedUnitLot.id)).all()
        assert [lot.quantity_remaining for lot in lots] == [0, 0]
        assert [lot.remaining_cost for lot in lots] == [0, 0]
    assert costs == [D("25.0000"), D("0.3333"), D("0.3333"), D("0.3333")]
    assert sum(costs[1:]) == D("0.9999")
    assert fus.get_finished_unit(cookie).inventory_count == 0


def test_rule_5_the_last_draw_takes_what_is_left(bag):
    cookie = bag["cookie"].id
    fus.adjust_inventory(cookie, -100, reason="gift")
    fus.adjust_inventory(cookie, 3, reason="count_correction", unit_cost="0.3334")  # total 1.0002
    fus.adjust_inventory(cookie, -1, reason="other")
    fus.adjust_inventory(cookie, -2, reason="other")
    with db.session_scope() as s:
        costs = s.scalars(select(AdjustmentDraw.cost).order_by(AdjustmentDraw.id)).all()
    assert costs[1:] == [D("0.3334"), D("0.6668")]


@pytest.mark.parametrize(
    ("delta", "extra", "message"),
    [
        ("-101", {}, "Only 100 of 'Sugar Cookie' in stock"),
        ("0", {}, "must not be 0"),
        ("5", {}, "Unit cost is required"),
        ("1.5", {"unit_cost": 1}, "whole number"),
        ("-1", {"reason": "eaten"}, "Reason must be one of"),
    ],
)
def test_bad_adjustments_change_nothing(bag, delta, extra, message):
    before = _rows(StockAdjustment)
    with pytest.raises(ValidationError, match=message):
        fus.adjust_inventory(bag["cookie"].id, delta, **({"reason": "gift"} | extra))
    assert _rows(StockAdjustment) == before
    assert fus.get_finished_unit(bag["cookie"].id).inventory_count == 100


def test_finished_unit_in_use_cannot_be_deleted(bag):
    with pytest.raises(InUseError, match="1 finished good,"):
        fus.delete_finished_unit(bag["cookie"].id)
    spare = fus.create_finished_unit("Spare", bag["recipe"].id, items_per_batch=10)
    fus.delete_finished_unit(spare.id)
    refusal = rs.check_delete_recipe(bag["recipe"].id)
    with pytest.raises(InUseError, match="1 finished unit;") as raised:
        rs.delete_recipe(bag["recipe"].id)
    assert refusal == str(raised.value)  # the check says what the delete would
    assert fus.check_delete_finished_unit(bag["cookie"].id).startswith("'Sugar Cookie' is used by")
    assert fgs.check_delete_finished_good(bag["gift"].id) is None
    assert ps.check_delete_package(ps.create_package("Empty").id) is None


# --- finished goods -------------------------------------------------------------------------------


def test_gift_bag_estimate_and_what_can_be_made(bag):
    detail = fgs.get_finished_good_detail(bag["gift"].id)
    assert detail.finished_good.estimated_cost == D("3.1000")  # 12 × 0.25 + 1 × 0.10
    assert detail.finished_good.unit_cost == 0  # none assembled yet
    assert detail.can_assemble_now == 8  # 100 cookies / 12
    assert [(c.component_type, c.quantity, c.unit, c.line_cost) for c in detail.components] == [
        ("finished_unit", D(12), "each", D("3.0000")),
        ("packaging", D(1), "bag", D("0.1000")),
    ]


def test_what_can_be_made_reads_every_packaging_total_at_once(bag):
    """Two packaging rows of other ingredients: one stock-total read for both, each row
    counting all its ingredient has (as ``get_on_hand`` says)."""
    tags = cs.create_ingredient("Gift Tags", category="Bags", recipe_unit="each", is_packaging=True)
    tag_product = cs.create_product(tags.slug, purchase_unit="each", purchase_quantity=10)
    inv.add_to_inventory(tag_product.id, quantity=15, unit_cost="0.05", purchase_date="2025-01-01")
    fgs.add_component(bag["gift"].id, "packaging", tag_product.id, 2)
    with counted() as statements:
        detail = fgs.get_finished_good_detail(bag["gift"].id)
    assert detail.can_assemble_now == 7  # 15 tags / 2 (cookies allow 8, bags 50)
    assert len([s for s in statements if "product_stock_totals" in s]) == 1
    assert inv.get_on_hand(tags.slug) == D(15)


def test_components_are_checked(bag):
    gift = bag["gift"].id
    with pytest.raises(ValidationError, match="not packaging: its ingredient 'Flour'"):
        fgs.add_component(gift, "packaging", bag["flour"].id, 1)
    with pytest.raises(ValidationError, match="whole number"):
        fgs.add_component(gift, "finished_unit", bag["cookie"].id, "1.5")
    with pytest.raises(ValidationError, match="already part of"):
        fgs.add_component(gift, "finished_unit", bag["cookie"].id, 2)
    with pytest.raises(ValidationError, match="Component type must be one of"):
        fgs.add_component(gift, "box", 1, 1)
    assert _rows(Composition) == 2


def test_nested_goods_never_form_a_circle(bag):
    box = fgs.create_finished_good("Holiday Box")
    fgs.add_component(box.id, "finished_good", bag["gift"].id, 2)
    crate = fgs.create_finished_good("Crate")
    fgs.add_component(crate.id, "finished_good", box.id, 3)
    with pytest.raises(ValidationError, match="'Crate' already contains 'Cookie Gift Bag'"):
        fgs.add_component(bag["gift"].id, "finished_good", crate.id, 1)
    with pytest.raises(ValidationError, match="cannot contain itself"):
        fgs.add_component(box.id, "finished_good", box.id, 1)
    assert fgs.get_finished_good(crate.id).estimated_cost == D("18.6000")  # 3 × 2 × 3.10


def test_component_rows_can_change_and_go(bag):
    detail = fgs.get_finished_good_detail(bag["gift"].id)
    row = detail.components[0]
    assert fgs.update_component_quantity(row.id, 6).quantity == 6
    assert fgs.remove_component(row.id) is True
    assert fgs.remove_component(row.id) is False
    assert fgs.get_finished_good(bag["gift"].id).estimated_cost == D("0.1000")


def test_finished_good_stock_adjustments(bag):
    gift = fgs.adjust_inventory(bag["gift"].id, 4, reason="count_correction", unit_cost="3.10")
    assert (gift.inventory_count, gift.unit_cost) == (4, D("3.10"))
    assert fgs.adjust_inventory(bag["gift"].id, -1, reason="gift").inventory_count == 3


# --- packages -------------------------------------------------------------------------------------


def test_package_contents_cost_and_unique_name(bag):
    box = ps.create_package("Deluxe Box", description="The big one")
    ps.add_finished_good_to_package(box.id, bag["gift"].id, 2)
    ps.add_packaging_to_package(box.id, bag["bag_product"].id, 1)
    detail = ps.get_package_detail(box.id)
    assert detail.package.estimated_cost == D("6.3000")  # 2 × 3.10 + 0.10
    assert [(i.finished_good_name, i.quantity, i.line_cost) for i in detail.items] == [
        ("Cookie Gift Bag", 2, D("6.2000"))
    ]
    with pytest.raises(ValidationError, match="already exists"):
        ps.create_package("deluxe box")
    with pytest.raises(ValidationError, match="already in"):
        ps.add_finished_good_to_package(box.id, bag["gift"].id)
    with pytest.raises(ValidationError, match="too small"):
        ps.add_finished_good_to_package(box.id, bag["gift"].id, 0)
    with pytest.raises(InUseError, match="1 package;"):
        fgs.delete_finished_good(bag["gift"].id)


def test_assigned_packages_and_recipients_are_protected(bag, session):
    box = ps.create_package("Deluxe Box")
    alice = rcs.create_recipient("Alice Johnson", household_name="Johnson family")
    make_assignment(session, package_id=box.id, recipient_id=alice.id)
    session.commit()
    with pytest.raises(InUseError, match="assigned to recipients 1 time"):
        ps.delete_package(box.id)
    with pytest.raises(InUseError, match="1 package assignment"):
        rcs.delete_recipient(alice.id)
    assert rcs.get_recipient(alice.id).assignment_count == 1
    rcs.delete_recipient(alice.id, force=True)
    with pytest.raises(RecipientNotFoundError):
        rcs.get_recipient(alice.id)
    ps.delete_package(box.id)
    assert ps.list_packages() == []


def test_recipients_search_and_unique_names(engine):
    rcs.create_recipient("Alice Johnson", household_name="Johnsons", address="1 Elm St")
    rcs.create_recipient("Bob", household_name="Smiths")
    assert [r.name for r in rcs.list_recipients(search="smith")] == ["Bob"]
    with pytest.raises(ValidationError, match="already exists"):
        rcs.create_recipient("alice johnson")
    with pytest.raises(ValidationError, match="Name is required"):
        rcs.create_recipient("   ")
    bob = rcs.list_recipients(search="bob")[0]
    assert (
        rcs.update_recipient(bob.id, household_name="Smith family").household_name == "Smith family"
    )


# --- lists: the same figures as one by one, in a fixed number of statements (issue 10) ----------


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    statements: list[str] = []
    engine = db.SessionLocal.kw["bind"]

    def listener(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)


def add_shop(bag, numbers: range) -> None:
    """Per number: bars in stock (two lots) and a slab without, made by their own recipe; a box of
    both, the gift bag and two bags (every other box in stock); a hamper of boxes and packaging."""
    for i in numbers:
        recipe = rs.create_recipe(
            f"Bars {i}",
            category="Bars",
            yield_quantity=12,
            yield_unit="bar",
            ingredients=[("flour", 1, "cup")],
        )
        bars = fus.create_finished_unit(f"Bar {i}", recipe.id, items_per_batch=12)
        fus.adjust_inventory(bars.id, 5, reason="count_correction", unit_cost="0.30")
        fus.adjust_inventory(bars.id, 5, reason="count_correction", unit_cost="0.40")
        slab = fus.create_finished_unit(
            f"Slab {i}", recipe.id, yield_mode="batch_portion", batch_percentage="50"
        )
        box = fgs.create_finished_good(f"Box {i}")
        fgs.add_component(box.id, "finished_unit", bars.id, 2)
        fgs.add_component(box.id, "finished_unit", slab.id, 1)
        fgs.add_component(box.id, "finished_good", bag["gift"].id, 1)
        fgs.add_component(box.id, "packaging", bag["bag_product"].id, 2)
        if i % 2:
            fgs.adjust_inventory(box.id, 2, reason="count_correction", unit_cost="5.00")
        hamper = ps.create_package(f"Hamper {i}")
        ps.add_finished_good_to_package(hamper.id, box.id, 2)
        ps.add_finished_good_to_package(hamper.id, bag["gift"].id, 1)
        ps.add_packaging_to_package(hamper.id, bag["bag_product"].id, 1)


def test_lists_give_the_figures_each_item_gives_alone(bag):
    add_shop(bag, range(2))
    units = {u.display_name: u for u in fus.list_finished_units()}
    assert list(units.values()) == [fus.get_finished_unit(u.id) for u in units.values()]
    assert (units["Bar 0"].unit_cost, units["Bar 0"].estimated_cost) == (D("0.30"), D("0.0500"))
    assert (units["Slab 0"].unit_cost, units["Slab 0"].estimated_cost) == (0, D("0.3000"))
    goods = {g.display_name: g for g in fgs.list_finished_goods()}
    assert list(goods.values()) == [fgs.get_finished_good(g.id) for g in goods.values()]
    # 2 bars at their next unit $0.30 + a slab at its estimate $0.30 + the gift bag $3.10 + 2 bags
    assert (goods["Box 0"].unit_cost, goods["Box 0"].estimated_cost) == (0, D("4.2000"))
    assert (goods["Box 1"].unit_cost, goods["Box 1"].estimated_cost) == (D("5.00"), D("4.2000"))
    packages = {p.name: p for p in ps.list_packages()}
    assert list(packages.values()) == [ps.get_package(p.id) for p in packages.values()]
    assert packages["Hamper 0"].estimated_cost == D("11.6000")  # 2 × 4.20 + 3.10 + 0.10
    assert [u.display_name for u in fus.list_finished_units(search="slab")] == ["Slab 0", "Slab 1"]
    assert fus.list_finished_units(search="slab")[1] == units["Slab 1"]
    assert fgs.list_finished_goods(search="box 1") == [goods["Box 1"]]


@pytest.mark.parametrize(
    "lister", [fus.list_finished_units, fgs.list_finished_goods, ps.list_packages]
)
def test_a_list_takes_the_same_statements_however_long_it_is(bag, lister):
    add_shop(bag, range(1))
    with counted() as few:
        short = lister()
    add_shop(bag, range(1, 6))
    with counted() as many:
        long = lister()
    assert len(long) > len(short)
    assert len(many) == len(few) <= 20, "\n".join(many)
