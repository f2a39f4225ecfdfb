"""The colour legend every coloured view carries: a small bar of its colour map with the values at its
ends and, where the range holds it, a tick at zero ("which colour is negative"). One piece, painted
from a cached pixmap (see app/painting.py for why), used by every page's views and by the pages to
come.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPixmap

from app.painting import argb_table, small_font

BAR_WIDTH = 64  # the colour bar itself, px
HEIGHT = 13  # the legend's height, px: one line of the small font


def level_text(v: float) -> str:
    """A legend's end value, short: 0, 1, -1, 0.5, 0.05, 12, 3.4e+02."""
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000 or a < 0.01:
        return f"{v:.1e}"
    if float(v).is_integer():
        return f"{v:.0f}"
    return f"{v:.2g}" if a < 1 else f"{v:.3g}"


@functools.lru_cache(maxsize=512)
def legend_pixmap(
    cmap: str, lo: str, hi: str, zero: float | None = None, caption: str = "", bar: int = BAR_WIDTH
) -> QPixmap:
    """`caption lo [bar] hi` on a transparent pixmap; a white tick at `zero` (0-1 along the bar)."""
    font = small_font()
    fm = QFontMetrics(font)
    cap_w = fm.horizontalAdvance(caption) + 4 if caption else 0
    lo_w, hi_w = fm.horizontalAdvance(lo) + 3, fm.horizontalAdvance(hi) + 3
    w, h = cap_w + lo_w + bar + hi_w, HEIGHT
    pm = QPixmap(w, h)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setFont(font)
    p.setPen(QColor("#bbbbbb"))
    left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    if caption:
        p.drawText(QRectF(0, 0, cap_w, h), left, caption)
    p.drawText(QRectF(cap_w, 0, lo_w - 2, h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, lo)
    x0 = cap_w + lo_w
    table = argb_table(cmap)
    for i in range(bar):
        p.setPen(QColor.fromRgba(int(table[int(i * 255 / max(bar - 1, 1))])))
        p.drawLine(QPointF(x0 + i + 0.5, 2), QPointF(x0 + i + 0.5, h - 2))
    if zero is not None:  # where zero falls: the colour of "nothing" on a signed scale
        p.setPen(QColor("#ffffff"))
        p.drawLine(QPointF(x0 + zero * bar, 0), QPointF(x0 + zero * bar, h))
    p.setPen(QColor("#bbbbbb"))
    p.drawText(QRectF(x0 + bar + 3, 0, hi_w, h), left, hi)
    p.end()
    return pm


def levels_pixmap(
    cmap: str, levels: tuple[float, float], caption: str = "", room: float | None = None
) -> QPixmap:
    """The legend of `levels`; within `room` px where given: the bar narrows (to 16 px), then the
    caption goes."""
    lo, hi = rounded(levels[0]), rounded(levels[1])
    zero = (0 - lo) / (hi - lo) if lo < 0 < hi else None
    return fitted_legend(cmap, level_text(lo), level_text(hi), zero, caption, room)


def fitted_legend(
    cmap: str, lo: str, hi: str, zero: float | None = None, caption: str = "", room: float | None = None
) -> QPixmap:
    """legend_pixmap within `room` px: the bar narrows to 16 px, then the caption goes."""
    pm = legend_pixmap(cmap, lo, hi, zero, caption)
    if room is None or pm.width() <= room:
        return pm
    for cap in (caption, ""):
        for bar in (48, 32, 16):
            pm = legend_pixmap(cmap, lo, hi, zero, cap, bar)
            if pm.width() <= room:
                return pm
    return pm


def rounded(v: float) -> float:
    """A level rounded to 2 significant digits: the cache keeps one legend per scale, not per value."""
    return float(f"{v:.2g}")


def draw_legend(
    p: QPainter,
    right: float,
    top: float,
    cmap: str,
    levels: tuple[float, float],
    caption: str = "",
    room: float | None = None,
) -> float:
    """Paint the legend of `cmap` over `levels` with its right edge at `right` (within `room` px);
    returns its left edge (a title beside it stops there)."""
    pm = levels_pixmap(cmap, levels, caption, room)
    left = right - pm.width()
    p.drawPixmap(QPointF(left, top), pm)
    return left
