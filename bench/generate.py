"""The "big season" data set the performance budgets are measured on.

``python -m bench.generate [NAME ...] [--small] [--force]`` builds ``bench/data/<NAME>.sqlite3``:
``big`` (most lots used up), ``dense`` (issue 18's shape: ~60 % of lots open, ~60 per ingredient
and up to ~450, the current pantry added by hand without purchases, five or more purchases per
product), ``small`` (the big shape at a tiny scale, used to show that statement counts do not
grow with history), and ``big10`` / ``dense10`` (×10 lots and runs, built only when asked for).
The file is migrated with the real migrations (``bake_tracker.db.upgrade_to_head``) and filled
with Core bulk inserts carrying explicit ids. Everything is drawn from one ``random.Random(SEED)``,
so two builds are identical; uuids come from the same generator and every timestamp is aware UTC,
relative to a fixed ``NOW``.

History is *simulated*, not sprinkled: production and assembly runs are replayed in time order
against a pantry that buys lots when it runs low, drawing lots first-in-first-out with the app's
own planner (``bake_tracker.core.fifo.plan_fifo``) and the app's rounding, so every ledger row
points at a lot that really held what it says, finished-unit and finished-good lots are created by
runs and drawn by assemblies, and ``inventory_count`` equals the lots' remaining quantities. The
build ends with ``bake_tracker.services.integrity_service.check_invariants`` (no drift allowed),
``PRAGMA integrity_check`` and ``foreign_key_check``, and a read through the services.

Benchmark fixtures inside the data set (ids in the stamp file ``<name>.json``): a recipe with 15
aggregated ingredient lines over three nesting levels and enough pantry stock for
``BENCH_PRODUCTION_BATCHES`` batches; a finished good of five finished units plus two packaging
products with stock for ``BENCH_ASSEMBLIES`` assemblies; the busiest upcoming event.

The file is reused while its stamp (data set version, migration head, hash of this generator)
matches; each benchmark run works on a fresh copy (``working_copy``).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import math
import random
import shutil
import sqlite3
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bake_tracker import db
from bake_tracker.core import units
from bake_tracker.core.fifo import LotSnapshot, plan_fifo
from bake_tracker.core.numbers import ZERO, round_money, round_quantity
from bake_tracker.models import Base
from bake_tracker.services.catalog_service import slugify
from bench import DATA_DIR
from bench import names as N

DATASET_VERSION = 1
SEED = 20251115
NOW = datetime(2025, 11, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
HISTORY_START = datetime(2024, 1, 2, 8, 0, tzinfo=UTC)
FIRST_DAY = HISTORY_START.date()
LAST_REGULAR_RUN = NOW - timedelta(days=3)  # adjustments and benchmark stock come after

BENCH_PRODUCTION_BATCHES = 300  # batches of the benchmark recipe the pantry can still make
BENCH_ASSEMBLIES = 300  # benchmark finished goods that stock can still assemble
BENCH_LOTS = 10  # lots per benchmark ingredient holding that stock (its whole current pantry)
SWEEP_DAYS = 45  # leftovers older than the newest Scale.keep_lots lots are given away this often

ONE = Decimal(1)
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Scale:
    name: str
    ingredients: int  # packaging included
    packaging_ingredients: int
    products_per_ingredient: int
    lots: int
    recipes: int
    finished_units: int
    finished_goods: int
    packages: int
    recipients: int
    events: int
    production_runs: int
    assembly_runs: int
    # The shape of the pantry (defaults: the "big season", most lots used up):
    on_demand_share: Decimal = Decimal("0.92")  # of the lots, bought during the simulation
    max_top_up: int = 12  # open lots per ingredient added as "current pantry" at the end
    min_top_up: int = 1
    top_up_bench: bool = False  # the benchmark ingredients get current-pantry lots too
    top_up_purchases: bool = True  # False: current pantry added by hand (no purchase)
    min_purchases: int = 0  # purchases per product at least (long price histories)
    keep_lots: int = 3  # finished-unit and finished-good lots kept by each leftovers sweep
    top_up_power: float = 0.5  # current-pantry lots per ingredient grow as uses ** this

    def times(self, factor: int, name: str) -> Scale:
        """The same shape with ``factor`` times the lots and runs (a bakery's later years)."""
        return replace(
            self,
            name=name,
            lots=self.lots * factor,
            production_runs=self.production_runs * factor,
            assembly_runs=self.assembly_runs * factor,
            max_top_up=self.max_top_up * factor,
            min_top_up=self.min_top_up * factor,
        )


_BIG = Scale("big", 1000, 100, 3, 100_000, 500, 800, 300, 100, 500, 50, 20_000, 5_000)
# Issue 18's shape: same counts, but ~60 % of lots still open (~60 per ingredient, up to ~450),
# the current pantry stocked with add_to_inventory lots that have no purchase, and at least five
# purchases per product.
_DENSE = replace(
    _BIG,
    name="dense",
    on_demand_share=Decimal("0.40"),
    max_top_up=450,
    min_top_up=15,
    top_up_bench=True,
    top_up_purchases=False,
    min_purchases=5,
    keep_lots=20,
    top_up_power=0.75,
)
SCALES = {
    "big": _BIG,
    "small": Scale("small", 120, 15, 3, 3_000, 40, 60, 20, 8, 30, 4, 300, 80),
    "dense": _DENSE,
    "big10": _BIG.times(10, "big10"),  # built on demand only: ~1,000,000 lots
    "dense10": _DENSE.times(10, "dense10"),
}
PROFILES = ("big", "dense")  # the ×1 profiles; "<name>10" is each one's ×10 variant


@dataclass(frozen=True)
class Kind:
    """How an ingredient is measured: recipe unit, units its lines use, units it is sold in."""

    recipe_unit: str
    line_units: tuple[str, ...]
    product_units: tuple[tuple[str, tuple[str, ...]], ...]  # (purchase unit, package sizes)
    price: tuple[str, str]  # dollars per recipe unit, low and high


KINDS = {
    "baking": Kind(
        "cup",
        ("cup", "cup", "cup", "tbsp", "g"),
        (("lb", ("2", "4", "5", "10", "25")), ("kg", ("1", "2.5", "5")), ("oz", ("16", "32"))),
        ("0.08", "0.90"),
    ),
    "weight": Kind(
        "g",
        ("g", "g", "g", "oz", "kg"),
        (
            ("lb", ("1", "2", "5")),
            ("kg", ("0.5", "1", "2.5")),
            ("oz", ("8", "12", "16")),
            ("g", ("250", "454", "500")),
        ),
        ("0.004", "0.040"),
    ),
    "liquid": Kind(
        "cup",
        ("cup", "cup", "tbsp", "ml"),
        (("gal", ("1",)), ("qt", ("1", "2")), ("fl oz", ("16", "32", "64")), ("l", ("1", "2"))),
        ("0.15", "2.00"),
    ),
    "spoon": Kind(
        "tsp",
        ("tsp", "tsp", "tbsp"),
        (("oz", ("2", "4", "8", "16")), ("lb", ("1", "2")), ("g", ("100", "250", "500"))),
        ("0.02", "0.35"),
    ),
    "extract": Kind(
        "tsp",
        ("tsp", "tbsp"),
        (("fl oz", ("2", "4", "8", "16")), ("ml", ("59", "118", "236"))),
        ("0.15", "0.90"),
    ),
    "count": Kind(
        "each",
        ("each",),
        (("each", ("12", "18", "30", "60")), ("dozen", ("1", "2", "5"))),
        ("0.20", "1.20"),
    ),
    "pack_each": Kind(
        "each", (), (("each", ("25", "50", "100")), ("box", ("1", "2"))), ("0.05", "1.80")
    ),
    "pack_length": Kind(
        "yd",
        (),
        (("yd", ("25", "50", "100")), ("ft", ("100", "300")), ("m", ("20", "50"))),
        ("0.08", "0.60"),
    ),
}
LINE_RANGES = {  # unit: (low, high, step) of a recipe line's quantity
    "g": ("20", "600", "5"),
    "kg": ("0.25", "1.5", "0.25"),
    "oz": ("1", "16", "0.5"),
    "cup": ("0.25", "3", "0.25"),
    "tbsp": ("1", "6", "0.5"),
    "tsp": ("0.25", "3", "0.25"),
    "ml": ("10", "500", "10"),
    "each": ("1", "6", "1"),
}
PERISHABLE = {"Dairy", "Eggs", "Fruit"}

# The benchmark recipe tree: (level, ingredient base name, quantity, unit). 17 lines, two of them
# repeating an ingredient of another level, so the aggregate has exactly 15 lines.
BENCH_RECIPES = (
    ("Benchmark Celebration Cake", "Cake", "1"),
    ("Benchmark Vanilla Buttercream", "Frosting", "1"),
    ("Benchmark Chocolate Filling", "Filling", "0.5"),
)
BENCH_LINES = (
    (0, "All-Purpose Flour", "3", "cup"),
    (0, "Granulated Sugar", "1.5", "cup"),
    (0, "Unsalted Butter", "225", "g"),
    (0, "Large Eggs", "4", "each"),
    (0, "Whole Milk", "1", "cup"),
    (0, "Baking Powder", "2", "tsp"),
    (1, "Unsalted Butter", "2", "stick"),
    (1, "Powdered Sugar", "3", "cup"),
    (1, "Heavy Cream", "2", "tbsp"),
    (1, "Vanilla Extract", "2", "tsp"),
    (1, "Fine Sea Salt", "0.25", "tsp"),
    (1, "Granulated Sugar", "2", "tbsp"),
    (2, "Dark Chocolate", "170", "g"),
    (2, "Cocoa Powder", "0.5", "cup"),
    (2, "Brown Sugar", "0.25", "cup"),
    (2, "Ground Cinnamon", "1", "tsp"),
    (2, "Lemons", "1", "each"),
)
BENCH_GOOD = "Benchmark Holiday Gift Box"
BENCH_GOOD_UNIT_QUANTITIES = (1, 2, 1, 3, 2)
BENCH_PACKAGING = (("Gift Boxes", "1"), ("Satin Ribbon", "0.75"))


# --- in-memory model of what is being generated ---------------------------------------------------


@dataclass
class Ingredient:
    id: int
    name: str
    category: str
    kind: str
    density: units.Density | None
    custom: tuple[units.CustomConversion, ...]
    price: Decimal  # per recipe unit
    staple: bool
    packaging: bool
    products: list[Product] = field(default_factory=list)
    open_lots: list[dict] = field(default_factory=list)  # inventory_items rows, FIFO order
    demand: Decimal = ZERO  # estimated total need over the history, recipe units
    uses: int = 0
    lot_size: Decimal = ZERO  # wanted size of one lot bought on demand, recipe units
    last_purchase: date = FIRST_DAY

    @property
    def recipe_unit(self) -> str:
        return KINDS[self.kind].recipe_unit


@dataclass
class Product:
    id: int
    ingredient: Ingredient
    unit: str
    package: Decimal  # purchase units in one package
    price: Decimal  # per purchase unit
    preferred: bool


@dataclass
class Recipe:
    id: int
    name: str
    lines: list[tuple[Ingredient, Decimal, str]]
    components: list[tuple[Recipe, Decimal]]
    per_batch: dict[int, Decimal] = field(default_factory=dict)  # ingredient id → recipe units
    units: list[dict] = field(default_factory=list)  # finished_units rows


@dataclass
class Good:
    id: int
    row: dict
    parts: list[dict]  # compositions rows, in sort order
    nested: bool


@dataclass
class RunSpec:
    at: datetime
    kind: str  # production | assembly | sweep
    event_id: int | None
    size: int  # batches or quantity
    recipe: Recipe | None = None
    unit: dict | None = None
    voided: bool = False
    bench_stock: bool = False
    spare: bool = False  # an extra assembly slot, used only to make up for one that found no stock


class Generator:
    """Builds every table's rows in memory (``rows``), then ``write`` inserts them."""

    def __init__(self, scale: Scale, seed: int = SEED) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.factors: dict[tuple[int, str, str], Decimal] = {}
        self.ingredients: list[Ingredient] = []
        self.by_name: dict[str, Ingredient] = {}
        self.recipes: list[Recipe] = []
        self.goods: list[Good] = []
        self.unit_stock: dict[int, list[dict]] = defaultdict(list)  # finished unit → open lots
        self.good_stock: dict[int, list[dict]] = defaultdict(list)
        self.unit_rows: dict[int, dict] = {}
        self.bench: dict[str, Any] = {}
        self.on_demand_lots = 0

    # --- helpers --------------------------------------------------------------------------------

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, table: str, when: datetime, **values: Any) -> dict:
        row = {
            "id": len(self.rows[table]) + 1,
            "uuid": self.uuid(),
            "created_at": when,
            "updated_at": when,
            **values,
        }
        self.rows[table].append(row)
        return row

    def decimal(self, low: str, high: str, step: str) -> Decimal:
        lo, hi, st = Decimal(low), Decimal(high), Decimal(step)
        return lo + st * self.rng.randint(0, int((hi - lo) / st))

    def money_between(self, low: str | Decimal, high: str | Decimal) -> Decimal:
        return round_money(Decimal(str(self.rng.uniform(float(low), float(high)))))

    def moment(self, start: datetime, end: datetime) -> datetime:
        seconds = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randint(0, seconds))

    def factor(self, ingredient: Ingredient, from_unit: str, to_unit: str) -> Decimal:
        """``to_unit`` per ``from_unit`` for this ingredient (the app's own unit table)."""
        key = (ingredient.id, from_unit, to_unit)
        found = self.factors.get(key)
        if found is None:
            found = units.convert(
                ONE, from_unit, to_unit, density=ingredient.density, custom=ingredient.custom
            )
            self.factors[key] = found
        return found

    # --- the whole build ------------------------------------------------------------------------

    def build(self) -> None:
        self.make_ingredients()
        self.make_recipes()
        self.make_finished_units()
        self.make_goods_and_packages()
        self.make_people_and_events()
        specs = self.make_schedule()
        self.estimate_demand(specs)
        self.make_products()
        self.simulate(specs)
        self.adjustments()
        self.bench_stock()
        self.top_up_pantry()
        self.targets_and_assignments()
        self.finish_counts()

    # --- catalog --------------------------------------------------------------------------------

    def make_ingredients(self) -> None:
        scale, rng = self.scale, self.rng
        food_count = scale.ingredients - scale.packaging_ingredients
        food = [(name, cat, kind, dens, True) for name, cat, kind, dens in N.FOOD_BASES]
        combos = [
            (f"{q} {name}", cat, kind, dens, False)
            for q in N.QUALIFIERS
            for name, cat, kind, dens in N.FOOD_BASES
        ]
        rng.shuffle(combos)
        food = (food + combos)[:food_count]
        pack = [(name, cat, kind, None, True) for name, cat, kind in N.PACKAGING_BASES]
        pack_combos = [
            (f"{q} {name}", cat, kind, None, False)
            for q in N.PACKAGING_QUALIFIERS
            for name, cat, kind in N.PACKAGING_BASES
        ]
        rng.shuffle(pack_combos)
        pack = (pack + pack_combos)[: scale.packaging_ingredients]
        for name, category, kind, density, staple in food + pack:
            is_pack = kind.startswith("pack")
            dens = None
            if density is not None:
                ounces = Decimal(density) * Decimal(str(rng.uniform(0.95, 1.05)))
                dens = units.Density(ONE, "cup", ounces.quantize(CENTS), "oz")
            low, high = KINDS[kind].price
            ingredient = Ingredient(
                id=len(self.ingredients) + 1,
                name=name,
                category=category,
                kind=kind,
                density=dens,
                custom=(),
                price=self.money_between(low, high),
                staple=staple,
                packaging=is_pack,
            )
            custom = []
            if "Butter" in name and kind == "weight":
                custom.append(units.CustomConversion("stick", ONE, "oz", Decimal(4)))
            if kind == "count":
                grams = Decimal(rng.randint(40, 120))
                custom.append(units.CustomConversion("each", ONE, "g", grams))
            if kind == "pack_each":
                per_box = Decimal(rng.choice((25, 50)))
                custom.append(units.CustomConversion("box", ONE, "each", per_box))
            ingredient.custom = tuple(custom)
            self.ingredients.append(ingredient)
            self.by_name[name] = ingredient
            when = HISTORY_START - timedelta(days=30)
            self.add(
                "ingredients",
                when,
                display_name=name,
                slug=slugify(name),
                category=category,
                recipe_unit=ingredient.recipe_unit,
                is_packaging=is_pack,
                description=None,
                notes=None,
                density_volume_value=dens.volume_value if dens else None,
                density_volume_unit=dens.volume_unit if dens else None,
                density_weight_value=dens.weight_value if dens else None,
                density_weight_unit=dens.weight_unit if dens else None,
            )
            for conversion in custom:
                self.add(
                    "unit_conversions",
                    when,
                    ingredient_id=ingredient.id,
                    from_unit=conversion.from_unit,
                    from_quantity=conversion.from_quantity,
                    to_unit=conversion.to_unit,
                    to_quantity=conversion.to_quantity,
                    notes=None,
                )

    def make_recipes(self) -> None:
        scale, rng = self.scale, self.rng
        food = [i for i in self.ingredients if not i.packaging]
        weights = [25 if i.staple else 1 for i in food]
        leaves_n = max(2, scale.recipes // 10)
        mids_n = max(1, scale.recipes * 6 // 100)
        products_n = scale.recipes - leaves_n - mids_n - len(BENCH_RECIPES)
        base_names = [f"{f} {t}" for f in N.FLAVORS for t in N.BASE_TYPES]
        product_names = [(f"{f} {t}", t) for f in N.FLAVORS for t in N.PRODUCT_TYPES]
        rng.shuffle(base_names)
        rng.shuffle(product_names)

        def pick_lines(count: int) -> list[tuple[Ingredient, Decimal, str]]:
            chosen: dict[int, Ingredient] = {}
            while len(chosen) < count:
                ingredient = rng.choices(food, weights)[0]
                chosen[ingredient.id] = ingredient
            lines = []
            for ingredient in chosen.values():
                unit = rng.choice(KINDS[ingredient.kind].line_units)
                lines.append((ingredient, self.decimal(*LINE_RANGES[unit]), unit))
            return lines

        leaves = [
            self.new_recipe(base_names.pop(), "Frostings & Fillings", pick_lines(rng.randint(3, 6)))
            for _ in range(leaves_n)
        ]
        mids = []
        for _ in range(mids_n):
            comps = [
                (c, Decimal(rng.choice(("0.5", "1", "1.5", "2"))))
                for c in rng.sample(leaves, rng.randint(1, 2))
            ]
            mids.append(
                self.new_recipe(
                    base_names.pop(), "Frostings & Fillings", pick_lines(rng.randint(3, 6)), comps
                )
            )
        self.product_types: dict[int, str] = {}
        for _ in range(products_n):
            name, kind = product_names.pop()
            comps = []
            roll = rng.random()
            if roll < 0.08:
                comps = [(c, Decimal(rng.choice(("0.5", "1")))) for c in rng.sample(leaves, 2)]
            elif roll < 0.28:
                comps = [(rng.choice(mids), Decimal(rng.choice(("0.5", "1"))))]
            elif roll < 0.43:
                comps = [(rng.choice(leaves), Decimal(rng.choice(("0.5", "1", "1.5"))))]
            recipe = self.new_recipe(name, kind, pick_lines(rng.randint(3, 9)), comps)
            self.product_types[recipe.id] = kind
        # The benchmark tree: cake → buttercream → filling (three levels, 15 aggregated lines).
        leaf = mid = None
        for level in (2, 1, 0):
            name, category, _ = BENCH_RECIPES[level]
            lines = [
                (self.by_name[base], Decimal(quantity), unit)
                for lvl, base, quantity, unit in BENCH_LINES
                if lvl == level
            ]
            comps = []
            if level < 2:
                child = mid if level == 0 else leaf
                comps = [(child, Decimal(BENCH_RECIPES[level + 1][2]))]
            recipe = self.new_recipe(name, category, lines, comps)
            if level == 2:
                leaf = recipe
            elif level == 1:
                mid = recipe
        self.product_types[recipe.id] = "Cake"
        self.bench["recipe_id"] = recipe.id
        self.bench["recipe_name"] = recipe.name
        self.bench["aggregated_lines"] = len(recipe.per_batch)
        assert len(recipe.per_batch) == 15, recipe.per_batch

    def new_recipe(
        self,
        name: str,
        category: str,
        lines: list[tuple[Ingredient, Decimal, str]],
        components: list[tuple[Recipe, Decimal]] = (),
    ) -> Recipe:
        recipe = Recipe(len(self.recipes) + 1, name, lines, list(components))
        when = HISTORY_START - timedelta(days=20)
        for ingredient, quantity, unit in lines:
            amount = quantity * self.factor(ingredient, unit, ingredient.recipe_unit)
            recipe.per_batch[ingredient.id] = recipe.per_batch.get(ingredient.id, ZERO) + amount
        for child, quantity in recipe.components:
            for ingredient_id, amount in child.per_batch.items():
                recipe.per_batch[ingredient_id] = (
                    recipe.per_batch.get(ingredient_id, ZERO) + amount * quantity
                )
        self.recipes.append(recipe)
        is_base = category in ("Frostings & Fillings", "Frosting", "Filling")
        self.add(
            "recipes",
            when,
            name=name,
            slug=slugify(name),
            category=category,
            source=self.rng.choice((None, "Family recipe", "King Arthur Baking", "Grandma")),
            yield_quantity=Decimal(self.rng.choice((2, 3, 4))) if is_base else Decimal(24),
            yield_unit="cups" if is_base else "servings",
            yield_description=None,
            estimated_time_minutes=self.rng.choice((30, 45, 60, 90, 120)),
            notes=None,
        )
        for order, (ingredient, quantity, unit) in enumerate(lines):
            self.add(
                "recipe_ingredients",
                when,
                recipe_id=recipe.id,
                ingredient_id=ingredient.id,
                quantity=quantity,
                unit=unit,
                notes=None,
                sort_order=order,
            )
        for order, (child, quantity) in enumerate(recipe.components):
            self.add(
                "recipe_components",
                when,
                recipe_id=recipe.id,
                component_recipe_id=child.id,
                quantity=quantity,
                notes=None,
                sort_order=order,
            )
        return recipe

    def make_finished_units(self) -> None:
        rng = self.rng
        products = [r for r in self.recipes if r.id in self.product_types]
        owners = list(products)
        while len(owners) < self.scale.finished_units:
            owners.append(rng.choice(products))
        owners.sort(key=lambda r: r.id)
        for recipe in owners:
            kind = self.product_types[recipe.id]
            portion = kind in N.PORTION_TYPES
            first = not recipe.units
            if first:
                name = f"{recipe.name} (Slice)" if portion else recipe.name
            else:
                variants = [v for v in N.UNIT_VARIANTS if f"({v})" not in str(recipe.units)]
                name = f"{recipe.name} ({variants[0] if variants else len(recipe.units)})"
            pct = None
            if portion:
                pct = Decimal("12.5") if first else Decimal(rng.choice(("50", "100", "10")))
            row = self.add(
                "finished_units",
                HISTORY_START - timedelta(days=15),
                slug=slugify(name),
                display_name=name,
                description=None,
                recipe_id=recipe.id,
                yield_mode="batch_portion" if portion else "discrete_count",
                items_per_batch=None if portion else rng.choice((12, 16, 18, 24, 24, 36, 48)),
                item_unit="slice" if portion else kind.lower().rstrip("s"),
                batch_percentage=pct,
                portion_description="one slice" if portion else None,
                inventory_count=0,
                category=kind,
                production_notes=None,
                notes=None,
            )
            recipe.units.append(row)
            self.unit_rows[row["id"]] = row
        bench = self.recipes[self.bench["recipe_id"] - 1]
        self.bench["finished_unit_id"] = bench.units[0]["id"]

    def make_goods_and_packages(self) -> None:
        rng, scale = self.rng, self.scale
        discrete = [u for u in self.unit_rows.values() if u["yield_mode"] == "discrete_count"]
        gift_units = rng.sample(discrete, min(len(discrete), max(10, len(self.unit_rows) * 3 // 8)))
        self.gift_unit_ids = {u["id"] for u in gift_units}
        packaging = [i for i in self.ingredients if i.packaging]
        names = [f"{t} {c}" for t in N.GOOD_THEMES for c in N.GOOD_CONTAINERS]
        rng.shuffle(names)
        simple_count = max(3, scale.finished_goods // 6)
        when = HISTORY_START - timedelta(days=10)
        for index in range(scale.finished_goods):
            bench = index == scale.finished_goods - 1
            name = BENCH_GOOD if bench else names.pop()
            row = self.add(
                "finished_goods",
                when,
                slug=slugify(name),
                display_name=name,
                description=None,
                assembly_type=rng.choice(
                    ("gift_box", "variety_pack", "holiday_set", "bulk_pack", "custom_order")
                ),
                packaging_instructions=rng.choice((None, "Tissue first, ribbon last")),
                inventory_count=0,
                notes=None,
            )
            parts: list[tuple[str, Any, Decimal]] = []
            if bench:
                chosen = rng.sample(gift_units, len(BENCH_GOOD_UNIT_QUANTITIES))
                parts += [
                    ("finished_unit_id", u, Decimal(q))
                    for u, q in zip(chosen, BENCH_GOOD_UNIT_QUANTITIES, strict=True)
                ]
                parts += [
                    ("packaging_product_id", self.by_name[name], Decimal(quantity))
                    for name, quantity in BENCH_PACKAGING
                ]
                self.bench["finished_good_id"] = row["id"]
                self.bench["finished_good_name"] = name
                self.bench["good_unit_ids"] = [u["id"] for u in chosen]
            else:
                k = rng.choices((1, 2, 3, 4, 5), (2, 3, 3, 2, 1))[0]
                parts += [
                    ("finished_unit_id", u, Decimal(rng.choice((1, 2, 3, 4, 6))))
                    for u in rng.sample(gift_units, k)
                ]
                if index >= simple_count and rng.random() < 0.12:
                    inner = self.goods[rng.randrange(simple_count)]
                    parts.append(("finished_good_id", inner, Decimal(rng.choice((1, 2)))))
                for ingredient in rng.sample(packaging, rng.choice((1, 1, 2))):
                    quantity = (
                        Decimal(rng.choice(("0.5", "0.75", "1", "1.5")))
                        if ingredient.kind == "pack_length"
                        else Decimal(rng.choice((1, 1, 1, 2)))
                    )
                    parts.append(("packaging_product_id", ingredient, quantity))
            good = Good(row["id"], row, [], nested=False)
            for order, (column, target, quantity) in enumerate(parts):
                good.parts.append(
                    {
                        "column": column,
                        "target": target,  # unit row, Good, or packaging Ingredient (product later)
                        "quantity": quantity,
                        "sort_order": order,
                    }
                )
                good.nested |= column == "finished_good_id"
            self.goods.append(good)
        self.package_names: list[str] = []
        occasions = [f"{t} {o} Package" for t in N.PACKAGE_TIERS for o in N.PACKAGE_OCCASIONS]
        rng.shuffle(occasions)
        self.package_packaging: list[tuple[int, Ingredient]] = []
        for _ in range(scale.packages):
            name = occasions.pop()
            row = self.add(
                "packages", when, name=name, description=None, is_template=False, notes=None
            )
            self.package_names.append(name)
            for good in rng.sample(self.goods, rng.randint(1, 4)):
                self.add(
                    "package_finished_goods",
                    when,
                    package_id=row["id"],
                    finished_good_id=good.id,
                    quantity=rng.choice((1, 1, 2, 3)),
                )
            if rng.random() < 0.5:
                self.package_packaging.append((row["id"], rng.choice(packaging)))

    def make_people_and_events(self) -> None:
        rng, scale = self.rng, self.scale
        people = [f"{f} {last}" for f in N.FIRST_NAMES for last in N.LAST_NAMES]
        rng.shuffle(people)
        for name in people[: scale.recipients]:
            self.add(
                "recipients",
                HISTORY_START - timedelta(days=5),
                name=name,
                household_name=f"The {name.split()[-1]} Family" if rng.random() < 0.4 else None,
                address=None,
                notes=None,
            )
        first, last = date(2024, 2, 10), date(2026, 4, 30)
        span = (last - first).days
        self.events: list[dict] = []
        taken = set()
        for index in range(scale.events):
            day = first + timedelta(
                days=int(span * index / max(1, scale.events - 1)) + rng.randint(-3, 3)
            )
            theme = N.EVENT_THEMES[index % len(N.EVENT_THEMES)]
            name = theme if (theme, day.year) not in taken else f"{theme} (Second)"
            taken.add((name, day.year))
            row = self.add(
                "events",
                HISTORY_START - timedelta(days=5),
                name=f"{name} {day.year}",
                event_date=day,
                year=day.year,
                notes=None,
            )
            self.events.append(row)

    # --- history ----------------------------------------------------------------------------------

    def make_schedule(self) -> list[RunSpec]:
        rng, scale = self.rng, self.scale
        products = [r for r in self.recipes if r.units]
        weights = [
            4 if any(u["id"] in self.gift_unit_ids for u in r.units) else 1 for r in products
        ]
        bench_runs = self.bench_stock_runs()
        specs: list[RunSpec] = []
        for _ in range(scale.production_runs - len(bench_runs)):
            at, event_id = self.when_and_event(45, 0.85)
            recipe = rng.choices(products, weights)[0]
            unit_weights = [3 if u["id"] in self.gift_unit_ids else 1 for u in recipe.units]
            unit = rng.choices(recipe.units, unit_weights)[0]
            specs.append(
                RunSpec(
                    at,
                    "production",
                    event_id,
                    rng.choice((1, 1, 1, 2, 2, 3, 4)),
                    recipe=recipe,
                    unit=unit,
                    voided=rng.random() < 0.01,
                )
            )
        spares = max(5, scale.assembly_runs // 20)
        for index in range(scale.assembly_runs + spares):
            at, event_id = self.when_and_event(20, 0.8)
            size = rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 12))
            voided = rng.random() < 0.01
            spec = RunSpec(at, "assembly", event_id, size, voided=voided, spare=index % 21 == 20)
            specs.append(spec)
        sweep = HISTORY_START + timedelta(days=SWEEP_DAYS)
        while sweep < LAST_REGULAR_RUN:
            specs.append(RunSpec(sweep.replace(hour=21), "sweep", None, 0))
            sweep += timedelta(days=SWEEP_DAYS)
        specs.sort(key=lambda s: s.at)
        return specs + bench_runs

    def bench_stock_runs(self) -> list[RunSpec]:
        """Late runs that leave the benchmark good's five finished units well stocked."""
        specs = []
        start = NOW - timedelta(days=2)
        good = self.goods[self.bench["finished_good_id"] - 1]
        for part in good.parts:
            if part["column"] != "finished_unit_id":
                continue
            unit = part["target"]
            need = int(part["quantity"]) * BENCH_ASSEMBLIES * 11 // 10
            runs = math.ceil(need / (unit["items_per_batch"] * 8))
            recipe = self.recipes[unit["recipe_id"] - 1]
            for _ in range(runs):
                at = start + timedelta(minutes=20 * len(specs))
                specs.append(
                    RunSpec(at, "production", None, 8, recipe=recipe, unit=unit, bench_stock=True)
                )
        return specs

    def when_and_event(self, lead_days: int, attach: float) -> tuple[datetime, int | None]:
        """A run's time, clustered before events, and the event it is recorded for (if any)."""
        rng = self.rng
        if rng.random() < 0.7:
            event = rng.choice(self.events)
            day = event["event_date"] - timedelta(days=rng.randint(0, lead_days))
            at = datetime(day.year, day.month, day.day, rng.randint(7, 20), tzinfo=UTC)
            at += timedelta(minutes=rng.randint(0, 59))
            if HISTORY_START <= at <= LAST_REGULAR_RUN:
                return at, event["id"] if rng.random() < attach else None
        at = self.moment(HISTORY_START, LAST_REGULAR_RUN)
        ahead = [
            e for e in self.events if at.date() <= e["event_date"] <= at.date() + timedelta(days=30)
        ]
        if ahead and rng.random() < 0.3:
            return at, ahead[0]["id"]
        return at, None

    def estimate_demand(self, specs: list[RunSpec]) -> None:
        """Expected need and number of draws per ingredient, to size the lots bought on demand."""
        by_id = {i.id: i for i in self.ingredients}
        for spec in specs:
            if spec.kind == "sweep":
                continue
            if spec.kind == "production":
                for ingredient_id, amount in spec.recipe.per_batch.items():
                    ingredient = by_id[ingredient_id]
                    ingredient.demand += amount * spec.size
                    ingredient.uses += 1
            else:
                good = self.rng.choice(self.goods)
                for part in good.parts:
                    if part["column"] == "packaging_product_id":
                        part["target"].demand += part["quantity"] * spec.size
                        part["target"].uses += 1
        reserved = (len(BENCH_LINES) - 2 + len(BENCH_PACKAGING)) * BENCH_LOTS
        share = self.scale.on_demand_share
        target = (Decimal(self.scale.lots - reserved) * share).to_integral_value()
        total_uses = sum(i.uses for i in self.ingredients) or 1
        for ingredient in self.ingredients:
            if ingredient.uses:
                lots = max(ONE, target * ingredient.uses / total_uses)
                ingredient.lot_size = ingredient.demand / lots

    def make_products(self) -> None:
        rng = self.rng
        for ingredient in self.ingredients:
            kind = KINDS[ingredient.kind]
            preferred_index = rng.randrange(self.scale.products_per_ingredient)
            has_preferred = rng.random() < 0.7
            for index in range(self.scale.products_per_ingredient):
                unit, sizes = kind.product_units[index % len(kind.product_units)]
                if ingredient.lot_size > 0:
                    wanted = ingredient.lot_size / self.factor(ingredient, unit, kind.recipe_unit)
                    package = min(
                        (Decimal(s) for s in sizes),
                        key=lambda s, w=wanted: abs(s - w / rng.choice((1, 2, 3))),
                    )
                else:
                    package = Decimal(rng.choice(sizes))
                price = round_money(
                    ingredient.price
                    * self.factor(ingredient, unit, kind.recipe_unit)
                    * Decimal(str(rng.uniform(0.8, 1.3)))
                )
                brand = rng.choice(N.BRANDS)
                product = Product(
                    id=len(self.rows["products"]) + 1,
                    ingredient=ingredient,
                    unit=unit,
                    package=package,
                    price=max(price, Decimal("0.0001")),
                    preferred=has_preferred and index == preferred_index,
                )
                ingredient.products.append(product)
                self.add(
                    "products",
                    HISTORY_START - timedelta(days=25),
                    ingredient_id=ingredient.id,
                    brand=brand,
                    package_size=f"{package.normalize():f} {unit}",
                    package_type=rng.choice(("bag", "box", "jar", "bottle", "case", "carton")),
                    purchase_unit=unit,
                    purchase_quantity=package,
                    upc_code=None,
                    gtin=None,
                    supplier=rng.choice(N.SUPPLIERS),
                    supplier_sku=None,
                    preferred=product.preferred,
                    notes=None,
                )
        for good in self.goods:  # packaging rows name a product of the chosen ingredient
            for part in good.parts:
                if part["column"] == "packaging_product_id":
                    part["target"] = self.product_of(part["target"])
        when = HISTORY_START - timedelta(days=10)
        for good in self.goods:
            for part in good.parts:
                target = part["target"]
                self.add(
                    "compositions",
                    when,
                    assembly_id=good.id,
                    package_id=None,
                    finished_unit_id=target["id"] if part["column"] == "finished_unit_id" else None,
                    finished_good_id=target.id if part["column"] == "finished_good_id" else None,
                    packaging_product_id=target.id
                    if part["column"] == "packaging_product_id"
                    else None,
                    component_quantity=part["quantity"],
                    component_notes=None,
                    sort_order=part["sort_order"],
                )
        for package_id, ingredient in self.package_packaging:
            self.add(
                "compositions",
                when,
                assembly_id=None,
                package_id=package_id,
                finished_unit_id=None,
                finished_good_id=None,
                packaging_product_id=self.product_of(ingredient).id,
                component_quantity=ONE,
                component_notes=None,
                sort_order=0,
            )

    def product_of(self, ingredient: Ingredient) -> Product:
        preferred = [p for p in ingredient.products if p.preferred]
        if preferred and self.rng.random() < 0.6:
            return preferred[0]
        return self.rng.choice(ingredient.products)

    def buy(
        self,
        ingredient: Ingredient,
        at: datetime,
        amount: Decimal | None = None,
        *,
        product: Product | None = None,
        purchased: bool | None = None,
    ) -> dict:
        """One lot of the ingredient, bought shortly before ``at`` (a purchase for most lots;
        ``purchased`` forces the choice: False is stock added by hand, ``add_to_inventory``)."""
        rng = self.rng
        product = product or self.product_of(ingredient)
        per_unit = self.factor(ingredient, product.unit, ingredient.recipe_unit)
        wanted = (amount or ingredient.lot_size * Decimal(str(rng.uniform(0.6, 1.4)))) / per_unit
        if wanted >= product.package * Decimal("1.5"):  # whole packages, rounded to the nearest
            quantity = product.package * int((wanted / product.package).to_integral_value())
        else:  # less than a couple of packages: bought loose, by the amount
            quantity = max(CENTS, wanted.quantize(CENTS))
        day = max(ingredient.last_purchase, (at - timedelta(days=rng.randint(0, 5))).date())
        ingredient.last_purchase = day
        years = Decimal((day - FIRST_DAY).days) / 365
        price = round_money(
            product.price * (1 + Decimal("0.05") * years) * Decimal(str(rng.uniform(0.92, 1.1)))
        )
        price = max(price, Decimal("0.0001"))
        bought = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        purchase_id = None
        unit_cost = price
        if purchased if purchased is not None else rng.random() < 0.6:
            total = max(CENTS, (quantity * price).quantize(CENTS))
            unit_cost = round_money(total / quantity)
            purchase_id = self.add(
                "purchases",
                bought,
                product_id=product.id,
                purchase_date=day,
                quantity_purchased=quantity,
                total_cost=total,
                unit_cost=unit_cost,
                supplier=rng.choice(N.SUPPLIERS),
                receipt_number=f"R{rng.randint(100000, 999999)}" if rng.random() < 0.5 else None,
                notes=None,
            )["id"]
        expires = None
        if ingredient.category in PERISHABLE:
            expires = day + timedelta(days=rng.randint(14, 60))
        elif not ingredient.packaging and rng.random() < 0.5:
            expires = day + timedelta(days=rng.randint(180, 720))
        lot = self.add(
            "inventory_items",
            bought,
            product_id=product.id,
            purchase_id=purchase_id,
            initial_quantity=quantity,
            quantity=quantity,
            unit_cost=unit_cost,
            purchase_date=day,
            expiration_date=expires,
            opened_date=None,
            location=None if ingredient.packaging else rng.choice(N.LOCATIONS),
            lot_or_batch=None,
            notes=None,
        )
        lot["_unit"] = product.unit  # generator bookkeeping, stripped before insert
        ingredient.open_lots.append(lot)
        return lot

    def draw_pantry(
        self, ingredient: Ingredient, need: Decimal, at: datetime, apply: bool, on_demand: bool
    ):
        """FIFO plan over the open lots (buying more when short); applied unless ``apply`` is
        false (a voided run, whose draws were given back)."""
        while True:
            snapshots = [
                LotSnapshot(
                    lot["id"],
                    lot["purchase_date"],
                    lot["quantity"],
                    lot["_unit"],
                    lot["unit_cost"],
                    lot["product_id"],
                )
                for lot in ingredient.open_lots
            ]
            plan = plan_fifo(
                snapshots,
                need,
                ingredient.recipe_unit,
                lambda q, a, b, i=ingredient: q * self.factor(i, a, b),
            )
            if plan.satisfied:
                break
            self.buy(ingredient, at)
            self.on_demand_lots += on_demand
        if apply:
            by_id = {lot["id"]: lot for lot in ingredient.open_lots}
            for draw in plan.draws:
                lot = by_id[draw.lot_id]
                lot["quantity"] -= draw.quantity
                lot["updated_at"] = at
                lot["opened_date"] = lot["opened_date"] or at.date()
            ingredient.open_lots = [lot for lot in ingredient.open_lots if lot["quantity"] > 0]
        return plan

    def simulate(self, specs: list[RunSpec]) -> None:
        by_id = {i.id: i for i in self.ingredients}
        produced, missing, spare_left = 0, 0, sum(s.spare for s in specs)
        regular_left = sum(s.kind == "assembly" and not s.spare for s in specs)
        wanted = self.scale.assembly_runs
        for spec in specs:
            if spec.kind == "production":
                self.produce(spec, by_id)
                produced += 1
                continue
            if spec.kind == "sweep":
                self.sweep(spec.at)
                continue
            done = len(self.rows["assembly_runs"])
            if spec.spare:
                spare_left -= 1
                if done + regular_left < wanted and self.assemble(spec):
                    continue
            else:
                regular_left -= 1
                if done < wanted and not self.assemble(spec):
                    missing += 1
        assert produced == self.scale.production_runs
        assert len(self.rows["assembly_runs"]) == wanted, (len(self.rows["assembly_runs"]), missing)

    def produce(self, spec: RunSpec, by_id: dict[int, Ingredient]) -> None:
        rng = self.rng
        unit = spec.unit
        if unit["yield_mode"] == "batch_portion":
            expected = int(
                (Decimal(spec.size) * 100 / unit["batch_percentage"]).to_integral_value(ROUND_FLOOR)
            )
        else:
            expected = spec.size * unit["items_per_batch"]
        loss = 0
        if not spec.bench_stock and rng.random() < 0.12:
            loss = rng.randint(1, max(1, expected // 10))
        actual = max(0, expected - loss)
        lines = []
        for ingredient_id, per_batch in sorted(spec.recipe.per_batch.items()):
            ingredient = by_id[ingredient_id]
            need = round_quantity(per_batch * spec.size)
            if need <= 0:
                continue
            plan = self.draw_pantry(ingredient, need, spec.at, not spec.voided, True)
            lines.append((ingredient, plan))
        total = sum((plan.total_cost for _, plan in lines), ZERO)
        run = self.add(
            "production_runs",
            spec.at,
            recipe_id=spec.recipe.id,
            finished_unit_id=unit["id"],
            event_id=spec.event_id,
            num_batches=spec.size,
            expected_yield=expected,
            actual_yield=actual,
            loss_quantity=loss,
            loss_category=rng.choice(("burnt", "broken", "tasting", "gifted")) if loss else None,
            produced_at=spec.at,
            notes=rng.choice((None, None, None, "Oven ran hot", "Doubled the vanilla")),
            total_ingredient_cost=total,
            per_unit_cost=round_money(total / actual) if actual else Decimal("0.0000"),
            voided_at=spec.at + timedelta(hours=2) if spec.voided else None,
            void_reason="Recorded twice" if spec.voided else None,
        )
        for ingredient, plan in lines:
            line = self.add(
                "production_consumptions",
                spec.at,
                production_run_id=run["id"],
                ingredient_id=ingredient.id,
                quantity_consumed=plan.consumed,
                unit=ingredient.recipe_unit,
                total_cost=plan.total_cost,
            )
            for draw in plan.draws:
                self.add(
                    "production_consumption_lots",
                    spec.at,
                    consumption_id=line["id"],
                    inventory_item_id=draw.lot_id,
                    quantity=draw.quantity,
                    unit=draw.unit,
                    unit_cost=draw.unit_cost,
                    cost=draw.cost,
                )
        if actual and not spec.voided:
            lot = self.add(
                "finished_unit_lots",
                spec.at,
                finished_unit_id=unit["id"],
                production_run_id=run["id"],
                adjustment_id=None,
                lot_at=spec.at,
                quantity_initial=actual,
                quantity_remaining=actual,
                unit_cost=round_money(total / actual),
                total_cost=total,
                remaining_cost=total,
            )
            self.unit_stock[unit["id"]].append(lot)

    @staticmethod
    def draw_cost(lot: dict, quantity: int) -> Decimal:
        """As ``core.fifo.unit_draw_cost`` (k of a lot's n units cost total × k ÷ n, rounded
        half-up to 4 places; the draw that empties the lot takes what it has left), and never more
        than the lot has left."""
        if quantity >= lot["quantity_remaining"]:
            return lot["remaining_cost"]
        cost = round_money(lot["total_cost"] * quantity / lot["quantity_initial"])
        return min(cost, lot["remaining_cost"])

    def draw_stock(self, lots: list[dict], need: int, at: datetime, apply: bool) -> list[tuple]:
        draws, remaining = [], need
        for lot in lots:
            if remaining <= 0:
                break
            take = min(lot["quantity_remaining"], remaining)
            draws.append((lot, take, self.draw_cost(lot, take)))
            remaining -= take
        assert remaining == 0
        if apply:
            for lot, take, cost in draws:
                lot["quantity_remaining"] -= take
                lot["remaining_cost"] -= cost
                lot["updated_at"] = at
            lots[:] = [lot for lot in lots if lot["quantity_remaining"] > 0]
        return draws

    def stock_of(self, part: dict) -> list[dict]:
        if part["column"] == "finished_unit_id":
            return self.unit_stock[part["target"]["id"]]
        return self.good_stock[part["target"].id]

    def assemble(self, spec: RunSpec) -> bool:
        """One assembly run of a finished good whose components are in stock (False if none)."""
        rng = self.rng
        candidates = self.goods[:-1]  # the benchmark good is stocked at the end
        tries = [rng.choice(candidates) for _ in range(40)] + candidates
        good, quantity = None, 0
        for candidate in tries:
            most = spec.size
            for part in candidate.parts:
                if part["column"] != "packaging_product_id":
                    have = sum(lot["quantity_remaining"] for lot in self.stock_of(part))
                    most = min(most, have // int(part["quantity"]))
            if most >= 1:
                good, quantity = candidate, most
                break
        if good is None:
            return False
        apply = not spec.voided
        consumed = []
        for part in good.parts:
            if part["column"] == "packaging_product_id":
                product = part["target"]
                need = round_quantity(part["quantity"] * quantity)
                plan = self.draw_pantry(product.ingredient, need, spec.at, apply, True)
                consumed.append((part, plan))
            else:
                need = int(part["quantity"]) * quantity
                consumed.append((part, self.draw_stock(self.stock_of(part), need, spec.at, apply)))
        total = ZERO
        for part, result in consumed:
            if part["column"] == "packaging_product_id":
                total += result.total_cost
            else:
                total += sum((cost for _, _, cost in result), ZERO)
        run = self.add(
            "assembly_runs",
            spec.at,
            finished_good_id=good.id,
            event_id=spec.event_id,
            quantity_assembled=quantity,
            assembled_at=spec.at,
            notes=None,
            total_component_cost=total,
            per_unit_cost=round_money(total / quantity),
            voided_at=spec.at + timedelta(hours=1) if spec.voided else None,
            void_reason="Wrong finished good" if spec.voided else None,
        )
        for part, result in consumed:
            if part["column"] == "packaging_product_id":
                self.packaging_ledger(run, part["target"], result, spec.at)
                continue
            unit_part = part["column"] == "finished_unit_id"
            cost = sum((c for _, _, c in result), ZERO)
            needed = int(part["quantity"]) * quantity
            summary = "assembly_finished_unit" if unit_part else "assembly_finished_good"
            line = self.add(
                f"{summary}_consumptions",
                spec.at,
                assembly_run_id=run["id"],
                **(
                    {"finished_unit_id": part["target"]["id"]}
                    if unit_part
                    else {"finished_good_id": part["target"].id}
                ),
                quantity_consumed=needed,
                unit_cost_at_consumption=round_money(cost / needed),
                total_cost=cost,
            )
            lot_column = "finished_unit_lot_id" if unit_part else "finished_good_lot_id"
            for lot, take, draw_cost in result:
                self.add(
                    f"{summary}_consumption_lots",
                    spec.at,
                    consumption_id=line["id"],
                    **{lot_column: lot["id"]},
                    quantity=take,
                    unit_cost=lot["unit_cost"],
                    cost=draw_cost,
                )
        if apply:
            lot = self.add(
                "finished_good_lots",
                spec.at,
                finished_good_id=good.id,
                assembly_run_id=run["id"],
                adjustment_id=None,
                lot_at=spec.at,
                quantity_initial=quantity,
                quantity_remaining=quantity,
                unit_cost=round_money(total / quantity),
                total_cost=total,
                remaining_cost=total,
            )
            self.good_stock[good.id].append(lot)
        return True

    def packaging_ledger(self, run: dict, product: Product, plan, at: datetime) -> None:
        line = self.add(
            "assembly_packaging_consumptions",
            at,
            assembly_run_id=run["id"],
            product_id=product.id,
            quantity_consumed=plan.consumed,
            unit=product.ingredient.recipe_unit,
            total_cost=plan.total_cost,
        )
        for draw in plan.draws:
            self.add(
                "assembly_packaging_consumption_lots",
                at,
                consumption_id=line["id"],
                inventory_item_id=draw.lot_id,
                product_id=draw.product_id,
                quantity=draw.quantity,
                unit=draw.unit,
                unit_cost=draw.unit_cost,
                cost=draw.cost,
            )

    # --- after the history ------------------------------------------------------------------------

    def adjustments(self) -> None:
        """Manual corrections: pantry lots, finished units drawn FIFO, finished units found."""
        rng = self.rng
        start = LAST_REGULAR_RUN + timedelta(hours=1)
        bench_names = {base for _, base, _, _ in BENCH_LINES} | {n for n, _ in BENCH_PACKAGING}
        open_lots = [
            lot for i in self.ingredients if i.name not in bench_names for lot in i.open_lots
        ]
        for lot in rng.sample(open_lots, min(len(open_lots), self.scale.lots // 300)):
            at = self.moment(start, start + timedelta(hours=12))
            if rng.random() < 0.8:
                delta = -round_quantity(lot["quantity"] * Decimal(str(rng.uniform(0.1, 0.6))))
                reason = rng.choice(("spoiled", "lost", "count_correction"))
            else:
                delta, reason = round_quantity(lot["quantity"] * Decimal("0.1")), "count_correction"
            if delta == 0:
                continue
            lot["quantity"] += delta
            lot["updated_at"] = at
            self.add(
                "stock_adjustments",
                at,
                inventory_item_id=lot["id"],
                finished_unit_id=None,
                finished_good_id=None,
                delta=delta,
                reason=reason,
                unit_cost=lot["unit_cost"],
                adjusted_at=at,
                notes=None,
            )
        protected = set(self.bench["good_unit_ids"])
        stocked = [u for u, lots in self.unit_stock.items() if lots and u not in protected]
        for unit_id in rng.sample(stocked, min(len(stocked), max(2, self.scale.lots // 2500))):
            have = sum(lot["quantity_remaining"] for lot in self.unit_stock[unit_id])
            at = self.moment(start + timedelta(hours=12), start + timedelta(hours=18))
            reason = rng.choice(("gift", "spoiled", "lost"))
            self.take_stock(True, unit_id, rng.randint(1, max(1, min(have, 6))), at, reason, None)
        units_list = [u for u in self.unit_rows if u not in protected]
        found = min(len(units_list), max(2, self.scale.lots // 1000))
        for unit_id in rng.sample(units_list, found):
            at = self.moment(start + timedelta(hours=18), start + timedelta(hours=23))
            delta = rng.randint(2, 24)
            unit_cost = self.money_between("0.20", "2.50")
            adjustment = self.add(
                "stock_adjustments",
                at,
                inventory_item_id=None,
                finished_unit_id=unit_id,
                finished_good_id=None,
                delta=Decimal(delta),
                reason="count_correction",
                unit_cost=unit_cost,
                adjusted_at=at,
                notes="Found in the freezer",
            )
            lot = self.add(
                "finished_unit_lots",
                at,
                finished_unit_id=unit_id,
                production_run_id=None,
                adjustment_id=adjustment["id"],
                lot_at=at,
                quantity_initial=delta,
                quantity_remaining=delta,
                unit_cost=unit_cost,
                total_cost=unit_cost * delta,
                remaining_cost=unit_cost * delta,
            )
            self.unit_stock[unit_id].append(lot)

    def sweep(self, at: datetime) -> None:
        """Leftovers given away: every finished unit and good keeps its newest
        ``Scale.keep_lots`` lots; older ones are drawn by one negative adjustment each (finished
        goods delivered and loose cookies handed out are not otherwise taken out of stock)."""
        for is_unit, stock in ((True, self.unit_stock), (False, self.good_stock)):
            for item_id, lots in sorted(stock.items()):
                keep = self.scale.keep_lots
                if len(lots) > keep:
                    take = sum(lot["quantity_remaining"] for lot in lots[:-keep])
                    self.take_stock(is_unit, item_id, take, at, "gift", "Leftovers given away")

    def take_stock(
        self, is_unit: bool, item_id: int, take: int, at: datetime, reason: str, notes
    ) -> None:
        """A negative adjustment of a finished unit or good, drawing its lots FIFO."""
        adjustment = self.add(
            "stock_adjustments",
            at,
            inventory_item_id=None,
            finished_unit_id=item_id if is_unit else None,
            finished_good_id=None if is_unit else item_id,
            delta=Decimal(-take),
            reason=reason,
            unit_cost=None,
            adjusted_at=at,
            notes=notes,
        )
        lots = (self.unit_stock if is_unit else self.good_stock)[item_id]
        for lot, quantity, cost in self.draw_stock(lots, take, at, True):
            self.add(
                "adjustment_draws",
                at,
                adjustment_id=adjustment["id"],
                finished_unit_lot_id=lot["id"] if is_unit else None,
                finished_good_lot_id=None if is_unit else lot["id"],
                quantity=quantity,
                unit_cost=lot["unit_cost"],
                cost=cost,
            )

    def bench_stock(self) -> None:
        """Pantry lots for ``BENCH_PRODUCTION_BATCHES`` benchmark batches and packaging for
        ``BENCH_ASSEMBLIES`` benchmark assemblies, bought the day before ``NOW``."""
        at = NOW - timedelta(days=1)
        recipe = self.recipes[self.bench["recipe_id"] - 1]
        by_id = {i.id: i for i in self.ingredients}
        wanted = [
            (by_id[i], amount * BENCH_PRODUCTION_BATCHES * Decimal("1.05"))
            for i, amount in recipe.per_batch.items()
        ]
        good = self.goods[self.bench["finished_good_id"] - 1]
        wanted += [
            (p["target"].ingredient, p["quantity"] * BENCH_ASSEMBLIES * Decimal("1.05"))
            for p in good.parts
            if p["column"] == "packaging_product_id"
        ]
        for ingredient, amount in wanted:
            for _ in range(BENCH_LOTS):
                self.buy(ingredient, at, amount / BENCH_LOTS)

    def top_up_pantry(self) -> None:
        """Current stock: the lots not bought during the history, spread over the ingredients
        (each gets ``Scale.min_top_up``, busy ones more, about ``Scale.max_top_up`` at most; on
        the big season the benchmark ingredients have their ``BENCH_LOTS`` already). On a shape
        with ``min_purchases``, the first lots of a product short of purchases are purchases;
        the rest are purchases or hand-added stock as ``Scale.top_up_purchases`` says."""
        rng, scale = self.rng, self.scale
        left = scale.lots - len(self.rows["inventory_items"])
        assert left >= len(self.ingredients), f"only {left} lots left for the current pantry"
        bench_names = {base for _, base, _, _ in BENCH_LINES} | {n for n, _ in BENCH_PACKAGING}
        if scale.top_up_bench:
            bench_names = set()
        weights = [
            0.0 if i.name in bench_names else _weight(i.uses + 1, scale.top_up_power)
            for i in self.ingredients
        ]
        floor = scale.min_top_up

        def counts(k: float) -> list[int]:
            return [min(scale.max_top_up, floor + int(k * w)) if w else 0 for w in weights]

        low, high = 0.0, float(left)
        for _ in range(60):
            middle = (low + high) / 2
            if sum(counts(middle)) > left:
                high = middle
            else:
                low = middle
        plan = counts(low)
        order = sorted(range(len(plan)), key=lambda i: -weights[i])
        index = 0
        while sum(plan) < left:
            j = order[index % len(order)]
            plan[j] += weights[j] > 0
            index += 1
        purchases: dict[int, int] = defaultdict(int)
        for row in self.rows["purchases"]:
            purchases[row["product_id"]] += 1
        for ingredient, count in zip(self.ingredients, plan, strict=True):
            short = [
                product
                for product in ingredient.products
                for _ in range(max(0, scale.min_purchases - purchases[product.id]))
            ]
            for number in range(count):
                at = NOW - timedelta(days=rng.randint(1, 30))
                size = ingredient.lot_size or Decimal(rng.randint(5, 40))
                amount = size * Decimal(str(rng.uniform(0.5, 2.0)))
                if not scale.min_purchases and scale.top_up_purchases:
                    self.buy(ingredient, at, amount)  # the big season: as the history buys
                elif number < len(short):
                    self.buy(ingredient, at, amount, product=short[number], purchased=True)
                else:
                    self.buy(ingredient, at, amount, purchased=scale.top_up_purchases)
        assert len(self.rows["inventory_items"]) == scale.lots

    def targets_and_assignments(self) -> None:
        rng = self.rng
        produced: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for run in self.rows["production_runs"]:
            if run["event_id"] and not run["voided_at"]:
                produced[run["event_id"]][run["recipe_id"]] += run["num_batches"]
        assembled: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for run in self.rows["assembly_runs"]:
            if run["event_id"] and not run["voided_at"]:
                assembled[run["event_id"]][run["finished_good_id"]] += run["quantity_assembled"]
        products = [r.id for r in self.recipes if r.units]
        goods = [g.id for g in self.goods]
        recipients = [r["id"] for r in self.rows["recipients"]]
        packages = [p["id"] for p in self.rows["packages"]]
        for event in self.events:
            upcoming = event["event_date"] >= TODAY
            when = datetime.combine(event["event_date"], datetime.min.time(), UTC) - timedelta(
                days=60
            )
            self.targets(event, produced[event["id"]], products, upcoming, when, "production")
            self.targets(event, assembled[event["id"]], goods, upcoming, when, "assembly")
            taken = set()
            for _ in range(rng.randint(25, 60)):
                key = (rng.choice(recipients), rng.choice(packages))
                if key in taken:
                    continue
                taken.add(key)
                roll = rng.random()
                if upcoming:
                    status = "pending" if roll < 0.5 else "ready" if roll < 0.85 else "delivered"
                else:
                    status = "delivered" if roll < 0.9 else "ready" if roll < 0.98 else "pending"
                delivered = status == "delivered"
                day = min(event["event_date"], TODAY - timedelta(days=1))
                self.add(
                    "event_recipient_packages",
                    when,
                    event_id=event["id"],
                    recipient_id=key[0],
                    package_id=key[1],
                    quantity=rng.choice((1, 1, 1, 2, 3)),
                    notes=None,
                    fulfillment_status=status,
                    delivered_to=rng.choice(("In person", "Front porch", "Neighbor"))
                    if delivered
                    else None,
                    delivered_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
                    if delivered
                    else None,
                )
        upcoming_events = [e for e in self.events if e["event_date"] >= TODAY]
        busiest = max(
            upcoming_events or self.events,
            key=lambda e: (len(produced[e["id"]]) + len(assembled[e["id"]]), -e["id"]),
        )
        self.bench["event_id"] = busiest["id"]
        self.bench["event_name"] = busiest["name"]

    def targets(self, event, done: dict[int, int], pool, upcoming, when, kind) -> None:
        rng = self.rng
        chosen = sorted(done, key=lambda k: -done[k])[:12]
        if upcoming or not chosen:
            extra = [k for k in pool if k not in done]
            chosen += rng.sample(extra, min(len(extra), rng.randint(3, 6)))
        for key in chosen:
            have = done.get(key, 0)
            if upcoming:
                target = have + rng.randint(1, 12)
            elif have:
                target = max(1, round(have * rng.uniform(0.85, 1.1)))
            else:
                target = rng.randint(2, 10)
            if kind == "production":
                self.add(
                    "event_production_targets",
                    when,
                    event_id=event["id"],
                    recipe_id=key,
                    target_batches=target,
                    notes=None,
                )
            else:
                self.add(
                    "event_assembly_targets",
                    when,
                    event_id=event["id"],
                    finished_good_id=key,
                    target_quantity=target,
                    notes=None,
                )

    def finish_counts(self) -> None:
        for row in self.rows["finished_units"]:
            row["inventory_count"] = sum(
                lot["quantity_remaining"] for lot in self.unit_stock.get(row["id"], [])
            )
        for row in self.rows["finished_goods"]:
            row["inventory_count"] = sum(
                lot["quantity_remaining"] for lot in self.good_stock.get(row["id"], [])
            )
        self.bench["production_capacity_batches"] = BENCH_PRODUCTION_BATCHES
        self.bench["assembly_capacity"] = BENCH_ASSEMBLIES
        self.bench["lines_per_level"] = [
            sum(1 for lvl, *_ in BENCH_LINES if lvl == level) for level in range(3)
        ]

    # --- output -----------------------------------------------------------------------------------

    def write(self, path: Path) -> dict[str, int]:
        """Migrate a new file to head and insert every row (Core executemany, explicit ids)."""
        engine = db.make_engine(f"sqlite:///{path}")
        try:
            db.upgrade_to_head(engine)
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                raw.execute("PRAGMA foreign_keys=OFF")  # parents go first anyway; checked below
                raw.execute("PRAGMA synchronous=OFF")
                raw.execute("PRAGMA cache_size=-200000")
                with conn.begin():
                    for table in Base.metadata.sorted_tables:
                        rows = self.rows.get(table.name, [])
                        complete = _completed(table, rows)
                        for start in range(0, len(complete), 20_000):
                            conn.execute(insert(table), complete[start : start + 20_000])
                raw.execute("PRAGMA foreign_keys=ON")
        finally:
            engine.dispose()
        return {name: len(rows) for name, rows in sorted(self.rows.items())}


def _weight(uses: int, power: float) -> float:
    return math.sqrt(uses) if power == 0.5 else uses**power  # sqrt: the big season as built


def _completed(table, rows: list[dict]) -> list[dict]:
    """Rows with every column of the table (executemany needs the same keys in every row)."""
    template = {}
    for column in table.columns:
        default = column.default
        template[column.name] = default.arg if default is not None and default.is_scalar else None
    names = set(template)
    return [{**template, **{k: v for k, v in row.items() if k in names}} for row in rows]


# --- the cached file ------------------------------------------------------------------------------


def stamp(scale: Scale) -> str:
    """What the cached file must match: version, scale, migration head, generator source."""
    digest = hashlib.sha256()
    for module in ("generate.py", "names.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return f"v{DATASET_VERSION}-{scale.name}-{db.head_revision()}-{digest.hexdigest()[:12]}"


def dataset_path(scale_name: str = "big") -> Path:
    return DATA_DIR / f"{scale_name}.sqlite3"


def load_meta(scale_name: str = "big") -> dict | None:
    meta_path = dataset_path(scale_name).with_suffix(".json")
    if not meta_path.is_file() or not dataset_path(scale_name).is_file():
        return None
    return json.loads(meta_path.read_text())


def ensure_dataset(scale_name: str = "big", *, force: bool = False, log=print) -> dict:
    """The data set's stamp file contents, generating the database first when missing or stale."""
    scale = SCALES[scale_name]
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Several benchmark runs may start at once; one builds, the others wait and reuse its file.
    with open(DATA_DIR / f".{scale_name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        meta = load_meta(scale_name)
        if meta is not None and meta.get("stamp") == stamp(scale) and not force:
            return meta
        return generate(scale, log=log)


def generate(scale: Scale, *, log=print) -> dict:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = dataset_path(scale.name)
    partial = path.with_name(path.name + ".part")
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    log(f"generating the {scale.name} season data set in {path} ...")
    generator = Generator(scale)
    generator.build()
    built = time.perf_counter()
    log(f"  simulated the history in {built - started:.1f} s; writing ...")
    counts = generator.write(partial)
    written = time.perf_counter()
    log(f"  wrote {sum(counts.values()):,} rows in {written - built:.1f} s; checking ...")
    _finalize(partial)
    checks = verify(partial, generator.bench)
    meta = {
        "stamp": stamp(scale),
        "scale": scale.name,
        "seed": SEED,
        "now": NOW.isoformat(),
        "today": TODAY.isoformat(),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "counts": counts,
        "bench": generator.bench,
        "checks": checks,
    }
    partial.replace(path)
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"  done in {meta['seconds']} s: {json.dumps(checks)}")
    return meta


def _finalize(path: Path) -> None:
    """Fold the WAL in and switch to a rollback journal: one self-contained file to copy."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def verify(path: Path, bench: dict) -> dict:
    """Integrity, foreign keys, the app's invariants checker, and reads through the services."""
    from bake_tracker.services import (
        assembly_service,
        batch_production_service,
        dashboard_service,
        integrity_service,
        totals,
    )

    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        shape = connection.execute(_SHAPE).fetchone()
    finally:
        connection.close()
    if integrity != [("ok",)] or broken:
        raise RuntimeError(f"generated database is damaged: {integrity[:3]} {broken[:3]}")
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.bind_engine(engine)
        # The rows were written directly; the stored totals are summed from them once, as an
        # import does (the services move them from here on).
        with db.session_scope() as session:
            totals.rebuild(session)
        drifts = integrity_service.check_invariants()
        if drifts:
            raise RuntimeError(
                f"{len(drifts)} invariant drifts, e.g. {[d.describe() for d in drifts[:3]]}"
            )
        summary_all = dashboard_service.get_dashboard_summary(include_past=True, today=TODAY)
        upcoming = dashboard_service.get_dashboard_summary(today=TODAY)
        production = batch_production_service.check_can_produce(
            bench["recipe_id"], BENCH_PRODUCTION_BATCHES
        )
        assembly = assembly_service.check_can_assemble(bench["finished_good_id"], BENCH_ASSEMBLIES)
    finally:
        engine.dispose()
        _finalize(path)
    if not (production.can_produce and assembly.can_assemble):
        raise RuntimeError("the benchmark recipe or finished good is short of stock")
    if len(production.items) != 15:
        raise RuntimeError(f"benchmark recipe has {len(production.items)} aggregated lines")
    return {
        "integrity_check": "ok",
        "foreign_key_violations": 0,
        "invariant_drifts": 0,
        "dashboard_events_all": len(summary_all),
        "dashboard_events_upcoming": len(upcoming),
        "bench_production_lines": len(production.items),
        "bench_can_produce_batches": BENCH_PRODUCTION_BATCHES,
        "bench_can_assemble": BENCH_ASSEMBLIES,
        **dict(zip(_SHAPE_NAMES, shape, strict=True)),
    }


_SHAPE_NAMES = (
    "open_lots",
    "open_lots_without_purchase",
    "open_lots_per_ingredient_max",
    "purchases_per_product_min",
    "open_finished_unit_lots",
)
_SHAPE = """
SELECT
  (SELECT count(*) FROM inventory_items WHERE quantity > 0),
  (SELECT count(*) FROM inventory_items WHERE quantity > 0 AND purchase_id IS NULL),
  (SELECT max(n) FROM (SELECT count(*) AS n FROM inventory_items l
     JOIN products p ON p.id = l.product_id WHERE l.quantity > 0 GROUP BY p.ingredient_id)),
  (SELECT min(n) FROM (SELECT count(u.id) AS n FROM products p
     LEFT JOIN purchases u ON u.product_id = p.id GROUP BY p.id)),
  (SELECT count(*) FROM finished_unit_lots WHERE quantity_remaining > 0)
"""


def working_copy(scale_name: str, destination: Path) -> Path:
    """A fresh copy of the generated file (so each benchmark starts from the same state)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{destination}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(dataset_path(scale_name), destination)
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names",
        nargs="*",
        choices=[*SCALES, []],
        metavar="NAME",
        help=f"data sets to build (default: big dense small; also {', '.join(SCALES)})",
    )
    parser.add_argument("--small", action="store_true", help="the small-scale twin only")
    parser.add_argument("--force", action="store_true", help="rebuild even if the stamp matches")
    args = parser.parse_args(argv)
    names = args.names or (("small",) if args.small else ("big", "dense", "small"))
    for name in names:
        meta = ensure_dataset(name, force=args.force)
        print(f"{name}: {dataset_path(name)} ({meta['stamp']}, built in {meta['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
