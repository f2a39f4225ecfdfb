"""The insides of the window cells (temporal CNN, Transformer) letter by letter, for trace().

The CNN's are its feature maps: each block's output after each letter, with how many letters
that block sees. The Transformer's are its attention: for each layer and head, how much each
letter looks at each of the `window` letters up to it (kept banded: row t, column j is the
letter t - (window - 1) + j, zero before the text's start).

Typing adds a letter at a time, so the model's state after the trace's text is kept and only
the added letters are read from it (conv_model.py and attention_model.py: the same numbers as
reading the whole text again); any other edit reads the text afresh.
"""

from __future__ import annotations

import numpy as np
import torch

from engine.text.trace_data import Trace


def block_names(config) -> list[str]:
    """The CNN's feature maps' names, each with the letters one of its units sees."""
    seen, names = 1, []
    for i, d in enumerate(config.dilations, 1):
        seen += (config.kernel - 1) * d
        names.append(f"block {i} (sees {seen} letters)")
    return names


def banded(weights: np.ndarray, window: int) -> np.ndarray:
    """Attention (layers, heads, new letters, K keys) of letters read after others, whose keys are
    the last K letters, as rows of the banded (layers, heads, new letters, window)."""
    layers, heads, t_new, keys = weights.shape
    out = np.zeros((layers, heads, t_new, window), np.float32)
    i = np.arange(t_new)[:, None]
    k = np.arange(keys)[None, :]
    col = t_new - keys + k - i + window - 1  # the key's column in query i's band
    ok = (col >= 0) & (col < window)
    ii, kk = np.nonzero(ok)
    out[:, :, ii, col[ii, kk]] = weights[:, :, ii, kk]
    return out


class WindowTracing:
    """A part of TextEngine (engine/text/engine.py) for the cells `cnn` and `transformer`."""

    def _trace_window(self, norm: str):
        old, state = self._trace_cache, self._window_state
        if old is not None and state is not None and norm == old.text:
            return old  # a step asked for, the caret moved: nothing new to read
        if old is not None and state is not None and len(norm) > len(old.text) and norm.startswith(old.text):
            added = norm[len(old.text) :]
        else:
            old, state, added = None, None, norm
        parts: list[tuple[np.ndarray, np.ndarray, list[np.ndarray]]] = []
        # A long text in pieces of a window each: the Transformer's weights for a piece are
        # (piece x window) rather than (text x text), and the numbers are the same.
        piece = self.model.config.window if self.cell == "transformer" else len(added)
        with torch.inference_mode():
            for start in range(0, len(added), piece):
                ids = torch.tensor(
                    [self.vocab.encode(added[start : start + piece])], dtype=torch.long, device=self.device
                )
                insides: list[torch.Tensor] = []
                if self.cell == "cnn":
                    logits, hs, state = self.model(ids, state, keep=insides)
                else:
                    logits, hs, state = self.model(ids, state, weights=insides)
                probs = torch.softmax(logits[0].float(), -1).cpu().numpy()
                inside = [x[0].float().cpu().numpy() for x in insides]
                parts.append((hs[0].float().cpu().numpy(), probs, inside))
        hidden = np.concatenate([p[0] for p in parts])
        probs = np.concatenate([p[1] for p in parts])
        maps: dict[str, np.ndarray] = {}
        attention = None
        if self.cell == "cnn":
            names = block_names(self.model.config)
            maps = {n: np.concatenate([p[2][i] for p in parts]) for i, n in enumerate(names)}
        else:
            w = self.model.config.window
            attention = np.concatenate([banded(np.stack(p[2]), w) for p in parts], 2)
        if old is not None:
            hidden = np.concatenate([old.hidden, hidden])
            probs = np.concatenate([old.next_char, probs])
            maps = {n: np.concatenate([old.maps[n], m]) for n, m in maps.items()}
            if attention is not None:
                attention = np.concatenate([old.attention, attention], 2)
        self._window_state = state
        return Trace(norm, hidden, {}, probs, self.vocab.alphabet, maps=maps, attention=attention)

    def empty_window_trace(self):
        c = self.model.config
        h, v = c.hidden, len(self.vocab)
        maps = {n: np.zeros((0, h), np.float32) for n in block_names(c)} if self.cell == "cnn" else {}
        attention = None
        if self.cell == "transformer":
            attention = np.zeros((c.layers, c.heads, 0, c.window), np.float32)
        return Trace(
            "",
            np.zeros((0, h), np.float32),
            {},
            np.zeros((0, v), np.float32),
            self.vocab.alphabet,
            maps,
            attention,
        )
