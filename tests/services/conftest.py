"""Fixtures shared by the service tests: the reference pantry, recipes and goods they all use."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bake_tracker import db
from bake_tracker.models import Event
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import event_service as es
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import recipient_service as rcs


def count_rows(model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def cup_ingredient(name: str, lots: list[tuple[str, str, str]]):
    """An ingredient measured and bought in cups, with lots (date, cups, $ per cup)."""
    made = cs.create_ingredient(name, category="Misc", recipe_unit="cup")
    product = cs.create_product(
        made.slug, purchase_unit="cup", purchase_quantity=20, preferred=True
    )
    for day, quantity, cost in lots:
        inv.add_to_inventory(product.id, quantity=quantity, unit_cost=cost, purchase_date=day)
    return made, product


@pytest.fixture
def cookie(engine):
    """F-COOKIE: flour 10 cup @0.50 and sugar 5 cup @0.60; 2 + 1 cup per batch of 48 cookies."""
    cup_ingredient("Flour", [("2024-01-01", "10", "0.50")])
    cup_ingredient("Sugar", [("2024-01-01", "5", "0.60")])
    recipe = rs.create_recipe(
        "Chocolate Chip Cookies",
        category="Cookies",
        yield_quantity=48,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )
    unit = fus.create_finished_unit("Chocolate Chip Cookie", recipe.id, items_per_batch=48)
    return recipe, unit


@pytest.fixture
def gift_bag(engine):
    """F-BAG: 100 sugar cookies at $0.25, 50 bags at $0.10; gift bag = 12 cookies + 1 bag."""
    recipe = rs.create_recipe(
        "Sugar Cookies", category="Cookies", yield_quantity=48, yield_unit="cookie"
    )
    unit = fus.create_finished_unit("Sugar Cookie", recipe.id, items_per_batch=48)
    fus.adjust_inventory(unit.id, 100, reason="count_correction", unit_cost="0.25")
    bags = cs.create_ingredient(
        "Cellophane Bags", category="Bags", recipe_unit="bag", is_packaging=True
    )
    product = cs.create_product(bags.slug, purchase_unit="bag", purchase_quantity=100)
    inv.add_to_inventory(product.id, quantity=50, unit_cost="0.10", purchase_date="2025-01-01")
    good = fgs.create_finished_good("Cookie Gift Bag", assembly_type="gift_box")
    fgs.add_component(good.id, "finished_unit", unit.id, 12)
    fgs.add_component(good.id, "packaging", product.id, 1)
    return {"recipe": recipe, "unit": unit, "bags": product, "good": good}


@pytest.fixture
def christmas(engine) -> int:
    with db.session_scope() as s:
        event = Event(name="Christmas 2025", event_date=date(2025, 12, 25), year=2025)
        s.add(event)
        s.flush()
        return event.id


@pytest.fixture
def plan(engine):
    """Christmas and Easter; cookies (48/batch) in gift bags (12 + a bag) in a Deluxe Box (×2)."""
    cup_ingredient("Flour", [("2025-01-01", "100", "0.50")])
    cup_ingredient("Sugar", [("2025-01-01", "50", "0.60")])
    bags = cs.create_ingredient(
        "Cellophane Bags", category="Bags", recipe_unit="bag", is_packaging=True
    )
    bag_product = cs.create_product(
        bags.slug, purchase_unit="bag", purchase_quantity=100, preferred=True
    )
    inv.record_purchase(bag_product.id, quantity=10, total_cost="1.00", purchase_date="2025-01-01")
    cookies = rs.create_recipe(
        "Chocolate Chip Cookies",
        category="Cookies",
        yield_quantity=48,
        yield_unit="cookie",
        ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
    )
    brownies = rs.create_recipe(
        "Brownies",
        category="Brownies",
        yield_quantity=16,
        yield_unit="piece",
        ingredients=[("flour", 1, "cup"), ("sugar", 2, "cup")],
    )
    cookie = fus.create_finished_unit("Chocolate Chip Cookie", cookies.id, items_per_batch=48)
    brownie = fus.create_finished_unit("Brownie", brownies.id, items_per_batch=16)
    gift = fgs.create_finished_good("Cookie Gift Bag", assembly_type="gift_box")
    fgs.add_component(gift.id, "finished_unit", cookie.id, 12)
    fgs.add_component(gift.id, "packaging", bag_product.id, 1)
    deluxe = ps.create_package("Deluxe Box")
    ps.add_finished_good_to_package(deluxe.id, gift.id, 2)
    christmas = es.create_event("Christmas 2025", date(2025, 12, 25))
    easter = es.create_event("Easter 2026", "2026-04-05")
    alice = rcs.create_recipient("Alice Johnson")
    bob = rcs.create_recipient("Bob")
    return {
        "cookies": cookies,
        "brownies": brownies,
        "cookie": cookie,
        "brownie": brownie,
        "gift": gift,
        "deluxe": deluxe,
        "christmas": christmas,
        "easter": easter,
        "alice": alice,
        "bob": bob,
        "bags": bag_product,
    }
