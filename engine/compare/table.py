"""The articles' CNN-vs-RNN table, measured on the device in use for the two shipped digit networks:
parameters, how often each weight is used per image, multiply-adds, latency and throughput, training
speed, memory kept for backpropagation, held-out accuracy, and time against input size. Where a
measurement contradicts what the articles claim, the verdict says so."""

from __future__ import annotations

import copy
import statistics
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.digits.architectures import DigitRowRNN
from engine.digits.model import DigitNet

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
SIZES = (28, 56, 112, 224, 448)  # input heights for the time-against-size curve


@dataclass
class Row:
    what: str
    cnn: str
    rnn: str
    claim: str = ""  # what the articles say, where they say something measurable
    verdict: str = ""  # "holds here", or how this machine contradicts it


@dataclass
class Table:
    device: str
    rows: list[Row]
    sizes: list[int] = field(default_factory=list)  # input rows (the CNN: rows x 28 pixels)
    cnn_ms: list[float] = field(default_factory=list)  # its conv blocks' time at each size
    rnn_ms: list[float] = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # the raw numbers behind the rows

    def to_dict(self) -> dict:
        return asdict(self)


def parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def cnn_counts(model: DigitNet, rows: int = 28) -> tuple[int, list[tuple[str, int]]]:
    """Multiply-adds for one rows x 28 image, and each weight layer's uses per image."""
    macs, uses = 0, []
    h, w = rows, 28
    c = model.config
    i = 0
    for _b in range(len(c.channels)):
        for _ in range(c.convs_per_block):
            conv = model.convs[i]
            macs += h * w * conv.weight.numel()  # 'same' 3x3: every weight at every position
            uses.append((f"conv{i + 1}", h * w))
            i += 1
        h, w = h // 2, w // 2
    macs += model.fc1.weight.numel() + model.fc2.weight.numel()
    uses += [("fc1", 1), ("fc2", 1)]
    return macs, uses


def rnn_counts(model: DigitRowRNN, rows: int = 28) -> tuple[int, list[tuple[str, int]]]:
    c = model.config
    g = GATES[c.cell]
    per_step = sum(
        g * ((28 if layer == 0 else c.units) * c.units + c.units * c.units) for layer in range(c.layers)
    )
    macs = rows * per_step + model.out.weight.numel()
    return macs, [("recurrent", rows), ("output", 1)]


def _timed(fn, repeats: int) -> float:
    """Median seconds of `repeats` calls, after two warm-up calls (on a GPU, to the work's end)."""
    sync = torch.cuda.synchronize if torch.cuda.is_available() else (lambda: None)
    fn()
    fn()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


@torch.inference_mode()
def latency_ms(model: nn.Module, x: torch.Tensor, repeats: int = 30) -> float:
    return 1000 * _timed(lambda: model(x), repeats)


@torch.inference_mode()
def throughput(model: nn.Module, x: torch.Tensor, repeats: int = 5) -> float:
    return len(x) / _timed(lambda: model(x), repeats)


def train_rate(model: nn.Module, device: torch.device, batch: int = 128, steps: int = 6) -> float:
    """Training examples per second (forward, backward, Adam step) on a copy of `model`."""
    m = copy.deepcopy(model).to(device).train()
    opt = torch.optim.AdamW(m.parameters(), lr=1e-4)
    x = torch.rand(batch, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (batch,), device=device)

    def step() -> None:
        loss = F.cross_entropy(m(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return batch / _timed(step, steps)


def backprop_bytes(model: nn.Module, device: torch.device, batch: int = 32) -> float:
    """Bytes autograd keeps for the backward pass, per example: the activations the forward saves
    (the weights, kept anyway, not counted)."""
    m = copy.deepcopy(model).to(device).train()
    weights = {p.untyped_storage().data_ptr() for p in m.parameters()}
    seen: set[int] = set()
    kept = [0]

    def pack(t: torch.Tensor) -> torch.Tensor:
        key = t.untyped_storage().data_ptr()
        if key not in seen and key not in weights:
            seen.add(key)
            kept[0] += t.untyped_storage().nbytes()
        return t

    x = torch.rand(batch, 1, 28, 28, device=device)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = m(x).sum()
    loss.backward()
    return kept[0] / batch


@torch.inference_mode()
def held_out_accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray, device: torch.device) -> float:
    model.eval()
    correct = 0
    for i in range(0, len(x), 512):
        xb = torch.from_numpy(x[i : i + 512]).unsqueeze(1).to(device)
        correct += int((model(xb).argmax(1).cpu().numpy() == y[i : i + 512]).sum())
    return correct / max(1, len(x))


@torch.inference_mode()
def size_curve(cnn: DigitNet, rnn: DigitRowRNN, device: torch.device, sizes=SIZES, repeats: int = 10):
    """ms to read an image of N rows of 28 pixels: the CNN's conv blocks (all positions at once) and
    the recurrent network (N steps one after another)."""
    cnn_ms, rnn_ms = [], []
    for n in sizes:
        x = torch.rand(1, 1, n, 28, device=device)
        cnn_ms.append(1000 * _timed(lambda x=x: cnn.features(x), repeats))
        rnn_ms.append(1000 * _timed(lambda x=x: rnn(x), repeats))
    return list(sizes), cnn_ms, rnn_ms


def _verdict(holds: bool, otherwise: str) -> str:
    return "holds here" if holds else f"not here: {otherwise}"


def measure(
    cnn: DigitNet,
    rnn: DigitRowRNN,
    device: torch.device | str = "cpu",
    pen: tuple[np.ndarray, np.ndarray] | None = None,
    pen_figures: tuple[float | None, float | None] = (None, None),
    quick: bool = False,
) -> Table:
    """The table for these two networks on `device`. `pen`: held-out pen digits (inputs, labels) to
    measure on; without them, `pen_figures` (as recorded in the weights files) are shown."""
    device = torch.device(device)
    cnn, rnn = cnn.to(device).eval(), rnn.to(device).eval()
    r = 5 if quick else 30
    one = torch.rand(1, 1, 28, 28, device=device)
    many = torch.rand(64 if quick else 256, 1, 28, 28, device=device)
    f: dict = {}
    f["params"] = (parameters(cnn), parameters(rnn))
    (cm, cu), (rm, ru) = cnn_counts(cnn), rnn_counts(rnn)
    f["macs"] = (cm, rm)
    f["uses"] = (cu, ru)
    f["latency_ms"] = (latency_ms(cnn, one, r), latency_ms(rnn, one, r))
    f["throughput"] = (throughput(cnn, many, 2 if quick else 5), throughput(rnn, many, 2 if quick else 5))
    f["train_per_s"] = (
        train_rate(cnn, device, steps=2 if quick else 6),
        train_rate(rnn, device, steps=2 if quick else 6),
    )
    f["backprop_bytes"] = (backprop_bytes(cnn, device), backprop_bytes(rnn, device))
    if pen is not None:
        f["pen"] = (held_out_accuracy(cnn, *pen, device), held_out_accuracy(rnn, *pen, device))
        pen_note = f"measured on {len(pen[1]):,} pen digits of writers neither saw"
    else:
        f["pen"] = pen_figures
        pen_note = "as recorded when trained (no pen data here to measure)"
    sizes, cnn_ms, rnn_ms = size_curve(cnn, rnn, device, SIZES[:3] if quick else SIZES, 3 if quick else 10)

    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.2%}"

    def uses(u: list[tuple[str, int]]) -> str:
        return ", ".join(f"{n} {k:,}x" for n, k in u)

    (pc, pr), (lc, lr), (tc, tr) = f["params"], f["latency_ms"], f["throughput"]
    (xc, xr), (bc, br) = f["train_per_s"], f["backprop_bytes"]
    grow_c, grow_r = cnn_ms[-1] / cnn_ms[0], rnn_ms[-1] / rnn_ms[0]
    rows = [
        Row("data it takes", "a grid: all 28x28 pixels at once", f"a sequence: {28} rows of 28 pixels, one per step"),
        Row("parameters", f"{pc:,}", f"{pr:,}", "sharing keeps both small",
            _verdict(max(pc, pr) < 1_000_000, "one has over a million")),
        Row("uses of each weight per image", uses(cu), uses(ru),
            "a CNN shares its weights across space, an RNN across time",
            _verdict(cu[0][1] > 1 and ru[0][1] > 1, "a weight used once is not shared")),
        Row("multiply-adds per image", f"{cm:,}", f"{rm:,}"),
        Row("latency, one image", f"{lc:.2f} ms", f"{lr:.2f} ms",
            "an RNN is slower: it must take the rows one after another",
            _verdict(lr > lc, f"the RNN took {lr:.2f} ms against the CNN's {lc:.2f} ms")),
        Row(f"throughput, batch of {len(many)}", f"{tc:,.0f} images/s", f"{tr:,.0f} images/s",
            "a CNN computes in parallel, so it is faster", _verdict(tc > tr, "the RNN read more images a second")),
        Row("training speed", f"{xc:,.0f} examples/s", f"{xr:,.0f} examples/s",
            "CNN training parallelises; RNN training is sequential and slower",
            _verdict(xc > xr, "the RNN trained on more examples a second")),
        Row("memory kept for backpropagation", f"{bc / 1024:,.0f} KiB per example", f"{br / 1024:,.0f} KiB per example",
            "an RNN keeps every step's state for backpropagation through time, so it needs more memory",
            _verdict(br > bc, f"the CNN's feature maps take {bc / max(br, 1):.1f}x the RNN's states")),
        Row("held-out pen digits", pct(f["pen"][0]), pct(f["pen"][1]), pen_note),
        Row(f"time from {sizes[0]} to {sizes[-1]} rows", f"x{grow_c:.1f} ({cnn_ms[0]:.2f} to {cnn_ms[-1]:.2f} ms)",
            f"x{grow_r:.1f} ({rnn_ms[0]:.2f} to {rnn_ms[-1]:.2f} ms)",
            "an RNN's time grows with the length of its input, step by step",
            _verdict(grow_r > 1.5, "its time hardly grew")),
        Row("input size", "fixed: 28x28 (a taller drawing is resized)", "variable: any number of rows"),
        Row("memory of earlier input", "none: each image on its own", "the hidden state, carried row to row"),
        Row("vanishing gradient", "short paths: every pixel near the answer",
            "the early rows' pull fades through the steps (see the pull strip)"),
    ]  # fmt: skip
    return Table(str(device), rows, sizes, cnn_ms, rnn_ms, f)


def format_table(t: Table) -> str:
    """The table as text, for the command line."""
    w0 = max(len(r.what) for r in t.rows)
    w1 = max(len(r.cnn) for r in t.rows + [Row("", "CNN", "")])
    w2 = max(len(r.rnn) for r in t.rows + [Row("", "", "RNN")])
    lines = [f"CNN vs row-by-row RNN, measured on {t.device}", ""]
    lines.append(f"{'':<{w0}}  {'CNN':<{w1}}  {'RNN':<{w2}}  articles' claim -> verdict")
    for r in t.rows:
        claim = f"{r.claim} -> {r.verdict}" if r.verdict else r.claim
        lines.append(f"{r.what:<{w0}}  {r.cnn:<{w1}}  {r.rnn:<{w2}}  {claim}")
    lines += ["", "ms to read an image of N rows of 28 pixels (the CNN: its conv blocks):"]
    for n, a, b in zip(t.sizes, t.cnn_ms, t.rnn_ms, strict=True):
        lines.append(f"  {n:>4} rows  CNN {a:7.2f} ms  RNN {b:7.2f} ms")
    return "\n".join(lines)
