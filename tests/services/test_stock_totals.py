"""The stored stock totals (``product_stock_totals``) follow every pantry write use case.

Each use case that changes what a lot holds (a purchase, stock added by hand, a lot corrected,
FIFO consumption, production and assembly draws, a void putting the draws back, the sample season)
moves its products' totals in the same transaction, so the totals always equal the sums of the
lots; a use case that fails after its draws leaves them as they were; and "on hand" is read from
the totals, not from the lots.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from bake_tracker import db
from bake_tracker.models import Ingredient, InventoryItem, Product, ProductStockTotal
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import dto, sample_data_service, totals
from bake_tracker.services import event_service as es
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipe_service as rs
from bake_tracker.services.errors import InsufficientInventoryError
from bake_tracker.services.runs import assembly_ledger


class Boom(Exception):
    """A failure injected after a use case's draws (no service catches it)."""


def _stored() -> dict[int, D]:
    """Every product's stored total (a product without a row holds nothing)."""
    with db.session_scope() as s:
        rows = s.execute(select(ProductStockTotal.product_id, ProductStockTotal.quantity_on_hand))
        return {product: held for product, held in rows if held}


def _lot_sums() -> dict[int, D]:
    with db.session_scope() as s:
        rows = s.execute(
            select(InventoryItem.product_id, func.sum(InventoryItem.quantity)).group_by(
                InventoryItem.product_id
            )
        )
        return {product: held for product, held in rows if held}


def _stock_drifts() -> list[tuple]:
    with db.session_scope() as s:
        return list(totals.drifts(s, (totals.STOCK,)))


def _second_flour_product() -> int:
    """Flour sold by another brand, with two lots, so draws span products and lots."""
    other = cs.create_product(
        "flour", purchase_unit="cup", purchase_quantity=5, brand="Mill Co", preferred=False
    )
    inv.add_to_inventory(other.id, quantity="4.5", unit_cost="0.40", purchase_date="2024-12-01")
    inv.add_to_inventory(other.id, quantity="3", unit_cost="0.45", purchase_date="2025-02-01")
    return other.id


def _use_cases(plan) -> list[tuple[str, Callable[[], object]]]:
    """Every pantry write use case, in an order where each one changes some lot."""
    other = _second_flour_product()
    flour_lot = inv.get_inventory_items(ingredient_slug="flour")[0].id
    done: dict[str, int] = {}

    def produce() -> None:
        run = bps.record_batch_production(
            plan["cookies"].id, plan["cookie"].id, 3, 140, event_id=plan["christmas"].id
        )
        done["run"] = run.production_run_id

    def assemble() -> None:
        done["assembly"] = asv.record_assembly(plan["gift"].id, 2).assembly_run_id

    return [
        ("record_purchase", lambda: inv.record_purchase(other, quantity=5, total_cost="2.00")),
        (
            "add_to_inventory",
            lambda: inv.add_to_inventory(plan["bags"].id, quantity=7, unit_cost="0.11"),
        ),
        ("adjust_lot down", lambda: inv.adjust_lot(flour_lot, "-1.5", reason="spoiled")),
        ("adjust_lot up", lambda: inv.adjust_lot(flour_lot, "0.25", reason="count_correction")),
        ("consume_fifo", lambda: inv.consume_fifo("flour", "7.125")),  # two products, three lots
        ("record_batch_production", produce),
        ("record_assembly (packaging)", assemble),
        (
            "void_assembly_run",
            lambda: asv.void_assembly_run(done["assembly"], reason="wrong bags"),
        ),
        ("void_production_run", lambda: bps.void_production_run(done["run"], reason="typo")),
        (
            "record_batch_production (a second ingredient line running out)",
            lambda: bps.record_batch_production(plan["brownies"].id, plan["brownie"].id, 20, 300),
        ),
    ]


def test_every_pantry_write_use_case_keeps_the_totals_equal_to_the_lots(plan):
    assert _stock_drifts() == [] and _stored() == _lot_sums()
    for name, use_case in _use_cases(plan):
        before = _lot_sums()
        use_case()
        after = _lot_sums()
        assert after != before, f"{name} changed no lot: the walk would prove nothing"
        assert _stock_drifts() == [], name
        assert _stored() == after, name


def test_a_refused_use_case_moves_no_total(plan):
    before = _stored()
    with pytest.raises(InsufficientInventoryError):
        bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 80, 10)
    with pytest.raises(InsufficientInventoryError):
        inv.consume_fifo("sugar", 51)
    assert _stored() == before and _stock_drifts() == []


def _failing_after(monkeypatch, module, name: str) -> None:
    """``module.name`` fails, called after the use case's draws (and their stock moves)."""

    def boom(*args, **kwargs):
        raise Boom(name)

    monkeypatch.setattr(module, name, boom)


@pytest.mark.parametrize(
    "use_case, module, name",
    [
        ("production", bps.finished_stock, "add_lot"),  # after the draws and the run's ledgers
        ("assembly", assembly_ledger, "write"),  # after every draw, packaging included
        ("consume", inv, "fifo_result"),  # after the draws, before the answer
        ("adjust", inv, "_lot_dto"),  # after the lot, the total and the adjustment row
        ("purchase", dto, "PurchaseDTO"),  # after the purchase, its lot and the total
    ],
)
def test_a_use_case_failing_after_its_draws_leaves_the_totals_as_they_were(
    plan, monkeypatch, use_case, module, name
):
    flour_lot = inv.get_inventory_items(ingredient_slug="flour")[0].id
    run = {
        "production": lambda: bps.record_batch_production(
            plan["cookies"].id, plan["cookie"].id, 2, 96
        ),
        "assembly": lambda: asv.record_assembly(plan["gift"].id, 1),
        "consume": lambda: inv.consume_fifo("sugar", 3),
        "adjust": lambda: inv.adjust_lot(flour_lot, -2, reason="spoiled"),
        "purchase": lambda: inv.record_purchase(plan["bags"].id, quantity=3, total_cost="1"),
    }[use_case]
    if use_case == "assembly":
        bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 1, 48)
    before, lots = _stored(), _lot_sums()
    _failing_after(monkeypatch, module, name)
    with pytest.raises(Boom):
        run()
    assert _stored() == before and _lot_sums() == lots
    assert _stock_drifts() == []
    monkeypatch.undo()
    run()  # the same use case without the failure moves the totals
    assert _stored() != before and _stock_drifts() == []


def test_a_void_failing_after_putting_the_draws_back_leaves_the_totals_as_they_were(
    plan, monkeypatch
):
    run = bps.record_batch_production(plan["cookies"].id, plan["cookie"].id, 2, 96)
    before = _stored()
    real_expire = inv._expire_lots

    def expire_then_fail(session, lot_ids):  # called once the lots and totals are restored
        real_expire(session, lot_ids)
        raise Boom("after restore")

    monkeypatch.setattr(inv, "_expire_lots", expire_then_fail)
    with pytest.raises(Boom):
        bps.void_production_run(run.production_run_id, reason="typo")
    assert _stored() == before and _stock_drifts() == []


def test_the_sample_season_keeps_its_totals(engine):
    sample_data_service.load_sample_data(today=date(2025, 12, 1))
    assert _stored() and _stored() == _lot_sums()
    assert _stock_drifts() == []


def test_on_hand_is_read_from_the_stored_totals_not_the_lots(plan):
    """Moving a stored total by hand (and no lot) moves every on-hand figure: the reads use it."""
    cookies, christmas = plan["cookies"].id, plan["christmas"].id
    es.set_production_target(christmas, cookies, 10)  # 20 cups of flour to shop for
    with db.session_scope() as s:
        flour = s.scalar(select(Product.id).join(Ingredient).where(Ingredient.slug == "flour"))

    def figures() -> tuple:
        [line] = [
            i for i in bps.check_can_produce(cookies, 1).items if i.ingredient_slug == "flour"
        ]
        [item] = [i for i in es.get_shopping_list(christmas).items if i.ingredient_slug == "flour"]
        return (
            inv.get_on_hand("flour"),
            line.available,
            item.quantity_on_hand,
            rs.batches_possible(cookies),  # 2 cups of flour and 1 of sugar (50 cups) a batch
        )

    assert figures() == (D(100), D(100), D(100), 50)
    with db.session_scope() as s:
        totals.move_stock(s, {flour: D("-88")})  # the lots still hold 100
    assert figures() == (D(12), D(12), D(12), 6)
    with db.session_scope() as s:
        totals.move_stock(s, {flour: D("-12")})  # a total of zero: the product adds no unit
    assert figures() == (D(0), D(0), D(0), 0)
