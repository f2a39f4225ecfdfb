"""The CNN-vs-RNN table on the Compare page, measured in a process of its own (`python -m
engine.compare --json`, the same table the command line prints) so that the window stays quick, with
the time-against-input-size curve beside it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QProcess, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import engine
from app.painting import LiveText

COLUMNS = ("", "CNN", "row-by-row RNN", "the articles say", "measured here")
NOT_HERE = "#ff9060"  # a verdict the measurement contradicts


class CompareTable(QWidget):
    measured = Signal(dict)  # the table, as engine.compare's Table.to_dict()

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setToolTip(
            "The comparison the articles make, measured on this machine for these two networks"
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for i in range(1, len(COLUMNS)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)  # the long texts wrap
        self.plot = pg.PlotWidget(title="time to read N rows of 28 pixels")
        self.plot.setLabel("bottom", "rows in the input")
        self.plot.setLabel("left", "ms")
        self.plot.addLegend(offset=(10, 10))
        self.cnn_curve = self.plot.plot(pen=pg.mkPen("#60c0ff", width=2), symbol="o", symbolSize=5,
                                        name="CNN: all positions at once")  # fmt: skip
        self.rnn_curve = self.plot.plot(pen=pg.mkPen("#f0a030", width=2), symbol="o", symbolSize=5,
                                        name="RNN: one row after another")  # fmt: skip
        self.measure_btn = QPushButton("Measure again")
        self.measure_btn.setToolTip(
            "Measure the table again on this machine (a few seconds, in a process of its own)"
        )
        self.measure_btn.clicked.connect(self.start)
        self.state = LiveText("The table is measured when the page is first shown", name="Comparison table")
        self.process: QProcess | None = None
        self.result: dict | None = None
        right = QVBoxLayout()
        right.addWidget(self.plot, 1)
        right.addWidget(self.measure_btn)
        right.addWidget(self.state)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 3)
        lay.addLayout(right, 1)

    def start(self, quick: bool = False) -> None:
        """Measure in a process of its own; the table fills when it ends."""
        if self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning:
            return
        self.process = QProcess(self)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed)
        self.measure_btn.setEnabled(False)
        self.state.setText("Measuring both networks on this machine (a few seconds)...")
        args = ["-m", "engine.compare", "--json", "--nice"] + (["--quick"] if quick else [])
        # From the folder that holds the engine package: found whether installed or run from a checkout.
        self.process.setWorkingDirectory(str(Path(engine.__file__).resolve().parent.parent))
        self.process.start(sys.executable, args)

    def _failed(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.state.setText(f"Could not start the measurement ({sys.executable}).")
            self.measure_btn.setEnabled(True)

    def _finished(self, code: int, _status) -> None:
        proc = self.process
        self.measure_btn.setEnabled(True)
        out = bytes(proc.readAllStandardOutput()).decode(errors="replace")
        err = bytes(proc.readAllStandardError()).decode(errors="replace").strip()
        try:
            table = json.loads(out.strip().splitlines()[-1]) if code == 0 and out.strip() else None
        except json.JSONDecodeError:
            table = None
        if table is None:
            why = err.splitlines()[-1] if err else f"it exited with status {code}"
            self.state.setText(f"The measurement failed: {why}")
            return
        self.show_table(table)

    def show_table(self, table: dict) -> None:
        self.result = table
        rows = table["rows"]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, text in enumerate((r["what"], r["cnn"], r["rnn"], r["claim"], r["verdict"])):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if j == 4 and text.startswith("not here"):
                    item.setForeground(pg.mkColor(NOT_HERE))
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()
        self.cnn_curve.setData(np.asarray(table["sizes"], float), np.asarray(table["cnn_ms"], float))
        self.rnn_curve.setData(np.asarray(table["sizes"], float), np.asarray(table["rnn_ms"], float))
        self.state.setText(f"Measured on {table['device']}.")
        self.measured.emit(table)

    def close_down(self) -> None:
        if self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.kill()
            self.process.waitForFinished(2000)
