"""Recipes, their ingredient lines and their sub-recipes (nested at most three levels deep).

A recipe line may use any unit compatible with its ingredient; services convert into the
ingredient's recipe unit. A component makes one recipe part of another with a batch multiplier.
"""

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bake_tracker.models.base import Entity, name200, quantity, unit_name

if TYPE_CHECKING:
    from bake_tracker.models.catalog import Ingredient
    from bake_tracker.models.goods import FinishedUnit


class Recipe(Entity):
    __tablename__ = "recipes"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("length(slug) > 0", name="slug_not_blank"),
        CheckConstraint("yield_quantity > 0", name="yield_quantity_positive"),
        CheckConstraint(
            "estimated_time_minutes IS NULL OR estimated_time_minutes >= 0",
            name="estimated_time_non_negative",
        ),
    )

    name: Mapped[name200] = mapped_column(unique=True)
    slug: Mapped[name200] = mapped_column(unique=True)
    category: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str | None] = mapped_column(String(500))
    yield_quantity: Mapped[quantity]
    yield_unit: Mapped[unit_name]
    yield_description: Mapped[str | None] = mapped_column(String(200))
    estimated_time_minutes: Mapped[int | None]
    notes: Mapped[str | None]

    ingredients: Mapped[list["RecipeIngredient"]] = relationship(
        back_populates="recipe",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RecipeIngredient.sort_order, RecipeIngredient.id",
    )
    components: Mapped[list["RecipeComponent"]] = relationship(
        back_populates="recipe",
        foreign_keys="RecipeComponent.recipe_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RecipeComponent.sort_order, RecipeComponent.id",
    )
    used_in: Mapped[list["RecipeComponent"]] = relationship(
        back_populates="component_recipe",
        foreign_keys="RecipeComponent.component_recipe_id",
        passive_deletes="all",
    )
    finished_units: Mapped[list["FinishedUnit"]] = relationship(
        back_populates="recipe", passive_deletes="all"
    )


class RecipeIngredient(Entity):
    """One ingredient line of a recipe, for one batch."""

    __tablename__ = "recipe_ingredients"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_non_negative"),
        CheckConstraint("length(trim(unit)) > 0", name="unit_not_blank"),
        CheckConstraint("sort_order >= 0", name="sort_order_non_negative"),
    )

    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id", ondelete="CASCADE"), index=True)
    ingredient_id: Mapped[int] = mapped_column(
        ForeignKey("ingredients.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[quantity]
    unit: Mapped[unit_name]
    notes: Mapped[str | None] = mapped_column(String(500))
    sort_order: Mapped[int] = mapped_column(default=0)

    recipe: Mapped["Recipe"] = relationship(back_populates="ingredients")
    ingredient: Mapped["Ingredient"] = relationship(back_populates="recipe_lines")


class RecipeComponent(Entity):
    """A sub-recipe: ``quantity`` batches of ``component_recipe`` go into one of ``recipe``."""

    __tablename__ = "recipe_components"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("recipe_id <> component_recipe_id", name="not_self"),
        CheckConstraint("sort_order >= 0", name="sort_order_non_negative"),
        UniqueConstraint("recipe_id", "component_recipe_id"),
        Index("ix_recipe_components_recipe_order", "recipe_id", "sort_order"),
    )

    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id", ondelete="CASCADE"), index=True)
    component_recipe_id: Mapped[int] = mapped_column(
        ForeignKey("recipes.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[quantity]
    notes: Mapped[str | None] = mapped_column(String(500))
    sort_order: Mapped[int] = mapped_column(default=0)

    recipe: Mapped["Recipe"] = relationship(back_populates="components", foreign_keys=[recipe_id])
    component_recipe: Mapped["Recipe"] = relationship(
        back_populates="used_in", foreign_keys=[component_recipe_id]
    )
