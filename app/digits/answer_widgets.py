"""Light widgets for the answer itself (probability bars, the 28x28 input with its saliency glow).

They repaint on every result, so they paint with plain QPainter calls (C++ doing the work) rather
than through pyqtgraph's Python scene: the worker shares the GIL with whatever paints here.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.legend import fitted_legend
from app.painting import argb_image, draw_text, draw_title, opaque_argb
from app.plots import lut


def glow_table(heat: np.ndarray) -> np.ndarray:
    """(256 grey levels, 256 saliency levels) -> opaque ARGB32: the grey input with the colour
    `heat` (a 256-entry RGBA table) laid over it, the more opaque the higher the saliency (up to 65%)."""
    grey = np.arange(256, dtype=np.float32)[:, None, None]
    s = np.arange(256, dtype=np.float32)[None, :, None] / 255.0
    a = 0.65 * s
    return opaque_argb(grey * (1 - a) + heat[None, :, :3].astype(np.float32) * a)


class ProbBars(QWidget):
    """Ten vertical bars, 0-9, heights in [0, 1]; the tallest highlighted. Emits `painted` after
    each paint, so the window can time input-to-answer-on-screen."""

    painted = Signal()
    digitClicked = Signal(int)  # a click on a digit's bar (or its label)
    TOP, LEFT = 16, 22  # the title above, the probability axis at the left

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probs = np.zeros(10, np.float32)
        self._cache: QPixmap | None = None
        self._hot, self._cold = QColor("#f0a030"), QColor("#4a90d9")
        self.setMinimumSize(160, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("Softmax output: the network's probability for each digit 0-9.")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints every pixel

    def digit_at(self, x: float) -> int | None:
        slot = (self.width() - self.LEFT) / 10
        i = int((x - self.LEFT) // slot) if x >= self.LEFT else -1
        return i if 0 <= i <= 9 else None

    def mousePressEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        d = self.digit_at(e.position().x())
        if d is not None and e.button() == Qt.MouseButton.LeftButton:
            self.digitClicked.emit(d)
        super().mousePressEvent(e)

    def set_probs(self, probs: np.ndarray) -> None:
        self.probs = np.asarray(probs, np.float32)
        self.update()

    def _backdrop(self) -> QPixmap:
        """Background, baseline and the digit labels, drawn once per size (text is the dear part)."""
        if self._cache is None or self._cache.size() != self.size():
            pm = QPixmap(self.size())
            pm.fill(QColor("#202020"))
            p = QPainter(pm)
            w, base, top = self.width(), self.height() - 18, self.TOP
            draw_title(p, "probability of each digit (softmax)" if w > 220 else "probability (softmax)", 0, w)
            p.setPen(QColor("#3a3a3a"))
            for v in (0.25, 0.5, 0.75, 1.0):  # the y axis: grid lines, labelled at the left
                y = base - v * (base - top)
                p.drawLine(QPointF(self.LEFT, y), QPointF(w, y))
            for v in (0.5, 1.0):
                draw_text(p, f"{v:g}", self.LEFT - 3, base - v * (base - top) - 6, "right", "#888888")
            draw_text(p, "0", self.LEFT - 3, base - 12, "right", "#888888")
            f = QFont()
            f.setPointSize(9)
            p.setFont(f)
            p.setPen(QColor("#555555"))
            p.drawLine(self.LEFT, base, w, base)
            p.setPen(QColor("#dddddd"))
            slot = (w - self.LEFT) / 10
            for i in range(10):
                p.drawText(QRectF(self.LEFT + i * slot, base, slot, 18), Qt.AlignmentFlag.AlignCenter, str(i))
            p.end()
            self._cache = pm
        return self._cache

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.drawPixmap(0, 0, self._backdrop())
        w, h = self.width(), self.height()
        base, top = h - 18, self.TOP
        slot = (w - self.LEFT) / 10
        best = int(np.argmax(self.probs)) if self.probs.max() > 0.15 else -1
        for i, v in enumerate(self.probs.tolist()):
            bh = v * (base - top)
            p.fillRect(
                QRectF(self.LEFT + i * slot + slot * 0.15, base - bh, slot * 0.7, bh),
                self._hot if i == best else self._cold,
            )
        p.end()
        self.painted.emit()


class InputView(QWidget):
    """The 28x28 network input, grey, with the saliency map glowing over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._blend = glow_table(lut("inferno"))
        self._image = argb_image(self._blend[np.zeros((28, 28), np.uint8), 0])
        self.show_saliency = True
        self.setMinimumSize(112, 112)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_input(self, img: np.ndarray, saliency: np.ndarray | None = None) -> None:
        # One lookup per pixel (grey level x glow level) instead of a dozen array operations:
        # this runs on the GUI thread for every prediction.
        g = (np.clip(img, 0, 1) * 255).astype(np.uint8)
        if saliency is not None and self.show_saliency:
            s = (np.clip(saliency, 0, 1) * 255).astype(np.uint8)
        else:
            s = np.zeros_like(g)
        self._image = argb_image(self._blend[g, s])
        self.update()

    TOP, BOTTOM = 14, 14  # the title; the legend of the glow

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202020"))
        draw_title(p, "what the network saw: 28 × 28", 0, self.width())
        box = QRectF(0, self.TOP, self.width(), max(1, self.height() - self.TOP - self.BOTTOM))
        side = min(box.width(), box.height())
        target = QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side)
        p.drawImage(target, self._image)  # nearest neighbour: the pixels the network saw stay visible
        if self.show_saliency:
            pm = fitted_legend("inferno", "low", "high", None, "saliency glow:", self.width() - 4)
            p.drawPixmap(
                QPointF(max(0.0, (self.width() - pm.width()) / 2), self.height() - self.BOTTOM + 1), pm
            )
        p.end()
