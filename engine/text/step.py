"""One step of the recurrent cell, redone in numpy with the cell's own equations and weights: the
state the letters before left, the letter, each gate, the new state and the guess for the next
letter. What the articles draw as "networ" + "c" -> "k", with the network's own numbers.

    plain RNN  h = tanh(W_ih x + b_ih + W_hh h' + b_hh)
    LSTM       i, f, o = sigmoid(...), g = tanh(...);  c = f * c' + i * g;  h = o * tanh(c)
    GRU        r, z = sigmoid(...);  n = tanh(W_in x + b_in + r * (W_hn h' + b_hn));  h = (1 - z) * n + z * h'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.text.model import WINDOW_CELLS
from engine.text.trace import Trace


@dataclass(frozen=True)
class Step:
    t: int  # which letter of the trace (0-based)
    char: str  # that letter (normalised)
    before: str  # the letters read before it
    prev_hidden: np.ndarray  # (H,) the state the letters before left (zeros at the start)
    prev_cell: np.ndarray | None  # (H,) LSTM's memory cell before, else None
    gates: dict[
        str, np.ndarray
    ]  # per gate (H,): LSTM input, forget, output, candidate; GRU reset, update, candidate
    hidden: np.ndarray  # (H,) the new state
    cell: np.ndarray | None  # (H,) LSTM's new memory cell
    next_char: np.ndarray  # (V,) the guess for the letter after
    alphabet: str
    # The window cells (temporal CNN, Transformer) carry no state of their own from letter to
    # letter: the letters they read at this step, and (Transformer) each layer's strongest look
    # back as (layer, letters back, weight averaged over its heads).
    reads: str | None = None
    looks: tuple[tuple[int, int, float], ...] = ()

    def best_guesses(self, k: int = 3) -> list[tuple[str, float]]:
        order = np.argsort(self.next_char)[::-1][:k]
        return [(self.alphabet[i], float(self.next_char[i])) for i in order]


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))


def weights_of(engine) -> dict[str, np.ndarray]:
    """The cell's weights as numpy arrays (float64: the recomputation is exact to float tolerance),
    made once per engine: a step is asked for at every keystroke."""
    cached = getattr(engine, "_step_weights", None)
    if cached is not None:
        return cached
    m = engine.model
    rnn = m.rnn
    out = {
        "embed": m.embed.weight,
        "w_ih": rnn.weight_ih_l0,
        "w_hh": rnn.weight_hh_l0,
        "b_ih": rnn.bias_ih_l0,
        "b_hh": rnn.bias_hh_l0,
        "w_out": m.head.weight,
        "b_out": m.head.bias,
    }
    engine._step_weights = {k: v.detach().double().cpu().numpy() for k, v in out.items()}
    return engine._step_weights


def step_at(engine, trace: Trace, t: int) -> Step:
    """Step `t` of `trace` (read by `engine`) recomputed from the state before it and its letter.
    Its new state equals trace.hidden[t] to float tolerance. Raises IndexError for a step outside."""
    if not 0 <= t < len(trace.text):
        raise IndexError(f"no step {t}: the trace has {len(trace.text)} letters")
    if engine.cell in WINDOW_CELLS:
        return window_step(engine, trace, t)
    w = weights_of(engine)
    cell = engine.cell
    h_size = w["w_hh"].shape[1]
    prev_h = trace.hidden[t - 1].astype(np.float64) if t else np.zeros(h_size)
    prev_c = None
    if cell == "lstm":
        prev_c = trace.gates["cell"][t - 1].astype(np.float64) if t else np.zeros(h_size)
    x = w["embed"][engine.vocab.index.get(trace.text[t], engine.vocab.unknown)]
    a_in = w["w_ih"] @ x + w["b_ih"]
    a_hh = w["w_hh"] @ prev_h + w["b_hh"]
    gates: dict[str, np.ndarray] = {}
    c = None
    if cell == "rnn":
        h = np.tanh(a_in + a_hh)
    elif cell == "lstm":
        i, f, g, o = np.split(a_in + a_hh, 4)
        gates = {"input": _sigmoid(i), "forget": _sigmoid(f), "output": _sigmoid(o), "candidate": np.tanh(g)}
        c = gates["forget"] * prev_c + gates["input"] * gates["candidate"]
        h = gates["output"] * np.tanh(c)
    else:  # gru
        xr, xz, xn = np.split(a_in, 3)
        hr, hz, hn = np.split(a_hh, 3)
        r, z = _sigmoid(xr + hr), _sigmoid(xz + hz)
        n = np.tanh(xn + r * hn)
        gates = {"reset": r, "update": z, "candidate": n}
        h = (1 - z) * n + z * prev_h
    logits = w["w_out"] @ h + w["b_out"]
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    f32 = np.float32
    return Step(
        t,
        trace.text[t],
        trace.text[:t],
        prev_h.astype(f32),
        None if prev_c is None else prev_c.astype(f32),
        {k: v.astype(f32) for k, v in gates.items()},
        h.astype(f32),
        None if c is None else c.astype(f32),
        probs.astype(f32),
        trace.alphabet,
    )


def window_step(engine, trace: Trace, t: int) -> Step:
    """Step `t` of a window cell: the letters it reads there and, for the Transformer, where each
    layer looks (from the trace's attention)."""
    c = engine.model.config
    reach = c.receptive_field
    looks = []
    if trace.attention is not None:
        w = c.window
        for layer in range(trace.attention.shape[0]):
            row = trace.attention[layer, :, t].mean(0)  # (window,) over the letters t-w+1 .. t
            j = int(np.argmax(row))
            looks.append((layer + 1, w - 1 - j, float(row[j])))
    prev = trace.hidden[t - 1] if t else np.zeros_like(trace.hidden[t])
    return Step(
        t,
        trace.text[t],
        trace.text[:t],
        prev,
        None,
        {},
        trace.hidden[t],
        None,
        trace.next_char[t],
        trace.alphabet,
        reads=trace.text[max(0, t - reach + 1) : t + 1],
        looks=tuple(looks),
    )
