"""The sentence so far as the RNN reads it: its state after the context (carried on from word to
word as the user types), the log-probability of each candidate word after it, and the next
character it expects. A part of TextEngine (engine.py). No torch at import: the app reads
CONTEXT_CHARS from here before torch has loaded."""

from __future__ import annotations

import numpy as np

CONTEXT_CHARS = 160  # how much of the sentence so far the RNN reads for re-ranking
CONTEXT_RESTART = 2000  # after reading this many characters incrementally, read the context afresh


def _appended(old: str, new: str, most: int = 120) -> int | None:
    """How many characters were added at the end when `new` is a window of `old` + added text
    (the window may have slid forward); None when `new` does not continue `old` that way."""
    overlap = min(len(old), 16)  # at least this much of the old text must still be there
    for n in range(1, min(len(new) - overlap, most) + 1):
        keep = len(new) - n
        if keep <= len(old) and new[:keep] == old[len(old) - keep :]:
            return n
    return None


class LanguageModelContext:
    """A part of TextEngine (engine/text/engine.py), which it is mixed into."""

    def _context_state(self, context: str):
        """Hidden state after reading the context and a space; cached for the newest context.

        Typing moves the context on by a word at a time, so when the new context is the old one
        with text added, only the added characters are read, from the old state (the state then
        remembers a little more than CONTEXT_CHARS, which an RNN language model takes in its
        stride). Cold, 160 characters cost the LSTM a few ms; a word's worth well under 1 ms.
        """
        import torch  # loaded by then (TextEngine); not at import: the app reads CONTEXT_CHARS early

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
        import torch  # loaded by then (TextEngine); not at import: the app reads CONTEXT_CHARS early

        state, first = self._context_state(context)
        n = len(words)
        enc = [self.vocab.encode(w) for w in words]
        t = max(len(e) for e in enc)
        ids = torch.full((n, t), self._space, dtype=torch.long)
        for i, e in enumerate(enc):
            ids[i, : len(e)] = torch.tensor(e)
        ids = ids.to(self.device)
        st = self.model.repeat_state(state, n)
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
        import torch  # loaded by then (TextEngine); not at import: the app reads CONTEXT_CHARS early

        norm = self.vocab.normalise(text[-CONTEXT_CHARS:] if isinstance(text, str) else "")[-CONTEXT_CHARS:]
        v = len(self.vocab)
        if not norm:
            return np.full(v, 1.0 / v, np.float32)
        ids = torch.tensor([self.vocab.encode(norm)], dtype=torch.long, device=self.device)
        with torch.inference_mode():
            logits, _, _ = self.model(ids, None)
            return torch.softmax(logits[0, -1].float(), -1).cpu().numpy()
