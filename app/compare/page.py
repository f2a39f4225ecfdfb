"""The Compare page: one drawing read on every stroke by the digit CNN (all 28x28 pixels at once) and
by a recurrent network (one row of 28 pixels per step), with the recurrent network's reading row by
row (its hidden state and its ten probabilities after each row, each row's pull on its answer), the
CNN's answer, saliency and receptive fields beside it, and the articles' comparison table measured."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import protocol as P
from app.canvas import DrawingCanvas
from app.compare.table_view import CompareTable
from app.compare.views import FieldsImage, StepImage, lit_rows
from app.digits.answer_widgets import ProbBars
from app.digits.image_views import ImageView
from app.engine_client import EngineClientLike
from app.page import Page
from app.painting import LiveText
from app.settings import read_bool
from engine.digits.receptive import receptive_fields

PLAY_MS = 120  # per row when playing through the rows
IDLE_BEFORE_MEASURING_S = 1.0
SQUARE, TALL = (280, 280), (280, 560)


class ComparePage(Page):
    name = "compare"
    title = "C&ompare"
    tip = "One drawing read by a CNN (all at once) and a recurrent network (row by row), and the two measured (F5)"
    network = "CNN + RNN"
    answer_type = P.CompareRead

    canvasChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reading = None  # the newest CompareRead
        self.client: EngineClientLike | None = None
        self._measured_once = False
        self._drawn_at = 0.0  # when the drawing last changed
        self.canvases = {
            False: DrawingCanvas(size=SQUARE, tip=self._canvas_tip(False)),
            True: DrawingCanvas(size=TALL, tip=self._canvas_tip(True)),
        }
        self._play = QTimer(self)
        self._play.setInterval(PLAY_MS)
        self._play.timeout.connect(self._next_row)
        self._build()
        for c in self.canvases.values():
            c.changed.connect(self._on_canvas)
            c.setMinimumSize(140, 140)

    @staticmethod
    def _canvas_tip(tall: bool) -> str:
        what = (
            "A tall canvas: the recurrent network reads its own rows (twice as many), the CNN must shrink it to 28x28."
            if tall
            else "Draw a digit: both networks read it on every move."
        )
        return (
            f"{what}\nDelete clears, Ctrl+Z undoes the last stroke; Ctrl+T switches between square and tall."
        )

    @property
    def canvas(self) -> DrawingCanvas:
        return self.canvases[self.tall.isChecked()]

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.stack = QStackedWidget()
        for c in self.canvases.values():
            self.stack.addWidget(c)
        self.tall = QCheckBox("Tall canvas")
        self.tall.setToolTip(
            "Fixed against variable input: on a canvas twice as tall the recurrent network reads 56 rows "
            "with no resizing, while the CNN must resize the drawing to 28x28 (Ctrl+T)"
        )
        self.tall.toggled.connect(self._tall_changed)
        clear = QPushButton("Clear")
        clear.setToolTip("Clear the canvas (Delete)")
        clear.clicked.connect(lambda: self.canvas.clear())
        self.play_btn = QPushButton("Play rows")
        self.play_btn.setCheckable(True)
        self.play_btn.setToolTip("Play through the rows as the recurrent network reads them (Space)")
        self.play_btn.toggled.connect(self._toggle_play)
        self.row_slider = QSlider(Qt.Orientation.Horizontal)
        self.row_slider.setRange(1, 28)
        self.row_slider.setValue(28)
        self.row_slider.setToolTip(
            "The row shown: what the recurrent network had read up to it (Alt+Left / Alt+Right)"
        )
        self.row_slider.valueChanged.connect(lambda _v: self._show_row())
        for keys, fn in (
            ("Delete", lambda: self.canvas.clear()),
            (QKeySequence.StandardKey.Undo, lambda: self.canvas.undo_stroke()),
            ("Ctrl+T", self.tall.toggle),
            ("Space", self.play_btn.toggle),
            ("Alt+Left", lambda: self.row_slider.setValue(self.row_slider.value() - 1)),
            ("Alt+Right", lambda: self.row_slider.setValue(self.row_slider.value() + 1)),
        ):
            QShortcut(QKeySequence(keys), self, fn)
        controls = QHBoxLayout()
        for w in (clear, self.tall, self.play_btn):
            controls.addWidget(w)
        left = QVBoxLayout()
        left.addWidget(self.stack, 1)
        left.addLayout(controls)
        left.addWidget(self.row_slider)

        # The CNN: all at once.
        self.cnn_answer = LiveText("Draw a digit", name="CNN")
        self.cnn_bars = ProbBars()
        self.cnn_bars.setToolTip("The CNN's ten probabilities: it reads all 28x28 pixels at once")
        self.cnn_fields = FieldsImage(
            "The CNN's 28x28 input (a taller drawing is resized to it) and how much of it one unit of each "
            "block sees: 3x3 after the first convolution, growing with each convolution and pooling",
            title="CNN input and receptive fields",
        )
        self.cnn_saliency = ImageView(
            "The CNN's saliency: how much each pixel moves its answer (the gradient's size), all pixels at once",
            cmap="inferno", title="CNN: each pixel's pull")  # fmt: skip
        # The recurrent network: one row at a time.
        self.rnn_answer = LiveText("", name="RNN")
        self.rnn_bars = ProbBars()
        self.rnn_bars.setToolTip("The recurrent network's ten probabilities after the row shown")
        self.rows_view = StepImage(
            "The recurrent network's input, one row of 28 pixels per step: the rows read so far bright, "
            "the row shown framed", cmap="gray", title="RNN input, row by row")  # fmt: skip
        self.states_view = StepImage(
            "The hidden state after each row (one row per step, one column per unit): all the network "
            "remembers of the rows above (blue negative, red positive)",
            cmap="CET-D1", title="hidden state after each row")  # fmt: skip
        self.strip_view = StepImage(
            "The ten probabilities after each row (a row per step, digits 0-9 across): what it would answer "
            "if the drawing ended there. The last row is its answer.",
            cmap="inferno", title="probabilities after each row (0-9)")  # fmt: skip
        self.pull_view = StepImage(
            "Each input row's pull on the recurrent network's answer (the gradient's size): the early rows' "
            "pull fades through the steps, the vanishing gradient. Measured when the drawing pauses.",
            cmap="inferno", title="pull")  # fmt: skip
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>CNN</b>: all at once"), 0, 0)
        grid.addWidget(self.cnn_answer, 0, 1, 1, 3)
        for col, w in enumerate((self.cnn_fields, self.cnn_saliency, self.cnn_bars)):
            grid.addWidget(w, 1, col)
        grid.addWidget(QLabel("<b>RNN</b>: one row at a time"), 2, 0)
        grid.addWidget(self.rnn_answer, 2, 1, 1, 3)
        rnn_row = QHBoxLayout()
        for w, stretch in (
            (self.rows_view, 3),
            (self.pull_view, 1),
            (self.states_view, 5),
            (self.strip_view, 3),
        ):
            rnn_row.addWidget(w, stretch)
        grid.addLayout(rnn_row, 3, 0, 1, 3)
        grid.addWidget(self.rnn_bars, 3, 3)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(3, 1)
        views = QWidget()
        views.setLayout(grid)
        top = QWidget()
        top_lay = QHBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addLayout(left, 1)
        top_lay.addWidget(views, 4)
        self.table = CompareTable()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(split)

    # ---------------------------------------------------------------- the engines
    def attach(self, client: EngineClientLike) -> None:
        self.client = client
        client.subscribe(P.CompareRead, self._on_read)
        client.subscribe(P.RowPullMeasured, self._on_pull)
        self.canvasChanged.connect(lambda c: client.post(P.ReadCompare(c, self.tall.isChecked())))

    def engines_ready(self, _loaded: P.EnginesLoaded) -> None:
        self._on_canvas()  # what was drawn while loading

    def _on_canvas(self) -> None:
        self._drawn_at = time.perf_counter()
        self.canvasChanged.emit(self.canvas.image.copy())

    def _tall_changed(self, tall: bool) -> None:
        self.stack.setCurrentWidget(self.canvases[tall])
        self.canvas.setFocus()
        self._on_canvas()

    def _on_read(self, seq: int, r: P.CompareRead) -> None:
        if r.tall != self.tall.isChecked():
            return  # read before the canvas changed: the newer request follows
        self.reading = r
        self.show_reading(r)
        self.cnn_answer.repaint()  # on screen now, then timed
        self.answered.emit(seq)
        if r.rows is not None and r.rows.pull is None and self.client is not None:
            self.client.post(P.MeasureRowPull(r.rows.rows))  # computed once the drawing pauses

    def _on_pull(self, _seq: int, m: P.RowPullMeasured) -> None:
        r = self.reading
        if r is None or r.rows is None or m.rows is not r.rows.rows:
            return  # for a reading since replaced
        r.rows.pull = m.pull
        self._show_pull(r.rows)

    # ---------------------------------------------------------------- painting
    def show_reading(self, r: P.CompareRead) -> None:
        res, rows = r.cnn, r.rows
        if res.empty or rows is None:
            self.cnn_answer.setText("Draw a digit")
            self.rnn_answer.setText("")
            for v in (
                self.cnn_fields,
                self.cnn_saliency,
                self.rows_view,
                self.states_view,
                self.strip_view,
                self.pull_view,
            ):
                v.clear()
            self.cnn_bars.set_probs(np.zeros(10, np.float32))
            self.rnn_bars.set_probs(np.zeros(10, np.float32))
            return
        top = int(np.argmax(res.probs))
        self.cnn_answer.setText(f"{top}  ({float(res.probs[top]):.0%}), one pass over all 28x28 pixels")
        self.cnn_bars.set_probs(res.probs)
        self.cnn_fields.set_image(res.input)
        ys, xs = np.nonzero(res.input > 0.2)
        centre = (float(xs.mean()), float(ys.mean())) if len(xs) else (14.0, 14.0)
        fields = receptive_fields(list(res.activations))
        shown = [(n, fields[n][0]) for n in fields if n.startswith("pool")]
        self.cnn_fields.set_fields(shown, centre)
        sal = np.asarray(res.saliency, np.float32)
        self.cnn_saliency.set_image(sal / (float(sal.max()) or 1.0), values=(0.0, float(sal.max())))
        self.row_slider.setRange(1, rows.steps)
        if not self._play.isActive():
            self.row_slider.setValue(rows.steps)
        states = rows.states
        m = float(np.abs(states).max()) or 1.0
        self.states_view.set_image(0.5 + 0.5 * states / m, values=(-m, m))
        self.strip_view.set_image(rows.probs, values=(0.0, 1.0))
        self._show_pull(rows)
        self._show_row()

    def _show_pull(self, rows) -> None:
        if rows.pull is None:
            self.pull_view.clear()  # until the drawing pauses
            return
        pull = rows.pull[:, None]
        self.pull_view.set_image(pull / (float(pull.max()) or 1.0), values=(0.0, float(pull.max())))

    def _show_row(self) -> None:
        """The recurrent network as it was after the row on the slider."""
        r = self.reading
        if r is None or r.rows is None:
            return
        rows = r.rows
        step = min(self.row_slider.value(), rows.steps) - 1
        self.rows_view.set_image(lit_rows(rows.rows, step))
        for v in (self.rows_view, self.states_view, self.strip_view, self.pull_view):
            v.set_step(step)
        probs = rows.probs[step]
        self.rnn_bars.set_probs(probs)
        top = int(np.argmax(probs))
        knew = rows.knew_after()
        said = f"after row {step + 1} of {rows.steps}: {top} ({float(probs[top]):.0%})"
        if step + 1 == rows.steps:
            said = f"{rows.answer} after all {rows.steps} rows, one step each; it knew from row {knew} on"
        self.rnn_answer.setText(said)

    def _toggle_play(self, on: bool) -> None:
        if on:
            if self.row_slider.value() >= self.row_slider.maximum():
                self.row_slider.setValue(1)
            self._play.start()
        else:
            self._play.stop()
        self.play_btn.setText("Pause" if on else "Play rows")

    def _next_row(self) -> None:
        if self.row_slider.value() >= self.row_slider.maximum():
            self.play_btn.setChecked(False)
            return
        self.row_slider.setValue(self.row_slider.value() + 1)

    # ---------------------------------------------------------------- the window's
    def showEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(e)
        if not self._measured_once:
            self._measured_once = True
            QTimer.singleShot(500, self._measure_when_still)  # once the page is painted

    def _measure_when_still(self) -> None:
        """The table's first measurement, once the pen has rested a second: it takes both cores for
        seconds, and drawing meanwhile would wait for them."""
        if time.perf_counter() - self._drawn_at < IDLE_BEFORE_MEASURING_S:
            QTimer.singleShot(500, self._measure_when_still)
            return
        self.table.start()

    def hideEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        self.play_btn.setChecked(False)
        super().hideEvent(e)

    def restore(self, settings: QSettings) -> list[str]:
        self.tall.setChecked(read_bool(settings, "compare/tall", False))
        return []

    def save(self, settings: QSettings, closing: bool = False) -> None:
        if closing:
            settings.setValue("compare/tall", self.tall.isChecked())

    def close_down(self) -> None:
        self._play.stop()
        self.table.close_down()

    def plots(self) -> dict:
        return {"canvas": self.canvas, "rows": self.rows_view, "states": self.states_view,
                "probabilities": self.strip_view, "pull": self.pull_view, "saliency": self.cnn_saliency,
                "fields": self.cnn_fields, "time_vs_size": self.table.plot}  # fmt: skip
