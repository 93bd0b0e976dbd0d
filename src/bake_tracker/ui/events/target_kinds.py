"""Production targets (recipes, batches) and assembly targets (finished goods, quantities) behind
one face, ``TargetKind``, so the Targets tab and ``TargetDialog`` serve both. Every figure is the
service's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bake_tracker.services import event_service, finished_good_service, recipe_service


@dataclass(frozen=True)
class TargetProgress:
    """One target as the Targets tab shows it; every figure is the service's."""

    item_id: int
    name: str
    done: int
    target: int
    pct: Decimal
    complete: bool


class TargetKind:
    """What differs between production and assembly targets: words and service calls."""

    key = ""
    title = ""
    noun = ""
    item_label = ""
    amount_label = ""
    empty_text = ""
    none_left_text = ""
    no_items_text = ""

    def progress(self, event_id: int) -> list[TargetProgress]:  # pragma: no cover - overridden
        raise NotImplementedError

    def notes(self, event_id: int) -> dict[int, str | None]:  # pragma: no cover - overridden
        raise NotImplementedError

    def choices(self) -> list[tuple[int, str]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def save(self, event_id: int, item_id: int, amount: int, notes: str | None) -> Any:
        raise NotImplementedError  # pragma: no cover - overridden

    def delete(self, event_id: int, item_id: int) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class ProductionKind(TargetKind):
    key = "production"
    title = "Production Targets"
    noun = "production target"
    item_label = "Recipe"
    amount_label = "Target batches"
    empty_text = "No production targets set. Click “Add target…” to create one."
    none_left_text = "All recipes already have targets for this event."
    no_items_text = "There are no recipes yet. Add one on the Recipes tab first."

    def progress(self, event_id: int) -> list[TargetProgress]:
        return [
            TargetProgress(
                p.recipe_id,
                p.recipe_name,
                p.produced_batches,
                p.target_batches,
                p.progress_pct,
                p.is_complete,
            )
            for p in event_service.get_production_progress(event_id)
        ]

    def notes(self, event_id: int) -> dict[int, str | None]:
        return {t.recipe_id: t.notes for t in event_service.get_production_targets(event_id)}

    def choices(self) -> list[tuple[int, str]]:
        return [(r.id, r.name) for r in recipe_service.list_recipes()]

    def save(self, event_id: int, item_id: int, amount: int, notes: str | None) -> Any:
        return event_service.set_production_target(event_id, item_id, amount, notes=notes)

    def delete(self, event_id: int, item_id: int) -> bool:
        return event_service.delete_production_target(event_id, item_id)


class AssemblyKind(TargetKind):
    key = "assembly"
    title = "Assembly Targets"
    noun = "assembly target"
    item_label = "Finished good"
    amount_label = "Target quantity"
    empty_text = "No assembly targets set. Click “Add target…” to create one."
    none_left_text = "All finished goods already have targets for this event."
    no_items_text = "There are no finished goods yet. Add one on the Finished Goods tab first."

    def progress(self, event_id: int) -> list[TargetProgress]:
        return [
            TargetProgress(
                p.finished_good_id,
                p.finished_good_name,
                p.assembled_quantity,
                p.target_quantity,
                p.progress_pct,
                p.is_complete,
            )
            for p in event_service.get_assembly_progress(event_id)
        ]

    def notes(self, event_id: int) -> dict[int, str | None]:
        return {t.finished_good_id: t.notes for t in event_service.get_assembly_targets(event_id)}

    def choices(self) -> list[tuple[int, str]]:
        return [(g.id, g.display_name) for g in finished_good_service.list_finished_goods()]

    def save(self, event_id: int, item_id: int, amount: int, notes: str | None) -> Any:
        return event_service.set_assembly_target(event_id, item_id, amount, notes=notes)

    def delete(self, event_id: int, item_id: int) -> bool:
        return event_service.delete_assembly_target(event_id, item_id)


PRODUCTION = ProductionKind()
ASSEMBLY = AssemblyKind()
