"""The Text page's strip that follows one unit of the RNN along the sentence, letter by letter.

A heatmap of 192 units reads as a texture; one unit followed along the text shows what it
responds to (LSTMVis's idea). Each letter is drawn on a cell coloured by the unit's hidden value,
and the unit's gates run beneath, one thin row each, on the same columns.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.painting import BACKGROUND, INK, colour_image, draw_text, shown_char, small_font
from app.plots import lut, lut_index
from app.text_views import value_text

# (row name, the unit's value after each character (T,), colour map, levels)
Row = tuple[str, np.ndarray, str, tuple[float, float]]

HINT = "click a row of a heatmap to follow that unit here (Alt+Up/Down step)"


def ink_for(values: np.ndarray, cmap: str, levels: tuple[float, float]) -> list[str]:
    """Black or white, whichever reads better on each value's colour."""
    idx, _ = lut_index(np.asarray(values, np.float32), levels)
    rgb = lut(cmap)[idx, :3].astype(np.float32)
    luma = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    return ["#000000" if v > 140 else "#ffffff" for v in luma.tolist()]


class UnitTrace(QWidget):
    CELL = 14  # pixels per character: the letters stay readable; the newest characters are shown
    LABEL = 64  # pixels for the row names
    TOP, LETTERS, GATE, GAP = 16, 18, 12, 2
    MOST_GATES = 4  # an LSTM's; the strip keeps this height whichever cell reads

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("followed unit")
        self.unit: int | None = None
        self.about = ""
        self.rows: list[Row] = []
        self.chars = ""
        self.hover: int | None = None  # index into chars of the column under the pointer
        self.setToolTip(
            "One unit of the network followed along the sentence: each letter on the colour of the "
            "unit's hidden value after reading it (blue below zero, red above), and the unit's gates "
            "beneath (dark shut, yellow open). Some units switch at spaces, others inside words."
        )
        height = self.TOP + self.LETTERS + self.MOST_GATES * (self.GATE + self.GAP) + 4
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(160)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints every pixel
        self.setMouseTracking(True)

    def set_unit(self, unit: int | None, rows: list[Row], chars: str, about: str = "") -> None:
        """Follow `unit`: rows[0] is its hidden state (drawn with the letters), the rest its gates;
        `about` says what it is known to track."""
        self.unit, self.rows, self.chars, self.about = unit, rows, chars, about
        if self.hover is not None and self.hover >= len(chars):
            self.hover = None
        self.setAccessibleName(f"followed unit: {unit}" if unit is not None else "followed unit")
        self.update()

    def first_shown(self) -> int:
        """Index of the first character that fits (the newest are shown)."""
        fit = max(1, int((self.width() - self.LABEL - 4) // self.CELL))
        return max(0, len(self.chars) - fit)

    def readout(self) -> str:
        if self.unit is None:
            return HINT
        if self.hover is None or not self.rows:
            about = f" ({self.about})" if self.about else ""
            return f"unit {self.unit}{about}, letter by letter"
        k = self.hover
        values = " · ".join(f"{n} {value_text(float(v[k]), lv)}" for n, v, _c, lv in self.rows if k < len(v))
        return f"unit {self.unit} at “{shown_char(self.chars[k])}”: {values}"

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        col = int((e.position().x() - self.LABEL) // self.CELL)
        k = self.first_shown() + col
        hover = k if col >= 0 and k < len(self.chars) and self.rows else None
        if hover != self.hover:
            self.hover = hover
            self.update()
        super().mouseMoveEvent(e)

    def leaveEvent(self, e) -> None:
        if self.hover is not None:
            self.hover = None
            self.update()
        super().leaveEvent(e)

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        p.setFont(small_font())
        p.setPen(INK)
        # Drawn afresh, not through text_pixmap's cache, which would keep every value read out.
        p.drawText(QRectF(4, 1, self.width() - 8, self.TOP), Qt.AlignmentFlag.AlignLeft, self.readout())
        if self.unit is None or not self.rows or not self.chars:
            if self.unit is not None:
                draw_text(p, "type some text", self.width() / 2, self.height() / 2 - 6, "center", "#888888")
            p.end()
            return
        first = self.first_shown()
        n = len(self.chars) - first
        y = float(self.TOP + 2)
        for i, (name, values, cmap, levels) in enumerate(self.rows):
            h = self.LETTERS if i == 0 else self.GATE
            draw_text(p, name, self.LABEL - 4, y + (h - 13) / 2, "right", "#aaaaaa")
            shown = np.asarray(values, np.float32)[first:]
            p.drawImage(QRectF(self.LABEL, y, n * self.CELL, h), colour_image(shown[None, :], cmap, levels))
            if i == 0:
                for k, (c, ink) in enumerate(
                    zip(self.chars[first:], ink_for(shown, cmap, levels), strict=False)
                ):
                    draw_text(p, shown_char(c), self.LABEL + (k + 0.5) * self.CELL, y + 2, "center", ink)
            y += h + self.GAP
        if self.hover is not None and self.hover >= first:
            x = self.LABEL + (self.hover - first) * self.CELL
            p.setPen(INK)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(x, self.TOP + 1, self.CELL - 1, y - self.TOP - self.GAP))
        p.end()
