"""The Recipes tab: recipes (search as you type, a category filter) on the left; on the right the
recipe editor: its ingredient lines, its sub-recipes (a batch multiplier each), the aggregated
ingredients of one batch with where each comes from, the estimated cost and how many batches the
pantry covers, all from ``recipe_service.get_recipe_detail``.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from typing import Any

import customtkinter as ctk

from bake_tracker.services import recipe_service
from bake_tracker.services.dto import (
    AggregatedIngredient,
    RecipeComponentDTO,
    RecipeDetail,
    RecipeDTO,
    RecipeIngredientDTO,
)
from bake_tracker.ui import forms
from bake_tracker.ui.kit.detail_panel import DetailPanel
from bake_tracker.ui.kit.dialog import FormDialog, QuantityDialog
from bake_tracker.ui.kit.fields import quiet_menu
from bake_tracker.ui.kit.list_tab import ListTab
from bake_tracker.ui.kit.table import Column, Row
from bake_tracker.ui.kit.theme import ACCENT_TEXT, NOTICE_TEXT
from bake_tracker.ui.recipes.dialogs import IngredientLineDialog, RecipeDialog, SubRecipeDialog

ALL_CATEGORIES = "All categories"
RECIPE_COLUMNS = (
    Column("name", "Name", 220),
    Column("category", "Category", 120),
    Column("yield", "Yield", 100, "e"),
)
LINE_COLUMNS = (
    Column("ingredient", "Ingredient", 230),
    Column("quantity", "Quantity", 90, "e"),
    Column("unit", "Unit", 80),
)
COMPONENT_COLUMNS = (
    Column("recipe", "Recipe", 300),
    Column("batches", "Batches", 100, "e"),
)
NEED_COLUMNS = (
    Column("ingredient", "Ingredient", 170),
    Column("total", "One batch", 100, "e", stretch=False),
    Column("sources", "From", 300),
)
EMPTY_RECIPES = "No recipes yet. Click “Add recipe” to start."
NO_MATCH = "No recipes match this search."
DETAIL_WIDTH = 740


# --- rows and texts -------------------------------------------------------------------------------


def yield_text(recipe: RecipeDTO) -> str:
    """ "48 cookies", "1 cake": the yield unit is an item noun, so it takes its plural."""
    return forms.format_count(recipe.yield_quantity, recipe.yield_unit)


def recipe_row(recipe: RecipeDTO) -> Row:
    return str(recipe.id), (recipe.name, recipe.category, yield_text(recipe)), ()


def line_row(line: RecipeIngredientDTO) -> Row:
    values = (line.ingredient_name, forms.format_number(line.quantity), line.unit)
    return str(line.id), values, ()


def component_row(component: RecipeComponentDTO) -> Row:
    values = (component.component_name, f"× {forms.format_number(component.quantity)}")
    return str(component.component_recipe_id), values, ()


def sources_text(need: AggregatedIngredient) -> str:
    """ "Sugar Cookies 2 cup · Royal Icing 0.5 cup" (in the ingredient's recipe unit)."""
    return " · ".join(
        f"{source.recipe_name} {forms.format_quantity(source.quantity, need.unit)}"
        for source in need.sources
    )


def need_row(need: AggregatedIngredient) -> Row:
    total = forms.format_quantity(need.total_quantity, need.unit)
    return str(need.ingredient_id), (need.ingredient_name, total, sources_text(need)), ()


def cost_text(detail: RecipeDetail) -> str:
    """ "Cost per batch $4.56 · per cookie $0.095"."""
    estimate, recipe = detail.estimate, detail.recipe
    return (
        f"Cost per batch {forms.format_money(estimate.cost_per_batch)} · "
        f"per {recipe.yield_unit} {forms.format_unit_cost(estimate.cost_per_unit)}"
    )


def unpriced_text(detail: RecipeDetail) -> str:
    """ "No price yet: saffron — …" naming the ingredients the estimate counted at $0, or ""."""
    if not detail.estimate.unpriced_ingredients:
        return ""
    names = {need.ingredient_slug: need.ingredient_name for need in detail.aggregated}
    unpriced = ", ".join(names.get(slug, slug) for slug in detail.estimate.unpriced_ingredients)
    return f"No price yet: {unpriced} (counted as $0 until you record a purchase)."


def can_make_text(batches: int | None) -> str:
    if batches is None:
        return "Add ingredients to see what a batch costs and how many you can make."
    if batches == 0:
        return "Nothing to make it from yet: the pantry does not cover one batch."
    return f"You can make {forms.plural(batches, 'batch', 'batches')} now."


# --- the tab --------------------------------------------------------------------------------------


class RecipesTab(ListTab):
    """Recipes on the left (search, category filter); the selected recipe's editor on the right."""

    columns = RECIPE_COLUMNS
    empty_text = EMPTY_RECIPES
    no_match_text = NO_MATCH
    add_text = "Add recipe"
    item_word = "recipe"
    detail_width = DETAIL_WIDTH
    _refreshing = False

    def build_filters(self, bar: ctk.CTkFrame) -> None:
        ctk.CTkLabel(bar, text="Category").pack(side="left", padx=(0, 8))
        self.category_var = tk.StringVar(self, value=ALL_CATEGORIES)
        self.category_filter = quiet_menu(bar, 180, [ALL_CATEGORIES], self.category_var)
        self.category_filter.pack(side="left")
        self.category_var.trace_add("write", lambda *_: self.refresh())

    def make_detail(self) -> RecipeDetailPanel:
        return RecipeDetailPanel(self)

    def refresh(self) -> None:
        if self._refreshing:  # choosing "All categories" below would call back here
            return
        self._refreshing = True
        try:
            super().refresh()
        finally:
            self._refreshing = False

    def load(self, search: str | None) -> list[RecipeDTO]:
        categories = [ALL_CATEGORIES, *recipe_service.list_categories()]
        self.category_filter.configure(values=categories)
        if self.category_var.get() not in categories:
            self.category_var.set(ALL_CATEGORIES)
        category = self.category_var.get()
        return recipe_service.list_recipes(
            search=search, category=None if category == ALL_CATEGORIES else category
        )

    def is_filtered(self) -> bool:
        return super().is_filtered() or self.category_var.get() != ALL_CATEGORIES

    def clear_filters(self) -> None:
        self.category_var.set(ALL_CATEGORIES)
        super().clear_filters()

    def row(self, item: RecipeDTO) -> Row:
        return recipe_row(item)

    def open_form(self, item: RecipeDTO | None) -> RecipeDialog:
        return RecipeDialog(self, recipe=item, show=self.show_dialogs, on_done=self.form_saved)

    def delete_refusal(self, item: RecipeDTO) -> str | None:
        return recipe_service.check_delete_recipe(item.id)

    def delete_item(self, item: RecipeDTO) -> None:
        recipe_service.delete_recipe(item.id)


class RecipeDetailPanel(DetailPanel):
    """The recipe editor: lines, sub-recipes, what a batch needs, its cost, batches possible."""

    hint = "Select a recipe to see its ingredients, sub-recipes and cost."
    tab: RecipesTab
    detail: RecipeDetail | None

    def build(self) -> None:
        self.cost_label = self.add_label(font=ctk.CTkFont(size=15, weight="bold"))
        self.unpriced_label = self.add_label(text_color=NOTICE_TEXT)
        self.make_label = self.add_label()
        (self.lines_table, self.add_line_button, self.edit_line_button, self.remove_line_button) = (
            self.add_edit_table(
                "Ingredients",
                LINE_COLUMNS,
                empty_text="No ingredients yet. Click “Add ingredient”.",
                height=3,
                weight=3,
                add=("Add ingredient", self.on_add_line, 110),
                edit=("Edit", self.on_edit_line, 60),
                remove=self.on_remove_line,
            )
        )
        (
            self.components_table,
            self.add_component_button,
            self.edit_component_button,
            self.remove_component_button,
        ) = self.add_edit_table(
            "Sub-recipes",
            COMPONENT_COLUMNS,
            empty_text="No sub-recipes (a dough or an icing made by another recipe).",
            height=2,
            weight=1,
            add=("Add sub-recipe", self.on_add_component, 110),
            edit=("Edit batches", self.on_edit_component, 96),
            remove=self.on_remove_component,
        )
        self.needs_table, _ = self.add_table(
            "What one batch really needs",
            NEED_COLUMNS,
            empty_text="Nothing yet: add ingredients or sub-recipes.",
            height=3,
            weight=3,
        )
        self.add_row(ctk.CTkFrame(self.content, fg_color="transparent", height=6))

    def fill(self, item: RecipeDTO) -> None:
        # None when deleted meanwhile, or when a line no longer converts
        self.detail = detail = self.read_detail(lambda: recipe_service.get_recipe_detail(item.id))
        if detail is None:
            return
        recipe = detail.recipe
        self.title_label.configure(text=recipe.name)
        self.facts_label.configure(text=facts_text(recipe))
        self.cost_label.configure(text=cost_text(detail))
        self.unpriced_label.configure(text=unpriced_text(detail))
        if detail.estimate.unpriced_ingredients:
            self.unpriced_label.grid()
        else:
            self.unpriced_label.grid_remove()
        self.make_label.configure(
            text=can_make_text(detail.batches_possible),
            text_color=ACCENT_TEXT if detail.batches_possible else NOTICE_TEXT,
        )
        self.lines_table.set_rows([line_row(line) for line in detail.ingredients])
        self.components_table.set_rows([component_row(c) for c in detail.components])
        self.needs_table.set_rows([need_row(need) for need in detail.aggregated])
        self.update_buttons()

    def selected_line(self) -> RecipeIngredientDTO | None:
        return _find(self.detail.ingredients if self.detail else (), self.lines_table.selected_id())

    def selected_component(self) -> RecipeComponentDTO | None:
        iid = self.components_table.selected_id()
        components = self.detail.components if self.detail else ()
        return next((c for c in components if str(c.component_recipe_id) == iid), None)

    # --- line commands ------------------------------------------------------------------------

    def _open(self, dialog: Callable[..., FormDialog], message: Callable[[Any], str], **kw) -> None:
        if self.detail is not None:
            self.tab.active_dialog = dialog(
                self.tab,
                show=self.tab.show_dialogs,
                on_done=lambda result: self.tab.changed(message(result)),
                **kw,
            )

    def on_add_line(self) -> None:
        self._open(
            IngredientLineDialog,
            lambda line: f"Added {line.ingredient_name} to “{self.recipe_name()}”.",
            recipe=self.detail.recipe if self.detail else None,
        )

    def on_edit_line(self) -> None:
        line = self.selected_line()
        if line is not None:
            self._open(
                IngredientLineDialog,
                lambda saved: f"Changed {saved.ingredient_name} in “{self.recipe_name()}”.",
                recipe=self.detail.recipe,
                line=line,
            )

    def on_remove_line(self) -> None:
        line = self.selected_line()
        if line is not None:
            self.confirm_remove(
                "ingredient",
                line.ingredient_name,
                self.recipe_name(),
                lambda: recipe_service.remove_ingredient_from_recipe(line.id),
            )

    # --- sub-recipe commands ------------------------------------------------------------------

    def on_add_component(self) -> None:
        taken = {c.component_recipe_id for c in self.detail.components} if self.detail else set()
        self._open(
            SubRecipeDialog,
            lambda link: f"Added {link.component_name} to “{self.recipe_name()}”.",
            recipe=self.detail.recipe if self.detail else None,
            taken=taken,
        )

    def on_edit_component(self) -> None:
        component, recipe = self.selected_component(), self.detail.recipe if self.detail else None
        if component is None or recipe is None:
            return
        self.tab.active_dialog = QuantityDialog(
            self.tab,
            title=f"Batches of {component.component_name}",
            heading=f"{component.component_name} in {recipe.name}",
            label="Batches",
            unit=f"per batch of {recipe.name}",
            initial=component.quantity,
            apply=lambda quantity: recipe_service.update_recipe_component(
                recipe.id, component.component_recipe_id, quantity=quantity
            ),
            show=self.tab.show_dialogs,
            on_done=lambda link: self.tab.changed(
                f"“{recipe.name}” now uses "
                f"{forms.format_count(link.quantity, 'batch')} of {link.component_name}."
            ),
        )

    def on_remove_component(self) -> None:
        component = self.selected_component()
        if component is not None:
            self.confirm_remove(
                "sub-recipe",
                component.component_name,
                self.recipe_name(),
                lambda: recipe_service.remove_recipe_component(
                    component.recipe_id, component.component_recipe_id
                ),
                question=f"Remove the sub-recipe {component.component_name} "
                f"from “{self.recipe_name()}”?",
            )

    def recipe_name(self) -> str:
        return self.detail.recipe.name if self.detail else ""


def facts_text(recipe: RecipeDTO) -> str:
    """ "Cookies · one batch makes 48 cookies" and the notes below."""
    lines = [f"{recipe.category} · one batch makes {yield_text(recipe)}"]
    if recipe.notes:
        lines.append(recipe.notes)
    return "\n".join(lines)


def _find(items: Sequence[Any], iid: str | None) -> Any | None:
    return next((item for item in items if str(item.id) == iid), None)
