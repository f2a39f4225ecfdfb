"""The digit CNN, in the shape the explainers draw: 3x3 conv, activation, pooling, repeated,
then fully connected layers and softmax. Activation and pooling are configuration."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from engine.weights import StoredConfig, need_fraction, need_int

ACTIVATIONS = ("relu", "sigmoid", "tanh")
POOLINGS = ("max", "min", "avg")
MAX_BLOCKS = 4
MAX_FC_WEIGHTS = 2**24  # 64 MB of float32: far past any network the page shows (the shipped: 74k)


@dataclass
class DigitNetConfig(StoredConfig):
    channels: list[int] = field(default_factory=lambda: [16, 32, 64])  # one block per entry
    convs_per_block: int = 1
    hidden: int = 128
    activation: str = "relu"
    pooling: str = "max"
    dropout: float = 0.3

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {self.pooling!r}")
        # Each block halves the 28x28 input: after four it is 1x1, after five nothing is left.
        if not isinstance(self.channels, list) or not 1 <= len(self.channels) <= MAX_BLOCKS:
            raise ValueError(f"channels must list 1 to {MAX_BLOCKS} blocks, got {self.channels!r}")
        for c in self.channels:
            need_int("each block's channels", c, 1, 512)
        need_int("convs_per_block", self.convs_per_block, 1, 8)
        need_int("hidden", self.hidden, 1, 8192)
        need_fraction("dropout", self.dropout)
        flat = self.channels[-1] * (28 // 2 ** len(self.channels)) ** 2
        if flat * self.hidden > MAX_FC_WEIGHTS:
            raise ValueError(f"the first fully connected layer would hold {flat * self.hidden:,} weights")


def activate(x: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "relu":
        return F.relu(x)
    if kind == "sigmoid":
        return torch.sigmoid(x)
    return torch.tanh(x)


def pool2x2(x: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "max":
        return F.max_pool2d(x, 2)
    if kind == "min":  # the articles' min pooling: the smallest value in each 2x2 window
        return -F.max_pool2d(-x, 2)
    return F.avg_pool2d(x, 2)


class DigitNet(nn.Module):
    """Conv blocks (conv3x3 + batch norm, activation; pooling at the end of each block), FC, FC.

    `forward(x, record)` returns logits and, when `record` is a dict, fills it with every
    stage's output in order: conv{i}, act{i}, pool{b}, fc1, logits.
    """

    def __init__(self, config: DigitNetConfig | None = None) -> None:
        super().__init__()
        self.config = config or DigitNetConfig()
        c = self.config
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        in_ch = 1
        for ch in c.channels:
            for _ in range(c.convs_per_block):
                self.convs.append(nn.Conv2d(in_ch, ch, 3, padding=1, bias=False))
                self.norms.append(nn.BatchNorm2d(ch))
                in_ch = ch
        side = 28 // (2 ** len(c.channels))
        self.flat_features = in_ch * side * side
        self.fc1 = nn.Linear(self.flat_features, c.hidden)
        self.fc2 = nn.Linear(c.hidden, 10)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x: torch.Tensor, record: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        x = self.features(x, record)
        x = activate(self.fc1(self.drop(x.flatten(1))), self.config.activation)
        if record is not None:
            record["fc1"] = x
        logits = self.fc2(self.drop(x))
        if record is not None:
            record["logits"] = logits
        return logits

    def features(self, x: torch.Tensor, record: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        """The conv blocks alone: they take an input of any size (the fully connected layer after
        them takes 28x28 only)."""
        c = self.config
        i = 0
        for b in range(len(c.channels)):
            for _ in range(c.convs_per_block):
                x = self.norms[i](self.convs[i](x))
                if record is not None:
                    record[f"conv{i + 1}"] = x
                x = activate(x, c.activation)
                if record is not None:
                    record[f"act{i + 1}"] = x
                i += 1
            x = pool2x2(x, c.pooling)
            if record is not None:
                record[f"pool{b + 1}"] = x
        return x
