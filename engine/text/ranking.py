"""Ranking the corrections of a typed word: the noisy channel's candidates (correct.py), the
completions of a word being typed, the sentence so far (the RNN, through context.py) moving them,
and the words left as typed (keep.py). A part of TextEngine (engine.py)."""

from __future__ import annotations

import re

import numpy as np

from engine.text.confusables import margin, partners
from engine.text.correct import MAX_WORD, Suggestion, to_suggestions
from engine.text.keep import kept_reason

WORD_CHARS = re.compile(r"^[A-Za-z]+(?:'[A-Za-z]+)?$")
CONTEXT_WEIGHT = 0.6  # how far the language model's word probability moves a candidate (per log10)
CONTEXT_CANDIDATES = 6
CONTEXT_CAP = 0.6  # the most (Zipf points) the sentence moves a candidate, up or down: the RNN read
# 19th-century books, and uncapped it pushed typos of modern words to common ones ("ibput" -> "but")
CONTEXT_CAP_NEAR = 3.0  # ... for a candidate the typing fits nearly as well as the best (NEAR_COST)
NEAR_COST = 0.5
COMPLETIONS = 8  # the commonest completions of a word being typed that join its candidates
COMPLETION_PENALTY = 0.5  # Zipf points off a completion's frequency (the typed prefix may be all)
_LN10 = float(np.log(10.0))


def _cased_like(word: str, typed: str) -> str:
    """Give a suggestion the capitalisation of what was typed ("Networc" -> "Network")."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Ranking:
    """A part of TextEngine (engine/text/engine.py), which it is mixed into."""

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
