"""Finished units: the items a recipe makes (a cookie; or a cake as a portion of a batch).

Stock is kept as lots (``finished_stock``); ``inventory_count`` is never set directly. The slug is
made from the first name and never changes. A unit's estimated cost is its recipe's estimated batch
cost divided by the items a batch makes (discrete) or multiplied by the portion it uses (batch
portion).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bake_tracker.core import yields
from bake_tracker.core.numbers import MONEY_PLACES
from bake_tracker.models import (
    AssemblyFinishedUnitConsumption,
    Composition,
    FinishedUnit,
    FinishedUnitLot,
    ProductionRun,
)
from bake_tracker.services import (
    batch_estimates,
    catalog_service,
    dto,
    finished_stock,
    recipe_service,
)
from bake_tracker.services.dto import AdjustmentReason, YieldMode
from bake_tracker.services.errors import (
    FinishedUnitNotFoundError,
    ValidationError,
    in_use_refusal,
)
from bake_tracker.services.loading import count_rows, get_or_raise, refuse_if_used
from bake_tracker.services.retry import retry_on_conflict
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    refuse_unknown_fields,
    to_choice,
    to_decimal,
    to_int,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import FinishedUnitDTO

# The reasons a stock correction may give: the enum's values, in its order (the UI lists these).
YIELD_MODES = tuple(mode.value for mode in YieldMode)
EDITABLE_FIELDS = frozenset(
    {"display_name", "recipe_id", "yield_mode", "items_per_batch", "batch_percentage"}
    | {"item_unit", "category", "portion_description", "notes", "description"}
)


def create_finished_unit(
    display_name: str,
    recipe_id: int,
    *,
    yield_mode: str = YieldMode.DISCRETE_COUNT,
    items_per_batch: Any = None,
    batch_percentage: Any = None,
    item_unit: str | None = None,
    category: str | None = None,
    portion_description: str | None = None,
    notes: str | None = None,
    session: Session | None = None,
) -> FinishedUnitDTO:
    """Add a finished unit made by ``recipe_id``.

    Raises:
        RecipeNotFoundError, ValidationError (e.g. discrete mode without items per batch).
    """
    values = _validated(
        {
            "display_name": display_name,
            "yield_mode": yield_mode,
            "items_per_batch": items_per_batch,
            "batch_percentage": batch_percentage,
            "item_unit": item_unit,
            "category": category,
            "portion_description": portion_description,
            "notes": notes,
        }
    )
    with use_session(session) as s:
        recipe = recipe_service.load_recipe(s, recipe_id)
        slug = catalog_service.unique_slug(s, FinishedUnit.slug, values["display_name"], "item")
        unit = FinishedUnit(slug=slug[:100], recipe=recipe, **values)
        s.add(unit)
        s.flush()
        return unit_dto(s, unit)


def get_finished_unit(finished_unit_id: int, *, session: Session | None = None) -> FinishedUnitDTO:
    """Raises: FinishedUnitNotFoundError."""
    with use_session(session) as s:
        return unit_dto(s, load_finished_unit(s, finished_unit_id))


def list_finished_units(
    *, search: str | None = None, recipe_id: int | None = None, session: Session | None = None
) -> list[FinishedUnitDTO]:
    with use_session(session) as s:
        query = select(FinishedUnit).order_by(func.lower(FinishedUnit.display_name))
        if search and search.strip():
            query = query.where(
                func.lower(FinishedUnit.display_name).like(f"%{search.strip().lower()}%")
            )
        filtered = recipe_id is not None or bool(search and search.strip())
        if recipe_id is not None:
            query = query.where(FinishedUnit.recipe_id == recipe_id)
        units = list(s.scalars(query.options(selectinload(FinishedUnit.recipe))))
        if not units:
            return []
        # A fixed number of statements however many units: one estimate for all their recipes,
        # one query for every unit's next-unit cost.
        batch_costs = batch_estimates.estimate_batch_costs(s, {unit.recipe_id for unit in units})
        unit_costs = finished_stock.next_unit_costs(
            s, FinishedUnit, [unit.id for unit in units] if filtered else None
        )
        return [
            unit_dto(
                s,
                unit,
                batch_costs[unit.recipe_id],
                unit_cost=unit_costs.get(unit.id, finished_stock.ZERO),
            )
            for unit in units
        ]


def update_finished_unit(
    finished_unit_id: int, /, *, session: Session | None = None, **fields: Any
) -> FinishedUnitDTO:
    """Change a finished unit's fields; stock changes only through production or adjustments.

    Raises:
        FinishedUnitNotFoundError, ValidationError (also for ``inventory_count``).
    """
    if "inventory_count" in fields:
        raise ValidationError(
            "Stock cannot be set directly; record production or adjust the stock with a reason"
        )
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "finished unit")
    with use_session(session) as s:
        unit = load_finished_unit(s, finished_unit_id)
        recipe_id = fields.pop("recipe_id", unit.recipe_id)
        current = {f: getattr(unit, f) for f in EDITABLE_FIELDS - {"recipe_id"}}
        values = _validated(current | fields)
        if recipe_id != unit.recipe_id:
            if count_rows(s, ProductionRun.finished_unit_id, unit.id):
                raise ValidationError("The recipe cannot change once production is recorded")
            unit.recipe = recipe_service.load_recipe(s, recipe_id)
        for name, value in values.items():
            setattr(unit, name, value)
        s.flush()
        return unit_dto(s, unit)


def delete_finished_unit(finished_unit_id: int, *, session: Session | None = None) -> None:
    """Raises: FinishedUnitNotFoundError; InUseError with counts of what uses it."""
    with use_session(session) as s:
        unit = load_finished_unit(s, finished_unit_id)
        _refuse_delete(s, unit)
        s.delete(unit)
        s.flush()


def check_delete_finished_unit(
    finished_unit_id: int, *, session: Session | None = None
) -> str | None:
    """Why the finished unit cannot be deleted (the delete's own words), or None when it can.

    Raises:
        FinishedUnitNotFoundError.
    """
    with use_session(session) as s:
        unit = load_finished_unit(s, finished_unit_id)
        return in_use_refusal(lambda: _refuse_delete(s, unit))


def _refuse_delete(s: Session, unit: Any) -> None:
    counts = {
        "finished goods": count_rows(s, Composition.finished_unit_id, unit.id),
        "production runs": count_rows(s, ProductionRun.finished_unit_id, unit.id),
        "assemblies": count_rows(s, AssemblyFinishedUnitConsumption.finished_unit_id, unit.id),
        "stock lots": count_rows(s, FinishedUnitLot.finished_unit_id, unit.id),
    }
    refuse_if_used(unit.display_name, counts)


@retry_on_conflict
def adjust_inventory(
    finished_unit_id: int,
    delta: Any,
    *,
    reason: str,
    unit_cost: Any = None,
    notes: str | None = None,
    session: Session | None = None,
) -> FinishedUnitDTO:
    """Correct the stock: a positive delta needs ``unit_cost`` and makes a lot; a negative one
    draws the oldest lots first.

    Raises:
        FinishedUnitNotFoundError, ValidationError (zero, bad reason, below zero, missing cost).
    """
    return adjust_stock(
        load_finished_unit, unit_dto, finished_unit_id, delta, reason, unit_cost, notes, session
    )


def adjust_stock(
    load: Callable[[Session, Any], Any],
    to_dto: Callable[[Session, Any], Any],
    item_id: Any,
    delta: Any,
    reason: Any,
    unit_cost: Any,
    notes: Any,
    session: Session | None,
):
    """Correct a finished unit's or good's stock (``load(session, item_id)``) and give its DTO
    (``to_dto(session, item)``); how, in ``adjust_inventory``."""
    change, why, cost, notes = _validated_adjustment(delta, reason, unit_cost, notes)
    with use_session(session, write=True) as s:
        item = load(s, item_id)
        finished_stock.adjust_stock(
            s, item, change, reason=why, unit_cost=cost, adjusted_at=datetime.now(UTC), notes=notes
        )
        s.flush()
        return to_dto(s, item)


def _validated_adjustment(
    delta, reason, unit_cost, notes
) -> tuple[int, str, Decimal | None, str | None]:
    with Problems() as p:
        change = to_int(delta, "Change", p, minimum=-(10**9))
        why = to_choice(reason, "Reason", tuple(AdjustmentReason), p)
        cost = to_decimal(unit_cost, "Unit cost", p, places=MONEY_PLACES, required=False)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
        if change == 0:
            p.add("Change must not be 0")
        if change and change > 0 and cost is None:
            p.add("Unit cost is required when adding stock")
    return change, why, cost, notes


def expected_yield(unit: FinishedUnit, num_batches: int) -> int:
    """The items ``num_batches`` batches of the unit make (``core.yields.expected_yield``)."""
    return yields.expected_yield(
        num_batches, unit.yield_mode, unit.items_per_batch, unit.batch_percentage
    )


def estimated_cost_per_item(unit: FinishedUnit, batch_cost: Decimal) -> Decimal:
    """One unit's share of a batch costing ``batch_cost`` (``core.yields.cost_per_item``)."""
    return yields.cost_per_item(
        batch_cost, unit.yield_mode, unit.items_per_batch, unit.batch_percentage
    )


def load_finished_unit(session: Session, finished_unit_id: int) -> FinishedUnit:
    return get_or_raise(session, FinishedUnit, finished_unit_id, FinishedUnitNotFoundError)


def unit_dto(
    session: Session,
    unit: FinishedUnit,
    batch_cost: Decimal | None = None,
    *,
    unit_cost: Decimal | None = None,
) -> FinishedUnitDTO:
    """The unit's DTO; a list passes its recipe's ``batch_cost`` and the ``unit_cost`` of its
    next unit out, read for all units at once (else they are read here)."""
    if batch_cost is None:
        batch_cost = recipe_service.calculate_estimated_cost(unit.recipe_id, session=session)
    if unit_cost is None:
        unit_cost = finished_stock.next_unit_cost(session, unit)
    return dto.FinishedUnitDTO(
        id=unit.id,
        slug=unit.slug,
        display_name=unit.display_name,
        recipe_id=unit.recipe_id,
        yield_mode=unit.yield_mode,
        items_per_batch=unit.items_per_batch,
        batch_percentage=unit.batch_percentage,
        inventory_count=unit.inventory_count,
        unit_cost=unit_cost,
        recipe_name=unit.recipe.name,
        item_unit=unit.item_unit,
        category=unit.category,
        estimated_cost=estimated_cost_per_item(unit, batch_cost),
        portion_description=unit.portion_description,
        notes=unit.notes,
    )


def _validated(raw: dict[str, Any]) -> dict[str, Any]:
    with Problems() as p:
        mode = to_choice(raw["yield_mode"], "Yield mode", YIELD_MODES, p)
        values = {
            "display_name": to_text(raw["display_name"], "Name", p, max_length=200),
            "yield_mode": mode,
            "items_per_batch": to_int(
                raw.get("items_per_batch"), "Items per batch", p, minimum=1, required=False
            ),
            "batch_percentage": to_decimal(
                raw.get("batch_percentage"),
                "Batch percentage",
                p,
                places=2,
                allow_zero=False,
                required=False,
            ),
            "item_unit": to_text(
                raw.get("item_unit"), "Item unit", p, max_length=50, required=False
            ),
            "category": to_text(raw.get("category"), "Category", p, max_length=100, required=False),
            "portion_description": to_text(
                raw.get("portion_description"), "Portion", p, max_length=200, required=False
            ),
            "notes": to_text(raw.get("notes"), "Notes", p, max_length=2000, required=False),
        }
        if "description" in raw:
            values["description"] = to_text(
                raw["description"], "Description", p, max_length=2000, required=False
            )
        _check_mode(values, p)
    return values


def _check_mode(values: dict[str, Any], problems: Problems) -> None:
    mode, pct = values["yield_mode"], values["batch_percentage"]
    if mode == YieldMode.DISCRETE_COUNT and values["items_per_batch"] is None:
        problems.add("Items per batch is required for items counted one by one")
    if mode == YieldMode.BATCH_PORTION and pct is None:
        problems.add("Batch percentage is required for portions of a batch")
    if pct is not None and pct > 100:  # in every mode: the table's CHECK refuses it too
        problems.add("Batch percentage cannot be more than 100")
