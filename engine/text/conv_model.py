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

from engine.text.model import ALPHABET
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
        if not isinstance(self.alphabet, str) or not 2 <= len(self.alphabet) <= 1024:
            raise ValueError("alphabet must be a string of 2 to 1024 characters")

    @property
    def dilations(self) -> list[int]:
        return [2**i for i in range(self.blocks)]

    @property
    def receptive_field(self) -> int:
        """Letters the guess after a letter can depend on, that letter included."""
        return 1 + (self.kernel - 1) * sum(self.dilations)


FEW_LETTERS = 8  # at most this many new letters take the gathered-taps path


class CausalBlock(nn.Module):
    """x + W2 gelu(dilated causal conv(layer norm(x))): the norm is per letter, so nothing leaks
    from the letters after."""

    def __init__(self, channels: int, kernel: int, dilation: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(channels)
        self.conv = nn.Conv1d(channels, channels, kernel, dilation=dilation)
        self.mix = nn.Conv1d(channels, channels, 1)
        self.past = (kernel - 1) * dilation  # letters of input its kernel reaches back

    def forward(self, x: torch.Tensor, past: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, C, T) -> (B, C, T), and the input tail (B, C, past) the next call needs."""
        h = self.norm(x.transpose(1, 2)).transpose(1, 2)
        if past is None:
            past = h.new_zeros(h.shape[0], h.shape[1], self.past)
        h = torch.cat([past, h], 2)
        tail = h[:, :, h.shape[2] - self.past :]
        if x.shape[2] > FEW_LETTERS or torch.is_grad_enabled():
            return x + self.mix(F.gelu(self.conv(h))), tail
        # A few letters (typing): the kernel's taps gathered and multiplied at once. conv1d's
        # own path costs more in setting up than in arithmetic here (benchmarks/text_length.py).
        taps = h.unfold(2, self.past + 1, 1)[..., :: self.conv.dilation[0]]  # (B, C, T, kernel)
        y = torch.einsum("bctk,ock->bot", taps, self.conv.weight) + self.conv.bias[:, None]
        y = torch.einsum("bct,oc->bot", F.gelu(y), self.mix.weight[:, :, 0]) + self.mix.bias[:, None]
        return x + y, tail


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
        x = self.inp(e.transpose(1, 2))
        new_state = []
        for i, block in enumerate(self.blocks):
            x, tail = block(x, None if state is None else state[i])
            new_state.append(tail)
            if keep is not None:
                keep.append(x.transpose(1, 2))
        out = self.norm(x.transpose(1, 2))
        return self.head(out), out, new_state

    @staticmethod
    def repeat_state(state: list[torch.Tensor] | None, n: int) -> list[torch.Tensor] | None:
        """One reader's state for n readers (the candidate words read after one context)."""
        return None if state is None else [s.expand(n, -1, -1).contiguous() for s in state]
