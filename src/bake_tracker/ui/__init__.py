"""The desktop window (CustomTkinter): it shows what the services return and calls them for every
change; it never imports the database layer or the models.

``app`` (the main window, ``App``) and ``shell`` (``MainWindow``, what the rest of the UI may ask
of it, through ``main_window(widget)``); ``kit`` (the widgets, windows and colours everything is
built from) and ``forms`` (entry text to values, values to text); one package or module per tab
(``production``, ``events``, ``recipes``, ``ingredients``, ``pantry_tab``, ``finished_units_tab``,
``finished_goods_tab``, ``packages_tab``, ``recipients_tab``) and the dialogs several of them open
(``record``); ``data_menu`` / ``data_dialogs`` (import, export, backup, restore) and
``background`` (long jobs off the Tk thread). Only the tab in view is imported at start.
CustomTkinter is imported here first, through ``fonts``, so its font files are never rewritten
under another running window, and its scrollbars are then made to redraw without laying the
whole window out each time (``scrollbar_draw``).
"""

from bake_tracker.ui.fonts import import_customtkinter

import_customtkinter()  # before any module of the window imports it (see ``ui.fonts``)

from bake_tracker.ui.scrollbar_draw import draw_scrollbars_when_idle  # noqa: E402

draw_scrollbars_when_idle()
