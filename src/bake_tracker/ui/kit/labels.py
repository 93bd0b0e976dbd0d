"""Labels in the app's styles besides plain text: bold section headings, muted hints and notices
(advice in orange: what is missing and where to add it)."""

from __future__ import annotations

from typing import Any

import customtkinter as ctk

from bake_tracker.ui.kit.theme import MUTED_TEXT, NOTICE_TEXT


def section_label(master, text: str) -> ctk.CTkLabel:
    """A bold heading for a group of widgets."""
    return ctk.CTkLabel(master, text=text, font=ctk.CTkFont(size=15, weight="bold"), anchor="w")


def muted_label(master, text: str = "", **kwargs: Any) -> ctk.CTkLabel:
    """Secondary text (hints, counts)."""
    options: dict[str, Any] = {"text_color": MUTED_TEXT, "anchor": "w"} | kwargs
    return ctk.CTkLabel(master, text=text, **options)


def notice_label(master, text: str = "") -> ctk.CTkLabel:
    """Advice in orange: what is missing and where to add it."""
    return ctk.CTkLabel(
        master, text=text, text_color=NOTICE_TEXT, anchor="w", justify="left", wraplength=420
    )
