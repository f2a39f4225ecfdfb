"""The arithmetic behind one unit of the digit CNN, redone in numpy from a DigitResult: for a unit of a
convolution (or of the activation after it), the 3x3 window of each input channel it reads, the
kernel's numbers, the products, their sum plus the bias, and the activation; for a pooled unit the
2x2 block it pools and which value won. What the explainers animate, with the network's own numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.digits.result import DigitResult


@dataclass(frozen=True)
class ConvArithmetic:
    conv: str  # the convolution: "conv2"
    channel: int  # its output channel (the map)
    y: int
    x: int
    source: str  # what it reads: "input" or the stage before it ("pool1")
    window: np.ndarray  # (C_in, 3, 3): the input values under the kernel, 0 outside (padding)
    kernel: np.ndarray  # (C_in, 3, 3)
    bias: float
    activation: str  # "relu", "sigmoid", "tanh"

    @property
    def products(self) -> np.ndarray:
        return self.window * self.kernel

    @property
    def per_channel(self) -> np.ndarray:
        """Each input channel's nine products summed: (C_in,)."""
        return self.products.reshape(len(self.window), -1).sum(1)

    @property
    def weighted_sum(self) -> float:
        return float(self.products.sum())

    @property
    def total(self) -> float:
        """The weighted sum plus the bias: the convolution's output at this unit."""
        return self.weighted_sum + self.bias

    @property
    def output(self) -> float:
        """The activation of the total: the next stage's value at this unit."""
        return float(activate(np.float32(self.total), self.activation))


@dataclass(frozen=True)
class PoolArithmetic:
    pool: str  # "pool1"
    channel: int
    y: int
    x: int
    source: str  # the map it pools ("act2")
    block: np.ndarray  # (2, 2)
    kind: str  # "max", "min", "avg"

    @property
    def output(self) -> float:
        return float({"max": np.max, "min": np.min, "avg": np.mean}[self.kind](self.block))

    @property
    def winner(self) -> tuple[int, int] | None:
        """(dy, dx) of the value kept; None for average pooling, where all four count."""
        if self.kind == "avg":
            return None
        flat = int(np.argmax(self.block) if self.kind == "max" else np.argmin(self.block))
        return divmod(flat, 2)


def activate(v: np.ndarray, kind: str) -> np.ndarray:
    if kind == "relu":
        return np.maximum(v, 0)
    if kind == "sigmoid":
        return 1 / (1 + np.exp(-v))
    if kind == "tanh":
        return np.tanh(v)
    raise ValueError(f"no activation {kind!r}")


def source_of(res: DigitResult, stage: str) -> tuple[str, np.ndarray]:
    """(name, maps (C, H, W)) of what `stage` reads: the stage before it, or the network's input."""
    names = list(res.activations)
    i = names.index(stage)
    if i == 0:
        return "input", res.input[None].astype(np.float32)
    name = names[i - 1]
    return name, res.activations[name]


def unit_arithmetic(
    res: DigitResult, stage: str, channel: int, y: int, x: int
) -> ConvArithmetic | PoolArithmetic:
    """The arithmetic of unit (y, x) of map `channel` of `stage` (a conv, act or pool stage).
    A conv's or activation's unit is the kernel's dot product with the window it reads; raises
    ValueError for a stage with no such arithmetic here (fc1, logits) or a unit off the map."""
    if stage not in res.activations:
        raise ValueError(f"no stage {stage!r} in this result")
    fmap = res.activations[stage]
    if fmap.ndim != 3 or not (
        0 <= channel < fmap.shape[0] and 0 <= y < fmap.shape[1] and 0 <= x < fmap.shape[2]
    ):
        raise ValueError(f"no unit ({channel}, {y}, {x}) in {stage} of shape {fmap.shape}")
    if not stage.startswith(("conv", "act", "pool")) or stage not in res.activations:
        raise ValueError(f"no unit arithmetic for {stage!r}: only a convolution's, activation's or pooling's")
    if stage.startswith("pool"):
        source, maps = source_of(res, stage)
        block = maps[channel, 2 * y : 2 * y + 2, 2 * x : 2 * x + 2]
        return PoolArithmetic(stage, channel, y, x, source, block.astype(np.float32), res.pooling)
    conv = "conv" + stage.removeprefix("act").removeprefix("conv")
    source, maps = source_of(res, conv)
    padded = np.pad(maps, ((0, 0), (1, 1), (1, 1)))  # the convolutions pad by one, with zeros
    window = padded[:, y : y + 3, x : x + 3].astype(np.float32)
    kernel = res.kernels[conv][channel].astype(np.float32)
    bias = float(res.biases[conv][channel]) if conv in res.biases else 0.0
    return ConvArithmetic(conv, channel, y, x, source, window, kernel, bias, res.activation)
