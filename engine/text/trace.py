"""The RNN's insides letter by letter: the hidden state, the gates and the next-character guess
after each character of a text (the Text page's heatmaps). A part of TextEngine (engine.py)."""

from __future__ import annotations

import numpy as np
import torch

from engine.text.gru_trace import GRUTrace
from engine.text.model import WINDOW_CELLS
from engine.text.trace_data import Trace
from engine.text.window_trace import WindowTracing

TRACE_MAX_CHARS = 2000  # trace() reads at most the last this many characters


class Tracing(WindowTracing):
    """A part of TextEngine (engine/text/engine.py), which it is mixed into."""

    def trace(self, text: str, fresh: bool = False) -> Trace:
        """Run the RNN over `text` (its last TRACE_MAX_CHARS characters) and return its insides.

        Typing extends or trims the text one character at a time, so the newest trace is kept and
        only the characters after the common prefix are run, from the state the prefix left.
        `fresh`: read the whole text from the start state (same result; the time of a cold read).
        """
        if fresh:
            self._trace_cache = None
        text = text[-TRACE_MAX_CHARS:] if isinstance(text, str) else ""  # slice first: pastes can be huge
        norm = self.vocab.normalise(text)[-TRACE_MAX_CHARS:]
        if self.cell in WINDOW_CELLS:
            if not norm:
                self._window_state = None  # the next text is read from the start, not on from this
                self._trace_cache = self.empty_window_trace()
            else:
                self._trace_cache = self._trace_window(norm)
            return self._trace_cache
        v, h = len(self.vocab), self.model.config.hidden
        if not norm:
            empty = np.zeros((0, h), np.float32)
            return Trace("", empty, self._empty_gates(h), np.zeros((0, v), np.float32), self.vocab.alphabet)
        old = self._trace_cache
        k = 0
        if old is not None:
            limit = min(len(old.text), len(norm))
            while k < limit and old.text[k] == norm[k]:
                k += 1
            k = min(k, len(norm) - 1)  # always run at least the last character
        head = old if k > 0 else None
        if self.cell == "gru" and self.device.type == "cpu":
            hidden, gates_np, next_char = self._run_gru_numpy(norm[k:], old.hidden[k - 1] if head else None)
        else:
            hidden, gates_np, next_char = self._run_torch(norm[k:], self._state_at(old, k) if head else None)
        if head is not None:
            hidden = np.concatenate([head.hidden[:k], hidden])
            gates_np = {n: np.concatenate([head.gates[n][:k], g]) for n, g in gates_np.items()}
            next_char = np.concatenate([head.next_char[:k], next_char])
        tr = Trace(norm, hidden, gates_np, next_char, self.vocab.alphabet)
        self._trace_cache = tr
        return tr

    def _run_torch(self, text: str, state) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """The model over `text` from `state`: hidden states, gates and next-character distributions."""
        ids = torch.tensor([self.vocab.encode(text)], dtype=torch.long, device=self.device)
        with torch.inference_mode():
            logits, hs, _ = self.model(ids, state)
            hs = hs[0]
            h0 = state[0][0, 0] if isinstance(state, tuple) else (state[0, 0] if state is not None else None)
            c0 = state[1][0, 0] if isinstance(state, tuple) else None
            gates = self._gates(ids[0], hs, h0, c0)
            probs = torch.softmax(logits[0].float(), -1)
        return (
            hs.float().cpu().numpy(),
            {n: g.float().cpu().numpy() for n, g in gates.items()},
            probs.cpu().numpy(),
        )

    def _run_gru_numpy(
        self, text: str, h0: np.ndarray | None
    ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """The GRU over `text` step by step in numpy (gru_trace.py: about half torch's time here)."""
        if self._gru_numpy is None:
            m = self.model
            self._gru_numpy = (
                GRUTrace(m.rnn),
                m.embed.weight.detach().float().cpu().numpy(),
                np.ascontiguousarray(m.head.weight.detach().float().cpu().numpy().T),
                m.head.bias.detach().float().cpu().numpy(),
            )
        gru, table, w_out, b_out = self._gru_numpy
        hs, r, z = gru.run(table[np.asarray(self.vocab.encode(text), np.int64)], h0)
        logits = hs @ w_out + b_out
        logits -= logits.max(1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(1, keepdims=True)
        return hs, {"reset": r, "update": z}, probs.astype(np.float32)

    def _state_at(self, tr: Trace, k: int):
        """The recurrent state after the first k characters of a trace."""
        h = torch.from_numpy(tr.hidden[k - 1]).to(self.device).view(1, 1, -1)
        if self.cell == "lstm":
            return h, torch.from_numpy(tr.gates["cell"][k - 1]).to(self.device).view(1, 1, -1)
        return h

    def _empty_gates(self, h: int) -> dict[str, np.ndarray]:
        names = {"lstm": ("input", "forget", "output", "candidate", "cell"), "gru": ("reset", "update")}
        return {n: np.zeros((0, h), np.float32) for n in names.get(self.cell, ())}

    def _gates(
        self,
        ids: torch.Tensor,
        hs: torch.Tensor,
        h0: torch.Tensor | None = None,
        c0: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        """Recompute the gates for every step at once from the characters (T,) and the hidden states."""
        rnn = self.model.rnn
        if self.cell == "rnn":
            return {}
        first = torch.zeros_like(hs[:1]) if h0 is None else h0.view(1, -1)
        prev = torch.cat([first, hs[:-1]])
        # The input part of each gate depends only on the character: one row per symbol of the
        # alphabet, biases included, looked up instead of multiplied. The rows are reordered so
        # that the sigmoid gates are contiguous and take one call (LSTM: i, f, o, then g; GRU:
        # only the reset and update rows, the first two thirds, are shown).
        if self._gate_weights is None or self._gate_weights[0].device != hs.device:
            h = self.model.config.hidden
            if self.cell == "lstm":
                order = torch.cat(
                    [torch.arange(0, 2 * h), torch.arange(3 * h, 4 * h), torch.arange(2 * h, 3 * h)]
                )
            else:
                order = torch.arange(0, 2 * h)
            order = order.to(hs.device)
            with torch.inference_mode():
                per_symbol = torch.addmm(
                    rnn.bias_ih_l0[order] + rnn.bias_hh_l0[order],
                    self.model.embed.weight,
                    rnn.weight_ih_l0[order].T,
                )
            self._gate_weights = (per_symbol.contiguous(), rnn.weight_hh_l0[order].T.contiguous())
        per_symbol, w_h = self._gate_weights
        pre = torch.addmm(per_symbol.index_select(0, ids), prev, w_h)
        if self.cell == "lstm":
            h = self.model.config.hidden
            sig = torch.sigmoid(pre[:, : 3 * h])
            i, f, o = sig[:, :h], sig[:, h : 2 * h], sig[:, 2 * h :]
            g = torch.tanh(pre[:, 3 * h :])
            # The cell state is a running sum, c_t = f_t c_(t-1) + i_t g_t: cheapest as a numpy loop.
            fn, ign = f.cpu().numpy(), (i * g).cpu().numpy()
            c = np.empty_like(fn)
            acc = np.zeros(fn.shape[1], fn.dtype) if c0 is None else c0.cpu().numpy().astype(fn.dtype).copy()
            for t in range(len(fn)):
                acc *= fn[t]
                acc += ign[t]
                c[t] = acc
            return {"input": i, "forget": f, "output": o, "candidate": g, "cell": torch.from_numpy(c)}
        r, z = torch.sigmoid(pre).chunk(2, dim=1)
        return {"reset": r, "update": z}
