"""The Neuron page's points: new ones from a data set, a click to add one and a right click to remove
one, and CSV files (a bad one is said, and the points shown stay). A part of NeuronPage
(app/neuron/page.py), which it is mixed into."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QFileDialog

from engine.neuron.data import load_csv, make, save_csv


class NeuronPoints:
    """See the module docstring."""

    def new_points(self, seed: int = 0) -> None:
        try:
            x, y = make(self.data.currentText(), 500 if self.data.currentText() != "and" else 400,
                        float(self.noise.value()), int(self.classes.value()), seed)  # fmt: skip
        except ValueError as exc:
            self.state.setText(str(exc))
            return
        self.set_points(x, y, seed)

    def set_points(self, x: np.ndarray, y: np.ndarray, seed: int = 0) -> None:
        self.x, self.y = x, y
        order = np.random.default_rng(seed).permutation(len(y))
        self.is_test = np.zeros(len(y), bool)
        self.is_test[order[: int(round(len(y) * float(self.test_share.value())))]] = True
        classes = int(self.y.max()) + 1 if len(self.y) else 2
        if classes != self.classes.value():
            self.classes.blockSignals(True)
            self.classes.setValue(max(2, classes))
            self.classes.blockSignals(False)
        self.reset()

    def _add_point(self, x1: float, x2: float) -> None:
        c = min(self.click_class.currentIndex(), int(self.classes.value()) - 1)
        self.x = np.vstack([self.x, [[x1, x2]]])
        self.y = np.append(self.y, c)
        self.is_test = np.append(self.is_test, False)
        self._points_changed()

    def _remove_point(self, i: int) -> None:
        keep = np.arange(len(self.y)) != i
        self.x, self.y, self.is_test = self.x[keep], self.y[keep], self.is_test[keep]
        self._points_changed()

    def _points_changed(self) -> None:
        """A point added or removed: on screen now. While it plays, the next frame redraws the rest."""
        if self._timer.isActive():
            self.plane.set_points(self.x, self.y, self.is_test)
        else:
            self._redraw()
        self.plane.repaint()

    def _save_points(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the points", "points.csv", "CSV (*.csv)")
        if path:
            try:
                save_csv(path, self.x, self.y)
                self.say.emit(f"Saved {len(self.y)} points to {path}", 6000)
            except OSError as exc:
                self.say.emit(f"Could not save {path}: {exc.strerror or exc}", 15000)

    def _load_points(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load points", "", "CSV (*.csv)")
        if path:
            self.load_points(path)

    def load_points(self, path: str) -> bool:
        """Points from a CSV; a bad file is said and the points shown stay."""
        try:
            x, y = load_csv(path)
        except ValueError as exc:
            self.say.emit(str(exc), 15000)
            self.state.setText(str(exc))
            return False
        self.set_points(x, y)
        return True
