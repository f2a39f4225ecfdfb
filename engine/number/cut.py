"""A number read without an RNN: the canvas cut at its blank columns and each piece read by the
digit CNN. Right where every digit stands apart, wrong where digits touch (two digits in one
piece read as one): the Number page shows it beside the CRNN's reading, and
benchmarks.number measures both."""

from __future__ import annotations

import numpy as np

from engine.digits.preprocess import as_canvas, ink_groups

CUT_GAP = 3  # blank columns that part two digits (any visible gap)
MARGIN = 8  # blank columns kept each side of a piece


def cut_and_classify(canvas: object, digit_engine) -> tuple[str, int]:
    """(the digits read, one per piece, and how many pieces there were)."""
    img = as_canvas(canvas)
    out = []
    groups = ink_groups(img, CUT_GAP)
    for c0, c1 in groups:
        piece = img[:, max(0, c0 - MARGIN) : c1 + MARGIN]
        if piece.shape[1] < 28:
            piece = np.pad(piece, ((0, 0), (0, 28 - piece.shape[1])))
        res = digit_engine.predict(piece, keep_steps=False)
        if res.label is not None:
            out.append(str(res.label))
    return "".join(out), len(groups)
