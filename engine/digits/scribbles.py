"""Marks that are no digit, drawn as the canvas draws: dots, dashes, random scrawls, shapes and
letters. They teach the digit check (engine/digits/check.py) what "not a digit" looks like and
measure it (`python -m benchmarks.digit_check`).

Every kind is a function of a random generator returning strokes ((N, 2) float arrays of canvas
points) for a square canvas, or, for letters, a finished canvas. Letters come from OpenCV's
stroke (Hershey) fonts; those that are written like a digit (O, l, S, Z, ...) are left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

from engine.digits.strokes import render_strokes

CANVAS = 280
Strokes = list[np.ndarray]

# Letters that are written like a digit (O/0, l/1, S/5, Z/2, B/8, b/6, g/q/9, G/6, ...) or are
# nothing but a stroke or a loop: they are no evidence either way and are left out.
DIGIT_LIKE = set("OoQDIilJjSsZzBbGgqTt|")
LETTERS = "".join(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in DIGIT_LIKE)
FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX,
    cv2.FONT_HERSHEY_DUPLEX,
    cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
    cv2.FONT_HERSHEY_SCRIPT_COMPLEX,
    cv2.FONT_HERSHEY_PLAIN,
)


def _place(points: np.ndarray, rng: np.random.Generator, size: float) -> np.ndarray:
    """Points scaled so their larger side is `size` px, at a random place that keeps them on the canvas."""
    lo, hi = points.min(0), points.max(0)
    span = max(float((hi - lo).max()), 1e-6)
    p = (points - lo) * (size / span)
    room = np.maximum(CANVAS - 20 - p.max(0), 0)
    return (p + 10 + rng.uniform(0, 1, 2) * room).astype(np.float32)


def _place_all(strokes: Strokes, rng: np.random.Generator, size: float) -> Strokes:
    pts = np.concatenate(strokes)
    placed = _place(pts, rng, size)
    out, i = [], 0
    for s in strokes:
        out.append(placed[i : i + len(s)])
        i += len(s)
    return out


def _rotate(strokes: Strokes, angle: float) -> Strokes:
    c, s = np.cos(angle), np.sin(angle)
    m = np.array([[c, -s], [s, c]])
    return [np.asarray(p, np.float64) @ m.T for p in strokes]


def _wobble(p: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    """A hand's small unsteadiness along a stroke."""
    if len(p) < 3 or amount <= 0:
        return p
    noise = np.cumsum(rng.normal(0, amount, (len(p), 2)), 0)
    noise -= np.linspace(0, 1, len(p))[:, None] * noise[-1]  # ends stay where they were
    return p + noise


def _segment(a: np.ndarray, b: np.ndarray, n: int = 12) -> np.ndarray:
    t = np.linspace(0, 1, n)[:, None]
    return a + (b - a) * t


def dot(rng: np.random.Generator) -> Strokes:
    """One dot, or a tiny blot a pen makes when it barely moves."""
    c = rng.uniform(30, CANVAS - 30, 2)
    n = int(rng.integers(1, 6))
    return [(c + rng.normal(0, rng.uniform(0, 4), (n, 2))).astype(np.float32)]


def dots(rng: np.random.Generator) -> Strokes:
    """Two to seven dots: a colon, an ellipsis, a sprinkle."""
    n = int(rng.integers(2, 8))
    spread = rng.uniform(20, 200)
    c = rng.uniform(CANVAS / 2 - 40, CANVAS / 2 + 40, 2)
    if rng.random() < 0.5:  # in a row, as ":" or "..."
        a = rng.uniform(0, np.pi)
        t = np.linspace(-0.5, 0.5, n)[:, None] * spread
        centres = c + t * np.array([np.cos(a), np.sin(a)])
    else:
        centres = c + rng.uniform(-0.5, 0.5, (n, 2)) * spread
    return [np.clip(p, 10, CANVAS - 10)[None].astype(np.float32) for p in centres]


def dash(rng: np.random.Generator) -> Strokes:
    """A straight or slightly bowed line within 35 degrees of level (steeper reads as a "1")."""
    length = rng.uniform(15, 250)
    a = rng.uniform(-35, 35) * np.pi / 180
    p = _segment(np.zeros(2), np.array([length, 0.0]), 16)
    p[:, 1] += rng.uniform(-0.12, 0.12) * length * np.sin(np.linspace(0, np.pi, 16))
    p = _rotate([_wobble(p, rng, rng.uniform(0, 0.8))], a)[0]
    return [_place(p, rng, length)]


def dashes(rng: np.random.Generator) -> Strokes:
    """Two or three level lines: "=", a crossed-out gap, underlines."""
    n = int(rng.integers(2, 4))
    length = rng.uniform(40, 220)
    gap = rng.uniform(15, 80)
    out = []
    for i in range(n):
        x0 = rng.uniform(-0.15, 0.15) * length
        out.append(
            _segment(np.array([x0, i * gap]), np.array([x0 + length * rng.uniform(0.7, 1.1), i * gap]))
        )
    a = rng.uniform(-20, 20) * np.pi / 180
    return _place_all(_rotate(out, a), rng, rng.uniform(60, 240))


def wave(rng: np.random.Generator) -> Strokes:
    """A level wave or tilde, one to four bumps."""
    bumps = rng.uniform(1, 4)
    t = np.linspace(0, 1, 60)
    p = np.stack([t, rng.uniform(0.05, 0.25) * np.sin(2 * np.pi * bumps * t)], 1)
    p = _rotate([p], rng.uniform(-25, 25) * np.pi / 180)[0]
    return [_place(_wobble(p, rng, 0.002), rng, rng.uniform(60, 250))]


def scrawl(rng: np.random.Generator) -> Strokes:
    """A smooth random walk: a pen wandering with no plan, one to three strokes."""
    out = []
    for _ in range(int(rng.integers(1, 4))):
        n = int(rng.integers(20, 160))
        turn = np.cumsum(rng.normal(0, rng.uniform(0.1, 0.6), n))
        step = rng.uniform(0.5, 1.5, n)
        p = np.cumsum(np.stack([np.cos(turn) * step, np.sin(turn) * step], 1), 0)
        out.append(p + rng.uniform(-20, 20, 2))
    return _place_all(out, rng, rng.uniform(80, 250))


def curve(rng: np.random.Generator) -> Strokes:
    """A smooth curve through four or five random control points (Bezier), one or two of them."""
    out = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        c = rng.uniform(0, 1, (int(rng.integers(4, 6)), 2))
        t = np.linspace(0, 1, 60)[:, None]
        n = len(c) - 1
        p = sum(math.comb(n, i) * (1 - t) ** (n - i) * t**i * c[i] for i in range(n + 1))
        out.append(p)
    return _place_all(out, rng, rng.uniform(80, 250))


def polyline(rng: np.random.Generator) -> Strokes:
    """Four to twelve random points joined by straight lines."""
    n = int(rng.integers(4, 13))
    pts = rng.uniform(0, 1, (n, 2))
    p = np.concatenate([_segment(pts[i], pts[i + 1], 8) for i in range(n - 1)])
    return [_place(p, rng, rng.uniform(80, 250))]


def zigzag(rng: np.random.Generator) -> Strokes:
    """Sharp back-and-forth lines across: a saw, a "WWW", a signature's scribble."""
    n = int(rng.integers(4, 14))
    xs = np.linspace(0, 1, n)
    ys = np.where(np.arange(n) % 2 == 0, 0.0, rng.uniform(0.15, 0.6)) + rng.normal(0, 0.03, n)
    pts = np.stack([xs, ys], 1)
    p = np.concatenate([_segment(pts[i], pts[i + 1], 6) for i in range(n - 1)])
    p = _rotate([p], rng.uniform(-30, 30) * np.pi / 180)[0]
    return [_place(p, rng, rng.uniform(80, 250))]


def hatch(rng: np.random.Generator) -> Strokes:
    """A patch scribbled over, as when crossing something out."""
    n = int(rng.integers(5, 20))
    w, h = rng.uniform(0.5, 1.0), rng.uniform(0.2, 1.0)
    pts = [np.array([(i % 2) * w + rng.normal(0, 0.05), i * h / n + rng.normal(0, 0.02)]) for i in range(n)]
    p = np.concatenate([_segment(pts[i], pts[i + 1], 8) for i in range(n - 1)])
    p = _rotate([p], rng.uniform(0, np.pi))[0]
    return [_place(p, rng, rng.uniform(60, 250))]


def spiral(rng: np.random.Generator) -> Strokes:
    """A spiral of one and a half to four turns."""
    turns = rng.uniform(1.5, 4)
    t = np.linspace(0, turns * 2 * np.pi, int(40 * turns))
    r = np.linspace(rng.uniform(0, 0.2), 1, len(t))
    p = np.stack([r * np.cos(t), r * np.sin(t) * rng.uniform(0.6, 1.0)], 1)
    return [_place(_wobble(p, rng, 0.01), rng, rng.uniform(80, 250))]


def loops(rng: np.random.Generator) -> Strokes:
    """A row of cursive loops, "eeee" or "llll" written without letters."""
    n = rng.uniform(2, 6)
    t = np.linspace(0, n * 2 * np.pi, int(50 * n))
    p = np.stack([t * rng.uniform(0.08, 0.25) - np.sin(t) * 0.5, -np.cos(t) * rng.uniform(0.4, 1.2)], 1)
    return [_place(_wobble(p, rng, 0.01), rng, rng.uniform(100, 260))]


def shape(rng: np.random.Generator) -> Strokes:
    """A triangle, square, star, cross, plus, arrow, check mark, asterisk or hash."""
    kind = rng.choice(["triangle", "square", "star", "cross", "plus", "arrow", "check", "asterisk", "hash"])
    if kind == "triangle":
        p = np.array([[0, 1], [0.5, 0.05], [1, 1], [0, 1]], float)
        out = [np.concatenate([_segment(p[i], p[i + 1]) for i in range(3)])]
    elif kind == "square":
        p = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], float)
        out = [np.concatenate([_segment(p[i], p[i + 1]) for i in range(4)])]
    elif kind == "star":
        a = np.linspace(0, 4 * np.pi, 6) - np.pi / 2
        p = np.stack([np.cos(a), np.sin(a)], 1)
        out = [np.concatenate([_segment(p[i], p[i + 1]) for i in range(5)])]
    elif kind == "cross":
        out = [
            _segment(np.array([0, 0.0]), np.array([1, 1.0])),
            _segment(np.array([1, 0.0]), np.array([0, 1.0])),
        ]
    elif kind == "plus":
        out = [
            _segment(np.array([0, 0.5]), np.array([1, 0.5])),
            _segment(np.array([0.5, 0]), np.array([0.5, 1.0])),
        ]
    elif kind == "arrow":
        out = [
            _segment(np.array([0, 0.5]), np.array([1, 0.5])),
            np.concatenate(
                [
                    _segment(np.array([0.7, 0.25]), np.array([1, 0.5])),
                    _segment(np.array([1, 0.5]), np.array([0.7, 0.75])),
                ]
            ),
        ]
    elif kind == "check":
        out = [
            np.concatenate(
                [
                    _segment(np.array([0, 0.6]), np.array([0.35, 1.0])),
                    _segment(np.array([0.35, 1.0]), np.array([1, 0.0])),
                ]
            )
        ]
    elif kind == "asterisk":
        out = [
            _segment(np.array([np.cos(a), np.sin(a)]), -np.array([np.cos(a), np.sin(a)]))
            for a in np.linspace(0, np.pi, 4)[:3]
        ]
    else:
        out = [
            _segment(np.array([0.3, 0]), np.array([0.2, 1.0])),
            _segment(np.array([0.8, 0]), np.array([0.7, 1.0])),
            _segment(np.array([0, 0.33]), np.array([1, 0.33])),
            _segment(np.array([0, 0.66]), np.array([1, 0.66])),
        ]
    out = _rotate([_wobble(s * 100, rng, 0.6) for s in out], rng.uniform(-0.3, 0.3))
    return _place_all(out, rng, rng.uniform(60, 240))


STROKE_KINDS: dict[str, Callable[[np.random.Generator], Strokes]] = {
    "dot": dot,
    "dots": dots,
    "dash": dash,
    "dashes": dashes,
    "wave": wave,
    "scrawl": scrawl,
    "curve": curve,
    "polyline": polyline,
    "zigzag": zigzag,
    "hatch": hatch,
    "spiral": spiral,
    "loops": loops,
    "shape": shape,
}
KINDS = (*STROKE_KINDS, "letter")


def letter_canvas(rng: np.random.Generator, pen: float, fonts: tuple[int, ...] = FONTS) -> np.ndarray:
    """A letter in one of OpenCV's stroke fonts, turned, sheared and stretched a little, as hands do."""
    ch = str(rng.choice(list(LETTERS)))
    font = int(rng.choice(fonts)) | (cv2.FONT_ITALIC if rng.random() < 0.3 else 0)
    big = np.zeros((2 * CANVAS, 2 * CANVAS), np.uint8)
    scale = 6.0
    (tw, th), base = cv2.getTextSize(ch, font, scale, 1)
    s = rng.uniform(110, 250) / max(th + base, 1)  # on the canvas about as tall as a drawn digit
    org = (CANVAS - tw // 2, CANVAS + th // 2)
    cv2.putText(big, ch, org, font, scale, 255, max(1, int(round(pen / s))), cv2.LINE_AA)
    a = np.deg2rad(rng.uniform(-12, 12))
    shear, sx = rng.uniform(-0.25, 0.25), rng.uniform(0.8, 1.2)
    m = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ np.array([[sx, shear], [0, 1]])
    m = m * s
    centre = np.array([CANVAS, CANVAS], float)
    offset = np.array([CANVAS / 2, CANVAS / 2]) + rng.uniform(-20, 20, 2) - m @ centre
    warp = np.hstack([m, offset[:, None]]).astype(np.float32)
    return cv2.warpAffine(big, warp, (CANVAS, CANVAS), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)


def scribble_canvas(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One mark of `kind` (one of KINDS) on a CANVAS x CANVAS canvas, pen 6-30 px."""
    pen = float(rng.uniform(6, 30))
    if kind == "letter":
        return letter_canvas(rng, pen)
    return render_strokes(STROKE_KINDS[kind](rng), CANVAS, pen)


def scribbles(n: int, seed: int, kinds: tuple[str, ...] = KINDS) -> list[tuple[str, np.ndarray]]:
    """`n` marks, the kinds taken in turn."""
    rng = np.random.default_rng(seed)
    return [(kinds[i % len(kinds)], scribble_canvas(kinds[i % len(kinds)], rng)) for i in range(n)]
