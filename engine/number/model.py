"""The CRNN, in the shape of Shi, Bai and Yao's (2015): convolutions turn the line into a
sequence of columns, a bidirectional GRU reads the columns both ways, and each column gets a
distribution over blank and the ten digits; CTC training needs no digit positions."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from engine.number.line import HEIGHT
from engine.weights import StoredConfig, need_fraction, need_int

BLANK = 0  # class 0 is CTC's blank; digit d is class d + 1
CLASSES = 11
STRIDE = 4  # input columns per output column (two 2x2 poolings)


@dataclass
class NumberNetConfig(StoredConfig):
    channels: list[int] = field(default_factory=lambda: [32, 64, 96])
    hidden: int = 96  # per direction
    dropout: float = 0.2

    def __post_init__(self) -> None:
        if not isinstance(self.channels, list) or len(self.channels) != 3:
            raise ValueError(f"NumberNet needs three conv channel counts, got {self.channels!r}")
        for c in self.channels:
            need_int("each block's channels", c, 1, 512)
        need_int("hidden", self.hidden, 1, 1024)
        need_fraction("dropout", self.dropout)


def columns_out(width: int) -> int:
    """How many output columns an input line `width` px wide gives."""
    return width // STRIDE


class NumberNet(nn.Module):
    def __init__(self, config: NumberNetConfig | None = None) -> None:
        super().__init__()
        self.config = config or NumberNetConfig()
        c1, c2, c3 = self.config.channels
        block = lambda i, o, pool: [  # noqa: E731
            nn.Conv2d(i, o, 3, padding=1, bias=False),
            nn.BatchNorm2d(o),
            nn.ReLU(),
            nn.MaxPool2d(pool),
        ]
        # 28 rows -> 14 -> 7 -> 3; columns / 4: each output column sees about a digit's width.
        self.cnn = nn.Sequential(*block(1, c1, 2), *block(c1, c2, 2), *block(c2, c3, (2, 1)))
        self.features = c3 * (HEIGHT // 8)
        self.drop = nn.Dropout(self.config.dropout)
        self.rnn = nn.GRU(self.features, self.config.hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * self.config.hidden, CLASSES)

    def columns(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 1, 28, W) -> (N, W // 4, features): what the convolutions hand the GRU."""
        f = self.cnn(x)
        return f.permute(0, 3, 1, 2).flatten(2)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """(N, 1, 28, W) lines -> (N, T, 11) logits; `lengths` (output columns per line) for a
        padded batch, so the backward direction starts at each line's own end."""
        return self.out(self.drop(self.hidden(self.drop(self.columns(x)), lengths)))

    def hidden(self, cols: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """The GRU's states along the line, (N, T, 2 * hidden): forward then backward."""
        if lengths is None:
            return self.rnn(cols)[0]
        packed = pack_padded_sequence(cols, lengths.cpu(), batch_first=True, enforce_sorted=False)
        return pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=cols.shape[1])[0]
