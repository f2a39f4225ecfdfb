"""The Train page: pick a network (the CNN, an MLP, a row-by-row RNN/LSTM/GRU) and how to train it,
and watch it learn from random weights: the loss and the held-out accuracy, the first layer's weights
going from noise to strokes, each layer's gradient size, and a held-out confusion matrix. Training
runs in a process of its own (engine/digits/train_process.py), so the window stays quick."""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.digits.answer_widgets import ProbBars
from app.digits.image_views import ImageView
from app.page import Page
from app.painting import LiveText
from app.plots import mosaic
from app.settings import read_choice, read_int

ARCH_NAMES = {"cnn": "CNN (convolutions)", "mlp": "MLP (fully connected)", "rnn": "plain RNN, row by row",
              "lstm": "LSTM, row by row", "gru": "GRU, row by row"}  # fmt: skip
SUBSETS = {"500": 500, "5,000": 5000, "all (about 90,000)": 0}
POLL_MS = 100


class TrainPage(Page):
    useNetwork = Signal(str, str)  # (weights file, label): read the Digits page's drawing with it

    name = "train"
    title = "T&rain"
    tip = "Train a network from random weights and watch it learn (F4)"
    network = "trainer"

    def __init__(self) -> None:
        super().__init__()
        self.run = None  # the TrainingProcess while one runs
        self._warm = None  # a process started ahead (torch and the data loaded), waiting for Train
        self.trained_path: str | None = None
        self._done_label = ""  # what the trained network did, for its name on the Digits page
        self.drawing_source = lambda: None  # the Digits page's input (28x28), set by the window
        self._drawing_sent = None
        self._started = 0.0
        self._first_point: float | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._read_messages)
        self._build()

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.arch = QComboBox()
        for key, label in ARCH_NAMES.items():
            self.arch.addItem(label, key)
        self.arch.setToolTip("Which network learns: a CNN slides 3x3 kernels over the picture; an MLP connects "
                             "every pixel to every unit; a recurrent network reads the picture one row per step.")  # fmt: skip
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(2, 3600)
        self.seconds.setValue(30)
        self.seconds.setSuffix(" s")
        self.seconds.setToolTip("How long it trains: the learning rate falls over this time")
        self.subset = QComboBox()
        for label in SUBSETS:
            self.subset.addItem(label, SUBSETS[label])
        self.subset.setCurrentIndex(2)
        self.subset.setToolTip("How many training digits: with 500 it learns them by heart (overfits), "
                               "and the held-out accuracy stays low")  # fmt: skip
        self.optimiser = QComboBox()
        self.optimiser.addItem("Adam", "adam")
        self.optimiser.addItem("SGD with momentum", "sgd")
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(4)
        self.lr.setRange(0.0, 1.0)
        self.lr.setSingleStep(0.0005)
        self.lr.setSpecialValueText("the network's default")
        self.lr.setToolTip("Learning rate: how big a step each update takes (0: the network's default)")
        self.batch = QSpinBox()
        self.batch.setRange(0, 4096)
        self.batch.setSpecialValueText("the network's default")
        self.batch.setToolTip("Digits per update (0: the network's default)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 10**6)
        self.seed.setToolTip("The random seed: the same seed, the same starting weights")
        form = QFormLayout()
        for label, w in (("Network", self.arch), ("Time", self.seconds), ("Training digits", self.subset),
                         ("Optimiser", self.optimiser), ("Learning rate", self.lr), ("Batch size", self.batch),
                         ("Seed", self.seed)):  # fmt: skip
            form.addRow(label, w)
        self.train_btn = QPushButton("Train")
        self.train_btn.setToolTip("Start from random weights (Ctrl+Return)")
        self.pause_btn = QPushButton("Pause")
        self.pause_btn.setCheckable(True)
        self.stop_btn = QPushButton("Stop")
        self.use_btn = QPushButton("Use on the Digits page")
        self.use_btn.setToolTip("Read your drawing on the Digits page with the network trained here")
        self.use_btn.clicked.connect(self._use)
        self.save_btn = QPushButton("Save as…")
        self.save_btn.setToolTip(
            "Write the trained network as a .safetensors file (nn-playground --digits-weights FILE reads it)"
        )
        for b in (self.pause_btn, self.stop_btn, self.save_btn, self.use_btn):
            b.setEnabled(False)
        self.train_btn.clicked.connect(self.start)
        self.pause_btn.toggled.connect(self._pause)
        self.stop_btn.clicked.connect(self.stop)
        self.save_btn.clicked.connect(self._save_as)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start)
        buttons = QHBoxLayout()
        for b in (self.train_btn, self.pause_btn, self.stop_btn, self.save_btn):
            buttons.addWidget(b)
        self.state = LiveText("Pick a network and press Train", lines=3, name="Training")
        self.drawing_bars = ProbBars()
        self.drawing_bars.setToolTip(
            "Your drawing on the Digits page, read by the network in training: its probability for each "
            "digit moves as it learns (draw one on the Digits page, F1, first)."
        )
        self.drawing_note = LiveText("", name="Your drawing")
        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.use_btn)
        left.addWidget(self.state)
        left.addWidget(QLabel("Your drawing (Digits page), read by the network in training:"))
        left.addWidget(self.drawing_bars, 1)
        left.addWidget(self.drawing_note)

        self.loss_plot = pg.PlotWidget(title="loss (smoothed) against examples seen")
        self.loss_plot.setLabel("bottom", "examples seen")
        self.loss_plot.setLabel("left", "cross-entropy loss")
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen("#f0a030", width=2))
        self.acc_plot = pg.PlotWidget(title="held-out accuracy (2,000 MNIST test digits) against seconds")
        self.acc_plot.setLabel("bottom", "seconds")
        self.acc_plot.setLabel("left", "accuracy")
        self.acc_plot.setYRange(0, 1)
        self.acc_curve = self.acc_plot.plot(pen=pg.mkPen("#60c0ff", width=2), symbol="o", symbolSize=5)
        self.grad_plot = pg.PlotWidget(title="each layer's gradient size")
        self.grad_plot.setLabel("left", "log10 of the gradient's size")
        self.grad_bars: pg.BarGraphItem | None = None
        self.weights_view = ImageView(
            "The first layer's weights as pictures: the CNN's 3x3 kernels, an MLP unit's 28x28 weights, a "
            "recurrent network's input weights. They start as noise; training turns them into strokes and edges.",
            cmap="CET-D1", title="first layer's weights (blue negative, red positive)")  # fmt: skip
        self.confusion_view = ImageView(
            "Held-out confusion matrix: row the true digit (0 at the top), column the network's answer; "
            "bright off the diagonal where it mixes two digits up.",
            cmap="inferno", title="confusion: true digit (rows) × answer (columns)")  # fmt: skip
        right = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.loss_plot)
        top.addWidget(self.acc_plot)
        bottom = QHBoxLayout()
        bottom.addWidget(self.weights_view, 2)
        bottom.addWidget(self.grad_plot, 2)
        bottom.addWidget(self.confusion_view, 1)
        right.addLayout(top, 1)
        right.addLayout(bottom, 1)
        lay = QHBoxLayout(self)
        lay.addLayout(left, 1)
        lay.addLayout(right, 3)

    # ---------------------------------------------------------------- the run
    def settings_chosen(self) -> dict:
        return {
            "arch": self.arch.currentData(),
            "seconds": float(self.seconds.value()),
            "subset": int(self.subset.currentData()),
            "optimiser": self.optimiser.currentData(),
            "lr": float(self.lr.value()) or None,
            "batch_size": int(self.batch.value()) or None,
            "seed": int(self.seed.value()),
        }

    def start(self) -> None:
        from engine.digits.train_process import TrainingProcess
        from engine.digits.trainer import RunSettings

        if self.run is not None and self.run.alive:
            return
        settings = self.settings_chosen()
        try:
            RunSettings(**settings)  # absurd settings are said here, before a process starts
        except ValueError as exc:
            self.state.setText(f"Cannot train with these settings: {exc}")
            return
        self._reset_views()
        self._drawing_sent = None
        warm, self._warm = self._warm, None
        if warm is not None and warm.alive:
            warm.begin(settings)  # torch and the data are loaded already: the curves start at once
            self.run = warm
        else:
            self.run = TrainingProcess(settings, self._new_out_path())
        self._started = time.perf_counter()
        self._first_point = None
        self.state.setText("Starting (the very first time it also prepares the data, about 30 s)...")
        for b, on in (
            (self.train_btn, False),
            (self.pause_btn, True),
            (self.stop_btn, True),
            (self.save_btn, False),
        ):
            b.setEnabled(on)
        self._poll.start()

    @staticmethod
    def _new_out_path() -> str:
        return os.path.join(tempfile.mkdtemp(prefix="nnpg-train-"), "trained.safetensors")

    def _warm_up(self) -> None:
        """Start a process ahead of Train: torch's import and the data take seconds."""
        from engine.digits.train_process import TrainingProcess

        if self._warm is None and (self.run is None or not self.run.alive):
            self._warm = TrainingProcess(None, self._new_out_path())

    def showEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(e)
        self._warm_up()

    def _pause(self, on: bool) -> None:
        if self.run is not None:
            self.run.pause(on)
            self.pause_btn.setText("Resume" if on else "Pause")

    def stop(self) -> None:
        if self.run is not None and self.run.alive:
            self.state.setText("Stopping (it keeps what it has learnt)...")
            self.run.stop_event.set()
            self.run.pause_event.clear()

    def _reset_views(self) -> None:
        self._loss: list[tuple[int, float]] = []
        self._acc: list[tuple[float, float]] = []
        self.loss_curve.setData([], [])
        self.acc_curve.setData([], [])
        self.weights_view.clear()
        self.confusion_view.clear()
        self.trained_path = None

    def _read_messages(self) -> None:
        run = self.run
        if run is None:
            return
        for kind, body in run.poll():
            if kind == "progress":
                self._loss.append((body["examples"], body["loss"]))
                if self._first_point is None:
                    self._first_point = time.perf_counter() - self._started
                left = max(0.0, float(self.seconds.value()) - body["seconds"])
                rate = body["examples"] / max(body["seconds"], 1e-6)
                self.state.setText(f"{body['examples']:,} examples seen, {rate:,.0f} a second\n"
                                   f"{body['seconds']:.0f} s trained, {left:.0f} s to go; loss {body['loss']:.3f}")  # fmt: skip
            elif kind == "eval":
                self._acc.append((body["seconds"], body["mnist_test_2000"]))
                counts = np.asarray(body["confusion"], np.float32)
                top = float(counts.max()) or 1.0  # on a log scale: the few mix-ups show beside the diagonal
                self.confusion_view.set_image(np.log1p(counts) / np.log1p(top), values=(0.0, top))
            elif kind == "weights":
                w = np.asarray(body)
                m = float(np.abs(w).max()) or 1.0
                self.weights_view.set_image(mosaic(w, "signed"), values=(-m, m))
            elif kind == "gradients":
                self._show_gradients(body)
            elif kind == "drawing":
                probs = np.asarray(body, np.float32)
                self.drawing_bars.set_probs(probs)
                self.drawing_note.setText(
                    f"it reads your drawing as {int(np.argmax(probs))} ({float(probs.max()):.0%})"
                )
            elif kind == "done":
                self.trained_path = body["path"]
                m = body["metrics"]
                self._done_label = f"{m['seconds']:.0f} s, MNIST {m['mnist_test_top1']:.1%}"
                pen = m.get("pendigits_heldout_top1")
                self.state.setText(
                    f"Trained: MNIST test {m['mnist_test_top1']:.2%}, held-out writers' pen digits "
                    f"{pen:.2%}, after {m['seconds']} s ({m['examples_seen']:,} examples)"
                )
            elif kind == "error":
                self.state.setText(f"The training stopped: {body}")
                self.say.emit(f"The training stopped: {body}", 15000)
            elif kind == "log":
                self.state.setText(str(body))
        self._send_drawing()
        if self._loss:
            x, y = zip(*self._loss, strict=True)
            self.loss_curve.setData(np.asarray(x, float), np.asarray(y, float))
        if self._acc:
            x, y = zip(*self._acc, strict=True)
            self.acc_curve.setData(np.asarray(x, float), np.asarray(y, float))
        if not run.alive:
            self._finished()

    def _send_drawing(self) -> None:
        """The Digits page's drawing to the training process, when it changed."""
        x = self.drawing_source()
        if x is not None and self.run is not None and self.run.alive and x is not self._drawing_sent:
            self._drawing_sent = x
            self.run.send_drawing(x)

    def _show_gradients(self, sizes: dict) -> None:
        """One bar per weight matrix, first layer at the left: its gradient's size on a log scale
        (a stack of sigmoids, or a plain RNN over 28 rows, shows the first layers' vanishing)."""
        names = list(sizes)
        logs = np.log10(np.maximum(np.asarray([sizes[n] for n in names], float), 1e-12))
        floor = float(np.floor(logs.min())) - 0.5
        if self.grad_bars is not None:
            self.grad_plot.removeItem(self.grad_bars)
        self.grad_bars = pg.BarGraphItem(x=np.arange(len(names)), y0=floor, height=logs - floor, width=0.7,
                                         brush="#60c0ff")  # fmt: skip
        self.grad_plot.addItem(self.grad_bars)
        ax = self.grad_plot.getAxis("bottom")
        ax.setTicks([[(i, n.replace(".weight", "").replace("_l0", "")) for i, n in enumerate(names)]])

    def _finished(self) -> None:
        self._poll.stop()
        code = self.run.process.exitcode
        if self.trained_path is None and code not in (0, None):
            why = "it ran out of memory or was killed" if code < 0 else f"it exited with status {code}"
            self.state.setText(f"The training process ended without a network: {why}. The window goes on.")
            self.say.emit(f"The training process ended: {why}", 15000)
        self.pause_btn.setChecked(False)
        for b, on in ((self.train_btn, True), (self.pause_btn, False), (self.stop_btn, False)):
            b.setEnabled(on)
        self.save_btn.setEnabled(self.trained_path is not None)
        self.use_btn.setEnabled(self.trained_path is not None)
        if self.isVisible():
            self._warm_up()  # for the next Train

    def _use(self) -> None:
        if self.trained_path:
            arch = self.arch.currentData()
            self.useNetwork.emit(self.trained_path, f"{ARCH_NAMES[arch].split(',')[0]}, {self._done_label}")

    def _save_as(self) -> None:
        if not self.trained_path:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the trained network", "", "Weights (*.safetensors)")
        if path:
            import shutil

            try:
                shutil.copyfile(self.trained_path, path)
                self.say.emit(
                    f"Saved {path} (nn-playground --digits-weights {os.path.basename(path)} reads it)", 8000
                )
            except OSError as exc:
                self.say.emit(f"Could not save {path}: {exc.strerror or exc}", 15000)

    # ---------------------------------------------------------------- the window's
    def restore(self, settings: QSettings) -> list[str]:
        i = self.arch.findData(read_choice(settings, "train/arch", "cnn", tuple(ARCH_NAMES)))
        self.arch.setCurrentIndex(max(0, i))
        self.seconds.setValue(read_int(settings, "train/seconds", 30, 2, 3600))
        return []

    def save(self, settings: QSettings, closing: bool = False) -> None:
        if closing:
            settings.setValue("train/arch", self.arch.currentData())
            settings.setValue("train/seconds", int(self.seconds.value()))

    def close_down(self) -> None:
        self._poll.stop()
        for proc in (self.run, self._warm):
            if proc is not None:
                proc.kill()  # quitting mid-training ends the process
        self._warm = None

    def plots(self) -> dict:
        return {"loss": self.loss_plot, "accuracy": self.acc_plot, "weights": self.weights_view,
                "gradients": self.grad_plot, "confusion": self.confusion_view}  # fmt: skip
