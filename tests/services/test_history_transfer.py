"""Export and import of production and assembly history: runs with their ledgers and lots."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from bake_tracker import db
from bake_tracker.config import sqlite_url
from bake_tracker.models import FinishedUnitLot, ProductionRun
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services.errors import ImportVersionError
from tests.services.conftest import count_rows


@pytest.fixture
def history(cookie, christmas):
    recipe, unit = cookie
    at = datetime(2025, 12, 15, 10, tzinfo=UTC)
    first = bps.record_batch_production(
        recipe.id, unit.id, 2, 92, event_id=christmas, produced_at=at
    )
    bps.record_batch_production(recipe.id, unit.id, 1, 48, notes="standalone")
    voided = bps.record_batch_production(recipe.id, unit.id, 1, 0)
    bps.void_production_run(voided.production_run_id, reason="typo")
    tin = fgs.create_finished_good("Cookie Tin")
    fgs.add_component(tin.id, "finished_unit", unit.id, 10)
    asv.record_assembly(tin.id, 3, event_id=christmas)
    return recipe, unit, first


def test_export_names_everything_by_natural_key(history):
    _recipe, _unit, first = history
    data = bps.export_production_history()
    assert data["version"] == 1 and data["exported_at"].endswith("Z")
    runs = data["production_runs"]
    assert [r["event_name"] for r in runs] == ["Christmas 2025", None, None]
    record = runs[0]
    assert record["uuid"] == bps.get_production_run(first.production_run_id).uuid
    assert (record["recipe_name"], record["finished_unit_slug"]) == (
        "Chocolate Chip Cookies",
        "chocolate_chip_cookie",
    )
    assert (record["total_ingredient_cost"], record["per_unit_cost"]) == ("3.2000", "0.0348")
    assert record["produced_at"] == "2025-12-15T10:00:00.000000Z"
    assert [c["ingredient_slug"] for c in record["consumptions"]] == ["flour", "sugar"]
    assert record["consumptions"][0]["lots"][0]["quantity"] == "4.000"
    assert runs[2]["void_reason"] == "typo"
    assembly = asv.export_assembly_history()["assembly_runs"][0]
    assert (
        assembly["finished_unit_consumptions"][0]["finished_unit_slug"] == "chocolate_chip_cookie"
    )
    assert "id" not in record and "recipe_id" not in record


def test_importing_into_the_same_database_skips_everything(history):
    before = (count_rows(ProductionRun), inv.get_on_hand("flour"))
    result = bps.import_production_history(bps.export_production_history())
    assert (result.imported, result.skipped, result.errors) == (0, 3, [])
    assert asv.import_assembly_history(asv.export_assembly_history()).skipped == 1
    assert (count_rows(ProductionRun), inv.get_on_hand("flour")) == before


def test_import_elsewhere_restores_records_not_stock(history, template_db, tmp_path, cookie):
    production = bps.export_production_history()
    assembly = asv.export_assembly_history()
    # a second database holding the same catalog, built the same way, but no history
    second = tmp_path / "second.sqlite3"
    shutil.copyfile(template_db, second)
    engine = db.make_engine(sqlite_url(second))
    db.bind_engine(engine)
    try:
        from bake_tracker.services import event_service, recipe_service
        from tests.services.conftest import cup_ingredient

        cup_ingredient("Flour", [("2024-01-01", "10", "0.50")])
        cup_ingredient("Sugar", [("2024-01-01", "5", "0.60")])
        recipe = recipe_service.create_recipe(
            "Chocolate Chip Cookies",
            category="Cookies",
            yield_quantity=48,
            yield_unit="cookie",
            ingredients=[("flour", 2, "cup"), ("sugar", 1, "cup")],
        )
        unit = fus.create_finished_unit("Chocolate Chip Cookie", recipe.id, items_per_batch=48)
        tin = fgs.create_finished_good("Cookie Tin")
        event_service.create_event("Christmas 2025", "2025-12-25")
        result = bps.import_production_history(production)
        assert (result.imported, result.skipped, result.errors) == (3, 0, [])
        assert asv.import_assembly_history(assembly).imported == 1
        history_there = bps.get_production_history(include_voided=True, include_consumptions=True)
        assert len(history_there) == 3
        christmas_run = next(r for r in history_there if r.event_name == "Christmas 2025")
        assert christmas_run.total_ingredient_cost == D("3.2000")
        assert christmas_run.consumptions[0].lots == []  # those pantry lots are not here
        assert inv.get_on_hand("flour") == D(10)  # stock untouched
        assert fus.get_finished_unit(unit.id).inventory_count == 0
        assert count_rows(FinishedUnitLot) == 0
        assert fgs.get_finished_good(tin.id).inventory_count == 0
    finally:
        engine.dispose()


def test_unresolvable_records_are_reported_and_the_rest_imported(history, tmp_path):
    data = bps.export_production_history()
    for record in data["production_runs"]:
        record["uuid"] = record["uuid"][:-4] + "ffff"
    data["production_runs"][0]["recipe_name"] = "Nonexistent Cake"
    data["production_runs"][1]["total_ingredient_cost"] = "lots"
    result = bps.import_production_history(data)
    assert result.imported == 1
    assert result.errors == [
        'Production record 1: Recipe not found: "Nonexistent Cake"',
        'Production record 2: total_ingredient_cost must be a number (found "lots")',
    ]


def test_duplicates_can_be_refused(history):
    result = bps.import_production_history(bps.export_production_history(), skip_duplicates=False)
    assert result.imported == 0 and len(result.errors) == 3 and "already in" in result.errors[0]


@pytest.mark.parametrize("data", [{"version": 99}, {"version": "3.2"}, [], {"production_runs": []}])
def test_unsupported_versions(engine, data):
    with pytest.raises(ImportVersionError):
        bps.import_production_history(data)


NOT_TEXT = "contains characters that are not valid text (not UTF-8)"


def test_text_that_is_not_utf8_is_a_listed_problem_and_the_rest_imported(history):
    """JSON may carry a lone surrogate ("\\udc80"): looking it up or storing it raised
    UnicodeEncodeError out of the import; now the record is listed and the others imported."""
    production = bps.export_production_history()
    assembly = asv.export_assembly_history()
    for record in (*production["production_runs"], *assembly["assembly_runs"]):
        record["uuid"] = record["uuid"][:-4] + "ffff"
    first, second, third = production["production_runs"]
    first["recipe_name"] = "Cookies \udc80"
    second["consumptions"] = [{**first["consumptions"][0], "ingredient_slug": "flour\udc80"}]
    third["uuid"] = "\ud800" + third["uuid"][1:]
    runs = count_rows(ProductionRun)
    result = bps.import_production_history(production)
    assert (result.imported, result.skipped) == (0, 0)
    assert result.errors == [
        f"Production record 1: recipe_name {NOT_TEXT}",
        f"Production record 2: consumptions item 1 ingredient_slug {NOT_TEXT}",
        f"Production record 3: uuid {NOT_TEXT}",
    ]
    assert count_rows(ProductionRun) == runs
    (tin,) = assembly["assembly_runs"]
    bad_slug = {**tin, "finished_good_slug": "cookie_tin\udc80"}
    bad_note = {**tin, "uuid": tin["uuid"][:-4] + "eeee", "notes": "Merry \udc80"}
    assembly["assembly_runs"] = [bad_slug, bad_note, tin]
    result = asv.import_assembly_history(assembly)
    assert result.imported == 1  # the untouched copy
    assert result.errors == [
        f"Assembly record 1: finished_good_slug {NOT_TEXT}",
        f"Assembly record 2: notes {NOT_TEXT}",
    ]


def test_natural_keys_that_are_not_text_are_listed_problems(history):
    """A key of the wrong JSON type (an object, a list) made the driver refuse to bind it."""
    data = bps.export_production_history()
    for record in data["production_runs"]:
        record["uuid"] = record["uuid"][:-4] + "ffff"
    first, second, third = data["production_runs"]
    first["recipe_name"] = {"name": "Chocolate Chip Cookies"}
    second["event_name"], second["event_year"] = "Christmas 2025", [2025]
    third["consumptions"] = [{**first["consumptions"][0], "ingredient_slug": ["flour"]}]
    result = bps.import_production_history(data)
    assert (result.imported, result.errors) == (
        0,
        [
            "Production record 1: recipe_name must be text (found an object)",
            "Production record 2: event_year must be a whole number (found a list)",
            "Production record 3: ingredient_slug must be text (found a list)",
        ],
    )
    tin = asv.export_assembly_history()["assembly_runs"][0]
    tin["uuid"] = tin["uuid"][:-4] + "ffff"
    tin["packaging_consumptions"] = [{"product": ["bags"], "quantity_consumed": "1"}]
    (problem,) = asv.import_assembly_history({"version": 1, "assembly_runs": [tin]}).errors
    assert problem == (
        "Assembly record 1: product must name an ingredient, a brand and a package size"
    )


def test_hostile_history_records_are_listed_and_the_rest_imported(history):
    """The services' text rule, numbers capped, nesting bounded without recursion, values
    quoted to 80 characters."""
    data = bps.export_production_history()
    for record in data["production_runs"]:
        record["uuid"] = record["uuid"][:-4] + "ffff"
    first, second, third = data["production_runs"]
    first["notes"] = "n" * 50_000_000
    second["void_reason"] = "a\x00b"
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    third["consumptions"] = deep
    tin = asv.export_assembly_history()["assembly_runs"][0]
    tin["uuid"] = tin["uuid"][:-4] + "ffff"
    runs = count_rows(ProductionRun)
    result = bps.import_production_history(data)
    assert (result.imported, result.skipped) == (0, 0)
    assert result.errors == [
        "Production record 1: notes is too long (50,000,000 characters, at most 2,000)",
        "Production record 2: void_reason contains an invalid character (U+0000, NUL)",
        "Production record 3: consumptions item 1 item 1 item 1 item 1 item 1 item 1 item 1 is "
        "nested too deeply (more than 8 levels)",
    ]
    assert count_rows(ProductionRun) == runs
    tin["total_component_cost"] = "1000000001"
    (problem,) = asv.import_assembly_history({"version": 1, "assembly_runs": [tin]}).errors
    assert problem == "Assembly record 1: total_component_cost is too large (at most 1,000,000,000)"
    tin["finished_good_slug"] = "s" * 1000
    (problem,) = asv.import_assembly_history({"version": 1, "assembly_runs": [tin]}).errors
    assert (
        problem == f'Assembly record 1: Finished good not found: "{"s" * 80}…" (1,000 characters)'
    )
