"""Train a digit network: `python -m engine.digits.train --out assets/digits.safetensors`.

`--arch cnn|mlp|rnn|lstm|gru --seconds N`: the Train page's trainer (engine/digits/trainer.py) for a
time budget, printing held-out accuracy against seconds, on the prepared data cached on disk.
Without them: the recipe of the shipped CNN (epochs of a one-cycle schedule), through the same loop.

Data: MNIST train plus jittered renders of the pen-drawn digits of the training writers, all
passed through the same preprocess() the app uses and cached (engine/digits/prepared.py). The
writers held out never reach training and give the cross-writer figure recorded in the metadata.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from engine.bad_file import run_command
from engine.device import configure_threads, pick_device
from engine.digits.architectures import KIND_NAMES
from engine.digits.data import mnist_dir, pendigits_path
from engine.digits.model import DigitNetConfig
from engine.digits.prepared import HELD_OUT_WRITERS, PREPROCESS_VERSION, prepared_data
from engine.digits.trainer import ARCHS, OPTIMISERS, Callbacks, RunSettings, train_run
from engine.paths import assets_dir
from engine.weights import save_trained


@dataclass
class TrainConfig:
    """The recipe of the shipped CNNs: epochs of a one-cycle schedule, label smoothing, the trainer's
    random affine moves on every batch."""

    epochs: int = 10
    batch_size: int = 128
    lr: float = 3e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.05
    pen_copies: int = 5
    mnist_limit: int = 0  # 0 = all; small numbers make quick test fixtures
    pen_limit: int = 0  # pen renders kept, 0 = all
    seed: int = 0

    def run_settings(self, net_cfg: DigitNetConfig) -> RunSettings:
        return RunSettings(
            arch="cnn",
            seconds=None,
            epochs=self.epochs,
            batch_size=self.batch_size,
            lr=self.lr,
            weight_decay=self.weight_decay,
            label_smoothing=self.label_smoothing,
            schedule="onecycle",
            augment=True,
            seed=self.seed,
            eval_every=1e9,  # never: the whole test after each epoch instead
            extra=net_cfg.to_dict(),
        )


def train(
    cfg: TrainConfig,
    net_cfg: DigitNetConfig,
    device: torch.device,
    mnist: str | Path | None = None,
    pendigits: str | Path | None = None,
    callbacks: Callbacks | None = None,
) -> tuple[torch.nn.Module, dict]:
    """The shipped recipe through the one training loop (engine/digits/trainer.py)."""
    cb = callbacks or Callbacks()
    data = prepared_data(mnist, pendigits, cfg.pen_copies, cfg.seed, log=cb.log).limited(
        cfg.mnist_limit, cfg.pen_limit
    )
    cb.log(
        f"{len(data.x_train)} training inputs ({data.mnist_train} MNIST, "
        f"{len(data.x_train) - data.mnist_train} pen renders), {len(data.x_val)} held-out pen renders"
    )
    model, metrics = train_run(cfg.run_settings(net_cfg), data, device, callbacks=cb)
    metrics["data"] = {
        "mnist": f"{data.mnist_train} MNIST train images ({mnist_dir(mnist).name})",
        "pendigits": f"{len(data.x_train) - data.mnist_train} jittered renders ({cfg.pen_copies} of each digit) of "
        f"the writers not in {list(HELD_OUT_WRITERS)} ({pendigits_path(pendigits).name})",
        "held_out_writers": list(HELD_OUT_WRITERS),
    }
    return model, metrics


def timed_run(args: argparse.Namespace) -> int:
    """The Train page's trainer on the command line; its last line is the held-out figures."""
    arch = args.arch or "cnn"
    extra: dict = {}
    if arch == "cnn":
        extra = {"channels": [int(c) for c in args.channels.split(",")], "activation": args.activation,
                 "pooling": args.pooling}  # fmt: skip
    elif arch == "mlp":
        extra = {"hidden": [int(c) for c in args.hidden.split(",")]} if args.hidden else {}
        extra["activation"] = args.activation
    else:
        extra = {k: v for k, v in (("units", args.units), ("layers", args.layers)) if v}
    settings = RunSettings(
        arch=arch,
        seconds=args.seconds or 30.0,
        batch_size=args.batch_size if args.batch_size != TrainConfig.batch_size else None,
        lr=args.lr if args.lr != TrainConfig.lr else None,
        optimiser=args.optimiser,
        subset=args.subset,
        seed=args.seed,
        augment=args.augment,
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
    model, metrics = train_run(settings, data, device, callbacks=Callbacks(on_eval=on_eval))
    metrics["data"] = {
        "mnist": f"{data.mnist_train} MNIST train images",
        "pendigits": f"{len(data.x_train) - data.mnist_train} renders of the training writers' pen digits",
    }
    save_trained(args.out, model, KIND_NAMES[type(model)], settings.__dict__, metrics, device,
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
    ap.add_argument("--pen-limit", type=int, default=0, help="use only the first N pen renders (quick runs)")
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
    ap.add_argument("--layers", type=int, help="rnn/lstm/gru: stacked layers (default 1)")
    ap.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None,
                    help="small random affine moves of each batch (default: for the CNN only)")  # fmt: skip
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

    def on_progress(p, _model) -> None:
        now = time.perf_counter()
        if now - t_last[0] > 2 or p.fraction >= 1:
            t_last[0] = now
            bar = "#" * int(30 * p.fraction)
            sys.stdout.write(f"\r[{bar:<30}] step {p.step} loss {p.loss:.4f}")
            sys.stdout.flush()

    def on_epoch(epoch: int, m: dict) -> None:
        pen = m["pendigits_heldout_top1"]
        pen_s = f"{pen:.4f}" if pen is not None else "n/a"
        print(
            f"\nepoch {epoch}: MNIST test {m['mnist_test_top1']:.4f}  held-out pen {pen_s}  ({m['seconds']} s)"
        )

    print(f"training on {device} with {torch.get_num_threads()} threads")
    callbacks = Callbacks(on_progress=on_progress, on_epoch=on_epoch)
    model, metrics = train(cfg, net_cfg, device, args.mnist, args.pendigits, callbacks)
    save_trained(
        args.out, model, "DigitNet", asdict(cfg), metrics, device, preprocess_version=PREPROCESS_VERSION
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) after {metrics['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
