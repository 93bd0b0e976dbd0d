"""An event's production and assembly targets: how many batches of a recipe, how many of a good.

A target is set as an upsert — one per event and recipe (or finished good) — and keeps its notes
unless new notes are given (``UNCHANGED``). A target is a whole number above zero. Targets are
listed by their recipe's or good's name, case-insensitively. Each kind of target is described once
(``TargetKind``: ``PRODUCTION``, ``ASSEMBLY``), for setting, listing and deleting it here and for
measuring progress against it (``progress``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.models import (
    EventAssemblyTarget,
    EventAssemblyTotal,
    EventProductionTarget,
    EventProductionTotal,
    FinishedGood,
    Recipe,
)
from bake_tracker.services import finished_good_service, recipe_service
from bake_tracker.services.dto import AssemblyTargetDTO, ProductionTargetDTO
from bake_tracker.services.loading import load_event
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import UNCHANGED, Problems, is_id, to_int, to_text


@dataclass(frozen=True)
class TargetKind:
    """One kind of event target.

    ``model`` has one row per event and item: the item's id in the ``key`` column, the target in
    ``amount``. The item is a row of ``item_model``, named by its ``name`` column and loaded by
    ``load_item(session, id)``. ``to_dto(target, item name)`` is the target's DTO. Progress reads
    what the event's live runs of the item add up to from its stored total, a row of
    ``total_model`` keyed like the target (event and ``key``; ``services/totals.py`` keeps it):
    the columns of ``sums`` ({label: column}), 0 when there is no row.
    """

    model: Any
    key: str
    amount: Any
    item_model: Any
    name: Any
    load_item: Callable[[Session, Any], Any]
    to_dto: Callable[[Any, str], Any]
    total_model: Any
    sums: dict[str, Any]


def _production_target_dto(t: EventProductionTarget, name: str) -> ProductionTargetDTO:
    return ProductionTargetDTO(t.id, t.event_id, t.recipe_id, name, t.target_batches, t.notes)


def _assembly_target_dto(t: EventAssemblyTarget, name: str) -> AssemblyTargetDTO:
    return AssemblyTargetDTO(t.id, t.event_id, t.finished_good_id, name, t.target_quantity, t.notes)


PRODUCTION = TargetKind(
    model=EventProductionTarget,
    key="recipe_id",
    amount=EventProductionTarget.target_batches,
    item_model=Recipe,
    name=Recipe.name,
    load_item=recipe_service.load_recipe,
    to_dto=_production_target_dto,
    total_model=EventProductionTotal,
    sums={"batches": EventProductionTotal.num_batches, "units": EventProductionTotal.actual_yield},
)
ASSEMBLY = TargetKind(
    model=EventAssemblyTarget,
    key="finished_good_id",
    amount=EventAssemblyTarget.target_quantity,
    item_model=FinishedGood,
    name=FinishedGood.display_name,
    load_item=finished_good_service.load_finished_good,
    to_dto=_assembly_target_dto,
    total_model=EventAssemblyTotal,
    sums={"done": EventAssemblyTotal.quantity_assembled},
)


def set_production_target(
    event_id: int,
    recipe_id: int,
    target_batches: Any,
    *,
    notes: Any = UNCHANGED,
    session: Session | None = None,
) -> ProductionTargetDTO:
    """Set how many batches of a recipe the event needs (insert or update; notes kept unless given).

    Raises:
        ValidationError (a ValueError: "target_batches must be positive"), EventNotFoundError,
        RecipeNotFoundError.
    """
    return _set_target(PRODUCTION, event_id, recipe_id, target_batches, notes, session)


def set_production_targets(
    event_id: int, batches_by_recipe: dict[int, Any], *, session: Session | None = None
) -> list[ProductionTargetDTO]:
    """Set several production targets in one transaction (all or none), e.g. accepted
    suggestions; notes are kept."""
    with use_session(session) as s:
        return [
            set_production_target(event_id, recipe_id, batches, session=s)
            for recipe_id, batches in batches_by_recipe.items()
        ]


def set_assembly_target(
    event_id: int,
    finished_good_id: int,
    target_quantity: Any,
    *,
    notes: Any = UNCHANGED,
    session: Session | None = None,
) -> AssemblyTargetDTO:
    """Set how many of a finished good the event needs (upsert; notes kept unless given)."""
    return _set_target(ASSEMBLY, event_id, finished_good_id, target_quantity, notes, session)


def get_production_targets(
    event_id: int, *, session: Session | None = None
) -> list[ProductionTargetDTO]:
    return _targets(PRODUCTION, event_id, session)


def get_assembly_targets(
    event_id: int, *, session: Session | None = None
) -> list[AssemblyTargetDTO]:
    return _targets(ASSEMBLY, event_id, session)


def delete_production_target(
    event_id: int, recipe_id: int, *, session: Session | None = None
) -> bool:
    return _delete_target(PRODUCTION, event_id, recipe_id, session)


def delete_assembly_target(
    event_id: int, finished_good_id: int, *, session: Session | None = None
) -> bool:
    return _delete_target(ASSEMBLY, event_id, finished_good_id, session)


def _set_target(
    kind: TargetKind, event_id: Any, item_id: Any, value: Any, notes: Any, session: Session | None
):
    """Insert or update the event's target of ``kind`` for the item; notes kept when
    ``UNCHANGED``."""
    amount, new_notes = _target_values(value, kind.amount.key, notes)
    with use_session(session) as s:
        event = load_event(s, event_id)
        item = kind.load_item(s, item_id)
        target = _find_target(s, kind, event.id, item.id)
        if target is None:
            target = kind.model(event_id=event.id, **{kind.key: item.id})
            s.add(target)
        setattr(target, kind.amount.key, amount)
        if new_notes is not UNCHANGED:
            target.notes = new_notes
        s.flush()
        return kind.to_dto(target, getattr(item, kind.name.key))


def _find_target(session: Session, kind: TargetKind, event_id: int, item_id: int):
    """The event's target of ``kind`` for the item, or None."""
    model = kind.model
    return session.scalar(
        select(model).where(model.event_id == event_id, getattr(model, kind.key) == item_id)
    )


def _targets(kind: TargetKind, event_id: Any, session: Session | None) -> list:
    """The event's targets of ``kind`` as DTOs, by their item's name case-insensitively.

    Raises:
        EventNotFoundError.
    """
    with use_session(session) as s:
        load_event(s, event_id)
        rows = s.execute(
            select(kind.model, kind.name.label("item_name"))
            .join(kind.item_model)
            .where(kind.model.event_id == event_id)
            .order_by(func.lower(kind.name))
        )
        return [kind.to_dto(row._mapping[kind.model], row.item_name) for row in rows]


def _delete_target(kind: TargetKind, event_id: Any, item_id: Any, session: Session | None) -> bool:
    """Delete the event's target of ``kind`` for the item; whether there was one."""
    if not (is_id(event_id) and is_id(item_id)):  # no such target (and no driver overflow)
        return False
    with use_session(session) as s:
        target = _find_target(s, kind, event_id, item_id)
        if target is None:
            return False
        s.delete(target)
        s.flush()
        return True


def _target_values(value: Any, field: str, notes: Any) -> tuple[int, Any]:
    with Problems() as p:
        number = to_int(value, field, p, minimum=None)
        if number is not None and number <= 0:
            p.add(f"{field} must be positive")
        if notes is not UNCHANGED:
            notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    return number, notes
