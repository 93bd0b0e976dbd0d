"""What makes the window a desktop app on each system: our icon on every window, Command-key
shortcuts and the Quit handler on macOS.

``install(app)`` is called once by ``App``. The icon is set with ``iconphoto -default`` on the
root, which X11 and macOS apply to every later window (dialogs and message boxes included). On
Windows CustomTkinter replaces the icon of every window with its own logo 200 ms after the window
is made (``CTk`` unless ``iconbitmap`` was called; ``CTkToplevel`` always), so there each window
gets our ``.ico`` through ``iconbitmap`` when it is mapped and once more after that delay.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable
from importlib.resources import as_file, files

ICON_SIZES = (256, 48, 32, 16)  # largest first: the window manager picks what it needs
ICO_NAME = "bake-tracker.ico"
CTK_ICON_DELAY_MS = 200  # CustomTkinter's own delay before it sets its logo on Windows
ICON_REAPPLY_MS = CTK_ICON_DELAY_MS + 100
MAC_QUIT_COMMAND = "tk::mac::Quit"

log = logging.getLogger("bake_tracker.ui")


def windowing_system(widget: tk.Misc) -> str:
    """``x11``, ``win32`` or ``aqua``."""
    return str(widget.tk.call("tk", "windowingsystem"))


def is_maximised(window: tk.Wm) -> bool:
    """True while the window fills the screen by the maximise button (``zoomed``: a state on
    Windows and macOS, a window-manager attribute on X11)."""
    if windowing_system(window) == "x11":
        return bool(int(window.attributes("-zoomed")))
    return window.state() == "zoomed"


def maximise(window: tk.Wm) -> None:
    """What the maximise button does (the normal size and place are kept for un-maximising)."""
    if windowing_system(window) == "x11":
        window.attributes("-zoomed", True)
    else:
        window.state("zoomed")


def icon_images(root: tk.Misc) -> list[tk.PhotoImage]:
    """Our icon as Tk images, one per size (Tk 8.6 reads PNG itself; no Pillow needed)."""
    assets = files("bake_tracker.assets")
    images = []
    for size in ICON_SIZES:
        with as_file(assets / f"icon-{size}.png") as path:
            images.append(tk.PhotoImage(master=root, file=str(path), name=f"bake_tracker_{size}"))
    return images


def ico_path() -> str:
    """The ``.ico`` file on disk (the package is installed as files, or unpacked by the bundle)."""
    return str(files("bake_tracker.assets") / ICO_NAME)


def set_icon(root: tk.Tk, system: str | None = None) -> list[tk.PhotoImage]:
    """Put our icon on ``root`` and, as the default, on every window made after it; returns the
    images (kept on the root too: Tk forgets an image Python no longer references)."""
    system = system or windowing_system(root)
    images = icon_images(root)
    root.iconphoto(True, *images)
    root.bake_tracker_icons = images  # type: ignore[attr-defined]
    if system == "win32":
        root.wm_iconbitmap(default=ico_path())  # also stops CTk's own logo on the root
    root.bind_class("Toplevel", "<Map>", lambda event: brand_toplevel(event.widget, system), "+")
    return images


def brand_toplevel(window: tk.Misc, system: str) -> None:
    """On Windows, give a newly shown window our icon now and again once CustomTkinter has put
    its logo on it; elsewhere the root's default icon is already there."""
    if system != "win32" or not isinstance(window, tk.Toplevel):
        return
    if getattr(window, "bake_tracker_branded", False):
        return
    window.bake_tracker_branded = True  # type: ignore[attr-defined]
    icon = ico_path()

    def apply() -> None:
        if window.winfo_exists():
            window.wm_iconbitmap(icon)

    apply()
    window.after(ICON_REAPPLY_MS, apply)


def bind_command_keys(root: tk.Misc, system: str | None = None) -> list[str]:
    """On macOS, give every Control shortcut of ``root`` a Command twin with the same action and
    relabel menu accelerators ``Ctrl+`` as ``Cmd+``; returns the sequences bound."""
    if (system or windowing_system(root)) != "aqua":
        return []
    added = []
    for sequence in root.bind():
        if "Control-" not in sequence:
            continue
        twin = sequence.replace("Control-", "Command-")
        root.tk.call("bind", root._w, twin, root.bind(sequence))  # the same Tcl script
        added.append(twin)
    relabel_accelerators(root.nametowidget(root.cget("menu")) if root.cget("menu") else None)
    return added


def relabel_accelerators(menu: tk.Menu | None) -> None:
    """``Ctrl+X`` → ``Cmd+X`` in ``menu`` and its submenus (what a Mac user presses)."""
    if menu is None or menu.index("end") is None:
        return
    for index in range(menu.index("end") + 1):
        kind = menu.type(index)
        if kind == "cascade":
            relabel_accelerators(menu.nametowidget(menu.entrycget(index, "menu")))
        elif kind in ("command", "checkbutton", "radiobutton"):
            accelerator = menu.entrycget(index, "accelerator")
            if accelerator.startswith("Ctrl+"):
                menu.entryconfigure(index, accelerator="Cmd+" + accelerator[len("Ctrl+") :])


def set_quit_handler(root: tk.Misc, on_quit: Callable[[], None]) -> None:
    """macOS calls ``tk::mac::Quit`` for Cmd-Q, the app menu's Quit and logging out; without it Tk
    would end at once and skip the app's closing steps (background job, database)."""
    root.createcommand(MAC_QUIT_COMMAND, on_quit)


def install(app: tk.Tk, on_quit: Callable[[], None]) -> None:
    """Icon, macOS shortcuts and the Quit handler, once the menu and key bindings exist."""
    system = windowing_system(app)
    try:
        set_icon(app, system)
    except (tk.TclError, OSError) as exc:  # a missing icon file must never stop the app
        log.warning("the window icon could not be set: %s", exc)
    bind_command_keys(app, system)
    set_quit_handler(app, on_quit)
