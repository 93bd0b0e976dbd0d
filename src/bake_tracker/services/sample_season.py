"""The sample season's contents and how they are made, through the real services (for
``sample_data_service.load_sample_data``, which imports this module only when it loads them: the
window asks ``is_empty`` at every start and needs none of the services below for it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

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
from bake_tracker.services.dto import AssemblyType, ComponentType, LossCategory, YieldMode

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


# name, recipe, how a batch yields it, item unit
FINISHED_UNITS = (
    ("Chocolate Chip Cookie", "Chocolate Chip Cookies", {"items_per_batch": 48}, "cookie"),
    ("Decorated Sugar Cookie", "Decorated Sugar Cookies", {"items_per_batch": 36}, "cookie"),
    ("Fudge Brownie", "Fudge Brownies", {"items_per_batch": 16}, "piece"),
    (
        "Cake Slice",
        "Chocolate Layer Cake",
        {
            "yield_mode": YieldMode.BATCH_PORTION,
            "batch_percentage": "12.5",
            "portion_description": "1/8 of a 9-inch cake",
        },
        "slice",
    ),
)
# name, assembly type, [(kind, finished unit or good name or packaging ingredient slug, quantity)]
FINISHED_GOODS = (
    (
        "Cookie Gift Bag",
        AssemblyType.GIFT_BOX,
        [
            (ComponentType.FINISHED_UNIT, "Chocolate Chip Cookie", 6),
            (ComponentType.FINISHED_UNIT, "Decorated Sugar Cookie", 6),
            (ComponentType.PACKAGING, "cellophane_bags", 1),
            (ComponentType.PACKAGING, "satin_ribbon", "0.5"),
        ],
    ),
    (
        "Holiday Box",
        AssemblyType.HOLIDAY_SET,
        [
            (ComponentType.FINISHED_GOOD, "Cookie Gift Bag", 2),
            (ComponentType.FINISHED_UNIT, "Fudge Brownie", 4),
            (ComponentType.PACKAGING, "gift_boxes", 1),
        ],
    ),
)
# name, description, the finished good in it (one)
PACKAGES = (
    ("Deluxe Holiday Box", "A box for family", "Holiday Box"),
    ("Cookie Bag", "For neighbours and teachers", "Cookie Gift Bag"),
)
# name, household, package, quantity (all at Christmas)
RECIPIENTS = (
    ("Grandma Rose", "Parents", "Deluxe Holiday Box", 1),
    ("Aunt Linda", "Linda & Tom", "Deluxe Holiday Box", 1),
    ("The Nguyens (next door)", "Neighbours", "Cookie Bag", 2),
    ("Ms. Patel (teacher)", "School", "Cookie Bag", 1),
    ("Mail carrier", None, "Cookie Bag", 1),
)


def build(s: Session, today: date) -> dict[str, int]:
    """Make the whole season in ``s``; how many of each thing were made."""
    _pantry(s, today)
    recipes = _recipes(s)
    units = _finished_units(s, recipes)
    goods = _finished_goods(s, units)
    events = _events(s, today)
    _gift_list(s, events["Christmas Gifts"], goods)
    _targets(s, recipes, goods, events)
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


def _finished_units(s: Session, recipes: dict[str, int]) -> dict[str, int]:
    return {
        name: finished_unit_service.create_finished_unit(
            name, recipes[recipe], item_unit=item_unit, session=s, **yields
        ).id
        for name, recipe, yields, item_unit in FINISHED_UNITS
    }


def _finished_goods(s: Session, units: dict[str, int]) -> dict[str, int]:
    products = {
        p.ingredient_slug: p.id
        for slug in ("cellophane_bags", "gift_boxes", "satin_ribbon")
        for p in catalog_service.list_products(slug, session=s)
    }
    goods: dict[str, int] = {}
    ids = {
        ComponentType.FINISHED_UNIT: units,
        ComponentType.FINISHED_GOOD: goods,
        ComponentType.PACKAGING: products,
    }
    for name, assembly_type, components in FINISHED_GOODS:
        good = finished_good_service.create_finished_good(
            name, assembly_type=assembly_type, session=s
        )
        for kind, component, quantity in components:
            finished_good_service.add_component(
                good.id, kind, ids[kind][component], quantity, session=s
            )
        goods[name] = good.id
    return goods


def _events(s: Session, today: date) -> dict[str, int]:
    christmas = date(today.year, 12, 24)
    if christmas < today:
        christmas = date(today.year + 1, 12, 24)
    sale = today + timedelta(days=18)
    return {
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


def _gift_list(s: Session, event_id: int, goods: dict[str, int]) -> None:
    """The packages, and who gets which at the event."""
    packages = {}
    for name, description, good in PACKAGES:
        package = package_service.create_package(name, description=description, session=s)
        package_service.add_finished_good_to_package(package.id, goods[good], 1, session=s)
        packages[name] = package.id
    for name, household, package, quantity in RECIPIENTS:
        person = recipient_service.create_recipient(name, household_name=household, session=s)
        event_service.assign_package_to_recipient(
            event_id, person.id, packages[package], quantity=quantity, session=s
        )


def _targets(
    s: Session, recipes: dict[str, int], goods: dict[str, int], events: dict[str, int]
) -> None:
    """Christmas: the suggested batches and some assemblies; the bake sale: its own batches."""
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
        loss_category=LossCategory.BURNT,
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
