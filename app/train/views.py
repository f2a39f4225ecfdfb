"""What the Train page draws while a network learns: the accuracy (held-out and training) against
seconds or examples, each layer's gradient size, and the held-out confusion matrix whose cells,
clicked, show their digits."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.digits.image_views import ImageView
from app.plots import mosaic
from engine.digits.confusion import confusion

CELL_DIGITS = 48  # the most digits one confusion cell shows


class AccuracyPlot(pg.PlotWidget):
    """Held-out and training accuracy, against seconds or against examples seen (`set_axis`)."""

    def __init__(self) -> None:
        super().__init__(title="accuracy: held-out (2,000 MNIST test digits) and training")
        self.setLabel("left", "accuracy")
        self.setYRange(0, 1)
        self.addLegend(offset=(-10, -10))
        self.held_out = self.plot(pen=pg.mkPen("#60c0ff", width=2), symbol="o", symbolSize=5, name="held-out")
        self.training = self.plot(pen=pg.mkPen("#f0a030", width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
                                  name="training digits")  # fmt: skip
        self.points: list[tuple[float, int, float, float]] = []  # (seconds, examples, held-out, training)
        self.axis = "seconds"
        self.set_axis("seconds")

    def set_axis(self, axis: str) -> None:
        self.axis = axis
        self.setLabel("bottom", "seconds" if axis == "seconds" else "examples seen")
        self._redraw()

    def add(self, seconds: float, examples: int, held_out: float, training: float) -> None:
        self.points.append((seconds, examples, held_out, training))
        self._redraw()

    def clear_points(self) -> None:
        self.points = []
        self._redraw()

    def _redraw(self) -> None:
        if not self.points:
            self.held_out.setData([], [])
            self.training.setData([], [])
            return
        p = np.asarray(self.points, float)
        x = p[:, 0] if self.axis == "seconds" else p[:, 1]
        self.held_out.setData(x, p[:, 2])
        self.training.setData(x, p[:, 3])


class GradientPlot(pg.PlotWidget):
    """One bar per weight matrix, first layer at the left: its gradient's size on a log scale (a
    stack of sigmoids, or a plain RNN over 28 rows, shows the first layers' vanishing)."""

    def __init__(self) -> None:
        super().__init__(title="each layer's gradient size")
        self.setLabel("left", "log10 of the gradient's size")
        self.bars: pg.BarGraphItem | None = None

    def show_sizes(self, sizes: dict[str, float]) -> None:
        names = list(sizes)
        if not names:
            return
        logs = np.log10(np.maximum(np.asarray([sizes[n] for n in names], float), 1e-12))
        floor = float(np.floor(logs.min())) - 0.5
        if self.bars is not None:
            self.removeItem(self.bars)
        self.bars = pg.BarGraphItem(
            x=np.arange(len(names)), y0=floor, height=logs - floor, width=0.7, brush="#60c0ff"
        )
        self.addItem(self.bars)
        ticks = [(i, n.replace(".weight", "").replace("_l0", "")) for i, n in enumerate(names)]
        self.getAxis("bottom").setTicks([ticks])


class ConfusionPanel(QWidget):
    """The held-out confusion matrix; a click on a cell shows the digits in it (true digit `row`,
    read as `column`), so a mix-up can be seen, not only counted."""

    def __init__(self) -> None:
        super().__init__()
        self.matrix_view = ImageView(
            "Held-out confusion matrix: row the true digit (0 at the top), column the network's answer; "
            "bright off the diagonal where it mixes two digits up. Click a cell to see its digits.",
            cmap="inferno", title="confusion: true × answer")  # fmt: skip
        self.cell_view = ImageView("The held-out digits of the confusion cell clicked", title="click a cell")
        self.matrix_view.pixelClicked.connect(self.show_cell)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.matrix_view, 3)
        row.addWidget(self.cell_view, 2)
        lay.addLayout(row)
        self.digits: np.ndarray | None = None  # (N, 28, 28) uint8, the held-out digits
        self.truth: np.ndarray | None = None
        self.answers: np.ndarray | None = None
        self.matrix: np.ndarray | None = None
        self.cell: tuple[int, int] | None = None

    def set_digits(self, digits: np.ndarray, truth: np.ndarray) -> None:
        self.digits, self.truth = np.asarray(digits), np.asarray(truth)

    def set_answers(self, answers: np.ndarray) -> None:
        if self.truth is None or len(answers) != len(self.truth):
            return
        self.answers = np.asarray(answers)
        self.matrix = confusion(self.truth, self.answers)
        top = float(self.matrix.max()) or 1.0  # on a log scale: the few mix-ups show beside the diagonal
        self.matrix_view.set_image(np.log1p(self.matrix) / np.log1p(top), values=(0.0, top))
        if self.cell is not None:
            self.show_cell(*self.cell)

    def cell_digits(self, true: int, answer: int) -> np.ndarray:
        """Indices of the held-out digits `true` read as `answer`."""
        if self.answers is None or self.truth is None:
            return np.zeros(0, np.int64)
        return np.flatnonzero((self.truth == true) & (self.answers == answer))

    def show_cell(self, true: int, answer: int) -> None:
        self.cell = (true, answer)
        picked = self.cell_digits(true, answer)
        what = f"{true}s read as {answer}" if true != answer else f"{true}s read right"
        self.cell_view.title = f"{what}: {len(picked)}" + (
            f" (first {CELL_DIGITS})" if len(picked) > CELL_DIGITS else ""
        )
        if len(picked) and self.digits is not None:
            self.cell_view.set_image(
                mosaic(self.digits[picked[:CELL_DIGITS]].astype(np.float32) / 255.0, "layer")
            )
        else:
            self.cell_view.clear()

    def clear(self) -> None:
        self.answers = self.matrix = self.cell = None
        self.matrix_view.clear()
        self.cell_view.title = "click a cell"
        self.cell_view.clear()
