"""Recipes: lines, sub-recipes, aggregated needs and costs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class RecipeDTO:
    id: int
    slug: str
    name: str
    category: str
    yield_quantity: Decimal
    yield_unit: str
    notes: str | None = None
    source: str | None = None
    yield_description: str | None = None
    estimated_time_minutes: int | None = None


@dataclass(frozen=True)
class RecipeIngredientDTO:
    id: int
    recipe_id: int
    ingredient_slug: str
    quantity: Decimal
    unit: str
    ingredient_name: str = ""
    notes: str | None = None


@dataclass(frozen=True)
class RecipeComponentDTO:
    id: int
    recipe_id: int
    component_recipe_id: int
    quantity: Decimal
    component_name: str = ""
    notes: str | None = None


@dataclass(frozen=True)
class IngredientSource:
    """Where part of an aggregated line comes from, in the ingredient's recipe unit."""

    recipe_name: str
    quantity: Decimal


@dataclass(frozen=True)
class AggregatedIngredient:
    """One ingredient of a recipe and its sub-recipes, scaled, in the ingredient's recipe unit."""

    ingredient_id: int
    ingredient_slug: str
    ingredient_name: str
    total_quantity: Decimal
    unit: str
    sources: list[IngredientSource]


@dataclass(frozen=True)
class CostEstimate:
    cost_per_batch: Decimal
    cost_per_unit: Decimal
    unpriced_ingredients: list[str]


@dataclass(frozen=True)
class ComponentCost:
    """A sub-recipe's share of its parent's cost (already multiplied by its batch quantity)."""

    component_recipe_id: int
    component_recipe_name: str
    quantity: Decimal
    total_cost: Decimal


@dataclass(frozen=True)
class RecipeCostBreakdown:
    recipe_id: int
    recipe_name: str
    direct_ingredient_cost: Decimal
    component_costs: list[ComponentCost]
    total_cost: Decimal
    cost_per_unit: Decimal


@dataclass(frozen=True)
class RecipeDetail:
    """Everything the recipe editor shows."""

    recipe: RecipeDTO
    ingredients: list[RecipeIngredientDTO]
    components: list[RecipeComponentDTO]
    aggregated: list[AggregatedIngredient]
    estimate: CostEstimate
    batches_possible: int | None  # None when the recipe needs nothing
