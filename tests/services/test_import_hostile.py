"""Imports cannot plant a loop or slip past the header: a recipe or finished good that contains
itself is refused, named, and nothing is written (``check`` finds a loop that reached the database
some other way); a version that only looks like 1, or a section nobody knows, is refused too."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Boolean, Date, Integer, String, insert, select

from bake_tracker import db
from bake_tracker.models import Base, RecipeComponent
from bake_tracker.models.types import UTCDateTime, _ScaledDecimal
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import database_service, integrity_service
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import sample_data_service as sd
from bake_tracker.services import transfer_service as ts
from bake_tracker.services.errors import ImportVersionError, ValidationError
from bake_tracker.services.transfer import read as transfer_read
from bake_tracker.services.transfer import rules
from bake_tracker.services.transfer.format import SECTIONS
from bake_tracker.services.transfer.values import ALLOWED_VALUES


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


# --- the generated hostile corpus -----------------------------------------------------------------
#
# Every document below is refused — the database row for row as it was, the problems listed in the
# user's words — in replace mode and in merge mode; the controls at the end import whole. Each
# section of the season gets a bad text, a bad number, a reference to nothing, a wrong type and a
# repeated record; then whole-document shapes: loops, nesting 100,000 deep, 50 MB strings, NaN,
# numbers of thousands of digits, sections and records of the wrong kind, broken files.

MODES = ("replace", "merge")
# Merge keeps an existing row as it is, with what it owns: the component that would close a loop
# belongs to an existing recipe or finished good, and the lot whose dates only the database checks
# is already there, so merge skips them (and says why) instead of refusing the file.
SKIPPED_IN_MERGE = {"recipe loop", "finished good loop", "a lot that expires before it was bought"}
BIG_TEXT = 50_000_000
DEEP = 100_000


@pytest.fixture
def full_season(db_url):
    """The sample season with stock adjustments too (every section but two has records)."""
    database_service.open_database(db_url)
    sd.load_sample_data(today=date(2025, 11, 20))
    unit = next(u for u in fus.list_finished_units() if u.inventory_count)
    fus.adjust_inventory(unit.id, -1, reason="gift")
    good = fgs.list_finished_goods()[0]
    fgs.adjust_inventory(good.id, 2, reason="count_correction", unit_cost="3.50")
    yield ts.export_data()
    database_service.close_database()


def dump() -> dict[str, list[tuple]]:
    """Every row of every table (the stored totals too), in key order: what "the database is
    unchanged" compares."""
    with db.session_scope() as session:
        return {
            table.name: [
                tuple(row) for row in session.execute(select(table).order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }


def _kinds(section) -> dict[str, list[str]]:
    """The section's own fields by kind, and its reference fields."""
    fks = {ref.column for ref in section.refs}
    kinds: dict[str, list[str]] = {
        "text": [],
        "decimal": [],
        "int": [],
        "time": [],
        "bool": [],
        "ref": [],
    }
    for column in section.table.columns:
        if column.name in ("id", "uuid") or column.name in fks:
            continue
        kind = column.type
        if isinstance(kind, _ScaledDecimal):
            kinds["decimal"].append(column.name)
        elif isinstance(kind, UTCDateTime | Date):
            kinds["time"].append(column.name)
        elif isinstance(kind, Boolean):
            kinds["bool"].append(column.name)
        elif isinstance(kind, Integer):
            kinds["int"].append(column.name)
        elif isinstance(kind, String) and (section.name, column.name) not in ALLOWED_VALUES:
            kinds["text"].append(column.name)
    kinds["ref"] = [ref.fields[0] for ref in section.refs]
    return kinds


TEXT_VALUES = (
    lambda cap: "x" * (cap + 1),  # one character over the services' cap
    lambda cap: "Brown\x00sugar",
    lambda cap: "Brown\x1b[31msugar",  # an escape sequence for a terminal
    lambda cap: "tab\x07bell",
    lambda cap: "\x7f",
)
DECIMAL_VALUES = ("NaN", "-Infinity", "1000000001", "1e400", "-1", "lots", 2.5, True, ["1"])
INT_VALUES = (10**30, "3", True, 2.5, {"n": 3}, -(10**12))
WRONG_TYPES = ([], {"a": 1}, 12, True)


def field_documents(season: dict) -> Iterator[tuple[str, dict]]:
    """Four documents per section with records, each with one bad thing in its first record: a
    bad text, a wrong type, a bad number, a bad date, a non-boolean, a reference to nothing or a
    repeated record — the kinds and the values rotating across sections so that each is used."""
    for turn, section in enumerate(s for s in SECTIONS if season[s.name]):
        record = season[section.name][0]
        made = list(_bad_records(section, record, turn))
        for index in range(4):
            why, bad = made[(turn + index) % len(made)]
            document = copy.deepcopy(season)
            if bad is None:  # the record twice
                document[section.name].append(copy.deepcopy(record))
            else:
                document[section.name][0] = bad
            yield f"{section.name} {why}", document


def _bad_records(section, record: dict, turn: int) -> Iterator[tuple[str, dict | None]]:
    """(what is wrong, the bad record — None for "the record twice") for every kind the section's
    record has."""
    kinds = _kinds(section)

    def pick(names: list[str]) -> str:
        return names[turn % len(names)]

    text = [f for f in kinds["text"] if f in record]
    if text:
        field = pick(text)
        cap = rules.rule(section.name, field).max_length
        yield f"{field} bad text", {**record, field: TEXT_VALUES[turn % len(TEXT_VALUES)](cap)}
        yield f"{field} wrong type", {**record, field: WRONG_TYPES[turn % len(WRONG_TYPES)]}
    if kinds["decimal"]:
        field = pick(kinds["decimal"])
        value = DECIMAL_VALUES[turn % len(DECIMAL_VALUES)]
        yield f"{field} bad number {value!r}", {**record, field: value}
    if kinds["int"]:
        field = pick(kinds["int"])
        value = INT_VALUES[turn % len(INT_VALUES)]
        yield f"{field} bad whole number {value!r}", {**record, field: value}
    if kinds["time"]:
        field = pick(kinds["time"])
        yield (
            f"{field} bad date",
            {**record, field: ("yesterday", 20251224, "2025-02-30")[turn % 3]},
        )
    if kinds["bool"]:
        field = kinds["bool"][0]
        yield f"{field} not true or false", {**record, field: ("no", 1, "true")[turn % 3]}
    if kinds["ref"]:
        field = pick(kinds["ref"])
        yield f"{field} names nothing", {**record, field: "no such thing, anywhere"}
    yield "repeated", None


def _nested(depth: int) -> list:
    """A list inside a list … ``depth`` deep, built without recursion."""
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def shape_documents(season: dict) -> Iterator[tuple[str, dict]]:
    """Whole-document shapes: loops, deep nesting, huge text, sections of the wrong kind."""
    document = copy.deepcopy(season)
    (icing,) = document["recipe_components"]
    document["recipe_components"].append(
        _link(icing, recipe_name="Royal Icing", component_recipe_name="Decorated Sugar Cookies")
    )
    yield "recipe loop", document
    document = copy.deepcopy(season)
    inner = next(c for c in document["compositions"] if c["finished_good_slug"])
    document["compositions"].append(
        _link(inner, assembly_slug=inner["finished_good_slug"], finished_good_slug="holiday_box")
    )
    yield "finished good loop", document
    document = copy.deepcopy(season)
    document["recipes"][0]["notes"] = _nested(DEEP)
    yield "notes nested 100,000 deep", document
    document = copy.deepcopy(season)
    document["ingredients"][0]["display_name"] = "n" * BIG_TEXT
    yield "a 50 MB name", document
    for name in ("ingredients", "events", "production_runs"):
        for value in ({"a": 1}, "flour", None, 7):
            document = copy.deepcopy(season)
            document[name] = value
            yield f"{name} is {type(value).__name__}", document
    document = copy.deepcopy(season)
    document["recipies"] = []
    yield "an unknown section", document
    document = copy.deepcopy(season)
    document["ingredients"][0]["nots"] = "a misspelt field would be lost"
    yield "an unknown field", document
    document = copy.deepcopy(season)
    document["events"][0]["x" * BIG_TEXT] = 1
    yield "a field named with 50 MB", document
    document = copy.deepcopy(season)
    for record in document["ingredients"]:
        record["notes"] = "\x00"
    document["purchases"] = [{**p, "unit_cost": "NaN"} for p in document["purchases"]] * 3
    yield "more problems than are listed", document
    document = copy.deepcopy(season)
    document["events"].append({**document["events"][0], "uuid": str(uuid.uuid4())})
    yield "an event twice under two uuids", document
    document = copy.deepcopy(season)
    document["recipes"][1]["name"] = document["recipes"][0]["name"]
    yield "two recipes with one name", document
    document = copy.deepcopy(season)
    document["inventory_items"][0]["expiration_date"] = "1999-01-01"
    yield "a lot that expires before it was bought", document


def test_a_rule_only_the_database_checks_is_named_with_its_section(full_season):
    document = copy.deepcopy(full_season)
    document["inventory_items"][0]["expiration_date"] = "1999-01-01"
    (problem,) = ts.import_data(document, mode="replace").errors
    assert problem.startswith(
        "Pantry lot records (inventory_items) break a rule the database keeps: expiration not "
        "before purchase ("
    )
    assert problem.endswith("). Correct the inventory items in the file and import it again.")


FILES = {  # the season's JSON text → a hostile file's text (or bytes)
    "nested 100,000 deep": lambda text: "[" * DEEP + "]" * DEEP,
    "a record nested 100,000 deep": lambda text: text.replace(
        '"notes":null', '"notes":' + "[" * DEEP + "]" * DEEP, 1
    ),
    "a 50 MB name": lambda text: text.replace(
        '"display_name":"', '"display_name":"' + "n" * BIG_TEXT, 1
    ),
    "NaN": lambda text: text.replace('"quantity":"', '"quantity":NaN,"x":"', 1),
    "Infinity": lambda text: text.replace('"unit_cost":"', '"unit_cost":Infinity,"x":"', 1),
    "a 5,000-digit year": lambda text: text.replace('"year":2025', '"year":' + "9" * 5000, 1),
    "a year beyond 64 bits": lambda text: text.replace('"year":2025', '"year":' + "9" * 30, 1),
    "a NUL escaped in a name": lambda text: text.replace(
        '"display_name":"', '"display_name":"\\u0000', 1
    ),
    "a lone surrogate in a name": lambda text: text.replace(
        '"display_name":"', '"display_name":"\\ud800', 1
    ),
    "truncated": lambda text: text[: len(text) // 2],
    "empty": lambda text: "",
    "not JSON": lambda text: "format: bake-tracker\nversion: 1\n",
    "invalid UTF-8": lambda text: text.encode().replace(b'"notes"', b'"no\xfftes"', 1),
    "version true": lambda text: text.replace('"version":1', '"version":true', 1),
    "version 1.0": lambda text: text.replace('"version":1', '"version":1.0', 1),
    "no format": lambda text: text.replace('"format":"bake-tracker",', "", 1),
    "a list at the top": lambda text: f"[{text}]",
}


def _write(path, text_or_bytes) -> None:
    if isinstance(text_or_bytes, bytes):
        path.write_bytes(text_or_bytes)
    else:
        path.write_text(text_or_bytes, encoding="utf-8")


def _refusal_problems(source, mode: str) -> list[str] | None:
    """The problems listed (a version error counts as one), or None when it was imported."""
    try:
        result = ts.import_data(source, mode=mode)
    except ImportVersionError as error:
        return [str(error)]
    return result.errors or None


def _check_corpus(documents, before: dict) -> tuple[int, list[str]]:
    """Import each in both modes: how many documents, and what went wrong (empty when every one
    was refused with the database unchanged and words fit to show)."""
    wrong: list[str] = []
    count = 0
    for name, source in documents:
        count += 1
        for mode in MODES:
            problems = _refusal_problems(source, mode)
            if problems is None and mode == "merge" and name in SKIPPED_IN_MERGE:
                problems = []  # imported with nothing added: the database must be as it was
            if problems is None:
                wrong.append(f"{name} ({mode}): imported")
                continue
            if dump() != before:
                wrong.append(f"{name} ({mode}): the database changed")
            for problem in problems:
                if len(problem) > 500 or "Traceback" in problem or "\x00" in problem:
                    wrong.append(f"{name} ({mode}): unfit message {problem[:200]!r}")
    return count, wrong


def test_every_bad_field_of_every_section_is_refused_and_nothing_changes(full_season):
    before = dump()
    documents = list(field_documents(full_season))
    count, wrong = _check_corpus(documents, before)
    assert wrong == []
    assert count >= 100, count
    covered = {name.split(" ")[0] for name, _ in documents}
    assert covered == {s.name for s in SECTIONS if full_season[s.name]}
    kinds = ("bad text", "wrong type", "bad number", "bad whole number", "bad date")
    kinds += ("not true or false", "names nothing", "repeated")
    assert all(any(kind in name for name, _ in documents) for kind in kinds)


def test_bad_document_shapes_are_refused_and_nothing_changes(full_season):
    before = dump()
    count, wrong = _check_corpus(shape_documents(full_season), before)
    assert wrong == [] and count >= 20, (count, wrong)


def test_hostile_files_are_refused_with_a_message(full_season, tmp_path, monkeypatch):
    before = dump()
    exported = tmp_path / "season.json"
    ts.export_data(exported)
    text = exported.read_text(encoding="utf-8").replace("\n", "")
    paths = []
    for name, make in FILES.items():
        path = tmp_path / f"{len(paths)}.json"
        _write(path, make(text))
        assert path.read_bytes() != exported.read_bytes(), name  # the change was made
        paths.append((name, path))
    count, wrong = _check_corpus(paths, before)
    assert wrong == [] and count == len(FILES)
    monkeypatch.setattr(transfer_read, "MAX_FILE_BYTES", 1000)
    (problem,) = ts.import_data(exported).errors
    assert "bake-tracker imports files of up to 0 MB" in problem or "MB" in problem
    assert dump() == before


def test_messages_name_the_record_and_quote_80_characters(full_season, tmp_path):
    document = copy.deepcopy(full_season)
    name = document["ingredients"][0]["display_name"]
    document["ingredients"][0]["notes"] = "n" * BIG_TEXT
    document["recipes"][0]["notes"] = _nested(DEEP)
    problems = ts.import_data(document, mode="replace").errors
    assert problems[0] == (
        f'Ingredient "{name}" (ingredients, record 1): Notes is too long (50,000,000 characters, '
        f'at most 2,000) — found "{"n" * 80}…" (50,000,000 characters). Shorten it.'
    )
    recipe = document["recipes"][0]["name"]
    assert problems[1] == (
        f'Recipe "{recipe}" (recipes, record 1): Notes must be text — found a list. '
        "Write it in quotes."
    )
    path = tmp_path / "deep.json"
    path.write_text("[" * DEEP + "]" * DEEP)
    (deep,) = ts.import_data(path).errors
    assert deep.startswith("deep.json is nested too deeply")
    many = copy.deepcopy(full_season)
    sections = ("ingredients", "products", "purchases", "inventory_items")
    for name in sections:
        for record in many[name]:
            record["notes"] = "\x00"
    problems = ts.import_data(many).errors
    assert len(problems) == ts.MAX_ERRORS + 1
    total = sum(len(many[name]) for name in sections)
    assert problems[-1] == f"… and {total - ts.MAX_ERRORS} more problems"


def test_a_field_nobody_knows_is_refused_not_dropped(full_season):
    document = copy.deepcopy(full_season)
    recipe = document["recipes"][0]["name"]
    document["recipes"][0]["nots"] = "kept nowhere"
    (problem,) = ts.import_data(document, mode="replace").errors
    assert problem == (
        f'Recipe "{recipe}" (recipes, record 1): The field "nots" is not one this version of '
        "bake-tracker knows. Remove it or correct its name."
    )


def test_the_services_and_imports_refuse_the_same_text(full_season):
    """One rule: what the services refuse in a name, an import refuses too."""
    for bad in ("Brown\x00sugar", "Brown\x1bsugar", "x" * 201):
        with pytest.raises(ValidationError, match="Name"):
            cs.create_ingredient(bad, category="Sugar", recipe_unit="cup")
        document = copy.deepcopy(full_season)
        document["ingredients"][0]["display_name"] = bad
        (problem,) = ts.import_data(document, mode="replace").errors
        assert ": Name " in problem


def test_controls_at_the_limits_import_whole(full_season):
    """Text at exactly the caps, tabs, line breaks and accents, the largest number: imported,
    and exported again exactly as given."""
    document = copy.deepcopy(full_season)
    document["ingredients"][0]["display_name"] = "É" * 200
    document["ingredients"][0]["notes"] = "line one\n\tline two\r\n" + "ü" * 1975
    document["events"][0]["notes"] = "🍪" * 2000
    document["purchases"][0]["supplier"] = "s" * 200
    document["event_recipient_packages"][0]["quantity"] = 1_000_000_000
    for mode in MODES:
        result = ts.import_data(copy.deepcopy(document), mode=mode)
        assert result.ok, result.errors
    assert _without_time(ts.export_data()) == _without_time(document)
