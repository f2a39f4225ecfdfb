"""Time to read N characters, per text cell at its shipped size: `python -m benchmarks.text_length`.

Two ways of reading, for every cell:
- one call: the whole text handed over at once. The recurrent cells still take its letters one
  after another inside that call (each step needs the state the letter before left); the temporal
  CNN and the Transformer compute every letter's output in one parallel pass.
- a letter at a time: one call per letter, carrying the state (what typing does).

Prints p50 and p95 per cell and length, and draws the p50s against N on log-log axes into a PNG
(default docs/text_speed.png). `--quick` measures fewer lengths and repeats.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

LENGTHS = (16, 32, 64, 128, 256, 512, 1024)
QUICK_LENGTHS = (16, 64, 256)
COLOURS = {"rnn": "#d08040", "lstm": "#e0c050", "gru": "#a0d060", "cnn": "#50a0e0", "transformer": "#c070e0"}


def timed(fn, repeats: int) -> tuple[float, float]:
    """(p50, p95) milliseconds of fn() over `repeats` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    p50, p95 = np.percentile(times, [50, 95])
    return float(p50), float(p95)


def measure(model, n: int, repeats: int) -> dict[str, tuple[float, float]]:
    import torch

    ids = torch.randint(1, 40, (1, n))

    def at_once() -> None:
        model(ids)

    def letter_by_letter() -> None:
        state = None
        for t in range(n):
            _, _, state = model(ids[:, t : t + 1], state)

    with torch.inference_mode():
        return {
            "one call": timed(at_once, repeats),
            "a letter at a time": timed(letter_by_letter, max(1, repeats // 4)),
        }


def plot(results: dict, lengths: tuple[int, ...], path: Path) -> None:
    """p50 against N, log-log: a solid line per cell for one call, dashed for a letter at a time."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    import pyqtgraph.exporters
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    w = pg.PlotWidget(background="#1e1e1e")
    w.resize(820, 520)
    w.setLogMode(x=True, y=True)
    w.showGrid(x=True, y=True, alpha=0.25)
    w.setLabel("bottom", "characters read (N)")
    w.setLabel("left", "time to read them (ms, p50)")
    # No title: the exporter cuts it; the legend and the README's caption say what the lines are.
    w.addLegend(offset=(10, 10))
    x = np.array(lengths, float)
    for cell, ways in results.items():
        colour = COLOURS.get(cell, "#ffffff")
        for way, style in (("one call", Qt.PenStyle.SolidLine), ("a letter at a time", Qt.PenStyle.DashLine)):
            y = np.array([ways[way][n][0] for n in lengths])
            name = f"{cell}, {way}"
            w.plot(x, y, pen=pg.mkPen(colour, width=2, style=style), symbol="o", symbolSize=5,
                   symbolBrush=colour, name=name)  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    pyqtgraph.exporters.ImageExporter(w.plotItem).export(str(path))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer lengths and repeats")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--plot", type=Path, default=Path("docs/text_speed.png"), help="the PNG to write")
    ap.add_argument("--no-plot", action="store_true")
    args = ap.parse_args(argv)
    import torch

    from engine.device import configure_threads
    from engine.paths import assets_dir
    from engine.text.model import CELLS, model_kind
    from engine.weights import load_model

    configure_threads(leave_for_gui=0)
    lengths = QUICK_LENGTHS if args.quick else LENGTHS
    repeats = max(2, args.repeats // 4) if args.quick else args.repeats
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; p50 / p95 ms over {repeats} reads")
    results: dict[str, dict[str, dict[int, tuple[float, float]]]] = {}
    for cell in CELLS:
        model, _ = load_model(assets_dir() / f"text_{cell}.safetensors", *model_kind(cell))
        model.eval()
        results[cell] = {"one call": {}, "a letter at a time": {}}
        for n in lengths:
            for way, (p50, p95) in measure(model, n, repeats).items():
                results[cell][way][n] = (p50, p95)
        for way, by_n in results[cell].items():
            cols = "  ".join(f"N={n}: {p50:7.2f} / {p95:7.2f}" for n, (p50, p95) in by_n.items())
            print(f"{cell:11} {way:18} {cols}")
        one = results[cell]["one call"]
        print(f"{cell:11} one call, time per letter from N={lengths[0]} to N={lengths[-1]}: "
              f"{one[lengths[0]][0] / lengths[0] * 1e3:.1f} -> {one[lengths[-1]][0] / lengths[-1] * 1e3:.1f} µs")  # fmt: skip
    if not args.no_plot:
        plot(results, lengths, args.plot)
        print(f"plot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
