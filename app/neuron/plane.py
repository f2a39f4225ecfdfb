"""The plane of the neuron page: the points (white-edged for training, black-edged for testing), the network's
decision surface behind them (each class's colour, paler where it is less sure), a single neuron's
decision line, and the mouse: left click adds a point of the chosen class, right click removes the
nearest, and the point under the pointer is reported for the formula."""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.painting import argb_image, fit_rect
from engine.neuron.data import EXTENT

CLASS_COLOURS = ("#3b78d8", "#f0a030", "#4cb04c")
_RGB = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in CLASS_COLOURS], np.float32)


def surface_image(probs: np.ndarray) -> QImage:
    """(n, n) probability of class 1, or (n, n, 3) class probabilities, as each class's colour mixed by
    probability and faded towards grey where the network is unsure."""
    p = np.stack([1 - probs, probs], -1) if probs.ndim == 2 else probs
    rgb = p @ _RGB[: p.shape[-1]]
    sure = (p.max(-1, keepdims=True) - 1 / p.shape[-1]) / (1 - 1 / p.shape[-1])
    rgb = 40 + (rgb - 40) * (0.35 + 0.45 * sure)  # dark background, the class showing through
    r, g, b = (rgb[..., i].astype(np.uint32) for i in range(3))
    return argb_image((0xFF << 24) | (r << 16) | (g << 8) | b)


DOT = 5  # a point's sprite is (2 DOT + 1) pixels square


@functools.cache
def dot(cls: int, held: bool) -> QPixmap:
    """One point, antialiased once: its class's colour, edged white (training) or black (testing)."""
    pm = QPixmap(2 * DOT + 1, 2 * DOT + 1)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#000000" if held else "#ffffff"), 1.2))
    p.setBrush(QColor(CLASS_COLOURS[cls]).lighter(115))
    p.drawEllipse(QPointF(DOT + 0.5, DOT + 0.5), 3.4, 3.4)
    p.end()
    return pm


class PlaneView(QWidget):
    pointAdded = Signal(float, float)  # (x1, x2): a left click
    pointRemoved = Signal(int)  # the index of the point nearest a right click
    hovered = Signal(float, float)  # the point under the pointer
    painted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setMouseTracking(True)
        self.setMinimumSize(220, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("The points and the network's decision surface behind them. Left click: add a point "
                        "of the chosen class; right click: remove the nearest point.")  # fmt: skip
        self.x = np.zeros((0, 2))
        self.y = np.zeros(0, np.int64)
        self.test = np.zeros(0, bool)  # which points are kept for testing
        self.surface: QImage | None = None
        self.line: tuple[float, float, float] | None = None  # w1, w2, b of a single neuron's line
        self.pointer: tuple[float, float] | None = None
        self._dots: QPixmap | None = None  # the points, drawn once per change of them or of the size

    def set_points(self, x: np.ndarray, y: np.ndarray, test: np.ndarray) -> None:
        if x is not self.x or y is not self.y or test is not self.test:
            self._dots = None  # drawn again at the next paint; while it trains they stay as they are
        self.x, self.y, self.test = x, y, test
        self.update()

    def set_surface(self, probs: np.ndarray, line: tuple[float, float, float] | None) -> None:
        self.surface = surface_image(probs)
        self.line = line
        self.update()

    # ---------------------------------------------------------------- coordinates
    def frame(self) -> QRectF:
        return fit_rect(1, 1, QRectF(self.rect()).adjusted(4, 4, -4, -4))

    def to_screen(self, x1: float, x2: float) -> QPointF:
        r = self.frame()
        return QPointF(
            r.left() + (x1 + EXTENT) / (2 * EXTENT) * r.width(),
            r.top() + (EXTENT - x2) / (2 * EXTENT) * r.height(),
        )

    def to_plane(self, p: QPointF) -> tuple[float, float] | None:
        r = self.frame()
        if not r.contains(p):
            return None
        return (
            -EXTENT + (p.x() - r.left()) / r.width() * 2 * EXTENT,
            EXTENT - (p.y() - r.top()) / r.height() * 2 * EXTENT,
        )

    # ---------------------------------------------------------------- events
    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        at = self.to_plane(e.position())
        if at is None:
            return
        if e.button() == Qt.MouseButton.LeftButton:
            self.pointAdded.emit(*at)
        elif e.button() == Qt.MouseButton.RightButton and len(self.x):
            d = np.hypot(self.x[:, 0] - at[0], self.x[:, 1] - at[1])
            self.pointRemoved.emit(int(d.argmin()))

    def mouseMoveEvent(self, e: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        at = self.to_plane(e.position())
        if at is not None:
            self.pointer = at
            self.hovered.emit(*at)

    def paintEvent(self, _e) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202020"))
        r = self.frame()
        if self.surface is not None:
            p.drawImage(r, self.surface)
        p.setPen(QPen(QColor("#606060"), 1))
        p.drawLine(self.to_screen(-EXTENT, 0), self.to_screen(EXTENT, 0))
        p.drawLine(self.to_screen(0, -EXTENT), self.to_screen(0, EXTENT))
        if self.line is not None:
            self._draw_line(p)
        p.drawPixmap(0, 0, self._points_layer())
        p.end()
        self.painted.emit()

    def _points_layer(self) -> QPixmap:
        """The points on a transparent layer: 500 antialiased circles cost more than all the rest of
        a frame, and they do not move while the network trains."""
        if self._dots is None or self._dots.size() != self.size():
            pm = QPixmap(self.size())
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            r = self.frame()
            sx = r.left() + (self.x[:, 0] + EXTENT) / (2 * EXTENT) * r.width() - DOT
            sy = r.top() + (EXTENT - self.x[:, 1]) / (2 * EXTENT) * r.height() - DOT
            sprites = {(c, h): dot(c, h) for c in range(3) for h in (False, True)}
            for a, b, c, held in zip(
                sx.tolist(), sy.tolist(), self.y.tolist(), self.test.tolist(), strict=True
            ):
                p.drawPixmap(QPointF(a, b), sprites[c, held])
            p.end()
            self._dots = pm
        return self._dots

    def _draw_line(self, p: QPainter) -> None:
        """w1 x1 + w2 x2 + b = 0, clipped to the plane."""
        w1, w2, b = self.line
        if abs(w2) > abs(w1):
            ends = [(x1, -(w1 * x1 + b) / w2) for x1 in (-EXTENT, EXTENT)]
        elif abs(w1) > 1e-9:
            ends = [(-(w2 * x2 + b) / w1, x2) for x2 in (-EXTENT, EXTENT)]
        else:
            return
        p.setPen(QPen(QColor("#ffffff"), 2, Qt.PenStyle.DashLine))
        p.setClipRect(self.frame())
        p.drawLine(self.to_screen(*ends[0]), self.to_screen(*ends[1]))
        p.setClipping(False)
