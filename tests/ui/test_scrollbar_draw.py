"""``ui.scrollbar_draw``: a CustomTkinter scrollbar redraws without laying the window out."""

from __future__ import annotations

import customtkinter as ctk

import bake_tracker.ui  # noqa: F401  (importing the UI package applies the change)


def test_a_scrollbar_redraw_leaves_the_windows_pending_work_to_the_event_loop() -> None:
    root = ctk.CTk()
    try:
        bar = ctk.CTkScrollbar(root)
        bar.pack()
        root.update()
        ran: list[str] = []
        root.after_idle(lambda: ran.append("idle work"))
        bar.set(0.25, 0.5)  # CustomTkinter's own _draw would run the idle work right here
        bar.configure(button_color="#123456")  # a configure redraws too
        assert ran == []
        assert "update_idletasks" not in vars(bar._canvas)  # the canvas's own method is back
        root.update()
        assert ran == ["idle work"]
        assert bar.get() == (0.25, 0.5)
        # the thumb is drawn where set() put it: from a quarter down to half way
        _left, top, _right, bottom = bar._canvas.bbox("scrollbar_parts")
        height = bar._canvas.winfo_height()
        assert abs(top - height * 0.25) < 12 and abs(bottom - height * 0.5) < 12
        assert bar._canvas.itemcget("scrollbar_parts", "fill") == "#123456"
    finally:
        root.destroy()
