"""What production and assembly runs share: events, timestamps, history filters, void reasons."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bake_tracker.models import Event
from bake_tracker.services.dto import LotDraw
from bake_tracker.services.errors import ValidationError
from bake_tracker.services.loading import get_or_raise, load_event
from bake_tracker.services.transactions import use_session
from bake_tracker.services.transfer import history as history_transfer
from bake_tracker.services.validation import MAX_ID, Problems, is_id, to_date, to_int, to_text


def run_event(session: Session, event_id: Any) -> Event | None:
    """The event a run is attributed to: None for a standalone run (``event_id`` None), else the
    event ``event_id`` names (``load_event``: EventNotFoundError when there is none)."""
    return None if event_id is None else load_event(session, event_id)


def to_timestamp(value: Any, field: str, problems: Problems) -> datetime | None:
    """An aware timestamp (now when omitted); a naive one is refused (contract.md "Time")."""
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, datetime):
        problems.add(f"{field} must be a date and time")
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        problems.add(f"{field} must include a time zone")
        return None
    return value.astimezone(UTC)


def date_window(column, start_date: Any, end_date: Any, problems: Problems) -> list:
    """Conditions keeping the UTC calendar dates of ``column`` within [start, end], inclusive."""
    start = to_date(start_date, "Start date", problems, required=False)
    end = to_date(end_date, "End date", problems, required=False)
    if start and end and end < start:
        problems.add("End date cannot be before the start date")
    conditions = []
    if start:
        conditions.append(column >= datetime.combine(start, time.min, UTC))
    if end and end < date.max:  # up to 9999-12-31 is no upper bound at all
        conditions.append(column < datetime.combine(end + timedelta(days=1), time.min, UTC))
    return conditions


def id_filter(value: Any, key: str, problems: Problems) -> None:
    """Refuse a filter on ``key`` (such as "recipe_id") whose value no row could have; None is
    no filter. "Recipe id must be a whole number from 1 to 9223372036854775807"."""
    if value is not None and not is_id(value):
        field = key.replace("_", " ").capitalize()
        problems.add(f"{field} must be a whole number from 1 to {MAX_ID}")


def page(limit: Any, offset: Any, problems: Problems) -> tuple[int, int]:
    size = to_int(limit, "Limit", problems, minimum=1)
    skip = to_int(offset, "Offset", problems, minimum=0)
    return min(size or 100, 10_000), skip or 0


def history(
    when,
    filters: Iterable[tuple[Any, Any]],
    *,
    start_date: Any,
    end_date: Any,
    include_voided: bool,
    limit: Any,
    offset: Any,
    standalone_only: bool,
    include_consumptions: bool,
    loaders: list,
    consumption_loaders: list,
    to_dto: Callable[[Any, bool], Any],
    session: Session | None,
) -> list:
    """A page of runs newest first, as ``get_production_history`` and ``get_assembly_history``
    list them: runs of the model ``when`` (their timestamp column) belongs to, whose UTC dates are
    within [start_date, end_date], equal to every ``(column, value)`` filter whose value is not
    None, voided ones only with ``include_voided``, only those of no event with
    ``standalone_only``; ordered by ``when`` then id, both descending. One query plus ``loaders``
    (and ``consumption_loaders`` with ``include_consumptions``); each run becomes
    ``to_dto(run, include_consumptions)`` inside the session. An id filter that no row could have
    (not a whole number, a bool, below 1 or beyond 64 bits) is refused, as ``list_lots`` does; a
    valid id of no row just matches nothing.

    Raises:
        ValidationError (bad ids, dates or paging).
    """
    filters = list(filters)
    with Problems() as p:
        for column, value in filters:
            id_filter(value, column.key, p)
        window = date_window(when, start_date, end_date, p)
        size, skip = page(limit, offset, p)
    model = when.class_
    query = select(model).where(
        *window, *(column == value for column, value in filters if value is not None)
    )
    if not include_voided:
        query = query.where(model.voided_at.is_(None))
    if standalone_only:
        query = query.where(model.event_id.is_(None))
    if include_consumptions:
        loaders = [*loaders, *consumption_loaders]
    query = query.options(*loaders).order_by(when.desc(), model.id.desc())
    with use_session(session) as s:
        runs = s.scalars(query.limit(size).offset(skip)).all()
        return [to_dto(run, include_consumptions) for run in runs]


def load_run(session: Session, model, run_id: Any, loaders: list, not_found: type[Exception]):
    """The run of ``model`` with id ``run_id``, its ``loaders`` applied; ``not_found(run_id)``
    is raised when there is none (or ``run_id`` is no id at all, without a query)."""
    return get_or_raise(session, model, run_id, not_found, options=loaders)


def export_history(
    when,
    kind: str,
    to_record: Callable[[Any], dict],
    item_filter: tuple[Any, Any],
    loaders: list,
    *,
    start_date: Any,
    end_date: Any,
    session: Session | None,
) -> dict:
    """The history document of ``kind`` ("production_runs", "assembly_runs"): every run of the
    model ``when`` (its timestamp column) belongs to, voided ones too, whose UTC dates are within
    [start_date, end_date], oldest first, equal to ``item_filter`` (a ``(column, value)`` pair)
    unless its value is None; each run becomes ``to_record(run)``. One query plus ``loaders``.

    Raises:
        ValidationError (bad dates).
    """
    with Problems() as p:
        window = date_window(when, start_date, end_date, p)
    model = when.class_
    query = select(model).where(*window).order_by(when, model.id)
    column, value = item_filter
    if value is not None:
        query = query.where(column == value)
    query = query.options(*loaders)
    with use_session(session) as s:
        runs = s.scalars(query).all()
        return history_transfer.document(kind, [to_record(run) for run in runs])


def write_ledger(
    connection: Connection,
    items: list,
    insert_summaries,
    summary: Callable[[Any], dict],
    insert_lots,
    lot_rows: Callable[[int, Any], Iterable[dict]],
) -> None:
    """One ledger of a run, written with Core: one multi-row insert of ``summary(item)`` per item
    (``insert_summaries`` returns the new ids in parameter order) and one ``executemany`` of the
    rows ``lot_rows(summary_id, item)`` gives. Nothing at all without items (an empty list would
    insert one empty row), and no lot statement without lot rows."""
    if not items:
        return
    ids = connection.execute(insert_summaries, [summary(item) for item in items]).scalars()
    pairs = zip(ids, items, strict=True)
    rows = [row for line_id, item in pairs for row in lot_rows(line_id, item)]
    if rows:
        connection.execute(insert_lots, rows)


def pantry_lot_row(consumption_id: int, draw) -> dict[str, Any]:
    """The ledger row of one FIFO draw from a pantry lot (an ``inventory_service`` plan's draw)."""
    return {
        "consumption_id": consumption_id,
        "inventory_item_id": draw.lot_id,
        "quantity": draw.quantity,
        "unit": draw.unit,
        "unit_cost": draw.unit_cost,
        "cost": draw.cost,
    }


def pantry_lot_draw(lot, product_id: int) -> LotDraw:
    """A recorded draw from a pantry lot (a ledger lot row with its inventory item loaded) as the
    DTO shows it, with ``product_id`` the product it came from."""
    return LotDraw(
        inventory_item_id=lot.inventory_item_id,
        product_id=product_id,
        lot_date=lot.inventory_item.purchase_date,
        quantity=lot.quantity,
        unit=lot.unit,
        unit_cost=lot.unit_cost,
        cost=lot.cost,
        remaining_in_lot=lot.inventory_item.quantity,
    )


def void_reason(reason: Any) -> str:
    with Problems() as p:
        text = to_text(reason, "Reason", p, max_length=2000)
    return text


def refuse_twice(voided_at: datetime | None, what: str) -> None:
    if voided_at is not None:
        raise ValidationError(f"This {what} was already voided on {voided_at:%Y-%m-%d}")


def run_label(kind: str, run_id: int, name: str, when: datetime) -> str:
    """How a run is named in messages: "assembly #12 of Cookie Gift Bag (2025-12-18)"."""
    return f"{kind} #{run_id} of {name} ({when:%Y-%m-%d})"
