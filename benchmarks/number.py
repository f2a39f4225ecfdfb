"""How well the CRNN reads written numbers: `python -m benchmarks.number`.

Pen lines: numbers of 2-5 digits written by the held-out writers (never seen in training),
150 px tall, pens 10/16/24 px, gaps between the digits' strokes from -5% to 45% of their height
(with the pen's width, the ink of neighbouring digits touches in about half of the numbers), read
through the app's own path (canvas -> line -> CRNN). MNIST lines: MNIST test digits side by side.
Beside the CRNN, the way without an RNN: cut the canvas at its blank columns and read each piece
with the digit CNN, which fails where digits touch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from engine.bad_file import run_command
from engine.device import configure_threads
from engine.digits.data import load_mnist, load_pendigits, mnist_dir, pendigits_path
from engine.digits.preprocess import ink_groups
from engine.digits.synth import split_writers
from engine.number.cut import CUT_GAP, cut_and_classify
from engine.number.line import CANVAS
from engine.number.reader import NumberReader
from engine.number.synth import eval_pen_canvases, mnist_lines
from engine.number.train import TrainConfig, read_lines


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def scores(read: list[str], truth: list[str]) -> tuple[float, float]:
    """(share of numbers read exactly, digit error rate: edits / digits)."""
    exact = float(np.mean([r == t for r, t in zip(read, truth, strict=True)]))
    edits = sum(edit_distance(r, t) for r, t in zip(read, truth, strict=True))
    return exact, edits / max(1, sum(len(t) for t in truth))


def pictures_line(reader: NumberReader, lines: list[tuple[np.ndarray, str]], clean: list[str]) -> str:
    """Lines printed onto synthetic paper (uneven light, blur, noise, JPEG), read back onto the
    Number page's canvas as an opened picture is, and read."""
    from engine.digits.picture import photographed, picture_to_canvas

    rng = np.random.default_rng(5)
    t0 = time.perf_counter()
    canvases = [picture_to_canvas(photographed(c, rng), CANVAS) for c, _ in lines]
    ms = (time.perf_counter() - t0) * 1e3 / max(1, len(lines))
    truth = [n for _, n in lines]
    exact = scores([reader.read(c).text for c in canvases], truth)[0]
    return (
        f"pictures: {len(lines)} pen lines photographed and read back: {exact:.3f} read exactly "
        f"(the same lines drawn: {scores(clean, truth)[0]:.3f}); photo to canvas {ms:.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weights", type=Path, default=None, help="CRNN weights (default: the shipped ones)")
    ap.add_argument("--mnist", type=Path, default=None)
    ap.add_argument("--pendigits", type=Path, default=None)
    ap.add_argument("--lines", type=int, default=1500, help="pen lines and MNIST lines each")
    ap.add_argument(
        "--pictures",
        type=int,
        default=0,
        help="also read N of the pen lines photographed (as an opened picture is)",
    )
    args = ap.parse_args(argv)
    configure_threads()
    reader = NumberReader.load(args.weights, "cpu")
    from engine.digits.infer import DigitEngine

    cnn = DigitEngine.load(device="cpu")
    _, held = split_writers(load_pendigits(pendigits_path(args.pendigits)), TrainConfig().held_out_writers)
    pen = eval_pen_canvases(held, args.lines)
    truth = [n for _, n in pen]
    t0 = time.perf_counter()
    results = [reader.read(c) for c, _ in pen]
    ms = (time.perf_counter() - t0) * 1e3 / len(pen)
    read = [r.text for r in results]
    exact, der = scores(read, truth)
    print(f"pen lines, held-out writers ({len(pen)}): CRNN {exact:.3f} read exactly, digit errors {der:.3f}")
    print(f"  {ms:.1f} ms a line (canvas to number, CPU)")
    cut = [cut_and_classify(c, cnn)[0] for c, _ in pen]
    exact_c, der_c = scores(cut, truth)
    print(f"  cut at gaps + digit CNN: {exact_c:.3f} read exactly, digit errors {der_c:.3f}")
    apart = [len(ink_groups(c, CUT_GAP)) == len(n) for c, n in pen]  # a blank column between each digit
    groups = [(f"{n} digits", [len(t) == n for t in truth]) for n in sorted({len(t) for t in truth})]
    groups += [("digits all apart", apart), ("some digits touching", [not a for a in apart])]
    for name, member in groups:
        pick = [i for i, m in enumerate(member) if m]
        if pick:
            a = scores([read[i] for i in pick], [truth[i] for i in pick])[0]
            b = scores([cut[i] for i in pick], [truth[i] for i in pick])[0]
            print(f"  {name} ({len(pick)}): CRNN {a:.3f}, cut + CNN {b:.3f}")
    if args.pictures:
        print(pictures_line(reader, pen[: args.pictures], read[: args.pictures]))
    images, labels = load_mnist("test", mnist_dir(args.mnist))
    mx, my = mnist_lines(images, labels, args.lines, seed=7, lengths=(2, 5))
    exact_m, der_m = scores(read_lines(reader.model, mx, reader.device), my)
    print(f"MNIST test lines ({len(mx)}): CRNN {exact_m:.3f} read exactly, digit errors {der_m:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
