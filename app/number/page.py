"""The Number page: write a number across a wide canvas; a CRNN (convolutions, then a GRU along
the line) reads all of it, and the page shows the line it saw and what it computed for each
column. Where the Digits page's CNN reads one digit, this reads any number of them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app import protocol as P
from app.canvas import DrawingCanvas
from app.canvas_controls import CanvasControls, answer_label
from app.number.page_state import NumberPageState
from app.number.views import NOT_DIGIT_COLOUR, SPAN_COLOURS, CrnnView
from app.page import Page
from app.painting import LiveText
from engine.number.line import CANVAS


class NumberPage(NumberPageState, Page):
    """Emits canvasChanged(canvas copy) on every pointer move; show_result paints a NumberResult."""

    name = "number"
    title = "&Number"
    tip = "Write a number and watch a CNN + RNN hybrid (CRNN) read all of its digits (F3)"
    network = "CRNN"
    answer_type = P.NumberRead

    canvasChanged = Signal(object)
    canvasSettled = Signal(object)  # a copy of the canvas once a stroke ends (or a clear, undo...)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = DrawingCanvas(
            size=CANVAS,
            tip="Write a number here, digits side by side, with the mouse or a stylus: the network reads "
            "all of it on every move, however many digits (they may touch).\n"
            "Ctrl+Z undoes the last stroke, clear or picture, Ctrl+Shift+Z redoes; Delete clears.\n"
            "Ctrl+O opens a picture of a number (or drop one here); Ctrl+V pastes one, Ctrl+C copies the drawing.",
            foot=22,  # under it, where each digit was read
        )
        self.setFocusProxy(self.canvas)
        self.result = None
        self._build()
        self.canvas.changed.connect(self._on_canvas)
        self.canvas.settled.connect(lambda: self.canvasSettled.emit(self.canvas.image.copy()))

    def _build(self) -> None:
        self.canvas.setMinimumSize(480, 140)
        row = QHBoxLayout()
        controls = CanvasControls(self, self.canvas)
        self.clear_btn, self.undo_btn, self.pen = controls.widgets
        self.answer = answer_label(
            "Write a number",
            "Number read",
            "The number the CNN + RNN read, and how sure it was of its least sure digit",
        )
        for w in controls.widgets:
            row.addWidget(w)
        row.addWidget(self.answer, 1)
        self.view = CrnnView()
        self.view.columnHovered.connect(self._show_column)

        self.cut_label = LiveText("", name="The digit CNN alone")
        self.cut_label.setToolTip(
            "The same writing read without an RNN: the canvas cut at its blank columns and each piece read "
            "by the Digits page's CNN. Right where every digit stands apart; where digits touch, two "
            "digits make one piece and are read as one. Computed when a stroke ends."
        )
        lay = QVBoxLayout(self)
        lay.addWidget(self.canvas, 4)
        lay.addLayout(row)
        lay.addWidget(self.cut_label)
        lay.addWidget(self.view, 7)

        self.canvas.setAccessibleName("Number canvas")
        self.paste_key, self.copy_key = controls.paste_key, controls.copy_key  # the window connects them

    def reread(self) -> None:
        """Ask for the canvas to be read again (the engines loaded, or the digit CNN changed)."""
        self._on_canvas()
        self.canvasSettled.emit(self.canvas.image.copy())

    def _on_canvas(self) -> None:
        if self.canvas.is_empty():
            self.show_result(None)
            self.cut_label.setText("")
        self.canvasChanged.emit(self.canvas.image.copy())

    def _show_column(self, t: int) -> None:
        """Light the canvas under the column pointed at in the view (its own 4 px of the line)."""
        res = self.result
        if t < 0 or res is None or res.line.empty:
            self.canvas.set_highlight(None)
            return
        self.canvas.set_highlight(res.column_span(t))

    def show_cut(self, r: P.NumberCut) -> None:
        """The digit CNN's reading of the pieces between blank columns (engine.number.cut)."""
        if self.canvas.is_empty() or not r.pieces:
            self.cut_label.setText("")
            return
        n = r.pieces
        pieces = f"{n} piece{'s' * (n != 1)}"
        self.cut_label.setText(
            f"The digit CNN alone ({r.network}), one digit per piece of ink between blank columns: "
            f"{' '.join(r.text) or '(nothing)'}   ({pieces})"
        )

    def show_result(self, result) -> None:
        """Paint a NumberResult (None, or one with nothing read: the empty page)."""
        self.result = result
        if result is None or result.line.empty:
            self.answer.setText(
                "Write a number" if result is None or result.status == "empty" else result.message
            )
            self.canvas.set_marks([])
            self.view.show_result(None)
            return
        answer = f"{result.text}   {result.confidence:.0%}" if result.text else "no digit read"
        if result.marks:  # the digit check's: ink that is no digit, left out of the number
            answer += (
                "   (× is no digit)"
                if len(result.marks) == 1
                else f"   ({len(result.marks)} × are no digits)"
            )
        self.answer.setText(answer)
        marks = []
        for i, d in enumerate(result.digits):
            x0, x1 = result.canvas_span(d)
            marks.append((x0, x1, str(d.digit), SPAN_COLOURS[i % 2]))
        marks += [(x0, x1, "×", NOT_DIGIT_COLOUR) for x0, x1, _ in result.marks]
        self.canvas.set_marks(marks)
        self.view.show_result(result)
        self._show_column(-1 if self.view.column is None else self.view.column)  # its place in this reading
