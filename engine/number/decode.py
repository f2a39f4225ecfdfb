"""CTC's greedy reading: the likeliest class of each column, repeats merged, blanks dropped."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.number.model import BLANK


@dataclass(frozen=True)
class ReadDigit:
    """One digit of a reading: which, how sure, and the output columns that said it."""

    digit: int
    confidence: float  # its highest probability over those columns
    first: int  # first and last output column of the run
    last: int


def greedy(probs: np.ndarray) -> tuple[str, list[ReadDigit]]:
    """(T, 11) column probabilities -> the number read and its digits. A digit written twice in
    a row ("11") is read as two only where a blank column lies between them, as CTC trains it."""
    best = probs.argmax(1) if len(probs) else np.zeros(0, np.int64)
    digits: list[ReadDigit] = []
    prev = BLANK
    for t, c in enumerate(best.tolist()):
        if c != BLANK and c == prev:
            d = digits[-1]
            digits[-1] = ReadDigit(d.digit, max(d.confidence, float(probs[t, c])), d.first, t)
        elif c != BLANK:
            digits.append(ReadDigit(c - 1, float(probs[t, c]), t, t))
        prev = c
    return "".join(str(d.digit) for d in digits), digits
