"""Imports cannot plant a loop or slip past the header: a recipe or finished good that contains
itself is refused, named, and nothing is written (``check`` finds a loop that reached the database
some other way); a version that only looks like 1, or a section nobody knows, is refused too."""

from __future__ import annotations

import copy
import uuid
from datetime import date

import pytest
from sqlalchemy import insert

from bake_tracker import db
from bake_tracker.models import RecipeComponent
from bake_tracker.services import database_service, integrity_service
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import sample_data_service as sd
from bake_tracker.services import transfer_service as ts
from bake_tracker.services.errors import ImportVersionError


@pytest.fixture
def season(db_url):
    database_service.open_database(db_url)
    sd.load_sample_data(today=date(2025, 11, 20))
    yield ts.export_data()
    database_service.close_database()


def _without_time(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "exported_at"}


def _link(template: dict, **names) -> dict:
    return {**copy.deepcopy(template), "uuid": str(uuid.uuid4()), "sort_order": 9, **names}


def test_a_recipe_that_contains_itself_through_a_component_is_refused(season):
    document = copy.deepcopy(season)
    (icing,) = document["recipe_components"]  # Decorated Sugar Cookies contains Royal Icing
    document["recipe_components"].append(
        _link(icing, recipe_name="Royal Icing", component_recipe_name="Decorated Sugar Cookies")
    )
    result = ts.import_data(document, mode="replace")
    assert not result.ok
    assert "contain themselves" in result.errors[0]
    assert any(
        "recipe loop: 'Decorated Sugar Cookies' contains 'Royal Icing', which contains "
        "'Decorated Sugar Cookies'"
        in e
        or "recipe loop: 'Royal Icing' contains 'Decorated Sugar Cookies', which contains "
        "'Royal Icing'"
        in e
        for e in result.errors
    ), result.errors
    assert _without_time(ts.export_data()) == _without_time(season)  # nothing was written
    assert integrity_service.check_structure() == []
    # merge mode keeps existing recipes as they are: it never plants the loop either
    ts.import_data(document, mode="merge")
    assert integrity_service.check_structure() == []


def test_a_finished_good_inside_itself_is_refused(season):
    document = copy.deepcopy(season)
    inner = next(
        c for c in document["compositions"] if c["finished_good_slug"] == "cookie_gift_bag"
    )
    document["compositions"].append(
        _link(inner, assembly_slug="cookie_gift_bag", finished_good_slug="holiday_box")
    )
    result = ts.import_data(document, mode="replace")
    assert not result.ok
    assert any(e.startswith("finished good loop: ") for e in result.errors), result.errors
    assert _without_time(ts.export_data()) == _without_time(season)


def test_check_names_a_loop_that_reached_the_database_another_way(season):
    recipes = {r.name: r.id for r in rs.list_recipes()}
    with db.session_scope() as session:  # as a hand edit or an older version could have left it
        session.execute(
            insert(RecipeComponent).values(
                recipe_id=recipes["Royal Icing"],
                component_recipe_id=recipes["Decorated Sugar Cookies"],
                quantity=1,
                sort_order=5,
            )
        )
    assert integrity_service.check_structure() in (
        [
            "recipe loop: 'Decorated Sugar Cookies' contains 'Royal Icing', which contains "
            "'Decorated Sugar Cookies'"
        ],
        [
            "recipe loop: 'Royal Icing' contains 'Decorated Sugar Cookies', which contains "
            "'Royal Icing'"
        ],
    )


@pytest.mark.parametrize("version", [True, 1.0, "1", None, 2])
def test_only_the_whole_number_1_is_version_1(season, version):
    document = {**copy.deepcopy(season), "version": version}
    with pytest.raises(ImportVersionError, match="format version"):
        ts.import_data(document, mode="replace")
    assert _without_time(ts.export_data()) == _without_time(season)


def test_an_unknown_section_is_refused_by_name_not_ignored(season):
    long_name = "x" * 5_000
    document = {**copy.deepcopy(season), "recipies": [], long_name: {}}
    result = ts.import_data(document, mode="replace")
    assert not result.ok
    (problem,) = result.errors
    assert "sections this version does not know: 'recipies', 'xxx" in problem
    assert len(problem) < 200  # a long name is quoted in part
    assert _without_time(ts.export_data()) == _without_time(season)
