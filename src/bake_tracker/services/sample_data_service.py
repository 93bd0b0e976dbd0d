"""Sample data: a realistic holiday season for a first look, built through the real services.

A pantry bought over a few weeks at changing prices, recipes with a shared sub-recipe (royal icing),
cookies and brownies and a cake sold by the slice, gift bags and a holiday box, packages for a
handful of recipients, and two upcoming events with targets, some production and an assembly
already recorded. It goes only into an empty database, in one transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.models import Ingredient, Recipe
from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    catalog_service,
    event_service,
    finished_good_service,
    finished_unit_service,
    inventory_service,
    package_service,
    recipe_service,
    recipient_service,
)
from bake_tracker.services.errors import ValidationError
from bake_tracker.services.transactions import use_session

# name, category, recipe unit, density (1 cup = N oz) or None, packaging
INGREDIENTS = (
    ("All-Purpose Flour", "Flour", "cup", "4.25", False),
    ("Granulated Sugar", "Sugar", "cup", "7", False),
    ("Powdered Sugar", "Sugar", "cup", "4", False),
    ("Brown Sugar", "Sugar", "cup", "7.5", False),
    ("Unsalted Butter", "Oils/Butters", "cup", "8", False),
    ("Large Eggs", "Dairy", "each", None, False),
    ("Semi-Sweet Chocolate Chips", "Chocolate/Candies", "cup", "6", False),
    ("Cocoa Powder", "Cocoa Powders", "cup", "3", False),
    ("Vanilla Extract", "Extracts", "tsp", None, False),
    ("Meringue Powder", "Misc", "tbsp", None, False),
    ("Baking Soda", "Misc", "tsp", None, False),
    ("Cellophane Bags", "Bags", "bag", None, True),
    ("Gift Boxes", "Boxes", "box", None, True),
    ("Satin Ribbon", "Ribbon", "yd", None, True),
)
# ingredient, brand, size, type, unit, package qty, [(days ago, packages, price per package)]
PURCHASES = (
    (
        "all_purpose_flour",
        "King Arthur",
        "5 lb",
        "bag",
        "lb",
        "5",
        [(40, 2, "6.49"), (12, 2, "6.99")],
    ),
    ("granulated_sugar", "Domino", "4 lb", "bag", "lb", "4", [(35, 2, "3.79"), (9, 1, "4.19")]),
    ("powdered_sugar", "C&H", "2 lb", "bag", "lb", "2", [(20, 2, "2.99")]),
    ("brown_sugar", "Domino", "2 lb", "bag", "lb", "2", [(25, 1, "2.89")]),
    ("unsalted_butter", "Kerrygold", "8 oz", "block", "oz", "8", [(14, 6, "4.49"), (3, 4, "4.79")]),
    ("large_eggs", "Costco", "5 dozen", "case", "each", "60", [(10, 1, "16.99")]),
    ("semi_sweet_chocolate_chips", "Nestlé", "72 oz", "bag", "oz", "72", [(30, 1, "15.99")]),
    ("cocoa_powder", "Hershey's", "8 oz", "tin", "oz", "8", [(28, 2, "3.99")]),
    ("vanilla_extract", "Nielsen-Massey", "4 fl oz", "bottle", "fl oz", "4", [(60, 1, "13.74")]),
    ("meringue_powder", "Wilton", "8 oz", "tub", "tbsp", "26", [(30, 1, "9.99")]),
    ("baking_soda", "Arm & Hammer", "1 lb", "box", "tsp", "96", [(90, 1, "1.29")]),
    ("cellophane_bags", "Uline", "100 count", "box", "bag", "100", [(30, 1, "12.50")]),
    ("gift_boxes", "Uline", "25 count", "case", "box", "25", [(30, 1, "31.25")]),
    ("satin_ribbon", "Offray", "25 yd", "spool", "yd", "25", [(30, 1, "5.99")]),
)
RECIPES = (
    (
        "Royal Icing",
        "Frostings & Fillings",
        "3",
        "cup",
        [("powdered_sugar", "4", "cup"), ("meringue_powder", "3", "tbsp")],
    ),
    (
        "Chocolate Chip Cookies",
        "Cookies",
        "48",
        "cookie",
        [
            ("all_purpose_flour", "2.25", "cup"),
            ("unsalted_butter", "1", "cup"),
            ("granulated_sugar", "0.75", "cup"),
            ("brown_sugar", "0.75", "cup"),
            ("large_eggs", "2", "each"),
            ("vanilla_extract", "1", "tsp"),
            ("baking_soda", "1", "tsp"),
            ("semi_sweet_chocolate_chips", "2", "cup"),
        ],
    ),
    (
        "Decorated Sugar Cookies",
        "Cookies",
        "36",
        "cookie",
        [
            ("all_purpose_flour", "3", "cup"),
            ("unsalted_butter", "1", "cup"),
            ("granulated_sugar", "1", "cup"),
            ("large_eggs", "1", "each"),
            ("vanilla_extract", "2", "tsp"),
        ],
    ),
    (
        "Fudge Brownies",
        "Brownies",
        "16",
        "piece",
        [
            ("unsalted_butter", "0.5", "cup"),
            ("granulated_sugar", "1", "cup"),
            ("cocoa_powder", "0.5", "cup"),
            ("large_eggs", "2", "each"),
            ("all_purpose_flour", "0.5", "cup"),
        ],
    ),
    (
        "Chocolate Layer Cake",
        "Cakes",
        "1",
        "cake",
        [
            ("all_purpose_flour", "2", "cup"),
            ("granulated_sugar", "2", "cup"),
            ("cocoa_powder", "0.75", "cup"),
            ("large_eggs", "3", "each"),
            ("unsalted_butter", "0.75", "cup"),
        ],
    ),
)


def is_empty(*, session: Session | None = None) -> bool:
    """True when there are no ingredients and no recipes yet (a first start)."""
    with use_session(session) as s:
        return not (
            s.scalar(select(func.count(Ingredient.id))) or s.scalar(select(func.count(Recipe.id)))
        )


def load_sample_data(
    *, today: date | None = None, session: Session | None = None
) -> dict[str, int]:
    """Fill an empty database with the sample season; returns how many of each thing were made.

    Raises:
        ValidationError when the database already holds ingredients or recipes.
    """
    today = today or date.today()
    with use_session(session) as s:
        if not is_empty(session=s):
            raise ValidationError("Sample data can only be loaded into an empty database")
        _pantry(s, today)
        recipes = _recipes(s)
        units, goods = _goods(s, recipes)
        events = _events(s, today, recipes, goods)
        _history(s, today, recipes, units, goods, events)
        return {
            "ingredients": len(INGREDIENTS),
            "recipes": len(recipes),
            "finished units": len(units),
            "finished goods": len(goods),
            "events": len(events),
        }


def _pantry(s: Session, today: date) -> None:
    for name, category, unit, ounces, packaging in INGREDIENTS:
        density = {}
        if ounces:
            density = {
                "density_volume_value": 1,
                "density_volume_unit": "cup",
                "density_weight_value": ounces,
                "density_weight_unit": "oz",
            }
        catalog_service.create_ingredient(
            name, category=category, recipe_unit=unit, is_packaging=packaging, session=s, **density
        )
    catalog_service.add_unit_conversion(
        "unsalted_butter",
        from_unit="stick",
        from_quantity=1,
        to_unit="cup",
        to_quantity="0.5",
        session=s,
    )
    for slug, brand, size, kind, unit, per_package, buys in PURCHASES:
        product = catalog_service.create_product(
            slug,
            purchase_unit=unit,
            purchase_quantity=per_package,
            brand=brand,
            package_size=size,
            package_type=kind,
            preferred=True,
            session=s,
        )
        for days_ago, packages, price in buys:
            bought = today - timedelta(days=days_ago)
            inventory_service.record_purchase(
                product.id,
                quantity=Decimal(per_package) * packages,
                total_cost=Decimal(price) * packages,
                purchase_date=bought,
                expiration_date=bought + timedelta(days=20) if slug in ("large_eggs",) else None,
                location="Fridge" if slug in ("unsalted_butter", "large_eggs") else "Pantry shelf",
                supplier=brand,
                session=s,
            )


def _recipes(s: Session) -> dict[str, int]:
    ids = {}
    for name, category, yield_quantity, yield_unit, lines in RECIPES:
        made = recipe_service.create_recipe(
            name,
            category=category,
            yield_quantity=yield_quantity,
            yield_unit=yield_unit,
            ingredients=lines,
            session=s,
        )
        ids[name] = made.id
    recipe_service.add_recipe_component(
        ids["Decorated Sugar Cookies"], ids["Royal Icing"], quantity="0.5", session=s
    )
    return ids


def _goods(s: Session, recipes: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    units = {
        "Chocolate Chip Cookie": finished_unit_service.create_finished_unit(
            "Chocolate Chip Cookie",
            recipes["Chocolate Chip Cookies"],
            items_per_batch=48,
            item_unit="cookie",
            session=s,
        ).id,
        "Decorated Sugar Cookie": finished_unit_service.create_finished_unit(
            "Decorated Sugar Cookie",
            recipes["Decorated Sugar Cookies"],
            items_per_batch=36,
            item_unit="cookie",
            session=s,
        ).id,
        "Fudge Brownie": finished_unit_service.create_finished_unit(
            "Fudge Brownie",
            recipes["Fudge Brownies"],
            items_per_batch=16,
            item_unit="piece",
            session=s,
        ).id,
        "Cake Slice": finished_unit_service.create_finished_unit(
            "Cake Slice",
            recipes["Chocolate Layer Cake"],
            yield_mode="batch_portion",
            batch_percentage="12.5",
            item_unit="slice",
            portion_description="1/8 of a 9-inch cake",
            session=s,
        ).id,
    }
    products = {
        p.ingredient_slug: p.id
        for slug in ("cellophane_bags", "gift_boxes", "satin_ribbon")
        for p in catalog_service.list_products(slug, session=s)
    }
    bag = finished_good_service.create_finished_good(
        "Cookie Gift Bag", assembly_type="gift_box", session=s
    )
    for kind, item, quantity in (
        ("finished_unit", units["Chocolate Chip Cookie"], 6),
        ("finished_unit", units["Decorated Sugar Cookie"], 6),
        ("packaging", products["cellophane_bags"], 1),
        ("packaging", products["satin_ribbon"], "0.5"),
    ):
        finished_good_service.add_component(bag.id, kind, item, quantity, session=s)
    box = finished_good_service.create_finished_good(
        "Holiday Box", assembly_type="holiday_set", session=s
    )
    for kind, item, quantity in (
        ("finished_good", bag.id, 2),
        ("finished_unit", units["Fudge Brownie"], 4),
        ("packaging", products["gift_boxes"], 1),
    ):
        finished_good_service.add_component(box.id, kind, item, quantity, session=s)
    return units, {"Cookie Gift Bag": bag.id, "Holiday Box": box.id}


def _events(
    s: Session, today: date, recipes: dict[str, int], goods: dict[str, int]
) -> dict[str, int]:
    christmas = date(today.year, 12, 24)
    if christmas < today:
        christmas = date(today.year + 1, 12, 24)
    sale = today + timedelta(days=18)
    events = {
        "Christmas Gifts": event_service.create_event(
            f"Christmas Gifts {christmas.year}",
            christmas,
            notes="Family, neighbours and teachers",
            session=s,
        ).id,
        "Winter Bake Sale": event_service.create_event(
            "Winter Bake Sale", sale, notes="School fundraiser table", session=s
        ).id,
    }
    deluxe = package_service.create_package(
        "Deluxe Holiday Box", description="A box for family", session=s
    )
    package_service.add_finished_good_to_package(deluxe.id, goods["Holiday Box"], 1, session=s)
    small = package_service.create_package(
        "Cookie Bag", description="For neighbours and teachers", session=s
    )
    package_service.add_finished_good_to_package(small.id, goods["Cookie Gift Bag"], 1, session=s)
    people = (
        ("Grandma Rose", "Parents", deluxe.id, 1),
        ("Aunt Linda", "Linda & Tom", deluxe.id, 1),
        ("The Nguyens (next door)", "Neighbours", small.id, 2),
        ("Ms. Patel (teacher)", "School", small.id, 1),
        ("Mail carrier", None, small.id, 1),
    )
    for name, household, package_id, quantity in people:
        person = recipient_service.create_recipient(name, household_name=household, session=s)
        event_service.assign_package_to_recipient(
            events["Christmas Gifts"], person.id, package_id, quantity=quantity, session=s
        )
    xmas = events["Christmas Gifts"]
    for suggestion in event_service.suggest_production_targets(xmas, session=s):
        event_service.set_production_target(
            xmas, suggestion.recipe_id, suggestion.batches_needed, session=s
        )
    event_service.set_assembly_target(xmas, goods["Cookie Gift Bag"], 8, session=s)
    event_service.set_assembly_target(xmas, goods["Holiday Box"], 2, session=s)
    event_service.set_production_target(
        events["Winter Bake Sale"], recipes["Fudge Brownies"], 3, session=s
    )
    event_service.set_production_target(
        events["Winter Bake Sale"],
        recipes["Chocolate Layer Cake"],
        2,
        notes="Sell by the slice",
        session=s,
    )
    return events


def _history(s, today, recipes, units, goods, events) -> None:
    def at(days_ago: int, hour: int) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour), UTC)

    xmas = events["Christmas Gifts"]
    batch_production_service.record_batch_production(
        recipes["Chocolate Chip Cookies"],
        units["Chocolate Chip Cookie"],
        1,
        46,
        event_id=xmas,
        produced_at=at(2, 10),
        loss_quantity=2,
        loss_category="burnt",
        notes="First tray a bit dark",
        session=s,
    )
    batch_production_service.record_batch_production(
        recipes["Decorated Sugar Cookies"],
        units["Decorated Sugar Cookie"],
        1,
        36,
        event_id=xmas,
        produced_at=at(1, 14),
        session=s,
    )
    batch_production_service.record_batch_production(
        recipes["Fudge Brownies"],
        units["Fudge Brownie"],
        1,
        16,
        event_id=events["Winter Bake Sale"],
        produced_at=at(1, 16),
        session=s,
    )
    assembly_service.record_assembly(
        goods["Cookie Gift Bag"],
        3,
        event_id=xmas,
        assembled_at=at(0, 9),
        notes="Ribbon in red",
        session=s,
    )
