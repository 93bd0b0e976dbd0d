"""Export and import of production and assembly history on their own, by natural keys.

A record names everything by natural key — recipe name, finished unit/good slug, event (name, year),
ingredient slug, product (ingredient slug, brand, package size), pantry lot uuid — never by database
id, and carries its ledgers, costs as decimal strings and timestamps as ISO-8601 UTC with "Z".
Importing restores the records, never stock: no lot changes and no output lot is created. Runs whose
uuid is already present are skipped; a record that cannot be resolved is reported and left out while
the others are imported. Lot-level rows are linked when their pantry lot (by uuid) is present.
Every text in a record follows the services' rule (``validation.text_problem``: no NUL or control
character, valid UTF-8, at most ``MAX_NOTES`` characters), numbers are capped at ``MAX_NUMBER``,
a record nested deeper than ``MAX_DEPTH`` is refused (walked without recursion), and messages
quote a value to 80 characters (``words.quote``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bake_tracker.core.numbers import MAX_NUMBER
from bake_tracker.models import (
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedUnitConsumption,
    AssemblyPackagingConsumption,
    AssemblyRun,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    InventoryItem,
    Product,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
    Recipe,
)
from bake_tracker.services import validation
from bake_tracker.services.dto import HistoryImportResult
from bake_tracker.services.errors import ImportVersionError
from bake_tracker.services.runs import event_totals
from bake_tracker.services.transfer import words

FORMAT_VERSION = 1
MAX_DEPTH = 8  # a run, its lines, their lots, a product key: four levels, with room to spare


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def document(key: str, records: list[dict]) -> dict:
    return {"version": FORMAT_VERSION, "exported_at": iso(datetime.now(UTC)), key: records}


def records_of(data: Any, key: str) -> list[dict]:
    if not isinstance(data, dict) or data.get("version") not in (FORMAT_VERSION, "1", "1.0"):
        raise ImportVersionError(data.get("version") if isinstance(data, dict) else None)
    records = data.get(key, [])
    if not isinstance(records, list):
        raise ImportVersionError(data.get("version"))
    return records


def product_key(product: Product) -> dict:
    return {
        "ingredient_slug": product.ingredient.slug,
        "brand": product.brand,
        "package_size": product.package_size,
    }


# --- production -----------------------------------------------------------------------------------


def production_record(run: ProductionRun) -> dict:
    return {
        "uuid": run.uuid,
        "recipe_name": run.recipe.name,
        "finished_unit_slug": run.finished_unit.slug,
        "event_name": run.event.name if run.event else None,
        "event_year": run.event.year if run.event else None,
        "num_batches": run.num_batches,
        "expected_yield": run.expected_yield,
        "actual_yield": run.actual_yield,
        "loss_quantity": run.loss_quantity,
        "loss_category": run.loss_category,
        "produced_at": iso(run.produced_at),
        "notes": run.notes,
        "total_ingredient_cost": str(run.total_ingredient_cost),
        "per_unit_cost": str(run.per_unit_cost),
        "voided_at": iso(run.voided_at),
        "void_reason": run.void_reason,
        "consumptions": [
            {
                "ingredient_slug": c.ingredient.slug,
                "quantity_consumed": str(c.quantity_consumed),
                "unit": c.unit,
                "total_cost": str(c.total_cost),
                "lots": [
                    {
                        "lot_uuid": lot.inventory_item.uuid,
                        "quantity": str(lot.quantity),
                        "unit": lot.unit,
                        "unit_cost": str(lot.unit_cost),
                        "cost": str(lot.cost),
                    }
                    for lot in c.lots
                ],
            }
            for c in run.consumptions
        ],
    }


def import_production(
    session: Session, records: list[dict], skip_duplicates: bool
) -> HistoryImportResult:
    return _import_runs(
        session, records, skip_duplicates, ProductionRun, _production_run, _COUNT_PRODUCTION
    )


def _production_run(session: Session, r: dict) -> ProductionRun:
    recipe = _one(
        session,
        select(Recipe).where(Recipe.name == _key(r, "recipe_name")),
        "Recipe",
        r.get("recipe_name"),
    )
    unit = _by_slug(session, FinishedUnit, r, "finished_unit_slug")
    return ProductionRun(
        uuid=r["uuid"],
        recipe_id=recipe.id,
        finished_unit_id=unit.id,
        event_id=_event_id(session, r),
        num_batches=_int(r, "num_batches"),
        expected_yield=_int(r, "expected_yield"),
        actual_yield=_int(r, "actual_yield"),
        loss_quantity=_int(r, "loss_quantity", 0),
        loss_category=r.get("loss_category"),
        produced_at=_moment(r, "produced_at"),
        notes=r.get("notes"),
        total_ingredient_cost=_money(r, "total_ingredient_cost"),
        per_unit_cost=_money(r, "per_unit_cost"),
        voided_at=parse_iso(r.get("voided_at")),
        void_reason=r.get("void_reason"),
        consumptions=[_production_line(session, line) for line in r.get("consumptions", [])],
    )


def _production_line(session: Session, line: dict) -> ProductionConsumption:
    slug = _key(line, "ingredient_slug")
    ingredient = _one(
        session, select(Ingredient).where(Ingredient.slug == slug), "Ingredient", slug
    )
    return ProductionConsumption(
        ingredient_id=ingredient.id,
        quantity_consumed=_number(line, "quantity_consumed"),
        unit=line.get("unit") or ingredient.recipe_unit,
        total_cost=_money(line, "total_cost"),
        lots=[
            ProductionConsumptionLot(
                inventory_item_id=lot_id,
                quantity=_number(lot, "quantity"),
                unit=lot.get("unit"),
                unit_cost=_money(lot, "unit_cost"),
                cost=_money(lot, "cost"),
            )
            for lot, lot_id in _present_lots(session, line.get("lots", []))
        ],
    )


# --- assembly -------------------------------------------------------------------------------------


def assembly_record(run: AssemblyRun) -> dict:
    return {
        "uuid": run.uuid,
        "finished_good_slug": run.finished_good.slug,
        "event_name": run.event.name if run.event else None,
        "event_year": run.event.year if run.event else None,
        "quantity_assembled": run.quantity_assembled,
        "assembled_at": iso(run.assembled_at),
        "notes": run.notes,
        "total_component_cost": str(run.total_component_cost),
        "per_unit_cost": str(run.per_unit_cost),
        "voided_at": iso(run.voided_at),
        "void_reason": run.void_reason,
        "finished_unit_consumptions": [
            _item_line(c, "finished_unit_slug", c.finished_unit.slug)
            for c in run.finished_unit_consumptions
        ],
        "finished_good_consumptions": [
            _item_line(c, "finished_good_slug", c.finished_good.slug)
            for c in run.finished_good_consumptions
        ],
        "packaging_consumptions": [
            {
                "product": product_key(c.product),
                "quantity_consumed": str(c.quantity_consumed),
                "unit": c.unit,
                "total_cost": str(c.total_cost),
            }
            for c in run.packaging_consumptions
        ],
    }


def _item_line(row, key: str, slug: str) -> dict:
    return {
        key: slug,
        "quantity_consumed": row.quantity_consumed,
        "unit_cost_at_consumption": str(row.unit_cost_at_consumption),
        "total_cost": str(row.total_cost),
    }


def import_assembly(
    session: Session, records: list[dict], skip_duplicates: bool
) -> HistoryImportResult:
    return _import_runs(
        session, records, skip_duplicates, AssemblyRun, _assembly_run, _COUNT_ASSEMBLY
    )


def _assembly_run(session: Session, r: dict) -> AssemblyRun:
    good = _by_slug(session, FinishedGood, r, "finished_good_slug")
    return AssemblyRun(
        uuid=r["uuid"],
        finished_good_id=good.id,
        event_id=_event_id(session, r),
        quantity_assembled=_int(r, "quantity_assembled"),
        assembled_at=_moment(r, "assembled_at"),
        notes=r.get("notes"),
        total_component_cost=_money(r, "total_component_cost"),
        per_unit_cost=_money(r, "per_unit_cost"),
        voided_at=parse_iso(r.get("voided_at")),
        void_reason=r.get("void_reason"),
        finished_unit_consumptions=[
            AssemblyFinishedUnitConsumption(
                finished_unit_id=_by_slug(session, FinishedUnit, line, "finished_unit_slug").id,
                **_item_costs(line),
            )
            for line in r.get("finished_unit_consumptions", [])
        ],
        finished_good_consumptions=[
            AssemblyFinishedGoodConsumption(
                finished_good_id=_by_slug(session, FinishedGood, line, "finished_good_slug").id,
                **_item_costs(line),
            )
            for line in r.get("finished_good_consumptions", [])
        ],
        packaging_consumptions=[
            AssemblyPackagingConsumption(
                product_id=_product(session, line.get("product") or {}).id,
                quantity_consumed=_number(line, "quantity_consumed"),
                unit=line.get("unit"),
                total_cost=_money(line, "total_cost"),
            )
            for line in r.get("packaging_consumptions", [])
        ],
    )


def _item_costs(line: dict) -> dict:
    return {
        "quantity_consumed": _int(line, "quantity_consumed"),
        "unit_cost_at_consumption": _money(line, "unit_cost_at_consumption"),
        "total_cost": _money(line, "total_cost"),
    }


_COUNT_PRODUCTION = event_totals.count_production
_COUNT_ASSEMBLY = event_totals.count_assembly_run


def _import_runs(
    session: Session, records: list[dict], skip_duplicates: bool, model, build, count
) -> HistoryImportResult:
    """Add each record as a run of ``model`` built by ``build(session, record)``, each in its own
    savepoint; a record whose uuid is known is skipped (an error without ``skip_duplicates``) and
    one that cannot be added is reported as "Production record 3: ..." (or "Assembly record").
    A live run is counted in its event's stored totals by ``count(session, run, 1)`` in the same
    savepoint (``runs.event_totals``), so a refused record moves no total either."""
    what = "Production" if model is ProductionRun else "Assembly"
    imported, skipped, errors = 0, 0, []
    for number, record in enumerate(records, start=1):
        try:
            _refuse_bad_text(record)
            if _uuid_exists(session, model, record):
                if not skip_duplicates:
                    shown = words.quote(record.get("uuid"))
                    raise _RecordError(f"run {shown} is already in this database")
                skipped += 1
                continue
            _add_in_savepoint(session, build, record, count)
            imported += 1
        except _RecordError as error:
            errors.append(f"{what} record {number}: {error}")
    return HistoryImportResult(imported=imported, skipped=skipped, errors=errors)


# --- resolving ------------------------------------------------------------------------------------


def _add_in_savepoint(session: Session, build, record: dict, count) -> None:
    """Add one record, counted in its event's totals when live; if the database refuses it,
    undo just that record."""
    try:
        with session.begin_nested():
            run = build(session, record)
            session.add(run)
            session.flush()
            if run.voided_at is None:
                count(session, run, 1)
    except IntegrityError as error:
        detail = words.quote(str(error.orig).splitlines()[0])[1:-1]
        raise _RecordError(f"the database refused it ({detail})") from None
    except (KeyError, TypeError, ValueError) as error:
        raise _RecordError(f"it is malformed ({words.quote(str(error))[1:-1]})") from None


class _RecordError(Exception):
    """One record cannot be imported; the message says why."""


def _one(session: Session, query, what: str, key: Any):
    found = session.scalar(query)
    if found is None:
        shown = words.quote(key) if not isinstance(key, dict) else _shown_product(key)
        raise _RecordError(f"{what} not found: {shown}")
    return found


def _by_slug(session: Session, model, record: dict, key: str):
    """The finished unit or good whose slug is ``record[key]``."""
    slug = _key(record, key)
    what = "Finished unit" if model is FinishedUnit else "Finished good"
    return _one(session, select(model).where(model.slug == slug), what, slug)


def _event_id(session: Session, r: dict) -> int | None:
    name = _key(r, "event_name")
    if name is None:
        return None
    query = select(Event).where(Event.name == name)
    if r.get("event_year") is not None:
        query = query.where(Event.year == _int(r, "event_year"))
    return _one(session, query.order_by(Event.year.desc()).limit(1), "Event", name).id


def _product(session: Session, key: dict) -> Product:
    if not isinstance(key, dict):
        raise _RecordError("product must name an ingredient, a brand and a package size")
    for field in ("ingredient_slug", "brand", "package_size"):
        _key(key, field)
    query = (
        select(Product)
        .join(Ingredient)
        .where(
            Ingredient.slug == key.get("ingredient_slug"),
            Product.brand.is_(None) if key.get("brand") is None else Product.brand == key["brand"],
            Product.package_size.is_(None)
            if key.get("package_size") is None
            else Product.package_size == key["package_size"],
        )
        .limit(1)
    )
    return _one(session, query, "Product", key)


def _present_lots(session: Session, lots: list[dict]) -> list[tuple[dict, int]]:
    uuids = [_key(lot, "lot_uuid") for lot in lots]
    rows = session.execute(
        select(InventoryItem.uuid, InventoryItem.id).where(InventoryItem.uuid.in_(uuids))
    )
    found = {row.uuid: row.id for row in rows}
    return [(lot, found[lot.get("lot_uuid")]) for lot in lots if lot.get("lot_uuid") in found]


def _shown_product(key: dict) -> str:
    return ", ".join(f"{name} {words.quote(key.get(name), 40)}" for name in sorted(map(str, key)))


def _refuse_bad_text(value: Any, where: str = "") -> None:
    """Refuse text that the services would refuse anywhere in a record — a lone surrogate
    ("\\udc80", which JSON can carry), NUL or another control character, more than ``MAX_NOTES``
    characters — and a record nested deeper than ``MAX_DEPTH``, naming where it is:
    "consumptions item 1 ingredient_slug contains characters that are not valid text (not
    UTF-8)". The record is walked with a list of what is left to look at, not by recursion."""
    pending: list[tuple[Any, str, int]] = [(value, where, 0)]
    while pending:
        item, place, depth = pending.pop()
        if isinstance(item, str):
            problem = validation.text_problem(item, validation.MAX_NOTES)
            if problem:
                raise _RecordError(f"{place or 'it'} {problem}")
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= MAX_DEPTH:
            raise _RecordError(
                f"{place or 'it'} is nested too deeply (more than {MAX_DEPTH} levels)"
            )
        children: list[tuple[Any, str, int]] = []
        if isinstance(item, dict):
            for key, inner in item.items():
                name = key if isinstance(key, str) else words.quote(key)
                children.append((name, f"{place} a field name".strip(), depth + 1))
                children.append(
                    (inner, f"{place} {words.quote(name, 40)[1:-1]}".strip(), depth + 1)
                )
        else:
            for number, inner in enumerate(item, start=1):
                children.append((inner, f"{place} item {number}".strip(), depth + 1))
        pending.extend(reversed(children))  # looked at in the record's order


def _uuid_exists(session: Session, model, record: dict) -> bool:
    if not isinstance(record, dict) or not record.get("uuid"):
        raise _RecordError("it has no uuid")
    if not isinstance(record["uuid"], str):
        raise _RecordError("its uuid must be text")
    return session.scalar(select(model.id).where(model.uuid == record["uuid"])) is not None


def _key(record: dict, key: str) -> str | None:
    """A natural key to look up: text, or None (which finds nothing)."""
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise _RecordError(f"{key} must be text (found {words.quote(value)})")
    return value


def _int(record: dict, key: str, default: int | None = None) -> int:
    value = record.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _RecordError(f"{key} must be a whole number (found {words.quote(value)})")
    if abs(value) > MAX_NUMBER:
        raise _RecordError(f"{key} is too large (at most {MAX_NUMBER:,})")
    return value


def _number(record: dict, key: str, places: str = "0.001") -> Decimal:
    raw = record.get(key)
    if raw is None:
        raise _RecordError(f"{key} is missing")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise _RecordError(f"{key} must be a number (found {words.quote(raw)})")
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise _RecordError(f"{key} must be a number (found {words.quote(raw)})") from None
    if not value.is_finite() or value < 0:
        raise _RecordError(f"{key} must be a number not below zero")
    if value > MAX_NUMBER:
        raise _RecordError(f"{key} is too large (at most {MAX_NUMBER:,})")
    if value != value.quantize(Decimal(places)):
        raise _RecordError(f"{key} has more decimal places than it can keep")
    return value.quantize(Decimal(places))


def _money(record: dict, key: str) -> Decimal:
    return _number(record, key, "0.0001")


def _moment(record: dict, key: str) -> datetime:
    try:
        moment = parse_iso(record.get(key))
    except (TypeError, ValueError):
        moment = None
    if moment is None:
        raise _RecordError(f"{key} must be an ISO date and time")
    return moment
