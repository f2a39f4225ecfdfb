"""The Text page's live visuals, painted with plain QPainter calls.

They repaint at typing speed. Through pyqtgraph each heatmap was a PlotItem whose axis laid out
and drew its character ticks in Python (about 5 ms per panel and per refresh, most of the GUI
thread's time while typing); here a panel is one drawImage plus one small pixmap per character.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.plots import lut

BACKGROUND = QColor("#202020")
INK = QColor("#dddddd")
DIM = QColor("#888888")


def shown_char(c: str) -> str:
    """How a character is labelled under a column (space and newline made visible)."""
    return {" ": "␣", "\n": "⏎", "\t": "⇥"}.get(c, c)


class Glyphs:
    """Characters rendered once into small pixmaps: drawing a pixmap per column costs about 2 µs,
    drawText about 20 µs, and a label row has up to 120 columns in up to five panels."""

    def __init__(self, point_size: int = 8, color: QColor = INK) -> None:
        self.font = QFont()
        self.font.setPointSize(point_size)
        fm = QFontMetrics(self.font)
        self.height = fm.height()
        self.width = max(fm.horizontalAdvance("W"), fm.horizontalAdvance("␣"))
        self.color = color
        self._cache: dict[str, QPixmap] = {}

    def get(self, c: str) -> QPixmap:
        pm = self._cache.get(c)
        if pm is None:
            pm = QPixmap(self.width, self.height)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setFont(self.font)
            p.setPen(self.color)
            p.drawText(QRectF(0, 0, self.width, self.height), Qt.AlignmentFlag.AlignCenter, shown_char(c))
            p.end()
            self._cache[c] = pm
        return pm

    def row(self, p: QPainter, chars: str, x0: float, step: float, y: float) -> None:
        """Label columns of width `step` starting at x0; when columns are narrower than a glyph,
        only every k-th one is labelled."""
        every = max(1, int(np.ceil(self.width / max(step, 1e-6))))
        for i in range(0, len(chars), every):
            p.drawPixmap(QPointF(x0 + (i + 0.5) * step - self.width / 2, y), self.get(chars[i]))


_GLYPHS: Glyphs | None = None


def glyphs() -> Glyphs:
    """One shared glyph cache (needs a QApplication, so made on first use)."""
    global _GLYPHS
    if _GLYPHS is None:
        _GLYPHS = Glyphs()
    return _GLYPHS


def colour(mat: np.ndarray, table: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """A float matrix to a C-contiguous RGBA uint8 image through a 256-entry lookup table."""
    lo, hi = levels
    idx = ((np.nan_to_num(mat, nan=lo) - lo) * (255.0 / (hi - lo))).clip(0, 255).astype(np.uint8)
    return np.ascontiguousarray(table[idx])


class HeatMap(QWidget):
    """A units x characters heatmap: one row per unit, one column per character, the characters
    along the bottom."""

    LEFT, TOP, BOTTOM = 30, 16, 14

    def __init__(self, title: str, tooltip: str, cmap: str, levels: tuple[float, float]) -> None:
        super().__init__()
        self.title = title
        self.levels = levels
        self._table = lut(cmap)
        self.matrix: np.ndarray | None = None  # (units, characters) as shown, or None when empty
        self.chars = ""
        self._rgba: np.ndarray | None = None
        self.setToolTip(tooltip)
        self.setMinimumSize(160, 70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, mat: np.ndarray, chars: str) -> None:
        """mat is (T, H): shown as H rows (units) by T columns (characters)."""
        mat = np.asarray(mat, np.float32)
        if mat.ndim != 2 or mat.size == 0:
            self.matrix, self._rgba, self.chars = None, None, ""
        else:
            self.matrix = mat.T
            self._rgba = colour(self.matrix, self._table, self.levels)
            self.chars = chars
        self.update()

    def plot_rect(self) -> QRectF:
        return QRectF(
            self.LEFT,
            self.TOP,
            max(1, self.width() - self.LEFT - 4),
            max(1, self.height() - self.TOP - self.BOTTOM),
        )

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        g = glyphs()
        p.setFont(g.font)
        p.setPen(INK)
        p.drawText(QRectF(0, 0, self.width(), self.TOP), Qt.AlignmentFlag.AlignCenter, self.title)
        r = self.plot_rect()
        if self._rgba is None:
            p.setPen(DIM)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "type some text")
            p.end()
            return
        h, t = self._rgba.shape[:2]
        img = QImage(self._rgba.data, t, h, t * 4, QImage.Format.Format_RGBA8888)
        p.drawImage(r, img)  # nearest neighbour: one crisp cell per unit and character
        p.setPen(DIM)
        p.drawText(QRectF(0, r.top(), self.LEFT - 3, 12), Qt.AlignmentFlag.AlignRight, "0")
        p.drawText(QRectF(0, r.bottom() - 12, self.LEFT - 3, 12), Qt.AlignmentFlag.AlignRight, str(h - 1))
        g.row(p, self.chars, r.left(), r.width() / t, r.bottom() + 1)
        p.end()


class CharBars(QWidget):
    """One bar per symbol of the alphabet: the probability of each as the next character."""

    TOP, BOTTOM = 16, 14

    def __init__(self, title: str, tooltip: str) -> None:
        super().__init__()
        self.title = title
        self.alphabet = ""
        self.probs = np.zeros(0, np.float32)
        self._bar, self._best = QColor("#e0a040"), QColor("#f0d060")
        self.setToolTip(tooltip)
        self.setMinimumSize(160, 70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_probs(self, alphabet: str, probs: np.ndarray) -> None:
        self.alphabet = alphabet
        self.probs = np.asarray(probs, np.float32).reshape(-1)[: len(alphabet)]
        self.update()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        g = glyphs()
        p.setFont(g.font)
        p.setPen(INK)
        n = len(self.probs)
        title = self.title
        if n:
            best = int(np.argmax(self.probs))
            title += f": “{shown_char(self.alphabet[best])}” {self.probs[best]:.0%}"
        p.drawText(QRectF(0, 0, self.width(), self.TOP), Qt.AlignmentFlag.AlignCenter, title)
        if not n:
            p.end()
            return
        left, width = 4.0, self.width() - 8.0
        base, top = self.height() - self.BOTTOM, self.TOP + 2
        step = width / n
        for i, v in enumerate(self.probs.tolist()):
            bh = max(0.0, min(1.0, v)) * (base - top)
            if bh >= 0.5:
                p.fillRect(
                    QRectF(left + i * step + step * 0.1, base - bh, step * 0.8, bh),
                    self._best if i == best else self._bar,
                )
        g.row(p, self.alphabet, left, step, base + 1)
        p.end()
