"""Character-level language models: the alphabet, and plain RNN, LSTM and GRU behind one module.
The temporal CNN (conv_model.py) and the Transformer (attention_model.py) take the same calls:
`model(ids, state) -> (logits, hidden, state)` and `repeat_state(state, n)`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import torch
from torch import nn

from engine.text.alphabet import ALPHABET, UNKNOWN, need_alphabet  # noqa: F401 (named here too)
from engine.text.cell_kinds import CELLS, RECURRENT_CELLS, WINDOW_CELLS  # noqa: F401 (named here too)
from engine.weights import StoredConfig, need_int


@dataclass
class CharRNNConfig(StoredConfig):
    cell: str = "lstm"
    hidden: int = 256
    embed: int = 32
    alphabet: str = ALPHABET

    def __post_init__(self) -> None:
        if self.cell not in RECURRENT_CELLS:
            raise ValueError(f"cell must be one of {RECURRENT_CELLS}, got {self.cell!r}")
        need_int("hidden", self.hidden, 1, 2048)
        need_int("embed", self.embed, 1, 1024)
        need_alphabet(self.alphabet)


# Modern text writes its quotes and dashes typographically; they read as the plain ones.
TYPOGRAPHIC = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": ".",
}


class CharVocab:
    """Characters to ids and back; unknown characters map to UNKNOWN."""

    def __init__(self, alphabet: str = ALPHABET) -> None:
        self.alphabet = alphabet
        self.index = {c: i for i, c in enumerate(alphabet)}
        self.unknown = self.index[UNKNOWN]
        self._read_as: dict[str, str] = {c: c for c in alphabet}  # each character met, as read

    def __len__(self) -> int:
        return len(self.alphabet)

    def _read(self, ch: str) -> str:
        if ch.isspace():
            out = " "
        else:  # typographic quotes and dashes as plain ones, an accented letter as its letter
            parts = unicodedata.normalize("NFKD", TYPOGRAPHIC.get(ch, ch))
            # one letter and its accents only: a ligature ("ﬁ") is two letters, not one
            one = parts[:1] in self.index and all(unicodedata.combining(c) for c in parts[1:])
            out = parts[0] if one else UNKNOWN
        self._read_as[ch] = out
        return out

    def normalise(self, text: str) -> str:
        """Lower-case, one character for one: white space as a space, typographic quotes and dashes
        as plain ones, accents dropped, any other unknown character as UNKNOWN."""
        read_as, read = self._read_as, self._read
        return "".join([read_as.get(ch) or read(ch) for ch in text.lower()])

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
        return self.read_embedded(self.embed(ids), state)

    def read_embedded(self, e: torch.Tensor, state=None):
        """forward() from the letters' embeddings (B, T, E): the pull is measured on them."""
        out, state = self.rnn(e, state)
        return self.head(out), out, state

    @staticmethod
    def repeat_state(state, n: int):
        """One reader's state for n readers (the candidate words read after one context)."""
        if state is None:
            return None
        if isinstance(state, tuple):
            return tuple(s.expand(-1, n, -1).contiguous() for s in state)
        return state.expand(-1, n, -1).contiguous()


def model_kind(cell: str) -> tuple[str, type, type]:
    """(the name a weights file records, config class, model class) of a cell."""
    if cell in RECURRENT_CELLS:
        return "CharRNN", CharRNNConfig, CharRNN
    if cell == "cnn":
        from engine.text.conv_model import CharCNN, CharCNNConfig

        return "CharCNN", CharCNNConfig, CharCNN
    if cell == "transformer":
        from engine.text.attention_model import CharTransformer, CharTransformerConfig

        return "CharTransformer", CharTransformerConfig, CharTransformer
    raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")
