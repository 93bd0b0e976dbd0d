"""One figure per fact (issue 17 item 2), on the sample season and real widgets: the planned
cost of an event reads the same in the Events tab row, the event's Summary and the dashboard
(card and cost panel), and equals ``dashboard_service``'s figure; the cost of the packages
assigned is a different fact, under a different name, with a caption saying what each counts."""

from __future__ import annotations

import pytest

from bake_tracker.services import dashboard_service, event_service, sample_data_service
from bake_tracker.ui.app import App
from bake_tracker.ui.events.tab import EventsTab
from bake_tracker.ui.forms import format_money
from bake_tracker.ui.production.tab import ProductionTab
from bake_tracker.ui.production.wording import PACKAGES_COST, PLANNED_COST
from tests.ui.test_event_detail import open_window

pytestmark = pytest.mark.gui


@pytest.fixture
def season(app: App) -> App:
    sample_data_service.load_sample_data()
    app.refresh_all()
    return app


def events_tab(app: App) -> EventsTab:
    app.tabs.set("Events")
    app.update()
    tab = app.tab_frames["Events"]
    assert isinstance(tab, EventsTab)
    tab.refresh()
    app.update()
    return tab


def dashboard_figures(app: App, event_id: int) -> tuple[str, str]:
    """(the card's cost line, the cost panel's totals) after clicking the event's card."""
    app.select_tab("Production")
    app.update()
    tab = app.tab_frames["Production"]
    assert isinstance(tab, ProductionTab)
    view = tab.home
    card = view.cards[event_id]
    card.cost_label.event_generate("<Button-1>", x=5, y=5)
    app.update()
    assert view.selected_event_id == event_id
    return card.cost_label.cget("text"), view.panel.cost_panel.totals_label.cget("text")


def test_the_planned_cost_is_one_figure_on_every_screen(season: App) -> None:
    app = season
    rows = event_service.list_event_summaries()
    assert len(rows) == 2
    # The sample season has targets beyond what is assigned, so the two facts differ: a test
    # reading the wrong one on any screen fails.
    assert any(row.planned_cost != row.estimated_cost for row in rows)
    tab = events_tab(app)
    for row in rows:
        planned = dashboard_service.get_event_summary(row.id).planned_cost
        assert planned > 0 and row.planned_cost == planned
        shown = format_money(planned)
        cells = dict(
            zip(
                ("name", "date", "year", "recipients", "packages", "planned", "cost"),
                tab.table.row_values(str(row.id)),
                strict=True,
            )
        )
        assert cells["planned"] == shown
        assert cells["cost"] == format_money(row.estimated_cost)
        window = open_window(app, row.id, "Summary")
        assert window.summary.planned_value.cget("text") == shown
        assert window.summary.cost_value.cget("text") == format_money(row.estimated_cost)
        window.destroy()
        app.update()
        card_text, totals = dashboard_figures(app, row.id)
        assert card_text.endswith(f" of {shown} planned")
        assert totals.endswith(f"Planned {shown}")


def test_each_cost_is_named_and_explained(season: App) -> None:
    tab = events_tab(season)
    headings = [tab.table.tree.heading(c, "text") for c in ("planned", "cost")]
    assert headings == [PLANNED_COST, PACKAGES_COST]
    caption = tab.costs_caption.cget("text")
    assert f"{PLANNED_COST}: the targets'" in caption and f"{PACKAGES_COST}: what" in caption
    [row, *_] = event_service.list_event_summaries()
    window = open_window(season, row.id, "Summary")
    assert window.summary.costs_caption.cget("text") == caption
    window.destroy()
