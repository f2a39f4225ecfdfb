"""The Compare page's pictures: images whose rows are the recurrent network's steps, with the step
shown marked, and the CNN's input with the part of it one unit of each layer sees."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.digits.image_views import ImageView
from app.painting import draw_text

STEP_COLOUR = QColor("#ff4060")
FIELD_COLOURS = ("#60c0ff", "#f0a030", "#a0ff60", "#ff60c0")


class StepImage(ImageView):
    """An image with one row per step (the input rows, the hidden state after each row, the
    probabilities after each row); the step shown is framed."""

    def __init__(self, tooltip: str, cmap: str = "viridis", title: str = "", levels=(0.0, 1.0)) -> None:
        super().__init__(tooltip, cmap=cmap, title=title, levels=levels)
        self.step: int | None = None  # 0-based row framed

    def set_step(self, step: int | None) -> None:
        if step != self.step:
            self.step = step
            self.update()

    def paintEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(e)
        if self.step is None or self.image is None or not len(self.image):
            return
        r = self._image_rect()
        h = r.height() / len(self.image)
        p = QPainter(self)
        p.setPen(QPen(STEP_COLOUR, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(r.left() - 1, r.top() + self.step * h - 1, r.width() + 2, h + 2))
        p.end()


class FieldsImage(ImageView):
    """The CNN's 28x28 input with squares the size of what one unit of each block sees, centred on
    the ink: 3x3 for the first convolution, growing with every convolution and pooling."""

    def __init__(self, tooltip: str, title: str = "") -> None:
        super().__init__(tooltip, title=title)
        self.fields: list[tuple[str, int]] = []  # (layer, size in input pixels)
        self.centre: tuple[float, float] = (14.0, 14.0)

    def set_fields(self, fields: list[tuple[str, int]], centre: tuple[float, float]) -> None:
        self.fields, self.centre = fields, centre
        self.update()

    def paintEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(e)
        if self.image is None or not self.fields:
            return
        r = self._image_rect()
        s = r.width() / self.image.shape[1]
        cx, cy = self.centre
        p = QPainter(self)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for i, (name, size) in enumerate(self.fields):
            colour = QColor(FIELD_COLOURS[i % len(FIELD_COLOURS)])
            p.setPen(QPen(colour, 1.5))
            box = QRectF(r.left() + (cx - size / 2) * s, r.top() + (cy - size / 2) * s, size * s, size * s)
            p.drawRect(box.intersected(r.adjusted(-1, -1, 1, 1)))
            # Beside the picture where the view is wide enough (the labels then hide none of the ink),
            # else over its top-left corner.
            colour_name = FIELD_COLOURS[i % len(FIELD_COLOURS)]
            x = r.right() + 6 if self.width() - r.right() >= 80 else r.left() + 3
            draw_text(p, f"{name}: {size}x{size}", x, r.top() + 2 + 16 * i, "left", colour_name)
        p.end()


def lit_rows(rows: np.ndarray, step: int | None) -> np.ndarray:
    """The input with the rows read so far bright and the rest dimmed (values 0..1)."""
    img = np.asarray(rows, np.float32).copy()
    if step is not None:
        img[step + 1 :] *= 0.3
    return img
