"""The Recipes tab's forms: ``RecipeDialog``, ``IngredientLineDialog`` and ``SubRecipeDialog``,
each making one ``recipe_service`` call; unit conversion, nesting and circle rules are the
service's, shown in the dialog's error line.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import customtkinter as ctk

from bake_tracker.core import units
from bake_tracker.services import catalog_service, recipe_service
from bake_tracker.services.dto import (
    IngredientDTO,
    RecipeComponentDTO,
    RecipeDTO,
    RecipeIngredientDTO,
)
from bake_tracker.ui import forms
from bake_tracker.ui.ingredients.dialogs import custom_units, unit_advice, unit_choices
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog, fields_of
from bake_tracker.ui.kit.fields import DerivedDefault
from bake_tracker.ui.kit.theme import MUTED_TEXT

YIELD_UNITS = ("cookie", "bar", "brownie", "piece", "loaf", "cake", "pie", "dozen", "batch", "cup")


@dataclass(frozen=True)
class RecipeInput:
    """What the recipe form says: name, category, what one batch yields, notes."""

    name: str
    category: str
    yield_quantity: Decimal
    yield_unit: str
    notes: str | None


@dataclass(frozen=True)
class LineInput:
    """What the ingredient-line form says: how much of the ingredient one batch takes."""

    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class SubRecipeInput:
    """What the sub-recipe form says: which recipe, and how many batches of it per batch."""

    component: RecipeDTO
    quantity: Decimal


class RecipeDialog(FormDialog):
    """Add or edit a recipe: name, category, what one batch yields, notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        recipe: RecipeDTO | None = None,
        show: bool = True,
        on_done: Callable[[RecipeDTO], None] | None = None,
    ) -> None:
        self.recipe = recipe
        self.categories = recipe_service.list_categories()
        title = "Add recipe" if recipe is None else f"Edit {recipe.name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.name_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. Sugar cookies"
        )
        self.add_field("Name", self.name_entry)
        self.category_box = ctk.CTkComboBox(body, width=FIELD_WIDTH, values=self.categories)
        self.add_field("Category", self.category_box, hint="Pick one or type your own.")
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.yield_entry = ctk.CTkEntry(row, width=80, placeholder_text="48")
        self.yield_entry.pack(side="left")
        self.yield_unit_box = ctk.CTkComboBox(row, width=150, values=list(YIELD_UNITS))
        self.yield_unit_box.pack(side="left", padx=(8, 0))
        self.add_field("One batch makes", row, sticky="w", hint="For example 48 cookie or 1 cake.")
        self.notes_text = ctk.CTkTextbox(body, width=FIELD_WIDTH, height=64, border_width=2)
        self.add_field("Notes", self.notes_text)
        self._fill()

    def _fill(self) -> None:
        recipe = self.recipe
        self.category_box.set("" if recipe is None else recipe.category)
        self.yield_unit_box.set("" if recipe is None else recipe.yield_unit)
        if recipe is None:
            return
        self.name_entry.insert(0, recipe.name)
        self.yield_entry.insert(0, forms.format_number(recipe.yield_quantity))
        self.notes_text.insert("1.0", recipe.notes or "")

    def focus_first(self) -> None:
        self.name_entry.focus_set()

    def validate(self) -> RecipeInput:
        return RecipeInput(
            name=self.check(self.name_entry, forms.parse_text, "Name"),
            category=self.check(self.category_box, forms.parse_text, "Category", max_length=100),
            yield_quantity=self.check(
                self.yield_entry, forms.parse_decimal_text, "Yield", allow_zero=False
            ),
            yield_unit=self.check(
                self.yield_unit_box, forms.parse_text, "Yield unit", max_length=50
            ),
            notes=forms.parse_notes_text(self.notes_text.get("1.0", "end")),
        )

    def apply(self, values: RecipeInput) -> RecipeDTO:
        if self.recipe is None:
            return recipe_service.create_recipe(values.name, **fields_of(values, without=("name",)))
        return recipe_service.update_recipe(self.recipe.id, **fields_of(values))


class IngredientLineDialog(FormDialog):
    """Add an ingredient line to a recipe (ingredient, quantity, unit) or change one's amount."""

    min_width = 520

    def __init__(
        self,
        parent: tk.Misc,
        *,
        recipe: RecipeDTO,
        line: RecipeIngredientDTO | None = None,
        show: bool = True,
        on_done: Callable[[RecipeIngredientDTO], None] | None = None,
    ) -> None:
        self.recipe, self.line = recipe, line
        self.own_units: list[str] = []
        self.ingredient: IngredientDTO | None = None
        if line is None:
            found = catalog_service.list_ingredients(is_packaging=False)
            self.ingredients = {ingredient.display_name: ingredient for ingredient in found}
        else:
            self.ingredients = {}
            self.ingredient = catalog_service.get_ingredient(line.ingredient_slug)
        title = (
            f"Add an ingredient to {recipe.name}"
            if line is None
            else f"Edit {line.ingredient_name} in {recipe.name}"
        )
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        if self.line is None and not self.ingredients:
            self.add_notice(
                "There are no ingredients yet. Add them on the Ingredients tab "
                "(“Add ingredient”), then come back to build the recipe."
            )
            return
        if self.line is None:
            self.ingredient_menu = ctk.CTkOptionMenu(
                body,
                width=FIELD_WIDTH,
                values=list(self.ingredients),
                command=self.choose_ingredient,
                dynamic_resizing=False,
            )
            self.add_field("Ingredient", self.ingredient_menu, sticky="w")
        else:
            name = ctk.CTkLabel(body, text=self.line.ingredient_name, anchor="w")
            self.add_field("Ingredient", name, sticky="w")
        self.quantity_entry = ctk.CTkEntry(body, width=110, placeholder_text="e.g. 2.5")
        self.add_field("Quantity", self.quantity_entry, sticky="w", hint="For one batch.")
        self.unit_box = ctk.CTkComboBox(body, width=150, values=list(units.UNIT_CHOICES))
        self.add_field("Unit", self.unit_box, sticky="w")
        self.unit_default = DerivedDefault(self.unit_box)  # follows the ingredient (item 1)
        self.unit_hint = self.add_hint("")

    def ready(self) -> None:
        if self.line is None and not self.ingredients:
            self.ok_button.configure(state="disabled")
        elif self.line is None:
            self.choose_ingredient(next(iter(self.ingredients)))
        else:
            self._show_units()
            self.quantity_entry.insert(0, forms.format_number(self.line.quantity))
            self.unit_default.keep(self.line.unit)

    def choose_ingredient(self, name: str) -> None:
        """Offer the ingredient's units, its recipe unit first (the ingredient menu's command);
        the unit follows the ingredient until the user picks or types one."""
        self.ingredient_menu.set(name)
        self.ingredient = self.ingredients[name]
        self._show_units()
        self.unit_default.suggest(self.ingredient.recipe_unit)

    def _show_units(self) -> None:
        ingredient = self.ingredient
        if ingredient is None:  # pragma: no cover - set before this is called
            return
        self.own_units = custom_units(ingredient.slug)
        self.unit_box.configure(values=unit_choices(ingredient))  # only units that convert
        self.unit_hint.configure(text=unit_advice(ingredient))

    def focus_first(self) -> None:
        if self.ingredient is not None:
            self.quantity_entry.focus_set()

    def validate(self) -> LineInput:
        if self.ingredient is None:
            raise forms.FieldError("Add an ingredient on the Ingredients tab first.")
        return LineInput(
            quantity=self.check(self.quantity_entry, forms.parse_decimal_text, "Quantity"),
            unit=self.check(self.unit_box, forms.parse_unit_text, "Unit", extra=self.own_units),
        )

    def apply(self, values: LineInput) -> RecipeIngredientDTO:
        if self.line is None:
            return recipe_service.add_ingredient_to_recipe(
                self.recipe.id, self.ingredient.slug, values.quantity, values.unit
            )
        return recipe_service.update_recipe_ingredient(
            self.line.id, quantity=values.quantity, unit=values.unit
        )


class SubRecipeDialog(FormDialog):
    """Make batches of another recipe part of this one (a dough, an icing)."""

    ok_text = "Add"

    def __init__(
        self,
        parent: tk.Misc,
        *,
        recipe: RecipeDTO,
        taken: set[int],
        show: bool = True,
        on_done: Callable[[RecipeComponentDTO], None] | None = None,
    ) -> None:
        self.recipe = recipe
        self.choices = {
            other.name: other
            for other in recipe_service.list_recipes()
            if other.id != recipe.id and other.id not in taken
        }
        super().__init__(
            parent, title=f"Add a sub-recipe to {recipe.name}", show=show, on_done=on_done
        )

    def build(self, body: ctk.CTkFrame) -> None:
        if not self.choices:
            self.add_notice(
                "There is no other recipe to add. Add the dough or icing as a recipe of its "
                "own first (“Add recipe”)."
            )
            return
        self.recipe_menu = ctk.CTkOptionMenu(
            body, width=FIELD_WIDTH, values=list(self.choices), dynamic_resizing=False
        )
        self.add_field("Recipe", self.recipe_menu, sticky="w")
        row = ctk.CTkFrame(body, fg_color="transparent")
        self.batches_entry = ctk.CTkEntry(row, width=80)
        self.batches_entry.insert(0, "1")
        self.batches_entry.pack(side="left")
        ctk.CTkLabel(row, text=f"per batch of {self.recipe.name}", text_color=MUTED_TEXT).pack(
            side="left", padx=(8, 0)
        )
        self.add_field("Batches", row, sticky="w", hint="0.5 for half a batch, 2 for a double.")

    def ready(self) -> None:
        if not self.choices:
            self.ok_button.configure(state="disabled")

    def focus_first(self) -> None:
        if self.choices:
            self.batches_entry.focus_set()

    def select_recipe(self, name: str) -> None:
        self.recipe_menu.set(name)

    def validate(self) -> SubRecipeInput:
        if not self.choices:
            raise forms.FieldError("Add another recipe first.")
        return SubRecipeInput(
            component=self.choices[self.recipe_menu.get()],
            quantity=self.check(
                self.batches_entry, forms.parse_decimal_text, "Batches", allow_zero=False
            ),
        )

    def apply(self, values: SubRecipeInput) -> RecipeComponentDTO:
        return recipe_service.add_recipe_component(
            self.recipe.id, values.component.id, quantity=values.quantity
        )
