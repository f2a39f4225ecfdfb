"""The Text page's live visuals, painted with QPainter (see app/painting.py for why).

Through pyqtgraph each heatmap was a PlotItem whose axis laid out and drew its character ticks
in Python: about 5 ms per panel and refresh, most of the GUI thread's time while typing. Here a
panel is one drawImage plus one cached pixmap per character.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPolygonF, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.formatting import percent
from app.legend import draw_legend
from app.painting import (
    BACKGROUND,
    INK,
    PointerReadout,
    char_width,
    colour_image,
    draw_char_row,
    draw_text,
    shown_char,
    small_font,
)

MARK = QColor("#ffd040")  # the unit followed, marked on every heatmap


def value_text(v: float, levels: tuple[float, float]) -> str:
    """A unit's value as read out: signed where the scale is (-1 to 1), plain for a gate (0 to 1)."""
    return f"{v:+.2f}" if levels[0] < 0 else f"{v:.2f}"


class HeatMap(PointerReadout):
    """A units x characters heatmap: one row per unit, one column per character, the characters
    along the bottom. The pointer's cell is read out in the title; a click picks its row's unit
    (unitPicked), which every heatmap then marks at its left edge."""

    LEFT, TOP, BOTTOM = 30, 16, 14
    unitPicked = Signal(int)
    letterPicked = Signal(int)  # the letter (column) clicked: the page steps to it
    scrolled = Signal(int)  # letters scrolled back from the newest (the wheel): the page syncs the others

    def __init__(
        self, title: str, tooltip: str, cmap: str, levels: tuple[float, float], empty: str = "type some text"
    ) -> None:
        super().__init__()
        self.title = title
        self.empty = empty  # what it says with no data
        self.setAccessibleName(title)  # what a screen reader calls it; the tooltip describes it
        self.levels = levels
        self.cmap = cmap
        self.matrix: np.ndarray | None = None  # (units, characters) as shown; None when empty
        self.chars = ""
        self._qimage: QImage | None = None
        self.selected: int | None = None  # the unit followed (marked), if any
        self.back = 0  # letters scrolled back from the newest, where they do not all fit
        self._wheel = 0  # the wheel's turn not yet a whole step
        self.hover: tuple[int, int] | None = None  # (unit, character) under the pointer (PointerReadout)
        self.setToolTip(tooltip)
        self.setMinimumSize(160, 56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints every pixel

    def set_data(self, mat: np.ndarray, chars: str) -> None:
        """mat is (T, H): shown as H rows (units) by T columns (characters)."""
        mat = np.asarray(mat, np.float32)
        if mat.ndim != 2 or mat.size == 0:
            self.matrix, self._qimage, self.chars = None, None, ""
            self.back = 0
        else:
            if not chars.startswith(self.chars[: max(1, len(self.chars) - 1)]):
                self.back = 0  # another sentence (not the same one typed on): its newest letters
            self.matrix = mat.T
            self._qimage = colour_image(self.matrix, self.cmap, self.levels)
            self.chars = chars
        if self.hover is not None and (
            self.matrix is None
            or self.hover[0] >= self.matrix.shape[0]
            or self.hover[1] >= self.matrix.shape[1]
        ):
            self.hover = None  # the pointer's cell is gone (shorter text, or a cell with fewer units)
        self.update()

    def set_selected(self, unit: int | None) -> None:
        if unit != self.selected:
            self.selected = unit
            self.update()

    def shown_columns(self) -> tuple[int, int]:
        """(first, count) of the letters shown: all of them where each gets a labelled column, else
        as many as fit, the newest unless scrolled back (every letter labelled, none skipped)."""
        t = 0 if self.matrix is None else self.matrix.shape[1]
        fit = max(1, int(self.plot_rect().width() // char_width()))
        if t <= fit:
            return 0, t
        back = min(self.back, t - fit)
        return t - fit - back, fit

    def scroll_to(self, back: int) -> None:
        t = 0 if self.matrix is None else self.matrix.shape[1]
        first, n = self.shown_columns()
        back = max(0, min(back, t - n))
        if back != self.back:
            self.back = back
            self.update()

    def wheelEvent(self, e: QWheelEvent) -> None:
        d = e.angleDelta()
        self._wheel += d.y() or d.x()  # a touchpad sends small steps: they add up, both ways
        steps = int(self._wheel / 40)  # a notch (120): 3 letters
        if steps and self.matrix is not None:
            self._wheel -= steps * 40
            self.scroll_to(self.back + steps)
            self.scrolled.emit(self.back)
        e.accept()

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(unit, character) of the cell under widget point (x, y); None off the plot or empty."""
        if self.matrix is None:
            return None
        r = self.plot_rect()
        if not r.contains(QPointF(x, y)):
            return None
        h = self.matrix.shape[0]
        first, n = self.shown_columns()
        unit = min(h - 1, int((y - r.top()) * h / r.height()))
        col = first + min(n - 1, int((x - r.left()) * n / r.width()))
        return unit, col

    def readout(self) -> str:
        """The title, with the value under the pointer when there is one."""
        if self.hover is None or self.matrix is None:
            return self.title
        u, c = self.hover
        ch = shown_char(self.chars[c]) if c < len(self.chars) else "?"
        return f"{self.title} · unit {u} at “{ch}”: {value_text(float(self.matrix[u, c]), self.levels)}"

    def hover_at(self, x: float, y: float) -> tuple[int, int] | None:
        return self.cell_at(x, y)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        cell = self.cell_at(e.position().x(), e.position().y())
        if e.button() == Qt.MouseButton.LeftButton and cell is not None:
            self.unitPicked.emit(cell[0])
            self.letterPicked.emit(cell[1])
        super().mousePressEvent(e)

    def plot_rect(self) -> QRectF:
        w = max(1, self.width() - self.LEFT - 4)
        return QRectF(self.LEFT, self.TOP, w, max(1, self.height() - self.TOP - self.BOTTOM))

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        right = draw_legend(p, self.width() - 4, 1, self.cmap, self.levels, room=self.width() / 3)
        title_box = QRectF(self.LEFT, 1, max(0.0, right - self.LEFT - 6), self.TOP)
        if self.hover is None:
            draw_text(p, self.title, title_box.center().x(), 1, "center")
        else:  # drawn afresh: text_pixmap's cache would keep every value ever read out
            p.setFont(small_font())
            p.setPen(INK)
            p.drawText(title_box, Qt.AlignmentFlag.AlignCenter, self.readout())
        r = self.plot_rect()
        if self._qimage is None:
            draw_text(p, self.empty, r.center().x(), r.center().y() - 6, "center", "#888888")
            p.end()
            return
        h = self._qimage.height()
        first, n = self.shown_columns()
        # Nearest neighbour: one crisp cell per unit and character.
        p.drawImage(r, self._qimage, QRectF(first, 0, n, h))
        marked = self.selected is not None and self.selected < h
        y = r.top() + (self.selected + 0.5) * r.height() / h if marked else -100.0
        for u in unit_ticks(h, r.height()):
            uy = r.top() + (u + 0.5) * r.height() / h - 6
            if abs(uy + 6 - y) > 12:  # the unit marked would cover this row's number
                draw_text(
                    p, str(u), self.LEFT - 3, min(max(uy, r.top() - 2), r.bottom() - 11), "right", "#888888"
                )
        if marked:
            self._mark(p, y)
        draw_char_row(p, self.chars[first : first + n], r.left(), r.width() / n, r.bottom() + 1)
        if first > 0:  # letters before these, scrolled off: the wheel brings them
            draw_text(p, f"‹{first}", 1, r.bottom() + 1, "left", MARK.name())
        p.end()

    def _mark(self, p: QPainter, y: float) -> None:
        """A triangle pointing at the followed unit's row, its number beside it."""
        x = float(self.LEFT) - 1
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(MARK)
        p.drawPolygon(QPolygonF([QPointF(x, y), QPointF(x - 6, y - 4), QPointF(x - 6, y + 4)]))
        draw_text(p, str(self.selected), x - 7, y - 7, "right", MARK.name())


def unit_ticks(units: int, height: float) -> list[int]:
    """The unit numbers labelled beside a heatmap: a round step that leaves ~14 px between labels,
    the last unit always."""
    step = next((s for s in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024) if s * height / units >= 14), units)
    ticks = list(range(0, units, step))
    if units - 1 - ticks[-1] >= step / 2:
        ticks.append(units - 1)
    return ticks


class CharBars(QWidget):
    """One bar per symbol of the alphabet: the probability of each as the next character."""

    TOP, BOTTOM = 16, 14

    def __init__(self, title: str, tooltip: str) -> None:
        super().__init__()
        self.title = title
        self.setAccessibleName(title)
        self.alphabet = ""
        self.probs = np.zeros(0, np.float32)
        self._bar, self._best = QColor("#e0a040"), QColor("#f0d060")
        self.setToolTip(tooltip)
        self.setMinimumSize(160, 56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints every pixel

    def set_probs(self, alphabet: str, probs: np.ndarray) -> None:
        self.alphabet = alphabet
        self.probs = np.asarray(probs, np.float32).reshape(-1)[: len(alphabet)]
        self.update()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        n = len(self.probs)
        title, best = self.title, -1
        if n:
            best = int(np.argmax(self.probs))
            title += f": “{shown_char(self.alphabet[best])}” {percent(self.probs[best], 0)}"
        p.setFont(small_font())
        p.setPen(INK)
        p.drawText(QRectF(0, 1, self.width(), self.TOP), Qt.AlignmentFlag.AlignCenter, title)
        if not n:
            p.end()
            return
        left, width = 4.0, self.width() - 8.0
        base, top = self.height() - self.BOTTOM, self.TOP + 2
        step = width / n
        for i, v in enumerate(self.probs.tolist()):
            bh = max(0.0, min(1.0, v)) * (base - top)
            if bh >= 0.5:
                colour = self._best if i == best else self._bar
                p.fillRect(QRectF(left + i * step + step * 0.1, base - bh, step * 0.8, bh), colour)
        draw_char_row(p, self.alphabet, left, step, base + 1)
        p.end()
