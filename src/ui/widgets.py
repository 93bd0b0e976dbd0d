"""Small reusable widgets shared by the tabs and dialogs of the main window."""

from __future__ import annotations

import customtkinter as ctk

MUTED_TEXT = ("gray40", "gray65")
CARD_COLOR = ("gray92", "gray17")


class PlaceholderTab(ctk.CTkFrame):
    """The empty state of a tab not built yet: its title, its purpose and "Coming soon"."""

    def __init__(self, master, title: str, description: str) -> None:
        super().__init__(master, fg_color="transparent")
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=2)  # the card sits a little above the middle
        self.grid_rowconfigure(2, weight=3)
        card = ctk.CTkFrame(self, fg_color=CARD_COLOR, corner_radius=12)
        card.grid(row=1, column=0, padx=40, pady=20)
        self.title_label = ctk.CTkLabel(card, text=title, font=ctk.CTkFont(size=24, weight="bold"))
        self.title_label.pack(padx=48, pady=(32, 8))
        self.description_label = ctk.CTkLabel(
            card, text=description, font=ctk.CTkFont(size=15), wraplength=560, justify="center"
        )
        self.description_label.pack(padx=48, pady=(0, 16))
        self.status_label = ctk.CTkLabel(
            card,
            text="Coming soon",
            font=ctk.CTkFont(size=13, slant="italic"),
            text_color=MUTED_TEXT,
        )
        self.status_label.pack(padx=48, pady=(0, 32))

    @property
    def texts(self) -> tuple[str, str, str]:
        """The title, description and status texts as shown (for tests and screen readers)."""
        labels = (self.title_label, self.description_label, self.status_label)
        return tuple(label.cget("text") for label in labels)  # type: ignore[return-value]


class MainTabview(ctk.CTkTabview):
    """A ``CTkTabview`` whose tab buttons are sized for a main window rather than a small panel."""

    _button_height = 34

    def __init__(self, master, **kwargs) -> None:
        super().__init__(master, **kwargs)
        self._segmented_button.configure(font=ctk.CTkFont(size=14))
