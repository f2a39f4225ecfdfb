"""What am I looking at: a line above the status bar that says, in plain words, what the view under the
pointer (or, from the keyboard, the one with the focus) shows, with the glossary's words for its
jargon. It reads the views' own tooltips, so a new view is explained by writing its tooltip."""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from app.guide import glossary_for
from app.painting import LiveText

TAG = re.compile(r"<[^>]+>")
IDLE = "Point at a view to see what it shows here (View > Explain what I point at, Shift+F1, turns this off)"


def explanation(widget: QWidget | None, stop: QWidget) -> str:
    """The nearest tooltip from `widget` up to `stop`, plain text, with glossary notes; "" for none."""
    w = widget
    while w is not None and w is not stop:
        tip = w.toolTip()
        if tip:
            text = " ".join(TAG.sub("", tip).split())
            notes = "; ".join(f"{term}: {meaning}" for term, meaning in glossary_for(text, 2))
            return f"{text}  [{notes}]" if notes else text
        w = w.parentWidget()
    return ""


class ExplainLine(LiveText):
    """Looks at the widget under the pointer a few times a second (a timer, not an event filter: no
    Python call per event while drawing at 120 Hz), and at the focus when it moves."""

    POLL_MS = 250

    def __init__(self, window: QWidget) -> None:
        super().__init__(IDLE, name="What this is")  # one line, cut with "…": a small window keeps its room
        self.window_ = window
        self._last: QWidget | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._look)
        self._timer.start()
        # A bound method, not a lambda: Qt drops the connection when this line is deleted.
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def set_on(self, on: bool) -> None:
        self.setVisible(on)
        self._timer.start() if on else self._timer.stop()

    def _look(self) -> None:
        if not self.window_.isActiveWindow():
            return
        w = QApplication.widgetAt(QCursor.pos())
        if w is not None and w is not self._last:
            self._last = w
            self._explain(w)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._explain(new)

    def _explain(self, w: QWidget | None) -> None:
        if w is None or not self.isVisible() or w.window() is not self.window_:
            return
        text = explanation(w, self.window_)
        if text:
            self.setText(text)
