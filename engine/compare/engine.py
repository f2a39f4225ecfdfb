"""The Compare page's two networks on one drawing: the shipped digit CNN, which reads the 28x28
input all at once, and the shipped row-by-row recurrent network, which reads it one row per step."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from engine.compare.rows import ROWS_WEIGHTS, RowReading, load_row_network, read_rows, tall_rows
from engine.digits import DigitEngine
from engine.digits.result import DigitResult
from engine.paths import assets_dir


class CompareEngine:
    def __init__(self, cnn: DigitEngine, rnn: torch.nn.Module, rnn_path: Path) -> None:
        self.cnn, self.rnn, self.rnn_path = cnn, rnn, rnn_path

    @classmethod
    def load(
        cls,
        device: torch.device | str = "cpu",
        check=None,
        cnn: str | Path | None = None,
        rnn: str | Path | None = None,
    ) -> CompareEngine:
        """The shipped CNN (or `cnn`) and row-by-row network (or `rnn`); raises WeightsError naming
        a bad file. `check`: the digit check the CNN uses to name ink that is no digit."""
        rnn_path = Path(rnn) if rnn else assets_dir() / ROWS_WEIGHTS
        engine = DigitEngine.load(cnn, device=device, check=check)
        return cls(engine, load_row_network(rnn_path, engine.device), rnn_path)

    @property
    def names(self) -> str:
        return f"{self.cnn.path.name} + {self.rnn_path.name}"

    def to(self, device: torch.device | str) -> CompareEngine:
        self.cnn.to(device)
        self.rnn.to(self.cnn.device)
        return self

    def read(
        self, canvas: object, tall: bool = False, pull: bool = True
    ) -> tuple[DigitResult, RowReading | None]:
        """The CNN's reading (its 28x28 input, resized from any canvas) and the recurrent network's:
        of the same 28x28 input, or with `tall` of the canvas's own rows (more rows, no resizing).
        The recurrent reading is None with nothing drawn; `pull`: with each row's pull."""
        res = self.cnn.predict(canvas, keep_steps=False)
        if res.empty:
            return res, None
        return res, read_rows(self.rnn, tall_rows(canvas) if tall else res.input, pull)

    def row_pull(self, rows: np.ndarray) -> np.ndarray:
        """Each row's pull on the recurrent network's answer to `rows` (a reading's rows)."""
        return read_rows(self.rnn, rows, pull=True).pull
