"""The multi-event dashboard: for each event, how far it has come and what it cost against the plan.

Planned cost = Σ target batches × estimated cost per batch + Σ assembly target quantity × estimated
packaging cost per unit. Actual cost = Σ ingredient cost of the event's non-voided production runs +
Σ packaging cost of its non-voided assembly runs. Variance = actual − planned; variance percent is
variance ÷ planned × 100 to 2 places, and when planned is 0 it is 0.00 if actual is 0, else 100.00
(any spending against no plan is all variance). Every figure for every event comes from a fixed
number of queries, so the dashboard does not slow down with the number of events or targets; what
the runs add up to (batches, units, goods assembled, ingredient and packaging cost) is read from
the stored per-event totals (``event_production_totals``, ``event_assembly_totals``, kept by every
run write: ``services/totals.py``; a missing row is 0), never summed over the runs, so it does not
slow down as runs pile up either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Row, RowMapping, and_, bindparam, func, select
from sqlalchemy.orm import Session

from bake_tracker.core.numbers import MONEY_ZERO as ZERO
from bake_tracker.core.numbers import TWO_PLACES, round_money
from bake_tracker.models import (
    Composition,
    Event,
    EventAssemblyTarget,
    EventAssemblyTotal,
    EventProductionTarget,
    EventProductionTotal,
    EventRecipientPackage,
    FinishedGood,
    Product,
    ProductionConsumptionLot,
    Recipe,
)
from bake_tracker.services import (
    batch_production_service,
    catalog_service,
    recipe_tree,
)
from bake_tracker.services.dto import (
    DrilldownLine,
    DrilldownLot,
    EventStatus,
    EventSummary,
    FulfillmentStatus,
    RecipeCost,
)
from bake_tracker.services.errors import EventNotFoundError
from bake_tracker.services.loading import load_event
from bake_tracker.services.transactions import core_execute, use_session
from bake_tracker.services.validation import is_id


def variance_percent(actual: Decimal, planned: Decimal) -> Decimal:
    if planned == 0:
        return Decimal("0.00") if actual == 0 else Decimal("100.00")
    return ((actual - planned) * 100 / planned).quantize(TWO_PLACES, ROUND_HALF_UP)


def event_status(*, complete: bool, started: bool) -> EventStatus:
    """Complete wins; else in progress once anything was baked, assembled, spent on the event
    or moved past pending; else not started (a new event is not "in progress")."""
    if complete:
        return EventStatus.COMPLETE
    return EventStatus.IN_PROGRESS if started else EventStatus.NOT_STARTED


def get_dashboard_summary(
    *, include_past: bool = False, today: date | None = None, session: Session | None = None
) -> list[EventSummary]:
    """Events with any target or assignment, by date; upcoming only unless ``include_past``."""
    today = today or date.today()
    with use_session(session) as s:
        planned_ids = select(EventProductionTarget.event_id).union(
            select(EventAssemblyTarget.event_id), select(EventRecipientPackage.event_id)
        )
        query = (
            select(Event.id, Event.name, Event.event_date)  # what a summary shows of an event
            .where(Event.id.in_(planned_ids))
            .order_by(Event.event_date, Event.id)
        )
        if not include_past:
            query = query.where(Event.event_date >= today)
        events = core_execute(s, query).all()
        return _summaries(s, events)


def get_event_summary(event_id: int, *, session: Session | None = None) -> EventSummary:
    """One event's figures, whatever its date. Raises: EventNotFoundError."""
    with use_session(session) as s:
        event = load_event(s, event_id)
        return _summaries(s, [event])[0]


def planned_costs(session: Session, event_ids: list[int]) -> dict[int, Decimal]:
    """{event: its planned cost} by the module's rule (targets at today's estimated prices; 0 for
    an event without targets). The one source of "planned cost": the Events tab, the event's
    Summary and the dashboard all show this figure."""
    if not event_ids:
        return {}
    recipes = _production_rows(session, event_ids)
    planned = _planned_costs(session, recipes, _assembly_rows(session, event_ids))
    return {event_id: planned.get(event_id, ZERO) for event_id in event_ids}


def _summaries(session: Session, events: Sequence[Event | Row]) -> list[EventSummary]:
    """Summaries of ``events`` (ORM events or rows with ``id``, ``name`` and ``event_date``)."""
    ids = [e.id for e in events]
    if not ids:
        return []
    recipes = _production_rows(session, ids)
    goods = _assembly_rows(session, ids)
    packages = _package_counts(session, ids)
    actual = _actual_costs(session, ids)
    planned = _planned_costs(session, recipes, goods)
    summaries = []
    for event in events:
        recipe_rows, good_rows = recipes.get(event.id, []), goods.get(event.id, [])
        status = packages.get(event.id, {})
        recipes_done = sum(1 for row in recipe_rows if row["produced"] >= row["target_batches"])
        goods_done = sum(1 for row in good_rows if row["assembled"] >= row["target_quantity"])
        total_packages = sum(status.values())
        has_work = bool(recipe_rows or good_rows or total_packages)
        complete = (
            has_work
            and recipes_done == len(recipe_rows)
            and goods_done == len(good_rows)
            and status.get(FulfillmentStatus.DELIVERED, 0) == total_packages
        )
        started = (
            any(row["produced"] > 0 for row in recipe_rows)
            or any(row["assembled"] > 0 for row in good_rows)
            or status.get(FulfillmentStatus.READY, 0) + status.get(FulfillmentStatus.DELIVERED, 0)
            > 0
            or actual.get(event.id, ZERO) > 0
        )
        summaries.append(
            EventSummary(
                event_id=event.id,
                event_name=event.name,
                event_date=event.event_date,
                recipes_complete=recipes_done,
                recipes_total=len(recipe_rows),
                finished_goods_complete=goods_done,
                finished_goods_total=len(good_rows),
                packages_pending=status.get(FulfillmentStatus.PENDING, 0),
                packages_ready=status.get(FulfillmentStatus.READY, 0),
                packages_delivered=status.get(FulfillmentStatus.DELIVERED, 0),
                packages_total=total_packages,
                actual_cost=actual.get(event.id, ZERO),
                planned_cost=planned.get(event.id, ZERO),
                variance=actual.get(event.id, ZERO) - planned.get(event.id, ZERO),
                variance_percent=variance_percent(
                    actual.get(event.id, ZERO), planned.get(event.id, ZERO)
                ),
                is_complete=complete,
                status=event_status(complete=complete, started=started),
            )
        )
    return summaries


# The dashboard's reads, built once: each call reuses their compiled form and cache key (the
# event or good ids are the expanding bound list ``ids``).
_IDS = bindparam("ids", expanding=True)
# A target's progress and spending are its stored total's: the row of the same event and item
# (the total's primary key), or none (0), so the read is one indexed row per target.
_PRODUCTION_ROWS = (
    select(
        EventProductionTarget.event_id,
        EventProductionTarget.recipe_id,
        Recipe.name,
        EventProductionTarget.target_batches,
        func.coalesce(EventProductionTotal.num_batches, 0).label("produced"),
        func.coalesce(EventProductionTotal.total_ingredient_cost, 0).label("spent"),
    )
    .select_from(EventProductionTarget)
    .join(Recipe, Recipe.id == EventProductionTarget.recipe_id)
    .outerjoin(
        EventProductionTotal,
        and_(
            EventProductionTotal.event_id == EventProductionTarget.event_id,
            EventProductionTotal.recipe_id == EventProductionTarget.recipe_id,
        ),
    )
    .where(EventProductionTarget.event_id.in_(_IDS))
    .order_by(func.lower(Recipe.name))
)
_ASSEMBLY_ROWS = (
    select(
        EventAssemblyTarget.event_id,
        EventAssemblyTarget.finished_good_id,
        EventAssemblyTarget.target_quantity,
        func.coalesce(EventAssemblyTotal.quantity_assembled, 0).label("assembled"),
        func.coalesce(EventAssemblyTotal.packaging_cost, 0).label("packaging_spent"),
    )
    .select_from(EventAssemblyTarget)
    .outerjoin(
        EventAssemblyTotal,
        and_(
            EventAssemblyTotal.event_id == EventAssemblyTarget.event_id,
            EventAssemblyTotal.finished_good_id == EventAssemblyTarget.finished_good_id,
        ),
    )
    .where(EventAssemblyTarget.event_id.in_(_IDS))
)
_PACKAGE_COUNTS = (
    select(
        EventRecipientPackage.event_id,
        EventRecipientPackage.fulfillment_status,
        func.sum(EventRecipientPackage.quantity).label("quantity"),
    )
    .where(EventRecipientPackage.event_id.in_(_IDS))
    .group_by(EventRecipientPackage.event_id, EventRecipientPackage.fulfillment_status)
)
# Actual cost per event: every recipe it produced (targeted or not) and every good it assembled.
_PRODUCTION_SPENT = (
    select(
        EventProductionTotal.event_id,
        func.sum(EventProductionTotal.total_ingredient_cost).label("total"),
    )
    .where(EventProductionTotal.event_id.in_(_IDS))
    .group_by(EventProductionTotal.event_id)
)
_PACKAGING_SPENT = (
    select(EventAssemblyTotal.event_id, func.sum(EventAssemblyTotal.packaging_cost).label("total"))
    .where(EventAssemblyTotal.event_id.in_(_IDS))
    .group_by(EventAssemblyTotal.event_id)
)
_PACKAGING_ROWS = (
    select(Composition.assembly_id, Composition.component_quantity, Product.ingredient_id)
    .join(Product, Product.id == Composition.packaging_product_id)
    .where(Composition.assembly_id.in_(_IDS))
)


def _production_rows(session: Session, ids: list[int]) -> dict[int, list[RowMapping]]:
    """{event: its production targets by recipe name}, in one query; each row has ``recipe_id``,
    ``name`` (the recipe's), ``target_batches``, ``produced`` (batches of live runs) and ``spent``
    (their ingredient cost), both from the target's stored total (0 without one).
    """
    rows: dict[int, list[RowMapping]] = defaultdict(list)
    for row in core_execute(session, _PRODUCTION_ROWS, {"ids": list(ids)}).mappings():
        rows[row["event_id"]].append(row)
    return rows


def _assembly_rows(session: Session, ids: list[int]) -> dict[int, list[RowMapping]]:
    """{event: its assembly targets}, in one query; each row has ``finished_good_id``,
    ``target_quantity``, ``assembled`` (the quantity of live runs) and ``packaging_spent`` (their
    packaging cost), both from the target's stored total (0 without one).
    """
    rows: dict[int, list[RowMapping]] = defaultdict(list)
    for row in core_execute(session, _ASSEMBLY_ROWS, {"ids": list(ids)}).mappings():
        rows[row["event_id"]].append(row)
    return rows


def _package_counts(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in core_execute(session, _PACKAGE_COUNTS, {"ids": list(ids)}).mappings():
        counts[row["event_id"]][row["fulfillment_status"]] = row["quantity"]
    return counts


def _actual_costs(session: Session, ids: list[int]) -> dict[int, Decimal]:
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for statement in (_PRODUCTION_SPENT, _PACKAGING_SPENT):
        for row in core_execute(session, statement, {"ids": list(ids)}).mappings():
            costs[row["event_id"]] += row["total"]
    return costs


def _planned_costs(
    session: Session,
    recipes: dict[int, list[RowMapping]],
    goods: dict[int, list[RowMapping]],
) -> dict[int, Decimal]:
    """Planned cost per event: its production targets at the estimated batch cost, plus the
    packaging its assembly targets take; every price is looked up once, in one read."""
    packaging = _packaging_rows(
        session, {row["finished_good_id"] for rows in goods.values() for row in rows}
    )
    batch_costs, prices = recipe_tree.estimate_costs(
        session,
        {row["recipe_id"] for rows in recipes.values() for row in rows},
        {row["ingredient_id"] for row in packaging},
    )
    planned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for event_id, rows in recipes.items():
        for row in rows:
            planned[event_id] += batch_costs.get(row["recipe_id"], ZERO) * row["target_batches"]
    per_unit: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in packaging:
        price = prices.get(row["ingredient_id"]) or ZERO
        per_unit[row["assembly_id"]] += round_money(price * row["component_quantity"])
    for event_id, rows in goods.items():
        for row in rows:
            planned[event_id] += (
                per_unit.get(row["finished_good_id"], ZERO) * row["target_quantity"]
            )
    return planned


def _packaging_rows(session: Session, good_ids: set[int]) -> list[RowMapping]:
    """The packaging rows of these finished goods: assembly_id, component_quantity and the
    product's ingredient_id (one query)."""
    if not good_ids:
        return []
    return core_execute(session, _PACKAGING_ROWS, {"ids": list(good_ids)}).mappings().all()


def get_recipe_cost_breakdown(event_id: int, *, session: Session | None = None) -> list[RecipeCost]:
    """Per production target: batches required and produced, actual vs planned cost, variance."""
    if not is_id(event_id):  # an id no event could have: no query (no driver overflow)
        raise EventNotFoundError(event_id)
    with use_session(session) as s:
        rows = _production_rows(s, [event_id]).get(event_id, [])
        if not rows:  # whether the event exists matters only then (a target's event exists)
            load_event(s, event_id)
            return []
        batch_costs = recipe_tree.estimate_batch_costs(s, {row["recipe_id"] for row in rows})
        lines = []
        for row in rows:
            planned = batch_costs.get(row["recipe_id"], ZERO) * row["target_batches"]
            spent = row["spent"]
            lines.append(
                RecipeCost(
                    recipe_id=row["recipe_id"],
                    recipe_name=row["name"],
                    batches_required=row["target_batches"],
                    batches_produced=row["produced"],
                    actual_cost=spent,
                    planned_cost=planned,
                    variance=spent - planned,
                    variance_percent=variance_percent(spent, planned),
                )
            )
        return lines


def get_finished_good_cost_breakdown(
    event_id: int, *, session: Session | None = None
) -> list[RecipeCost]:
    """Per assembly target: quantity required and assembled, packaging cost actual vs planned.

    The dashboard's rule, one finished good at a time (planned = target quantity × estimated
    packaging cost per unit; actual = packaging cost of the good's live assembly runs for the
    event), so these lines and ``get_recipe_cost_breakdown`` add up to the event's figures.
    ``recipe_id`` / ``recipe_name`` hold the finished good's id and name.
    """
    with use_session(session) as s:
        load_event(s, event_id)
        rows = _assembly_rows(s, [event_id]).get(event_id, [])
        if not rows:
            return []
        good_ids = {row["finished_good_id"] for row in rows}
        planned = _planned_costs(s, {}, {good_id: [r] for good_id, r in _by_good(rows).items()})
        names = dict(
            s.execute(
                select(FinishedGood.id, FinishedGood.display_name).where(
                    FinishedGood.id.in_(good_ids)
                )
            ).all()
        )
        lines = []
        for row in rows:
            good_id = row["finished_good_id"]
            plan, actual = planned.get(good_id, ZERO), row["packaging_spent"]
            lines.append(
                RecipeCost(
                    recipe_id=good_id,
                    recipe_name=names[good_id],
                    batches_required=row["target_quantity"],
                    batches_produced=row["assembled"],
                    actual_cost=actual,
                    planned_cost=plan,
                    variance=actual - plan,
                    variance_percent=variance_percent(actual, plan),
                )
            )
        return sorted(lines, key=lambda line: line.recipe_name.casefold())


def _by_good(rows: list[RowMapping]) -> dict[int, RowMapping]:
    """Assembly target rows keyed by finished good (``_planned_costs`` sums per key)."""
    return {row["finished_good_id"]: row for row in rows}


def get_cost_drilldown(
    production_run_id: int, *, session: Session | None = None
) -> list[DrilldownLine]:
    """The lots and purchase prices behind each ingredient of a production run."""
    with use_session(session) as s:
        run = batch_production_service.load_run(s, production_run_id)
        return [
            DrilldownLine(
                ingredient_slug=line.ingredient.slug,
                ingredient_name=line.ingredient.display_name,
                quantity_consumed=line.quantity_consumed,
                unit=line.unit,
                total_cost=line.total_cost,
                lots=[_drilldown_lot(lot) for lot in line.lots],
            )
            for line in run.consumptions
        ]


def _drilldown_lot(lot: ProductionConsumptionLot) -> DrilldownLot:
    item = lot.inventory_item
    return DrilldownLot(
        inventory_item_id=item.id,
        product_id=item.product_id,
        product_name=catalog_service.product_display_name(item.product, item.product.ingredient),
        lot_date=item.purchase_date,
        quantity=lot.quantity,
        unit=lot.unit,
        unit_cost=lot.unit_cost,
        cost=lot.cost,
        remaining_in_lot=item.quantity,
    )
