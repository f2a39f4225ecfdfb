"""A row-by-row recurrent network's reading of a drawing, step by step: its hidden state after each
row, its ten probabilities after each row (what it would answer if the drawing ended there), and
each row's pull on its final answer (the gradient's size: how much that row can still move it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

from engine.digits.architectures import DigitRowRNN, load_network
from engine.digits.preprocess import as_canvas
from engine.paths import assets_dir

ROWS_WEIGHTS = "digits_rows.safetensors"  # the shipped row-by-row network
MAX_ROWS = 28 * 8  # a drawing at most eight times as tall as it is wide


@dataclass
class RowReading:
    rows: np.ndarray  # (R, 28) the input, one row per step
    states: np.ndarray  # (R, units) the hidden state after each row (the last layer's)
    probs: np.ndarray  # (R, 10) the probabilities after each row; the last row is the answer
    pull: np.ndarray | None  # (R,) each row's pull on the answer, |d logit[answer] / d row|; None: not asked

    @property
    def steps(self) -> int:
        return len(self.rows)

    @property
    def answer(self) -> int:
        return int(self.probs[-1].argmax())

    def knew_after(self) -> int | None:
        """The first row (1-based) from which its answer no longer changed; None with no rows."""
        if not len(self.probs):
            return None
        top = self.probs.argmax(1)
        changed = np.flatnonzero(top != top[-1])
        return int(changed[-1]) + 2 if len(changed) else 1


def load_row_network(path: str | Path | None = None, device: str | torch.device = "cpu") -> DigitRowRNN:
    """The shipped row-by-row network (or `path`), in eval mode; raises WeightsError naming a bad file
    and ValueError for a file that holds another kind of network."""
    model, _ = load_network(Path(path) if path else assets_dir() / ROWS_WEIGHTS)
    if not isinstance(model, DigitRowRNN):
        raise ValueError(f"{path}: not a row-by-row recurrent network")
    return model.to(device).eval()


def read_rows(model: DigitRowRNN, rows: np.ndarray, pull: bool = True) -> RowReading:
    """Read `rows` (R, 28), any R >= 1, one row per step. `pull`: also each row's pull (a backward
    pass through every step, most of the time: the page asks for it once the drawing pauses)."""
    rows = np.asarray(rows, np.float32)
    if rows.ndim != 2 or rows.shape[1] != 28 or len(rows) < 1:
        raise ValueError(f"rows must be (R, 28) with R >= 1, got {rows.shape}")
    device = next(model.parameters()).device
    x = torch.from_numpy(rows).to(device)[None].requires_grad_(pull)
    # cuDNN's RNN has no backward pass in eval mode: the pull is taken with it off (as text/influence).
    with torch.set_grad_enabled(pull), torch.backends.cudnn.flags(enabled=not pull):
        states, _ = model.rnn(x)
        logits = model.out(states[0])  # (R, 10): the answer it would give after each row
        grad = None
        if pull:
            (grad,) = torch.autograd.grad(logits[-1, int(logits[-1].argmax())], x)
    return RowReading(
        rows=rows,
        states=states[0].detach().cpu().numpy(),
        probs=torch.softmax(logits.detach(), 1).cpu().numpy(),
        pull=None if grad is None else grad[0].norm(dim=1).cpu().numpy(),
    )


def tall_rows(canvas: object, columns: int = 28) -> np.ndarray:
    """A canvas of any height as rows of `columns` pixels at its own scale: no resizing to 28x28, so a
    canvas twice as tall as it is wide gives twice the rows (area-averaged, ink 0..1)."""
    img = as_canvas(canvas).astype(np.float32) / 255.0
    h, w = img.shape
    n_rows = max(1, round(h * columns / w))
    if n_rows > MAX_ROWS:
        raise ValueError(
            f"the drawing is {h / w:.0f} times as tall as it is wide: at most {MAX_ROWS // 28} are read"
        )
    return cv2.resize(img, (columns, n_rows), interpolation=cv2.INTER_AREA)
