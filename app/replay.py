"""Replaying input into the real window: pen strokes as mouse events, text as key presses.

Shared by the tests, the latency benchmark and the README screenshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from app.canvas import DrawingCanvas


def canvas_to_widget(canvas: DrawingCanvas, x: float, y: float) -> QPointF:
    r = canvas._target()
    s = r.width() / canvas.width_px
    return QPointF(r.x() + x * s, r.y() + y * s)


def send_mouse(widget, kind: QMouseEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    ev = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)


def stroke_events(canvas: DrawingCanvas, strokes: Sequence[np.ndarray]) -> Iterable[tuple[str, QPointF]]:
    """("press" | "move" | "release", widget position) for strokes in canvas coordinates."""
    for s in strokes:
        pts = [canvas_to_widget(canvas, float(x), float(y)) for x, y in np.asarray(s).reshape(-1, 2)]
        if not pts:
            continue
        yield "press", pts[0]
        for p in pts[1:]:
            yield "move", p
        yield "release", pts[-1]


def send_stroke_event(canvas: DrawingCanvas, kind: str, pos: QPointF) -> None:
    left = Qt.MouseButton.LeftButton
    if kind == "press":
        send_mouse(canvas, QMouseEvent.Type.MouseButtonPress, pos, left)
    elif kind == "move":
        send_mouse(canvas, QMouseEvent.Type.MouseMove, pos, left)
    else:
        send_mouse(canvas, QMouseEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)


def draw(canvas: DrawingCanvas, strokes: Sequence[np.ndarray]) -> None:
    """Draw strokes through real mouse events, all at once."""
    for kind, pos in stroke_events(canvas, strokes):
        send_stroke_event(canvas, kind, pos)


def at_pace(steps: list, period_ms: float, then, parent=None) -> QTimer:
    """Call each of `steps` in turn, one every `period_ms` (as a hand or a typist would), then
    `then`, from the running event loop (not blocking it). Keep the returned timer alive; with a
    `parent` it ends with it (a window closed half way)."""
    timer = QTimer(parent)
    timer.setInterval(round(period_ms))
    left = list(steps)

    def tick() -> None:
        if left:
            left.pop(0)()
        else:
            timer.stop()
            then()

    timer.timeout.connect(tick)
    timer.start()
    return timer
