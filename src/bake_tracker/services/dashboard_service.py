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

from sqlalchemy import Row, RowMapping, and_, bindparam, func, literal, select, union_all
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
from bake_tracker.services import batch_estimates, catalog_service
from bake_tracker.services.dto import (
    DrilldownLine,
    DrilldownLot,
    EventStatus,
    EventSummary,
    FulfillmentStatus,
    RecipeCost,
)
from bake_tracker.services.errors import EventNotFoundError
from bake_tracker.services.loading import load_event, require_event
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
        # Core columns (``__table__``): the window's first paint runs this before anything
        # else, and a statement of ORM attributes would configure every mapper first (~0.1 s).
        event = Event.__table__.c
        planned_ids = select(EventProductionTarget.__table__.c.event_id).union(
            select(EventAssemblyTarget.__table__.c.event_id),
            select(EventRecipientPackage.__table__.c.event_id),
        )
        query = (
            select(event.id, event.name, event.event_date)  # what a summary shows of an event
            .where(event.id.in_(planned_ids))
            .order_by(event.event_date, event.id)
        )
        if not include_past:
            query = query.where(event.event_date >= today)
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
    recipes, goods = _targets(session, event_ids)
    planned = _planned_costs(session, recipes, goods)
    return {event_id: planned.get(event_id, ZERO) for event_id in event_ids}


def _summaries(session: Session, events: Sequence[Event | Row]) -> list[EventSummary]:
    """Summaries of ``events`` (ORM events or rows with ``id``, ``name`` and ``event_date``)."""
    ids = [e.id for e in events]
    if not ids:
        return []
    recipes, goods = _targets(session, ids)
    packages = _package_counts(session, ids)
    actual = _actual_costs(session, ids)
    planned = _planned_costs(session, recipes, goods)
    recipe_rows_of, good_rows_of = _by_event(recipes), _by_event(goods)
    summaries = []
    for event in events:
        recipe_rows, good_rows = recipe_rows_of.get(event.id, []), good_rows_of.get(event.id, [])
        status = packages.get(event.id, {})
        # a target row is (event, recipe or good, batches or quantity wanted, done so far)
        recipes_done = sum(1 for row in recipe_rows if row[3] >= row[2])
        goods_done = sum(1 for row in good_rows if row[3] >= row[2])
        total_packages = sum(status.values())
        has_work = bool(recipe_rows or good_rows or total_packages)
        complete = (
            has_work
            and recipes_done == len(recipe_rows)
            and goods_done == len(good_rows)
            and status.get(FulfillmentStatus.DELIVERED, 0) == total_packages
        )
        started = (
            any(row[3] > 0 for row in recipe_rows)
            or any(row[3] > 0 for row in good_rows)
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
# event or good ids are the expanding bound list ``ids``). They are written on the tables' columns
# (``Model.__table__.c``), not the ORM attributes: the window's first paint runs them, and a
# statement of ORM attributes would have every mapper configured first (~0.1 s of a start), for
# statements that load no object.
_IDS = bindparam("ids", expanding=True)
_TARGET = EventProductionTarget.__table__.c
_GOOD_TARGET = EventAssemblyTarget.__table__.c
_MADE = EventProductionTotal.__table__.c
_ASSEMBLED = EventAssemblyTotal.__table__.c
_PACKAGE = EventRecipientPackage.__table__.c
# A target's progress and spending are its stored total's: the row of the same event and item
# (the total's primary key), or none (0), so the read is one indexed row per target.
_PRODUCTION_ROWS = (
    select(
        _TARGET.event_id,
        _TARGET.recipe_id,
        Recipe.__table__.c.name,
        _TARGET.target_batches,
        func.coalesce(_MADE.num_batches, 0).label("produced"),
        func.coalesce(_MADE.total_ingredient_cost, 0).label("spent"),
    )
    .select_from(EventProductionTarget.__table__)
    .join(Recipe.__table__, Recipe.__table__.c.id == _TARGET.recipe_id)
    .outerjoin(
        EventProductionTotal.__table__,
        and_(_MADE.event_id == _TARGET.event_id, _MADE.recipe_id == _TARGET.recipe_id),
    )
    .where(_TARGET.event_id.in_(_IDS))
    .order_by(func.lower(Recipe.__table__.c.name))
)
_ASSEMBLY_ROWS = (
    select(
        _GOOD_TARGET.event_id,
        _GOOD_TARGET.finished_good_id,
        _GOOD_TARGET.target_quantity,
        func.coalesce(_ASSEMBLED.quantity_assembled, 0).label("assembled"),
        func.coalesce(_ASSEMBLED.packaging_cost, 0).label("packaging_spent"),
    )
    .select_from(EventAssemblyTarget.__table__)
    .outerjoin(
        EventAssemblyTotal.__table__,
        and_(
            _ASSEMBLED.event_id == _GOOD_TARGET.event_id,
            _ASSEMBLED.finished_good_id == _GOOD_TARGET.finished_good_id,
        ),
    )
    .where(_GOOD_TARGET.event_id.in_(_IDS))
)
_PACKAGE_COUNTS = (
    select(
        _PACKAGE.event_id,
        _PACKAGE.fulfillment_status,
        func.sum(_PACKAGE.quantity).label("quantity"),
    )
    .where(_PACKAGE.event_id.in_(_IDS))
    .group_by(_PACKAGE.event_id, _PACKAGE.fulfillment_status)
)
# The summaries' targets, production then assembly in one statement, as plain tuples (event,
# recipe or good, batches or quantity wanted, batches or quantity done from the stored total):
# no names, spending or order, which only the breakdowns show. Each target's total is read by its
# key in a correlated subquery (one primary-key row per target), not joined: as a join,
# PostgreSQL hashed every stored total of the events (27,483 rows on ``big10``, 10,481 on ``big``)
# for ~1,100 targets, so the read grew with the totals (1.3 ms on ``big``, 2.9 ms on ``big10``;
# 1.6 and 1.7 ms by key). SQLite looks the totals up by key either way (0.2 ms more this way,
# CPU, which the sums below give back).
_TARGETS = union_all(
    select(
        literal(0),
        _TARGET.event_id,
        _TARGET.recipe_id,
        _TARGET.target_batches,
        func.coalesce(
            select(_MADE.num_batches)
            .where(_MADE.event_id == _TARGET.event_id, _MADE.recipe_id == _TARGET.recipe_id)
            .scalar_subquery(),
            0,
        ),
    ).where(_TARGET.event_id.in_(_IDS)),
    select(
        literal(1),
        _GOOD_TARGET.event_id,
        _GOOD_TARGET.finished_good_id,
        _GOOD_TARGET.target_quantity,
        func.coalesce(
            select(_ASSEMBLED.quantity_assembled)
            .where(
                _ASSEMBLED.event_id == _GOOD_TARGET.event_id,
                _ASSEMBLED.finished_good_id == _GOOD_TARGET.finished_good_id,
            )
            .scalar_subquery(),
            0,
        ),
    ).where(_GOOD_TARGET.event_id.in_(_IDS)),
)
# Actual cost per event: every recipe it produced (targeted or not) and every good it assembled,
# both sums in one statement, one row per event (NULL: no total). Each sum is a correlated
# subquery over the event's entries of the covering indexes (``ix_event_production_totals_
# event_cost``, ``ix_event_assembly_totals_event_packaging``): grouped over the events' totals,
# PostgreSQL scanned both tables whole, every row tested against the event list (1.8 ms on
# ``big``, 4.8 ms on ``big10``; 1.1 and 2.6 ms per event from the index; SQLite 0.9 and 2.2 ms
# CPU before, 0.7 and 1.6 ms). What is left grows with the recipes each event produced (159 on
# average on ``big``, 337 on ``big10``), which only a stored per-event total would not.
_EVENT = Event.__table__.c
_SPENT = select(
    _EVENT.id,
    select(func.sum(_MADE.total_ingredient_cost))
    .where(_MADE.event_id == _EVENT.id)
    .scalar_subquery(),
    select(func.sum(_ASSEMBLED.packaging_cost))
    .where(_ASSEMBLED.event_id == _EVENT.id)
    .scalar_subquery(),
).where(_EVENT.id.in_(_IDS))
_PACKAGING_ROWS = (
    select(
        Composition.__table__.c.assembly_id,
        Composition.__table__.c.component_quantity,
        Product.__table__.c.ingredient_id,
    )
    .join(Product.__table__, Product.__table__.c.id == Composition.__table__.c.packaging_product_id)
    .where(Composition.__table__.c.assembly_id.in_(_IDS))
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


def _targets(session: Session, ids: list[int]) -> tuple[list[Row], list[Row]]:
    """(production target rows, assembly target rows) of these events, in one query; each row is
    (event, recipe or good, batches or quantity wanted, done so far: the stored total's)."""
    recipes: list[Row] = []
    goods: list[Row] = []
    for row in core_execute(session, _TARGETS, {"ids": list(ids)}).all():
        (goods if row[0] else recipes).append(row[1:])
    return recipes, goods


def _by_event(rows: list) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def _package_counts(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for event_id, status, quantity in core_execute(session, _PACKAGE_COUNTS, {"ids": list(ids)}):
        counts[event_id][status] = quantity
    return counts


def _actual_costs(session: Session, ids: list[int]) -> dict[int, Decimal]:
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for event_id, *totals in core_execute(session, _SPENT, {"ids": list(ids)}).all():
        for total in totals:
            if total is not None:  # None: the event has no total of that kind
                costs[event_id] += total
    return costs


def _planned_costs(session: Session, recipes: list, goods: list) -> dict:
    """Planned cost per key: production targets ``(key, recipe, batches)`` at the estimated
    batch cost, plus the packaging assembly targets ``(key, good, quantity)`` take (the key is
    the event, or the good for a good's own line); every price is looked up once, in one read."""
    packaging = _packaging_rows(session, {row[1] for row in goods})
    batch_costs, prices = batch_estimates.estimate_costs(
        session, {row[1] for row in recipes}, {row[2] for row in packaging}
    )
    planned: dict = defaultdict(lambda: ZERO)
    for key, recipe_id, batches, *_ in recipes:
        planned[key] += batch_costs.get(recipe_id, ZERO) * batches
    per_unit: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for good_id, component_quantity, ingredient_id in packaging:
        price = prices.get(ingredient_id) or ZERO
        per_unit[good_id] += round_money(price * component_quantity)
    for key, good_id, quantity, *_ in goods:
        planned[key] += per_unit.get(good_id, ZERO) * quantity
    return planned


def _packaging_rows(session: Session, good_ids: set[int]) -> list[Row]:
    """The packaging rows of these finished goods: (assembly_id, component_quantity, the
    product's ingredient_id), in one query."""
    if not good_ids:
        return []
    return core_execute(session, _PACKAGING_ROWS, {"ids": list(good_ids)}).all()


def get_recipe_cost_breakdown(event_id: int, *, session: Session | None = None) -> list[RecipeCost]:
    """Per production target: batches required and produced, actual vs planned cost, variance."""
    if not is_id(event_id):  # an id no event could have: no query (no driver overflow)
        raise EventNotFoundError(event_id)
    with use_session(session) as s:
        rows = _production_rows(s, [event_id]).get(event_id, [])
        if not rows:  # whether the event exists matters only then (a target's event exists)
            require_event(s, event_id)
            return []
        batch_costs = batch_estimates.estimate_batch_costs(s, {row["recipe_id"] for row in rows})
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
        targets = [(row["finished_good_id"],) * 2 + (row["target_quantity"],) for row in rows]
        planned = _planned_costs(s, [], targets)
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


def get_cost_drilldown(
    production_run_id: int, *, session: Session | None = None
) -> list[DrilldownLine]:
    """The lots and purchase prices behind each ingredient of a production run."""
    # Imported here: the production services (FIFO, ledgers) are not needed by the window's
    # first paint, which imports this module.
    from bake_tracker.services import batch_production_service

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
