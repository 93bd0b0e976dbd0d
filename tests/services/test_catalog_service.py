"""catalog_service: ingredients, products and custom units through the public contract."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from bake_tracker import db
from bake_tracker.models import Ingredient, Product, UnitConversion
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import validation
from bake_tracker.services.errors import (
    IngredientNotFoundError,
    InUseError,
    ProductNotFoundError,
    UnitConversionError,
    ValidationError,
)


def _count(model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def flour(**kw):
    values = {"category": "Flour", "recipe_unit": "cup"} | kw
    return cs.create_ingredient(kw.pop("name", "All-Purpose Flour"), **values)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("All-Purpose Flour", "all_purpose_flour"),
        ("100% Whole Wheat", "100_whole_wheat"),
        ("Crème fraîche", "creme_fraiche"),
        ("  Brown   Sugar -- dark ", "brown_sugar_dark"),
        ("日本", "ingredient"),
    ],
)
def test_slugs_follow_the_spec(engine, name, slug):
    assert cs.create_ingredient(name, category="Misc", recipe_unit="g").slug == slug


def test_slug_clashes_get_a_suffix_and_stay_stable_on_rename(engine):
    first = cs.create_ingredient("Brown Sugar", category="Sugar", recipe_unit="cup")
    second = cs.create_ingredient("Brown-Sugar", category="Sugar", recipe_unit="cup")
    assert (first.slug, second.slug) == ("brown_sugar", "brown_sugar_1")
    renamed = cs.update_ingredient("brown_sugar", display_name="Light Brown Sugar")
    assert renamed.slug == "brown_sugar" and renamed.display_name == "Light Brown Sugar"


def test_create_with_density_and_forgiving_spellings(engine):
    made = flour(
        recipe_unit="Cups",
        category="flour",
        density_volume_value="1",
        density_volume_unit="cup",
        density_weight_value="4.25",
        density_weight_unit="ounces",
    )
    assert made.recipe_unit == "cup" and made.category == "Flour"
    assert made.density_text == "1 cup = 4.25 oz"
    assert made.density_g_per_ml.quantize(D("0.0001")) == D("0.5093")
    assert cs.get_ingredient("all_purpose_flour") == made


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "Name is required"),
        ({"name": "x" * 201}, "Name is too long"),
        ({"category": ""}, "Category is required"),
        ({"recipe_unit": "zorp"}, "'zorp' is not a unit I know"),
        ({"density_volume_value": "1"}, "Density needs all four parts"),
        (
            {
                "density_volume_value": "0",
                "density_volume_unit": "cup",
                "density_weight_value": "4",
                "density_weight_unit": "oz",
            },
            "Density volume must be greater than 0",
        ),
        (
            {
                "density_volume_value": "1",
                "density_volume_unit": "oz",
                "density_weight_value": "4",
                "density_weight_unit": "cup",
            },
            "Density volume unit must be a volume unit",
        ),
        (
            {
                "density_volume_value": "NaN",
                "density_volume_unit": "cup",
                "density_weight_value": "4",
                "density_weight_unit": "oz",
            },
            "Density volume must be a finite number",
        ),
        ({"is_packaging": "yes"}, "Packaging must be true or false"),
    ],
)
def test_bad_ingredient_input_is_refused_and_nothing_written(engine, kwargs, message):
    name = kwargs.pop("name", "Flour")
    with pytest.raises(ValidationError) as excinfo:
        cs.create_ingredient(name, **({"category": "Flour", "recipe_unit": "cup"} | kwargs))
    assert any(message in e for e in excinfo.value.errors), excinfo.value.errors
    assert _count(Ingredient) == 0


def test_every_problem_is_listed_at_once(engine):
    with pytest.raises(ValidationError) as excinfo:
        cs.create_ingredient("", category="", recipe_unit="")
    assert len(excinfo.value.errors) == 3


def test_duplicate_names_are_refused_case_insensitively(engine):
    flour()
    with pytest.raises(ValidationError, match="already exists"):
        cs.create_ingredient("all-purpose FLOUR", category="Flour", recipe_unit="cup")
    assert _count(Ingredient) == 1


def test_search_and_packaging_filter(engine):
    flour()
    cs.create_ingredient("Cellophane Bags", category="Bags", recipe_unit="bag", is_packaging=True)
    assert [i.slug for i in cs.list_ingredients(search="FLO")] == ["all_purpose_flour"]
    assert [i.slug for i in cs.list_ingredients(search="bags")] == ["cellophane_bags"]
    assert [i.slug for i in cs.list_ingredients(is_packaging=True)] == ["cellophane_bags"]
    assert len(cs.list_ingredients()) == 2


def test_unknown_ingredient(engine):
    with pytest.raises(IngredientNotFoundError):
        cs.get_ingredient("nope")
    with pytest.raises(IngredientNotFoundError):
        cs.update_ingredient("nope", notes="x")


def test_update_refuses_unknown_fields_and_keeps_data_on_error(engine):
    flour()
    with pytest.raises(ValidationError, match="Unknown ingredient field"):
        cs.update_ingredient("all_purpose_flour", slug="hack")
    with pytest.raises(ValidationError):
        cs.update_ingredient("all_purpose_flour", display_name="", category="Sugar")
    assert cs.get_ingredient("all_purpose_flour").category == "Flour"


def test_recipe_unit_change_must_keep_products_countable(engine):
    flour()
    cs.create_product("all_purpose_flour", purchase_unit="cup", purchase_quantity=20)
    with pytest.raises(ValidationError, match="cannot be counted in lb"):
        cs.update_ingredient("all_purpose_flour", recipe_unit="lb")
    assert cs.get_ingredient("all_purpose_flour").recipe_unit == "cup"


def test_delete_refuses_with_counts_and_deletes_when_unused(engine):
    made = flour()
    cs.add_unit_conversion(
        made.slug, from_unit="scoop", from_quantity=1, to_unit="cup", to_quantity=2
    )
    product = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=20)
    inv.add_to_inventory(product.id, quantity=5, unit_cost="0.5", purchase_date="2025-01-01")
    refusal = cs.check_delete_ingredient(made.slug)
    with pytest.raises(InUseError) as excinfo:
        cs.delete_ingredient(made.slug)
    assert excinfo.value.counts["products"] == 1 and excinfo.value.counts["inventory_items"] == 1
    assert refusal == str(excinfo.value)
    assert refusal.endswith("is still used by 1 product, 1 pantry lot. Remove those first.")
    other = cs.create_ingredient("Salt", category="Spices", recipe_unit="tsp")
    cs.add_unit_conversion(
        other.slug, from_unit="pinch", from_quantity=8, to_unit="tsp", to_quantity=1
    )
    assert cs.check_delete_ingredient(other.slug) is None
    cs.delete_ingredient(other.slug)
    assert [i.slug for i in cs.list_ingredients()] == [made.slug]
    assert _count(UnitConversion) == 1  # the salt's custom unit went with it


# --- products -------------------------------------------------------------------------------------


def test_products_display_name_and_preferred_is_exclusive(engine):
    made = flour()
    generic = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=20)
    branded = cs.create_product(
        made.slug,
        purchase_unit="cup",
        purchase_quantity=40,
        brand="King Arthur",
        package_size="5 lb",
        package_type="bag",
        preferred=True,
    )
    assert generic.display_name == "All-Purpose Flour (generic)"
    assert branded.display_name == "King Arthur 5 lb bag"
    cs.set_preferred_product(generic.id)
    listed = cs.list_products(made.slug)
    assert [(p.id, p.preferred) for p in listed] == [(generic.id, True), (branded.id, False)]


def test_product_needs_a_unit_the_recipe_unit_can_reach(engine):
    made = flour()
    with pytest.raises(ValidationError, match="set its density"):
        cs.create_product(made.slug, purchase_unit="lb", purchase_quantity=25)
    cs.update_ingredient(
        made.slug,
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value="4.25",
        density_weight_unit="oz",
    )
    assert (
        cs.create_product(made.slug, purchase_unit="lbs", purchase_quantity=25).purchase_unit
        == "lb"
    )


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("abc", "must be a number"),
        ("0", "must be greater than 0"),
        ("-5", "must not be negative"),
        ("1e12", "too large"),
        ("1.0001", "at most 3 decimal places"),
        (2.5, "must be a number, not float"),
        (None, "is required"),
    ],
)
def test_bad_product_quantities(engine, quantity, message):
    made = flour()
    with pytest.raises(ValidationError, match=message):
        cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=quantity)
    assert _count(Product) == 0


def test_latest_price_comes_from_the_newest_purchase(engine):
    made = flour()
    product = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=20)
    inv.record_purchase(product.id, quantity=20, total_cost="10", purchase_date="2025-02-01")
    inv.record_purchase(product.id, quantity=20, total_cost="8", purchase_date="2025-01-01")
    assert cs.get_product(product.id).last_unit_cost == D("0.5000")


def test_products_in_use_cannot_be_deleted_and_unknown_ids_are_not_found(engine):
    made = flour()
    product = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=20)
    inv.record_purchase(product.id, quantity=20, total_cost="10", purchase_date="2025-02-01")
    with pytest.raises(InUseError, match="1 purchase"):
        cs.delete_product(product.id)
    with pytest.raises(ProductNotFoundError):
        cs.delete_product(999)
    with pytest.raises(ProductNotFoundError):
        cs.get_product("1")  # type: ignore[arg-type]
    spare = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=5)
    cs.delete_product(spare.id)
    assert [p.id for p in cs.list_products(made.slug)] == [product.id]


def test_purchase_unit_is_fixed_once_lots_exist(engine):
    made = flour(
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value="4.25",
        density_weight_unit="oz",
    )
    product = cs.create_product(made.slug, purchase_unit="cup", purchase_quantity=20)
    inv.add_to_inventory(product.id, quantity=3, unit_cost="1", purchase_date="2025-01-01")
    with pytest.raises(ValidationError, match="cannot change"):
        cs.update_product(product.id, purchase_unit="lb")
    assert cs.update_product(product.id, brand="Gold Medal").display_name == "Gold Medal"


# --- custom units ---------------------------------------------------------------------------------


def test_custom_units_convert_through_the_service(engine):
    butter = cs.create_ingredient("Butter", category="Oils/Butters", recipe_unit="cup")
    made = cs.add_unit_conversion(
        butter.slug, from_unit="Sticks", from_quantity=1, to_unit="cup", to_quantity="0.5"
    )
    assert made.text == "1 stick = 0.5 cup"
    assert cs.convert(4, "stick", "cup", ingredient_slug=butter.slug) == D(2)
    product = cs.create_product(butter.slug, purchase_unit="stick", purchase_quantity=4)
    assert product.purchase_unit == "stick"
    with pytest.raises(ValidationError, match="cannot be counted"):
        cs.delete_unit_conversion(made.id)  # the product is counted in sticks
    assert len(cs.list_unit_conversions(butter.slug)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"from_unit": "cup", "to_unit": "cup"}, "must differ"),
        ({"from_unit": "stick", "to_unit": "knob"}, "standard unit"),
        ({"from_quantity": "0"}, "greater than 0"),
        ({"to_quantity": "abc"}, "must be a number"),
    ],
)
def test_bad_custom_units(engine, kwargs, message):
    butter = cs.create_ingredient("Butter", category="Oils/Butters", recipe_unit="cup")
    args = {"from_unit": "stick", "from_quantity": 1, "to_unit": "cup", "to_quantity": "0.5"}
    with pytest.raises(ValidationError, match=message):
        cs.add_unit_conversion(butter.slug, **(args | kwargs))
    assert _count(UnitConversion) == 0


def test_convert_without_a_way_says_what_to_set(engine):
    made = flour()
    with pytest.raises(UnitConversionError, match="set the density of 'All-Purpose Flour'"):
        cs.convert(1, "cup", "g", ingredient_slug=made.slug)
    assert cs.convert("2", "lb", "oz") == D(2) * D("453.592") / D("28.3495")


def test_a_given_session_is_used_and_not_committed(engine):
    with db.SessionLocal() as outer:
        cs.create_ingredient("Cocoa", category="Cocoa Powders", recipe_unit="cup", session=outer)
        assert outer.in_transaction()
        outer.rollback()
    assert _count(Ingredient) == 0


def test_non_ascii_duplicates_are_a_clear_error_not_a_crash(engine):
    """Found by hypothesis: SQLite's lower() leaves 'À' alone, so the check must compare alike."""
    cs.create_ingredient("À", category="Misc", recipe_unit="cup")
    with pytest.raises(ValidationError, match="already exists"):
        cs.create_ingredient("À", category="Misc", recipe_unit="cup")
    assert _count(Ingredient) == 1


def test_packaging_products_in_one_list(engine):
    flour()
    bags = cs.create_ingredient("Bags", category="Bags", recipe_unit="bag", is_packaging=True)
    cs.create_product(bags.slug, purchase_unit="bag", purchase_quantity=100, brand="Uline")
    assert [p.display_name for p in cs.list_packaging_products()] == ["Uline"]


# --- reliability fixes (008 T8): ids, text that is not UTF-8, non-text filters --------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, True),
        (2**31 - 1, True),
        (2**31, False),  # beyond PostgreSQL's INTEGER id column
        (2**63, False),
        (2**64, False),
        (0, False),
        (-1, False),
        (-(2**63) - 1, False),
        (True, False),
        ("1", False),
        (1.0, False),
        (None, False),
    ],
)
def test_is_id_accepts_exactly_the_ids_a_row_can_have(value, expected):
    assert validation.is_id(value) is expected


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**64, -(2**63) - 1])
def test_ids_beyond_the_id_column_are_not_found(engine, huge):
    with pytest.raises(ProductNotFoundError):
        cs.get_product(huge)
    with pytest.raises(ValidationError, match="not found"):
        cs.delete_unit_conversion(huge)


@pytest.mark.parametrize("name", ["Bad \udc80 name", "\ud800", "ok \udfff"])
def test_text_that_is_not_utf8_is_refused_clearly(engine, name):
    with pytest.raises(ValidationError, match="not valid text"):
        cs.create_ingredient(name, category="Misc", recipe_unit="g")
    with pytest.raises(ValidationError, match="not valid text"):
        cs.list_ingredients(search=name)
    with pytest.raises(IngredientNotFoundError):
        cs.get_ingredient(name)
    assert cs.list_ingredients() == []


@pytest.mark.parametrize("search", [5, True, b"flour", ["flour"], 2.5])
def test_a_search_that_is_not_text_is_refused(engine, search):
    flour()
    with pytest.raises(ValidationError, match="Search must be text"):
        cs.list_ingredients(search=search)


def test_a_blank_search_lists_everything(engine):
    flour()
    assert [i.slug for i in cs.list_ingredients(search="  ")] == ["all_purpose_flour"]
    assert [i.slug for i in cs.list_ingredients(search=" FLOUR ")] == ["all_purpose_flour"]
