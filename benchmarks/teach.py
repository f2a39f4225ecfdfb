"""Teaching the digit CNN a handwriting style: `python -m benchmarks.teach [--seconds 30] [--per-digit 10]`.

A style is the held-out writers' pen digits (writers 25-30, never in training) drawn one consistent
way: slanted, backhand with a thick pen, wide with a thin pen, narrow, rotated, or as written. For
each style, `per-digit` examples of each digit are taught with DigitEngine.fine_tuned(seconds=...)
and the rest of that style is read before and after; MNIST test is read after. Prints the errors
per style, their fall, and the MNIST figure, for issue 28's bars.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

STYLES = {
    # name: (shear x by y, x scale, rotation in degrees, pen width)
    "as written": (0.0, 1.0, 0.0, 16),
    "slanted": (0.45, 1.0, 0.0, 16),
    "backhand, thick pen": (-0.4, 1.0, 0.0, 30),
    "wide, thin pen": (0.0, 1.7, 0.0, 7),
    "narrow": (0.0, 0.5, 0.0, 16),
    "rotated": (0.0, 1.0, 25.0, 16),
}


def styled(strokes, shear: float, sx: float, degrees: float) -> list[np.ndarray]:
    t = np.radians(degrees)
    m = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ np.array([[sx, -shear], [0.0, 1.0]])
    return [(np.asarray(s, np.float64) @ m.T).astype(np.float32) for s in strokes]


def render_style(digits, style) -> tuple[list[np.ndarray], np.ndarray]:
    from engine.digits.strokes import fit_strokes, render_strokes

    shear, sx, deg, pen = style
    canvases = [
        render_strokes(fit_strokes(styled(d.strokes, shear, sx, deg), 280, 200), 280, pen) for d in digits
    ]
    return canvases, np.array([d.label for d in digits])


def errors(engine, canvases, labels) -> int:
    return sum(
        int(np.argmax(engine.predict(c, keep_steps=False).probs)) != y
        for c, y in zip(canvases, labels, strict=True)
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--per-digit", type=int, default=10)
    ap.add_argument("--styles", help="comma-separated names (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import torch

    from engine.device import configure_threads
    from engine.digits import DigitEngine
    from engine.digits.data import load_pendigits
    from engine.digits.prepared import HELD_OUT_WRITERS, prepared_data
    from engine.digits.trainer import accuracy

    configure_threads(leave_for_gui=0)
    base = DigitEngine.load(device="cpu", check=False)
    data = prepared_data(log=lambda _m: None)
    held = [d for d in load_pendigits() if d.writer in HELD_OUT_WRITERS]
    rng = np.random.default_rng(args.seed)
    names = args.styles.split(",") if args.styles else list(STYLES)
    mnist_before = accuracy(base.trained, data.x_test, data.y_test, torch.device("cpu"))
    print(
        f"shipped CNN: MNIST test {mnist_before:.4f}; {len(held)} digits of writers {HELD_OUT_WRITERS[0]}-{HELD_OUT_WRITERS[-1]}"
    )
    falls = []
    for name in names:
        canvases, labels = render_style(held, STYLES[name])
        taught = np.concatenate(
            [rng.choice(np.flatnonzero(labels == k), args.per_digit, replace=False) for k in range(10)]
        )
        rest = np.setdiff1d(np.arange(len(labels)), taught)
        test_c, test_y = [canvases[i] for i in rest], labels[rest]
        before = errors(base, test_c, test_y)
        t0 = time.perf_counter()
        tuned = base.fine_tuned(
            [canvases[i] for i in taught], labels[taught], seconds=args.seconds, replay=data, seed=args.seed
        )
        took = time.perf_counter() - t0
        after = errors(tuned, test_c, test_y)
        mnist = accuracy(tuned.trained, data.x_test, data.y_test, torch.device("cpu"))
        fall = 1 - after / before if before else 0.0
        falls.append(fall)
        print(f"{name:<22} errors {before:4d} -> {after:4d} of {len(test_y)} ({fall:+.0%} fewer), "
              f"MNIST test after {mnist:.4f}, taught in {took:.1f} s ({tuned.metadata['taught']['steps']} steps)")  # fmt: skip
    print(f"errors fell by {np.mean(falls):.0%} on average, {min(falls):.0%} at least")
    return 0


if __name__ == "__main__":
    sys.exit(main())
