"""Your examples (Ctrl+E on the Digits page): the drawings you told it the right digit for, to look
at, remove, export and import; and Teach: the network reading now fine-tuned on them in a process of
its own, with what it did to examples held out and to MNIST, then used, saved, or left."""

from __future__ import annotations

import os
import tempfile
import time

import cv2
import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.digits.examples import ExampleStore
from app.painting import LiveText
from app.save_network import save_network_as

THUMB = 56


def thumbnail(canvas: np.ndarray) -> QIcon:
    small = cv2.resize(canvas, (THUMB, THUMB), interpolation=cv2.INTER_AREA)
    img = QImage(small.data, THUMB, THUMB, THUMB, QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(img))


class TeachDialog(QDialog):
    useNetwork = Signal(str, str)  # (weights file, label): read with the taught network
    changed = Signal()  # the examples changed (saved already)
    say = Signal(str, int)

    def __init__(self, store: ExampleStore, weights, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your examples")
        self.store = store
        self.weights = weights  # () -> the file of the network reading now
        self.run = None
        self.taught_path: str | None = None
        self._started = 0.0
        self._stage = ("", 1.0, 0.0)  # (name, its seconds, when it began)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMB, THUMB))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.gallery.setToolTip(
            "Your examples, each with the digit you gave it. Select some and press Delete to remove them."
        )
        self.count = LiveText("", name="Examples")
        remove = QPushButton("Remove")
        remove.setToolTip("Remove the selected examples (Delete)")
        remove.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.gallery, self.remove_selected)
        export = QPushButton("Export…")
        export.setToolTip("Write them as PNG files and a labels.csv in a folder")
        export.clicked.connect(self._export)
        imp = QPushButton("Import…")
        imp.setToolTip("Add examples from a labels.csv (file,label) and the PNG files beside it")
        imp.clicked.connect(self._import)
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(5, 600)
        self.seconds.setValue(30)
        self.seconds.setSuffix(" s")
        self.seconds.setToolTip("How long to teach (a third of it checks the result on examples held out)")
        self.teach_btn = QPushButton("Teach")
        self.teach_btn.setToolTip(
            "Fine-tune the network reading now on your examples mixed with its own training digits"
        )
        self.teach_btn.clicked.connect(self.teach)
        self.stop_btn = QPushButton("Stop")
        self.stop_btn.setEnabled(False)
        self.stop_btn.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.result = LiveText("Tell the Digits page what a drawing is (Ctrl+0 ... Ctrl+9, or click its bar), "
                               "then teach it here.", lines=3, name="Teaching")  # fmt: skip
        self.use_btn = QPushButton("Use the taught network")
        self.use_btn.setToolTip(
            "Read your drawings with it on the Digits page (the network before stays in its list)"
        )
        self.use_btn.clicked.connect(self._use)
        self.save_btn = QPushButton("Save as…")
        self.save_btn.clicked.connect(self._save_as)
        for b in (self.use_btn, self.save_btn):
            b.setEnabled(False)
        row1 = QHBoxLayout()
        for w in (self.count, remove, export, imp):
            row1.addWidget(w)
        row2 = QHBoxLayout()
        for w in (self.seconds, self.teach_btn, self.stop_btn, self.progress):
            row2.addWidget(w)
        row3 = QHBoxLayout()
        row3.addWidget(self.use_btn)
        row3.addWidget(self.save_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.gallery, 1)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addWidget(self.result)
        lay.addLayout(row3)
        self.resize(640, 520)
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._read_messages)
        self.refresh()

    # ---------------------------------------------------------------- the examples
    def refresh(self) -> None:
        self.gallery.clear()
        for c, v in zip(self.store.canvases, self.store.labels, strict=True):
            item = QListWidgetItem(thumbnail(c), str(v))
            item.setToolTip(f"taught as a {v}")
            self.gallery.addItem(item)
        per = (
            np.bincount(np.asarray(self.store.labels, int), minlength=10)
            if len(self.store)
            else np.zeros(10, int)
        )
        self.count.setText(f"{len(self.store)} examples ({', '.join(f'{d}: {n}' for d, n in enumerate(per) if n)})"
                           if len(self.store) else "No examples yet")  # fmt: skip
        self.teach_btn.setEnabled(len(self.store) > 0 and self.run is None)

    def remove_selected(self) -> None:
        rows = sorted(self.gallery.row(i) for i in self.gallery.selectedItems())
        if rows:
            self.store.remove(rows)
            self._store_changed()

    def _store_changed(self) -> None:
        problem = self.store.save()
        if problem:
            self.say.emit(problem, 15000)
        self.refresh()
        self.changed.emit()

    def _export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export your examples to a folder")
        if folder:
            try:
                n = self.store.export(folder)
                self.result.setText(f"Wrote {n} PNG files and labels.csv to {folder}")
            except OSError as exc:
                self.result.setText(f"Could not export to {folder}: {exc.strerror or exc}")

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import examples: a labels.csv", "", "Labels (*.csv)")
        if path:
            self.import_csv(path)

    def import_csv(self, path: str) -> None:
        added, problems = self.store.import_from(path)
        if added:
            self._store_changed()
        said = f"Added {added} examples from {path}."
        if problems:
            said += f" {len(problems)} not: {problems[0]}" + (" (and more)" if len(problems) > 1 else "")
        self.result.setText(said)

    # ---------------------------------------------------------------- teaching
    def teach(self) -> None:
        from engine.digits.teach_process import TeachingProcess

        if self.run is not None or not len(self.store):
            return
        out = os.path.join(tempfile.mkdtemp(prefix="nnpg-taught-"), "taught.safetensors")
        self.run = TeachingProcess(str(self.weights()), self.store.canvases, self.store.labels,
                                   float(self.seconds.value()), out)  # fmt: skip
        self._started = time.perf_counter()
        self._stage = ("starting", 5.0, self._started)
        self.taught_path = None
        self.teach_btn.setEnabled(False)
        self.stop_btn.setEnabled(True)
        self.use_btn.setEnabled(False)
        self.save_btn.setEnabled(False)
        self.result.setText("Starting (loading the network and its training digits)...")
        self._poll.start()

    def stop(self) -> None:
        if self.run is not None:
            self.run.stop()
            self.result.setText("Stopping...")

    def _read_messages(self) -> None:
        run = self.run
        if run is None:
            return
        name, seconds, began = self._stage
        self.progress.setValue(int(1000 * min(1.0, (time.perf_counter() - began) / max(seconds, 1e-3))))
        ended = not run.alive  # asked before reading: what it sent before it ended is read now
        for kind, body in run.poll():
            if kind == "stage":
                self._stage = (body["name"], body["seconds"], time.perf_counter())
                self.result.setText({"checking": "Checking: taught three quarters of your examples, to read the rest...",
                                     "teaching": "Teaching all your examples..."}[body["name"]])  # fmt: skip
            elif kind == "done":
                self.taught_path = body["path"]
                self.result.setText(self.figures_text(body))
            elif kind == "error":
                self.result.setText("Teaching stopped." if body == "stopped" else f"Teaching failed: {body}")
        if ended:
            self._finished()

    @staticmethod
    def figures_text(f: dict) -> str:
        parts = []
        if f.get("held_out"):
            parts.append(
                f"On {f['held_out']} of your examples held out: {f['before']} wrong before, {f['after']} after."
            )
        else:
            parts.append("Too few examples to hold some out (8 or more): no before and after on yours.")
        if f.get("mnist_before") is not None:
            parts.append(f"MNIST test: {f['mnist_before']:.2%} before, {f['mnist_after']:.2%} after.")
        return "Taught. " + " ".join(parts)

    def _finished(self) -> None:
        self._poll.stop()
        code = self.run.process.exitcode
        if self.taught_path is None and code not in (0, None) and "failed" not in self.result.text():
            self.result.setText(f"The teaching process ended without a network (status {code}).")
        self.run = None
        self.progress.setValue(1000 if self.taught_path else 0)
        self.stop_btn.setEnabled(False)
        self.teach_btn.setEnabled(len(self.store) > 0)
        self.use_btn.setEnabled(self.taught_path is not None)
        self.save_btn.setEnabled(self.taught_path is not None)

    def _use(self) -> None:
        if self.taught_path:
            self.useNetwork.emit(self.taught_path, f"{len(self.store)} examples")

    def _save_as(self) -> None:
        said = (
            save_network_as(self, self.taught_path, "Save the taught network") if self.taught_path else None
        )
        if said:
            self.result.setText(said)

    def close_down(self) -> None:
        self._poll.stop()
        if self.run is not None:
            self.run.kill()
            self.run = None

    def keyPressEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        if e.key() == Qt.Key.Key_Escape and self.run is not None:
            return  # Esc does not close it mid-teaching (Stop does)
        super().keyPressEvent(e)
