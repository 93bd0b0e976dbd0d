"""The overview's figures in words: dates, counts, packages, cost, budget and progress.

Pure functions of what ``dashboard_service`` and ``event_service`` return (no Tk); the one figure
worked out here is the over / under budget wording of the service's variance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from bake_tracker.core.dates import format_date, format_long_date
from bake_tracker.services.dto import EventSummary
from bake_tracker.ui import forms
from bake_tracker.ui.kit.progress import whole_percent

NO_PACKAGES = "No packages planned"
# Two cost figures of an event, two facts, each with one name and one meaning everywhere (the
# Events tab, the event's Summary, the dashboard): the planned cost counts the targets, the cost
# of packages counts what is assigned to recipients. Both come from the services.
PLANNED_COST = "Planned cost"
PLANNED_MEANS = "the targets' batches and packaging at today's prices"
PACKAGES_COST = "Cost of packages"
PACKAGES_MEANS = "what the packages assigned to recipients contain, at today's prices"
COSTS_CAPTION = (
    f"{PLANNED_COST}: {PLANNED_MEANS} (as on the dashboard).\n{PACKAGES_COST}: {PACKAGES_MEANS}."
)
ON_BUDGET = "On budget"


def relative_day(when: date, today: date) -> str:
    """ "today", "tomorrow", "in 18 days", "yesterday", "3 days ago"."""
    days = (when - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def date_line(when: date, today: date) -> str:
    """ "2025-12-24 · in 18 days": the one short form (a card is read like a table row, and the
    long form would not fit its ~270 px beside the days), then how far off it is."""
    return f"{format_date(when)} · {relative_day(when, today)}"


def long_date(when: date) -> str:
    """ "Wednesday, December 24, 2025"."""
    return format_long_date(when)  # the one long form (core.dates)


def count_text(label: str, done: int, total: int) -> str:
    """ "Recipes: 1/3", or "Recipes: none planned" when there is no target."""
    return f"{label}: {done}/{total}" if total else f"{label}: none planned"


def packages_text(summary: EventSummary) -> str | None:
    """ "Packages: 2 delivered · 1 ready · 3 pending", or None when no package is assigned."""
    if not summary.packages_total:
        return None
    return (
        f"Packages: {summary.packages_delivered} delivered · {summary.packages_ready} ready · "
        f"{summary.packages_pending} pending"
    )


def cost_text(summary: EventSummary) -> str:
    """ "Cost: $3.20 of $4.80 planned"."""
    actual, planned = (
        forms.format_money(summary.actual_cost),
        forms.format_money(summary.planned_cost),
    )
    return f"Cost: {actual} of {planned} planned"


def totals_text(actual: Decimal, planned: Decimal) -> str:
    """ "Actual $3.20 · Planned $4.80"."""
    return f"Actual {forms.format_money(actual)} · Planned {forms.format_money(planned)}"


def budget_text(variance: Decimal) -> tuple[str, str]:
    """("Over budget: +$1.60", "over"), ("Under budget: $1.60", "under") or ("On budget", "on")
    for the service's variance (actual − planned); less than a cent either way is on budget."""
    difference = variance
    if forms.format_money(abs(difference)) == "$0.00":
        return ON_BUDGET, "on"
    if difference > 0:
        return f"Over budget: +{forms.format_money(difference)}", "over"
    return f"Under budget: {forms.format_money(-difference)}", "under"


def signed_money(value: Decimal) -> str:
    """ "+$0.40", "−$1.60", "$0.00"."""
    text = forms.format_money(abs(value))
    if text == "$0.00":
        return text
    return f"+{text}" if value > 0 else f"−{text}"


def signed_percent(value: Decimal) -> str:
    """ "+12.50%", "−33.33%", "0.00%" (the service's two places)."""
    if value == 0:
        return "0.00%"
    return f"+{value:.2f}%" if value > 0 else f"−{-value:.2f}%"


def batches_text(done: int, target: int, pct: Decimal) -> str:
    """ "2/4 batches (50%)"."""
    return f"{done}/{target} {'batch' if target == 1 else 'batches'} ({whole_percent(pct)}%)"


def quantity_text(done: int, target: int, pct: Decimal) -> str:
    """ "3/8 (38%)"."""
    return f"{done}/{target} ({whole_percent(pct)}%)"


def order_events(summaries: Sequence[EventSummary], today: date) -> list[EventSummary]:
    """Upcoming events nearest first, then past ones newest first: the next event to bake for
    leads the list, and a past one stays reachable without crowding it."""
    upcoming = [s for s in summaries if s.event_date >= today]
    past = [s for s in summaries if s.event_date < today]
    upcoming.sort(key=lambda s: (s.event_date, s.event_id))
    past.sort(key=lambda s: (s.event_date, s.event_id), reverse=True)
    return upcoming + past


def short_name(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
