"""TextEngine: autocorrect with a character RNN, and the RNN's insides letter by letter.

Suggestions come from a noisy channel (lexicon frequency x error model, correct.py). The RNN, a
character language model, reads the sentence so far and re-ranks the candidates by how well each
continues it ("I want to go th..." -> "there", not "their"), which no dictionary-only tool does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from engine.device import pick_device, resolve_device
from engine.paths import assets_dir
from engine.text.confusables import margin, partners
from engine.text.correct import MAX_WORD, Corrector, Suggestion, to_suggestions
from engine.text.gru_trace import GRUTrace
from engine.text.keep import kept_reason
from engine.text.lexicon import LEXICON_FILE, Lexicon
from engine.text.model import CELLS, CharRNN, CharRNNConfig, CharVocab
from engine.weights import WeightsError, load_model

WORD_CHARS = re.compile(r"^[A-Za-z]+(?:'[A-Za-z]+)?$")
CONTEXT_CHARS = 160  # how much of the sentence so far the RNN reads for re-ranking
CONTEXT_WEIGHT = 0.6  # how far the language model's word probability moves a candidate (per log10)
CONTEXT_CANDIDATES = 6
CONTEXT_CAP = 0.6  # the most (Zipf points) the sentence moves a candidate, up or down: the RNN read
# 19th-century books, and uncapped it pushed typos of modern words to common ones ("ibput" -> "but")
CONTEXT_CAP_NEAR = 3.0  # ... for a candidate the typing fits nearly as well as the best (NEAR_COST)
NEAR_COST = 0.5
COMPLETIONS = 8  # the commonest completions of a word being typed that join its candidates
COMPLETION_PENALTY = 0.5  # Zipf points off a completion's frequency (the typed prefix may be all)
CONTEXT_RESTART = 2000  # after reading this many characters incrementally, read the context afresh
TRACE_MAX_CHARS = 2000  # trace() reads at most the last this many characters
_LN10 = float(np.log(10.0))


@dataclass
class Trace:
    """Per-character insides of the RNN reading a text (T characters, H hidden units, V symbols)."""

    text: str  # the characters read (normalised: lower case, unknowns as "~")
    hidden: np.ndarray  # (T, H) hidden state after each character
    gates: dict[str, np.ndarray]  # LSTM: input, forget, output, candidate (+ cell); GRU: reset, update
    next_char: np.ndarray  # (T, V) distribution of the next character after each character
    alphabet: str  # symbol order of next_char's columns


def _appended(old: str, new: str, most: int = 120) -> int | None:
    """How many characters were added at the end when `new` is a window of `old` + added text
    (the window may have slid forward); None when `new` does not continue `old` that way."""
    overlap = min(len(old), 16)  # at least this much of the old text must still be there
    for n in range(1, min(len(new) - overlap, most) + 1):
        keep = len(new) - n
        if keep <= len(old) and new[:keep] == old[len(old) - keep :]:
            return n
    return None


def _cased_like(word: str, typed: str) -> str:
    """Give a suggestion the capitalisation of what was typed ("Networc" -> "Network")."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class TextEngine:
    """One character RNN (rnn / lstm / gru) with the lexicon and error model.

    >>> eng = TextEngine.load(cell="lstm")
    >>> eng.suggest("networc")[0].word
    'network'
    """

    def __init__(self, model: CharRNN, lexicon: Lexicon, metadata: dict, device: torch.device) -> None:
        self.model = model.to(device).eval()
        self.cell = model.config.cell
        self.lexicon = lexicon
        self.corrector = Corrector(lexicon)
        # The user's own words (lower case), never replaced: the app shares one set between the
        # cells' engines and changes it on the worker thread only.
        self.user_words: set[str] = set()
        self.metadata = metadata
        self.device = device
        self.vocab = CharVocab(model.config.alphabet)
        self._space = self.vocab.index[" "]
        # Symbols that can end a word: a candidate's probability includes one of them coming next.
        self._enders = torch.tensor([self.vocab.index[c] for c in ' \n.,;:!?")-'], dtype=torch.long)
        self._ctx_key: str | None = None
        self._ctx_state = None
        self._ctx_logp: torch.Tensor | None = None
        self._ctx_run = 0  # characters read into the cached context state since a fresh start
        self._trace_cache: Trace | None = None
        self._gate_weights: tuple[torch.Tensor, torch.Tensor] | None = None  # per-symbol input part, W_hh
        self._gru_numpy = None  # GRU trace in numpy: (GRUTrace, embedding, read-out weights, bias)

    @classmethod
    def load(
        cls,
        cell: str = "lstm",
        path: str | Path | None = None,
        lexicon: str | Path | Lexicon | None = None,
        device: str | torch.device | None = None,
    ) -> TextEngine:
        """Load the shipped weights for `cell` (or `path`); a bad file raises WeightsError naming it."""
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")
        path = Path(path) if path else assets_dir() / f"text_{cell}.safetensors"
        model, meta = load_model(path, "CharRNN", CharRNNConfig, CharRNN)
        lex = lexicon if isinstance(lexicon, Lexicon) else _shared_lexicon(lexicon)
        return cls(model, lex, meta, resolve_device(device))

    def to(self, device: str | torch.device) -> TextEngine:
        self.device = device if isinstance(device, torch.device) else pick_device(device)
        self.model.to(self.device)
        self._ctx_key = None
        self._trace_cache = None
        self._gate_weights = None
        self._gru_numpy = None
        return self

    # ---- autocorrect -------------------------------------------------------------------------

    def is_correct(self, word: str) -> bool:
        """True for a trusted lexicon word (any capitalisation)."""
        return self.lexicon.is_trusted(word.lower())

    def suggest(self, word: str, context: str = "", k: int = 5, complete: bool = False) -> list[Suggestion]:
        """Ranked corrections for `word`, best first; the word itself first when it is correct.

        `complete`: the word is still being typed, so the commonest words it is the start of
        compete too ("netwo": network). Empty or white-space input gives []; anything that is not
        a plain word (digits, punctuation, non-English letters, over 40 characters) is returned
        unchanged, alone.
        """
        typed = word.strip() if isinstance(word, str) else ""
        if not typed:
            return []
        if len(typed) > MAX_WORD or not WORD_CHARS.match(typed) or not typed.isascii():
            return [Suggestion(typed, 1.0, kept="not a plain word (digits, symbols or other letters)")]
        low = typed.lower()
        # A possessive of a trusted word is as good ("layer's" is no misspelling of "layers").
        trusted = self.lexicon.is_trusted(low) or (low.endswith("'s") and self.lexicon.is_trusted(low[:-2]))
        # Left as typed once it ends; while it is typed, its completions and corrections compete.
        kept = "" if complete else kept_reason(typed, context, trusted, self.user_words)
        ranked = self.corrector.candidates(low)
        if complete:
            ranked = self._with_completions(low, ranked)
        fits: dict[str, float] = {}
        if trusted or kept:
            # A correct word (or one to leave alone) stays; its neighbours follow as alternatives.
            top = max((r[1] for r in ranked), default=0.0)
            ranked = [(low, top + 1.0, 0.0)] + [r for r in ranked if r[0] != low]
            if context.strip() and not kept:
                ranked, fits = self._rerank_real_word(low, ranked, context)
        elif not ranked:
            return [Suggestion(typed, 1.0)]
        elif context.strip():
            ranked, fits = self._rerank(ranked, context)
        lex = self.lexicon
        out = []
        for s in to_suggestions(ranked, k):
            i = lex.index.get(s.word)
            word = typed if s.word == low and kept else _cased_like(s.word, typed)
            z = float(lex.zipf[i]) if i is not None else 0.0
            out.append(
                Suggestion(
                    word, s.score, s.cost, s.logit, z, fits.get(s.word, 0.0), kept if word == typed else ""
                )
            )
        return out

    def _with_completions(
        self, low: str, ranked: list[tuple[str, float, float]]
    ) -> list[tuple[str, float, float]]:
        """The corrections and the prefix's commonest completions, by logit (a completion's is its
        Zipf frequency less COMPLETION_PENALTY: an unfinished word may yet be the typed one)."""
        best = {w: (w, lg, c) for w, lg, c in ranked}
        for w, z in self.lexicon.completions(low, COMPLETIONS):
            lg = z - COMPLETION_PENALTY
            if w not in best or best[w][1] < lg:
                best[w] = (w, lg, 0.0)
        return sorted(best.values(), key=lambda t: -t[1])

    def correct(self, word: str, context: str = "") -> str:
        """The word to put in place of `word`: itself when correct or when nothing better is known."""
        s = self.suggest(word, context, k=1)
        return s[0].word if s else word

    def _rerank(
        self, ranked: list[tuple[str, float, float]], context: str
    ) -> tuple[list[tuple[str, float, float]], dict[str, float]]:
        """The best candidates moved by how well each continues the sentence; (ranked, each
        one's move in Zipf points)."""
        head = ranked[:CONTEXT_CANDIDATES]
        lm = self.word_logprobs(context, [w for w, _, _ in head])
        mean = float(np.mean(lm))
        # The sentence decides freely between words the typing fits about as well (a near tie:
        # "evry" after "she was" is "very"); a word the typing fits worse it moves CONTEXT_CAP at most.
        nearest = min(c for _, _, c in head)
        fits = {}
        for (w, _, c), p in zip(head, lm, strict=False):
            cap = CONTEXT_CAP_NEAR if c - nearest <= NEAR_COST else CONTEXT_CAP
            fits[w] = float(np.clip(CONTEXT_WEIGHT * (p - mean) / _LN10, -cap, cap))
        lex = self.lexicon
        for w in fits:
            # The RNN read 19th-century books: a word it never saw ("mnist") would lose to any it
            # did ("miss") by several factors of ten, whatever the typing says. Its doubt about
            # such a word is no evidence; its liking still is.
            i = lex.index.get(w)
            if i is not None and lex.modern[i]:
                fits[w] = max(fits[w], 0.0)
        rescored = [(w, lg + fits[w], c) for w, lg, c in head]
        return sorted(rescored, key=lambda t: -t[1]) + ranked[CONTEXT_CANDIDATES:], fits

    def _rerank_real_word(
        self, typed: str, ranked: list[tuple[str, float, float]], context: str
    ) -> tuple[list[tuple[str, float, float]], dict[str, float]]:
        """A correct word is replaced only by a word it is commonly confused with ("their" ->
        "there"), and only when the language model prefers that word by a clear margin (a wider
        one for pairs that are mostly slips of a key, "to"/"too": confusables.margin)."""
        rivals = sorted(w for w in partners(typed) if w in self.lexicon)
        if not rivals:
            return ranked, {}
        lm = self.word_logprobs(context, [typed, *rivals])
        fits = {w: float(p - lm[0]) / _LN10 for w, p in zip(rivals, lm[1:], strict=True)}
        best = int(np.argmax(lm[1:])) + 1
        w = rivals[best - 1]
        if lm[best] - lm[0] <= margin(typed, w):
            return ranked, fits
        return [(w, ranked[0][1] + 0.5, 0.0)] + [r for r in ranked if r[0] != w], fits

    # ---- the language model ------------------------------------------------------------------

    def _context_state(self, context: str):
        """Hidden state after reading the context and a space; cached for the newest context.

        Typing moves the context on by a word at a time, so when the new context is the old one
        with text added, only the added characters are read, from the old state (the state then
        remembers a little more than CONTEXT_CHARS, which an RNN language model takes in its
        stride). Cold, 160 characters cost the LSTM a few ms; a word's worth well under 1 ms.
        """
        text = self.vocab.normalise(context[-CONTEXT_CHARS:])[-CONTEXT_CHARS:].rstrip() + " "
        if text == self._ctx_key:
            return self._ctx_state, self._ctx_logp
        state, added = None, text
        old = self._ctx_key
        if old is not None and self._ctx_run < CONTEXT_RESTART:
            n = _appended(old, text)
            if n is not None:
                state, added = self._ctx_state, text[len(text) - n :]
        ids = torch.tensor([self.vocab.encode(added)], dtype=torch.long, device=self.device)
        with torch.inference_mode():
            logits, _, new_state = self.model(ids, state)
            self._ctx_logp = torch.log_softmax(logits[0, -1].float(), -1)
        self._ctx_run = (self._ctx_run if state is not None else 0) + len(added)
        self._ctx_state = new_state
        self._ctx_key = text
        return self._ctx_state, self._ctx_logp

    def word_logprobs(self, context: str, words: list[str]) -> np.ndarray:
        """Natural-log probability of each word (and a word end after it) following the context."""
        state, first = self._context_state(context)
        n = len(words)
        enc = [self.vocab.encode(w) for w in words]
        t = max(len(e) for e in enc)
        ids = torch.full((n, t), self._space, dtype=torch.long)
        for i, e in enumerate(enc):
            ids[i, : len(e)] = torch.tensor(e)
        ids = ids.to(self.device)
        if isinstance(state, tuple):
            st = tuple(s.expand(-1, n, -1).contiguous() for s in state)
        else:
            st = state.expand(-1, n, -1).contiguous()
        with torch.inference_mode():
            logits, _, _ = self.model(ids, st)
            logp = torch.log_softmax(logits.float(), -1).cpu().numpy()
        # The rest in numpy, in a few calls: every torch call from here gives up the GIL and
        # may wait to get it back while the GUI thread paints (many small calls were 3-4x slower
        # in the app than alone).
        first = first.cpu().numpy()
        out = np.empty(n)
        enders = self._enders.numpy()
        for i, e in enumerate(enc):
            steps = np.arange(len(e) - 1)
            lp = first[e[0]] + logp[i, steps, e[1:]].sum()
            end = logp[i, len(e) - 1, enders]
            top = end.max()
            out[i] = lp + top + np.log(np.exp(end - top).sum())
        return out

    def next_char_after(self, text: str) -> np.ndarray:
        """The next-character distribution (over `alphabet`) after `text`'s last CONTEXT_CHARS
        characters, read from the start state; uniform after no text."""
        norm = self.vocab.normalise(text[-CONTEXT_CHARS:] if isinstance(text, str) else "")[-CONTEXT_CHARS:]
        v = len(self.vocab)
        if not norm:
            return np.full(v, 1.0 / v, np.float32)
        ids = torch.tensor([self.vocab.encode(norm)], dtype=torch.long, device=self.device)
        with torch.inference_mode():
            logits, _, _ = self.model(ids, None)
            return torch.softmax(logits[0, -1].float(), -1).cpu().numpy()

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


_LEXICONS: dict[str, Lexicon] = {}


def _shared_lexicon(path: str | Path | None) -> Lexicon:
    """One lexicon per file per process: the three cells share it."""
    key = str(Path(path) if path else assets_dir() / LEXICON_FILE)
    if key not in _LEXICONS:
        try:
            _LEXICONS[key] = Lexicon.load(key)
        except ValueError as exc:
            raise WeightsError(str(exc)) from exc
    return _LEXICONS[key]
