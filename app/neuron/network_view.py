"""The network drawn as the articles draw it: the inputs, each hidden unit, the output; a link per
weight, as wide as the weight is large, orange for positive and blue for negative; each hidden unit
shows its own output over the plane; after a Step, the links it changed most are outlined in yellow."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.painting import colour_image, draw_text

POSITIVE, NEGATIVE, CHANGED = QColor("#f0a030"), QColor("#3b78d8"), QColor("#ffff40")
WIDTHS = 8  # link widths drawn, from the smallest weight to the largest


class NetworkView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(260, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("The network: a link per weight (width: its size; orange positive, blue negative). "
                        "Each hidden unit shows its own output over the plane. After Step, the weights it "
                        "changed are outlined in yellow.")  # fmt: skip
        self.names: list[str] = []
        self.weights: list[np.ndarray] = []
        self.changes: list[np.ndarray] | None = None
        self.units: list[QImage] = []

    def set_network(self, names: list[str], weights: list[np.ndarray], units: list[np.ndarray],
                    changes: list[np.ndarray] | None = None) -> None:  # fmt: skip
        self.names, self.weights, self.changes = names, [w.copy() for w in weights], changes
        self.units = [colour_image(u, "CET-D1", (-1.0, 1.0)) for u in units]
        self.update()

    def _outline_cut(self, most: int = 6) -> float:
        """The size of change from which a weight is outlined: the `most` largest changes."""
        if not self.changes:
            return 0.0
        sizes = np.sort(np.concatenate([np.abs(c).ravel() for c in self.changes]))[::-1]
        return float(sizes[min(most, len(sizes)) - 1]) if len(sizes) and sizes[0] > 0 else 0.0

    def _places(self) -> list[list[QPointF]]:
        sizes = [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights] if self.weights else []
        cols = len(sizes)
        out = []
        for c, n in enumerate(sizes):
            x = 40 + (self.width() - 80) * (c / max(cols - 1, 1))
            out.append([QPointF(x, self.height() * (i + 1) / (n + 1)) for i in range(n)])
        return out

    def paintEvent(self, _e) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202020"))
        if not self.weights:
            p.end()
            return
        places = self._places()  # the links unsmoothed: hundreds of them, redrawn every frame of Play
        top = max(float(np.abs(w).max()) for w in self.weights) or 1.0
        cut = self._outline_cut()  # the few weights a step moved most (of all layers), outlined
        # The links grouped by pen (sign, and width in WIDTHS steps): one drawLines call per group.
        groups: dict[tuple[bool, int], list[QLineF]] = {}
        outlined: list[QLineF] = []
        for layer, w in enumerate(self.weights):
            changed = self.changes[layer] if self.changes is not None else None
            level = np.minimum((np.abs(w) / top * WIDTHS).astype(int), WIDTHS - 1)
            for i, a in enumerate(places[layer]):
                for j, b in enumerate(places[layer + 1]):
                    line = QLineF(a, b)
                    if changed is not None and cut > 0 and abs(changed[i, j]) >= cut:
                        outlined.append(line)
                    groups.setdefault((bool(w[i, j] > 0), int(level[i, j])), []).append(line)
        if outlined:
            p.setPen(QPen(CHANGED, 6))
            p.drawLines(outlined)
        for (positive, level), lines in groups.items():
            p.setPen(QPen(POSITIVE if positive else NEGATIVE, 0.5 + 5.5 * (level + 0.5) / WIDTHS))
            p.drawLines(lines)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        size = max(14.0, min(34.0, self.height() / (max(len(c) for c in places) + 1) * 0.8))
        unit = 0
        for c, col in enumerate(places):
            for i, at in enumerate(col):
                box = QRectF(at.x() - size / 2, at.y() - size / 2, size, size)
                if 0 < c < len(places) - 1 and unit < len(self.units):
                    p.drawImage(box, self.units[unit])
                    unit += 1
                else:
                    p.setBrush(QColor("#404040"))
                    p.setPen(QPen(QColor("#bbbbbb"), 1))
                    p.drawEllipse(box)
                if c == 0 and i < len(self.names):
                    draw_text(p, self.names[i], at.x() - size / 2 - 4, at.y() - 7, "right")
        draw_text(p, "output", places[-1][0].x(), places[-1][0].y() + size / 2 + 2, "center")
        p.setPen(Qt.PenStyle.NoPen)
        p.end()
