"""The window's status bar: a message that does not fit beside the permanent labels is cut with "…"
(Qt drew it on into the labels, mid-word); `message()` is the whole of it."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QStatusBar


class StatusBar(QStatusBar):
    def __init__(self) -> None:
        super().__init__()
        self._whole = ""
        self._until: float | None = None  # when the message times out (None: it stays)
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
        self._until = time.monotonic() + timeout / 1000 if timeout else None
        self._fit(timeout)

    def _fit(self, timeout: int) -> None:
        shown = self.fontMetrics().elidedText(self._whole, Qt.TextElideMode.ElideRight, self.room())
        super().showMessage(shown, timeout)

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(e)
        if self._whole:  # after the labels have moved: cut afresh for the new width
            QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        if self._whole:  # for the time it has left
            left = 0 if self._until is None else max(1, int((self._until - time.monotonic()) * 1000))
            self._fit(left)

    def message(self) -> str:
        """The message shown, whole ("" when none)."""
        return self._whole

    def _changed(self, text: str) -> None:
        if not text:  # timed out or cleared
            self._whole = ""
