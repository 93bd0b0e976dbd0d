"""Open the installed app's window, show every tab, close it: ``python window_check.py DB``.

Run by ``test_wheel.py`` with a fresh virtualenv's Python from a folder outside the repository, so
every module it loads (the lazily imported tabs included) comes from the installed wheel. Prints
one line per tab shown and ``closed`` at the end; any failure is a traceback and a non-zero exit.
"""

from __future__ import annotations

import sys

from bake_tracker.config import load_settings
from bake_tracker.ui import app as app_module


def main(database: str) -> int:
    window = app_module.App(settings=load_settings(database))
    window.update()
    print(f"module {app_module.__file__}")
    for name in app_module.TAB_NAMES:
        window.select_tab(name)
        window.update()
        print(f"tab {name}: {type(window.tab_frames[name]).__module__}")
    window.on_close()
    print("closed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
