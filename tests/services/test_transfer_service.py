"""transfer_service: lossless round trips, merge and replace, and hostile documents."""

from __future__ import annotations

import copy
import json
import re
import shutil
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bake_tracker import db
from bake_tracker.config import sqlite_url
from bake_tracker.models.base import PARTIAL_WHERE
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import event_service as es
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services import transfer_service as ts
from bake_tracker.services.errors import ImportVersionError, ValidationError
from bake_tracker.services.transfer import columns as transfer_columns
from bake_tracker.services.transfer import export as transfer_export
from bake_tracker.services.transfer import plan as transfer_plan
from bake_tracker.services.transfer import read as transfer_read
from bake_tracker.services.transfer import write as transfer_write
from bake_tracker.services.transfer.format import SECTIONS, check_layout
from tests.databases import ON_POSTGRESQL


def without_time(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "exported_at"}


@pytest.fixture
def season(plan):
    """A small season with every kind of row: purchases, runs, voids, statuses, adjustments."""
    christmas = plan["christmas"].id
    cs.add_unit_conversion(
        "flour", from_unit="scoop", from_quantity=1, to_unit="cup", to_quantity=2
    )
    run = bps.record_batch_production(
        plan["cookies"].id,
        plan["cookie"].id,
        3,
        140,
        event_id=christmas,
        loss_quantity=4,
        loss_category="burnt",
        produced_at=datetime(2025, 12, 10, 9, tzinfo=UTC),
    )
    spare = bps.record_batch_production(plan["brownies"].id, plan["brownie"].id, 1, 16)
    bps.void_production_run(spare.production_run_id, reason="dropped the tray")
    asv.record_assembly(plan["gift"].id, 4, event_id=christmas, notes="ribbons")
    fus.adjust_inventory(plan["cookie"].id, -3, reason="gift")
    a = es.assign_package_to_recipient(christmas, plan["alice"].id, plan["deluxe"].id, quantity=2)
    es.update_fulfillment_status(a.id, "ready")
    b = es.assign_package_to_recipient(christmas, plan["bob"].id, plan["deluxe"].id)
    es.update_fulfillment_status(b.id, "ready")
    es.update_fulfillment_status(b.id, "delivered", delivered_to="porch")
    es.set_production_target(christmas, plan["cookies"].id, 4, notes="Need extras for neighbors")
    es.set_assembly_target(christmas, plan["gift"].id, 10)
    return plan | {"run": run}


@pytest.fixture
def empty_db(template_db, tmp_path):
    """A second, empty migrated database; ``use()`` binds the app's sessions to it."""
    path = tmp_path / "other.sqlite3"
    shutil.copyfile(template_db, path)
    engine = db.make_engine(sqlite_url(path))
    yield lambda: db.bind_engine(engine)
    engine.dispose()


def test_every_table_has_a_section():
    check_layout()


def test_round_trip_is_lossless_and_behaves_the_same(season, empty_db, engine, tmp_path):
    path = tmp_path / "backup.json"
    first = ts.export_data(path)
    assert first["format"] == "bake-tracker" and first["version"] == 1
    assert first["event_production_targets"][0]["notes"] == "Need extras for neighbors"
    assert {r["fulfillment_status"] for r in first["event_recipient_packages"]} == {
        "ready",
        "delivered",
    }
    assert "id" not in first["products"][0] and "ingredient_id" not in first["products"][0]
    empty_db()
    result = ts.import_data(path)
    assert result.ok and result.added["production_runs"] == 2 and sum(result.skipped.values()) == 0
    again = ts.export_data()
    assert without_time(again) == without_time(first)
    # the same production in both databases costs the same, lot for lot
    recipe, unit = season["cookies"].id, season["cookie"].id
    there = bps.record_batch_production(recipe, unit, 2, 96)
    db.bind_engine(engine)
    here = bps.record_batch_production(recipe, unit, 2, 96)
    assert (here.total_ingredient_cost, here.per_unit_cost) == (
        there.total_ingredient_cost,
        there.per_unit_cost,
    )
    assert [c.lots for c in here.consumptions] == [c.lots for c in there.consumptions]


def test_progress_is_identical_after_a_restore(season, empty_db):
    christmas = season["christmas"].id
    before = (es.get_production_progress(christmas), es.get_event_overall_progress(christmas))
    document = ts.export_data()
    empty_db()
    assert ts.import_data(document).ok
    assert (
        es.get_production_progress(christmas),
        es.get_event_overall_progress(christmas),
    ) == before
    assert fus.get_finished_unit(season["cookie"].id).inventory_count == 140 - 48 - 3


def test_merging_twice_adds_nothing_the_second_time(season, empty_db):
    document = ts.export_data()
    empty_db()
    first = ts.import_data(copy.deepcopy(document))
    second = ts.import_data(copy.deepcopy(document))
    assert sum(second.added.values()) == 0
    assert second.skipped == first.added
    assert without_time(ts.export_data()) == without_time(document)


def test_merge_keeps_what_is_there_and_adds_what_is_new(season):
    document = ts.export_data()
    cs.create_ingredient("Cardamom", category="Spices", recipe_unit="tsp")
    theirs = copy.deepcopy(document)
    theirs["ingredients"].append(
        {**document["ingredients"][0], "uuid": "0" * 36, "slug": "nutmeg", "display_name": "Nutmeg"}
    )
    result = ts.import_data(theirs)
    assert result.ok and result.added["ingredients"] == 1
    assert {i.slug for i in cs.list_ingredients()} >= {"cardamom", "nutmeg", "flour"}


def test_merge_adds_what_is_new_inside_an_existing_event(season):
    """Another computer's file with the same events: its new assignments and targets are added,
    what the database already has is kept, and every skip says why."""
    christmas = season["christmas"].id
    ours = ts.export_data()
    carol = rcs.create_recipient("Carol")
    es.assign_package_to_recipient(christmas, carol.id, season["deluxe"].id, quantity=3)
    es.set_production_target(christmas, season["brownies"].id, 2)
    es.set_production_target(christmas, season["cookies"].id, 9)  # theirs differs: ours is kept
    es.set_assembly_target(season["easter"].id, season["gift"].id, 5)
    theirs = ts.export_data()
    assert ts.import_data(copy.deepcopy(ours), mode="replace").ok  # back to ours

    result = ts.import_data(copy.deepcopy(theirs), mode="merge")
    assert result.ok, result.errors
    assert {k: v for k, v in result.added.items() if v} == {
        "recipients": 1,
        "event_recipient_packages": 1,
        "event_production_targets": 1,
        "event_assembly_targets": 1,
    }
    assert result.skipped["events"] == 2 and result.skipped["event_recipient_packages"] == 2
    assert result.skip_reasons["events"] == {"the same uuid is already in the database": 2}
    assert result.skipped["event_production_targets"] == 1  # cookies: the database's 4 stays
    after = ts.export_data()
    assert after["event_recipient_packages"] == theirs["event_recipient_packages"]
    targets = {t["recipe_name"]: t["target_batches"] for t in after["event_production_targets"]}
    assert targets == {"Chocolate Chip Cookies": 4, "Brownies": 2}
    assert after["event_assembly_targets"] == theirs["event_assembly_targets"]
    report = ts.import_report(result)
    assert report[0] == (
        "Added 4 records: 1 recipients, 1 event recipient packages, 1 event production targets, "
        "1 event assembly targets."
    )
    assert report[1] == f"Skipped {sum(result.skipped.values())} records:"
    (same_uuid,) = report[2:]  # one reason: every skipped record is in the database already
    assert same_uuid.startswith("- the same uuid is already in the database: ")
    assert "2 events, 2 event recipient packages, 1 event production targets, " in same_uuid
    # merging again adds nothing, and a second merge of a new-uuid twin is judged by its key
    again = ts.import_data(copy.deepcopy(theirs), mode="merge")
    assert again.ok and sum(again.added.values()) == 0
    twin = copy.deepcopy(theirs)
    twin["event_production_targets"][0]["uuid"] = "9" * 36
    result = ts.import_data(twin, mode="merge")
    assert result.ok and sum(result.added.values()) == 0
    assert result.skip_reasons["event_production_targets"] == {
        "the same uuid is already in the database": len(theirs["event_production_targets"]) - 1,
        "the same event and recipe is already in the database": 1,
    }


def test_merge_keeps_the_contents_of_an_existing_recipe(season):
    """Outside events, a row owned by an existing row is skipped with its owner named."""
    document = ts.export_data()
    line = dict(document["recipe_ingredients"][0], uuid="8" * 36, ingredient_slug="sugar")
    document["recipe_ingredients"].append(line)
    result = ts.import_data(document, mode="merge")
    assert result.ok and result.added["recipe_ingredients"] == 0
    assert (
        result.skip_reasons["recipe_ingredients"][
            "it belongs to its recipe already in the database, which is kept as it is"
        ]
        == 1
    )


def test_replace_restores_exactly(season):
    document = ts.export_data()
    bps.record_batch_production(season["cookies"].id, season["cookie"].id, 1, 48)
    cs.create_ingredient("Cardamom", category="Spices", recipe_unit="tsp")
    result = ts.import_data(copy.deepcopy(document), mode="replace")
    assert result.ok
    assert without_time(ts.export_data()) == without_time(document)


def test_a_matching_natural_key_is_skipped_with_what_it_owns(season, empty_db):
    document = ts.export_data()
    empty_db()
    made = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")  # another uuid
    result = ts.import_data(document)
    assert result.ok and result.skipped["ingredients"] == 1
    assert result.skipped["unit_conversions"] == 1  # flour's scoop belongs to the existing flour
    assert cs.get_ingredient("flour").id == made.id


# --- hostile and broken documents -----------------------------------------------------------------


def _snapshot() -> dict:
    return without_time(ts.export_data())


@pytest.mark.parametrize(
    "document",
    [{"format": "something-else", "version": 1}, {"format": "bake-tracker", "version": 99}, [], {}],
)
def test_unknown_formats_and_versions_raise(engine, document):
    with pytest.raises(ImportVersionError):
        ts.import_data(document)


def test_bad_mode(engine):
    with pytest.raises(ValidationError, match="merge"):
        ts.import_data({"format": "bake-tracker", "version": 1}, mode="overwrite")


def test_every_problem_is_listed_and_nothing_written(season):
    before = _snapshot()
    document = ts.export_data()
    document["products"][0]["purchase_quantity"] = "-5"
    document["inventory_items"][0]["quantity"] = "lots"
    document["recipes"].append(dict(document["recipes"][0]))  # duplicate name and uuid
    document["finished_units"][0]["recipe_name"] = "No Such Recipe"
    document["event_recipient_packages"][0]["fulfillment_status"] = "lost"
    document["production_runs"][0]["produced_at"] = "yesterday"
    document["ingredients"][0]["is_packaging"] = "no"
    result = ts.import_data(document)
    assert len(result.errors) >= 7 and sum(result.added.values()) == 0
    text = "\n".join(result.errors)
    for expected in (  # each record by its name, each field by its label, and what to do
        '(products, record 1): Purchase quantity must not be negative — found "-5". Correct',
        '(inventory_items, record 1): Quantity is not a number — found "lots". Write it like',
        "appears twice in the file (same uuid). Remove one of them.",
        ': Recipe names recipe "No Such Recipe", which is neither in the file nor in the '
        "database. Add that recipe to the file or correct the name.",
        'Fulfillment status must be one of pending, ready, delivered — found "lost".',
        'Produced at must be a date and time in UTC — found "yesterday". Write it like',
        'Packaging must be true or false — found "no". Write true or false',
    ):
        assert expected in text, expected
    first = document["ingredients"][0]["display_name"]
    assert result.errors[0].startswith(f'Ingredient "{first}" (ingredients, record 1): ')
    assert _snapshot() == before


def test_broken_files_are_refused_cleanly(season, tmp_path):
    before = _snapshot()
    path = tmp_path / "backup.json"
    ts.export_data(path)
    truncated = tmp_path / "truncated.json"
    truncated.write_text(path.read_text()[: len(path.read_text()) // 2])
    result = ts.import_data(truncated)
    assert not result.ok and "not a complete JSON document" in result.errors[0]
    huge = tmp_path / "huge.json"
    rows = [{"uuid": f"{n:036d}", "slug": "x"} for n in range(300_000)]
    huge.write_text(json.dumps({"format": "bake-tracker", "version": 1, "ingredients": rows}))
    assert huge.stat().st_size > 15_000_000
    result = ts.import_data(huge)
    assert not result.ok and len(result.errors) == ts.MAX_ERRORS + 1
    assert result.errors[-1].startswith("… and")
    missing = ts.import_data(tmp_path / "nope.json")
    assert "Cannot read" in missing.errors[0]
    assert _snapshot() == before


def test_other_unique_values_are_checked_before_writing(season):
    document = ts.export_data()
    name = document["ingredients"][0]["display_name"]
    document["ingredients"][0] |= {"uuid": "2" * 36, "slug": "flour_2"}  # same display name
    result = ts.import_data(document)
    assert any(
        f'Name "{name}" is already used by another ingredient. Choose another.' in e
        for e in result.errors
    ), result.errors


def _their_preferred_flour(document: dict, uuid: str, brand: str) -> dict:
    """Another computer's product of the same flour, marked preferred there."""
    flour = next(p for p in document["products"] if p["ingredient_slug"] == "flour")
    return {**flour, "uuid": uuid, "brand": brand, "preferred": True}


def test_merge_keeps_the_preferred_product_and_adds_theirs_as_not_preferred(season):
    """Two computers each prefer a product of flour: merging one's file into the other adds
    the new product, and the database's choice stays (the one-per-ingredient rule held)."""
    document = ts.export_data()
    before = cs.list_products("flour")
    ours = {p.id for p in before if p.preferred}
    assert len(ours) == 1
    theirs = copy.deepcopy(document)
    theirs["products"].append(_their_preferred_flour(document, "3" * 36, "Mill & Co"))
    result = ts.import_data(theirs)
    assert result.ok, result.errors
    assert result.added["products"] == 1
    flour = cs.list_products("flour")
    assert {p.id for p in flour if p.preferred} == ours
    assert [p.preferred for p in flour if p.id not in {b.id for b in before}] == [False]
    assert result.notes == [
        "1 product added as not preferred: their ingredient already has a preferred product "
        "in the database, which stays preferred."
    ]
    assert result.notes[0] in ts.import_report(result)


def test_two_preferred_products_of_one_ingredient_in_a_file_are_refused(season, empty_db):
    """Within one file the rule is the file's to keep: the second is named, nothing written."""
    document = ts.export_data()
    document["products"].append(_their_preferred_flour(document, "4" * 36, "Second Mill"))
    empty_db()
    for mode in ("merge", "replace"):
        result = ts.import_data(copy.deepcopy(document), mode=mode)
        assert not result.ok
        assert len(result.errors) == 1, result.errors
        assert "(products, record" in result.errors[0]
        assert result.errors[0].endswith(
            "is marked preferred, and so is another product of the same ingredient in the "
            "file. Mark only one of them as preferred."
        )
        assert ts.export_data()["products"] == []


def test_every_partial_unique_index_is_kept_by_the_import_plan():
    """A partial unique index the plan does not keep would fail an import at the database."""
    partial_unique = {
        (section.name, tuple(c.name for c in index.columns), index.info[PARTIAL_WHERE])
        for section in SECTIONS
        for index in section.table.indexes
        if index.unique and PARTIAL_WHERE in index.info
    }
    kept = {(name, (rule.owner,), rule.flag) for name, rule in transfer_plan.ONE_PER_OWNER.items()}
    assert partial_unique == kept


def test_sections_must_be_lists_and_records_objects(engine):
    result = ts.import_data(
        {"format": "bake-tracker", "version": 1, "ingredients": "flour", "recipes": [42]}
    )
    assert result.errors == [
        'The section "ingredients" must be a list of records in [ ] (found "flour"). '
        "Correct the file.",
        "Recipe (recipes, record 1) must be an object in { } (found 42). Correct the file.",
    ]


def test_an_outer_session_is_left_to_the_caller(season):
    document = ts.export_data()
    document["ingredients"][0] |= {"uuid": "1" * 36, "slug": "rye", "display_name": "Rye"}
    with db.SessionLocal() as outer:
        assert ts.import_data(document, session=outer).ok
        outer.rollback()
    assert "rye" not in {i.slug for i in cs.list_ingredients()}


# --- generated data -------------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), min_size=1, max_size=20
)
amounts = st.decimals(min_value=D("0.001"), max_value=D(9999), places=3)
prices = st.decimals(min_value=D(0), max_value=D(99), places=4)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(names, st.sampled_from(["cup", "g", "each", "bag"]), amounts, prices), max_size=6
    )
)
def test_generated_pantries_round_trip(template_db, tmp_path_factory, items):
    folder = tmp_path_factory.mktemp("gen")
    engines = []
    for name in ("a.sqlite3", "b.sqlite3"):
        shutil.copyfile(template_db, folder / name)
        engines.append(db.make_engine(sqlite_url(folder / name)))
    try:
        db.bind_engine(engines[0])
        for name, unit, quantity, price in items:
            if not name.strip():
                continue
            try:
                made = cs.create_ingredient(name, category="Misc", recipe_unit=unit)
            except ValidationError:
                continue  # duplicate names are refused by the service, as they should be
            product = cs.create_product(made.slug, purchase_unit=unit, purchase_quantity=quantity)
            inv.add_to_inventory(
                product.id, quantity=quantity, unit_cost=price, purchase_date="2025-01-01"
            )
        document = ts.export_data()
        db.bind_engine(engines[1])
        assert ts.import_data(json.loads(json.dumps(document))).ok
        assert without_time(ts.export_data()) == without_time(document)
    finally:
        for engine in engines:
            engine.dispose()


def test_sections_cover_the_schema():
    assert len(SECTIONS) == 32


# --- the column-at-a-time path (issue 10) --------------------------------------------------------


def _import_and_look(document: dict, mode: str, *, one_by_one: bool, monkeypatch) -> tuple:
    """import_data in a session that is rolled back: (errors, added, skipped, the export after)."""
    with monkeypatch.context() as patched:
        if one_by_one:  # the record-by-record checks only, as before issue 10

            def refuse(*args, **kwargs):
                raise transfer_columns.RecordByRecord

            patched.setattr(ts._Plan, "_check_section_whole", refuse)
        with db.SessionLocal() as outer:
            result = ts.import_data(copy.deepcopy(document), mode=mode, session=outer)
            after = without_time(ts.export_data(session=outer))
            outer.rollback()
    return result.errors, result.added, result.skipped, after


def test_an_export_is_checked_a_column_at_a_time(season, monkeypatch):
    document = ts.export_data()
    whole = []
    real = ts._Plan._check_section_whole

    def spy(self, section, *args):
        real(self, section, *args)
        whole.append(section.name)

    monkeypatch.setattr(ts._Plan, "_check_section_whole", spy)
    with db.SessionLocal() as outer:
        assert ts.import_data(copy.deepcopy(document), mode="replace", session=outer).ok
        outer.rollback()
    assert set(whole) == {name for name in ts.SECTION_BY_NAME if document[name]}
    monkeypatch.undo()
    fast = _import_and_look(document, "replace", one_by_one=False, monkeypatch=monkeypatch)
    slow = _import_and_look(document, "replace", one_by_one=True, monkeypatch=monkeypatch)
    assert fast == slow and not fast[0] and fast[3] == without_time(document)


EDGE_VALUES = [
    "2.5",  # fewer places than exported: still a number
    " 2.500",
    "+2.500",
    "1_0.000",
    "1_.000",
    "٣.000",
    "-0.000",
    "-2.500",
    "1000000000000.000",
    "1000000000000.001",
    "99999999999999.000",
    "2.5000",
    2,
    True,
    2.5,
    None,
    "",
    "2025-12-15T10:00:00.000000Z",
    "2025-12-15T10:00:00Z",
    "2025-12-15T11:00:00.000000+01:00",
    "2025-12-15T10:00:00,000000Z",
    "2025-W50-1T10:00:00.000000Z",
    "2025-02-30T10:00:00.000000Z",
    "2024-02-29T10:00:00.000000Z",
    "0000-01-01T10:00:00.000000Z",
    "0077-05-22T10:00:00.000000Z",
    "2025-12-24",
    "2025-W52-3",
    "20251224",
    "2025-02-29",
    "x" * 300,
    "Bad \udc80 name",
    "lost",
    "ready",
    ["a list"],
    {"an": "object"},
    "No Such Name",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_column_checks_agree_with_the_record_checks(season, monkeypatch, data):
    """One changed value: the same problems, counts and resulting data with the column path as
    with the record-by-record checks alone."""
    document = ts.export_data()
    name = data.draw(st.sampled_from(sorted(n for n in ts.SECTION_BY_NAME if document[n])))
    index = data.draw(st.integers(0, len(document[name]) - 1))
    record = dict(document[name][index])
    field = data.draw(st.sampled_from(sorted(record)))
    record[field] = data.draw(st.sampled_from(EDGE_VALUES))
    document[name] = [*document[name][:index], record, *document[name][index + 1 :]]
    mode = data.draw(st.sampled_from(["replace", "merge"]))
    try:
        fast = _import_and_look(document, mode, one_by_one=False, monkeypatch=monkeypatch)
    except UnicodeEncodeError:  # text that is not UTF-8 where the checks do not look
        with pytest.raises(UnicodeEncodeError):
            _import_and_look(document, mode, one_by_one=True, monkeypatch=monkeypatch)
        return
    slow = _import_and_look(document, mode, one_by_one=True, monkeypatch=monkeypatch)
    if record[field] is None and field in ("uuid", "created_at", "updated_at"):
        fast, slow = fast[:3], slow[:3]  # a new uuid or "now" is filled in, different each time
    assert fast == slow


def test_stored_values_are_formatted_as_their_decimals_and_moments():
    from bake_tracker.models.types import from_scaled

    stored = (0, 1, 5, 2500, 99_999, 10**16, 123_456_789_012_345_678)
    for places in (2, 3, 4):
        expected = [str(from_scaled(v, places)) for v in stored]
        assert transfer_export.format_scaled(stored, places) == expected
        signed = (*stored, -1, -2500, None)
        assert transfer_export.format_scaled(signed, places) == [
            None if v is None else str(from_scaled(v, places)) for v in signed
        ]
    moments = [datetime(2025, 12, 15, 10, 0, 0, n) for n in (0, 1, 999_999)]
    as_sqlite = tuple(m.strftime("%Y-%m-%d %H:%M:%S.%f") for m in moments)
    expected = [m.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for m in moments]
    assert transfer_export.format_timestamps(as_sqlite) == expected  # SQLite's stored text
    assert (
        transfer_export.format_timestamps(tuple(moments)) == expected
    )  # PostgreSQL's naive datetimes
    assert transfer_export.format_timestamps((*as_sqlite, None)) == [*expected, None]
    assert transfer_export.format_timestamps(("2025-12-15 10:00:00",)) == [
        "2025-12-15T10:00:00.000000Z"
    ]


def test_the_file_has_one_record_per_line(season, tmp_path):
    path = tmp_path / "backup.json"
    document = ts.export_data(path)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == document
    lines = text.splitlines()
    sections = [v for v in document.values() if isinstance(v, list)]
    # "{", format, version, exported_at, then per section "name":[ + records + ], or "name":[]
    assert len(lines) == 1 + 3 + sum(len(v) + 2 if v else 1 for v in sections) + 1
    assert lines[1] == '"format":"bake-tracker",'
    first = document["ingredients"][0]
    assert json.dumps(first, ensure_ascii=False, separators=(",", ":")) + "," in lines


@pytest.mark.sqlite_only
def test_an_import_leaves_the_page_cache_as_it_was(season):
    from sqlalchemy import text as sql

    document = ts.export_data()
    with db.SessionLocal() as outer:
        connection = outer.connection()
        before = connection.execute(sql("PRAGMA cache_size")).scalar()
        assert ts.import_data(document, mode="replace", session=outer).ok
        assert connection.execute(sql("PRAGMA cache_size")).scalar() == before
        outer.rollback()


# --- orjson reads what json.load reads (issue 10) -------------------------------------------------

BIG = "123456789012345678901234567890"  # beyond 64 bits: orjson makes it a float, json an int
TRICKY_FILES = {
    "a plain export": ("events", "notes", None),
    "a year beyond 64 bits": ("events", "year", BIG),
    "a negative quantity beyond 64 bits": ("inventory_items", "quantity", "-" + BIG),
    "a big number in a list": ("recipes", "notes", f"[{BIG}]"),
    "a big number in an unknown field": ("recipes", "extra", BIG),
    "a fraction where text belongs": ("inventory_items", "quantity", "2.5"),
    "an exponent": ("purchases", "purchased_on", "1e400"),
    "NaN": ("inventory_items", "quantity", "NaN"),
    "Infinity": ("inventory_items", "quantity", "-Infinity"),
    "a lone surrogate": ("recipes", "name", '"Bad \\ud800 name"'),
    "a reversed surrogate pair": ("recipes", "name", '"\\udc00\\ud800"'),
    "a version beyond 64 bits": ("", "version", BIG),
    "a fractional version": ("", "version", "1.0"),
    "5000 digits": ("events", "year", "9" * 5000),
    "deep nesting": ("recipes", "notes", "[" * 5000 + "]" * 5000),
}
RAW_FILES = {  # the exported text's bytes → the file's bytes
    "invalid UTF-8": lambda data: data.replace(b'"notes"', b'"not\xffes"', 1),
    "a byte order mark": lambda data: b"\xef\xbb\xbf" + data,
    "a truncated file": lambda data: data[: len(data) // 2],
    "a NUL after the document": lambda data: data + b"\x00",
}


def _tricky_file(document: dict, case: str, tmp_path):
    path = tmp_path / "tricky.json"
    if case in RAW_FILES:
        path.write_bytes(RAW_FILES[case](json.dumps(document, ensure_ascii=False).encode()))
        return path
    section, field, raw = TRICKY_FILES[case]
    document = copy.deepcopy(document)
    target = document if not section else document[section][0]
    if raw is not None:
        target[field] = "@@RAW@@"
    text = json.dumps(document)
    path.write_text(text.replace('"@@RAW@@"', raw or "", 1), encoding="utf-8")
    return path


def _import_file(path, mode: str, *, with_orjson: bool, monkeypatch) -> tuple:
    """import_data(path) in a rolled-back session: the result and the export after, or what it
    raised."""
    with monkeypatch.context() as patched:
        if not with_orjson:
            patched.setattr(transfer_read, "_orjson", None)
        with db.SessionLocal() as outer:
            try:
                result = ts.import_data(path, mode=mode, session=outer)
            except (ImportVersionError, ValueError, RecursionError) as error:
                return type(error), str(error)
            finally:
                after = without_time(ts.export_data(session=outer))
                outer.rollback()
    return result.errors, result.added, result.skipped, after


@pytest.mark.parametrize("case", [*TRICKY_FILES, *RAW_FILES])
def test_orjson_gives_the_values_and_errors_json_load_gives(season, tmp_path, monkeypatch, case):
    assert transfer_read._orjson is not None, "orjson is a declared dependency"
    document = ts.export_data()
    path = _tricky_file(document, case, tmp_path)
    for mode in ("replace", "merge"):
        fast = _import_file(path, mode, with_orjson=True, monkeypatch=monkeypatch)
        slow = _import_file(path, mode, with_orjson=False, monkeypatch=monkeypatch)
        assert fast == slow, case
    if case == "a plain export":
        assert not fast[0] and fast[3] == without_time(document)
    if case == "a year beyond 64 bits":
        assert any("Year is too large" in e for e in fast[0])  # not "must be a whole number"
    if case == "a version beyond 64 bits":
        assert BIG in fast[1]


def test_an_export_is_read_by_orjson_and_a_big_number_again_by_json(season, tmp_path, monkeypatch):
    assert transfer_read._orjson is not None, "orjson is a declared dependency"
    document = ts.export_data()
    reads = []
    real = transfer_read.read_json

    def spy(path, *, exact):
        value, was_exact = real(path, exact=exact)
        reads.append(was_exact)
        return value, was_exact

    monkeypatch.setattr(transfer_read, "read_json", spy)
    plain = _tricky_file(document, "a plain export", tmp_path)
    assert _import_file(plain, "replace", with_orjson=True, monkeypatch=monkeypatch)[0] == []
    assert reads == [False]  # orjson, once
    reads.clear()
    big = _tricky_file(document, "a year beyond 64 bits", tmp_path)
    assert _import_file(big, "replace", with_orjson=True, monkeypatch=monkeypatch)[0]
    assert reads == [False, True]  # orjson, then json for the float the checks would show


@pytest.mark.parametrize("enabled", [True, False])
def test_an_import_leaves_garbage_collection_as_it_was(season, enabled):
    import gc

    document = ts.export_data()
    seen = []
    real = ts._Plan.check

    def spy(self, *args):
        seen.append(gc.isenabled())
        real(self, *args)

    (gc.enable if enabled else gc.disable)()
    try:
        with db.SessionLocal() as outer:
            ts._Plan.check = spy
            try:
                assert ts.import_data(document, mode="replace", session=outer).ok
            finally:
                ts._Plan.check = real
            outer.rollback()
        assert seen == [False] and gc.isenabled() == enabled
    finally:
        gc.enable()


# --- indexes (and on PostgreSQL foreign keys) set aside during a big section's rows (issue 10) ----


def _rebuild_from(monkeypatch, rows: int) -> None:
    """Sections of at least ``rows`` rows into an empty table set their indexes aside, on both
    backends (``transfer.write.INDEX_REBUILD_ROWS``)."""
    monkeypatch.setattr(transfer_write, "INDEX_REBUILD_ROWS", {"sqlite": rows, "postgresql": rows})


def _schema(connection) -> list:
    """Every table, index and constraint with its definition."""
    from sqlalchemy import text as sql

    if connection.dialect.name == "postgresql":
        indexes = connection.execute(
            sql("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        )
        constraints = connection.execute(
            sql(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
                "condeferrable, convalidated FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace"
            )
        )
        return sorted(map(tuple, indexes)) + sorted(map(tuple, constraints))
    return sorted(connection.execute(sql("SELECT type, name, tbl_name, sql FROM sqlite_master")))


def _is_set_aside(statement: str) -> bool:
    return statement.startswith("DROP INDEX") or (
        statement.startswith("ALTER TABLE") and " DROP CONSTRAINT " in statement
    )


def _is_put_back(statement: str) -> bool:
    return (statement.startswith("CREATE") and " INDEX " in statement) or (
        statement.startswith("ALTER TABLE") and " ADD CONSTRAINT " in statement
    )


def test_indexes_are_built_after_the_rows_and_the_schema_stays(season, monkeypatch):
    from sqlalchemy import event

    document = ts.export_data()
    normal = _import_and_look(document, "replace", one_by_one=False, monkeypatch=monkeypatch)
    _rebuild_from(monkeypatch, 1)  # every section with rows
    statements = []
    with db.SessionLocal() as outer:
        connection = outer.connection()
        before = _schema(connection)
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(connection, "before_cursor_execute", listen)
        try:
            result = ts.import_data(copy.deepcopy(document), mode="replace", session=outer)
        finally:
            event.remove(connection, "before_cursor_execute", listen)
        assert _schema(connection) == before
        after = without_time(ts.export_data(session=outer))
        outer.rollback()
    dropped = [s for s in statements if _is_set_aside(s)]
    created = [s for s in statements if _is_put_back(s)]
    assert dropped and len(created) == len(dropped)
    # uuid's unique index too (migration 0009: an index, no longer a constraint's)
    assert "DROP INDEX uq_production_runs_uuid" in dropped, dropped
    if ON_POSTGRESQL:  # and the foreign keys, checked per row
        fks = [s for s in dropped if "DROP CONSTRAINT fk_production_runs_" in s]
        runs = ts.SECTION_BY_NAME["production_runs"].table
        assert len(fks) == len(runs.foreign_key_constraints) > 1, dropped
    assert (result.errors, result.added, result.skipped, after) == normal


def _history_emptied_then_imported(document: dict, mode: str, listeners=()) -> tuple:
    """In a session that is rolled back: for merge, the adjustments, runs and everything after
    them deleted first (their tables empty, so their indexes are rebuilt, while the checks of
    the next sections read the database); then import_data with ``listeners`` on the
    connection."""
    from sqlalchemy import event

    with db.SessionLocal() as outer:
        connection = outer.connection()
        if mode == "merge":
            names = [section.name for section in ts.SECTIONS]
            for section in reversed(ts.SECTIONS[names.index("stock_adjustments") :]):
                outer.execute(section.table.delete())
        for name, listener in listeners:
            event.listen(connection, name, listener)
        try:
            result = ts.import_data(copy.deepcopy(document), mode=mode, session=outer)
        finally:
            for name, listener in listeners:
                event.remove(connection, name, listener)
        after = without_time(ts.export_data(session=outer))
        outer.rollback()
    return result.errors, result.added, result.skipped, after


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_indexes_are_rebuilt_beside_the_checks_never_beside_another_statement(
    season, monkeypatch, mode
):
    """The sections' rows and index builds go in on the writer's own thread while the plan
    checks the next sections; no statement ever starts while another is running on the
    connection, and the result is the import's as before."""
    import threading

    document = ts.export_data()
    normal = _history_emptied_then_imported(document, mode)
    _rebuild_from(monkeypatch, 1)
    running, overlaps, threads, inserts = [], [], [], []
    sections = tuple(f"INSERT INTO {name} " for name in ts.SECTION_BY_NAME)

    def before(conn, cursor, statement, *args):
        overlaps.append(len(running))
        running.append(statement)
        if statement.startswith("CREATE") and "INDEX" in statement:
            threads.append(threading.current_thread().name)
        if statement.startswith(sections):
            inserts.append(threading.current_thread().name)

    def after(conn, cursor, statement, *args):
        running.remove(statement)

    listeners = [("before_cursor_execute", before), ("after_cursor_execute", after)]
    assert _history_emptied_then_imported(document, mode, listeners) == normal
    assert normal[0] == [] and sum(normal[1].values()) > 0, normal[0]
    assert set(overlaps) == {0} and not running
    assert threads and set(threads) == {"import-writer"}, threads
    # SQLite inserts every section; PostgreSQL copies the big ones (not seen as statements)
    assert set(inserts) == {"import-writer"} or (ON_POSTGRESQL and not inserts), inserts


def test_a_row_the_database_refuses_while_merging_leaves_the_next_checks_reading(season):
    """A merge: a new pantry lot breaks a rule only the database checks (expiration before
    purchase). The sections after it are still checked against the database — on PostgreSQL the
    refused row ended the transaction there, and the section's savepoint is rolled back so that
    those reads work — and the import is refused with that rule, nothing written."""
    document = ts.export_data()
    lot = dict(document["inventory_items"][0], uuid="8" * 36, expiration_date="1999-01-01")
    document["inventory_items"].append(lot)
    later = [s.name for s in SECTIONS][[s.name for s in SECTIONS].index("inventory_items") + 1 :]
    assert any(document[name] for name in later)  # read from the database while checked
    before = without_time(ts.export_data())
    (problem,) = ts.import_data(document, mode="merge").errors
    assert problem.startswith(
        "Pantry lot records (inventory_items) break a rule the database keeps: expiration not "
        "before purchase ("
    ), problem
    assert without_time(ts.export_data()) == before


def test_a_problem_in_a_later_section_undoes_the_sections_already_written(season, monkeypatch):
    """Sections are written as they are checked: a problem in the last one still leaves the
    database, its schema and its indexes exactly as they were."""
    document = ts.export_data()
    _rebuild_from(monkeypatch, 1)
    draws = document["adjustment_draws"]
    assert draws and ts.SECTIONS[-1].name == "adjustment_draws"
    draws[0] = dict(draws[0], quantity="many")
    with db.SessionLocal() as outer:
        connection = outer.connection()
        schema, before = _schema(connection), without_time(ts.export_data(session=outer))
        result = ts.import_data(copy.deepcopy(document), mode="replace", session=outer)
        assert len(result.errors) == 1 and "adjustment" in result.errors[0].lower(), result.errors
        assert sum(result.added.values()) == 0
        assert _schema(connection) == schema
        assert without_time(ts.export_data(session=outer)) == before
        outer.rollback()


# where the set-aside statements may fail: the first of each kind, and the last statement that
# puts something back (after every row of every section); PostgreSQL also sets aside constraints
_FAIL_POINTS = ["first CREATE INDEX", "first DROP INDEX", "last put back"] + (
    ["first DROP CONSTRAINT", "first ADD CONSTRAINT"] if ON_POSTGRESQL else []
)


def _set_aside_statements(document: dict) -> list[str]:
    """The statements that set aside and put back indexes and constraints, in the order a replace
    import of ``document`` sends them (in a session that is rolled back)."""
    from sqlalchemy import event

    statements = []
    with db.SessionLocal() as outer:
        connection = outer.connection()
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(connection, "before_cursor_execute", listen)
        try:
            assert ts.import_data(copy.deepcopy(document), mode="replace", session=outer).ok
        finally:
            event.remove(connection, "before_cursor_execute", listen)
        outer.rollback()
    return [s for s in statements if _is_set_aside(s) or _is_put_back(s)]


@pytest.mark.parametrize("fail_at", _FAIL_POINTS)
def test_a_failure_around_the_index_rebuild_changes_nothing(season, monkeypatch, fail_at):
    """A failure while indexes (on PostgreSQL also foreign keys and unique constraints) are set
    aside or put back: the schema and the rows as they were."""
    from sqlalchemy import event

    document = ts.export_data()
    _rebuild_from(monkeypatch, 1)
    statements = _set_aside_statements(document)
    if fail_at == "last put back":
        failing = statements[-1]
        assert _is_put_back(failing), statements
    else:
        kind = fail_at.removeprefix("first ")
        failing = next(s for s in statements if kind in s)
    with db.SessionLocal() as outer:
        connection = outer.connection()
        schema, before = _schema(connection), without_time(ts.export_data(session=outer))

        def fail(conn, cursor, statement, *args):
            if statement == failing:
                raise RuntimeError("injected")

        event.listen(connection, "before_cursor_execute", fail)
        try:
            with pytest.raises(RuntimeError, match="injected"):
                ts.import_data(copy.deepcopy(document), mode="replace", session=outer)
        finally:
            event.remove(connection, "before_cursor_execute", fail)
        outer.rollback()
    with db.SessionLocal() as fresh:
        assert _schema(fresh.connection()) == schema
        assert without_time(ts.export_data(session=fresh)) == before


def test_a_unique_index_the_rows_break_refuses_the_import(season, monkeypatch):
    """A unique index the plan does not check refuses the rows at the database: when the rows go
    in, or when it is built after them. The plan keeps uq_products_preferred_per_ingredient
    itself (``ONE_PER_OWNER``); without that rule, this index is such a one."""
    monkeypatch.setattr(transfer_plan, "ONE_PER_OWNER", {})
    document = ts.export_data()
    products = document["products"]
    first = products[0]
    twin = dict(first, uuid="7" * 36, preferred=True, brand="Twin")
    first["preferred"] = True
    products.append(twin)
    results = []
    for rows in (10**9, 1):  # as before, then with every index built after the rows
        _rebuild_from(monkeypatch, rows)
        results.append(
            _import_and_look(document, "replace", one_by_one=False, monkeypatch=monkeypatch)
        )
    if ON_POSTGRESQL:  # the server's own words differ: a row refused, or the index refused
        for errors, *_ in results:
            errors[:] = [
                re.sub(r"keeps: (.*?) \(.*\)\. Correct ", r"keeps: \1 (…). Correct ", e)
                for e in errors
            ]
    assert results[0] == results[1]
    errors = results[0][0]
    assert len(errors) == 1 and errors[0].startswith(
        "Product records (products) break a rule the database keeps: "
    ), errors
    if ON_POSTGRESQL:  # the rule named by its index
        assert "keeps: preferred per ingredient (…). Correct the products" in errors[0], errors
    else:
        assert "products.ingredient_id" in errors[0]


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_sqlite_leaves_the_references_to_the_plan_which_still_refuses_a_bad_one(
    season, engine, monkeypatch, mode
):
    """SQLite: an import that owns its transaction writes with foreign keys off (the plan has
    resolved every reference to a row it knows is there); on again afterwards. A reference to a
    record that is neither in the file nor in the database, in the last section that refers to
    anything, is still refused by the plan — with foreign keys off nothing else would — and
    nothing is written."""
    before = _snapshot()
    document = ts.export_data()
    section, ref = next(
        (section, ref)
        for section in reversed(SECTIONS)
        if document[section.name]
        for ref in section.refs
        if len(ref.fields) == 1 and ref.fields[0].endswith("_uuid")
    )
    bad = copy.deepcopy(document)
    bad[section.name][-1][ref.fields[0]] = "9" * 36
    pragmas = []
    insert = transfer_write._insert_stored

    def inserting(connection, *args):
        if not ON_POSTGRESQL:
            pragmas.append(connection.exec_driver_sql("PRAGMA foreign_keys").scalar())
        return insert(connection, *args)

    monkeypatch.setattr(transfer_write, "_insert_stored", inserting)
    result = ts.import_data(bad, mode=mode)
    assert not result.ok and len(result.errors) == 1, result.errors
    assert "which is neither in the file nor in the database" in result.errors[0]
    assert _snapshot() == before
    assert ts.import_data(document, mode="replace").ok
    assert _snapshot() == before
    if ON_POSTGRESQL:
        return
    assert pragmas and set(pragmas) == {0}, pragmas
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_columns_checked_in_slices_give_the_same_import_and_the_same_refusals(season, monkeypatch):
    """The column checks go a slice of ``columns.SLICE`` values at a time (so that the writer's
    thread gets Python's lock between them): with slices of two values the import is the same,
    and a value off the exported form in the last slice still sends the section record by record,
    where its problem is reported. While the writer's thread runs the switch interval is
    ``SWITCH_INTERVAL``, and it is set back afterwards."""
    import sys

    document = ts.export_data()
    whole, check_section = [], transfer_columns.check_section

    def checking(section, *args, **kwargs):  # the sections checked a column at a time
        names, rows, keys = check_section(section, *args, **kwargs)
        whole.append((section.name, len(rows)))
        return names, rows, keys

    monkeypatch.setattr(transfer_columns, "check_section", checking)
    normal = _history_emptied_then_imported(document, "replace")
    by_column, whole[:] = list(whole), []
    assert ("inventory_items", len(document["inventory_items"])) in by_column
    monkeypatch.setattr(transfer_columns, "SLICE", 2)
    intervals = []
    insert = transfer_write._insert_stored

    def inserting(*args):
        intervals.append(sys.getswitchinterval())
        return insert(*args)

    monkeypatch.setattr(transfer_write, "_insert_stored", inserting)
    before = sys.getswitchinterval()
    assert _history_emptied_then_imported(document, "replace") == normal
    assert normal[0] == [] and sum(normal[1].values()) > 0 and whole == by_column
    assert set(intervals) == {transfer_write.SWITCH_INTERVAL} and sys.getswitchinterval() == before
    lots = copy.deepcopy(document)
    assert len(lots["inventory_items"]) > 2
    lots["inventory_items"][-1]["quantity"] = "lots"  # in the last slice
    errors, *_ = _history_emptied_then_imported(lots, "replace")
    assert len(errors) == 1 and 'Quantity is not a number — found "lots"' in errors[0], errors


def test_the_import_commits_without_folding_its_wal_back_at_once(season, engine):
    """SQLite: the import's own commit runs without the automatic checkpoint (a big import's WAL
    is folded back by the app's idle checkpoint, as after any write); the setting is back on the
    connection afterwards. PostgreSQL has no WAL checkpoint of its own to leave: the import
    commits as before."""
    from sqlalchemy import event

    document = ts.export_data()
    at_commit = []

    def commit(conn):
        raw = conn.connection.dbapi_connection
        pages = None if ON_POSTGRESQL else raw.execute("PRAGMA wal_autocheckpoint").fetchone()
        at_commit.append(pages)

    event.listen(engine, "commit", commit)
    try:
        assert ts.import_data(copy.deepcopy(document), mode="replace").ok
    finally:
        event.remove(engine, "commit", commit)
    assert at_commit, "the import committed"
    if ON_POSTGRESQL:
        return
    with engine.connect() as conn:
        after = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert at_commit[-1] == (0,) and after == db.WAL_AUTOCHECKPOINT_PAGES, (at_commit, after)
    assert without_time(ts.export_data()) == without_time(document)
