"""Tab views: ``Tabview`` keeps its tabs following a live change of appearance; ``MainTabview``,
sized for a main window, also tells listeners when a tab is shown.

The main window and the Event Detail window use ``MainTabview``; their tabs load when shown.
"""

from __future__ import annotations

from collections.abc import Callable

import customtkinter as ctk


class Tabview(ctk.CTkTabview):
    """A ``CTkTabview`` whose tabs follow a live change of appearance."""

    # CustomTkinter gives each tab frame the colour of the appearance in force (one colour, not
    # the light/dark pair) and sets it again on every change. The widgets later built in a tab
    # take their background from it once, so after View ▸ Appearance they kept the old one: light
    # headers, labels and card corners on a dark window. Tabs keep the pair here instead.
    def _create_tab(self) -> ctk.CTkFrame:
        tab = super()._create_tab()
        self._give_color_pair(tab)
        return tab

    def _draw(self, no_color_updates: bool = False) -> None:
        super()._draw(no_color_updates)
        for tab in getattr(self, "_tab_dict", {}).values():  # None yet while being built
            self._give_color_pair(tab)

    def _give_color_pair(self, tab: ctk.CTkFrame) -> None:
        pair = self._bg_color if self._fg_color == "transparent" else self._fg_color
        if tab.cget("fg_color") != pair:
            tab.configure(fg_color=pair, bg_color=pair)


class MainTabview(Tabview):
    """A ``CTkTabview`` sized for a main window that tells listeners when a tab is shown.

    ``CTkTabview`` calls its ``command`` only when the user clicks a tab button, not on ``set()``
    (menu shortcuts, ``App.select_tab``); ``on_show`` callbacks run in both cases.
    """

    _button_height = 34

    def __init__(self, master, **kwargs) -> None:
        self._show_listeners: dict[str, list[Callable[[], None]]] = {}
        self._user_command: Callable[[], None] | None = kwargs.pop("command", None)
        super().__init__(master, command=self._on_button_switch, **kwargs)
        self._segmented_button.configure(font=ctk.CTkFont(size=14))

    def on_show(self, name: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever the tab ``name`` becomes the selected one."""
        self._show_listeners.setdefault(name, []).append(callback)

    def set(self, name: str) -> None:
        super().set(name)
        # CTkTabview hides the other tabs only 100 ms later; until then their controls are still
        # mapped under the new tab and Tab could land on one the user cannot see. Hide them now.
        self._grid_forget_all_tabs()
        self._notify(name)

    def _on_button_switch(self) -> None:
        self._notify(self.get())
        if self._user_command is not None:
            self._user_command()

    def _grid_forget_all_tabs(self, exclude_name: str | None = None) -> None:
        """Hide every tab but the selected one.

        ``CTkTabview.set()`` hides the other tabs 100 ms later, excluding the tab named *then*;
        after two quick ``set()`` calls (start-up, then a shortcut) each delayed call would hide
        the other's tab and leave the view blank. Excluding the tab selected *now* avoids that.
        """
        for name, frame in self._tab_dict.items():
            if name != self._current_name:
                frame.grid_forget()

    def _notify(self, name: str) -> None:
        for callback in self._show_listeners.get(name, ()):
            callback()
