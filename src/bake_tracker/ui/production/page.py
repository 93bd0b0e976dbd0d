"""``SubPage``: a page of the Production tab (the overview, the recent runs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.shell import main_window

if TYPE_CHECKING:
    from bake_tracker.ui.production.tab import ProductionTab


class SubPage(TabFrame):
    """A page of the Production tab; dialogs follow the tab's ``show_dialogs``."""

    def __init__(self, tab: ProductionTab) -> None:
        super().__init__(tab)
        self.tab = tab

    @property
    def show_dialogs(self) -> bool:
        return self.tab.show_dialogs

    def refresh_window(self) -> None:
        """After a change that touches several tabs: reload the tab in view (this one)."""
        main_window(self).refresh_all()
