"""How people misspell: a weighted edit cost (the error model) and a synthetic typo generator.

The costs follow the kinds of error that dominate real misspellings: doubled or dropped double
letters, vowel confusions, sound-alike consonants, neighbouring keys and swapped letters are
cheap; an arbitrary letter is dear; the first letter is rarely wrong.
"""

from __future__ import annotations

import random

from rapidfuzz.distance import Levenshtein

VOWELS = frozenset("aeiouy")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_POS = {c: (r, i) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
SOUND_ALIKE = {
    frozenset(p)
    for p in ("ck", "cs", "sz", "iy", "gj", "kq", "mn", "dt", "bp", "fv", "ph", "xs", "xz", "wv", "sc", "ck")
}


def keyboard_neighbours(a: str, b: str) -> bool:
    pa, pb = _POS.get(a), _POS.get(b)
    return bool(pa and pb and abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1 and a != b)


def substitution_cost(a: str, b: str) -> float:
    if a in VOWELS and b in VOWELS:
        return 0.5
    if frozenset((a, b)) in SOUND_ALIKE:
        return 0.6
    if keyboard_neighbours(a, b):
        return 0.75
    return 1.0


def _gap_cost(word: str, i: int) -> float:
    """Cost of the letter word[i] being dropped (or, read the other way, added)."""
    c = word[i]
    if (i > 0 and word[i - 1] == c) or (i + 1 < len(word) and word[i + 1] == c):
        return 0.35  # a doubled letter written single, or a single one doubled
    if c in VOWELS:
        return 0.6
    if c == "h" or c == "e" and i == len(word) - 1:
        return 0.6  # silent h, silent final e
    return 0.9


def _is_swap(intended: str, typed: str, a, b) -> bool:
    """Two edit operations that together are one swap of neighbouring letters."""
    if a.tag == b.tag == "replace":
        i, j = a.src_pos, a.dest_pos
        return (
            b.src_pos == i + 1
            and i + 1 < len(intended)
            and j + 1 < len(typed)
            and intended[i] == typed[j + 1]
            and intended[i + 1] == typed[j]
        )
    if {a.tag, b.tag} == {"delete", "insert"}:
        d, ins = (a, b) if a.tag == "delete" else (b, a)
        return intended[d.src_pos] == typed[ins.dest_pos] and abs(ins.src_pos - d.src_pos) <= 2
    return False


def error_cost(intended: str, typed: str) -> float:
    """Weighted cost of typing `typed` when meaning `intended` (0 when equal)."""
    if intended == typed:
        return 0.0
    ops = Levenshtein.editops(intended, typed)
    cost = 0.0
    skip = False
    for k, op in enumerate(ops):
        if skip:
            skip = False
            continue
        tag, i, j = op.tag, op.src_pos, op.dest_pos
        nxt = ops[k + 1] if k + 1 < len(ops) else None
        if nxt is not None and _is_swap(intended, typed, op, nxt):
            # Two neighbouring letters swapped; swapping the first two makes the first letter wrong.
            cost += 0.55 * (1.4 if i == 0 and j == 0 else 1.0)
            skip = True
            continue
        if tag == "replace":
            c = substitution_cost(intended[i], typed[j])
        elif tag == "delete":
            c = _gap_cost(intended, i)
        else:
            c = _gap_cost(typed, j)
        if (tag == "replace" and i == 0) or (tag != "replace" and i == 0 and j == 0):
            c *= 1.4  # first letters are rarely wrong
        cost += c
    return cost


def make_typo(word: str, rng: random.Random, edits: int = 1) -> str:
    """A realistic synthetic misspelling of `word` with `edits` random edits."""
    w = word
    for _ in range(edits):
        if len(w) < 2:
            break
        i = rng.randrange(len(w))
        kind = rng.random()
        c = w[i]
        if kind < 0.2 and i + 1 < len(w):  # swap neighbours
            w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        elif kind < 0.4:  # drop a letter (doubled letters most often)
            dbl = [k for k in range(1, len(w)) if w[k] == w[k - 1]]
            k = rng.choice(dbl) if dbl and rng.random() < 0.5 else i
            w = w[:k] + w[k + 1 :]
        elif kind < 0.55:  # double a letter
            w = w[:i] + c + w[i:]
        elif kind < 0.8 and c in VOWELS:  # vowel confusion
            w = w[:i] + rng.choice(sorted(VOWELS - {c})) + w[i + 1 :]
        elif kind < 0.9:  # a neighbouring key
            near = [k for k in _POS if keyboard_neighbours(c, k)]
            if near:
                w = w[:i] + rng.choice(near) + w[i + 1 :]
        else:  # a sound-alike consonant
            alike = sorted(next(iter(p - {c})) for p in SOUND_ALIKE if c in p)
            if alike:
                w = w[:i] + rng.choice(alike) + w[i + 1 :]
    return w
