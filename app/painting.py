"""Shared pieces for the widgets that paint themselves with QPainter (the live visuals).

The live visuals repaint many times a second on the GUI thread, which shares the GIL with the
engine worker. Through pyqtgraph's scene graph every item paints in Python; here a visual is a
few drawImage / drawPixmap calls, and text is rendered once into cached pixmaps (drawText costs
about 20 µs a call, drawing a cached pixmap about 2 µs).
"""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.plots import lut, lut_index

BACKGROUND = QColor("#202020")
INK = QColor("#dddddd")
POINT_SIZE = 8


def shown_char(c: str) -> str:
    """How a character is labelled (space, newline and tab made visible)."""
    return {" ": "␣", "\n": "⏎", "\t": "⇥"}.get(c, c)


@functools.cache
def small_font() -> QFont:
    f = QFont()
    f.setPointSize(POINT_SIZE)
    return f


@functools.cache
def text_pixmap(text: str, color: str = "#dddddd") -> QPixmap:
    """`text` rendered once in the small font on a transparent pixmap (cached)."""
    fm = QFontMetrics(small_font())
    w, h = max(1, fm.horizontalAdvance(text) + 2), fm.height()
    pm = QPixmap(w, h)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setFont(small_font())
    p.setPen(QColor(color))
    p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return pm


def draw_text(
    p: QPainter, text: str, x: float, y: float, align: str = "left", color: str = "#dddddd"
) -> None:
    """Draw cached `text` with its top at y, its left edge (or centre, or right edge) at x."""
    pm = text_pixmap(text, color)
    dx = {"left": 0.0, "center": pm.width() / 2, "right": float(pm.width())}[align]
    p.drawPixmap(QPointF(x - dx, y), pm)


def draw_title(p: QPainter, text: str, left: float, right: float, y: float = 0.0) -> None:
    """A title centred between `left` and `right`: whole where it fits, else cut with "…" (drawn
    afresh then: the cached pixmaps would keep every cut)."""
    width = right - left
    pm = text_pixmap(text)
    if pm.width() <= width:
        p.drawPixmap(QPointF(left + (width - pm.width()) / 2, y), pm)
        return
    p.setFont(small_font())
    p.setPen(INK)
    shown = p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(max(0.0, width)))
    p.drawText(QRectF(left, y, max(0.0, width), pm.height()), Qt.AlignmentFlag.AlignCenter, shown)


@functools.cache
def char_width() -> int:
    fm = QFontMetrics(small_font())
    return max(fm.horizontalAdvance("W"), fm.horizontalAdvance("␣")) + 2


def draw_char_row(p: QPainter, chars: str, x0: float, step: float, y: float) -> None:
    """Label columns of width `step` starting at x0, one character each; when the columns are
    narrower than a character, only every k-th one is labelled."""
    every = max(1, int(np.ceil(char_width() / max(step, 1e-6))))
    for i in range(0, len(chars), every):
        draw_text(p, shown_char(chars[i]), x0 + (i + 0.5) * step, y, "center")


def opaque_argb(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) colour values 0-255 to opaque ARGB32 words (premultiplying changes nothing)."""
    rgb = rgb.astype(np.uint32)
    return (0xFF << 24) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def argb_image(argb: np.ndarray) -> QImage:
    """An (H, W) array of premultiplied ARGB32 words to a QImage that owns its pixels.

    Premultiplied ARGB32 because that is what the raster painter draws natively: a scaled
    drawImage of RGBA8888 cost 0.64 ms here, of premultiplied ARGB32 0.15 ms.
    """
    argb = np.ascontiguousarray(argb, np.uint32)
    h, w = argb.shape
    return QImage(argb.data, w, h, 4 * w, QImage.Format.Format_ARGB32_Premultiplied).copy()


@functools.cache
def argb_table(cmap: str) -> np.ndarray:
    """A colour map as 256 premultiplied ARGB32 values (opaque)."""
    return opaque_argb(lut(cmap)[:, :3])


COLOUR_MAPS = ("gray", "inferno", "viridis", "CET-D1")  # every colour map the window's visuals use


def read_colour_maps() -> None:
    """Build and cache the tables of COLOUR_MAPS (pyqtgraph takes ~7 ms of Python per map).

    Called by the engine worker while it loads (plain data, no widgets). Read on first use on
    the GUI thread, two of them made the turn in which the engines came up last 19 ms.
    """
    for name in COLOUR_MAPS:
        argb_table(name)


def colour_image(img: np.ndarray, cmap: str, levels: tuple[float, float] = (0.0, 1.0)) -> QImage:
    """A float image through a colour map to a QImage that owns its pixels; `levels` map to the
    ends of the map and NaN is transparent. Gathering one uint32 per pixel is 4x quicker than an
    (H, W, 4) RGBA lookup.
    """
    img = np.asarray(img, np.float32)
    if img.ndim != 2 or img.size == 0:
        img = np.full((1, 1), np.nan, np.float32)
    idx, nan = lut_index(img, levels)
    argb = argb_table(cmap)[idx]
    if nan.any():
        argb[nan] = 0
    return argb_image(argb)


def fit_rect(w: int, h: int, box: QRectF) -> QRectF:
    """The largest rectangle of aspect w:h centred in `box`."""
    s = min(box.width() / max(w, 1), box.height() / max(h, 1))
    return QRectF(box.center().x() - w * s / 2, box.center().y() - h * s / 2, w * s, h * s)


def draw_focus_frame(p: QPainter, w: QWidget) -> None:
    """The frame round a painted view that has the keyboard focus (where the keys go), if it has."""
    if w.hasFocus():
        p.setPen(QPen(QColor("#60c0ff"), 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(w.rect()).adjusted(1, 1, -1, -1))


class PointerReadout(QWidget):
    """A painted view that reads out what is under the pointer (no button held): `hover` is what
    `hover_at(x, y)` finds there, None off it; the view repaints when it changes."""

    def __init__(self) -> None:
        super().__init__()
        self.hover = None
        self.setMouseTracking(True)

    def hover_at(self, x: float, y: float):
        raise NotImplementedError

    def hover_changed(self) -> None:
        """`hover` has changed: repaint (a view that tells others overrides this)."""
        self.update()

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        hover = self.hover_at(e.position().x(), e.position().y())
        if hover != self.hover:
            self.hover = hover
            self.hover_changed()
        super().mouseMoveEvent(e)

    def leaveEvent(self, e: QEvent) -> None:
        if self.hover is not None:
            self.hover = None
            self.hover_changed()
        super().leaveEvent(e)


class LiveText(QWidget):
    """A label for text that changes live (the prediction, the selected map, a latency).

    QLabel.setText asks the layout to recompute whenever its size is not fixed both ways; that
    cascades up to the main window, which then repaints whole (measured: the whole window on
    almost every prediction). This widget only repaints itself. Same setText/text as QLabel.
    """

    def __init__(
        self,
        text: str = "",
        lines: int = 1,
        font: QFont | None = None,
        align=None,
        name: str = "",
        wrap: bool = True,
        tip_whole: bool = False,
    ) -> None:
        super().__init__()
        self._tip_whole = tip_whole  # its tooltip is its text, whole where the line cuts it
        self._text = text
        self._lines = lines
        self._wrap = wrap and lines > 1  # else each line of the text is one line, cut with "…"
        self._name = name  # what it is, for a screen reader: "<name>: <text>"
        self._tell()
        if font is not None:
            self.setFont(font)
        self._align = (
            align if align is not None else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(40)
        # It fills its background itself, so Qt need not repaint the widgets beneath it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's name)
        if text != self._text:
            self._text = text
            if self._tip_whole:
                self.setToolTip(text)
            self._tell()
            self.update()

    def _tell(self) -> None:
        # Painted text is invisible to a screen reader: its accessible name carries it (Qt sends
        # the change on only while an accessibility client listens; ~1 us otherwise).
        self.setAccessibleName(f"{self._name}: {self._text}" if self._name else self._text)

    def text(self) -> str:
        return self._text

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().window())
        p.setPen(self.palette().windowText().color())
        box = QRectF(self.rect().adjusted(2, 0, -2, 0))
        wrap = Qt.TextFlag.TextWordWrap if self._wrap else 0
        p.drawText(box, self._align | wrap, self.shown())
        p.end()

    def shown(self) -> str:
        """The text as painted: a one-line label too narrow for it (a small window) cuts it with
        "…"; wrapped onto a second line there is no room for, it showed the tops of half the words."""
        if self._wrap:
            return self._text
        width = max(0, self.width() - 4)
        fm = self.fontMetrics()
        lines = self._text.split("\n")[: self._lines]
        return "\n".join(fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines)
