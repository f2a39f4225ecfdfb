"""The confusion matrix of a network's answers, in numpy alone: the Train page counts it from the
answers the training process sends, without torch in the window's thread."""

from __future__ import annotations

import numpy as np


def confusion(truth: np.ndarray, answers: np.ndarray) -> np.ndarray:
    """(10, 10) counts: row the true digit, column the network's answer."""
    out = np.zeros((10, 10), np.int64)
    np.add.at(out, (np.asarray(truth, np.int64), np.asarray(answers, np.int64)), 1)
    return out
