"""How far back the network's guess looks: each letter's pull on the next-character guess.

The pull of a letter is the size of the gradient of the guess's log-probability with respect to
that letter's input (its embedding), relative to the strongest letter's. Through a plain RNN the
gradient shrinks by a factor at every step back, so letters a dozen places back barely matter:
the vanishing gradient. The LSTM's and GRU's gates let it through further. Measured over held-out
text (python -m engine.text.influence, 200 stretches): the mean pull 20 letters back is 0.11% of
the strongest letter's for the plain RNN, 0.47% for the LSTM, 1.0% for the GRU; 40 back 0.00%,
0.02%, 0.66%.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.bad_file import run_command

if TYPE_CHECKING:  # torch is imported only when it runs
    from engine.text.engine import TextEngine

MOST_CHARS = 60  # letters read back from the caret: past ~40 the pull is below 1e-3 in every recurrent cell
# The window cells' pull is read further back: the CNN's stops at its receptive field (127
# letters), the Transformer's goes on past it.
WINDOW_MOST_CHARS = 160


@dataclass
class Influence:
    text: str  # the letters read (normalised), the last one just before the caret
    pull: np.ndarray  # (len(text),) each letter's pull on the guess, the strongest 1.0
    guess: str  # the next character guessed (the likeliest)
    reach: int | None = None  # the temporal CNN: letters it can see (its receptive field)


def influence(engine: TextEngine, text: str, most: int | None = None) -> Influence:
    """Each of the last `most` letters of `text`'s pull on `engine`'s guess for the next character
    (default: MOST_CHARS, or WINDOW_MOST_CHARS for the window cells)."""
    import torch

    from engine.text.model import WINDOW_CELLS

    if most is None:
        most = WINDOW_MOST_CHARS if engine.cell in WINDOW_CELLS else MOST_CHARS
    reach = engine.model.config.receptive_field if engine.cell == "cnn" else None

    norm = engine.vocab.normalise(text[-4 * most :] if isinstance(text, str) else "")[-most:]
    if not norm:
        return Influence("", np.zeros(0, np.float32), "", reach)
    model = engine.model
    ids = torch.tensor([engine.vocab.encode(norm)], dtype=torch.long, device=engine.device)
    # cuDNN's recurrent layers take no backward pass in eval mode ("cudnn RNN backward can only be
    # called in training mode"): on a GPU the gradient is taken through torch's own kernels.
    with torch.enable_grad(), torch.backends.cudnn.flags(enabled=False):
        x = model.embed(ids).detach().requires_grad_(True)
        logits, _, _ = model.read_embedded(x)
        logp = torch.log_softmax(logits[0, -1].float(), -1)
        best = int(logp.argmax())
        (grad,) = torch.autograd.grad(logp[best], x)
    size = grad[0].norm(dim=-1).float().cpu().numpy()
    top = float(size.max())
    pull = size / top if top > 0 else size
    return Influence(norm, pull.astype(np.float32), engine.vocab.alphabet[best], reach)


def reach(engine: TextEngine, sample: str, pieces: int = 30, most: int = MOST_CHARS) -> np.ndarray:
    """The mean pull k letters back (k = 0 .. most-1) over `pieces` stretches of `sample`."""
    step = max(most + 1, (len(sample) - most) // max(pieces, 1))
    rows = []
    for i in range(0, len(sample) - most, step):
        inf = influence(engine, sample[i : i + most], most)
        if len(inf.pull) == most:
            rows.append(inf.pull[::-1])
    if not rows:
        raise ValueError(f"the sample is too short: {len(sample)} characters, need more than {most}")
    return np.mean(rows, 0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="corpus folder; default $NNPG_CORPUS or ../shared/data/corpus")
    ap.add_argument("--pieces", type=int, default=200, help="stretches of held-out text to average over")
    ap.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N or auto (default cpu)")
    args = ap.parse_args(argv)
    import time

    from engine.device import configure_threads, device_name, pick_device
    from engine.text.data import read_corpus
    from engine.text.engine import TextEngine
    from engine.text.model import CELLS
    from engine.text.units import held_out_sample

    configure_threads(leave_for_gui=0)
    sample = held_out_sample(read_corpus(args.corpus))
    device = pick_device(args.device)  # CUDA asked for where there is none: the CPU, named below
    print(f"device: {device_name(device)}")
    print(
        f"mean pull k letters back, of the strongest letter's ({args.pieces} held-out stretches of "
        f"{WINDOW_MOST_CHARS}):"
    )
    backs = (1, 5, 10, 20, 40, 80, 126, 127, 150)
    print(
        "cell         " + "".join(f"k={k:<7}" for k in backs) + "first k below 10% / 1%   influence() p50/p95"
    )
    for cell in CELLS:
        eng = TextEngine.load(cell, device=device)
        r = reach(eng, sample, args.pieces, WINDOW_MOST_CHARS)
        times = []
        for i in range(40):
            t0 = time.perf_counter()
            influence(eng, sample[i * 100 : i * 100 + WINDOW_MOST_CHARS])
            times.append((time.perf_counter() - t0) * 1e3)
        below = [int(np.argmax(r < th)) if (r < th).any() else WINDOW_MOST_CHARS for th in (0.1, 0.01)]
        cols = "".join(f"{r[k]:<9.4f}" for k in backs)
        p50, p95 = np.percentile(times, [50, 95])
        print(f"{cell:11}  {cols}{below[0]:3} / {below[1]:3}                   {p50:.1f} / {p95:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
