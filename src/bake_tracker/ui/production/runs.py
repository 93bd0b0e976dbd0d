"""Runs as the Production tab words them: their kind, name, label and status."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from bake_tracker.services import dto
from bake_tracker.ui import forms

if TYPE_CHECKING:  # the run DTOs load with the first run shown, not with the window
    from bake_tracker.services.dto import AssemblyRunDTO, ProductionRunDTO

    Run = ProductionRunDTO | AssemblyRunDTO


class RunKind(StrEnum):
    """What a run made: finished units from a recipe (production) or finished goods (assembly)."""

    PRODUCTION = "production"
    ASSEMBLY = "assembly"


def event_text(name: str | None) -> str:
    return name if name else "—"


def status_tags(run: Run) -> tuple[str, tuple[str, ...]]:
    return ("Voided", ("voided",)) if run.voided_at is not None else ("", ())


def sentence(text: str) -> str:
    """The first letter in capitals, the rest as it is (names keep their case)."""
    return text[:1].upper() + text[1:]


def run_name(run: Run) -> str:
    if isinstance(run, dto.ProductionRunDTO):
        return run.finished_unit_name
    return run.finished_good_name


def run_label(run: Run) -> str:
    """ "production run #3 of Sugar Cookie (2025-12-15)"."""
    if isinstance(run, dto.ProductionRunDTO):
        kind, when = RunKind.PRODUCTION, run.produced_at
    else:
        kind, when = RunKind.ASSEMBLY, run.assembled_at
    return f"{kind} run #{run.id} of {run_name(run)} ({forms.format_local_date(when)})"
