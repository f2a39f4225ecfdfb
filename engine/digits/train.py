"""Train a digit network: `python -m engine.digits.train --out assets/digits.safetensors`.

`--arch cnn|mlp|rnn|lstm|gru --seconds N`: the Train page's trainer (engine/digits/trainer.py) for a
time budget, printing held-out accuracy against seconds, on the prepared data cached on disk.
Without them: the recipe of the shipped CNN (epochs of a one-cycle schedule).

Data: MNIST train plus jittered renders of the pen-drawn digits of the training writers, all
passed through the same preprocess() the app uses. Writers held out (--held-out) never reach
training and give the cross-writer figure recorded in the weights' metadata.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from engine.bad_file import run_command
from engine.device import configure_threads, pick_device
from engine.digits.data import load_mnist, load_pendigits, mnist_dir, pendigits_path
from engine.digits.model import DigitNet, DigitNetConfig
from engine.digits.prepared import PREPROCESS_VERSION, mnist_inputs
from engine.digits.synth import augmented_inputs, eval_inputs, split_writers
from engine.digits.trainer import ARCHS, KINDS, OPTIMISERS, RunSettings, accuracy, random_affine, train_run
from engine.digits.trainer import Callbacks as RunCallbacks
from engine.paths import assets_dir
from engine.weights import save_trained


@dataclass
class TrainConfig:
    epochs: int = 10
    batch_size: int = 128
    lr: float = 3e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.05
    pen_copies: int = 5
    held_out_writers: list[int] = field(default_factory=lambda: list(range(25, 31)))
    mnist_limit: int = 0  # 0 = all; small numbers make quick test fixtures
    pen_limit: int = 0
    seed: int = 0


@dataclass
class Callbacks:
    on_batch_end: Callable[[int, int, float], None] | None = None  # (step, total_steps, loss)
    on_epoch_end: Callable[[int, dict], None] | None = None  # (epoch, metrics)
    log: Callable[[str], None] = print


def train(
    cfg: TrainConfig,
    net_cfg: DigitNetConfig,
    device: torch.device,
    mnist: str | Path | None = None,
    pendigits: str | Path | None = None,
    callbacks: Callbacks | None = None,
) -> tuple[DigitNet, dict]:
    cb = callbacks or Callbacks()
    torch.manual_seed(cfg.seed)
    np.random.seed(cfg.seed)
    t0 = time.perf_counter()
    cb.log("preparing data ...")
    mx, my = load_mnist("train", mnist)
    tx, ty = load_mnist("test", mnist)
    if cfg.mnist_limit:
        mx, my, tx, ty = (
            mx[: cfg.mnist_limit],
            my[: cfg.mnist_limit],
            tx[: cfg.mnist_limit],
            ty[: cfg.mnist_limit],
        )
    pens = load_pendigits(pendigits)
    pen_train, pen_val = split_writers(pens, cfg.held_out_writers)
    if cfg.pen_limit:
        pen_train, pen_val = pen_train[: cfg.pen_limit], pen_val[: cfg.pen_limit]
    x_parts = [mnist_inputs(mx)]
    y_parts = [my]
    if cfg.pen_copies and pen_train:
        px, py = augmented_inputs(pen_train, cfg.pen_copies, cfg.seed)
        x_parts.append(px)
        y_parts.append(py)
    x_train = np.concatenate(x_parts).astype(np.float32)
    y_train = np.concatenate(y_parts)
    x_test = mnist_inputs(tx)
    x_val, y_val = (
        eval_inputs(pen_val) if pen_val else (np.zeros((0, 28, 28), np.float32), np.zeros(0, np.int64))
    )
    cb.log(
        f"data ready in {time.perf_counter() - t0:.0f} s: {len(x_train)} training inputs "
        f"({len(mx)} MNIST, {len(x_train) - len(mx)} pen renders), {len(x_val)} held-out pen renders"
    )

    model = DigitNet(net_cfg).to(device)
    gen = torch.Generator().manual_seed(cfg.seed)
    steps_per_epoch = math.ceil(len(x_train) / cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=total, pct_start=0.2)
    xt = torch.from_numpy(x_train).unsqueeze(1)
    yt = torch.from_numpy(y_train)
    step = 0
    metrics: dict = {}
    for epoch in range(cfg.epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=gen)
        for i in range(steps_per_epoch):
            idx = perm[i * cfg.batch_size : (i + 1) * cfg.batch_size]
            xb = random_affine(xt[idx], gen).to(device)
            yb = yt[idx].to(device)
            loss = F.cross_entropy(model(xb), yb, label_smoothing=cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if cb.on_batch_end:
                cb.on_batch_end(step, total, loss.item())
        metrics = {
            "epoch": epoch + 1,
            "mnist_test_top1": accuracy(model, x_test, ty, device),
            "pendigits_heldout_top1": accuracy(model, x_val, y_val, device) if len(x_val) else None,
            "seconds": round(time.perf_counter() - t0, 1),
        }
        if cb.on_epoch_end:
            cb.on_epoch_end(epoch + 1, metrics)
    metrics["data"] = {
        "mnist": f"{len(mx)} MNIST train images ({mnist_dir(mnist).name})",
        "pendigits": f"{len(pen_train)} digits of writers not in {cfg.held_out_writers} "
        f"({pendigits_path(pendigits).name}), {cfg.pen_copies} jittered renders each",
        "held_out_writers": cfg.held_out_writers,
    }
    model.eval()
    return model.cpu(), metrics


def timed_run(args: argparse.Namespace) -> int:
    """The Train page's trainer on the command line; its last line is the held-out figures."""
    from engine.digits.prepared import prepared_data

    arch = args.arch or "cnn"
    extra: dict = {}
    if arch == "cnn":
        extra = {"channels": [int(c) for c in args.channels.split(",")], "activation": args.activation,
                 "pooling": args.pooling}  # fmt: skip
    elif arch == "mlp":
        extra = {"hidden": [int(c) for c in args.hidden.split(",")]} if args.hidden else {}
        extra["activation"] = args.activation
    elif args.units:
        extra = {"units": args.units}
    settings = RunSettings(
        arch=arch,
        seconds=args.seconds or 30.0,
        batch_size=args.batch_size if args.batch_size != TrainConfig.batch_size else None,
        lr=args.lr if args.lr != TrainConfig.lr else None,
        optimiser=args.optimiser,
        subset=args.subset,
        seed=args.seed,
        extra=extra,
    )
    device = pick_device(args.device)
    if device.type == "cpu":
        configure_threads(leave_for_gui=0)
    data = prepared_data(args.mnist, args.pendigits, args.pen_copies, args.seed)

    def on_eval(m: dict, _model) -> None:
        print(
            f"{m['seconds']:6.1f} s  {m['examples']:>8} examples  MNIST test (2,000) {m['mnist_test_2000']:.4f}"
        )

    print(f"training {arch} for {settings.seconds:g} s on {device} with {torch.get_num_threads()} threads")
    model, metrics = train_run(settings, data, device, callbacks=RunCallbacks(on_eval=on_eval))
    metrics["data"] = {
        "mnist": f"{data.mnist_train} MNIST train images",
        "pendigits": f"{len(data.x_train) - data.mnist_train} renders of the training writers' pen digits",
    }
    save_trained(args.out, model, KINDS[type(model)], settings.__dict__, metrics, device,
                 preprocess_version=PREPROCESS_VERSION)  # fmt: skip
    pen = metrics["pendigits_heldout_top1"]
    print(f"wrote {args.out}")
    print(
        f"MNIST test {metrics['mnist_test_top1']:.4f}  held-out pen {pen:.4f}  after {metrics['seconds']} s"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=assets_dir() / "digits.safetensors")
    ap.add_argument("--mnist", help="MNIST folder (IDX files); default $NNPG_MNIST or ../shared/data/mnist")
    ap.add_argument("--pendigits", help="pendigits-orig.tra or its folder")
    ap.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    ap.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    ap.add_argument("--lr", type=float, default=TrainConfig.lr)
    ap.add_argument("--pen-copies", type=int, default=TrainConfig.pen_copies)
    ap.add_argument(
        "--mnist-limit", type=int, default=0, help="use only the first N MNIST images (quick runs)"
    )
    ap.add_argument("--pen-limit", type=int, default=0, help="use only the first N pen digits (quick runs)")
    ap.add_argument("--activation", default="relu", choices=["relu", "sigmoid", "tanh"])
    ap.add_argument("--pooling", default="max", choices=["max", "min", "avg"])
    ap.add_argument("--channels", default="16,32,64", help="channels per block, comma separated")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default=None, help="auto, cpu, cuda (default $NNPG_DEVICE or auto)")
    ap.add_argument("--arch", choices=ARCHS, help="the network: cnn, mlp, or rnn/lstm/gru reading row by row")
    ap.add_argument("--seconds", type=float, help="train for this long (with --arch; default 30)")
    ap.add_argument("--optimiser", choices=OPTIMISERS, default="adam")
    ap.add_argument("--subset", type=int, default=0, help="train on this many examples only (0: all)")
    ap.add_argument("--hidden", help="MLP: units per layer, comma separated (default 256,128)")
    ap.add_argument("--units", type=int, help="rnn/lstm/gru: units (default 128)")
    args = ap.parse_args(argv)
    if args.arch or args.seconds:
        if args.out == assets_dir() / "digits.safetensors":
            ap.error("give --out FILE for a timed run (the default is the shipped network's own file)")
        return timed_run(args)

    device = pick_device(args.device)
    if device.type == "cpu":
        configure_threads(leave_for_gui=0)
    cfg = TrainConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        pen_copies=args.pen_copies,
        mnist_limit=args.mnist_limit,
        pen_limit=args.pen_limit,
        seed=args.seed,
    )
    net_cfg = DigitNetConfig(
        channels=[int(c) for c in args.channels.split(",")], activation=args.activation, pooling=args.pooling
    )
    t_last = [0.0]

    def on_batch(step: int, total: int, loss: float) -> None:
        now = time.perf_counter()
        if now - t_last[0] > 2 or step == total:
            t_last[0] = now
            bar = "#" * int(30 * step / total)
            sys.stdout.write(f"\r[{bar:<30}] {step}/{total} loss {loss:.4f}")
            sys.stdout.flush()

    def on_epoch(epoch: int, m: dict) -> None:
        pen = m["pendigits_heldout_top1"]
        pen_s = f"{pen:.4f}" if pen is not None else "n/a"
        print(
            f"\nepoch {epoch}: MNIST test {m['mnist_test_top1']:.4f}  held-out pen {pen_s}  ({m['seconds']} s)"
        )

    print(f"training on {device} with {torch.get_num_threads()} threads")
    model, metrics = train(cfg, net_cfg, device, args.mnist, args.pendigits, Callbacks(on_batch, on_epoch))
    save_trained(
        args.out, model, "DigitNet", cfg.__dict__, metrics, device, preprocess_version=PREPROCESS_VERSION
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) after {metrics['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
