"""The drawing canvas: mouse or stylus strokes painted into a numpy image, white ink on black.

Painting uses the engine's own segment renderer (engine.digits.strokes.draw_segment), so the image
the network reads is the one the tests render from pen data (render_strokes), but for the dot
painted where each stroke begins, before the pen moves (its rim a shade brighter). Every way a
drawing is put back (undo, redo, set_strokes, a kept drawing) paints it as the pen did.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QTabletEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.digits.strokes import draw_segment

CANVAS_SIZE = 280
MAX_CLEARS = 20  # how many clears undo can take back


Stroke = list[tuple[float, float, float]]  # (x, y, pen width) per point


class DrawingCanvas(QWidget):
    """Emits `changed` after every pointer move while drawing, and after clear, undo and redo.

    Undo takes back the last stroke, the last clear (nothing a slip of Delete or Esc wipes is
    lost) or the last picture opened; redo puts back what undo took, until a new stroke is drawn.
    A picture (File > Open picture) lies under the strokes: strokes drawn on it add to it.
    """

    changed = Signal()
    settled = Signal()  # the drawing is whole for now: a stroke ended, or a clear, undo, redo or picture

    def __init__(
        self,
        parent: QWidget | None = None,
        size: int | tuple[int, int] = CANVAS_SIZE,
        tip: str = "",
        foot: int = 0,
    ) -> None:
        super().__init__(parent)
        self.width_px, self.height_px = (size, size) if isinstance(size, int) else size
        self.pen_width = 16.0
        self.image = np.zeros((self.height_px, self.width_px), np.uint8)
        self.strokes: list[Stroke] = []
        self.picture: np.ndarray | None = None  # an opened picture's canvas, under the strokes
        # What undo takes back, oldest first: ("stroke", None) for the last of self.strokes, or
        # ("clear" or "picture", (strokes, picture) as they were before it). What it took, for
        # redo: ("stroke", that stroke), ("clear", None) (redoing a clear wipes what is there
        # then) or ("picture", the picture).
        self._done: list[tuple[str, object]] = []
        self._undone: list[tuple[str, object]] = []
        self._drawing = False
        # Marks painted in a strip `foot` px tall under the canvas: (x0, x1, label, colour) in
        # canvas x (the Number page's digits, where the network read each), clear of the ink.
        self.marks: list[tuple[float, float, str, str]] = []
        self.foot = foot
        self.highlight: tuple[float, float] | None = None  # a canvas x range shown lit (x0, x1)
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip(
            tip
            or "Draw a digit here with the mouse or a stylus. The network reads it on every move.\n"
            "Ctrl+Z undoes the last stroke, clear or picture, Ctrl+Shift+Z redoes; Delete clears.\n"
            "Ctrl+O opens a picture of a digit (or drop one here); Ctrl+V pastes one, Ctrl+C copies the drawing."
        )

    # --- geometry: the image is scaled to fit the widget keeping its shape, centred ---
    def _target(self) -> QRectF:
        room = max(1, self.height() - self.foot)
        s = min(self.width() / self.width_px, room / self.height_px)
        w, h = self.width_px * s, self.height_px * s
        return QRectF((self.width() - w) / 2, (room - h) / 2, w, h)

    def to_canvas(self, pos: QPointF) -> tuple[float, float]:
        r = self._target()
        s = self.width_px / max(r.width(), 1.0)
        return (pos.x() - r.x()) * s, (pos.y() - r.y()) * s

    # --- drawing API (used by events, tests and the benchmark) ---
    def begin_stroke(self, x: float, y: float, width: float | None = None) -> None:
        # Plain floats: a caller's numpy ones would be kept as such (and not write out as JSON).
        x, y, w = float(x), float(y), float(self.pen_width if width is None else width)
        self.strokes.append([(x, y, w)])
        self._done.append(("stroke", None))
        self._undone.clear()
        self._drawing = True
        draw_segment(self.image, (x, y), (x, y), w)
        self._changed(self._dirty(x, y, x, y, w))

    def extend_stroke(self, x: float, y: float, width: float | None = None) -> None:
        if not self._drawing or not self.strokes:
            return
        x, y, w = float(x), float(y), float(self.pen_width if width is None else width)
        px, py, _ = self.strokes[-1][-1]
        self.strokes[-1].append((x, y, w))
        draw_segment(self.image, (px, py), (x, y), w)
        self._changed(self._dirty(px, py, x, y, w))

    def end_stroke(self) -> None:
        was, self._drawing = self._drawing, False
        if was:
            self.settled.emit()

    def clear(self) -> None:
        if not self.is_empty():
            self._remember("clear")
            self._undone.clear()
        self.strokes, self.picture = [], None
        self._drawing = False
        self.image[:] = 0
        self._changed()

    def set_picture(self, canvas: np.ndarray) -> None:
        """Replace the drawing with an opened picture's canvas (the canvas's size, white ink on
        black); undo brings the drawing back."""
        pic = np.asarray(canvas, np.uint8)
        if pic.shape != self.image.shape:
            raise ValueError(f"a picture's canvas must be {self.width_px}x{self.height_px}, got {pic.shape}")
        self._remember("picture")
        self._undone.clear()
        self.strokes, self.picture = [], pic.copy()
        self._drawing = False
        self._rerender()
        self._changed()

    def _remember(self, kind: str) -> None:
        """Record a clear or a picture with what it replaces; keep the last MAX_CLEARS of them,
        not a whole day's drawings: undo stops there."""
        self._done.append((kind, (self.strokes, self.picture)))
        wipes = [i for i, (k, _) in enumerate(self._done) if k != "stroke"]
        if len(wipes) > MAX_CLEARS:
            del self._done[: wipes[-MAX_CLEARS - 1] + 1]

    def undo_stroke(self) -> None:
        """Take back the last stroke, or the last clear or picture (what it replaced comes back)."""
        if not self._done:
            return
        kind, before = self._done.pop()
        if kind == "stroke":
            self._undone.append(("stroke", self.strokes.pop()))
        else:
            self._undone.append((kind, self.picture if kind == "picture" else None))
            self.strokes, self.picture = before
        self._drawing = False
        self._rerender()
        self._changed()

    def redo(self) -> None:
        """Put back what undo took: a stroke, a clear again, or the picture."""
        if not self._undone:
            return
        kind, item = self._undone.pop()
        if kind == "stroke":
            self.strokes.append(item)
            self._done.append(("stroke", None))
        else:
            self._done.append((kind, (self.strokes, self.picture)))
            self.strokes, self.picture = [], item
        self._drawing = False
        self._rerender()
        self._changed()

    def _rerender(self) -> None:
        self.image[:] = 0 if self.picture is None else self.picture
        for stroke in self.strokes:
            pts = [(x, y) for x, y, _ in stroke]
            widths = [w for _, _, w in stroke]
            # As begin_stroke drew it: the first dot, then each segment, so that what undo and
            # redo bring back is the drawing as it was, pixel for pixel.
            draw_segment(self.image, pts[0], pts[0], widths[0])
            for p0, p1, w in zip(pts[:-1], pts[1:], widths[1:], strict=False):
                draw_segment(self.image, p0, p1, w)

    def set_strokes(self, strokes: list[np.ndarray], pen_width: float | None = None) -> None:
        """Replace the drawing with whole strokes (canvas coordinates)."""
        w = float(self.pen_width if pen_width is None else pen_width)
        self.restore([[(float(x), float(y), w) for x, y in s] for s in strokes if len(s)])

    def restore(self, strokes: list[Stroke], picture: np.ndarray | None = None) -> None:
        """Put back a kept drawing (app/kept_drawing.py): undo takes its strokes back one by one,
        down to the picture under them."""
        if picture is not None and picture.shape != self.image.shape:
            raise ValueError(
                f"a picture's canvas must be {self.width_px}x{self.height_px}, got {picture.shape}"
            )
        self.strokes = [list(s) for s in strokes]
        self.picture = None if picture is None else picture.copy()
        self._done = [("stroke", None)] * len(self.strokes)
        self._undone.clear()
        self._drawing = False
        self._rerender()
        self._changed()

    def _dirty(self, x0: float, y0: float, x1: float, y1: float, w: float) -> QRect:
        """The widget rectangle a segment touches: only it is repainted while drawing."""
        r = self._target()
        s = r.width() / self.width_px
        pad = w / 2 + 2
        return QRect(
            int(r.x() + (min(x0, x1) - pad) * s) - 1,
            int(r.y() + (min(y0, y1) - pad) * s) - 1,
            int((abs(x1 - x0) + 2 * pad) * s) + 3,
            int((abs(y1 - y0) + 2 * pad) * s) + 3,
        )

    def _changed(self, dirty: QRect | None = None) -> None:
        if dirty is None:
            self.update()
        else:
            self.update(dirty)
        self.changed.emit()
        if dirty is None:  # the whole drawing changed at once
            self.settled.emit()

    def is_empty(self) -> bool:
        return not self.strokes and self.picture is None

    # --- Qt events ---
    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke(*self.to_canvas(e.position()))
        elif e.button() == Qt.MouseButton.RightButton:
            self.undo_stroke()

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if e.buttons() & Qt.MouseButton.LeftButton:
            self.extend_stroke(*self.to_canvas(e.position()))

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self.end_stroke()

    def tabletEvent(self, e: QTabletEvent) -> None:
        # Stylus pressure scales the pen between half and one and a half times its width.
        x, y = self.to_canvas(e.position())
        w = self.pen_width * (0.5 + float(e.pressure()))
        t = e.type()
        if t == QTabletEvent.Type.TabletPress:
            self.begin_stroke(x, y, w)
        elif t == QTabletEvent.Type.TabletMove and self._drawing:
            self.extend_stroke(x, y, w)
        elif t == QTabletEvent.Type.TabletRelease:
            self.end_stroke()
        e.accept()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), Qt.GlobalColor.darkGray)
        img = QImage(
            self.image.data, self.width_px, self.height_px, self.width_px, QImage.Format.Format_Grayscale8
        )
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        r = self._target()
        p.drawImage(r, img)
        if self.highlight is not None:  # a see-through band over the columns pointed at elsewhere
            x0, x1 = self.highlight
            sx = r.width() / self.width_px
            p.fillRect(
                QRectF(r.x() + x0 * sx, r.top(), max(2.0, (x1 - x0) * sx), r.height()),
                QColor(255, 255, 255, 60),
            )
        if self.foot:  # the marks' strip, dark under the canvas
            p.fillRect(QRectF(r.left(), r.bottom(), r.width(), self.foot), QColor("#202020"))
        s = r.width() / self.width_px
        for x0, x1, label, colour in self.marks:
            c = QColor(colour)
            a, b = r.x() + x0 * s, r.x() + x1 * s
            p.fillRect(QRectF(a, r.bottom() + 2, max(2.0, b - a), 4), c)
            p.setPen(c)
            p.drawText(
                QRectF(a - 10, r.bottom() + 6, b - a + 20, self.foot - 6), Qt.AlignmentFlag.AlignCenter, label
            )
        p.end()

    def set_highlight(self, span: tuple[float, float] | None) -> None:
        if span != self.highlight:
            self.highlight = span
            self.update()

    def set_marks(self, marks: list[tuple[float, float, str, str]]) -> None:
        if marks != self.marks:
            self.marks = marks
            self.update()
