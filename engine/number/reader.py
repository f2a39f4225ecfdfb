"""NumberReader: a canvas with a written number in, the number and what the CRNN computed out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from engine.device import pick_device, resolve_device
from engine.number.decode import ReadDigit, greedy
from engine.number.line import Line, line_input
from engine.number.model import STRIDE, NumberNet, NumberNetConfig
from engine.paths import assets_dir
from engine.weights import load_model

DEFAULT_WEIGHTS = "number.safetensors"
_MESSAGES = {
    "empty": "no ink: write a number",
    "full": "the canvas is covered in ink: clear it and write a number",
}


@dataclass
class NumberResult:
    """One reading. Arrays are per output column (one for every 4 columns of the line)."""

    text: str  # the digits read, "" when none
    digits: list[ReadDigit]
    line: Line  # the input (28 x W) and where it lies on the canvas
    probs: np.ndarray  # (T, 11): blank, then 0-9, each column's distribution
    columns: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))  # (T, F) the CNN's
    hidden: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))  # (T, 2H) fwd | bwd

    @property
    def status(self) -> str:
        return self.line.status

    @property
    def confidence(self) -> float:
        """The least sure digit's confidence (0 when nothing was read)."""
        return min((d.confidence for d in self.digits), default=0.0)

    def canvas_span(self, d: ReadDigit) -> tuple[float, float]:
        """The canvas x range of the columns that read digit d."""
        return self.column_span(d.first, d.last)

    def column_span(self, first: int, last: int | None = None) -> tuple[float, float]:
        """The canvas x range of output columns first..last (the 4 px of the line each stands for)."""
        last = first if last is None else last
        return self.line.to_canvas_x(first * STRIDE), self.line.to_canvas_x((last + 1) * STRIDE)

    @property
    def message(self) -> str:
        if self.line.empty:
            return _MESSAGES[self.status]
        if not self.text:
            return "no digit read"
        return f"{self.text} (least sure digit {self.confidence:.0%})"


class NumberReader:
    """Loads a NumberNet from .safetensors and reads written numbers.

    >>> reader = NumberReader.load()
    >>> reader.read(canvas).text   # canvas: 2-D numpy array, white ink on black
    """

    def __init__(self, model: NumberNet, metadata: dict, device: torch.device, path: Path | None = None):
        self.model = model.eval().to(device)
        self.metadata = metadata
        self.device = device
        self.path = path
        for p in self.model.parameters():
            p.requires_grad_(False)

    @classmethod
    def load(cls, path: str | Path | None = None, device: str | torch.device | None = None) -> NumberReader:
        """Load the shipped weights (or `path`); raises WeightsError naming a bad file."""
        path = Path(path) if path else assets_dir() / DEFAULT_WEIGHTS
        model, meta = load_model(path, "NumberNet", NumberNetConfig, NumberNet)
        return cls(model, meta, resolve_device(device), path)

    def to(self, device: str | torch.device) -> NumberReader:
        """Move the model to another device (falls back to CPU when it is absent)."""
        self.device = device if isinstance(device, torch.device) else pick_device(device)
        self.model.to(self.device)
        return self

    def read(self, canvas: object) -> NumberResult:
        """Read the number on a canvas (2-D array, white ink on black). Bad input raises ValueError."""
        line = line_input(canvas)
        if line.empty:
            return NumberResult("", [], line, np.zeros((0, 11), np.float32))
        x = torch.from_numpy(line.input).to(self.device)[None, None]
        with torch.inference_mode():
            cols = self.model.columns(x)
            hidden = self.model.hidden(cols)
            probs = torch.softmax(self.model.out(hidden)[0].float(), -1).cpu().numpy()
            cols_np, hidden_np = cols[0].float().cpu().numpy(), hidden[0].float().cpu().numpy()
        text, digits = greedy(probs)
        return NumberResult(text, digits, line, probs, cols_np, hidden_np)
