"""Teaching in a process of its own (as training is, engine/digits/train_process.py): it loads the
network from its file, first checks what teaching does on a quarter of the examples held out (taught
the rest), then teaches all of them, measures MNIST test before and after, and saves the taught
network. Messages through a queue:

    ("stage", {"name": "checking" | "teaching", "seconds": s})   a part begins (for the progress bar)
    ("done", {"path", "held_out", "before", "after", "mnist_before", "mnist_after", "examples"})
    ("error", "message")
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import traceback

import numpy as np

MIN_TO_CHECK = 8  # fewer examples: none held out, the figures are MNIST's only
CHECK_SHARE = 0.35  # of the time, for the check run


def run(weights: str, canvases: list, labels: list, seconds: float, out_path: str, queue, stop) -> None:
    try:
        _run(weights, canvases, labels, seconds, out_path, queue, stop)
    except Exception as exc:  # said on the page; the window goes on
        traceback.print_exc()
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def _errors(engine, canvases, labels) -> int:
    return sum(
        int(np.argmax(engine.predict(c, keep_steps=False).probs)) != y
        for c, y in zip(canvases, labels, strict=True)
    )


def _run(weights: str, canvases: list, labels: list, seconds: float, out_path: str, queue, stop) -> None:
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(10)  # below the window
    import torch

    from engine.device import configure_threads, pick_device
    from engine.digits import DigitEngine
    from engine.digits.architectures import KIND_NAMES
    from engine.digits.prepared import PREPROCESS_VERSION, prepared_if_here
    from engine.digits.trainer import accuracy
    from engine.weights import save_trained

    device = pick_device(os.environ.get("NNPG_TRAIN_DEVICE") or "auto")
    if device.type == "cpu":
        configure_threads(leave_for_gui=1)
    base = DigitEngine.load(weights, device=device, check=False)
    replay = prepared_if_here()
    labels_a = np.asarray(labels, np.int64)
    figures: dict = {"examples": len(labels), "held_out": 0, "before": None, "after": None}
    teach_seconds = seconds
    if len(labels) >= MIN_TO_CHECK:
        rng = np.random.default_rng(0)
        held = rng.permutation(len(labels))[: max(2, len(labels) // 4)]
        rest = np.setdiff1d(np.arange(len(labels)), held)
        check_seconds = seconds * CHECK_SHARE
        teach_seconds = seconds - check_seconds
        queue.put(("stage", {"name": "checking", "seconds": check_seconds}))
        check = base.fine_tuned(
            [canvases[i] for i in rest], labels_a[rest], check_seconds, replay, should_stop=stop.is_set
        )
        held_c, held_y = [canvases[i] for i in held], labels_a[held]
        figures.update(
            held_out=len(held), before=_errors(base, held_c, held_y), after=_errors(check, held_c, held_y)
        )
    if stop.is_set():
        queue.put(("error", "stopped"))
        return
    queue.put(("stage", {"name": "teaching", "seconds": teach_seconds}))
    taught = base.fine_tuned(canvases, labels_a, teach_seconds, replay, should_stop=stop.is_set)
    if replay is not None:  # the networks as trained are kept on the CPU
        cpu = torch.device("cpu")
        figures["mnist_before"] = accuracy(base.trained, replay.x_test, replay.y_test, cpu)
        figures["mnist_after"] = accuracy(taught.trained, replay.x_test, replay.y_test, cpu)
    metrics = dict(base.metadata.get("metrics", {}))
    if "mnist_after" in figures:
        metrics["mnist_test_top1"] = figures["mnist_after"]
    save_trained(out_path, taught.trained, KIND_NAMES[type(taught.trained)], {"taught": taught.metadata["taught"]},
                 metrics, device, preprocess_version=PREPROCESS_VERSION, taught_from=os.path.basename(weights))  # fmt: skip
    queue.put(("done", {**figures, "path": out_path}))


class TeachingProcess:
    """Starts `run` in a spawned process; `poll()` gives its messages, `stop()` asks it to end."""

    def __init__(self, weights: str, canvases: list, labels: list, seconds: float, out_path: str) -> None:
        ctx = mp.get_context("spawn")
        self.queue, self.stop_event = ctx.Queue(), ctx.Event()
        self.process = ctx.Process(
            target=run,
            args=(
                str(weights),
                canvases,
                [int(v) for v in labels],
                float(seconds),
                out_path,
                self.queue,
                self.stop_event,
            ),
            name="nn-playground-teaching",
            daemon=True,
        )
        self.process.start()

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def poll(self) -> list[tuple[str, object]]:
        out = []
        while True:
            try:
                out.append(self.queue.get_nowait())
            except Exception:  # queue.Empty, or a queue broken by a killed child
                return out

    def stop(self) -> None:
        self.stop_event.set()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
