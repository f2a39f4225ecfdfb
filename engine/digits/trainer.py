"""One training loop for every digit network (the CNN, the MLP, the row-by-row RNN), with callbacks:
the command line (engine/digits/train.py) prints them, the Train page draws them. It runs for a
time budget or a number of epochs, from random weights or from a network given, and reports the
smoothed loss, examples seen and held-out accuracy as it goes; a callback can pause or stop it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from engine.digits.architectures import (
    DigitMLP,
    DigitMLPConfig,
    DigitRowRNN,
    DigitRowRNNConfig,
    arch_of,
    load_network,
)
from engine.digits.model import DigitNet, DigitNetConfig
from engine.digits.prepared import Prepared

ARCHS = ("cnn", "mlp", "rnn", "lstm", "gru")
OPTIMISERS = ("adam", "sgd")
# cosine: a short warm-up, then down to 2% of the rate, by time or by steps. onecycle: torch's
# one-cycle over epochs (20% up from a 25th of the rate), the recipe of the shipped CNNs.
SCHEDULES = ("cosine", "onecycle")
# What each network starts with on the page and the command line (measured: docs/training.md).
DEFAULT_LR = {"cnn": 3e-3, "mlp": 1e-3, "rnn": 1e-3, "lstm": 3e-3, "gru": 3e-3}
DEFAULT_BATCH = {"cnn": 128, "mlp": 128, "rnn": 64, "lstm": 64, "gru": 64}


@dataclass
class RunSettings:
    arch: str = "cnn"
    seconds: float | None = 30.0  # a time budget; None: `epochs` instead
    epochs: int = 1
    batch_size: int | None = None  # None: DEFAULT_BATCH of the arch
    lr: float | None = None  # None: DEFAULT_LR of the arch
    optimiser: str = "adam"
    weight_decay: float = 1e-4
    subset: int = 0  # training examples used (0: all), to see overfitting
    augment: bool | None = None  # small random affine moves of each batch; None: for the CNN only
    seed: int = 0
    eval_every: float = 2.0  # seconds between held-out evaluations while it runs
    extra: dict = field(default_factory=dict)  # the network's own settings (channels, units, ...)
    start: str = ""  # a weights file to start from (its own settings, not `extra`); "": random weights
    schedule: str = "cosine"
    label_smoothing: float = 0.0

    def __post_init__(self) -> None:
        if self.arch not in ARCHS:
            raise ValueError(f"arch must be one of {ARCHS}, got {self.arch!r}")
        if self.optimiser not in OPTIMISERS:
            raise ValueError(f"optimiser must be one of {OPTIMISERS}, got {self.optimiser!r}")
        if self.seconds is not None and not 0 < self.seconds <= 24 * 3600:
            raise ValueError("seconds must be more than 0 and at most a day")
        if self.batch_size is not None and not 1 <= self.batch_size <= 8192:
            raise ValueError("batch size must be 1 to 8192")
        if self.subset < 0:
            raise ValueError("subset must be 0 (all) or a number of examples")
        if self.lr is not None and not 0 < self.lr <= 10:
            raise ValueError("learning rate must be more than 0 and at most 10")
        if not 1 <= self.epochs <= 1000:
            raise ValueError("epochs must be 1 to 1000")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {SCHEDULES}, got {self.schedule!r}")
        if self.schedule == "onecycle" and self.seconds is not None:
            raise ValueError("the one-cycle schedule runs over epochs: give seconds=None")
        if not 0 <= self.label_smoothing < 1:
            raise ValueError("label smoothing must be at least 0 and below 1")
        if not 0 <= self.weight_decay <= 1:
            raise ValueError("weight decay must be 0 to 1")
        if self.start and not Path(self.start).is_file():
            raise ValueError(f"{self.start}: no such weights file to start from")
        if not self.start:
            try:
                network_config(self.arch, self.extra)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"the {self.arch} network: {exc}") from exc

    def learning_rate(self) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR[self.arch]

    def batch(self) -> int:
        return self.batch_size if self.batch_size is not None else DEFAULT_BATCH[self.arch]

    def augmenting(self) -> bool:
        return self.arch == "cnn" if self.augment is None else self.augment


def network_config(
    arch: str, extra: dict | None = None
) -> DigitNetConfig | DigitMLPConfig | DigitRowRNNConfig:
    """The config of a network of `arch` with its own settings; raises ValueError for bad ones."""
    extra = extra or {}
    if arch == "cnn":
        return DigitNetConfig.from_dict(extra)
    if arch == "mlp":
        return DigitMLPConfig.from_dict(extra)
    return DigitRowRNNConfig.from_dict({**extra, "cell": arch})


def build(arch: str, extra: dict | None = None) -> torch.nn.Module:
    """A fresh network of `arch` with its own settings (random weights, seeded by the caller)."""
    config = network_config(arch, extra)
    cls = {DigitNetConfig: DigitNet, DigitMLPConfig: DigitMLP, DigitRowRNNConfig: DigitRowRNN}[type(config)]
    return cls(config)


def starting_network(s: RunSettings) -> torch.nn.Module:
    """A fresh network of s.arch, or the one in s.start (which must be of that arch)."""
    if not s.start:
        return build(s.arch, s.extra)
    model, _ = load_network(s.start)
    if arch_of(model) != s.arch:
        raise ValueError(f"{s.start} holds a {arch_of(model)} network, not a {s.arch}")
    return model


@dataclass
class Progress:
    step: int
    examples: int
    seconds: float
    loss: float  # smoothed
    lr: float
    fraction: float  # of the budget or the epochs done


@dataclass
class Callbacks:
    on_progress: Callable[[Progress, torch.nn.Module], None] | None = None  # every few batches
    on_eval: Callable[[dict, torch.nn.Module], None] | None = None  # held-out figures
    should_stop: Callable[[], bool] | None = None  # asked between batches (Stop, or pause inside)
    on_gradients: Callable[[dict[str, float]], None] | None = (
        None  # each layer's gradient size, a few times a second
    )
    on_epoch: Callable[[int, dict], None] | None = None  # whole-test figures after each epoch (costs seconds)
    training_accuracy: bool = False  # on_eval also gets the accuracy on 2,000 of the training digits
    log: Callable[[str], None] = print


def random_affine(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Batch-wise small rotations, scalings, shears and shifts of 28x28 inputs."""
    n = x.shape[0]
    u = lambda lo, hi: torch.rand(n, generator=gen) * (hi - lo) + lo  # noqa: E731
    ang, scale, shear = u(-0.17, 0.17), u(0.9, 1.1), u(-0.15, 0.15)
    tx, ty = u(-0.1, 0.1), u(-0.1, 0.1)
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack([torch.stack([cos, -sin + shear, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta.to(x.device), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")


def gradient_sizes(model: torch.nn.Module) -> dict[str, float]:
    """Each weight matrix's gradient size (L2 norm), by parameter name, in the network's order."""
    return {
        name: float(p.grad.norm())
        for name, p in model.named_parameters()
        if p.grad is not None and p.dim() >= 2
    }


def first_layer_weights(model: torch.nn.Module) -> np.ndarray:
    """The first layer's weights as pictures, (N, H, W): the CNN's 3x3 kernels, an MLP's first 64
    units each as its 28x28 weight image, a recurrent network's input weights (one map, gates x 28)."""
    if isinstance(model, DigitNet):
        return model.convs[0].weight.detach().cpu().numpy()[:, 0]
    if isinstance(model, DigitMLP):
        return model.layers[0].weight.detach().cpu().numpy()[:64].reshape(-1, 28, 28)
    return model.rnn.weight_ih_l0.detach().cpu().numpy()[None]


@torch.inference_mode()
def predictions(model: torch.nn.Module, x: np.ndarray, device: torch.device) -> np.ndarray:
    """The network's answer for each input, (N,) uint8 (in eval mode, then back)."""
    was = model.training
    model.eval()
    out = [
        model(torch.from_numpy(x[i : i + 1000]).unsqueeze(1).to(device)).argmax(1).cpu().numpy()
        for i in range(0, len(x), 1000)
    ]
    model.train(was)
    return np.concatenate(out).astype(np.uint8) if out else np.zeros(0, np.uint8)


@torch.inference_mode()
def accuracy(
    model: torch.nn.Module, x: np.ndarray, y: np.ndarray, device: torch.device, limit: int = 0
) -> float:
    if limit:
        x, y = x[:limit], y[:limit]
    was = model.training
    model.eval()
    correct = 0
    for i in range(0, len(x), 1000):
        xb = torch.from_numpy(x[i : i + 1000]).unsqueeze(1).to(device)
        correct += int((model(xb).argmax(1).cpu() == torch.from_numpy(y[i : i + 1000])).sum())
    model.train(was)
    return correct / max(1, len(x))


def held_out(model: torch.nn.Module, data: Prepared, device: torch.device, seconds: float) -> dict:
    """The whole MNIST test and the held-out writers' pen digits."""
    return {
        "mnist_test_top1": accuracy(model, data.x_test, data.y_test, device),
        "pendigits_heldout_top1": accuracy(model, data.x_val, data.y_val, device)
        if len(data.x_val)
        else None,
        "seconds": round(seconds, 1),
    }


def train_run(
    s: RunSettings,
    data: Prepared,
    device: torch.device,
    model: torch.nn.Module | None = None,
    callbacks: Callbacks | None = None,
) -> tuple[torch.nn.Module, dict]:
    """Train `model` (a fresh one of s.arch by default) on `data`; returns it (on the CPU, in eval
    mode) and its figures: held-out accuracy against seconds, the final MNIST test and pen figures."""
    cb = callbacks or Callbacks()
    torch.manual_seed(s.seed)
    gen = torch.Generator().manual_seed(s.seed)
    model = (model or starting_network(s)).to(device)
    model.train()
    x, y = data.x_train, data.y_train
    if s.subset:
        pick = np.random.default_rng(s.seed).permutation(len(x))[: s.subset]
        x, y = x[pick], y[pick]
    if not len(x):
        raise ValueError("no training examples to learn from")
    xt, yt = torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)
    lr = s.learning_rate()
    if s.optimiser == "adam":
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=s.weight_decay)
    else:
        opt = torch.optim.SGD(
            model.parameters(), lr=lr, momentum=0.9, weight_decay=s.weight_decay, nesterov=True
        )
    steps_per_epoch = math.ceil(len(xt) / s.batch())
    total_steps = steps_per_epoch * s.epochs
    one_cycle = (
        torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=total_steps, pct_start=0.2)
        if s.schedule == "onecycle"
        else None
    )
    t0 = time.perf_counter()
    step, seen, ema = 0, 0, 0.0
    curve: list[tuple[float, int, float]] = []  # (seconds, examples, held-out accuracy)
    next_eval, last_report, scale = s.eval_every, 0.0, 1.0
    done = False
    while not done:
        perm = torch.randperm(len(xt), generator=gen)
        for i in range(steps_per_epoch):
            elapsed = time.perf_counter() - t0
            fraction = elapsed / s.seconds if s.seconds is not None else step / total_steps
            if fraction >= 1 or (cb.should_stop is not None and cb.should_stop()):
                done = True
                break
            if one_cycle is None:
                # Warm up over the first 5%, then a cosine down to 2% of the rate.
                scale = (
                    min(1.0, fraction / 0.05)
                    if fraction < 0.05
                    else 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * (fraction - 0.05) / 0.95))
                )
                for g in opt.param_groups:
                    g["lr"] = lr * max(scale, 0.02)
            else:
                scale = opt.param_groups[0]["lr"] / lr
            idx = perm[i * s.batch() : (i + 1) * s.batch()]
            xb = xt[idx]
            if s.augmenting():
                xb = random_affine(xb, gen)
            xb, yb = xb.to(device), yt[idx].to(device)
            loss = F.cross_entropy(model(xb), yb, label_smoothing=s.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if cb.on_gradients is not None and (step == 0 or time.perf_counter() - t0 - last_report >= 0.1):
                cb.on_gradients(gradient_sizes(model))
            opt.step()
            if one_cycle is not None:
                one_cycle.step()
            step += 1
            seen += len(idx)
            ema = 0.95 * ema + 0.05 * float(loss.detach())
            smooth = ema / (1 - 0.95**step)  # bias-corrected: the first steps are not pulled to 0
            now = time.perf_counter() - t0
            if cb.on_progress is not None and (now - last_report >= 0.1 or step == 1):
                last_report = now
                cb.on_progress(Progress(step, seen, now, smooth, lr * scale, min(1.0, fraction)), model)
            if now >= next_eval:
                next_eval = now + s.eval_every
                acc = accuracy(model, data.x_test, data.y_test, device, limit=2000)
                curve.append((round(now, 2), seen, acc))
                if cb.on_eval is not None:
                    m = {"seconds": now, "examples": seen, "mnist_test_2000": acc}
                    if cb.training_accuracy:  # of the digits it learns from: overfitting shows
                        m["train_2000"] = accuracy(model, x, y, device, limit=2000)
                    cb.on_eval(m, model)
        else:
            if cb.on_epoch is not None:
                cb.on_epoch(step // steps_per_epoch, held_out(model, data, device, time.perf_counter() - t0))
            if s.seconds is None and step >= total_steps:
                done = True
    seconds = time.perf_counter() - t0
    if cb.on_progress is not None and step:  # the last point of the curve
        cb.on_progress(Progress(step, seen, seconds, ema / (1 - 0.95**step), lr * scale, 1.0), model)
    model.eval()
    metrics = {
        **held_out(model, data, device, seconds),
        "examples_seen": seen,
        "steps": step,
        "curve": curve,
        "settings": asdict(s),
    }
    return model.cpu(), metrics
