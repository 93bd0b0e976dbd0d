"""An event's production and assembly targets: how many batches of a recipe, how many of a good.

A target is set as an upsert — one per event and recipe (or finished good) — and keeps its notes
unless new notes are given (``UNCHANGED``). A target is a whole number above zero. Targets are
listed by their recipe's or good's name, case-insensitively.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.models import EventAssemblyTarget, EventProductionTarget, FinishedGood, Recipe
from bake_tracker.services import finished_good_service, recipe_service
from bake_tracker.services.dto import AssemblyTargetDTO, ProductionTargetDTO
from bake_tracker.services.loading import load_event
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import UNCHANGED, Problems, is_id, to_int, to_text


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
    batches, new_notes = _target_values(target_batches, "target_batches", notes)
    with use_session(session) as s:
        event = load_event(s, event_id)
        recipe = recipe_service.load_recipe(s, recipe_id)
        target = _upsert_target(s, EventProductionTarget, "recipe_id", event.id, recipe.id)
        target.target_batches = batches
        _flush_target(s, target, new_notes)
        return _production_target_dto(target, recipe.name)


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
    quantity, new_notes = _target_values(target_quantity, "target_quantity", notes)
    with use_session(session) as s:
        event = load_event(s, event_id)
        good = finished_good_service.load_finished_good(s, finished_good_id)
        target = _upsert_target(s, EventAssemblyTarget, "finished_good_id", event.id, good.id)
        target.target_quantity = quantity
        _flush_target(s, target, new_notes)
        return _assembly_target_dto(target, good.display_name)


def get_production_targets(
    event_id: int, *, session: Session | None = None
) -> list[ProductionTargetDTO]:
    with use_session(session) as s:
        return _targets(
            s, event_id, EventProductionTarget, Recipe, Recipe.name, _production_target_dto
        )


def get_assembly_targets(
    event_id: int, *, session: Session | None = None
) -> list[AssemblyTargetDTO]:
    with use_session(session) as s:
        return _targets(
            s,
            event_id,
            EventAssemblyTarget,
            FinishedGood,
            FinishedGood.display_name,
            _assembly_target_dto,
        )


def delete_production_target(
    event_id: int, recipe_id: int, *, session: Session | None = None
) -> bool:
    return _delete_target(EventProductionTarget, "recipe_id", event_id, recipe_id, session)


def delete_assembly_target(
    event_id: int, finished_good_id: int, *, session: Session | None = None
) -> bool:
    return _delete_target(
        EventAssemblyTarget, "finished_good_id", event_id, finished_good_id, session
    )


def _find_target(session: Session, model, key: str, event_id: int, item_id: int):
    """The event's target of ``model`` (EventProductionTarget or EventAssemblyTarget) whose
    ``key`` column ("recipe_id", "finished_good_id") is ``item_id``, or None."""
    return session.scalar(
        select(model).where(model.event_id == event_id, getattr(model, key) == item_id)
    )


def _upsert_target(session: Session, model, key: str, event_id: int, item_id: int):
    """The event's target for the item (see ``_find_target``), added to the session when new."""
    target = _find_target(session, model, key, event_id, item_id)
    if target is None:
        target = model(event_id=event_id, **{key: item_id})
        session.add(target)
    return target


def _flush_target(session: Session, target, notes: Any) -> None:
    """Set the target's notes unless they are ``UNCHANGED``, and flush."""
    if notes is not UNCHANGED:
        target.notes = notes
    session.flush()


def _targets(session: Session, event_id: int, model, item_model, name_column, to_dto) -> list:
    """The event's targets of ``model``, each as ``to_dto(target, name)`` with the name in
    ``name_column`` of its ``item_model`` (a recipe or finished good), by name case-insensitively.

    Raises:
        EventNotFoundError.
    """
    load_event(session, event_id)
    rows = session.execute(
        select(model, name_column.label("item_name"))
        .join(item_model)
        .where(model.event_id == event_id)
        .order_by(func.lower(name_column))
    )
    return [to_dto(row._mapping[model], row.item_name) for row in rows]


def _delete_target(model, key: str, event_id: int, item_id: int, session: Session | None) -> bool:
    """Delete the event's target for the item (see ``_find_target``); whether there was one."""
    if not (is_id(event_id) and is_id(item_id)):  # no such target (and no driver overflow)
        return False
    with use_session(session) as s:
        target = _find_target(s, model, key, event_id, item_id)
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


def _production_target_dto(t: EventProductionTarget, name: str) -> ProductionTargetDTO:
    return ProductionTargetDTO(t.id, t.event_id, t.recipe_id, name, t.target_batches, t.notes)


def _assembly_target_dto(t: EventAssemblyTarget, name: str) -> AssemblyTargetDTO:
    return AssemblyTargetDTO(t.id, t.event_id, t.finished_good_id, name, t.target_quantity, t.notes)
