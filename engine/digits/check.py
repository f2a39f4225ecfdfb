"""Is this ink a digit at all? A small CNN that answers before the digit CNN's answer is shown.

The digit CNN must pick one of ten digits, so a dot, a dash or a scrawl comes out as a confident
"0" or "6". The check is a second, smaller network trained on digits (MNIST, pen digits) against
marks that are none (engine/digits/scribbles.py: dots, dashes, scrawls, shapes, letters). It reads
the same 28x28 input the digit CNN reads, plus two numbers that input has lost by being scaled to
fit: how many pen widths long the ink is (a dot is one) and how tall it is for its width (a dash
lies flat). It is independent of which digit CNN is in use, so every shipped variant and a user's
own network get it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.digits.preprocess import Preprocessed
from engine.weights import StoredConfig, confirm_runs, load_model, need_fraction, need_int, plain_stroke

DEFAULT_WEIGHTS = "digit_check.safetensors"
N_FEATURES = 2


@dataclass
class DigitCheckConfig(StoredConfig):
    channels: list[int] = field(default_factory=lambda: [16, 32, 32])
    hidden: int = 64
    threshold: float = 0.5  # P(not a digit) above this is "not a digit"; set by training

    def __post_init__(self) -> None:
        if not isinstance(self.channels, list) or not 1 <= len(self.channels) <= 3:
            raise ValueError(f"channels must list 1 to 3 blocks, got {self.channels!r}")
        for c in self.channels:
            need_int("each block's channels", c, 1, 256)
        need_int("hidden", self.hidden, 1, 1024)
        need_fraction("threshold", self.threshold)


class DigitCheckNet(nn.Module):
    """Conv3x3-ReLU-maxpool blocks over the 28x28 input; its features and the two shape numbers
    into one hidden layer; one logit: how much this is *not* a digit."""

    def __init__(self, config: DigitCheckConfig | None = None) -> None:
        super().__init__()
        self.config = config or DigitCheckConfig()
        c = self.config
        self.convs = nn.ModuleList()
        in_ch = 1
        for ch in c.channels:
            self.convs.append(nn.Conv2d(in_ch, ch, 3, padding=1))
            in_ch = ch
        side = 28 // (2 ** len(c.channels))
        self.fc1 = nn.Linear(in_ch * side * side + N_FEATURES, c.hidden)
        self.fc2 = nn.Linear(c.hidden, 1)

    def forward(self, x: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        x = torch.cat([x.flatten(1), features], 1)
        return self.fc2(F.relu(self.fc1(x)))[:, 0]


def shape_features(pre: Preprocessed) -> np.ndarray:
    """The two numbers the 28x28 input lost: log of the ink's length in pen widths (about 0 for a
    dot) and log of its height over its width (negative for a dash), each clipped to [-4, 4]."""
    if pre.box is None:
        return np.zeros(N_FEATURES, np.float32)
    x0, y0, x1, y1 = pre.box
    w, h = max(x1 - x0, 1), max(y1 - y0, 1)
    pen = max(pre.stroke_width, 1.0)
    length = math.log(max(w, h) / pen)
    aspect = math.log(h / w)
    return np.clip(np.float32([length, aspect]), -4.0, 4.0)


class DigitCheck:
    """Loads the check from .safetensors; `not_digit(pre)` for one preprocessed canvas."""

    def __init__(self, model: DigitCheckNet, metadata: dict, device: torch.device, path: Path | None = None):
        self.model = model.eval().to(device)
        self.metadata = metadata
        self.device = device
        self.path = path
        self.threshold = float(model.config.threshold)
        for p in self.model.parameters():
            p.requires_grad_(False)

    @classmethod
    def load(cls, path: str | Path | None = None, device: str | torch.device | None = None) -> DigitCheck:
        """Load the shipped check (or `path`); raises WeightsError naming a bad file."""
        from engine.device import resolve_device
        from engine.paths import assets_dir

        path = Path(path) if path else assets_dir() / DEFAULT_WEIGHTS
        model, meta = load_model(path, "DigitCheckNet", DigitCheckConfig, DigitCheckNet)
        check = cls(model, meta, resolve_device(device), path)
        no_features = torch.zeros(1, N_FEATURES, device=check.device)
        with torch.no_grad():
            confirm_runs(path, lambda: check.model(plain_stroke(check.device), no_features))
        return check

    def to(self, device: torch.device) -> DigitCheck:
        self.device = device
        self.model.to(device)
        return self

    def probability(self, pre: Preprocessed) -> float:
        """P(not a digit) for one preprocessed canvas with ink."""
        x = torch.from_numpy(pre.input).to(self.device).view(1, 1, 28, 28)
        f = torch.from_numpy(shape_features(pre)).to(self.device).view(1, N_FEATURES)
        with torch.no_grad():
            return float(torch.sigmoid(self.model(x, f))[0])

    def probabilities(self, inputs: np.ndarray, features: np.ndarray) -> np.ndarray:
        """P(not a digit) for a batch: inputs (N, 28, 28), features (N, 2)."""
        out = []
        with torch.no_grad():
            for i in range(0, len(inputs), 2048):
                x = torch.from_numpy(np.ascontiguousarray(inputs[i : i + 2048])).to(self.device)[:, None]
                f = torch.from_numpy(np.ascontiguousarray(features[i : i + 2048])).to(self.device)
                out.append(torch.sigmoid(self.model(x, f)).cpu().numpy())
        return np.concatenate(out) if out else np.zeros(0, np.float32)

    def not_digit(self, pre: Preprocessed) -> bool:
        return self.probability(pre) > self.threshold


def resolve_check(check: DigitCheck | bool | None, device: torch.device) -> DigitCheck | None:
    """An engine's `check` argument: True loads the shipped check, a DigitCheck is used as it is,
    None or False means none (every mark is read as a digit)."""
    if check is True:
        return DigitCheck.load(device=device)
    return check or None
