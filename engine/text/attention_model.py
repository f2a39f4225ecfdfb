"""A small causal character Transformer: every letter attends to the letters before it at once.

Each layer's attention reaches `window` letters back (the letter itself included). Positions are
given by ALiBi, a penalty on each head's score that grows with the distance back, not by a learnt
table: the scores depend only on how far back a letter is, so the keys and values of letters read
earlier stay valid as the text moves on. That is the state carried from one call to the next: per
layer, the keys and values of the last `window - 1` letters (a rolling cache), and reading a text
in two calls gives the same numbers as reading it in one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from engine.text.alphabet import ALPHABET, need_alphabet
from engine.weights import StoredConfig, need_int

# (keys, values) per layer, each (B, heads, letters kept, head size)
KV = list[tuple[torch.Tensor, torch.Tensor]]


@dataclass
class CharTransformerConfig(StoredConfig):
    cell: str = "transformer"
    hidden: int = 128  # the model width
    layers: int = 4
    heads: int = 4
    window: int = 128  # letters each layer's attention reaches back, the letter itself included
    alphabet: str = ALPHABET

    def __post_init__(self) -> None:
        if self.cell != "transformer":
            raise ValueError(f"a CharTransformer's cell is 'transformer', got {self.cell!r}")
        need_int("hidden", self.hidden, 1, 2048)
        need_int("layers", self.layers, 1, 16)
        need_int("heads", self.heads, 1, 32)
        need_int("window", self.window, 2, 4096)
        if self.hidden % self.heads:
            raise ValueError(f"hidden ({self.hidden}) must be a multiple of heads ({self.heads})")
        need_alphabet(self.alphabet)

    @property
    def receptive_field(self) -> int:
        """Letters the guess after a letter can depend on through all layers, that letter included."""
        return 1 + self.layers * (self.window - 1)


def alibi_slopes(heads: int) -> torch.Tensor:
    """Each head's penalty per letter back: a geometric series, so some heads look far, some near."""
    return torch.tensor([2.0 ** (-8.0 * (i + 1) / heads) for i in range(heads)])


def distance_bias(slopes: torch.Tensor, queries: int, keys: int, window: int) -> torch.Tensor:
    """(heads, queries, keys) additive scores: -slope * distance back, -inf for letters after the
    query or `window` or more back. The queries are the last `queries` of the `keys` letters."""
    q = torch.arange(keys - queries, keys, device=slopes.device).view(-1, 1)
    k = torch.arange(keys, device=slopes.device).view(1, -1)
    back = (q - k).float()
    bias = -slopes.view(-1, 1, 1) * back
    return bias.masked_fill(((back < 0) | (back >= window)).unsqueeze(0), float("-inf"))


class Block(nn.Module):
    def __init__(self, c: CharTransformerConfig) -> None:
        super().__init__()
        self.heads, self.window = c.heads, c.window
        self.norm1 = nn.LayerNorm(c.hidden)
        self.qkv = nn.Linear(c.hidden, 3 * c.hidden)
        self.proj = nn.Linear(c.hidden, c.hidden)
        self.norm2 = nn.LayerNorm(c.hidden)
        self.mlp = nn.Sequential(
            nn.Linear(c.hidden, 4 * c.hidden), nn.GELU(), nn.Linear(4 * c.hidden, c.hidden)
        )

    def forward(
        self,
        x: torch.Tensor,
        bias: torch.Tensor,
        past: tuple[torch.Tensor, torch.Tensor] | None,
        weights: list | None,
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """x (B, T, H); bias (heads, T, past + T) from distance_bias."""
        b, t, d = x.shape
        hs = d // self.heads
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, hs).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        if weights is None:
            att = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        else:  # the weights themselves, for the page to show
            w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hs) + bias, -1)
            weights.append(w)
            att = w @ v
        x = x + self.proj(att.transpose(1, 2).reshape(b, t, d))
        x = x + self.mlp(self.norm2(x))
        keep = self.window - 1
        return x, (k[:, :, -keep:], v[:, :, -keep:])


class CharTransformer(nn.Module):
    """Embedding, `layers` pre-norm blocks of causal self-attention with ALiBi, a linear read-out."""

    def __init__(self, config: CharTransformerConfig | None = None) -> None:
        super().__init__()
        self.config = config or CharTransformerConfig()
        c = self.config
        v = len(c.alphabet)
        self.embed = nn.Embedding(v, c.hidden)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.layers))
        self.norm = nn.LayerNorm(c.hidden)
        self.head = nn.Linear(c.hidden, v)
        self.register_buffer("slopes", alibi_slopes(c.heads), persistent=False)

    def forward(self, ids: torch.Tensor, state: KV | None = None, weights: list | None = None):
        """ids (B, T) -> logits (B, T, V), last layer's output (B, T, H), state for the next call.
        `weights`: a list that receives each layer's attention (B, heads, T, letters attended)."""
        return self.read_embedded(self.embed(ids), state, weights)

    def read_embedded(self, x: torch.Tensor, state: KV | None = None, weights: list | None = None):
        """forward() from the letters' embeddings (B, T, H): the pull is measured on them."""
        t = x.shape[1]
        # Every layer keeps as many letters as the others: one bias serves them all.
        keys = t + (0 if state is None else state[0][0].shape[2])
        bias = distance_bias(self.slopes, t, keys, self.config.window).to(x.dtype)
        new_state = []
        for i, block in enumerate(self.blocks):
            x, kv = block(x, bias, None if state is None else state[i], weights)
            new_state.append(kv)
        out = self.norm(x)
        return self.head(out), out, new_state

    @staticmethod
    def repeat_state(state: KV | None, n: int) -> KV | None:
        """One reader's state for n readers (the candidate words read after one context)."""
        if state is None:
            return None
        return [
            (k.expand(n, -1, -1, -1).contiguous(), v.expand(n, -1, -1, -1).contiguous()) for k, v in state
        ]
