"""How well the digit check tells digits from marks that are none:
`python -m benchmarks.digit_check [--marks 2600]`.

Prints, through the app's own path (DigitEngine.predict with the shipped check):
- pen digits by the writers neither network saw (every digit at pens 10/16/24 px, as the digit
  CNN's figure): the share called "not a digit", and top-1 among the rest;
- MNIST test: the share called "not a digit", top-1 among the rest;
- marks of every kind in engine/digits/scribbles.py drawn afresh (a seed training never used),
  and two kinds training never saw (smooth random curves, random pen strokes with lifts): the
  share called "not a digit", by kind.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from engine.bad_file import run_command
from engine.digits.data import load_mnist, load_pendigits
from engine.digits.infer import DigitEngine
from engine.digits.scribbles import CANVAS, KINDS, scribble_canvas
from engine.digits.strokes import render_strokes
from engine.digits.synth import EVAL_PEN_WIDTHS, render_digit
from engine.digits.train_check import HELD_OUT_WRITERS

EVAL_SEED = 12345  # training draws its marks with seeds 0 and 1


def bezier(rng: np.random.Generator) -> list[np.ndarray]:
    """A smooth curve through four random control points (a kind training never drew)."""
    c = rng.uniform(20, CANVAS - 20, (4, 2))
    t = np.linspace(0, 1, 50)[:, None]
    p = (1 - t) ** 3 * c[0] + 3 * (1 - t) ** 2 * t * c[1] + 3 * (1 - t) * t**2 * c[2] + t**3 * c[3]
    return [p.astype(np.float32)]


def strokes_with_lifts(rng: np.random.Generator) -> list[np.ndarray]:
    """Three to six short random strokes anywhere on the canvas (a kind training never drew)."""
    out = []
    for _ in range(int(rng.integers(3, 7))):
        a = rng.uniform(20, CANVAS - 20, 2)
        b = np.clip(a + rng.normal(0, 50, 2), 10, CANVAS - 10)
        out.append(np.stack([a, b]).astype(np.float32))
    return out


UNSEEN = {"bezier (unseen)": bezier, "lifts (unseen)": strokes_with_lifts}


def called_not_digit(eng: DigitEngine, canvases: list[np.ndarray]) -> tuple[float, list]:
    results = [eng.predict(c, keep_steps=False) for c in canvases]
    inked = [r for r in results if not r.empty]
    return float(np.mean([r.status == "not_digit" for r in inked])) if inked else 0.0, results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--marks", type=int, default=2600, help="marks drawn for each figure (shared over kinds)")
    ap.add_argument("--mnist", help="MNIST folder (IDX files)")
    ap.add_argument("--pendigits", help="pendigits-orig.tra or its folder")
    ap.add_argument("--check", help="a digit check .safetensors (default: the shipped one)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    from engine.digits.check import DigitCheck

    check = DigitCheck.load(args.check, device="cpu")
    eng = DigitEngine.load(device="cpu", check=check)
    print(f"digit check {check.path.name}: threshold {check.threshold:.4f}")

    pens = [d for d in load_pendigits(args.pendigits) if d.writer in HELD_OUT_WRITERS]
    canvases = [render_digit(d, pw) for d in pens for pw in EVAL_PEN_WIDTHS]
    labels = np.array([d.label for d in pens for _ in EVAL_PEN_WIDTHS])
    share, results = called_not_digit(eng, canvases)
    kept = [(r.label, y) for r, y in zip(results, labels, strict=True) if r.status == "ok"]
    top1 = np.mean([a == b for a, b in kept])
    print(
        f"held-out pen digits (writers {HELD_OUT_WRITERS[0]}-{HELD_OUT_WRITERS[-1]}, {len(canvases)} renders): "
        f"called 'not a digit' {share:.2%}; top-1 of the rest {top1:.2%}"
    )
    tx, ty = load_mnist("test", args.mnist)
    share, results = called_not_digit(eng, list(tx))
    kept = [(r.label, y) for r, y in zip(results, ty, strict=True) if r.status == "ok"]
    print(
        f"MNIST test ({len(tx)}): called 'not a digit' {share:.2%}; "
        f"top-1 of the rest {np.mean([a == b for a, b in kept]):.2%}"
    )

    rng = np.random.default_rng(EVAL_SEED)
    kinds = [*KINDS, *UNSEEN]
    per_kind = max(1, args.marks // len(kinds))
    total, named = 0, 0
    print(f"marks that are no digit ({per_kind} of each kind), called 'not a digit':")
    for kind in kinds:
        if kind in UNSEEN:
            marks = [render_strokes(UNSEEN[kind](rng), CANVAS, rng.uniform(6, 30)) for _ in range(per_kind)]
        else:
            marks = [scribble_canvas(kind, rng) for _ in range(per_kind)]
        share, results = called_not_digit(eng, marks)
        total += len(marks)
        named += round(share * len(marks))
        guesses = np.bincount([int(np.argmax(r.probs)) for r in results if r.status == "ok"], minlength=10)
        print(f"  {kind:<16} {share:7.2%}   read as digits instead: {dict(enumerate(guesses.tolist()))}")
    print(f"  all              {named / total:7.2%} of {total}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
