"""The Windows bundle's ``bake-tracker-gui.exe``: the window, with no console (shortcuts)."""

from bake_tracker.main import gui_main

raise SystemExit(gui_main())
