"""Character-level recurrent language models: plain RNN, LSTM and GRU behind one module."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.weights import StoredConfig, need_int

CELLS = ("rnn", "lstm", "gru")
# Lower-case letters, digits, space, newline and common punctuation; anything else reads as "~".
ALPHABET = "\n !\"'(),-.0123456789:;?abcdefghijklmnopqrstuvwxyz~"
UNKNOWN = "~"


@dataclass
class CharRNNConfig(StoredConfig):
    cell: str = "lstm"
    hidden: int = 256
    embed: int = 32
    alphabet: str = ALPHABET

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, got {self.cell!r}")
        need_int("hidden", self.hidden, 1, 2048)
        need_int("embed", self.embed, 1, 1024)
        if not isinstance(self.alphabet, str) or not 2 <= len(self.alphabet) <= 1024:
            raise ValueError("alphabet must be a string of 2 to 1024 characters")


class CharVocab:
    """Characters to ids and back; unknown characters map to UNKNOWN."""

    def __init__(self, alphabet: str = ALPHABET) -> None:
        self.alphabet = alphabet
        self.index = {c: i for i, c in enumerate(alphabet)}
        self.unknown = self.index[UNKNOWN]

    def __len__(self) -> int:
        return len(self.alphabet)

    def normalise(self, text: str) -> str:
        """Lower-case, with tabs and other white space as spaces and unknown characters as UNKNOWN."""
        out = []
        for ch in text.lower():
            if ch in self.index:
                out.append(ch)
            elif ch.isspace():
                out.append(" ")
            else:
                out.append(UNKNOWN)
        return "".join(out)

    def encode(self, text: str) -> list[int]:
        idx, unk = self.index, self.unknown
        return [idx.get(c, unk) for c in self.normalise(text)]


class CharRNN(nn.Module):
    """Embedding, one recurrent layer (rnn / lstm / gru), linear read-out to next-character logits."""

    def __init__(self, config: CharRNNConfig | None = None) -> None:
        super().__init__()
        self.config = config or CharRNNConfig()
        c = self.config
        v = len(c.alphabet)
        self.embed = nn.Embedding(v, c.embed)
        rnn_cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[c.cell]
        self.rnn = rnn_cls(c.embed, c.hidden, batch_first=True)
        self.head = nn.Linear(c.hidden, v)

    def forward(self, ids: torch.Tensor, state=None):
        """ids (B, T) -> logits (B, T, V), hidden states (B, T, H), final state."""
        out, state = self.rnn(self.embed(ids), state)
        return self.head(out), out, state
