"""A causal temporal CNN language model over characters: stacked dilated 1-D convolutions.

Each block sees its input at the letter itself and (kernel - 1) * dilation letters back, with
dilations doubling from block to block, so the guess after a letter depends on a fixed window of
letters before it (`receptive_field`) and on nothing earlier: the CNN's memory is its window.

The state it carries from one call to the next (for typing, as the RNNs carry their hidden
state) is, per block, the last letters of that block's input that its kernel still reaches.
Reading a text in two calls gives the same numbers as reading it in one.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from engine.text.alphabet import ALPHABET, need_alphabet
from engine.weights import StoredConfig, need_int


@dataclass
class CharCNNConfig(StoredConfig):
    cell: str = "cnn"
    hidden: int = 192  # channels in every block
    embed: int = 32
    kernel: int = 3
    blocks: int = 6  # dilations 1, 2, 4, ... 2**(blocks-1)
    alphabet: str = ALPHABET

    def __post_init__(self) -> None:
        if self.cell != "cnn":
            raise ValueError(f"a CharCNN's cell is 'cnn', got {self.cell!r}")
        need_int("hidden", self.hidden, 1, 2048)
        need_int("embed", self.embed, 1, 1024)
        need_int("kernel", self.kernel, 2, 9)
        need_int("blocks", self.blocks, 1, 10)
        need_alphabet(self.alphabet)

    @property
    def dilations(self) -> list[int]:
        return [2**i for i in range(self.blocks)]

    @property
    def receptive_field(self) -> int:
        """Letters the guess after a letter can depend on, that letter included."""
        return 1 + (self.kernel - 1) * sum(self.dilations)


class CausalBlock(nn.Module):
    """x + W2 gelu(dilated causal conv(layer norm(x))): the norm is per letter, so nothing leaks
    from the letters after. Letters run along dimension 1: (B, T, C)."""

    def __init__(self, channels: int, kernel: int, dilation: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(channels)
        self.conv = nn.Conv1d(channels, channels, kernel, dilation=dilation)
        self.mix = nn.Conv1d(channels, channels, 1)
        self.past = (kernel - 1) * dilation  # letters of input its kernel reaches back
        self._tap_weight: tuple[tuple, torch.Tensor] | None = None

    def _tap_major(self) -> torch.Tensor:
        """The kernel as (out, tap-major inputs), rebuilt only when the weights change (a copy per
        call cost more than the product itself)."""
        w = self.conv.weight
        key = (w.data_ptr(), w._version, w.device)
        if self._tap_weight is None or self._tap_weight[0] != key:
            c = w.shape[0]
            self._tap_weight = (key, w.detach().permute(0, 2, 1).reshape(c, -1).contiguous())
        return self._tap_weight[1]

    def forward(self, x: torch.Tensor, past: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, C) -> (B, T, C), and the input tail (B, past, C) the next call needs."""
        b, t, c = x.shape
        h = self.norm(x)
        if past is None:
            past = h.new_zeros(b, self.past, c)
        h = torch.cat([past, h], 1)
        tail = h[:, h.shape[1] - self.past :]
        if torch.is_grad_enabled():  # training: torch's convolution
            y = self.conv(h.transpose(1, 2)).transpose(1, 2)
        else:
            # Reading: each letter's kernel taps gathered and multiplied in one matrix product.
            # Far fewer calls than conv1d's path for the few letters typing brings (and the same
            # numbers): benchmarks/text_length.py.
            k, d = self.conv.kernel_size[0], self.conv.dilation[0]
            at = (torch.arange(t, device=h.device)[:, None] + d * torch.arange(k, device=h.device)).view(-1)
            taps = h.index_select(1, at).view(b, t, k * c)
            y = F.linear(taps, self._tap_major(), self.conv.bias)
        return x + F.linear(F.gelu(y), self.mix.weight[:, :, 0], self.mix.bias), tail


class CharCNN(nn.Module):
    """Embedding, a 1x1 projection, `blocks` causal dilated blocks, a linear read-out."""

    def __init__(self, config: CharCNNConfig | None = None) -> None:
        super().__init__()
        self.config = config or CharCNNConfig()
        c = self.config
        v = len(c.alphabet)
        self.embed = nn.Embedding(v, c.embed)
        self.inp = nn.Conv1d(c.embed, c.hidden, 1)
        self.blocks = nn.ModuleList(CausalBlock(c.hidden, c.kernel, d) for d in c.dilations)
        self.norm = nn.LayerNorm(c.hidden)
        self.head = nn.Linear(c.hidden, v)

    def forward(self, ids: torch.Tensor, state: list[torch.Tensor] | None = None, keep: list | None = None):
        """ids (B, T) -> logits (B, T, V), last block's output (B, T, H), state for the next call.
        `keep`: a list that receives each block's output (B, T, H) (the feature maps)."""
        return self.read_embedded(self.embed(ids), state, keep)

    def read_embedded(
        self, e: torch.Tensor, state: list[torch.Tensor] | None = None, keep: list | None = None
    ):
        """forward() from the letters' embeddings (B, T, E): the pull is measured on them."""
        x = F.linear(e, self.inp.weight[:, :, 0], self.inp.bias)
        new_state = []
        for i, block in enumerate(self.blocks):
            x, tail = block(x, None if state is None else state[i])
            new_state.append(tail)
            if keep is not None:
                keep.append(x)
        out = self.norm(x)
        return self.head(out), out, new_state

    @staticmethod
    def repeat_state(state: list[torch.Tensor] | None, n: int) -> list[torch.Tensor] | None:
        """One reader's state for n readers (the candidate words read after one context)."""
        return None if state is None else [s.expand(n, -1, -1).contiguous() for s in state]
