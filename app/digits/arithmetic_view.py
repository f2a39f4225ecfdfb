"""The arithmetic of one unit, painted with the network's own numbers (engine/digits/arithmetic.py):
for a convolution the window it reads, the kernel, the nine products, their sum plus the bias and
the activation; for a pooled unit the 2x2 block and the value kept."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.digits.arithmetic import ConvArithmetic, PoolArithmetic

POSITIVE, NEGATIVE, PLAIN, WON = QColor("#ff8a70"), QColor("#70a8ff"), QColor("#dddddd"), QColor("#ffd040")
ACTIVATION_NAMES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
POOL_VERBS = {"max": "the largest", "min": "the smallest", "avg": "the average"}


def conv_lines(a: ConvArithmetic) -> tuple[str, str]:
    """(what it is, the sum) in words, for the view's first and last lines (and for a screen reader)."""
    channels = len(a.window)
    reads = "the input" if a.source == "input" else f"{channels} maps of {a.source}"
    head = f"{a.conv} map {a.channel}, unit (x {a.x}, y {a.y}): the 3x3 kernel times the window it covers in {reads}"
    act = ACTIVATION_NAMES.get(a.activation, a.activation)
    count = 9 * channels
    tail = (
        f"sum of the {count} products {a.weighted_sum:+.3f} + bias {a.bias:+.3f} = {a.total:+.3f}"
        f"  → {act} →  {a.output:+.3f}"
    )
    return head, tail


def pool_lines(a: PoolArithmetic) -> tuple[str, str]:
    head = f"{a.pool} map {a.channel}, unit (x {a.x}, y {a.y}): {POOL_VERBS[a.kind]} of a 2x2 block of {a.source}"
    return head, f"{POOL_VERBS[a.kind]} of the four: {a.output:+.3f}"


class ArithmeticView(QWidget):
    """Set with show(arithmetic) (None: a hint). Three 3x3 grids side by side, window × kernel =
    products (for a unit reading several maps: the map that adds most, the rest summed per map),
    then the sum, the bias and the activation."""

    HINT = "Click a unit in the large map above to see its arithmetic (its strongest unit is shown first)"

    def __init__(self) -> None:
        super().__init__()
        self.arithmetic: ConvArithmetic | PoolArithmetic | None = None
        self.font_ = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.font_.setPointSize(8)
        self.setFont(self.font_)
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(7 * line + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip(
            "One unit's arithmetic with the network's own numbers. A convolution multiplies each weight "
            "of its 3x3 kernel by the value under it (red positive, blue negative), adds the products "
            "and a bias, and the activation function turns the sum into the unit's output. Pooling "
            "keeps one value of each 2x2 block."
        )
        self.setAccessibleName("Unit arithmetic")

    def show_arithmetic(self, a: ConvArithmetic | PoolArithmetic | None) -> None:
        self.arithmetic = a
        if a is not None:
            head, tail = conv_lines(a) if isinstance(a, ConvArithmetic) else pool_lines(a)
            self.setAccessibleDescription(f"{head}. {tail}")
        self.update()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202020"))
        p.setFont(self.font_)
        fm = p.fontMetrics()
        line = fm.lineSpacing()
        a = self.arithmetic
        if a is None:
            p.setPen(QColor("#888888"))
            p.drawText(QRectF(4, 2, self.width() - 8, line), Qt.AlignmentFlag.AlignLeft, self.HINT)
            p.end()
            return
        head, tail = conv_lines(a) if isinstance(a, ConvArithmetic) else pool_lines(a)
        p.setPen(PLAIN)
        elide = Qt.TextElideMode.ElideRight
        p.drawText(
            QRectF(4, 2, self.width() - 8, line),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(head, elide, self.width() - 8),
        )
        y0 = 2 + line
        if isinstance(a, ConvArithmetic):
            c = int(np.argmax(np.abs(a.per_channel)))
            first = "window" if len(a.window) == 1 else f"window (map {c})"
            grids = (
                (first, a.window[c], None),
                ("× kernel", a.kernel[c], None),
                ("= products", a.products[c], None),
            )
        else:
            grids = ((f"{a.source}'s block", a.block, a.winner),)
        # Three decimals where the grids fit, else two (a narrow window).
        gap = 10
        digits = 3
        for digits in (3, 2, 1):
            cell = fm.horizontalAdvance("+0." + "0" * digits + " ")
            widths = [max(3 * cell, fm.horizontalAdvance(t) + 4) for t, _v, _w in grids]
            if sum(widths) + gap * (len(grids) - 1) <= self.width() - 8:
                break
        x = 4.0
        for (title, values, won), width in zip(grids, widths, strict=True):
            p.setPen(QColor("#aaaaaa"))
            p.drawText(QRectF(x, y0, width, line), Qt.AlignmentFlag.AlignLeft, title)
            for r in range(values.shape[0]):
                for k in range(values.shape[1]):
                    v = float(values[r, k])
                    p.setPen(WON if won == (r, k) else POSITIVE if v > 0 else NEGATIVE if v < 0 else PLAIN)
                    box = QRectF(x + k * cell, y0 + (r + 1) * line, cell, line)
                    p.drawText(box, Qt.AlignmentFlag.AlignRight, f"{v:+.{digits}f}")
            x += width + gap
        if isinstance(a, ConvArithmetic) and len(a.window) > 1:
            sums = " ".join(f"{v:+.2f}" for v in a.per_channel)
            rest = f"each map's nine products summed (map {int(np.argmax(np.abs(a.per_channel)))} adds most): {sums}"
            p.setPen(QColor("#aaaaaa"))
            p.drawText(
                QRectF(4, y0 + 4 * line, self.width() - 8, line),
                Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(rest, elide, self.width() - 8),
            )
        p.setPen(WON)
        p.drawText(
            QRectF(
                4,
                y0 + 4 * line + (line if isinstance(a, ConvArithmetic) and len(a.window) > 1 else 0),
                self.width() - 8,
                line,
            ),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(tail, elide, self.width() - 8),
        )
        p.end()
