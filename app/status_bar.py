"""The window's status bar: a message that does not fit beside the permanent labels is cut with "…"
(Qt drew it on into the labels, mid-word); `message()` is the whole of it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar


class StatusBar(QStatusBar):
    def __init__(self) -> None:
        super().__init__()
        self._whole = ""
        self.messageChanged.connect(self._changed)

    def room(self) -> int:
        """Pixels left of the permanent labels for a message."""
        labels = [
            w for w in self.children() if hasattr(w, "isVisible") and w.isWidgetType() and w.isVisible()
        ]
        left = min((w.x() for w in labels if w.x() > 0), default=self.width())
        return max(0, left - 16)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        self._whole = text
        shown = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, self.room())
        super().showMessage(shown, timeout)

    def message(self) -> str:
        """The message shown, whole ("" when none)."""
        return self._whole

    def _changed(self, text: str) -> None:
        if not text:  # timed out or cleared
            self._whole = ""
