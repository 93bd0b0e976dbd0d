"""The keyboard in every window: Tab order, a focus ring, Space and Return on controls, Ctrl+A.

Tk's Tab traversal reaches entries and text boxes only: CustomTkinter's buttons, drop-downs,
check boxes and segmented buttons are frames with a canvas and a label, which Tk skips. This
module makes them reachable and usable without a mouse, once for every window:

- ``install_keyboard(root)`` (the main window calls it once) replaces the application-wide Tab
  and Shift-Tab bindings: before moving, the window holding the focus is ``prepare``\\ d, so
  widgets built since (a dialog's rows, a refilled panel) take part too. Tab in a text box moves
  on instead of typing a tab character (no box in this app wants one). Ctrl+A (Command-A on
  macOS) selects all the text of an entry or text box.
- ``prepare(window)`` makes each CustomTkinter control focusable while it is enabled and shown,
  in the order the widgets were created (the reading order of a form), draws a focus ring while
  it has the focus, and binds its keys: Space (and Return) press a button, Space opens a
  drop-down and Up/Down step through its choices, Space ticks a check box. A tab view's tab bar
  is one stop, the current tab's button; Left/Right there show the previous/next tab.
- A window with a ``keyboard_default_action`` method (a form's Save): Return anywhere in it, a
  Notes box included, runs it. The rule for Notes: Return saves like in every other field,
  Shift-Return (or Ctrl-Return) starts a new line, so focus can always leave a Notes box and
  Return means the same everywhere in a form.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from typing import Any

import customtkinter as ctk

FOCUS_RING = ("#E65100", "#FFB74D")  # amber: seen on blue buttons, white fields and dark mode
RING_WIDTH = 2
RING_TAG = "keyboard_focus_ring"
PREPARED = "_keyboard_prepared"
DEFAULT_ACTION = "keyboard_default_action"  # a method: stored, a bound method would be a cycle

# Controls Tk's traversal skips, and what Space does on each.
PRESSABLE = (ctk.CTkButton,)
TOGGLES = (ctk.CTkCheckBox, ctk.CTkSwitch, ctk.CTkRadioButton)
MENUS = (ctk.CTkOptionMenu,)
CONTROLS = PRESSABLE + TOGGLES + MENUS


def install_keyboard(root: tk.Misc) -> None:
    """Bind the application-wide keys once (Tab, Shift-Tab, Tab in text boxes, Ctrl+A)."""
    root = root._root()  # the Tk root owns class bindings
    if getattr(root, PREPARED, False):
        return
    setattr(root, PREPARED, True)
    root.bind_class("all", "<Tab>", lambda event: _traverse(event.widget, forward=True))
    # Tk 8.6 sends Tab as the virtual <<NextWindow>> too, and its own binding of that (a plain
    # tk_focusNext, with no prepare) won in the main window: Tab there only went between the
    # search field and the table, never to a button. Both names go through ``_traverse``.
    root.bind_class("all", "<<NextWindow>>", lambda event: _traverse(event.widget, forward=True))
    root.bind_class("all", "<<PrevWindow>>", lambda event: _traverse(event.widget, forward=False))
    root.bind_class("Text", "<Tab>", lambda event: _traverse(event.widget, forward=True))
    root.bind_class("Text", "<Shift-Tab>", lambda event: _traverse(event.widget, forward=False))
    select_keys = ["<Control-a>", "<Control-A>"]
    if root.tk.call("tk", "windowingsystem") == "aqua":
        select_keys += ["<Command-a>", "<Command-A>"]
    for key in select_keys:
        root.bind_class("Entry", key, _select_all_entry)
        root.bind_class("TEntry", key, _select_all_entry)
        root.bind_class("TCombobox", key, _select_all_entry)
        root.bind_class("Text", key, _select_all_text)


def shortcut_keys(widget: tk.Misc, key: str, system: str | None = None) -> list[str]:
    """The bindings of the shortcut Ctrl+``key`` (either case), and Command+``key`` on macOS
    (``system`` "aqua", Tk's name for it; the widget's own by default), where Command is what
    people press."""
    keys = [f"<Control-{key.lower()}>", f"<Control-{key.upper()}>"]
    system = system or widget.tk.call("tk", "windowingsystem")
    if system == "aqua":
        keys += [f"<Command-{key.lower()}>", f"<Command-{key.upper()}>"]
    return keys


def prepare(window: tk.Misc) -> None:
    """Make every CustomTkinter control in ``window`` reachable and usable by keyboard."""
    action = getattr(window, DEFAULT_ACTION, None)
    for widget in _descendants(window):
        if getattr(widget, PREPARED, False):
            continue
        if isinstance(widget, CONTROLS):
            _prepare_control(widget)
        elif isinstance(widget, tk.Text) and action is not None:
            _prepare_text(widget, action)
        else:
            continue
        setattr(widget, PREPARED, True)


def focus_target(widget: Any) -> tk.Misc:
    """The Tk widget that holds the keyboard focus for a CustomTkinter control (its label, where
    ``focus_set`` sends it, else its canvas)."""
    label = getattr(widget, "_text_label", None)
    return label if label is not None else widget._canvas


def owner_control(widget: tk.Misc) -> Any:
    """The CustomTkinter control a focused part belongs to (the widget itself otherwise)."""
    parent = widget.master
    if isinstance(parent, CONTROLS) and focus_target(parent) is widget:
        return parent
    if isinstance(parent, ctk.CTkEntry | ctk.CTkComboBox) and parent._entry is widget:
        return parent
    if isinstance(parent, ctk.CTkTextbox) and parent._textbox is widget:
        return parent
    return widget


# --- traversal ------------------------------------------------------------------------------------


def _traverse(widget: tk.Misc, *, forward: bool) -> str:
    """Move the focus to the next (previous) control, preparing the window first."""
    if isinstance(widget, str):  # an event on a widget tkinter does not know (a menu)
        return "break"
    prepare(widget.winfo_toplevel())
    step = (lambda w: w.tk_focusNext()) if forward else (lambda w: w.tk_focusPrev())
    target = step(widget)
    # never onto a control the user cannot see (a hidden tab's, which Tk offered once the
    # window's controls had just been prepared): step on until a shown one, or give up
    for _ in range(500):
        if target is None or target is widget or target.winfo_viewable():
            break
        target = step(target)
    if target is not None and target.winfo_viewable():
        widget.tk.call("tk::TabToWindow", str(target))
    return "break"


def _descendants(widget: tk.Misc) -> Iterator[tk.Misc]:
    if isinstance(widget, ctk.CTkTabview):  # its winfo_children() leaves out its tab bar
        yield widget._segmented_button
        yield from _descendants(widget._segmented_button)
    for child in widget.winfo_children():
        yield child
        if not isinstance(child, tk.Toplevel):  # another window prepares itself
            yield from _descendants(child)


# --- tab bars -------------------------------------------------------------------------------------


def _tab_bar(control: Any) -> ctk.CTkSegmentedButton | None:
    """The tab bar ``control`` is a tab button of (a tab view's segmented button), else None."""
    bar = control.master
    if isinstance(bar, ctk.CTkSegmentedButton) and isinstance(bar.master, ctk.CTkTabview):
        return bar
    return None


def _is_current_tab(bar: ctk.CTkSegmentedButton, control: Any) -> bool:
    return bar._buttons_dict.get(bar.get()) is control


def step_tab(bar: ctk.CTkSegmentedButton, step: int) -> str:
    """Left/Right on the focused tab button: show the previous/next tab, as clicking it does,
    and move the focus onto its button (a tab bar is one Tab stop: the current tab's button)."""
    buttons = list(bar._buttons_dict.values())
    current = bar._buttons_dict.get(bar.get())
    index = buttons.index(current) + step if current in buttons else 0
    if 0 <= index < len(buttons):
        buttons[index].invoke()
        focus_target(buttons[index]).focus_set()
    return "break"


# --- controls -------------------------------------------------------------------------------------


def _prepare_control(control: Any) -> None:
    target = focus_target(control)
    bar = _tab_bar(control)

    def can_take_focus(_path: str = "") -> int:
        enabled = str(control.cget("state")) != "disabled"
        if bar is not None and not _is_current_tab(bar, control):
            return 0  # a tab bar is one stop; Left/Right move along it
        return int(enabled and bool(target.winfo_viewable()))

    target.configure(takefocus=can_take_focus)
    target.bind("<space>", lambda _event: _activate(control))
    if isinstance(control, PRESSABLE):  # Return presses the focused button, not the default
        target.bind("<Return>", lambda _event: _activate(control))
        target.bind("<KP_Enter>", lambda _event: _activate(control))
    if bar is not None:
        target.bind("<Left>", lambda _event: step_tab(bar, -1))
        target.bind("<Right>", lambda _event: step_tab(bar, 1))
    if isinstance(control, MENUS):
        target.bind("<Down>", lambda _event: step_choice(control, 1))
        target.bind("<Up>", lambda _event: step_choice(control, -1))
        target.bind("<Alt-Down>", lambda _event: _activate(control))
    target.bind("<FocusIn>", lambda _event: _show_ring(control, True), add="+")
    target.bind("<FocusOut>", lambda _event: _show_ring(control, False), add="+")


def _activate(control: Any) -> str:
    """What Space does: press a button, tick a box, open a drop-down (enabled ones only)."""
    if str(control.cget("state")) == "disabled":
        return "break"
    if isinstance(control, MENUS):
        control._open_dropdown_menu()  # the click handler's own call
    elif isinstance(control, ctk.CTkRadioButton):
        control.invoke()
    elif isinstance(control, TOGGLES):
        control.toggle()
    else:
        control.invoke()
    return "break"


def step_choice(menu: ctk.CTkOptionMenu, step: int) -> str:
    """Up/Down on a focused drop-down: choose the previous/next value, as choosing it from the
    list does (its command runs, so fields that follow the choice follow)."""
    values = list(menu.cget("values"))
    if str(menu.cget("state")) == "disabled" or not values:
        return "break"
    current = menu.get()
    index = values.index(current) + step if current in values else 0
    if 0 <= index < len(values) and values[index] != current:
        menu._dropdown_callback(values[index])  # what a click on the entry runs
    return "break"


def _show_ring(control: Any, shown: bool) -> None:
    """A ring in the focus colour while ``control`` has the focus: a border on buttons, an
    outline on the canvas of the others."""
    if not control.winfo_exists():
        return
    if isinstance(control, PRESSABLE):
        _button_ring(control, shown)
        return
    canvas = control._canvas
    canvas.delete(RING_TAG)
    if shown:
        color = FOCUS_RING[1] if ctk.get_appearance_mode() == "Dark" else FOCUS_RING[0]
        width, height = canvas.winfo_width(), canvas.winfo_height()
        canvas.create_rectangle(
            1, 1, width - 2, height - 2, outline=color, width=RING_WIDTH, tags=RING_TAG
        )


def _button_ring(button: ctk.CTkButton, shown: bool) -> None:
    saved = getattr(button, "_keyboard_saved_border", None)
    if shown and saved is None:
        button._keyboard_saved_border = (button.cget("border_width"), button.cget("border_color"))
        ctk.CTkButton.configure(button, border_width=RING_WIDTH, border_color=FOCUS_RING)
    elif not shown and saved is not None:
        button._keyboard_saved_border = None
        ctk.CTkButton.configure(button, border_width=saved[0], border_color=saved[1])


def has_focus_ring(control: Any) -> bool:
    """True while ``control`` shows the focus ring (tests read it)."""
    if isinstance(control, PRESSABLE):
        return getattr(control, "_keyboard_saved_border", None) is not None
    return bool(control._canvas.find_withtag(RING_TAG))


# --- text boxes and entries -----------------------------------------------------------------------


def _prepare_text(text: tk.Text, action: Callable[[], Any]) -> None:
    def run(_event: tk.Event) -> str:
        action()
        return "break"

    def new_line(_event: tk.Event) -> str:
        text.insert("insert", "\n")
        text.see("insert")
        return "break"

    text.bind("<Return>", run)
    text.bind("<KP_Enter>", run)
    text.bind("<Shift-Return>", new_line)
    text.bind("<Control-Return>", new_line)


def _select_all_entry(event: tk.Event) -> str:
    widget = event.widget
    widget.selection_range(0, "end")
    widget.icursor("end")
    return "break"


def _select_all_text(event: tk.Event) -> str:
    widget = event.widget
    widget.tag_add("sel", "1.0", "end-1c")
    widget.mark_set("insert", "end-1c")
    return "break"
