"""Points in a plane for the neuron page: the data sets people know from TensorFlow Playground (two
blobs, AND, OR, XOR, a circle, a spiral), with two or three classes, noise, a train/test split, and
CSV files of x1,x2,label."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

DATASETS = ("gaussian", "and", "or", "xor", "circle", "spiral")
EXTENT = 3.0  # the plane shown: -3..3 on both axes
MAX_POINTS = 20_000


def make(
    name: str, n: int = 500, noise: float = 0.0, classes: int = 2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """`n` points (n, 2) in the plane and their classes (n,) 0..classes-1."""
    if name not in DATASETS:
        raise ValueError(f"data must be one of {', '.join(DATASETS)}, got {name!r}")
    if classes not in (2, 3):
        raise ValueError("two or three classes")
    if not 1 <= n <= MAX_POINTS:
        raise ValueError(f"1 to {MAX_POINTS:,} points")
    if not 0 <= noise <= 1:
        raise ValueError("noise from 0 to 1")
    rng = np.random.default_rng(seed)
    if name == "gaussian":
        centres = np.array([[-1.5, -1.5], [1.5, 1.5], [1.5, -1.5]])[:classes]
        y = rng.integers(0, classes, n)
        x = centres[y] + rng.normal(0, 0.5 + 1.5 * noise, (n, 2))
    elif name == "spiral":
        y = rng.integers(0, classes, n)
        t = rng.uniform(0, 1, n)
        r = 0.2 + 2.6 * t
        angle = 3.2 * np.pi * t + 2 * np.pi * y / classes
        x = np.stack([r * np.cos(angle), r * np.sin(angle)], 1) + rng.normal(0, 0.05 + 0.5 * noise, (n, 2))
    elif name == "circle":
        y = rng.integers(0, 2, n)
        r = np.where(y == 0, rng.uniform(0, 1.3, n), rng.uniform(1.9, 2.8, n))
        a = rng.uniform(0, 2 * np.pi, n)
        x = np.stack([r * np.cos(a), r * np.sin(a)], 1) + rng.normal(0, 0.02 + 0.5 * noise, (n, 2))
        if classes == 3:  # a third ring between
            mid = rng.random(n) < 1 / 3
            r2 = rng.uniform(1.35, 1.85, n)
            x[mid] = np.stack([r2 * np.cos(a), r2 * np.sin(a)], 1)[mid]
            y = np.where(mid, 2, y)
    else:
        x = rng.uniform(-EXTENT * 0.95, EXTENT * 0.95, (n, 2))
        x += np.where(x > 0, 0.3, -0.3)  # a margin along the axes, as TensorFlow Playground's
        a, b = x[:, 0] > 0, x[:, 1] > 0
        rule = {"and": a & b, "or": a | b, "xor": a ^ b}[name]
        y = rule.astype(np.int64)
        if classes == 3:  # the third class: the points near the origin
            y = np.where(np.hypot(x[:, 0], x[:, 1]) < 1.0, 2, y)
        x = x + rng.normal(0, 0.02 + 0.5 * noise, (n, 2))
    return np.clip(x, -EXTENT, EXTENT).astype(np.float64), y.astype(np.int64)


def split(x: np.ndarray, y: np.ndarray, test_fraction: float = 0.5, seed: int = 0):
    """(x_train, y_train, x_test, y_test), shuffled."""
    if not 0 <= test_fraction < 1:
        raise ValueError("the test share must be from 0 up to (not including) 1")
    order = np.random.default_rng(seed).permutation(len(x))
    k = max(min(1, len(x)), len(x) - int(round(len(x) * test_fraction)))  # at least one to train on
    tr, te = order[:k], order[k:]
    return x[tr], y[tr], x[te], y[te]


def save_csv(path: str | Path, x: np.ndarray, y: np.ndarray) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(("x1", "x2", "label"))
        for (a, b), c in zip(x, y, strict=True):
            w.writerow((f"{a:.6g}", f"{b:.6g}", int(c)))


def load_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Points from x1,x2,label rows (a header line is skipped); raises ValueError naming the file and
    the line of the first problem, so that nothing half-read replaces the points shown."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{path}: cannot be read ({exc})") from exc
    if rows and rows[0] and not _is_number(rows[0][0]):
        rows, first = rows[1:], 2
    else:
        first = 1
    xs, ys = [], []
    for n, row in enumerate(rows, start=first):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != 3:
            raise ValueError(f"{path}, line {n}: needs x1,x2,label (3 values), got {len(row)}")
        try:
            a, b, c = float(row[0]), float(row[1]), row[2].strip()
        except ValueError:
            raise ValueError(f"{path}, line {n}: x1 and x2 must be numbers") from None
        if not (np.isfinite(a) and np.isfinite(b)) or abs(a) > EXTENT or abs(b) > EXTENT:
            raise ValueError(f"{path}, line {n}: the point must lie within -{EXTENT:g}..{EXTENT:g}")
        if c not in ("0", "1", "2"):
            raise ValueError(f"{path}, line {n}: the label must be 0, 1 or 2, got {c!r}")
        xs.append((a, b))
        ys.append(int(c))
        if len(xs) > MAX_POINTS:
            raise ValueError(f"{path}: more than {MAX_POINTS:,} points")
    if not xs:
        raise ValueError(f"{path}: no points in it")
    return np.asarray(xs, np.float64), np.asarray(ys, np.int64)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
