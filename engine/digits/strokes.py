"""Strokes to a canvas image, the way the app's drawing canvas paints them.

White antialiased ink on black, round caps and joins. The app paints with these same
functions, so what the tests render is exactly what a user's mouse produces.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

_SHIFT = 4  # sub-pixel precision of OpenCV's drawing (1/16 px)
_ONE = 1 << _SHIFT


def _fixed(p: Sequence[float]) -> tuple[int, int]:
    return int(round(float(p[0]) * _ONE)), int(round(float(p[1]) * _ONE))


def draw_segment(canvas: np.ndarray, p0: Sequence[float], p1: Sequence[float], pen_width: float) -> None:
    """Paint one round-capped segment from p0 to p1 into a uint8 canvas, in place."""
    radius = max(pen_width / 2.0, 0.5)
    r = int(round(radius * _ONE))
    a, b = _fixed(p0), _fixed(p1)
    # A thick cv2.line has square-ish ends at small widths; discs at both ends make caps and joins round.
    cv2.circle(canvas, a, r, 255, -1, cv2.LINE_AA, _SHIFT)
    if a != b:
        cv2.line(canvas, a, b, 255, max(1, int(round(pen_width))), cv2.LINE_AA, _SHIFT)
        cv2.circle(canvas, b, r, 255, -1, cv2.LINE_AA, _SHIFT)


def render_strokes(
    strokes: Sequence[np.ndarray | Sequence[Sequence[float]]],
    size: int | tuple[int, int] = 280,
    pen_width: float = 16.0,
) -> np.ndarray:
    """Render strokes (each a sequence of (x, y) canvas points) to a (H, W) uint8 canvas."""
    h, w = (size, size) if isinstance(size, int) else size
    canvas = np.zeros((h, w), np.uint8)
    for stroke in strokes:
        pts = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if len(pts) == 0:
            continue
        if len(pts) == 1:
            draw_segment(canvas, pts[0], pts[0], pen_width)
            continue
        for p0, p1 in zip(pts[:-1], pts[1:], strict=False):
            draw_segment(canvas, p0, p1, pen_width)
    return canvas


def fit_strokes(
    strokes: Sequence[np.ndarray], canvas_size: int = 280, digit_height: float = 200.0
) -> list[np.ndarray]:
    """Scale and centre strokes so the digit is `digit_height` px tall on a square canvas.

    Keeps the aspect ratio; a very wide digit is shrunk to fit the canvas width instead.
    """
    pts = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in strokes])
    lo, hi = pts.min(0), pts.max(0)
    span = np.maximum(hi - lo, 1e-6)
    scale = digit_height / span[1]
    scale = min(scale, 0.9 * canvas_size / span[0])
    centre = (lo + hi) / 2.0
    return [
        ((np.asarray(s, np.float64) - centre) * scale + canvas_size / 2.0).astype(np.float32) for s in strokes
    ]
