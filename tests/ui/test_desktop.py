"""The desktop integration of the real window: our icon on the main window and on a dialog (read
back from the X server), CustomTkinter's Windows logo replaced, Command keys and the Quit
handler for macOS."""

from __future__ import annotations

import re
import subprocess

import pytest

from bake_tracker.ui import desktop
from bake_tracker.ui.app import App
from bake_tracker.ui.kit.windows import ModalWindow

pytestmark = pytest.mark.gui


def icon_sizes(window) -> str:
    """The first icon's size in ``_NET_WM_ICON`` of ``window``'s X11 wrapper, as the window
    manager reads it (``""`` when the window has no icon)."""
    tree = subprocess.run(
        ["xwininfo", "-id", hex(window.winfo_id()), "-tree"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wrapper = re.search(r"Parent window id: (0x[0-9a-f]+)", tree).group(1)
    shown = subprocess.run(
        [
            "xprop",
            "-id",
            wrapper,
            "-notype",
            "-f",
            "_NET_WM_ICON",
            "32c",
            " $0x$1\n",
            "_NET_WM_ICON",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return shown.removeprefix("_NET_WM_ICON").strip() if "not found" not in shown else ""


def test_main_window_and_a_dialog_carry_our_icon(app: App) -> None:
    sizes = [(image.width(), image.height()) for image in app.bake_tracker_icons]
    assert sizes == [(256, 256), (48, 48), (32, 32), (16, 16)]
    if desktop.windowing_system(app) != "x11":
        return  # only an X server can be asked what the window manager sees (Linux CI)
    assert icon_sizes(app) == "256x256"
    dialog = ModalWindow(app)
    dialog.deiconify()
    dialog.update()
    try:
        assert icon_sizes(dialog) == "256x256"
    finally:
        dialog.destroy()


def test_the_icon_read_back_is_the_one_set_on_that_window(app: App) -> None:
    """The check above can fail: a window given only the 16-pixel image reports 16x16."""
    if desktop.windowing_system(app) != "x11":
        return
    dialog = ModalWindow(app)
    dialog.iconphoto(False, app.bake_tracker_icons[-1])
    dialog.deiconify()
    dialog.update()
    try:
        assert icon_sizes(dialog) == "16x16"
    finally:
        dialog.destroy()


def test_on_windows_each_new_window_gets_our_ico_again_after_customtkinters_logo(
    app: App,
) -> None:
    dialog = ModalWindow(app)
    calls: list[str] = []
    dialog.wm_iconbitmap = lambda bitmap=None, default=None: calls.append(bitmap)
    desktop.brand_toplevel(dialog, "win32")
    desktop.brand_toplevel(dialog, "win32")  # mapped again: not twice
    assert calls == [desktop.ico_path()]
    app.after(desktop.ICON_REAPPLY_MS + 50, app.quit)
    app.mainloop()
    assert calls == [desktop.ico_path()] * 2
    assert desktop.ICON_REAPPLY_MS > desktop.CTK_ICON_DELAY_MS
    dialog.destroy()


def test_elsewhere_new_windows_keep_the_default_icon(app: App) -> None:
    dialog = ModalWindow(app)
    calls: list[str] = []
    dialog.wm_iconbitmap = lambda bitmap=None, default=None: calls.append(bitmap)
    desktop.brand_toplevel(dialog, "x11")
    assert calls == []
    dialog.destroy()


def test_on_macos_every_control_shortcut_gets_a_command_twin(app: App) -> None:
    controls = [s for s in app.bind() if "Control-" in s]
    added = desktop.bind_command_keys(app, "aqua")
    assert sorted(added) == sorted(s.replace("Control-", "Command-") for s in controls)
    assert len(added) >= 9 + 2 + 6  # Ctrl+1..9, Ctrl+Q/q, Ctrl+I/E/B in both cases
    assert app.file_menu.entrycget("Exit", "accelerator") == "Cmd+Q"
    # Tk on X11 reads Command as Mod1: pressing it does what Ctrl+3 does.
    app.event_generate("<Mod1-Key-3>")
    app.update()
    assert app.tabs.get() == "Recipes"


def test_elsewhere_no_command_keys_are_added(app: App) -> None:
    assert desktop.bind_command_keys(app, "x11") == []
    assert not [s for s in app.bind() if "Mod1-" in s]
    assert app.file_menu.entrycget("Exit", "accelerator") == "Ctrl+Q"


def test_the_mac_quit_handler_runs_the_normal_closing_steps(app: App) -> None:
    app.ask_confirm.result = False
    app.tk.call(desktop.MAC_QUIT_COMMAND)
    assert app.ask_confirm.calls and not app.closed  # asked first, as File ▸ Exit does
    app.ask_confirm.result = True
    app.tk.call(desktop.MAC_QUIT_COMMAND)
    assert app.closed
