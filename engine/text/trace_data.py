"""What trace() returns: a text network's insides letter by letter (engine/text/trace.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Trace:
    """Per-character insides of the RNN reading a text (T characters, H hidden units, V symbols)."""

    text: str  # the characters read (normalised: lower case, unknowns as "~")
    hidden: np.ndarray  # (T, H) hidden state after each character
    gates: dict[str, np.ndarray]  # LSTM: input, forget, output, candidate (+ cell); GRU: reset, update
    next_char: np.ndarray  # (T, V) distribution of the next character after each character
    alphabet: str  # symbol order of next_char's columns
    # The temporal CNN: each block's output after each character (T, channels), by name.
    maps: dict[str, np.ndarray] = field(default_factory=dict)
    # The Transformer: (layers, heads, T, window) attention, row t over the characters
    # t - window + 1 .. t (window_trace.py); None for the other cells.
    attention: np.ndarray | None = None
