"""Seasons to print: the sample season (in every test's database here), and a large one (1,000
lines of every document) inserted in bulk (half a second)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from bake_tracker import db
from bake_tracker.config import sqlite_url
from bake_tracker.models import (
    EventProductionTarget,
    EventRecipientPackage,
    Ingredient,
    Product,
    Recipe,
    RecipeIngredient,
    Recipient,
)
from bake_tracker.services import event_service, sample_data_service
from tests import factories as f
from tests.databases import ON_POSTGRESQL

LARGE = 1000
# The sample season is dated from the day it is loaded; its day is fixed here so the documents'
# names and dates ("Christmas Gifts 2026", Thursday, December 24, 2026) are the same every year.
SAMPLE_TODAY = date(2026, 12, 5)
CATEGORIES = ("Flour", "Sugar", "Dairy", "Spices", "Nuts", "Chocolate", "Fruit", "Extracts")


@dataclass(frozen=True)
class Season:
    event_id: int
    recipients: list[str]
    ingredients: list[str]
    recipes: list[str]


@pytest.fixture(scope="session")
def sample_template(template_db: Path, tmp_path_factory) -> Path:
    """The migrated template with the sample season loaded, made once per session."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
    shutil.copyfile(template_db, path)
    engine = db.make_engine(sqlite_url(path))
    db.bind_engine(engine)
    sample_data_service.load_sample_data(today=SAMPLE_TODAY)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_path(request, tmp_path: Path) -> Path:
    """Every test here starts from the sample season: a copy of it takes a millisecond, loading
    it a second. (On PostgreSQL ``sample_season`` loads it into the test's own database.)"""
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(request.getfixturevalue("sample_template"), path)
    return path


@pytest.fixture
def sample_season(engine) -> Season:
    """The sample season (File ▸ Load Sample Data), its first event."""
    if ON_POSTGRESQL:
        sample_data_service.load_sample_data(today=SAMPLE_TODAY)
    event = next(e for e in event_service.list_events() if e.name == "Christmas Gifts 2026")
    recipients = [a.recipient_name for a in event_service.get_event_assignments(event.id)]
    shopping = event_service.get_shopping_list(event.id)
    ingredients = [i.ingredient_name for i in shopping.items + shopping.packaging]
    recipes = [t.recipe_name for t in event_service.get_production_targets(event.id)]
    return Season(event.id, recipients, ingredients, recipes)


@pytest.fixture
def large_season(engine) -> Season:
    return build_large_season(engine)


def build_large_season(engine) -> Season:
    """1,000 ingredients (none on hand) in 1,000 one-line recipes with a target of one batch each,
    and 1,000 recipients with a package each: 1,000 lines on every document. Rows are inserted
    in bulk (one statement a table), the event, package and finished good by the factories."""
    with Session(engine) as s:
        event = f.make_event(s, name="Grand Bazaar", year=2026)
        good = f.make_finished_good(s, display_name="Gift Tin")
        package = f.make_package(s, name="Family Tin")
        f.make_package_finished_good(s, package_id=package.id, finished_good_id=good.id)
        numbers = range(LARGE)
        ingredients = [f"Ingredient {n:04d} ½ crème" for n in numbers]
        recipes = [f"Recipe {n:04d} señora" for n in numbers]
        recipients = [f"Recipient {n:04d} Müller" for n in numbers]
        ingredient_ids = _insert(
            s,
            Ingredient,
            [
                {
                    "display_name": name,
                    "slug": f"ingredient-{n:04d}",
                    "category": CATEGORIES[n % len(CATEGORIES)],
                    "recipe_unit": "cup",
                }
                for n, name in enumerate(ingredients)
            ],
        )
        _insert(
            s,
            Product,
            [
                {
                    "ingredient_id": i,
                    "brand": "Bob's Red Mill",
                    "package_size": "5 lb bag",
                    "purchase_unit": "cup",
                    "purchase_quantity": Decimal(20),
                    "preferred": True,
                }
                for i in ingredient_ids
            ],
        )
        recipe_ids = _insert(
            s,
            Recipe,
            [
                {
                    "name": name,
                    "slug": f"recipe-{n:04d}",
                    "category": "Cookies",
                    "yield_quantity": Decimal(48),
                    "yield_unit": "cookies",
                }
                for n, name in enumerate(recipes)
            ],
        )
        _insert(
            s,
            RecipeIngredient,
            [
                {"recipe_id": r, "ingredient_id": i, "quantity": Decimal("1.5"), "unit": "cup"}
                for r, i in zip(recipe_ids, ingredient_ids, strict=True)
            ],
        )
        _insert(
            s,
            EventProductionTarget,
            [{"event_id": event.id, "recipe_id": r, "target_batches": 1} for r in recipe_ids],
        )
        recipient_ids = _insert(s, Recipient, [{"name": name} for name in recipients])
        _insert(
            s,
            EventRecipientPackage,
            [
                {
                    "event_id": event.id,
                    "recipient_id": r,
                    "package_id": package.id,
                    "quantity": 1,
                    "fulfillment_status": "pending",
                }
                for r in recipient_ids
            ],
        )
        s.commit()
        return Season(event.id, recipients, ingredients, recipes)


def _insert(session: Session, model: type, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one statement; their ids, in order."""
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))
