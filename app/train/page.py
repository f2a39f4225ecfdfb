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
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.digits.answer_widgets import ProbBars
from app.digits.image_views import ImageView
from app.page import Page
from app.painting import LiveText
from app.plots import mosaic, scrolling
from app.save_network import save_network_as
from app.train.controls import ARCH_NAMES, TrainControls
from app.train.views import AccuracyPlot, ConfusionPanel, GradientPlot

POLL_MS = 100


class TrainPage(Page):
    useNetwork = Signal(str, str)  # (weights file, label): read the Digits page's drawing with it

    name = "train"
    title = "T&rain"
    tip = "Train a network from random weights and watch it learn (F4)"
    network = "Training"

    def __init__(self) -> None:
        super().__init__()
        self.run = None  # the TrainingProcess while one runs
        self._warm = None  # a process started ahead (torch and the data loaded), waiting for Train
        self.trained_path: str | None = None
        self._done_label = ""  # what the trained network did, for its name on the Digits page
        self._run_settings: dict = {}  # those of the run now or last
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
        self.controls = TrainControls()
        c = self.controls  # the settings most used, by their names here too
        self.arch, self.seconds, self.subset, self.lr = c.arch, c.seconds, c.subset, c.lr
        c.changed.connect(self._name_network)
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
        left.addWidget(self.controls)
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
        self.acc_plot = AccuracyPlot()
        self.acc_axis = QComboBox()
        self.acc_axis.addItem("against seconds", "seconds")
        self.acc_axis.addItem("against examples seen", "examples")
        self.acc_axis.setToolTip("The accuracy plot's horizontal axis")
        self.acc_axis.currentIndexChanged.connect(lambda: self.acc_plot.set_axis(self.acc_axis.currentData()))
        self.grad_plot = GradientPlot()
        self.weights_view = ImageView(
            "The first layer's weights as pictures: the CNN's 3x3 kernels, an MLP unit's 28x28 weights, a "
            "recurrent network's input weights. They start as noise; training turns them into strokes and edges.",
            cmap="CET-D1", title="first layer's weights (blue negative, red positive)")  # fmt: skip
        self.confusion = ConfusionPanel()
        acc_box = QVBoxLayout()
        acc_box.addWidget(self.acc_plot, 1)
        acc_box.addWidget(self.acc_axis)
        right = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.loss_plot)
        top.addLayout(acc_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.weights_view, 2)
        bottom.addWidget(self.grad_plot, 2)
        bottom.addWidget(self.confusion, 2)
        right.addLayout(top, 1)
        right.addLayout(bottom, 1)
        lay = QHBoxLayout(self)
        lay.addWidget(scrolling(left), 1)
        lay.addLayout(right, 3)

    # ---------------------------------------------------------------- the run
    def _name_network(self, state: str = "") -> None:
        """The status bar names the network chosen, and where its training is."""
        self.named.emit(self.controls.describe() + (f" ({state})" if state else ""))

    def showEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(e)
        self._warm_up()
        if self.run is None:
            self._name_network()

    def settings_chosen(self) -> dict:
        return self.controls.chosen()

    def start(self) -> None:
        from engine.digits.train_process import TrainingProcess
        from engine.digits.trainer import RunSettings

        if self.run is not None and self.run.alive:
            return
        try:
            settings = self.settings_chosen()
            RunSettings(**settings)  # absurd settings are said here, before a process starts
        except ValueError as exc:
            self.state.setText(f"Cannot train with these settings: {exc}")
            return
        self._reset_views()
        self._run_settings = settings
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
        self._name_network("training")
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
        self.loss_curve.setData([], [])
        self.acc_plot.clear_points()
        self.weights_view.clear()
        self.confusion.clear()
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
                self.state.setText(self._progress_text(body))
            elif kind == "ready":
                self.confusion.set_digits(body["digits"], body["truth"])
            elif kind == "eval":
                self.acc_plot.add(
                    body["seconds"], body["examples"], body["mnist_test_2000"], body["train_2000"]
                )
                self.confusion.set_answers(np.asarray(body["answers"]))
            elif kind == "weights":
                w = np.asarray(body)
                m = float(np.abs(w).max()) or 1.0
                self.weights_view.set_image(mosaic(w, "signed"), values=(-m, m))
            elif kind == "gradients":
                self.grad_plot.show_sizes(body)
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
                self._name_network(f"trained {self._done_label}")
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
        if not run.alive:
            self._finished()

    def _send_drawing(self) -> None:
        """The Digits page's drawing to the training process, when it changed."""
        x = self.drawing_source()
        if x is not None and self.run is not None and self.run.alive and x is not self._drawing_sent:
            self._drawing_sent = x
            self.run.send_drawing(x)

    def _progress_text(self, p: dict) -> str:
        """Examples seen and their rate, time trained and left (or the epochs' share done), the loss."""
        rate = p["examples"] / max(p["seconds"], 1e-6)
        planned = self._run_settings.get("seconds")  # the run's, not the controls' now
        if planned is not None:
            left = f"{max(0.0, planned - p['seconds']):.0f} s to go"
        else:
            left = f"{p['fraction']:.0%} of the epochs done" + (
                f", about {p['seconds'] * (1 - p['fraction']) / p['fraction']:.0f} s to go"
                if p["fraction"] > 0
                else ""
            )
        return (f"{p['examples']:,} examples seen, {rate:,.0f} a second\n"
                f"{p['seconds']:.0f} s trained, {left}; loss {p['loss']:.3f}")  # fmt: skip

    def _finished(self) -> None:
        self._poll.stop()
        code = self.run.process.exitcode
        if self.trained_path is None and code not in (0, None):
            why = "it ran out of memory or was killed" if code < 0 else f"it exited with status {code}"
            self.state.setText(f"The training process ended without a network: {why}. The window goes on.")
            self.say.emit(f"The training process ended: {why}", 15000)
            self._name_network("its training ended without a network")
        self.pause_btn.setChecked(False)
        for b, on in ((self.train_btn, True), (self.pause_btn, False), (self.stop_btn, False)):
            b.setEnabled(on)
        self.save_btn.setEnabled(self.trained_path is not None)
        self.use_btn.setEnabled(self.trained_path is not None)
        if self.isVisible():
            self._warm_up()  # for the next Train

    def _use(self) -> None:
        if self.trained_path:
            arch = self._run_settings.get("arch", "cnn")
            self.useNetwork.emit(self.trained_path, f"{ARCH_NAMES[arch].split(',')[0]}, {self._done_label}")

    def _save_as(self) -> None:
        said = (
            save_network_as(self, self.trained_path, "Save the trained network")
            if self.trained_path
            else None
        )
        if said:
            self.say.emit(said, 8000 if said.startswith("Saved") else 15000)

    # ---------------------------------------------------------------- the window's
    def restore(self, settings: QSettings) -> list[str]:
        self.controls.restore(settings)
        return []

    def save(self, settings: QSettings, closing: bool = False) -> None:
        if closing:
            self.controls.save(settings)

    def close_down(self) -> None:
        self._poll.stop()
        for proc in (self.run, self._warm):
            if proc is not None:
                proc.kill()  # quitting mid-training ends the process
        self._warm = None

    def plots(self) -> dict:
        return {"loss": self.loss_plot, "accuracy": self.acc_plot, "weights": self.weights_view,
                "gradients": self.grad_plot, "confusion": self.confusion.matrix_view}  # fmt: skip
