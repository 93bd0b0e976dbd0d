"""Tabs are built and loaded when shown, not when the window starts (the window opens in ≤ 2 s).

The window builds only the tab in view (Production); any other tab's module is imported and its
widgets made the first time it is shown, or asked for through ``App.tab_frames``. Only the tab in
view reads the database; a tab loads when it is shown, and again whenever it is shown after that,
so it never shows old data. ``refresh_all`` (after a run is recorded or data imported) reloads the
tab in view at once; the others wait until they are shown.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bake_tracker.services import (
    catalog_service,
    event_service,
    finished_good_service,
    finished_unit_service,
    inventory_service,
    package_service,
    recipe_service,
    recipient_service,
)
from bake_tracker.ui.app import TAB_NAMES, App
from bake_tracker.ui.pantry_tab import PantryTab

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

# The one read each tab's list makes, by tab.
TAB_READS: dict[str, tuple[object, str]] = {
    "Events": (event_service, "list_event_summaries"),
    "Recipes": (recipe_service, "list_recipes"),
    "Finished Units": (finished_unit_service, "list_finished_units"),
    "Finished Goods": (finished_good_service, "list_finished_goods"),
    "Packages": (package_service, "list_packages"),
    "Recipients": (recipient_service, "list_recipients"),
    "Ingredients": (catalog_service, "list_ingredients"),
    "Pantry": (inventory_service, "get_inventory_items"),
}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How often each tab's list read ran (the real service still answers)."""
    counts = dict.fromkeys(TAB_READS, 0)
    for tab, (module, name) in TAB_READS.items():
        real = getattr(module, name)

        def counted(*args, _real: Callable = real, _tab: str = tab, **kwargs):
            counts[_tab] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    yield counts


def on_a_fresh_interpreter(script: str, data_dir: Path) -> list[str]:
    """Run ``script`` in a new Python (nothing imported or configured yet): its output lines."""
    env = dict(os.environ, BAKE_TRACKER_DATA_DIR=str(data_dir))
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


def make_pantry() -> None:
    flour = catalog_service.create_ingredient("Flour", category="Flour", recipe_unit="cup").slug
    product = catalog_service.create_product(flour, purchase_unit="cup", purchase_quantity=10)
    inventory_service.add_to_inventory(product.id, quantity="10", unit_cost="0.50")


def show(app: App, name: str) -> None:
    app.tabs.set(name)
    app.update()


def test_starting_builds_only_the_tab_in_view(app: App) -> None:
    assert app.tab_frames.built == ("Production",)
    assert list(app.tab_frames) == list(TAB_NAMES)  # listing the names builds nothing
    assert "Pantry" in app.tab_frames and "Bakery" not in app.tab_frames
    assert app.tab_frames.built == ("Production",)
    for name in TAB_NAMES[1:]:
        assert app.tabs.tab(name).winfo_children() == []  # an empty place, nothing drawn


def test_showing_a_tab_builds_it_once_and_loads_it(
    app: App, reads: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_pantry()
    built: list[str] = []
    real_init = PantryTab.__init__

    def counted_init(self: PantryTab, *args, **kwargs) -> None:
        built.append("Pantry")
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(PantryTab, "__init__", counted_init)
    show(app, "Pantry")
    pantry = app.tab_frames["Pantry"]
    assert app.tab_frames.built == ("Production", "Pantry")
    assert isinstance(pantry, PantryTab) and pantry.winfo_ismapped()
    assert pantry.master is app.tabs.tab("Pantry")
    assert reads["Pantry"] == 1 and len(pantry.table.row_ids()) == 1  # built, then loaded
    show(app, "Production")
    show(app, "Pantry")
    assert built == ["Pantry"]  # shown again: reloaded, not rebuilt
    assert app.tab_frames["Pantry"] is pantry and reads["Pantry"] == 2


def test_asking_for_a_hidden_tab_builds_it_without_loading_it(
    app: App, reads: dict[str, int]
) -> None:
    make_pantry()
    pantry = app.tab_frames["Pantry"]  # what tests and handles use: a real, built tab
    assert isinstance(pantry, PantryTab)
    assert app.tab_frames.built == ("Production", "Pantry")
    assert app.tabs.get() == "Production" and not pantry.winfo_ismapped()
    assert reads["Pantry"] == 0 and pantry.table.row_ids() == []
    show(app, "Pantry")
    assert app.tab_frames["Pantry"] is pantry and len(pantry.table.row_ids()) == 1
    with pytest.raises(KeyError):
        app.tab_frames["Bakery"]


def test_a_shortcut_builds_and_loads_the_tab_it_shows(app: App) -> None:
    make_pantry()
    app.focus_force()
    app.update()
    app.event_generate("<Control-Key-8>")
    app.update()
    assert app.tabs.get() == "Ingredients"
    assert app.tab_frames.built == ("Production", "Ingredients")
    assert app.tab_frames["Ingredients"].table.column_values("name") == ["Flour"]


def test_starting_reads_only_the_tab_in_view(
    reads: dict[str, int], make_app: Callable[[], App]
) -> None:
    make_app().on_close()  # makes the database
    make_pantry()
    app = make_app()  # built and drawn (update) on a database with an ingredient and a lot
    assert app.tabs.get() == "Production"
    assert reads == dict.fromkeys(TAB_READS, 0)
    ingredients = app.tab_frames["Ingredients"]
    assert ingredients.table.row_ids() == []  # not loaded yet
    show(app, "Ingredients")
    assert ingredients.table.column_values("name") == ["Flour"]


@pytest.mark.parametrize("name", list(TAB_READS))
def test_a_tab_loads_when_it_is_shown_and_again_each_time(
    reads: dict[str, int], make_app: Callable[[], App], name: str
) -> None:
    app = make_app()
    show(app, name)
    also = {"Ingredients": 1} if name == "Pantry" else {}  # the Pantry's ingredient filter
    assert {tab: n for tab, n in reads.items() if n} == {name: 1} | also
    show(app, "Production")
    show(app, name)
    assert reads[name] == 2


def test_a_shown_tab_lists_what_was_added_while_it_was_hidden(app: App) -> None:
    show(app, "Ingredients")
    ingredients = app.tab_frames["Ingredients"]
    assert ingredients.table.row_ids() == []
    show(app, "Production")
    make_pantry()
    assert ingredients.table.row_ids() == []  # hidden: nothing read yet
    show(app, "Ingredients")
    assert ingredients.table.column_values("name") == ["Flour"]


def test_refresh_all_reloads_the_tab_in_view_now_and_the_others_on_show(
    app: App, reads: dict[str, int]
) -> None:
    show(app, "Pantry")
    show(app, "Ingredients")
    before = dict(reads)
    make_pantry()
    app.refresh_all()
    app.update()
    ingredients, pantry = app.tab_frames["Ingredients"], app.tab_frames["Pantry"]
    assert ingredients.table.column_values("name") == ["Flour"]  # in view: reloaded at once
    assert reads["Pantry"] == before["Pantry"] and pantry.table.row_ids() == []  # stale, unread
    show(app, "Pantry")
    assert reads["Pantry"] == before["Pantry"] + 1
    assert len(pantry.table.row_ids()) == 1


# Imported with the first tab, chart or date field that needs them, not with the window.
LATER_MODULES = (
    "matplotlib",  # no longer a dependency (the charts are drawn on a Tk canvas): never
    "tkcalendar",  # no longer a dependency (kit.datepicker): never
    "bake_tracker.ui.events",  # the Events tab and the Event Detail window
    "bake_tracker.ui.recipes",
    "bake_tracker.ui.finished_units_tab",
    "bake_tracker.ui.finished_goods_tab",
    "bake_tracker.ui.packages_tab",
    "bake_tracker.ui.recipients_tab",
    "bake_tracker.ui.ingredients",
    "bake_tracker.ui.pantry_tab",
)


def test_the_window_starts_without_what_only_other_tabs_need(db_file: Path, data_dir: Path) -> None:
    script = (
        "import sys\n"
        "from bake_tracker.ui.app import App\n"
        f"app = App(database_url={f'sqlite:///{db_file}'!r}, offer_sample_data=False)\n"
        "app.update()\n"
        f"loaded = [name for name in {LATER_MODULES!r} if name in sys.modules]\n"
        "built = app.tab_frames.built\n"
        "app.on_close()\n"
        "print(built, loaded)\n"
    )
    assert on_a_fresh_interpreter(script, data_dir)[-1] == "('Production',) []"


def test_the_first_paint_of_a_full_dashboard_configures_no_orm_mapper(
    tmp_path: Path, data_dir: Path
) -> None:
    """The window's first paint (the sample season: its upcoming event's cards, progress, costs
    and chart) reads with Core statements only: configuring SQLAlchemy's mappers, which the first
    ORM statement of a process does, costs ~0.1 s of a start and is left to the first use that
    needs it. Checked on a fresh interpreter, where nothing has configured them yet; the probe
    is shown to see a configuration by an ORM read made after the paint."""
    from bake_tracker import main as cli

    database = tmp_path / "season.sqlite3"
    assert cli.main(["--db", str(database), "demo"]) == 0
    script = (
        "import sys\n"
        "from bake_tracker.models import Base\n"
        "from bake_tracker.services import finished_unit_service\n"
        "from bake_tracker.ui.app import App\n"
        "def configured():\n"
        "    return sorted(m.class_.__name__ for m in Base.registry.mappers if m.configured)\n"
        f"app = App(database_url={f'sqlite:///{database}'!r}, offer_sample_data=False)\n"
        "app.update()\n"
        "home = app.tab_frames['Production'].home\n"
        "print(len(home.cards), home.panel.event_id is not None, len(home.panel.costs))\n"
        "print(configured(), 'sqlalchemy.dialects.postgresql' in sys.modules)\n"
        "finished_unit_service.list_finished_units()\n"
        "print(len(configured()) > 0)\n"
        "app.on_close()\n"
    )
    painted, configured, probe = on_a_fresh_interpreter(script, data_dir)[-3:]
    cards, selected, costs = painted.split()
    assert int(cards) >= 1 and selected == "True" and int(costs) >= 1  # a full dashboard
    assert configured == "[] False"  # and SQLAlchemy's PostgreSQL dialect not imported (~30 ms)
    assert probe == "True"


# The DTO modules a full dashboard's first paint uses: its event summaries and costs, the
# database's facts, the target progress.
FIRST_PAINT_DTOS = ("dashboard", "data", "events")


def test_the_first_paint_creates_only_the_dtos_it_uses(tmp_path: Path, data_dir: Path) -> None:
    """``bake_tracker.services.dto`` loads a module's frozen dataclasses when one of its names is
    first asked for (creating a dataclass compiles its methods: ~1 ms each, ~60 ms for all of
    them), so the sample season's first paint creates only those of the modules it uses; the
    probe, a finished-unit list after the paint, shows that another module still loads on use."""
    from bake_tracker import main as cli

    database = tmp_path / "season.sqlite3"
    assert cli.main(["--db", str(database), "demo"]) == 0
    script = (
        "import sys\n"
        "from bake_tracker.services import finished_unit_service\n"
        "from bake_tracker.ui.app import App\n"
        "def loaded():\n"
        "    p = 'bake_tracker.services.dto.'\n"
        "    return ','.join(sorted(m[len(p) :] for m in sys.modules if m.startswith(p)))\n"
        f"app = App(database_url={f'sqlite:///{database}'!r}, offer_sample_data=False)\n"
        "app.update()\n"
        "home = app.tab_frames['Production'].home\n"
        "print(len(home.cards), len(home.panel.production), loaded())\n"
        "units = finished_unit_service.list_finished_units()\n"
        "print(type(units[0]).__name__, loaded())\n"
        "app.on_close()\n"
    )
    painted, probe = on_a_fresh_interpreter(script, data_dir)[-2:]
    cards, progress, modules = painted.split()
    assert int(cards) >= 1 and int(progress) >= 1  # a full dashboard
    assert modules == ",".join(FIRST_PAINT_DTOS)
    assert probe == f"FinishedUnitDTO {','.join(sorted((*FIRST_PAINT_DTOS, 'goods')))}"
