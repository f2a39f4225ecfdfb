"""The Neuron page: points in a plane, one neuron's weighted sum and activation with its formula at
the pointer, why a single neuron cannot learn XOR, and hidden layers that can, trained live. The
network is small (engine/neuron/network.py, numpy): it trains on the GUI thread in slices of a few
milliseconds per frame, between input events, so that the picture follows every update."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
)

from app.neuron.network_view import NetworkView
from app.neuron.plane import PlaneView
from app.neuron.points import NeuronPoints
from app.page import Page
from app.painting import LiveText
from app.plots import scrolling
from app.settings import read_choice
from engine.neuron.data import DATASETS
from engine.neuron.network import ACTIVATIONS, FEATURES, Network
from engine.neuron.train import hidden_sizes

SLICE_S = 0.005  # of each frame, spent training (the rest: painting and the user's input)
CURVE_EVERY_S = 0.5  # the loss curves are replotted twice a second, not every frame
FRAME_MS = 16
GRID = 48
UNITS_GRID = 24  # each unit's picture is a thumbnail


class NeuronPage(NeuronPoints, Page):
    name = "neuron"
    title = "Ne&uron"
    tip = "One neuron, XOR, and hidden layers: a network learning to split points, live (F6)"
    network = "MLP"

    def __init__(self) -> None:
        super().__init__()
        self.net: Network | None = None
        self.x = np.zeros((0, 2))
        self.y = np.zeros(0, np.int64)
        self.is_test = np.zeros(0, bool)
        self.rng = np.random.default_rng(0)
        self.curve: list[tuple[int, float, float]] = []  # (updates, train loss, test loss)
        self.frames: list[float] = []  # when each redraw happened (the last second's count)
        self.rate = 0.0  # updates a second while playing
        self._plotted = 0.0  # when the loss curves were last replotted
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._frame)
        self._build()
        self.new_points()

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.data = QComboBox()
        self.data.addItems(DATASETS)
        self.data.setCurrentText("xor")
        self.classes = QSpinBox()
        self.classes.setRange(2, 3)
        self.noise = QDoubleSpinBox()
        self.noise.setRange(0, 1)
        self.noise.setSingleStep(0.05)
        self.test_share = QDoubleSpinBox()
        self.test_share.setRange(0.0, 0.9)
        self.test_share.setSingleStep(0.1)
        self.test_share.setValue(0.5)
        self.test_share.setToolTip("The share of points kept for testing (hollow): never trained on")
        self.new_btn = QPushButton("New points")
        for w in (self.data, self.classes, self.noise):
            (w.currentIndexChanged if isinstance(w, QComboBox) else w.valueChanged).connect(
                lambda _v: self.new_points()
            )
        self.test_share.valueChanged.connect(lambda _v: self.set_points(self.x, self.y))  # the same points
        self.new_btn.clicked.connect(lambda: self.new_points(seed=int(self.rng.integers(1 << 30))))
        self.click_class = QComboBox()
        self.click_class.addItems(["class 0 (blue)", "class 1 (orange)", "class 2 (green)"])
        self.click_class.setToolTip("The class of the points a left click adds")
        save_btn, load_btn = QPushButton("Save points…"), QPushButton("Load points…")
        save_btn.clicked.connect(self._save_points)
        load_btn.clicked.connect(self._load_points)
        self.hidden = QLineEdit("")
        self.hidden.setPlaceholderText("none: one neuron")
        self.hidden.setToolTip(
            "Units per hidden layer, e.g. 4,4 (up to 4 layers of 8); empty: a single neuron"
        )
        self.activation = QComboBox()
        self.activation.addItems(ACTIVATIONS)
        self.activation.setCurrentText("sigmoid")
        self.features = {f: QCheckBox(f) for f in FEATURES}
        for f in ("x1", "x2"):
            self.features[f].setChecked(True)
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(3)
        self.lr.setRange(0.001, 10)
        self.lr.setValue(0.03)
        self.batch = QSpinBox()
        self.batch.setRange(1, 500)
        self.batch.setValue(10)
        self.l2 = QDoubleSpinBox()
        self.l2.setDecimals(4)
        self.l2.setRange(0, 1)
        self.l2.setSingleStep(0.001)
        self.l2.setToolTip(
            "L2: each update also pulls every weight towards 0, by the learning rate times this times the "
            "weight (the perceptron rule does not use it)"
        )
        self.hidden.editingFinished.connect(self.reset)
        self.activation.currentIndexChanged.connect(lambda _i: self.reset())
        for box in self.features.values():
            box.toggled.connect(lambda _on: self.reset())
        self.step_btn, self.play_btn, self.reset_btn = (
            QPushButton("Step"),
            QPushButton("Play"),
            QPushButton("Reset"),
        )
        self.step_btn.setToolTip("One update on one batch; the weights it changed show their change (S)")
        self.play_btn.setToolTip("Train continuously (Space)")
        self.reset_btn.setToolTip("New random weights (R)")
        self.play_btn.setCheckable(True)
        self.step_btn.clicked.connect(self.step)
        self.play_btn.toggled.connect(self.play)
        self.reset_btn.clicked.connect(self.reset)
        for key, fn in (("S", self.step), ("Space", self.play_btn.toggle), ("R", self.reset)):
            QShortcut(QKeySequence(key), self, fn)
        self.sliders = {}
        for name in ("w1", "w2", "b"):
            s = QSlider(Qt.Orientation.Horizontal)
            s.setRange(-400, 400)
            s.setToolTip(
                f"The neuron's {'bias' if name == 'b' else 'weight ' + name[1]}: drag it and watch the line move"
            )
            s.valueChanged.connect(lambda _v: self._slid())
            self.sliders[name] = s
        self.formula = LiveText(
            "Point at the plane to see the neuron's arithmetic there", lines=2, name="Formula"
        )
        self.changes = LiveText("", lines=2, name="Changed")
        self.state = LiveText("", lines=2, name="Training")

        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.data, 1)
        row.addWidget(self.new_btn)
        form.addRow("Data", row)
        for label, w in (("Classes", self.classes), ("Noise", self.noise), ("Test share", self.test_share),
                         ("A click adds", self.click_class)):  # fmt: skip
            form.addRow(label, w)
        files = QHBoxLayout()
        files.addWidget(save_btn)
        files.addWidget(load_btn)
        form.addRow(files)
        form.addRow("Hidden layers", self.hidden)
        form.addRow("Activation", self.activation)
        grid = QGridLayout()
        for i, box in enumerate(self.features.values()):
            grid.addWidget(box, i // 4, i % 4)
        form.addRow("Inputs", grid)
        for label, w in (("Learning rate", self.lr), ("Batch size", self.batch), ("L2", self.l2)):
            form.addRow(label, w)
        buttons = QHBoxLayout()
        for b in (self.step_btn, self.play_btn, self.reset_btn):
            buttons.addWidget(b)
        form.addRow(buttons)
        for name, s in self.sliders.items():
            form.addRow(name, s)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.formula)
        left.addWidget(self.changes)
        left.addWidget(self.state)
        left.addStretch(1)

        self.plane = PlaneView()
        self.plane.pointAdded.connect(self._add_point)
        self.plane.pointRemoved.connect(self._remove_point)
        self.plane.hovered.connect(self._hover)
        self.net_view = NetworkView()
        self.loss_plot = pg.PlotWidget(title="loss (cross-entropy)")
        self.loss_plot.setLabel("bottom", "updates")
        self.loss_plot.addLegend(offset=(-10, 10))
        self.train_curve = self.loss_plot.plot(pen=pg.mkPen("#f0a030", width=2), name="train")
        self.test_curve = self.loss_plot.plot(pen=pg.mkPen("#60c0ff", width=2), name="test")
        right = QVBoxLayout()
        right.addWidget(self.net_view, 3)
        right.addWidget(self.loss_plot, 2)
        lay = QHBoxLayout(self)
        lay.addWidget(scrolling(left), 2)
        lay.addWidget(self.plane, 4)
        lay.addLayout(right, 3)

    # ---------------------------------------------------------------- the network
    def reset(self) -> None:
        feats = tuple(f for f, box in self.features.items() if box.isChecked())
        try:
            net = Network(hidden_sizes(self.hidden.text()), self.activation.currentText(), feats,
                          int(self.classes.value()), int(self.rng.integers(1 << 30)))  # fmt: skip
        except ValueError as exc:
            # The old network may not fit the points any more (a third class): none until one is built.
            self.net = None
            self.play_btn.setChecked(False)
            self.state.setText(f"Cannot build that network: {exc}")
            return
        self.net, self.curve, self.last_changes = net, [], None
        single = self._one_line()
        for s in self.sliders.values():
            s.setEnabled(single)
        self._show_sliders()
        self.changes.setText("")
        self._redraw()

    def _one_line(self) -> bool:
        """One neuron over x1 and x2 for two classes: its weights and bias are a line in the plane."""
        net = self.net
        return net is not None and net.single and net.features == ("x1", "x2") and net.classes == 2

    def _show_sliders(self) -> None:
        if not self._one_line():
            return
        values = (*self.net.weights[0][:, 0], self.net.biases[0][0])
        for s, v in zip(self.sliders.values(), values, strict=True):
            s.blockSignals(True)
            s.setValue(int(round(float(np.clip(v, -4, 4)) * 100)))
            s.blockSignals(False)

    def _slid(self) -> None:
        if not self._one_line():
            return
        w1, w2, b = (s.value() / 100 for s in self.sliders.values())
        self.net.weights[0][:, 0] = (w1, w2)
        self.net.biases[0][0] = b
        self._redraw()

    def _split(self):
        tr = ~self.is_test
        return self.x[tr], self.y[tr], self.x[self.is_test], self.y[self.is_test]

    def step(self) -> None:
        """One update, and which weights it changed by how much."""
        xt, yt, _, _ = self._split()
        if self.net is None or not len(yt):
            return
        i = self.rng.integers(0, len(yt), min(int(self.batch.value()), len(yt)))
        changes = self.net.step(xt[i], yt[i], float(self.lr.value()), float(self.l2.value()))
        self.last_changes = [dw for dw, _ in changes]
        if self.net.single and self.net.classes == 2:
            names = [*self.net.features, "b"]
            deltas = [*changes[0][0][:, 0], changes[0][1][0]]
            self.changes.setText(
                "Changed: "
                + ", ".join(
                    f"{'w ' + n if n != 'b' else 'b'} {d:+.3f}" for n, d in zip(names, deltas, strict=True)
                )
            )
        else:
            moved = sum(int((np.abs(dw) > 0).sum()) for dw, _ in changes)
            biggest = max(float(np.abs(dw).max()) for dw, _ in changes)
            self.changes.setText(
                f"Changed {moved} weights, the most by {biggest:.4f} (the six most outlined in yellow)"
            )
        self._show_sliders()
        self._record()
        self._redraw()

    def play(self, on: bool) -> None:
        self.play_btn.setText("Pause" if on else "Play")
        self.last_changes = None
        (self._timer.start if on else self._timer.stop)()
        self._played = (time.perf_counter(), self.net.updates if self.net else 0)

    def _frame(self) -> None:
        """One frame of Play: train for a slice, then show where it is."""
        xt, yt, _, _ = self._split()
        if self.net is None or not len(yt):
            return
        lr, l2, batch = float(self.lr.value()), float(self.l2.value()), min(int(self.batch.value()), len(yt))
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < SLICE_S:
            i = self.rng.integers(0, len(yt), batch)
            self.net.step(xt[i], yt[i], lr, l2)
        began, updates = self._played
        self.rate = (self.net.updates - updates) / max(time.perf_counter() - began, 1e-6)
        self._record()
        self._show_sliders()
        self._redraw()

    def _record(self) -> None:
        if self.net is None:
            return
        xt, yt, xe, ye = self._split()
        if not self.curve or self.net.updates - self.curve[-1][0] >= 50 or not self._timer.isActive():
            self.curve.append((self.net.updates, self.net.loss(xt, yt), self.net.loss(xe, ye)))
            if len(self.curve) > 2000:
                self.curve = self.curve[::2]

    # ---------------------------------------------------------------- painting
    def _redraw(self) -> None:
        net = self.net
        if net is None:
            return
        self.plane.set_points(self.x, self.y, self.is_test)
        probs, units = net.surface(GRID, units_n=UNITS_GRID)
        line = (*net.weights[0][:, 0], net.biases[0][0]) if self._one_line() else None
        self.plane.set_surface(probs, line)
        scaled = [u / (float(np.abs(u).max()) or 1.0) for u in units]
        self.net_view.set_network(list(net.features), net.weights, scaled, self.last_changes)
        now = time.perf_counter()
        if self.curve and (not self._timer.isActive() or now - self._plotted >= CURVE_EVERY_S):
            self._plotted = now
            c = np.asarray(self.curve, float)
            self.train_curve.setData(c[:, 0], c[:, 1])
            self.test_curve.setData(c[:, 0], np.nan_to_num(c[:, 2], nan=0.0))
        xt, yt, xe, ye = self._split()
        self.frames = [t for t in self.frames if now - t < 1.0] + [now]
        rate = f", {self.rate:,.0f} updates/s, {len(self.frames)} redraws/s" if self._timer.isActive() else ""
        test = f"{net.accuracy(xe, ye):.1%}" if len(ye) else "n/a"
        self.state.setText(
            f"train {net.accuracy(xt, yt):.1%}, test {test} after {net.updates:,} updates{rate}"
        )
        if self.plane.pointer is not None:
            self._hover(*self.plane.pointer)

    def _hover(self, x1: float, x2: float) -> None:
        net = self.net
        if net is None:
            return
        if net.single and net.classes == 2:
            text, _ = net.formula((x1, x2))
            self.formula.setText(f"at ({x1:.1f}, {x2:.1f}): {text}")
        else:
            p = net.forward(np.array([[x1, x2]])).probs[0]
            self.formula.setText(
                f"at ({x1:.1f}, {x2:.1f}): " + ", ".join(f"class {k} {v:.0%}" for k, v in enumerate(p))
            )

    # ---------------------------------------------------------------- the window's
    def restore(self, settings: QSettings) -> list[str]:
        self.data.setCurrentText(read_choice(settings, "neuron/data", "xor", DATASETS))
        return []

    def save(self, settings: QSettings, closing: bool = False) -> None:
        if closing:
            settings.setValue("neuron/data", self.data.currentText())

    def hideEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        self.play_btn.setChecked(False)  # no training on a page not shown
        super().hideEvent(e)

    def close_down(self) -> None:
        self._timer.stop()

    def plots(self) -> dict:
        return {"plane": self.plane, "network": self.net_view, "loss": self.loss_plot}
