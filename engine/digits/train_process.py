"""A training run in a process of its own (no GIL shared with the window), at a lower priority,
controlled by two events (pause, stop) and telling how it goes through a queue of plain messages:

    ("ready", {"seconds", "examples", "digits": (2000, 28, 28) uint8, "truth": (2000,)})
                                                 data prepared; the held-out digits behind the confusion matrix
    ("progress", {...Progress fields})           a few times a second
    ("gradients", {layer: size})                 a few times a second
    ("weights", ndarray (N, H, W))               the first layer's weights, a few times a second
    ("eval", {"seconds", "examples", "mnist_test_2000", "train_2000", "answers": (2000,) uint8})
                                                 held-out and training accuracy; the answers give the confusion
    ("drawing", ndarray (10,))                   the probabilities it gives the drawing sent to it, as it learns
    ("done", {"path": weights file, "metrics": {...}})   the trained network, saved as .safetensors
    ("error", "message")                         it could not run; said in words

The window reads the queue with a timer; the weights come back as a .safetensors file, never pickled.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import time
import traceback
from dataclasses import asdict
from pathlib import Path

import numpy as np

WEIGHTS_EVERY = 0.3  # seconds between pictures of the first layer
CONFUSION_DIGITS = 2000  # MNIST test digits behind the confusion matrix while it trains


def run(
    settings: dict | None,
    out_path: str,
    queue,
    pause,
    stop,
    data_dirs: dict | None = None,
    inbox=None,
    drawings=None,
) -> None:
    """The child's whole life: prepare the data (cached), wait for the settings if it was started
    warm (`settings` None: they come through `inbox`; None there ends it), train, save, say so.
    Never raises."""
    try:
        _run(settings, out_path, queue, pause, stop, data_dirs or {}, inbox, drawings)
    except Exception as exc:  # anything: the window names it, and goes on
        traceback.print_exc()
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def _run(settings: dict | None, out_path: str, queue, pause, stop, data_dirs: dict, inbox, drawings) -> None:
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(10)  # below the window: drawing and typing stay quick while it trains

    from engine.device import configure_threads, pick_device
    from engine.digits.architectures import KIND_NAMES
    from engine.digits.prepared import PREPROCESS_VERSION, prepared_data
    from engine.digits.trainer import (
        Callbacks,
        RunSettings,
        first_layer_weights,
        predictions,
        train_run,
    )
    from engine.weights import save_trained

    device = pick_device(os.environ.get("NNPG_TRAIN_DEVICE") or "auto")
    if device.type == "cpu":
        configure_threads(leave_for_gui=1)  # a core for the window
    t0 = time.perf_counter()
    data = prepared_data(
        data_dirs.get("mnist"), data_dirs.get("pendigits"), log=lambda m: queue.put(("log", m))
    )
    xs, ys = data.x_test[:CONFUSION_DIGITS], data.y_test[:CONFUSION_DIGITS]
    digits = (np.clip(xs, 0, 1) * 255).astype(np.uint8)  # to show the digits of a confusion cell
    queue.put(("ready", {"seconds": time.perf_counter() - t0, "examples": len(data.x_train),
                         "digits": digits, "truth": ys.astype(np.uint8)}))  # fmt: skip
    if settings is None:  # started warm: torch and the data are loaded, Train sends the settings
        settings = inbox.get()
        if settings is None:
            return
    s = RunSettings(**settings)
    last_weights = [0.0]

    def should_stop() -> bool:
        while pause.is_set() and not stop.is_set():
            time.sleep(0.05)
        return stop.is_set()

    drawing: list[np.ndarray | None] = [None]  # the newest 28x28 input sent by the window

    def on_progress(p, model) -> None:
        queue.put(("progress", asdict(p)))
        now = time.perf_counter()
        if now - last_weights[0] >= WEIGHTS_EVERY:
            last_weights[0] = now
            queue.put(("weights", first_layer_weights(model).astype(np.float32)))
            while drawings is not None and not drawings.empty():
                with contextlib.suppress(Exception):
                    drawing[0] = drawings.get_nowait()
            if drawing[0] is not None:
                queue.put(("drawing", read_drawing(model, drawing[0], device)))

    def on_eval(m: dict, model) -> None:
        queue.put(("eval", {**m, "answers": predictions(model, xs, device)}))

    model, metrics = train_run(
        s,
        data,
        device,
        callbacks=Callbacks(
            on_progress=on_progress,
            on_eval=on_eval,
            should_stop=should_stop,
            on_gradients=lambda g: queue.put(("gradients", g)),
            training_accuracy=True,
            log=lambda m: queue.put(("log", m)),
        ),
    )
    metrics["data"] = {"mnist": f"{data.mnist_train} MNIST train images", "pendigits": "training writers"}
    save_trained(out_path, model, KIND_NAMES[type(model)], asdict(s), metrics, device,
                 preprocess_version=PREPROCESS_VERSION)  # fmt: skip
    metrics.pop("data", None)
    queue.put(("done", {"path": out_path, "metrics": metrics}))


def read_drawing(model, x: np.ndarray, device) -> np.ndarray:
    """The ten probabilities the network in training gives one 28x28 input (in eval mode, then
    back: its batch norms must not learn from it)."""
    import torch

    was = model.training
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(np.asarray(x, np.float32)).view(1, 1, 28, 28).to(device))
    model.train(was)
    return torch.softmax(logits[0].float(), 0).cpu().numpy()


class TrainingProcess:
    """Starts `run` in a spawned process (the same on Linux, macOS and Windows) and owns its queue
    and events. `poll()` gives the messages waiting; `alive` says whether it runs. Started with no
    settings it warms up (torch, the data) and waits: `begin(settings)` then starts at once."""

    def __init__(self, settings: dict | None, out_path: str | Path, data_dirs: dict | None = None) -> None:
        ctx = mp.get_context("spawn")
        self.queue, self.inbox, self.drawings = ctx.Queue(), ctx.Queue(), ctx.Queue()
        self.pause_event, self.stop_event = ctx.Event(), ctx.Event()
        self.out_path = str(out_path)
        self.started = settings is not None
        self.process = ctx.Process(
            target=run,
            args=(
                settings,
                self.out_path,
                self.queue,
                self.pause_event,
                self.stop_event,
                data_dirs,
                self.inbox,
                self.drawings,
            ),
            name="nn-playground-training",
            daemon=True,  # quitting the app ends it
        )
        self.process.start()

    def begin(self, settings: dict) -> None:
        """Train with `settings` (a process started warm)."""
        self.started = True
        self.inbox.put(settings)

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def poll(self, most: int = 200) -> list[tuple[str, object]]:
        out = []
        for _ in range(most):
            try:
                out.append(self.queue.get_nowait())
            except Exception:  # queue.Empty, or a queue broken by a killed child
                break
        return out

    def send_drawing(self, x: np.ndarray) -> None:
        """The drawing (its 28x28 input) the network in training reads as it learns."""
        self.drawings.put(np.asarray(x, np.float32))

    def pause(self, on: bool) -> None:
        (self.pause_event.set if on else self.pause_event.clear)()

    def stop(self, wait: float = 5.0) -> None:
        """Ask it to stop (it saves what it has), and end it if it does not within `wait` s."""
        self.stop_event.set()
        self.pause_event.clear()
        self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
