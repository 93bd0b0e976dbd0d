"""The window's colours: each a (light mode, dark mode) pair, as CustomTkinter takes them.

Text (muted, accent, error, notice, good), cards and tables, and the blue and red buttons. Tabs
and dialogs use these names rather than colour codes, so one change here recolours them all.
"""

from __future__ import annotations

from typing import Any

TEXT = ("gray10", "gray90")  # ordinary text, where a widget must name it
MUTED_TEXT = ("gray40", "gray65")
ACCENT_TEXT = ("#1F6AA5", "#5DADE2")
ERROR_TEXT = ("#C62828", "#EF5350")
NOTICE_TEXT = ("#8A4B00", "#FFB74D")  # advice, not an error
GOOD_TEXT = ("#2E7D32", "#66BB6A")  # done, enough, under budget
DONE_BAR = ("#43A047", "#2E7D32")  # a progress bar whose target is met

CARD_COLOR = ("gray92", "gray17")
# A card on a tab body, which is already gray17 in dark mode: one step lighter so it still shows.
TAB_CARD_COLOR = ("gray92", "gray22")
TABLE_BACKGROUND = ("white", "gray14")
INNER_TABLE: dict[str, Any] = {"border_width": 1, "border_color": ("gray82", "gray30")}

# The ttk tables (``kit.table``): ttk knows nothing of CustomTkinter's appearance, so the style is
# recoloured from these pairs whenever the appearance changes. Background matches TABLE_BACKGROUND.
TABLE_COLORS: dict[str, tuple[str, str]] = {
    "background": ("#FFFFFF", "#242424"),
    "foreground": ("#1A1A1A", "#E3E3E3"),
    "stripe": ("#F6F8FA", "#2B2E31"),
    "heading": ("#EEF1F4", "#33373B"),
    "heading_text": ("#333333", "#E0E0E0"),
    "heading_active": ("#E1E6EB", "#3D4246"),
    "selected": ("#3B8ED0", "#1F6AA5"),
    "selected_text": ("#FFFFFF", "#FFFFFF"),
    "muted": ("#9E9E9E", "#8C8C8C"),
    "expiring": ("#FCE4DC", "#4A2A20"),
    "expiring_text": ("#8A2A0B", "#FFB59E"),
    "border": ("#D1D1D1", "#4D4D4D"),
}
APPEARANCES = ("System", "Light", "Dark")  # View ▸ Appearance, as CustomTkinter names them


def mode_index(mode: str) -> int:
    """0 for CustomTkinter's "Light", 1 for "Dark": the index into a (light, dark) pair."""
    return 1 if mode.lower() == "dark" else 0


def table_color(name: str, mode: str) -> str:
    """A table colour for an appearance ("Light" or "Dark")."""
    return TABLE_COLORS[name][mode_index(mode)]


PRIMARY_COLOR = ("#3B8ED0", "#1F6AA5")  # CustomTkinter's blue theme
PRIMARY_DISABLED_COLOR = ("#A7C9E6", "#2B4C68")
DANGER_COLOR = ("#C62828", "#B71C1C")
DANGER_DISABLED_COLOR = ("#E9B3B3", "#5A2A2A")
DANGER_HOVER = ("#A31F1F", "#8E1515")
