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
TABLE_BACKGROUND = ("white", "gray14")
INNER_TABLE: dict[str, Any] = {"border_width": 1, "border_color": ("gray82", "gray30")}

PRIMARY_COLOR = ("#3B8ED0", "#1F6AA5")  # CustomTkinter's blue theme
PRIMARY_DISABLED_COLOR = ("#A7C9E6", "#2B4C68")
DANGER_COLOR = ("#C62828", "#B71C1C")
DANGER_DISABLED_COLOR = ("#E9B3B3", "#5A2A2A")
DANGER_HOVER = ("#A31F1F", "#8E1515")
