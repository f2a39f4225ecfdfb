"""What a drawing page puts beside its canvas: Clear, Undo, the pen width, the keys for them,
and the big answer label (the Digits and Number pages alike)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QSpinBox, QWidget

from app.canvas import DrawingCanvas
from app.painting import LiveText


class CanvasControls:
    """Clear and Undo buttons and a pen-width box wired to `canvas`, and the page's keys: Ctrl+Z
    (undo), Ctrl+Shift+Z / Ctrl+Y (redo), Delete and Esc (clear), and Ctrl+V and Ctrl+C
    (`paste_key`, `copy_key`: a picture in and out, for the window to connect)."""

    def __init__(self, page: QWidget, canvas: DrawingCanvas) -> None:
        self.clear_btn = QPushButton("Clear")
        self.clear_btn.setToolTip("Clear the canvas (Delete or Esc); Ctrl+Z brings the drawing back")
        self.undo_btn = QPushButton("Undo")
        self.undo_btn.setToolTip(
            "Take back the last stroke, or the last clear (Ctrl+Z, or right-click on the canvas); "
            "Ctrl+Shift+Z or Ctrl+Y redoes"
        )
        self.pen = QSpinBox()
        self.pen.setRange(2, 60)
        self.pen.setValue(16)
        self.pen.setSuffix(" px pen")
        self.pen.setToolTip(
            f"Pen width in canvas pixels (the canvas is {canvas.width_px} x {canvas.height_px})"
        )
        self.pen.setAccessibleName("Pen width")
        self.clear_btn.clicked.connect(canvas.clear)
        self.undo_btn.clicked.connect(canvas.undo_stroke)
        self.pen.valueChanged.connect(lambda v: setattr(canvas, "pen_width", float(v)))
        QShortcut(QKeySequence.StandardKey.Undo, page, canvas.undo_stroke)
        QShortcut(QKeySequence.StandardKey.Redo, page, canvas.redo)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), page, canvas.clear)
        # Not Esc: people press it to dismiss things, and it wiped a pasted picture.
        # Ctrl+V and Ctrl+C (a picture) only while this page has the keys: on the Text page they
        # are the editor's.
        self.paste_key = QShortcut(QKeySequence.StandardKey.Paste, page)
        self.copy_key = QShortcut(QKeySequence.StandardKey.Copy, page)
        for key in (self.paste_key, self.copy_key):
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    @property
    def widgets(self) -> tuple[QWidget, ...]:
        return self.clear_btn, self.undo_btn, self.pen


def answer_label(text: str, name: str, tip: str) -> LiveText:
    """The page's answer in large bold type, read out to a screen reader as "<name>: <text>"."""
    f = QFont()
    f.setPointSize(20)
    f.setBold(True)
    label = LiveText(text, font=f, align=Qt.AlignmentFlag.AlignCenter, name=name)
    label.setToolTip(tip)
    return label
