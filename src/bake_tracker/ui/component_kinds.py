"""How the UI names the three kinds of component a finished good is made of (``ComponentType``):
the short tag a ledger or availability line starts with, and the kind's name in words."""

from __future__ import annotations

from bake_tracker.services.dto import ComponentType

COMPONENT_TAGS: dict[str, str] = {
    ComponentType.FINISHED_UNIT: "[FU]",
    ComponentType.FINISHED_GOOD: "[FG]",
    ComponentType.PACKAGING: "[Pkg]",
}
COMPONENT_LABELS: dict[str, str] = {
    ComponentType.FINISHED_UNIT: "Finished unit",
    ComponentType.FINISHED_GOOD: "Finished good",
    ComponentType.PACKAGING: "Packaging",
}
