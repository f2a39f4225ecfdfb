"""2x2 pooling in numpy, as model.pool2x2 does it in torch, for showing one map pooled each way.

The window compares the network's pooling with the other kinds on the GUI thread, where torch
must not be imported (it loads on the worker while the window is already up). Same kinds, same
floor on odd sizes; tests/engine check that the two agree.
"""

from __future__ import annotations

import numpy as np

KINDS = ("max", "min", "avg")  # as model.POOLINGS
NAMES = {"max": "max", "min": "min", "avg": "average"}
KEEPS = {"max": "largest", "min": "smallest", "avg": "mean"}  # what each keeps of a block


def pool2x2(a: np.ndarray, kind: str) -> np.ndarray:
    """A (H, W) map pooled over 2x2 blocks, stride 2 (an odd last row or column is dropped)."""
    if kind not in KINDS:
        raise ValueError(f"pooling must be one of {KINDS}, got {kind!r}")
    a = np.asarray(a, np.float32)
    h, w = a.shape[0] // 2, a.shape[1] // 2
    blocks = a[: 2 * h, : 2 * w].reshape(h, 2, w, 2)
    return {"max": blocks.max((1, 3)), "min": blocks.min((1, 3)), "avg": blocks.mean((1, 3))}[kind]


def which_pooling(before: np.ndarray, after: np.ndarray) -> str | None:
    """The kind of 2x2 pooling that turns map `before` into map `after`, or None if none does."""
    for kind in KINDS:
        p = pool2x2(before, kind)
        if p.shape == after.shape and np.allclose(p, after, rtol=1e-3, atol=1e-5):
            return kind
    return None
