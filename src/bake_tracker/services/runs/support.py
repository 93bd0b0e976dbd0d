"""What production and assembly runs share: their kind, timestamps, history, lookup and void.

A run is described once by its ``RunKind`` (its model's timestamp column, its loaders, its DTO);
the history page, the lookup by id, the history export and the void are then the same for both.
Timestamps are aware (a naive one is refused) and stored in UTC; a history's date filters are UTC
calendar dates, both ends included. A run is voided at most once, with a reason; its output lot
goes only when nothing drew from it, and what it drew goes back exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bake_tracker.services import finished_stock
from bake_tracker.services.dto import HistoryImportResult, LotDraw
from bake_tracker.services.errors import RunInUseError, ValidationError
from bake_tracker.services.loading import get_or_raise
from bake_tracker.services.transactions import use_session
from bake_tracker.services.transfer import history as history_transfer
from bake_tracker.services.validation import MAX_ID, Problems, is_id, to_date, to_int, to_text


@dataclass(frozen=True)
class RunKind:
    """One kind of run as the shared helpers read it.

    ``when`` is the run model's timestamp column (``ProductionRun.produced_at``); ``label`` names a
    run in messages ("production run"); ``not_found(run_id)`` is the error for an unknown id;
    ``loaders()`` load what a listed run shows (its item, its event), ``ledger_loaders()`` its
    ledgers down to the lots (functions: a loader option configures every mapper when it is made,
    which the window's start need not wait for); ``to_dto(run, with_consumptions)`` makes its DTO
    inside the session; ``count(session, run, sign)`` counts a run (ledgers loaded) in (1) or out
    (-1) of its event's stored totals (``runs.event_totals``). In a history document its runs are
    listed under ``document_key``, each as ``to_record(run)``, and read back by
    ``import_records(session, records, skip_duplicates)``.
    """

    when: Any
    label: str
    not_found: Callable[[Any], Exception]
    loaders: Callable[[], tuple]
    ledger_loaders: Callable[[], tuple]
    to_dto: Callable[[Any, bool], Any]
    count: Callable[[Session, Any, int], None]
    document_key: str
    to_record: Callable[[Any], dict]
    import_records: Callable[[Session, list[dict], bool], HistoryImportResult]

    @property
    def model(self):
        return self.when.class_


def to_timestamp(value: Any, field: str, problems: Problems) -> datetime | None:
    """An aware timestamp in UTC (now when omitted); a naive one is refused, since the moment it
    names depends on where it was typed."""
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
    no filter. "Recipe id must be a whole number from 1 to 2147483647"."""
    if value is not None and not is_id(value):
        field = key.replace("_", " ").capitalize()
        problems.add(f"{field} must be a whole number from 1 to {MAX_ID}")


def page(limit: Any, offset: Any, problems: Problems) -> tuple[int, int]:
    size = to_int(limit, "Limit", problems, minimum=1)
    skip = to_int(offset, "Offset", problems, minimum=0)
    return min(size or 100, 10_000), skip or 0


def history(
    kind: RunKind,
    filters: Iterable[tuple[Any, Any]],
    *,
    start_date: Any,
    end_date: Any,
    include_voided: bool,
    limit: Any,
    offset: Any,
    standalone_only: bool,
    include_consumptions: bool,
    session: Session | None,
) -> list:
    """A page of runs of ``kind`` newest first, as ``get_production_history`` and
    ``get_assembly_history`` list them: whose UTC dates are within [start_date, end_date], equal to
    every ``(column, value)`` filter whose value is not None, voided ones only with
    ``include_voided``, only those of no event with ``standalone_only``; ordered by time then id,
    both descending. One query plus the kind's loaders (and its ledger loaders with
    ``include_consumptions``). An id filter that no row could have (not a whole number, a bool,
    below 1 or beyond the id column (2³¹−1)) is refused, as ``list_lots`` does; a valid id of no
    row just matches nothing.

    Raises:
        ValidationError (bad ids, dates or paging).
    """
    filters = list(filters)
    with Problems() as p:
        for column, value in filters:
            id_filter(value, column.key, p)
        window = date_window(kind.when, start_date, end_date, p)
        size, skip = page(limit, offset, p)
    model = kind.model
    query = select(model).where(
        *window, *(column == value for column, value in filters if value is not None)
    )
    if not include_voided:
        query = query.where(model.voided_at.is_(None))
    if standalone_only:
        query = query.where(model.event_id.is_(None))
    loaders = kind.loaders() + (kind.ledger_loaders() if include_consumptions else ())
    query = query.options(*loaders).order_by(kind.when.desc(), model.id.desc())
    with use_session(session) as s:
        runs = s.scalars(query.limit(size).offset(skip)).all()
        return [kind.to_dto(run, include_consumptions) for run in runs]


def load_run(session: Session, kind: RunKind, run_id: Any):
    """The run of ``kind`` with id ``run_id``, its ledgers loaded down to the lots.

    Raises:
        the kind's not-found error.
    """
    return get_or_raise(session, kind.model, run_id, kind.not_found, options=kind.ledger_loaders())


def get_run(kind: RunKind, run_id: Any, session: Session | None):
    """One run's DTO with its ledgers down to the lots. Raises: the kind's not-found error."""
    with use_session(session) as s:
        return kind.to_dto(load_run(s, kind, run_id), True)


def export_history(
    kind: RunKind,
    item_filter: tuple[Any, Any],
    extra_loaders: Iterable,
    *,
    start_date: Any,
    end_date: Any,
    session: Session | None,
) -> dict:
    """The history document of ``kind``: every run, voided ones too, whose UTC dates are within
    [start_date, end_date], oldest first, equal to ``item_filter`` (a ``(column, value)`` pair)
    unless its value is None, with its ledgers. One query plus the kind's loaders and
    ``extra_loaders`` (what its records need besides).

    Raises:
        ValidationError (bad dates).
    """
    with Problems() as p:
        window = date_window(kind.when, start_date, end_date, p)
    model = kind.model
    query = select(model).where(*window).order_by(kind.when, model.id)
    column, value = item_filter
    if value is not None:
        query = query.where(column == value)
    query = query.options(*kind.loaders(), *kind.ledger_loaders(), *extra_loaders)
    with use_session(session) as s:
        runs = s.scalars(query).all()
        return history_transfer.document(kind.document_key, [kind.to_record(r) for r in runs])


def import_history(
    kind: RunKind, data: Any, skip_duplicates: bool, session: Session | None
) -> HistoryImportResult:
    """Restore the runs of a history document of ``kind`` (never stock): known uuids are skipped,
    unresolvable records reported. Raises: ImportVersionError."""
    records = history_transfer.records_of(data, kind.document_key)
    with use_session(session) as s:
        return kind.import_records(s, records, skip_duplicates)


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


# --- void -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """Where a run's output lot is and what it is a lot of, for the void: ``lot_model`` rows whose
    ``run_column`` is the run's id; ``item(session, run)`` loads the finished unit or good; the
    ``ledger_model`` rows whose ``ledger_column`` points at the lot are assemblies that drew it."""

    lot_model: Any
    run_column: Any
    item: Callable[[Session, Any], Any]
    ledger_model: Any
    ledger_column: Any


def void_run(
    kind: RunKind,
    output: Output,
    run_id: Any,
    reason: Any,
    restore: Callable[[Session, Any], None],
    session: Session | None,
):
    """Undo a run of ``kind``: ``restore(session, run)`` puts what it drew back exactly, its
    output lot is taken out of stock, and the run stays in history, marked voided with the reason.

    Raises:
        the kind's not-found error; ValidationError (no reason, already voided); RunInUseError
        naming the assembly runs (or "manual adjustment") that used its output.
    """
    why = void_reason(reason)
    with use_session(session, write=True) as s:
        run = load_run(s, kind, run_id)
        _lock_for_void(s, kind, output, run)
        _refuse_void(s, kind, output, run)
        lot = s.scalar(select(output.lot_model).where(output.run_column == run.id))
        if lot is not None:  # a production run that yielded nothing has none
            item = output.item(s, run)
            ledger, column = output.ledger_model, output.ledger_column
            finished_stock.remove_output_lot(s, item, lot, ledger, column)
        restore(s, run)
        kind.count(s, run, -1)  # a voided run no longer counts in its event's totals
        run.voided_at, run.void_reason = datetime.now(UTC), why
        s.flush()
        return kind.to_dto(run, True)


def _lock_for_void(session: Session, kind: RunKind, output: Output, run: Any) -> None:
    """Lock the run's output lot, then the run (PostgreSQL ``FOR UPDATE``; SQLite's write
    transaction already holds the whole file), and re-read both. Rule: a run is voided once and
    only while nothing drew from its output. Without the locks, two workstations voiding the same
    run would both restore its lots and count it out of its event's totals, and a void racing an
    assembly that draws from the output would remove a lot already drawn from (PostgreSQL: a raw
    CHECK error on the stock count). With them, the later one waits and then sees what the
    earlier one did: already voided, or the lot used (or, for the assembly, a lot gone: it plans
    again). Always lot first, then run, so two voids never wait on each other in a circle."""
    lots = select(output.lot_model).where(output.run_column == run.id).with_for_update()
    session.scalars(lots.execution_options(populate_existing=True)).all()
    session.get(kind.model, run.id, with_for_update=True, populate_existing=True)


def void_refusal(kind: RunKind, output: Output, run_id: Any, session: Session | None) -> str | None:
    """Why the run cannot be voided (already voided, or its output used: the same words as the
    void's error), or None when it can: the window asks this before asking for a reason.

    Raises:
        the kind's not-found error.
    """
    with use_session(session) as s:
        run = load_run(s, kind, run_id)
        try:
            _refuse_void(s, kind, output, run)
        except (ValidationError, RunInUseError) as error:
            return str(error)
        return None


def _refuse_void(session: Session, kind: RunKind, output: Output, run: Any) -> None:
    """Raise when ``run`` cannot be voided: ValidationError when already voided, RunInUseError
    naming who used its output (one rule for the void and for the window's check)."""
    if run.voided_at is not None:
        voided = f"{run.voided_at:%Y-%m-%d}"
        raise ValidationError(f"This {kind.label} was already voided on {voided}")
    lot = session.scalar(select(output.lot_model).where(output.run_column == run.id))
    if lot is not None and lot.quantity_remaining < lot.quantity_initial:
        raise RunInUseError(finished_stock.users_of(session, lot))


def void_reason(reason: Any) -> str:
    with Problems() as p:
        text = to_text(reason, "Reason", p, max_length=2000)
    return text
