"""NumberReader: a canvas with a written number in, the number and what the CRNN computed out."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from engine.device import pick_device, resolve_device
from engine.digits.check import DigitCheck, resolve_check, shape_features
from engine.digits.preprocess import as_canvas, ink_groups, preprocess
from engine.number.cut import CUT_GAP
from engine.number.cut import MARGIN as CUT_MARGIN
from engine.number.decode import ReadDigit, greedy
from engine.number.line import Line, line_input
from engine.number.model import STRIDE, NumberNet, NumberNetConfig
from engine.paths import assets_dir
from engine.weights import confirm_runs, load_model, plain_stroke

DEFAULT_WEIGHTS = "number.safetensors"
VERDICTS_KEPT = 256  # the digit check's verdicts remembered: a few lines' pieces
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
    # Marks the digit check found to be no digit (a dash, a dot, a scrawl), left out of `text`:
    # each as the canvas x range of its ink and what the CRNN had read there.
    marks: list[tuple[float, float, str]] = field(default_factory=list)

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
        skipped = (
            f"; {len(self.marks)} mark{'s' * (len(self.marks) > 1)} that {'are' if len(self.marks) > 1 else 'is'} no digit left out"
            if self.marks
            else ""
        )
        if not self.text:
            return f"no digit read{skipped}"
        return f"{self.text} (least sure digit {self.confidence:.0%}){skipped}"


class NumberReader:
    """Loads a NumberNet from .safetensors and reads written numbers.

    >>> reader = NumberReader.load()
    >>> reader.read(canvas).text   # canvas: 2-D numpy array, white ink on black
    """

    def __init__(
        self,
        model: NumberNet,
        metadata: dict,
        device: torch.device,
        path: Path | None = None,
        check: DigitCheck | None = None,
    ):
        self.model = model.eval().to(device)
        self.check = check.to(device) if check is not None else None
        self._verdicts: OrderedDict[bytes, bool] = OrderedDict()  # the check's, by a piece's pixels
        self.metadata = metadata
        self.device = device
        self.path = path
        for p in self.model.parameters():
            p.requires_grad_(False)

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        device: str | torch.device | None = None,
        check: DigitCheck | bool | None = True,
    ) -> NumberReader:
        """Load the shipped weights (or `path`); raises WeightsError naming a bad file. `check`:
        True loads the shipped digit check, which leaves out marks that are no digit; a
        DigitCheck uses that one; None or False reads every mark."""
        path = Path(path) if path else assets_dir() / DEFAULT_WEIGHTS
        model, meta = load_model(path, "NumberNet", NumberNetConfig, NumberNet)
        dev = resolve_device(device)
        reader = cls(model, meta, dev, path, resolve_check(check, dev))
        m = reader.model
        with torch.inference_mode():
            confirm_runs(path, lambda: m.out(m.hidden(m.columns(plain_stroke(dev, 56)))))
        return reader

    def to(self, device: str | torch.device) -> NumberReader:
        """Move the model to another device (falls back to CPU when it is absent)."""
        self.device = device if isinstance(device, torch.device) else pick_device(device)
        self.model.to(self.device)
        if self.check is not None:
            self.check.to(self.device)
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
        result = NumberResult(text, digits, line, probs, cols_np, hidden_np)
        if self.check is not None and digits:
            self._leave_out_marks(as_canvas(canvas), result)
        return result

    def _leave_out_marks(self, img: np.ndarray, result: NumberResult) -> None:
        """Drop the digits read from marks that are no digit. Each piece of ink between blank
        columns that the CRNN read digits from goes to the digit check; where the check finds no
        digit in it, a piece read as one digit is left out whole, and a piece read as several
        (touching digits, or a dash read "00000") only where every digit's share of it is none."""
        groups = ink_groups(img, CUT_GAP, strays=True)
        read_in: list[list[ReadDigit]] = [[] for _ in groups]
        for d in result.digits:
            x0, x1 = result.canvas_span(d)
            mid = (x0 + x1) / 2
            # the group the digit's columns lie in, or the nearest one
            g = min(range(len(groups)), key=lambda i: max(groups[i][0] - mid, mid - groups[i][1], 0.0))
            read_in[g].append(d)
        dropped = set()
        pieces = [(g, ds) for g, ds in zip(groups, read_in, strict=True) if ds]
        for ((c0, c1), ds), none in zip(pieces, self._no_digit_in(img, [g for g, _ in pieces]), strict=True):
            if not none:
                continue
            # Each digit's share of the piece: from halfway to the digit before to halfway to the next.
            mids = [sum(result.canvas_span(d)) / 2 for d in ds]
            cuts = [c0, *(int((a + b) / 2) for a, b in zip(mids, mids[1:], strict=False)), c1]
            # All or none: a piece of touching digits is no one digit either, but each share of
            # it is (a dash read "00000" is no digit in any share).
            if len(ds) == 1 or all(self._no_digit_in(img, list(zip(cuts, cuts[1:], strict=False)))):
                dropped.update(id(d) for d in ds)
                result.marks.append((float(c0), float(c1), "".join(str(d.digit) for d in ds)))
        if dropped:
            result.digits = [d for d in result.digits if id(d) not in dropped]
            result.text = "".join(str(d.digit) for d in result.digits)

    def _no_digit_in(self, img: np.ndarray, spans: list[tuple[int, int]]) -> list[bool]:
        """For each canvas column range [c0, c1), whether the digit check finds its ink to be no
        digit. While a number is written only the piece under the pen changes from one move to
        the next: the others' verdicts are remembered (by their pixels), and the pieces not seen
        before go to the check in one batched call."""
        crops = []
        for c0, c1 in spans:
            piece = img[:, max(0, c0 - CUT_MARGIN) : c1 + CUT_MARGIN]
            if piece.shape[1] < 28:
                piece = np.pad(piece, ((0, 0), (0, 28 - piece.shape[1])))
            crops.append(piece)
        keys = [
            hashlib.blake2b(c.tobytes(), digest_size=16, person=str(c.shape).encode()[:16]).digest()
            for c in crops
        ]
        new = {}
        for key, piece in zip(keys, crops, strict=True):
            if key in self._verdicts:
                self._verdicts.move_to_end(key)
                continue
            if key in new:
                continue
            pre = preprocess(piece, keep_steps=False)
            new[key] = None if pre.empty else pre
        inked = {k: pre for k, pre in new.items() if pre is not None}
        if inked:
            pres = list(inked.values())
            p = self.check.probabilities(
                np.stack([pre.input for pre in pres]), np.stack([shape_features(pre) for pre in pres])
            )
            for key, v in zip(inked, p > self.check.threshold, strict=True):
                new[key] = bool(v)
        for key, v in new.items():
            self._verdicts[key] = bool(v)  # (no ink: False)
        while len(self._verdicts) > VERDICTS_KEPT:
            self._verdicts.popitem(last=False)
        return [self._verdicts[k] for k in keys]
