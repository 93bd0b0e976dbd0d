"""Assembly: turn finished units, nested finished goods and packaging into a finished-good lot.

Everything is planned first (``runs.assembly_plan``): finished-unit and finished-good lots FIFO at
their actual cost, and packaging FIFO across every lot of the composition product's ingredient,
whichever product a lot is of (bags are bags). A shortage raises before anything changes. Then all
draws are applied, the run is written with its three ledgers (each with its lot-level rows) and one
finished-good lot is added, worth what went in. One transaction.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy.orm import Session, selectinload

from bake_tracker.core.numbers import MONEY_ZERO as ZERO
from bake_tracker.core.numbers import round_money
from bake_tracker.models import (
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedGoodConsumptionLot,
    AssemblyFinishedUnitConsumption,
    AssemblyFinishedUnitConsumptionLot,
    AssemblyPackagingConsumption,
    AssemblyPackagingConsumptionLot,
    AssemblyRun,
    FinishedGood,
    FinishedGoodLot,
    FinishedUnit,
)
from bake_tracker.services import (
    catalog_service,
    finished_good_service,
    finished_stock,
    inventory_service,
)
from bake_tracker.services.dto import (
    AssemblyAvailability,
    AssemblyResult,
    AssemblyRunDTO,
    ComponentAvailability,
    ComponentConsumption,
    ComponentType,
    HistoryImportResult,
    StockLotDraw,
)
from bake_tracker.services.errors import (
    AssemblyRunNotFoundError,
    EventNotFoundError,
    ValidationError,
)
from bake_tracker.services.retry import retry_on_conflict
from bake_tracker.services.runs import (
    assembly_ledger,
    assembly_plan,
    event_totals,
    pipeline,
    stored_form,
)
from bake_tracker.services.runs import support as run_support
from bake_tracker.services.runs.assembly_ledger import NewAssembly
from bake_tracker.services.runs.assembly_plan import Part
from bake_tracker.services.transactions import use_session
from bake_tracker.services.transfer import history as history_transfer
from bake_tracker.services.validation import Problems, to_int, to_text


def check_can_assemble(
    finished_good_id: int, quantity: Any, *, session: Session | None = None
) -> AssemblyAvailability:
    """Every component for ``quantity`` assemblies with what is in stock; writes nothing.

    Raises:
        FinishedGoodNotFoundError, ValidationError.
    """
    with Problems() as p:
        count = to_int(quantity, "Quantity", p, minimum=1)
    with use_session(session) as s:
        good = assembly_plan.load_good(s, finished_good_id)
        if not good.components:
            return AssemblyAvailability(
                False, [], [], reason=f"'{good.display_name}' has no components yet"
            )
        items = [
            ComponentAvailability(
                component_type=part.kind.value,
                component_id=part.row.component_id,
                component_name=part.name,
                needed=part.needed,
                available=part.available,
                unit=part.unit,
                sufficient=part.sufficient,
            )
            for part in assembly_plan.availability(s, good, count)
        ]
        missing = [item for item in items if not item.sufficient]
        return AssemblyAvailability(not missing, items, missing)


# --- recording ------------------------------------------------------------------------------------


@retry_on_conflict
def record_assembly(
    finished_good_id: int,
    quantity: Any,
    *,
    event_id: int | None = None,
    assembled_at: datetime | None = None,
    notes: str | None = None,
    session: Session | None = None,
) -> AssemblyResult:
    """Assemble ``quantity`` finished goods from stock, at the FIFO cost of what goes in.

    Raises:
        ValidationError (bad arguments, no components, a product that is not packaging),
        FinishedGoodNotFoundError, EventNotFoundError, InsufficientFinishedUnitError,
        InsufficientFinishedGoodError, InsufficientPackagingError, DatabaseBusyError.
    """
    with Problems() as p:
        count = to_int(quantity, "Quantity", p, minimum=1)
        when = run_support.to_timestamp(assembled_at, "Assembled at", p)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    with use_session(session, write=True) as s:
        good = assembly_plan.load_good(s, finished_good_id, event_id)  # and the event's id
        if event_id is not None and good.event_id is None:
            raise EventNotFoundError(event_id)
        if not good.components:
            raise ValidationError(f"'{good.display_name}' has no components; add some first")
        parts = assembly_plan.plan(s, good, count)
        assembly_plan.raise_first_shortage(parts)
        with pipeline.batched(s):  # PostgreSQL: the writes' answers read together
            reserved = assembly_ledger.reserve_id(s)  # PostgreSQL: the run's id, asked now
            _apply(s, parts)
            run = _new_assembly(good.id, good.event_id, count, when, notes, parts)
            run_id = assembly_ledger.write(s, run, parts, stored_form.now(), reserved)
            # a live run of an event counts in its event's total, packaging lines as written
            event_totals.count_assembly(s, run, 1, _packaging_cost(parts))
            finished_stock.add_lot(
                s,
                FinishedGood,
                good.id,
                quantity=count,
                total_cost=run.total_component_cost,
                lot_at=when,
                assembly_run_id=run_id,
            )
        return _result(run_id, run, parts)


def _new_assembly(
    good_id: int,
    event_id: int | None,
    count: int,
    when: datetime,
    notes: str | None,
    parts: list[Part],
) -> NewAssembly:
    """The run's row: its cost is the sum of its parts', and so is its output lot's."""
    total = sum((part.cost for part in parts), ZERO)
    return NewAssembly(
        finished_good_id=good_id,
        event_id=event_id,
        quantity_assembled=count,
        assembled_at=when,
        notes=notes,
        total_component_cost=total,
        per_unit_cost=round_money(total / count),
    )


def _of_kind(parts: list[Part], kind: ComponentType) -> list[Part]:
    return [part for part in parts if part.kind == kind]


def _packaging_cost(parts: list[Part]) -> Decimal:
    """What the run's packaging lines cost in all: the sum of their ``total_cost``."""
    packaging = _of_kind(parts, ComponentType.PACKAGING)
    return sum((part.fifo_plan.total_cost for part in packaging), ZERO)


def _apply(session: Session, parts: list[Part]) -> None:
    """All draws: one guarded ``executemany`` per kind of lot, one per kind of count."""
    for kind, item_type in (
        (ComponentType.FINISHED_UNIT, FinishedUnit),
        (ComponentType.FINISHED_GOOD, FinishedGood),
    ):
        plans = [part.stock_plan for part in _of_kind(parts, kind)]
        finished_stock.apply_many(session, item_type, plans)
    inventory_service.apply_draws(session, *(p.fifo_plan for p in parts if p.fifo_plan))


def _result(run_id: int, run: NewAssembly, parts: list[Part]) -> AssemblyResult:
    def consumed(kind: ComponentType) -> list[ComponentConsumption]:
        return [
            ComponentConsumption(
                component_id=part.row.component_id,
                component_name=part.name,
                quantity_consumed=part.needed,
                unit=part.unit,
                total_cost=part.cost,
                lots=(
                    inventory_service.fifo_result(part.fifo_plan).breakdown
                    if part.fifo_plan
                    else [
                        StockLotDraw(d.lot_id, run.assembled_at, d.quantity, d.unit_cost, d.cost)
                        for d in part.stock_plan.draws
                    ]
                ),
            )
            for part in _of_kind(parts, kind)
        ]

    return AssemblyResult(
        assembly_run_id=run_id,
        finished_good_id=run.finished_good_id,
        event_id=run.event_id,
        quantity_assembled=run.quantity_assembled,
        total_component_cost=run.total_component_cost,
        per_unit_cost=run.per_unit_cost,
        finished_unit_consumptions=consumed(ComponentType.FINISHED_UNIT),
        finished_good_consumptions=consumed(ComponentType.FINISHED_GOOD),
        packaging_consumptions=consumed(ComponentType.PACKAGING),
    )


# --- history --------------------------------------------------------------------------------------


def get_assembly_history(
    *,
    finished_good_id: int | None = None,
    event_id: int | None = None,
    start_date: Any = None,
    end_date: Any = None,
    include_voided: bool = False,
    limit: Any = 100,
    offset: Any = 0,
    include_consumptions: bool = False,
    standalone_only: bool = False,
    session: Session | None = None,
) -> list[AssemblyRunDTO]:
    """Assembly runs newest first, filtered (all filters combine), one query plus eager loads.

    Raises:
        ValidationError (bad dates or paging).
    """
    return run_support.history(
        KIND,
        [(AssemblyRun.finished_good_id, finished_good_id), (AssemblyRun.event_id, event_id)],
        start_date=start_date,
        end_date=end_date,
        include_voided=include_voided,
        limit=limit,
        offset=offset,
        standalone_only=standalone_only,
        include_consumptions=include_consumptions,
        session=session,
    )


def get_assembly_run(assembly_run_id: int, *, session: Session | None = None) -> AssemblyRunDTO:
    """Raises: AssemblyRunNotFoundError."""
    return run_support.get_run(KIND, assembly_run_id, session)


def load_run(session: Session, assembly_run_id: int) -> AssemblyRun:
    return run_support.load_run(session, KIND, assembly_run_id)


def run_dto(run: AssemblyRun, with_consumptions: bool) -> AssemblyRunDTO:
    ledgers = {"finished_unit_consumptions": [], "finished_good_consumptions": []}
    packaging: list[ComponentConsumption] = []
    if with_consumptions:
        ledgers = {
            "finished_unit_consumptions": _item_consumptions(
                run.finished_unit_consumptions, "finished_unit", "finished_unit_lot"
            ),
            "finished_good_consumptions": _item_consumptions(
                run.finished_good_consumptions, "finished_good", "finished_good_lot"
            ),
        }
        packaging = _packaging_consumptions(run.packaging_consumptions)
    return AssemblyRunDTO(
        id=run.id,
        uuid=run.uuid,
        finished_good_id=run.finished_good_id,
        finished_good_name=run.finished_good.display_name,
        event_id=run.event_id,
        event_name=run.event.name if run.event else None,
        quantity_assembled=run.quantity_assembled,
        assembled_at=run.assembled_at,
        notes=run.notes,
        total_component_cost=run.total_component_cost,
        per_unit_cost=run.per_unit_cost,
        voided_at=run.voided_at,
        void_reason=run.void_reason,
        packaging_consumptions=packaging,
        **ledgers,
    )


def _item_consumptions(rows, item_attr: str, lot_attr: str) -> list[ComponentConsumption]:
    """Finished units or goods consumed, with the finished lots they came from."""
    consumed = []
    for row in rows:
        item = getattr(row, item_attr)
        lots = [(getattr(draw, lot_attr), draw) for draw in row.lots]
        consumed.append(
            ComponentConsumption(
                component_id=item.id,
                component_name=item.display_name,
                quantity_consumed=Decimal(row.quantity_consumed),
                unit="each",
                total_cost=row.total_cost,
                lots=[
                    StockLotDraw(lot.id, lot.lot_at, draw.quantity, draw.unit_cost, draw.cost)
                    for lot, draw in lots
                ],
            )
        )
    return consumed


def _packaging_consumptions(rows) -> list[ComponentConsumption]:
    return [
        ComponentConsumption(
            component_id=row.product_id,
            component_name=catalog_service.product_display_name(
                row.product, row.product.ingredient
            ),
            quantity_consumed=row.quantity_consumed,
            unit=row.unit,
            total_cost=row.total_cost,
            lots=[run_support.pantry_lot_draw(lot, lot.product_id) for lot in row.lots],
        )
        for row in rows
    ]


@cache
def _run_loaders() -> tuple:
    return (selectinload(AssemblyRun.finished_good), selectinload(AssemblyRun.event))


@cache
def _ledger_loaders() -> tuple:
    return (
        selectinload(AssemblyRun.finished_unit_consumptions)
        .selectinload(AssemblyFinishedUnitConsumption.lots)
        .selectinload(AssemblyFinishedUnitConsumptionLot.finished_unit_lot),
        selectinload(AssemblyRun.finished_unit_consumptions).selectinload(
            AssemblyFinishedUnitConsumption.finished_unit
        ),
        selectinload(AssemblyRun.finished_good_consumptions)
        .selectinload(AssemblyFinishedGoodConsumption.lots)
        .selectinload(AssemblyFinishedGoodConsumptionLot.finished_good_lot),
        selectinload(AssemblyRun.finished_good_consumptions).selectinload(
            AssemblyFinishedGoodConsumption.finished_good
        ),
        selectinload(AssemblyRun.packaging_consumptions)
        .selectinload(AssemblyPackagingConsumption.lots)
        .selectinload(AssemblyPackagingConsumptionLot.inventory_item),
        selectinload(AssemblyRun.packaging_consumptions).selectinload(
            AssemblyPackagingConsumption.product
        ),
    )


KIND = run_support.RunKind(
    when=AssemblyRun.assembled_at,
    label="assembly run",
    not_found=AssemblyRunNotFoundError,
    loaders=_run_loaders,
    ledger_loaders=_ledger_loaders,
    to_dto=run_dto,
    count=event_totals.count_assembly_run,
    document_key="assembly_runs",
    to_record=history_transfer.assembly_record,
    import_records=history_transfer.import_assembly,
)


# --- export and import of history on their own ----------------------------------------------------


def export_assembly_history(
    *,
    finished_good_id: int | None = None,
    start_date: Any = None,
    end_date: Any = None,
    session: Session | None = None,
) -> dict:
    """Assembly runs (voided ones too) with their ledgers, by natural keys."""
    return run_support.export_history(
        KIND,
        (AssemblyRun.finished_good_id, finished_good_id),
        (),
        start_date=start_date,
        end_date=end_date,
        session=session,
    )


def import_assembly_history(
    data: dict, *, skip_duplicates: bool = True, session: Session | None = None
) -> HistoryImportResult:
    """Restore assembly records (never stock). Raises: ImportVersionError."""
    return run_support.import_history(KIND, data, skip_duplicates, session)


# --- void -----------------------------------------------------------------------------------------


@retry_on_conflict
def void_assembly_run(
    assembly_run_id: int, *, reason: str, session: Session | None = None
) -> AssemblyRunDTO:
    """Undo an assembly: components and packaging go back to their lots exactly; the output lot
    is removed; the run stays in history, marked voided.

    Raises:
        AssemblyRunNotFoundError, ValidationError, RunInUseError (its output was used).
    """
    return run_support.void_run(KIND, _OUTPUT, assembly_run_id, reason, _restore, session)


def check_void_assembly_run(assembly_run_id: int, *, session: Session | None = None) -> str | None:
    """Why the run cannot be voided (already voided, or its finished goods used), or None when
    it can; the window asks before it asks for a reason.

    Raises:
        AssemblyRunNotFoundError.
    """
    return run_support.void_refusal(KIND, _OUTPUT, assembly_run_id, session)


_OUTPUT = run_support.Output(
    lot_model=FinishedGoodLot,
    run_column=FinishedGoodLot.assembly_run_id,
    item=lambda session, run: finished_good_service.load_finished_good(
        session, run.finished_good_id
    ),
    ledger_model=AssemblyFinishedGoodConsumptionLot,
    ledger_column=AssemblyFinishedGoodConsumptionLot.finished_good_lot_id,
)


def _restore(session: Session, run: AssemblyRun) -> None:
    for row in run.finished_unit_consumptions:
        for lot in row.lots:
            finished_stock.restore_draw(
                session, row.finished_unit, lot.finished_unit_lot_id, lot.quantity, lot.cost
            )
    for row in run.finished_good_consumptions:
        for lot in row.lots:
            finished_stock.restore_draw(
                session, row.finished_good, lot.finished_good_lot_id, lot.quantity, lot.cost
            )
    inventory_service.restore_draws(
        session,
        [
            (lot.inventory_item_id, lot.quantity)
            for row in run.packaging_consumptions
            for lot in row.lots
        ],
    )
