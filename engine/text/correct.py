"""Candidate generation and noisy-channel ranking for one typed word.

score(w) = Zipf frequency of w  -  CHANNEL_WEIGHT * error_cost(w -> typed)
Candidates are lexicon words within a small edit distance, found by narrowing the lexicon with
length and letter-set filters (numpy) before an exact OSA distance (rapidfuzz) and the weighted
error cost (errors.py) on the few that remain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from engine.text.errors import error_cost
from engine.text.lexicon import Lexicon, signature

CHANNEL_WEIGHT = 2.6  # Zipf points (factors of ten in frequency) per unit of error cost
SUSPECT_PENALTY = 1.2  # a typed word in the lexicon but in no dictionary (web vocabulary)
KNOWN_BONUS = 1.3  # a typed rare dictionary word: about 20:1 that it was meant
MAX_COST = 3.2  # candidates dearer than this are not plausible misspellings
COSTED = 24  # candidates given the full error cost
FAR_SEARCH_COST = 1.2  # look three edits away only when nothing nearer costs less than this
MAX_WORD = 40  # longer "words" (pastes, URLs) are left alone


@dataclass(frozen=True)
class Suggestion:
    word: str
    score: float  # probability-like, in (0, 1], the list's scores sum to at most 1
    cost: float = 0.0  # error cost from this word to what was typed
    logit: float = 0.0  # unnormalised score, for combining with context
    # What ranked it, for the page to show: how common the word is (Zipf: log10 of its count per
    # billion words), what the error model takes off for the typing (CHANNEL_WEIGHT * cost), and
    # how far the sentence so far moved it (the RNN; Zipf points, 0 without context).
    zipf: float = 0.0
    fit: float = 0.0
    kept: str = ""  # why the typed word stays as it is (engine/text/keep.py), "" when it may change

    def __str__(self) -> str:
        return f"{self.word} ({self.score:.2f})"


def max_distance(n: int) -> int:
    return 1 if n <= 4 else 2 if n <= 8 else 3


class Corrector:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    def candidates(self, word: str, limit: int = 40) -> list[tuple[str, float, float]]:
        """(candidate, logit, cost) of lexicon words near a lower-case word, best first.

        Words within max_distance() edits first; only when none of those explains the typing
        cheaply does a long word look three edits away. A trusted word stays as it is, so only
        its one-edit neighbours are looked up, as alternatives.
        """
        d = 1 if self.lex.is_trusted(word) else max_distance(len(word))
        found = self._search(word, min(d, 2))
        if d > 2 and (not found or min(c for _, _, c in found) > FAR_SEARCH_COST):
            found = {f[0]: f for f in found + self._search(word, d)}
            found = list(found.values())
        lex = self.lex
        if word in lex.index and word not in {c for c, _, _ in found}:
            found.append((word, float(lex.zipf[lex.index[word]]), 0.0))
        out = []
        for cand, logit, cost in found:
            if cand == word:
                # A typed rare dictionary word is probably meant; a typed web-only word less so.
                logit += KNOWN_BONUS if lex.known[lex.index[cand]] else -SUSPECT_PENALTY
            out.append((cand, logit, cost))
        out.sort(key=lambda t: -t[1])
        return out[:limit]

    def _search(self, word: str, d: int) -> list[tuple[str, float, float]]:
        lex = self.lex
        n = len(word)
        lo, hi = lex.span(n - d, n + d)
        if hi <= lo:
            return []
        x = np.bitwise_xor(lex.signatures[lo:hi], np.uint64(signature(word)))
        keep = np.flatnonzero(np.bitwise_count(x) <= 2 * d) + lo
        if len(keep) == 0:
            return []
        hits = process.extract(word, lex.search_words[keep], scorer=OSA.distance, score_cutoff=d, limit=None)
        idx = lex.search_index[keep]
        # The weighted cost is dear (Python); rank by distance, then frequency, and cost the best few.
        hits.sort(key=lambda h: h[1] - 0.3 * float(lex.zipf[idx[h[2]]]))
        out = []
        for cand, _dist, k in hits[:COSTED]:
            i = int(idx[k])
            if cand != word and not lex.known[i]:
                # Web-only entries are never proposed: they hold the web's misspellings, and the
                # list for "which" read which, wich, whic, thich (592 of the corpus's 3,000
                # commonest words had one). Birkbeck top-1/top-5 the same without them.
                continue
            cost = error_cost(cand, word)
            if cost > MAX_COST:
                continue
            out.append((cand, float(lex.zipf[i]) - CHANNEL_WEIGHT * cost, cost))
        return out


def to_suggestions(ranked: list[tuple[str, float, float]], k: int) -> list[Suggestion]:
    """Softmax the logits (base 10, they are Zipf points) into scores and keep the best k."""
    if not ranked:
        return []
    logits = np.array([r[1] for r in ranked], np.float64)
    p = np.power(10.0, logits - logits.max())
    p /= p.sum()
    return [
        Suggestion(w, float(s), float(c), float(lg)) for (w, lg, c), s in zip(ranked[:k], p[:k], strict=False)
    ]
