"""Written numbers made from single digits, for training and evaluating the CRNN.

Pen lines are what a user draws: pen-drawn digits (their strokes) set side by side at one
height, a little uneven, gaps from wide to touching, rendered with the app's own renderer.
MNIST lines put MNIST digits side by side the same way. Both go through line_input(), as the
app's canvas does.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from engine.digits.data import PenDigit
from engine.digits.preprocess import ink_box, ink_mask
from engine.digits.strokes import render_strokes
from engine.digits.synth import jitter
from engine.number.line import line_input

EVAL_PEN_WIDTHS = (10, 16, 24)  # as the digit bar's, on digits 150 px tall


def place_strokes(
    digits: Sequence[Sequence[np.ndarray]],
    heights: Sequence[float],
    gaps: Sequence[float],
    drops: Sequence[float],
) -> tuple[list[np.ndarray], float, float]:
    """Set digits' strokes side by side: digit i scaled to heights[i] tall, gaps[i] px after it
    (negative: touching), moved down by drops[i]. Returns the strokes, the width and the height."""
    out: list[np.ndarray] = []
    x = 0.0
    top, bottom = np.inf, -np.inf
    for strokes, h, gap, drop in zip(digits, heights, gaps, drops, strict=True):
        pts = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in strokes])
        lo, hi = pts.min(0), pts.max(0)
        scale = h / max(hi[1] - lo[1], 1e-6)
        # A very wide stroke set (a flat "7" bar, say) is kept to twice its height.
        scale = min(scale, 2.0 * h / max(hi[0] - lo[0], 1e-6))
        for s in strokes:
            p = (np.asarray(s, np.float64).reshape(-1, 2) - lo) * scale + (x, drop)
            out.append(p.astype(np.float32))
        x += (hi[0] - lo[0]) * scale + gap
        top, bottom = min(top, drop), max(bottom, drop + (hi[1] - lo[1]) * scale)
    return out, x - gaps[-1], float(bottom - top)


def render_line(strokes: list[np.ndarray], width: float, height: float, pen: float) -> np.ndarray:
    """Strokes placed by place_strokes on a canvas with a pen's width of room around them."""
    pad = pen + 8
    moved = [s + np.float32(pad) for s in strokes]
    return render_strokes(moved, (max(28, int(height + 2 * pad)), max(28, int(width + 2 * pad))), pen)


def pen_line(
    digits: Sequence[PenDigit], rng: np.random.Generator, height: float, pen: float, jittered: bool = True
) -> np.ndarray:
    """One canvas with the digits written side by side."""
    n = len(digits)
    strokes = [jitter(d.strokes, rng) if jittered else d.strokes for d in digits]
    heights = height * rng.uniform(0.85, 1.05, n)
    gaps = height * rng.uniform(-0.05, 0.45, n)
    drops = height * rng.normal(0.0, 0.04, n)
    placed, w, h = place_strokes(strokes, heights, gaps, drops)
    return render_line(placed, w, h, pen)


def mnist_line(images: Sequence[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """One canvas with MNIST digits (28x28, ink high) side by side at their own size, slanted a little."""
    parts = []
    for im in images:
        x0, y0, x1, y1 = ink_box(ink_mask(im)) or (0, 0, 28, 28)
        d = im[y0:y1, x0:x1]
        s = rng.uniform(0.85, 1.1)
        parts.append(cv2.resize(d, (max(1, round(d.shape[1] * s)), max(1, round(d.shape[0] * s)))))
    gaps = rng.integers(-2, 9, len(parts))
    drops = np.clip(rng.normal(0, 1.2, len(parts)).round().astype(int), -3, 3) + 4
    width = sum(p.shape[1] for p in parts) + int(gaps[:-1].sum()) + 16
    canvas = np.zeros((36, max(width, 28)), np.uint8)
    x = 8
    for p, gap, drop in zip(parts, gaps, drops, strict=True):
        h, w = p.shape
        x = max(x, 0)
        region = canvas[drop : drop + h, x : x + w]
        np.maximum(region, p[: region.shape[0], : region.shape[1]], out=region)
        x += w + int(gap)
    shear = rng.uniform(-0.2, 0.2)
    m = np.float32([[1, shear, -shear * 18], [0, 1, 0]])
    return cv2.warpAffine(canvas, m, (canvas.shape[1], canvas.shape[0]))


def pen_lines(
    digits: Sequence[PenDigit], count: int, seed: int, lengths: tuple[int, int] = (1, 6)
) -> tuple[list[np.ndarray], list[str]]:
    """`count` training lines of pen digits (random lengths, heights 70-200 px, pens 6-26 px)."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for _ in range(count):
        pick = [digits[i] for i in rng.integers(0, len(digits), rng.integers(lengths[0], lengths[1] + 1))]
        height = rng.uniform(70, 200)
        pen = min(rng.uniform(6, 26), 0.22 * height)
        xs.append(line_input(pen_line(pick, rng, height, pen)).input)
        ys.append("".join(str(d.label) for d in pick))
    return xs, ys


def mnist_lines(
    images: np.ndarray, labels: np.ndarray, count: int, seed: int, lengths: tuple[int, int] = (1, 6)
) -> tuple[list[np.ndarray], list[str]]:
    """`count` lines of MNIST digits (random lengths)."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for _ in range(count):
        idx = rng.integers(0, len(images), rng.integers(lengths[0], lengths[1] + 1))
        xs.append(line_input(mnist_line([images[i] for i in idx], rng)).input)
        ys.append("".join(str(int(labels[i])) for i in idx))
    return xs, ys


def eval_pen_canvases(
    digits: Sequence[PenDigit], count: int, seed: int = 1, lengths: tuple[int, int] = (2, 5)
) -> list[tuple[np.ndarray, str]]:
    """The evaluation's pen lines: held-out writers' digits, not jittered, 150 px tall, at each
    of EVAL_PEN_WIDTHS in turn; (canvas, the number)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        pick = [digits[j] for j in rng.integers(0, len(digits), rng.integers(lengths[0], lengths[1] + 1))]
        canvas = pen_line(pick, rng, 150.0, EVAL_PEN_WIDTHS[i % len(EVAL_PEN_WIDTHS)], jittered=False)
        out.append((canvas, "".join(str(d.label) for d in pick)))
    return out
