"""A canvas holding a written number to the CRNN's input: a 28 px tall line, as wide as it needs.

The digits go through the same steps as a single digit's (engine.digits.preprocess): the ink's
bounding box, strokes brought to MNIST's width at a working height, then scaled so that the
line is 20 px tall inside 28 (MNIST's 20 px box, 4 px above and below), and 4 px of blank at
each end. Only the height is fitted: the width follows, so three digits make a line about
three digits wide.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from engine.digits.preprocess import (
    FULL_FRACTION,
    WORK_SIZE,
    as_canvas,
    estimate_stroke_width,
    ink_box,
    ink_mask,
    normalise_width,
    resize,
)

HEIGHT = 28
INK_HEIGHT = 20  # the ink's height in the line, as a digit's in MNIST
MARGIN = 4  # blank columns at each end
MIN_WIDTH = 28  # a lone "1" still gets a digit's width of columns
MAX_WIDTH = 448  # 16 digits' width; a longer line is shrunk to fit (its height too)
CANVAS = (960, 280)  # the Number page's canvas, width x height: about six digits at the Digits page's height


@dataclass
class Line:
    """The CRNN's input and where it came from on the canvas."""

    input: np.ndarray  # (HEIGHT, W) float32 in [0, 1], ink high
    status: str  # "ok", "empty" (no ink) or "full" (the canvas is all ink)
    box: tuple[int, int, int, int] | None = None  # the ink's box on the canvas: x0, y0, x1, y1
    x_scale: float = 1.0  # input x = canvas x * x_scale + x_offset
    x_offset: float = 0.0

    def to_canvas_x(self, x: float) -> float:
        """Where a column of the input lies on the canvas."""
        return (x - self.x_offset) / self.x_scale

    @property
    def empty(self) -> bool:
        return self.status != "ok"


def line_input(canvas: object) -> Line:
    """Turn a canvas (any 2-D array preprocess() takes, white ink on black) into the CRNN's input.
    Bad input raises ValueError."""
    img = as_canvas(canvas)
    mask = ink_mask(img)
    box = ink_box(mask)
    blank = np.zeros((HEIGHT, MIN_WIDTH), np.float32)
    if box is None:
        return Line(blank, "empty")
    if cv2.countNonZero(mask) > FULL_FRACTION * mask.size:
        return Line(blank, "full", box)
    x0, y0, x1, y1 = box
    crop = img[y0:y1, x0:x1].astype(np.float32) * np.float32(1.0 / 255.0)
    h, w = crop.shape
    # The working height is a digit's in preprocess() (its longer side, WORK_SIZE), where MNIST's
    # stroke width was measured; a line far wider than tall (a dash) is capped so it stays small.
    s1 = min(WORK_SIZE / h, 8 * WORK_SIZE / w)
    work = resize(crop, max(1, round(w * s1)), max(1, round(h * s1)))
    normed = normalise_width(work, estimate_stroke_width(work))
    bx0, by0, bx1, by1 = ink_box(ink_mask(normed)) or (0, 0, normed.shape[1], normed.shape[0])
    tight = normed[by0:by1, bx0:bx1]
    th, tw = tight.shape
    s2 = min(INK_HEIGHT / th, (MAX_WIDTH - 2 * MARGIN) / tw)
    fw, fh = max(1, round(tw * s2)), max(1, round(th * s2))
    fitted = np.clip(resize(tight, fw, fh), 0.0, 1.0)
    width = max(MIN_WIDTH, fw + 2 * MARGIN)
    out = np.zeros((HEIGHT, width), np.float32)
    top, left = (HEIGHT - fh) // 2, (width - fw) // 2
    out[top : top + fh, left : left + fw] = fitted
    # canvas -> work: (x - x0) * s1; work -> normed: + pad; normed -> tight: - bx0; * s2; + left.
    pad = (normed.shape[1] - work.shape[1]) // 2
    return Line(out, "ok", box, s1 * s2, ((pad - bx0) * s2 - x0 * s1 * s2) + left)
