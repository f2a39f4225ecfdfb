"""Pen-drawn digits rendered the way the app's canvas draws them, for training and evaluation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from engine.digits.data import PenDigit
from engine.digits.preprocess import preprocess
from engine.digits.strokes import fit_strokes, render_strokes

EVAL_PEN_WIDTHS = (10, 16, 24)  # the bar's protocol: 280x280 canvas, digit about 200 px tall


def render_digit(d: PenDigit, pen_width: float, canvas: int = 280, height: float = 200.0) -> np.ndarray:
    return render_strokes(fit_strokes(d.strokes, canvas, height), canvas, pen_width)


def jitter(strokes: Sequence[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """A random small rotation, shear and aspect change, as different writers and hands produce."""
    a = np.deg2rad(rng.uniform(-12, 12))
    shear = rng.uniform(-0.25, 0.25)
    sx = rng.uniform(0.8, 1.2)
    m = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ np.array([[sx, shear], [0, 1]])
    return [(np.asarray(s, np.float64) @ m.T).astype(np.float32) for s in strokes]


def augmented_inputs(digits: Iterable[PenDigit], copies: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`copies` randomly jittered renders of each digit (pen 6-30 px, 110-250 px tall) as 28x28 inputs."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for d in digits:
        for _ in range(copies):
            strokes = jitter(d.strokes, rng)
            canvas = render_strokes(fit_strokes(strokes, 280, rng.uniform(110, 250)), 280, rng.uniform(6, 30))
            xs.append(preprocess(canvas, keep_steps=False).input)
            ys.append(d.label)
    return np.stack(xs), np.asarray(ys, np.int64)


def eval_inputs(digits: Iterable[PenDigit]) -> tuple[np.ndarray, np.ndarray]:
    """The bar's renders (each digit at every EVAL_PEN_WIDTHS) as 28x28 inputs."""
    xs, ys = [], []
    for d in digits:
        for pw in EVAL_PEN_WIDTHS:
            xs.append(preprocess(render_digit(d, pw), keep_steps=False).input)
            ys.append(d.label)
    return np.stack(xs), np.asarray(ys, np.int64)


def split_writers(
    digits: Sequence[PenDigit], held_out: Iterable[int]
) -> tuple[list[PenDigit], list[PenDigit]]:
    held = set(held_out)
    return [d for d in digits if d.writer not in held], [d for d in digits if d.writer in held]
