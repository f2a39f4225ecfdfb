"""Train a network on points in a plane: `python -m engine.neuron.train --data xor --hidden 4,4
--activation tanh --seconds 5`. Prints train and test accuracy as it goes; its last line reads
`train 0.985 test 0.978 updates/s 2400` (this run's numbers), for scripts to read.
`--hidden ""` trains a single neuron (with `--activation step`, by the perceptron rule)."""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from engine.neuron.data import DATASETS, make, split
from engine.neuron.network import ACTIVATIONS, FEATURES, Network


def hidden_sizes(text: str) -> list[int]:
    """'4,4' -> [4, 4]; '' -> [] (one neuron)."""
    try:
        return [int(p) for p in text.replace(" ", "").split(",") if p]
    except ValueError:
        raise ValueError(
            f"hidden layers: whole numbers separated by commas, like 4,4 (got {text!r})"
        ) from None


def train_for(net: Network, x: np.ndarray, y: np.ndarray, seconds: float, lr: float, batch: int,
              l2: float = 0.0, seed: int = 0, report=None, every: float = 0.5) -> float:  # fmt: skip
    """Random batches for `seconds`; returns updates per second. `report(seconds)` every `every` s."""
    rng = np.random.default_rng(seed)
    t0 = last = time.perf_counter()
    start = net.updates
    while (now := time.perf_counter()) - t0 < seconds:
        i = rng.integers(0, len(x), min(batch, len(x)))
        net.step(x[i], y[i], lr, l2)
        if report is not None and now - last >= every:
            last = now
            report(now - t0)
    return (net.updates - start) / max(time.perf_counter() - t0, 1e-9)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.neuron.train", description=__doc__)
    ap.add_argument("--data", choices=DATASETS, default="xor")
    ap.add_argument("--hidden", default="4,4", help='units per hidden layer, e.g. 4,4 ("" for one neuron)')
    ap.add_argument("--activation", choices=ACTIVATIONS, default="tanh")
    ap.add_argument(
        "--features", default="x1,x2", help=f"inputs, comma separated, among: {', '.join(FEATURES)}"
    )
    ap.add_argument("--classes", type=int, choices=(2, 3), default=2)
    ap.add_argument("--points", type=int, default=500)
    ap.add_argument("--noise", type=float, default=0.0)
    ap.add_argument("--test", type=float, default=0.5, help="the share of points kept for testing")
    ap.add_argument("--lr", type=float, default=0.03)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--l2", type=float, default=0.0)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    try:
        if not 0 < args.seconds <= 3600 or not 0 < args.lr <= 10 or args.batch < 1 or args.l2 < 0:
            raise ValueError("seconds (0, 3600], learning rate (0, 10], batch 1 or more, L2 0 or more")
        x, y = make(args.data, args.points, args.noise, args.classes, args.seed)
        xt, yt, xe, ye = split(x, y, args.test, args.seed)
        features = tuple(f.strip() for f in args.features.split(",") if f.strip())
        net = Network(hidden_sizes(args.hidden), args.activation, features, args.classes, args.seed)
    except ValueError as exc:
        ap.error(str(exc))

    def report(t: float) -> None:
        print(
            f"{t:5.1f} s  {net.updates:>8} updates  train {net.accuracy(xt, yt):.3f}  test {net.accuracy(xe, ye):.3f}"
        )

    rate = train_for(net, xt, yt, args.seconds, args.lr, args.batch, args.l2, args.seed, report)
    print(f"train {net.accuracy(xt, yt):.3f} test {net.accuracy(xe, ye):.3f} updates/s {rate:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
